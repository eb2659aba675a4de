"""The hand-written baseline: Dorset's person-level rules as one plain Python loop over dicts.

This is the code a developer would write for this one rule set if no library existed, and as
fast as straightforward Python allows: no pack, no rule kinds, no classes, no explanations; the
bundle as ``json.loads`` gives it (a dict per person), one pass over the people, a status per
(requirement, person). Dates are compared as the ISO text they are (``YYYY-MM-DD`` text orders
as dates do); where calendar arithmetic is needed the text is parsed once with
``date.fromisoformat`` (a staff record repeats its dates, so each distinct date once), and the
cut-off dates the renewal rules compare against are worked out once per run, not per person.

It implements exactly the nine requirements of
``benchmarks/packs/dorset-person-rules/1/pack.yaml`` (copied from the bundled ``dorset`` pack)
with the same readings as the library's rule kinds and the pack's parameters, so that comparing
the two is fair: ``tests/test_benchmarks.py`` checks they agree on every status for generated
staff records, and ``benchmarks/run.py`` on every run.

It assumes what the generator produces: dates are ``YYYY-MM-DD`` text, ids are unique, and the
record is valid. It checks nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
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

_STAFF_COURSES = frozenset(
    {
        "induction_safeguarding",
        "child_protection",
        "safeguarding_refresher",
        "annual_update",
        "dsl",
        "dsl_refresher",
    }
)
_DSL_COURSES = frozenset({"dsl", "dsl_refresher"})
_CHILD_WORKFORCE = frozenset({"child", "child_and_adult"})
_WORD = re.compile(r"[^\w\s]+")  # a name's words, as the library compares names


def _plus(day: dt.date, years: int = 0, months: int = 0) -> dt.date:
    """``day`` plus calendar years and months, clamped to the month's end (29 Feb + 1 year is
    28 Feb; 30 Nov + 3 months is 28 or 29 Feb)."""
    total = day.year * 12 + day.month - 1 + years * 12 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _cutoff(as_of: dt.date, years: int) -> str:
    """The earliest ISO date ``d`` with ``as_of <= d + years``: a date renewed every ``years``
    is current on ``as_of`` exactly when it is this or later (``d + years`` never decreases)."""
    day = _plus(as_of, years=-years) - dt.timedelta(days=3)
    while _plus(day, years=years) < as_of:
        day += dt.timedelta(days=1)
    return day.isoformat()


def _engaged(
    engagements: list[dict[str, Any]], three_months: dict[str, str]
) -> tuple[str, bool | None, bool, bool]:
    """Regulated activity (yes beats unknown beats no), regular contact (true if any says so,
    false only if all say no, else unknown), employee, longer-term (open-ended, or ending more
    than three months after it starts), over the engagements judged."""
    regulated, employee, longer_term = "no", False, False
    contact: bool | None = False
    for e in engagements:
        flag = e.get("regulated_activity", "unknown")
        if flag == "yes" or (flag == "unknown" and regulated == "no"):
            regulated = flag
        said = e.get("regular_contact")
        if said is True:
            contact = True
        elif said is not False and contact is False:
            contact = None
        if e["role_type"] == "employee":
            employee = True
        if not longer_term:
            start, end = e["start_on"], e.get("end_on")
            if end is None:
                longer_term = True
            else:
                later = three_months.get(start)
                if later is None:
                    later = _plus(dt.date.fromisoformat(start), months=3).isoformat()
                    three_months[start] = later
                longer_term = end > later
    return regulated, contact, employee, longer_term


def _undecided(status: str) -> str:
    """A requirement whose condition is unknown for the person: a met stands, anything else asks
    for the fact (the library's three-valued applies_when)."""
    return "met" if status == "met" else "insufficient_evidence"


def evaluate_bundle(bundle: dict[str, Any], as_of: dt.date) -> dict[tuple[str, str], str]:
    """Status per (requirement id, person id) for everyone engaged on ``as_of``, and for people
    starting later on the checks due before they start."""
    today = as_of.isoformat()
    dbs_from, staff_from, lead_from = _cutoff(as_of, 3), _cutoff(as_of, 3), _cutoff(as_of, 2)
    three_months: dict[str, str] = {}  # start date -> start + 3 months, each date parsed once
    leads = {
        r["person_id"]
        for r in bundle.get("lead_roles", ())
        if r["kind"] in ("dsl", "deputy_dsl")
        and r.get("start_on", "") <= today
        and (r.get("end_on") is None or today <= r["end_on"])
    }
    unreliable, shared = _unreliable(bundle.get("people", ()), today)
    out: dict[tuple[str, str], str] = {}
    for person in bundle.get("people", ()):
        # Engaged on as_of: any engagement started and not ended; failing that, someone
        # starting later is judged on the checks due before they start; a leaver is not judged.
        engagements = person.get("engagements", ())
        active = [
            e
            for e in engagements
            if (start := e.get("start_on")) is not None
            and start <= today
            and ((end := e.get("end_on")) is None or today <= end)
        ]
        future = not active
        if future:
            active = [e for e in engagements if (e.get("start_on") or "") > today]
            if not active:
                continue
        regulated, contact, employee, longer_term = _engaged(active, three_months)
        pid = person["id"]
        children = regulated != "no"  # applies_when regulated_activity ne "no": unknown if so

        # One pass over the certificates (evidence is judged as it stood on as_of: certificates
        # issued later do not count yet). For 2.3.2 the latest dated enhanced one; for 2.5.5
        # whether any is suitable, and the latest one (judged when none is).
        n_dbs = n_enhanced = 0
        suitable = False
        enhanced = latest = None
        for c in person.get("dbs_checks", ()):
            issued = c.get("issued_on")
            if c.get("jurisdiction", "dbs") != "dbs" or (issued is not None and issued > today):
                continue
            n_dbs += 1
            if c["level"] == "enhanced":
                n_enhanced += 1
                if issued is not None and (
                    enhanced is None or (issued, c["id"]) > (enhanced["issued_on"], enhanced["id"])
                ):
                    enhanced = c
                if (
                    issued is not None  # an undated certificate cannot be shown to be valid
                    and c.get("barred_list_children")
                    and c.get("workforce") in _CHILD_WORKFORCE
                ):
                    suitable = True
            if latest is None or _later(c, latest):
                latest = c

        # 2.3.2: the latest enhanced certificate renewed within three years, from its issue date
        # or the last clear Update Service status check on it.
        if not children:
            status = "not_applicable"
        elif not n_enhanced:
            status = "not_met"
        elif enhanced is None:
            status = "insufficient_evidence"
        else:
            base = enhanced["issued_on"]
            service = person.get("update_service")
            if service:
                for check in service.get("status_checks", ()):
                    if (
                        check["result"] == "current_clear"
                        and check.get("dbs_check_id") in (None, enhanced["id"])
                        and base < check["checked_on"] <= today
                    ):
                        base = check["checked_on"]
            status = "met" if base >= dbs_from else "not_met"
        if regulated == "unknown":
            status = _undecided(status)
        out["DOR-2.3.2", pid] = status

        # 2.4.1: name, address and date of birth recorded (once they have started).
        if not future:
            complete = (
                person.get("full_name") and person.get("address") and person.get("date_of_birth")
            )
            out["DOR-2.4.1", pid] = "met" if complete else "not_met"

        # 2.5.1: identity checked with photographic and address documents, when and by whom (a
        # check made after as_of is not known yet).
        idc = person.get("identity_check")
        if idc is not None and (idc.get("checked_on") or "") > today:
            idc = None
        if idc is None or not idc.get("checked_by") or not idc.get("checked_on"):
            status = "not_met"
        else:
            photo = address = False
            for d in idc.get("documents", ()):
                photo = photo or bool(d.get("photo"))
                address = address or bool(d.get("shows_address"))
            status = "met" if photo and address else "not_met"
        out["DOR-2.5.1", pid] = status

        # 2.5.4a: employees' right to work checked, when and by whom.
        rtw = person.get("right_to_work")
        if rtw is not None and (rtw.get("checked_on") or "") > today:
            rtw = None
        if not employee:
            status = "not_applicable"
        elif rtw and rtw.get("checked_on") and rtw.get("checked_by"):
            status = "met"
        else:
            status = "not_met"
        out["DOR-2.5.4a", pid] = status

        # 2.5.5: enhanced certificate, children's barred list, child workforce, dated. Any
        # certificate meeting all four counts; otherwise the latest one is judged.
        if not children:
            status = "not_applicable"
        elif not n_dbs:
            status = "not_met"
        elif suitable:
            status = "met"
        else:
            assert latest is not None
            status = _dbs_suitable(latest)
        if regulated == "unknown":
            status = _undecided(status)
        out["DOR-2.5.5", pid] = status

        # 2.5.7 and 2.5.8: two verified satisfactory references, or one and a single-reference
        # risk assessment.
        good = 0
        for r in person.get("references", ()):
            verified = r.get("verified_on")
            if (
                r.get("satisfactory") is True
                and verified is not None
                and verified <= today
                and (r.get("received_on") or "") <= today
                and not r.get("open_reference")
                and not r.get("supplied_by_candidate")
            ):
                good += 1
        # Either is met by two references, or by one and a completed single-reference risk
        # assessment (a later assessment has not happened yet); 2.5.8 asks only longer-term staff.
        status = "met" if good >= 2 else "not_met"
        if good == 1:
            for ra in person.get("risk_assessments", ()):
                done = ra.get("completed_on")
                if ra["kind"] == "single_reference" and done is not None and done <= today:
                    status = "met"
                    break
        out["DOR-2.5.7", pid] = status
        out["DOR-2.5.8", pid] = status if longer_term else "not_applicable"

        if future:
            continue  # training is judged once they have started

        # 3.6a and 3.6b: safeguarding training within three years for those working with
        # children or in regular contact (three-valued: either unknown and neither true asks for
        # the fact); designated-lead training within two years for the lead and deputy.
        # Completions after as_of have not happened yet.
        staff = regulated == "yes" or contact is True
        staff_na = regulated == "no" and contact is False
        lead = pid in leads
        staff_any = staff_dated = lead_any = lead_dated = False
        staff_last = lead_last = ""
        if not staff_na or lead:
            for t in person.get("training", ()):
                done = t.get("completed_on")
                if done is not None and done > today:
                    continue
                course = t["course"]
                if course in _STAFF_COURSES:
                    staff_any = True
                    if done is not None:
                        staff_dated = True
                        staff_last = max(staff_last, done)
                    if course in _DSL_COURSES:
                        lead_any = True
                        if done is not None:
                            lead_dated = True
                            lead_last = max(lead_last, done)
        if staff_na:
            out["DOR-3.6a", pid] = "not_applicable"
        else:
            status = _training(staff_any, staff_dated, staff_last, staff_from)
            out["DOR-3.6a", pid] = status if staff else _undecided(status)
        out["DOR-3.6b", pid] = (
            _training(lead_any, lead_dated, lead_last, lead_from) if lead else "not_applicable"
        )
    # A record that cannot be relied on (the person recorded twice; for the DBS requirements,
    # their certificate number also recorded for someone else) never passes: met asks for
    # evidence instead.
    for (rule, pid), status in out.items():
        if status == "met" and (
            pid in unreliable or (pid in shared and rule in ("DOR-2.3.2", "DOR-2.5.5"))
        ):
            out[rule, pid] = "insufficient_evidence"
    return out


def _unreliable(people: list[dict[str, Any]], today: str) -> tuple[set[str], set[str]]:
    """The ids of people recorded twice (the same name, its words in any order and case, and
    date of birth), and of people whose DBS certificate number is also recorded for someone
    else (certificates issued after as_of not counted)."""
    by_name: dict[tuple[tuple[str, ...], str], set[str]] = {}
    by_number: dict[tuple[str, str], set[str]] = {}
    for person in people:
        name, born = person.get("full_name"), person.get("date_of_birth")
        if name and born:
            words = tuple(sorted(_WORD.sub(" ", name.casefold()).split()))
            if words:
                by_name.setdefault((words, born), set()).add(person["id"])
        for c in person.get("dbs_checks", ()):
            number, issued = c.get("certificate_number"), c.get("issued_on")
            if number and (issued is None or issued <= today):
                key = (c.get("jurisdiction", "dbs"), number)
                by_number.setdefault(key, set()).add(person["id"])
    twice = {pid for ids in by_name.values() if len(ids) > 1 for pid in ids}
    shared = {pid for ids in by_number.values() if len(ids) > 1 for pid in ids}
    return twice, shared


def _later(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether certificate ``one`` is later than ``other``: dated beats undated, then the issue
    date, then the greater id."""
    a, b = one.get("issued_on"), other.get("issued_on")
    if a is None or b is None:
        return a is not None or (b is None and one["id"] > other["id"])
    return (a, one["id"]) > (b, other["id"])


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
    return "met" if check.get("issued_on") is not None else "insufficient_evidence"


def _training(found: bool, dated: bool, last: str, current_from: str) -> str:
    """The latest completion of a course (``last``, ISO text) judged against its cut-off."""
    if not found:
        return "not_met"
    if not dated:
        return "insufficient_evidence"
    return "met" if last >= current_from else "not_met"
