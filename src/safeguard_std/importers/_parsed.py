"""What reading one cell gives: a value or a mark, and notes about how it was read."""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

import attrs

__all__ = ["Mark", "Note", "Parsed", "Severity", "note", "reject"]


class Severity(enum.StrEnum):
    """How much a reported issue matters.

    ``error``: the row is rejected (no person is imported from it). ``warning``: a value was not
    imported, or was imported with a doubt a person should look at. ``note``: nothing is wrong, but
    a cell did not become evidence (``N/A``) or a file-wide reading was applied.
    """

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Mark(enum.Enum):
    """A cell that holds a mark rather than a value."""

    YES = "yes"  # done, on file, a tick: a check recorded without a date
    NO = "no"
    NOT_APPLICABLE = "not_applicable"
    PENDING = "pending"
    UNKNOWN = "unknown"
    UPDATE_SERVICE = "update_service"


@attrs.frozen
class Note:
    """An issue not yet tied to a cell: a stable ``code`` and a message without personal data."""

    severity: Severity
    code: str
    message: str


class Parsed(NamedTuple):
    """The result of reading a cell (a named tuple: one is made for most distinct cells).

    ``value`` is the parsed value, or ``None``; ``mark`` is set when the cell held a mark;
    ``rejected`` when the cell had content that could not be imported. ``fmt`` names the date
    format (for spotting columns that mix formats) and ``ambiguous`` marks a day/month date
    that would read differently the US way.
    """

    value: Any = None
    mark: Mark | None = None
    notes: tuple[Note, ...] = ()
    rejected: bool = False
    fmt: str | None = None
    ambiguous: bool = False


def reject(code: str, message: str, *, fmt: str | None = None) -> Parsed:
    """A cell whose content is not imported, with the reason."""
    return Parsed(notes=(Note(Severity.WARNING, code, message),), rejected=True, fmt=fmt)


def note(code: str, message: str, severity: Severity = Severity.WARNING) -> Note:
    """A note to attach to a parsed value."""
    return Note(severity, code, message)
