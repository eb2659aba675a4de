"""Reading one sheet: find its header, read every row into a person or a rejection, and
report the sheet's columns, mixed date formats and missing information.

The hot path (each row and cell) lives here; what is worked out once a sheet lives beside it:
the context rows are read against (``_sheet_context``), what the columns say once every row
is read (``_sheet_columns``), and the built row with its status (``_sheet_row``)."""

from __future__ import annotations

import array
import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

import attrs

from safeguard_std.domain.organisation import Provider
from safeguard_std.domain.people import Person
from safeguard_std.importers._dates import DateReader, Order
from safeguard_std.importers._fields import FIELDS, Kind
from safeguard_std.importers._headers import Column, HeaderPlan, plan_sheet
from safeguard_std.importers._mapping import ScrMapping
from safeguard_std.importers._parsed import Parsed, Severity, reject
from safeguard_std.importers._result import (
    ColumnReport,
    Issue,
    Origin,
    OriginKeys,
    RowOrigins,
    SheetReport,
)
from safeguard_std.importers._rows import Cell, RowBuilder, RowContext, Value
from safeguard_std.importers._sheet_columns import column_notes, mixed_formats, sheet_report
from safeguard_std.importers._sheet_context import LAZY, row_context
from safeguard_std.importers._sheet_row import KeptRows, SheetRow, SpilledRows, row_status
from safeguard_std.importers._tables import Sheet
from safeguard_std.importers._values import (
    EXCEL_ERRORS,
    READERS,
    Reader,
    cell_text,
    role_type_of_words,
)
from safeguard_std.importers._xlsx_meta import NO_META, SheetMeta

__all__ = ["SheetRow", "SheetRun", "row_status"]

_HEAD_ROWS = 30
_CACHED = {
    Kind.BOOL,
    Kind.REGULATED,
    Kind.ROLE_TYPE,
    Kind.DBS_LEVEL,
    Kind.WORKFORCE,
    Kind.DISCLOSURE,
    Kind.JURISDICTION,
    Kind.STATUS_RESULT,
    Kind.REFEREE_KIND,
    Kind.DOCUMENTS,
    Kind.COUNT,
    Kind.RISK_KIND,
}
_UNIQUE = {Kind.NAME, Kind.STAFF_NUMBER, Kind.DBS_NUMBER}  # one person's own: never repeat


def filled_cells(row: Sequence[object]) -> list[int]:
    """The indexes of a row's cells that hold something (not empty, not only spaces)."""
    return [
        i
        for i, v in enumerate(row)
        if v is not None and v != "" and not (type(v) is str and v.isspace())
    ]


def _repeats_header(row: Sequence[object], filled: list[int], headers: list[str]) -> bool:
    """A copy of the header row (a page-break repeat) is not a person."""
    first = filled[0]
    if first >= len(headers) or not isinstance(row[first], str):
        return False
    if cell_text(row[first]).lower() != headers[first]:
        return False
    same = sum(
        1
        for i in filled
        if i < len(headers) and isinstance(row[i], str) and cell_text(row[i]).lower() == headers[i]
    )
    return same >= 2 and same * 2 >= len(filled)


def _cached(reader: Reader) -> Reader:
    cache: dict[object, Parsed] = {}

    def read(value: object) -> Parsed:
        key = (type(value), value)
        hit = cache.get(key)
        if hit is None:
            hit = reader(value)
            if len(cache) < 50_000:
                cache[key] = hit
        return hit

    return read


_EXCEL_ERROR = reject("cell.excel_error", "a spreadsheet error value, not data")


@attrs.frozen
class Reading:
    """What reading a sheet's rows needs to know of its header: the row after it, the mapped
    columns (and how many columns from the first are all mapped) and the header's texts."""

    first: int
    mapped: frozenset[int]
    all_mapped: int
    headers: list[str]

    @classmethod
    def of(cls, plan: HeaderPlan) -> Reading:
        """For a sheet with this header."""
        mapped = frozenset(c.index for c in plan.columns)
        return cls(
            plan.header_row + 1,
            mapped,
            next(i for i in itertools.count() if i not in mapped),
            [cell_text(c).lower() if c is not None else "" for c in plan.header_cells],
        )


#: Reads a sheet's rows (``SheetRun.read_between``) and gives the sheet's width.
Splitter = Callable[
    ["SheetRun", Reading, RowContext, Iterator[tuple[int, Sequence[object]]], int], int
]


def _lazy(value: object) -> Parsed:
    return Parsed(value=value)


@attrs.define
class SheetRun:
    sheet: Sheet
    mapping: ScrMapping
    as_of: dt.date | None
    provider: Provider
    taken_ids: set[str]
    # In memory, or written to a temporary file as they are built (SpilledRows).
    rows: KeptRows | SpilledRows = attrs.field(factory=KeptRows)
    issues: list[Issue] = attrs.field(factory=list)
    filled: Counter[int] = attrs.field(factory=Counter)
    problems: Counter[str] = attrs.field(factory=Counter)
    used: Counter[str] = attrs.field(factory=Counter)
    headers: dict[str, str] = attrs.field(factory=dict)
    formats: dict[str, Counter[str]] = attrs.field(factory=lambda: defaultdict(Counter))
    # Row numbers of ambiguous day/month cells that became evidence, per column (4 bytes each):
    # they are flagged only if the column turns out to mix formats, by reading them again.
    ambiguous: dict[str, array.array[int]] = attrs.field(
        factory=lambda: defaultdict(lambda: array.array("I"))
    )
    blank: int = 0
    headings: int = 0
    repeated: int = 0
    meta: SheetMeta = NO_META
    by_index: dict[int, tuple[str, str]] = attrs.field(factory=dict)
    keys: OriginKeys = attrs.field(factory=OriginKeys)
    # One object per distinct text: a record's dates, levels and marks repeat row after row,
    # and each row's cells are kept for provenance.
    strings: dict[str, str] = attrs.field(factory=dict)
    # Per mapped column: it, its index, letter, field, reader, and whether its texts repeat
    # (not names and numbers), looked up once per sheet rather than once per cell.
    reading: tuple[tuple[Column, int, str, str, Reader, bool, dict[object, Parsed]], ...] = ()
    date_readers: dict[tuple[Order, bool, bool], DateReader] = attrs.field(factory=dict)
    # Given, each person goes to it as its row is built and is not kept (PeopleOut.add).
    sink: Callable[[Person, RowOrigins | None], None] | None = None
    # Given, it reads the rows under the header (``read_between``), perhaps in two processes
    # (importers._split.TwoProcesses).
    split: Splitter | None = None

    @property
    def name(self) -> str | None:
        return self.sheet.name

    def sheet_issue(
        self,
        severity: Severity,
        code: str,
        message: str,
        column: Column | ColumnReport | None = None,
    ) -> None:
        letter = column.letter if column is not None else None
        header = column.header if column is not None else None
        self.issues.append(
            Issue(severity, code, message, sheet=self.name, column=letter, header=header)
        )

    def run(self) -> SheetReport:
        rows = self.sheet.rows()
        head = list(itertools.islice(rows, _HEAD_ROWS))
        rule = self.mapping.sheet(self.name)
        self.meta = self.sheet.meta() if self.sheet.meta is not None else NO_META
        plan = plan_sheet(head, self.mapping, rule.header_row, self.meta.hidden_columns)
        if plan is None:
            return self._no_header()
        ctx = row_context(self, plan, rule.defaults)
        readers = self._set_reading(plan)
        width = max((len(r) for _, r in head), default=0)
        width = self._read_rows(plan, ctx, itertools.chain(head, rows), width)
        mixed_formats(self, plan, readers)
        column_notes(self, plan, width)
        # What only reading the rows needed goes before the cross-row checks add their peak.
        self.date_readers.clear()
        self.strings = {}
        return sheet_report(self, plan, ctx)

    def _read_rows(
        self,
        plan: HeaderPlan,
        ctx: RowContext,
        rows: Iterable[tuple[int, Sequence[object]]],
        width: int,
    ) -> int:
        """Read every row under the header; the sheet's width (its widest row). A large sheet
        may be read by two processes (:attr:`split`), with the same result."""
        reading = Reading.of(plan)
        if self.split is not None:
            return self.split(self, reading, ctx, iter(rows), width)
        return self.read_between(reading, ctx, iter(rows), width)[0]

    def read_between(
        self,
        reading: Reading,
        ctx: RowContext,
        rows: Iterator[tuple[int, Sequence[object]]],
        width: int,
        section: Value | None = None,
        stop: int | None = None,
    ) -> tuple[int, Value | None, tuple[int, Sequence[object]] | None]:
        """Read the rows under the header from ``rows`` (in a section headed ``section``) up
        to row ``stop`` (the end, if ``None``): the width, the section the last row read was
        in, and the first row not read (at ``stop``), if any."""
        mapped, all_mapped, headers = reading.mapped, reading.all_mapped, reading.headers
        first = reading.first
        for number, row in rows:
            if number < first:
                continue
            if stop is not None and number >= stop:
                return width, section, (number, row)
            filled = filled_cells(row)
            if not filled:
                self.blank += 1
                continue
            heading = self._heading(number, row, filled) if len(filled) == 1 else None
            if heading is not None:
                section = heading
                continue
            if _repeats_header(row, filled, headers):
                self.repeated += 1
                continue
            width = max(width, len(row))
            if filled[-1] >= all_mapped:
                self._count_unmapped(filled, mapped)
            self._row(number, row, ctx, section)
        return width, section, None

    def section_at(
        self,
        reading: Reading,
        rows: Iterator[tuple[int, Sequence[object]]],
        stop: int,
        each: Callable[[Sequence[object], list[int]], None] | None = None,
    ) -> tuple[Value | None, tuple[int, Sequence[object]] | None]:
        """Pass over the rows before row ``stop`` reading none of them, only what heading
        rows they hold (giving each row under the header, and its filled cells, to ``each``):
        the section row ``stop`` is in, and row ``stop`` (or the first after it), if any."""
        section = None
        for number, row in rows:
            if number >= stop:
                return section, (number, row)
            if number < reading.first:
                continue
            filled = filled_cells(row)
            if each is not None:
                each(row, filled)
            if len(filled) == 1:
                section = self._heading(number, row, filled, count=False) or section
        return section, None

    def _set_reading(self, plan: HeaderPlan) -> dict[str, Reader]:
        readers = {c.letter: self._reader(c) for c in plan.columns}
        self.headers = {c.letter: c.header for c in plan.columns}
        self.by_index = {c.index: (c.letter, c.header) for c in plan.columns}
        self.reading = tuple(
            (
                c,
                c.index,
                c.letter,
                c.field,
                readers[c.letter],
                FIELDS[c.field].kind not in _UNIQUE,
                self._date_cache(c),
            )
            for c in plan.columns
        )
        return readers

    def _heading(
        self, number: int, row: Sequence[object], filled: list[int], *, count: bool = True
    ) -> Value | None:
        """A row whose one cell names a role ("Volunteers") heads a section: its value
        (counted among the sheet's heading rows unless ``count`` is false)."""
        cell = row[filled[0]]
        if not isinstance(cell, str):
            return None
        role = role_type_of_words(cell, sheet=True)
        if role is None:
            return None
        self.headings += count
        origin = Origin("section", raw=cell_text(cell), sheet=self.name, detail=f"row {number}")
        return Value(role, None, origin)

    def _count_unmapped(self, filled: list[int], mapped: frozenset[int]) -> None:
        for index in filled:
            if index not in mapped:
                self.filled[index] += 1

    def _no_header(self) -> SheetReport:
        issue = Issue(
            Severity.WARNING,
            "sheet.no_header",
            "no header row found in the first 30 rows (a header names the person and at least "
            "one check): sheet not imported",
            sheet=self.name,
        )
        return SheetReport(self.name, imported=False, reason="no header row", issues=(issue,))

    def _date_cache(self, column: Column) -> dict[object, Parsed]:
        """The cells a date column's reader has read (empty for other columns)."""
        owner = getattr(self._reader(column), "__self__", None)
        return owner.cache if isinstance(owner, DateReader) else {}

    def _reader(self, column: Column) -> Reader:
        spec = FIELDS[column.field]
        if column.field in LAZY:
            return _lazy
        if spec.kind in (Kind.DATE, Kind.CHECK):
            mdy = (column.date_order or self.mapping.date_order) == "mdy"
            order: Order = "mdy" if mdy else "dmy"
            # Columns read alike share one reader and its memory of cells: a record's dates
            # recur across its columns, and twelve caches of them were most of the peak.
            key = (order, spec.event, spec.kind is Kind.CHECK)
            reader = self.date_readers.get(key)
            if reader is None:
                reader = self.date_readers[key] = DateReader(
                    order=order,
                    epoch=self.sheet.epoch,
                    as_of=self.as_of,
                    event=spec.event,
                    marks=spec.kind is Kind.CHECK,
                )
            return reader.read
        base = READERS[spec.kind.value]
        return _cached(base) if spec.kind in _CACHED else base

    def _row(
        self, number: int, row: Sequence[object], ctx: RowContext, section: Value | None
    ) -> None:
        cells, parse_issues = self._cells(number, row)
        builder = RowBuilder(ctx, number, cells, section, self.taken_ids)
        builder.issues.extend(parse_issues)
        person = builder.build()
        origins = None
        if person is not None:
            origins = RowOrigins.pack(
                self.name, number, person.id, tuple(row), self.by_index, self.keys, builder.origins
            )
        pid = person.id if person is not None else None
        if person is not None and self.sink is not None:
            self.sink(person, origins)  # written out: the row keeps its id only
            person = origins = None
        record = SheetRow(self.name, number, builder.issues, person, origins=origins, person_id=pid)
        self.rows.append(record)
        for field, found in cells.items():
            cell = found[0]
            if cell.parsed.ambiguous and builder.cell(field) is cell:
                self.ambiguous[cell.column.letter].append(number)

    def _cells(
        self, number: int, row: Sequence[object]
    ) -> tuple[dict[str, list[Cell]], list[Issue]]:
        """The row's readable cells by field, and issues about how its cells read."""
        cells: dict[str, list[Cell]] = {}
        parse_issues: list[Issue] = []
        length = len(row)
        formulas = self.meta.unsaved_formulas
        used, new_cell = self.used, tuple.__new__
        for column, index, letter, field, read, repeat, known in self.reading:
            if index >= length:
                continue
            raw = row[index]
            if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                if formulas and (number, index) in formulas:
                    parse_issues.append(self._unsaved_formula(number, column))
                continue
            if repeat and type(raw) is str:
                raw = self._one_copy(row, index, raw)
            used[letter] += 1
            parsed = known.get(raw) if type(raw) is str else None
            if parsed is None:
                parsed = _read(raw, read)
            cell: Cell = new_cell(Cell, (column, raw, parsed))
            if parsed.notes:
                self._notes(number, cell, parse_issues)
            fmt = parsed.fmt
            if fmt is not None and (not parsed.rejected or fmt == "mdy"):
                self.formats[letter][fmt.rstrip("2")] += 1
            if not parsed.rejected:
                found = cells.get(field)
                if found is None:
                    cells[field] = [cell]
                else:
                    found.append(cell)
        return cells, parse_issues

    def _one_copy(self, row: Sequence[object], index: int, raw: str) -> str:
        """One object per distinct text in columns whose texts repeat."""
        strings = self.strings
        same = strings.get(raw)
        if same is None:
            if len(strings) < 100_000:
                strings[raw] = raw
            return raw
        if type(row) is list:
            row[index] = same
        return same

    def _notes(self, number: int, cell: Cell, into: list[Issue]) -> None:
        column = cell.column
        self.problems[column.letter] += 1
        personal = FIELDS[column.field].personal
        for note in cell.parsed.notes:
            into.append(
                Issue(
                    note.severity,
                    note.code,
                    note.message,
                    sheet=self.name,
                    row=number,
                    column=column.letter,
                    header=column.header,
                    field=column.field,
                    raw=cell.text,
                    personal=personal,
                )
            )

    def _unsaved_formula(self, number: int, column: Column) -> Issue:
        return Issue(
            Severity.WARNING,
            "cell.formula_no_value",
            "a formula whose value was never saved (the workbook was written by a program "
            f"that does not calculate): no {column.header} is read from it; open and save the "
            "file in Excel, or type the value",
            sheet=self.name,
            row=number,
            column=column.letter,
            header=column.header,
            field=column.field,
        )


def _read(raw: object, read: Reader) -> Parsed:
    if type(raw) is str and raw[:1] == "#" and raw.strip().upper() in EXCEL_ERRORS:
        return _EXCEL_ERROR
    return read(raw)
