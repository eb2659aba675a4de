"""Two processes read one large sheet: how ``evidence import-scr`` uses a second processor
(decision 24).

For an import that writes its people out as it reads them (:class:`~._stream.PeopleOut`), a
CSV sheet of at least :data:`MIN_ROWS` rows, on a system that has :func:`os.fork` and two
processors to run on: the process reads about the first half of the rows while a copy of it
(forked once the header is read) reads the rest into temporary files of its own; then the
first takes the second's rows, people and counts as if it had read them itself, after its own.

The result is the same, byte for byte, as reading the rows in one process. What reading a row
takes from the rows before it is the section it is in (a heading row such as "Volunteers"),
which the second process finds by passing over the first half, and the ids rows took (a staff
number becomes a row's id only if no row before took it): passing over the first half, the
second process gathers the ids its staff numbers make and assumes them taken, and notes every
other id it asks about. The first process checks both against the ids its own rows took; if
an assumption was wrong (the row giving that staff number was rejected) or a noted id was
taken (a staff number ``r5`` against row 5's own id), the second half is read again in the
first process, as it is if the second process fails for any reason (an error in a row, a file
grown too large, no memory). Everything else a row's reading keeps (cells read before, texts
met before) changes how fast, not what, and what a sheet counts (blank rows, filled cells,
date formats, ambiguous dates) is added up in order.

:class:`MadeAhead` makes a text (the import report) in a second process while the first goes
on writing others.
"""

from __future__ import annotations

import array
import contextlib
import itertools
import os
import pickle
import signal
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, NoReturn

import attrs

from safeguard_std._processors import available_processors
from safeguard_std.importers._result import Issue
from safeguard_std.importers._rows import RowContext, staff_number_id
from safeguard_std.importers._sheet_row import RowsPart, SpilledRows
from safeguard_std.importers._stream import PartFiles, PeopleOut, PeoplePart, append_file

if TYPE_CHECKING:
    from safeguard_std.importers._sheet import Reading, SheetRun

__all__ = ["MIN_ROWS", "MadeAhead", "TwoProcesses", "can_fork"]

#: Below this many rows a sheet is read in one process: starting a second costs about what
#: reading a few hundred rows does (a fork, and the second passing over the first half).
MIN_ROWS = 2_000

Rows = Iterator[tuple[int, Sequence[object]]]


def can_fork() -> bool:
    """Whether this system can read a sheet in two processes: it has :func:`os.fork`, this
    process may run on two processors or more, and it runs one thread (a process forked while
    another thread holds a lock may wait for it for ever)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    return available_processors() >= 2


@attrs.frozen
class TwoProcesses:
    """Reads a sheet's rows (a :data:`~._sheet.Splitter`): a large CSV sheet in two
    processes, any other in this one. ``min_rows``: the fewest rows read in two (by default
    :data:`MIN_ROWS`); ``at``: the first row the second process reads (by default about the
    middle row, as the file's lines tell)."""

    out: PeopleOut
    min_rows: int | None = None
    at: int | None = None

    def __call__(
        self, run: SheetRun, reading: Reading, ctx: RowContext, rows: Rows, width: int
    ) -> int:
        hint = run.sheet.rows_hint
        least = MIN_ROWS if self.min_rows is None else self.min_rows
        if hint is None or hint - reading.first < least or not can_fork():
            return run.read_between(reading, ctx, rows, width)[0]
        # A little over half here: the second process first passes over this half.
        share = (hint - reading.first) * 51 // 100
        at = reading.first + share if self.at is None else self.at
        return _read_in_two(run, reading, ctx, rows, width, at, self.out)


@attrs.frozen
class _SheetPart:
    """What the second process read: the sheet's counts and issues from its rows, the ids its
    rows took and asked about, and its rows and people (their texts in the part's files)."""

    width: int
    blank: int
    headings: int
    repeated: int
    filled: Counter[int]
    problems: Counter[str]
    used: Counter[str]
    formats: dict[str, Counter[str]]
    ambiguous: dict[str, array.array[int]]
    issues: list[Issue]
    added: set[str]
    asked: set[str]
    assumed: set[str]
    rows: RowsPart
    people: PeoplePart


class _Asked(set[str]):
    """The ids rows have taken, for the second process: an id not taken here but which a row
    of the first half may have taken (``first``: the ids its staff numbers make) is assumed
    taken; every other id asked about is noted. The first process checks both once its own
    half is read (:func:`_right`)."""

    def __init__(self, taken: set[str], first: set[str]) -> None:
        super().__init__(taken)
        self.first = first
        self.asked: set[str] = set()  # not taken, as far as this process knew
        self.assumed: set[str] = set()  # taken by the first half, it was assumed

    def __contains__(self, item: object) -> bool:
        if super().__contains__(item):
            return True
        if type(item) is str:
            if item in self.first:
                self.assumed.add(item)
                return True
            self.asked.add(item)
        return False


@attrs.frozen
class _StaffIds:
    """The ids a row's staff numbers would make (``RowBuilder._identify``), read from the
    sheet's staff-number columns alone: what the second process gathers from the first half
    as it passes over it."""

    columns: tuple[tuple[int, Callable[[object], Any]], ...]
    found: set[str] = attrs.field(factory=set)

    @classmethod
    def of(cls, run: SheetRun) -> _StaffIds:
        """For the sheet ``run`` reads."""
        return cls(tuple((r[1], r[4]) for r in run.reading if r[3] == "person.staff_number"))

    def __call__(self, row: Sequence[object], filled: list[int]) -> None:
        for index, read in self.columns:
            if index not in filled:
                continue
            parsed = read(row[index])
            if not parsed.rejected and parsed.value is not None:
                self.found.add(staff_number_id(parsed.value))


def _flush_streams() -> None:
    """Write out what standard output and error buffer (a forked copy would write it again)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()


def _right(part: _SheetPart, taken: set[str]) -> bool:
    """Whether the second process's part holds: every id it took to be free, no row of the
    first half took, and every id it assumed the first half took, it did."""
    return part.asked.isdisjoint(taken) and part.assumed <= taken


def _read_in_two(
    run: SheetRun,
    reading: Reading,
    ctx: RowContext,
    rows: Rows,
    width: int,
    at: int,
    out: PeopleOut,
) -> int:
    """Rows before ``at`` read here, the rest by a second process; its part joined to this
    one's (or its rows read again here)."""
    files = PartFiles.make()
    result = tempfile.TemporaryFile()  # noqa: SIM115 (closed below)
    pid = -1  # no second process (yet)
    try:
        # Nothing left in a buffer the second process could write out again.
        out.flush()
        _flush_streams()
        before = frozenset(run.taken_ids)
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:
            _second(run, reading, ctx, at, out, files, result)
        try:
            width, section, next_row = run.read_between(reading, ctx, rows, width, stop=at)
            # The rest of the file passed over, not read: this process's reading of the file
            # is checked whole (a file saved while it is read is refused, its limits kept),
            # whatever the second process read.
            for _ in rows:
                pass
        except BaseException:
            if pid > 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            raise
        part = _waited(pid, result) if pid > 0 else None
        if part is not None and _right(part, run.taken_ids - before):
            _join(run, out, part, files)
            return max(width, part.width)
        if next_row is None:
            return width
        # The second half read here, from the file read afresh (and checked whole again).
        again = itertools.dropwhile(lambda r: r[0] < at, run.sheet.rows())
        return run.read_between(reading, ctx, again, width, section)[0]
    finally:
        files.close()
        result.close()


def _second(
    run: SheetRun,
    reading: Reading,
    ctx: RowContext,
    at: int,
    out: PeopleOut,
    files: PartFiles,
    result: IO[bytes],
) -> NoReturn:
    """The second process: read the rows from ``at`` on into ``files``, the part in
    ``result``; exit (0 once the part is written)."""
    code = 1
    try:
        store = run.rows
        assert isinstance(store, SpilledRows)  # people written out: rows are too
        # The first process's files, replaced here, stay open and unused until the exit: a
        # copy closed here could write its buffer out again.
        _kept = out.restart(files)
        store.restart(files.spill)
        taken = run.taken_ids
        issues = len(run.issues)
        _clear(run)
        rows = run.sheet.rows()
        staff = _StaffIds.of(run)
        section, first = run.section_at(reading, rows, at, staff)
        run.taken_ids = asked = _Asked(taken, staff.found)
        width = 0
        if first is not None:
            more = itertools.chain((first,), rows)
            width = run.read_between(reading, ctx, more, 0, section)[0]
        part = _SheetPart(
            width=width,
            blank=run.blank,
            headings=run.headings,
            repeated=run.repeated,
            filled=run.filled,
            problems=run.problems,
            used=run.used,
            formats=dict(run.formats),
            ambiguous=dict(run.ambiguous),
            issues=run.issues[issues:],
            added=set(asked) - taken,
            asked=asked.asked,
            assumed=asked.assumed,
            rows=store.part(),
            people=out.part(),
        )
        files.flush()
        pickle.dump(part, result, pickle.HIGHEST_PROTOCOL)
        result.flush()
        code = 0
    except BaseException:
        pass
    finally:
        os._exit(code)


def _clear(run: SheetRun) -> None:
    """Nothing counted yet: the second process counts what its own rows hold."""
    run.blank = run.headings = run.repeated = 0
    run.filled = Counter()
    run.problems = Counter()
    run.used = Counter()
    run.formats.clear()
    run.ambiguous.clear()


def _waited(pid: int, result: IO[bytes]) -> _SheetPart | None:
    """The second process's part, once it has exited; ``None`` if it failed."""
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    result.seek(0)
    try:
        part = pickle.load(result)
    except Exception:
        return None
    return part if isinstance(part, _SheetPart) else None


def _join(run: SheetRun, out: PeopleOut, part: _SheetPart, files: PartFiles) -> None:
    """Take the second process's part as if its rows had been read here, after this one's."""
    store = run.rows
    assert isinstance(store, SpilledRows)
    shift = append_file(files.spill, out.spill)
    store.join(part.rows, shift)
    out.join(part.people, files, shift)
    run.blank += part.blank
    run.headings += part.headings
    run.repeated += part.repeated
    # Counters and dicts in the order their keys were first met, as reading in one would.
    run.filled.update(part.filled)
    run.problems.update(part.problems)
    run.used.update(part.used)
    for letter, formats in part.formats.items():
        run.formats[letter].update(formats)
    for letter, numbers in part.ambiguous.items():
        run.ambiguous[letter].extend(numbers)
    run.issues += part.issues
    run.taken_ids |= part.added


class MadeAhead:
    """Text made by a second process while this one goes on (``evidence import-scr`` makes
    the report so while it writes the bundle and provenance): iterating it waits for the text,
    then gives it in blocks of UTF-8. ``make`` must read nothing this process changes
    meanwhile (a forked copy sees only what was there when it began); ``before`` is called
    first, to write out any buffer the copy could write out again. Without :func:`can_fork`,
    or if the second process fails, the text is made here when it is wanted, the same.

    Close it (or use it as a context manager): a second process still running is stopped."""

    def __init__(self, make: Callable[[], Iterable[str]], before: Callable[[], None]) -> None:
        self._make = make
        self._file: IO[bytes] | None = None
        self._pid = -1
        if not can_fork():
            return
        before()
        _flush_streams()
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        try:
            self._pid = os.fork()
        except OSError:
            self._pid = -1
        if self._pid == 0:
            _make_text(make, self._file)

    def __enter__(self) -> MadeAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[bytes]:
        if self._pid > 0:
            _, status = os.waitpid(self._pid, 0)
            self._pid = -1
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and self._file is not None:
                self._file.seek(0)
                while block := self._file.read(1 << 20):
                    yield block
                return
        for chunk in self._make():
            yield chunk.encode("utf-8")

    def close(self) -> None:
        """Stop the second process if it is still running; remove its file."""
        if self._pid > 0:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self._pid, 0)
            self._pid = -1
        if self._file is not None:
            self._file.close()
            self._file = None


def _make_text(make: Callable[[], Iterable[str]], file: IO[bytes]) -> NoReturn:
    """The second process of :class:`MadeAhead`: the text into ``file``; exit (0 once it is
    all written)."""
    code = 1
    try:
        for chunk in make():
            file.write(chunk.encode("utf-8"))
        file.flush()
        code = 0
    except BaseException:
        pass
    finally:
        os._exit(code)
