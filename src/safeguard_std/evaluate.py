"""``evaluate(pack, evidence, as_of=...)``: the pure, deterministic heart of the library.

A pack is compiled once into an :class:`EvaluationPlan` (rule kinds looked up, parameters
resolved, predicates compiled); a plan then evaluates any number of bundles without touching the
pack again. Nothing here reads files, the clock or the environment.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from safeguard_std import __version__
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.facts import FACTS
from safeguard_std.domain.findings import Assessment, Finding, Outcome, Status, SubjectRef, Summary
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Modality, Pack, Requirement, SubjectType
from safeguard_std.domain.predicates import compile_predicate
from safeguard_std.exceptions import Location, PackError, Problem, RuleError
from safeguard_std.rules import RuleKindRegistry, RuleSpec, default_registry
from safeguard_std.rules._kind import Check
from safeguard_std.serialization import evidence_digest, pack_digest

__all__ = ["EvaluationPlan", "compile_pack", "evaluate", "resolve_params"]

Applies = Callable[[object, EvaluationContext], bool]


@attrs.frozen(kw_only=True)
class _Compiled:
    requirement: Requirement
    check: Check
    applies: Applies | None
    parameters: Mapping[str, Any]
    included_when: Applies | None = None


@attrs.frozen(kw_only=True)
class EvaluationPlan:
    """A pack compiled for evaluation; build with :func:`compile_pack`."""

    pack: Pack
    digest: str
    steps: tuple[_Compiled, ...]

    def evaluate(self, evidence: EvidenceBundle, *, as_of: dt.date) -> Assessment:
        """Judge ``evidence`` on ``as_of``; see :func:`evaluate`."""
        return _run(self, evidence, as_of)


def resolve_params(pack: Pack, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Replace ``{param: NAME}`` values with the pack's parameter values.

    Returns the resolved parameters and the pack parameters used (name to value). An unknown
    name raises ``KeyError``.
    """
    resolved: dict[str, Any] = {}
    used: dict[str, Any] = {}

    def one(value: Any) -> Any:
        if isinstance(value, Mapping) and set(value) == {"param"}:
            name = value["param"]
            param = pack.parameters[name]
            plain = (
                str(param.value)
                if not isinstance(param.value, (int, bool, str, tuple))
                else (list(param.value) if isinstance(param.value, tuple) else param.value)
            )
            used[name] = plain
            return plain
        if isinstance(value, Mapping):
            return {k: one(v) for k, v in value.items()}
        return value

    for key, value in raw.items():
        resolved[key] = one(value)
    return resolved, used


def _fact_getter(name: str) -> Callable[..., Any]:
    return FACTS[name].getter


def compile_pack(pack: Pack, *, kinds: RuleKindRegistry | None = None) -> EvaluationPlan:
    """Compile every active requirement of ``pack``; all problems are raised together as one
    :class:`~safeguard_std.exceptions.PackError`."""
    registry = kinds if kinds is not None else default_registry()
    steps: list[_Compiled] = []
    problems: list[Problem] = []
    for index, req in enumerate(pack.requirements):
        if req.withdrawn:
            continue
        where = Location(source=pack.path, path=("requirements", index, "rule"))
        try:
            steps.append(_compile_one(pack, req, registry))
        except (RuleError, KeyError, ValueError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) else str(exc)
            problems.append(Problem(f"requirement {req.id}: {message}", where))
    if problems:
        raise PackError(problems, source=pack.path)
    return EvaluationPlan(pack=pack, digest=pack_digest(pack), steps=tuple(steps))


def _compile_one(pack: Pack, req: Requirement, registry: RuleKindRegistry) -> _Compiled:
    if req.rule.kind not in registry:
        raise RuleError(f"unknown rule kind {req.rule.kind!r}")
    kind = registry[req.rule.kind]
    if req.subject not in kind.subjects:
        raise RuleError(
            f"rule kind {kind.name!r} judges {sorted(s.value for s in kind.subjects)}, "
            f"not {req.subject.value!r}"
        )
    try:
        params, used = resolve_params(pack, req.rule.params)
    except KeyError as exc:
        raise RuleError(f"unknown parameter {exc.args[0]!r}") from None
    problems = kind.validate_params(params)
    if problems:
        path, message = problems[0]
        at = ".".join(map(str, path))
        raise RuleError(f"rule {kind.name!r} parameter {at or '(root)'}: {message}")
    check = kind.compile(RuleSpec(params=params, requirement=req, documents=pack.documents))
    applies = compile_predicate(req.applies_when, _fact_getter) if req.applies_when else None
    gate = compile_predicate(req.included_when, _fact_getter) if req.included_when else None
    return _Compiled(
        requirement=req, check=check, applies=applies, parameters=used, included_when=gate
    )


def _subjects(kind: SubjectType, ctx: EvaluationContext) -> Iterable[tuple[object, str | None]]:
    bundle = ctx.bundle
    if kind is SubjectType.PROVIDER:
        return [(bundle.provider, bundle.provider.id)]
    if kind is SubjectType.PERSON:
        return [(p, p.id) for p in ctx.current_people]
    if kind is SubjectType.CONTRACT:
        return [(bundle.contract, bundle.contract.id if bundle.contract else None)]
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
    return [(i, i.id) for i in sorted(items, key=lambda i: i.id)]


def _judge(
    step: _Compiled, subject: object, subject_id: str | None, ctx: EvaluationContext
) -> Outcome:
    req = step.requirement
    if subject is None:
        return Outcome(
            status=Status.INSUFFICIENT_EVIDENCE,
            message=f"the evidence has no {req.subject.value} to judge",
        )
    try:
        if step.applies is not None and not step.applies(subject, ctx):
            return Outcome(status=Status.NOT_APPLICABLE, message="does not apply (applies_when)")
        result = step.check(subject, ctx)
    except Exception as exc:  # a failing rule must not stop the evaluation
        return Outcome(
            status=Status.ERROR,
            message=f"rule {req.rule.kind!r} failed: {type(exc).__name__}",
        )
    waiver = ctx.waiver_for(req.id, subject_id)
    if waiver is not None and result.status is not Status.NOT_APPLICABLE:
        until = f" until {waiver.expires_on}" if waiver.expires_on else ""
        return attrs.evolve(
            result,
            status=Status.WAIVED,
            message=f"waived{until} by {waiver.id}; would be {result.status.value}: "
            f"{result.message}",
            facts={**result.facts, "waived_status": result.status.value},
            evidence=tuple(sorted({*result.evidence, waiver.id})),
        )
    return result


def _finding(pack: Pack, step: _Compiled, ref: SubjectRef, result: Outcome) -> Finding:
    req = step.requirement
    return Finding(
        id=f"{pack.id}/{req.id}/{ref}",
        pack=pack.id,
        requirement_id=req.id,
        section=req.section,
        modality=req.modality,
        duty_holder=req.duty_holder,
        subject=ref,
        status=result.status,
        message=result.message,
        rule=req.rule.kind,
        facts=result.facts,
        parameters=step.parameters,
        evidence=result.evidence,
        due_on=result.due_on,
        origin=req.origin,
    )


def _summary(findings: tuple[Finding, ...], pack: Pack) -> Summary:
    statuses = [s.value for s in Status]

    def table(key: Callable[[Finding], str], keys: Iterable[str]) -> dict[str, dict[str, int]]:
        counts: dict[str, Counter[str]] = {k: Counter() for k in keys}
        for f in findings:
            counts.setdefault(key(f), Counter())[f.status.value] += 1
        return {k: {s: c[s] for s in statuses} for k, c in counts.items()}

    overall = Counter(f.status.value for f in findings)
    return Summary(
        total=len(findings),
        by_status={s: overall[s] for s in statuses},
        by_section=table(lambda f: f.section, [s.id for s in pack.sections]),
        by_modality=table(lambda f: f.modality.value, [m.value for m in Modality]),
        by_duty_holder=table(lambda f: f.duty_holder.value, ["provider", "commissioner"]),
    )


def _run(plan: EvaluationPlan, evidence: EvidenceBundle, as_of: dt.date) -> Assessment:
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise TypeError(f"as_of must be a calendar date (datetime.date), got {as_of!r}")
    ctx = EvaluationContext.build(evidence, as_of)
    findings: list[Finding] = []
    for step in plan.steps:
        # An included layer whose applies_when is false for this provider is not judged at all:
        # a youth charity's assessment against a pack that includes KCSIE for schools is the one
        # it would get without the include (only provider and contract facts are allowed here).
        if step.included_when is not None and not step.included_when(evidence.provider, ctx):
            continue
        for subject, subject_id in _subjects(step.requirement.subject, ctx):
            ref = SubjectRef(step.requirement.subject, subject_id)
            findings.append(_finding(plan.pack, step, ref, _judge(step, subject, subject_id, ctx)))
    ordered = tuple(findings)  # plan order, then subject id: canonical by construction
    return Assessment(
        pack=plan.pack.id,
        pack_edition=plan.pack.edition,
        pack_digest=plan.digest,
        pack_layers=plan.pack.layers,
        as_of=as_of,
        bundle_id=evidence.id,
        provider_id=evidence.provider.id,
        evidence_digest=evidence_digest(evidence),
        findings=ordered,
        summary=_summary(ordered, plan.pack),
        library_version=__version__,
    )


def evaluate(
    pack: Pack | EvaluationPlan,
    evidence: EvidenceBundle,
    *,
    as_of: dt.date,
    kinds: RuleKindRegistry | None = None,
) -> Assessment:
    """Judge ``evidence`` against ``pack`` on the calendar date ``as_of``.

    Pure and deterministic: the same pack, evidence and date give an equal assessment, whatever
    the order of the evidence's lists. ``as_of`` is required; the library never reads today's
    date. Pass an :class:`EvaluationPlan` (from :func:`compile_pack`) to evaluate many bundles
    without recompiling the pack.
    """
    plan = pack if isinstance(pack, EvaluationPlan) else compile_pack(pack, kinds=kinds)
    return plan.evaluate(evidence, as_of=as_of)
