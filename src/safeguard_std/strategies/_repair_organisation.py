"""Repairs for the rule kinds about the organisation: panels, attestations, documents, lead
roles, policies, assurance records, action plans and allegations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from safeguard_std.domain.calendar import Period
from safeguard_std.domain.organisation import (
    Attestation,
    AttestationOutcome,
    LeadRole,
    PanelMember,
    PolicyKind,
    SafeguardingClause,
)
from safeguard_std.domain.people import TrainingCourse
from safeguard_std.rules.policies import find_policies
from safeguard_std.rules.records import COLLECTIONS
from safeguard_std.strategies._demands import Step, span_days, within
from safeguard_std.strategies._fix import Fix, _in_date, _training, gold_policy
from safeguard_std.strategies._organisation import strings
from safeguard_std.strategies._people import make_engagement
from safeguard_std.strategies._records import (
    MAKERS,
    add_records,
    matches,
    records_of,
    replace_records,
    settled,
)

__all__ = ["conform"]


def _panel_trained(fix: Fix, step: Step, subject: str | None) -> None:
    bundle, gen = fix.bundle, fix.gen
    panel = next((p for p in bundle.recruitment_panels if p.id == subject), None)
    if panel is None or not bundle.people:
        return
    need = int(step.params.get("min_trained", 1))
    course = TrainingCourse(step.params.get("course", "safer_recruitment"))
    valid = Period.parse(step.params["valid_for"]) if "valid_for" in step.params else None
    members = list(panel.members)
    have = list(dict.fromkeys(m.person_id for m in members))
    spare = [p.id for p in sorted(bundle.people, key=lambda p: p.id) if p.id not in have]
    for pid in spare[: max(0, need - len(have))]:
        members.append(PanelMember(person_id=pid))
        have.append(pid)
    trained = have[:need]
    members = [attrs.evolve(m, is_chair=m.person_id == trained[0]) for m in members]
    span = span_days(panel.interview_on, valid) if valid else 365
    for pid in trained:
        on = panel.interview_on
        if not fix.exact:
            on -= dt.timedelta(days=gen.integer(0, span))
            on = (
                on
                if valid is None or within(on, [valid], panel.interview_on)
                else panel.interview_on
            )
        person = fix.person(pid)
        assert person is not None
        fix.put(attrs.evolve(person, training=(*person.training, _training(fix, course, on))))
    panels = tuple(
        attrs.evolve(p, members=tuple(members)) if p.id == panel.id else p
        for p in fix.bundle.recruitment_panels
    )
    fix.bundle = attrs.evolve(fix.bundle, recruitment_panels=panels)


def _attested(fix: Fix, step: Step, subject: str | None) -> None:
    rid = step.requirement.id
    earlier = [
        a.attested_on
        for a in fix.bundle.attestations
        if a.requirement_id == rid
        and a.subject_id in (None, subject)
        and a.attested_on <= fix.as_of
    ]
    on = (
        fix.as_of if fix.exact else fix.gen.between(max(earlier, default=fix.gen.past()), fix.as_of)
    )
    att = Attestation(
        id=fix.gen.id("att"),
        requirement_id=rid,
        subject_id=subject,
        outcome=AttestationOutcome.MET,
        attested_on=on,
        statement="Test statement: read and found met.",
    )
    fix.bundle = attrs.evolve(fix.bundle, attestations=(*fix.bundle.attestations, att))


def _documents(fix: Fix, step: Step, subject: str | None) -> None:
    gen, bundle = fix.gen, fix.bundle
    table = fix.demands.plan.pack.documents
    names = frozenset(gen.choice(table[d].names) for d in step.params.get("documents", []))
    topics: frozenset[str] = frozenset(step.params.get("topics", []))
    if step.requirement.subject.value == "contract":
        if bundle.contract is None:
            return
        clause = bundle.contract.safeguarding_clause or SafeguardingClause()
        clause = SafeguardingClause(
            topics=strings(clause.topics | topics), references=strings(clause.references | names)
        )
        contract = attrs.evolve(bundle.contract, safeguarding_clause=clause)
        fix.bundle = attrs.evolve(bundle, contract=contract)
        return
    kinds = frozenset(PolicyKind(k) for k in step.params["in_policies"])
    found = sorted(find_policies(bundle, kinds), key=lambda p: p.id)
    target = found[0] if found else gold_policy(fix, gen.choice(sorted(kinds)))
    target = attrs.evolve(
        target,
        topics=strings(target.topics | topics),
        references=strings(target.references | names),
    )
    others = tuple(p for p in bundle.policies if p.id != target.id)
    fix.bundle = attrs.evolve(bundle, policies=(*others, target))


def _role_held(fix: Fix, step: Step, subject: str | None) -> None:
    kinds, gen = fix.demands.role_kinds, fix.gen
    people = sorted(fix.bundle.people, key=lambda p: p.id)
    current = [p for p in people if p.active_engagements(fix.as_of)]
    for person in [p for p in people if p not in current][: max(0, len(kinds) - len(current))]:
        engaged = (*person.engagements, make_engagement(gen, current=True))
        fix.put(attrs.evolve(person, engagements=engaged))
        current.append(person)
    if len(current) < len(kinds):
        return
    holders = gen.permutation([p.id for p in current])
    roles = [r for r in fix.bundle.lead_roles if r.kind not in kinds]
    for kind, pid in zip(kinds, holders, strict=False):
        start = gen.maybe(gen.past)
        roles.append(
            LeadRole(
                id=gen.id("role"),
                kind=kind,
                person_id=pid,
                start_on=start,
                end_on=gen.maybe(gen.future),
                in_job_description=True,
            )
        )
    fix.bundle = attrs.evolve(fix.bundle, lead_roles=tuple(roles))


def _policy_kinds(step: Step) -> frozenset[PolicyKind]:
    return frozenset(PolicyKind(k) for k in step.params["policies"])


def _policy_current(fix: Fix, step: Step, subject: str | None) -> None:
    kinds = _policy_kinds(step)
    found = {p.id for p in find_policies(fix.bundle, kinds)}
    fresh = {pid: _in_date(fix) for pid in sorted(found)}
    policies = tuple(
        attrs.evolve(p, **fresh[p.id]) if p.id in fresh else p for p in fix.bundle.policies
    )
    if not found:
        policies = (*policies, gold_policy(fix, fix.gen.choice(sorted(kinds))))
    fix.bundle = attrs.evolve(fix.bundle, policies=policies)


def _policy_published(fix: Fix, step: Step, subject: str | None) -> None:
    kinds = _policy_kinds(step)
    flags: dict[str, Any] = dict.fromkeys(
        (
            "published_to_staff",
            "published_on_website",
            "issued_at_induction",
            "covered_in_training",
        ),
        True,
    )
    found = {p.id for p in find_policies(fix.bundle, kinds)}
    policies = tuple(attrs.evolve(p, **flags) if p.id in found else p for p in fix.bundle.policies)
    if not found:
        policies = (*policies, gold_policy(fix, fix.gen.choice(sorted(kinds))))
    fix.bundle = attrs.evolve(fix.bundle, policies=policies)


def conform(fix: Fix, collection: str, item: Any) -> Any:
    """``item`` changed to satisfy every ``every_record`` rule on ``collection`` that judges it."""
    for step in fix.demands.of_kind("every_record"):
        if step.params["records"] == collection and matches(item, step.params.get("where", {})):
            item = attrs.evolve(item, **step.params["require"])
    return item


def _new_record(fix: Fix, collection: str, where: Mapping[str, Any], date: dt.date | None) -> Any:
    item = settled(MAKERS[collection](fix.gen), fix.gen)
    date_field = COLLECTIONS[collection].date_field
    fields = dict(where)
    if date_field is not None and date is not None:
        fields[date_field] = date
    if hasattr(item, "ended_on"):
        fields["ended_on"] = None
    return conform(fix, collection, attrs.evolve(item, **fields))


def _recent_record(fix: Fix, step: Step, subject: str | None) -> None:
    collection, where = step.params["records"], step.params.get("where", {})
    period: Period | None = None
    tiers = step.params.get("period_by_risk_tier")
    if tiers:
        tier = fix.bundle.contract.risk_tier if fix.bundle.contract else None
        period = Period.parse(tiers[tier.value]) if tier and tier.value in tiers else None
    elif "period" in step.params:
        period = Period.parse(step.params["period"])
    item = _new_record(fix, collection, where, fix.recent([period]))
    fix.bundle = add_records(fix.bundle, collection, [item], fix.gen)


def _count_at_least(fix: Fix, step: Step, subject: str | None) -> None:
    collection, where = step.params["records"], step.params.get("where", {})
    have = [i for i in records_of(fix.bundle, collection) if matches(i, where)]
    need = int(step.params.get("min", 1)) - len(have)
    items = [_new_record(fix, collection, where, fix.gen.past()) for _ in range(need)]
    fix.bundle = add_records(fix.bundle, collection, items, fix.gen)


def _every_record(fix: Fix, step: Step, subject: str | None) -> None:
    collection = step.params["records"]
    fix.bundle = replace_records(fix.bundle, collection, lambda i: conform(fix, collection, i))


def _responded(fix: Fix, step: Step, subject: str | None) -> None:
    done_field = "submitted_on" if step.params["records"] == "self_audits" else "provided_on"

    def on_time(item: Any) -> Any:
        done = getattr(item, done_field)
        if item.due_on is None or (done is not None and done <= item.due_on):
            return item
        if done is None and item.due_on >= fix.as_of:
            return item
        return attrs.evolve(item, **{done_field: item.due_on})

    fix.bundle = replace_records(fix.bundle, step.params["records"], on_time)


def _actions(fix: Fix, step: Step, subject: str | None) -> None:
    def done(item: Any) -> Any:
        overdue = item.due_on is not None and item.due_on < fix.as_of
        if overdue and (item.completed_on is None or item.completed_on > fix.as_of):
            return attrs.evolve(item, completed_on=item.due_on)
        return item

    fix.bundle = replace_records(fix.bundle, "action_items", done)


def _allegations(fix: Fix, step: Step, subject: str | None) -> None:
    # Reported on the day received: in time for any period, whatever the calendar.
    log = tuple(
        attrs.evolve(a, reported_to_lado_on=a.received_on)
        if a.reported_to_lado_on is not None and a.received_on is not None
        else a
        for a in fix.bundle.allegations or ()
    )
    fix.bundle = attrs.evolve(fix.bundle, allegations=log)
