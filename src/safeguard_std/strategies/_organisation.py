"""Makers for the provider, its lead roles, policies, assurance records and contract.

Vocabularies (topics, document titles, activities) are shared with the pack strategies, so a
random bundle sometimes covers what a random pack asks for, and a compliant one always can.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st

from safeguard_std.domain.allegations import Allegation, AllegationOutcome
from safeguard_std.domain.organisation import (
    ActionItem,
    Attestation,
    AttestationOutcome,
    Contract,
    ContractMetric,
    InformationRequest,
    LeadRole,
    LeadRoleKind,
    LegalForm,
    MonitoringMeeting,
    PanelMember,
    PolicyDocument,
    PolicyKind,
    Provider,
    ProviderKind,
    RecordReview,
    RecruitmentPanel,
    Regulator,
    RiskTier,
    SafeguardingClause,
    Section11Audit,
    SelfAudit,
    Subscription,
    SubscriptionKind,
    ThematicCheck,
    TrainingNeedsAnalysis,
    Waiver,
)
from safeguard_std.strategies._gen import Gen

_WEEK = dt.timedelta(days=7)

__all__ = [
    "ACTIVITIES",
    "DOCUMENTS",
    "LOCAL_AREAS",
    "TOPICS",
    "VOCABULARY",
    "make_action_item",
    "make_attestation",
    "make_contract",
    "make_contract_metric",
    "make_information_request",
    "make_lead_role",
    "make_monitoring_meeting",
    "make_panel_member",
    "make_policy",
    "make_provider",
    "make_record_review",
    "make_recruitment_panel",
    "make_safeguarding_clause",
    "make_section11_audit",
    "make_self_audit",
    "make_subscription",
    "make_thematic_check",
    "make_training_needs_analysis",
    "make_waiver",
    "strings",
]

#: Topics a policy or contract clause may be recorded as covering.
TOPICS = (
    "indicators_of_abuse",
    "online_safety",
    "safer_recruitment",
    "whistleblowing",
    "information_sharing",
    "lado_referral",
    "child_sexual_exploitation",
)

#: Documents standards name: (key, original title, accepted successor titles).
DOCUMENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("children_act_1989", "Children Act 1989", ()),
    ("children_act_2004", "Children Act 2004", ()),
    (
        "working_together",
        "Working Together to Safeguard Children 2015",
        (
            "Working Together to Safeguard Children 2018",
            "Working Together to Safeguard Children 2023",
        ),
    ),
    (
        "london_procedures",
        "London Child Protection Procedures 5th edition",
        ("London Safeguarding Children Procedures",),
    ),
    ("dbs_guidance", "Criminal record checks: guidance for employers", ()),
)

ACTIVITIES = ("test_swimming", "test_residential_trips", "test_online_tutoring")
LOCAL_AREAS = ("Example Borough", "Example City")

#: Values for the free-text fields of records (what ``where``/``require`` filters compare).
VOCABULARY = ("alpha", "beta")

_ALL_TITLES = tuple(name for _k, title, accepted in DOCUMENTS for name in (title, *accepted))
_PEOPLE_NAMES = ("Test Approver", "Test Reviewer", "Test Commissioner")


def strings(values: Iterable[str]) -> Any:
    """A frozenset for a set-valued field (typed ``Any``: mypy cannot solve the element type of
    a field whose attrs converter is ``frozenset``)."""
    return frozenset(values)


def make_provider(gen: Gen) -> Provider:
    """A provider of any kind and legal form; ``serves_age_max`` is never below the minimum.

    Its regulators, areas and activities are each not recorded (``None``, what they shrink
    to), recorded as none, or some; its website not recorded, recorded as none, or one (with
    or without its address)."""
    low = gen.maybe(lambda: gen.integer(0, 25))
    high = gen.maybe(lambda: gen.integer(low or 0, 30))
    n = gen.number("provider")
    regulators = gen.maybe(lambda: frozenset(gen.subset(list(Regulator))))
    areas = gen.maybe(lambda: strings(gen.subset(LOCAL_AREAS)))
    activities = gen.maybe(lambda: strings(gen.subset(ACTIVITIES)))
    website = gen.flag()
    return Provider(
        id=gen.id("prov"),
        name=f"Example Provider {n}",
        kind=gen.choice(list(ProviderKind)),
        legal_form=gen.choice(list(LegalForm)),
        education=gen.flag(),
        serves_age_min=low,
        serves_age_max=high,
        regulators=regulators,
        local_areas=areas,
        activities=activities,
        website_url=gen.maybe(lambda: f"https://provider-{n}.example") if website else None,
        has_website=website,
        records_held_centrally=gen.flag(),
    )


def make_lead_role(gen: Gen, person_ids: tuple[str, ...]) -> LeadRole:
    """A lead role held by one of ``person_ids``."""
    start = gen.maybe(gen.past)
    return LeadRole(
        id=gen.id("role"),
        kind=gen.choice(list(LeadRoleKind)),
        person_id=gen.choice(person_ids),
        start_on=start,
        end_on=gen.maybe(lambda: gen.between(start, gen.future()) if start else gen.around()),
        in_job_description=gen.flag(),
    )


def make_policy(gen: Gen) -> PolicyDocument:
    """A policy with approval and review dates in order, flags, topics and references."""
    kind = gen.choice(list(PolicyKind))
    approved = gen.maybe(gen.past)
    reviewed = gen.maybe(lambda: gen.between(approved, gen.as_of) if approved else gen.past())
    latest = max((d for d in (approved, reviewed) if d is not None), default=None)
    return PolicyDocument(
        id=gen.id("pol"),
        kind=kind,
        title=gen.maybe(lambda: f"Test {kind.value.replace('_', ' ')} policy"),
        version=gen.maybe(lambda: str(gen.integer(1, 9))),
        activity=gen.choice(ACTIVITIES) if kind is PolicyKind.ACTIVITY else None,
        approved_on=approved,
        approved_by=gen.maybe(lambda: gen.choice(_PEOPLE_NAMES)),
        last_reviewed_on=reviewed,
        next_review_on=gen.maybe(
            lambda: gen.between(latest, gen.future()) if latest else gen.around()
        ),
        published_to_staff=gen.flag(),
        published_on_website=gen.flag(),
        issued_at_induction=gen.flag(),
        covered_in_training=gen.flag(),
        includes=frozenset(gen.subset(list(PolicyKind))[:2]),
        topics=strings(gen.subset(TOPICS)),
        references=strings(gen.subset(_ALL_TITLES)[:3]),
    )


def make_training_needs_analysis(gen: Gen) -> TrainingNeedsAnalysis:
    """A training needs analysis and its last review."""
    return TrainingNeedsAnalysis(
        id=gen.id("tna"),
        reviewed_on=gen.maybe(gen.past),
        includes_board=gen.flag(),
    )


def make_panel_member(gen: Gen, person_ids: tuple[str, ...]) -> PanelMember:
    """A panel member who is one of ``person_ids``."""
    return PanelMember(person_id=gen.choice(person_ids), is_chair=gen.boolean())


def make_recruitment_panel(gen: Gen, person_ids: tuple[str, ...]) -> RecruitmentPanel:
    """An interview panel drawn from ``person_ids`` (no members when there is nobody)."""
    members = gen.some(lambda: make_panel_member(gen, person_ids), max_size=3) if person_ids else ()
    return RecruitmentPanel(
        id=gen.id("panel"),
        interview_on=gen.around(),
        post=gen.maybe(lambda: f"Test Post {gen.number('post')}"),
        members=members,
        appointee_id=gen.maybe(lambda: gen.choice(person_ids)) if person_ids else None,
    )


def make_record_review(gen: Gen) -> RecordReview:
    """A review of the single central record."""
    return RecordReview(
        id=gen.id("rev"),
        reviewed_on=gen.past(),
        reviewed_by=gen.maybe(lambda: gen.choice(VOCABULARY)),
    )


def make_action_item(gen: Gen) -> ActionItem:
    """An action-plan item, due either side of ``as_of``, perhaps completed."""
    due = gen.maybe(gen.around)
    return ActionItem(
        id=gen.id("act"),
        description=gen.maybe(lambda: gen.choice(VOCABULARY)),
        due_on=due,
        completed_on=gen.maybe(gen.past),
    )


def make_self_audit(gen: Gen) -> SelfAudit:
    """A requested self-audit, its due date, submission and action plan."""
    requested = gen.maybe(gen.past)
    return SelfAudit(
        id=gen.id("audit"),
        requested_on=requested,
        due_on=gen.maybe(
            lambda: gen.between(requested, gen.future()) if requested else gen.around()
        ),
        submitted_on=gen.maybe(gen.past),
        action_plan=gen.some(lambda: make_action_item(gen), max_size=2),
    )


def make_subscription(gen: Gen, person_ids: tuple[str, ...] = ()) -> Subscription:
    """A subscription to partnership updates, perhaps ended."""
    start = gen.maybe(gen.past)
    return Subscription(
        id=gen.id("sub"),
        kind=gen.choice(list(SubscriptionKind)),
        subscribed_on=start,
        ended_on=gen.maybe(lambda: gen.between(start, gen.future()) if start else gen.around()),
        person_id=gen.maybe(lambda: gen.choice(person_ids)) if person_ids else None,
    )


def make_information_request(gen: Gen) -> InformationRequest:
    """A council's request for information and when it was answered."""
    return InformationRequest(
        id=gen.id("req"),
        subject=gen.choice(VOCABULARY),
        requested_on=gen.maybe(gen.past),
        due_on=gen.maybe(gen.around),
        provided_on=gen.maybe(gen.past),
    )


def make_safeguarding_clause(gen: Gen) -> SafeguardingClause:
    """A contract clause with the topics and documents it was recorded as covering."""
    return SafeguardingClause(
        topics=strings(gen.subset(TOPICS)), references=strings(gen.subset(_ALL_TITLES))
    )


def make_contract_metric(gen: Gen) -> ContractMetric:
    """A performance metric in the contract."""
    return ContractMetric(
        id=gen.id("metric"), name=gen.choice(VOCABULARY), topic=gen.choice(VOCABULARY)
    )


def make_monitoring_meeting(gen: Gen) -> MonitoringMeeting:
    """A contract monitoring meeting."""
    return MonitoringMeeting(
        id=gen.id("meet"), held_on=gen.around(), safeguarding_discussed=gen.flag()
    )


def make_section11_audit(gen: Gen) -> Section11Audit:
    """A Section 11 audit at tender or in the board's cycle."""
    return Section11Audit(
        id=gen.id("s11"),
        stage=gen.choice(("tender", "cycle")),
        submitted_on=gen.maybe(gen.past),
    )


def make_thematic_check(gen: Gen) -> ThematicCheck:
    """A thematic quality-assurance check."""
    return ThematicCheck(
        id=gen.id("theme"), completed_on=gen.past(), theme=gen.maybe(lambda: gen.choice(VOCABULARY))
    )


def make_contract(gen: Gen) -> Contract:
    """A commissioner's contract with its assurance records."""
    start = gen.maybe(gen.past)
    return Contract(
        id=gen.id("contract"),
        commissioner="Example Council",
        reference=gen.maybe(lambda: f"TEST-CONTRACT-{gen.number('contract')}"),
        start_on=start,
        end_on=gen.maybe(lambda: gen.between(start, gen.future()) if start else gen.around()),
        risk_tier=gen.maybe(lambda: gen.choice(list(RiskTier))),
        safeguarding_clause=gen.maybe(lambda: make_safeguarding_clause(gen)),
        metrics=gen.some(lambda: make_contract_metric(gen), max_size=2),
        monitoring_meetings=gen.some(lambda: make_monitoring_meeting(gen)),
        section11_audits=gen.some(lambda: make_section11_audit(gen), max_size=2),
        thematic_checks=gen.some(lambda: make_thematic_check(gen), max_size=2),
    )


def make_attestation(
    gen: Gen, requirement_ids: tuple[str, ...], subject_ids: tuple[str, ...] = ()
) -> Attestation:
    """A reader's judgement on one of ``requirement_ids`` (for a subject, or the whole); one
    that the requirement does not apply says why."""
    outcome = gen.choice(list(AttestationOutcome))
    return Attestation(
        id=gen.id("att"),
        requirement_id=gen.choice(requirement_ids),
        subject_id=gen.maybe(lambda: gen.choice(subject_ids)) if subject_ids else None,
        outcome=outcome,
        attested_by=gen.maybe(lambda: f"Test Attester {gen.number('attester')}"),
        attested_on=gen.past(),
        statement=(
            "Test statement: does not apply here."
            if outcome is AttestationOutcome.NOT_APPLICABLE
            else gen.maybe(lambda: "Test statement.")
        ),
        evidence_refs=frozenset(),
    )


def make_allegation(gen: Gen, relates_to: tuple[str, ...] = ()) -> Allegation:
    """An allegation or low-level concern, reported to the LADO on the day it was received or
    some days later, or not reported, perhaps about one of ``relates_to``."""
    received = gen.maybe(gen.past)
    return Allegation(
        id=gen.id("alg"),
        received_on=received,
        reported_to_lado_on=(
            gen.maybe(lambda: gen.between(received, min(gen.as_of, received + _WEEK)))
            if received is not None
            else None
        ),
        low_level_concern=gen.draw(st.booleans()),
        outcome=gen.maybe(lambda: gen.choice(list(AllegationOutcome))),
        relates_to=gen.maybe(lambda: gen.choice(relates_to)) if relates_to else None,
    )


def make_waiver(
    gen: Gen, requirement_ids: tuple[str, ...], subject_ids: tuple[str, ...] = ()
) -> Waiver:
    """A commissioner's waiver of one of ``requirement_ids``, perhaps expired."""
    granted = gen.past()
    return Waiver(
        id=gen.id("waiver"),
        requirement_id=gen.choice(requirement_ids),
        subject_id=gen.maybe(lambda: gen.choice(subject_ids)) if subject_ids else None,
        granted_by=gen.maybe(lambda: "Test Commissioner"),
        granted_on=granted,
        expires_on=gen.maybe(lambda: gen.between(granted, gen.future())),
        reason="Test waiver reason.",
    )
