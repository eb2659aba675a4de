"""Rule kinds about the organisation: lead roles, policies, and dated assurance records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from safeguard_std.domain.calendar import Period, add_period, is_current
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.organisation import (
    ActionItem,
    ContractMetric,
    EvidenceBundle,
    InformationRequest,
    LeadRoleKind,
    MonitoringMeeting,
    PolicyDocument,
    PolicyKind,
    RecordReview,
    RiskTier,
    Section11Audit,
    SelfAudit,
    Subscription,
    ThematicCheck,
    TrainingNeedsAnalysis,
)
from safeguard_std.domain.pack import SubjectType
from safeguard_std.exceptions import RuleError
from safeguard_std.rules._kind import (
    PERIOD_SCHEMA,
    Check,
    RuleSpec,
    latest,
    outcome,
    period_param,
    rule_kind,
)

__all__ = [
    "COLLECTIONS",
    "Collection",
    "actions_complete",
    "count_at_least",
    "every_record",
    "policy_current",
    "policy_published",
    "recent_record",
    "responded_by_due",
    "role_held",
]

_PROVIDER = [SubjectType.PROVIDER]


@rule_kind(
    "role_held",
    subjects=_PROVIDER,
    parameters={
        "required": ["roles"],
        "properties": {
            "roles": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": [k.value for k in LeadRoleKind]},
            },
            "distinct": {"type": "boolean"},
            "require_job_description": {"type": "boolean"},
        },
    },
)
def role_held(spec: RuleSpec) -> Check:
    """Each of ``roles`` is held on ``as_of`` by a person currently engaged; by different people
    when ``distinct`` (default true, so a deputy is not the lead); recorded in the holder's job
    description when ``require_job_description``."""
    roles = [LeadRoleKind(r) for r in spec.params["roles"]]
    distinct = bool(spec.params.get("distinct", True))
    need_jd = bool(spec.params.get("require_job_description", False))

    def check(_provider: object, ctx: EvaluationContext) -> Outcome:
        missing: list[str] = []
        holders: dict[str, list[str]] = {}
        ev: list[str] = []
        for kind in roles:
            valid = [
                r
                for r in ctx.holders(kind)
                if r.person_id in ctx.people_by_id
                and ctx.people_by_id[r.person_id].active_engagements(ctx.as_of)
            ]
            if not valid:
                missing.append(kind.value)
                continue
            holders[kind.value] = sorted({r.person_id for r in valid})
            ev.extend(r.id for r in valid)
        if missing:
            return outcome(
                Status.NOT_MET,
                "no currently engaged holder of: " + ", ".join(missing),
                evidence=ev,
                missing=missing,
            )
        if distinct and len(roles) > 1:
            sets = [set(holders[k.value]) for k in roles]
            if any(len(s) == 1 for s in sets) and len(set.union(*sets)) < len(roles):
                return outcome(
                    Status.NOT_MET,
                    "one person holds roles that must be held by different people",
                    evidence=ev,
                    roles=[k.value for k in roles],
                )
        if need_jd:
            active = [r for k in roles for r in ctx.holders(k)]
            if any(r.in_job_description is None for r in active):
                return outcome(
                    Status.INSUFFICIENT_EVIDENCE,
                    "not recorded whether the role is in the holder's job description",
                    evidence=ev,
                )
            if not all(r.in_job_description for r in active):
                return outcome(
                    Status.NOT_MET, "the role is not in the holder's job description", evidence=ev
                )
        return outcome(
            Status.MET,
            "held by a current person: " + ", ".join(k.value for k in roles),
            evidence=ev,
        )

    return check


_POLICIES = {
    "type": "array",
    "minItems": 1,
    "uniqueItems": True,
    "items": {"enum": [k.value for k in PolicyKind]},
}


def find_policies(bundle: EvidenceBundle, kinds: frozenset[PolicyKind]) -> list[PolicyDocument]:
    """Policies of any of ``kinds``, or policies that include one of them as a section."""
    return [p for p in bundle.policies if p.kind in kinds or p.includes & kinds]


def _kinds(spec: RuleSpec) -> frozenset[PolicyKind]:
    return frozenset(PolicyKind(k) for k in spec.params["policies"])


def _names(kinds: frozenset[PolicyKind]) -> str:
    return "/".join(sorted(k.value for k in kinds))


@rule_kind(
    "policy_current",
    subjects=[SubjectType.PROVIDER, SubjectType.POLICY],
    parameters={
        "required": ["policies"],
        "properties": {
            "policies": _POLICIES,
            "review_period": PERIOD_SCHEMA,
            "require_next_review_date": {"type": "boolean"},
            "require_approval": {"type": "boolean"},
        },
    },
)
def policy_current(spec: RuleSpec) -> Check:
    """A policy of one of ``policies`` (standalone, or a section of another policy) exists and is
    in date: its last review or approval plus ``review_period`` has not passed, nor has its own
    next review date. ``due_on`` is the earlier of the two. On a ``policy`` subject, each policy
    of those kinds is judged on its own (others are not applicable)."""
    kinds = _kinds(spec)
    period = period_param(spec, "review_period") if "review_period" in spec.params else None
    need_next = bool(spec.params.get("require_next_review_date", False))
    need_approval = bool(spec.params.get("require_approval", False))

    def check(subject: object, ctx: EvaluationContext) -> Outcome:
        if isinstance(subject, PolicyDocument):
            if subject.kind not in kinds and not subject.includes & kinds:
                return outcome(Status.NOT_APPLICABLE, f"not a {_names(kinds)} policy")
            found = [subject]
        else:
            found = find_policies(ctx.bundle, kinds)
        if not found:
            return outcome(Status.NOT_MET, f"no {_names(kinds)} policy is recorded")
        policy = latest(found, lambda p: p.last_review) or min(found, key=lambda p: p.id)
        ev = [policy.id]
        if need_approval and policy.approved_on is None:
            return outcome(Status.NOT_MET, "the policy's approval is not recorded", evidence=ev)
        if need_next and policy.next_review_on is None:
            return outcome(Status.NOT_MET, "the policy sets no review date", evidence=ev)
        dues = [policy.next_review_on] if policy.next_review_on else []
        if period is not None:
            if policy.last_review is None:
                return outcome(
                    Status.INSUFFICIENT_EVIDENCE,
                    "the policy's approval or last review date is not recorded",
                    evidence=ev,
                )
            dues.append(add_period(policy.last_review, period))
        if not dues:
            return outcome(Status.MET, "policy recorded", evidence=ev)
        due = min(dues)
        if is_current(due, ctx.as_of):
            return outcome(Status.MET, f"policy in date until {due}", evidence=ev, due_on=due)
        return outcome(
            Status.NOT_MET,
            f"policy review overdue since {due + dt.timedelta(days=1)}",
            evidence=ev,
            due_on=due,
        )

    return check


_FLAGS = (
    "published_to_staff",
    "published_on_website",
    "issued_at_induction",
    "covered_in_training",
)


@rule_kind(
    "policy_published",
    subjects=_PROVIDER,
    parameters={
        "required": ["policies", "require"],
        "properties": {
            "policies": _POLICIES,
            "require": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": list(_FLAGS)},
            },
        },
    },
)
def policy_published(spec: RuleSpec) -> Check:
    """Every policy of ``policies`` is published as ``require`` lists (to staff, on the website,
    issued at induction, covered in training). ``published_on_website`` is not applicable to a
    provider without a website."""
    kinds = _kinds(spec)
    flags = tuple(spec.params["require"])

    def check(_provider: object, ctx: EvaluationContext) -> Outcome:
        wanted = [
            f for f in flags if f != "published_on_website" or ctx.bundle.provider.has_website
        ]
        if not wanted:
            return outcome(Status.NOT_APPLICABLE, "the provider has no website")
        found = sorted(find_policies(ctx.bundle, kinds), key=lambda p: p.id)
        if not found:
            return outcome(Status.NOT_MET, f"no {_names(kinds)} policy is recorded")
        ev = [p.id for p in found]
        no = sorted({f for p in found for f in wanted if getattr(p, f) is False})
        unknown = sorted({f for p in found for f in wanted if getattr(p, f) is None})
        if no:
            return outcome(Status.NOT_MET, "policy not " + ", ".join(no), evidence=ev, missing=no)
        if unknown:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                "not recorded: " + ", ".join(unknown),
                evidence=ev,
                unknown=unknown,
            )
        return outcome(Status.MET, "policy " + ", ".join(wanted), evidence=ev)

    return check


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


def _period_for(
    spec: RuleSpec, ctx: EvaluationContext, tiers: Mapping[str, Period]
) -> Period | None:
    if tiers:
        contract = ctx.bundle.contract
        tier = contract.risk_tier if contract is not None else None
        return tiers.get(tier.value) if tier is not None else None
    return period_param(spec, "period") if "period" in spec.params else None


@rule_kind(
    "recent_record",
    subjects=[SubjectType.PROVIDER, SubjectType.CONTRACT],
    parameters={
        "required": ["records"],
        "properties": {
            "records": _RECORDS,
            "where": _WHERE,
            "period": PERIOD_SCHEMA,
            "period_by_risk_tier": {
                "type": "object",
                "properties": {t.value: PERIOD_SCHEMA for t in RiskTier},
                "additionalProperties": False,
            },
            "first_due_after_contract_start": {"type": "boolean"},
        },
    },
)
def recent_record(spec: RuleSpec) -> Check:
    """A record of ``records`` (matching ``where``) is dated on or before ``as_of``, and the latest
    one is no older than ``period`` (or the period for the contract's risk tier); with no period,
    any dated record suffices. Subscriptions that have ended do not count. With
    ``first_due_after_contract_start``, a contract whose start date is recorded owes its first
    record only ``period`` after it starts: until then, having none is not_applicable, and a due
    date is never earlier than that first one."""
    coll = _collection(spec)
    if coll.date_field is None:
        raise RuleError(f"records {coll.name!r} have no date; use count_at_least")
    date_field = coll.date_field
    tiers = {k: Period.parse(v) for k, v in spec.params.get("period_by_risk_tier", {}).items()}
    grace = bool(spec.params.get("first_due_after_contract_start", False))
    if grace and not tiers and "period" not in spec.params:
        raise RuleError("'first_due_after_contract_start' needs 'period' or 'period_by_risk_tier'")
    label = coll.name.replace("_", " ")

    def check(_subject: object, ctx: EvaluationContext) -> Outcome:
        items = [
            i
            for i in _filter(coll, spec, ctx)
            if getattr(i, date_field) is not None
            and getattr(i, date_field) <= ctx.as_of
            and (getattr(i, "ended_on", None) is None or ctx.as_of <= i.ended_on)
        ]
        last = latest(items, lambda i: getattr(i, date_field))
        if last is None and not grace:
            return outcome(Status.NOT_MET, f"no {label} recorded")
        ev = [] if last is None else [last.id]
        period = _period_for(spec, ctx, tiers)
        facts: dict[str, Any] = {}
        if tiers:
            contract = ctx.bundle.contract
            tier = contract.risk_tier if contract is not None else None
            facts["risk_tier"] = None if tier is None else tier.value
            if period is None:
                return outcome(
                    Status.INSUFFICIENT_EVIDENCE,
                    "the contract's risk tier is not recorded",
                    evidence=ev,
                    facts=facts,
                )
        first_due = _first_due(ctx, period) if grace else None
        if first_due is not None:
            facts["first_due_on"] = first_due.isoformat()
        if last is None:
            if first_due is None:
                return outcome(Status.NOT_MET, f"no {label} recorded", facts=facts)
            if is_current(first_due, ctx.as_of):
                return outcome(
                    Status.NOT_APPLICABLE,
                    f"no {label} yet; the first is due by {first_due}",
                    due_on=first_due,
                    facts=facts,
                )
            return outcome(
                Status.NOT_MET,
                f"no {label} recorded; the first was due by {first_due}",
                due_on=first_due,
                facts=facts,
            )
        when = getattr(last, date_field)
        if period is None:
            return outcome(Status.MET, f"recorded on {when}", evidence=ev)
        due = add_period(when, period)
        if first_due is not None and first_due > due:
            due = first_due
        facts.update(last_on=when.isoformat(), period=str(period))
        if is_current(due, ctx.as_of):
            return outcome(
                Status.MET,
                f"last on {when}; next due by {due}",
                evidence=ev,
                due_on=due,
                facts=facts,
            )
        return outcome(
            Status.NOT_MET,
            f"last on {when}; overdue since {due + dt.timedelta(days=1)}",
            evidence=ev,
            due_on=due,
            facts=facts,
        )

    return check


def _first_due(ctx: EvaluationContext, period: Period | None) -> dt.date | None:
    """The first record's due date under a contract: its start plus ``period``, if both known."""
    contract = ctx.bundle.contract
    if period is None or contract is None or contract.start_on is None:
        return None
    return add_period(contract.start_on, period)


@rule_kind(
    "responded_by_due",
    subjects=_PROVIDER,
    parameters={
        "required": ["records"],
        "properties": {
            "records": {"enum": ["self_audits", "information_requests"]},
            "where": _WHERE,
        },
    },
)
def responded_by_due(spec: RuleSpec) -> Check:
    """Every request in ``records`` whose due date has passed was answered on or before it.
    Not applicable when nothing has been requested; requests not yet due are not judged."""
    coll = _collection(spec)
    done_field = coll.date_field
    assert done_field is not None

    def check(_provider: object, ctx: EvaluationContext) -> Outcome:
        items = [
            i
            for i in _filter(coll, spec, ctx)
            if getattr(i, "requested_on", None) is None or i.requested_on <= ctx.as_of
        ]
        if not items:
            return outcome(Status.NOT_APPLICABLE, f"no {coll.name.replace('_', ' ')} requested")
        late: list[str] = []
        undated: list[str] = []
        ev = [i.id for i in items]
        for item in items:
            done = getattr(item, done_field)
            if item.due_on is None:
                if done is None:
                    undated.append(item.id)
            elif (done is None and item.due_on < ctx.as_of) or (
                done is not None and done > item.due_on
            ):
                late.append(item.id)
        if late:
            return outcome(
                Status.NOT_MET,
                f"{len(late)} request(s) not answered by the due date",
                evidence=ev,
                late=late,
            )
        if undated:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                "request(s) with no due date and no answer",
                evidence=ev,
                undated=undated,
            )
        return outcome(Status.MET, "every request due was answered on time", evidence=ev)

    return check


@rule_kind("actions_complete", subjects=_PROVIDER, parameters={"properties": {}})
def actions_complete(_spec: RuleSpec) -> Check:
    """No self-audit action-plan item is overdue: every item whose due date has passed is
    completed (items completed late are listed in the facts). Not applicable when there are no
    action items."""

    def check(_provider: object, ctx: EvaluationContext) -> Outcome:
        items = sorted(
            (i for a in ctx.bundle.self_audits for i in a.action_plan), key=lambda i: i.id
        )
        if not items:
            return outcome(Status.NOT_APPLICABLE, "no action-plan items recorded")
        ev = [i.id for i in items]
        overdue = [
            i.id
            for i in items
            if i.due_on is not None
            and i.due_on < ctx.as_of
            and (i.completed_on is None or i.completed_on > ctx.as_of)
        ]
        late = [
            i.id
            for i in items
            if i.due_on is not None and i.completed_on is not None and i.completed_on > i.due_on
        ]
        if overdue:
            return outcome(
                Status.NOT_MET, f"{len(overdue)} action(s) overdue", evidence=ev, overdue=overdue
            )
        undated = [i.id for i in items if i.due_on is None and i.completed_on is None]
        if undated:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                f"{len(undated)} open action(s) with no deadline",
                evidence=ev,
                undated=undated,
            )
        return outcome(Status.MET, "no action is overdue", evidence=ev, completed_late=late)

    return check


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
