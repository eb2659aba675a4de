"""A sheet's row once read: its person (or none), its issues and origins, and its status."""

from __future__ import annotations

import array
import bisect
import io
import pickle
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import IO, overload

import attrs

from safeguard_std.domain.people import Person
from safeguard_std.importers._fields import FIELDS
from safeguard_std.importers._parsed import Severity
from safeguard_std.importers._result import Issue, RowOrigins, RowOutcome, RowStatus
from safeguard_std.importers._rows import Cell

__all__ = [
    "RowOutcomes",
    "SheetRow",
    "SpilledRows",
    "row_status",
    "rows_numbered",
    "rows_of_people",
]

_BLOCK = 1 << 20


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


class SpilledRows:
    """A sheet's rows written to a temporary file as they are built, for an import that writes
    its people out as it reads them: what stays in memory is where each row is (eight bytes),
    its number (four), and the issues later checks add (:meth:`hold`).

    A row read back is a :class:`SheetRow` without its person (written out already), a fresh
    one each time, with its issues as built and then those added later. Rows are appended in
    order of number (the file's order)."""

    def __init__(self, spill: IO[bytes], sheet: str | None) -> None:
        self._file = spill
        self.sheet = sheet
        self._at = array.array("Q")
        self._numbers = array.array("I")
        self._held: dict[int, SheetRow] = {}
        self._end = 0

    def append(self, row: SheetRow) -> None:
        """The sheet's next row, once built (its person already written out)."""
        data = pickle.dumps((row.number, row.person_id, tuple(row.issues)), 5)
        at = self._file.seek(0, io.SEEK_END)
        self._file.write(data)
        self._at.append(at)
        self._numbers.append(row.number)
        self._end = at + len(data)

    def __len__(self) -> int:
        return len(self._at)

    def __bool__(self) -> bool:
        return bool(self._at)

    def _ends(self, index: int) -> int:
        return self._at[index + 1] if index + 1 < len(self._at) else self._end

    def _row(self, index: int, data: bytes | memoryview) -> SheetRow:
        number, person_id, issues = pickle.loads(data)  # our own temporary file, written by append
        later = self._held.get(index)
        if later is not None and later.issues:
            issues += tuple(later.issues)
        return SheetRow(self.sheet, number, list(issues), None, person_id=person_id)

    def __getitem__(self, index: int) -> SheetRow:
        if not 0 <= index < len(self._at):
            raise IndexError(index)
        self._file.seek(self._at[index])
        return self._row(index, self._file.read(self._ends(index) - self._at[index]))

    def __iter__(self) -> Iterator[SheetRow]:
        # Read back a block of rows at a time; each block is read at its own offset, so other
        # reads of the file between two rows do no harm.
        at, count = self._at, len(self._at)
        first = 0
        while first < count:
            last = first + 1
            while last < count and self._ends(last) - at[first] <= _BLOCK:
                last += 1
            self._file.seek(at[first])
            block = memoryview(self._file.read(self._ends(last - 1) - at[first]))
            for index in range(first, last):
                start = at[index] - at[first]
                yield self._row(index, block[start : self._ends(index) - at[first]])
            first = last

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
        """The rows with these numbers (those that are rows), held."""
        found = {}
        for number in numbers:
            index = bisect.bisect_left(self._numbers, number)
            if index < len(self._numbers) and self._numbers[index] == number:
                found[number] = self.hold(index)
        return found


def rows_numbered(
    rows: list[SheetRow] | SpilledRows, numbers: Collection[int]
) -> dict[int, SheetRow]:
    """The rows with these numbers, by number (held, if written out)."""
    if isinstance(rows, SpilledRows):
        return rows.numbered(sorted(numbers))
    return {r.number: r for r in rows if r.number in numbers}


def rows_of_people(rows: list[SheetRow] | SpilledRows, ids: Collection[str]) -> dict[str, SheetRow]:
    """The rows that became these people, by person id (held, if written out)."""
    if isinstance(rows, SpilledRows):
        return {
            row.person_id: rows.hold(index, row.person_id)
            for index, row in enumerate(rows)
            if row.person_id is not None and row.person_id in ids
        }
    return {r.person_id: r for r in rows if r.person_id is not None and r.person_id in ids}


class RowOutcomes(Sequence[RowOutcome]):
    """The outcomes of rows written out as they were read (:class:`SpilledRows`), read back
    from their file each time they are iterated: what ``ImportResult.rows`` is for an import
    that writes its people out. Valid while that import's temporary files are open."""

    def __init__(self, sheets: Sequence[SpilledRows]) -> None:
        self._sheets = tuple(sheets)

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._sheets)

    def __iter__(self) -> Iterator[RowOutcome]:
        for rows in self._sheets:
            for row in rows:
                yield _outcome(row)

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
                return _outcome(rows[at])
            at -= len(rows)
        raise IndexError(index)  # pragma: no cover (the length was checked)


def _outcome(row: SheetRow) -> RowOutcome:
    return RowOutcome(row.sheet, row.number, row_status(row), row.person_id, tuple(row.issues))
