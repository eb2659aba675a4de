"""Where each imported value came from: the cell and its raw text, a header, a sheet name, a
mapping default or a derivation, kept compactly per row and built into origins when asked for.
"""

from __future__ import annotations

import array
import datetime as dt
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

import attrs

from safeguard_std._serialization.canonical import _encode_text

__all__ = [
    "Origin",
    "OriginKeys",
    "Provenance",
    "RowEntries",
    "RowOrigins",
    "Traced",
    "raw_text",
    "record_lines",
    "row_text",
]


@attrs.frozen
class Origin:
    """Where one imported value came from: a cell (with its raw text), a header that implied
    it, a sheet name, a section heading row, a mapping default, or a derivation."""

    source: str  # "cell", "header", "sheet", "section", "default", "derived"
    raw: str | None = None
    sheet: str | None = None
    cell: str | None = None
    header: str | None = None
    detail: str | None = None

    @property
    def ref(self) -> str | None:
        """The cell in A1 notation, with its sheet: ``E3``, ``Staff!E3``, ``'Governors &
        Trustees'!E3``."""
        return None if self.cell is None else cell_ref(self.sheet, self.cell)

    def to_data(self) -> dict[str, Any]:
        """As JSON-ready data: a cell is its reference and raw text (its header is in the
        provenance's column table); anything else says where it came from."""
        if self.source == "cell":
            return {"cell": self.ref, "raw": self.raw}
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}

    def to_origin(self) -> Origin:
        """Itself (so an origin can stand where a traced value is expected)."""
        return self


class Traced(Protocol):
    """Anything that can say where it came from."""

    def to_origin(self) -> Origin:
        """The origin."""
        ...


class OriginKeys:
    """A sheet's table of (record id after the person's id, field) pairs, numbered, so a row's
    origins are two small numbers each: most rows give the same records and fields."""

    def __init__(self) -> None:
        self.keys: list[tuple[str, str]] = []
        self._codes: dict[tuple[str, str], int] = {}
        # Kinds of row (which records and fields, from which columns) -> their text pattern.
        self.patterns: dict[tuple[Any, ...], _Pattern] = {}

    def code(self, key: tuple[str, str]) -> int | None:
        """The key's number (``None`` once the table is full)."""
        found = self._codes.get(key)
        if found is None and len(self.keys) < 65_535:
            found = self._codes[key] = len(self.keys)
            self.keys.append(key)
        return found


@attrs.frozen
class RowOrigins:
    """Where one row's imported values came from, kept compactly until asked for: the row's
    cells as read; ``packed``, pairs of (key number in ``keys``, column index) for values read
    from one cell; and ``rest``, ``(record id, field, origin)`` triples for the others (several
    cells, or a traced value such as a header or a default)."""

    sheet: str | None
    row: int
    person_id: str
    cells: Sequence[object]  # the row as read (not copied)
    headers: Mapping[int, tuple[str, str]]  # column index -> (letter, header), per sheet
    keys: OriginKeys
    packed: array.array[int]
    rest: tuple[Any, ...]

    @classmethod
    def pack(
        cls,
        sheet: str | None,
        row: int,
        person_id: str,
        cells: Sequence[object],
        headers: Mapping[int, tuple[str, str]],
        keys: OriginKeys,
        flat: Sequence[Any],
    ) -> RowOrigins:
        """Pack flat ``(record id, field, origin)`` triples (a later one for a field wins)."""
        latest = dict(zip(zip(flat[::3], flat[1::3], strict=True), flat[2::3], strict=True))
        pairs: list[int] = []
        rest: list[Any] = []
        size = len(person_id)
        code_of = keys.code
        for (rid, field), ref in latest.items():
            code = None
            if type(ref) is int and ref < 65_536 and rid.startswith(person_id):
                code = code_of((rid[size:], field))
            if code is None:
                rest += (rid, field, ref)
            else:
                pairs += (code, ref)
        packed = array.array("H", pairs)
        return cls(sheet, row, person_id, cells, headers, keys, packed, tuple(rest))

    def _origin(self, ref: Any) -> Origin:
        if isinstance(ref, int):
            letter, header = self.headers[ref]
            return Origin(
                "cell",
                raw=raw_text(self.cells[ref]),
                sheet=self.sheet,
                cell=f"{letter}{self.row}",
                header=header,
            )
        origin: Origin = ref.to_origin()
        return origin

    def _triples(self) -> Iterator[tuple[str, str, Any]]:
        keys, packed, pid = self.keys.keys, self.packed, self.person_id
        for i in range(0, len(packed), 2):
            suffix, field = keys[packed[i]]
            yield pid + suffix, field, packed[i + 1]
        rest = self.rest
        for i in range(0, len(rest), 3):
            yield rest[i], rest[i + 1], rest[i + 2]

    def record_ids(self) -> Iterator[str]:
        """The ids of the records this row gave, each once."""
        return iter(dict.fromkeys(rid for rid, _field, _ref in self._triples()))

    def fields(self, record_id: str) -> dict[str, tuple[Origin, ...]]:
        """One record's fields and their origins."""
        out: dict[str, tuple[Origin, ...]] = {}
        for rid, field, ref in self._triples():
            if rid == record_id:
                several = isinstance(ref, tuple) and not hasattr(ref, "to_origin")
                out[field] = (
                    tuple(self._origin(r) for r in ref) if several else (self._origin(ref),)
                )
        return out


class RowEntries(Mapping[str, Mapping[str, tuple[Origin, ...]]]):
    """Provenance entries (record id -> field -> origins) read from rows' compact origins when
    asked: nothing per value is built until provenance is read or written."""

    def __init__(self, rows: tuple[RowOrigins, ...]) -> None:
        self._rows = rows
        self._by_person = {r.person_id: r for r in rows}

    def _row(self, record_id: str) -> RowOrigins | None:
        # A record's id starts with its person's id: try each prefix ending before a ':'.
        found = self._by_person.get(record_id)
        at = record_id.find(":")
        while found is None and at > 0:
            found = self._by_person.get(record_id[:at])
            at = record_id.find(":", at + 1)
        return found

    def __getitem__(self, record_id: str) -> Mapping[str, tuple[Origin, ...]]:
        row = self._row(record_id)
        fields = row.fields(record_id) if row is not None else {}
        if not fields:
            raise KeyError(record_id)
        return fields

    def __iter__(self) -> Iterator[str]:
        for row in self._rows:
            yield from row.record_ids()

    def __len__(self) -> int:
        return sum(1 for _ in self)


def raw_text(raw: object) -> str:
    """A cell's raw value as text (a date cell in ISO form)."""
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0) and raw.tzinfo is None:
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, str):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return " ".join(str(raw).replace("\u00a0", " ").split())


def _several(traced: Traced | tuple[Traced, ...]) -> tuple[Traced, ...]:
    """An entry's origins: one is stored bare (a value that is itself a tuple knows its
    origin), several as a tuple."""
    if hasattr(traced, "to_origin"):
        return (traced,)
    return traced


@attrs.frozen
class Provenance:
    """Raw values beside parsed ones: evidence id -> field -> origins. It holds personal data
    (the raw names, dates of birth and numbers), like the bundle itself.

    Origins are built when asked for (:meth:`origins`, :meth:`to_data`): an import of 100,000
    rows holds millions of them."""

    source: Mapping[str, Any]
    entries: Mapping[str, Mapping[str, Traced | tuple[Traced, ...]]]
    columns: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    def origins(self, record_id: str) -> dict[str, tuple[Origin, ...]]:
        """Where each field of one record came from (empty for a record not imported)."""
        fields = self.entries.get(record_id) or {}
        return {
            f: tuple(t.to_origin() for t in _several(traced))
            for f, traced in sorted(fields.items())
        }

    def _record(self, record_id: str) -> dict[str, list[dict[str, Any]]]:
        fields = self.entries[record_id]
        return {
            f: [t.to_origin().to_data() for t in _several(traced)] for f, traced in fields.items()
        }

    def _head(self, extra: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "provenance_format": 1,
            **extra,
            "source": dict(self.source),
            "columns": {sheet: dict(letters) for sheet, letters in self.columns.items()},
        }

    def to_data(self, **extra: Any) -> dict[str, Any]:
        """The provenance document written beside a bundle (``extra`` adds top-level keys):
        ``columns`` gives each sheet's headers by column letter (``""`` for a CSV file), and
        ``records`` each record's fields' origins."""
        return {
            **self._head(extra),
            "records": {rid: self._record(rid) for rid in sorted(self.entries)},
        }

    def chunks(self, **extra: Any) -> Iterator[str]:
        """The same document as JSON text, one record a line, built a record at a time: the
        provenance of 100,000 rows is written without ever holding it all."""
        lines = (
            json.dumps(rid, ensure_ascii=False)
            + ":"
            + json.dumps(self._record(rid), sort_keys=True, ensure_ascii=False)
            for rid in sorted(self.entries)
        )
        return self.chunks_of(lines, **extra)

    def chunks_of(self, lines: Iterable[str], **extra: Any) -> Iterator[str]:
        """:meth:`chunks` with the records given as text (as :func:`record_lines` writes
        them), in order of id: for records written out as their rows were read. The lines are
        given a thousand at a time (a record of 200,000 rows has two million of them)."""
        head = json.dumps(self._head(extra), sort_keys=True, ensure_ascii=False)
        yield head[:-1] + ',"records":{\n'
        lines = iter(lines)
        before = ""  # what comes before the next block: nothing, then a comma
        while block := list(itertools.islice(lines, 1024)):
            yield before + ",\n".join(block)
            before = ",\n"
        yield "\n}}\n" if before else "}}\n"


def record_lines(row: RowOrigins) -> Iterator[tuple[str, str]]:
    """Each record of one row, as its id and its line of the provenance document (without the
    separator), as :meth:`Provenance.chunks` writes it.

    The same text as ``json.dumps(rid) + ":" + json.dumps({field: [origin.to_data(), ...]},
    sort_keys=True)``, built in one pass over the row's origins: a cell's origin, nearly every
    one, is written straight from its reference and raw text, without an :class:`Origin`, its
    dictionary or the encoder (a third of the command's time went here)."""
    records: dict[str, dict[str, str]] = {}
    for rid, field, ref in row._triples():
        fields = records.get(rid)
        if fields is None:
            fields = records[rid] = {}
        several = isinstance(ref, tuple) and not hasattr(ref, "to_origin")
        fields[field] = (
            ", ".join(_origin_text(row, r) for r in ref) if several else (_origin_text(row, ref))
        )
    for rid, fields in records.items():
        body = ", ".join(_encode_text(f) + ": [" + fields[f] + "]" for f in sorted(fields))
        yield rid, _encode_text(rid) + ":{" + body + "}"


def _origin_text(row: RowOrigins, ref: Any) -> str:
    """One origin as ``json.dumps(origin.to_data(), sort_keys=True)`` gives it."""
    if isinstance(ref, int):
        letter, _header = row.headers[ref]
        raw = _encode_text(raw_text(row.cells[ref]))
        if row.sheet is None:  # a CSV file: the reference is letters and digits alone
            return '{"cell": "' + letter + str(row.row) + '", "raw": ' + raw + "}"
        cell = cell_ref(row.sheet, f"{letter}{row.row}")
        return '{"cell": ' + _encode_text(cell) + ', "raw": ' + raw + "}"
    origin: Origin = ref.to_origin()
    return json.dumps(origin.to_data(), sort_keys=True, ensure_ascii=False)


def cell_ref(sheet: str | None, cell: str) -> str:
    """A cell's reference with its sheet, as :attr:`Origin.ref` gives it."""
    if sheet is None:
        return cell
    quoted = sheet if sheet.replace("_", "").isalnum() else f"'{sheet}'"
    return f"{quoted}!{cell}"


def row_text(row: RowOrigins) -> tuple[str, tuple[str, ...]]:
    """The row's record lines as the command writes them (each :func:`record_lines` line and a
    newline), and each record's id after the row's person's id (``"\\0"`` and the whole id for
    one not starting with it).

    Rows giving the same records and fields from the same columns (nearly every row of a
    record) are written from a pattern made once per kind of row and sheet: only the person's
    id, the row number and the cells' raw texts are filled in. Any other row (a value traced
    to a header, a section or a default, a record of another person's id) is written by
    :func:`record_lines`."""
    shape = _shape(row)
    if shape is None:
        return _general_text(row)
    patterns = row.keys.patterns
    key = (row.sheet, id(row.headers), shape)
    pattern = patterns.get(key)
    if pattern is None:
        pattern = patterns[key] = _Pattern.of(row, shape)
    return pattern.fill(row), pattern.suffixes


def _general_text(row: RowOrigins) -> tuple[str, tuple[str, ...]]:
    pid = row.person_id
    lines = []
    suffixes = []
    for rid, line in record_lines(row):
        lines.append(line + "\n")  # JSON text: a newline in it is escaped
        suffixes.append(rid[len(pid) :] if rid.startswith(pid) else "\0" + rid)
    return "".join(lines), tuple(suffixes)


def _shape(row: RowOrigins) -> tuple[Any, ...] | None:
    """What the row's text is made of, but for its person, number and cells: its packed keys
    and columns, and its other values' records (after the person's id), fields and columns;
    ``None`` for a row with a value not from cells of its own or a record of another id."""
    rest = row.rest
    if not rest:
        return (tuple(row.packed),)
    pid, size = row.person_id, len(row.person_id)
    others: list[Any] = []
    for i in range(0, len(rest), 3):
        rid, field, ref = rest[i], rest[i + 1], rest[i + 2]
        if not rid.startswith(pid):
            return None
        if type(ref) is tuple:
            if not all(type(r) is int for r in ref):
                return None
        elif type(ref) is not int:
            return None
        others += (rid[size:], field, ref)
    return (tuple(row.packed), tuple(others))


@attrs.frozen
class _Pattern:
    """A kind of row's record lines as %-format text: the person's id (encoded, without its
    closing quote), the row number and cells' encoded raw texts go in, in ``slots`` order
    (``-1`` the id, ``-2`` the number, a column's index its cell)."""

    text: str
    slots: tuple[int, ...]
    columns: tuple[int, ...]
    suffixes: tuple[str, ...]
    headers: Mapping[int, tuple[str, str]]  # kept: the key holds its id

    @classmethod
    def of(cls, row: RowOrigins, shape: tuple[Any, ...]) -> _Pattern:
        keys = row.keys.keys
        packed = shape[0]
        triples: list[tuple[str, str, Any]] = [
            (*keys[packed[i]], packed[i + 1]) for i in range(0, len(packed), 2)
        ]
        if len(shape) > 1:
            rest = shape[1]
            triples += [(rest[i], rest[i + 1], rest[i + 2]) for i in range(0, len(rest), 3)]
        records: dict[str, dict[str, tuple[int, ...]]] = {}
        for suffix, field, ref in triples:
            records.setdefault(suffix, {})[field] = ref if type(ref) is tuple else (ref,)
        parts: list[str] = []
        slots: list[int] = []

        def put(text: str, *slot: int) -> None:
            parts.append(text.replace("%", "%%"))
            for s in slot:
                parts.append("%s")
                slots.append(s)

        for suffix, fields in records.items():
            put("", -1)
            put(_encode_text(suffix)[1:] + ":{")
            for n, field in enumerate(sorted(fields)):
                put((", " if n else "") + _encode_text(field) + ": [")
                for m, column in enumerate(fields[field]):
                    letter, _header = row.headers[column]
                    cell = _encode_text(cell_ref(row.sheet, letter))[:-1]
                    put((", " if m else "") + '{"cell": ' + cell, -2)
                    put('", "raw": ', column)
                    put("}")
                put("]")
            put("}\n")
        columns = tuple(sorted({s for s in slots if s >= 0}))
        return cls("".join(parts), tuple(slots), columns, tuple(records), row.headers)

    def fill(self, row: RowOrigins) -> str:
        """The row's text."""
        cells = row.cells
        raw = {c: _encode_text(raw_text(cells[c])) for c in self.columns}
        raw[-1] = _encode_text(row.person_id)[:-1]
        raw[-2] = str(row.row)
        return self.text % tuple([raw[s] for s in self.slots])
