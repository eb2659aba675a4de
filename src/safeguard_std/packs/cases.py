"""Pack tests as data: run a pack's ``tests/*.yaml`` cases and compare findings.

A test file names base evidence (inline, or ``{file: PATH}`` relative to the test file) and a list
of cases. Each case may replace the evidence or patch it with RFC 6902 JSON Patch operations
(``add``, ``remove``, ``replace``), sets ``as_of``, and lists expected findings by requirement,
optional subject (``person:p-001``), status, and optionally ``due_on``, ``message_contains`` and
``origin`` (the layer the requirement came from). A case may also name the ``edition`` its pack
must resolve to on its ``as_of``, which tests the choice of edition by date.
The same cases run under ``safeguard-std pack test`` and under pytest.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from safeguard_std.domain.findings import Assessment, Finding
from safeguard_std.domain.pack import Pack, PackRef
from safeguard_std.evaluate import compile_pack
from safeguard_std.evidence import bundle_from_data
from safeguard_std.exceptions import EvidenceError, PackTestError, Problem
from safeguard_std.io._problems import schema_problems
from safeguard_std.io.documents import Document, DocumentSyntaxError, load_document
from safeguard_std.io.schemas import schema_errors
from safeguard_std.packs import PackCatalog

__all__ = [
    "CaseResult",
    "Mismatch",
    "PackCase",
    "apply_patch",
    "load_cases",
    "run_case",
    "run_pack_tests",
]


@attrs.frozen
class PackCase:
    """One test case, ready to run."""

    file: str
    name: str
    pack: PackRef
    as_of: dt.date
    evidence: dict[str, Any]
    expect: tuple[dict[str, Any], ...]
    edition: str | None = None

    @property
    def id(self) -> str:
        """``file::name``, for test reports."""
        return f"{Path(self.file).name}::{self.name}"


@attrs.frozen
class Mismatch:
    """An expectation that the findings did not meet."""

    expected: dict[str, Any]
    actual: tuple[str, ...]

    def __str__(self) -> str:
        want = ", ".join(f"{k}={v}" for k, v in sorted(self.expected.items()))
        got = "; ".join(self.actual) or "no such finding"
        return f"expected {want}\n      got {got}"


@attrs.frozen
class CaseResult:
    """The outcome of one case: passed, or the mismatches (or an error text)."""

    case: PackCase
    mismatches: tuple[Mismatch, ...] = ()
    error: str | None = None

    @property
    def passed(self) -> bool:
        """No mismatch and no error."""
        return not self.mismatches and self.error is None


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise ValueError(f"a JSON Patch path starts with '/', got {path!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def apply_patch(doc: Any, ops: Sequence[dict[str, Any]]) -> Any:
    """Apply JSON Patch ``add``/``remove``/``replace`` operations to a copy of ``doc``."""
    doc = copy.deepcopy(doc)
    for op in ops:
        parts = _pointer(op["path"])
        if not parts:
            raise ValueError("a patch cannot replace the whole document")
        parent: Any = doc
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        last = parts[-1]
        kind = op["op"]
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if kind == "add":
                parent.insert(index, copy.deepcopy(op["value"]))
            elif kind == "remove":
                del parent[index]
            else:
                parent[index] = copy.deepcopy(op["value"])
        else:
            if kind != "add" and last not in parent:
                raise KeyError(f"{op['path']} does not exist")
            if kind == "remove":
                del parent[last]
            else:
                parent[last] = copy.deepcopy(op["value"])
    return doc


def load_cases(path: Path, default_pack: PackRef) -> list[PackCase]:
    """Parse one test file; a bad file is a :class:`~safeguard_std.exceptions.PackTestError` (a
    :class:`~safeguard_std.exceptions.PackError`) with every problem located."""
    label = str(path)
    doc = load_document(path, what="pack test file", error=PackTestError)
    problems = schema_problems(schema_errors("pack-tests", doc.data), doc)
    if problems:
        raise PackTestError(problems, source=label)
    data = doc.data
    base = data.get("evidence")
    evidence_doc: Document | None = None  # the base's own file, when it has one
    if isinstance(base, dict) and set(base) == {"file"}:
        evidence_path = (path.parent / base["file"]).resolve()
        try:
            evidence_doc = load_document(evidence_path, what="evidence file")
            base = evidence_doc.data
        except DocumentSyntaxError as exc:
            raise PackTestError(
                [
                    Problem(
                        f"cannot read base evidence {base['file']!r}: {exc}",
                        doc.locate(("evidence", "file")),
                    )
                ],
                source=label,
            ) from None
    if base is not None:
        _check_base(base, doc, label, evidence_doc)
    cases = []
    for i, raw in enumerate(data["cases"]):
        where = ("cases", i)
        evidence = raw.get("evidence", base)
        if evidence is None:
            raise PackTestError(
                [
                    Problem(
                        "case has no evidence and the file has no base evidence", doc.locate(where)
                    )
                ],
                source=label,
            )
        try:
            evidence = apply_patch(evidence, raw.get("patch", []))
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise PackTestError(
                [
                    Problem(
                        f"case {raw['name']!r}: patch does not apply: {exc}",
                        doc.locate((*where, "patch")),
                    )
                ],
                source=label,
            ) from None
        as_of = raw.get("as_of", data.get("as_of"))
        if as_of is None:
            raise PackTestError(
                [
                    Problem(
                        f"case {raw['name']!r} has no as_of (and the file none)", doc.locate(where)
                    )
                ],
                source=label,
            )
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            at = (*where, "as_of") if "as_of" in raw else ("as_of",)
            raise PackTestError(
                [
                    Problem(
                        "not a calendar date",
                        doc.locate(at),
                        expected="a date YYYY-MM-DD",
                        found=repr(as_of),
                    )
                ],
                source=label,
            ) from None
        pack = PackRef.parse(raw.get("pack", data.get("pack", str(default_pack))))
        cases.append(
            PackCase(
                label,
                raw["name"],
                pack,
                day,
                evidence,
                tuple(raw["expect"]),
                raw.get("edition"),
            )
        )
    return cases


def _check_base(base: Any, doc: Document, label: str, own: Document | None) -> None:
    """The base evidence loads on its own: said once, located where it is written (its own
    file, or under ``evidence`` in the test file), rather than once per case without a line."""
    try:
        if own is not None:
            bundle_from_data(base, source=own.source, document=own)
        else:
            bundle_from_data(base, source=label)
    except EvidenceError as exc:
        problems = [
            attrs.evolve(
                p,
                message=f"base evidence: {p.message}",
                location=p.location
                if own is not None
                else doc.locate(("evidence", *p.location.path)),
            )
            for p in exc.problems
        ]
        raise PackTestError(problems, source=label) from None


def _matches(finding: Finding, want: dict[str, Any]) -> bool:
    if finding.status.value != want["status"]:
        return False
    if "due_on" in want and (
        finding.due_on is None or finding.due_on.isoformat() != want["due_on"]
    ):
        return False
    if "origin" in want and finding.origin != want["origin"]:
        return False
    return "message_contains" not in want or want["message_contains"] in finding.message


def _check(assessment: Assessment, expect: Sequence[dict[str, Any]]) -> list[Mismatch]:
    out = []
    for want in expect:
        found = [
            f
            for f in assessment.findings
            if f.requirement_id == want["requirement"]
            and ("subject" not in want or str(f.subject) == want["subject"])
        ]
        if not found or not all(_matches(f, want) for f in found):
            actual = tuple(
                f"{f.subject} {f.status.value}"
                + (f" due {f.due_on}" if f.due_on else "")
                + (f" from {f.origin}" if "origin" in want else "")
                + f" ({f.message})"
                for f in found
            )
            out.append(Mismatch(dict(want), actual))
    return out


def run_case(case: PackCase, pack: Pack) -> CaseResult:
    """Evaluate one case against a resolved pack."""
    try:
        bundle = bundle_from_data(case.evidence, source=f"{case.id} evidence")
    except EvidenceError as exc:
        return CaseResult(case, error=exc.details())
    # A pack's own tests judge its edition's rules on any date they choose (boundaries past the
    # next edition included): the edition is named by the test file, so it is asked for.
    assessment = compile_pack(pack).evaluate(bundle, as_of=case.as_of, allow_out_of_force=True)
    mismatches = _check(assessment, case.expect)
    if case.edition is not None and pack.edition != case.edition:
        mismatches.insert(0, Mismatch({"edition": case.edition}, (f"edition {pack.edition}",)))
    return CaseResult(case, tuple(mismatches))


def case_files(folder: Path | None) -> list[Path]:
    """The test files in a pack's ``tests/`` folder, sorted."""
    if folder is None or not folder.is_dir():
        return []
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def run_pack_tests(catalog: PackCatalog, ref: PackRef) -> Iterator[CaseResult]:
    """Run every case in the tests folder of ``ref``'s layer, in file and case order."""
    layer = catalog.layer(ref)
    for path in case_files(layer.tests_folder):
        for case in load_cases(path, ref):
            pack = catalog.resolve(case.pack, as_of=case.as_of)
            yield run_case(case, pack)
