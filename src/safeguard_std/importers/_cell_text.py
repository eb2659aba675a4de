"""Reading cells as text and as yes/no: the shared words every other cell reader builds on.

Every reader takes a non-blank cell value and returns a :class:`Parsed`. None of them quotes the
cell in its messages: the report shows the raw value beside the message, and withholds it when
the field is personal data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from safeguard_std.domain.people import RegulatedActivity
from safeguard_std.importers._dates import marks_of
from safeguard_std.importers._parsed import Mark, Parsed, reject

__all__ = [
    "EXCEL_ERRORS",
    "Reader",
    "cell_text",
    "enum_reader",
    "is_company_name",
    "normalise",
    "read_bool",
    "read_name",
    "read_regulated",
    "read_staff_number",
    "read_text",
]

Reader = Callable[[object], Parsed]

_PUNCT = re.compile(r"[^\w\s/+&']+")


def normalise(text: str) -> str:
    """Lower case, ``&`` as ``and``, punctuation dropped, spaces collapsed."""
    text = text.replace("\u00a0", " ").replace("&", " and ").lower()
    return " ".join(_PUNCT.sub(" ", text).replace("'", "").split())


_ODD_SPACES = re.compile(r"  |[\u00a0\n\t\r]")


def cell_text(value: object) -> str:
    """A cell as text the way a person would read it (``1001.0`` is ``1001``)."""
    if type(value) is str:
        text = value.strip()
        if not _ODD_SPACES.search(text):
            return text
        return " ".join(text.replace("\u00a0", " ").split())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).replace("\u00a0", " ").split())


def read_text(value: object) -> Parsed:
    text = cell_text(value)
    if text.startswith("#") and text.upper() in EXCEL_ERRORS:
        return reject("cell.excel_error", "a spreadsheet error value, not data")
    return Parsed(value=text)


EXCEL_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"}

_COMPANY = re.compile(
    r"\b(ltd|limited|plc|llp|llc|inc|cic|co|company|services|solutions|contractors|"
    r"cleaning|catering|group|agency|trust)\b"
)


def read_name(value: object) -> Parsed:
    parsed = read_text(value)
    if parsed.rejected:
        return parsed
    if any(ch.isdigit() for ch in parsed.value):
        return reject("name.digits", "a name with digits in it")
    return parsed


def read_staff_number(value: object) -> Parsed:
    return read_text(value)


_BOOL_YES = {"y", "yes", "true", "✓", "✔", "☑", "✅", "1", "t"}
_BOOL_NO = {"n", "no", "false", "✗", "✘", "☒", "❌", "0", "f"}


def read_bool(value: object) -> Parsed:
    if isinstance(value, bool):
        return Parsed(value=value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return Parsed(value=bool(value))
    key = normalise(cell_text(value)) or cell_text(value)
    if key in _BOOL_YES:
        return Parsed(value=True)
    if key in _BOOL_NO:
        return Parsed(value=False)
    mark = marks_of(cell_text(value))
    if mark in (Mark.NOT_APPLICABLE, Mark.UNKNOWN, Mark.PENDING):
        return Parsed(mark=mark)
    if key == "x":
        return reject("mark.ambiguous", "'x' could be a tick or a cross")
    return reject("bool.unrecognised", "expected yes or no")


def read_regulated(value: object) -> Parsed:
    parsed = read_bool(value)
    if parsed.value is True:
        return Parsed(value=RegulatedActivity.YES)
    if parsed.value is False:
        return Parsed(value=RegulatedActivity.NO)
    if parsed.mark is Mark.UNKNOWN:
        return Parsed(value=RegulatedActivity.UNKNOWN)
    return parsed


def enum_reader(words: Mapping[str, Any], code: str, expected: str) -> Reader:
    table = {normalise(k): v for k, v in words.items()}

    def read(value: object) -> Parsed:
        found = table.get(normalise(cell_text(value)))
        if found is not None:
            return Parsed(value=found)
        mark = marks_of(cell_text(value))
        if mark in (Mark.NOT_APPLICABLE, Mark.UNKNOWN, Mark.PENDING):
            return Parsed(mark=mark)
        return reject(code, f"expected {expected}")

    return read


def is_company_name(text: str) -> bool:
    """Whether a name looks like an organisation's ("ABC Cleaning Ltd") rather than a person's."""
    return bool(_COMPANY.search(normalise(text)))
