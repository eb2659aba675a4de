"""``safeguard-std packs``: list the packs and editions this installation can find."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from safeguard_std.cli._common import add_catalog_options, catalog_from, write_output
from safeguard_std.exceptions import AsOfRequired, PackError, PackNotFound
from safeguard_std.io._terminal import printable, printable_lines

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``packs`` subcommand."""
    parser = commands.add_parser(
        "packs",
        help="list the packs found",
        description="List every pack edition found (bundled, "
        "--packs-dir, and installed through entry points).",
    )
    add_catalog_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print one line per edition: ref, dates in force, layers, title."""
    catalog = catalog_from(args)
    for notice in (*catalog.notices, *catalog.kinds.notices):
        sys.stderr.write(f"warning: {printable(notice)}\n")
    lines = []
    for ref in catalog.refs:
        try:
            pack = catalog.resolve(ref)
            note = ""
        except AsOfRequired:
            # Undated includes resolve by date: count them as on the edition's first day.
            first = dt.date.fromisoformat(str(catalog.layer(ref).data["effective_from"]))
            try:
                pack = catalog.resolve(ref, as_of=first)
            except (PackError, PackNotFound) as exc:
                lines.append(f"{ref!s:<16} {first} (not resolvable on its first day: {exc})")
                continue
            note = f" on {first}"
        until = pack.effective_to.isoformat() if pack.effective_to else "open"
        extends = f"  (extends {pack.extends})" if pack.extends else ""
        includes = "".join(f"  (includes {inc.requested}: {inc.ref})" for inc in pack.includes)
        lines.append(
            f"{ref!s:<16} {pack.effective_from} to {until:<10}  "
            f"{len(pack.active_requirements):>3} requirements{note}  {pack.title}{extends}"
            f"{includes}"
        )
    write_output(printable_lines(lines), None, inputs=())
    return 0
