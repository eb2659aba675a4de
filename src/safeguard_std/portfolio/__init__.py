"""Evaluating a portfolio: a stream of evidence bundles, one per line (NDJSON), in constant memory.

A council's portfolio is hundreds of providers, a national view millions of records; neither
should need to fit in memory. :func:`evaluate_portfolio` reads bundles one line at a time, judges
each against one compiled pack, and yields each line's assessment as one line of canonical JSON,
**in input order**, whatever the number of processes:

* ``jobs=1`` evaluates in this process, one line at a time;
* ``jobs=N`` spreads lines over ``N`` worker processes. Each worker compiles the pack once, when
  it starts. At most a few lines per worker are in flight at any moment, so memory stays flat
  however long the stream, and results are taken back in the order the lines were read.

A line that is not usable evidence does not stop the others: its :class:`LineResult` carries the
:class:`~safeguard_std.exceptions.EvidenceError`, every problem located at that line of the file
(``portfolio.ndjson $.people[3].dbs_checks[0].issued_on (line 7, column 412)``). Blank lines are
skipped. An adapter: it reads bytes it is given and starts processes; the core stays pure.
"""

from __future__ import annotations

import collections
import datetime as dt
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from safeguard_std.domain.pack import Pack
from safeguard_std.evaluate import EvaluationPlan, compile_pack
from safeguard_std.evidence import load_evidence
from safeguard_std.exceptions import EditionNotInForce, EvidenceError, Location, Problem
from safeguard_std.io._bounded import LineTooLong, bounded_lines
from safeguard_std.io.documents import Limits
from safeguard_std.rules import RuleKindRegistry, default_registry
from safeguard_std.serialization import assessment_to_data, canonical_json

__all__ = ["LineResult", "evaluate_portfolio", "is_portfolio"]

#: Lines in flight per worker: enough to keep every worker busy, few enough to bound memory.
WINDOW_PER_JOB = 4

_SUFFIXES = (".ndjson", ".jsonl")


def is_portfolio(path: str) -> bool:
    """Whether a file name says it holds one bundle per line (``.ndjson`` or ``.jsonl``)."""
    return path.lower().endswith(_SUFFIXES)


@attrs.frozen
class LineResult:
    """What became of one line: its assessment as canonical JSON (one line, no newline), or the
    error that made it unusable."""

    line: int
    text: str | None = None
    error: EvidenceError | None = None
    #: The assessment's count of findings per status (``summary.by_status``), sorted by status.
    by_status: tuple[tuple[str, int], ...] = ()


def _at_line(exc: EvidenceError, line: int) -> EvidenceError:
    """The same problems, located at ``line`` of the portfolio (each bundle is one line)."""
    problems = [attrs.evolve(p, location=attrs.evolve(p.location, line=line)) for p in exc.problems]
    return EvidenceError(problems, source=exc.source)


def _judge(
    plan: EvaluationPlan,
    as_of: dt.date,
    source: str,
    include_personal_data: bool,
    line: int,
    raw: bytes | LineTooLong,
    allow_out_of_force: bool = False,
    limits: Limits | None = None,
) -> LineResult:
    if isinstance(raw, LineTooLong):
        where = Location(source, line=line)
        return LineResult(line, error=EvidenceError([Problem(raw.message, where)], source=source))
    try:
        bundle = load_evidence(
            raw, name=source, include_personal_data=include_personal_data, limits=limits
        )
    except EvidenceError as exc:
        return LineResult(line, error=_at_line(exc, line))
    assessment = plan.evaluate(bundle, as_of=as_of, allow_out_of_force=allow_out_of_force)
    text = canonical_json(assessment_to_data(assessment))
    return LineResult(
        line, text=text, by_status=tuple(sorted(assessment.summary.by_status.items()))
    )


# -- worker processes ---------------------------------------------------------------------------

_worker: dict[str, Any] = {}  # per worker process: the compiled plan and the run's settings


def _start_worker(
    pack: Pack,
    kinds: RuleKindRegistry | None,
    as_of: dt.date,
    source: str,
    include_personal_data: bool,
    allow_out_of_force: bool = False,
    limits: Limits | None = None,
) -> None:
    _worker.update(
        plan=compile_pack(pack, kinds=kinds),  # once per worker, not once per line
        as_of=as_of,
        source=source,
        include_personal_data=include_personal_data,
        allow_out_of_force=allow_out_of_force,
        limits=limits,
    )


def _work(line: int, raw: bytes | LineTooLong) -> LineResult:
    w = _worker
    return _judge(
        w["plan"],
        w["as_of"],
        w["source"],
        w["include_personal_data"],
        line,
        raw,
        w["allow_out_of_force"],
        w["limits"],
    )


def _numbered(lines: Iterable[bytes], limit: int) -> Iterator[tuple[int, bytes | LineTooLong]]:
    # Read no further than the limit a line: an oversized line is reported and ends the stream.
    for number, raw in bounded_lines(lines, limit):
        if isinstance(raw, LineTooLong):
            yield number, raw
            return
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogatepass")
        if raw.strip():
            yield number, raw.rstrip(b"\r\n")  # the line's own text: positions stay on it


def evaluate_portfolio(
    pack: Pack,
    lines: Iterable[bytes],
    *,
    as_of: dt.date,
    kinds: RuleKindRegistry | None = None,
    jobs: int = 1,
    source: str = "portfolio.ndjson",
    include_personal_data: bool = False,
    allow_out_of_force: bool = False,
    limits: Limits | None = None,
) -> Iterator[LineResult]:
    """Judge each line of ``lines`` (one JSON evidence bundle a line) against ``pack`` on
    ``as_of``; yield one :class:`LineResult` per non-blank line, in input order.

    ``lines`` is read lazily (an open file in binary mode is ideal). ``jobs`` above 1 spreads
    lines over that many processes; ``source`` names the portfolio in error locations. An
    edition not in force on ``as_of`` is refused (see :func:`~safeguard_std.evaluate`) unless
    ``allow_out_of_force``. ``limits`` bounds each line (``max_bytes``,
    :class:`~safeguard_std.io.documents.Limits`): an open file is read no further than that a line,
    and a longer line is reported as the last result (the stream is not read past it).
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if not allow_out_of_force and not pack.in_force(as_of):
        raise EditionNotInForce(str(pack.ref), as_of, pack.effective_from, pack.effective_to)
    numbered = _numbered(lines, (limits or Limits()).max_bytes)
    if jobs == 1:
        plan = compile_pack(pack, kinds=kinds)
        for line, raw in numbered:
            yield _judge(
                plan, as_of, source, include_personal_data, line, raw, allow_out_of_force, limits
            )
        return
    settings = (pack, kinds, as_of, source, include_personal_data, allow_out_of_force, limits)
    yield from _in_parallel(numbered, jobs, settings)


def _context() -> Any:
    # fork starts workers without pickling the pack; elsewhere spawn pickles it once per worker.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _in_parallel(
    numbered: Iterator[tuple[int, bytes | LineTooLong]], jobs: int, settings: tuple[Any, ...]
) -> Iterator[LineResult]:
    window = jobs * WINDOW_PER_JOB
    pack, kinds, *rest = settings
    if kinds is not None and kinds == default_registry():
        kinds = None  # workers have it already (and under spawn it need not be pickled)
    settings = (pack, kinds, *rest)
    with _context().Pool(jobs, initializer=_start_worker, initargs=settings) as pool:
        pending: collections.deque[Any] = collections.deque()
        for line, raw in numbered:
            pending.append(pool.apply_async(_work, (line, raw)))
            if len(pending) >= window:
                yield pending.popleft().get()  # oldest first: output keeps input order
        while pending:
            yield pending.popleft().get()


def default_jobs() -> int:
    """The processors this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


__all__ += ["default_jobs"]
