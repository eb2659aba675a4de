"""What the evaluator does with a rule's outcome before it becomes a finding (fail closed).

A rule kind judges one subject from the records. Around it, the evaluator: asks for evidence when
a condition is unknown (never "not applicable"); combines the reader's attestation with the
records (the worse of the two, or the attestation alone where the kind reads it; an unused one
is reported); applies waivers; says when someone has not started yet; refuses to rest a `met`
on records that cannot be relied on (one person recorded twice, one certificate on two people,
a record that contradicts itself); and writes the one finding of a requirement with nobody to
judge. Pure: part of the core.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.facts import FACTS
from safeguard_std.domain.findings import Finding, Outcome, Status, SubjectRef, make_finding
from safeguard_std.domain.integrity import SHARED_CERTIFICATE
from safeguard_std.domain.organisation import Attestation, AttestationOutcome, Waiver
from safeguard_std.domain.pack import SubjectType
from safeguard_std.domain.predicates import Compare, Not, Predicate, unknown_fields
from safeguard_std.rules.compile import CompiledRequirement as _Compiled
from safeguard_std.rules.compile import fact_getter as _fact_getter
from safeguard_std.rules.compile import fact_unknowns as _fact_unknowns

_RECORDS = {
    SubjectType.PERSON: "person engaged on that date",
    SubjectType.POLICY: "policy",
    SubjectType.PANEL: "recruitment panel held on or before that date",
    SubjectType.SELF_AUDIT: "self-audit requested on or before that date",
    SubjectType.MONITORING_MEETING: "monitoring meeting held on or before that date",
}


def _provider_level(pred: Predicate) -> bool:
    """Whether every fact ``pred`` names is defined without a subject of its own (provider and
    contract facts), so it can be decided for a requirement that has no subject to judge."""
    if isinstance(pred, Compare):
        return FACTS[pred.field].subjects is None
    if isinstance(pred, Not):
        return _provider_level(pred.part)
    return all(_provider_level(p) for p in pred.parts)


def _absent(step: _Compiled, ctx: EvaluationContext) -> Outcome:
    """The one finding of a requirement with no subject to judge: not applicable when the pack's
    own condition rules it out for this provider, else a request for the records it needs."""
    req = step.requirement
    what = _RECORDS.get(req.subject, req.subject.value)
    facts: dict[str, Any] = {"subjects": 0}
    if step.applies_when is not None and _provider_level(step.applies_when):
        try:
            holds = step.applies(ctx.bundle.provider, ctx) if step.applies else True
        except Exception as exc:
            return _failed(step, exc)
        if holds is False:
            return Outcome(
                status=Status.NOT_APPLICABLE,
                message=f"does not apply to this provider (applies_when); no {what} is recorded",
                facts=facts,
            )
    return Outcome(
        status=Status.INSUFFICIENT_EVIDENCE,
        message=f"no {what} is recorded, so this cannot be judged",
        facts=facts,
    )


def _not_started(finding: Finding, ctx: EvaluationContext) -> Finding:
    """A future starter's finding says they have not started: what it judges must be done
    before they do."""
    starts = ctx.starts_on.get(finding.subject.id or "")
    if starts is None:
        return finding
    result = finding.outcome
    outcome = attrs.evolve(
        result,
        message=f"not yet started (starts on {starts}); before they start: {result.message}",
        facts={**result.facts, "not_started": True, "starts_on": starts.isoformat()},
    )
    return make_finding(finding.requirement, finding.subject, outcome)


_DBS_KINDS = frozenset({"check_present", "check_current"})


def _by_code(problems: list[tuple[str, str]]) -> str:
    """``problems`` (sorted) for a message: each code once, with its first place and how many
    more (``facts.record_integrity`` lists them all), so a record contradicting itself in
    fifteen dates still has a message one can read."""
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for code, text in problems:
        counts[code] = counts.get(code, 0) + 1
        first.setdefault(code, text)
    return "; ".join(
        f"{code}: {first[code]}" + (f" and {counts[code] - 1} more" if counts[code] > 1 else "")
        for code in counts
    )


def _unreliable(
    finding: Finding, step: _Compiled, integrity: Mapping[str, tuple[tuple[str, str], ...]]
) -> Finding:
    """A person's finding when their record cannot be relied on: recorded twice or
    contradicting itself (a check dated before the person was born, say: every finding of
    theirs), or their DBS certificate number also recorded for someone else (findings about DBS
    checks). The problem is named in the facts, by code and where (ids and field names, never a
    value); a ``met`` resting on such a record becomes ``insufficient_evidence`` (contradictory
    evidence never passes)."""
    found = integrity.get(finding.subject.id or "")
    if not found:
        return finding
    is_dbs = step.requirement.rule.kind in _DBS_KINDS and step.parameters_check == "dbs"
    relevant = [(code, text) for code, text in found if code != SHARED_CERTIFICATE or is_dbs]
    if not relevant:
        return finding
    result = finding.outcome
    problems = [f"{code}: {text}" for code, text in relevant]
    facts = {**result.facts, "record_integrity": problems}
    if result.status is Status.MET:
        outcome = attrs.evolve(
            result,
            status=Status.INSUFFICIENT_EVIDENCE,
            message=f"the record cannot be relied on ({_by_code(relevant)}): {result.message}",
            facts={**facts, "if_reliable": Status.MET.value},
        )
    else:
        outcome = attrs.evolve(result, facts=facts)
    return make_finding(finding.requirement, finding.subject, outcome)


_NOT_APPLICABLE = Outcome(status=Status.NOT_APPLICABLE, message="does not apply (applies_when)")


def _failed(step: _Compiled, exc: BaseException) -> Outcome:
    return Outcome(
        status=Status.ERROR,
        message=f"rule {step.requirement.rule.kind!r} failed: {type(exc).__name__}",
    )


def _attested_not_applicable(result: Outcome, att: Attestation) -> Outcome:
    """``result`` as not applicable when the reader attested so, and why: only where the records
    cannot show it either way (insufficient evidence). Over a record that shows met or not met
    the attestation is reported as not used, never applied."""
    if result.status is not Status.INSUFFICIENT_EVIDENCE:
        note = {
            "id": att.id,
            "reason": f"the records show {result.status.value}; an attestation that the "
            "requirement does not apply counts only where the records cannot show it",
        }
        return attrs.evolve(result, facts={**result.facts, "attestation_not_used": note})
    return Outcome(
        status=Status.NOT_APPLICABLE,
        message=f"attested as not applicable on {att.attested_on.isoformat()} by {att.id}: "
        f"{att.statement}; without it: {result.message}",
        facts={**result.facts, "attested": "not_applicable", "because": att.statement},
        evidence=tuple(sorted({*result.evidence, att.id, *att.evidence_refs})),
        due_on=result.due_on,
    )


def _waived(result: Outcome, waiver: Waiver) -> Outcome:
    until = f" until {waiver.expires_on}" if waiver.expires_on else ""
    return attrs.evolve(
        result,
        status=Status.WAIVED,
        message=f"waived{until} by {waiver.id}; would be {result.status.value}: {result.message}",
        facts={**result.facts, "waived_status": result.status.value},
        evidence=tuple(sorted({*result.evidence, waiver.id})),
    )


def _undecided(
    step: _Compiled,
    subject: object,
    ctx: EvaluationContext,
    memo: dict[tuple[int, int], tuple[str, ...]] | None = None,
) -> Outcome:
    """The outcome when ``applies_when`` is unknown for the subject: unknown is not false, so the
    requirement is judged; a ``met`` stands (the evidence satisfies it whether or not it
    applies), as does the rule's own ``not_applicable`` (nothing is due either way, e.g. not a
    new starter); anything else asks for the facts that would decide whether it applies.

    ``memo`` (one evaluation's, keyed by the ids of the shared compiled predicate and of the
    subject, both alive while it runs) keeps the unknown facts of each predicate and subject, so
    the requirements that share a condition walk it once per subject."""
    pred = step.applies_when
    assert pred is not None
    try:
        result = step.check(subject, ctx)
    except Exception as exc:
        return _failed(step, exc)
    if memo is None:
        fields = unknown_fields(pred, _fact_getter, subject, ctx, _fact_unknowns)
    else:
        key = (id(step.applies), id(subject))
        found = memo.get(key)
        if found is None:
            found = memo[key] = unknown_fields(pred, _fact_getter, subject, ctx, _fact_unknowns)
        fields = found
    unknown = list(fields)
    status = result.status
    if status is Status.MET or status is Status.NOT_APPLICABLE or status is Status.ERROR:
        facts = {**result.facts, "applies_when_unknown": unknown}
        return Outcome(status, result.message, facts, result.evidence, result.due_on)
    return Outcome(
        Status.INSUFFICIENT_EVIDENCE,
        f"whether this applies is unknown ({', '.join(unknown)} not recorded); "
        f"if it applies: {result.message}",
        {**result.facts, "applies_when_unknown": unknown, "if_applies": status.value},
        result.evidence,
        result.due_on,
    )


_RANK = {Status.MET: 0, Status.INSUFFICIENT_EVIDENCE: 1, Status.NOT_MET: 2}


def _with_attestation(
    step: _Compiled, result: Outcome, ctx: EvaluationContext, subject_id: str | None
) -> Outcome:
    """Combine a rule's outcome with the reader's attestation for the requirement and subject,
    so that an attestation is never silently ignored: a rule kind that reads attestations
    (``attested``) has used it already; for every other kind the finding is the worse of the
    records and the attestation (an attested ``not_met`` is never turned into ``met`` by what
    the records show). Where it cannot count (the requirement does not apply, the rule failed)
    the facts say it was not used, and why."""
    att = ctx.attestation_for(step.requirement.id, subject_id)
    if att is None:
        return result
    if result.status is Status.NOT_APPLICABLE or result.status is Status.ERROR:
        why = "does not apply" if result.status is Status.NOT_APPLICABLE else "could not be judged"
        note = {"id": att.id, "reason": f"the requirement {why} for this subject"}
        return attrs.evolve(result, facts={**result.facts, "attestation_not_used": note})
    if step.reads_attestations:
        return result
    if att.outcome is AttestationOutcome.NOT_APPLICABLE:
        return _attested_not_applicable(result, att)
    said = Status.MET if att.outcome is AttestationOutcome.MET else Status.NOT_MET
    facts = {**result.facts, "attested": att.outcome.value, "attestation": att.id}
    evidence = tuple(sorted({*result.evidence, att.id, *att.evidence_refs}))
    if _RANK.get(said, 0) > _RANK.get(result.status, 0):
        text = att.outcome.value.replace("_", " ")
        return Outcome(
            status=said,
            message=f"attested as {text} on {att.attested_on}; the records alone: "
            + result.message,
            facts={**facts, "records_alone": result.status.value},
            evidence=evidence,
            due_on=result.due_on,
        )
    return attrs.evolve(result, facts=facts, evidence=evidence)


def _about_no_one(step: _Compiled, ctx: EvaluationContext, attested: bool) -> Finding:
    """The one finding of a requirement with nobody and nothing to judge."""
    absent = _absent(step, ctx)
    att = ctx.attestation_for(step.requirement.id, None) if attested else None
    if att is not None:  # nobody to judge: a finding about no one is never not_met
        note = {"id": att.id, "reason": f"there is no {step.requirement.subject.value} to judge"}
        absent = attrs.evolve(absent, facts={**absent.facts, "attestation_not_used": note})
    return make_finding(step.ref, SubjectRef(step.requirement.subject, None), absent)
