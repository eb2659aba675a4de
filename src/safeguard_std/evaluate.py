"""``evaluate(pack, evidence, as_of=...)``: the pure, deterministic heart of the library.

A pack is compiled once into an :class:`EvaluationPlan` (rule kinds looked up, parameters
resolved, predicates compiled); a plan then evaluates any number of bundles without touching the
pack again. Nothing here reads files, the clock or the environment.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import weakref
from collections import Counter
from collections.abc import Iterable
from typing import Any

import attrs

from safeguard_std._judgement import (
    _NOT_APPLICABLE,
    _about_no_one,
    _failed,
    _not_started,
    _undecided,
    _unreliable,
    _waived,
    _with_attestation,
)
from safeguard_std._version import __version__
from safeguard_std.domain.calendar import WorkingDayCalendar
from safeguard_std.domain.consistency import person_contradictions
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import (
    Assessment,
    Finding,
    Outcome,
    Status,
    SubjectRef,
    Summary,
    make_finding,
    make_findings,
)
from safeguard_std.domain.findings import subject_ref as _subject_ref
from safeguard_std.domain.integrity import record_integrity
from safeguard_std.domain.organisation import (
    EvidenceBundle,
)
from safeguard_std.domain.pack import Modality, Pack, SubjectType
from safeguard_std.domain.people import Person
from safeguard_std.domain.predicates import (
    Predicate,
    Truth,
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
        return [(p, _subject_ref(kind, p.id)) for p in people]
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


_ref_of = operator.itemgetter(1)


def _judge_all(
    step: _Compiled,
    subjects: list[tuple[object, SubjectRef]],
    flags: list[Flag] | None,
    ctx: EvaluationContext,
    waivable: bool,
    out: list[Finding],
    attestable: bool = False,
    memo: dict[tuple[int, int], tuple[str, ...]] | None = None,
) -> None:
    """Append one finding per subject to ``out``, in the subjects' order.

    The hot loop of the library: it runs once per requirement and subject, so it does no more
    than it must. Anything a whole requirement can answer once (is anything waived? is there a
    subject missing?) is answered before the loop, which then takes the shortest road."""
    check = step.check
    if waivable or attestable or (subjects and subjects[0][0] is None):  # None: no contract
        _judge_each(step, subjects, flags, ctx, waivable, out, attestable, memo)
        return
    results: list[Outcome] = []
    append = results.append
    if flags is None:
        for subject, _ref in subjects:
            try:
                result = check(subject, ctx)
            except Exception as exc:  # a failing rule must not stop the evaluation
                result = _failed(step, exc)
            append(result)
    else:
        for (subject, _ref), flag in zip(subjects, flags, strict=True):
            if flag is True:
                try:
                    result = check(subject, ctx)
                except Exception as exc:
                    result = _failed(step, exc)
            elif flag is False:
                result = _NOT_APPLICABLE
            elif flag is None:
                result = _undecided(step, subject, ctx, memo)
            else:
                assert isinstance(flag, Exception)
                result = _failed(step, flag)
            append(result)
    out += make_findings(step.ref, map(_ref_of, subjects), results)


def _judge_each(
    step: _Compiled,
    subjects: list[tuple[object, SubjectRef]],
    flags: list[Flag] | None,
    ctx: EvaluationContext,
    waivable: bool,
    out: list[Finding],
    attestable: bool = False,
    memo: dict[tuple[int, int], tuple[str, ...]] | None = None,
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
                result = check(subject, ctx) if flag else _undecided(step, subject, ctx, memo)
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
    _check_arguments(evidence, as_of, working_days)
    pack = plan.pack
    out_of_force = not pack.in_force(as_of)
    if out_of_force and not allow_out_of_force:
        raise EditionNotInForce(str(pack.ref), as_of, pack.effective_from, pack.effective_to)
    ctx = EvaluationContext.build(evidence, as_of, working_days)
    steps = _included(plan, evidence, ctx)
    attestable = [
        bool(ctx.attestations) and ctx.has_attestation(step.requirement.id) for step in steps
    ]
    outs, judged = _judge_steps(steps, attestable, ctx)
    _account_for_everyone(evidence, steps, outs, judged, attestable, ctx)
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


def _check_arguments(
    evidence: object, as_of: object, working_days: WorkingDayCalendar | None
) -> None:
    """The public boundary's checks, with the library's own errors (issue 20)."""
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


Subjects = list[tuple[object, SubjectRef]]


def _judge_steps(
    steps: list[_Compiled], attestable: list[bool], ctx: EvaluationContext
) -> tuple[list[list[Finding]], list[Subjects]]:
    """Every step's findings, subjects taken a chunk at a time across the steps that judge
    their kind, each ``applies_when`` worked out once per subject; and each step's subjects (one
    list shared by the steps of a kind), in the order of its findings."""
    outs: list[list[Finding]] = [[] for _ in steps]
    judged: list[Subjects] = [[] for _ in steps]
    by_kind: dict[tuple[SubjectType, bool], list[int]] = {}
    for index, step in enumerate(steps):
        by_kind.setdefault((step.requirement.subject, step.before_start), []).append(index)
    waivable = [bool(ctx.waivers) and ctx.has_waiver(step.requirement.id) for step in steps]
    unknowns: dict[tuple[int, int], tuple[str, ...]] = {}  # see _undecided
    for (kind, before_start), indexes in by_kind.items():
        these = _subjects(kind, ctx, before_start)
        for index in indexes:
            judged[index] = these
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
                    step,
                    chunk,
                    step_flags,
                    ctx,
                    waivable[index],
                    outs[index],
                    attestable[index],
                    unknowns,
                )
    return outs, judged


#: Each bundle's records that cannot be relied on, by ``as_of``: they depend on the bundle (as
#: known on that date) alone, and finding them reads every person's name, certificates and
#: dates, so they are worked out once per bundle object and date, held while the bundle lives.
_INTEGRITY: dict[int, tuple[Any, dict[dt.date, dict[str, tuple[tuple[str, str], ...]]]]] = {}
_INTEGRITY_DATES = 8  # dates kept per bundle; the oldest are dropped past this


def _integrity(
    evidence: EvidenceBundle, ctx: EvaluationContext
) -> dict[str, tuple[tuple[str, str], ...]]:
    """The records of ``evidence`` as known on ``ctx.as_of`` (``ctx.bundle``, built from
    ``evidence``) that cannot be relied on, by person id: :func:`record_integrity` across people,
    and each person's own contradictions (:func:`person_contradictions`: a record dated before
    the person was born, say). Dates after ``as_of`` are no contradiction here: the bundle as
    known then holds none."""
    people = ctx.bundle.people
    if not people:
        return {}
    key = id(evidence)
    hit = _INTEGRITY.get(key)
    if hit is None or hit[0]() is not evidence:
        hit = (weakref.ref(evidence, lambda _gone: _INTEGRITY.pop(key, None)), {})
        _INTEGRITY[key] = hit
    by_date = hit[1]
    found = by_date.get(ctx.as_of)
    if found is None:
        while len(by_date) >= _INTEGRITY_DATES:
            del by_date[next(iter(by_date))]
        found = by_date[ctx.as_of] = _unreliable_records(people, ctx.as_of)
    return found


def _unreliable_records(
    people: tuple[Person, ...], as_of: dt.date
) -> dict[str, tuple[tuple[str, str], ...]]:
    found = record_integrity(people) if len(people) > 1 else {}
    own = {p.id: c for p in people if (c := person_contradictions(p, as_of))}
    if not own:
        return found
    merged = dict(found)
    for pid, problems in own.items():
        merged[pid] = tuple(sorted({*merged.get(pid, ()), *problems}))
    return {pid: merged[pid] for pid in sorted(merged)}


def _account_for_everyone(
    evidence: EvidenceBundle,
    steps: list[_Compiled],
    outs: list[list[Finding]],
    judged: list[Subjects],
    attestable: list[bool],
    ctx: EvaluationContext,
) -> None:
    """Fail closed, in place: people not yet started say so, findings resting on records that
    cannot be relied on ask for evidence, and a requirement with no subject still appears.

    Only the findings of the few subjects concerned are rebuilt: their positions are worked out
    once per list of subjects (a step's ``out[i]`` is its finding about ``judged[i]``)."""
    integrity = _integrity(evidence, ctx)
    starts_on = ctx.starts_on
    starting: dict[int, list[int]] = {}  # by id() of a subjects list alive for this call
    unreliable: dict[int, list[int]] = {}
    for step, out, these, attested in zip(steps, outs, judged, attestable, strict=True):
        if step.before_start and starts_on and out:
            key = id(these)
            if key not in starting:
                starting[key] = [
                    i for i, (_s, ref) in enumerate(these) if (ref.id or "") in starts_on
                ]
            for i in starting[key]:
                out[i] = _not_started(out[i], ctx)
        if integrity and step.requirement.subject is SubjectType.PERSON and out:
            key = id(these)
            if key not in unreliable:
                unreliable[key] = [
                    i for i, (_s, ref) in enumerate(these) if integrity.get(ref.id or "")
                ]
            for i in unreliable[key]:
                out[i] = _unreliable(out[i], step, integrity)
        if not out:  # coverage: no requirement of the pack ever vanishes from an assessment
            out.append(_about_no_one(step, ctx, attested))


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
