"""Compiling one requirement: its rule kind looked up, its parameters resolved, its predicates
compiled. Shared by :mod:`safeguard_std.evaluate` (which compiles a whole pack into a plan) and
:mod:`safeguard_std.packs` (which compiles each requirement when a pack loads, to report a bad
rule where it is written)."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.facts import FACTS
from safeguard_std.domain.findings import Outcome, RequirementRef, Status
from safeguard_std.domain.pack import Pack, Requirement, SubjectType
from safeguard_std.domain.predicates import Predicate, Truth, bind_params, compile_predicate
from safeguard_std.exceptions import RuleError
from safeguard_std.rules import BUILTIN_KINDS, RuleKindRegistry, RuleSpec
from safeguard_std.rules._kind import Check

__all__ = [
    "Applies",
    "CompiledRequirement",
    "compile_requirement",
    "fact_getter",
    "fact_unknowns",
    "resolve_params",
]

Applies = Callable[[object, EvaluationContext], Truth]


@attrs.frozen(kw_only=True)
class CompiledRequirement:
    """One requirement compiled for evaluation (see :func:`compile_requirement`)."""

    requirement: Requirement
    check: Check
    applies: Applies | None
    parameters: Mapping[str, Any]
    ref: RequirementRef
    included_when: Applies | None = None
    before_start: bool = False
    #: The rule's ``check`` parameter (``dbs``...), where it has one.
    parameters_check: str | None = None
    #: The rule kind reads attestations itself (``attested``): the attestation alone decides.
    reads_attestations: bool = False
    #: ``applies_when`` with the pack's parameters bound (what ``applies`` was compiled from).
    applies_when: Predicate | None = None


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


def fact_getter(name: str) -> Callable[..., Any]:
    return FACTS[name].getter


def fact_unknowns(name: str) -> frozenset[Any]:
    return FACTS[name].unknown


# Compiled requirements, remembered while the requirement lives: loading a pack compiles each
# requirement to check it, and compile_pack would otherwise do it all again. Keyed by identity
# (requirements hold dicts, so they do not hash); an entry counts only for the very same
# requirement, parameters, documents and registry objects it was compiled with.
_COMPILED: dict[int, tuple[Any, ...]] = {}


def _forget(key: int) -> Callable[[Any], None]:
    # The cache is bound now: at interpreter exit module globals may already be None.
    def drop(_gone: Any, cache: dict[int, tuple[Any, ...]] = _COMPILED) -> None:
        cache.pop(key, None)

    return drop


_BUILTIN = frozenset(map(id, BUILTIN_KINDS))  # by identity: a plugin may copy a name


def _outcomes_only(check: Check, name: str) -> Check:
    """``check``, with anything it returns other than an :class:`Outcome` made an error outcome
    for that subject (the rest of the assessment goes on)."""

    def checked(subject: Any, ctx: EvaluationContext) -> Outcome:
        result = check(subject, ctx)
        if isinstance(result, Outcome):
            return result
        return Outcome(
            status=Status.ERROR,
            message=f"rule {name!r} returned {type(result).__name__}, not an outcome",
        )

    return checked


def compile_requirement(
    pack: Pack, req: Requirement, registry: RuleKindRegistry
) -> CompiledRequirement:
    """Compile ``req`` of ``pack`` with the rule kinds of ``registry``.

    Raises :class:`~safeguard_std.exceptions.RuleError` for an unknown rule kind, a kind that
    judges another subject, an unknown pack parameter or a parameter the kind refuses. The result
    is remembered while ``req`` lives, for the same parameters, documents and registry objects.
    """
    hit = _COMPILED.get(id(req))
    if (
        hit is not None
        and hit[0]() is req
        and hit[1] is pack.parameters
        and hit[2] is pack.documents
        and hit[3] is registry
        and hit[4] == pack.id
    ):
        step: CompiledRequirement = hit[5]
        return step
    step = _compile_fresh(pack, req, registry)
    alive = weakref.ref(req, _forget(id(req)))
    _COMPILED[id(req)] = (alive, pack.parameters, pack.documents, registry, pack.id, step)
    return step


def _compile_fresh(pack: Pack, req: Requirement, registry: RuleKindRegistry) -> CompiledRequirement:
    if req.rule.kind not in registry:
        why = registry.why_missing(req.rule.kind)
        raise RuleError(f"unknown rule kind {req.rule.kind!r}" + (f" ({why})" if why else ""))
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
    if id(kind) not in _BUILTIN:  # the built-in kinds are tested to return outcomes; others may not
        check = _outcomes_only(check, kind.name)
    applies = when = None
    if req.applies_when is not None:
        try:
            when = bind_params(req.applies_when, lambda name: pack.parameters[name].value)
        except KeyError as exc:
            raise RuleError(f"applies_when: unknown parameter {exc.args[0]!r}") from None
        applies = compile_predicate(when, fact_getter, fact_unknowns)
    gate = (
        compile_predicate(req.included_when, fact_getter, fact_unknowns)
        if req.included_when
        else None
    )
    ref = RequirementRef(
        pack=pack.id,
        requirement_id=req.id,
        section=req.section,
        modality=req.modality,
        duty_holder=req.duty_holder,
        rule=req.rule.kind,
        parameters=used,
        origin=req.origin,
    )
    return CompiledRequirement(
        requirement=req,
        check=check,
        applies=applies,
        parameters=used,
        ref=ref,
        included_when=gate,
        before_start=kind.before_start and req.subject is SubjectType.PERSON,
        parameters_check=params.get("check") if isinstance(params.get("check"), str) else None,
        reads_attestations=kind.attestation,
        applies_when=when,
    )
