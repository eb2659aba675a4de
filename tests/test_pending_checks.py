"""Pending and undated checks: applied for and not yet done is recorded honestly, and never
counts as a valid check."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from safeguard_std.domain._base import FieldValueError
from safeguard_std.domain.findings import Status
from safeguard_std.domain.known_on import known_on
from safeguard_std.domain.people import (
    CheckStatus,
    DbsCheck,
    IdentityCheck,
    QualificationCheck,
    Reference,
    RightToWorkCheck,
    SuitabilityCheck,
)
from safeguard_std.evidence import bundle_from_data
from safeguard_std.exceptions import EvidenceError
from safeguard_std.serialization import bundle_to_data
from tests.support import BASE_BUNDLE, judge, make_bundle

D = dt.date
PENDING_DBS = {"id": "dbs-1", "level": "enhanced", "status": "pending", "applied_on": "2024-05-01"}


def test_a_check_is_completed_unless_recorded_as_pending() -> None:
    assert DbsCheck(id="d", level="enhanced").status is CheckStatus.COMPLETED
    pending = DbsCheck(id="d", level="enhanced", status="pending", applied_on=D(2024, 5, 1))
    assert pending.status is CheckStatus.PENDING
    assert pending.issued_on is None


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: DbsCheck(id="d", level="enhanced", status="pending", issued_on=D(2024, 1, 1)),
         "issued_on"),
        (lambda: DbsCheck(id="d", level="enhanced", status="pending", disclosure="clear"),
         "disclosure"),
        (lambda: IdentityCheck(id="i", status="pending", checked_on=D(2024, 1, 1)), "checked_on"),
        (lambda: RightToWorkCheck(id="r", status="pending", checked_on=D(2024, 1, 1)),
         "checked_on"),
        (lambda: QualificationCheck(id="q", qualification="QTS", status="pending",
                                    checked_on=D(2024, 1, 1)), "checked_on"),
        (lambda: SuitabilityCheck(id="s", kind="barred_list", status="pending",
                                  satisfactory=True), "satisfactory"),
        (lambda: Reference(id="f", status="pending", received_on=D(2024, 1, 1)), "received_on"),
    ],
)  # fmt: skip
def test_a_pending_check_carries_no_result(make: Any, field: str) -> None:
    with pytest.raises(FieldValueError, match="when 'status' is 'pending'") as info:
        make()
    assert info.value.field == field


def test_a_pending_time_limited_right_to_work_needs_no_expiry_yet() -> None:
    rtw = RightToWorkCheck(id="r", status="pending", time_limited=True)
    assert rtw.permission_expires_on is None
    with pytest.raises(FieldValueError, match="permission_expires_on"):
        RightToWorkCheck(id="r", time_limited=True)


def test_a_check_is_not_done_before_it_was_applied_for() -> None:
    with pytest.raises(FieldValueError, match=r"'issued_on' \(2024-04-30\) must not be before"):
        DbsCheck(id="d", level="enhanced", applied_on=D(2024, 5, 1), issued_on=D(2024, 4, 30))


def test_loading_a_contradictory_pending_check_names_the_field() -> None:
    data = copy.deepcopy(BASE_BUNDLE)
    data["people"][0]["dbs_checks"] = [{**PENDING_DBS, "issued_on": "2024-06-01"}]
    with pytest.raises(EvidenceError) as info:
        bundle_from_data(data, source="staff.json")
    text = str(info.value)
    assert "$.people[0].dbs_checks[0].issued_on" in text
    assert "'issued_on' must be empty when 'status' is 'pending'" in text


def test_pending_checks_round_trip() -> None:
    bundle = make_bundle(
        dbs_checks=[PENDING_DBS],
        identity_check={"id": "idc-1", "status": "pending", "applied_on": "2024-05-01"},
        right_to_work={"id": "rtw-1", "status": "pending", "time_limited": True},
        references=[{"id": "ref-1", "status": "pending", "requested_on": "2024-05-02"}],
        suitability_checks=[{"id": "s-1", "kind": "overseas", "status": "pending"}],
        qualification_checks=[{"id": "q-1", "qualification": "QTS", "status": "pending"}],
    )
    data = bundle_to_data(bundle)
    assert data["people"][0]["dbs_checks"][0] == PENDING_DBS
    assert bundle_from_data(data) == bundle


def test_a_completed_check_serialises_as_before() -> None:
    # status is omitted when it is the default, so existing bundles and digests do not change.
    dbs = {"id": "dbs-1", "level": "enhanced", "issued_on": "2024-05-01"}
    data = bundle_to_data(make_bundle(dbs_checks=[dbs]))
    assert data["people"][0]["dbs_checks"][0] == dbs


# -- the evidence as it stood on as_of --------------------------------------------------------


def _dbs_on(as_of: dt.date, **dbs: Any) -> tuple[DbsCheck, ...]:
    bundle = make_bundle(dbs_checks=[{"id": "dbs-1", "level": "enhanced", **dbs}])
    return known_on(bundle, as_of).people[0].dbs_checks


def test_a_certificate_issued_after_as_of_was_pending_if_applied_for_by_then() -> None:
    (then,) = _dbs_on(
        D(2024, 5, 31),
        applied_on="2024-05-01",
        issued_on="2024-06-10",
        seen_on="2024-06-11",
        disclosure="clear",
    )
    assert then.status is CheckStatus.PENDING
    assert (then.issued_on, then.seen_on, then.disclosure) == (None, None, None)
    assert then.applied_on == D(2024, 5, 1)


def test_a_certificate_applied_for_after_as_of_did_not_exist_yet() -> None:
    assert _dbs_on(D(2024, 4, 30), applied_on="2024-05-01", issued_on="2024-06-10") == ()
    assert _dbs_on(D(2024, 4, 30), issued_on="2024-06-10") == ()
    assert _dbs_on(D(2024, 4, 30), status="pending", applied_on="2024-05-01") == ()


def test_a_reference_received_after_as_of_was_pending_if_requested_by_then() -> None:
    ref = {
        "id": "ref-1",
        "requested_on": "2024-05-01",
        "received_on": "2024-06-01",
        "verified_on": "2024-06-02",
        "satisfactory": True,
    }
    (then,) = known_on(make_bundle(references=[ref]), D(2024, 5, 15)).people[0].references
    assert then.status is CheckStatus.PENDING
    assert (then.received_on, then.verified_on, then.satisfactory) == (None, None, None)


# -- what the rule kinds make of them -----------------------------------------------------------

AS_OF = D(2024, 6, 1)
ENHANCED = {"kind": "check_present", "check": "dbs", "level": "enhanced"}
CURRENT = {"kind": "check_current", "check": "dbs", "period": "P3Y"}
DONE_DBS = {"id": "dbs-0", "level": "enhanced", "issued_on": "2020-01-10"}


def test_a_pending_dbs_check_asks_for_the_certificate() -> None:
    finding = judge(ENHANCED, make_bundle(dbs_checks=[PENDING_DBS]), AS_OF)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.message == "the DBS check is pending: applied for on 2024-05-01 and not yet done"
    assert (finding.evidence, finding.facts) == (("dbs-1",), {"pending": True})


def test_an_undated_dbs_certificate_is_not_valid() -> None:
    undated = {"id": "dbs-1", "level": "enhanced"}
    finding = judge(ENHANCED, make_bundle(dbs_checks=[undated]), AS_OF)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert "undated (issued_on is not recorded)" in finding.message
    # Where the requirement asks for the date itself, its absence is a plain failure.
    dated = judge({**ENHANCED, "require_date": True}, make_bundle(dbs_checks=[undated]), AS_OF)
    assert dated.status is Status.NOT_MET


def test_a_lapsed_certificate_stays_lapsed_while_its_renewal_is_pending() -> None:
    finding = judge(CURRENT, make_bundle(dbs_checks=[DONE_DBS, PENDING_DBS]), AS_OF)
    assert finding.status is Status.NOT_MET
    assert finding.message == (
        "DBS check lapsed: renewal was due on 2023-01-10; the renewal is pending: applied for "
        "on 2024-05-01 and not yet done"
    )
    assert finding.evidence == ("dbs-0", "dbs-1")
    assert finding.due_on == D(2023, 1, 10)


def test_only_a_pending_certificate_is_not_current() -> None:
    finding = judge(CURRENT, make_bundle(dbs_checks=[PENDING_DBS]), AS_OF)
    assert (finding.status, finding.facts) == (Status.INSUFFICIENT_EVIDENCE, {"pending": True})


@pytest.mark.parametrize(
    ("rtw", "status", "words"),
    [
        ({"status": "pending", "applied_on": "2024-05-20"}, Status.INSUFFICIENT_EVIDENCE,
         "pending: applied for on 2024-05-20"),
        ({}, Status.INSUFFICIENT_EVIDENCE, "undated"),
        ({"time_limited": True, "permission_expires_on": "2025-01-01"},
         Status.INSUFFICIENT_EVIDENCE, "undated"),
        ({"time_limited": True, "permission_expires_on": "2024-01-01"}, Status.NOT_MET,
         "expired on 2024-01-01"),
        ({"checked_on": "2024-01-01"}, Status.MET, "not time-limited"),
    ],
)  # fmt: skip
def test_right_to_work_current(rtw: dict[str, Any], status: Status, words: str) -> None:
    rule = {"kind": "check_current", "check": "right_to_work"}
    finding = judge(rule, make_bundle(right_to_work={"id": "rtw-1", **rtw}), AS_OF)
    assert finding.status is status
    assert words in finding.message


BARRED = {"kind": "check_present", "check": "suitability", "suitability_kind": "barred_list"}


@pytest.mark.parametrize(
    ("checks", "status", "words"),
    [
        ([{"status": "pending"}], Status.INSUFFICIENT_EVIDENCE, "barred_list check is pending"),
        ([{"checked_on": "2024-01-01", "satisfactory": True}, {"status": "pending"}], Status.MET,
         "recorded"),
        ([{"checked_on": "2024-01-01", "satisfactory": False}, {"status": "pending"}],
         Status.NOT_MET, "not satisfactory"),
        ([{}, {"status": "pending"}], Status.INSUFFICIENT_EVIDENCE, "pending"),
        ([{"satisfactory": True}], Status.INSUFFICIENT_EVIDENCE, "undated"),
    ],
)  # fmt: skip
def test_suitability_checks_pending_and_undated(
    checks: list[dict[str, Any]], status: Status, words: str
) -> None:
    records = [{"id": f"s-{i}", "kind": "barred_list", **c} for i, c in enumerate(checks)]
    finding = judge(BARRED, make_bundle(suitability_checks=records), AS_OF)
    assert finding.status is status
    assert words in finding.message


REFS = {"kind": "references", "min": 2}
GOOD_REF = {"id": "ref-1", "received_on": "2024-01-01", "verified_on": "2024-01-02",
            "satisfactory": True}  # fmt: skip


def test_references_awaited_that_would_meet_it() -> None:
    pending = {"id": "ref-2", "status": "pending", "requested_on": "2024-05-01"}
    finding = judge(REFS, make_bundle(references=[GOOD_REF, pending]), AS_OF)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert (
        finding.message
        == "1 of 2 satisfactory reference(s); 1 requested and pending (not yet received)"
    )
    assert finding.evidence == ("ref-1", "ref-2")


def test_references_awaited_that_could_not_meet_it() -> None:
    pending = {"id": "ref-2", "status": "pending"}
    finding = judge({**REFS, "min": 3}, make_bundle(references=[GOOD_REF, pending]), AS_OF)
    assert finding.status is Status.NOT_MET


def test_a_required_qualification_awaiting_verification() -> None:
    rule = {"kind": "check_present", "check": "qualifications"}
    qual = {"id": "q-1", "qualification": "QTS", "status": "pending"}
    finding = judge(rule, make_bundle(qualification_checks=[qual]), AS_OF)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    unchecked = {"id": "q-2", "qualification": "JNC"}
    both = judge(rule, make_bundle(qualification_checks=[qual, unchecked]), AS_OF)
    assert both.status is Status.NOT_MET


def test_a_check_done_after_as_of_is_judged_pending_on_as_of() -> None:
    dbs = {**PENDING_DBS, "status": "completed", "issued_on": "2024-07-01"}
    finding = judge(ENHANCED, make_bundle(dbs_checks=[dbs]), AS_OF)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert "pending" in finding.message
