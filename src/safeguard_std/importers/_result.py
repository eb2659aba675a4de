"""What an import gives back: the bundle, an outcome for every row, a report of every sheet and
column, a summary, and the provenance of every imported value.

Nothing here quotes a personal value unless asked: an :class:`Issue` keeps the raw cell beside its
message, and shows it only when the field is not personal or ``include_personal_data`` is set.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from safeguard_std._serialization.canonical import _encode_text, canonical_json
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.people import Person, RoleType
from safeguard_std.importers._parsed import Severity
from safeguard_std.importers._provenance import (
    Origin,
    OriginKeys,
    Provenance,
    RowEntries,
    RowOrigins,
    Traced,
    raw_text,
)
from safeguard_std.importers._redact import looks_personal

__all__ = [
    "ColumnReport",
    "ImportResult",
    "ImportSummary",
    "Issue",
    "IssueGroup",
    "Origin",
    "Provenance",
    "RowOutcome",
    "RowStatus",
    "SheetReport",
    "column_letter",
]

WITHHELD = "(value withheld: personal data)"


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@attrs.frozen
class Issue:
    """Something a person should know about the import, located as precisely as it can be.

    ``row`` is the spreadsheet's own row number (the first row is 1); ``column`` its letters.
    """

    severity: Severity
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    field: str | None = None
    raw: str | None = None
    personal: bool = False
    group: str | None = None  # the :class:`IssueGroup` this row belongs to, by id

    @property
    def where(self) -> str:
        """``Staff!F14 'DBS date'``, ``row 14``, ``column F 'DBS date'`` or ``sheet 'Staff'``."""
        sheet = f"{self.sheet}!" if self.sheet is not None else ""
        header = f" {self.shown_header!r}" if self.header else ""
        if self.row is not None and self.column is not None:
            return f"{sheet}{self.column}{self.row}{header}"
        if self.row is not None:
            return f"{self.sheet + ' ' if self.sheet is not None else ''}row {self.row}"
        if self.column is not None:
            return (
                f"{self.sheet + ' ' if self.sheet is not None else ''}column {self.column}{header}"
            )
        if self.sheet is not None:
            return f"sheet {self.sheet!r}"
        return ""

    @property
    def shown_header(self) -> str | None:
        """The header as it may be shown: a header row holding a name (a person's row read as
        the header) is withheld like any personal value."""
        if self.header is not None and looks_personal(self.header):
            return "(header withheld: personal data)"
        return self.header

    def shown_raw(self, include_personal_data: bool = False) -> str | None:
        """The raw value as it may be shown: withheld when its column holds personal data, or
        when it looks like personal data whatever its column (a name, a certificate, National
        Insurance or long number, a postcode), unless asked for."""
        if self.raw is None:
            return None
        if include_personal_data:
            return self.raw
        return WITHHELD if self.personal or looks_personal(self.raw) else self.raw

    def render(self, include_personal_data: bool = False) -> str:
        """One line: where, what, and the raw value when it may be shown."""
        text = f"{self.where}: {self.message}" if self.where else self.message
        raw = self.shown_raw(include_personal_data)
        if raw == WITHHELD:
            text += f" {WITHHELD}"
        elif raw is not None:
            text += f" (got {raw!r})"
        return text

    def __str__(self) -> str:
        return self.render()

    def to_data(self, include_personal_data: bool = False) -> dict[str, Any]:
        """As JSON-ready data (empty location parts omitted)."""
        data: dict[str, Any] = {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }
        for name in ("sheet", "row", "column", "header", "field"):
            value = getattr(self, name)
            if name == "header" and not include_personal_data:
                value = self.shown_header
            if value is not None:
                data[name] = value
        raw = self.shown_raw(include_personal_data)
        if raw is not None:
            data["raw"] = raw
        if self.group is not None:
            data["group"] = self.group
        return data


@attrs.frozen
class IssueGroup:
    """Rows that share one problem (the same person twice, one certificate number on several
    people), reported once: the group's size, its first few members and how many more. Each
    member's row carries an issue naming the group by ``id``; ids only, never personal data."""

    id: str
    severity: Severity
    code: str
    size: int
    members: tuple[str, ...]
    rows: tuple[tuple[str | None, int], ...]
    message: str

    @property
    def more(self) -> int:
        """Members not named."""
        return self.size - len(self.members)

    def __str__(self) -> str:
        return f"group {self.id}: {self.message}"

    def to_data(self) -> dict[str, Any]:
        """As JSON-ready data."""
        members = []
        for person, (sheet, row) in zip(self.members, self.rows, strict=True):
            member: dict[str, Any] = {"row": row, "person_id": person}
            if sheet is not None:
                member["sheet"] = sheet
            members.append(member)
        return {
            "id": self.id,
            "severity": self.severity.value,
            "code": self.code,
            "size": self.size,
            "members": members,
            "more": self.more,
            "message": self.message,
        }


class RowStatus(enum.StrEnum):
    """What became of a row."""

    IMPORTED = "imported"
    IMPORTED_WITH_WARNINGS = "imported_with_warnings"
    REJECTED = "rejected"


@attrs.frozen
class RowOutcome:
    """One data row: the person it became (by id), or why it was rejected, and every issue."""

    sheet: str | None
    row: int
    status: RowStatus
    person_id: str | None
    issues: tuple[Issue, ...] = ()


class ColumnStatus(enum.StrEnum):
    """What became of a column."""

    MAPPED = "mapped"
    UNMAPPED = "unmapped"
    IGNORED = "ignored"
    NOT_MODELLED = "not_modelled"
    DUPLICATE = "duplicate"
    HIDDEN = "hidden"  # a hidden column another, visible, column gives the same field as


@attrs.frozen
class ColumnReport:
    """A column: its header, the field it was mapped to and how, and how its cells fared."""

    letter: str
    header: str
    status: ColumnStatus
    field: str | None = None
    how: str | None = None
    reason: str | None = None
    filled: int = 0
    problems: int = 0


@attrs.frozen
class SheetReport:
    """A sheet: imported or skipped (and why), its header row, columns and row counts."""

    name: str | None
    imported: bool
    reason: str | None = None
    header_row: int | None = None
    group_row: int | None = None
    role_type: str | None = None
    columns: tuple[ColumnReport, ...] = ()
    rows_read: int = 0
    rows_imported: int = 0
    rows_with_warnings: int = 0
    rows_rejected: int = 0
    blank_rows: int = 0
    heading_rows: int = 0
    repeated_header_rows: int = 0
    issues: tuple[Issue, ...] = ()

    @property
    def unmapped_headers(self) -> tuple[str, ...]:
        """Headers that mapped to nothing."""
        return tuple(c.header for c in self.columns if c.status is ColumnStatus.UNMAPPED)


@attrs.frozen
class ImportSummary:
    """Counts for the whole file. ``rows_read == imported + rejected`` always; blank rows,
    section headings and repeated header rows are counted apart, as they hold no record."""

    rows_read: int
    imported: int
    imported_with_warnings: int
    rejected: int
    blank_rows: int
    heading_rows: int
    repeated_header_rows: int
    errors: int
    warnings: int
    notes: int
    by_code: Mapping[str, int]
    by_role_type: Mapping[str, int]

    def to_data(self) -> dict[str, Any]:
        """As JSON-ready data."""
        data = attrs.asdict(self)
        data["by_code"] = dict(sorted(self.by_code.items()))
        data["by_role_type"] = dict(sorted(self.by_role_type.items()))
        return data


@attrs.frozen
class ImportResult:
    """Everything an import produced."""

    bundle: EvidenceBundle
    #: Every data row's outcome, in file order: a tuple, or, from the command's import that
    #: writes rows out as it reads them, a sequence read back from its temporary file.
    rows: Sequence[RowOutcome]
    sheets: tuple[SheetReport, ...]
    issues: tuple[Issue, ...]
    summary: ImportSummary
    provenance: Provenance
    as_of: dt.date | None = None
    #: Groups of rows sharing one problem, each reported once (its members' rows name it).
    groups: tuple[IssueGroup, ...] = ()

    def all_issues(self) -> Iterator[Issue]:
        """File-wide issues, then each sheet's, then each row's, in file order."""
        yield from self.issues
        for sheet in self.sheets:
            yield from sheet.issues
        for row in self.rows:
            yield from row.issues

    def report_data(self, include_personal_data: bool = False) -> dict[str, Any]:
        """The import report as JSON-ready data (no personal values unless asked)."""
        data = self._report_head(include_personal_data)
        data["rows"] = [_row_data(r, include_personal_data) for r in self.rows]
        if self.groups:
            data["groups"] = [g.to_data() for g in self.groups]
        return data

    def report_chunks(self, include_personal_data: bool = False) -> Iterator[str]:
        """The report as text, ``canonical_json(report_data(), indent=2)`` and a newline, a row
        at a time: the report of 100,000 rows is written without ever holding it whole."""
        data: dict[str, Any] = self._report_head(include_personal_data)
        if self.groups:
            data["groups"] = [g.to_data() for g in self.groups]
        data["rows"] = None  # written row by row below
        yield "{"
        for n, (key, value) in enumerate(sorted(data.items())):
            yield ("," if n else "") + "\n  " + canonical_json(key) + ": "
            if key != "rows":
                yield canonical_json(value, indent=2).replace("\n", "\n  ")
            elif not len(self.rows):
                yield "[]"
            else:
                yield "["
                for k, row in enumerate(self.rows):
                    yield ("," if k else "") + "\n    " + _row_text(row, include_personal_data)
                yield "\n  ]"
        yield "\n}\n"

    def _report_head(self, include_personal_data: bool) -> dict[str, Any]:
        return {
            "import_report_format": 1,
            "source": dict(self.provenance.source),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "bundle_id": self.bundle.id,
            "summary": self.summary.to_data(),
            "issues": [i.to_data(include_personal_data) for i in self.issues],
            "sheets": [_sheet_data(s, include_personal_data) for s in self.sheets],
        }


def _row_text(row: RowOutcome, include_personal_data: bool) -> str:
    """A row of the report as ``canonical_json(_row_data(row), indent=2)`` writes it, indented
    to its place in the report, written directly (a report of 100,000 rows is mostly these)."""
    pid = "null" if row.person_id is None else _encode_text(row.person_id)
    sheet = "null" if row.sheet is None else _encode_text(row.sheet)
    issues = "[]"
    if row.issues:
        issues = (
            "[\n        "
            + ",\n        ".join(_issue_text(i, include_personal_data) for i in row.issues)
            + "\n      ]"
        )
    return (
        '{\n      "issues": '
        + issues
        + ',\n      "person_id": '
        + pid
        + ',\n      "row": '
        + str(int(row.row))
        + ',\n      "sheet": '
        + sheet
        + ',\n      "status": '
        + _encode_text(row.status.value)
        + "\n    }"
    )


_PAD = ",\n          "


def _issue_text(issue: Issue, include_personal_data: bool) -> str:
    """An issue as ``canonical_json(issue.to_data(...), indent=2)`` writes it in a report's
    row, written straight from its fields in the order of their names (a report of 200,000
    rows spent most of its time building and sorting these dictionaries). An issue with a
    value that is not text (or, for the row, a whole number) is left to the general encoder."""
    header = issue.header if include_personal_data else issue.shown_header
    raw = issue.shown_raw(include_personal_data)
    row = issue.row
    if row is not None and type(row) is not int:  # a bool, say: written as JSON writes it
        return _general_issue_text(issue, include_personal_data)
    enc = _encode_text
    try:
        text = '{\n          "code": ' + enc(issue.code)
        if issue.column is not None:
            text += _PAD + '"column": ' + enc(issue.column)
        if issue.field is not None:
            text += _PAD + '"field": ' + enc(issue.field)
        if issue.group is not None:
            text += _PAD + '"group": ' + enc(issue.group)
        if header is not None:
            text += _PAD + '"header": ' + enc(header)
        text += _PAD + '"message": ' + enc(issue.message)
        if raw is not None:
            text += _PAD + '"raw": ' + enc(raw)
        if row is not None:
            text += _PAD + '"row": ' + int.__repr__(row)
        text += _PAD + '"severity": ' + enc(issue.severity.value)
        if issue.sheet is not None:
            text += _PAD + '"sheet": ' + enc(issue.sheet)
    except TypeError:  # a value that is not text
        return _general_issue_text(issue, include_personal_data)
    return text + "\n        }"


def _general_issue_text(issue: Issue, include_personal_data: bool) -> str:
    data = issue.to_data(include_personal_data)
    return canonical_json(data, indent=2).replace("\n", "\n        ")


def _row_data(row: RowOutcome, include_personal_data: bool) -> dict[str, Any]:
    return {
        "sheet": row.sheet,
        "row": row.row,
        "status": row.status.value,
        "person_id": row.person_id,
        "issues": [i.to_data(include_personal_data) for i in row.issues],
    }


def _sheet_data(sheet: SheetReport, include_personal_data: bool) -> dict[str, Any]:
    return {
        "name": sheet.name,
        "imported": sheet.imported,
        "reason": sheet.reason,
        "header_row": sheet.header_row,
        "group_row": sheet.group_row,
        "role_type": sheet.role_type,
        "rows_read": sheet.rows_read,
        "rows_imported": sheet.rows_imported,
        "rows_with_warnings": sheet.rows_with_warnings,
        "rows_rejected": sheet.rows_rejected,
        "blank_rows": sheet.blank_rows,
        "heading_rows": sheet.heading_rows,
        "repeated_header_rows": sheet.repeated_header_rows,
        "unmapped_headers": list(sheet.unmapped_headers),
        "columns": [
            {k: v for k, v in attrs.asdict(c).items() if v is not None} for c in sheet.columns
        ],
        "issues": [i.to_data(include_personal_data) for i in sheet.issues],
    }


#: The roles that make a person part of a provider's board.
BOARD_ROLES = frozenset(
    {RoleType.GOVERNOR, RoleType.TRUSTEE, RoleType.DIRECTOR, RoleType.PROPRIETOR}
)


def has_board(people: Iterable[Person]) -> bool:
    """Whether any of ``people`` sits on the board (a governor, trustee, director...)."""
    return any(e.role_type in BOARD_ROLES for p in people for e in p.engagements)


def role_counts(people: Iterable[Person]) -> dict[str, int]:
    """People by role type (a person with two engagements of one type counted once)."""
    roles: Counter[str] = Counter()
    for person in people:
        for role in sorted({e.role_type.value for e in person.engagements}):
            roles[role] += 1
    return dict(roles)


@attrs.define
class Tally:
    """What the rows hold, counted in one pass (:func:`tally`): rows by sheet and status, and
    their issues by severity and code."""

    statuses: Counter[tuple[str | None, RowStatus]] = attrs.field(factory=Counter)
    severities: Counter[Severity] = attrs.field(factory=Counter)
    codes: Counter[str] = attrs.field(factory=Counter)

    def count(self, sheet: str | None, status: RowStatus, issues: Iterable[Issue]) -> None:
        """Count a row of ``sheet`` and its issues."""
        self.statuses[(sheet, status)] += 1
        severities, codes = self.severities, self.codes
        for issue in issues:
            severities[issue.severity] += 1
            codes[issue.code] += 1

    def add(self, other: Tally) -> None:
        """Add what ``other`` counted (its keys first met after this one's)."""
        self.statuses.update(other.statuses)
        self.severities.update(other.severities)
        self.codes.update(other.codes)

    def copy(self) -> Tally:
        """A tally of its own with the same counts."""
        return Tally(Counter(self.statuses), Counter(self.severities), Counter(self.codes))


def tally(rows: Iterable[RowOutcome]) -> Tally:
    """Count the rows, once (they may be read back from a file)."""
    found = Tally()
    for row in rows:
        found.count(row.sheet, row.status, row.issues)
    return found


def summarise(
    counted: Tally,
    sheets: tuple[SheetReport, ...],
    issues: tuple[Issue, ...],
    by_role_type: Mapping[str, int],
) -> ImportSummary:
    """The import's summary from its rows' :func:`tally` and the file's and sheets' issues;
    ``by_role_type`` from :func:`role_counts`."""
    severities: Counter[Severity] = Counter()
    codes: Counter[str] = Counter()
    for issue in itertools.chain(issues, *(s.issues for s in sheets)):
        severities[issue.severity] += 1
        codes[issue.code] += 1
    severities.update(counted.severities)
    codes.update(counted.codes)
    statuses: Counter[RowStatus] = Counter()
    for (_sheet, status), count in counted.statuses.items():
        statuses[status] += count
    return ImportSummary(
        rows_read=statuses.total(),
        imported=statuses[RowStatus.IMPORTED] + statuses[RowStatus.IMPORTED_WITH_WARNINGS],
        imported_with_warnings=statuses[RowStatus.IMPORTED_WITH_WARNINGS],
        rejected=statuses[RowStatus.REJECTED],
        blank_rows=sum(s.blank_rows for s in sheets),
        heading_rows=sum(s.heading_rows for s in sheets),
        repeated_header_rows=sum(s.repeated_header_rows for s in sheets),
        errors=severities[Severity.ERROR],
        warnings=severities[Severity.WARNING],
        notes=severities[Severity.NOTE],
        by_code=dict(codes),
        by_role_type=dict(by_role_type),
    )


__all__ += [
    "BOARD_ROLES",
    "WITHHELD",
    "ColumnStatus",
    "Tally",
    "has_board",
    "role_counts",
    "summarise",
    "tally",
]
# Provenance lives in its own module; these names are imported from here too.
__all__ += ["OriginKeys", "RowEntries", "RowOrigins", "Traced", "raw_text"]
