"""Rule kinds about dated assurance records: recent enough (``recent_record``), answered by
their due date (``responded_by_due``), action plans done in time (``actions_complete``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from safeguard_std.domain.calendar import Period, add_period, is_current
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.organisation import RiskTier
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
from safeguard_std.rules.records import _RECORDS, _WHERE, _collection, _filter

__all__ = ["actions_complete", "recent_record", "responded_by_due"]


_PROVIDER = [SubjectType.PROVIDER]


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
