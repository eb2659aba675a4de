"""``import_scr``: a single central record spreadsheet in, an evidence bundle and a full account
of every row out."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from safeguard_std.consistency import Inconsistency, check_consistency
from safeguard_std.consistency import Severity as ConsistencySeverity
from safeguard_std.domain.organisation import (
    EDUCATION_KINDS,
    EvidenceBundle,
    LegalForm,
    Provider,
    ProviderKind,
)
from safeguard_std.domain.people import Person, RoleType
from safeguard_std.exceptions import Location, MappingError, Problem, SpreadsheetError
from safeguard_std.importers._dates import FORMAT_NAMES, DateReader
from safeguard_std.importers._fields import FIELDS, Kind, group_of
from safeguard_std.importers._headers import Column, HeaderPlan, plan_sheet, score_row
from safeguard_std.importers._mapping import ScrMapping, load_mapping, read_default
from safeguard_std.importers._parsed import Mark, Parsed, Severity
from safeguard_std.importers._provider import ProviderFile, load_provider
from safeguard_std.importers._result import (
    ColumnReport,
    ColumnStatus,
    ImportResult,
    Issue,
    Origin,
    Provenance,
    RowOutcome,
    RowStatus,
    SheetReport,
    column_letter,
    summarise,
)
from safeguard_std.importers._rows import Cell, RowBuilder, RowContext, Value, sheet_records
from safeguard_std.importers._tables import Sheet, Workbook, read_workbook
from safeguard_std.importers._values import BOARD, READERS, Reader, cell_text, role_type_of_words

__all__ = ["import_scr"]

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
_BOARD_ROLES = {RoleType.GOVERNOR, RoleType.TRUSTEE, RoleType.DIRECTOR, RoleType.PROPRIETOR}
_HAS_BOARD = {
    LegalForm.CHARITY,
    LegalForm.SCHOOL_TRUST,
    LegalForm.COMPANY,
    LegalForm.COMMUNITY_INTEREST_COMPANY,
}
_GOVERNED = {ProviderKind.MAINTAINED_SCHOOL, ProviderKind.SPECIAL_SCHOOL}
_NOTABLE_GROUPS = ("identity", "right_to_work", "qualifications", "dbs", "reference1", "reference2")


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


def _lazy(value: object) -> Parsed:
    return Parsed(value=value)


@attrs.define
class _Row:
    number: int
    builder: RowBuilder
    person: Person | None
    status: RowStatus | None = None


@attrs.define
class _SheetRun:
    sheet: Sheet
    mapping: ScrMapping
    as_of: dt.date | None
    provider: Provider
    taken_ids: set[str]
    rows: list[_Row] = attrs.field(factory=list)
    issues: list[Issue] = attrs.field(factory=list)
    filled: Counter[int] = attrs.field(factory=Counter)
    problems: Counter[str] = attrs.field(factory=Counter)
    used: Counter[str] = attrs.field(factory=Counter)
    headers: dict[str, str] = attrs.field(factory=dict)
    formats: dict[str, Counter[str]] = attrs.field(factory=lambda: defaultdict(Counter))
    ambiguous: dict[str, list[tuple[_Row, Cell]]] = attrs.field(factory=lambda: defaultdict(list))
    blank: int = 0
    headings: int = 0
    repeated: int = 0

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
        plan = plan_sheet(head, self.mapping, rule.header_row)
        if plan is None:
            return self._no_header()
        ctx = self._context(plan, rule.defaults)
        readers = {c.letter: self._reader(c) for c in plan.columns}
        self.headers = {c.letter: c.header for c in plan.columns}
        mapped = {c.index for c in plan.columns}
        headers = [cell_text(c).lower() if c is not None else "" for c in plan.header_cells]
        width = max((len(r) for _, r in head), default=0)
        section: Value | None = None
        first = plan.header_row + 1
        for number, row in itertools.chain(head, rows):
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
            if len(filled) == 1 and isinstance(row[filled[0]], str):
                role = role_type_of_words(row[filled[0]], sheet=True)  # type: ignore[arg-type]
                if role is not None:
                    text = cell_text(row[filled[0]])
                    self.headings += 1
                    origin = Origin("section", raw=text, sheet=self.name, detail=f"row {number}")
                    section = Value(role, None, origin)
                    continue
            if _repeats_header(row, filled, headers):
                self.repeated += 1
                continue
            width = max(width, len(row))
            for index in filled:
                if index not in mapped:
                    self.filled[index] += 1
            self._row(number, row, plan, readers, ctx, section)
        self._mixed_formats()
        self._column_notes(plan, width)
        return self._report(plan, ctx)

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

    def _reader(self, column: Column) -> Reader:
        spec = FIELDS[column.field]
        if column.field in _LAZY:
            return _lazy
        if spec.kind in (Kind.DATE, Kind.CHECK):
            order = column.date_order or self.mapping.date_order
            reader = DateReader(
                order="mdy" if order == "mdy" else "dmy",
                epoch=self.sheet.epoch,
                as_of=self.as_of,
                event=spec.event,
                marks=spec.kind is Kind.CHECK,
            )
            return reader.read
        base = READERS[spec.kind.value]
        return _cached(base) if spec.kind in _CACHED else base

    def _row(
        self,
        number: int,
        row: Sequence[object],
        plan: HeaderPlan,
        readers: Mapping[str, Reader],
        ctx: RowContext,
        section: Value | None,
    ) -> None:
        cells: dict[str, list[Cell]] = {}
        parse_issues: list[Issue] = []
        length = len(row)
        for column in plan.columns:
            if column.index >= length:
                continue
            raw = row[column.index]
            if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                continue
            letter = column.letter
            self.used[letter] += 1
            parsed = readers[letter](raw)
            cell = Cell(column, raw, parsed)
            if parsed.notes:
                self.problems[letter] += 1
                personal = FIELDS[column.field].personal
                for note in parsed.notes:
                    parse_issues.append(
                        Issue(
                            note.severity,
                            note.code,
                            note.message,
                            sheet=self.name,
                            row=number,
                            column=letter,
                            header=column.header,
                            field=column.field,
                            raw=cell.text,
                            personal=personal,
                        )
                    )
            if parsed.fmt is not None and (not parsed.rejected or parsed.fmt == "mdy"):
                self.formats[letter][parsed.fmt.rstrip("2")] += 1
            if not parsed.rejected:
                found = cells.get(column.field)
                if found is None:
                    cells[column.field] = [cell]
                else:
                    found.append(cell)
        builder = RowBuilder(ctx, number, cells, section, self.taken_ids)
        builder.issues.extend(parse_issues)
        person = builder.build()
        record = _Row(number, builder, person)
        self.rows.append(record)
        for field, found in cells.items():
            cell = found[0]
            if cell.parsed.ambiguous and builder.cell(field) is cell:
                self.ambiguous[cell.column.letter].append((record, cell))

    def _mixed_formats(self) -> None:
        for letter, formats in sorted(self.formats.items()):
            # Written months ("3 Sept 2023") and month-year dates cannot be misread, so they
            # never make a column suspect; numbers in two orders, or typed text beside dates
            # a spreadsheet converted (a locale mix-up), do.
            families = {f: n for f, n in formats.items() if f not in ("month", "text")}
            found = self.ambiguous.get(letter, [])
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
            for record, cell in found:
                personal = FIELDS[cell.column.field].personal
                shown = "" if personal else f", as {cell.parsed.value.isoformat()}"
                record.builder.issue(
                    Severity.WARNING,
                    "date.ambiguous",
                    "day and month could be either way round, in a column that mixes date "
                    f"formats: read the UK way (day/month){shown}",
                    cell,
                )

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


def _status(row: _Row) -> RowStatus:
    """The row's status, once its issues are final (worked out once, then kept)."""
    if row.status is None:
        if row.person is None:
            row.status = _REJECTED
        elif any(i.severity is not _NOTE for i in row.builder.issues):
            row.status = _WARNED
        else:
            row.status = _IMPORTED
    return row.status


def _mapping(
    mapping: ScrMapping | Path | str | None, defaults: Mapping[str, str] | None
) -> ScrMapping:
    found = mapping if isinstance(mapping, ScrMapping) else ScrMapping()
    if isinstance(mapping, (Path, str)):
        found = load_mapping(mapping)
    if not defaults:
        return found
    problems = []
    for field, text in sorted(defaults.items()):
        if field not in FIELDS or FIELDS[field].kind is Kind.IGNORE:
            problems.append(Problem(f"unknown field {field!r}", Location("--default", (field,))))
            continue
        _value, reason = read_default(field, text, found.date_order)
        if reason is not None:
            problems.append(
                Problem(
                    f"cannot use {text!r} for {field}: {reason}", Location("--default", (field,))
                )
            )
    if problems:
        raise MappingError(problems, source="--default")
    return found.with_defaults(defaults)


def _choose(
    workbook: Workbook, wanted: Sequence[str] | None, mapping: ScrMapping
) -> list[tuple[Sheet, str | None]]:
    if wanted and workbook.format == "csv":
        raise SpreadsheetError(
            [Problem("--sheet was given, but a CSV file has no sheets", Location(workbook.label))],
            source=workbook.label,
        )
    names = {s.name.casefold(): s for s in workbook.sheets if s.name is not None}
    if wanted:
        missing = [w for w in wanted if w.casefold() not in names]
        if missing:
            have = ", ".join(repr(s.name) for s in workbook.sheets)
            raise SpreadsheetError(
                [
                    Problem(
                        f"no sheet named {m!r}; the workbook has {have}", Location(workbook.label)
                    )
                    for m in missing
                ],
                source=workbook.label,
            )
        chosen = {w.casefold() for w in wanted}
        return [
            (s, None if (s.name or "").casefold() in chosen else "not chosen with --sheet")
            for s in workbook.sheets
        ]
    out: list[tuple[Sheet, str | None]] = []
    for s in workbook.sheets:
        if mapping.sheet(s.name).skip:
            out.append((s, "skipped by the mapping"))
        elif s.hidden:
            out.append((s, "hidden sheet (name it with --sheet to import it)"))
        else:
            out.append((s, None))
    return out


def _attach_consistency(
    found: Sequence[Inconsistency], rows: dict[str, _Row], sheets: dict[str, str | None]
) -> list[Issue]:
    file_issues = []
    for item in found:
        severity = (
            Severity.ERROR if item.severity is ConsistencySeverity.ERROR else Severity.WARNING
        )
        message = item.message
        for other in item.related:
            row = rows.get(other)
            if row is not None:
                sheet = sheets.get(other)
                where = f"{sheet + ' ' if sheet else ''}row {row.number}"
                message = message.replace(other, f"{where} ({other})")
        row = rows.get(item.subject or "")
        if row is not None and item.path[:1] == ("people",):
            row.builder.issue(severity, item.code, message)
        else:
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in item.path)
            file_issues.append(Issue(severity, item.code, f"{message} (at ${path})"))
    return file_issues


def _board_issue(provider: Provider, people: Sequence[Person]) -> Issue | None:
    if provider.legal_form not in _HAS_BOARD and provider.kind not in EDUCATION_KINDS:
        return None
    if any(e.role_type in _BOARD_ROLES for p in people for e in p.engagements):
        return None
    return Issue(
        Severity.WARNING,
        "record.no_board",
        "no governors, trustees, directors or proprietors on the record, though a "
        f"{provider.legal_form.value.replace('_', ' ')} provider has a board: the single central "
        "record should include them",
    )


def _group_name(group: str) -> str:
    return group.replace("check.", "").replace("_", " ").replace("reference", "reference ")


def _differences(plans: dict[str | None, frozenset[str]]) -> list[Issue]:
    out = []
    groups = {
        name: {g for g in map(group_of, fields) if g in _NOTABLE_GROUPS or g.startswith("check.")}
        for name, fields in plans.items()
    }
    for name, own in groups.items():
        missing: dict[str, list[str]] = {}
        for other, theirs in groups.items():
            if other == name:
                continue
            for group in sorted(theirs - own):
                missing.setdefault(group, []).append(str(other))
        if missing:
            listed = "; ".join(
                f"{_group_name(g)} (on {', '.join(repr(s) for s in who)})"
                for g, who in sorted(missing.items())
            )
            out.append(
                Issue(
                    Severity.NOTE,
                    "sheet.columns_differ",
                    f"this sheet has no columns for checks other sheets record: {listed}",
                    sheet=name,
                )
            )
    return out


def import_scr(
    source: Path | str | bytes,
    *,
    provider: Path | str | bytes | Mapping[str, Any] | Provider,
    sheet: str | Sequence[str] | None = None,
    mapping: ScrMapping | Path | str | None = None,
    as_of: dt.date | None = None,
    defaults: Mapping[str, str] | None = None,
    name: str | None = None,
    provider_name: str | None = None,
    include_personal_data: bool = False,
) -> ImportResult:
    """Import a single central record (.csv or .xlsx) into an evidence bundle.

    ``provider`` is the provider file (or data, or a :class:`Provider`) holding what the record
    does not. ``sheet`` limits the import to the named sheet(s); ``mapping`` adds column
    meanings to the built-in synonyms; ``defaults`` gives values for fields no column gives
    (``{"dbs.level": "enhanced"}``). ``as_of`` lets the import refuse dates in the future and
    spot leavers; without it those checks are skipped and two-digit years are read with the
    POSIX rule (00-68 is 20xx).

    Raises :class:`~safeguard_std.exceptions.SpreadsheetError` (file unreadable, no sheet with a
    header), :class:`~safeguard_std.exceptions.MappingError`,
    :class:`~safeguard_std.exceptions.EvidenceError` (provider file) or
    :class:`~safeguard_std.exceptions.MissingExtra` (.xlsx without openpyxl). Problems in rows
    and cells never raise: every row has an outcome in the result.
    """
    with _collector_paused():
        return _import(
            source,
            provider=provider,
            sheet=sheet,
            mapping=mapping,
            as_of=as_of,
            defaults=defaults,
            name=name,
            provider_name=provider_name,
            include_personal_data=include_personal_data,
        )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while importing.

    An import allocates millions of small objects, none of them in reference cycles (frozen
    entities, tuples, the row's cells); reference counting frees them all. Left running, the
    cyclic collector rescans every live object each time enough have been allocated, which made
    100,000 rows take a minute instead of seconds. It is restored (if it was on) on the way out.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _import(
    source: Path | str | bytes,
    *,
    provider: Path | str | bytes | Mapping[str, Any] | Provider,
    sheet: str | Sequence[str] | None,
    mapping: ScrMapping | Path | str | None,
    as_of: dt.date | None,
    defaults: Mapping[str, str] | None,
    name: str | None,
    provider_name: str | None,
    include_personal_data: bool,
) -> ImportResult:
    plan_mapping = _mapping(mapping, defaults)
    provider_file = load_provider(
        provider, name=provider_name, include_personal_data=include_personal_data
    )
    workbook = read_workbook(source, name=name, score=lambda row: score_row(row, plan_mapping))
    wanted = [sheet] if isinstance(sheet, str) else list(sheet) if sheet else None
    taken = {p.id for p in provider_file.base.people}
    reports: list[SheetReport] = []
    runs: list[_SheetRun] = []
    plans: dict[str | None, frozenset[str]] = {}
    prov = provider_file.base.provider
    for candidate, skip in _choose(workbook, wanted, plan_mapping):
        if skip is not None:
            note = Issue(
                Severity.NOTE, "sheet.skipped", f"not imported: {skip}", sheet=candidate.name
            )
            reports.append(SheetReport(candidate.name, imported=False, reason=skip, issues=(note,)))
            continue
        run = _SheetRun(candidate, plan_mapping, as_of, prov, taken)
        report = run.run()
        reports.append(report)
        if report.imported:
            runs.append(run)
            plans[candidate.name] = frozenset(
                c.field
                for c in report.columns
                if c.status is ColumnStatus.MAPPED and c.field is not None
            )
    if not runs:
        raise SpreadsheetError(
            [
                Problem(
                    "no sheet has a header row naming the person and at least one check",
                    Location(workbook.label),
                )
            ],
            source=workbook.label,
        )
    return _finish(
        workbook, plan_mapping, provider_file, runs, reports, plans, as_of, include_personal_data
    )


def _finish(
    workbook: Workbook,
    mapping: ScrMapping,
    provider_file: ProviderFile,
    runs: list[_SheetRun],
    reports: list[SheetReport],
    plans: dict[str | None, frozenset[str]],
    as_of: dt.date | None,
    include_personal_data: bool,
) -> ImportResult:
    rows = [r for run in runs for r in run.rows]
    people = tuple(r.person for r in rows if r.person is not None)
    by_id = {r.person.id: r for r in rows if r.person is not None}
    sheet_of = {r.person.id: run.name for run in runs for r in run.rows if r.person is not None}
    bundle = provider_file.attach(people, include_personal_data=include_personal_data)
    file_issues = [Issue(n.severity, n.code, n.message) for n in workbook.notes]
    file_issues += _attach_consistency(check_consistency(bundle, as_of=as_of), by_id, sheet_of)
    board = _board_issue(bundle.provider, bundle.people)
    if board is not None:
        file_issues.append(board)
    differences = _differences(plans) if len(plans) > 1 else []
    if differences:
        reports = [
            attrs.evolve(
                rep, issues=rep.issues + tuple(d for d in differences if d.sheet == rep.name)
            )
            for rep in reports
        ]
    outcomes = tuple(
        RowOutcome(
            run.name,
            r.number,
            _status(r),
            r.person.id if r.person else None,
            tuple(r.builder.issues),
        )
        for run in runs
        for r in run.rows
    )
    reports = [_recount(rep, outcomes) for rep in reports]
    origins: dict[str, dict[str, tuple[Value, ...]]] = {}
    for r in rows:
        if r.person is not None:
            origins.update(r.builder.origins)
    source = {
        "file": workbook.label,
        "format": workbook.format,
        "sha256": workbook.sha256,
        "encoding": workbook.encoding,
        "delimiter": workbook.delimiter,
        "sheets": [rep.name for rep in reports if rep.imported],
        "mapping": mapping.source,
        "provider_file": provider_file.source,
        "as_of": as_of.isoformat() if as_of else None,
    }
    columns = {
        run.name or "": {letter: header for letter, header in sorted(run.headers.items())}
        for run in runs
    }
    provenance = Provenance({k: v for k, v in source.items() if v is not None}, origins, columns)
    summary = summarise(
        outcomes,
        tuple(reports),
        tuple(file_issues),
        EvidenceBundle(id=bundle.id, provider=bundle.provider, people=people),
    )
    return ImportResult(
        bundle, outcomes, tuple(reports), tuple(file_issues), summary, provenance, as_of
    )


def _recount(report: SheetReport, outcomes: Sequence[RowOutcome]) -> SheetReport:
    if not report.imported:
        return report
    mine = [o for o in outcomes if o.sheet == report.name]
    statuses = Counter(o.status for o in mine)
    return attrs.evolve(
        report,
        rows_imported=statuses[RowStatus.IMPORTED] + statuses[RowStatus.IMPORTED_WITH_WARNINGS],
        rows_with_warnings=statuses[RowStatus.IMPORTED_WITH_WARNINGS],
        rows_rejected=statuses[RowStatus.REJECTED],
    )
