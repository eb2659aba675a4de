"""``import_scr``: a single central record spreadsheet in, an evidence bundle and a full account
of every row out."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from safeguard_std.domain.consistency import Inconsistency, check_consistency
from safeguard_std.domain.consistency import Severity as ConsistencySeverity
from safeguard_std.domain.organisation import (
    EDUCATION_KINDS,
    EvidenceBundle,
    LegalForm,
    Provider,
)
from safeguard_std.domain.people import Person
from safeguard_std.exceptions import (
    EvidenceError,
    Location,
    MappingError,
    Problem,
    SpreadsheetError,
)
from safeguard_std.importers._fields import FIELDS, Kind, group_of
from safeguard_std.importers._headers import score_row
from safeguard_std.importers._mapping import ScrMapping, load_mapping, read_default
from safeguard_std.importers._parsed import Severity
from safeguard_std.importers._provider import ProviderFile, load_provider
from safeguard_std.importers._result import (
    ColumnStatus,
    ImportResult,
    Issue,
    IssueGroup,
    Provenance,
    RowEntries,
    RowOrigins,
    RowOutcome,
    RowStatus,
    SheetReport,
    has_board,
    role_counts,
    summarise,
    tally,
)
from safeguard_std.importers._sheet import SheetRow, SheetRun
from safeguard_std.importers._sheet_row import RowOutcomes
from safeguard_std.importers._split import TwoProcesses
from safeguard_std.importers._stream import PeopleOut
from safeguard_std.importers._tables import Sheet, Workbook, read_workbook
from safeguard_std.io.documents import Limits

__all__ = ["import_scr", "import_scr_streaming"]

_HAS_BOARD = {
    LegalForm.CHARITY,
    LegalForm.SCHOOL_TRUST,
    LegalForm.COMPANY,
    LegalForm.COMMUNITY_INTEREST_COMPANY,
}
_NOTABLE_GROUPS = ("identity", "right_to_work", "qualifications", "dbs", "reference1", "reference2")


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


# How a group is worded: on each member's row when the group is too large to name the others
# there (the row then names the group), and once for the whole group.
_GROUP_TEXT = {
    "person.duplicate": (
        "same name and date of birth as {n} other people ({ref})",
        "{size} people have the same name and date of birth: {members}",
    ),
    "person.possible_duplicate": (
        "same surname (or a previous surname) and date of birth as {n} other people ({ref}): "
        "the same person under another name?",
        "{size} people have the same surname (or a previous surname) and date of birth: "
        "{members}: the same person under another name?",
    ),
    "dbs.shared_certificate": (
        "the same certificate number is recorded for {n} other people ({ref}): a certificate "
        "belongs to one person",
        "one certificate number is recorded for {size} people: {members}: a certificate "
        "belongs to one person",
    ),
}
_NAMED = 3  # members a group names (then "and K more"), as check_consistency names others


class _Groups:
    """Numbers each group as its first member's issue is attached (file order), and reports
    it once. Keyed by the identity of the member tuple all of a group's items share: hashing
    a tuple of thousands of ids for every member would make a large group quadratic."""

    def __init__(self, rows: dict[str, SheetRow], sheets: dict[str, str | None]) -> None:
        self.rows, self.sheets = rows, sheets
        self.found: dict[int, IssueGroup] = {}

    def _where(self, person: str) -> tuple[str | None, int]:
        row = self.rows.get(person)
        return (self.sheets.get(person), row.number if row is not None else 0)

    def name(self, item: Inconsistency, severity: Severity) -> IssueGroup:
        """The group ``item`` belongs to, reported the first time it is met."""
        group = self.found.get(id(item.group))
        if group is None:
            members = item.group[:_NAMED]
            where = tuple(self._where(m) for m in members)
            named = ", ".join(
                f"{sheet + ' ' if sheet else ''}row {row} ({m})"
                for m, (sheet, row) in zip(members, where, strict=True)
            )
            more = len(item.group) - len(members)
            text = named + (f" and {more} more" if more > 0 else "")
            message = _GROUP_TEXT[item.code][1].format(size=len(item.group), members=text)
            group = IssueGroup(
                f"g{len(self.found) + 1}",
                severity,
                item.code,
                len(item.group),
                members,
                where,
                message,
            )
            self.found[id(item.group)] = group
        return group


def _attach_consistency(
    found: Sequence[Inconsistency], rows: dict[str, SheetRow], sheets: dict[str, str | None]
) -> tuple[list[Issue], list[IssueGroup]]:
    file_issues = []
    groups = _Groups(rows, sheets)
    for item in found:
        severity = (
            Severity.ERROR if item.severity is ConsistencySeverity.ERROR else Severity.WARNING
        )
        row = rows.get(item.subject or "")
        attached = row is not None and item.path[:1] == ("people",)
        group = None
        if attached and item.group and item.code in _GROUP_TEXT:
            group = groups.name(item, severity)
        message = item.message
        if group is not None and item.others > _NAMED:
            # Too many to name on every row: the row names the group, listed once.
            ref = f"group {group.id}, listed once in the import report"
            message = _GROUP_TEXT[item.code][0].format(n=item.others, ref=ref)
        else:
            for other in item.related:
                other_row = rows.get(other)
                if other_row is not None:
                    sheet = sheets.get(other)
                    where = f"{sheet + ' ' if sheet else ''}row {other_row.number}"
                    message = _name_row(message, other, f"{where} ({other})")
        if row is not None and attached:
            row.issue(severity, item.code, message, group=group.id if group else None)
        else:
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in item.path)
            file_issues.append(Issue(severity, item.code, f"{message} (at ${path})"))
    return file_issues, list(groups.found.values())


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what a regular expression's \\w matches


def _name_row(message: str, other: str, replacement: str) -> str:
    """``message`` with each whole ``other`` (an id: p-S1 is not the start of p-S10 or
    p-S1.2) replaced. A regular expression per id compiled one pattern per person."""
    out: list[str] = []
    start, size = 0, len(other)
    at = message.find(other) if other else -1  # ids are never empty
    while at >= 0:
        end = at + size
        before = message[at - 1] if at else ""
        after = message[end : end + 2]
        whole = not (before and (_word(before) or before in ".:-")) and not (
            after and (_word(after[0]) or after[0] == "-")
        )
        if whole and len(after) == 2 and after[0] in ".:" and _word(after[1]):
            whole = False
        if whole:
            out += (message[start:at], replacement)
            start = end
            at = message.find(other, end)
        else:
            at = message.find(other, at + 1)
    return "".join(out) + message[start:] if out else message


def _board_issue(provider: Provider, has_board: bool) -> Issue | None:
    if provider.legal_form not in _HAS_BOARD and provider.kind not in EDUCATION_KINDS:
        return None
    if has_board:
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
    limits: Limits | None = None,
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
    and cells never raise: every row has an outcome in the result. ``limits`` bounds the file
    (bytes, a workbook's decompressed size and shared strings, a sheet's cells and columns:
    :class:`~safeguard_std.io.documents.Limits`, ``docs/limits.md``).
    """
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
        limits=limits,
    )


def import_scr_streaming(
    source: Path | str | bytes,
    *,
    out: PeopleOut,
    provider: Path | str | bytes | Mapping[str, Any] | Provider,
    sheet: str | Sequence[str] | None = None,
    mapping: ScrMapping | Path | str | None = None,
    as_of: dt.date | None = None,
    defaults: Mapping[str, str] | None = None,
    include_personal_data: bool = False,
    limits: Limits | None = None,
    processes: int = 1,
) -> ImportResult:
    """:func:`import_scr`, each person going to ``out`` as its row is read rather than kept (so
    memory grows far slower than the record): ``out`` then gives the bundle's text and digest.
    The result's bundle holds only the people its lead roles and panels name, and its ``rows``
    are read back from ``out``'s temporary file, so use the result before ``out`` is closed;
    everything else in it is as :func:`import_scr` gives it. ``processes=2`` reads a large CSV
    sheet's rows in two processes where the system can (:mod:`~._split`), with the same
    result."""
    return _import(
        source,
        provider=provider,
        sheet=sheet,
        mapping=mapping,
        as_of=as_of,
        defaults=defaults,
        name=None,
        provider_name=None,
        include_personal_data=include_personal_data,
        limits=limits,
        out=out,
        processes=processes,
    )


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
    limits: Limits | None = None,
    out: PeopleOut | None = None,
    processes: int = 1,
) -> ImportResult:
    plan_mapping = _mapping(mapping, defaults)
    provider_file = load_provider(
        provider, name=provider_name, include_personal_data=include_personal_data
    )
    workbook = read_workbook(
        source, name=name, score=lambda row: score_row(row, plan_mapping), limits=limits
    )
    wanted = [sheet] if isinstance(sheet, str) else list(sheet) if sheet else None
    taken = {p.id for p in provider_file.base.people}
    reports: list[SheetReport] = []
    runs: list[SheetRun] = []
    plans: dict[str | None, frozenset[str]] = {}
    prov = provider_file.base.provider
    if out is not None:
        out.holders = provider_file.named_people()
        for person in provider_file.base.people:
            out.add(person, imported=False)
    for candidate, skip in _choose(workbook, wanted, plan_mapping):
        if skip is not None:
            note = Issue(
                Severity.NOTE, "sheet.skipped", f"not imported: {skip}", sheet=candidate.name
            )
            reports.append(SheetReport(candidate.name, imported=False, reason=skip, issues=(note,)))
            continue
        run = SheetRun(
            candidate,
            plan_mapping,
            as_of,
            prov,
            taken,
            sink=out.add if out is not None else None,
            split=TwoProcesses(out) if out is not None and processes > 1 else None,
        )
        if out is not None:  # rows written out as they are built, as their people are
            run.rows = out.rows_of(candidate.name)
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
        workbook,
        plan_mapping,
        provider_file,
        runs,
        reports,
        plans,
        as_of,
        include_personal_data,
        out,
    )


def _finish(
    workbook: Workbook,
    mapping: ScrMapping,
    provider_file: ProviderFile,
    runs: list[SheetRun],
    reports: list[SheetReport],
    plans: dict[str | None, frozenset[str]],
    as_of: dt.date | None,
    include_personal_data: bool,
    out: PeopleOut | None = None,
) -> ImportResult:
    if out is None:
        people = tuple(r.person for run in runs for r in run.rows if r.person is not None)
        bundle = _attach(workbook, provider_file, people, runs, include_personal_data)
        found = check_consistency(bundle, as_of=as_of)
        board_found = has_board(bundle.people)
        roles = role_counts(people)
    else:
        # The people were written out as they were read: the bundle holds only those its lead
        # roles and panels name, and the cross-person checks were fed person by person.
        kept = tuple(out.kept)
        bundle = _attach(workbook, provider_file, kept, runs, include_personal_data)
        found = out.consistency.finish(bundle)
        board_found = out.board
        roles = dict(out.roles)
    # Before the outcomes: consistency issues about one person are added to that person's row.
    listed, groups = _file_issues(workbook, runs, found)
    board = _board_issue(bundle.provider, board_found)
    file_issues = (*listed, *(() if board is None else (board,)))
    outcomes = _outcomes(runs, written_out=out is not None)
    # Once: rows written out are counted as they were built, and only those later checks
    # added issues to are read back.
    counted = outcomes.tally() if isinstance(outcomes, RowOutcomes) else tally(outcomes)
    reports = [_recount(rep, counted.statuses) for rep in _with_differences(reports, plans)]
    # Written out with their people when the rows were.
    origins = () if out is not None else (r.origins for run in runs for r in run.rows)
    provenance = _provenance(workbook, mapping, provider_file, runs, origins, reports, as_of)
    summary = summarise(counted, tuple(reports), file_issues, roles)
    return ImportResult(
        bundle, outcomes, tuple(reports), file_issues, summary, provenance, as_of, tuple(groups)
    )


def _file_issues(
    workbook: Workbook, runs: list[SheetRun], found: Sequence[Inconsistency]
) -> tuple[list[Issue], list[IssueGroup]]:
    # Only the rows the findings name: every row would be every person's id again.
    named = {
        i
        for item in found
        for i in (item.subject, *item.related, *item.group[:_NAMED])
        if i is not None
    }
    by_id: dict[str, SheetRow] = {}
    sheet_of: dict[str, str | None] = {}
    for run in runs:
        mine = run.rows.of_people(named)
        by_id.update(mine)
        sheet_of.update(dict.fromkeys(mine, run.name))
    file_issues = [Issue(n.severity, n.code, n.message) for n in workbook.notes]
    if not any(len(run.rows) for run in runs):
        file_issues.append(_NO_PEOPLE)
    attached, groups = _attach_consistency(found, by_id, sheet_of)
    file_issues += attached
    return file_issues, groups


_NO_PEOPLE = Issue(
    Severity.WARNING,
    "record.no_people",
    "the file has a header row but no people under it: nothing was imported",
)


def _with_differences(
    reports: list[SheetReport], plans: dict[str | None, frozenset[str]]
) -> list[SheetReport]:
    differences = _differences(plans) if len(plans) > 1 else []
    if not differences:
        return reports
    return [
        attrs.evolve(rep, issues=rep.issues + tuple(d for d in differences if d.sheet == rep.name))
        for rep in reports
    ]


def _attach(
    workbook: Workbook,
    provider_file: ProviderFile,
    people: tuple[Person, ...],
    runs: list[SheetRun],
    include_personal_data: bool,
) -> EvidenceBundle:
    """The provider file's records with the imported people. When they cannot go together (a
    lead role or panel naming someone not imported), the error also gives the rows the record
    rejected, and why: one of them is usually the person named."""
    try:
        return provider_file.attach(people, include_personal_data=include_personal_data)
    except EvidenceError as exc:
        rejected = [o for o in _outcomes(runs, True) if o.status is RowStatus.REJECTED]
        if not rejected:
            raise
        reasons = []
        for row in rejected[:_NAMED_REJECTED]:
            # Its cells' warnings too: an unreadable cell is often why the row was rejected.
            said = [
                i.render(include_personal_data)
                for i in row.issues
                if i.severity is not Severity.NOTE
            ]
            where = f"{row.sheet} row {row.row}" if row.sheet else f"row {row.row}"
            reasons.append(" and ".join(said) if said else where)
        more = len(rejected) - _NAMED_REJECTED
        text = "; ".join(reasons) + (f"; and {more} more" if more > 0 else "")
        one = len(rejected) == 1
        rows = "1 row of the record was" if one else f"{len(rejected)} rows of the record were"
        whose = "its person was" if one else "their people were"
        note = Problem(
            f"{rows} rejected, so {whose} not imported: {text}",
            Location(workbook.label),
        )
        raise EvidenceError([*exc.problems, note], source=exc.source) from None


#: Rejected rows named when a lead role or panel names someone not imported.
_NAMED_REJECTED = 5


def _outcomes(runs: list[SheetRun], written_out: bool) -> Sequence[RowOutcome]:
    """Every row's outcome: kept as a tuple, or read back from the temporary file the rows
    were written out to."""
    outcomes = RowOutcomes([run.rows for run in runs])
    return outcomes if written_out else tuple(outcomes)


def _provenance(
    workbook: Workbook,
    mapping: ScrMapping,
    provider_file: ProviderFile,
    runs: list[SheetRun],
    origins: Iterable[RowOrigins | None],
    reports: list[SheetReport],
    as_of: dt.date | None,
) -> Provenance:
    entries = RowEntries(tuple(o for o in origins if o is not None))
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
    return Provenance({k: v for k, v in source.items() if v is not None}, entries, columns)


def _recount(report: SheetReport, statuses: Counter[tuple[str | None, RowStatus]]) -> SheetReport:
    """The sheet's row counts, from rows' statuses by (sheet, status)."""
    if not report.imported:
        return report
    name = report.name
    warned = statuses[(name, RowStatus.IMPORTED_WITH_WARNINGS)]
    return attrs.evolve(
        report,
        rows_imported=statuses[(name, RowStatus.IMPORTED)] + warned,
        rows_with_warnings=warned,
        rows_rejected=statuses[(name, RowStatus.REJECTED)],
    )
