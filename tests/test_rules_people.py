"""references, disclosure_followed_up, training_current, training_by_start."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeguard_std.domain.findings import Status
from tests.support import judge, make_bundle

D = dt.date


def ref(i: int, **kw: Any) -> dict[str, Any]:
    return {
        "id": f"ref-{i}",
        "received_on": "2019-12-01",
        "verified_on": "2019-12-02",
        "satisfactory": True,
        **kw,
    }


REFS = {"kind": "references", "min": 2, "alternative_risk_assessment": "single_reference"}


@pytest.mark.parametrize(
    ("refs", "extra", "status", "message"),
    [
        ([ref(1), ref(2)], {}, Status.MET, "2 satisfactory reference(s)"),
        (
            [ref(1)],
            {},
            Status.NOT_MET,
            "1 of 2 satisfactory verified reference(s) and no single_reference risk assessment",
        ),
        (
            [ref(1)],
            {
                "risk_assessments": [
                    {"id": "ra-1", "kind": "single_reference", "completed_on": "2020-01-10"}
                ]
            },
            Status.MET,
            "1 satisfactory reference(s) and a single_reference risk assessment",
        ),
        (
            [ref(1), ref(2, verified_on=None)],
            {},
            Status.NOT_MET,
            "1 of 2 satisfactory verified reference(s); 1 awaiting verification and no "
            "single_reference risk assessment",
        ),
        (
            [ref(1), ref(2, open_reference=True)],
            {},
            Status.NOT_MET,
            "1 of 2 satisfactory verified reference(s) and no single_reference risk assessment",
        ),
        (
            [ref(1), ref(2, supplied_by_candidate=True)],
            {},
            Status.NOT_MET,
            "1 of 2 satisfactory verified reference(s) and no single_reference risk assessment",
        ),
        (
            [ref(1), ref(2, satisfactory=None)],
            {},
            Status.NOT_MET,
            "1 of 2 satisfactory verified reference(s) and no single_reference risk assessment",
        ),
    ],
)
def test_references(refs: list[Any], extra: dict[str, Any], status: Status, message: str) -> None:
    finding = judge(REFS, make_bundle(references=refs, **extra), D(2026, 1, 1))
    assert (finding.status, finding.message) == (status, message)


DISCLOSED = {
    "id": "dbs-1",
    "level": "enhanced",
    "issued_on": "2024-05-01",
    "disclosure": "information_disclosed",
}
FOLLOW_RA = {
    "kind": "disclosure_followed_up",
    "requires": "risk_assessment",
    "require_shared_with_lado": True,
}


def test_no_disclosure_is_not_applicable() -> None:
    clear = {**DISCLOSED, "disclosure": "clear"}
    finding = judge(FOLLOW_RA, make_bundle(dbs_checks=[clear]), D(2026, 1, 1))
    assert finding.status is Status.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("assessments", "status"),
    [
        ([], Status.NOT_MET),
        (
            [{"id": "ra-1", "kind": "dbs_disclosure", "completed_on": "2024-05-03"}],
            Status.NOT_MET,
        ),  # not shared with the LADO
        (
            [
                {
                    "id": "ra-1",
                    "kind": "dbs_disclosure",
                    "completed_on": "2024-05-03",
                    "shared_with_lado_on": "2024-05-04",
                }
            ],
            Status.MET,
        ),
        (
            [
                {
                    "id": "ra-1",
                    "kind": "dbs_disclosure",
                    "completed_on": "2024-04-30",
                    "shared_with_lado_on": "2024-05-04",
                }
            ],
            Status.NOT_MET,
        ),  # before the certificate
        (
            [
                {
                    "id": "ra-1",
                    "kind": "dbs_disclosure",
                    "completed_on": "2024-04-30",
                    "shared_with_lado_on": "2024-05-04",
                    "relates_to": "dbs-1",
                }
            ],
            Status.MET,
        ),
    ],
)
def test_disclosure_risk_assessment(assessments: list[Any], status: Status) -> None:
    bundle = make_bundle(dbs_checks=[DISCLOSED], risk_assessments=assessments)
    assert judge(FOLLOW_RA, bundle, D(2026, 1, 1)).status is status


def test_disclosure_lado_notification() -> None:
    rule = {"kind": "disclosure_followed_up", "requires": "lado_notification"}
    bundle = make_bundle(dbs_checks=[DISCLOSED])
    finding = judge(rule, bundle, D(2026, 1, 1))
    assert (finding.message, finding.facts["lacking"]) == (
        "1 DBS disclosure(s) without a LADO notification",
        ["dbs-1"],
    )
    notified = make_bundle(
        dbs_checks=[DISCLOSED], lado_notifications=[{"id": "lado-1", "notified_on": "2024-05-02"}]
    )
    assert judge(rule, notified, D(2026, 1, 1)).status is Status.MET


TRAINING = {
    "kind": "training_current",
    "courses": ["child_protection", "safeguarding_refresher"],
    "period": "P3Y",
}


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2027, 2, 27), Status.MET), (D(2027, 2, 28), Status.MET), (D(2027, 3, 1), Status.NOT_MET)],
)
def test_training_current_from_29_february(as_of: dt.date, status: Status) -> None:
    training = [{"id": "t-1", "course": "child_protection", "completed_on": "2024-02-29"}]
    finding = judge(TRAINING, make_bundle(training=training), as_of)
    assert (finding.status, finding.due_on) == (status, D(2027, 2, 28))


def test_training_latest_of_several_courses_counts() -> None:
    training = [
        {"id": "t-1", "course": "child_protection", "completed_on": "2019-01-01"},
        {"id": "t-2", "course": "safeguarding_refresher", "completed_on": "2025-01-01"},
    ]
    finding = judge(TRAINING, make_bundle(training=training), D(2026, 1, 1))
    assert (finding.status, finding.evidence) == (Status.MET, ("t-2",))


def test_dsl_training_must_be_recognised_when_asked() -> None:
    rule = {
        "kind": "training_current",
        "courses": ["dsl"],
        "period": "P2Y",
        "require_recognised": True,
    }
    training = [
        {
            "id": "t-1",
            "course": "dsl",
            "completed_on": "2025-01-01",
            "recognised_by_partnership": False,
        }
    ]
    finding = judge(rule, make_bundle(training=training), D(2026, 1, 1))
    assert (finding.status, finding.message) == (
        Status.NOT_MET,
        "no recognised dsl training is recorded",
    )


def test_undated_training_is_insufficient() -> None:
    training = [{"id": "t-1", "course": "child_protection"}]
    finding = judge(TRAINING, make_bundle(training=training), D(2026, 1, 1))
    assert finding.status is Status.INSUFFICIENT_EVIDENCE


INDUCTION = {
    "kind": "training_by_start",
    "courses": ["induction_safeguarding"],
    "within": "P1M",
    "require_online_safety": True,
}
STARTER = [{"id": "e-1", "role_type": "volunteer", "start_on": "2024-01-31"}]


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (D(2024, 2, 28), Status.NOT_APPLICABLE),
        (D(2024, 2, 29), Status.NOT_APPLICABLE),
        (D(2024, 3, 1), Status.NOT_MET),
    ],
)
def test_induction_due_a_month_after_start(as_of: dt.date, status: Status) -> None:
    finding = judge(INDUCTION, make_bundle(engagements=STARTER), as_of)
    assert (finding.status, finding.due_on) == (status, D(2024, 2, 29))


def test_induction_must_cover_online_safety() -> None:
    training = [{"id": "t-1", "course": "induction_safeguarding", "completed_on": "2024-02-01"}]
    finding = judge(INDUCTION, make_bundle(engagements=STARTER, training=training), D(2024, 6, 1))
    assert finding.message == "no induction training covering online safety by 2024-02-29"
    training[0]["includes_online_safety"] = True
    finding = judge(INDUCTION, make_bundle(engagements=STARTER, training=training), D(2024, 6, 1))
    assert finding.status is Status.MET
