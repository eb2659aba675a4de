"""Reading spreadsheet files into sheets of rows: CSV with the standard library, XLSX through
openpyxl (an optional extra, imported only when an .xlsx file is read).

CSV: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (Excel's "Unicode
text"), or, failing UTF-8, Windows-1252 with a warning (what Excel on Windows writes as "CSV").
The delimiter is chosen by reading the first rows with each of ``,`` ``;`` tab and ``|`` and
keeping the one under which most header cells are recognised.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Literal

import attrs

from safeguard_std.exceptions import Location, MissingExtra, Problem, SpreadsheetError
from safeguard_std.importers._parsed import Note, Severity
from safeguard_std.importers._xlsx_meta import SheetMeta, read_meta
from safeguard_std.io._bounded import SheetTooLarge, bounded_rows, check_workbook
from safeguard_std.io._limits import too_large
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
    # About how many rows the sheet has (a CSV file's line breaks), if known without reading
    # them: what decides whether two processes share the rows (importers._split).
    rows_hint: int | None = None


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
    and columns (:class:`~safeguard_std.io.documents.Limits`).

    A CSV file on disk is never held whole: it is read once to check its size, encoding and
    fingerprint, then its rows are decoded a line at a time each time they are read (and the
    fingerprint checked again, so a file changed in the meantime is refused, not imported half
    old, half new)."""
    limits = limits or Limits()
    label = name or ("<spreadsheet>" if isinstance(source, bytes) else str(source))
    suffix = Path(label).suffix.lower()
    csv_file = suffix in (".csv", ".txt", ".tsv", "")
    if csv_file and not isinstance(source, bytes) and _regular_file(source):
        return _csv(label, _CsvBytes.of_file(label, source, limits), score, limits)
    _, data = read_source(
        source, what="the file", error=SpreadsheetError, name=label, limits=limits
    )
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(label, data, hashlib.sha256(data).hexdigest(), limits)
    if suffix == ".xls":
        raise _fail(label, "old binary .xls workbooks are not read: save it as .xlsx or as CSV")
    if csv_file:
        return _csv(label, _CsvBytes.of_bytes(label, data), score, limits)
    raise _fail(label, f"cannot import {suffix!r} files: expected .csv or .xlsx")


def _regular_file(path: Path | str) -> bool:
    """Whether ``path`` is a regular file (one that can be read twice); a pipe or a device is
    read once, into memory, as before."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False  # read_source reports it


_CHUNK = 1 << 20


@attrs.frozen
class _CsvBytes:
    """A CSV file's bytes, opened afresh for each reading: the file itself (checked against its
    fingerprint each time), or bytes already in memory. ``encoding`` is how to decode them."""

    label: str
    opener: Callable[[], BinaryIO]
    sha256: str
    encoding: str  # the codec: utf-8-sig, utf-16 or cp1252
    name: str  # as the provenance names it: utf-8, utf-16 or windows-1252
    notes: tuple[Note, ...]
    lines: int = 0  # about how many lines (records are lines, unless a cell holds a break)

    @classmethod
    def of_bytes(cls, label: str, data: bytes) -> _CsvBytes:
        """Bytes in memory (a pipe, or bytes given to the API)."""
        scan = _Scan(label)
        scan.feed(data)
        codec, name, notes = scan.finish()
        return cls(
            label,
            lambda: io.BytesIO(data),
            scan.sha.hexdigest(),
            codec,
            name,
            notes,
            scan.rows_about(),
        )

    @classmethod
    def of_file(cls, label: str, path: Path | str, limits: Limits) -> _CsvBytes:
        """A regular file: read once, a block at a time, for its size, encoding and digest."""
        scan = _Scan(label)
        size = 0
        try:
            with open(path, "rb") as handle:
                while block := handle.read(_CHUNK):
                    size += len(block)
                    if size > limits.max_bytes:
                        raise _fail(label, too_large(limits.max_bytes, "bytes"))
                    scan.feed(block)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise SpreadsheetError(
                [Problem(f"cannot read the file: {reason}", Location(label))], source=label
            ) from exc
        codec, name, notes = scan.finish()
        digest = scan.sha.hexdigest()
        return cls(
            label,
            lambda: io.BufferedReader(_Checked(label, path, digest)),
            digest,
            codec,
            name,
            notes,
            scan.rows_about(),
        )

    def text(self) -> io.TextIOWrapper:
        """The file decoded, read a block at a time; lines split at ``\\r\\n``, ``\\r`` or
        ``\\n`` and kept whole, as the csv module wants them."""
        return io.TextIOWrapper(self.opener(), encoding=self.encoding, newline="")


class _Checked(io.RawIOBase):
    """A file read from its start, hashed as it is read: at its end the digest must be the one
    the file had when the import began."""

    def __init__(self, label: str, path: Path | str, digest: str) -> None:
        self._label, self._digest = label, digest
        try:
            self._file = open(path, "rb", buffering=0)  # noqa: SIM115 (closed by close())
        except OSError as exc:
            raise self._unreadable(exc) from None
        self._sha = hashlib.sha256()

    def _unreadable(self, exc: OSError) -> SpreadsheetError:
        reason = exc.strerror or type(exc).__name__
        return _fail(
            self._label,
            f"the file could not be read again while it was being imported ({reason}): "
            "nothing was written",
        )

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            got = self._file.readinto(buffer)
        except OSError as exc:
            raise self._unreadable(exc) from None
        if got:
            self._sha.update(memoryview(buffer)[:got])
        elif self._sha.hexdigest() != self._digest:
            raise _fail(
                self._label,
                "the file changed while it was being imported: nothing was written; "
                "import it again once it is saved",
            )
        return got or 0

    def close(self) -> None:
        self._file.close()
        super().close()


class _Scan:
    """What one pass over a CSV file's bytes tells: its digest, whether it is text, and its
    encoding (the first invalid UTF-8 byte, if any, and whether Windows-1252 reads it)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.sha = hashlib.sha256()
        self.head = b""  # the first 4,096 bytes
        self.size = 0
        self.lines = 0  # line breaks (\n, or \r alone in a file that has no \n)
        self._cr = 0
        self.blank = True
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.bad_utf8: int | None = None
        self.bad_cp1252 = False
        self.utf16: codecs.IncrementalDecoder | None = None  # for a file with a UTF-16 BOM
        self.bad_utf16: int | None = None

    def feed(self, block: bytes) -> None:
        if len(self.head) < 4096:
            self.head += block[: 4096 - len(self.head)]
            if self.head.startswith((b"\xff\xfe", b"\xfe\xff")) and self.utf16 is None:
                self.utf16 = codecs.getincrementaldecoder("utf-16")()
        self.sha.update(block)
        self.lines += block.count(b"\n")
        self._cr += block.count(b"\r")
        self.blank = self.blank and not block.strip()
        if self.utf16 is not None and self.bad_utf16 is None:
            try:
                self.utf16.decode(block)
            except UnicodeDecodeError as exc:
                self.bad_utf16 = self._offset(exc, block)
        if self.bad_utf8 is None:
            try:
                self.utf8.decode(block)
            except UnicodeDecodeError as exc:
                self.bad_utf8 = self._offset(exc, block)
        if not self.bad_cp1252:
            self.bad_cp1252 = any(b in block for b in _UNDEFINED_CP1252)
        self.size += len(block)

    def rows_about(self) -> int:
        """About how many rows the file holds: its lines (a UTF-16 file's are counted by the
        byte, so roughly; a quoted cell with a line break makes one row of two lines)."""
        return (self.lines or self._cr) + 1

    def _offset(self, exc: UnicodeDecodeError, block: bytes) -> int:
        """The bad byte's offset in the file: the decoder's object is its buffered bytes of
        the previous block, then this one."""
        return self.size - (len(exc.object) - len(block)) + exc.start

    def finish(self) -> tuple[str, str, tuple[Note, ...]]:
        """The codec, the encoding's name and what to say about it; or the file is refused."""
        label, head = self.label, self.head
        if self.blank:
            raise _fail(label, "the file is empty")
        if head.startswith(b"PK\x03\x04"):
            raise _fail(label, "this is a zipped workbook (.xlsx), not CSV text: name it .xlsx")
        if self.utf16 is not None:
            if self.bad_utf16 is None:
                try:
                    self.utf16.decode(b"", final=True)
                except UnicodeDecodeError as exc:
                    self.bad_utf16 = self._offset(exc, b"")
            if self.bad_utf16 is not None:
                raise _fail(label, f"not UTF-16 text: invalid bytes at offset {self.bad_utf16}")
            return "utf-16", "utf-16", ()
        if b"\x00" in head:
            raise _fail(label, "not a text file (it holds NUL bytes)")
        if self.bad_utf8 is None:
            try:
                self.utf8.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                self.bad_utf8 = self._offset(exc, b"")
        if self.bad_utf8 is None:
            return "utf-8-sig", "utf-8", ()
        offset = self.bad_utf8
        if self.bad_cp1252:
            raise _fail(label, f"not UTF-8 or Windows-1252 text: invalid byte at offset {offset}")
        warning = Note(
            Severity.WARNING,
            "file.windows_1252",
            f"the file is not UTF-8 (invalid byte at offset {offset}): read as Windows-1252, "
            "the encoding Excel on Windows uses for CSV; check accented names",
        )
        return "cp1252", "windows-1252", (warning,)


# The five bytes Windows-1252 leaves undefined (Python's codec refuses them).
_UNDEFINED_CP1252 = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


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


def _bounded(
    label: str, rows: Iterator[tuple[int, Row]], limits: Limits
) -> Iterator[tuple[int, Row]]:
    try:
        yield from bounded_rows(rows, limits)
    except SheetTooLarge as exc:
        raise _fail(label, str(exc)) from None


def _csv(label: str, source: _CsvBytes, score: Callable[[Row], int], limits: Limits) -> Workbook:
    with source.text() as text:
        sample = text.read(65536)
    delimiter = _delimiter(sample, score, limits.max_columns)

    def read() -> Iterator[tuple[int, Row]]:
        number = 0
        with source.text() as text:
            reader = csv.reader(text, delimiter=delimiter)
            try:
                for number, row in enumerate(reader, start=1):
                    yield number, row
            except csv.Error as exc:
                raise _fail(label, f"CSV cannot be read after row {number}: {exc}") from None

    def rows() -> Iterator[tuple[int, Row]]:
        return _bounded(label, read(), limits)

    sheet = Sheet(name=None, rows=rows, rows_hint=source.lines)
    return Workbook(label, "csv", source.sha256, (sheet,), source.name, delimiter, source.notes)


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
