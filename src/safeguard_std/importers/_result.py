"""What an import gives back: the bundle, an outcome for every row, a report of every sheet and
column, a summary, and the provenance of every imported value.

Nothing here quotes a personal value unless asked: an :class:`Issue` keeps the raw cell beside its
message, and shows it only when the field is not personal or ``include_personal_data`` is set.
"""

from __future__ import annotations

import array
import datetime as dt
import enum
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

import attrs

from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.importers._parsed import Severity
from safeguard_std.importers._redact import looks_personal

__all__ = [
    "ColumnReport",
    "ImportResult",
    "ImportSummary",
    "Issue",
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
        return data


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
class Origin:
    """Where one imported value came from: a cell (with its raw text), a header that implied
    it, a sheet name, a section heading row, a mapping default, or a derivation."""

    source: str  # "cell", "header", "sheet", "section", "default", "derived"
    raw: str | None = None
    sheet: str | None = None
    cell: str | None = None
    header: str | None = None
    detail: str | None = None

    @property
    def ref(self) -> str | None:
        """The cell in A1 notation, with its sheet: ``E3``, ``Staff!E3``, ``'Governors &
        Trustees'!E3``."""
        if self.cell is None:
            return None
        if self.sheet is None:
            return self.cell
        sheet = self.sheet if self.sheet.replace("_", "").isalnum() else f"'{self.sheet}'"
        return f"{sheet}!{self.cell}"

    def to_data(self) -> dict[str, Any]:
        """As JSON-ready data: a cell is its reference and raw text (its header is in the
        provenance's column table); anything else says where it came from."""
        if self.source == "cell":
            return {"cell": self.ref, "raw": self.raw}
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}

    def to_origin(self) -> Origin:
        """Itself (so an origin can stand where a traced value is expected)."""
        return self


class Traced(Protocol):
    """Anything that can say where it came from."""

    def to_origin(self) -> Origin:
        """The origin."""
        ...


class OriginKeys:
    """A sheet's table of (record id after the person's id, field) pairs, numbered, so a row's
    origins are two small numbers each: most rows give the same records and fields."""

    def __init__(self) -> None:
        self.keys: list[tuple[str, str]] = []
        self._codes: dict[tuple[str, str], int] = {}

    def code(self, key: tuple[str, str]) -> int | None:
        """The key's number (``None`` once the table is full)."""
        found = self._codes.get(key)
        if found is None and len(self.keys) < 65_535:
            found = self._codes[key] = len(self.keys)
            self.keys.append(key)
        return found


@attrs.frozen
class RowOrigins:
    """Where one row's imported values came from, kept compactly until asked for: the row's
    cells as read; ``packed``, pairs of (key number in ``keys``, column index) for values read
    from one cell; and ``rest``, ``(record id, field, origin)`` triples for the others (several
    cells, or a traced value such as a header or a default)."""

    sheet: str | None
    row: int
    person_id: str
    cells: Sequence[object]  # the row as read (not copied)
    headers: Mapping[int, tuple[str, str]]  # column index -> (letter, header), per sheet
    keys: OriginKeys
    packed: array.array[int]
    rest: tuple[Any, ...]

    @classmethod
    def pack(
        cls,
        sheet: str | None,
        row: int,
        person_id: str,
        cells: Sequence[object],
        headers: Mapping[int, tuple[str, str]],
        keys: OriginKeys,
        flat: Sequence[Any],
    ) -> RowOrigins:
        """Pack flat ``(record id, field, origin)`` triples (a later one for a field wins)."""
        latest = {(flat[i], flat[i + 1]): flat[i + 2] for i in range(0, len(flat), 3)}
        packed = array.array("H")
        rest: list[Any] = []
        size = len(person_id)
        for (rid, field), ref in latest.items():
            code = None
            if type(ref) is int and ref < 65_536 and rid.startswith(person_id):
                code = keys.code((rid[size:], field))
            if code is None:
                rest += (rid, field, ref)
            else:
                packed += array.array("H", (code, ref))
        return cls(sheet, row, person_id, cells, headers, keys, packed, tuple(rest))

    def _origin(self, ref: Any) -> Origin:
        if isinstance(ref, int):
            letter, header = self.headers[ref]
            return Origin(
                "cell",
                raw=raw_text(self.cells[ref]),
                sheet=self.sheet,
                cell=f"{letter}{self.row}",
                header=header,
            )
        origin: Origin = ref.to_origin()
        return origin

    def _triples(self) -> Iterator[tuple[str, str, Any]]:
        keys, packed, pid = self.keys.keys, self.packed, self.person_id
        for i in range(0, len(packed), 2):
            suffix, field = keys[packed[i]]
            yield pid + suffix, field, packed[i + 1]
        rest = self.rest
        for i in range(0, len(rest), 3):
            yield rest[i], rest[i + 1], rest[i + 2]

    def record_ids(self) -> Iterator[str]:
        """The ids of the records this row gave, each once."""
        return iter(dict.fromkeys(rid for rid, _field, _ref in self._triples()))

    def fields(self, record_id: str) -> dict[str, tuple[Origin, ...]]:
        """One record's fields and their origins."""
        out: dict[str, tuple[Origin, ...]] = {}
        for rid, field, ref in self._triples():
            if rid == record_id:
                several = isinstance(ref, tuple) and not hasattr(ref, "to_origin")
                out[field] = (
                    tuple(self._origin(r) for r in ref) if several else (self._origin(ref),)
                )
        return out


class RowEntries(Mapping[str, Mapping[str, tuple[Origin, ...]]]):
    """Provenance entries (record id -> field -> origins) read from rows' compact origins when
    asked: nothing per value is built until provenance is read or written."""

    def __init__(self, rows: tuple[RowOrigins, ...]) -> None:
        self._rows = rows
        self._by_person = {r.person_id: r for r in rows}

    def _row(self, record_id: str) -> RowOrigins | None:
        # A record's id starts with its person's id: try each prefix ending before a ':'.
        found = self._by_person.get(record_id)
        at = record_id.find(":")
        while found is None and at > 0:
            found = self._by_person.get(record_id[:at])
            at = record_id.find(":", at + 1)
        return found

    def __getitem__(self, record_id: str) -> Mapping[str, tuple[Origin, ...]]:
        row = self._row(record_id)
        fields = row.fields(record_id) if row is not None else {}
        if not fields:
            raise KeyError(record_id)
        return fields

    def __iter__(self) -> Iterator[str]:
        for row in self._rows:
            yield from row.record_ids()

    def __len__(self) -> int:
        return sum(1 for _ in self)


def raw_text(raw: object) -> str:
    """A cell's raw value as text (a date cell in ISO form)."""
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0) and raw.tzinfo is None:
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, str):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return " ".join(str(raw).replace("\u00a0", " ").split())


def _several(traced: Traced | tuple[Traced, ...]) -> tuple[Traced, ...]:
    """An entry's origins: one is stored bare (a value that is itself a tuple knows its
    origin), several as a tuple."""
    if hasattr(traced, "to_origin"):
        return (traced,)
    return traced


@attrs.frozen
class Provenance:
    """Raw values beside parsed ones: evidence id -> field -> origins. It holds personal data
    (the raw names, dates of birth and numbers), like the bundle itself.

    Origins are built when asked for (:meth:`origins`, :meth:`to_data`): an import of 100,000
    rows holds millions of them."""

    source: Mapping[str, Any]
    entries: Mapping[str, Mapping[str, Traced | tuple[Traced, ...]]]
    columns: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    def origins(self, record_id: str) -> dict[str, tuple[Origin, ...]]:
        """Where each field of one record came from (empty for a record not imported)."""
        fields = self.entries.get(record_id) or {}
        return {
            f: tuple(t.to_origin() for t in _several(traced))
            for f, traced in sorted(fields.items())
        }

    def _record(self, record_id: str) -> dict[str, list[dict[str, Any]]]:
        fields = self.entries[record_id]
        return {
            f: [t.to_origin().to_data() for t in _several(traced)] for f, traced in fields.items()
        }

    def _head(self, extra: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "provenance_format": 1,
            **extra,
            "source": dict(self.source),
            "columns": {sheet: dict(letters) for sheet, letters in self.columns.items()},
        }

    def to_data(self, **extra: Any) -> dict[str, Any]:
        """The provenance document written beside a bundle (``extra`` adds top-level keys):
        ``columns`` gives each sheet's headers by column letter (``""`` for a CSV file), and
        ``records`` each record's fields' origins."""
        return {
            **self._head(extra),
            "records": {rid: self._record(rid) for rid in sorted(self.entries)},
        }

    def chunks(self, **extra: Any) -> Iterator[str]:
        """The same document as JSON text, one record a line, built a record at a time: the
        provenance of 100,000 rows is written without ever holding it all."""
        head = json.dumps(self._head(extra), sort_keys=True, ensure_ascii=False)
        yield head[:-1] + ',"records":{\n'
        last = len(self.entries) - 1
        for i, rid in enumerate(sorted(self.entries)):
            record = json.dumps(self._record(rid), sort_keys=True, ensure_ascii=False)
            yield json.dumps(rid, ensure_ascii=False) + ":" + record + (",\n" if i < last else "\n")
        yield "}}\n"


@attrs.frozen
class ImportResult:
    """Everything an import produced."""

    bundle: EvidenceBundle
    rows: tuple[RowOutcome, ...]
    sheets: tuple[SheetReport, ...]
    issues: tuple[Issue, ...]
    summary: ImportSummary
    provenance: Provenance
    as_of: dt.date | None = None

    def all_issues(self) -> Iterator[Issue]:
        """File-wide issues, then each sheet's, then each row's, in file order."""
        yield from self.issues
        for sheet in self.sheets:
            yield from sheet.issues
        for row in self.rows:
            yield from row.issues

    def report_data(self, include_personal_data: bool = False) -> dict[str, Any]:
        """The import report as JSON-ready data (no personal values unless asked)."""
        return {
            "import_report_format": 1,
            "source": dict(self.provenance.source),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "bundle_id": self.bundle.id,
            "summary": self.summary.to_data(),
            "issues": [i.to_data(include_personal_data) for i in self.issues],
            "sheets": [_sheet_data(s, include_personal_data) for s in self.sheets],
            "rows": [
                {
                    "sheet": r.sheet,
                    "row": r.row,
                    "status": r.status.value,
                    "person_id": r.person_id,
                    "issues": [i.to_data(include_personal_data) for i in r.issues],
                }
                for r in self.rows
            ],
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


def summarise(
    rows: tuple[RowOutcome, ...],
    sheets: tuple[SheetReport, ...],
    issues: tuple[Issue, ...],
    bundle: EvidenceBundle,
) -> ImportSummary:
    """Count rows, issues by severity and code, and people by role type."""
    severities: Counter[Severity] = Counter()
    codes: Counter[str] = Counter()
    everything = [
        *issues,
        *(i for s in sheets for i in s.issues),
        *(i for r in rows for i in r.issues),
    ]
    for issue in everything:
        severities[issue.severity] += 1
        codes[issue.code] += 1
    statuses = Counter(r.status for r in rows)
    roles: Counter[str] = Counter()
    for person in bundle.people:
        for role in sorted({e.role_type.value for e in person.engagements}):
            roles[role] += 1
    return ImportSummary(
        rows_read=len(rows),
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
        by_role_type=dict(roles),
    )


__all__ += ["WITHHELD", "ColumnStatus", "summarise"]
