"""People written out as they are read: what lets ``evidence import-scr --output`` import a
record of any size in memory that grows far slower than the record.

Each person, once its row is built, becomes the text the whole bundle would give it (canonical
JSON, indented as the bundle indents its people) in a temporary file, and its compact canonical
text (what the evidence digest hashes) in another; only its id, where its texts are, the few
keys the cross-person checks need (:class:`~safeguard_std.domain.integrity.PersonKeys`) and the
counts the summary gives are kept. Each row's outcome and issues go to a third file
(:class:`~safeguard_std.importers._sheet_row.SpilledRows`), read back for the report. The files
the command writes are the same, byte for byte, as those written from
:func:`~safeguard_std.importers.import_scr`'s whole result."""

from __future__ import annotations

import array
import datetime as dt
import hashlib
import heapq
import io
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import IO, Any, overload

import attrs

from safeguard_std._serialization.canonical import (
    _canonical_lists,
    _canonical_owned,
    canonical_json,
    indented_at,
)
from safeguard_std._serialization.converter import converter
from safeguard_std._serialization.data import bundle_to_data
from safeguard_std.domain.consistency import ConsistencyByPerson, Inconsistency, KeyLog
from safeguard_std.domain.integrity import CertificateKeys, PersonKeys
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.people import Jurisdiction, Person
from safeguard_std.importers._provenance import RowOrigins, row_text
from safeguard_std.importers._result import has_board, role_counts
from safeguard_std.importers._sheet_row import SpilledRows
from safeguard_std.importers._spill import SpillLog

__all__ = ["PeopleOut", "people_less"]

_BLOCK = 1 << 20


class PeopleOut:
    """Takes each person of the bundle in order (:meth:`add`), writes it to temporary files and
    keeps only what the import's end needs; then gives the bundle's text and evidence digest
    (:meth:`bundle_chunks`, :meth:`digest`). Close it (or use it as a context manager) to
    remove the temporary files."""

    def __init__(self, as_of: dt.date | None) -> None:
        # Each person's keys, rows' outcomes and issues, until the end of the import.
        self._spill: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.consistency = ConsistencyByPerson(as_of, SpilledKeys(self._spill))
        self.holders: set[object] = set()  # people lead roles and panels name: kept whole
        self.kept: list[Person] = []
        self.roles: Counter[str] = Counter()  # people by role type, as the summary counts them
        self.board = False
        self._text: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._canonical: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self._ids: list[str] = []
        self._at = array.array("Q")  # where each person's canonical text starts
        # Provenance: each row's record lines in a third file, a line each; per row, where its
        # lines start, its person (by number in _ids) and the rest of its record ids (by number
        # in _kinds: rows alike give the same records).
        self._origins: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self._row_at = array.array("Q")
        self._row_person = array.array("I")
        self._row_kind = array.array("I")
        self._kinds: dict[tuple[str, ...], int] = {}
        self.records = 0
        self._unordered = False  # a record id not starting with its person's: sort them all

    def __enter__(self) -> PeopleOut:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the temporary files."""
        self._text.close()
        self._canonical.close()
        self._origins.close()
        self._spill.close()

    def rows_of(self, sheet: str | None) -> SpilledRows:
        """A store for one sheet's rows, written to this import's temporary file."""
        return SpilledRows(self._spill, sheet)

    def add(
        self, person: Person, origins: RowOrigins | None = None, *, imported: bool = True
    ) -> None:
        """The bundle's next person (``imported``: from the record, not the provider file),
        and where its values came from."""
        if origins is not None:
            self._add_origins(origins)
        data = converter().unstructure(person)
        indented = indented_at(data, 2)  # as it sits in the bundle's list of people
        self._text.write((("," if self._ids else "") + "\n    " + indented).encode("utf-8"))
        self._at.append(self._canonical.tell())
        # The data is this call's own and its indented text is written: sorted in place.
        self._canonical.write(canonical_json(_canonical_owned(data)).encode("utf-8"))
        self._ids.append(person.id)
        self.consistency.add(person)
        self.board = self.board or has_board((person,))
        if imported:
            self.roles.update(role_counts((person,)))
            if person.id in self.holders:
                self.kept.append(person)

    def _add_origins(self, origins: RowOrigins) -> None:
        self._row_at.append(self._origins.tell())
        self._row_person.append(len(self._ids))  # the person about to be added
        # A line per record (JSON text: a newline in it is escaped, so one ends each line).
        text, suffixes = row_text(origins)
        # A record's id is its person's, or that and ':' and more (RowEntries reads them so).
        if any(s[:1] == "\0" for s in suffixes):
            self._unordered = True
        self._origins.write(text.encode("utf-8"))
        self._row_kind.append(self._kinds.setdefault(suffixes, len(self._kinds)))
        self.records += len(suffixes)

    def record_lines(self) -> Iterator[str]:
        """The provenance's record lines in order of record id, as :meth:`Provenance.chunks`
        gives them. People are taken in order of id, and a record is given once no later
        person's record can come before it (every record id starts with its person's id), so
        only the records waiting for that are held, not all of them."""
        waiting: list[tuple[str, int, bytes]] = []  # (record id, where, line)
        kinds = list(self._kinds)
        ids, person, starts = self._ids, self._row_person, self._row_at
        last, end = len(starts) - 1, self._origins.seek(0, io.SEEK_END)
        push, pop, origins = heapq.heappush, heapq.heappop, self._origins
        ordered = not self._unordered
        for i in sorted(range(len(starts)), key=lambda k: ids[person[k]]):
            pid = ids[person[i]]
            while waiting and waiting[0][0] < pid and ordered:
                yield pop(waiting)[2].decode("utf-8")
            at = starts[i]
            origins.seek(at)
            lines = origins.read((starts[i + 1] if i < last else end) - at).split(b"\n")
            for suffix, line in zip(kinds[self._row_kind[i]], lines, strict=False):
                push(waiting, (suffix[1:] if suffix[:1] == "\0" else pid + suffix, at, line))
                at += len(line) + 1
        while waiting:
            yield pop(waiting)[2].decode("utf-8")

    @property
    def count(self) -> int:
        """People added."""
        return len(self._ids)

    @property
    def spill(self) -> IO[bytes]:
        """The temporary file of rows' outcomes and people's keys."""
        return self._spill

    def flush(self) -> None:
        """Write out what the temporary files buffer (before the process is forked)."""
        for file in (self._text, self._canonical, self._origins, self._spill):
            file.flush()

    def restart(self, files: PartFiles) -> tuple[IO[bytes], ...]:
        """Go on in ``files``, as if no person had been added: a second process's part of the
        people (:mod:`~safeguard_std.importers._split`), given by :meth:`part` and joined to
        the first's by :meth:`join`. The keys the cross-person checks need go to
        ``files.spill``, as the rows' outcomes do. Gives the files it wrote to before, which
        the caller keeps open (a forked process's copies of another's files: closing one would
        write out its buffer again)."""
        before = (self._text, self._canonical, self._origins, self._spill)
        self._text, self._canonical, self._origins = files.text, files.canonical, files.origins
        self._ids = []
        self._at = array.array("Q")
        self._row_at = array.array("Q")
        self._row_person = array.array("I")
        self._row_kind = array.array("I")
        self.records = 0
        self.kept = []
        self.roles = Counter()
        self.consistency.found = []
        self.consistency.ids = []
        self._keys().restart(files.spill)
        return before

    def _keys(self) -> SpillLog:
        keys = self.consistency.keys
        assert isinstance(keys, SpilledKeys)  # PeopleOut made them so
        return keys.log

    def part(self) -> PeoplePart:
        """What this process added since :meth:`restart`, but for its files' text."""
        return PeoplePart(
            ids=self._ids,
            at=self._at,
            row_at=self._row_at,
            row_person=self._row_person,
            row_kind=self._row_kind,
            kinds=self._kinds,
            records=self.records,
            unordered=self._unordered,
            board=self.board,
            roles=self.roles,
            kept=self.kept,
            found=self.consistency.found,
            keys=self._keys().part(),
        )

    def join(self, part: PeoplePart, files: PartFiles, spill_shift: int) -> None:
        """Add the people a second process added (``part``, its texts in ``files``), who
        follow those added here; ``files.spill`` was copied to this import's own at
        ``spill_shift`` (the caller copies it once: the rows' outcomes are there too)."""
        base, keys_base = len(self._ids), len(self.consistency.keys)
        if part.ids:
            if self._ids:
                self._text.seek(0, io.SEEK_END)
                self._text.write(b",")  # the part's first person was written as the first
            append_file(files.text, self._text)
        shift = append_file(files.canonical, self._canonical)
        self._at.extend(array.array("Q", (a + shift for a in part.at)))
        shift = append_file(files.origins, self._origins)
        self._row_at.extend(array.array("Q", (a + shift for a in part.row_at)))
        self._row_person.extend(array.array("I", (p + base for p in part.row_person)))
        # The part's kinds of row are numbered afresh here (those it inherited keep theirs).
        number = {n: self._kinds.setdefault(s, len(self._kinds)) for s, n in part.kinds.items()}
        self._row_kind.extend(array.array("I", (number[k] for k in part.row_kind)))
        self._ids += part.ids
        self.records += part.records
        self._unordered = self._unordered or part.unordered
        self.board = self.board or part.board
        self.roles.update(part.roles)
        self.kept += part.kept
        self.consistency.found += [_renumbered(f, keys_base) for f in part.found]
        self._keys().join(part.keys, spill_shift)
        self.consistency.ids += part.ids  # the people added: the same ids, in order

    def bundle_chunks(self, rest: dict[str, Any]) -> Iterator[bytes]:
        """The bundle's text in UTF-8: ``rest`` (its data without people) with the people
        added, as ``canonical_json(data, indent=2)`` and a newline give it."""
        items = self._items(rest, indent=True)
        yield b"{"
        for n, (key, text) in enumerate(items):
            yield (("," if n else "") + "\n  " + key + ": ").encode("utf-8")
            if text is None:
                yield b"["
                self._text.seek(0)
                while block := self._text.read(_BLOCK):
                    yield block
                yield b"\n  ]"
            else:
                yield text.encode("utf-8")
        yield b"\n}\n"

    def digest(self, rest: dict[str, Any]) -> str:
        """The bundle's evidence digest (``digest(data)``): people in order of id."""
        sha = hashlib.sha256()
        sha.update(b"{")
        ends = [*self._at[1:], self._canonical.seek(0, 2)]
        for n, (key, text) in enumerate(self._items(rest, indent=False)):
            sha.update((("," if n else "") + key + ":").encode("utf-8"))
            if text is not None:
                sha.update(text.encode("utf-8"))
                continue
            sha.update(b"[")
            ids = self._ids
            for k, i in enumerate(sorted(range(len(ids)), key=ids.__getitem__)):
                self._canonical.seek(self._at[i])
                if k:
                    sha.update(b",")
                sha.update(self._canonical.read(ends[i] - self._at[i]))
            sha.update(b"]")
        sha.update(b"}")
        return "sha256:" + sha.hexdigest()

    def _items(self, rest: dict[str, Any], *, indent: bool) -> list[tuple[str, str | None]]:
        """The bundle's top-level keys in order, each with its value's text (``None`` for the
        people, written from the temporary files)."""
        values: dict[str, Any] = dict(rest)
        if self._ids:
            values["people"] = None
        out: list[tuple[str, str | None]] = []
        for key, value in sorted(values.items()):
            text = None
            if value is not None or key != "people":
                if indent:
                    text = canonical_json(value, indent=2).replace("\n", "\n  ")
                else:
                    text = canonical_json(_canonical_lists(value))
            out.append((canonical_json(key), text))
        return out


class SpilledKeys(KeyLog):
    """People's keys (:class:`~safeguard_std.domain.integrity.PersonKeys`) in a temporary
    file, eight bytes each in memory: read back for the duplicate and shared-certificate
    checks, which read them in order a few times and look up the few people in a group."""

    def __init__(self, spill: IO[bytes]) -> None:
        self._log = SpillLog(spill)

    def append(self, keys: PersonKeys) -> None:
        """The next person's keys (as plain values: the smallest to write and read)."""
        born = keys.date_of_birth
        checks = tuple((c.jurisdiction.value, c.certificate_number) for c in keys.dbs_checks)
        self._log.append(
            (keys.id, keys.full_name, keys.previous_names, born and born.toordinal(), checks)
        )

    def __len__(self) -> int:
        return len(self._log)

    @property
    def log(self) -> SpillLog:
        """Where the keys are."""
        return self._log

    @overload
    def __getitem__(self, index: int) -> PersonKeys: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[PersonKeys]: ...

    def __getitem__(self, index: int | slice) -> PersonKeys | Sequence[PersonKeys]:
        if isinstance(index, slice):
            return tuple(self)[index]
        return _keys(self._log.load(index + len(self) if index < 0 else index))

    def __iter__(self) -> Iterator[PersonKeys]:
        return map(_keys, self._log)


def _keys(record: tuple[Any, ...]) -> PersonKeys:
    pid, name, previous, born, checks = record
    return PersonKeys(
        pid,
        name,
        previous,
        dt.date.fromordinal(born) if born is not None else None,
        tuple(CertificateKeys(Jurisdiction(j), number) for j, number in checks),
    )


@attrs.frozen
class PartFiles:
    """The temporary files a second process writes its part of an import to."""

    spill: IO[bytes]
    text: IO[bytes]
    canonical: IO[bytes]
    origins: IO[bytes]

    @classmethod
    def make(cls) -> PartFiles:
        """Four new temporary files (close them with :meth:`close`)."""
        return cls(*(tempfile.TemporaryFile() for _ in range(4)))

    def flush(self) -> None:
        """Write out what the files buffer."""
        for file in (self.spill, self.text, self.canonical, self.origins):
            file.flush()

    def close(self) -> None:
        """Remove the files."""
        for file in (self.spill, self.text, self.canonical, self.origins):
            file.close()


@attrs.frozen
class PeoplePart:
    """What a second process's :class:`PeopleOut` added (:meth:`PeopleOut.part`)."""

    ids: list[str]
    at: array.array[int]
    row_at: array.array[int]
    row_person: array.array[int]
    row_kind: array.array[int]
    kinds: dict[tuple[str, ...], int]
    records: int
    unordered: bool
    board: bool
    roles: Counter[str]
    kept: list[Person]
    found: list[Inconsistency]
    keys: tuple[array.array[int], int]


def append_file(source: IO[bytes], target: IO[bytes]) -> int:
    """Copy ``source`` (whole) to the end of ``target``, and leave ``target`` at its end:
    where the copy starts there. Copied by the kernel where it can (``copy_file_range``: a
    large record's second half is hundreds of megabytes), else a block at a time."""
    source.flush()
    size = source.seek(0, io.SEEK_END)
    target.flush()
    at = target.seek(0, io.SEEK_END)
    done = 0
    copy = getattr(os, "copy_file_range", None)
    if copy is not None:
        try:
            while done < size:
                step = copy(source.fileno(), target.fileno(), size - done, done, at + done)
                if step <= 0:
                    break
                done += step
        except OSError:
            pass  # not for these files: copied below from where it stopped
    if done < size:
        source.seek(done)
        target.seek(at + done)
        shutil.copyfileobj(source, target, _BLOCK)
    target.seek(0, io.SEEK_END)
    return at


def _renumbered(found: Inconsistency, base: int) -> Inconsistency:
    """A person's own problem found by a second process, whose people were counted from 0:
    its path counted from ``base``."""
    path = found.path
    if len(path) > 1 and path[0] == "people" and type(path[1]) is int:
        return attrs.evolve(found, path=(path[0], path[1] + base, *path[2:]))
    return found


def people_less(bundle: EvidenceBundle) -> dict[str, Any]:
    """A bundle's data without its people (added from the temporary files)."""
    return bundle_to_data(attrs.evolve(bundle, people=()))
