"""Benchmark: how long one evidence bundle takes to draw, the figure Hypothesis's ``too_slow``
health check judges (it fails when the first ten valid inputs take more than a second in all).

    python benchmarks/bench_strategies.py [--examples 50] [--pack dorset]

Prints, for ``evidence_bundles()`` alone, ``evidence_bundles(pack)``, and the README's
``evidence_bundles(pack, compliant=True)``, the mean wall-clock and processor time per bundle
and the share of the health check's one-second budget that ten of them use. Processor time is
the steadier figure on a shared machine. Derandomized: the same bundles every run. Not part of
the test run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy

from safeguard_std import EvidenceBundle, load_pack
from safeguard_std.strategies import evidence_bundles

AS_OF = dt.date(2026, 11, 23)


def measure(strategy: SearchStrategy[EvidenceBundle], examples: int) -> tuple[float, float, int]:
    """Mean wall and processor seconds per drawn bundle, and how many were drawn."""
    drawn = [0]
    spent = [0.0, 0.0]

    @settings(
        max_examples=examples,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),  # we measure what the check would judge
    )
    @given(strategy)
    def run(_bundle: EvidenceBundle) -> None:
        drawn[0] += 1

    wall, cpu = time.perf_counter(), time.process_time()
    run()
    spent[0], spent[1] = time.perf_counter() - wall, time.process_time() - cpu
    return spent[0] / drawn[0], spent[1] / drawn[0], drawn[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=50)
    parser.add_argument("--pack", default="dorset")
    args = parser.parse_args()
    pack = load_pack(args.pack, as_of=AS_OF)
    cases: list[tuple[str, Callable[[], SearchStrategy[EvidenceBundle]]]] = [
        ("evidence_bundles()", lambda: evidence_bundles(as_of=AS_OF)),
        (f"evidence_bundles({pack.ref})", lambda: evidence_bundles(pack, as_of=AS_OF)),
        (
            f"evidence_bundles({pack.ref}, compliant=True)",
            lambda: evidence_bundles(pack, as_of=AS_OF, compliant=True),
        ),
    ]
    print(f"{'strategy':<48} {'wall ms':>8} {'cpu ms':>8} {'10 of them':>11}")
    for name, make in cases:
        wall, cpu, drawn = measure(make(), args.examples)
        budget = 10 * wall / 1.0
        print(f"{name:<48} {wall * 1000:8.1f} {cpu * 1000:8.1f} {budget:10.0%}  ({drawn} drawn)")


if __name__ == "__main__":
    main()
