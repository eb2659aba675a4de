"""Building what a pack asks for into a bundle before it is first evaluated.

Evaluating a Dorset bundle costs about as much as drawing it, and repairing only what each
evaluation finds took three or four evaluations per compliant bundle. :func:`prepare` applies the
repair of every requirement to every subject it could judge, once, in an order where no repair
undoes an earlier one (people's checks before the checks' evidence, records before the rules over
all records, the record's update date last), so the first evaluation usually finds nothing and
:func:`~safeguard_std.strategies._comply.comply` is left only to verify. Repairs that one record
satisfies for several requirements (one DBS check for every DBS rule, one identity check, the
most references any rule asks for) are applied once. What the pack asks of ``as_of`` and of the
rule kinds is worked out once per strategy (:func:`plan_of`), not per draw. Compliant bundles
start from people with fewer random records (:func:`~safeguard_std.strategies._people.make_person`
with ``lean``): the repairs add what the pack asks for anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

import attrs

from safeguard_std.domain.organisation import (
    AttestationOutcome,
    EvidenceBundle,
    PolicyKind,
    Regulator,
)
from safeguard_std.domain.pack import Pack, SubjectType
from safeguard_std.domain.predicates import Predicate, bind_params, comparisons
from safeguard_std.rules.policies import find_policies
from safeguard_std.strategies._demands import Demands, Step
from safeguard_std.strategies._fix import Fix

__all__ = ["Prepared", "plan_of", "prepare"]

Repair = Callable[[Fix, Step, "str | None"], None]

# Rule kinds in the order their repairs run: a later repair reads what an earlier one made.
_ORDER = (
    "role_held",  # adds current engagements, which training_by_start reads
    "check_present",
    "check_current",
    "references",
    "training_current",
    "training_by_start",
    "panel_trained",
    "disclosure_followed_up",  # follows up the DBS checks added above
    "checks_evidenced",  # evidences every completed check, the added ones too
    "record_fields_present",
    "policy_current",
    "policy_published",
    "recent_record",  # a contract's records may add the contract itself
    "count_at_least",
    "every_record",  # over every record, the added ones too
    "responded_by_due",
    "actions_complete",
    "documents_referenced",  # into a policy already current and published, or the contract
    "allegations_reported",
    "attested",
    "record_updated",  # on as_of: after every change the repairs above made
)


# Repairs that read the pack's parameters and the whole bundle, never the subject they are given:
# applied once, not once per subject.
_WHOLE_BUNDLE = frozenset(
    {
        "role_held",
        "policy_current",
        "policy_published",
        "documents_referenced",
        "recent_record",
        "count_at_least",
        "every_record",
        "responded_by_due",
        "actions_complete",
        "allegations_reported",
    }
)


def _share_key(step: Step) -> Hashable:
    """Steps with equal keys are satisfied by one application of the first one's repair."""
    params = step.params
    if step.kind == "role_held":
        return ("role_held",)  # it installs every role the pack asks for (Demands.role_kinds)
    if step.kind == "training_current":
        return ("training", tuple(sorted(params["courses"])), params.get("period"))
    if step.kind in ("check_present", "check_current"):
        check = params["check"]
        if check == "dbs":
            return ("dbs",)  # gold_dbs meets every DBS rule in the pack at once
        if check in ("identity", "qualifications"):
            return (check,)
        if check == "right_to_work":
            return ("right_to_work",)  # present or current: one current check, not time-limited
        if check == "suitability":
            return ("suitability", params.get("suitability_kind"))
    if step.kind in ("policy_current", "policy_published"):
        # every policy of the kinds is brought in date for all the pack's review periods at once
        # (or given every publication flag at once): one application per set of kinds
        return (step.kind, tuple(sorted(params["policies"])))
    if step.kind == "training_by_start":
        # _training marks every record recognised and covering online safety
        return ("induction", tuple(sorted(params["courses"])), params["within"])
    if step.kind == "disclosure_followed_up":
        # each follow-up adds a risk assessment and a LADO notification for every disclosure
        kinds = params.get("risk_assessment_kinds", ["dbs_disclosure", "concern"])
        return ("disclosure", tuple(sorted(kinds)))
    if step.kind == "references":
        return ("references",)  # the steps are sorted so the largest ``min`` comes first
    if step.kind == "record_updated":
        return ("record_updated",)
    return None


@attrs.frozen
class Prepared:
    """The repairs :func:`prepare` applies: the ordered steps (one per share key), the
    ``attested`` steps (applied only where needed), and the provider facts the pack's
    conditions name that a bundle may leave unrecorded, with the values they are compared with.
    """

    steps: tuple[tuple[Step, Repair], ...]
    attested: tuple[tuple[Step, Repair], ...]
    provider_facts: tuple[tuple[str, tuple[str, ...]], ...] = ()


#: Provider facts a bundle may leave unrecorded (``None``) that a compliant bundle records when
#: its pack's conditions name them: left unknown, what they condition could only ask for
#: evidence, never be met or ruled out.
_RECORDABLE = ("regulators", "local_areas", "activities", "has_website")


def provider_facts_named(pack: Pack) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The recordable provider facts ``pack``'s conditions (``applies_when``, ``included_when``
    and its includes') name, each with the text values they are compared with, sorted."""
    found: dict[str, set[str]] = {}

    def walk(pred: Predicate) -> None:
        for leaf in comparisons(pred):
            if leaf.field.startswith("provider.") and leaf.field[9:] in _RECORDABLE:
                values = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
                found.setdefault(leaf.field[9:], set()).update(v for v in values if type(v) is str)

    conditions = [
        when
        for req in pack.requirements
        for when in (req.applies_when, req.included_when)
        if when is not None
    ]
    conditions += [inc.applies_when for inc in pack.includes if inc.applies_when is not None]
    for when in conditions:
        try:
            walk(bind_params(when, lambda name: pack.parameters[name].value))
        except KeyError:  # a parameter of another layer: the fact is named all the same
            walk(bind_params(when, lambda _name: ()))
    known = {r.value for r in Regulator}
    if "regulators" in found:
        found["regulators"] &= known
    return tuple(sorted((name, tuple(sorted(values))) for name, values in found.items()))


def record_provider_facts(fix: Fix, named: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
    """Record each fact of ``named`` the bundle's provider leaves unrecorded: a website or
    none, or some of the values the pack compares it with (possibly none)."""
    provider = fix.bundle.provider
    changes: dict[str, Any] = {}
    for name, values in named:
        if getattr(provider, name) is not None:
            continue
        if name == "has_website":
            changes[name] = fix.gen.boolean()
        else:
            changes[name] = frozenset(fix.gen.subset(values))
    if changes:
        fix.bundle = attrs.evolve(fix.bundle, provider=attrs.evolve(provider, **changes))


def plan_of(demands: Demands, repairs: Mapping[str, Repair]) -> Prepared:
    """The ordered repairs for ``demands`` (worked out once per strategy, not per draw)."""
    rank = {kind: i for i, kind in enumerate(_ORDER)}
    steps = sorted(
        (s for s in demands.steps.values() if s.kind in repairs and s.kind in rank),
        key=lambda s: (rank[s.kind], -int(s.params.get("min", 0)) if s.kind == "references" else 0),
    )
    seen: set[Hashable] = set()
    ordered: list[tuple[Step, Repair]] = []
    attested: list[tuple[Step, Repair]] = []
    for step in steps:
        key = _share_key(step)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        if step.kind == "attested":
            attested.append((step, repairs[step.kind]))
        else:
            ordered.append((step, repairs[step.kind]))
    return Prepared(tuple(ordered), tuple(attested), provider_facts_named(demands.plan.pack))


def _subjects(bundle: EvidenceBundle, subject: SubjectType) -> tuple[str, ...]:
    contract = bundle.contract
    if subject is SubjectType.PROVIDER:
        return (bundle.provider.id,)
    if subject is SubjectType.PERSON:
        return tuple(p.id for p in bundle.people)
    if subject is SubjectType.POLICY:
        return tuple(p.id for p in bundle.policies)
    if subject is SubjectType.CONTRACT:
        return (contract.id,) if contract else ()
    if subject is SubjectType.PANEL:
        return tuple(p.id for p in bundle.recruitment_panels)
    if subject is SubjectType.SELF_AUDIT:
        return tuple(a.id for a in bundle.self_audits)
    if subject is SubjectType.MONITORING_MEETING:
        return tuple(m.id for m in contract.monitoring_meetings) if contract else ()
    return ()


def _apply(fix: Fix, step: Step, repair: Repair, subject: str | None) -> None:
    before = fix.bundle
    try:
        repair(fix, step, subject)
    except (ValueError, TypeError):  # a parameter no record can satisfy
        fix.bundle = before


def prepare(fix: Fix, prepared: Prepared, attest: Repair) -> None:
    """Apply every requirement's repair to every subject it could judge (see the module)."""
    record_provider_facts(fix, prepared.provider_facts)  # first: it decides what applies
    last: list[tuple[Step, Repair]] = []
    for step, repair in prepared.steps:
        if step.kind == "record_updated":
            last.append((step, repair))
            continue
        if step.kind in _WHOLE_BUNDLE:
            _apply(fix, step, repair, None)
            continue
        for subject in _subjects(fix.bundle, step.requirement.subject):
            _apply(fix, step, repair, subject)
    # An ``attested`` requirement that reads policies is not_met when no policy of its kinds
    # exists; otherwise, without an attestation, it asks for evidence, which is not ``not_met``.
    for step, repair in prepared.attested:
        kinds = step.params.get("policies")
        if kinds and not find_policies(fix.bundle, frozenset(PolicyKind(k) for k in kinds)):
            for subject in _subjects(fix.bundle, step.requirement.subject):
                _apply(fix, step, repair, subject)
    # An attestation that a requirement (of any kind) is not or only partly met decides it: a
    # later one that finds it met answers it, for the same requirement and subject (whether or
    # not the bundle holds that subject: without a contract, the attestation still speaks).
    adverse = {
        (a.requirement_id, a.subject_id)
        for a in fix.bundle.attestations
        if a.outcome not in (AttestationOutcome.MET, AttestationOutcome.NOT_APPLICABLE)
    }
    for rid, about in sorted(adverse, key=lambda pair: (pair[0], pair[1] or "")):
        said = fix.demands.steps.get(rid)
        if said is not None:
            _apply(fix, said, attest, about)
    for step, repair in last:
        for subject in _subjects(fix.bundle, step.requirement.subject):
            _apply(fix, step, repair, subject)
