"""A large bundle in bounded memory (issue 21, item 3): what outlives each step of a run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter: the suite's schema check (conftest) joins every assessment text it
# sees, which is exactly what is measured here.
_MEASURE = """
import json, sys, tracemalloc
from benchmarks.generate import AS_OF, BundleGenerator
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import bundle_from_data
from safeguard_std.packs import load_pack
from safeguard_std.reports import build_report
from safeguard_std.reports.as_json import render_json_chunks, report_to_data, safe_chunks
from safeguard_std.serialization import assessment_json_chunks

def peak(chunks):
    tracemalloc.start()
    try:
        for _chunk in chunks():
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

pack = load_pack("dorset", as_of=AS_OF)
bundle = bundle_from_data(BundleGenerator(seed=3).bundle(people=int(sys.argv[1])))
assessment = evaluate(pack, bundle, as_of=AS_OF)
report = build_report(assessment, pack=pack, bundle=bundle, horizon_days=90)
without = peak(lambda: safe_chunks(assessment_json_chunks(assessment)))
with_report = peak(lambda: render_json_chunks(report))
section = len(json.dumps(report_to_data(report), indent=2))
print(json.dumps({"without": without, "with_report": with_report, "section": section}))
"""


def test_the_report_section_is_written_as_it_is_made() -> None:
    # The report section (issues per person, what is not met, lapses) used to be built whole as
    # data and then as text before the findings were written: for 100,000 people, hundreds of
    # megabytes alive at once. Writing it now holds no more than a few pieces of it.
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, "1500"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = json.loads(out)
    assert sizes["section"] > 500_000  # large enough that holding it whole shows
    added = sizes["with_report"] - sizes["without"]
    assert added < sizes["section"] / 2, sizes
