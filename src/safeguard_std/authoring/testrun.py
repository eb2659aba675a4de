"""``pack test``: run a pack's test cases and show each failure as expected beside actual."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterator
from pathlib import Path

import attrs

from safeguard_std.authoring._target import open_target
from safeguard_std.domain.pack import PackRef
from safeguard_std.exceptions import PackError
from safeguard_std.io._terminal import printable
from safeguard_std.packs import PackCatalog
from safeguard_std.packs.cases import CaseResult, Mismatch, case_files, load_cases, run_case

__all__ = ["PackTestRun", "run_tests", "side_by_side"]


@attrs.frozen
class PackTestRun:
    """The results of one edition's cases, in file and case order."""

    ref: PackRef
    results: tuple[CaseResult, ...]

    @property
    def failed(self) -> tuple[CaseResult, ...]:
        """Cases that did not pass."""
        return tuple(r for r in self.results if not r.passed)


def _cases(catalog: PackCatalog, ref: PackRef, keyword: str | None) -> Iterator[CaseResult]:
    for path in case_files(catalog.layer(ref).tests_folder):
        for case in load_cases(path, ref):
            if keyword is None or keyword.lower() in case.id.lower():
                yield run_case(case, catalog.resolve(case.pack, as_of=case.as_of))


def run_tests(
    spec: str | Path, *, catalog: PackCatalog | None = None, keyword: str | None = None
) -> list[PackTestRun]:
    """Run the cases of every edition named by ``spec`` (a path or ``ID[@EDITION]``); only
    cases whose ``file::name`` contains ``keyword`` (case-insensitive) when given. A pack or
    test file that does not load raises :class:`~safeguard_std.exceptions.PackError`."""
    target = open_target(spec, catalog=catalog)
    if target.problems:
        raise PackError(target.problems)
    return [PackTestRun(ref, tuple(_cases(target.catalog, ref, keyword))) for ref in target.refs]


def _expected(mismatch: Mismatch) -> str:
    want = dict(mismatch.expected)
    text = f"{want.pop('requirement')} {want.pop('subject', 'every subject')} {want.pop('status')}"
    extras = " ".join(
        f"{k}={v!r}" if k == "message_contains" else f"{k} {v}" for k, v in sorted(want.items())
    )
    return f"{text} {extras}".strip()


def _actual(mismatch: Mismatch) -> list[str]:
    rid = mismatch.expected["requirement"]
    return [f"{rid} {a}" for a in mismatch.actual] or ["no such finding"]


def _column(lines: list[str], width: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        out.extend(textwrap.wrap(line, width, subsequent_indent="  ") or [""])
    return out


def side_by_side(result: CaseResult, width: int = 100) -> str:
    """A failing case as text: its name, then expected and actual findings in two columns."""
    case = result.case
    lines = [f"FAIL {case.pack} {case.id} (as of {case.as_of.isoformat()})"]
    if result.error is not None:
        lines += ["  the evidence does not load:"] + [f"    {x}" for x in result.error.splitlines()]
        return "\n".join(printable(line) for line in lines)
    col = max(20, (width - 5) // 2)
    lines.append(f"  {'expected':<{col}} | actual")
    lines.append(f"  {'-' * col}-+-{'-' * col}")
    for mismatch in result.mismatches:
        left = _column([_expected(mismatch)], col)
        right = _column(_actual(mismatch), col)
        for a, b in itertools.zip_longest(left, right, fillvalue=""):
            lines.append(f"  {a:<{col}} | {b}".rstrip())
    return "\n".join(printable(line) for line in lines)
