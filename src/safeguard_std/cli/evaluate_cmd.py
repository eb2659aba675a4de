"""``safeguard-std evaluate``: judge an evidence bundle against a pack."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from safeguard_std.cli import evaluate_stream
from safeguard_std.cli._common import (
    Inputs,
    UsageError,
    add_catalog_options,
    add_fail_on_option,
    add_limit_options,
    add_out_of_force_option,
    add_report_options,
    as_of_date,
    batch,
    batch_collector,
    catalog_from,
    catalog_inputs,
    check_in_force,
    failing,
    limits_from,
    pack_inputs,
    report_failing,
    write_output,
)
from safeguard_std.cli._read import read_json
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.evidence.locations import export_locations
from safeguard_std.exceptions import ReportError
from safeguard_std.packs import load_pack
from safeguard_std.portfolio import is_portfolio
from safeguard_std.reports import FORMATS, build_report, render, to_sarif
from safeguard_std.reports.actions import staff_numbers_from_provenance, to_csv, to_xlsx
from safeguard_std.reports.as_json import render_json_chunks, safe_chunks
from safeguard_std.serialization import assessment_ndjson_findings

__all__ = ["register"]

#: The compact output for pipelines (see assessment_ndjson_findings).
NDJSON_FINDINGS = "ndjson-findings"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``evaluate`` subcommand."""
    parser = commands.add_parser(
        "evaluate",
        help="judge an evidence bundle against a standard pack",
        description="Evaluate an evidence bundle against a pack on a date and write the "
        "assessment as canonical JSON (with ratings, metrics and lapses), a Markdown or HTML "
        "report, OSCAL assessment-results, SARIF 2.1.0, JUnit XML, or the action list as CSV or "
        "XLSX; byte-identical for the same inputs.",
    )
    parser.add_argument(
        "--pack",
        required=True,
        metavar="REF|PATH",
        help="pack id (edition in force on --as-of), id@edition, or a pack path",
    )
    parser.add_argument(
        "--evidence", required=True, metavar="FILE", help="evidence bundle (JSON or YAML)"
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the date to judge on (default: today in Europe/London)",
    )
    parser.add_argument("--output", metavar="FILE", help="write here (atomically), not stdout")
    parser.add_argument(
        "--format",
        choices=[*FORMATS, "xlsx", NDJSON_FINDINGS],
        default="json",
        help="output format (default: json); csv and xlsx give the action list; "
        "ndjson-findings, for pipelines: the assessment without findings on the first line "
        "(its summary counts them all), then one line per finding that is neither met nor not "
        "applicable",
    )
    add_report_options(parser)
    parser.add_argument(
        "--include-passing",
        action="store_true",
        help="SARIF: also write met and not applicable findings (by default only what needs "
        "action, and waivers: code scanning shows every result as an open alert)",
    )
    parser.add_argument(
        "--provenance",
        metavar="FILE",
        help="the provenance file of an imported bundle (default: EVIDENCE.provenance.json "
        "beside the bundle, if there): SARIF points results at its spreadsheet rows; the action "
        "list (csv, xlsx) shows each person's staff number from it",
    )
    parser.add_argument(
        "--include-personal-data",
        action="store_true",
        help="allow personal values (names, dates of birth, DBS numbers) in error messages, "
        "and people's names in reports",
    )
    add_out_of_force_option(parser)
    add_fail_on_option(parser)
    add_limit_options(parser)
    add_catalog_options(parser)
    evaluate_stream.add_options(parser)
    parser.set_defaults(run=run)


def _provenance(args: argparse.Namespace) -> str | None:
    """``--provenance``, or the file ``evidence import-scr`` writes beside the bundle."""
    if args.provenance:
        return str(args.provenance)
    evidence = Path(args.evidence)
    stem = evidence.name[: -len(evidence.suffix)] if evidence.suffix else evidence.name
    beside = evidence.with_name(f"{stem}.provenance.json")
    return str(beside) if beside.is_file() else None


def _inputs(args: argparse.Namespace) -> Inputs:
    """What evaluate reads, which no output may replace: the provenance file only in the formats
    that read it."""
    provenance = _provenance(args) if args.format in _READ_PROVENANCE else args.provenance
    return [
        ("--evidence", args.evidence),
        ("--provenance", provenance),
        *pack_inputs("--pack", args.pack),
        *catalog_inputs(args),
    ]


#: The formats that read the import's provenance file (staff numbers, spreadsheet rows).
_READ_PROVENANCE = frozenset({"csv", "xlsx", "sarif"})


@batch  # the collector paused while loading, then set for a batch: see batch_collector
def run(args: argparse.Namespace) -> int:
    """Evaluate and write the assessment."""
    as_of = as_of_date(args.as_of)
    catalog = catalog_from(args)
    pack = load_pack(args.pack, as_of=as_of, catalog=catalog)
    allowed = args.allow_out_of_force
    check_in_force(pack, catalog, as_of, allowed)
    if is_portfolio(args.evidence):
        return evaluate_stream.run_portfolio(args, pack, catalog.kinds, as_of, _inputs(args))
    bundle = load_evidence(
        args.evidence,
        include_personal_data=args.include_personal_data,
        limits=limits_from(args),
    )
    batch_collector()  # the pack and bundle live until exit: spare the collector re-reading them
    assessment = evaluate(
        pack, bundle, as_of=as_of, kinds=catalog.kinds, allow_out_of_force=allowed
    )
    if args.format == NDJSON_FINDINGS:  # no report to build: the findings as they are
        write_output(
            safe_chunks(assessment_ndjson_findings(assessment)), args.output, inputs=_inputs(args)
        )
        return report_failing(failing(assessment.summary.by_status.items(), args.fail_on))
    options = {
        "pack": pack,
        "bundle": bundle,
        "include_personal_data": args.include_personal_data,
        "horizon_days": args.horizon,
    }
    if args.format in ("csv", "xlsx"):
        numbers = _staff_numbers(_provenance(args), bundle.id, assessment.evidence_digest)
        if args.format == "xlsx":
            if args.output in (None, "-") and sys.stdout.isatty():
                raise UsageError("--format xlsx writes a binary workbook: give --output FILE")
            write_output(
                to_xlsx(assessment, staff_numbers=numbers, **options),
                args.output,
                inputs=_inputs(args),
            )
        else:
            write_output(
                to_csv(assessment, staff_numbers=numbers, **options),
                args.output,
                inputs=_inputs(args),
            )
    elif args.format == "sarif":
        text = to_sarif(
            assessment,
            pack=pack,
            bundle=bundle,
            include_personal_data=args.include_personal_data,
            horizon_days=args.horizon,
            locations=export_locations(
                pack=pack,
                catalog=catalog,
                evidence=args.evidence,
                provenance=_provenance(args),
                bundle_id=assessment.bundle_id,
                evidence_digest=assessment.evidence_digest,
                limits=limits_from(args),
            ),
            include_passing=args.include_passing,
        )
        write_output(text, args.output, inputs=_inputs(args))
    elif args.format == "json":  # written as it is made: a large assessment is never whole
        write_output(
            render_json_chunks(build_report(assessment, **options)),
            args.output,
            inputs=_inputs(args),
        )
    else:
        write_output(render(assessment, args.format, **options), args.output, inputs=_inputs(args))
    return report_failing(failing(assessment.summary.by_status.items(), args.fail_on))


def _staff_numbers(path: str | None, bundle_id: str, evidence_digest: str) -> dict[str, str]:
    if path is None:
        return {}
    data = read_json(path, "--provenance").data
    if not isinstance(data, dict) or data.get("provenance_format") != 1:
        raise UsageError(f"--provenance: {path}: not a provenance file written by evidence import")
    for key, expected in (("bundle_id", bundle_id), ("evidence_digest", evidence_digest)):
        if data.get(key) not in (None, expected):
            raise UsageError(
                f"--provenance: {path}: {key}: this provenance file belongs to other evidence "
                f"({data[key]!r}; the assessment's is {expected!r})"
            )
    try:
        return staff_numbers_from_provenance(data, source=path)
    except ReportError as exc:
        raise UsageError(f"--provenance: {exc}") from None
