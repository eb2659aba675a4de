"""Reading a JSON document the user named on the command line, bounded like every other."""

from __future__ import annotations

from safeguard_std.cli._common import UsageError
from safeguard_std.documents import Document, DocumentSyntaxError, parse, read_bounded

__all__ = ["read_json"]


def read_json(path: str, option: str) -> Document:
    """The parsed JSON document at ``path``; an unreadable or malformed file is a
    :class:`~safeguard_std.cli._common.UsageError` naming ``option`` and where it went wrong."""
    try:
        raw = read_bounded(path)
    except DocumentSyntaxError as exc:
        raise UsageError(f"{option}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{option}: cannot read {path!r}: {exc.strerror or exc}") from None
    try:
        document = parse(raw, path, format="json")
    except DocumentSyntaxError as exc:
        raise UsageError(f"{option}: {exc}") from None
    return document
