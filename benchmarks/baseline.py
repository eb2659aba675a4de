"""The hand-written baseline: Dorset's person-level rules as one plain Python loop over dicts.

This is the code a developer would write for this one rule set if no library existed: no pack,
no rule kinds, no typed entities, no explanations; the bundle as ``json.loads`` gives it, and a
status per (rule, person). It implements exactly the eight rules of
``benchmarks/packs/dorset-person-rules/1/pack.yaml`` with the same readings as the library's
rule kinds (DESIGN.md section 5 for dates), so that comparing the two is fair:
``tests/test_benchmarks.py`` checks they agree on every status for the generated data.

It assumes what the generator produces: dates are ``YYYY-MM-DD`` text (so ISO text compares as
dates do) and ids are unique. It does not validate anything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["RULES", "evaluate_bundle"]

#: The rules, by the fixture pack's requirement ids, in the pack's order.
RULES = (
    "BENCH-DBS-LEVEL",
    "BENCH-DBS-RENEWAL",
    "BENCH-REFERENCES",
    "BENCH-IDENTITY",
    "BENCH-RIGHT-TO-WORK",
    "BENCH-RECORD",
    "BENCH-TRAINING",
    "BENCH-DSL-TRAINING",
)

_LEVELS = {"basic": 0, "standard": 1, "enhanced": 2}
_STAFF_COURSES = {"induction_safeguarding", "child_protection", "safeguarding_refresher"}
_DSL_COURSES = {"dsl", "dsl_refresher"}


def _plus_years(iso: str, years: int) -> dt.date:
    """ISO date plus whole years; 29 February lands on 28 February in a common year."""
    day = dt.date.fromisoformat(iso)
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _latest(records: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    """The record with the latest date under ``key`` (ties: the greatest id); undated ignored."""
    best = None
    for rec in records:
        when = rec.get(key)
        if when is not None and (best is None or (when, rec["id"]) > (best[key], best["id"])):
            best = rec
    return best


def evaluate_bundle(bundle: dict[str, Any], as_of: dt.date) -> dict[tuple[str, str], str]:
    """Status per (rule id, person id) for everyone engaged on ``as_of``."""
    today = as_of.isoformat()
    leads = {
        r["person_id"]
        for r in bundle.get("lead_roles", ())
        if r["kind"] in ("dsl", "deputy_dsl")
        and r.get("start_on", "") <= today
        and (r.get("end_on") is None or today <= r["end_on"])
    }
    out: dict[tuple[str, str], str] = {}
    for person in bundle.get("people", ()):
        pid = person["id"]
        regulated = set()
        for eng in person.get("engagements", ()):
            start, end = eng.get("start_on"), eng.get("end_on")
            if start is not None and start <= today and (end is None or today <= end):
                regulated.add(eng.get("regulated_activity", "unknown"))
        if not regulated:
            continue  # not engaged on as_of: not judged
        in_regulated = "yes" in regulated
        dbs = [c for c in person.get("dbs_checks", ()) if c.get("jurisdiction", "dbs") == "dbs"]

        # Enhanced DBS with the children's barred list, for regulated activity.
        if not in_regulated:
            status = "not_applicable"
        elif not dbs:
            status = "not_met"
        else:
            best = _latest(dbs, "issued_on") or max(dbs, key=lambda c: c["id"])
            barred = best.get("barred_list_children")
            if best["level"] != "enhanced":
                status = "not_met"
            elif barred is None:
                status = "insufficient_evidence"
            else:
                status = "met" if barred else "not_met"
        out["BENCH-DBS-LEVEL", pid] = status

        # DBS renewed every three years, from the certificate or the last clear status check.
        if not in_regulated:
            status = "not_applicable"
        elif not dbs:
            status = "not_met"
        else:
            best = _latest(dbs, "issued_on")
            if best is None:
                status = "insufficient_evidence"
            else:
                base = best["issued_on"]
                for check in (person.get("update_service") or {}).get("status_checks", ()):
                    if (
                        check["result"] == "current_clear"
                        and check.get("dbs_check_id") in (None, best["id"])
                        and check["checked_on"] > base
                    ):
                        base = check["checked_on"]
                status = "met" if as_of <= _plus_years(base, 3) else "not_met"
        out["BENCH-DBS-RENEWAL", pid] = status

        # Two verified satisfactory references, or one and a single-reference risk assessment.
        good = 0
        for ref in person.get("references", ()):
            if (
                ref.get("satisfactory") is True
                and ref.get("verified_on") is not None
                and not ref.get("open_reference")
                and not ref.get("supplied_by_candidate")
            ):
                good += 1
        single_ra = good == 1 and any(
            ra["kind"] == "single_reference" and ra.get("completed_on") is not None
            for ra in person.get("risk_assessments", ())
        )
        status = "met" if good >= 2 or single_ra else "not_met"
        out["BENCH-REFERENCES", pid] = status

        # Identity checked, with photographic and address documents, and by whom.
        idc = person.get("identity_check")
        if idc is None or not idc.get("checked_by"):
            status = "not_met"
        else:
            docs = idc.get("documents", ())
            photo = any(d.get("photo") for d in docs)
            address = any(d.get("shows_address") for d in docs)
            status = "met" if photo and address else "not_met"
        out["BENCH-IDENTITY", pid] = status

        # Right to work checked, and by whom.
        rtw = person.get("right_to_work")
        out["BENCH-RIGHT-TO-WORK", pid] = "met" if rtw and rtw.get("checked_by") else "not_met"

        # Name, date of birth and address recorded.
        complete = person.get("full_name") and person.get("date_of_birth") and person.get("address")
        out["BENCH-RECORD", pid] = "met" if complete else "not_met"

        # Safeguarding training within three years; DSL training within two for leads.
        training = person.get("training", ())
        for rule, courses, years, applies in (
            ("BENCH-TRAINING", _STAFF_COURSES, 3, True),
            ("BENCH-DSL-TRAINING", _DSL_COURSES, 2, pid in leads),
        ):
            if not applies:
                status = "not_applicable"
            else:
                found = [t for t in training if t["course"] in courses]
                last = _latest(found, "completed_on")
                if not found:
                    status = "not_met"
                elif last is None:
                    status = "insufficient_evidence"
                else:
                    current = as_of <= _plus_years(last["completed_on"], years)
                    status = "met" if current else "not_met"
            out[rule, pid] = status
    return out
