"""Rule kinds about references and what must follow a DBS disclosure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status, make_outcome
from safeguard_std.domain.pack import SubjectType
from safeguard_std.domain.people import (
    CheckStatus,
    DbsCheck,
    DbsDisclosure,
    LadoNotification,
    Person,
    RiskAssessment,
    RiskAssessmentKind,
)
from safeguard_std.rules._kind import (
    PERIOD_SCHEMA,
    Check,
    RuleSpec,
    due_after,
    outcome,
    period_param,
    rule_kind,
)
from safeguard_std.rules._start import start_unknown, unknown_starts

__all__ = ["disclosure_followed_up", "references"]


@rule_kind(
    "references",
    subjects=[SubjectType.PERSON],
    before_start=True,
    parameters={
        "properties": {
            "min": {"type": "integer", "minimum": 1, "maximum": 10},
            "require_verified": {"type": "boolean"},
            "alternative_risk_assessment": {"enum": [k.value for k in RiskAssessmentKind]},
            "longer_than": PERIOD_SCHEMA,
        },
    },
)
def references(spec: RuleSpec) -> Check:
    """At least ``min`` (default 2) satisfactory references, verified when ``require_verified``
    (default true; open and candidate-supplied references never count). With
    ``alternative_risk_assessment``, one fewer reference plus a completed risk assessment of that
    kind is also enough. With ``longer_than``, only people engaged for longer than that period are
    judged: an engagement in force that is open-ended (with or without a start date) or ends
    more than the period after it starts; everyone else is not applicable. An engagement with an
    end but no start date may be either: a met stands, anything else is insufficient_evidence
    asking for the start (``facts.start_unknown``, ``facts.if_longer_term``). References
    requested and pending (not yet received) that would make up the number give
    insufficient_evidence."""
    need = int(spec.params.get("min", 2))
    verified = bool(spec.params.get("require_verified", True))
    alt = spec.params.get("alternative_risk_assessment")
    alt_kind = RiskAssessmentKind(alt) if alt else None
    enough = {n: f"{n} satisfactory reference(s)" for n in range(need, need + 4)}
    longer = period_param(spec, "longer_than") if "longer_than" in spec.params else None
    longer_after = due_after(longer) if longer is not None else None

    # Requirements with the same number, verification and alternative judge a person's
    # references alike (Dorset's 2.5.7 and 2.5.8 differ only in whom they judge): the outcome is
    # shared through the evaluation's scratch, a chunk of people at a time.
    shared = ("references", need, verified, alt_kind)
    # Everyone engaged for no longer than the period gets the same outcome: one object.
    short_term = outcome(
        Status.NOT_APPLICABLE,
        f"engaged for no longer than {longer}",
        longer_than=str(longer),
    )

    def check(person: Person, ctx: EvaluationContext) -> Outcome:
        if longer_after is None:
            return shared_judge(person, ctx)
        engaged = ctx.engagements_of(person)
        longer_term = _longer_term(engaged, longer_after, ctx.as_of)
        if longer_term is False:
            return short_term
        result = shared_judge(person, ctx)
        if longer_term is None and result.status is not Status.MET:
            # A met stands: the references would do whether or not the post is longer term.
            return start_unknown(
                unknown_starts(engaged),
                f"whether they are engaged for longer than {longer} is unknown; if so: "
                + result.message,
                evidence=result.evidence,
                if_longer_term=result.status.value,
            )
        return result

    def shared_judge(person: Person, ctx: EvaluationContext) -> Outcome:
        scratch = ctx.scratch
        memo = scratch.get(shared)
        if memo is None:
            memo = scratch[shared] = {}
        hit = memo.get(id(person))
        if hit is not None and hit[0] is person:
            return hit[1]  # type: ignore[no-any-return]
        result = judge(person)
        if len(memo) >= _SHARED_KEPT:
            memo.clear()
        memo[id(person)] = (person, result)
        return result

    def judge(person: Person) -> Outcome:
        ev = []
        for r in person.references:
            if (
                r.satisfactory is True
                and (r.verified_on is not None or not verified)
                and not r.open_reference
                and not r.supplied_by_candidate
            ):
                ev.append(r.id)
        count = len(ev)
        if count >= need:
            message = enough.get(count) or f"{count} satisfactory reference(s)"
            ev.sort()  # ids are unique in a bundle: sorted is what outcome() would make
            return make_outcome(Status.MET, message, {"count": count}, tuple(ev))
        ras = (
            [
                ra
                for ra in person.risk_assessments
                if ra.kind is alt_kind and ra.completed_on is not None
            ]
            if alt_kind is not None
            else []
        )
        if ras and count == need - 1:
            assert alt_kind is not None
            return outcome(
                Status.MET,
                f"{count} satisfactory reference(s) and a {alt_kind.value} risk assessment",
                evidence=ev + [ra.id for ra in ras],
                count=count,
                risk_assessment=True,
            )
        pending = [r.id for r in person.references if r.status is CheckStatus.PENDING]
        if pending and count + len(pending) >= (need - 1 if ras else need):
            # Enough references are asked for to meet it: the finding waits for them.
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                f"{count} of {need} satisfactory reference(s); {len(pending)} requested and "
                "pending (not yet received)",
                evidence=ev + pending,
                count=count,
                required=need,
                pending=True,
            )
        unverified = [
            r.id for r in person.references if r.satisfactory is True and r.verified_on is None
        ]
        return outcome(
            Status.NOT_MET,
            f"{count} of {need} satisfactory"
            + (" verified" if verified else "")
            + " reference(s)"
            + (f"; {len(unverified)} awaiting verification" if unverified else "")
            + (f" and no {alt_kind.value} risk assessment" if alt_kind else ""),
            evidence=ev,
            count=count,
            required=need,
        )

    return check


_DISCLOSED = DbsDisclosure.INFORMATION_DISCLOSED
_SHARED_KEPT = 2048  # people whose references outcome is kept for the next requirement


def _id_of(record: DbsCheck) -> str:
    return record.id


def _longer_term(
    engagements: tuple[Any, ...], after: Callable[[dt.date], dt.date], as_of: dt.date
) -> bool | None:
    """Any engagement open-ended or ending later than ``after(start)``: True; else None (unknown)
    when one has an end but no start, unless it ends later than ``after(as_of)`` (in force on
    ``as_of``, it started on or before it); else False."""
    unknown = False
    for e in engagements:
        if e.end_on is None:
            return True
        if e.start_on is None:
            if e.end_on > after(as_of):
                return True
            unknown = True
        elif e.end_on > after(e.start_on):
            return True
    return None if unknown else False


def _follow_up_for(
    dbs: DbsCheck, records: tuple[RiskAssessment, ...] | tuple[LadoNotification, ...]
) -> list[str]:
    """Ids of records tied to the disclosure: by ``relates_to``, or undirected records dated on or
    after the certificate (a follow-up cannot precede what it follows)."""
    out = []
    for rec in records:
        date = rec.completed_on if isinstance(rec, RiskAssessment) else rec.notified_on
        if rec.relates_to == dbs.id or (
            rec.relates_to is None
            and date is not None
            and (dbs.issued_on is None or date >= dbs.issued_on)
        ):
            out.append(rec.id)
    return out


@rule_kind(
    "disclosure_followed_up",
    subjects=[SubjectType.PERSON],
    parameters={
        "required": ["requires"],
        "properties": {
            "requires": {"enum": ["risk_assessment", "lado_notification"]},
            "risk_assessment_kinds": {
                "type": "array",
                "minItems": 1,
                "items": {"enum": [k.value for k in RiskAssessmentKind]},
            },
            "require_shared_with_lado": {"type": "boolean"},
        },
    },
)
def disclosure_followed_up(spec: RuleSpec) -> Check:
    """Every DBS certificate that disclosed information has a follow-up record: a completed risk
    assessment (of ``risk_assessment_kinds``, default dbs_disclosure and concern; shared with the
    LADO when ``require_shared_with_lado``) or a LADO notification. Not applicable when nothing
    was disclosed."""
    requires = spec.params["requires"]
    kinds = {
        RiskAssessmentKind(k)
        for k in spec.params.get("risk_assessment_kinds", ["dbs_disclosure", "concern"])
    }
    shared = bool(spec.params.get("require_shared_with_lado", False))

    nothing = outcome(Status.NOT_APPLICABLE, "no DBS check disclosed information")  # shared

    def check(person: Person, _ctx: EvaluationContext) -> Outcome:
        disclosed = [c for c in person.dbs_checks if c.disclosure is _DISCLOSED]
        if not disclosed:
            return nothing  # the usual record: nothing disclosed, nothing to follow up
        disclosed.sort(key=_id_of)
        records: tuple[RiskAssessment, ...] | tuple[LadoNotification, ...]
        if requires == "risk_assessment":
            records = tuple(
                ra
                for ra in person.risk_assessments
                if ra.kind in kinds
                and ra.completed_on is not None
                and (not shared or ra.shared_with_lado_on is not None)
            )
            what = "a risk assessment" + (" shared with the LADO" if shared else "")
        else:
            records = person.lado_notifications
            what = "a LADO notification"
        lacking, ev = [], [c.id for c in disclosed]
        for dbs in disclosed:
            found = _follow_up_for(dbs, records)
            ev.extend(found)
            if not found:
                lacking.append(dbs.id)
        if lacking:
            return outcome(
                Status.NOT_MET,
                f"{len(lacking)} DBS disclosure(s) without {what}",
                evidence=ev,
                lacking=lacking,
            )
        return outcome(Status.MET, f"every DBS disclosure has {what}", evidence=ev)

    return check
