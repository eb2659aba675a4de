"""A sheet's row once read: its person (or none), its issues and origins, and its status."""

from __future__ import annotations

import array
import bisect
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import IO, overload

import attrs

from safeguard_std.domain.people import Person
from safeguard_std.importers._parsed import Severity
from safeguard_std.importers._result import (
    Issue,
    RowOrigins,
    RowOutcome,
    RowStatus,
    Tally,
    tally,
)
from safeguard_std.importers._row_cells import cell_issue
from safeguard_std.importers._rows import Cell
from safeguard_std.importers._spill import SpillLog

__all__ = [
    "KeptRows",
    "RowOutcomes",
    "SheetRow",
    "SpilledRows",
    "outcome_of",
    "row_status",
]


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
        self.issues.append(
            cell_issue(severity, code, message, sheet=self.sheet, row=self.number, cell=cell)
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


class KeptRows(list[SheetRow]):
    """A sheet's rows in memory, as :func:`~safeguard_std.importers.import_scr` keeps them."""

    def numbered(self, numbers: Collection[int]) -> dict[int, SheetRow]:
        """The rows with these numbers, by number."""
        return {r.number: r for r in self if r.number in numbers}

    def of_people(self, ids: Collection[str]) -> dict[str, SheetRow]:
        """The rows that became these people, by person id."""
        return {r.person_id: r for r in self if r.person_id is not None and r.person_id in ids}


class SpilledRows:
    """A sheet's rows written to a temporary file as they are built, for an import that writes
    its people out as it reads them: what stays in memory is where each row is (eight bytes),
    its number (four), and the issues later checks add (:meth:`hold`).

    A row read back is a :class:`SheetRow` without its person (written out already), a fresh
    one each time, with its issues as built and then those added later. Rows are appended in
    order of number (the file's order)."""

    def __init__(self, spill: IO[bytes], sheet: str | None) -> None:
        self._log = SpillLog(spill)
        self.sheet = sheet
        self._numbers = array.array("I")
        self._held: dict[int, SheetRow] = {}
        # Each row's person id's hash (0 for none): which rows to read back for some people.
        self._people = array.array("q")
        self._counted = Tally()  # the rows and their issues as built
        self._statuses = bytearray()  # each row's status as built (_STATUSES)

    def append(self, row: SheetRow) -> None:
        """The sheet's next row, once built (its person already written out)."""
        issues = tuple(row.issues)
        self._log.append((row.number, row.person_id, tuple(map(_flat, issues))))
        self._numbers.append(row.number)
        pid = row.person_id
        self._people.append(0 if pid is None else hash(pid))
        status = _status(pid, issues)
        self._statuses.append(_STATUSES.index(status))
        self._counted.count(self.sheet, status, issues)

    def __len__(self) -> int:
        return len(self._numbers)

    def restart(self, spill: IO[bytes]) -> None:
        """Go on in ``spill``, empty: a second process's rows (:mod:`~._split`)."""
        self._log.restart(spill)
        self._numbers = array.array("I")
        self._people = array.array("q")
        self._counted = Tally()
        self._statuses = bytearray()

    def part(self) -> RowsPart:
        """Where this store's rows are in its file, their numbers, people and counts."""
        return RowsPart(
            self._log.part(), self._numbers, self._people, self._counted, self._statuses
        )

    def join(self, part: RowsPart, shift: int) -> None:
        """Add a second process's rows (:meth:`part`), its file copied to this one's at
        ``shift``: they follow this store's rows."""
        self._log.join(part.log, shift)
        self._numbers.extend(part.numbers)
        self._people.extend(part.people)
        self._counted.add(part.counted)
        self._statuses += part.statuses

    def tally(self) -> Tally:
        """:func:`~._result.tally` of the rows as they are now, reading none back: the rows
        later checks added issues to are counted again from their status as built."""
        found = self._counted.copy()
        sheet = self.sheet
        for index, later in sorted(self._held.items()):
            if not later.issues:
                continue
            built = _STATUSES[self._statuses[index]]
            now = built
            if built is _IMPORTED and any(i.severity is not _NOTE for i in later.issues):
                now = _WARNED  # a rejected row stays rejected, a warned one warned
            found.statuses[(sheet, built)] -= 1
            found.count(sheet, now, later.issues)
        found.statuses = +found.statuses  # no row left in some status: not counted
        return found

    def __bool__(self) -> bool:
        return bool(self._numbers)

    def _row(self, index: int, record: tuple[int, str | None, tuple[Flat, ...]]) -> SheetRow:
        number, person_id, flat = record
        issues = tuple(_issue(*f) for f in flat)
        later = self._held.get(index)
        if later is not None and later.issues:
            issues += tuple(later.issues)
        return SheetRow(self.sheet, number, list(issues), None, person_id=person_id)

    def __getitem__(self, index: int) -> SheetRow:
        return self._row(index, self._log.load(index))

    def __iter__(self) -> Iterator[SheetRow]:
        for index, record in enumerate(self._log):
            yield self._row(index, record)

    def hold(self, index: int, person_id: str | None = None) -> SheetRow:
        """Row ``index`` (whose person's id is ``person_id``, if known), to add issues to:
        only what is added is kept, and read back after the row's own issues."""
        row = self._held.get(index)
        if row is None:
            if person_id is None:
                person_id = self[index].person_id
            row = SheetRow(self.sheet, self._numbers[index], [], None, person_id=person_id)
            self._held[index] = row
        return row

    def numbered(self, numbers: Iterable[int]) -> dict[int, SheetRow]:
        """The rows with these numbers (those that are rows), by number, held."""
        found = {}
        for number in numbers:
            index = bisect.bisect_left(self._numbers, number)
            if index < len(self._numbers) and self._numbers[index] == number:
                found[number] = self.hold(index)
        return found

    def of_people(self, ids: Collection[str]) -> dict[str, SheetRow]:
        """The rows that became these people, by person id, held: only the rows whose person
        id has the hash of one of them are read back."""
        wanted = {hash(i) for i in ids}
        found = {}
        for index, code in enumerate(self._people):
            if code in wanted:
                pid = self._log.load(index)[1]
                if pid is not None and pid in ids:
                    found[pid] = self.hold(index, pid)
        return found


@attrs.frozen
class RowsPart:
    """A second process's rows (:meth:`SpilledRows.part`)."""

    log: tuple[array.array[int], int]
    numbers: array.array[int]
    people: array.array[int]
    counted: Tally
    statuses: bytearray


_STATUSES = (_REJECTED, _WARNED, _IMPORTED)

#: An issue as a row's record keeps it in the temporary file: its fields in order, the
#: severity by value (plain values pickle in a third of the time an attrs instance takes, and
#: read back faster than its state is set again).
Flat = tuple[str, str, str, str | None, int | None, str | None, str | None, str | None,
             str | None, bool, str | None]  # fmt: skip
_SEVERITY = {s.value: s for s in Severity}


def _flat(issue: Issue) -> Flat:
    return (
        issue.severity.value,
        issue.code,
        issue.message,
        issue.sheet,
        issue.row,
        issue.column,
        issue.header,
        issue.field,
        issue.raw,
        issue.personal,
        issue.group,
    )


def _issue(
    severity: str,
    code: str,
    message: str,
    sheet: str | None,
    row: int | None,
    column: str | None,
    header: str | None,
    field: str | None,
    raw: str | None,
    personal: bool,
    group: str | None,
) -> Issue:
    return Issue(_SEVERITY[severity], code, message, sheet, row, column, header, field, raw,
                 personal, group)  # fmt: skip


def _status(person_id: str | None, issues: Iterable[Issue]) -> RowStatus:
    """A row's status from its issues, as :func:`row_status` gives it."""
    if person_id is None:
        return _REJECTED
    if any(i.severity is not _NOTE for i in issues):
        return _WARNED
    return _IMPORTED


class RowOutcomes(Sequence[RowOutcome]):
    """The outcomes of sheets' rows, made afresh each time they are read: for rows written
    out as they were read (:class:`SpilledRows`), what ``ImportResult.rows`` is, valid while
    that import's temporary files are open."""

    def __init__(self, sheets: Sequence[KeptRows | SpilledRows]) -> None:
        self._sheets = tuple(sheets)

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._sheets)

    def __iter__(self) -> Iterator[RowOutcome]:
        for rows in self._sheets:
            for row in rows:
                yield outcome_of(row)

    def tally(self) -> Tally:
        """:func:`~._result.tally` of the outcomes (rows written out are not all read back)."""
        found = Tally()
        for rows in self._sheets:
            if isinstance(rows, SpilledRows):
                found.add(rows.tally())
            else:
                found.add(tally(outcome_of(row) for row in rows))
        return found

    @overload
    def __getitem__(self, index: int) -> RowOutcome: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[RowOutcome]: ...

    def __getitem__(self, index: int | slice) -> RowOutcome | Sequence[RowOutcome]:
        if isinstance(index, slice):
            return tuple(self)[index]
        size = len(self)
        at = index + size if index < 0 else index
        if not 0 <= at < size:
            raise IndexError(index)
        for rows in self._sheets:
            if at < len(rows):
                return outcome_of(rows[at])
            at -= len(rows)
        raise IndexError(index)  # pragma: no cover (the length was checked)


def outcome_of(row: SheetRow) -> RowOutcome:
    """The row's outcome, once its issues are final."""
    return RowOutcome(row.sheet, row.number, row_status(row), row.person_id, tuple(row.issues))
