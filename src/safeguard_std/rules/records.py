"""Named record collections a generic rule can count, date or filter, and the rule kinds that
count them (``count_at_least``) or require field values of each (``every_record``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.organisation import (
    ActionItem,
    ContractMetric,
    EvidenceBundle,
    InformationRequest,
    MonitoringMeeting,
    RecordReview,
    Section11Audit,
    SelfAudit,
    Subscription,
    ThematicCheck,
    TrainingNeedsAnalysis,
)
from safeguard_std.domain.pack import SubjectType
from safeguard_std.exceptions import RuleError
from safeguard_std.rules._kind import Check, RuleSpec, outcome, rule_kind

__all__ = ["COLLECTIONS", "Collection", "count_at_least", "every_record"]


@attrs.frozen
class Collection:
    """A named list of records a generic rule can count, date or filter."""

    name: str
    item: type
    get: Callable[[EvidenceBundle], tuple[Any, ...]] = attrs.field(eq=False)
    date_field: str | None = None
    subject: SubjectType = SubjectType.PROVIDER


def _contract(name: str) -> Callable[[EvidenceBundle], tuple[Any, ...]]:
    return lambda b: () if b.contract is None else tuple(getattr(b.contract, name))


COLLECTIONS: Mapping[str, Collection] = {
    c.name: c
    for c in (
        Collection(
            "training_needs_analyses",
            TrainingNeedsAnalysis,
            lambda b: b.training_needs_analyses,
            "reviewed_on",
        ),
        Collection("record_reviews", RecordReview, lambda b: b.record_reviews, "reviewed_on"),
        Collection("self_audits", SelfAudit, lambda b: b.self_audits, "submitted_on"),
        Collection(
            "action_items",
            ActionItem,
            lambda b: tuple(i for a in b.self_audits for i in a.action_plan),
            "completed_on",
        ),
        Collection("subscriptions", Subscription, lambda b: b.subscriptions, "subscribed_on"),
        Collection(
            "information_requests",
            InformationRequest,
            lambda b: b.information_requests,
            "provided_on",
        ),
        Collection(
            "monitoring_meetings",
            MonitoringMeeting,
            _contract("monitoring_meetings"),
            "held_on",
            SubjectType.CONTRACT,
        ),
        Collection(
            "section11_audits",
            Section11Audit,
            _contract("section11_audits"),
            "submitted_on",
            SubjectType.CONTRACT,
        ),
        Collection(
            "thematic_checks",
            ThematicCheck,
            _contract("thematic_checks"),
            "completed_on",
            SubjectType.CONTRACT,
        ),
        Collection(
            "contract_metrics", ContractMetric, _contract("metrics"), None, SubjectType.CONTRACT
        ),
    )
}

_WHERE = {
    "type": "object",
    "description": "Field equality filters on the records, e.g. {kind: newsletter}.",
    "additionalProperties": {"type": ["string", "boolean", "integer", "null"]},
}


def _collection(spec: RuleSpec) -> Collection:
    coll = COLLECTIONS[spec.params["records"]]
    if coll.subject is not spec.requirement.subject and coll.subject is SubjectType.CONTRACT:
        raise RuleError(
            f"records {coll.name!r} belong to the contract; the requirement's subject must be "
            "'contract'"
        )
    names = {a.name for a in attrs.fields(coll.item)}
    unknown = sorted(set(spec.params.get("where", {})) - names)
    if unknown:
        raise RuleError(
            f"'where' names field(s) {unknown} that {coll.name} records do not have; "
            f"they have {sorted(names)}"
        )
    return coll


def _filter(coll: Collection, spec: RuleSpec, ctx: EvaluationContext) -> list[Any]:
    where: Mapping[str, Any] = spec.params.get("where", {})

    def keep(item: Any) -> bool:
        for name, want in where.items():
            have = getattr(item, name)
            if (have.value if hasattr(have, "value") else have) != want:
                return False
        return True

    return sorted((i for i in coll.get(ctx.bundle) if keep(i)), key=lambda i: i.id)


_RECORDS = {"enum": sorted(COLLECTIONS)}


@rule_kind(
    "count_at_least",
    subjects=[SubjectType.PROVIDER, SubjectType.CONTRACT],
    parameters={
        "required": ["records"],
        "properties": {
            "records": _RECORDS,
            "where": _WHERE,
            "min": {"type": "integer", "minimum": 1},
        },
    },
)
def count_at_least(spec: RuleSpec) -> Check:
    """At least ``min`` (default 1) records of ``records`` match ``where``."""
    coll = _collection(spec)
    need = int(spec.params.get("min", 1))

    def check(_subject: object, ctx: EvaluationContext) -> Outcome:
        items = _filter(coll, spec, ctx)
        ev = [i.id for i in items]
        label = coll.name.replace("_", " ")
        if len(items) >= need:
            return outcome(
                Status.MET, f"{len(items)} matching {label}", evidence=ev, count=len(items)
            )
        return outcome(
            Status.NOT_MET,
            f"{len(items)} matching {label}; {need} required",
            evidence=ev,
            count=len(items),
        )

    return check


@rule_kind(
    "every_record",
    subjects=[SubjectType.PROVIDER, SubjectType.CONTRACT],
    parameters={
        "required": ["records", "require"],
        "properties": {
            "records": _RECORDS,
            "where": _WHERE,
            "require": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {"type": ["string", "boolean", "integer"]},
            },
        },
    },
)
def every_record(spec: RuleSpec) -> Check:
    """Every record of ``records`` (matching ``where``) has the field values in ``require``;
    unknown values make the finding insufficient_evidence, and no records at all too. Records
    dated after ``as_of`` (meetings not yet held) are never judged: the evaluator sees the
    evidence as it stood on ``as_of``."""
    coll = _collection(spec)
    names = {a.name for a in attrs.fields(coll.item)}
    bad = sorted(set(spec.params["require"]) - names)
    if bad:
        raise RuleError(f"'require' names field(s) {bad} that {coll.name} records do not have")
    want: Mapping[str, Any] = spec.params["require"]

    def check(_subject: object, ctx: EvaluationContext) -> Outcome:
        items = _filter(coll, spec, ctx)
        label = coll.name.replace("_", " ")
        if not items:
            return outcome(Status.INSUFFICIENT_EVIDENCE, f"no {label} recorded")
        failing: list[str] = []
        unknown: list[str] = []
        for item in items:
            for name, value in want.items():
                have = getattr(item, name)
                have = have.value if hasattr(have, "value") else have
                if have is None:
                    unknown.append(item.id)
                elif have != value:
                    failing.append(item.id)
        ev = [i.id for i in items]
        if failing:
            return outcome(
                Status.NOT_MET,
                f"{len(set(failing))} of {len(items)} {label} fall short",
                evidence=ev,
                failing=sorted(set(failing)),
            )
        if unknown:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                f"{len(set(unknown))} {label} do not record it",
                evidence=ev,
                unknown=sorted(set(unknown)),
            )
        return outcome(Status.MET, f"all {len(items)} {label} meet it", evidence=ev)

    return check
