"""The bounded readers: a file's bytes no further than its limit, and bytes to text.

A huge file, a pipe or a device such as ``/dev/zero`` is refused without being read whole; a
file that cannot be read is one located problem in the caller's own error class.
"""

from __future__ import annotations

import os
from typing import Protocol

from safeguard_std.exceptions import DocumentSyntaxError, Location, Problem
from safeguard_std.io import _limits as limits_
from safeguard_std.io._limits import Limits, fail, too_large, yaml_too_large

__all__ = ["ErrorClass", "decode", "is_yaml", "read_at_most", "read_bounded", "read_source"]


def read_bounded(path: str | os.PathLike[str], *, limits: Limits | None = None) -> bytes:
    """A file's bytes, reading no more than ``limits.max_bytes`` (default :data:`MAX_BYTES`)
    plus one, to tell: a huge file, a pipe or a device such as ``/dev/zero`` is refused without
    being read whole. ``OSError`` passes through for the caller to report."""
    limit = (limits or Limits()).max_bytes
    raw = read_at_most(path, limit)
    if len(raw) > limit:
        raise fail(str(path), too_large(limit, "bytes"))
    return raw


def read_at_most(path: str | os.PathLike[str], limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a file: one more than allowed tells a file over it."""
    with open(path, "rb") as handle:
        return handle.read(limit + 1)


class ErrorClass(Protocol):
    """The caller's error class: built from located problems and the source's label."""

    def __call__(self, problems: list[Problem], *, source: str | None = None) -> Exception: ...


def is_yaml(label: str | None, format: str | None) -> bool:
    """Whether a document is YAML, by ``format`` when given, else by its label's suffix."""
    if format is not None:
        return format == "yaml"
    return label is not None and label.lower().endswith((".yaml", ".yml"))


def read_source(
    source: str | os.PathLike[str] | bytes,
    *,
    what: str,
    error: ErrorClass = DocumentSyntaxError,
    name: str | None = None,
    limits: Limits | None = None,
    format: str | None = None,
) -> tuple[str | None, bytes]:
    """The label and bytes of ``source`` (a path, or bytes labelled ``name``), read no further
    than the limit: :data:`MAX_YAML_BYTES` for a YAML file (by its suffix or ``format``),
    ``limits.max_bytes`` otherwise. A file over the limit, or one that cannot be read, raises
    ``error`` (the caller's class) with one problem located at the file: the size refused, or
    ``cannot read WHAT: REASON`` with the ``OSError`` as the error's ``__cause__``."""
    if isinstance(source, bytes):
        return name, source
    label = name or str(source)
    limit = (limits or Limits()).max_bytes
    message = too_large(limit, "bytes")
    if is_yaml(label, format) and limit > limits_.MAX_YAML_BYTES:
        limit, message = limits_.MAX_YAML_BYTES, yaml_too_large("bytes")
    try:
        raw = read_at_most(source, limit)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise error(
            [Problem(f"cannot read {what}: {reason}", Location(label))], source=label
        ) from exc  # the cause tells a caller an unreadable file from a bad one
    if len(raw) > limit:
        raise error([Problem(message, Location(label))], source=label)
    return label, raw


def decode(raw: bytes | str, source: str | None, *, limits: Limits | None = None) -> str:
    """Bytes to text: UTF-8 (a BOM is allowed), or a located error."""
    limit = (limits or Limits()).max_bytes
    if isinstance(raw, str):
        text = raw
    else:
        if len(raw) > limit:
            raise fail(source, too_large(limit, "bytes"))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise fail(source, f"not UTF-8 text: invalid byte at offset {exc.start}") from None
    if len(text) > limit:
        raise fail(source, too_large(limit, "characters"))
    return text
