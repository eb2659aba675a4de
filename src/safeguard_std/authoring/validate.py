"""``pack validate``: every schema and semantic problem of a pack, located.

The loader (:mod:`safeguard_std.packs`) does most of the work: schema with did-you-mean hints,
layering targets, duplicate and reused ids, sections, parameters, predicates on known facts, and
each rule's parameters checked by its kind. Validation adds what only makes sense across files:
editions whose dates overlap, ``replaced_by`` naming no requirement, and the pack's own test files
(schema, dates, expectations naming requirements the pack does not have, and evidence that does
not load: a test file's base evidence is loaded once and its problems reported once, rather than
every case failing for the same reason when the tests run).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from safeguard_std.authoring._target import PackTarget, open_target
from safeguard_std.domain.pack import Pack, PackRef, SubjectType
from safeguard_std.evidence import bundle_from_data, load_evidence
from safeguard_std.exceptions import EvidenceError, PackError, PackNotFound, Problem
from safeguard_std.io._problems import did_you_mean
from safeguard_std.io.documents import Document, load_document
from safeguard_std.packs import PackCatalog
from safeguard_std.packs.cases import case_files, load_cases

__all__ = ["Validation", "describe", "problem_data", "problem_line", "validate_pack"]


@attrs.frozen
class Validation:
    """The editions checked and every problem found (empty when the pack is valid)."""

    refs: tuple[PackRef, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems


def describe(problem: Problem) -> str:
    """A problem's sentence without its location: message, expected/found, hint."""
    text = problem.message
    if problem.expected is not None and problem.found is not None:
        text += f": expected {problem.expected}, got {problem.found}"
    elif problem.expected is not None:
        text += f": expected {problem.expected}"
    elif problem.found is not None:
        text += f": got {problem.found}"
    return f"{text} ({problem.hint})" if problem.hint else text


def problem_line(problem: Problem, code: str | None = None) -> str:
    """``FILE:LINE:COLUMN: [CODE: ]TEXT [POINTER]``: one line an editor can jump to."""
    loc = problem.location
    where = loc.source or "<pack>"
    if loc.line is not None:
        where += f":{loc.line}" + (f":{loc.column}" if loc.column is not None else "")
    head = f"{code}: " if code else ""
    return f"{where}: {head}{describe(problem)} [{loc.pointer or '/'}]"


def problem_data(problem: Problem) -> dict[str, Any]:
    """A problem as plain data for ``--format json``."""
    loc = problem.location
    return {
        "file": loc.source,
        "line": loc.line,
        "column": loc.column,
        "pointer": loc.pointer,
        "path": loc.json_path,
        "message": problem.message,
        "expected": problem.expected,
        "found": problem.found,
        "hint": problem.hint,
        "text": describe(problem),
    }


def _resolve(catalog: PackCatalog, ref: PackRef) -> tuple[Pack | None, list[Problem]]:
    try:
        # Every resolution over the edition's time in force (one per included edition), latest
        # last: a pack that includes kcsie by date must load with each kcsie edition.
        return catalog.resolutions(ref)[-1], []
    except PackError as exc:
        return None, list(exc.problems)
    except PackNotFound as exc:  # a cycle of extends
        return None, [Problem(str(exc), catalog.layer(ref).document.locate(("extends",)))]


def _replaced_by(catalog: PackCatalog, ref: PackRef, pack: Pack) -> list[Problem]:
    doc = catalog.layer(ref).document
    ids = [r.id for r in pack.requirements]
    out = []
    for i, item in enumerate(catalog.layer(ref).data.get("withdraw", [])):
        target = item.get("replaced_by")
        if target is not None and target not in ids:
            out.append(
                Problem(
                    f"withdraw {item['id']}: replaced_by names unknown requirement {target!r}",
                    doc.locate(("withdraw", i, "replaced_by")),
                    expected="a requirement of this pack",
                    hint=did_you_mean(target, ids),
                )
            )
    return out


def _subject_problem(subject: str) -> str | None:
    kind, sep, ident = subject.partition(":")
    kinds = [s.value for s in SubjectType]
    if not sep or not ident:
        return "expected TYPE:ID, e.g. person:p-001"
    if kind not in kinds:
        return "expected a subject type of " + ", ".join(kinds)
    return None


def _test_file(catalog: PackCatalog, ref: PackRef, path: Path) -> list[Problem]:
    try:
        cases = load_cases(path, ref)
        doc = load_document(path, what="pack test file", error=PackError)
    except PackError as exc:
        return list(exc.problems)
    out: list[Problem] = _evidence_problems(path, doc, ("evidence",), "base evidence")
    for i, raw in enumerate(doc.data["cases"]):
        if isinstance(raw, dict) and "evidence" in raw:
            own = ("cases", i, "evidence")
            out.extend(_evidence_problems(path, doc, own, f"case {raw.get('name')!r} evidence"))
    for i, case in enumerate(cases):
        try:
            pack = catalog.resolve(case.pack, as_of=case.as_of)
        except (PackError, PackNotFound) as exc:
            at = ("cases", i, "pack") if "pack" in doc.data["cases"][i] else ("pack",)
            out.append(Problem(f"case {case.name!r}: {exc}", doc.locate(at)))
            continue
        ids = [r.id for r in pack.requirements]
        for j, want in enumerate(case.expect):
            where = ("cases", i, "expect", j)
            if want["requirement"] not in ids:
                out.append(
                    Problem(
                        f"case {case.name!r} expects a finding for unknown requirement "
                        f"{want['requirement']!r} of {pack.ref}",
                        doc.locate((*where, "requirement")),
                        hint=did_you_mean(want["requirement"], ids),
                    )
                )
            bad = _subject_problem(want["subject"]) if "subject" in want else None
            if bad:
                out.append(
                    Problem(
                        f"case {case.name!r}: subject {want['subject']!r} is not a subject "
                        "reference",
                        doc.locate((*where, "subject")),
                        expected=bad.removeprefix("expected "),
                    )
                )
    return out


def _evidence_problems(
    path: Path, doc: Document, at: tuple[str | int, ...], what: str
) -> list[Problem]:
    """The problems of the evidence at ``at`` in a test file (inline, or ``{file: PATH}``),
    each said once and located in the file that holds it."""
    data = doc.data
    for step in at:
        data = data[step]
    if isinstance(data, dict) and set(data) == {"file"}:
        try:
            load_evidence(path.parent / str(data["file"]))
        except EvidenceError as exc:
            return [attrs.evolve(p, message=f"{what}: {p.message}") for p in exc.problems]
        except OSError:  # load_cases has said it cannot be read
            return []
        return []
    positions = {p[len(at) :]: pos for p, pos in doc.positions.items() if p[: len(at)] == at}
    inner = Document(data, doc.source, positions=positions)
    try:
        bundle_from_data(data, source=doc.source, document=inner)
    except EvidenceError as exc:
        return [
            attrs.evolve(
                p,
                message=f"{what}: {p.message}",
                location=attrs.evolve(p.location, path=(*at, *p.location.path)),
            )
            for p in exc.problems
        ]
    return []


def _overlaps(catalog: PackCatalog, pack_ids: Iterable[str]) -> list[Problem]:
    out = []
    for pack_id in sorted(set(pack_ids)):
        editions = {r: catalog.layer(r) for r in catalog.editions(pack_id)}
        out.extend(PackCatalog(kinds=catalog.kinds, layers=editions).overlaps())
    return out


def _sorted(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    unique = list(dict.fromkeys(problems))
    return tuple(
        sorted(
            unique,
            key=lambda p: (
                p.location.source or "",
                p.location.line or 0,
                p.location.column or 0,
            ),
        )
    )


def validate_target(target: PackTarget) -> Validation:
    """Validate every edition named by ``target`` (see :func:`validate_pack`)."""
    problems = list(target.problems)
    catalog = target.catalog
    for ref in target.refs:
        pack, found = _resolve(catalog, ref)
        problems.extend(found)
        if pack is not None:
            problems.extend(_replaced_by(catalog, ref, pack))
            for path in case_files(catalog.layer(ref).tests_folder):
                problems.extend(_test_file(catalog, ref, path))
    problems.extend(_overlaps(catalog, (r.id for r in target.refs)))
    return Validation(target.refs, _sorted(problems))


def validate_pack(spec: str | Path, *, catalog: PackCatalog | None = None) -> Validation:
    """Validate a pack given as a path (file, edition folder, pack folder or a folder of packs) or
    as ``ID`` (every edition) / ``ID@EDITION``, against ``catalog`` (default: bundled packs).

    Raises :class:`~safeguard_std.exceptions.PackNotFound` or
    :class:`~safeguard_std.exceptions.InvalidPackRef` when ``spec`` names nothing; every problem
    *in* the pack is returned, located, in the :class:`Validation`.
    """
    return validate_target(open_target(spec, catalog=catalog))
