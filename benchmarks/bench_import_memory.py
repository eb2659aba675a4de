"""Benchmark: peak memory and speed of ``import_scr`` as a single central record grows.

    python benchmarks/bench_import_memory.py [--rows 5000 20000 50000] [--case mixed]

Each size runs in a fresh interpreter (so peak RSS is that import's alone) on a seeded record
from ``bench_import.generate``; ``--case duplicates`` repeats one held-out record on every row
(every row a duplicate of every other, and one certificate number shared by all), the case
that was quadratic; ``--report`` also builds the JSON import report; ``--cli`` runs the command
(``evidence import-scr ... --output --report``, which writes each person out as its row is read)
instead of ``import_scr``. Prints rows, peak RSS,
the RSS growth per extra 1,000 rows, CPU seconds (with a second process's, ``--jobs 2``), rows per
CPU second, seconds elapsed, rows per second elapsed and the one-minute load average as the
import began (the machine is shared); with ``--cli``, the second process's peak RSS too. The
collector is paused around the import, as the command line pauses it. Goals (issue 18): under
300 MB at 50,000 rows, growing sub-linearly, at least 5,000 rows per second on the machine's
two processors. Not part of the test run; figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

# The record is written by an interpreter of its own: generating 50,000 rows costs more memory
# than importing them, and the peak measured must be the import's alone.
_WRITE = r"""
import sys
sys.path.insert(0, sys.argv[4])
from bench_import import PROVIDER, generate

rows, case, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3]
if case == "duplicates":
    text = generate(1, 7)
    head, row = text.splitlines()[:2]
    text = head + "\n" + (row + "\n") * rows
else:
    text = generate(rows, 7)
open(folder + "/scr.csv", "w", encoding="utf-8").write(text)
open(folder + "/provider.yaml", "wb").write(PROVIDER)
"""

_CHILD = r"""
import datetime as dt, gc, json, os, resource, sys, time
sys.path.insert(0, sys.argv[4])
from safeguard_std.importers import import_scr

rows, case, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3]
path = folder + "/scr.csv"
provider = folder + "/provider.yaml"
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
load = os.getloadavg()[0]
# As the command line does (collector_paused); the library leaves the collector alone (0017).
gc.disable()
cpu = time.process_time()
wall = time.perf_counter()
second_mb = 0.0
if sys.argv[5] == "cli":
    # The command as a user runs it: bundle, provenance and report written (it pauses the
    # collector itself).
    gc.enable()
    from safeguard_std.cli import main
    argv = ["evidence", "import-scr", path, "--provider", provider, "--as-of", "2026-11-23",
            "--output", folder + "/bundle.json", "--report", folder + "/report.json", "--quiet",
            "--jobs", sys.argv[6]]
    sys.stderr = open(os.devnull, "w")
    main(argv)
    elapsed = time.perf_counter() - wall
    # A second process reading half the rows (--jobs 2) is a child of this one: its CPU time
    # counts too, and its peak is given apart (much of it is pages shared with this one).
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = time.process_time() - cpu + children.ru_utime + children.ru_stime
    second_mb = children.ru_maxrss / 1024
    # The peak before the report is read back to count its warnings (reading it whole would
    # be the largest thing this process ever held).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    warnings = json.load(open(folder + "/report.json"))["summary"]["warnings"]
else:
    result = import_scr(path, provider=provider, as_of=dt.date(2026, 11, 23))
    if sys.argv[5] == "report":
        report = result.report_data()
    used = time.process_time() - cpu
    elapsed = time.perf_counter() - wall
    gc.enable()
    assert result.summary.rows_read == rows, result.summary
    warnings = result.summary.warnings
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"rows": rows, "peak_mb": peak / 1024, "before_mb": base / 1024,
                  "cpu_s": used, "wall_s": elapsed, "second_mb": second_mb, "load": load,
                  "warnings": warnings}))
"""


def measure(rows: int, case: str, report: str = "", jobs: int = 2) -> dict[str, float]:
    """One import in a fresh interpreter: its figures."""
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-c", _WRITE, str(rows), case, folder, str(here)], check=True
        )
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(rows), case, folder, str(here), report, str(jobs)],
            capture_output=True,
            text=True,
            check=True,
        )
    data: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[5_000, 20_000, 50_000])
    parser.add_argument("--case", choices=["mixed", "duplicates"], default="mixed")
    parser.add_argument(
        "--report", action="store_true", help="also build the JSON import report (report_data)"
    )
    parser.add_argument(
        "--cli",
        action="store_true",
        help="run `evidence import-scr` instead, writing the bundle, provenance and report",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        choices=(1, 2),
        default=2,
        help="with --cli: the command's --jobs (2: a large sheet's rows read by two processes)",
    )
    args = parser.parse_args(argv)
    previous: dict[str, float] | None = None
    mode = f", the command (files written, --jobs {args.jobs})" if args.cli else ""
    print(f"case: {args.case}{', with the report' if args.report else ''}{mode}")
    print(
        f"{'rows':>8} {'peak MB':>9} {'2nd MB':>7} {'MB/1k rows':>11} {'cpu s':>7}"
        f" {'rows/cpu s':>10} {'wall s':>7} {'rows/s':>9} {'load':>5}"
    )
    for rows in args.rows:
        kind = "cli" if args.cli else "report" if args.report else "none"
        got = measure(rows, args.case, kind, args.jobs)
        growth = ""
        if previous is not None and rows != previous["rows"]:
            extra = (got["peak_mb"] - previous["peak_mb"]) / ((rows - previous["rows"]) / 1000)
            growth = f"{extra:.2f}"
        rate = rows / got["cpu_s"] if got["cpu_s"] else float("inf")
        speed = rows / got["wall_s"] if got["wall_s"] else float("inf")
        print(
            f"{rows:>8,} {got['peak_mb']:>9.1f} {got['second_mb']:>7.1f} {growth:>11}"
            f" {got['cpu_s']:>7.2f} {rate:>10,.0f} {got['wall_s']:>7.2f} {speed:>9,.0f}"
            f" {got['load']:>5.1f}"
        )
        previous = got
    return 0


if __name__ == "__main__":
    sys.exit(main())
