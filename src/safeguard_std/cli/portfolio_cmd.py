"""``safeguard-std portfolio``: one summary across many providers' evidence bundles."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from safeguard_std.cli._common import (
    UsageError,
    add_catalog_options,
    add_limit_options,
    add_out_of_force_option,
    add_report_options,
    as_of_date,
    catalog_from,
    catalog_inputs,
    check_in_force,
    limits_from,
    pack_inputs,
    write_output,
)
from safeguard_std.evaluate import compile_pack
from safeguard_std.evidence.stream import bundle_files, count_evidence
from safeguard_std.io._terminal import printable
from safeguard_std.packs import load_pack
from safeguard_std.portfolio import LineResult, evaluate_portfolio
from safeguard_std.portfolio.rollup import portfolio_to_json, portfolio_to_markdown, summarize

__all__ = ["register"]

_RENDER = {"json": portfolio_to_json, "markdown": portfolio_to_markdown}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``portfolio`` subcommand."""
    parser = commands.add_parser(
        "portfolio",
        help="roll many providers' assessments up into one summary",
        description="Evaluate every evidence bundle in a folder or an NDJSON stream (one "
        "provider a line; '-' for standard input) against one pack and write one summary: "
        "counts, providers at red, worst sections, metrics across providers. Bundles that "
        "cannot be read are listed and make the exit code 2; the rest are still summarised.",
    )
    parser.add_argument(
        "--pack",
        required=True,
        metavar="REF|PATH",
        help="pack id (edition in force on --as-of), id@edition, or a pack path",
    )
    parser.add_argument(
        "--evidence",
        required=True,
        metavar="DIR|FILE.ndjson|-",
        help="a folder of bundle files, an NDJSON file, or '-' for NDJSON on standard input",
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the date to judge on (default: today in Europe/London)",
    )
    parser.add_argument("--output", metavar="FILE", help="write here (atomically), not stdout")
    parser.add_argument(
        "--format", choices=list(_RENDER), default="json", help="output format (default: json)"
    )
    add_report_options(parser)
    parser.add_argument(
        "--progress",
        choices=["auto", "always", "never"],
        default="auto",
        help="progress bar on stderr: auto shows it only when stderr is a terminal",
    )
    add_limit_options(parser)
    add_out_of_force_option(parser)
    add_catalog_options(parser)
    parser.set_defaults(run=run)


def _inputs(source: str) -> tuple[BinaryIO | Path, int | None]:
    if source == "-":  # read a line at a time, no further than the limit a line
        return sys.stdin.buffer, None
    path = Path(source)
    if not path.exists():
        raise UsageError(f"--evidence: {source!r} does not exist")
    return path, count_evidence(path)


def _evidence_files(source: str) -> list[tuple[str, str | None]]:
    """The files ``--evidence`` reads, which no output may replace."""
    if Path(source).is_dir():
        return [("--evidence", str(f)) for f in bundle_files(Path(source))]
    return [("--evidence", source)]


def _progress_bar(total: int | None) -> tuple[Callable[[int], None], Callable[[], None]]:
    def show(done: int) -> None:
        if total:
            filled = done * 30 // total
            bar = "#" * filled + "." * (30 - filled)
            sys.stderr.write(f"\r[{bar}] {done}/{total} bundles")
        else:
            sys.stderr.write(f"\r{done} bundles")
        sys.stderr.flush()

    def close() -> None:
        sys.stderr.write("\n")

    return show, close


def run(args: argparse.Namespace) -> int:
    """Evaluate each bundle, write the summary, report unreadable inputs."""
    as_of = as_of_date(args.as_of)
    catalog = catalog_from(args)
    pack = load_pack(args.pack, as_of=as_of, catalog=catalog)
    allowed = args.allow_out_of_force
    check_in_force(pack, catalog, as_of, allowed)
    plan = compile_pack(pack, kinds=catalog.kinds)
    evidence, total = _inputs(args.evidence)
    show_progress = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    show, close = _progress_bar(total) if show_progress else (None, None)
    results = evaluate_portfolio(
        plan,
        evidence,
        as_of=as_of,
        source="<stdin>",  # labels standard input; a path labels itself
        allow_out_of_force=allowed,
        limits=limits_from(args),
        keep_assessments=True,
        line_labels=True,
    )
    problems: list[str] = []
    done = 0

    def watched() -> Iterator[LineResult]:
        nonlocal done
        for result in results:
            if result.error is not None:
                problems.extend(str(p) for p in result.error.problems)
            done += 1
            yield result

    summary = summarize(watched(), plan, as_of, horizon_days=args.horizon, on_progress=show)
    if close is not None and done:
        close()
    if done == 0:
        raise UsageError(f"--evidence: no evidence bundles found in {args.evidence!r}")
    inputs = [*_evidence_files(args.evidence), *pack_inputs("--pack", args.pack)]
    inputs += catalog_inputs(args)
    write_output(_RENDER[args.format](summary), args.output, inputs=inputs)
    for problem in problems:
        sys.stderr.write(f"error: invalid evidence: {printable(problem)}\n")
    for repeat in summary.repeated:
        line = f"warning: {repeat.source}: the same evidence as {repeat.same_as}: counted once"
        sys.stderr.write(printable(line) + "\n")
    return 2 if problems else 0
