"""Registers the evidence entities with Hypothesis, so ``st.from_type(DbsCheck)`` just works.

Run by Hypothesis itself, through the ``hypothesis`` entry point, when Hypothesis is imported;
never imported by :mod:`safeguard_std`, which keeps Hypothesis a test-time dependency.

Registration is lazy: the hook names each type's strategy but imports
:mod:`safeguard_std.strategies` only when Hypothesis first resolves one, because importing that
module is itself what imports Hypothesis (and so runs this hook) when a test module starts with
``from safeguard_std.strategies import ...``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["STRATEGY_NAMES", "_hypothesis_setup_hook"]

#: Each registered type (by module and class name) and the function in
#: :mod:`safeguard_std.strategies` that draws it.
STRATEGY_NAMES: dict[tuple[str, str], str] = {
    **{
        ("safeguard_std.domain.people", cls): fn
        for cls, fn in (
            ("DbsCheck", "dbs_checks"),
            ("Engagement", "engagements"),
            ("IdentityCheck", "identity_checks"),
            ("IdentityDocument", "identity_documents"),
            ("LadoNotification", "lado_notifications"),
            ("Person", "people"),
            ("QualificationCheck", "qualification_checks"),
            ("Reference", "references"),
            ("RightToWorkCheck", "right_to_work_checks"),
            ("RiskAssessment", "risk_assessments"),
            ("StatusCheck", "status_checks"),
            ("SuitabilityCheck", "suitability_checks"),
            ("TrainingRecord", "training_records"),
            ("UpdateServiceSubscription", "update_service_subscriptions"),
        )
    },
    **{
        ("safeguard_std.domain.organisation", cls): fn
        for cls, fn in (
            ("ActionItem", "action_items"),
            ("Attestation", "attestations"),
            ("Contract", "contracts"),
            ("ContractMetric", "contract_metrics"),
            ("EvidenceBundle", "evidence_bundles"),
            ("InformationRequest", "information_requests"),
            ("LeadRole", "lead_roles"),
            ("MonitoringMeeting", "monitoring_meetings"),
            ("PanelMember", "panel_members"),
            ("PolicyDocument", "policy_documents"),
            ("Provider", "providers"),
            ("RecordReview", "record_reviews"),
            ("RecruitmentPanel", "recruitment_panels"),
            ("SafeguardingClause", "safeguarding_clauses"),
            ("Section11Audit", "section11_audits"),
            ("SelfAudit", "self_audits"),
            ("Subscription", "subscriptions"),
            ("ThematicCheck", "thematic_checks"),
            ("TrainingNeedsAnalysis", "training_needs_analyses"),
            ("Waiver", "waivers"),
        )
    },
    ("safeguard_std.domain.pack", "Pack"): "packs",
}


def _lazy(name: str) -> Callable[[type], Any]:
    def resolve(_type: type) -> Any:
        from safeguard_std import strategies

        return getattr(strategies, name)()

    return resolve


def _hypothesis_setup_hook() -> None:
    """Register a strategy for every evidence entity, bundles and packs."""
    import importlib

    from hypothesis import strategies as st

    for (module, cls), name in STRATEGY_NAMES.items():
        st.register_type_strategy(getattr(importlib.import_module(module), cls), _lazy(name))
