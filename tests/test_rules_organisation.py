"""Rule kinds judged per provider, contract or panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeguard_std.domain.findings import Status
from safeguard_std.domain.organisation import EvidenceBundle
from tests.support import judge, make_bundle

D = dt.date
AS_OF = D(2026, 1, 1)
PROVIDER = {"subject": "provider"}


def person(pid: str, **kw: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "engagements": [{"id": f"e-{pid}", "role_type": "employee", "start_on": "2020-01-01"}],
        **kw,
    }


def roles(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {
        "people": [person("p-1"), person("p-2")],
        "lead_roles": [{"id": f"r-{k}", "kind": k, "person_id": p} for k, p in pairs],
    }


ROLE = {"kind": "role_held", "roles": ["dsl", "deputy_dsl"]}


@pytest.mark.parametrize(
    ("pairs", "status", "message"),
    [
        (
            (("dsl", "p-1"), ("deputy_dsl", "p-2")),
            Status.MET,
            "held by a current person: dsl, deputy_dsl",
        ),
        ((("dsl", "p-1"),), Status.NOT_MET, "no currently engaged holder of: deputy_dsl"),
        (
            (("dsl", "p-1"), ("deputy_dsl", "p-1")),
            Status.NOT_MET,
            "one person holds roles that must be held by different people",
        ),
    ],
)
def test_role_held(pairs: tuple[tuple[str, str], ...], status: Status, message: str) -> None:
    finding = judge(ROLE, make_bundle(roles(*pairs)), AS_OF, **PROVIDER)
    assert (finding.status, finding.message) == (status, message)


def test_role_holder_who_left_does_not_count() -> None:
    data = roles(("dsl", "p-1"), ("deputy_dsl", "p-2"))
    data["people"][1]["engagements"][0]["end_on"] = "2025-12-31"
    finding = judge(ROLE, make_bundle(data), AS_OF, **PROVIDER)
    assert finding.message == "no currently engaged holder of: deputy_dsl"


POLICY = {"kind": "policy_current", "policies": ["safeguarding"], "review_period": "P1Y"}


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2025, 2, 27), Status.MET), (D(2025, 2, 28), Status.MET), (D(2025, 3, 1), Status.NOT_MET)],
)
def test_policy_reviewed_annually_from_29_february(as_of: dt.date, status: Status) -> None:
    policies = [
        {
            "id": "pol-1",
            "kind": "safeguarding",
            "approved_on": "2023-06-01",
            "last_reviewed_on": "2024-02-29",
        }
    ]
    finding = judge(POLICY, make_bundle({"policies": policies}), as_of, **PROVIDER)
    assert (finding.status, finding.due_on) == (status, D(2025, 2, 28))


def test_policy_own_next_review_date_can_come_first() -> None:
    policies = [
        {
            "id": "pol-1",
            "kind": "safeguarding",
            "approved_on": "2025-06-01",
            "next_review_on": "2025-12-01",
        }
    ]
    finding = judge(POLICY, make_bundle({"policies": policies}), AS_OF, **PROVIDER)
    assert (finding.status, finding.message) == (
        Status.NOT_MET,
        "policy review overdue since 2025-12-02",
    )


def test_policy_as_a_section_of_another() -> None:
    policies = [
        {
            "id": "pol-1",
            "kind": "safeguarding",
            "approved_on": "2025-06-01",
            "includes": ["managing_allegations"],
        }
    ]
    rule = {"kind": "policy_current", "policies": ["managing_allegations"]}
    finding = judge(rule, make_bundle({"policies": policies}), AS_OF, **PROVIDER)
    assert (finding.status, finding.evidence) == (Status.MET, ("pol-1",))
    assert judge(rule, make_bundle(), AS_OF, **PROVIDER).message == (
        "no managing_allegations policy is recorded"
    )


def test_policy_published_website_only_when_there_is_one() -> None:
    rule = {
        "kind": "policy_published",
        "policies": ["safeguarding"],
        "require": ["published_on_website"],
    }
    policies = [{"id": "pol-1", "kind": "safeguarding", "published_on_website": False}]

    def provider(**website: Any) -> EvidenceBundle:
        plain = {"id": "prov-1", "name": "T", "kind": "youth", "legal_form": "charity"}
        return make_bundle({"policies": policies, "provider": plain | website})

    no_site = provider(has_website=False)
    assert judge(rule, no_site, AS_OF, **PROVIDER).status is Status.NOT_APPLICABLE
    site = provider(website_url="https://example.org")
    assert judge(rule, site, AS_OF, **PROVIDER).status is Status.NOT_MET
    # Not recorded whether there is a website: "not on the website" may be "no website".
    unknown = judge(rule, provider(), AS_OF, **PROVIDER)
    assert (unknown.status, unknown.message) == (
        Status.INSUFFICIENT_EVIDENCE,
        "not recorded: provider.has_website",
    )
    # A policy published on a website shows there is one.
    shown = [{"id": "pol-1", "kind": "safeguarding", "published_on_website": True}]
    plain = {"id": "prov-1", "name": "T", "kind": "youth", "legal_form": "charity"}
    published = make_bundle({"policies": shown, "provider": plain})
    assert judge(rule, published, AS_OF, **PROVIDER).status is Status.MET


RECENT = {"kind": "recent_record", "records": "training_needs_analyses", "period": "P1Y"}


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2025, 2, 27), Status.MET), (D(2025, 2, 28), Status.MET), (D(2025, 3, 1), Status.NOT_MET)],
)
def test_recent_record(as_of: dt.date, status: Status) -> None:
    data = {"training_needs_analyses": [{"id": "tna-1", "reviewed_on": "2024-02-29"}]}
    assert judge(RECENT, make_bundle(data), as_of, **PROVIDER).status is status


def test_recent_record_with_filter_and_no_record() -> None:
    rule = {**RECENT, "where": {"includes_board": True}}
    data = {
        "training_needs_analyses": [
            {"id": "tna-1", "reviewed_on": "2025-06-01", "includes_board": False}
        ]
    }
    finding = judge(rule, make_bundle(data), AS_OF, **PROVIDER)
    assert (finding.status, finding.message) == (
        Status.NOT_MET,
        "no training needs analyses recorded",
    )


def test_records_dated_after_as_of_do_not_count() -> None:
    data = {"training_needs_analyses": [{"id": "tna-1", "reviewed_on": "2026-06-01"}]}
    assert judge(RECENT, make_bundle(data), AS_OF, **PROVIDER).status is Status.NOT_MET


CONTRACT: dict[str, Any] = {
    "id": "c-1",
    "commissioner": "Test Council",
    "risk_tier": "high",
    "thematic_checks": [{"id": "th-1", "completed_on": "2025-07-01"}],
}
TIERS = {
    "kind": "recent_record",
    "records": "thematic_checks",
    "period_by_risk_tier": {"high": "P6M", "medium": "P12M", "low": "P24M"},
}


@pytest.mark.parametrize(
    ("tier", "as_of", "status"),
    [
        ("high", D(2026, 1, 1), Status.MET),
        ("high", D(2026, 1, 2), Status.NOT_MET),
        ("low", D(2027, 7, 1), Status.MET),
        ("low", D(2027, 7, 2), Status.NOT_MET),
        (None, D(2026, 1, 1), Status.INSUFFICIENT_EVIDENCE),
    ],
)
def test_thematic_checks_by_risk_tier(tier: str | None, as_of: dt.date, status: Status) -> None:
    bundle = make_bundle({"contract": {**CONTRACT, "risk_tier": tier}})
    assert judge(TIERS, bundle, as_of, subject="contract").status is status


def test_missing_contract_is_insufficient_evidence() -> None:
    finding = judge(TIERS, make_bundle(), AS_OF, subject="contract")
    assert (finding.status, str(finding.subject)) == (Status.INSUFFICIENT_EVIDENCE, "contract:-")


RESPONDED = {"kind": "responded_by_due", "records": "self_audits"}


@pytest.mark.parametrize(
    ("audit", "status"),
    [
        (
            {"requested_on": "2025-09-01", "due_on": "2025-10-01", "submitted_on": "2025-10-01"},
            Status.MET,
        ),
        (
            {"requested_on": "2025-09-01", "due_on": "2025-10-01", "submitted_on": "2025-10-02"},
            Status.NOT_MET,
        ),
        ({"requested_on": "2025-09-01", "due_on": "2025-12-31"}, Status.NOT_MET),
        ({"requested_on": "2025-09-01", "due_on": "2026-01-01"}, Status.MET),  # due today
        ({"requested_on": "2026-02-01", "due_on": "2026-03-01"}, Status.NOT_APPLICABLE),
    ],
)
def test_self_audit_submitted_by_due(audit: dict[str, Any], status: Status) -> None:
    bundle = make_bundle({"self_audits": [{"id": "sa-1", **audit}]})
    assert judge(RESPONDED, bundle, AS_OF, **PROVIDER).status is status


def test_actions_complete() -> None:
    rule = {"kind": "actions_complete"}
    items = [
        {"id": "a-1", "due_on": "2025-11-30", "completed_on": "2025-12-05"},
        {"id": "a-2", "due_on": "2025-12-31"},
    ]
    bundle = make_bundle({"self_audits": [{"id": "sa-1", "action_plan": items}]})
    finding = judge(rule, bundle, AS_OF, **PROVIDER)
    assert (finding.status, finding.facts["overdue"]) == (Status.NOT_MET, ["a-2"])
    assert judge(rule, bundle, D(2025, 12, 31), **PROVIDER).facts["completed_late"] == ["a-1"]


def test_count_and_every_record_on_the_contract() -> None:
    contract = {
        **CONTRACT,
        "metrics": [{"id": "m-1", "name": "DBS", "topic": "safeguarding"}],
        "monitoring_meetings": [
            {"id": "mm-1", "held_on": "2025-05-01", "safeguarding_discussed": True},
            {"id": "mm-2", "held_on": "2025-08-01"},
        ],
    }
    bundle = make_bundle({"contract": contract})
    count = {
        "kind": "count_at_least",
        "records": "contract_metrics",
        "where": {"topic": "safeguarding"},
    }
    assert judge(count, bundle, AS_OF, subject="contract").status is Status.MET
    every = {
        "kind": "every_record",
        "records": "monitoring_meetings",
        "require": {"safeguarding_discussed": True},
    }
    finding = judge(every, bundle, AS_OF, subject="contract")
    assert (finding.status, finding.facts["unknown"]) == (Status.INSUFFICIENT_EVIDENCE, ["mm-2"])


PANEL = {"kind": "panel_trained"}


def panel_bundle(chair_trained: bool, member_trained: bool) -> Any:
    def trained(flag: bool) -> list[dict[str, Any]]:
        return (
            [{"id": f"t-{flag}", "course": "safer_recruitment", "completed_on": "2024-02-29"}]
            if flag
            else []
        )

    people = [
        person("p-1", training=trained(chair_trained)),
        {**person("p-2"), "training": [{**t, "id": "t2"} for t in trained(member_trained)]},
    ]
    panels = [
        {
            "id": "pan-1",
            "interview_on": "2024-02-29",
            "members": [{"person_id": "p-1", "is_chair": True}, {"person_id": "p-2"}],
        }
    ]
    return make_bundle({"people": people, "recruitment_panels": panels})


@pytest.mark.parametrize(
    ("chair", "member", "strict", "status"),
    [
        (False, False, False, Status.NOT_MET),
        (False, True, False, Status.MET),
        (False, True, True, Status.NOT_MET),
        (True, False, True, Status.MET),
    ],
)
def test_panel_trained(chair: bool, member: bool, strict: bool, status: Status) -> None:
    rule = {**PANEL, "chair_must_be_trained": strict}
    finding = judge(rule, panel_bundle(chair, member), AS_OF, subject="panel")
    assert finding.status is status


def test_training_after_the_interview_does_not_count() -> None:
    bundle = panel_bundle(True, False)
    finding = judge(PANEL, bundle, AS_OF, subject="panel")
    assert finding.status is Status.MET
    late = make_bundle(
        {
            **{
                "people": [
                    person(
                        "p-1",
                        training=[
                            {
                                "id": "t-1",
                                "course": "safer_recruitment",
                                "completed_on": "2024-03-01",
                            }
                        ],
                    )
                ]
            },
            "recruitment_panels": [
                {
                    "id": "pan-1",
                    "interview_on": "2024-02-29",
                    "members": [{"person_id": "p-1", "is_chair": True}],
                }
            ],
        }
    )
    assert judge(PANEL, late, AS_OF, subject="panel").status is Status.NOT_MET


ATTEST = {"kind": "attested"}


def test_attestation_is_never_silent() -> None:
    finding = judge(ATTEST, make_bundle(), AS_OF, **PROVIDER)
    assert (finding.status, finding.message) == (
        Status.INSUFFICIENT_EVIDENCE,
        "needs an attestation by a reader",
    )


@pytest.mark.parametrize(
    ("outcome", "allow_partial", "status"),
    [
        ("met", False, Status.MET),
        ("not_met", False, Status.NOT_MET),
        ("partially_met", False, Status.NOT_MET),
        ("partially_met", True, Status.MET),
    ],
)
def test_attestation_outcomes(outcome: str, allow_partial: bool, status: Status) -> None:
    att = [
        {
            "id": "att-1",
            "requirement_id": "R-1",
            "outcome": outcome,
            "attested_on": "2025-06-01",
            "attested_by": "Quality lead",
        }
    ]
    rule = {**ATTEST, "allow_partial": allow_partial}
    finding = judge(rule, make_bundle({"attestations": att}), AS_OF, **PROVIDER)
    assert finding.status is status
    assert "Quality lead" not in finding.message


def test_attestation_after_as_of_does_not_count() -> None:
    att = [{"id": "att-1", "requirement_id": "R-1", "outcome": "met", "attested_on": "2026-01-02"}]
    finding = judge(ATTEST, make_bundle({"attestations": att}), AS_OF, **PROVIDER)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE


def test_policy_topics_satisfy_an_attested_requirement() -> None:
    rule = {**ATTEST, "policies": ["safeguarding"], "topics": ["indicators_of_abuse"]}
    policies = [{"id": "pol-1", "kind": "safeguarding", "topics": ["indicators_of_abuse"]}]
    assert judge(rule, make_bundle({"policies": policies}), AS_OF, **PROVIDER).status is (
        Status.MET
    )
    policies[0]["topics"] = []
    finding = judge(rule, make_bundle({"policies": policies}), AS_OF, **PROVIDER)
    assert finding.message == "no attestation that the policy covers: indicators_of_abuse"


DOCS = {
    "wt": {
        "title": "Working Together to Safeguard Children (2015)",
        "accepted": ["Working Together to Safeguard Children 2023"],
    }
}


@pytest.mark.parametrize(
    ("cited", "status", "message"),
    [
        (
            ["Working together to safeguard children 2023"],
            Status.MET,
            "references wt as 'Working Together to Safeguard Children 2023'",
        ),
        (
            ["Working Together to Safeguard Children (2015)"],
            Status.MET,
            "references wt as 'Working Together to Safeguard Children (2015)'",
        ),
        (["Working Together 2018"], Status.NOT_MET, "does not reference: document wt"),
    ],
)
def test_documents_referenced_with_successors(
    cited: list[str], status: Status, message: str
) -> None:
    contract = {**CONTRACT, "safeguarding_clause": {"references": cited}}
    rule = {"kind": "documents_referenced", "documents": ["wt"]}
    pack_req = {"subject": "contract"}
    from safeguard_std.evaluate import evaluate
    from tests.support import make_pack

    pack = make_pack({"rule": rule, **pack_req}, documents=DOCS)
    (finding,) = evaluate(pack, make_bundle({"contract": contract}), as_of=AS_OF).findings
    assert (finding.status, finding.message) == (status, message)


def test_waiver_keeps_the_underlying_status() -> None:
    waivers = [
        {
            "id": "w-1",
            "requirement_id": "R-1",
            "granted_on": "2025-01-01",
            "expires_on": "2026-01-01",
            "reason": "Agreed with the commissioner",
        }
    ]
    finding = judge(ATTEST, make_bundle({"waivers": waivers}), AS_OF, **PROVIDER)
    assert finding.status is Status.WAIVED
    assert finding.facts["waived_status"] == "insufficient_evidence"
    assert finding.message.startswith("waived until 2026-01-01 by w-1; would be")
    assert (
        judge(ATTEST, make_bundle({"waivers": waivers}), D(2026, 1, 2), **PROVIDER).status
        is Status.INSUFFICIENT_EVIDENCE
    )
