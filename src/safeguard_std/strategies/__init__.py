"""Hypothesis strategies for every evidence entity, whole evidence bundles, and standard packs.

For systems that use safeguard_std and want to test their own code with realistic, synthetic
evidence: providers, people, checks and bundles, compliant with a pack or deliberately broken.

Hypothesis is a *test-time* dependency: install ``safeguard-std[test]`` (or
``safeguard-std[strategies]``). Importing :mod:`safeguard_std` never imports Hypothesis; only this
module does.

>>> import datetime as dt
>>> from hypothesis import given
>>> from safeguard_std.strategies import evidence_bundles
>>> @given(evidence_bundles(as_of=dt.date(2026, 11, 23), max_people=3))
... def test_my_dashboard(bundle): ...

Conventions, as in Hypothesis itself:

* every function is a plural noun returning a ``SearchStrategy``; arguments are checked when the
  function is called, raising :class:`hypothesis.errors.InvalidArgument`;
* dates are drawn relative to ``as_of`` (default :data:`DEFAULT_AS_OF`; the library never reads
  the clock and neither do its strategies): events in the fifteen years up to ``as_of``, with a
  share on renewal boundaries (exactly one, two or three years or six months before, a day either
  side, 29 February), dates of birth 16 to 80 years before;
* examples shrink towards the simplest record: optional fields towards ``None``, lists towards
  empty, required dates towards ``as_of``, choices towards their first value;
* personal data is obviously synthetic: ``Test Person 3``, ``3 Example Road, Testville ZZ99
  9ZZ``, DBS certificate numbers ``9999`` followed by eight digits;
* after ``import hypothesis``, ``st.from_type(DbsCheck)`` (and every other entity) uses these
  strategies, registered through the ``hypothesis`` entry point.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from safeguard_std.domain.allegations import Allegation
from safeguard_std.domain.organisation import (
    ActionItem,
    Attestation,
    Contract,
    ContractMetric,
    EvidenceBundle,
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
from safeguard_std.domain.pack import Pack
from safeguard_std.domain.people import (
    DbsCheck,
    Engagement,
    IdentityCheck,
    IdentityDocument,
    LadoNotification,
    Person,
    QualificationCheck,
    Reference,
    RightToWorkCheck,
    RiskAssessment,
    StatusCheck,
    SuitabilityCheck,
    TrainingRecord,
    UpdateServiceSubscription,
)
from safeguard_std.evaluate import EvaluationPlan, compile_pack
from safeguard_std.rules import RuleKindRegistry, default_registry
from safeguard_std.strategies import _organisation as org
from safeguard_std.strategies import _people as ppl
from safeguard_std.strategies._bundles import bundles
from safeguard_std.strategies._demands import demands_of
from safeguard_std.strategies._gen import (
    DEFAULT_AS_OF,
    Gen,
    check_as_of,
    check_bool_or_none,
    check_size,
    entity,
)
from safeguard_std.strategies._packs import GENERATORS, load_generated, make_pack_document

__all__ = [
    "DEFAULT_AS_OF",
    "TYPE_STRATEGIES",
    "action_items",
    "allegations",
    "attestations",
    "contract_metrics",
    "contracts",
    "dbs_checks",
    "engagements",
    "evidence_bundles",
    "identity_checks",
    "identity_documents",
    "information_requests",
    "lado_notifications",
    "lead_roles",
    "monitoring_meetings",
    "pack_documents",
    "packs",
    "panel_members",
    "people",
    "policy_documents",
    "providers",
    "qualification_checks",
    "record_reviews",
    "recruitment_panels",
    "references",
    "right_to_work_checks",
    "risk_assessments",
    "safeguarding_clauses",
    "section11_audits",
    "self_audits",
    "status_checks",
    "subscriptions",
    "suitability_checks",
    "thematic_checks",
    "training_needs_analyses",
    "training_records",
    "update_service_subscriptions",
    "waivers",
]

_PEOPLE_IDS = ("p-0001", "p-0002", "p-0003")
_REQUIREMENT_IDS = ("REQ-1", "REQ-2")


def _simple(maker: Callable[[Gen], Any], as_of: object) -> SearchStrategy[Any]:
    return entity(maker, check_as_of(as_of))


# -- people and their records ---------------------------------------------------------------------


def people(
    *, as_of: dt.date = DEFAULT_AS_OF, current: bool | None = None
) -> SearchStrategy[Person]:
    """People with synthetic personal data, engagements and every kind of check and record.

    ``current=True`` gives exactly one engagement in force on ``as_of``; ``current=False`` exactly
    one that is not (ended, or not yet started); ``None`` zero to two of either. Shrinks towards a
    person with no personal data recorded, no engagement (with ``current``: one that started on
    ``as_of``) and no records.
    """
    check_as_of(as_of)
    check_bool_or_none("current", current)
    return entity(ppl.make_person, as_of, current=current)


def engagements(
    *, as_of: dt.date = DEFAULT_AS_OF, current: bool | None = None
) -> SearchStrategy[Engagement]:
    """Engagements (employee, volunteer, agency, ...), in force on ``as_of`` when ``current`` is
    true, not in force when false. Shrinks towards an employee's open-ended engagement starting
    on or just after ``as_of``."""
    check_as_of(as_of)
    check_bool_or_none("current", current)
    return entity(ppl.make_engagement, as_of, current=current)


def identity_documents() -> SearchStrategy[IdentityDocument]:
    """Documents seen for an identity check. Shrinks towards a passport showing neither photo nor
    address."""
    return entity(ppl.make_identity_document, DEFAULT_AS_OF)


def identity_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[IdentityCheck]:
    """Identity checks with zero to three documents. Shrinks towards an undated, unattributed
    check with no documents."""
    return _simple(ppl.make_identity_check, as_of)


def right_to_work_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[RightToWorkCheck]:
    """Right-to-work checks; time-limited permission expires either side of ``as_of``. Shrinks
    towards an undated, unattributed check that is not time-limited."""
    return _simple(ppl.make_right_to_work_check, as_of)


def qualification_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[QualificationCheck]:
    """Qualifications, required or not, checked or not. Shrinks towards an optional one, not
    checked."""
    return _simple(ppl.make_qualification_check, as_of)


def dbs_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[DbsCheck]:
    """DBS, PVG and AccessNI certificates at every level, with or without barred lists, workforce
    and disclosure recorded; most are enhanced DBS certificates. Shrinks towards an enhanced DBS
    certificate including the children's barred list, with nothing else recorded (no number, no
    dates)."""
    return _simple(ppl.make_dbs_check, as_of)


def status_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[StatusCheck]:
    """Update Service status checks of every result. Shrinks towards a ``current_clear`` check on
    ``as_of``."""
    return _simple(ppl.make_status_check, as_of)


def update_service_subscriptions(
    *, as_of: dt.date = DEFAULT_AS_OF
) -> SearchStrategy[UpdateServiceSubscription]:
    """Update Service subscriptions with zero to three status checks. Shrinks towards an undated
    one with no checks."""
    return _simple(ppl.make_update_service_subscription, as_of)


def suitability_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[SuitabilityCheck]:
    """Further checks (barred list, prohibition, section 128, overseas, ...). Shrinks towards a
    satisfactory barred-list check with nothing else recorded."""
    return _simple(ppl.make_suitability_check, as_of)


def references(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[Reference]:
    """References: received, perhaps verified, satisfactory or not, open or candidate-supplied.
    Shrinks towards a satisfactory employer reference with nothing else recorded."""
    return _simple(ppl.make_reference, as_of)


def risk_assessments(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[RiskAssessment]:
    """Risk assessments of every kind, perhaps shared with the LADO. Shrinks towards an undated
    DBS disclosure assessment."""
    return _simple(ppl.make_risk_assessment, as_of)


def allegations(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[Allegation]:
    """Allegations and low-level concerns, reported to the LADO on the day, days later or not
    at all. Shrinks towards an undated, unreported allegation."""
    return _simple(org.make_allegation, as_of)


def lado_notifications(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[LadoNotification]:
    """Notifications to the LADO. Shrinks towards an undated one."""
    return _simple(ppl.make_lado_notification, as_of)


def training_records(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[TrainingRecord]:
    """Completed courses of every kind. Shrinks towards undated induction training with nothing
    else recorded."""
    return _simple(ppl.make_training_record, as_of)


# -- the organisation -----------------------------------------------------------------------------


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


# -- bundles and packs ----------------------------------------------------------------------------


def _plan_of(pack: object, kinds: RuleKindRegistry | None) -> EvaluationPlan | None:
    if pack is None:
        return None
    if isinstance(pack, EvaluationPlan):
        return pack
    if isinstance(pack, Pack):
        return compile_pack(pack, kinds=kinds)
    raise InvalidArgument(f"pack must be a Pack, an EvaluationPlan or None, got {pack!r}")


def evidence_bundles(
    pack: Pack | EvaluationPlan | None = None,
    *,
    as_of: dt.date = DEFAULT_AS_OF,
    compliant: bool | None = None,
    min_people: int = 0,
    max_people: int = 6,
    kinds: RuleKindRegistry | None = None,
) -> SearchStrategy[EvidenceBundle]:
    """Whole evidence bundles for one provider: people with engagements and checks, lead roles,
    policies, assurance records, perhaps a contract, attestations and waivers.

    Every id is unique and every cross-reference resolves, so each bundle also loads through
    :func:`safeguard_std.load_evidence` once written out. With a ``pack``, attestations and
    waivers name its requirements and their subjects, and ``compliant`` chooses:

    * ``None`` (default): anything at all;
    * ``True``: evaluating the bundle against ``pack`` on ``as_of`` gives no ``not_met`` finding.
      Built by repairing what evaluation finds (adding current checks, verified references,
      trained panels, met attestations, records of the right kind and date), for every built-in
      rule kind; a rule kind with no repair here is satisfied only by chance, and bundles that
      stay ``not_met`` are rejected. Lead roles and panels need people, so such bundles hold at
      least as many people as the pack's ``role_held`` and ``panel_trained`` rules need;
    * ``False``: at least one ``not_met`` finding; usually a compliant bundle with one to three
      findings broken the way real records fail (checks missing, a policy unpublished, an action
      overdue), sometimes a random bundle that already fails.

    ``kinds`` is the rule-kind registry to compile ``pack`` with (default: the built-in kinds and
    those installed through the entry point). Shrinks towards ``min_people`` people and fewer
    records (with ``compliant``, towards the least the pack asks for).
    """
    check_as_of(as_of)
    check_bool_or_none("compliant", compliant)
    check_size("min_people", min_people, "max_people", max_people)
    if kinds is not None and not isinstance(kinds, RuleKindRegistry):
        raise InvalidArgument(f"kinds must be a RuleKindRegistry or None, got {kinds!r}")
    plan = _plan_of(pack, kinds)
    if compliant is not None and plan is None:
        raise InvalidArgument(f"compliant={compliant} needs a pack to comply with")
    demands = demands_of(plan) if plan is not None else None
    if compliant is True and demands is not None:
        if demands.problems:
            raise InvalidArgument(
                f"no evidence can comply with pack {plan.pack.ref if plan else ''}: "
                + "; ".join(demands.problems)
            )
        if demands.people > max_people:
            raise InvalidArgument(
                f"pack {demands.plan.pack.ref} needs at least {demands.people} people to comply "
                f"(lead roles held by different people, trained panel members); "
                f"max_people={max_people}"
            )
    if compliant is False and plan is not None and not plan.steps:
        raise InvalidArgument(
            f"pack {plan.pack.ref} has no requirements, so nothing can be not_met"
        )
    return bundles(
        as_of=as_of,
        min_people=min_people,
        max_people=max_people,
        demands=demands,
        compliant=compliant,
    )


def _kind_names(kinds: Sequence[str] | None, registry: RuleKindRegistry) -> tuple[str, ...]:
    if kinds is None:
        return tuple(n for n in registry.names if n in GENERATORS)
    if isinstance(kinds, str) or not all(isinstance(k, str) for k in kinds):
        raise InvalidArgument(f"kinds must be a sequence of rule-kind names, got {kinds!r}")
    for name in kinds:
        if name not in registry:
            raise InvalidArgument(f"kinds names {name!r}, which is not a registered rule kind")
        if name not in GENERATORS:
            raise InvalidArgument(
                f"kinds names {name!r}, a rule kind these strategies cannot draw parameters for; "
                f"they can for: {', '.join(sorted(GENERATORS))}"
            )
    if not kinds:
        raise InvalidArgument("kinds must name at least one rule kind")
    return tuple(kinds)


def pack_documents(
    *,
    kinds: Sequence[str] | None = None,
    min_requirements: int = 1,
    max_requirements: int = 8,
    pack_id: str = "generated",
) -> SearchStrategy[dict[str, Any]]:
    """Standard pack documents (plain data, as a ``pack.yaml`` holds it) that validate against
    ``schemas/standard-pack.schema.json`` and load without error.

    Requirements use the rule kinds named in ``kinds`` (default: every built-in kind), with valid
    parameters, period parameters referenced by name, a documents table, and ``applies_when``
    predicates over facts from :data:`safeguard_std.domain.facts.FACTS` with allowed values. The
    rules of one pack never contradict each other, so ``evidence_bundles(pack, compliant=True)``
    works for every pack drawn. Shrinks towards one requirement of the first kind named (by
    default ``actions_complete``) and no predicate.
    """
    registry = default_registry()
    names = _kind_names(kinds, registry)
    check_size("min_requirements", min_requirements, "max_requirements", max_requirements)
    if min_requirements < 1:
        raise InvalidArgument(f"min_requirements must be at least 1, got {min_requirements}")
    if not isinstance(pack_id, str) or not pack_id[:1].islower() or not pack_id.isascii():
        raise InvalidArgument(f"pack_id must be a lower-case pack id, got {pack_id!r}")

    @st.composite
    def draw(draw: DrawFn) -> dict[str, Any]:
        gen = Gen(draw, DEFAULT_AS_OF)
        return make_pack_document(
            gen,
            pack_id=pack_id,
            kinds=names,
            min_requirements=min_requirements,
            max_requirements=max_requirements,
        )

    return draw()


def packs(
    *,
    kinds: Sequence[str] | None = None,
    min_requirements: int = 1,
    max_requirements: int = 8,
    pack_id: str = "generated",
) -> SearchStrategy[Pack]:
    """Resolved standard packs: :func:`pack_documents` loaded through the real pack loader (so
    each is exactly what ``load_pack`` would give for the file). Shrinks as
    :func:`pack_documents` does."""
    registry = default_registry()
    documents = pack_documents(
        kinds=kinds,
        min_requirements=min_requirements,
        max_requirements=max_requirements,
        pack_id=pack_id,
    )
    return documents.map(lambda doc: load_generated(doc, registry))


#: The strategy each entity type gets from ``st.from_type`` once the entry point has run.
TYPE_STRATEGIES: dict[type, Callable[[], SearchStrategy[Any]]] = {
    ActionItem: action_items,
    Allegation: allegations,
    Attestation: attestations,
    Contract: contracts,
    ContractMetric: contract_metrics,
    DbsCheck: dbs_checks,
    Engagement: engagements,
    EvidenceBundle: evidence_bundles,
    IdentityCheck: identity_checks,
    IdentityDocument: identity_documents,
    InformationRequest: information_requests,
    LadoNotification: lado_notifications,
    LeadRole: lead_roles,
    MonitoringMeeting: monitoring_meetings,
    Pack: packs,
    PanelMember: panel_members,
    Person: people,
    PolicyDocument: policy_documents,
    Provider: providers,
    QualificationCheck: qualification_checks,
    RecordReview: record_reviews,
    RecruitmentPanel: recruitment_panels,
    Reference: references,
    RightToWorkCheck: right_to_work_checks,
    RiskAssessment: risk_assessments,
    SafeguardingClause: safeguarding_clauses,
    Section11Audit: section11_audits,
    SelfAudit: self_audits,
    StatusCheck: status_checks,
    Subscription: subscriptions,
    SuitabilityCheck: suitability_checks,
    ThematicCheck: thematic_checks,
    TrainingNeedsAnalysis: training_needs_analyses,
    TrainingRecord: training_records,
    UpdateServiceSubscription: update_service_subscriptions,
    Waiver: waivers,
}
