"""Records kept in a temporary file instead of memory, for an import that writes its people
out as it reads them: each record pickled to the end of a file (which several logs may share),
with eight bytes in memory for where it is. Read back one at a time, or all in order a block
at a time. The file is the import's own, written only by :meth:`SpillLog.append`."""

from __future__ import annotations

import array
import io
import os
import pickle
from collections.abc import Callable, Iterator
from typing import IO, Any

__all__ = ["SpillLog"]

_BLOCK = 1 << 20  # bytes read back at once when reading records in order
_PREAD: Callable[[int, int, int], bytes] | None = getattr(os, "pread", None)


class SpillLog:
    """The records of one kind appended to ``file``, each read back as it was appended."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self._at = array.array("Q")
        self._end = 0

    def append(self, record: Any) -> None:
        """Add ``record`` (anything pickle writes: tuples of plain values are the smallest)."""
        data = pickle.dumps(record, pickle.HIGHEST_PROTOCOL)
        at = self._file.seek(0, io.SEEK_END)
        self._file.write(data)
        self._at.append(at)
        self._end = at + len(data)

    def __len__(self) -> int:
        return len(self._at)

    def restart(self, file: IO[bytes]) -> None:
        """Go on in ``file``, empty: a second process's part of the log
        (:mod:`~safeguard_std.importers._split`), joined to the first's by :meth:`join`."""
        self._file = file
        self._at = array.array("Q")
        self._end = 0

    def part(self) -> tuple[array.array[int], int]:
        """Where this log's records are in its file, and where the last ends."""
        return self._at, self._end

    def join(self, part: tuple[array.array[int], int], shift: int) -> None:
        """Add the records of a log's ``part`` (:meth:`part`) whose file was copied to this
        log's file at ``shift``."""
        at, end = part
        if at:
            self._at.extend(array.array("Q", (a + shift for a in at)))
            self._end = end + shift

    def _ends(self, index: int) -> int:
        return self._at[index + 1] if index + 1 < len(self._at) else self._end

    def _read(self, at: int, size: int) -> bytes:
        """``size`` bytes of the file from ``at``. Where the system can, read without moving
        the file's position, which a forked process shares (:mod:`~._split`)."""
        self._file.flush()
        if _PREAD is not None:
            return _PREAD(self._file.fileno(), size, at)
        self._file.seek(at)
        return self._file.read(size)

    def load(self, index: int) -> Any:
        """Record ``index`` (counting from 0; negative indexes are not taken)."""
        if not 0 <= index < len(self._at):
            raise IndexError(index)
        return pickle.loads(self._read(self._at[index], self._ends(index) - self._at[index]))

    def __iter__(self) -> Iterator[Any]:
        # A block of records at a time, each block read at its own offset: other reads of the
        # file between two records do no harm.
        at, count = self._at, len(self._at)
        first = 0
        while first < count:
            last = first + 1
            while last < count and self._ends(last) - at[first] <= _BLOCK:
                last += 1
            block = memoryview(self._read(at[first], self._ends(last - 1) - at[first]))
            for index in range(first, last):
                start = at[index] - at[first]
                yield pickle.loads(block[start : self._ends(index) - at[first]])
            first = last
