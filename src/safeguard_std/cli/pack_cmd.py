"""``safeguard-std pack ...``: the authoring toolkit for councils writing standard packs.

``validate``, ``lint``, ``test``, ``diff``, ``render``, ``export`` and ``new``; each takes a pack
as a path (file or folder) or as ``ID`` / ``ID@EDITION``. Exit codes: 0 success; 1 problems, lint
findings or failing cases (or, with ``diff --exit-code``, differences); 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from safeguard_std.authoring import (
    CODES,
    diff_packs,
    lint_pack,
    open_target,
    problem_data,
    problem_line,
    render_pack,
    run_tests,
    scaffold_pack,
    side_by_side,
    validate_pack,
)
from safeguard_std.authoring._target import PackTarget
from safeguard_std.cli._common import (
    UsageError,
    add_catalog_options,
    as_of_date,
    catalog_from,
    catalog_inputs,
    write_output,
)
from safeguard_std.domain.pack import Pack, PackRef
from safeguard_std.exceptions import PackError, ReportError
from safeguard_std.io._terminal import printable_lines
from safeguard_std.packs import PackCatalog
from safeguard_std.packs._inclusion import without_included
from safeguard_std.packs.cases import CaseResult

__all__ = ["register"]

_TARGET_HELP = (
    "a pack: a pack.yaml, an edition folder, a pack folder (<id>/<edition>/...), a folder of "
    "packs, or ID (every edition) / ID@EDITION"
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``pack`` command and its subcommands."""
    parser = commands.add_parser(
        "pack",
        help="author standard packs: validate, lint, test, diff, render, export, new",
        description="Tools for writing a standard pack: check it, test it, compare editions, "
        "read it as a document, or start a new one.",
    )
    subs = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND", required=True)
    _validate(subs)
    _lint(subs)
    _test(subs)
    _diff(subs)
    _render(subs)
    _export(subs)
    _new(subs)


def _add(
    subs: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help: str, text: str
) -> argparse.ArgumentParser:
    return subs.add_parser(
        name,
        help=help,
        description=text,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _target_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="PATH|ID", help=_TARGET_HELP)


def _format_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format (default text)"
    )


# -- validate --------------------------------------------------------------------------------------


def _validate(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = _add(
        subs,
        "validate",
        "check a pack against the schema and the evidence model",
        "Check a pack: schema (with did-you-mean hints), rule kinds and their parameters, ids\n"
        "defined twice or reused, extends/alter/exclude/withdraw targets, durations, predicates\n"
        "on facts the evidence model has, overlapping edition dates, and the pack's test files.\n"
        "One line per problem: FILE:LINE:COLUMN: MESSAGE [JSON POINTER].\n\n"
        "exit status: 0 valid, 1 problems found, 2 the pack cannot be found",
    )
    _target_arg(p)
    _format_arg(p)
    add_catalog_options(p)
    p.set_defaults(run=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    """Validate and print every problem."""
    result = validate_pack(args.target, catalog=catalog_from(args))
    if args.format == "json":
        data = {
            "packs": [str(r) for r in result.refs],
            "valid": result.ok,
            "problems": [problem_data(p) for p in result.problems],
        }
        write_output(json.dumps(data, indent=2, ensure_ascii=False) + "\n", None, inputs=())
    else:
        lines = [problem_line(p) for p in result.problems]
        names = ", ".join(str(r) for r in result.refs) or args.target
        if result.ok:
            lines.append(f"{names}: valid")
        else:
            n = len(result.problems)
            lines.append(f"{names}: {n} problem{'s' if n != 1 else ''}")
        write_output(printable_lines(lines), None, inputs=())
    return 0 if result.ok else 1


# -- lint ------------------------------------------------------------------------------------------


def _lint(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = _add(
        subs,
        "lint",
        "find what is valid but doubtful in a pack",
        "Find what is valid but doubtful: requirements without a citation or source text, or\n"
        "that no pack test names; a modality the source text's verb contradicts; attestation\n"
        "where a structured rule kind judges the same thing; parameters declared but unused;\n"
        "an unknown 'supersedes'; empty sections.\n\n"
        "codes: " + ", ".join(CODES) + "\n"
        "Silence one requirement with metadata: {lint_ignore: [CODE]}, or a run with --ignore.\n\n"
        "exit status: 0 clean, 1 findings, 2 the pack cannot be found or does not load",
    )
    _target_arg(p)
    p.add_argument(
        "--ignore", action="append", default=[], metavar="CODE", choices=CODES, help="skip a check"
    )
    _format_arg(p)
    add_catalog_options(p)
    p.set_defaults(run=run_lint)


def run_lint(args: argparse.Namespace) -> int:
    """Lint and print every finding."""
    found = lint_pack(args.target, catalog=catalog_from(args), ignore=args.ignore)
    if args.format == "json":
        data = [
            {"code": f.code, "requirement": f.requirement, **problem_data(f.problem)} for f in found
        ]
        write_output(json.dumps(data, indent=2, ensure_ascii=False) + "\n", None, inputs=())
    else:
        lines = [problem_line(f.problem, f.code) for f in found]
        lines.append(f"{len(found)} finding{'s' if len(found) != 1 else ''}" if found else "clean")
        write_output(printable_lines(lines), None, inputs=())
    return 1 if found else 0


# -- test ------------------------------------------------------------------------------------------


def _test(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = _add(
        subs,
        "test",
        "run a pack's test cases",
        "Run the cases in the pack's tests/*.yaml and print each failing case with the expected\n"
        "and the actual findings side by side.\n\n"
        "exit status: 0 all passed, 1 a case failed (or there are none), 2 the pack or a test\n"
        "file does not load",
    )
    _target_arg(p)
    p.add_argument("-k", metavar="TEXT", help="only cases whose file::name contains TEXT")
    p.add_argument("-v", "--verbose", action="store_true", help="list passing cases too")
    p.add_argument("--width", type=int, help="line width (default: the terminal's)")
    _format_arg(p)
    add_catalog_options(p)
    p.set_defaults(run=run_test)


def _case_data(result: CaseResult) -> dict[str, object]:
    case = result.case
    return {
        "pack": str(case.pack),
        "file": case.file,
        "case": case.name,
        "as_of": case.as_of.isoformat(),
        "passed": result.passed,
        "error": result.error,
        "mismatches": [
            {"expected": m.expected, "actual": list(m.actual)} for m in result.mismatches
        ],
    }


def run_test(args: argparse.Namespace) -> int:
    """Run the cases and report."""
    width = args.width or shutil.get_terminal_size((100, 24)).columns
    runs = run_tests(args.target, catalog=catalog_from(args), keyword=args.k)
    if args.format == "json":
        cases = [_case_data(r) for run in runs for r in run.results]
        write_output(json.dumps(cases, indent=2, ensure_ascii=False) + "\n", None, inputs=())
        return 0 if cases and all(c["passed"] for c in cases) else 1
    lines: list[str] = []
    total = failed = 0
    for run in runs:
        for result in run.results:
            total += 1
            if result.passed:
                if args.verbose:
                    lines.append(f"ok   {result.case.pack} {result.case.id}")
                continue
            failed += 1
            lines += [*side_by_side(result, width).splitlines(), ""]
    names = ", ".join(str(r.ref) for r in runs)
    if total == 0:
        lines.append(f"{names}: no test cases" + (f" matching {args.k!r}" if args.k else ""))
        write_output(printable_lines(lines), None, inputs=())
        return 1
    lines.append(f"{names}: {total - failed} passed, {failed} failed")
    write_output(printable_lines(lines), None, inputs=())
    return 1 if failed else 0


# -- diff ------------------------------------------------------------------------------------------


def _diff(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = _add(
        subs,
        "diff",
        "show what changed between two packs or editions",
        "Compare two packs: requirements added, withdrawn, changed (text, modality, rule,\n"
        "parameters, applicability...), and parameters changed. With one pack, compare it with\n"
        "the edition it supersedes (or the one before it).\n\n"
        "examples:\n  safeguard-std pack diff dorset@2023 dorset@2024\n"
        "  safeguard-std pack diff dorset@2024\n"
        "  safeguard-std pack diff old/pack.yaml new/pack.yaml\n\n"
        "exit status: 0 (with --exit-code: 0 same, 1 different), 2 a pack cannot be loaded",
    )
    p.add_argument("old", metavar="A", help="the older pack: " + _TARGET_HELP.split(": ", 1)[1])
    p.add_argument("new", metavar="B", nargs="?", help="the newer pack (default: A's successor)")
    _format_arg(p)
    p.add_argument("--exit-code", action="store_true", help="exit 1 when the packs differ")
    add_catalog_options(p)
    p.set_defaults(run=run_diff)


def _one(target: PackTarget, spec: str) -> tuple[PackCatalog, Pack]:
    if target.problems:
        raise PackError(target.problems)
    if len(target.refs) != 1:
        found = ", ".join(str(r) for r in target.refs) or "none"
        raise UsageError(f"{spec!r} names {len(target.refs)} editions ({found}): name one")
    return target.catalog, target.catalog.resolutions(target.refs[0])[-1]


def _predecessor(catalog: PackCatalog, pack: Pack) -> Pack:
    if pack.supersedes:
        return catalog.resolutions(PackRef.parse(pack.supersedes))[-1]
    editions = catalog.editions(pack.id)
    earlier = editions[: editions.index(pack.ref)] if pack.ref in editions else ()
    if not earlier:
        raise UsageError(f"{pack.ref} supersedes nothing and has no earlier edition: name two")
    return catalog.resolutions(earlier[-1])[-1]


def run_diff(args: argparse.Namespace) -> int:
    """Diff two packs (or one and its predecessor)."""
    catalog = catalog_from(args)
    old_catalog, old = _one(open_target(args.old, catalog=catalog), args.old)
    if args.new is None:
        old, new = _predecessor(old_catalog, old), old
    else:
        _, new = _one(open_target(args.new, catalog=catalog), args.new)
    # Included baselines (e.g. kcsie) have editions of their own: diff them on their own.
    diff = diff_packs(without_included(old), without_included(new))
    write_output(diff.to_json() if args.format == "json" else diff.to_text(), None, inputs=())
    return 1 if args.exit_code and not diff.empty else 0


def _target_inputs(target: PackTarget, args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """The pack files a command read for its target, which no output may replace."""
    return [("PATH|ID", str(f)) for f in target.files] + catalog_inputs(args)


# -- render ----------------------------------------------------------------------------------------


def _render(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = _add(
        subs,
        "render",
        "write a pack as a readable document (Markdown or HTML)",
        "Write the pack as a document, section by section: each requirement's id, source text\n"
        "and citation, modality, duty holder, when it applies, what evidence satisfies it and\n"
        "the reading of any ambiguity; then the parameters. HTML is one self-contained,\n"
        "printable file.\n\n"
        "exit status: 0 written, 2 the pack cannot be loaded",
    )
    _target_arg(p)
    p.add_argument("--format", choices=["markdown", "html"], default="markdown")
    p.add_argument("--output", metavar="FILE", help="write here (atomically), not stdout")
    p.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="with several editions of one pack, render the one in force on this date",
    )
    add_catalog_options(p)
    p.set_defaults(run=run_render)


def run_render(args: argparse.Namespace) -> int:
    """Render one edition."""
    catalog = catalog_from(args)
    target = open_target(args.target, catalog=catalog)
    inputs = _target_inputs(target, args)  # before --as-of narrows the target
    if args.as_of and len({r.id for r in target.refs}) == 1:
        ref = target.catalog.edition_in_force(target.refs[0].id, as_of_date(args.as_of))
        target = PackTarget(target.catalog, (ref,))
    _, pack = _one(target, args.target)
    text = render_pack(pack, args.format, kinds=target.catalog.kinds)
    write_output(text, args.output, inputs=inputs)
    return 0


# -- export ----------------------------------------------------------------------------------------


def _export(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = _add(
        subs,
        "export",
        "write a pack as an OSCAL catalog, or a layered pack as an OSCAL profile",
        "Write the resolved pack as an OSCAL catalog (one control per requirement, grouped by\n"
        "section), or a pack that extends another as an OSCAL profile of its base's catalog\n"
        "(exclude, set_parameters, alter and withdraw as profile modifications). Assessment\n"
        "results exported with --format oscal point at the controls of the catalog, which\n"
        "they expect in a file named <id>-<edition>.catalog.json.\n\n"
        "examples:\n"
        "  safeguard-std pack export dorset@2023 --format oscal-catalog "
        "--output dorset-2023.catalog.json\n"
        "  safeguard-std pack export dorset@2024 --format oscal-profile "
        "--output dorset-2024.profile.json\n\n"
        "exit status: 0 written, 2 the pack cannot be loaded or is not layered (profile)",
    )
    _target_arg(p)
    p.add_argument("--format", choices=["oscal-catalog", "oscal-profile"], default="oscal-catalog")
    p.add_argument("--output", metavar="FILE", help="write here (atomically), not stdout")
    p.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="with several editions of one pack, export the one in force on this date",
    )
    p.add_argument(
        "--catalog-href",
        metavar="TEMPLATE",
        default="{id}-{edition}.catalog.json",
        help="profile: where it imports catalogs from, {id} and {edition} filled in (default: "
        "%(default)s; in a trestle workspace: trestle://catalogs/{id}-{edition}/catalog.json)",
    )
    add_catalog_options(p)
    p.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Export one edition as OSCAL."""
    from safeguard_std.reports.oscal_catalog import pack_to_oscal_catalog, pack_to_oscal_profile

    catalog = catalog_from(args)
    target = open_target(args.target, catalog=catalog)
    inputs = _target_inputs(target, args)  # before --as-of narrows the target
    day = as_of_date(args.as_of) if args.as_of else None
    if day is not None and len({r.id for r in target.refs}) == 1:
        ref = target.catalog.edition_in_force(target.refs[0].id, day)
        target = PackTarget(target.catalog, (ref,))
    _, pack = _one(target, args.target)
    # The pack as judged on --as-of (its undated includes, e.g. the KCSIE edition then in
    # force), so the catalog is the one an assessment on that day points at; else as it
    # resolves from its last review date on.
    day = day or target.catalog.review_dates(pack.ref)[-1]
    pack = target.catalog.resolve(pack.ref, as_of=day)
    if args.format == "oscal-catalog":
        text = pack_to_oscal_catalog(pack)
    else:
        if pack.extends is None:
            raise UsageError(
                f"{pack.ref} extends no other pack, so it has no profile: "
                "export it with --format oscal-catalog"
            )
        # The base as `pack export BASE` writes it with the same --as-of (or without one), so
        # the profile's import finds the controls it names in that catalog.
        base_ref = PackRef.parse(pack.extends)
        base_day = as_of_date(args.as_of) if args.as_of else None
        base_day = base_day or target.catalog.review_dates(base_ref)[-1]
        base = target.catalog.resolve(base_ref, as_of=base_day)
        try:
            text = pack_to_oscal_profile(pack, base, catalog_href=args.catalog_href)
        except ReportError as exc:
            raise UsageError(f"--catalog-href: {exc}") from None
    write_output(text, args.output, inputs=inputs)
    return 0


# -- new -------------------------------------------------------------------------------------------


def _new(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = _add(
        subs,
        "new",
        "start a new pack from a template",
        "Create <OUTPUT>/<id>/<edition>/pack.yaml and tests/example.yaml: one example\n"
        "requirement and its test, which validate, lint clean and pass at once. Then edit.\n\n"
        "exit status: 0 created, 2 bad options, unknown --extends, or the pack exists",
    )
    p.add_argument("--id", required=True, help="pack id: lower case, e.g. hackney")
    p.add_argument("--board", required=True, help="the board's name")
    p.add_argument("--title", help="the standard's title (default from the board)")
    p.add_argument("--edition", help="edition label (default: this year)")
    p.add_argument(
        "--effective-from", metavar="YYYY-MM-DD", help="first day in force (default: today)"
    )
    p.add_argument("--extends", metavar="ID@EDITION", help="layer the new pack over this one")
    p.add_argument(
        "--output",
        metavar="DIR",
        default=".",
        help="where to create it, created if need be (default .)",
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing pack file")
    add_catalog_options(p)
    p.set_defaults(run=run_new)


def run_new(args: argparse.Namespace) -> int:
    """Scaffold a pack and say what to do next."""
    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise UsageError(f"--output: {args.output!r} is not a folder")
    start = as_of_date(args.effective_from) if args.effective_from else None
    if start is None:
        start = as_of_date(None, announce=False)
        sys.stderr.write(f"note: --effective-from not given; using today, {start}\n")
    edition = args.edition or str(start.year)
    catalog = catalog_from(args) if args.extends else None
    try:
        files = scaffold_pack(
            args.output,
            args.id,
            args.board,
            edition=edition,
            effective_from=start,
            title=args.title,
            extends=args.extends,
            catalog=catalog,
            overwrite=args.force,
        )
    except FileExistsError as exc:
        raise UsageError(f"{exc}; use --force to overwrite") from None
    folder = files[0].parent
    lines = [f"created {f}" for f in files]
    lines += [
        "next:",
        f"  safeguard-std pack validate {folder}",
        f"  safeguard-std pack lint {folder}",
        f"  safeguard-std pack test {folder}",
    ]
    write_output(printable_lines(lines), None, inputs=())
    return 0
