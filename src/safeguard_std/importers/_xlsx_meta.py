"""What openpyxl's read-only mode does not tell: which columns of a sheet are hidden, and which
cells hold a formula whose value was never saved (a workbook written by a program that does not
calculate). Both are read from the sheet's XML as a stream, a chunk at a time."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO

import attrs

__all__ = ["NO_META", "SheetMeta", "read_meta"]

_CHUNK = 1 << 20
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]|<(?:\w+:)?is>")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")


@attrs.frozen
class SheetMeta:
    """Hidden column indexes (0-based) and formula cells with no saved value, as
    ``(row number, column index)``."""

    hidden_columns: frozenset[int] = frozenset()
    unsaved_formulas: frozenset[tuple[int, int]] = frozenset()


NO_META = SheetMeta()


def _column_index(letters: bytes) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + ch - 64
    return value - 1


def _hidden(head: bytes) -> frozenset[int]:
    out: set[int] = set()
    for match in _COL.finditer(head):
        attrs_ = dict(_ATTR.findall(match[1]))
        if attrs_.get(b"hidden") in (b"1", b"true"):
            low = int(attrs_.get(b"min", b"0") or 0)
            high = int(attrs_.get(b"max", low) or low)
            # A range may run to the sheet's last column: cap it, hidden blank columns matter not.
            out.update(range(max(low, 1) - 1, min(high, 16_384)))
    return frozenset(out)


def _formulas(text: bytes, into: set[tuple[int, int]]) -> None:
    for match in _CELL.finditer(text):
        body = match[2]
        if body is None or b"<f" not in body or _VALUE.search(body):
            continue
        ref = _REF.search(match[1])
        if ref is not None:
            into.add((int(ref[2]), _column_index(ref[1])))


def read_meta(open_source: Callable[[], IO[bytes]]) -> SheetMeta:
    """Read a worksheet's hidden columns and unsaved formulas from its XML stream."""
    hidden: frozenset[int] = frozenset()
    formulas: set[tuple[int, int]] = set()
    carry = b""
    head_done = False
    with open_source() as src:
        while True:
            data = src.read(_CHUNK)
            text = carry + data
            if not head_done:
                found = _SHEET_DATA.search(text)
                if found is not None or not data:
                    end = found.start() if found is not None else len(text)
                    hidden = _hidden(text[:end])
                    head_done = True
            if not data:
                if b"<f" in text:
                    _formulas(text, formulas)
                break
            cut = text.rfind(b"</c>")
            if cut < 0:
                carry = text
                continue
            done, carry = text[: cut + 4], text[cut + 4 :]
            if b"<f" in done:
                _formulas(done, formulas)
    return SheetMeta(hidden, frozenset(formulas))
