"""check_present, check_current and record_fields_present, with every date boundary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeguard_std.domain.findings import Status
from tests.support import judge, make_bundle

D = dt.date
ENHANCED: dict[str, Any] = {
    "id": "dbs-1",
    "certificate_number": "001234567890",
    "level": "enhanced",
    "barred_list_children": True,
    "workforce": "child",
    "issued_on": "2024-02-29",
    "disclosure": "clear",
}
PRESENT = {
    "kind": "check_present",
    "check": "dbs",
    "level": "enhanced",
    "barred_list_children": True,
    "workforce": ["child", "child_and_adult"],
}
CURRENT = {"kind": "check_current", "check": "dbs", "period": "P3Y"}


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({}, Status.MET, "enhanced DBS check recorded"),
        ({"level": "basic"}, Status.NOT_MET, "the latest DBS check is basic; enhanced is required"),
        (
            {"barred_list_children": False},
            Status.NOT_MET,
            "the DBS check did not include the children's barred list",
        ),
        (
            {"barred_list_children": None},
            Status.INSUFFICIENT_EVIDENCE,
            "the DBS check does not record whether the children's barred list was checked",
        ),
        ({"workforce": "adult"}, Status.NOT_MET, "the DBS check is for the adult workforce"),
        (
            {"workforce": None},
            Status.INSUFFICIENT_EVIDENCE,
            "the DBS check does not record its workforce",
        ),
    ],
)
def test_dbs_present(change: dict[str, Any], status: Status, message: str) -> None:
    bundle = make_bundle(dbs_checks=[{**ENHANCED, **change}])
    finding = judge(PRESENT, bundle, D(2026, 1, 1))
    assert (finding.status, finding.message) == (status, message)
    assert finding.evidence == ("dbs-1",)


def test_no_dbs_is_not_met_never_passes() -> None:
    finding = judge(PRESENT, make_bundle(), D(2026, 1, 1))
    assert (finding.status, finding.message) == (Status.NOT_MET, "no DBS check is recorded")


def test_latest_dbs_is_judged_whatever_the_order() -> None:
    old = {**ENHANCED, "id": "dbs-0", "level": "basic", "issued_on": "2019-01-01"}
    for order in ([old, ENHANCED], [ENHANCED, old]):
        finding = judge(PRESENT, make_bundle(dbs_checks=order), D(2026, 1, 1))
        assert finding.status is Status.MET
        assert finding.evidence == ("dbs-1",)


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2027, 2, 27), Status.MET), (D(2027, 2, 28), Status.MET), (D(2027, 3, 1), Status.NOT_MET)],
)
def test_dbs_current_from_29_february(as_of: dt.date, status: Status) -> None:
    finding = judge(CURRENT, make_bundle(dbs_checks=[ENHANCED]), as_of)
    assert finding.status is status
    assert finding.due_on == D(2027, 2, 28)
    assert finding.facts == {"last_checked_on": "2024-02-29", "period": "P3Y"}


def test_lapsed_message_names_the_due_date() -> None:
    finding = judge(CURRENT, make_bundle(dbs_checks=[ENHANCED]), D(2027, 3, 1))
    assert finding.message == "DBS check lapsed: renewal was due on 2027-02-28"


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2028, 6, 9), Status.MET), (D(2028, 6, 10), Status.MET), (D(2028, 6, 11), Status.NOT_MET)],
)
def test_clear_status_check_renews_from_its_date(as_of: dt.date, status: Status) -> None:
    service = {
        "id": "us-1",
        "subscribed_on": "2024-03-01",
        "status_checks": [
            {"id": "sc-1", "checked_on": "2025-06-10", "result": "current_clear"},
            {"id": "sc-2", "checked_on": "2025-09-10", "result": "not_current"},
        ],
    }
    bundle = make_bundle(dbs_checks=[ENHANCED], update_service=service)
    finding = judge(CURRENT, bundle, as_of)
    assert (finding.status, finding.due_on) == (status, D(2028, 6, 10))
    assert finding.evidence == ("dbs-1", "sc-1")


def test_status_checks_can_be_ignored() -> None:
    service = {
        "id": "us-1",
        "status_checks": [{"id": "sc-1", "checked_on": "2025-06-10", "result": "current_clear"}],
    }
    bundle = make_bundle(dbs_checks=[ENHANCED], update_service=service)
    finding = judge({**CURRENT, "count_status_checks": False}, bundle, D(2026, 1, 1))
    assert finding.due_on == D(2027, 2, 28)


def test_undated_dbs_is_insufficient_evidence() -> None:
    bundle = make_bundle(dbs_checks=[{**ENHANCED, "issued_on": None}])
    finding = judge(CURRENT, bundle, D(2026, 1, 1))
    assert (finding.status, finding.message) == (
        Status.INSUFFICIENT_EVIDENCE,
        "the DBS check's issue date is not recorded",
    )


def test_dbs_current_at_level() -> None:
    bundle = make_bundle(dbs_checks=[{**ENHANCED, "level": "standard"}])
    finding = judge({**CURRENT, "level": "enhanced"}, bundle, D(2026, 1, 1))
    assert (finding.status, finding.message) == (
        Status.NOT_MET,
        "no enhanced-level DBS check is recorded",
    )


RTW = {"kind": "check_current", "check": "right_to_work"}


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2026, 4, 29), Status.MET), (D(2026, 4, 30), Status.MET), (D(2026, 5, 1), Status.NOT_MET)],
)
def test_time_limited_right_to_work(as_of: dt.date, status: Status) -> None:
    rtw = {
        "id": "rtw-1",
        "checked_on": "2024-01-01",
        "checked_by": "HR",
        "time_limited": True,
        "permission_expires_on": "2026-04-30",
    }
    finding = judge(RTW, make_bundle(right_to_work=rtw), as_of)
    assert (finding.status, finding.due_on) == (status, D(2026, 4, 30))


def test_right_to_work_without_limit_is_current() -> None:
    rtw = {"id": "rtw-1", "checked_on": "2024-01-01"}
    finding = judge(RTW, make_bundle(right_to_work=rtw), D(2030, 1, 1))
    assert (finding.status, finding.message) == (Status.MET, "right to work is not time-limited")


IDENTITY = {
    "kind": "check_present",
    "check": "identity",
    "require_photo": True,
    "require_address": True,
    "require_checked_by": True,
    "require_date": True,
}


def test_identity_lists_every_gap() -> None:
    idc = {"id": "id-1", "documents": [{"type": "passport", "photo": True}]}
    finding = judge(IDENTITY, make_bundle(identity_check=idc), D(2026, 1, 1))
    assert finding.status is Status.NOT_MET
    assert finding.message == (
        "the identity check does not record: checked_by, checked_on, address document"
    )


def test_identity_met() -> None:
    idc = {
        "id": "id-1",
        "checked_on": "2020-01-02",
        "checked_by": "Office manager",
        "documents": [
            {"type": "passport", "photo": True},
            {"type": "utility_bill", "shows_address": True},
        ],
    }
    assert judge(IDENTITY, make_bundle(identity_check=idc), D(2026, 1, 1)).status is Status.MET


def test_qualifications_only_when_required() -> None:
    rule = {"kind": "check_present", "check": "qualifications"}
    assert judge(rule, make_bundle(), D(2026, 1, 1)).status is Status.NOT_APPLICABLE
    quals = [{"id": "q-1", "qualification": "QTS", "required": True}]
    finding = judge(rule, make_bundle(qualification_checks=quals), D(2026, 1, 1))
    assert (finding.status, finding.facts["unchecked"]) == (Status.NOT_MET, ["q-1"])


def test_suitability_check() -> None:
    rule = {
        "kind": "check_present",
        "check": "suitability",
        "suitability_kind": "prohibition_from_teaching",
        "require_date": True,
    }
    checks = [
        {
            "id": "s-1",
            "kind": "prohibition_from_teaching",
            "checked_on": "2020-01-01",
            "satisfactory": False,
        }
    ]
    finding = judge(rule, make_bundle(suitability_checks=checks), D(2026, 1, 1))
    assert finding.message == "the prohibition_from_teaching check was not satisfactory"


def test_record_fields_present_never_shows_values() -> None:
    rule = {"kind": "record_fields_present", "fields": ["full_name", "date_of_birth", "address"]}
    bundle = make_bundle(address=None)
    finding = judge(rule, bundle, D(2026, 1, 1))
    assert (finding.status, finding.message) == (Status.NOT_MET, "the record lacks: address")
    assert "Test Person" not in repr(finding)


def test_leavers_are_not_subjects() -> None:
    leaver = {
        "engagements": [
            {"id": "e-1", "role_type": "employee", "start_on": "2020-01-06", "end_on": "2025-12-31"}
        ]
    }
    # Nobody left to judge: one finding at the requirement's level says so (coverage).
    (only,) = judge_all(PRESENT, make_bundle(**leaver), D(2026, 1, 1))
    assert (only.subject.id, only.status) == (None, Status.INSUFFICIENT_EVIDENCE)
    assert only.message == "no person engaged on that date is recorded, so this cannot be judged"
    (judged,) = judge_all(PRESENT, make_bundle(**leaver), D(2025, 12, 31))
    assert judged.subject.id == "p-1"


def test_a_future_starter_is_judged_on_the_checks_due_before_they_start() -> None:
    starter = {
        "engagements": [
            {
                "id": "e-1",
                "role_type": "employee",
                "start_on": "2026-02-01",
                "regulated_activity": "yes",
            }
        ]
    }
    (finding,) = judge_all(PRESENT, make_bundle(dbs_checks=[ENHANCED], **starter), D(2026, 1, 31))
    assert finding.subject.id == "p-1"
    assert finding.status is Status.MET
    assert finding.message.startswith("not yet started (starts on 2026-02-01); before they start:")
    assert finding.facts["not_started"] is True
    assert finding.facts["starts_on"] == "2026-02-01"
    (missing,) = judge_all(PRESENT, make_bundle(dbs_checks=[], **starter), D(2026, 1, 31))
    assert missing.status is Status.NOT_MET
    assert "no DBS check is recorded" in missing.message


def judge_all(rule: dict[str, Any], bundle: Any, as_of: dt.date) -> list[Any]:
    from safeguard_std.evaluate import evaluate
    from tests.support import make_pack

    return list(evaluate(make_pack({"rule": rule}), bundle, as_of=as_of).findings)
