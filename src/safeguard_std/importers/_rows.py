"""One row of a single central record becomes one :class:`Person`, or a rejection.

Values come, in order of precedence, from the row's own cell, from a header that implies them
("Enhanced DBS date" implies the level), from a section heading row or the sheet's name (role
type), or from a mapping default. Every value imported is recorded with where it came from; every
cell that is not imported is reported with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from safeguard_std.domain.people import (
    Engagement,
    Person,
    RegulatedActivity,
    RoleType,
)
from safeguard_std.importers._checks import CheckReader
from safeguard_std.importers._parsed import Severity
from safeguard_std.importers._redact import unfit_for_an_id
from safeguard_std.importers._row_values import (
    ENGAGEMENT_OPTIONS,
    ID_CHARS,
    Cell,
    RowContext,
    Value,
    row_id,
    sheet_records,
)
from safeguard_std.importers._values import is_company_name

__all__ = ["Cell", "RowBuilder", "RowContext", "Value", "sheet_records", "staff_number_id"]


def staff_number_id(value: object) -> str:
    """The id a staff number gives its person (``p-`` alone when nothing of it can be kept).
    88 characters of it leave room in 128 for the longest record id made from it
    (``p-...:risk_assessment:<kind>``)."""
    return "p-" + ID_CHARS.sub("-", str(value)).strip("-")[:88]


class RowBuilder(CheckReader):
    """Builds the person for one row; collects issues and provenance as it goes."""

    __slots__ = ()

    # -- the row -------------------------------------------------------------------------------

    def build(self) -> Person | None:
        """The person, or ``None`` when the row is rejected (issues say why)."""
        self.merge_checks()
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
        if dob is None:
            self._no_birth_date()
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
        self.leftovers()
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
        if value is not None and unfit_for_an_id(str(value.value)):
            self.warn(
                "person.staff_number_personal",
                "looks like personal data (a name, a National Insurance, certificate or "
                "postcode), not a staff number: the person is identified by row instead",
                value.cell,
            )
            value = None
        if value is not None:
            candidate = staff_number_id(value.value)
            if candidate == "p-" or candidate in self.taken_ids:
                self.warn(
                    "person.staff_number_reused",
                    "this staff number is already used by another row: the person is "
                    "identified by row instead",
                    value.cell,
                )
                candidate = None
        self.person_id = candidate or row_id(self.ctx, self.row)
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
        # A mark ("N/A", "TBC", "-") reads without a date: there is nothing to compare.
        if dob is None or type(dob.parsed.value) is not dt.date:
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

    def _no_birth_date(self) -> None:
        field = "person.date_of_birth"
        if field not in self.ctx.columns or field in self.cells:
            return
        if any(i.field == field for i in self.issues):  # a refused or dropped cell: said
            return
        self.issue(
            Severity.NOTE,
            "person.no_date_of_birth",
            "no date of birth: it is needed to tell two people of the same name apart and to "
            "judge checks that depend on age",
            field=field,
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
        as_of = self.ctx.as_of
        if start is not None and as_of is not None and start.value > as_of:
            self.issue(
                Severity.NOTE,
                "engagement.not_yet_started",
                f"not yet started: the start date is after the as-of date ({as_of.isoformat()}); "
                "the person is kept and judged once they start",
                start.cell,
                field="engagement.start_on",
            )
        # No start date (blank, "TBC"): the engagement is taken as in force and the person
        # judged; the bundle's cross-field checks say so on the row (engagement.no_start).
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
        for name, key in ENGAGEMENT_OPTIONS:
            if key in self.available:
                value = self.plain(key)
                if value is not None:
                    fields[name] = value.value
                    self.record(eid, name, value)
        return Engagement(**fields)


def _split_names(value: object) -> Iterable[str]:
    return [p.strip() for p in re.split(r"[;,/]", str(value)) if p.strip()]
