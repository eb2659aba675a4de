"""A row's DBS certificate, its Update Service subscription and status checks, and the
"copy kept" column."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from safeguard_std.domain.calendar import Period, add_period
from safeguard_std.domain.people import (
    CheckStatus,
    DbsCheck,
    DbsDisclosure,
    DbsLevel,
    Jurisdiction,
    StatusCheck,
    UpdateServiceSubscription,
)
from safeguard_std.importers._parsed import Mark, Severity
from safeguard_std.importers._result import Origin
from safeguard_std.importers._values import READERS

__all__ = ["DbsReader"]

from safeguard_std.importers._row_values import RowReader, Value

_SIX_MONTHS = Period(months=6)


@attrs.define
class _DbsCells:
    """What a row's DBS cells say, as read so far (later steps drop what cannot stand)."""

    jurisdiction: Value | None
    where: Jurisdiction
    number: Value | None
    level_value: Value | None
    level: dict[str, Any]
    issued_done: bool
    issued: dt.date | None
    issued_value: Value | None
    seen_done: bool
    seen: dt.date | None
    seen_value: Value | None
    disclosure: Value | None = None
    pending: bool = False


class DbsReader(RowReader):
    """Reads the DBS columns of a row."""

    __slots__ = ()

    def _dbs(self) -> DbsCheck | None:
        if "dbs" not in self.ctx.groups:
            return None
        cells = self._dbs_cells()
        if "dbs" in self.refused:
            return None
        self._drop_seen_before_issued(cells)
        cells.disclosure = self._disclosure()
        cells.pending = "dbs" in self.pending
        if cells.pending:
            self._drop_while_pending(cells)
        if not self._dbs_recorded(cells):
            return None
        if not cells.level:
            self._no_level()
            return None
        return self._dbs_check(cells)

    def _dbs_cells(self) -> _DbsCells:
        jurisdiction = self.plain("dbs.jurisdiction")
        where = jurisdiction.value if jurisdiction else Jurisdiction.DBS
        number = self._certificate_number(where)
        level_value = self.plain("dbs.level")
        level: dict[str, Any] = dict(level_value.value) if level_value else {}
        issued = self._dbs_issued()
        seen = self.check_date("dbs.seen_on")
        return _DbsCells(jurisdiction, where, number, level_value, level, *issued, *seen)

    def _drop_seen_before_issued(self, cells: _DbsCells) -> None:
        if not (cells.seen and cells.issued and cells.seen < cells.issued):
            return
        self.warn(
            "dbs.seen_before_issued",
            "the certificate is recorded as seen before it was issued: seen date not imported",
            cells.seen_value.cell if cells.seen_value else None,
        )
        cells.seen, cells.seen_value = None, None

    def _drop_while_pending(self, cells: _DbsCells) -> None:
        # Applied for, not issued: it has no seen date or result yet.
        self.not_while_pending(cells.seen_value, "DBS certificate")
        self.not_while_pending(cells.disclosure, "DBS certificate")
        cells.seen, cells.seen_value, cells.disclosure, cells.seen_done = None, None, None, False

    def _dbs_recorded(self, cells: _DbsCells) -> bool:
        own = [self.cell(f) for f in ("dbs.level", "dbs.workforce", "dbs.barred_list_children")]
        return (
            cells.number is not None
            or cells.issued_done
            or cells.seen_done
            or cells.disclosure is not None
            or any(own)
            or cells.pending
        )

    def _no_level(self) -> None:
        self.covered("dbs.")
        self.warn(
            "dbs.no_level",
            "DBS check not imported: its level (basic, standard or enhanced) is not "
            "recorded; add a level column or a default (--default dbs.level=enhanced)",
            field="dbs.level",
        )

    def _dbs_check(self, cells: _DbsCells) -> DbsCheck:
        rid = f"{self.person_id}:dbs"
        fields = self._dbs_fields(rid, cells)
        self._by("dbs.seen_by", rid, "seen_by", fields)
        self._barred(fields, cells.level, cells.level_value)
        self._dbs_workforce(rid, fields, cells)
        if cells.disclosure is not None:
            fields["disclosure"] = cells.disclosure.value
            self.record(rid, "disclosure", cells.disclosure)
        if cells.issued is None and self._update_service_from_issue is None and not cells.pending:
            self._undated("DBS certificate", "dbs.issued_on")
        self._copy_kept()
        return DbsCheck(**fields)

    def _dbs_fields(self, rid: str, cells: _DbsCells) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "id": rid,
            "jurisdiction": cells.where,
            "level": cells.level["level"],
            "issued_on": cells.issued,
            "seen_on": cells.seen,
        }
        if cells.pending:
            fields["status"] = CheckStatus.PENDING
        self.record(rid, "jurisdiction", cells.jurisdiction)
        self.record(rid, "level", cells.level_value)
        self.record(rid, "issued_on", cells.issued_value)
        self.record(rid, "seen_on", cells.seen_value)
        if cells.number is not None:
            fields["certificate_number"] = cells.number.value
            self.record(rid, "certificate_number", cells.number)
        return fields

    def _dbs_workforce(self, rid: str, fields: dict[str, Any], cells: _DbsCells) -> None:
        workforce = self.plain("dbs.workforce")
        if workforce is not None:
            fields["workforce"] = workforce.value
            self.record(rid, "workforce", workforce)
        elif "workforce" in cells.level:
            fields["workforce"] = cells.level["workforce"]
            self.record(rid, "workforce", cells.level_value)

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
