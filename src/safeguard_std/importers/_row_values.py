"""The reader that builds a row: it looks values up, reports issues and remembers where each
value came from (the cells, values and sheet context it reads are in ``_row_cells``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeguard_std.importers._fields import FIELDS, group_of, record_name
from safeguard_std.importers._parsed import Mark, Severity
from safeguard_std.importers._result import Issue
from safeguard_std.importers._row_cells import (
    ENGAGEMENT_OPTIONS,
    ID_CHARS,
    Cell,
    RowContext,
    Value,
    can_pend,
    cell_issue,
    row_id,
    sheet_records,
)

__all__ = [
    "ENGAGEMENT_OPTIONS",
    "ID_CHARS",
    "Cell",
    "RowContext",
    "RowReader",
    "Value",
    "row_id",
    "sheet_records",
]


# A named tuple made without its Python-level __new__ (every field given): once per value read.
_new = tuple.__new__


#: Dates that are not of a check: "TBC" in them is a date not yet known, not a check pending.
_NOT_CHECKS = frozenset(
    {"person.date_of_birth", "engagement.start_on", "engagement.end_on", "record.updated_on"}
)


class RowReader:
    """Reads one row's values, reports its issues and remembers their origins."""

    # Slots: one is made per row.
    __slots__ = (
        "_role_value",
        "_update_service_from_issue",
        "accounted",
        "available",
        "cells",
        "conflicted",
        "ctx",
        "fallback",
        "issues",
        "origins",
        "pending",
        "person_id",
        "refused",
        "rejected",
        "row",
        "section_role",
        "sheet",
        "taken_ids",
    )

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
        # (record id, field, origin) triples, flat: an origin is the column index of a cell on
        # this row, a tuple of them, or a Value that knows its own origin (a header, a default).
        self.origins: list[Any] = []
        self.rejected = False
        self.person_id = ""
        self._role_value: Value | None = None
        self._update_service_from_issue: Value | None = None
        # Cells that became evidence or were reported: whatever is left over is reported at
        # the end, so no cell is ever dropped without a word (ids: cells are not hashable).
        self.accounted: set[int] = set()
        # Records a cell marked not done: none is made, whatever the record's other cells say.
        self.refused: set[str] = set()
        # Fields whose columns disagreed on the row (reported once, when merged).
        self.conflicted: set[str] = set()
        # Records whose main date says pending ("TBC", "applied"): made as pending records.
        self.pending: set[str] = set()

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
            self.accounted.add(id(cell))
            self.issues.append(
                cell_issue(severity, code, message, sheet=self.ctx.sheet, row=self.row, cell=cell)
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
            cell = value.cell
            if cell is not None and value.origin is None:
                self.accounted.add(id(cell))
                self.origins += (record_id, field, cell.column.index)
            else:
                self.origins += (record_id, field, value)

    def record_all(self, record_id: str, field: str, values: tuple[Value, ...]) -> None:
        """Remember the several values a field was built from (a name from two columns)."""
        if values:
            self.accounted.update(id(v.cell) for v in values if v.cell is not None)
            refs = tuple(
                v.cell.column.index if v.cell is not None and v.origin is None else v
                for v in values
            )
            self.origins += (record_id, field, refs)

    def covered(self, prefix: str) -> None:
        """Count the cells of every field starting ``prefix`` as reported (a message about
        their whole record, such as "DBS check not imported", has said what became of them)."""
        for field, cells in self.cells.items():
            if field.startswith(prefix):
                self.accounted.update(id(c) for c in cells)

    def leftovers(self) -> None:
        """Report every cell that neither became evidence nor was reported."""
        for cells in self.cells.values():
            for cell in cells:
                if id(cell) not in self.accounted:
                    self.warn(
                        "cell.not_imported",
                        "not imported: the row records nothing for this to belong to (its "
                        "check or date is blank, or was not imported)",
                        cell,
                    )

    # -- reading values ------------------------------------------------------------------------

    def get(self, field: str) -> Value | None:
        """The row's value for ``field``: its cell, else implied, else a default."""
        if field not in self.available:
            return None
        found = self.cells.get(field)
        if found is not None:
            cell = found[0]
            parsed = cell.parsed
            return _new(Value, (parsed.value, parsed.mark, None, cell, self.row, self.sheet))
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
        elif mark is Mark.PENDING and cell.column.field in _NOT_CHECKS:
            self.warn(
                "cell.not_yet_known",
                "marked 'TBC' ('awaited', ...): the date is not yet known, so none is imported",
                cell,
            )
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
            if field not in self.conflicted:
                self.warn(
                    "check.undated",
                    "recorded as done ('Y', a tick, 'on file') but not dated",
                    value.cell,
                    field,
                )
            return True, None, value
        if value.mark is Mark.NO:
            self.not_done(field, value)
            return False, None, None
        if value.mark is Mark.PENDING and can_pend(field):
            self.pending.add(group_of(field))
            if field not in self.conflicted:
                self.warn(
                    "check.pending",
                    f"pending (applied for, not yet done): recorded as a pending "
                    f"{record_name(field)}, never a completed one",
                    value.cell,
                    field,
                )
            return False, None, value
        self.marked(value, yes_ok=True)
        return False, None, None

    def not_while_pending(self, value: Value | None, what: str) -> None:
        """A result beside a pending check cannot be right: say so, and drop it."""
        if value is not None and value.cell is not None:
            self.warn(
                "check.pending_result",
                f"the {what} is pending, so a result cannot be recorded for it yet: not imported",
                value.cell,
            )

    def not_done(self, field: str, value: Value) -> None:
        """A check marked not done: no record of it, and its other cells are not used."""
        group = group_of(field)
        self.refused.add(group)
        prefix = group + "."
        others = any(f.startswith(prefix) and f != field for f in self.cells)
        self.covered(prefix)
        if field in self.conflicted or value.cell is None:
            return
        tail = ", and the other cells of that check on the row are not used" if others else ""
        self.issue(
            Severity.NOTE if not others else Severity.WARNING,
            "check.not_done",
            f"marked not done: no {record_name(field)} is imported{tail}",
            value.cell,
        )

    # -- several columns for one check --------------------------------------------------------

    def merge_checks(self) -> None:
        """Merge the cells of a check recorded in two columns (a tick and a date): a date and a
        tick agree; "not done" beside a date, or two different dates, contradict each other and
        are reported on the row."""
        for field, cells in list(self.cells.items()):
            if len(cells) > 1 and not FIELDS[field].joins:
                self.cells[field] = [self._merged(field, cells)]

    def _merged(self, field: str, cells: list[Cell]) -> Cell:
        self.accounted.update(id(c) for c in cells)
        dated = [c for c in cells if c.parsed.mark is None and c.parsed.value is not None]
        marks = {c.parsed.mark: c for c in cells if c.parsed.mark is not None}
        refusal = marks.get(Mark.NO) or marks.get(Mark.PENDING)
        if refusal is not None and (dated or Mark.YES in marks):
            done = dated[0] if dated else marks[Mark.YES]
            return self._refused_beside_done(field, refusal, done, dated=bool(dated))
        if len({c.parsed.value for c in dated}) > 1:
            return self._two_dates(field, dated)
        return dated[0] if dated else cells[0]

    def _refused_beside_done(self, field: str, refusal: Cell, done: Cell, *, dated: bool) -> Cell:
        says = "not done" if refusal.parsed.mark is Mark.NO else "pending"
        gives = "gives a date" if dated else "says done"
        self._conflict(
            field,
            f"{refusal.column.header!r} says {says} but {done.column.header!r} {gives}: "
            f"the record contradicts itself, so {_refusal_outcome(field, refusal)} (correct one "
            "of the two cells)",
        )
        return refusal

    def _two_dates(self, field: str, dated: list[Cell]) -> Cell:
        first = dated[0]
        second = next(c for c in dated if c.parsed.value != first.parsed.value)
        self._conflict(
            field,
            f"{first.column.header!r} and {second.column.header!r} give different dates: "
            f"the {record_name(field)} is imported without a date (correct one of the two "
            "cells)",
        )
        return first._replace(parsed=first.parsed._replace(value=None, mark=Mark.YES))

    def _conflict(self, field: str, message: str) -> None:
        self.conflicted.add(field)
        self.warn("check.conflict", message, field=field)

    def plain(self, field: str) -> Value | None:
        """A value that must not be a mark (marks are reported and give ``None``)."""
        if field not in self.available:
            return None
        found = self.cells.get(field)
        value: Value | None
        if found is not None:
            cell = found[0]
            parsed = cell.parsed
            value = _new(Value, (parsed.value, parsed.mark, None, cell, self.row, self.sheet))
        else:
            value = self.fallback.get(field)
            if value is None:
                return None
        if value.mark is not None:
            self.marked(value, yes_ok=False)
            return None
        return value

    def _by(self, field: str, rid: str, name: str, into: dict[str, Any]) -> None:
        if field not in self.available:
            return
        value = self.plain(field)
        if value is not None:
            into[name] = value.value
            self.record(rid, name, value)

    def _undated(self, what: str, field: str) -> None:
        """A record with no date, unless its date cell was already reported (a tick, a refused
        value, a pending mark): one problem, one message."""
        if any(issue.field == field for issue in self.issues):
            return
        self.warn("check.undated", f"{what} recorded without a date", field=field)


def _refusal_outcome(field: str, refusal: Cell) -> str:
    name = record_name(field)
    if refusal.parsed.mark is Mark.PENDING and can_pend(field):
        return f"the {name} is recorded as pending, not done"
    return f"no {name} is imported"
