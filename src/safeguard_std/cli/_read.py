"""Reading a JSON document the user named on the command line, bounded like every other."""

from __future__ import annotations

from safeguard_std.cli._common import UsageError
from safeguard_std.io.documents import Document, DocumentSyntaxError, load_document

__all__ = ["read_json"]


def read_json(path: str, option: str) -> Document:
    """The parsed JSON document at ``path``; an unreadable or malformed file is a
    :class:`~safeguard_std.cli._common.UsageError` naming ``option`` and where it went wrong."""
    try:
        return load_document(path, what="file", format="json")
    except DocumentSyntaxError as exc:
        if isinstance(exc.__cause__, OSError):
            reason = exc.__cause__.strerror or exc.__cause__
            raise UsageError(f"{option}: cannot read {path!r}: {reason}") from None
        raise UsageError(f"{option}: {exc}") from None
