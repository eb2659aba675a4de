"""``safeguard-std assessment diff OLD.json NEW.json``: what changed since last month."""

from __future__ import annotations

import argparse

from safeguard_std.cli._common import add_report_options, write_output
from safeguard_std.reports.diff import (
    diff_assessments,
    diff_to_json,
    diff_to_markdown,
    diff_to_text,
    read_assessment,
)

__all__ = ["register"]

_WRITERS = {"text": diff_to_text, "json": diff_to_json, "markdown": diff_to_markdown}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``assessment`` command and its ``diff`` subcommand."""
    parser = commands.add_parser(
        "assessment",
        help="work with assessments that evaluate wrote",
        description="Work with assessment documents (the JSON 'safeguard-std evaluate' writes).",
    )
    sub = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND", required=True)
    diff = sub.add_parser(
        "diff",
        help="what changed between two assessments of one provider",
        description="Compare two assessments of one provider against one pack (say, last "
        "month's and this month's): new gaps, resolved gaps, gaps still open and for how long, "
        "gaps no longer assessed (never counted as resolved), and what comes due within the "
        "horizon. Both files are checked against the published assessment schema first.",
    )
    diff.add_argument("old", metavar="OLD.json", help="the earlier assessment")
    diff.add_argument("new", metavar="NEW.json", help="the later assessment")
    diff.add_argument(
        "--format", choices=list(_WRITERS), default="text", help="output format (default: text)"
    )
    diff.add_argument("-o", "--output", metavar="FILE", help="write here (atomically), not stdout")
    diff.add_argument(
        "--fail-on-new-gaps",
        action="store_true",
        help="exit 1 when there is a new gap (after writing the whole output), for CI",
    )
    add_report_options(diff)
    diff.set_defaults(run=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    """Compare and write."""
    old = read_assessment(args.old)
    new = read_assessment(args.new)
    result = diff_assessments(
        old, new, horizon_days=args.horizon, old_source=args.old, new_source=args.new
    )
    inputs = [("OLD.json", args.old), ("NEW.json", args.new)]
    write_output(_WRITERS[args.format](result), args.output, inputs=inputs)
    return 1 if args.fail_on_new_gaps and result.new_gaps else 0
