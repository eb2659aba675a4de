"""One row of a single central record becomes one :class:`Person`, or a rejection.

Values come, in order of precedence, from the row's own cell, from a header that implies them
("Enhanced DBS date" implies the level), from a section heading row or the sheet's name (role
type), or from a mapping default. Every value imported is recorded with where it came from; every
cell that is not imported is reported with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import attrs

from safeguard_std.domain.calendar import Period, add_period
from safeguard_std.domain.people import (
    DbsCheck,
    DbsDisclosure,
    DbsLevel,
    Engagement,
    IdentityCheck,
    IdentityDocument,
    Jurisdiction,
    LadoNotification,
    Person,
    QualificationCheck,
    Reference,
    RegulatedActivity,
    RightToWorkCheck,
    RiskAssessment,
    RiskAssessmentKind,
    RoleType,
    StatusCheck,
    SuitabilityCheck,
    SuitabilityCheckKind,
    TrainingCourse,
    TrainingRecord,
    UpdateServiceSubscription,
)
from safeguard_std.importers._fields import FIELDS, REFERENCE_SLOTS
from safeguard_std.importers._headers import Column
from safeguard_std.importers._parsed import Mark, Parsed, Severity
from safeguard_std.importers._result import Issue, Origin
from safeguard_std.importers._values import READERS, RefereeReading, cell_text, is_company_name

__all__ = ["Cell", "RowBuilder", "RowContext", "Value"]

_SIX_MONTHS = Period(months=6)
# Enum iteration is slow and these loops run for every row: iterate tuples built once.
_SUITABILITY = tuple((k, f"check.{k.value}") for k in SuitabilityCheckKind)
_COURSES = tuple((c, f"training.{c.value}") for c in TrainingCourse)
_RISKS = tuple((k, f"risk_assessment.{k.value}") for k in RiskAssessmentKind)
_ENGAGEMENT_OPTIONS = tuple(
    (name, f"engagement.{name}")
    for name in (
        "regular_contact",
        "supervised",
        "management_role",
        "teaching_role",
        "job_title",
        "agency_name",
    )
)
_ID_CHARS = re.compile(r"[^A-Za-z0-9._:-]+")


class Cell(NamedTuple):
    """A non-blank cell: its column, raw value and how it read."""

    column: Column
    raw: object
    parsed: Parsed

    @property
    def text(self) -> str:
        """The raw value as text."""
        return _raw_text(self.raw)


def _raw_text(raw: object) -> str:
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0) and raw.tzinfo is None:
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return cell_text(raw) if not isinstance(raw, str) else raw


class Value(NamedTuple):
    """A value for a field and where it came from: a cell typed on the row (``cell``, ``row``
    and ``sheet``), or an ``origin`` (a header, a sheet name, a default). Origins of cells are
    built only when provenance is written: a record has tens of thousands of them."""

    value: Any
    mark: Mark | None
    origin: Origin | None = None
    cell: Cell | None = None
    row: int = 0
    sheet: str | None = None

    def to_origin(self) -> Origin:
        """Where the value came from."""
        if self.origin is not None:
            return self.origin
        cell = self.cell
        assert cell is not None
        return Origin(
            "cell",
            raw=cell.text,
            sheet=self.sheet,
            cell=f"{cell.column.letter}{self.row}",
            header=cell.column.header,
        )


@attrs.frozen
class RowContext:
    """What every row of a sheet shares."""

    sheet: str | None
    sheet_slug: str
    as_of: dt.date | None
    defaults: Mapping[str, Value]
    implied: Mapping[str, Value]
    sheet_role: Value | None
    board_role: RoleType
    columns: frozenset[str]
    available: frozenset[str] = frozenset()
    dated: tuple[str, ...] = ()
    events: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    fallback: Mapping[str, Value] = attrs.field(factory=dict)
    suitability: tuple[tuple[SuitabilityCheckKind, str], ...] = ()
    courses: tuple[tuple[TrainingCourse, str], ...] = ()
    risks: tuple[tuple[RiskAssessmentKind, str], ...] = ()

    def has(self, *fields: str) -> bool:
        """Whether any of ``fields`` can have a value on this sheet (a column, an implied
        value or a default): records no column can fill are not looked for, row after row."""
        return not self.available.isdisjoint(fields)


def sheet_records(
    available: frozenset[str],
) -> tuple[
    tuple[tuple[SuitabilityCheckKind, str], ...],
    tuple[tuple[TrainingCourse, str], ...],
    tuple[tuple[RiskAssessmentKind, str], ...],
]:
    """The further checks, courses and risk assessments some column or default can give on a
    sheet: worked out once per sheet, so rows do not look for records nothing can fill."""

    def has(*fields: str) -> bool:
        return not available.isdisjoint(fields)

    return (
        tuple(
            (k, b)
            for k, b in _SUITABILITY
            if has(f"{b}.checked_on", f"{b}.checked_by", f"{b}.satisfactory")
        ),
        tuple((c, b) for c, b in _COURSES if has(f"{b}.completed_on")),
        tuple((k, b) for k, b in _RISKS if has(f"{b}.completed_on")),
    )


def _row_id(ctx: RowContext, row: int) -> str:
    return f"p-{ctx.sheet_slug}-r{row}" if ctx.sheet_slug else f"p-r{row}"


class RowBuilder:
    """Builds the person for one row; collects issues and provenance as it goes."""

    def __init__(
        self,
        ctx: RowContext,
        row: int,
        cells: dict[str, list[Cell]],
        section_role: Value | None,
        taken_ids: set[str],
    ) -> None:
        self.ctx = ctx
        self.sheet = ctx.sheet
        self.fallback = ctx.fallback
        self.available = ctx.available
        self.row = row
        self.cells = cells
        self.section_role = section_role
        self.taken_ids = taken_ids
        self.issues: list[Issue] = []
        self.origins: dict[str, dict[str, tuple[Value, ...]]] = {}
        self.rejected = False
        self.person_id = ""
        self._role_value: Value | None = None
        self._update_service_from_issue: Value | None = None

    # -- reporting -----------------------------------------------------------------------------

    def issue(
        self,
        severity: Severity,
        code: str,
        message: str,
        cell: Cell | None = None,
        field: str | None = None,
    ) -> None:
        """Record an issue at a cell (or at the row)."""
        if cell is not None:
            spec = FIELDS.get(cell.column.field)
            self.issues.append(
                Issue(
                    severity,
                    code,
                    message,
                    sheet=self.ctx.sheet,
                    row=self.row,
                    column=cell.column.letter,
                    header=cell.column.header,
                    field=cell.column.field,
                    raw=cell.text,
                    personal=bool(spec and spec.personal),
                )
            )
        else:
            self.issues.append(
                Issue(severity, code, message, sheet=self.ctx.sheet, row=self.row, field=field)
            )

    def warn(
        self, code: str, message: str, cell: Cell | None = None, field: str | None = None
    ) -> None:
        """A warning at a cell or the row."""
        self.issue(Severity.WARNING, code, message, cell, field)

    def reject_row(self, code: str, message: str, cell: Cell | None = None) -> None:
        """The row cannot become a person."""
        self.rejected = True
        self.issue(Severity.ERROR, code, message, cell)

    def record(self, record_id: str, field: str, value: Value | None) -> None:
        """Remember where a record's field came from."""
        if value is not None:
            entry = self.origins.get(record_id)
            if entry is None:
                self.origins[record_id] = {field: (value,)}
            else:
                entry[field] = (value,)

    def record_all(self, record_id: str, field: str, values: tuple[Value, ...]) -> None:
        """Remember the several values a field was built from (a name from two columns)."""
        if values:
            self.origins.setdefault(record_id, {})[field] = values

    # -- reading values ------------------------------------------------------------------------

    def get(self, field: str) -> Value | None:
        """The row's value for ``field``: its cell, else implied, else a default."""
        if field not in self.available:
            return None
        found = self.cells.get(field)
        if found is not None:
            cell = found[0]
            parsed = cell.parsed
            return Value(parsed.value, parsed.mark, None, cell, self.row, self.sheet)
        return self.fallback.get(field)

    def cell(self, field: str) -> Cell | None:
        """The row's own cell for ``field``, if it has a readable one."""
        found = self.cells.get(field)
        return found[0] if found else None

    def drop(self, field: str, code: str, message: str) -> None:
        """Refuse a cell that read well but cannot be right (a date before birth, ...)."""
        cell = self.cell(field)
        if cell is not None:
            self.warn(code, message, cell)
            del self.cells[field]

    def marked(self, value: Value, *, yes_ok: bool) -> None:
        """Report what a mark means for a field that wanted a value."""
        cell = value.cell
        if cell is None:
            return
        mark = value.mark
        if mark is Mark.NOT_APPLICABLE:
            self.issue(
                Severity.NOTE,
                "cell.not_applicable",
                "marked not applicable: nothing imported",
                cell,
            )
        elif mark is Mark.UNKNOWN:
            self.issue(Severity.NOTE, "cell.unknown", "marked unknown: nothing imported", cell)
        elif mark is Mark.NO:
            self.issue(Severity.NOTE, "check.not_done", "marked not done: nothing imported", cell)
        elif mark is Mark.PENDING:
            self.warn(
                "check.pending",
                "marked pending ('TBC', 'awaited', ...): not evidence of a completed check",
                cell,
            )
        elif mark is Mark.YES and not yes_ok:
            self.warn("cell.mark_not_value", "a tick or 'yes' where a value was expected", cell)
        elif mark is Mark.UPDATE_SERVICE:
            self.warn(
                "cell.update_service_not_date",
                "'Update Service' says how a certificate is kept current, not when this "
                "check was done: nothing imported",
                cell,
            )

    def check_date(self, field: str) -> tuple[bool, dt.date | None, Value | None]:
        """A check column: (recorded as done, its date, the value). A tick is done, undated."""
        value = self.get(field)
        if value is None:
            return False, None, None
        if value.mark is None:
            return True, value.value, value
        if value.mark is Mark.YES:
            self.warn(
                "check.undated",
                "recorded as done ('Y', a tick, 'on file') but not dated",
                value.cell,
                field,
            )
            return True, None, value
        self.marked(value, yes_ok=True)
        return False, None, None

    def plain(self, field: str) -> Value | None:
        """A value that must not be a mark (marks are reported and give ``None``)."""
        if field not in self.available:
            return None
        found = self.cells.get(field)
        value: Value | None
        if found is not None:
            cell = found[0]
            parsed = cell.parsed
            value = Value(parsed.value, parsed.mark, None, cell, self.row, self.sheet)
        else:
            value = self.fallback.get(field)
            if value is None:
                return None
        if value.mark is not None:
            self.marked(value, yes_ok=False)
            return None
        return value

    # -- the row -------------------------------------------------------------------------------

    def build(self) -> Person | None:
        """The person, or ``None`` when the row is rejected (issues say why)."""
        name = self._name()
        if self.rejected or name is None:
            return None
        role = self._role()
        if role is None:
            return None
        self._identify()
        self._dates_against_birth_and_as_of()
        pid = self.person_id
        dob = self.plain("person.date_of_birth")
        prev = self.plain("person.previous_names")
        address = self._address()
        person_fields: dict[str, Any] = {
            "id": pid,
            "full_name": name[0],
            "date_of_birth": dob.value if dob else None,
            "previous_names": tuple(_split_names(prev.value)) if prev else (),
            "address": address[0] if address else None,
            "engagements": (self._engagement(role),),
        }
        self.record_all(pid, "full_name", name[1])
        self.record(pid, "date_of_birth", dob)
        self.record(pid, "previous_names", prev)
        if address:
            self.record_all(pid, "address", address[1])
        dbs = self._dbs()
        person_fields.update(
            identity_check=self._identity(),
            right_to_work=self._right_to_work(),
            qualification_checks=self._qualifications(),
            dbs_checks=(dbs,) if dbs else (),
            update_service=self._update_service(dbs),
            suitability_checks=self._suitability(dbs),
            references=self._references(),
            risk_assessments=self._risk_assessments(),
            lado_notifications=self._lado(),
            training=self._training(),
        )
        updated = self.plain("record.updated_on")
        if updated:
            person_fields["record_updated_on"] = updated.value
            self.record(pid, "record_updated_on", updated)
        try:
            return Person(**person_fields)
        except (ValueError, TypeError) as exc:  # a model rule this builder did not foresee
            self.reject_row(
                "row.model_rule", f"the record breaks a rule of the evidence model: {exc}"
            )
            return None

    def _name(self) -> tuple[str, tuple[Value, ...]] | None:
        full = self.plain("person.full_name")
        parts = [v for v in (self.plain("person.first_name"), self.plain("person.last_name")) if v]
        used: tuple[Value, ...]
        if full is not None:
            name, used = full.value, (full,)
        elif parts:
            name, used = " ".join(str(v.value) for v in parts), tuple(parts)
        else:
            self.reject_row("row.no_name", "no name: every row must name the person it records")
            return None
        if is_company_name(name):
            self.reject_row(
                "row.company",
                "names a company or organisation, not a person: list each person who works on "
                "site, by name",
                used[0].cell,
            )
            return None
        return name, used

    def _role(self) -> RoleType | None:
        value = self.plain("engagement.role_type")
        source = "cell"
        if value is None:
            value = self.section_role or self.ctx.sheet_role
            source = "section" if value is self.section_role else "sheet"
        if value is None:
            value = self.ctx.defaults.get("engagement.role_type")
        if value is None:
            self.reject_row(
                "row.no_role_type",
                "no role type: add a column such as 'Staff type' (employee, volunteer, agency, "
                "governor, trustee, contractor...), name the sheet after the role, or give a "
                "default (--default engagement.role_type=employee)",
            )
            return None
        self._role_value = value
        if value.value == "board":
            if source == "cell":
                self.issue(
                    Severity.NOTE,
                    "role_type.board",
                    f"'governor or trustee' read as {self.ctx.board_role.value}, from the "
                    "provider's kind",
                    value.cell,
                )
            return self.ctx.board_role
        return RoleType(value.value)

    def _identify(self) -> None:
        value = self.plain("person.staff_number")
        candidate = None
        if value is not None:
            candidate = "p-" + _ID_CHARS.sub("-", str(value.value)).strip("-")[:120]
            if candidate == "p-" or candidate in self.taken_ids:
                self.warn(
                    "person.staff_number_reused",
                    "this staff number is already used by another row: the person is "
                    "identified by row instead",
                    value.cell,
                )
                candidate = None
        self.person_id = candidate or _row_id(self.ctx, self.row)
        self.taken_ids.add(self.person_id)
        if value is not None and candidate is not None:
            self.record(self.person_id, "id", value)

    def _dated_fields(self) -> list[str]:
        cells = self.cells
        return [
            f for f in self.ctx.dated if f in cells and type(cells[f][0].parsed.value) is dt.date
        ]

    def _dates_against_birth_and_as_of(self) -> None:
        as_of = self.ctx.as_of
        events = self.ctx.events
        dated = self._dated_fields()
        if not dated:
            return
        for field in dated:
            if as_of is not None and field in events and self.cells[field][0].parsed.value > as_of:
                self.drop(
                    field,
                    "date.future",
                    f"dated after the as-of date ({as_of.isoformat()}): a completed check or "
                    "event cannot be in the future; not imported",
                )
        dob = self.cell("person.date_of_birth")
        if dob is None:
            return
        born = dob.parsed.value
        earlier = [
            f
            for f in dated
            if f != "person.date_of_birth"
            and f in self.cells
            and self.cells[f][0].parsed.value < born
        ]
        if len(earlier) >= 2:
            self.drop(
                "person.date_of_birth",
                "date.birth_after_events",
                f"the date of birth is after {len(earlier)} other dates on the row: it cannot "
                "be right, so it is not imported",
            )
        elif earlier:
            self.drop(
                earlier[0],
                "date.before_birth",
                "dated before the person's date of birth: not imported",
            )

    def _address(self) -> tuple[str, tuple[Value, ...]] | None:
        cells = self.cells.get("person.address")
        if cells:
            values = [self._cell_value(c) for c in cells]
            return ", ".join(str(c.parsed.value) for c in cells), tuple(values)
        value = self.plain("person.address")
        return (str(value.value), (value,)) if value else None

    def _cell_value(self, cell: Cell) -> Value:
        parsed = cell.parsed
        return Value(parsed.value, parsed.mark, None, cell, self.row, self.ctx.sheet)

    # -- engagement ----------------------------------------------------------------------------

    def _engagement(self, role: RoleType) -> Engagement:
        eid = f"{self.person_id}:e1"
        start = self.plain("engagement.start_on")
        end = self.plain("engagement.end_on")
        if start and end and end.value < start.value:
            self.warn(
                "engagement.end_before_start",
                "the leaving date is before the start date: leaving date not imported",
                end.cell,
            )
            end = None
        if start is None:
            self.warn(
                "engagement.no_start",
                "no start date: the person is not judged until one is recorded (only "
                "engagements in force on the as-of date are judged)",
                field="engagement.start_on",
            )
        regulated = self.plain("engagement.regulated_activity")
        fields: dict[str, Any] = {
            "id": eid,
            "role_type": role,
            "start_on": start.value if start else None,
            "end_on": end.value if end else None,
            "regulated_activity": regulated.value if regulated else RegulatedActivity.UNKNOWN,
        }
        self.record(eid, "role_type", self._role_value)
        self.record(eid, "start_on", start)
        self.record(eid, "end_on", end)
        self.record(eid, "regulated_activity", regulated)
        for name, key in _ENGAGEMENT_OPTIONS:
            if key in self.available:
                value = self.plain(key)
                if value is not None:
                    fields[name] = value.value
                    self.record(eid, name, value)
        return Engagement(**fields)

    # -- checks --------------------------------------------------------------------------------

    def _by(self, field: str, rid: str, name: str, into: dict[str, Any]) -> None:
        if field not in self.available:
            return
        value = self.plain(field)
        if value is not None:
            into[name] = value.value
            self.record(rid, name, value)

    def _identity(self) -> IdentityCheck | None:
        if not self.ctx.has("identity.checked_on", "identity.checked_by", "identity.documents"):
            return None
        rid = f"{self.person_id}:identity"
        done, on, value = self.check_date("identity.checked_on")
        docs = self.plain("identity.documents")
        fields: dict[str, Any] = {"id": rid, "checked_on": on}
        self._by("identity.checked_by", rid, "checked_by", fields)
        if docs is not None:
            fields["documents"] = tuple(
                IdentityDocument(type=d.type, photo=d.photo, shows_address=d.shows_address)
                for d in docs.value
            )
            self.record(rid, "documents", docs)
        if not done and len(fields) == 2:
            return None
        if not done:
            self._undated("identity check", "identity.checked_on")
        self.record(rid, "checked_on", value)
        return IdentityCheck(**fields)

    def _undated(self, what: str, field: str) -> None:
        self.warn("check.undated", f"{what} recorded without a date", field=field)

    def _right_to_work(self) -> RightToWorkCheck | None:
        if not self.ctx.has(
            "right_to_work.checked_on", "right_to_work.checked_by", "right_to_work.expires_on"
        ):
            return None
        rid = f"{self.person_id}:rtw"
        done, on, value = self.check_date("right_to_work.checked_on")
        expires = self.plain("right_to_work.expires_on")
        fields: dict[str, Any] = {"id": rid, "checked_on": on}
        self._by("right_to_work.checked_by", rid, "checked_by", fields)
        if expires is not None:
            fields.update(time_limited=True, permission_expires_on=expires.value)
            self.record(rid, "permission_expires_on", expires)
        if not done and len(fields) == 2:
            return None
        if not done:
            self._undated("right-to-work check", "right_to_work.checked_on")
        self.record(rid, "checked_on", value)
        return RightToWorkCheck(**fields)

    def _qualifications(self) -> tuple[QualificationCheck, ...]:
        if not self.ctx.has("qualifications.checked_on", "qualifications.name"):
            return ()
        rid = f"{self.person_id}:qualifications"
        value = self.get("qualifications.checked_on")
        name = self.plain("qualifications.name")
        title = str(name.value) if name else None
        if value is not None and value.mark is Mark.NOT_APPLICABLE:
            title = title or (value.cell.column.header if value.cell else "qualifications")
            self.record(rid, "required", value)
            self.record(rid, "qualification", name or value)
            return (QualificationCheck(id=rid, qualification=title, required=False),)
        done, on, value = self.check_date("qualifications.checked_on")
        fields: dict[str, Any] = {"id": rid, "checked_on": on}
        self._by("qualifications.checked_by", rid, "checked_by", fields)
        if not done and name is None:
            return ()
        header = value.cell.column.header if value and value.cell else "qualifications"
        fields["qualification"] = title or header
        self.record(rid, "qualification", name or value)
        self.record(rid, "checked_on", value)
        return (QualificationCheck(**fields),)

    def _dbs(self) -> DbsCheck | None:
        if "dbs" not in self.ctx.groups:
            return None
        rid = f"{self.person_id}:dbs"
        jurisdiction = self.plain("dbs.jurisdiction")
        where = jurisdiction.value if jurisdiction else Jurisdiction.DBS
        number = self._certificate_number(where)
        level_value = self.plain("dbs.level")
        level: dict[str, Any] = dict(level_value.value) if level_value else {}
        done, issued, issued_value = self._dbs_issued()
        seen_done, seen, seen_value = self.check_date("dbs.seen_on")
        if seen and issued and seen < issued:
            self.warn(
                "dbs.seen_before_issued",
                "the certificate is recorded as seen before it was issued: seen date not imported",
                seen_value.cell if seen_value else None,
            )
            seen, seen_value = None, None
        disclosure = self._disclosure()
        own = [self.cell(f) for f in ("dbs.level", "dbs.workforce", "dbs.barred_list_children")]
        exists = number is not None or done or seen_done or disclosure is not None or any(own)
        if not exists:
            return None
        if not level:
            self.warn(
                "dbs.no_level",
                "DBS check not imported: its level (basic, standard or enhanced) is not "
                "recorded; add a level column or a default (--default dbs.level=enhanced)",
                field="dbs.level",
            )
            return None
        fields: dict[str, Any] = {
            "id": rid,
            "jurisdiction": where,
            "level": level["level"],
            "issued_on": issued,
            "seen_on": seen,
        }
        self.record(rid, "jurisdiction", jurisdiction)
        self.record(rid, "level", level_value)
        self.record(rid, "issued_on", issued_value)
        self.record(rid, "seen_on", seen_value)
        if number is not None:
            fields["certificate_number"] = number.value
            self.record(rid, "certificate_number", number)
        self._by("dbs.seen_by", rid, "seen_by", fields)
        self._barred(fields, level, level_value)
        workforce = self.plain("dbs.workforce")
        if workforce is not None:
            fields["workforce"] = workforce.value
            self.record(rid, "workforce", workforce)
        elif "workforce" in level:
            fields["workforce"] = level["workforce"]
            self.record(rid, "workforce", level_value)
        if disclosure is not None:
            fields["disclosure"] = disclosure.value
            self.record(rid, "disclosure", disclosure)
        if issued is None and done and self._update_service_from_issue is None:
            self._undated("DBS certificate", "dbs.issued_on")
        self._copy_kept()
        return DbsCheck(**fields)

    def _certificate_number(self, where: Jurisdiction) -> Value | None:
        cell = self.cell("dbs.certificate_number")
        if cell is None:
            return None
        reader = READERS["dbs_number" if where is Jurisdiction.DBS else "dbs_number_other"]
        parsed = reader(cell.raw)
        for note in parsed.notes:
            self.issue(note.severity, note.code, note.message, cell)
        value = Value(parsed.value, parsed.mark, None, cell, self.row, self.ctx.sheet)
        if parsed.mark is not None:
            self.marked(value, yes_ok=False)
            return None
        return None if parsed.rejected or parsed.value is None else value

    def _dbs_issued(self) -> tuple[bool, dt.date | None, Value | None]:
        value = self.get("dbs.issued_on")
        if value is not None and value.mark is Mark.UPDATE_SERVICE:
            self.warn(
                "dbs.update_service_not_date",
                "'Update Service' says how the certificate is kept current, not when it was "
                "issued: recorded as an Update Service subscription, with no issue date",
                value.cell,
            )
            self._update_service_from_issue = value
            return True, None, None
        return self.check_date("dbs.issued_on")

    def _disclosure(self) -> Value | None:
        value = self.plain("dbs.disclosure")
        if value is not None:
            return value
        flag = self.plain("dbs.information_disclosed")
        if flag is None:
            return None
        result = DbsDisclosure.INFORMATION_DISCLOSED if flag.value else DbsDisclosure.CLEAR
        return flag._replace(value=result)

    def _barred(
        self, fields: dict[str, Any], level: dict[str, Any], level_value: Value | None
    ) -> None:
        rid = fields["id"]
        explicit = self.plain("dbs.barred_list_children")
        barred_check = self.get("check.barred_list.checked_on")
        if explicit is not None:
            fields["barred_list_children"] = explicit.value
            self.record(rid, "barred_list_children", explicit)
        elif "barred_list_children" in level:
            fields["barred_list_children"] = level["barred_list_children"]
            self.record(rid, "barred_list_children", level_value)
        elif barred_check is not None and (barred_check.mark in (None, Mark.YES, Mark.NO)):
            fields["barred_list_children"] = barred_check.mark is not Mark.NO
            self.record(rid, "barred_list_children", barred_check)
        elif (
            fields["level"] is DbsLevel.ENHANCED
            and "check.barred_list.checked_on" in self.ctx.columns
            and barred_check is None
            and "check.barred_list.checked_on" not in self._rejected_fields()
        ):
            self.warn(
                "dbs.barred_list_blank",
                "enhanced DBS check with the barred-list cell blank: whether the children's "
                "barred list was checked is recorded as not known",
                field="check.barred_list.checked_on",
            )
        if "barred_list_adults" in level:
            fields["barred_list_adults"] = level["barred_list_adults"]
        adults = self.plain("dbs.barred_list_adults")
        if adults is not None:
            fields["barred_list_adults"] = adults.value
            self.record(rid, "barred_list_adults", adults)

    def _rejected_fields(self) -> set[str]:
        return {i.field for i in self.issues if i.field}

    def _copy_kept(self) -> None:
        done, on, value = self.get_copy()
        if not done or value is None:
            return
        as_of = self.ctx.as_of
        if on is None:
            self.warn(
                "dbs.copy_kept_undated",
                "a copy of the DBS certificate is kept, with no date: copies should be "
                "destroyed within 6 months",
                value.cell,
            )
        elif as_of is not None and add_period(on, _SIX_MONTHS) < as_of:
            self.warn(
                "dbs.copy_kept_too_long",
                f"a copy of the DBS certificate has been kept for more than 6 months (since "
                f"{on.isoformat()}): copies should be destroyed within 6 months",
                value.cell,
            )
        else:
            self.issue(
                Severity.NOTE,
                "dbs.copy_kept",
                "a copy of the certificate is kept (not evidence in the model)",
                value.cell,
            )

    def get_copy(self) -> tuple[bool, dt.date | None, Value | None]:
        """The "copy of DBS kept" column, without the usual undated warning."""
        value = self.get("dbs.copy_kept")
        if value is None or value.mark not in (None, Mark.YES):
            if value is not None:
                self.marked(value, yes_ok=True)
            return False, None, None
        return True, value.value if value.mark is None else None, value

    def _update_service(self, dbs: DbsCheck | None) -> UpdateServiceSubscription | None:
        if self._update_service_from_issue is None and "update_service" not in self.ctx.groups:
            return None
        rid = f"{self.person_id}:update_service"
        value = self.get("update_service.subscribed")
        from_issue = self._update_service_from_issue
        subscribed = False
        on = None
        if value is not None:
            if value.mark in (None, Mark.YES, Mark.UPDATE_SERVICE):
                subscribed, on = True, value.value if value.mark is None else None
            else:
                self.marked(value, yes_ok=True)
                value = None
        if not subscribed and from_issue is not None:
            subscribed, value = True, from_issue
        check = self._status_check(rid, dbs)
        if not subscribed and check is None:
            return None
        self.record(rid, "subscribed_on", value)
        checks = (check,) if check else ()
        if check is not None and not subscribed:
            self.record(
                rid,
                "status_checks",
                Value(
                    None, None, Origin("derived", detail="a status check implies a subscription")
                ),
            )
        return UpdateServiceSubscription(id=rid, subscribed_on=on, status_checks=checks)

    def _status_check(self, rid: str, dbs: DbsCheck | None) -> StatusCheck | None:
        on = self.plain("update_service.checked_on")
        result = self.plain("update_service.result")
        if on is None and result is None:
            return None
        if on is None or result is None:
            missing = "a result" if on is not None else "a date"
            given = on if on is not None else result
            self.warn(
                "update_service.incomplete",
                f"Update Service status check without {missing}: not imported",
                given.cell if given is not None else None,
            )
            return None
        if dbs is not None and dbs.issued_on is not None and on.value < dbs.issued_on:
            self.warn(
                "update_service.check_before_issue",
                "status check dated before the certificate was issued: not imported",
                on.cell,
            )
            return None
        sid = f"{rid}:status"
        fields: dict[str, Any] = {"id": sid, "checked_on": on.value, "result": result.value}
        if dbs is not None:
            fields["dbs_check_id"] = dbs.id
        self._by("update_service.checked_by", sid, "checked_by", fields)
        self.record(sid, "checked_on", on)
        self.record(sid, "result", result)
        return StatusCheck(**fields)

    def _suitability(self, dbs: DbsCheck | None) -> tuple[SuitabilityCheck, ...]:
        out = []
        for kind, base in self.ctx.suitability:
            rid = f"{self.person_id}:check:{kind.value}"
            done, on, value = self.check_date(f"{base}.checked_on")
            fields: dict[str, Any] = {"id": rid, "kind": kind, "checked_on": on}
            self._by(f"{base}.checked_by", rid, "checked_by", fields)
            satisfactory = self.plain(f"{base}.satisfactory")
            if satisfactory is not None:
                fields["satisfactory"] = satisfactory.value
                self.record(rid, "satisfactory", satisfactory)
            if not done and len(fields) == 3:
                continue
            if not done:
                self._undated(f"{kind.value.replace('_', ' ')} check", f"{base}.checked_on")
            self.record(rid, "checked_on", value)
            out.append(SuitabilityCheck(**fields))
        return tuple(out)

    def _references(self) -> tuple[Reference, ...]:
        out: list[Reference] = []
        for n in REFERENCE_SLOTS:
            if f"reference{n}" not in self.ctx.groups:
                continue
            reference = self._reference(n)
            if reference is not None:
                out.append(reference)
        count = self.plain("references.count")
        if count is not None and count.value > len(out):
            extra = count.value - len(out)
            self.warn(
                "references.count_only",
                f"{count.value} references are counted but {extra} of them are not dated or "
                "verified: imported as references with no dates, not verified",
                count.cell,
            )
            for i in range(extra):
                rid = f"{self.person_id}:reference:counted{i + 1}"
                self.record(rid, "id", count)
                out.append(Reference(id=rid))
        return tuple(out)

    def _reference(self, n: int) -> Reference | None:
        base = f"reference{n}"
        rid = f"{self.person_id}:reference{n}"
        done, received, received_value = self.check_date(f"{base}.received_on")
        v_done, verified, verified_value = self.check_date(f"{base}.verified_on")
        if received and verified and verified < received:
            self.warn(
                "reference.verified_before_received",
                "verified before it was received: verified date not imported",
                verified_value.cell if verified_value else None,
            )
            verified, verified_value, v_done = None, None, False
        fields: dict[str, Any] = {"id": rid, "received_on": received, "verified_on": verified}
        self._by(f"{base}.verified_by", rid, "verified_by", fields)
        satisfactory = self.plain(f"{base}.satisfactory")
        if satisfactory is not None:
            fields["satisfactory"] = satisfactory.value
            self.record(rid, "satisfactory", satisfactory)
        kind = self.plain(f"{base}.kind")
        if kind is not None:
            reading: RefereeReading = kind.value
            fields.update(
                referee_kind=reading.kind,
                open_reference=reading.open_reference,
                supplied_by_candidate=reading.supplied_by_candidate,
            )
            self.record(rid, "referee_kind", kind)
        if not (done or v_done) and len(fields) == 3:
            return None
        if not done:
            self._undated(f"reference {n}", f"{base}.received_on")
        self.record(rid, "received_on", received_value)
        self.record(rid, "verified_on", verified_value)
        return Reference(**fields)

    def _training(self) -> tuple[TrainingRecord, ...]:
        out = []
        for course, base in self.ctx.courses:
            rid = f"{self.person_id}:training:{course.value}"
            done, on, value = self.check_date(f"{base}.completed_on")
            if not done:
                continue
            fields: dict[str, Any] = {"id": rid, "course": course, "completed_on": on}
            self._by(f"{base}.provider", rid, "provider_org", fields)
            recognised = self.plain(f"{base}.recognised")
            if recognised is not None:
                fields["recognised_by_partnership"] = recognised.value
                self.record(rid, "recognised_by_partnership", recognised)
            self.record(rid, "completed_on", value)
            out.append(TrainingRecord(**fields))
        return tuple(out)

    def _risk_assessments(self) -> tuple[RiskAssessment, ...]:
        found: dict[str, tuple[RiskAssessmentKind, dt.date | None, Value | None]] = {}
        if "risk_assessment" not in self.ctx.groups:
            return ()
        for kind, base in self.ctx.risks:
            done, on, value = self.check_date(f"{base}.completed_on")
            if done:
                found[kind.value] = (kind, on, value)
        done, on, value = self.check_date("risk_assessment.completed_on")
        kind_value = self.plain("risk_assessment.kind")
        if done and kind_value is None:
            self.warn(
                "risk_assessment.no_kind",
                "risk assessment not imported: what it was for is not recorded (add a 'Risk "
                "assessment type' column)",
                value.cell if value else None,
            )
        elif done and kind_value is not None:
            found.setdefault("generic", (kind_value.value, on, value))
        shared_generic = self.plain("risk_assessment.shared_with_lado_on")
        out: list[RiskAssessment] = []
        for key, (kind, on, value) in sorted(found.items()):
            rid = f"{self.person_id}:risk_assessment:{kind.value}"
            if any(r.id == rid for r in out):
                continue
            fields: dict[str, Any] = {"id": rid, "kind": kind, "completed_on": on}
            shared = self.plain(f"risk_assessment.{kind.value}.shared_with_lado_on")
            if shared is None and shared_generic is not None:
                only = len(found) == 1 or key == "generic"
                if only or kind is RiskAssessmentKind.DBS_DISCLOSURE:
                    shared, shared_generic = shared_generic, None
            if shared is not None and on is not None and shared.value < on:
                self.warn(
                    "risk_assessment.shared_before_completed",
                    "shared with the LADO before the risk assessment was completed: shared "
                    "date not imported",
                    shared.cell,
                )
                shared = None
            if shared is not None:
                fields["shared_with_lado_on"] = shared.value
                self.record(rid, "shared_with_lado_on", shared)
            if on is None:
                self._undated("risk assessment", f"risk_assessment.{kind.value}.completed_on")
            self.record(rid, "completed_on", value)
            out.append(RiskAssessment(**fields))
        if shared_generic is not None:
            self.warn(
                "risk_assessment.nothing_shared",
                "a date shared with the LADO, but no risk assessment on the row to attach it "
                "to: not imported",
                shared_generic.cell,
            )
        return tuple(out)

    def _lado(self) -> tuple[LadoNotification, ...]:
        if not self.ctx.has("lado.notified_on"):
            return ()
        done, on, value = self.check_date("lado.notified_on")
        if not done:
            return ()
        rid = f"{self.person_id}:lado"
        if on is None:
            self._undated("LADO notification", "lado.notified_on")
        self.record(rid, "notified_on", value)
        return (LadoNotification(id=rid, notified_on=on),)


def _split_names(value: object) -> Iterable[str]:
    return [p.strip() for p in re.split(r"[;,/]", str(value)) if p.strip()]
