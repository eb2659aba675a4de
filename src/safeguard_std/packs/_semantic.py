"""Semantic checks of a resolved pack: sections, parameters, predicates on facts the evidence
model has (with allowed operators and values), and every rule compiled by its kind."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from safeguard_std.domain.facts import FACTS, Fact, FactType
from safeguard_std.domain.pack import Pack, Requirement, SubjectType
from safeguard_std.domain.predicates import (
    AllOf,
    AnyOf,
    Compare,
    Not,
    ParamRef,
    Predicate,
    bind_params,
    comparisons,
)
from safeguard_std.exceptions import Location, Problem, RuleError
from safeguard_std.io._problems import did_you_mean, rule_param_problems, shown
from safeguard_std.io.documents import Document
from safeguard_std.packs._read import PackLayer
from safeguard_std.rules.compile import compile_requirement, resolve_params

if TYPE_CHECKING:
    from safeguard_std.packs._catalog import PackCatalog
    from safeguard_std.rules._kind import RuleKind


#: The operators each type of fact may be compared with.
_OPERATORS = {
    FactType.BOOL: {"eq", "ne", "exists"},
    FactType.INT: {"eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "exists"},
    FactType.STR: {"eq", "ne", "in", "not_in", "exists"},
    FactType.SET: {"contains", "intersects", "exists"},
}


class SemanticChecks:
    """The semantic checks of a resolved pack against the layer being resolved: sections,
    predicates on known facts with allowed values, and every rule compiled by its kind. Each
    problem is recorded located in the layer's file."""

    catalog: PackCatalog
    layer: PackLayer
    doc: Document
    problems: list[Problem]

    def fail(self, message: str, path: tuple[str | int, ...], **kw: Any) -> None:
        self.problems.append(Problem(message, self.doc.locate(path), **kw))

    def _path_of(self, rid: str, first: Mapping[str, int]) -> tuple[str | int, ...]:
        if rid in first:
            return ("requirements", first[rid])
        return ("alter", rid) if rid in self.layer.data.get("alter", {}) else ()

    def _semantics(self, pack: Pack) -> None:
        section_ids = {s.id for s in pack.sections}
        changed = set(self.layer.data.get("set_parameters", {}))
        first: dict[str, int] = {}  # where this layer defines each id (its first definition)
        for i, raw in enumerate(self.layer.data.get("requirements", [])):
            first.setdefault(raw["id"], i)
        for req in pack.requirements:
            here = self._path_of(req.id, first)
            if not here:
                # Defined and checked in a base layer; recheck its rule only when this layer
                # changes a parameter it uses (a period set to "3 years" breaks it here).
                if changed & _param_refs(req) and not req.withdrawn:
                    self._rule(pack, req, (), here=("set_parameters",))
                if changed & _predicate_refs(req.applies_when) and not req.withdrawn:
                    self._bound_predicate(pack, req, ("set_parameters",))
                continue
            if req.section not in section_ids:
                self.fail(
                    f"requirement {req.id}: unknown section {req.section!r}",
                    (*here, "section"),
                    expected=_one_of([s.id for s in pack.sections]),
                    hint=did_you_mean(req.section, section_ids),
                )
            before = len(self.problems)
            if req.applies_when is not None:
                self._bound_predicate(pack, req, (*here, "applies_when"))
            # A predicate already reported is not compiled again (one problem, one message).
            checked = req if len(self.problems) == before else attrs.evolve(req, applies_when=None)
            self._rule(pack, checked, (*here, "rule"), here=here)

    def _bound_predicate(self, pack: Pack, req: Requirement, path: tuple[str | int, ...]) -> None:
        """Check ``req``'s applies_when with its ``{param: NAME}`` values bound to the pack's."""
        assert req.applies_when is not None
        label = f"requirement {req.id}"
        try:
            when = bind_params(req.applies_when, lambda name: pack.parameters[name].value)
        except KeyError as exc:
            name = str(exc.args[0])
            self.fail(
                f"{label}: applies_when names unknown parameter {name!r}",
                path,
                expected=_one_of(pack.parameters),
                hint=did_you_mean(name, pack.parameters),
            )
            return
        self._predicate(label, req.subject, when, path)

    def _predicate(
        self,
        label: str,
        subject: SubjectType | None,
        pred: Predicate,
        path: tuple[str | int, ...],
    ) -> None:
        """Check facts, operators and values; ``subject`` None means judged once per bundle (an
        include's ``applies_when``), where only provider and contract facts are defined."""
        if isinstance(pred, (AllOf, AnyOf)):
            key = "all" if isinstance(pred, AllOf) else "any"
            for i, part in enumerate(pred.parts):
                self._predicate(label, subject, part, (*path, key, i))
            return
        if isinstance(pred, Not):
            self._predicate(label, subject, pred.part, (*path, "not"))
            return
        assert isinstance(pred, Compare)
        fact = FACTS.get(pred.field)
        if fact is None:
            known = _facts_for(subject)
            where = f"{subject.value} requirements" if subject else "an include's applies_when"
            self.fail(
                f"{label}: unknown fact {pred.field!r}",
                (*path, "field"),
                expected=f"a fact defined for {where}: " + _one_of(known, most=len(known)),
                hint=_fact_hint(pred.field, known),
            )
            return
        self._subject_of(label, subject, fact, pred.field, path)
        ops = _OPERATORS[fact.type]
        if pred.op not in ops:
            self.fail(
                f"{label}: operator {pred.op!r} does not apply to "
                f"{fact.type.value} fact {pred.field!r}",
                (*path, pred.op),
                expected="one of " + ", ".join(sorted(ops)),
            )
            return
        values = pred.value if isinstance(pred.value, tuple) else (pred.value,)
        for value in values if pred.op != "exists" else ():
            self._value(label, fact.name, fact.type, fact.choices, value, (*path, pred.op))

    def _subject_of(
        self,
        label: str,
        subject: SubjectType | None,
        fact: Fact,
        field: str,
        path: tuple[str | int, ...],
    ) -> None:
        """A fact named for a subject it is not defined for (None: once per bundle)."""
        if fact.subjects is not None and subject is None:
            self.fail(
                f"{label}: fact {field!r} is only defined for "
                f"{sorted(s.value for s in fact.subjects)} subjects; an include's applies_when "
                "is judged once per provider and may name only provider and contract facts",
                (*path, "field"),
            )
        elif fact.subjects is not None and subject not in fact.subjects:
            assert subject is not None
            self.fail(
                f"{label}: fact {field!r} is only defined for "
                f"{sorted(s.value for s in fact.subjects)} subjects, not {subject.value!r}",
                (*path, "field"),
            )

    def _value(
        self,
        label: str,
        name: str,
        kind: FactType,
        choices: tuple[str, ...],
        value: Any,
        path: tuple[str | int, ...],
    ) -> None:
        wanted = {FactType.BOOL: bool, FactType.INT: int}.get(kind, str)
        if type(value) is not wanted:
            self.fail(
                f"{label}: {name} is compared with {value!r}",
                path,
                expected=f"a {wanted.__name__}",
            )
        elif choices and value not in choices:
            self.fail(
                f"{label}: {value!r} is not a value of {name}",
                path,
                expected="one of " + ", ".join(choices),
                hint=did_you_mean(str(value), choices),
            )

    def _rule(
        self,
        pack: Pack,
        req: Requirement,
        path: tuple[str | int, ...],
        *,
        here: tuple[str | int, ...],
    ) -> None:
        registry = self.catalog.kinds
        if req.rule.kind not in registry:
            why = registry.why_missing(req.rule.kind)
            self.fail(
                f"requirement {req.id}: unknown rule kind {req.rule.kind!r}"
                + (f" ({why})" if why else ""),
                (*path, "kind"),
                hint=did_you_mean(req.rule.kind, registry.names),
            )
            return
        kind = registry[req.rule.kind]
        if req.subject not in kind.subjects:
            judges = sorted(s.value for s in kind.subjects)
            self.fail(
                f"requirement {req.id}: rule kind {kind.name!r} judges {judges}, "
                f"not {req.subject.value!r}",
                (*here, "subject") if "subject" in self.doc_at(here) else (*path, "kind"),
            )
            return
        for key, value in req.rule.params.items():
            if (
                isinstance(value, Mapping)
                and set(value) == {"param"}
                and not isinstance(value["param"], str)
            ):
                self.fail(
                    f"requirement {req.id}: 'param' must name a parameter",
                    (*path, key, "param"),
                    expected="a parameter name",
                    found=shown(value["param"]),
                )
                return
            if (
                isinstance(value, Mapping)
                and set(value) == {"param"}
                and value["param"] not in pack.parameters
            ):
                self.fail(
                    f"requirement {req.id}: unknown parameter {value['param']!r}",
                    (*path, key, "param"),
                    expected=_one_of(pack.parameters),
                    hint=did_you_mean(value["param"], pack.parameters),
                )
                return
        params, _ = resolve_params(pack, req.rule.params)
        if kind.proven_valid(params):
            problems = []
        else:
            try:
                validator = kind.validator  # made once per kind, its schema checked then
            except RuleError as exc:
                self.fail(f"requirement {req.id}: {exc}", path)
                return
            problems = self._param_problems(req, kind, path, validator.iter_errors(params))
        if problems:
            self.problems.extend(problems)
            return
        try:
            compile_requirement(pack, req, registry)
        except Exception as exc:  # every rule-kind complaint becomes a located problem
            self.fail(f"requirement {req.id}: {exc}", path)

    def _param_problems(
        self, req: Requirement, kind: RuleKind, path: tuple[str | int, ...], errors: Any
    ) -> list[Problem]:
        return rule_param_problems(
            sorted(errors, key=lambda e: ([str(p) for p in e.absolute_path], e.message)),
            requirement=req.id,
            kind=kind.name,
            allowed=sorted(kind.parameters.get("properties", {})),
            locate=lambda at, follow: self._param_location(req, path, at, follow),
        )

    def doc_at(self, path: tuple[str | int, ...]) -> Any:
        """The raw data at ``path`` in this layer (an empty mapping when there is none)."""
        node: Any = self.layer.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return {}
        return node

    def _param_location(
        self,
        req: Requirement,
        path: tuple[str | int, ...],
        at: tuple[str | int, ...],
        follow: bool,
    ) -> tuple[Location, str]:
        """Where a rule parameter's bad value is written: the rule itself, or the pack parameter
        it refers to when this layer declares or sets that parameter."""
        raw = req.rule.params.get(at[0]) if at and isinstance(at[0], str) else None
        if not follow or not (isinstance(raw, Mapping) and set(raw) == {"param"}):
            return self.doc.locate((*path, *at)), ""
        name = raw["param"]
        note = f" (from parameter {name!r})"
        if name in self.layer.data.get("set_parameters", {}):
            return self.doc.locate(("set_parameters", name)), note
        if name in self.layer.data.get("parameters", {}):
            return self.doc.locate(("parameters", name, "value")), note
        return self.doc.locate((*path, at[0], "param")), note


def _facts_for(subject: SubjectType | None) -> list[str]:
    """The facts a predicate may name for ``subject`` (``None``: once per bundle)."""
    return sorted(
        name
        for name, fact in FACTS.items()
        if fact.subjects is None or (subject is not None and subject in fact.subjects)
    )


def _fact_hint(field: str, known: Iterable[str]) -> str | None:
    """``did you mean`` for a fact, judged on the part after the dot: every provider fact
    shares ``provider.``, which made unrelated ones look close."""
    _, _, rest = field.rpartition(".")
    by_name: dict[str, str] = {}
    for name in known:
        by_name.setdefault(name.rpartition(".")[2], name)
    close = difflib.get_close_matches(rest, list(by_name), n=1, cutoff=0.75)
    return f"did you mean {by_name[close[0]]!r}?" if close and len(rest) <= 100 else None


def _one_of(names: Iterable[str], most: int = 12) -> str:
    """``one of a, b, c`` (the first ``most``, then a count), or ``none is declared``."""
    names = list(names)
    if not names:
        return "one declared in the pack (none is)"
    shown_names = ", ".join(names[:most])
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return f"one of {shown_names}{more}"


def _predicate_refs(pred: Predicate | None) -> set[str]:
    """The parameter names a predicate's ``{param: NAME}`` values use."""
    if pred is None:
        return set()
    return {p.value.name for p in comparisons(pred) if isinstance(p.value, ParamRef)}


def _param_refs(req: Requirement) -> set[str]:
    return {
        v["param"]
        for v in req.rule.params.values()
        if isinstance(v, Mapping) and set(v) == {"param"}
    }
