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
from safeguard_std.strategies._bundles import bundles
from safeguard_std.strategies._demands import demands_of
from safeguard_std.strategies._gen import (
    DEFAULT_AS_OF,
    Gen,
    check_as_of,
    check_bool_or_none,
    check_size,
)
from safeguard_std.strategies._organisation_strategies import (
    action_items,
    attestations,
    contract_metrics,
    contracts,
    information_requests,
    lead_roles,
    monitoring_meetings,
    panel_members,
    policy_documents,
    providers,
    record_reviews,
    recruitment_panels,
    safeguarding_clauses,
    section11_audits,
    self_audits,
    subscriptions,
    thematic_checks,
    training_needs_analyses,
    waivers,
)
from safeguard_std.strategies._packs import GENERATORS, load_generated, make_pack_document
from safeguard_std.strategies._people_strategies import (
    allegations,
    dbs_checks,
    engagements,
    identity_checks,
    identity_documents,
    lado_notifications,
    people,
    qualification_checks,
    references,
    right_to_work_checks,
    risk_assessments,
    status_checks,
    suitability_checks,
    training_records,
    update_service_subscriptions,
)

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
      Built compliant: for every built-in rule kind, each requirement's repair (adding current
      checks, verified references, trained panels, met attestations, records of the right kind
      and date) is applied to the subjects it judges, then the bundle is evaluated once to
      confirm it; whatever is still ``not_met`` is repaired round by round. A rule kind with no
      repair here is satisfied only by chance, and bundles that stay ``not_met`` are rejected.
      Lead roles and panels need people, so such bundles hold at least as many people as the
      pack's ``role_held`` and ``panel_trained`` rules need;
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
