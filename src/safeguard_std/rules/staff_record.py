"""Rule kinds about the staff record itself: the fields it holds and whether it is kept up to
date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from safeguard_std.domain.calendar import add_period, is_current
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.people import Person
from safeguard_std.rules._kind import (
    PERIOD_SCHEMA,
    Check,
    RuleSpec,
    outcome,
    period_param,
    rule_kind,
)
from safeguard_std.rules._vetting import _PERSON

__all__ = ["record_fields_present", "record_updated"]


_PERSON_FIELDS = tuple(
    a.name for a in attrs.fields(Person) if a.name in ("full_name", "date_of_birth", "address")
)


@rule_kind(
    "record_fields_present",
    subjects=_PERSON,
    parameters={
        "required": ["fields"],
        "properties": {
            "fields": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": list(_PERSON_FIELDS)},
            }
        },
    },
)
def record_fields_present(spec: RuleSpec) -> Check:
    """The staff record holds the named fields for the person (presence only: the values are
    personal data and never appear in findings)."""
    fields = tuple(spec.params["fields"])
    complete = outcome(Status.MET, "record holds " + ", ".join(fields))
    lacking: dict[tuple[str, ...], Outcome] = {}  # one outcome per combination of gaps

    def check(person: Person, _ctx: EvaluationContext) -> Outcome:
        for name in fields:
            value = getattr(person, name)
            if value is None or value == "":
                break
        else:
            return complete
        missing = tuple(f for f in fields if getattr(person, f) in (None, ""))
        found = lacking.get(missing)
        if found is None:
            found = lacking[missing] = outcome(
                Status.NOT_MET, "the record lacks: " + ", ".join(missing), missing=list(missing)
            )
        return found

    return check


def _changes(person: Person) -> list[tuple[dt.date, str]]:
    """Dated changes the staff record holds (2.4 and 2.5 of the Dorset standard: a leaving date,
    identity, right to work, qualifications, DBS, suitability checks, references, risk
    assessments), with the id of the record each comes from. A start date is not a change: the
    record is completed before someone starts. Training is kept elsewhere."""
    out: list[tuple[dt.date | None, str]] = [(e.end_on, e.id) for e in person.engagements]
    if person.identity_check is not None:
        out.append((person.identity_check.checked_on, person.identity_check.id))
    if person.right_to_work is not None:
        out.append((person.right_to_work.checked_on, person.right_to_work.id))
    out += [(q.checked_on, q.id) for q in person.qualification_checks]
    out += [(s.checked_on, s.id) for s in person.suitability_checks]
    for c in person.dbs_checks:
        out += [(c.issued_on, c.id), (c.seen_on, c.id)]
    if person.update_service is not None:
        out += [(s.checked_on, s.id) for s in person.update_service.status_checks]
    for r in person.references:
        out += [(r.received_on, r.id), (r.verified_on, r.id)]
    for ra in person.risk_assessments:
        out.append((ra.completed_on, ra.id))
    return [(d, i) for d, i in out if d is not None]


@rule_kind(
    "record_updated",
    subjects=_PERSON,
    parameters={"required": ["within"], "properties": {"within": PERIOD_SCHEMA}},
)
def record_updated(spec: RuleSpec) -> Check:
    """The person's record was updated (``record_updated_on``) on or after the latest change it
    holds that is dated on or before ``as_of`` (a check, a reference, a risk assessment, the end
    of an engagement), or that change is no more than ``within`` old: ``due_on`` is
    the change plus ``within``. A record that does not say when it was updated is
    insufficient_evidence."""
    within = period_param(spec, "within")

    def check(person: Person, ctx: EvaluationContext) -> Outcome:
        changes = [c for c in _changes(person) if c[0] <= ctx.as_of]
        if not changes:
            return outcome(Status.NOT_APPLICABLE, "the record holds no dated change")
        changed_on, source = max(changes)
        facts: dict[str, Any] = {"changed_on": changed_on.isoformat(), "within": str(within)}
        updated = person.record_updated_on
        if updated is None:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                "the record does not say when it was last updated",
                evidence=[source],
                facts=facts,
            )
        facts["updated_on"] = updated.isoformat()
        if updated >= changed_on:
            return outcome(
                Status.MET,
                f"record updated on {updated}, on or after its latest change ({changed_on})",
                evidence=[source],
                facts=facts,
            )
        due = add_period(changed_on, within)
        if is_current(due, ctx.as_of):
            return outcome(
                Status.MET,
                f"a change on {changed_on} is to be recorded by {due}",
                evidence=[source],
                due_on=due,
                facts=facts,
            )
        return outcome(
            Status.NOT_MET,
            f"record last updated on {updated}, before a change on {changed_on}; "
            f"it was due by {due}",
            evidence=[source],
            due_on=due,
            facts=facts,
        )

    return check
