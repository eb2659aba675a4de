"""What the evaluator remembers between evaluations of one bundle object (issue 21 item 2) never
changes an assessment: the same bundle judged on several dates, in any order, gives exactly what
a fresh copy of it gives on each date."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from benchmarks.generate import BundleGenerator

from safeguard_std import bundled_catalog, compile_pack
from safeguard_std.evidence import bundle_from_data
from safeguard_std.serialization import assessment_to_json

BEFORE, AFTER = dt.date(2026, 1, 5), dt.date(2026, 11, 23)


def _bundle_data() -> dict[str, Any]:
    """Generated people, one of whom is given, in June 2026, a certificate whose number is
    already recorded for someone else: shared on AFTER, not yet known on BEFORE."""
    data: dict[str, Any] = json.loads(json.dumps(BundleGenerator(seed=7).bundle(40)))
    numbered = [
        p
        for p in data["people"]
        if any(c.get("certificate_number") for c in p.get("dbs_checks", ()))
    ]
    first, second = numbered[0], numbered[1]
    shared = next(c for c in first["dbs_checks"] if c.get("certificate_number"))
    check = dict(second["dbs_checks"][0], id="dbs-late")
    check.pop("jurisdiction", None)
    check |= {k: shared[k] for k in ("certificate_number", "jurisdiction") if k in shared}
    check["issued_on"] = "2026-06-01"
    check.pop("seen_on", None)
    check.pop("update_service_checks", None)
    second["dbs_checks"].append(check)
    data["_second"] = second["id"]
    return data


def test_one_bundle_judged_on_several_dates_matches_fresh_copies() -> None:
    data = _bundle_data()
    second = data.pop("_second")
    reused = bundle_from_data(data)
    order = [AFTER, BEFORE, AFTER, BEFORE]
    for when in order:
        plan = compile_pack(bundled_catalog().resolve("dorset", as_of=when))
        ours = assessment_to_json(plan.evaluate(reused, as_of=when))
        fresh = assessment_to_json(plan.evaluate(bundle_from_data(data), as_of=when))
        assert ours == fresh, when
        shared = [
            f
            for f in plan.evaluate(reused, as_of=when).findings
            if f.subject.id == second and "record_integrity" in f.facts
        ]
        # The late certificate is shared only once it has been issued.
        assert bool(shared) is (when == AFTER)
