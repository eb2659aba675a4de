"""``safeguard-std evidence``: import a single central record, and validate a bundle.

``evidence import-scr`` exits 0 when every row was imported, 1 when rows were rejected (the
bundle is still written, holding the rows that could be imported, and the report says why the
others were not), 2 when the input cannot be used at all. ``evidence validate`` exits 0 when
the bundle is sound, 1 when it has problems (schema, model or cross-field errors; warnings too
with ``--strict``), 2 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from safeguard_std.cli._common import (
    UsageError,
    add_catalog_options,
    add_limit_options,
    as_of_date,
    catalog_from,
    collector_paused,
    limits_from,
    write_outputs,
)
from safeguard_std.cli._output import Text
from safeguard_std.domain.consistency import (
    Inconsistency,
    Severity,
    check_consistency,
    unrecorded_provider_facts,
    unused_attestations,
)
from safeguard_std.domain.pending import PendingCheck, pending_checks
from safeguard_std.evidence import bundle_from_data
from safeguard_std.exceptions import EvidenceError, Problem
from safeguard_std.importers import ImportResult, Issue, IssueGroup, RowStatus
from safeguard_std.importers import Severity as ImportSeverity
from safeguard_std.importers._scr import import_scr_streaming
from safeguard_std.importers._split import MadeAhead
from safeguard_std.importers._stream import PeopleOut, people_less
from safeguard_std.io._terminal import printable
from safeguard_std.io.documents import DocumentSyntaxError, load_document
from safeguard_std.serialization import canonical_json

__all__ = ["register", "run_import", "run_validate"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``evidence`` command and its subcommands."""
    parser = commands.add_parser(
        "evidence",
        help="import and validate evidence bundles",
        description="Import a single central record into an evidence bundle, or check a bundle.",
    )
    sub = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND", required=True)
    _register_import(sub)
    _register_validate(sub)


def _register_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import-scr",
        help="import a single central record (.csv or .xlsx) into an evidence bundle",
        description="Read a single central record spreadsheet, one row a person, into an "
        "evidence bundle. Every row becomes a person or is rejected with the reason; every "
        "cell is imported or reported. Reading .xlsx needs: pip install 'safeguard-std[xlsx]'.",
    )
    parser.add_argument("file", metavar="FILE", help="the record: .csv or .xlsx")
    parser.add_argument(
        "--provider",
        required=True,
        metavar="PROVIDER.yaml",
        help="the provider entity and what the record does not hold (lead roles, policies...)",
    )
    parser.add_argument(
        "--output", required=True, metavar="BUNDLE.json", help="write the bundle here ('-': stdout)"
    )
    parser.add_argument(
        "--sheet", action="append", metavar="NAME", help="import only this sheet (repeatable)"
    )
    parser.add_argument("--mapping", metavar="MAPPING.yaml", help="column meanings to add")
    parser.add_argument(
        "--default",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a value for a field no column gives, e.g. dbs.level=enhanced (repeatable)",
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="refuse dates after this day and spot leavers (default: today in Europe/London)",
    )
    parser.add_argument(
        "--provenance",
        metavar="FILE",
        help="where to write the raw value of every imported cell (default: beside the "
        "bundle, BUNDLE.provenance.json); it holds personal data, like the bundle",
    )
    parser.add_argument(
        "--no-provenance", action="store_true", help="do not write the provenance file"
    )
    parser.add_argument("--report", metavar="FILE", help="write the full import report (JSON)")
    parser.add_argument(
        "--max-messages",
        type=int,
        default=50,
        metavar="N",
        help="show at most N row and cell messages on stderr (default 50; 0 for all)",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    parser.add_argument(
        "--include-personal-data",
        action="store_true",
        help="show personal values (names, dates of birth, DBS numbers) in messages and report",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        choices=(1, 2),
        default=2,
        metavar="N",
        help="processes reading a large CSV record's rows: 2 (the default) where the system "
        "has two processors and os.fork, else 1; the files written are the same either way",
    )
    parser.set_defaults(run=run_import)


def _register_validate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "validate",
        help="check a bundle: schema, model rules and cross-field consistency",
        description="Check an evidence bundle (hand-written or imported) against the evidence "
        "schema, the model's rules and cross-field rules (future dates, dates before birth, "
        "reviews before approval, references after the start date, leavers, shared "
        "certificates, duplicate people).",
    )
    parser.add_argument("bundle", metavar="BUNDLE", help="evidence bundle (JSON or YAML)")
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the day to judge future dates and leavers on (default: today in Europe/London)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 on warnings as well as errors"
    )
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument(
        "--pack",
        metavar="REF|PATH",
        help="also check the bundle against this pack (edition in force on --as-of): an "
        "attestation no requirement can use is reported as not used, and a provider fact the "
        "pack's conditions need but the bundle does not record (its requirements will ask for "
        "evidence) is named",
    )
    parser.add_argument(
        "--include-personal-data",
        action="store_true",
        help="allow personal values in messages",
    )
    add_limit_options(parser)
    add_catalog_options(parser)
    parser.set_defaults(run=run_validate)


def _defaults(pairs: Iterable[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip():
            raise UsageError(f"--default: expected FIELD=VALUE, got {pair!r}")
        out[field.strip()] = value.strip()
    return out


def _provenance_path(args: argparse.Namespace) -> str | None:
    if args.no_provenance:
        return None
    if args.provenance:
        return str(args.provenance)
    if args.output in (None, "-"):
        return None
    out = Path(args.output)
    stem = out.name[: -len(out.suffix)] if out.suffix else out.name
    return str(out.with_name(f"{stem}.provenance.json"))


def run_import(args: argparse.Namespace) -> int:
    """Import, write the bundle (and provenance, and report), and summarise on stderr."""
    with collector_paused():
        return _run_import(args)


def _run_import(args: argparse.Namespace) -> int:
    as_of = as_of_date(args.as_of)
    if args.max_messages < 0:
        raise UsageError("--max-messages: expected 0 or more")
    # Each person is written to a temporary file as its row is read, not kept: memory grows
    # with the record's keys, not with its people (the files are the same as import_scr's).
    with PeopleOut(as_of) as out:
        result = import_scr_streaming(
            args.file,
            out=out,
            provider=args.provider,
            sheet=args.sheet,
            mapping=args.mapping,
            as_of=as_of,
            defaults=_defaults(args.default),
            include_personal_data=args.include_personal_data,
            processes=args.jobs,
        )
        report: Text | None = None
        ahead = None
        if args.report:
            personal = args.include_personal_data
            report = result.report_chunks(include_personal_data=personal)
            if args.jobs > 1:
                # Made by a second process while this one works out the evidence digest and
                # writes the bundle and provenance (started first: it takes longest).
                ahead = MadeAhead(lambda: result.report_chunks(personal), out.flush)
                report = ahead
        try:
            rest = people_less(result.bundle)
            # All three files appear together or none does: a report that cannot be written
            # must not leave a bundle that looks complete.
            outputs: list[tuple[Text, str | None, str]] = [
                (out.bundle_chunks(rest), args.output, "--output")
            ]
            provenance = _provenance_path(args)
            if provenance is not None:
                extra = {"bundle_id": result.bundle.id, "evidence_digest": out.digest(rest)}
                records = result.provenance.chunks_of(out.record_lines(), **extra)
                outputs.append((records, provenance, "--provenance"))
            if report is not None:
                outputs.append((report, args.report, "--report"))
            inputs = [
                ("FILE", args.file),
                ("--provider", args.provider),
                ("--mapping", args.mapping),
            ]
            write_outputs(outputs, inputs=inputs)
        finally:
            if ahead is not None:
                ahead.close()
        _summarise(result, args, provenance)  # the rows are read back from a temporary file
    failed = result.summary.rejected or result.summary.errors
    return 1 if failed else 0


def _summarise(result: ImportResult, args: argparse.Namespace, provenance: str | None) -> None:
    s = result.summary
    out = sys.stderr
    label = result.provenance.source.get("file", args.file)
    out.write(
        f"{printable(label)}: {_counted(s.rows_read, 'row')} read: {s.imported} imported "
        f"({s.imported_with_warnings} with warnings), {s.rejected} rejected"
    )
    others = [
        (s.blank_rows, "blank row"),
        (s.heading_rows, "section heading"),
        (s.repeated_header_rows, "repeated header row"),
    ]
    extra = ", ".join(_counted(n, what) for n, what in others if n)
    out.write(f"; skipped {extra}\n" if extra else "\n")
    for sheet in result.sheets:
        if not sheet.imported:
            out.write(printable(f"  sheet {sheet.name!r} not imported: {sheet.reason}") + "\n")
        elif sheet.unmapped_headers:
            names = ", ".join(repr(h) for h in sheet.unmapped_headers)
            where = f"sheet {sheet.name!r}" if sheet.name else "headers"
            out.write(printable(f"  {where}: not recognised: {names}") + "\n")
    if s.by_role_type:
        roles = ", ".join(f"{k} {v}" for k, v in sorted(s.by_role_type.items()))
        out.write(printable(f"  people by role type: {roles}") + "\n")
    counts = [
        _counted(s.errors, "error"),
        _counted(s.warnings, "warning"),
        _counted(s.notes, "note"),
    ]
    out.write(printable("  " + ", ".join(counts)) + "\n")
    if not args.quiet:
        _messages(result, args)
    wrote = [args.output] + [p for p in (provenance, args.report) if p]
    out.write(
        printable(f"wrote {', '.join(w for w in wrote if w != '-') or 'the bundle to stdout'}")
        + "\n"
    )


def _messages(result: ImportResult, args: argparse.Namespace) -> None:
    # A group too large for its rows to name the others (more than four) is printed once,
    # after the file's own issues; its members' rows follow, each naming it.
    # Printed as they are met and counted past the limit: never a list of every issue.
    shown: Iterator[Issue | IssueGroup] = itertools.chain(
        result.issues,
        (g for g in result.groups if g.size > 4),
        itertools.islice(result.all_issues(), len(result.issues), None),
    )
    limit = args.max_messages or None
    label = result.provenance.source.get("file", args.file)
    count = 0
    for issue in shown:
        if issue.severity is ImportSeverity.NOTE:
            continue
        count += 1
        if limit is None or count <= limit:
            text = (
                issue.render(args.include_personal_data) if isinstance(issue, Issue) else str(issue)
            )
            sys.stderr.write(printable(f"{issue.severity.value}: {label}: {text}") + "\n")
    if limit is not None and count > limit:
        hint = "--report FILE" if not args.report else args.report
        sys.stderr.write(printable(f"... and {count - limit} more (see {hint})") + "\n")
        rejected = (r for r in result.rows if r.status is RowStatus.REJECTED)
        first = [
            f"{r.sheet + ' ' if r.sheet else ''}{r.row}" for r in itertools.islice(rejected, 10)
        ]
        if first:
            more = sum(1 for _ in rejected)
            tail = f" and {more} more" if more else ""
            sys.stderr.write(printable(f"rejected rows: {', '.join(first)}{tail}") + "\n")


def run_validate(args: argparse.Namespace) -> int:
    """Load and check a bundle; print every problem; exit 1 when there are any."""
    as_of = as_of_date(args.as_of)
    path = Path(args.bundle)
    label = str(args.bundle)
    limits = limits_from(args)
    try:
        doc = load_document(path, what="evidence file", name=label, limits=limits)
    except DocumentSyntaxError as exc:
        if isinstance(exc.__cause__, OSError):
            reason = exc.__cause__.strerror
            raise UsageError(f"cannot read {args.bundle!r}: {reason}") from None
        return _load_failed(exc.problems, label, args)
    try:
        bundle = bundle_from_data(
            doc.data, source=label, document=doc, include_personal_data=args.include_personal_data
        )
    except EvidenceError as exc:
        return _load_failed(list(exc.problems), label, args)
    found = check_consistency(bundle, as_of=as_of)
    if args.pack:
        from safeguard_std.packs import load_pack

        pack = load_pack(args.pack, as_of=as_of, catalog=catalog_from(args))
        found = (
            *found,
            *unused_attestations(bundle, pack),
            *unrecorded_provider_facts(bundle, pack),
        )
    errors = [f for f in found if f.severity is Severity.ERROR]
    warnings = [f for f in found if f.severity is Severity.WARNING]
    pending = pending_checks(bundle)  # listed, never a problem: each asks for evidence
    if args.format == "json":
        sys.stdout.write(_json_report(label, as_of.isoformat(), found, pending, doc) + "\n")
    else:
        _text_report(label, as_of.isoformat(), errors, warnings, pending, doc)
    return 1 if errors or (args.strict and warnings) else 0


def _load_failed(problems: list[Problem], label: str, args: argparse.Namespace) -> int:
    if args.format == "json":
        data = {
            "bundle": label,
            "valid": False,
            "errors": [{"code": "load", "message": str(p)} for p in problems],
            "warnings": [],
        }
        sys.stdout.write(canonical_json(data, indent=2) + "\n")
    else:
        sys.stdout.write(
            printable(f"{label}: {_counted(len(problems), 'error')} (the bundle does not load)")
            + "\n"
        )
        for problem in problems:
            sys.stdout.write(printable(f"error: {problem}") + "\n")
    return 1


def _where(found: Inconsistency, doc: Any) -> str:
    return str(doc.locate(found.path))


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _text_report(
    label: str,
    as_of: str,
    errors: list[Inconsistency],
    warnings: list[Inconsistency],
    pending: Sequence[PendingCheck],
    doc: Any,
) -> None:
    state = "sound" if not errors else "has errors"
    awaited = (
        f"; {_counted(len(pending), 'check')} pending (applied for, not yet done: each is "
        "asked for as evidence until done)"
        if pending
        else ""
    )
    sys.stdout.write(
        printable(
            f"{label}: schema and model rules pass; cross-field checks as of {as_of}: "
            f"{_counted(len(errors), 'error')}, {_counted(len(warnings), 'warning')} "
            f"({state}){awaited}"
        )
        + "\n"
    )
    for found in (*errors, *warnings):
        line = f"{found.severity.value}: [{found.code}] {found.message} @ {_where(found, doc)}"
        sys.stdout.write(printable(line) + "\n")
    for check in pending:
        line = (
            f"pending: {check.subject} {check.check} {check.record}, {check.asked} and not yet "
            f"done @ {doc.locate(check.path)}"
        )
        sys.stdout.write(printable(line) + "\n")


def _json_report(
    label: str,
    as_of: str,
    found: Iterable[Inconsistency],
    pending: Sequence[PendingCheck],
    doc: Any,
) -> str:
    def item(f: Inconsistency) -> dict[str, Any]:
        location = doc.locate(f.path)
        data: dict[str, Any] = {"code": f.code, "message": f.message, "path": location.json_path}
        if location.line is not None:
            data["line"] = location.line
        if f.subject:
            data["subject"] = f.subject
        return data

    items = list(found)
    errors = [item(f) for f in items if f.severity is Severity.ERROR]
    warnings = [item(f) for f in items if f.severity is Severity.WARNING]
    return canonical_json(
        {
            "bundle": label,
            "as_of": as_of,
            "valid": not errors,
            "errors": errors,
            "warnings": warnings,
            "pending": [_pending_data(p, doc) for p in pending],
        },
        indent=2,
    )


def _pending_data(check: PendingCheck, doc: Any) -> dict[str, Any]:
    location = doc.locate(check.path)
    data: dict[str, Any] = {
        "subject": check.subject,
        "check": check.check,
        "record": check.record,
        "path": location.json_path,
    }
    if check.since is not None:
        data["since"] = check.since.isoformat()
    if location.line is not None:
        data["line"] = location.line
    return data
