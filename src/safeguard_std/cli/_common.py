"""What every subcommand shares: dates, catalogs, atomic output and error handling."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from safeguard_std.cli._output import Inputs, UsageError, write_output, write_outputs
from safeguard_std.domain.pack import Pack, PackRef
from safeguard_std.exceptions import EditionNotInForce, InvalidPackRef, PackNotFound
from safeguard_std.io._terminal import printable
from safeguard_std.io.documents import MAX_BYTES, Limits
from safeguard_std.packs import PackCatalog, bundled_catalog
from safeguard_std.packs._read import pack_files
from safeguard_std.rules import builtin_registry, default_registry, registry_with_entry_points
from safeguard_std.rules._kind import one_entry_point_scan

__all__ = [
    "Inputs",
    "UsageError",
    "add_catalog_options",
    "add_fail_on_option",
    "add_limit_options",
    "add_out_of_force_option",
    "add_report_options",
    "as_of_date",
    "batch",
    "batch_collector",
    "catalog_from",
    "catalog_inputs",
    "check_in_force",
    "fail_on_statuses",
    "failing",
    "horizon_days",
    "limits_from",
    "pack_inputs",
    "report_failing",
    "write_output",
    "write_outputs",
]


def as_of_date(text: str | None, *, announce: bool = True) -> dt.date:
    """Parse ``--as-of``; without it, today in Europe/London, announced on stderr."""
    if text is None:
        import pendulum  # only when the date is not given: importing it costs ~20 ms

        from safeguard_std.domain.calendar import LONDON

        now = pendulum.now(LONDON)
        today = dt.date(now.year, now.month, now.day)
        if announce:
            sys.stderr.write(f"note: --as-of not given; using today in Europe/London, {today}\n")
        return today
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of: expected a date YYYY-MM-DD, got {text!r}") from None


def add_catalog_options(parser: argparse.ArgumentParser) -> None:
    """``--packs-dir`` (repeatable), ``--no-entry-points`` and ``--trust-pack-source``."""
    parser.add_argument(
        "--packs-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="also load packs from DIR (<id>/<edition>/pack.yaml); repeatable",
    )
    parser.add_argument(
        "--no-entry-points",
        action="store_true",
        help="ignore packs and rule kinds installed through entry points (safeguard_std.packs, "
        "safeguard_std.rule_kinds)",
    )
    parser.add_argument(
        "--trust-pack-source",
        action="append",
        default=[],
        metavar="NAME",
        help="let the installed distribution NAME add editions of packs, or rule kinds, with "
        "an id the library ships (refused otherwise, with a warning); repeatable",
    )


def _mib(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1024 * 1024:
        raise argparse.ArgumentTypeError(f"expected a whole number of MiB, got {text!r}")
    return int(text)


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    """``--max-document-mib N``: the size limit on one evidence document."""
    parser.add_argument(
        "--max-document-mib",
        type=_mib,
        default=MAX_BYTES // (1024 * 1024),
        metavar="N",
        help="refuse an evidence document larger than N MiB (default: %(default)s; a loaded "
        "bundle takes about ten times its size in memory; see docs/limits.md)",
    )


def limits_from(args: argparse.Namespace) -> Limits:
    """The :class:`~safeguard_std.io.documents.Limits` the options ask for (the node limit grows in
    proportion, as a larger bundle has more records)."""
    mib = args.max_document_mib
    default_mib = MAX_BYTES // (1024 * 1024)
    nodes = Limits().max_nodes
    return Limits(max_bytes=mib * 1024 * 1024, max_nodes=max(nodes, nodes * mib // default_mib))


def fail_on_statuses(text: str) -> frozenset[str]:
    """Parse ``--fail-on``: comma-separated finding statuses."""
    from safeguard_std.domain.findings import Status

    known = [s.value for s in Status]
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [w for w in wanted if w not in known]
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(
            f"expected statuses separated by commas, from {', '.join(known)}; got {text!r}"
        )
    return frozenset(wanted)


def add_fail_on_option(parser: argparse.ArgumentParser) -> None:
    """``--fail-on STATUS[,STATUS...]``: exit 1 when any finding has one of them."""
    parser.add_argument(
        "--fail-on",
        type=fail_on_statuses,
        default=frozenset(),
        metavar="STATUS[,STATUS...]",
        help="exit 1 when any finding has one of these statuses (e.g. not_met,error), after "
        "writing the whole output; for CI pipelines (default: exit 0 whatever the findings)",
    )


def failing(counts: Iterable[tuple[str, int]], fail_on: frozenset[str]) -> dict[str, int]:
    """The counts among ``fail_on`` that are not zero (status -> findings)."""
    return {status: n for status, n in sorted(counts) if status in fail_on and n}


def report_failing(found: dict[str, int]) -> int:
    """Say on stderr which statuses ``--fail-on`` found; the exit code (1 when any, else 0)."""
    if not found:
        return 0
    listed = ", ".join(f"{n} {status}" for status, n in found.items())
    sys.stderr.write(f"fail-on: findings with a failing status ({listed})\n")
    return 1


def horizon_days(text: str) -> int:
    """Parse ``--horizon``: whole days from 0 to 3660."""
    if not text.isdigit() or not 0 <= int(text) <= 3660:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of days from 0 to 3660, got {text!r}"
        )
    return int(text)


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """``--horizon DAYS``: how far ahead reports list lapses."""
    parser.add_argument(
        "--horizon",
        type=horizon_days,
        default=90,
        metavar="DAYS",
        help="list what lapses within DAYS days of --as-of (default: 90)",
    )


def add_out_of_force_option(parser: argparse.ArgumentParser) -> None:
    """``--allow-out-of-force``."""
    parser.add_argument(
        "--allow-out-of-force",
        action="store_true",
        help="judge against the edition named even on a date it is not in force (refused "
        "otherwise); the assessment records that this was asked",
    )


def check_in_force(pack: Pack, catalog: PackCatalog, as_of: dt.date, allowed: bool) -> None:
    """Refuse an edition that is not in force on ``as_of`` unless ``allowed``, naming the
    edition that is (raises :class:`~safeguard_std.exceptions.EditionNotInForce`)."""
    if allowed or pack.in_force(as_of):
        return
    try:
        in_force: str | None = str(catalog.edition_in_force(pack.id, as_of))
    except PackNotFound:
        in_force = None
    raise EditionNotInForce(str(pack.ref), as_of, pack.effective_from, pack.effective_to, in_force)


def catalog_from(args: argparse.Namespace) -> PackCatalog:
    """The bundled catalog plus any ``--packs-dir`` folders, with the installed packs and rule
    kinds unless ``--no-entry-points``. Says on stderr (one ``warning:`` line each) which
    installed packs were not taken for the packs this command names."""
    trust = tuple(getattr(args, "trust_pack_source", ()))
    with one_entry_point_scan():  # rule kinds and packs from one reading of the distributions
        if args.no_entry_points:
            kinds = builtin_registry()
        elif trust:
            kinds = registry_with_entry_points(builtin_registry(), trust=trust)
        else:
            kinds = default_registry()
        catalog = bundled_catalog(
            kinds=kinds, entry_points_too=not args.no_entry_points, trust=trust
        )
    for folder in args.packs_dir:
        if not Path(folder).is_dir():
            raise UsageError(f"--packs-dir: {folder!r} is not a folder")
        catalog = catalog.with_folder(folder)
    for pack_id in _named_packs(args):
        for notice in catalog.notices_for(pack_id):
            sys.stderr.write(f"warning: {printable(notice)}\n")
    return catalog


def catalog_inputs(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """The pack files ``--packs-dir`` folders hold, as inputs no output may replace."""
    return [("--packs-dir", str(f)) for folder in args.packs_dir for f in pack_files(folder)]


def pack_inputs(option: str, spec: str) -> list[tuple[str, str | None]]:
    """The pack files ``spec`` names when it is a path (a file, or a folder of packs)."""
    if Path(spec).is_dir():
        return [(option, str(f)) for f in pack_files(spec)]
    return [(option, spec)]  # a reference names no file (unless one has its name: kept safe)


def _named_packs(args: argparse.Namespace) -> list[str]:
    """The ids of the packs a command names by reference (not by path)."""
    ids = []
    for name in ("pack", "target", "old", "new"):
        text = getattr(args, name, None)
        if isinstance(text, str) and "/" not in text and not text.endswith((".yaml", ".json")):
            with contextlib.suppress(InvalidPackRef):
                ids.append(PackRef.parse(text).id)
    return sorted(set(ids))


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, and restore it (if it was on) on the way out.

    Importing or writing 100,000 people allocates millions of small objects, none of them in
    reference cycles (frozen entities, tuples, a row's cells), so reference counting frees them
    all. Left running, the cyclic collector rescans every live object each time enough have been
    allocated, which made 100,000 rows take a minute instead of seconds. Only the command line
    does this: the library never changes interpreter state (decision 0017).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def batch_collector() -> None:
    """Set Python's cyclic garbage collector for the rest of a :func:`batch` command, once the
    pack (and a single bundle) are loaded: what exists now is frozen out of the collector's sight,
    young objects are collected less often, and collection is on again.

    Loading a large bundle, and evaluating it, build hundreds of thousands of objects that live
    until the command ends; with the collector as Python starts, it re-reads everything loaded
    each time the heap grows by a quarter (for 100,000 people that doubles the time to load and
    costs more than the evaluation itself). The library's data hold no reference cycles, so
    memory is still returned by reference counting; see docs/performance.md."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    gc.enable()


def batch(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run ``command`` with the collector paused until it calls :func:`batch_collector`, and put
    the collector back as it was afterwards (commands also run inside other programs' processes,
    such as a test suite's)."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        enabled, thresholds = gc.isenabled(), gc.get_threshold()
        gc.disable()
        try:
            return command(args)
        finally:
            gc.unfreeze()
            gc.set_threshold(*thresholds)
            if enabled:
                gc.enable()

    return run
