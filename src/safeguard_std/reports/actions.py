"""The action list: what a provider has to do, one row per subject and open action, as CSV or
XLSX, for a manager to work through or an SCR product or HR system to take back in.

An open action is a finding not met, without sufficient evidence, or in error, and a finding
that is met today but lapses within the report's horizon (``due_soon``: renew or review it). Rows
come in the order a manager works: what is overdue first (the oldest first), then by due date (a
finding without a due date is due now), then by subject, then by the requirement's place in the
pack.

Every cell is safe to open in a spreadsheet: a value starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is prefixed with ``'`` (OWASP's advice against CSV/formula injection),
and control and bidi characters are shown as ``[U+202E]``. A person's name is filled in only
with ``include_personal_data``; the staff number comes from an SCR import's provenance file
(decision 0012) when one is given.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from typing import Any

import attrs

from safeguard_std.domain.findings import Assessment, Finding, Status
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack, SubjectType
from safeguard_std.exceptions import MissingExtra, ReportError
from safeguard_std.reports._format import clean_text
from safeguard_std.reports._model import Report, build_report

__all__ = [
    "ACTION_COLUMNS",
    "ActionRow",
    "action_rows",
    "render_csv",
    "render_xlsx",
    "safe_cell",
    "staff_numbers_from_provenance",
    "to_csv",
    "to_xlsx",
]

#: The columns, in order (the CSV header row; the XLSX "Actions" sheet's first row).
ACTION_COLUMNS = (
    "overdue",
    "due_on",
    "days_overdue",
    "days_left",
    "subject_type",
    "subject_id",
    "staff_number",
    "name",
    "requirement_id",
    "requirement",
    "modality",
    "section",
    "status",
    "what_is_missing",
    "finding_id",
)

_OPEN = (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.ERROR)

#: What a spreadsheet may take as the start of a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it as text: prefixed with ``'`` when it would otherwise
    start a formula, control and bidi characters shown as ``[U+XXXX]``."""
    text = clean_text(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


@attrs.frozen(kw_only=True)
class ActionRow:
    """One open action for one subject."""

    overdue: bool
    due_on: dt.date | None
    days_overdue: int | None
    days_left: int | None
    subject_type: str
    subject_id: str
    staff_number: str
    name: str
    requirement_id: str
    requirement: str
    modality: str
    section: str
    status: str
    what_is_missing: str
    finding_id: str

    def cells(self) -> list[str]:
        """The row as text, column by column (see :data:`ACTION_COLUMNS`)."""
        values: dict[str, Any] = attrs.asdict(self)
        out = []
        for column in ACTION_COLUMNS:
            value = values[column]
            if value is None:
                out.append("")
            elif isinstance(value, bool):
                out.append("yes" if value else "no")
            elif isinstance(value, dt.date):
                out.append(value.isoformat())
            else:
                out.append(safe_cell(str(value)))
        return out


def _row(
    report: Report, f: Finding, status: str, what: str, staff_numbers: Mapping[str, str]
) -> ActionRow:
    as_of = report.assessment.as_of
    is_person = f.subject.type is SubjectType.PERSON
    subject_id = f.subject.id or ""
    overdue = f.status in _OPEN and f.due_on is not None and f.due_on < as_of
    return ActionRow(
        overdue=overdue,
        due_on=f.due_on,
        days_overdue=(as_of - f.due_on).days if overdue and f.due_on else None,
        days_left=(f.due_on - as_of).days if f.due_on and f.due_on >= as_of else None,
        subject_type=f.subject.type.value,
        subject_id=subject_id,
        staff_number=staff_numbers.get(subject_id, "") if is_person else "",
        name=report.names.get(subject_id, "") if is_person else "",
        requirement_id=f.requirement_id,
        requirement=report.title_of(f),
        modality=f.modality.value,
        section=f.section,
        status=status,
        what_is_missing=what,
        finding_id=f.id,
    )


def action_rows(
    report: Report, *, staff_numbers: Mapping[str, str] | None = None
) -> tuple[ActionRow, ...]:
    """The open actions of a built report, in working order; ``staff_numbers`` maps a person's
    evidence id to the staff number their import had (see
    :func:`staff_numbers_from_provenance`)."""
    numbers = staff_numbers or {}
    rows = [
        _row(report, f, f.status.value, f.message, numbers)
        for f in report.assessment.findings
        if f.status in _OPEN
    ]
    rows += [
        _row(report, lp.finding, "due_soon", f"{lp.what}: {lp.finding.message}", numbers)
        for lp in report.lapses
        if lp.finding.status not in _OPEN
    ]
    as_of = report.assessment.as_of
    order = {rid: info.order for rid, info in report.requirements.items()}
    rows.sort(
        key=lambda r: (
            not r.overdue,
            r.due_on or as_of,  # no due date: due now
            r.subject_type,
            r.subject_id,
            order[r.requirement_id],
            r.finding_id,
        )
    )
    return tuple(rows)


def render_csv(report: Report, *, staff_numbers: Mapping[str, str] | None = None) -> str:
    """The action list as CSV (RFC 4180: every field quoted, CRLF line ends, UTF-8), with a
    header row of :data:`ACTION_COLUMNS`."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(ACTION_COLUMNS)
    for row in action_rows(report, staff_numbers=staff_numbers):
        writer.writerow(row.cells())
    return out.getvalue()


def _about(report: Report) -> list[tuple[str, str]]:
    a = report.assessment
    pack = f"{a.pack}@{a.pack_edition}"
    rows = [
        ("Provider", a.provider_id),
        ("Standard", f"{report.pack_title} ({pack})" if report.pack_title else pack),
        ("Assessed as of", a.as_of.isoformat()),
        ("Lapses listed within", f"{report.horizon_days} days (to {report.horizon_end})"),
        ("Evidence bundle", a.bundle_id),
        ("Pack digest", a.pack_digest),
        ("Evidence digest", a.evidence_digest),
        ("Produced by", f"safeguard-std {a.library_version}"),
        ("Names", "shown" if report.names else "withheld"),
    ]
    if report.provider_name:
        rows.insert(1, ("Provider name", report.provider_name))
    return rows


#: The first and last days a ZIP entry can be dated (MS-DOS dates: 1980 + 0..127 years).
_ZIP_FIRST_DAY, _ZIP_LAST_DAY = dt.date(1980, 1, 1), dt.date(2107, 12, 31)


def _fixed_zip(data: bytes, when: dt.date, core: bytes) -> bytes:
    """The same archive with every entry dated ``when`` and the document properties ``core``:
    openpyxl stamps the time of writing on both. ZIP stores dates from 1980 to 2107 only, so a
    ``when`` outside is dated the nearest end (the properties keep it whole)."""
    day = min(max(when, _ZIP_FIRST_DAY), _ZIP_LAST_DAY)
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            content = core if info.filename == "docProps/core.xml" else source.read(info.filename)
            target.writestr(entry, content)
    return out.getvalue()


def render_xlsx(report: Report, *, staff_numbers: Mapping[str, str] | None = None) -> bytes:
    """The action list as an Excel workbook: an "Actions" sheet (header row frozen, filters on)
    and an "About" sheet saying which assessment it comes from. Needs openpyxl (the ``xlsx``
    extra). The same report gives the same bytes."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
        from openpyxl.xml.functions import tostring
    except ImportError:
        raise MissingExtra("writing .xlsx files", "xlsx", "openpyxl") from None
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Actions"
    rows = [list(ACTION_COLUMNS)]
    rows += [row.cells() for row in action_rows(report, staff_numbers=staff_numbers)]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            cell.data_type = "s"  # text, whatever it looks like: never a formula
    for c in range(1, len(ACTION_COLUMNS) + 1):
        sheet.cell(row=1, column=c).font = Font(bold=True)
        width = max(len(str(row[c - 1])) for row in rows)
        sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(ACTION_COLUMNS))}{len(rows)}"
    about = book.create_sheet("About")
    for r, (key, value) in enumerate(_about(report), start=1):
        for c, text in enumerate((key, value), start=1):
            cell = about.cell(row=r, column=c)
            cell.value = safe_cell(text)
            cell.data_type = "s"
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 80
    as_of = report.assessment.as_of
    # xlsx document times are naive; midnight of as_of, never the time of writing
    when = dt.datetime(as_of.year, as_of.month, as_of.day)  # noqa: DTZ001
    book.properties.created = when
    book.properties.modified = when
    book.properties.creator = "safeguard-std"
    out = io.BytesIO()
    book.save(out)  # sets properties.modified to now: written again below, dated as_of
    book.properties.modified = when
    core = tostring(book.properties.to_tree())
    return _fixed_zip(out.getvalue(), report.assessment.as_of, core)


def staff_numbers_from_provenance(
    document: Mapping[str, Any], *, source: str = ""
) -> dict[str, str]:
    """Person id -> staff number, from the provenance document an SCR import writes beside the
    bundle (``BUNDLE.provenance.json``): a record's ``id`` that came from a staff number cell
    keeps the raw value there. ``source`` names the file in errors
    (:class:`~safeguard_std.exceptions.ReportError`, located at the bad entry)."""
    where = f"{source}: " if source else ""
    records = document.get("records")
    if not isinstance(records, Mapping):
        raise ReportError(f"{where}records: expected an object of records by evidence id")
    numbers = {}
    for record_id in sorted(records):
        fields = records[record_id]
        if not isinstance(fields, Mapping):
            raise ReportError(f"{where}records.{record_id}: expected an object of fields")
        origins = fields.get("id")
        if origins is None:
            continue
        if not isinstance(origins, list) or not all(isinstance(o, Mapping) for o in origins):
            raise ReportError(
                f"{where}records.{record_id}.id: expected a list of origins, got {origins!r:.60}"
            )
        raw = next((o.get("raw") for o in origins if o.get("raw") is not None), None)
        if raw is not None:
            numbers[str(record_id)] = str(raw)
    return numbers


def to_csv(
    assessment: Assessment,
    *,
    pack: Pack | None = None,
    bundle: EvidenceBundle | None = None,
    include_personal_data: bool = False,
    horizon_days: int = 90,
    staff_numbers: Mapping[str, str] | None = None,
) -> str:
    """The action list of ``assessment`` as CSV; see
    :func:`~safeguard_std.reports.build_report` for the arguments."""
    report = build_report(
        assessment,
        pack=pack,
        bundle=bundle,
        include_personal_data=include_personal_data,
        horizon_days=horizon_days,
    )
    return render_csv(report, staff_numbers=staff_numbers)


def to_xlsx(
    assessment: Assessment,
    *,
    pack: Pack | None = None,
    bundle: EvidenceBundle | None = None,
    include_personal_data: bool = False,
    horizon_days: int = 90,
    staff_numbers: Mapping[str, str] | None = None,
) -> bytes:
    """The action list of ``assessment`` as an XLSX workbook (bytes); see
    :func:`~safeguard_std.reports.build_report` for the arguments."""
    report = build_report(
        assessment,
        pack=pack,
        bundle=bundle,
        include_personal_data=include_personal_data,
        horizon_days=horizon_days,
    )
    return render_xlsx(report, staff_numbers=staff_numbers)
