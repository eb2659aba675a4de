"""Where each evidence record, and each requirement, is written: for exports that point at files.

GitHub code scanning keeps a SARIF result only when it names a file and a line
(:mod:`safeguard_std.reports.sarif`), and a provider fixing a gap wants the line to edit. This
module finds them, from the same files the assessment read:

* :func:`record_regions`: each record of an evidence bundle (anything with an ``id``: the
  provider, people, their checks, policies...) and the region of the file it spans, JSON (the
  object from ``{`` to ``}``) or YAML (where the record starts);
* :func:`provenance_regions`: for a bundle made by ``safeguard-std evidence import``, the
  spreadsheet row each record came from, read from the provenance file written beside the
  bundle (``BUNDLE.provenance.json``, decision 0012);
* :func:`requirement_regions`: the line of each requirement in the pack file that defines it.

:func:`export_locations` puts them together as the :class:`ExportLocations` that
:func:`~safeguard_std.reports.to_sarif` takes. Paths are written as given, relative to the
working folder when they lie inside it (code scanning wants paths from the repository's root:
run the export from there), with ``/`` separators. Reading is bounded like every other document
(:func:`~safeguard_std.io.documents.read_source`); these functions raise nothing for a file they
cannot place records in: a record they cannot find simply has no region, and the export falls
back to the requirement's line.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from safeguard_std.domain.pack import Pack, PackRef
from safeguard_std.evidence import record_id_paths
from safeguard_std.exceptions import (
    EvidenceError,
    InvalidPackRef,
    Location,
    PackNotFound,
    Problem,
)
from safeguard_std.io.documents import DocumentSyntaxError, Limits, decode, parse, read_source
from safeguard_std.io.schemas import data_root
from safeguard_std.packs import PackCatalog, PackLayer, bundled_catalog

__all__ = [
    "PACKS_BASE",
    "ExportLocations",
    "Region",
    "artifact_uri",
    "export_locations",
    "provenance_regions",
    "record_regions",
    "requirement_regions",
]


#: The base of the URIs of packs shipped with the library (``standards/dorset/2024/pack.yaml``):
#: written relative to it, so an export never holds this machine's install path.
PACKS_BASE = "SAFEGUARD_STD_PACKS"


@attrs.frozen(kw_only=True)
class Region:
    """A span of one file: lines and columns count from 1 (columns in code points); ``label``
    says in words where it is (``Staff!A3:K3``), for files that are not text."""

    uri: str
    start_line: int
    #: Set when ``uri`` is relative to somewhere other than the working folder:
    #: :data:`PACKS_BASE` for the packs shipped inside the library.
    uri_base_id: str | None = None
    start_column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    label: str | None = None


@attrs.frozen(kw_only=True)
class ExportLocations:
    """Regions for an export: each evidence record (by id) in the bundle file, the row each
    imported record came from (by id), and each requirement's definition (by requirement id)."""

    records: Mapping[str, Region] = attrs.field(factory=dict)
    rows: Mapping[str, Region] = attrs.field(factory=dict)
    requirements: Mapping[str, Region] = attrs.field(factory=dict)


def artifact_uri(path: str | os.PathLike[str]) -> str:
    """``path`` as a SARIF artifact URI: relative to the working folder (``/`` separators) when
    it lies inside it, else an absolute ``file://`` URI."""
    p = Path(path)
    if not p.is_absolute():
        return PurePosixPath(*p.parts).as_posix() if p.parts else "."
    try:
        return PurePosixPath(*p.relative_to(Path.cwd()).parts).as_posix()
    except ValueError:
        return p.as_uri()


class _Lines:
    """Offsets to 1-based lines and columns."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


# Strings (whole, escapes included) and brackets: enough of JSON to know which object each
# "id" key belongs to, without building anything.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')
_ID_VALUE = re.compile(r'\s*:\s*("(?:[^"\\]|\\.)*")')


def _json_regions(text: str, uri: str) -> dict[str, Region]:
    lines = _Lines(text)
    stack: list[tuple[str, int, str | None]] = []  # (bracket, offset, record id)
    out: dict[str, Region] = {}
    seen: Counter[str] = Counter()
    for m in _TOKENS.finditer(text):
        token = m.group()
        if token in ("{", "["):
            stack.append((token, m.start(), None))
        elif token in ("}", "]"):
            if not stack:
                return {}
            bracket, start, ident = stack.pop()
            if ident is not None and bracket == "{":
                seen[ident] += 1
                sl, sc = lines.at(start)
                el, ec = lines.at(m.end())
                out[ident] = Region(
                    uri=uri, start_line=sl, start_column=sc, end_line=el, end_column=ec
                )
        elif token == '"id"' and stack and stack[-1][0] == "{":
            value = _ID_VALUE.match(text, m.end())
            if value is not None:
                try:
                    ident = json.loads(value.group(1))
                except ValueError:
                    continue
                bracket, start, _ = stack[-1]
                stack[-1] = (bracket, start, ident)
    # An id used twice cannot be placed (the loader refuses such a bundle anyway).
    return {k: v for k, v in out.items() if seen[k] == 1}


def record_regions(
    source: str | os.PathLike[str], *, limits: Limits | None = None
) -> dict[str, Region]:
    """Each record of the evidence bundle in ``source`` (by id) and where it is in the file:
    a JSON record from its ``{`` to its ``}``, a YAML one where it starts. Empty for a file
    that cannot be read or parsed (the evidence loader says why)."""
    uri = artifact_uri(source)
    try:
        label, raw = read_source(source, what="evidence file", limits=limits)
        text = decode(raw, label, limits=limits)
    except DocumentSyntaxError:
        return {}
    if str(source).endswith((".yaml", ".yml")):
        try:
            doc = parse(text, str(source))
        except DocumentSyntaxError:
            return {}
        out: dict[str, Region] = {}
        for path, ident in record_id_paths(doc.data):
            where = doc.locate(path)
            if where.line is not None:
                out[ident] = Region(uri=uri, start_line=where.line, start_column=where.column)
        return out
    return _json_regions(text, uri)


_CELL = re.compile(
    r"^(?:(?:'(?P<quoted>(?:[^']|'')+)'|(?P<sheet>[^!]+))!)?(?P<col>[A-Z]+)(?P<row>\d+)$"
)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _row_of(cells: Iterable[str]) -> tuple[str | None, int, str, str] | None:
    """The sheet and row most of a record's cells are on, and its first and last column."""
    found: list[tuple[str | None, int, str]] = []
    for ref in cells:
        m = _CELL.match(ref)
        if m:
            sheet = m["quoted"].replace("''", "'") if m["quoted"] else m["sheet"]
            found.append((sheet, int(m["row"]), m["col"]))
    if not found:
        return None
    (sheet, row), _ = Counter((s, r) for s, r, _ in found).most_common(1)[0]
    cols = sorted({c for s, r, c in found if (s, r) == (sheet, row)}, key=_column_number)
    return sheet, row, cols[0], cols[-1]


def provenance_regions(
    provenance: str | os.PathLike[str],
    *,
    bundle_id: str | None = None,
    evidence_digest: str | None = None,
    spreadsheet: str | os.PathLike[str] | None = None,
) -> dict[str, Region]:
    """The spreadsheet row each imported record came from (by evidence id), read from a
    provenance file written by ``safeguard-std evidence import``. ``spreadsheet`` is where the
    imported file is now (default: the file named in the provenance, beside the provenance file
    when it is not found as named). With ``bundle_id`` and ``evidence_digest`` (the assessment's),
    a provenance file written for other evidence is refused with a located
    :class:`~safeguard_std.exceptions.EvidenceError`: its rows would point at the wrong people."""
    label = str(provenance)
    data = _read_provenance(provenance, label)
    for key, expected in (("bundle_id", bundle_id), ("evidence_digest", evidence_digest)):
        _check_belongs(data, key, expected, label)
    target = _spreadsheet(data, Path(provenance), spreadsheet)
    if target is None:
        return {}
    records = data.get("records") or {}
    return _row_regions(records, artifact_uri(target)) if isinstance(records, dict) else {}


def _read_provenance(provenance: str | os.PathLike[str], label: str) -> dict[str, Any]:
    _, raw = read_source(provenance, what="provenance file", error=EvidenceError, name=label)
    try:
        data = json.loads(decode(raw, label))
    except (DocumentSyntaxError, ValueError):
        raise _not_provenance("not a provenance file (not JSON)", label) from None
    if not isinstance(data, dict) or data.get("provenance_format") != 1:
        raise _not_provenance("not a provenance file written by evidence import", label)
    return data


def _not_provenance(message: str, label: str) -> EvidenceError:
    return EvidenceError([Problem(message, Location(label))], source=label)


def _check_belongs(data: Mapping[str, Any], key: str, expected: str | None, label: str) -> None:
    """Refuse a provenance file whose ``key`` names other evidence than ``expected``."""
    if expected is None or data.get(key) in (None, expected):
        return
    message = (
        f"this provenance file belongs to other evidence ({key} {data.get(key)!r}, "
        f"the assessment's is {expected!r})"
    )
    raise EvidenceError([Problem(message, Location(label, (key,)))], source=label)


def _spreadsheet(
    data: Mapping[str, Any], provenance: Path, given: str | os.PathLike[str] | None
) -> Path | None:
    """Where the imported file is: ``given``, else as the provenance names it, else beside the
    provenance file; ``None`` when the provenance names no file."""
    if given is not None:
        return Path(given)
    source = data.get("source")
    named = source.get("file") if isinstance(source, dict) else None
    if not isinstance(named, str) or not named:
        return None
    target = Path(named)
    beside = provenance.parent / target.name
    return beside if not target.exists() and beside.exists() else target


def _row_regions(records: Mapping[str, Any], uri: str) -> dict[str, Region]:
    """The row each record's cells are on, by evidence id (records with no cells left out)."""
    out: dict[str, Region] = {}
    for ident, fields in sorted(records.items()):
        row = _row_of(_cells(fields)) if isinstance(fields, dict) else None
        if row is not None:
            out[ident] = _row_region(uri, *row)
    return out


def _cells(fields: Mapping[str, Any]) -> list[str]:
    """The cell references (``Staff!B4``) a record's fields were read from."""
    return [
        o["cell"]
        for origins in fields.values()
        if isinstance(origins, list)
        for o in origins
        if isinstance(o, dict) and isinstance(o.get("cell"), str)
    ]


def _row_region(uri: str, sheet: str | None, number: int, first: str, last: str) -> Region:
    span = f"{first}{number}" if first == last else f"{first}{number}:{last}{number}"
    where = f"{sheet}!{span}" if sheet else span
    label = f"{where} (row {number}" + (f" of sheet {sheet!r})" if sheet else ")")
    return Region(uri=uri, start_line=number, end_line=number, label=label)


def _find(layer_data: Mapping[str, Any], rid: str) -> tuple[str | int, ...] | None:
    for i, raw in enumerate(layer_data.get("requirements", [])):
        if isinstance(raw, dict) and raw.get("id") == rid:
            return ("requirements", i)
    return None


def requirement_regions(pack: Pack, catalog: PackCatalog) -> dict[str, Region]:
    """The line of each requirement of ``pack`` in the pack file that defines it (an included
    requirement: in the included pack's file), using the parsed layers of ``catalog`` (a
    :class:`~safeguard_std.packs.PackCatalog`). A requirement whose layer the catalog does not
    hold is left out."""
    out: dict[str, Region] = {}
    for req in pack.requirements:
        rid = req.id
        found = _defined(catalog, req.origin, rid)
        if found is None and ":" in rid:  # namespaced by an include: kcsie:KCSIE-1
            found = _defined(catalog, req.origin, rid.split(":", 1)[1])
        if found is None:
            continue
        layer, path = found
        where = layer.document.locate(path)
        if where.line is None or layer.document.source is None:
            continue
        uri, base = _pack_uri(layer.document.source)
        out[rid] = Region(
            uri=uri, uri_base_id=base, start_line=where.line, start_column=where.column
        )
    return out


def _defined(
    catalog: PackCatalog, origin: str, rid: str
) -> tuple[PackLayer, tuple[str | int, ...]] | None:
    """The layer that defines ``rid``, from ``origin`` down the ``extends`` chain."""
    ref: str | None = origin
    seen: set[str] = set()
    while ref and ref not in seen:
        seen.add(ref)
        try:
            layer = catalog.layer(PackRef.parse(ref))
        except (PackNotFound, InvalidPackRef):  # an unknown layer just has no region
            return None
        path = _find(layer.data, rid)
        if path is not None:
            return layer, path
        ref = layer.data.get("extends")
    return None


def _pack_uri(source: str) -> tuple[str, str | None]:
    root = Path(str(data_root())).resolve()
    try:
        inside = Path(source).resolve().relative_to(root / "standards")
        inside = Path("standards", *inside.parts)
    except ValueError:
        return artifact_uri(source), None
    return PurePosixPath(*inside.parts).as_posix(), PACKS_BASE


def export_locations(
    *,
    pack: Pack | None = None,
    catalog: PackCatalog | None = None,
    evidence: str | os.PathLike[str] | None = None,
    provenance: str | os.PathLike[str] | None = None,
    bundle_id: str | None = None,
    evidence_digest: str | None = None,
    limits: Limits | None = None,
) -> ExportLocations:
    """Everything :func:`~safeguard_std.reports.to_sarif` can point at: the records of the
    ``evidence`` file, the rows of its ``provenance`` file (checked against ``bundle_id`` and
    ``evidence_digest``) and the requirements of ``pack`` (their files found through
    ``catalog``, default the bundled one)."""
    if pack is not None and catalog is None:
        catalog = bundled_catalog()
    return ExportLocations(
        records=record_regions(evidence, limits=limits) if evidence is not None else {},
        rows=(
            provenance_regions(provenance, bundle_id=bundle_id, evidence_digest=evidence_digest)
            if provenance is not None
            else {}
        ),
        requirements=(
            requirement_regions(pack, catalog) if pack is not None and catalog is not None else {}
        ),
    )
