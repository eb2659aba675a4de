"""Reading one pack file: the bounded document loader, the JSON Schema, the checks the schema
cannot make (calendar dates, ids, no fractions), into a :class:`PackLayer`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from safeguard_std.domain.pack import PackRef
from safeguard_std.exceptions import PackError, Problem
from safeguard_std.io._problems import schema_problems, shown
from safeguard_std.io.documents import Document, load_document
from safeguard_std.io.schemas import proven_valid, schema_errors

PACK_FILE = "pack.yaml"


@attrs.frozen
class PackOrigin:
    """Where a pack layer came from: shipped with the library (``bundled``), the caller's own
    files (``folder``: ``--packs-dir``, a pack file named by path, text read directly), or an
    installed ``distribution`` (with its name and version). Assessments record it for every
    layer; a folder's path is not recorded, so an assessment does not depend on where the files
    happened to be."""

    kind: str
    name: str | None = None
    version: str | None = None

    def __str__(self) -> str:
        if self.kind == "distribution":
            return f"distribution {self.name} {self.version}"
        return self.kind


BUNDLED = PackOrigin("bundled")
FOLDER = PackOrigin("folder")


@attrs.frozen
class PackLayer:
    """One pack file, parsed and schema-valid, not yet resolved."""

    ref: PackRef
    data: Mapping[str, Any]
    document: Document = attrs.field(eq=False, repr=False)
    folder: Path | None = attrs.field(default=None, eq=False)
    origin: PackOrigin = attrs.field(default=FOLDER, eq=False)

    @property
    def tests_folder(self) -> Path | None:
        """Where this pack's test cases live (``tests/`` beside the pack file)."""
        return None if self.folder is None else self.folder / "tests"


def read_layer(source: Path | str, text: str | bytes | None = None) -> PackLayer:
    """Parse and schema-check one pack file (a ``pack.yaml`` or a folder holding one)."""
    path = Path(source)
    if path.is_dir():
        path = path / PACK_FILE
    label = str(path)
    doc = load_document(
        text if isinstance(text, bytes) else path,
        text=text if isinstance(text, str) else None,
        what="pack file",
        error=PackError,
        name=label,
    )
    if not isinstance(doc.data, dict):
        raise PackError([Problem("a pack must be a mapping", doc.locate(()))], source=label)
    problems = (
        []
        if proven_valid("standard-pack", doc.data)
        else [
            _whole_rule(p) for p in schema_problems(schema_errors("standard-pack", doc.data), doc)
        ]
    )
    problems = problems or [*_date_problems(doc), *_value_problems(doc)]
    if problems:
        raise PackError(problems, source=label)
    ref = PackRef(doc.data["id"], str(doc.data["edition"]))
    return PackLayer(ref, doc.data, doc, path.parent)


def _whole_rule(problem: Problem) -> Problem:
    """An ``alter`` that gives a rule without its kind: say that ``rule`` replaces the whole
    rule, and how to change one parameter."""
    path = problem.location.path
    if len(path) == 3 and path[0] == "alter" and path[2] == "rule" and "'kind'" in problem.message:
        return attrs.evolve(
            problem,
            hint="alter's rule replaces the whole rule: give its kind and every parameter, or "
            "change only some with rule_params: {NAME: VALUE}",
        )
    return problem


def _date_problems(doc: Document) -> list[Problem]:
    # The schema checks the shape YYYY-MM-DD; the calendar (no 30 February) is checked here.
    problems: list[Problem] = []
    dates: dict[str, dt.date] = {}
    for path in (("effective_from",), ("effective_to",), ("source", "retrieved_on")):
        raw: Any = doc.data
        for part in path:
            raw = raw.get(part) if isinstance(raw, dict) else None
        if raw is None:
            continue
        try:
            dates[path[-1]] = dt.date.fromisoformat(raw)
        except ValueError:
            problems.append(
                Problem(
                    "not a calendar date",
                    doc.locate(path),
                    expected="a date YYYY-MM-DD",
                    found=shown(raw),
                )
            )
    start, end = dates.get("effective_from"), dates.get("effective_to")
    if start is not None and end is not None and end < start:
        problems.append(
            Problem(
                f"edition ends on {end} before it starts on {start}",
                doc.locate(("effective_to",)),
                expected=f"a date on or after {start}",
            )
        )
    return problems


# The schema's patterns, matched whole (the schema's "$" also matches before a final newline).
_PACK_ID = re.compile(r"[a-z][a-z0-9_-]{0,63}")
_EDITION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
_REQUIREMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _floats(
    data: Any, path: tuple[str | int, ...] = ()
) -> Iterable[tuple[tuple[str | int, ...], float]]:
    if isinstance(data, float):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _floats(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _floats(value, (*path, i))


def _value_problems(doc: Document) -> list[Problem]:
    """What else the schema cannot say: ids without stray characters (a JSON Schema ``$`` lets a
    final newline through in Python), and no fractional numbers (findings and digests are
    canonical JSON without floats)."""
    data = doc.data
    problems = [
        Problem(
            "numbers with a fraction are not allowed in a pack",
            doc.locate(path),
            expected="a whole number, or text in quotes such as '3.2'",
            found=shown(value),
        )
        for path, value in _floats(data)
    ]
    for key, pattern in (("id", _PACK_ID), ("edition", _EDITION)):
        if not pattern.fullmatch(data[key]):
            problems.append(
                Problem(f"invalid pack {key}", doc.locate((key,)), found=shown(data[key]))
            )
    for i, req in enumerate(data.get("requirements", [])):
        if not _REQUIREMENT_ID.fullmatch(req["id"]):
            problems.append(
                Problem(
                    "invalid requirement id",
                    doc.locate(("requirements", i, "id")),
                    found=shown(req["id"]),
                )
            )
    return problems


def pack_files(root: Path | str) -> list[Path]:
    """The pack files a folder of packs holds: its own ``pack.yaml``, or each
    ``<id>/<edition>/pack.yaml`` under it (what a catalog reads from it)."""
    return _folder_files(root)


def _folder_files(root: Path | str) -> list[Path]:
    root = Path(root)
    if (root / PACK_FILE).is_file():
        return [root / PACK_FILE]
    return sorted(root.glob(f"*/*/{PACK_FILE}"))
