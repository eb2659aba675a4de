"""``safeguard-std evaluate --evidence PORTFOLIO.ndjson``: a portfolio, one bundle a line.

Writes one assessment a line (canonical JSON, NDJSON), as it goes and in input order, in constant
memory whatever the number of lines; ``--jobs N`` spreads lines over N processes.

A line that is not usable evidence is reported on stderr, every problem located at its line of
the file, and the others go on. The output holds only assessments, one for each good line (its
``evidence.bundle_id`` says which provider). The exit code is 0 when every line was evaluated
and 2 when any line was unusable, or when there was no line at all (an empty or blank file:
a truncated export must not pass), decided at the end; with ``--fail-on``, 1 when every line was
evaluated and some finding has a failing status. With ``--output FILE`` the file appears,
atomically, once the stream is done.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator

from safeguard_std.cli._common import (
    Inputs,
    UsageError,
    batch_collector,
    failing,
    limits_from,
    report_failing,
    write_output,
)
from safeguard_std.domain.pack import Pack
from safeguard_std.exceptions import EvidenceError
from safeguard_std.io._terminal import printable
from safeguard_std.portfolio import default_jobs, evaluate_portfolio
from safeguard_std.rules import RuleKindRegistry

__all__ = ["add_options", "run_portfolio"]


def add_options(parser: argparse.ArgumentParser) -> None:
    """``--jobs N`` for portfolios."""
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="with --evidence FILE.ndjson (a portfolio, one bundle a line; one assessment a "
        "line out, in input order): evaluate on N processes (0: one per processor; default 1)",
    )


def _report(error: EvidenceError) -> None:
    sys.stderr.write(f"error: {printable(error)}\n")
    for problem in error.problems[1:]:
        sys.stderr.write(f"  - {printable(problem)}\n")


def run_portfolio(
    args: argparse.Namespace,
    pack: Pack,
    kinds: RuleKindRegistry,
    as_of: dt.date,
    inputs: Inputs,
) -> int:
    """Evaluate every line of ``args.evidence``; see the module docstring for exit codes.
    ``inputs`` are what the command reads, which the output may not replace."""
    jobs = default_jobs() if args.jobs == 0 else args.jobs
    if jobs < 0:
        raise UsageError(f"--jobs: expected 0 or more, got {args.jobs}")
    if getattr(args, "format", "json") != "json":
        raise UsageError("--format: a portfolio (.ndjson) is written as NDJSON only")
    try:
        source = open(args.evidence, "rb")  # noqa: SIM115 - closed below, after the stream
    except OSError as exc:
        raise UsageError(f"--evidence: cannot read {args.evidence!r}: {exc.strerror}") from None
    lines = bad = 0
    totals: dict[str, int] = {}
    batch_collector()  # the pack lives until exit; workers inherit the setting

    def assessments() -> Iterator[str]:
        nonlocal lines, bad
        results = evaluate_portfolio(
            pack,
            source,
            as_of=as_of,
            kinds=kinds,
            jobs=jobs,
            source=str(args.evidence),
            include_personal_data=args.include_personal_data,
            limits=limits_from(args),
            allow_out_of_force=getattr(args, "allow_out_of_force", False),
        )
        for result in results:
            lines += 1
            if result.error is not None:
                bad += 1
                _report(result.error)
            else:
                yield f"{result.text}\n"
                for status, n in result.by_status:
                    totals[status] = totals.get(status, 0) + n
        if lines == 0:  # raised while writing, so no output file appears or is replaced
            raise UsageError(f"--evidence: no evidence bundles found in {args.evidence!r}")

    with source:
        write_output(
            assessments(), args.output, inputs=inputs
        )  # as it goes; a file appears atomically
    found = failing(totals.items(), args.fail_on)
    if bad:
        sys.stderr.write(f"error: {bad} of {lines} bundle lines could not be evaluated\n")
        return 2
    return report_failing(found)
