"""Pending and undated checks: applied for and not yet done is recorded honestly, and never
counts as a valid check."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from safeguard_std.domain._base import FieldValueError
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
from tests.support import BASE_BUNDLE, make_bundle

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
