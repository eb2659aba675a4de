"""The ``safeguard-std`` command line: the only place that wires adapters together.

Exit codes: 0 success; 1 the command ran and found failures (failing pack tests, lint findings);
2 unusable input (a bad pack, bad evidence, a bad option). Errors are one clear line per problem
on stderr, never a traceback (``--debug`` shows one).
"""

from __future__ import annotations

import argparse
import errno
import gc
import importlib
import sys
from collections.abc import Sequence

from safeguard_std._version import __version__
from safeguard_std.cli._output import UsageError  # not _common: it loads the packs (see main)
from safeguard_std.exceptions import SafeguardError
from safeguard_std.io._terminal import printable

__all__ = ["main"]

# Failures of writing (to stdout, mostly) that are the machine's state, not a bug.
_WRITE_FAILURES = frozenset(
    {errno.ENOSPC, errno.EFBIG, errno.EIO, getattr(errno, "EDQUOT", errno.ENOSPC)}
)

#: Each command and the module that registers and runs it, in the order help lists them.
_COMMANDS = {
    "evaluate": "safeguard_std.cli.evaluate_cmd",
    "pack": "safeguard_std.cli.pack_cmd",
    "packs": "safeguard_std.cli.packs_cmd",
    "portfolio": "safeguard_std.cli.portfolio_cmd",
    "evidence": "safeguard_std.cli.evidence_cmd",
    "assessment": "safeguard_std.cli.assessment_cmd",
}


#: Commands that only read the packs, briefly, and make no cyclic garbage: the cyclic collector
#: is paused from their first import to their end. Importing and resolving the packs creates
#: about a hundred thousand lasting objects, and the collector re-read them some ninety times
#: (12 ms of the 180 ms `safeguard-std packs` took). Longer commands set it themselves.
_COLLECTOR_PAUSED = frozenset({"packs"})


def _command(argv: Sequence[str]) -> str | None:
    """The command named on the line (the first word not an option), if it is one of ours."""
    word = next((a for a in argv if not a.startswith("-")), None)
    return word if word in _COMMANDS else None


def _parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safeguard-std",
        description="Check safeguarding evidence against standard packs.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    # Only the command named is imported (a command loads only the adapters it uses: `packs`
    # needs no report writer); with none, or help, every command is, to list them all.
    named = _command(argv)
    for name, module in _COMMANDS.items():
        if named is None or name == named:
            importlib.import_module(module).register(commands)
    return parser


def _report(exc: BaseException) -> None:
    problems = getattr(exc, "problems", ())
    sys.stderr.write(f"error: {printable(exc)}\n")
    for problem in problems[1:]:
        sys.stderr.write(f"  - {printable(problem)}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    line = list(sys.argv[1:] if argv is None else argv)
    if _command(line) not in _COLLECTOR_PAUSED or not gc.isenabled():
        return _main(line)
    gc.disable()
    try:
        return _main(line)
    finally:
        gc.enable()


def _main(line: list[str]) -> int:
    args = _parser(line).parse_args(line)
    try:
        code: int = args.run(args)
        sys.stdout.flush()  # a full disk behind a redirect shows here, not at exit
    except (SafeguardError, UsageError) as exc:
        if args.debug:
            raise
        _report(exc)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.errno not in _WRITE_FAILURES or args.debug:
            raise
        sys.stderr.write(f"error: cannot write the output: {exc.strerror}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
