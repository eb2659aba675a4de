"""A sheet's row once read: its person (or none), its issues and origins, and its status."""

from __future__ import annotations

import attrs

from safeguard_std.domain.people import Person
from safeguard_std.importers._fields import FIELDS
from safeguard_std.importers._parsed import Severity
from safeguard_std.importers._result import Issue, RowOrigins, RowStatus
from safeguard_std.importers._rows import Cell

__all__ = ["SheetRow", "row_status"]


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
    # The person's id: kept when the person itself is written out as the row is read.
    person_id: str | None = None

    def issue(
        self,
        severity: Severity,
        code: str,
        message: str,
        cell: Cell | None = None,
        group: str | None = None,
    ) -> None:
        """Add an issue found after the row was built (as ``RowReader.issue`` words it);
        ``group`` names the :class:`IssueGroup` the row belongs to."""
        if cell is None:
            self.issues.append(
                Issue(severity, code, message, sheet=self.sheet, row=self.number, group=group)
            )
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


_NOTE = Severity.NOTE
_REJECTED, _WARNED, _IMPORTED = (
    RowStatus.REJECTED,
    RowStatus.IMPORTED_WITH_WARNINGS,
    RowStatus.IMPORTED,
)


def row_status(row: SheetRow) -> RowStatus:
    """The row's status, once its issues are final (worked out once, then kept)."""
    if row.status is None:
        if row.person_id is None:
            row.status = _REJECTED
        elif any(i.severity is not _NOTE for i in row.issues):
            row.status = _WARNED
        else:
            row.status = _IMPORTED
    return row.status
