"""Rule-kind options added for the Dorset pack: each one tested at its boundary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeguard_std.domain.findings import Status
from safeguard_std.evaluate import evaluate
from tests.support import judge, make_bundle, make_pack

D = dt.date
AS_OF = D(2026, 1, 1)


# -- policy_current judged per policy ---------------------------------------------------------

POLICIES: list[dict[str, Any]] = [
    {"id": "pol-a", "kind": "whistleblowing", "last_reviewed_on": "2023-02-28"},
    {"id": "pol-b", "kind": "code_of_conduct", "last_reviewed_on": "2022-02-27"},
    {"id": "pol-c", "kind": "activity", "activity": "canoeing"},
    {"id": "pol-d", "kind": "safeguarding", "includes": ["whistleblowing"]},
]


def test_policy_current_judges_each_policy_on_its_own() -> None:
    pack = make_pack(
        {
            "subject": "policy",
            "rule": {
                "kind": "policy_current",
                "policies": ["whistleblowing", "code_of_conduct"],
                "review_period": "P3Y",
            },
        }
    )
    found = evaluate(pack, make_bundle({"policies": POLICIES}), as_of=D(2025, 2, 28)).findings
    got = {f.subject.id: (f.status, f.message, f.due_on) for f in found}
    assert got == {
        "pol-a": (Status.MET, "policy in date until 2026-02-28", D(2026, 2, 28)),
        "pol-b": (Status.NOT_MET, "policy review overdue since 2025-02-28", D(2025, 2, 27)),
        "pol-c": (Status.NOT_APPLICABLE, "not a code_of_conduct/whistleblowing policy", None),
        "pol-d": (
            Status.INSUFFICIENT_EVIDENCE,
            "the policy's approval or last review date is not recorded",
            None,
        ),
    }


# -- check_present: who saw the DBS certificate, which identity documents ----------------------

DBS: dict[str, Any] = {
    "id": "dbs-1",
    "level": "enhanced",
    "issued_on": "2024-02-29",
    "seen_on": "2024-03-04",
    "seen_by": "HR officer",
}


@pytest.mark.parametrize(
    ("drop", "status", "message"),
    [
        ((), Status.MET, "enhanced DBS check recorded"),
        (("seen_by",), Status.NOT_MET, "the DBS check does not record: seen_by"),
        (("seen_on", "seen_by"), Status.NOT_MET, "the DBS check does not record: seen_on, seen_by"),
    ],
)
def test_dbs_seen_and_by_whom(drop: tuple[str, ...], status: Status, message: str) -> None:
    dbs = {k: v for k, v in DBS.items() if k not in drop}
    rule = {"kind": "check_present", "check": "dbs", "require_seen_by": True}
    finding = judge(rule, make_bundle(dbs_checks=[dbs]), AS_OF)
    assert (finding.status, finding.message, finding.evidence) == (status, message, ("dbs-1",))


def test_identity_documents_seen() -> None:
    rule = {"kind": "check_present", "check": "identity", "require_documents": True}
    with_docs = {
        "id": "id-1",
        "checked_on": "2025-06-01",
        "documents": [{"type": "passport", "photo": True}],
    }
    assert judge(rule, make_bundle(identity_check=with_docs), AS_OF).status is Status.MET
    # An undated check cannot be shown to be valid, whatever it records.
    del with_docs["checked_on"]
    undated = judge(rule, make_bundle(identity_check=with_docs), AS_OF)
    assert undated.status is Status.INSUFFICIENT_EVIDENCE
    assert "undated" in undated.message
    finding = judge(rule, make_bundle(identity_check={"id": "id-1"}), AS_OF)
    assert (finding.status, finding.message) == (
        Status.NOT_MET,
        "the identity check does not record: documents seen",
    )


def test_require_seen_by_is_for_dbs_only() -> None:
    rule = {"kind": "check_present", "check": "identity", "require_seen_by": True}
    with pytest.raises(Exception, match=r"parameter\(s\) \['require_seen_by'\] do not apply"):
        judge(rule, make_bundle(), AS_OF)


# -- training_current without a period; training_by_start recognised -------------------------

DSL = {"kind": "training_current", "courses": ["dsl"], "require_recognised": True}


@pytest.mark.parametrize(
    ("training", "as_of", "status", "message"),
    [
        (
            [
                {
                    "id": "t-1",
                    "course": "dsl",
                    "completed_on": "2016-02-29",
                    "recognised_by_partnership": True,
                }
            ],
            D(2026, 1, 1),
            Status.MET,
            "dsl training completed on 2016-02-29",
        ),
        (
            [{"id": "t-1", "course": "dsl", "completed_on": "2016-02-29"}],
            D(2026, 1, 1),
            Status.NOT_MET,
            "no recognised dsl training is recorded",
        ),
        (
            [
                {
                    "id": "t-1",
                    "course": "dsl",
                    "completed_on": "2026-01-02",
                    "recognised_by_partnership": True,
                }
            ],
            D(2026, 1, 1),
            Status.NOT_MET,
            "no recognised dsl training is recorded",
        ),
        (
            [{"id": "t-1", "course": "dsl", "recognised_by_partnership": True}],
            D(2026, 1, 1),
            Status.INSUFFICIENT_EVIDENCE,
            "dsl training is recorded without a completion date",
        ),
    ],
)
def test_training_undertaken_without_a_period(
    training: list[dict[str, Any]], as_of: dt.date, status: Status, message: str
) -> None:
    finding = judge(DSL, make_bundle(training=training), as_of)
    assert (finding.status, finding.message, finding.due_on) == (status, message, None)


def test_future_completion_does_not_renew_a_lapsed_refresher() -> None:
    rule = {"kind": "training_current", "courses": ["child_protection"], "period": "P3Y"}
    training = [
        {"id": "t-1", "course": "child_protection", "completed_on": "2020-02-29"},
        {"id": "t-2", "course": "child_protection", "completed_on": "2023-03-02"},
    ]
    finding = judge(rule, make_bundle(training=training), D(2023, 3, 1))
    assert (finding.status, finding.due_on, finding.evidence) == (
        Status.NOT_MET,
        D(2023, 2, 28),
        ("t-1",),
    )


INDUCTION = {
    "kind": "training_by_start",
    "courses": ["induction_safeguarding"],
    "within": "P1M",
    "require_recognised": True,
}


@pytest.mark.parametrize(
    ("recognised", "status", "message"),
    [
        (True, Status.MET, "induction training completed"),
        (None, Status.NOT_MET, "no induction training recognised by the partnership by 2020-02-06"),
    ],
)
def test_induction_recognised_by_partnership(
    recognised: bool | None, status: Status, message: str
) -> None:
    training = [
        {
            "id": "t-1",
            "course": "induction_safeguarding",
            "completed_on": "2020-01-10",
            "recognised_by_partnership": recognised,
        }
    ]
    finding = judge(INDUCTION, make_bundle(training=training), AS_OF)
    assert (finding.status, finding.message) == (status, message)


# -- references only for people engaged longer than a period ----------------------------------

LONGER = {
    "kind": "references",
    "min": 2,
    "alternative_risk_assessment": "single_reference",
    "longer_than": "P3M",
}
ONE_REF = [
    {"id": "ref-1", "received_on": "2023-11-01", "verified_on": "2023-11-02", "satisfactory": True}
]


@pytest.mark.parametrize(
    ("end_on", "status"),
    [
        ("2024-02-29", Status.NOT_APPLICABLE),  # exactly three months after 29 November
        ("2024-03-01", Status.NOT_MET),
        (None, Status.NOT_MET),
    ],
)
def test_references_for_longer_term_staff(end_on: str | None, status: Status) -> None:
    engagement = {
        "id": "e-1",
        "role_type": "employee",
        "start_on": "2023-11-29",
        "end_on": end_on,
        "regulated_activity": "yes",
    }
    bundle = make_bundle(engagements=[engagement], references=ONE_REF)
    finding = judge(LONGER, bundle, D(2024, 1, 15))
    assert finding.status is status
    if status is Status.NOT_APPLICABLE:
        assert finding.message == "engaged for no longer than P3M"


# -- record_updated ---------------------------------------------------------------------------

UPDATED = {"kind": "record_updated", "within": "P7D"}


@pytest.mark.parametrize(
    ("updated", "as_of", "status", "due_on"),
    [
        ("2024-02-29", D(2024, 3, 20), Status.MET, None),
        ("2024-02-20", D(2024, 3, 6), Status.MET, D(2024, 3, 7)),
        ("2024-02-20", D(2024, 3, 7), Status.MET, D(2024, 3, 7)),
        ("2024-02-20", D(2024, 3, 8), Status.NOT_MET, D(2024, 3, 7)),
        (None, D(2024, 3, 8), Status.INSUFFICIENT_EVIDENCE, None),
    ],
)
def test_record_updated_after_its_latest_change(
    updated: str | None, as_of: dt.date, status: Status, due_on: dt.date | None
) -> None:
    identity = {"id": "id-1", "checked_on": "2024-02-29"}
    bundle = make_bundle(identity_check=identity, record_updated_on=updated)
    finding = judge(UPDATED, bundle, as_of)
    assert (finding.status, finding.due_on, finding.evidence) == (status, due_on, ("id-1",))


def test_record_updated_messages_and_future_changes() -> None:
    identity = {"id": "id-1", "checked_on": "2024-02-29"}
    bundle = make_bundle(identity_check=identity, record_updated_on="2024-02-20")
    assert judge(UPDATED, bundle, D(2024, 3, 8)).message == (
        "record last updated on 2024-02-20, before a change on 2024-02-29; it was due by 2024-03-07"
    )
    # The check has not happened yet on as_of, and a start date is not a change.
    early = judge(UPDATED, bundle, D(2024, 2, 21))
    assert (early.status, early.message) == (
        Status.NOT_APPLICABLE,
        "the record holds no dated change",
    )
    # A leaving date is a change the record must show.
    leaver = make_bundle(
        engagements=[
            {"id": "e-1", "role_type": "employee", "start_on": "2020-01-06", "end_on": "2024-03-31"}
        ],
        record_updated_on="2024-03-01",
    )
    late = judge(UPDATED, leaver, D(2024, 3, 31))
    assert (late.status, late.evidence, late.due_on) == (Status.MET, ("e-1",), D(2024, 4, 7))
    missing = judge(UPDATED, make_bundle(identity_check=identity), D(2024, 3, 8))
    assert (missing.status, missing.message) == (
        Status.INSUFFICIENT_EVIDENCE,
        "the record does not say when it was last updated",
    )
