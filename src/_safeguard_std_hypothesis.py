"""Registers safeguard_std's evidence entities with Hypothesis, so ``st.from_type(DbsCheck)``
just works.

Run by Hypothesis itself, through the ``hypothesis`` entry point, whenever Hypothesis is imported,
in every project where safeguard-std is installed. It is a top-level module rather than a part of
:mod:`safeguard_std` because importing anything inside the package imports the package, and
Hypothesis must not pay for the whole library on every import (it doubled ``import hypothesis``).

Registration is lazy twice over: a type whose module is already imported is registered at once;
any other is registered when its module is first imported (a finder on ``sys.meta_path`` wraps
that one module's loader, then removes itself). Each registered strategy imports
:mod:`safeguard_std.strategies` only when Hypothesis first resolves it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from importlib.abc import Loader
from importlib.machinery import ModuleSpec
from types import ModuleType
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
    ("safeguard_std.domain.allegations", "Allegation"): "allegations",
    ("safeguard_std.domain.pack", "Pack"): "packs",
}


def _lazy(name: str) -> Callable[[type], Any]:
    def resolve(_type: type) -> Any:
        from safeguard_std import strategies

        return getattr(strategies, name)()

    return resolve


def _register(module: ModuleType, items: Sequence[tuple[str, str]]) -> None:
    from hypothesis import strategies as st

    for cls, name in items:
        st.register_type_strategy(getattr(module, cls), _lazy(name))


class _RegisteringLoader(Loader):
    """Runs a module with its own loader, then registers its types."""

    def __init__(self, loader: Any, items: Sequence[tuple[str, str]]) -> None:
        self._loader = loader
        self._items = items

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        made: ModuleType | None = self._loader.create_module(spec)
        return made

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        _register(module, self._items)

    def __getattr__(self, name: str) -> Any:  # resource readers, get_source, ...
        return getattr(self._loader, name)


class _RegisterOnImport:
    """A ``sys.meta_path`` finder that only watches the modules still to register."""

    def __init__(self, pending: dict[str, list[tuple[str, str]]]) -> None:
        self.pending = pending

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        items = self.pending.get(fullname)
        if items is None:
            return None
        spec: ModuleSpec | None = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        if spec is None or spec.loader is None:
            return spec
        del self.pending[fullname]
        if not self.pending and self in sys.meta_path:
            sys.meta_path.remove(self)
        spec.loader = _RegisteringLoader(spec.loader, items)
        return spec


def _hypothesis_setup_hook() -> None:
    """Register a strategy for every evidence entity, bundles and packs: now for the modules
    already imported, and for the others when they are."""
    pending: dict[str, list[tuple[str, str]]] = {}
    for (module, cls), name in sorted(STRATEGY_NAMES.items()):
        pending.setdefault(module, []).append((cls, name))
    for module in sorted(pending):
        loaded = sys.modules.get(module)
        if loaded is not None:
            _register(loaded, pending.pop(module))
    if pending:
        sys.meta_path.insert(0, _RegisterOnImport(pending))
