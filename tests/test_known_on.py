"""The evaluator judges the evidence as it stood on as_of: later records have not happened."""

from __future__ import annotations

import copy
import datetime as dt

from safeguard_std.domain.findings import Status
from safeguard_std.domain.known_on import known_on
from safeguard_std.evidence import bundle_from_data
from tests.support import BASE_BUNDLE, judge, make_bundle

D = dt.date
DBS = {
    "id": "dbs-1",
    "level": "enhanced",
    "barred_list_children": True,
    "workforce": "child",
    "issued_on": "2026-03-01",
}
CURRENT = {"kind": "check_current", "check": "dbs", "period": "P3Y"}


def test_a_certificate_issued_later_does_not_count_yet() -> None:
    old = {**DBS, "id": "dbs-0", "issued_on": "2022-01-01"}
    bundle = make_bundle(dbs_checks=[old, DBS])
    early = judge(CURRENT, bundle, D(2026, 2, 28))
    assert (early.status, early.evidence) == (Status.NOT_MET, ("dbs-0",))
    assert judge(CURRENT, bundle, D(2026, 3, 1)).status is Status.MET


def test_a_policy_approved_later_does_not_exist_yet() -> None:
    rule = {"kind": "policy_current", "policies": ["safeguarding"], "review_period": "P1Y"}
    policies = [{"id": "pol-1", "kind": "safeguarding", "approved_on": "2025-12-01"}]
    bundle = make_bundle({"policies": policies})
    before = judge(rule, bundle, D(2025, 11, 30), subject="provider")
    assert (before.status, before.message) == (Status.NOT_MET, "no safeguarding policy is recorded")
    assert judge(rule, bundle, D(2025, 12, 1), subject="provider").status is Status.MET


def test_a_later_verification_is_cleared_not_the_reference() -> None:
    refs = [
        {
            "id": f"r-{i}",
            "received_on": "2025-01-01",
            "verified_on": "2025-02-01",
            "satisfactory": True,
        }
        for i in (1, 2)
    ]
    bundle = make_bundle(references=refs)
    finding = judge({"kind": "references"}, bundle, D(2025, 1, 15))
    assert finding.message == "0 of 2 satisfactory verified reference(s); 2 awaiting verification"
    assert judge({"kind": "references"}, bundle, D(2025, 2, 1)).status is Status.MET


def test_nothing_later_means_the_same_object() -> None:
    bundle = bundle_from_data(copy.deepcopy(BASE_BUNDLE))
    assert known_on(bundle, D(2026, 1, 1)) is bundle


def test_planned_dates_do_not_force_a_rebuild() -> None:
    bundle = make_bundle(
        engagements=[
            {"id": "e-1", "role_type": "employee", "start_on": "2020-01-06", "end_on": "2030-01-01"}
        ]
    )
    assert known_on(bundle, D(2026, 1, 1)) is bundle


def test_undated_records_are_kept() -> None:
    bundle = make_bundle(
        training=[
            {"id": "t-1", "course": "dsl"},
            {"id": "t-2", "course": "dsl", "completed_on": "2027-01-01"},
        ]
    )
    seen = known_on(bundle, D(2026, 1, 1))
    assert [t.id for t in seen.people[0].training] == ["t-1"]
