"""Benchmark: import a generated 100,000-row single central record, against plain CSV reading.

    python benchmarks/bench_import.py [--rows 100000] [--seed 7] [--xlsx]

Prints rows per second for ``import_scr`` and, in the same run and on the same file, for two
baselines: reading the CSV with the standard library and nothing else, and a hand-written loop
that reads it and parses its dates with ``datetime.strptime`` into dictionaries (the least a
purpose-built importer would do). The ratio shows what the checking, reporting and provenance
cost. Seeded: the same file every time; no hypothesis. Not part of the test run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import io
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from safeguard_std.importers import import_scr

HEADER = [
    "Staff number",
    "Name",
    "Date of birth",
    "Entity Type",
    "Role",
    "Start date",
    "Regulated activity",
    "Identity checked",
    "ID checked by",
    "Right to work",
    "Qualifications",
    "DBS level",
    "DBS Certificate Number",
    "DBS date",
    "Barred list check",
    "Prohibition check",
    "Overseas check",
    "Reference 1 received",
    "Reference 2 received",
    "Safeguarding training",
    "Notes",
]
DATE_COLUMNS = [2, 5, 7, 9, 10, 13, 14, 15, 16, 17, 18, 19]
FIRST = ["Alex", "Sam", "Jo", "Priya", "Tom", "Aisha", "Liam", "Maya", "Owen", "Zara", "Ben"]
# 600 surnames: with 9, a third of 100,000 people shared a surname and a birthday with someone
# else, and the possible-duplicate findings grew with the square of the rows. Real records
# repeat a person now and then: every 200th row repeats a person a hundred rows before.
LAST = [
    head + tail
    for head in (
        "Ash", "Brad", "Car", "Dun", "Ell", "Fair", "Gil", "Har", "Ing", "Kel",
        "Lang", "Mar", "Nor", "Oak", "Pen", "Ray", "Sal", "Thorn", "Up", "Wal",
        "Bar", "Cole", "Dal", "Fen", "Gar", "Holl", "Lock", "Mill", "Red", "Stan",
    )
    for tail in (
        "ford", "ley", "ton", "wood", "well", "by", "more", "ridge", "field", "stone",
        "brook", "ham", "worth", "combe", "dale", "wick", "den", "hurst", "lake", "shaw",
    )
]  # fmt: skip
ROLES = ["Staff", "Staff", "Staff", "Volunteer", "Agency", "Governor"]
TITLES = ["Teacher", "Teaching assistant", "Youth worker", "Cook", "Coach", "Receptionist"]
PROVIDER = b"provider: {id: bench, name: Bench Trust, kind: youth, legal_form: charity}\n"


def _day(rng: random.Random, start: int, end: int) -> dt.date:
    return dt.date(start, 1, 1) + dt.timedelta(days=rng.randrange((end - start) * 365))


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def generate(rows: int, seed: int) -> str:
    """A seeded SCR as CSV text: consistent records (references before the start, the DBS
    check before or soon after it), with the odd tick, 'N/A' and 'TBC' a real record has."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    people: list[tuple[str, str]] = []
    for i in range(rows):
        name, born = f"{rng.choice(FIRST)} {rng.choice(LAST)}", _uk(_day(rng, 1960, 2004))
        if i % 200 == 199:
            name, born = people[i - 100]
        people.append((name, born))
        start = _day(rng, 2010, 2025)
        checked = start - dt.timedelta(days=rng.randrange(10, 30))
        issued = max(checked, _day(rng, 2023, 2026))
        reference = start - dt.timedelta(days=rng.randrange(30, 90))
        odd = rng.random()
        writer.writerow(
            [
                f"S{i:06d}",
                name,
                born,
                rng.choice(ROLES),
                rng.choice(TITLES),
                _uk(start),
                rng.choice(["Y", "Y", "N"]),
                _uk(checked),
                rng.choice(["AB", "CD", "EF"]),
                _uk(checked),
                "N/A" if odd < 0.3 else _uk(checked),
                "Enhanced",
                f"{rng.randrange(10**12):012d}",
                _uk(issued),
                "✓" if odd < 0.02 else _uk(issued),
                "N/A" if odd < 0.5 else _uk(checked),
                "TBC" if odd < 0.01 else "N/A",
                _uk(reference),
                _uk(reference + dt.timedelta(days=rng.randrange(1, 10))),
                _uk(max(start, issued) + dt.timedelta(days=rng.randrange(1, 30))),
                "",
            ]
        )
    return out.getvalue()


def plain_csv(path: Path) -> int:
    """Baseline 1: read every row with the csv module and nothing else."""
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def hand_written(path: Path) -> int:
    """Baseline 2: read rows into dicts, parsing the dd/mm/yyyy dates with strptime."""
    count = 0
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        for row in reader:
            record: dict[str, object] = dict(zip(header, row, strict=False))
            for i in DATE_COLUMNS:
                try:
                    # The naive parse a purpose-built loop would use: the baseline, not advice.
                    day = dt.datetime.strptime(row[i], "%d/%m/%Y")  # noqa: DTZ007
                    record[header[i]] = day.date()
                except ValueError:
                    record[header[i]] = None
            count += 1
    return count


def timed(label: str, rows: int, fn: Callable[[], object]) -> float:
    """Run ``fn`` once; print wall and CPU seconds and rows a second; return CPU seconds
    (steadier than wall time on a shared machine, so the ratios use it)."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    seconds, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<34} {seconds:7.2f} s wall {used:7.2f} s cpu  {rows / used:>10,.0f} rows/s")
    return used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--xlsx", action="store_true", help="also time the same rows as .xlsx")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scr.csv"
        path.write_text(generate(args.rows, args.seed), encoding="utf-8")
        provider = Path(folder) / "provider.yaml"
        provider.write_bytes(PROVIDER)
        print(f"{args.rows:,} rows, {len(HEADER)} columns, {path.stat().st_size / 1e6:.1f} MB")
        base = timed("baseline: csv.reader only", args.rows, lambda: plain_csv(path))
        hand = timed("baseline: hand-written date loop", args.rows, lambda: hand_written(path))
        result = None

        def run() -> None:
            nonlocal result
            # As the command line does (the library leaves the collector alone: decision 0017).
            gc.disable()
            try:
                result = import_scr(path, provider=provider, as_of=dt.date(2026, 11, 23))
            finally:
                gc.enable()

        ours = timed("import_scr (csv)", args.rows, run)
        assert result is not None
        s = result.summary
        assert s.rows_read == args.rows == s.imported + s.rejected, s
        print(f"  imported {s.imported:,}, rejected {s.rejected:,}, warnings {s.warnings:,}")
        print(f"  {ours / base:.1f}x csv.reader, {ours / hand:.1f}x the hand-written loop")
        if args.xlsx:
            xlsx = Path(folder) / "scr.xlsx"
            _write_xlsx(path, xlsx)
            timed("import_scr (xlsx)", args.rows, lambda: import_scr(xlsx, provider=provider))
    return 0


def _write_xlsx(source: Path, target: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Staff")
    with source.open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    book.save(target)


if __name__ == "__main__":
    sys.exit(main())
