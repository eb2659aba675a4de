"""``evaluate(pack, evidence, as_of=...)``: the pure, deterministic heart of the library.

A pack is compiled once into an :class:`EvaluationPlan` (rule kinds looked up, parameters
resolved, predicates compiled); a plan then evaluates any number of bundles without touching the
pack again. Nothing here reads files, the clock or the environment.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from safeguard_std._version import __version__
from safeguard_std.domain.calendar import WorkingDayCalendar
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.facts import FACTS
from safeguard_std.domain.findings import (
    Assessment,
    Finding,
    Outcome,
    Status,
    SubjectRef,
    Summary,
    make_finding,
)
from safeguard_std.domain.integrity import DUPLICATE, record_integrity
from safeguard_std.domain.organisation import (
    Attestation,
    AttestationOutcome,
    EvidenceBundle,
    Waiver,
)
from safeguard_std.domain.pack import Modality, Pack, SubjectType
from safeguard_std.domain.predicates import (
    Compare,
    Not,
    Predicate,
    Truth,
    unknown_fields,
)
from safeguard_std.exceptions import (
    EditionNotInForce,
    InvalidArgument,
    Location,
    PackError,
    Problem,
    RuleError,
    expect_date,
    quoted,
)
from safeguard_std.rules import RuleKindRegistry, default_registry
from safeguard_std.rules.compile import Applies, resolve_params
from safeguard_std.rules.compile import CompiledRequirement as _Compiled
from safeguard_std.rules.compile import compile_requirement as _compile_one
from safeguard_std.rules.compile import fact_getter as _fact_getter
from safeguard_std.rules.compile import fact_unknowns as _fact_unknowns
from safeguard_std.serialization import evidence_digest, pack_digest

__all__ = ["EvaluationPlan", "compile_pack", "evaluate", "resolve_params"]


@attrs.frozen(kw_only=True)
class EvaluationPlan:
    """A pack compiled for evaluation; build with :func:`compile_pack`."""

    pack: Pack
    digest: str
    steps: tuple[_Compiled, ...]

    def evaluate(
        self,
        evidence: EvidenceBundle,
        *,
        as_of: dt.date,
        working_days: WorkingDayCalendar | None = None,
        allow_out_of_force: bool = False,
    ) -> Assessment:
        """Judge ``evidence`` on ``as_of``; see :func:`evaluate`."""
        return _run(self, evidence, as_of, working_days, allow_out_of_force)


def compile_pack(pack: Pack, *, kinds: RuleKindRegistry | None = None) -> EvaluationPlan:
    """Compile every active requirement of ``pack``; all problems are raised together as one
    :class:`~safeguard_std.exceptions.PackError`."""
    registry = kinds if kinds is not None else default_registry()
    steps: list[_Compiled] = []
    problems: list[Problem] = []
    shared: dict[Predicate, Applies] = {}
    for index, req in enumerate(pack.requirements):
        if req.withdrawn:
            continue
        where = Location(source=pack.path, path=("requirements", index, "rule"))
        try:
            step = _compile_one(pack, req, registry)
        except (RuleError, KeyError, ValueError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) else str(exc)
            problems.append(Problem(f"requirement {req.id}: {message}", where))
            continue
        if req.applies_when is not None and step.applies is not None:
            # Requirements with the same applies_when share one compiled predicate, so an
            # evaluation works out whether it holds once per subject, not once per requirement.
            step = attrs.evolve(step, applies=shared.setdefault(req.applies_when, step.applies))
        if req.included_when is not None and step.included_when is not None:
            gate = shared.setdefault(req.included_when, step.included_when)
            step = attrs.evolve(step, included_when=gate)
        steps.append(step)
    if problems:
        raise PackError(problems, source=pack.path)
    return EvaluationPlan(pack=pack, digest=pack_digest(pack), steps=tuple(steps))


def _subjects(
    kind: SubjectType, ctx: EvaluationContext, before_start: bool = False
) -> list[tuple[object, SubjectRef]]:
    bundle = ctx.bundle
    if kind is SubjectType.PROVIDER:
        return [(bundle.provider, SubjectRef(kind, bundle.provider.id))]
    if kind is SubjectType.PERSON:
        people: Iterable[Any] = ctx.current_people
        if before_start and ctx.future_starters:
            people = sorted((*ctx.current_people, *ctx.future_starters), key=lambda p: p.id)
        return [(p, SubjectRef(kind, p.id)) for p in people]
    if kind is SubjectType.CONTRACT:
        contract = bundle.contract
        return [(contract, SubjectRef(kind, contract.id if contract else None))]
    items: Iterable[Any]
    if kind is SubjectType.POLICY:
        items = bundle.policies
    elif kind is SubjectType.PANEL:
        items = [p for p in bundle.recruitment_panels if p.interview_on <= ctx.as_of]
    elif kind is SubjectType.SELF_AUDIT:
        items = [
            a for a in bundle.self_audits if a.requested_on is None or a.requested_on <= ctx.as_of
        ]
    else:
        meetings = bundle.contract.monitoring_meetings if bundle.contract else ()
        items = [m for m in meetings if m.held_on <= ctx.as_of]
    return [(i, SubjectRef(kind, i.id)) for i in sorted(items, key=lambda i: i.id)]


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


def _unreliable(
    finding: Finding, step: _Compiled, integrity: Mapping[str, tuple[tuple[str, str], ...]]
) -> Finding:
    """A person's finding when their record cannot be relied on: recorded twice (every finding
    of theirs), or their DBS certificate number also recorded for someone else (findings about
    DBS checks). The problem is named in the facts; a ``met`` resting on such a record becomes
    ``insufficient_evidence`` (contradictory evidence never passes)."""
    found = integrity.get(finding.subject.id or "")
    if not found:
        return finding
    is_dbs = step.requirement.rule.kind in _DBS_KINDS and step.parameters_check == "dbs"
    relevant = [(code, text) for code, text in found if code == DUPLICATE or is_dbs]
    if not relevant:
        return finding
    result = finding.outcome
    problems = [f"{code}: {text}" for code, text in relevant]
    facts = {**result.facts, "record_integrity": problems}
    if result.status is Status.MET:
        outcome = attrs.evolve(
            result,
            status=Status.INSUFFICIENT_EVIDENCE,
            message="the record cannot be relied on ("
            + "; ".join(problems)
            + f"): {result.message}",
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


Flag = Truth | Exception


def _applies(
    applies: Applies, subjects: list[tuple[object, SubjectRef]], ctx: EvaluationContext
) -> list[Flag]:
    """Whether ``applies`` holds for each subject (``None``: unknown), or the exception it raised
    (reported as an error finding by each requirement that uses it)."""
    try:  # the usual case, in one comprehension
        return [applies(s, ctx) if s is not None else True for s, _ref in subjects]
    except Exception:
        pass
    flags: list[Flag] = []
    for subject, _ref in subjects:
        try:
            flags.append(applies(subject, ctx) if subject is not None else True)
        except Exception as exc:
            flags.append(exc)
    return flags


def _undecided(step: _Compiled, subject: object, ctx: EvaluationContext) -> Outcome:
    """The outcome when ``applies_when`` is unknown for the subject: unknown is not false, so the
    requirement is judged; a ``met`` stands (the evidence satisfies it whether or not it
    applies), as does the rule's own ``not_applicable`` (nothing is due either way, e.g. not a
    new starter); anything else asks for the facts that would decide whether it applies."""
    pred = step.applies_when
    assert pred is not None
    try:
        result = step.check(subject, ctx)
    except Exception as exc:
        return _failed(step, exc)
    unknown = list(unknown_fields(pred, _fact_getter, subject, ctx, _fact_unknowns))
    if result.status in (Status.MET, Status.NOT_APPLICABLE, Status.ERROR):
        return attrs.evolve(result, facts={**result.facts, "applies_when_unknown": unknown})
    return attrs.evolve(
        result,
        status=Status.INSUFFICIENT_EVIDENCE,
        message=(
            f"whether this applies is unknown ({', '.join(unknown)} not recorded); "
            f"if it applies: {result.message}"
        ),
        facts={**result.facts, "applies_when_unknown": unknown, "if_applies": result.status.value},
    )


def _judge_all(
    step: _Compiled,
    subjects: list[tuple[object, SubjectRef]],
    flags: list[Flag] | None,
    ctx: EvaluationContext,
    waivable: bool,
    out: list[Finding],
    attestable: bool = False,
) -> None:
    """Append one finding per subject to ``out``, in the subjects' order.

    The hot loop of the library: it runs once per requirement and subject, so it does no more
    than it must. Anything a whole requirement can answer once (is anything waived? is there a
    subject missing?) is answered before the loop, which then takes the shortest road."""
    ref, check, append, finding = step.ref, step.check, out.append, make_finding
    if waivable or attestable or (subjects and subjects[0][0] is None):  # None: no contract
        _judge_each(step, subjects, flags, ctx, waivable, out, attestable)
    elif flags is None:
        for subject, subject_ref in subjects:
            try:
                result = check(subject, ctx)
            except Exception as exc:  # a failing rule must not stop the evaluation
                result = _failed(step, exc)
            append(finding(ref, subject_ref, result))
    else:
        for (subject, subject_ref), flag in zip(subjects, flags, strict=True):
            if flag is True:
                try:
                    result = check(subject, ctx)
                except Exception as exc:
                    result = _failed(step, exc)
            elif flag is False:
                result = _NOT_APPLICABLE
            elif flag is None:
                result = _undecided(step, subject, ctx)
            else:
                assert isinstance(flag, Exception)
                result = _failed(step, flag)
            append(finding(ref, subject_ref, result))


def _judge_each(
    step: _Compiled,
    subjects: list[tuple[object, SubjectRef]],
    flags: list[Flag] | None,
    ctx: EvaluationContext,
    waivable: bool,
    out: list[Finding],
    attestable: bool = False,
) -> None:
    """:func:`_judge_all` for the general case: a missing subject, attestations, waivers."""
    ref, check, req = step.ref, step.check, step.requirement
    for index, (subject, subject_ref) in enumerate(subjects):
        flag = True if flags is None else flags[index]
        result: Outcome
        judged = False
        if flag is False:
            result = _NOT_APPLICABLE
        elif subject is None:
            result = Outcome(
                status=Status.INSUFFICIENT_EVIDENCE,
                message=f"the evidence has no {req.subject.value} to judge",
            )
        elif isinstance(flag, Exception):
            result = _failed(step, flag)
        else:
            try:
                result = check(subject, ctx) if flag else _undecided(step, subject, ctx)
            except Exception as exc:  # a failing rule must not stop the evaluation
                result = _failed(step, exc)
            else:
                judged = True
        if attestable:
            result = _with_attestation(step, result, ctx, subject_ref.id)
        if judged and waivable and result.status is not Status.NOT_APPLICABLE:
            waiver = ctx.waiver_for(req.id, subject_ref.id)
            if waiver is not None:
                result = _waived(result, waiver)
        out.append(make_finding(ref, subject_ref, result))


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


_status_of = operator.attrgetter("outcome.status")


def _counts(findings: list[Finding]) -> dict[Status, int]:
    statuses = list(map(_status_of, findings))
    return {s: statuses.count(s) for s in Status}  # identity compares: cheaper than hashing


def _summary(counted: list[tuple[_Compiled, dict[Status, int]]], pack: Pack) -> Summary:
    statuses = list(Status)
    sections: dict[str, Counter[Status]] = {s.id: Counter() for s in pack.sections}
    modalities: dict[str, Counter[Status]] = {m.value: Counter() for m in Modality}
    holders: dict[str, Counter[Status]] = {"provider": Counter(), "commissioner": Counter()}
    overall: Counter[Status] = Counter()
    for step, counts in counted:
        req = step.requirement
        overall.update(counts)
        sections.setdefault(req.section, Counter()).update(counts)
        modalities.setdefault(req.modality.value, Counter()).update(counts)
        holders.setdefault(req.duty_holder.value, Counter()).update(counts)

    def table(counters: dict[str, Counter[Status]]) -> dict[str, dict[str, int]]:
        return {k: {s.value: c[s] for s in statuses} for k, c in counters.items()}

    return Summary(
        total=sum(overall.values()),
        by_status={s.value: overall[s] for s in statuses},
        by_section=table(sections),
        by_modality=table(modalities),
        by_duty_holder=table(holders),
    )


def _included(
    plan: EvaluationPlan, evidence: EvidenceBundle, ctx: EvaluationContext
) -> list[_Compiled]:
    """The plan's steps, less those of an included layer whose applies_when is false for this
    provider: a youth charity's assessment against a pack that includes KCSIE for schools is the
    one it would get without the include (only provider and contract facts are allowed there)."""
    gates: dict[int, bool] = {}  # each included layer's applies_when, once per bundle
    steps = []
    for step in plan.steps:
        if step.included_when is not None:
            gate = id(step.included_when)
            if gate not in gates:
                # An included layer whose condition is unknown is included (fail closed): its
                # requirements then say for themselves what they cannot judge.
                gates[gate] = step.included_when(evidence.provider, ctx) is not False
            if not gates[gate]:
                continue
        steps.append(step)
    return steps


#: Subjects judged together against every requirement that judges their kind. Small enough that
#: a chunk's records stay in the processor's cache from one requirement to the next (a bundle of
#: 20,000 people judged one requirement at a time is a quarter slower), large enough that the
#: per-requirement work around each chunk does not count.
CHUNK = 256


def _run(
    plan: EvaluationPlan,
    evidence: EvidenceBundle,
    as_of: dt.date,
    working_days: WorkingDayCalendar | None = None,
    allow_out_of_force: bool = False,
) -> Assessment:
    expect_date("as_of", as_of)
    if not isinstance(evidence, EvidenceBundle):
        raise InvalidArgument(
            f"evidence must be an EvidenceBundle, got a {type(evidence).__name__}; structure it "
            "first with safeguard_std.bundle_from_data(data) or read a file with "
            "safeguard_std.load_evidence(path)"
        )
    if working_days is not None and not callable(getattr(working_days, "is_working_day", None)):
        raise InvalidArgument(
            "working_days must be a working-day calendar (safeguard_std.domain.calendar."
            f"WorkingDays, or bank_holidays.england_and_wales()), got {quoted(working_days, 40)}"
        )
    pack = plan.pack
    out_of_force = not pack.in_force(as_of)
    if out_of_force and not allow_out_of_force:
        raise EditionNotInForce(str(pack.ref), as_of, pack.effective_from, pack.effective_to)
    ctx = EvaluationContext.build(evidence, as_of, working_days)
    steps = _included(plan, evidence, ctx)
    outs: list[list[Finding]] = [[] for _ in steps]
    by_kind: dict[tuple[SubjectType, bool], list[int]] = {}
    for index, step in enumerate(steps):
        by_kind.setdefault((step.requirement.subject, step.before_start), []).append(index)
    waivable = [bool(ctx.waivers) and ctx.has_waiver(step.requirement.id) for step in steps]
    attestable = [
        bool(ctx.attestations) and ctx.has_attestation(step.requirement.id) for step in steps
    ]
    for (kind, before_start), indexes in by_kind.items():
        these = _subjects(kind, ctx, before_start)
        for start in range(0, len(these), CHUNK):
            chunk = these[start : start + CHUNK]
            flags: dict[int, list[Flag]] = {}  # each predicate, once per subject
            for index in indexes:
                step, step_flags = steps[index], None
                if step.applies is not None:
                    key = id(step.applies)
                    if key not in flags:
                        flags[key] = _applies(step.applies, chunk, ctx)
                    step_flags = flags[key]
                _judge_all(
                    step, chunk, step_flags, ctx, waivable[index], outs[index], attestable[index]
                )
    integrity = record_integrity(ctx.bundle.people) if len(ctx.bundle.people) > 1 else {}
    for step, out, attested in zip(steps, outs, attestable, strict=True):
        if step.before_start and ctx.starts_on:
            out[:] = [_not_started(f, ctx) for f in out]
        if integrity and step.requirement.subject is SubjectType.PERSON:
            out[:] = [_unreliable(f, step, integrity) for f in out]
        if not out:  # coverage: no requirement of the pack ever vanishes from an assessment
            absent = _absent(step, ctx)
            att = ctx.attestation_for(step.requirement.id, None) if attested else None
            if att is not None:  # nobody to judge: a finding about no one is never not_met
                note = {
                    "id": att.id,
                    "reason": f"there is no {step.requirement.subject.value} to judge",
                }
                absent = attrs.evolve(absent, facts={**absent.facts, "attestation_not_used": note})
            out.append(make_finding(step.ref, SubjectRef(step.requirement.subject, None), absent))
    findings: list[Finding] = []
    for out in outs:  # plan order, then subject id: canonical by construction
        findings.extend(out)
    counted = [(step, _counts(out)) for step, out in zip(steps, outs, strict=True)]
    return Assessment(
        pack=plan.pack.id,
        pack_edition=plan.pack.edition,
        pack_digest=plan.digest,
        pack_layers=plan.pack.layers,
        pack_origins=plan.pack.origins,
        as_of=as_of,
        bundle_id=evidence.id,
        provider_id=evidence.provider.id,
        evidence_digest=functools.partial(evidence_digest, evidence),
        findings=tuple(findings),
        summary=_summary(counted, plan.pack),
        library_version=__version__,
        out_of_force=out_of_force,
    )


def evaluate(
    pack: Pack | EvaluationPlan,
    evidence: EvidenceBundle,
    *,
    as_of: dt.date,
    kinds: RuleKindRegistry | None = None,
    working_days: WorkingDayCalendar | None = None,
    allow_out_of_force: bool = False,
) -> Assessment:
    """Judge ``evidence`` against ``pack`` on the calendar date ``as_of``.

    Pure and deterministic: the same pack, evidence and date give an equal assessment, whatever
    the order of the evidence's lists. ``as_of`` is required; the library never reads today's
    date. Pass an :class:`EvaluationPlan` (from :func:`compile_pack`) to evaluate many bundles
    without recompiling the pack. ``working_days`` is the calendar working-day periods
    (``P1WD``) count over; by default England and Wales bank holidays
    (:func:`safeguard_std.bank_holidays.england_and_wales`). Pass a fixed
    :class:`~safeguard_std.domain.calendar.WorkingDays` to pin it in tests.

    An edition that is not in force on ``as_of`` is refused with
    :class:`~safeguard_std.exceptions.EditionNotInForce`, unless ``allow_out_of_force`` asks for
    it explicitly; the assessment then records that it was asked (``out_of_force``).
    """
    if not isinstance(pack, (Pack, EvaluationPlan)):
        example = f"{pack!r}" if isinstance(pack, str) and len(pack) < 40 else "'dorset'"
        raise InvalidArgument(
            f"pack must be a Pack or an EvaluationPlan, got a {type(pack).__name__}; load one "
            f"with safeguard_std.load_pack({example}, as_of=...)"
        )
    plan = pack if isinstance(pack, EvaluationPlan) else compile_pack(pack, kinds=kinds)
    return plan.evaluate(
        evidence, as_of=as_of, working_days=working_days, allow_out_of_force=allow_out_of_force
    )
