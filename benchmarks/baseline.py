"""The hand-written baseline: Dorset's person-level rules as one plain Python loop over dicts.

This is the code a developer would write for this one rule set if no library existed: no pack,
no rule kinds, no typed entities, no explanations; the bundle as ``json.loads`` gives it, and a
status per (requirement, person). It implements exactly the nine requirements of
``benchmarks/packs/dorset-person-rules/1/pack.yaml`` (copied from the bundled ``dorset`` pack)
with the same readings as the library's rule kinds and the pack's parameters, so that comparing
the two is fair: ``tests/test_benchmarks.py`` checks they agree on every status for generated
staff records.

It assumes what the generator produces: dates are ``YYYY-MM-DD`` text (so ISO text compares as
dates do), ids are unique, and the record is valid. It checks nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

__all__ = ["RULES", "evaluate_bundle"]

#: The requirements, in the pack's order.
RULES = (
    "DOR-2.3.2",
    "DOR-2.4.1",
    "DOR-2.5.1",
    "DOR-2.5.4a",
    "DOR-2.5.5",
    "DOR-2.5.7",
    "DOR-2.5.8",
    "DOR-3.6a",
    "DOR-3.6b",
)

_STAFF_COURSES = {
    "induction_safeguarding",
    "child_protection",
    "safeguarding_refresher",
    "annual_update",
    "dsl",
    "dsl_refresher",
}
_DSL_COURSES = {"dsl", "dsl_refresher"}
_CHILD_WORKFORCE = {"child", "child_and_adult"}


def _dbs_suitable(check: dict[str, Any]) -> str:
    """One certificate against 2.5.5: enhanced, children's barred list, child workforce."""
    barred, workforce = check.get("barred_list_children"), check.get("workforce")
    if check["level"] != "enhanced":
        return "not_met"
    if barred is None:
        return "insufficient_evidence"
    if not barred:
        return "not_met"
    if workforce is None:
        return "insufficient_evidence"
    if workforce not in _CHILD_WORKFORCE:
        return "not_met"
    # An undated certificate cannot be shown to be valid.
    return "met" if check.get("issued_on") is not None else "insufficient_evidence"


def _plus(iso: str, years: int = 0, months: int = 0) -> dt.date:
    """ISO date plus calendar years and months, clamped to the month's end (29 Feb + 1 year is
    28 Feb; 30 Nov + 3 months is 28 or 29 Feb)."""
    day = dt.date.fromisoformat(iso)
    total = day.year * 12 + day.month - 1 + years * 12 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _latest(records: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    """The record with the latest date under ``key`` (ties: the greatest id); undated ignored."""
    best = None
    for rec in records:
        when = rec.get(key)
        if when is not None and (best is None or (when, rec["id"]) > (best[key], best["id"])):
            best = rec
    return best


def _training(training: list[dict[str, Any]], courses: set[str], years: int, as_of: dt.date) -> str:
    """Latest training in ``courses`` completed on or before ``as_of`` within ``years``."""
    today = as_of.isoformat()
    found = [t for t in training if t["course"] in courses]
    if not found:
        return "not_met"
    dated = [t for t in found if t.get("completed_on") is not None]
    last = _latest([t for t in dated if t["completed_on"] <= today], "completed_on")
    if last is None:
        return "not_met" if dated else "insufficient_evidence"
    return "met" if as_of <= _plus(last["completed_on"], years=years) else "not_met"


def _undecided(status: str) -> str:
    """A requirement whose condition is unknown for the person: a met stands, anything else asks
    for the fact (the library's three-valued applies_when)."""
    return "met" if status == "met" else "insufficient_evidence"


def evaluate_bundle(bundle: dict[str, Any], as_of: dt.date) -> dict[tuple[str, str], str]:
    """Status per (requirement id, person id) for everyone engaged on ``as_of``, and for people
    starting later on the checks due before they start."""
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
        active = [
            e
            for e in person.get("engagements", ())
            if e.get("start_on") is not None
            and e["start_on"] <= today
            and (e.get("end_on") is None or today <= e["end_on"])
        ]
        future = False
        if not active:  # starting later: judged on the checks, on the engagement to come
            active = [
                e
                for e in person.get("engagements", ())
                if e.get("start_on") is not None and e["start_on"] > today
            ]
            if not active:
                continue  # a leaver: not judged
            future = True
        flags = {e.get("regulated_activity", "unknown") for e in active}
        regulated = "yes" if "yes" in flags else "unknown" if "unknown" in flags else "no"
        # applies_when {regulated_activity ne "no"}: unknown when it is not recorded
        dbs_applies = None if regulated == "unknown" else regulated == "yes"
        contacts = [e.get("regular_contact") for e in active]
        contact = any(c is True for c in contacts)
        contact_fact = True if contact else False if all(c is False for c in contacts) else None
        employee = any(e["role_type"] == "employee" for e in active)
        # Evidence is judged as it stood on as_of: certificates issued later do not count yet.
        known = as_of.isoformat()
        dbs = [
            c
            for c in person.get("dbs_checks", ())
            if c.get("jurisdiction", "dbs") == "dbs" and (c.get("issued_on") or "") <= known
        ]

        # 2.3.2: the latest enhanced certificate renewed within three years, from its issue date
        # or the last clear Update Service status check on it.
        if dbs_applies is False:
            status = "not_applicable"
        else:
            enhanced = [c for c in dbs if c["level"] == "enhanced"]
            best = _latest(enhanced, "issued_on")
            if not enhanced:
                status = "not_met"
            elif best is None:
                status = "insufficient_evidence"
            else:
                base = best["issued_on"]
                for check in (person.get("update_service") or {}).get("status_checks", ()):
                    if (
                        check["result"] == "current_clear"
                        and check.get("dbs_check_id") in (None, best["id"])
                        and base < check["checked_on"] <= known
                    ):
                        base = check["checked_on"]
                status = "met" if as_of <= _plus(base, years=3) else "not_met"
            if dbs_applies is None:
                status = _undecided(status)
        out["DOR-2.3.2", pid] = status

        # 2.4.1: name, address and date of birth recorded (once they have started).
        complete = person.get("full_name") and person.get("address") and person.get("date_of_birth")
        if not future:
            out["DOR-2.4.1", pid] = "met" if complete else "not_met"

        # 2.5.1: identity checked with photographic and address documents, when and by whom.
        idc = person.get("identity_check")
        if idc is not None and (idc.get("checked_on") or "") > known:
            idc = None  # checked after as_of: not known yet (someone still to start)
        if idc is None or not idc.get("checked_by") or not idc.get("checked_on"):
            status = "not_met"
        else:
            docs = idc.get("documents", ())
            photo = any(d.get("photo") for d in docs)
            address = any(d.get("shows_address") for d in docs)
            status = "met" if photo and address else "not_met"
        out["DOR-2.5.1", pid] = status

        # 2.5.4a: employees' right to work checked, when and by whom.
        rtw = person.get("right_to_work")
        if rtw is not None and (rtw.get("checked_on") or "") > known:
            rtw = None
        if not employee:
            status = "not_applicable"
        elif rtw and rtw.get("checked_on") and rtw.get("checked_by"):
            status = "met"
        else:
            status = "not_met"
        out["DOR-2.5.4a", pid] = status

        # 2.5.5: enhanced certificate, children's barred list, child workforce. Any certificate
        # meeting all three counts; otherwise the latest one is judged.
        if dbs_applies is False:
            status = "not_applicable"
        elif not dbs:
            status = "not_met"
        else:
            judged = {c["id"]: _dbs_suitable(c) for c in dbs}
            pool = [c for c in dbs if judged[c["id"]] == "met"] or dbs
            best = _latest(pool, "issued_on") or max(pool, key=lambda c: c["id"])
            status = judged[best["id"]]
        if dbs_applies is None and status != "not_applicable":
            status = _undecided(status)
        out["DOR-2.5.5", pid] = status

        # 2.5.7 and 2.5.8: two verified satisfactory references; for longer-term staff, one and a
        # single-reference risk assessment will do.
        good = sum(
            1
            for r in person.get("references", ())
            if r.get("satisfactory") is True
            and (r.get("received_on") or "") <= known
            and r.get("verified_on") is not None
            and r["verified_on"] <= known
            and not r.get("open_reference")
            and not r.get("supplied_by_candidate")
        )
        one_and_assessed = good == 1 and any(
            ra["kind"] == "single_reference"
            and ra.get("completed_on") is not None
            and ra["completed_on"] <= known  # a later assessment has not happened yet
            for ra in person.get("risk_assessments", ())
        )
        # 2.5.7 takes 2.5.8's route too: one reference and a risk assessment.
        out["DOR-2.5.7", pid] = "met" if good >= 2 or one_and_assessed else "not_met"
        longer_term = any(
            e.get("end_on") is None or e["end_on"] > _plus(e["start_on"], months=3).isoformat()
            for e in active
        )
        if not longer_term:
            status = "not_applicable"
        elif good >= 2 or one_and_assessed:
            status = "met"
        else:
            status = "not_met"
        out["DOR-2.5.8", pid] = status

        if future:
            continue  # training is judged once they have started

        # 3.6a and 3.6b: safeguarding training within three years for those working with
        # children; designated-lead training within two years for the lead and deputy.
        training = [  # completions after as_of have not happened yet
            t for t in person.get("training", ()) if (t.get("completed_on") or "") <= known
        ]
        # applies_when any(regulated_activity ne "no", regular_contact eq true), three-valued
        if regulated == "yes" or contact_fact is True:
            out["DOR-3.6a", pid] = _training(training, _STAFF_COURSES, 3, as_of)
        elif regulated == "no" and contact_fact is False:
            out["DOR-3.6a", pid] = "not_applicable"
        else:
            out["DOR-3.6a", pid] = _undecided(_training(training, _STAFF_COURSES, 3, as_of))
        out["DOR-3.6b", pid] = (
            _training(training, _DSL_COURSES, 2, as_of) if pid in leads else "not_applicable"
        )
    return out
