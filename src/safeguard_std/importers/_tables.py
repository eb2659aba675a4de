"""Reading spreadsheet files into sheets of rows: CSV with the standard library, XLSX through
openpyxl (an optional extra, imported only when an .xlsx file is read).

CSV: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (Excel's "Unicode
text"), or, failing UTF-8, Windows-1252 with a warning (what Excel on Windows writes as "CSV").
The delimiter is chosen by reading the first rows with each of ``,`` ``;`` tab and ``|`` and
keeping the one under which most header cells are recognised.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from safeguard_std.exceptions import Location, MissingExtra, Problem, SpreadsheetError
from safeguard_std.importers._parsed import Note, Severity
from safeguard_std.importers._xlsx_meta import SheetMeta, read_meta
from safeguard_std.io._bounded import SheetTooLarge, bounded_rows, check_workbook
from safeguard_std.io.documents import Limits, read_source

__all__ = ["Sheet", "Workbook", "read_workbook"]

Row = Sequence[object]
Epoch = Literal["1900", "1904"]
_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_ROWS = 30


@attrs.frozen
class Sheet:
    """One sheet: its name (``None`` for a CSV file), whether it is hidden, its date system and
    a way to iterate its rows as ``(row number, cells)``, the first row numbered 1."""

    name: str | None
    rows: Callable[[], Iterator[tuple[int, Row]]]
    epoch: Epoch | None = None
    hidden: bool = False
    meta: Callable[[], SheetMeta] | None = None  # hidden columns, unsaved formulas (xlsx)


@attrs.frozen
class Workbook:
    """A file read for import: its format, fingerprint, how it was decoded, and its sheets."""

    label: str
    format: Literal["csv", "xlsx"]
    sha256: str
    sheets: tuple[Sheet, ...]
    encoding: str | None = None
    delimiter: str | None = None
    notes: tuple[Note, ...] = ()


def _fail(label: str, message: str) -> SpreadsheetError:
    return SpreadsheetError([Problem(message, Location(label))], source=label)


def read_workbook(
    source: Path | str | bytes,
    *,
    name: str | None = None,
    score: Callable[[Row], int] = lambda _row: 0,
    limits: Limits | None = None,
) -> Workbook:
    """Read a .csv or .xlsx file (from a path, or bytes labelled ``name`` whose suffix decides
    the format). ``score`` rates a row as a header, to choose a CSV delimiter. ``limits`` bounds
    the file's bytes, a workbook's decompressed size and shared strings, and each sheet's cells
    and columns (:class:`~safeguard_std.io.documents.Limits`)."""
    limits = limits or Limits()
    label = name or ("<spreadsheet>" if isinstance(source, bytes) else str(source))
    _, data = read_source(
        source, what="the file", error=SpreadsheetError, name=label, limits=limits
    )
    suffix = Path(label).suffix.lower()
    digest = hashlib.sha256(data).hexdigest()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(label, data, digest, limits)
    if suffix == ".xls":
        raise _fail(label, "old binary .xls workbooks are not read: save it as .xlsx or as CSV")
    if suffix in (".csv", ".txt", ".tsv", ""):
        return _csv(label, data, digest, score, limits)
    raise _fail(label, f"cannot import {suffix!r} files: expected .csv or .xlsx")


def _decode(label: str, data: bytes) -> tuple[str, str, tuple[Note, ...]]:
    if not data.strip():
        raise _fail(label, "the file is empty")
    if data.startswith(b"PK\x03\x04"):
        raise _fail(label, "this is a zipped workbook (.xlsx), not CSV text: name it .xlsx")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", ()
        except UnicodeDecodeError as exc:
            raise _fail(label, f"not UTF-16 text: invalid bytes at offset {exc.start}") from None
    if b"\x00" in data[:4096]:
        raise _fail(label, "not a text file (it holds NUL bytes)")
    try:
        return data.decode("utf-8-sig"), "utf-8", ()
    except UnicodeDecodeError as exc:
        offset = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _fail(
            label, f"not UTF-8 or Windows-1252 text: invalid byte at offset {offset}"
        ) from None
    warning = Note(
        Severity.WARNING,
        "file.windows_1252",
        f"the file is not UTF-8 (invalid byte at offset {offset}): read as Windows-1252, "
        "the encoding Excel on Windows uses for CSV; check accented names",
    )
    return text, "windows-1252", (warning,)


def _records(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out = []
    try:
        for row in reader:
            out.append(row)
            if limit is not None and len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def _delimiter(text: str, score: Callable[[Row], int], width: int) -> str:
    sample = text[:65536]
    best, best_key = ",", (-1, -1)
    for delimiter in _DELIMITERS:
        # A row wider than a sheet may be is refused when read; here it is only cut short.
        rows = [r[:width] for r in _records(sample, delimiter, _SAMPLE_ROWS)]
        header = max((score(r) for r in rows), default=0)
        widths = [len(r) for r in rows if any(c.strip() for c in r)]
        steady = max((widths.count(w) for w in set(widths)), default=0) if widths else 0
        wide = steady if widths and max(widths) > 1 else 0
        key = (header, wide)
        if key > best_key:
            best, best_key = delimiter, key
    return best


# A line and its ending as io.StringIO(newline="") splits them (\r\n, \r or \n), or a last
# line without one.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """The text's lines, one at a time: a StringIO would hold a four-byte-a-character copy of
    the whole file for as long as its rows are read."""
    return (m[0] for m in _LINE.finditer(text))


def _bounded(
    label: str, rows: Iterator[tuple[int, Row]], limits: Limits
) -> Iterator[tuple[int, Row]]:
    try:
        yield from bounded_rows(rows, limits)
    except SheetTooLarge as exc:
        raise _fail(label, str(exc)) from None


def _csv(
    label: str, data: bytes, digest: str, score: Callable[[Row], int], limits: Limits
) -> Workbook:
    text, encoding, notes = _decode(label, data)
    delimiter = _delimiter(text, score, limits.max_columns)

    def read() -> Iterator[tuple[int, Row]]:
        reader = csv.reader(_lines(text), delimiter=delimiter)
        number = 0
        try:
            for number, row in enumerate(reader, start=1):
                yield number, row
        except csv.Error as exc:
            raise _fail(label, f"CSV cannot be read after row {number}: {exc}") from None

    def rows() -> Iterator[tuple[int, Row]]:
        return _bounded(label, read(), limits)

    sheet = Sheet(name=None, rows=rows)
    return Workbook(label, "csv", digest, (sheet,), encoding, delimiter, notes)


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise MissingExtra("reading .xlsx files", "xlsx", "openpyxl") from None
    return openpyxl


def _xlsx(label: str, data: bytes, digest: str, limits: Limits) -> Workbook:
    openpyxl = _openpyxl()
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    try:
        check_workbook(data, limits)  # before openpyxl decompresses anything
    except SheetTooLarge as exc:
        raise _fail(label, str(exc)) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors alike
        raise _fail(label, f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    epoch: Epoch = "1904" if book.epoch == CALENDAR_MAC_1904 else "1900"
    sheets = []
    for ws in book.worksheets:

        def read(ws: Any = ws) -> Iterator[tuple[int, Row]]:
            ws.reset_dimensions()
            try:
                yield from enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)
            except Exception as exc:  # a damaged part surfaces only when its rows are read
                raise _fail(
                    label, f"not a readable .xlsx workbook ({type(exc).__name__})"
                ) from None

        def rows(ws: Any = ws) -> Iterator[tuple[int, Row]]:
            return _bounded(label, read(ws), limits)

        source = getattr(ws, "_get_source", None)
        meta = (lambda source=source: read_meta(source)) if source is not None else None
        sheets.append(
            Sheet(
                name=str(ws.title),
                rows=rows,
                epoch=epoch,
                hidden=ws.sheet_state != "visible",
                meta=meta,
            )
        )
    return Workbook(label, "xlsx", digest, tuple(sheets))
