"""The ``checks_evidenced`` rule kind: every pre-employment check held is evidenced."""

from __future__ import annotations

from typing import Any

from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.people import Person, RegulatedActivity
from safeguard_std.rules._kind import Check, RuleSpec, outcome, rule_kind
from safeguard_std.rules._vetting import _PENDING, _PERSON

__all__ = ["checks_evidenced"]


def _held_checks(person: Person) -> list[tuple[Any, tuple[str, ...]]]:
    """Every pre-employment check the record holds, with the fields that evidence it: DBS
    certificates (issue date, when and by whom seen), identity, right to work, qualification
    checks the record says were made, suitability checks (date and who), references (when
    received). Update Service status checks renew a DBS check; they are not pre-employment."""
    held: list[tuple[Any, tuple[str, ...]]] = [
        (c, ("issued_on", "seen_on", "seen_by")) for c in person.dbs_checks
    ]
    for single in (person.identity_check, person.right_to_work):
        if single is not None:
            held.append((single, ("checked_on", "checked_by")))
    for q in person.qualification_checks:
        # A qualification with no sign of a check is unchecked (DOR-2.5.3), not a check held.
        if q.status is _PENDING or q.checked_on is not None or q.checked_by:
            held.append((q, ("checked_on", "checked_by")))
    held += [(c, ("checked_on", "checked_by")) for c in person.suitability_checks]
    held += [(r, ("received_on",)) for r in person.references]
    return held


@rule_kind(
    "checks_evidenced",
    subjects=_PERSON,
    before_start=True,
    parameters={"properties": {"dbs_for_regulated_activity": {"type": "boolean"}}},
)
def checks_evidenced(spec: RuleSpec) -> Check:
    """Every pre-employment check the person's record holds is evidenced: a DBS certificate by
    its issue date and when and by whom it was seen; identity, right-to-work, qualification and
    suitability checks by their date and who made them; a reference by when it was received.
    A check still pending is insufficient_evidence; a record holding no check at all is not_met.
    With ``dbs_for_regulated_activity``, a person whose engagement is regulated activity (or not
    recorded as outside it) must hold a DBS check among them."""
    need_dbs = bool(spec.params.get("dbs_for_regulated_activity", False))

    def check(person: Person, ctx: EvaluationContext) -> Outcome:
        held = _held_checks(person)
        if need_dbs and not person.dbs_checks:
            regulated = [e.regulated_activity for e in ctx.engagements_of(person)]
            if not regulated or any(r is not RegulatedActivity.NO for r in regulated):
                return outcome(
                    Status.NOT_MET,
                    "no DBS check is recorded",
                    evidence=[r.id for r, _f in held],
                    dbs_checks=0,
                )
        if not held:
            return outcome(Status.NOT_MET, "no pre-employment check is recorded")
        gaps, pending = [], []
        for record, fields in held:
            if record.status is _PENDING:
                pending.append(record)
                continue
            missing = [f for f in fields if not getattr(record, f)]
            if missing:
                gaps.append(f"{record.id} ({', '.join(missing)})")
        ids = [r.id for r, _f in held]
        if gaps:
            gaps.sort()
            return outcome(
                Status.NOT_MET,
                "the record does not evidence: " + ", ".join(gaps),
                evidence=ids,
                missing=gaps,
            )
        if pending:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                f"{len(pending)} check(s) pending (applied for, not yet done): "
                + ", ".join(sorted(r.id for r in pending)),
                evidence=ids,
                pending=True,
            )
        return outcome(Status.MET, f"{len(held)} check(s) evidenced", evidence=ids)

    return check
