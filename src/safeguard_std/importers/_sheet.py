"""Reading one sheet: find its header, read every row into a person or a rejection, and
report the sheet's columns, mixed date formats and missing information."""

from __future__ import annotations

import array
import datetime as dt
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

import attrs

from safeguard_std.domain.organisation import (
    Provider,
    ProviderKind,
)
from safeguard_std.domain.people import Person, RoleType
from safeguard_std.importers._dates import FORMAT_NAMES, DateReader, Order
from safeguard_std.importers._fields import FIELDS, Kind, group_of
from safeguard_std.importers._headers import Column, HeaderPlan, plan_sheet
from safeguard_std.importers._mapping import ScrMapping, read_default
from safeguard_std.importers._parsed import Mark, Parsed, Severity, reject
from safeguard_std.importers._result import (
    ColumnReport,
    ColumnStatus,
    Issue,
    Origin,
    OriginKeys,
    RowOrigins,
    RowStatus,
    SheetReport,
    column_letter,
)
from safeguard_std.importers._rows import Cell, RowBuilder, RowContext, Value, sheet_records
from safeguard_std.importers._tables import Sheet
from safeguard_std.importers._values import (
    BOARD,
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
_LAZY = {"dbs.certificate_number"}
_UNIQUE = {Kind.NAME, Kind.STAFF_NUMBER, Kind.DBS_NUMBER}  # one person's own: never repeat
_GOVERNED = {ProviderKind.MAINTAINED_SCHOOL, ProviderKind.SPECIAL_SCHOOL}


def _blank(value: object) -> bool:
    return value is None or value == "" or (type(value) is str and value.isspace())


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


def _slug(name: str | None) -> str:
    if name is None:
        return ""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "sheet"


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


def _lazy(value: object) -> Parsed:
    return Parsed(value=value)


@attrs.define
class SheetRow:
    """A row once built: its person, issues and origins (not the builder and its working
    state, which go as soon as the row is built)."""

    sheet: str | None
    number: int
    issues: list[Issue]
    person: Person | None
    status: RowStatus | None = None
    origins: RowOrigins | None = None

    def issue(self, severity: Severity, code: str, message: str, cell: Cell | None = None) -> None:
        """Add an issue found after the row was built (as ``RowReader.issue`` words it)."""
        if cell is None:
            self.issues.append(Issue(severity, code, message, sheet=self.sheet, row=self.number))
            return
        column = cell.column
        spec = FIELDS.get(column.field)
        self.issues.append(
            Issue(
                severity,
                code,
                message,
                sheet=self.sheet,
                row=self.number,
                column=column.letter,
                header=column.header,
                field=column.field,
                raw=cell.text,
                personal=bool(spec and spec.personal),
            )
        )


@attrs.define
class SheetRun:
    sheet: Sheet
    mapping: ScrMapping
    as_of: dt.date | None
    provider: Provider
    taken_ids: set[str]
    rows: list[SheetRow] = attrs.field(factory=list)
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
        ctx = self._context(plan, rule.defaults)
        readers = self._set_reading(plan)
        width = max((len(r) for _, r in head), default=0)
        width = self._read_rows(plan, ctx, itertools.chain(head, rows), width)
        self._mixed_formats(plan, readers)
        self._column_notes(plan, width)
        # What only reading the rows needed goes before the cross-row checks add their peak.
        self.date_readers.clear()
        self.strings = {}
        return self._report(plan, ctx)

    def _read_rows(
        self,
        plan: HeaderPlan,
        ctx: RowContext,
        rows: Iterable[tuple[int, Sequence[object]]],
        width: int,
    ) -> int:
        """Read every row under the header; the sheet's width (its widest row)."""
        mapped = {c.index for c in plan.columns}
        all_mapped = next(i for i in itertools.count() if i not in mapped)  # columns before it
        headers = [cell_text(c).lower() if c is not None else "" for c in plan.header_cells]
        section: Value | None = None
        first = plan.header_row + 1
        for number, row in rows:
            if number < first:
                continue
            filled = [
                i
                for i, v in enumerate(row)
                if v is not None and v != "" and not (type(v) is str and v.isspace())
            ]
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
        return width

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

    def _heading(self, number: int, row: Sequence[object], filled: list[int]) -> Value | None:
        """A row whose one cell names a role ("Volunteers") heads a section: its value."""
        cell = row[filled[0]]
        if not isinstance(cell, str):
            return None
        role = role_type_of_words(cell, sheet=True)
        if role is None:
            return None
        self.headings += 1
        origin = Origin("section", raw=cell_text(cell), sheet=self.name, detail=f"row {number}")
        return Value(role, None, origin)

    def _count_unmapped(self, filled: list[int], mapped: set[int]) -> None:
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

    def _context(self, plan: HeaderPlan, sheet_defaults: tuple[tuple[str, str], ...]) -> RowContext:
        order = self.mapping.date_order
        defaults: dict[str, Value] = {}
        label = self.mapping.source or "defaults"
        for field, text in (*self.mapping.defaults, *sheet_defaults):
            value, _ = read_default(field, text, order)
            mark = value if isinstance(value, Mark) else None
            origin = Origin("default", raw=text, detail=f"{label}: {field}")
            defaults[field] = Value(None if mark else value, mark, origin)
        sheet_role = None
        if any(f == "engagement.role_type" for f, _ in sheet_defaults):
            sheet_role = defaults.pop("engagement.role_type")
            global_role = dict(self.mapping.defaults).get("engagement.role_type")
            if global_role is not None:
                value, _ = read_default("engagement.role_type", global_role, order)
                origin = Origin("default", raw=global_role, detail=f"{label}: engagement.role_type")
                defaults["engagement.role_type"] = Value(value, None, origin)
        elif self.name is not None:
            role = role_type_of_words(self.name, sheet=True)
            if role is not None:
                sheet_role = Value(role, None, Origin("sheet", raw=self.name, sheet=self.name))
        implied: dict[str, Value] = {}
        for column in plan.columns:
            for field, text in column.implies:
                value, _ = read_default(field, text, order)
                origin = Origin(
                    "header",
                    raw=text,
                    sheet=self.name,
                    header=column.header,
                    detail=f"implied by column {column.letter}",
                )
                implied.setdefault(field, Value(value, None, origin))
        board = RoleType.GOVERNOR if self.provider.kind in _GOVERNED else RoleType.TRUSTEE
        fields = plan.fields
        available = frozenset(fields | set(implied) | set(defaults))
        suitability, courses, risks = sheet_records(available)
        dated = tuple(
            c.field
            for c in plan.columns
            if FIELDS[c.field].kind in (Kind.DATE, Kind.CHECK) and c.field not in _LAZY
        )
        ctx = RowContext(
            sheet=self.name,
            sheet_slug=_slug(self.name),
            as_of=self.as_of,
            defaults=defaults,
            implied=implied,
            sheet_role=sheet_role,
            board_role=board,
            columns=fields,
            available=available,
            suitability=suitability,
            courses=courses,
            risks=risks,
            dated=tuple(dict.fromkeys(dated)),
            events=frozenset(f for f in dated if FIELDS[f].event),
            groups=frozenset(f.split(".")[0] for f in available),
            fallback={**defaults, **implied},
        )
        self._sheet_notes(ctx, fields)
        return ctx

    def _sheet_notes(self, ctx: RowContext, fields: frozenset[str]) -> None:
        if ctx.sheet_role is not None and ctx.sheet_role.value == BOARD:
            self.sheet_issue(
                Severity.NOTE,
                "sheet.board_role",
                f"the sheet names governors and trustees together: its people are read as "
                f"{ctx.board_role.value}s, as the provider's kind is "
                f"{self.provider.kind.value!r} (maintained schools have governors, others "
                "trustees); give a role type column or a sheet role_type in a mapping to say "
                "otherwise",
            )
        has_role = (
            "engagement.role_type" in fields
            or ctx.sheet_role
            or "engagement.role_type" in ctx.defaults
        )
        if not has_role:
            self.sheet_issue(
                Severity.WARNING,
                "sheet.no_role_type",
                "nothing says each person's role type (no role type column, the sheet name is "
                "not a role, no default): rows without a section heading are rejected; add "
                "--default engagement.role_type=employee or a 'Staff type' column",
            )
        if (
            "engagement.regulated_activity" not in fields
            and "engagement.regulated_activity" not in ctx.defaults
        ):
            self.sheet_issue(
                Severity.WARNING,
                "sheet.regulated_activity_unknown",
                "no column says who is in regulated activity: every engagement on this sheet is "
                "recorded as 'unknown', so requirements for regulated activity cannot be judged "
                "(add a column, or --default engagement.regulated_activity=yes)",
            )
        dbs = any(group_of(f) == "dbs" for f in fields)
        level = "dbs.level" in fields or "dbs.level" in ctx.implied or "dbs.level" in ctx.defaults
        if dbs and not level:
            self.sheet_issue(
                Severity.WARNING,
                "sheet.no_dbs_level",
                "DBS columns but nothing records the level of the checks: DBS checks on this "
                "sheet cannot be imported (add a 'DBS level' column, or --default "
                "dbs.level=enhanced if every check is enhanced)",
            )

    def _date_cache(self, column: Column) -> dict[object, Parsed]:
        """The cells a date column's reader has read (empty for other columns)."""
        owner = getattr(self._reader(column), "__self__", None)
        return owner.cache if isinstance(owner, DateReader) else {}

    def _reader(self, column: Column) -> Reader:
        spec = FIELDS[column.field]
        if column.field in _LAZY:
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
        record = SheetRow(self.name, number, builder.issues, person, origins=origins)
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

    def _mixed_formats(self, plan: HeaderPlan, readers: Mapping[str, Reader]) -> None:
        for letter, formats in sorted(self.formats.items()):
            # Written months ("3 Sept 2023") and month-year dates cannot be misread, so they
            # never make a column suspect; numbers in two orders, or typed text beside dates
            # a spreadsheet converted (a locale mix-up), do.
            families = {f: n for f, n in formats.items() if f not in ("month", "text")}
            found: Sequence[int] = self.ambiguous.get(letter) or ()
            if len(families) < 2:
                continue
            listed = ", ".join(
                f"{FORMAT_NAMES.get(f, f)} ({n})" for f, n in sorted(families.items())
            )
            if found:
                severity = Severity.WARNING
                tail = (
                    f"{len(found)} dates that could be read either way round were read the UK "
                    "way (day/month) and are flagged"
                )
            else:
                severity = Severity.NOTE
                tail = "no date in it could be read either way round"
            self.issues.append(
                Issue(
                    severity,
                    "column.mixed_date_formats",
                    f"the column mixes date formats: {listed}; {tail}",
                    sheet=self.name,
                    column=letter,
                    header=self.headers.get(letter),
                )
            )
            for record, cell in self._cells_again(plan, readers, letter, found):
                personal = FIELDS[cell.column.field].personal
                shown = "" if personal else f", as {cell.parsed.value.isoformat()}"
                record.issue(
                    Severity.WARNING,
                    "date.ambiguous",
                    "day and month could be either way round, in a column that mixes date "
                    f"formats: read the UK way (day/month){shown}",
                    cell,
                )

    def _cells_again(
        self, plan: HeaderPlan, readers: Mapping[str, Reader], letter: str, numbers: Sequence[int]
    ) -> list[tuple[SheetRow, Cell]]:
        """The cells at ``numbers`` in column ``letter``, read again from the sheet (rare: only
        for a column that mixes date formats), with their rows."""
        column = next(c for c in plan.columns if c.letter == letter)
        wanted = set(numbers)
        records = {r.number: r for r in self.rows if r.number in wanted}
        out = []
        for number, row in self.sheet.rows():
            record = records.get(number)
            if record is not None and column.index < len(row):
                raw = row[column.index]
                out.append((record, Cell(column, raw, readers[letter](raw))))
        return out

    def _column_notes(self, plan: HeaderPlan, width: int) -> None:
        mapped_letters = {c.letter for c in plan.report}
        for report in plan.report:
            index = _index(report.letter)
            filled = self.filled.get(index, 0)
            if report.status is ColumnStatus.UNMAPPED:
                severity = Severity.WARNING if filled else Severity.NOTE
                self.sheet_issue(
                    severity,
                    "column.unmapped",
                    f"header not recognised: {filled} filled cells not imported (map it with "
                    "--mapping, or map it to 'ignore')",
                    report,
                )
            elif report.status is ColumnStatus.DUPLICATE and filled:
                self.sheet_issue(
                    Severity.WARNING,
                    "column.duplicate",
                    f"{report.reason}: {filled} filled cells in this column not imported",
                    report,
                )
            elif report.status is ColumnStatus.NOT_MODELLED and filled:
                self.sheet_issue(
                    Severity.NOTE,
                    "column.not_modelled",
                    f"{filled} filled cells not imported: {report.reason}",
                    report,
                )
            elif report.status is ColumnStatus.HIDDEN and filled:
                self.sheet_issue(
                    Severity.WARNING,
                    "column.hidden",
                    f"a hidden column with {filled} filled cells: not imported, as "
                    f"{report.reason} (unhide it and remove one of the two if it matters)",
                    report,
                )
            elif (
                report.status is ColumnStatus.MAPPED
                and index in self.meta.hidden_columns
                and self.used.get(report.letter, 0)
            ):
                self.sheet_issue(
                    Severity.NOTE,
                    "column.hidden_imported",
                    f"a hidden column: imported, as no visible column gives {report.field}",
                    report,
                )
            elif report.status is ColumnStatus.IGNORED and filled:
                self.sheet_issue(
                    Severity.NOTE, "column.ignored", f"{filled} filled cells ignored", report
                )
        for index in range(width):
            letter = column_letter(index)
            if letter not in mapped_letters and self.filled.get(index, 0):
                self.issues.append(
                    Issue(
                        Severity.WARNING,
                        "column.no_header",
                        f"{self.filled[index]} filled cells under no header: not imported",
                        sheet=self.name,
                        column=letter,
                    )
                )
        for column in plan.columns:
            counts = self.formats.get(column.letter, Counter())
            if counts.get("serial") and self.sheet.epoch is None:
                self.sheet_issue(
                    Severity.WARNING,
                    "column.excel_serials",
                    f"{counts['serial']} cells are Excel date numbers, read in Excel's 1900 "
                    "date system (from a workbook saved in the 1904 system they would be 4 "
                    "years and a day later)",
                    column,
                )

    def _report(self, plan: HeaderPlan, ctx: RowContext) -> SheetReport:
        columns = []
        for report in plan.report:
            if report.status is ColumnStatus.MAPPED:
                filled = self.used.get(report.letter, 0)
            else:
                filled = self.filled.get(_index(report.letter), 0)
            problems = self.problems.get(report.letter, 0)
            columns.append(attrs.evolve(report, filled=filled, problems=problems))
        # Row counts are filled in by _recount, once cross-row checks have added their issues.
        return SheetReport(
            name=self.name,
            imported=True,
            header_row=plan.header_row,
            group_row=plan.group_row,
            role_type=ctx.sheet_role.value if ctx.sheet_role else None,
            columns=tuple(columns),
            rows_read=len(self.rows),
            blank_rows=self.blank,
            heading_rows=self.headings,
            repeated_header_rows=self.repeated,
            issues=tuple(self.issues),
        )


def _read(raw: object, read: Reader) -> Parsed:
    if type(raw) is str and raw[:1] == "#" and raw.strip().upper() in EXCEL_ERRORS:
        return _EXCEL_ERROR
    return read(raw)


def _index(letter: str) -> int:
    value = 0
    for ch in letter:
        value = value * 26 + ord(ch) - 64
    return value - 1


_NOTE = Severity.NOTE
_REJECTED, _WARNED, _IMPORTED = (
    RowStatus.REJECTED,
    RowStatus.IMPORTED_WITH_WARNINGS,
    RowStatus.IMPORTED,
)


def row_status(row: SheetRow) -> RowStatus:
    """The row's status, once its issues are final (worked out once, then kept)."""
    if row.status is None:
        if row.person is None:
            row.status = _REJECTED
        elif any(i.severity is not _NOTE for i in row.issues):
            row.status = _WARNED
        else:
            row.status = _IMPORTED
    return row.status
