"""Evaluating a portfolio: a stream of evidence bundles, in constant memory.

A council's portfolio is hundreds of providers, a national view millions of records; neither
should need to fit in memory. :func:`evaluate_portfolio` is the one way to evaluate many bundles:
it takes NDJSON lines (one bundle a line, read lazily), a path (a folder of bundle files, an
``.ndjson``/``.jsonl`` file or one bundle file) or bundle objects, judges each against one
compiled pack, and yields one :class:`LineResult` per bundle, **in input order**, whatever the
number of processes. Each result holds the assessment as one line of canonical JSON or, with
``keep_assessments``, the assessment itself; the roll-up across providers
(:func:`safeguard_std.portfolio.rollup.summarize`) consumes that stream.

* ``jobs=1`` evaluates in this process, one line at a time;
* ``jobs=N`` spreads lines over ``N`` worker processes. Each worker compiles the pack once, when
  it starts. At most a few lines per worker are in flight at any moment, so memory stays flat
  however long the stream, and results are taken back in the order the lines were read.

A bundle that is not usable evidence does not stop the others: its :class:`LineResult` carries the
:class:`~safeguard_std.exceptions.EvidenceError`, every problem located at that line of the file
(``portfolio.ndjson $.people[3].dbs_checks[0].issued_on (line 7, column 412)``). Blank lines are
skipped. Lines are read by the one NDJSON reader,
:func:`~safeguard_std.evidence.stream.read_ndjson`, and each is parsed where it is judged (in a
worker when ``jobs`` is above 1). An adapter: it reads what it is given and starts processes; the
core stays pure.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeAlias, cast

import attrs

from safeguard_std._processors import available_processors
from safeguard_std.domain.findings import Assessment
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.evaluate import EvaluationPlan, compile_pack
from safeguard_std.evidence.stream import (
    LoadedBundle,
    iter_evidence,
    load_ndjson_line,
    read_ndjson,
)
from safeguard_std.exceptions import EditionNotInForce, EvidenceError, Location, Problem
from safeguard_std.io._bounded import LineTooLong
from safeguard_std.io.documents import Limits
from safeguard_std.rules import RuleKindRegistry, default_registry
from safeguard_std.serialization import assessment_line

__all__ = ["LineResult", "evaluate_portfolio", "is_portfolio"]

#: Lines in flight per worker: enough to keep every worker busy, few enough to bound memory.
WINDOW_PER_JOB = 4

_SUFFIXES = (".ndjson", ".jsonl")

#: What :func:`evaluate_portfolio` reads: NDJSON lines (an open binary file is ideal), a path
#: (folder, NDJSON file or one bundle file), or bundles already loaded.
Evidence: TypeAlias = (
    "str | os.PathLike[str] | Iterable[bytes] | Iterable[str] | Iterable[EvidenceBundle]"
    " | Iterable[LoadedBundle]"
)

# One input on its way to be judged: a line still to be parsed (where it is judged), a line too
# long to read, or a bundle already loaded (or the error loading it).
_Input: TypeAlias = "bytes | str | LineTooLong | LoadedBundle"


def is_portfolio(path: str) -> bool:
    """Whether a file name says it holds one bundle per line (``.ndjson`` or ``.jsonl``)."""
    return path.lower().endswith(_SUFFIXES)


@attrs.frozen
class LineResult:
    """What became of one bundle of a portfolio: its assessment as canonical JSON (one line, no
    newline) or, with ``keep_assessments``, the assessment and bundle themselves; or the error
    that made it unusable."""

    #: The bundle's line of an NDJSON stream, or its place (from 1) among other inputs.
    line: int
    text: str | None = None
    error: EvidenceError | None = None
    #: The assessment's count of findings per status (``summary.by_status``), sorted by status.
    by_status: tuple[tuple[str, int], ...] = ()
    #: Where the bundle came from: ``SOURCE:LINE`` for a line, a file's path for a folder's file.
    source: str = ""
    assessment: Assessment | None = attrs.field(default=None, eq=False, repr=False)
    bundle: EvidenceBundle | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class _Run:
    """One run's settings, the same in every worker."""

    as_of: dt.date
    source: str
    include_personal_data: bool = False
    allow_out_of_force: bool = False
    limits: Limits | None = None
    line_labels: bool = False
    keep_assessments: bool = False


def _judge(plan: EvaluationPlan, run: _Run, line: int, raw: _Input) -> LineResult:
    if isinstance(raw, LoadedBundle):
        loaded = raw
    else:
        loaded = load_ndjson_line(
            line,
            raw,
            run.source,
            line_labels=run.line_labels,
            include_personal_data=run.include_personal_data,
            limits=run.limits,
        )
    if loaded.bundle is None:
        return LineResult(line, error=loaded.error, source=loaded.source)
    assessment = plan.evaluate(
        loaded.bundle, as_of=run.as_of, allow_out_of_force=run.allow_out_of_force
    )
    by_status = tuple(sorted(assessment.summary.by_status.items()))
    if run.keep_assessments:
        return LineResult(
            line,
            by_status=by_status,
            source=loaded.source,
            assessment=assessment,
            bundle=loaded.bundle,
        )
    text = assessment_line(assessment)  # canonical_json(assessment_to_data(...)), faster
    return LineResult(line, text=text, by_status=by_status, source=loaded.source)


# -- worker processes ---------------------------------------------------------------------------

_worker: dict[str, Any] = {}  # per worker process: the compiled plan and the run's settings


def _start_worker(pack: Pack | EvaluationPlan, kinds: RuleKindRegistry | None, run: _Run) -> None:
    _worker.update(
        # once per worker, not once per line
        plan=pack if isinstance(pack, EvaluationPlan) else compile_pack(pack, kinds=kinds),
        run=run,
    )


def _work(line: int, raw: _Input) -> LineResult:
    w = _worker
    return _judge(w["plan"], w["run"], line, raw)


# -- reading the inputs -------------------------------------------------------------------------


def _inputs(evidence: Evidence, run: _Run) -> tuple[str, Iterator[tuple[int, _Input]]]:
    """The source that labels the inputs, and the inputs numbered in order."""
    if isinstance(evidence, (str, os.PathLike)):
        path = Path(evidence)
        if path.is_dir() or not is_portfolio(path.name):
            loaded = iter_evidence(
                path, include_personal_data=run.include_personal_data, limits=run.limits
            )
            return str(path), enumerate(loaded, start=1)
        return str(path), _file_lines(path, run.limits)
    if hasattr(evidence, "readline"):  # a file: its lines are read no further than the limit
        return run.source, read_ndjson(cast("Iterable[bytes]", evidence), run.limits)
    items = iter(evidence)
    first = next(items, None)  # bundles or lines: the first one says
    rest: Iterator[Any] = itertools.chain([] if first is None else [first], items)
    if isinstance(first, (EvidenceBundle, LoadedBundle)):
        return run.source, _bundles(rest, run.source)
    return run.source, read_ndjson(rest, run.limits)


def _file_lines(path: Path, limits: Limits | None) -> Iterator[tuple[int, _Input]]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        problem = Problem(f"cannot read evidence file: {exc.strerror}", Location(str(path)))
        error = EvidenceError([problem], source=str(path))
        yield 1, LoadedBundle(str(path), error=error)
        return
    with handle:
        yield from read_ndjson(handle, limits)


def _bundles(items: Iterator[Any], source: str) -> Iterator[tuple[int, _Input]]:
    for number, item in enumerate(items, start=1):
        if isinstance(item, LoadedBundle):
            yield number, item
        elif isinstance(item, EvidenceBundle):
            yield number, LoadedBundle(f"{source}:{number}", bundle=item)
        else:
            raise TypeError(
                f"evidence item {number}: expected an EvidenceBundle, got {type(item).__name__}"
            )


def evaluate_portfolio(
    pack: Pack | EvaluationPlan,
    evidence: Evidence,
    *,
    as_of: dt.date,
    kinds: RuleKindRegistry | None = None,
    jobs: int = 1,
    source: str = "portfolio.ndjson",
    include_personal_data: bool = False,
    allow_out_of_force: bool = False,
    limits: Limits | None = None,
    keep_assessments: bool = False,
    line_labels: bool = False,
) -> Iterator[LineResult]:
    """Judge each bundle of ``evidence`` against ``pack`` on ``as_of``; yield one
    :class:`LineResult` per bundle (per non-blank line of NDJSON), in input order.

    ``evidence`` is read lazily: NDJSON lines (an open file in binary mode is ideal; ``source``
    names it in error locations), a path (a folder of ``.json``/``.yaml`` bundle files read in
    path order, an ``.ndjson``/``.jsonl`` file, or one bundle file), or bundles already loaded
    (:class:`~safeguard_std.domain.organisation.EvidenceBundle`, or
    :class:`~safeguard_std.evidence.stream.LoadedBundle` from
    :func:`~safeguard_std.evidence.stream.iter_evidence`). ``pack`` may be compiled already
    (:class:`~safeguard_std.evaluate.EvaluationPlan`), so one plan serves many runs.

    ``jobs`` above 1 spreads bundles over that many processes (NDJSON lines are parsed there
    too; where processes cannot be forked, each compiles ``pack`` with ``kinds`` itself). An
    edition not in force on ``as_of`` is refused (see :func:`~safeguard_std.evaluate`) unless
    ``allow_out_of_force``. ``limits`` bounds each bundle (``max_bytes``,
    :class:`~safeguard_std.io.documents.Limits`): an open file is read no further than that a
    line, and a longer line is reported as the last result (the stream is not read past it).

    Each result holds the assessment as canonical JSON text; ``keep_assessments`` keeps the
    assessment and bundle instead (what :func:`~safeguard_std.portfolio.rollup.summarize` needs;
    with ``jobs`` above 1 they are copied back from the workers). ``line_labels`` labels a line's
    problems ``SOURCE:LINE`` (as the roll-up lists them) rather than ``(line N, column C)``.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    edition = pack.pack if isinstance(pack, EvaluationPlan) else pack
    if not allow_out_of_force and not edition.in_force(as_of):
        raise EditionNotInForce(
            str(edition.ref), as_of, edition.effective_from, edition.effective_to
        )
    run = _Run(
        as_of,
        source,
        include_personal_data,
        allow_out_of_force,
        limits,
        line_labels,
        keep_assessments,
    )
    label, numbered = _inputs(evidence, run)
    run = attrs.evolve(run, source=label)
    if jobs == 1:
        plan = pack if isinstance(pack, EvaluationPlan) else compile_pack(pack, kinds=kinds)
        for line, raw in numbered:
            yield _judge(plan, run, line, raw)
        return
    yield from _in_parallel(numbered, jobs, (pack, kinds, run))


def _context() -> Any:
    # fork starts workers without pickling the pack; elsewhere spawn pickles it once per worker.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _in_parallel(
    numbered: Iterator[tuple[int, _Input]], jobs: int, settings: tuple[Any, ...]
) -> Iterator[LineResult]:
    window = jobs * WINDOW_PER_JOB
    pack, kinds, *rest = settings
    if kinds is not None and kinds == default_registry():
        kinds = None  # workers have it already (and under spawn it need not be pickled)
    context = _context()
    if isinstance(pack, EvaluationPlan) and context.get_start_method() != "fork":
        pack = pack.pack  # a compiled plan cannot be pickled: each worker compiles the pack
    settings = (pack, kinds, *rest)
    with context.Pool(jobs, initializer=_start_worker, initargs=settings) as pool:
        pending: collections.deque[Any] = collections.deque()
        for line, raw in numbered:
            pending.append(pool.apply_async(_work, (line, raw)))
            if len(pending) >= window:
                yield pending.popleft().get()  # oldest first: output keeps input order
        while pending:
            yield pending.popleft().get()


def default_jobs() -> int:
    """The processors this process may use (at least 1)."""
    return available_processors()


__all__ += ["default_jobs"]
