"""Breaking a compliant bundle on purpose: one finding at a time, the way real records fail.

Each breaker takes a requirement that is ``met`` for a subject and removes or spoils the evidence
its rule relied on (the DBS checks go missing, a reference is withdrawn, a policy is not published,
an action falls overdue). :func:`break_bundle` keeps the result only when evaluation then finds
something ``not_met``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from safeguard_std.domain.findings import Status
from safeguard_std.domain.organisation import (
    ActionItem,
    Attestation,
    AttestationOutcome,
    EvidenceBundle,
    PolicyKind,
    SafeguardingClause,
)
from safeguard_std.domain.people import QualificationCheck, TrainingCourse
from safeguard_std.rules.policies import find_policies
from safeguard_std.strategies._comply import Fix, not_met
from safeguard_std.strategies._demands import Step
from safeguard_std.strategies._organisation import make_self_audit
from safeguard_std.strategies._records import FILTERABLE, matches, replace_records

__all__ = ["BREAKERS", "break_bundle"]

Breaker = Callable[[Fix, Step, "str | None"], None]


def _check(fix: Fix, step: Step, subject: str | None) -> None:
    check = step.params["check"]
    person = fix.person(subject)
    if person is None:
        return
    if check == "dbs":
        fix.change(subject, dbs_checks=())
    elif check == "identity":
        fix.change(subject, identity_check=None)
    elif check == "right_to_work":
        fix.change(subject, right_to_work=None)
    elif check == "qualifications":
        unchecked = QualificationCheck(
            id=fix.gen.id("qual"), qualification="Test Teaching Status", required=True
        )
        fix.change(subject, qualification_checks=(*person.qualification_checks, unchecked))
    else:
        kind = step.params["suitability_kind"]
        kept = tuple(c for c in person.suitability_checks if c.kind.value != kind)
        fix.change(subject, suitability_checks=kept)


def _no_checks(fix: Fix, step: Step, subject: str | None) -> None:
    fix.change(
        subject,
        dbs_checks=(),
        identity_check=None,
        right_to_work=None,
        qualification_checks=(),
        suitability_checks=(),
        references=(),
    )


def _fields(fix: Fix, step: Step, subject: str | None) -> None:
    field = fix.gen.choice(list(step.params["fields"]))
    fix.change(subject, **{field: None})


def _references(fix: Fix, step: Step, subject: str | None) -> None:
    fix.change(subject, references=(), risk_assessments=())


def _disclosure(fix: Fix, step: Step, subject: str | None) -> None:
    fix.change(subject, risk_assessments=(), lado_notifications=())


def _training(fix: Fix, step: Step, subject: str | None) -> None:
    person = fix.person(subject)
    if person is not None:
        courses = {TrainingCourse(c) for c in step.params["courses"]}
        fix.change(subject, training=tuple(t for t in person.training if t.course not in courses))


def _panel(fix: Fix, step: Step, subject: str | None) -> None:
    panel = next((p for p in fix.bundle.recruitment_panels if p.id == subject), None)
    course = TrainingCourse(step.params.get("course", "safer_recruitment"))
    for member in panel.members if panel else ():
        person = fix.person(member.person_id)
        if person is not None:
            kept = tuple(t for t in person.training if t.course is not course)
            fix.change(person.id, training=kept)


def _attested(fix: Fix, step: Step, subject: str | None) -> None:
    att = Attestation(
        id=fix.gen.id("att"),
        requirement_id=step.requirement.id,
        subject_id=subject,
        outcome=AttestationOutcome.NOT_MET,
        attested_on=fix.as_of,
        statement="Test statement: read and found wanting.",
    )
    fix.bundle = attrs.evolve(fix.bundle, attestations=(*fix.bundle.attestations, att))


def _documents(fix: Fix, step: Step, subject: str | None) -> None:
    bundle = fix.bundle
    if step.requirement.subject.value == "contract":
        if bundle.contract is not None:
            contract = attrs.evolve(bundle.contract, safeguarding_clause=SafeguardingClause())
            fix.bundle = attrs.evolve(bundle, contract=contract)
        return
    kinds = frozenset(PolicyKind(k) for k in step.params["in_policies"])
    found = {p.id for p in find_policies(bundle, kinds)}
    policies = tuple(
        attrs.evolve(p, topics=frozenset(), references=frozenset()) if p.id in found else p
        for p in bundle.policies
    )
    fix.bundle = attrs.evolve(bundle, policies=policies)


def _role(fix: Fix, step: Step, subject: str | None) -> None:
    kind = fix.gen.choice(list(step.params["roles"]))
    roles = tuple(r for r in fix.bundle.lead_roles if r.kind.value != kind)
    fix.bundle = attrs.evolve(fix.bundle, lead_roles=roles)


def _policies_gone(fix: Fix, step: Step, subject: str | None) -> None:
    kinds = frozenset(PolicyKind(k) for k in step.params["policies"])
    found = {p.id for p in find_policies(fix.bundle, kinds)}
    policies = tuple(p for p in fix.bundle.policies if p.id not in found)
    fix.bundle = attrs.evolve(fix.bundle, policies=policies)


def _unpublished(fix: Fix, step: Step, subject: str | None) -> None:
    flag = fix.gen.choice(list(step.params["require"]))
    kinds = frozenset(PolicyKind(k) for k in step.params["policies"])
    found = {p.id for p in find_policies(fix.bundle, kinds)}
    policies = tuple(
        attrs.evolve(p, **_false(flag)) if p.id in found else p for p in fix.bundle.policies
    )
    fix.bundle = attrs.evolve(fix.bundle, policies=policies)


def _false(name: str) -> dict[str, Any]:
    return {name: False}


def _records_gone(fix: Fix, step: Step, subject: str | None) -> None:
    where = step.params.get("where", {})
    fix.bundle = replace_records(
        fix.bundle, step.params["records"], lambda i: None if matches(i, where) else i
    )


def _spoiled(fix: Fix, step: Step, subject: str | None) -> None:
    collection, where = step.params["records"], step.params.get("where", {})
    name, value = fix.gen.choice(sorted(step.params["require"].items()))
    others = [v for v in FILTERABLE[collection].get(name, ()) if v != value]
    if not others:
        return
    worse = fix.gen.choice(others)
    done: list[bool] = []

    def spoil(item: Any) -> Any:
        if done or not matches(item, where):
            return item
        done.append(True)
        return attrs.evolve(item, **{name: worse})

    fix.bundle = replace_records(fix.bundle, collection, spoil)


def _late(fix: Fix, step: Step, subject: str | None) -> None:
    where = step.params.get("where", {})
    done_field = "submitted_on" if step.params["records"] == "self_audits" else "provided_on"
    due = fix.as_of - dt.timedelta(days=1)
    changed: list[bool] = []

    def late(item: Any) -> Any:
        if changed or not matches(item, where):
            return item
        changed.append(True)
        requested = min(item.requested_on or due, due)
        return attrs.evolve(item, requested_on=requested, due_on=due, **{done_field: None})

    fix.bundle = replace_records(fix.bundle, step.params["records"], late)


def _overdue(fix: Fix, step: Step, subject: str | None) -> None:
    item = ActionItem(id=fix.gen.id("act"), due_on=fix.as_of - dt.timedelta(days=1))
    audit = attrs.evolve(make_self_audit(fix.gen), action_plan=(item,))
    fix.bundle = attrs.evolve(fix.bundle, self_audits=(*fix.bundle.self_audits, audit))


BREAKERS: Mapping[str, Breaker] = {
    "check_present": _check,
    "check_current": lambda fix, step, s: fix.change(
        s, **({"dbs_checks": ()} if step.params["check"] == "dbs" else {"right_to_work": None})
    ),
    "checks_evidenced": _no_checks,
    "record_fields_present": _fields,
    "references": _references,
    "disclosure_followed_up": _disclosure,
    "training_current": _training,
    "training_by_start": _training,
    "panel_trained": _panel,
    "attested": _attested,
    "documents_referenced": _documents,
    "role_held": _role,
    "policy_current": _policies_gone,
    "policy_published": _unpublished,
    "recent_record": _records_gone,
    "count_at_least": _records_gone,
    "every_record": _spoiled,
    "responded_by_due": _late,
    "actions_complete": _overdue,
}


def break_bundle(fix: Fix) -> EvidenceBundle | None:
    """Break one to three ``met`` findings of ``fix.bundle`` (more, in turn, while nothing is
    ``not_met`` yet); ``None`` if nothing ended up ``not_met`` (every finding was waived, say)."""
    # Synthetic evidence for the date the caller chose, whether or not the edition is in force.
    assessment = fix.demands.plan.evaluate(fix.bundle, as_of=fix.as_of, allow_out_of_force=True)
    # Findings not applicable or short of evidence may break too (an overdue action where there
    # were none), so they are candidates after the met ones.
    met = [
        (fix.demands.steps[f.requirement_id], f.subject.id)
        for status in (Status.MET, Status.NOT_APPLICABLE, Status.INSUFFICIENT_EVIDENCE)
        for f in assessment.findings
        if f.status is status and f.requirement_id in fix.demands.steps
    ]
    met = [(step, subject) for step, subject in met if step.kind in BREAKERS]
    if not met:
        return None
    size = fix.gen.integer(1, min(3, len(met)))
    for done, (step, subject) in enumerate(fix.gen.permutation(met), start=1):
        BREAKERS[step.kind](fix, step, subject)
        if done >= size and not_met(fix):
            return fix.bundle
    return None
