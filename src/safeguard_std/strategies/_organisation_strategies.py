"""Strategies for the organisation's records (the public functions of
:mod:`safeguard_std.strategies`)."""

from __future__ import annotations

import datetime as dt

from hypothesis.strategies import SearchStrategy

from safeguard_std.domain.organisation import (
    ActionItem,
    Attestation,
    Contract,
    ContractMetric,
    InformationRequest,
    LeadRole,
    MonitoringMeeting,
    PanelMember,
    PolicyDocument,
    Provider,
    RecordReview,
    RecruitmentPanel,
    SafeguardingClause,
    Section11Audit,
    SelfAudit,
    Subscription,
    ThematicCheck,
    TrainingNeedsAnalysis,
    Waiver,
)
from safeguard_std.strategies import _organisation as org
from safeguard_std.strategies._gen import DEFAULT_AS_OF, check_as_of, entity
from safeguard_std.strategies._people_strategies import _simple

__all__ = [
    "action_items",
    "attestations",
    "contract_metrics",
    "contracts",
    "information_requests",
    "lead_roles",
    "monitoring_meetings",
    "panel_members",
    "policy_documents",
    "providers",
    "record_reviews",
    "recruitment_panels",
    "safeguarding_clauses",
    "section11_audits",
    "self_audits",
    "subscriptions",
    "thematic_checks",
    "training_needs_analyses",
    "waivers",
]


_PEOPLE_IDS = ("p-0001", "p-0002", "p-0003")
_REQUIREMENT_IDS = ("REQ-1", "REQ-2")


def providers() -> SearchStrategy[Provider]:
    """Providers of every kind and legal form. Shrinks towards a maintained school run by a
    company, with nothing else recorded."""
    return entity(org.make_provider, DEFAULT_AS_OF)


def lead_roles(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[LeadRole]:
    """Lead roles (DSL, deputy, designated senior manager, ...) held by ``p-0001`` to ``p-0003``.
    Shrinks towards an undated DSL role held by ``p-0001``."""
    return entity(org.make_lead_role, check_as_of(as_of), person_ids=_PEOPLE_IDS)


def policy_documents(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[PolicyDocument]:
    """Policies with approval and review dates in order, publication flags, topics and document
    references. Shrinks towards a safeguarding policy with nothing recorded."""
    return _simple(org.make_policy, as_of)


def training_needs_analyses(
    *, as_of: dt.date = DEFAULT_AS_OF
) -> SearchStrategy[TrainingNeedsAnalysis]:
    """Training needs analyses. Shrinks towards an undated one."""
    return _simple(org.make_training_needs_analysis, as_of)


def panel_members() -> SearchStrategy[PanelMember]:
    """Recruitment panel members (``p-0001`` to ``p-0003``). Shrinks towards ``p-0001``, not
    chair."""
    return entity(org.make_panel_member, DEFAULT_AS_OF, person_ids=_PEOPLE_IDS)


def recruitment_panels(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[RecruitmentPanel]:
    """Interview panels of ``p-0001`` to ``p-0003`` either side of ``as_of``. Shrinks towards a
    panel on ``as_of`` with no members."""
    return entity(org.make_recruitment_panel, check_as_of(as_of), person_ids=_PEOPLE_IDS)


def record_reviews(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[RecordReview]:
    """Reviews of the single central record. Shrinks towards one on ``as_of``."""
    return _simple(org.make_record_review, as_of)


def action_items(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[ActionItem]:
    """Action-plan items due either side of ``as_of``. Shrinks towards an open one with no due
    date."""
    return _simple(org.make_action_item, as_of)


def self_audits(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[SelfAudit]:
    """Requested self-audits with due dates, submissions and action plans. Shrinks towards an
    undated one with no actions."""
    return _simple(org.make_self_audit, as_of)


def subscriptions(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[Subscription]:
    """Subscriptions to partnership updates, perhaps ended. Shrinks towards an undated
    procedures-updates subscription."""
    return _simple(org.make_subscription, as_of)


def information_requests(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[InformationRequest]:
    """A council's requests for information. Shrinks towards an undated, unanswered one."""
    return _simple(org.make_information_request, as_of)


def safeguarding_clauses() -> SearchStrategy[SafeguardingClause]:
    """Contract safeguarding clauses with topics and document titles. Shrinks towards an empty
    clause."""
    return entity(org.make_safeguarding_clause, DEFAULT_AS_OF)


def contract_metrics() -> SearchStrategy[ContractMetric]:
    """Performance metrics in a contract. Shrinks towards one named and about ``alpha``."""
    return entity(org.make_contract_metric, DEFAULT_AS_OF)


def monitoring_meetings(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[MonitoringMeeting]:
    """Contract monitoring meetings. Shrinks towards one on ``as_of``, safeguarding not recorded."""
    return _simple(org.make_monitoring_meeting, as_of)


def section11_audits(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[Section11Audit]:
    """Section 11 audits at tender or in the cycle. Shrinks towards an undated tender audit."""
    return _simple(org.make_section11_audit, as_of)


def thematic_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[ThematicCheck]:
    """Thematic quality-assurance checks. Shrinks towards one on ``as_of`` with no theme."""
    return _simple(org.make_thematic_check, as_of)


def contracts(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[Contract]:
    """Commissioners' contracts with clause, metrics, meetings, audits and thematic checks.
    Shrinks towards a contract with Example Council and nothing else recorded."""
    return _simple(org.make_contract, as_of)


def attestations(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[Attestation]:
    """Attestations about ``REQ-1`` or ``REQ-2`` with every outcome. Shrinks towards a ``met``
    attestation on ``as_of`` for the requirement as a whole."""
    return entity(org.make_attestation, check_as_of(as_of), requirement_ids=_REQUIREMENT_IDS)


def waivers(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[Waiver]:
    """Waivers of ``REQ-1`` or ``REQ-2``, perhaps expired. Shrinks towards one granted on
    ``as_of`` with no expiry."""
    return entity(org.make_waiver, check_as_of(as_of), requirement_ids=_REQUIREMENT_IDS)
