"""Loading standard packs: files, schema, semantics, layering, editions and discovery.

An adapter around the pure core. A pack folder is ``<root>/<id>/<edition>/pack.yaml`` with its
test cases in ``tests/*.yaml`` beside it. Loading goes in stages, each reporting *all* its
problems at once as one :class:`~safeguard_std.exceptions.PackError`:

1. parse (YAML with positions; duplicate keys and alias bombs refused);
2. JSON Schema (``schemas/standard-pack.schema.json``), with did-you-mean hints;
3. layering (``extends``, ``includes``, ``set_parameters``, ``exclude``, ``alter``,
   ``withdraw``): a target that does not exist, or a requirement id defined twice, is an error;
   an include without an edition takes the edition in force on ``as_of``;
4. semantics: sections, parameters, predicates on known facts with allowed values, and every
   rule compiled by its kind.

:class:`PackCatalog` finds packs (bundled, a directory, the ``safeguard_std.packs`` entry point),
picks the edition in force on a date, and caches resolved packs: a pack is parsed once per catalog.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import itertools
import os
import re
import warnings
from collections.abc import Iterable, Mapping
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import attrs

from safeguard_std.domain.calendar import Period
from safeguard_std.domain.facts import FACTS, FactType
from safeguard_std.domain.pack import (
    DocumentAliases,
    Inclusion,
    Pack,
    PackRef,
    Parameter,
    ParameterValue,
    Requirement,
    Rule,
    Section,
    Source,
    SubjectType,
)
from safeguard_std.domain.predicates import (
    AllOf,
    AnyOf,
    Compare,
    Not,
    ParamRef,
    Predicate,
    PredicateSyntaxError,
    bind_params,
    parse_predicate,
)
from safeguard_std.exceptions import (
    AsOfRequired,
    InvalidArgument,
    InvalidPackRef,
    InvalidPeriod,
    Location,
    PackError,
    PackNotFound,
    Problem,
    RuleError,
    expect_date,
)
from safeguard_std.io._problems import did_you_mean, rule_param_problems, schema_problems, shown
from safeguard_std.io.documents import Document, load_document
from safeguard_std.io.schemas import data_root, schema_errors
from safeguard_std.packs._inclusion import (
    SEPARATOR,
    namespaced_parameters,
    namespaced_requirement,
    namespaced_sections,
)
from safeguard_std.rules import RuleKindRegistry, default_registry
from safeguard_std.rules._kind import distribution_of, trusted
from safeguard_std.rules.compile import compile_requirement, resolve_params

__all__ = ["PackCatalog", "PackLayer", "PackOrigin", "bundled_catalog", "load_pack", "read_layer"]

PACK_FILE = "pack.yaml"


@attrs.frozen
class PackOrigin:
    """Where a pack layer came from: shipped with the library (``bundled``), the caller's own
    files (``folder``: ``--packs-dir``, a pack file named by path, text read directly), or an
    installed ``distribution`` (with its name and version). Assessments record it for every
    layer; a folder's path is not recorded, so an assessment does not depend on where the files
    happened to be."""

    kind: str
    name: str | None = None
    version: str | None = None

    def __str__(self) -> str:
        if self.kind == "distribution":
            return f"distribution {self.name} {self.version}"
        return self.kind


BUNDLED = PackOrigin("bundled")
FOLDER = PackOrigin("folder")


@attrs.frozen
class PackLayer:
    """One pack file, parsed and schema-valid, not yet resolved."""

    ref: PackRef
    data: Mapping[str, Any]
    document: Document = attrs.field(eq=False, repr=False)
    folder: Path | None = attrs.field(default=None, eq=False)
    origin: PackOrigin = attrs.field(default=FOLDER, eq=False)

    @property
    def tests_folder(self) -> Path | None:
        """Where this pack's test cases live (``tests/`` beside the pack file)."""
        return None if self.folder is None else self.folder / "tests"


def read_layer(source: Path | str, text: str | bytes | None = None) -> PackLayer:
    """Parse and schema-check one pack file (a ``pack.yaml`` or a folder holding one)."""
    path = Path(source)
    if path.is_dir():
        path = path / PACK_FILE
    label = str(path)
    doc = load_document(
        text if isinstance(text, bytes) else path,
        text=text if isinstance(text, str) else None,
        what="pack file",
        error=PackError,
        name=label,
    )
    if not isinstance(doc.data, dict):
        raise PackError([Problem("a pack must be a mapping", doc.locate(()))], source=label)
    problems = [
        _whole_rule(p) for p in schema_problems(schema_errors("standard-pack", doc.data), doc)
    ]
    problems = problems or [*_date_problems(doc), *_value_problems(doc)]
    if problems:
        raise PackError(problems, source=label)
    ref = PackRef(doc.data["id"], str(doc.data["edition"]))
    return PackLayer(ref, doc.data, doc, path.parent)


def _whole_rule(problem: Problem) -> Problem:
    """An ``alter`` that gives a rule without its kind: say that ``rule`` replaces the whole
    rule, and how to change one parameter."""
    path = problem.location.path
    if len(path) == 3 and path[0] == "alter" and path[2] == "rule" and "'kind'" in problem.message:
        return attrs.evolve(
            problem,
            hint="alter's rule replaces the whole rule: give its kind and every parameter, or "
            "change only some with rule_params: {NAME: VALUE}",
        )
    return problem


def _date_problems(doc: Document) -> list[Problem]:
    # The schema checks the shape YYYY-MM-DD; the calendar (no 30 February) is checked here.
    problems: list[Problem] = []
    dates: dict[str, dt.date] = {}
    for path in (("effective_from",), ("effective_to",), ("source", "retrieved_on")):
        raw: Any = doc.data
        for part in path:
            raw = raw.get(part) if isinstance(raw, dict) else None
        if raw is None:
            continue
        try:
            dates[path[-1]] = dt.date.fromisoformat(raw)
        except ValueError:
            problems.append(
                Problem(
                    "not a calendar date",
                    doc.locate(path),
                    expected="a date YYYY-MM-DD",
                    found=shown(raw),
                )
            )
    start, end = dates.get("effective_from"), dates.get("effective_to")
    if start is not None and end is not None and end < start:
        problems.append(
            Problem(
                f"edition ends on {end} before it starts on {start}",
                doc.locate(("effective_to",)),
                expected=f"a date on or after {start}",
            )
        )
    return problems


# The schema's patterns, matched whole (the schema's "$" also matches before a final newline).
_PACK_ID = re.compile(r"[a-z][a-z0-9_-]{0,63}")
_EDITION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
_REQUIREMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _floats(
    data: Any, path: tuple[str | int, ...] = ()
) -> Iterable[tuple[tuple[str | int, ...], float]]:
    if isinstance(data, float):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _floats(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _floats(value, (*path, i))


def _value_problems(doc: Document) -> list[Problem]:
    """What else the schema cannot say: ids without stray characters (a JSON Schema ``$`` lets a
    final newline through in Python), and no fractional numbers (findings and digests are
    canonical JSON without floats)."""
    data = doc.data
    problems = [
        Problem(
            "numbers with a fraction are not allowed in a pack",
            doc.locate(path),
            expected="a whole number, or text in quotes such as '3.2'",
            found=shown(value),
        )
        for path, value in _floats(data)
    ]
    for key, pattern in (("id", _PACK_ID), ("edition", _EDITION)):
        if not pattern.fullmatch(data[key]):
            problems.append(
                Problem(f"invalid pack {key}", doc.locate((key,)), found=shown(data[key]))
            )
    for i, req in enumerate(data.get("requirements", [])):
        if not _REQUIREMENT_ID.fullmatch(req["id"]):
            problems.append(
                Problem(
                    "invalid requirement id",
                    doc.locate(("requirements", i, "id")),
                    found=shown(req["id"]),
                )
            )
    return problems


def _value(raw: Any) -> ParameterValue:
    if isinstance(raw, list):
        return tuple(raw)
    if isinstance(raw, str) and raw.startswith("P"):
        try:
            return Period.parse(raw)
        except InvalidPeriod:
            return raw
    assert isinstance(raw, (int, bool, str))
    return raw


def _unique(*items: str) -> tuple[str, ...]:
    """Items in first-seen order, each once (a layer reached twice is listed once)."""
    return tuple(dict.fromkeys(items))


Choice = tuple[tuple[str, PackRef], ...]


class _Resolver:
    """Builds a resolved :class:`Pack` from a layer and (recursively) the layers it extends and
    includes; ``as_of`` chooses the edition of every include that names none."""

    def __init__(
        self,
        catalog: PackCatalog,
        layer: PackLayer,
        chain: tuple[PackRef, ...],
        as_of: dt.date | None = None,
    ) -> None:
        self.catalog = catalog
        self.layer = layer
        self.chain = chain
        self.as_of = as_of
        self.doc = layer.document
        self.problems: list[Problem] = []
        self.label = str(layer.ref)

    def fail(self, message: str, path: tuple[str | int, ...], **kw: Any) -> None:
        self.problems.append(Problem(message, self.doc.locate(path), **kw))

    def resolve(self) -> Pack:
        data = self.layer.data
        base = self._base()
        if base is None and "extends" in data:
            # Without its base a layer's alter/exclude/... targets would all look dangling.
            raise PackError(self.problems, source=self.doc.source)
        reqs: dict[str, Requirement] = {r.id: r for r in base.requirements} if base else {}
        params = dict(base.parameters) if base else {}
        docs = dict(base.documents) if base else {}
        sections = {s.id: s for s in base.sections} if base else {}
        inclusions = self._include(reqs, params, docs, sections)
        for s in data.get("sections", []):
            sections[s["id"]] = Section(id=s["id"], title=s["title"])
        for name, spec in data.get("parameters", {}).items():
            if name in params:
                self.fail(
                    f"parameter {name!r} is already defined by {params[name].origin}; use "
                    "set_parameters to change it",
                    ("parameters", name),
                )
            params[name] = Parameter(
                name=name,
                value=_value(spec["value"]),
                description=spec.get("description"),
                reading=spec.get("reading"),
                origin=self.label,
            )
        for name, value in data.get("set_parameters", {}).items():
            if name not in params and self._absent(name, params):
                continue
            if name not in params:
                self.fail(
                    f"set_parameters names unknown parameter {name!r}",
                    ("set_parameters", name),
                    expected=_one_of(params),
                    hint=did_you_mean(name, params),
                )
                continue
            params[name] = attrs.evolve(params[name], value=_value(value), origin=self.label)
        for key, spec in data.get("documents", {}).items():
            docs[key] = DocumentAliases(
                id=key,
                title=spec["title"],
                accepted=tuple(spec.get("accepted", ())),
                note=spec.get("note"),
            )
        self._exclude(reqs)
        self._alter(reqs)
        self._withdraw(reqs)
        self._add(reqs)
        pack = Pack(
            id=data["id"],
            edition=str(data["edition"]),
            title=data["title"],
            board=data["board"],
            effective_from=dt.date.fromisoformat(data["effective_from"]),
            effective_to=(
                dt.date.fromisoformat(data["effective_to"]) if "effective_to" in data else None
            ),
            supersedes=data.get("supersedes"),
            extends=data.get("extends"),
            source=self._source(),
            sections=tuple(sections.values()),
            parameters=params,
            documents=docs,
            requirements=tuple(reqs.values()),
            layers=_unique(
                *(base.layers if base else ()),
                *(layer for inc in inclusions for layer in inc.layers),
                self.label,
            ),
            includes=(*(base.includes if base else ()), *inclusions),
            path=str(self.layer.document.source),
        )
        self._semantics(pack)
        if self.problems:
            raise PackError(self.problems, source=self.doc.source)
        return pack

    def _base(self) -> Pack | None:
        target = self.layer.data.get("extends")
        if target is None:
            if "includes" in self.layer.data:
                return None  # the included packs are what set_parameters, exclude... change
            for key in ("set_parameters", "exclude", "alter", "withdraw"):
                if key in self.layer.data:
                    self.fail(f"{key!r} needs 'extends': there is no base pack to change", (key,))
            return None
        try:
            ref = PackRef.parse(target)
            # An unpinned base is never chosen by date: the base of an edition is fixed.
            as_of = self.as_of if ref.edition is not None else None
            return self.catalog.resolve(ref, as_of=as_of, _chain=self.chain)
        except AsOfRequired:
            raise
        except PackError as exc:
            n = len(exc.problems)
            why = exc.problems[0].message if n == 1 else f"it has {n} problems"
            self.fail(f"cannot extend {target!r}: {why} (in {exc.source or target})", ("extends",))
            return None
        except (PackNotFound, ValueError) as exc:
            self.fail(f"cannot extend {target!r}: {exc}", ("extends",))
            return None

    def _include(
        self,
        reqs: dict[str, Requirement],
        params: dict[str, Parameter],
        docs: dict[str, DocumentAliases],
        sections: dict[str, Section],
    ) -> list[Inclusion]:
        out: list[Inclusion] = []
        for i, spec in enumerate(self.layer.data.get("includes", [])):
            where: tuple[str | int, ...] = ("includes", i)
            included = self._included(spec, where)
            if included is None:
                continue
            namespace = spec.get("namespace", included.id)
            prefix = namespace + SEPARATOR
            if any(k.startswith(prefix) for k in (*reqs, *sections, *params)):
                self.fail(
                    f"namespace {namespace!r} is already used by another include",
                    (*where, "namespace" if "namespace" in spec else "pack"),
                    hint="give this include its own 'namespace'",
                )
                continue
            gate = self._gate(spec, where)
            for section in namespaced_sections(included, prefix):
                sections[section.id] = section
            for param in namespaced_parameters(included, prefix):
                params[param.name] = param
            for key, doc in included.documents.items():
                if key in docs and docs[key] != doc:
                    self.fail(
                        f"document {key!r} of {included.ref} differs from the one already "
                        "defined here",
                        (*where, "pack"),
                    )
                docs.setdefault(key, doc)
            for req in included.requirements:
                new = namespaced_requirement(
                    req, prefix=prefix, included=included, gate=gate, including=self.label
                )
                reqs[new.id] = new
            out.append(
                Inclusion(
                    requested=spec["pack"],
                    ref=included.ref,
                    namespace=namespace,
                    applies_when=gate,
                    layers=included.layers,
                )
            )
        return out

    def _included(self, spec: Mapping[str, Any], where: tuple[str | int, ...]) -> Pack | None:
        text = spec["pack"]
        try:
            ref = PackRef.parse(text)
            if ref.edition is None:
                if self.as_of is None:
                    raise AsOfRequired(self.label, text, self.doc.locate((*where, "pack")))
                if (
                    spec.get("optional")
                    and self.catalog.editions(ref.id)
                    and not any(
                        self.catalog.in_force(e, self.as_of) for e in self.catalog.editions(ref.id)
                    )
                ):
                    return None  # a known pack with no edition in force that day: nothing
                ref = self.catalog.edition_in_force(ref.id, self.as_of)
            return self.catalog.resolve(ref, as_of=self.as_of, _chain=self.chain)
        except AsOfRequired:
            raise
        except (PackNotFound, ValueError) as exc:
            self.fail(f"cannot include {text!r}: {exc}", (*where, "pack"))
            return None

    def _gate(self, spec: Mapping[str, Any], where: tuple[str | int, ...]) -> Predicate | None:
        if "applies_when" not in spec:
            return None
        path = (*where, "applies_when")
        try:
            gate = parse_predicate(spec["applies_when"])
        except PredicateSyntaxError as exc:
            self.fail(str(exc), (*path, *exc.path))
            return None
        before = len(self.problems)
        self._predicate(f"include {spec['pack']!r}", None, gate, path)
        return gate if len(self.problems) == before else None

    def _absent(self, name: str, present: Iterable[str]) -> bool:
        """Whether ``name`` lies in the namespace of an optional include (here or in a base layer)
        that contributed nothing on this date: changes aimed at it are skipped, not errors."""
        for namespace in self.catalog.optional_namespaces(self.layer.ref):
            prefix = namespace + SEPARATOR
            if name.startswith(prefix) and not any(k.startswith(prefix) for k in present):
                return True
        return False

    def _exclude(self, reqs: dict[str, Requirement]) -> None:
        for i, rid in enumerate(self.layer.data.get("exclude", [])):
            if reqs.pop(rid, None) is None and not self._absent(rid, reqs):
                self.fail(
                    f"exclude names unknown requirement {rid!r}",
                    ("exclude", i),
                    hint=did_you_mean(rid, reqs),
                )

    def _alter(self, reqs: dict[str, Requirement]) -> None:
        for rid, changes in self.layer.data.get("alter", {}).items():
            if rid not in reqs and self._absent(rid, reqs):
                continue
            if rid not in reqs:
                self.fail(
                    f"alter names unknown requirement {rid!r}",
                    ("alter", rid),
                    hint=did_you_mean(rid, reqs),
                )
                continue
            req = reqs[rid]
            fields = self._fields(changes, ("alter", rid))
            some = fields.pop("rule_params", None)
            if some is not None:  # change these parameters, keep the kind and the rest
                rule = fields.get("rule", req.rule)
                fields["rule"] = Rule(kind=rule.kind, params={**rule.params, **some})
            changed = {"rule" if k == "rule_params" else k for k in changes}
            prov = {**req.provenance, **{k: self.label for k in changed}}
            reqs[rid] = attrs.evolve(req, **fields, provenance=prov)

    def _withdraw(self, reqs: dict[str, Requirement]) -> None:
        for i, item in enumerate(self.layer.data.get("withdraw", [])):
            rid = item["id"]
            if rid not in reqs and self._absent(rid, reqs):
                continue
            if rid not in reqs:
                self.fail(
                    f"withdraw names unknown requirement {rid!r}",
                    ("withdraw", i, "id"),
                    hint=did_you_mean(rid, reqs),
                )
                continue
            reqs[rid] = attrs.evolve(
                reqs[rid],
                withdrawn=True,
                replaced_by=item.get("replaced_by"),
                provenance={**reqs[rid].provenance, "withdrawn": self.label},
            )

    def _add(self, reqs: dict[str, Requirement]) -> None:
        for i, raw in enumerate(self.layer.data.get("requirements", [])):
            rid = raw["id"]
            if rid in reqs:
                where = reqs[rid].origin
                self.fail(
                    f"requirement id {rid!r} is already defined "
                    + (f"by {where}" if where != self.label else self._first_definition(rid))
                    + (" (withdrawn ids are never reused)" if reqs[rid].withdrawn else ""),
                    ("requirements", i, "id"),
                )
                continue
            fields = self._fields({k: v for k, v in raw.items() if k != "id"}, ("requirements", i))
            reqs[rid] = Requirement(id=rid, origin=self.label, **fields)

    def _first_definition(self, rid: str) -> str:
        for i, raw in enumerate(self.layer.data.get("requirements", [])):
            if raw["id"] == rid:
                loc = self.doc.locate(("requirements", i, "id"))
                line = f" (line {loc.line})" if loc.line is not None else ""
                return f"at {loc.json_path}{line}"
        return "in this file"  # pragma: no cover - the first definition is always found

    def _fields(self, raw: Mapping[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
        out = dict(raw)
        if "rule" in raw:
            params = {k: v for k, v in raw["rule"].items() if k != "kind"}
            out["rule"] = Rule(kind=raw["rule"]["kind"], params=params)
        if "applies_when" in raw:
            try:
                out["applies_when"] = parse_predicate(raw["applies_when"])
            except PredicateSyntaxError as exc:
                self.fail(str(exc), (*path, "applies_when", *exc.path))
                out.pop("applies_when")
        if "tags" in raw:
            out["tags"] = tuple(raw["tags"])
        return out

    def _source(self) -> Source | None:
        raw = self.layer.data.get("source")
        if raw is None:
            return None
        fields = dict(raw)
        if "retrieved_on" in fields:
            fields["retrieved_on"] = dt.date.fromisoformat(fields["retrieved_on"])
        return Source(**fields)

    # -- semantics ----------------------------------------------------------------------------

    def _path_of(self, pack: Pack, rid: str) -> tuple[str | int, ...]:
        for i, raw in enumerate(self.layer.data.get("requirements", [])):
            if raw["id"] == rid:
                return ("requirements", i)
        return ("alter", rid) if rid in self.layer.data.get("alter", {}) else ()

    def _semantics(self, pack: Pack) -> None:
        section_ids = {s.id for s in pack.sections}
        changed = set(self.layer.data.get("set_parameters", {}))
        for req in pack.requirements:
            here = self._path_of(pack, req.id)
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
        if fact.subjects is not None and subject is None:
            self.fail(
                f"{label}: fact {pred.field!r} is only defined for "
                f"{sorted(s.value for s in fact.subjects)} subjects; an include's applies_when "
                "is judged once per provider and may name only provider and contract facts",
                (*path, "field"),
            )
        elif fact.subjects is not None and subject not in fact.subjects:
            assert subject is not None
            self.fail(
                f"{label}: fact {pred.field!r} is only defined for "
                f"{sorted(s.value for s in fact.subjects)} subjects, not {subject.value!r}",
                (*path, "field"),
            )
        ops = {
            FactType.BOOL: {"eq", "ne", "exists"},
            FactType.INT: {"eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "exists"},
            FactType.STR: {"eq", "ne", "in", "not_in", "exists"},
            FactType.SET: {"contains", "intersects", "exists"},
        }[fact.type]
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
        try:
            validator = kind.validator  # made once per kind, its schema checked then
        except RuleError as exc:
            self.fail(f"requirement {req.id}: {exc}", path)
            return
        errors = validator.iter_errors(params)
        problems = rule_param_problems(
            sorted(errors, key=lambda e: ([str(p) for p in e.absolute_path], e.message)),
            requirement=req.id,
            kind=kind.name,
            allowed=sorted(kind.parameters.get("properties", {})),
            locate=lambda at, follow: self._param_location(req, path, at, follow),
        )
        if problems:
            self.problems.extend(problems)
            return
        try:
            compile_requirement(pack, req, registry)
        except Exception as exc:  # every rule-kind complaint becomes a located problem
            self.fail(f"requirement {req.id}: {exc}", path)

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
    if isinstance(pred, (AllOf, AnyOf)):
        return set().union(*(_predicate_refs(p) for p in pred.parts))
    if isinstance(pred, Not):
        return _predicate_refs(pred.part)
    return {pred.value.name} if isinstance(pred.value, ParamRef) else set()


def _param_refs(req: Requirement) -> set[str]:
    return {
        v["param"]
        for v in req.rule.params.values()
        if isinstance(v, Mapping) and set(v) == {"param"}
    }


#: What resolves a pack defined twice (a folder pack and an installed one with the same
#: id@edition): the command-line option, and the Python equivalent.
TWICE_HINT = (
    "choose the one to use with --trust-pack-source NAME, or leave installed packs out with "
    "--no-entry-points; in Python, build the catalog without the other "
    "(bundled_catalog(entry_points_too=False))"
)


def _own_copy(layers: Mapping[PackRef, PackLayer]) -> dict[PackRef, PackLayer]:
    return dict(layers)  # a catalog never shares its table with the caller's dictionary


@attrs.frozen
class PackCatalog:
    """Known pack layers by id and edition, resolved on demand and cached.

    Build one with :func:`bundled_catalog` (the packs shipped with the library and those installed
    through the ``safeguard_std.packs`` entry point). A catalog is a value: :meth:`with_folder`
    and :meth:`with_layer` return a new catalog with more packs and leave this one as it is, so
    a catalog shared between callers (or threads) never changes under them.
    """

    kinds: RuleKindRegistry = attrs.field(factory=default_registry)
    _layers: dict[PackRef, PackLayer] = attrs.field(
        factory=dict, alias="layers", converter=_own_copy
    )
    # Keyed by the edition and, for packs with undated includes, the editions those resolved to
    # on the date asked: every date in one KCSIE edition's term shares one resolved pack.
    _resolved: dict[tuple[PackRef, Choice], Pack] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )
    # Installed packs not taken, one line each, by the pack id they concern (None: unknown).
    _notes: tuple[tuple[str | None, str], ...] = attrs.field(default=(), alias="notes")
    # Editions two sources define: neither is used, and asking for one says why.
    _conflicts: Mapping[PackRef, str] = attrs.field(factory=dict, alias="conflicts")

    @property
    def notices(self) -> tuple[str, ...]:
        """One line for each installed pack or pack source not taken, naming its distribution:
        one that does not load, an edition two sources define, or an id the library ships
        offered by a distribution not trusted by name."""
        return tuple(text for _id, text in self._notes)

    def notices_for(self, pack_id: str) -> tuple[str, ...]:
        """The :attr:`notices` about packs with the id ``pack_id``."""
        return tuple(text for about, text in self._notes if about == pack_id)

    def with_layer(self, layer: PackLayer) -> PackCatalog:
        """A new catalog with ``layer`` added; a second layer with the same id@edition from
        another file is a :class:`PackError`."""
        self._check_new(layer)
        return attrs.evolve(self, layers={**self._layers, layer.ref: layer})

    def with_folder(self, root: Path | str, *, origin: PackOrigin = FOLDER) -> PackCatalog:
        """A new catalog with every pack under ``root`` added (``<id>/<edition>/pack.yaml``),
        or the single pack in ``root`` itself when it holds a ``pack.yaml``; ``origin`` is what
        assessments record as where they came from."""
        layers = dict(self._layers)
        for path in _folder_files(root):
            layer = attrs.evolve(read_layer(path), origin=origin)
            self._check_new(layer, layers)
            layers[layer.ref] = layer
        return attrs.evolve(self, layers=layers)

    def with_installed(self, *, trust: Iterable[str] = ()) -> PackCatalog:
        """A new catalog with the packs installed through the ``safeguard_std.packs`` entry
        point, none of which may change what this catalog already gives silently.

        An installed pack whose id this catalog already has (the library's own ``dorset``, say)
        is not taken unless its distribution is named in ``trust``; an edition two sources
        define is taken from neither, and resolving it says so; an entry point or pack file that
        does not load is skipped. Each is one line in :attr:`notices` naming the distribution;
        every other pack works as before."""
        return _Installer(self, tuple(trust)).run()

    def add_layer(self, layer: PackLayer) -> None:
        """Deprecated (changes this catalog in place): ``catalog = catalog.with_layer(layer)``."""
        _deprecated("add_layer", "catalog = catalog.with_layer(layer)")
        self._add(layer)

    def add_folder(self, root: Path | str) -> None:
        """Deprecated (changes this catalog in place): ``catalog = catalog.with_folder(root)``."""
        _deprecated("add_folder", "catalog = catalog.with_folder(root)")
        for path in _folder_files(root):
            self._add(attrs.evolve(read_layer(path), origin=FOLDER))

    def _add(self, layer: PackLayer) -> None:
        self._check_new(layer)
        self._layers[layer.ref] = layer
        self._resolved.clear()

    def _check_new(
        self, layer: PackLayer, layers: Mapping[PackRef, PackLayer] | None = None
    ) -> None:
        known = (self._layers if layers is None else layers).get(layer.ref)
        if known is not None and known.document.source != layer.document.source:
            raise PackError(
                [
                    Problem(
                        f"pack {layer.ref} is defined twice (also in {known.document.source})",
                        layer.document.locate(()),
                        hint=TWICE_HINT,
                    )
                ],
                source=layer.document.source,
            )

    @property
    def refs(self) -> tuple[PackRef, ...]:
        """Every known id@edition, sorted by id then effective date."""
        return tuple(sorted(self._layers, key=lambda r: (r.id, self._from(r), r.edition or "")))

    def _from(self, ref: PackRef) -> str:
        return str(self._layers[ref].data["effective_from"])

    def editions(self, pack_id: str) -> tuple[PackRef, ...]:
        """The editions of one pack, oldest first."""
        return tuple(r for r in self.refs if r.id == pack_id)

    def layer(self, ref: PackRef) -> PackLayer:
        """The parsed layer for an exact id@edition."""
        found = self._layers.get(ref)
        if found is not None:
            return found
        if ref in self._conflicts:
            raise PackNotFound(str(ref), self._conflicts[ref])
        known = sorted({r.id for r in self._layers})
        if ref.id in known:
            reason = f"no edition {ref.edition!r} of {ref.id}; editions: " + ", ".join(
                str(r) for r in self.editions(ref.id)
            )
        else:
            hint = did_you_mean(ref.id, known)
            reason = (
                "no such pack or edition; known packs: "
                + ", ".join(str(r) for r in self.refs)
                + (f" ({hint})" if hint else "")
            )
        # The pack asked for may be one not taken from an installed source: say so.
        untaken = [text for about, text in self._notes if about in (None, ref.id)]
        raise PackNotFound(str(ref), "; ".join([reason, *untaken]))

    def resolve(
        self, ref: PackRef | str, *, as_of: dt.date | None = None, _chain: tuple[PackRef, ...] = ()
    ) -> Pack:
        """The resolved pack for ``ref``; without an edition, the one in force on ``as_of``
        (required then). Editions end the day before the next one starts unless they say.

        A pack that ``includes`` another without naming its edition (``- pack: kcsie``) takes
        the edition in force on ``as_of``; resolving it without ``as_of`` raises
        :class:`~safeguard_std.exceptions.AsOfRequired`, located at the include.
        """
        if as_of is not None:
            expect_date("as_of", as_of)
        if not isinstance(ref, (str, PackRef)):
            raise InvalidArgument(
                f"ref must be a pack reference ('dorset', 'dorset@2024') or a PackRef, got a "
                f"{type(ref).__name__}"
            )
        ref = PackRef.parse(ref) if isinstance(ref, str) else ref
        if ref.edition is None:
            ref = self.edition_in_force(ref.id, as_of)
        if ref in _chain:
            cycle = " -> ".join(str(r) for r in (*_chain, ref))
            raise PackNotFound(str(ref), f"circular extends: {cycle}")
        key = (ref, self._choices(ref, as_of, set()))
        if key not in self._resolved:
            pack = _Resolver(self, self.layer(ref), (*_chain, ref), as_of).resolve()
            self._resolved[key] = attrs.evolve(
                pack, effective_to=self._end_of(pack), origins=self._origins(pack.layers)
            )
        return self._resolved[key]

    def _origins(self, labels: Iterable[str]) -> dict[str, str]:
        """Where each layer (``id@edition``) of a resolved pack came from."""
        out = {}
        for label in labels:
            with contextlib.suppress(InvalidPackRef):
                layer = self._layers.get(PackRef.parse(label))
                if layer is not None:
                    out[label] = str(layer.origin)
        return dict(sorted(out.items()))

    def _choices(self, ref: PackRef, as_of: dt.date | None, seen: set[PackRef]) -> Choice:
        """The editions chosen on ``as_of`` for every undated include reachable from ``ref``
        (through extends and includes); raises AsOfRequired when one exists and as_of is None."""
        layer = self._layers.get(ref)
        if layer is None or ref in seen:
            return ()
        seen.add(ref)
        found: list[tuple[str, PackRef]] = []
        targets: list[PackRef] = []
        extends = layer.data.get("extends")
        if isinstance(extends, str):
            with contextlib.suppress(InvalidPackRef):
                target = PackRef.parse(extends)
                if target.edition is not None:
                    targets.append(target)
        for i, spec in enumerate(layer.data.get("includes", [])):
            try:
                target = PackRef.parse(spec["pack"])
                if target.edition is None:
                    if as_of is None:
                        where = layer.document.locate(("includes", i, "pack"))
                        raise AsOfRequired(str(ref), spec["pack"], where)
                    target = self.edition_in_force(target.id, as_of)
                    found.append((f"{ref}#{i}", target))
            except (InvalidPackRef, PackNotFound):
                continue  # the resolver reports it, located
            targets.append(target)
        for target in targets:
            found.extend(self._choices(target, as_of, seen))
        return tuple(found)

    def _end_of(self, pack: Pack) -> dt.date | None:
        return self._last_day(pack.id, pack.effective_from, pack.effective_to)

    def _last_day(
        self, pack_id: str, start: dt.date, explicit: str | dt.date | None
    ) -> dt.date | None:
        """The last day of the edition of ``pack_id`` that starts on ``start``: its own
        ``effective_to``, else the day before the next edition starts (None: open-ended)."""
        if explicit:
            return explicit if isinstance(explicit, dt.date) else dt.date.fromisoformat(explicit)
        later = [
            begins
            for r in self.editions(pack_id)
            if (begins := dt.date.fromisoformat(self._from(r))) > start
        ]
        return min(later) - dt.timedelta(days=1) if later else None

    def in_force(self, ref: PackRef, as_of: dt.date) -> bool:
        """Whether the edition ``ref`` is in force on ``as_of`` (implicit ends included)."""
        start = dt.date.fromisoformat(self._from(ref))
        end = self._last_day(ref.id, start, self._layers[ref].data.get("effective_to"))
        return start <= as_of and (end is None or as_of <= end)

    def optional_namespaces(self, ref: PackRef, seen: frozenset[PackRef] = frozenset()) -> set[str]:
        """Namespaces of ``optional`` includes declared by ``ref`` or a layer it extends."""
        if ref in seen or ref not in self._layers:
            return set()
        data = self._layers[ref].data
        found = {
            spec.get("namespace", PackRef.parse(spec["pack"]).id)
            for spec in data.get("includes", [])
            if spec.get("optional")
        }
        if "extends" in data:
            with contextlib.suppress(InvalidPackRef):
                found |= self.optional_namespaces(PackRef.parse(data["extends"]), seen | {ref})
        return found

    def _undated_includes(self, ref: PackRef, seen: frozenset[PackRef] = frozenset()) -> set[str]:
        """Ids of packs included without an edition by ``ref`` or any layer it extends."""
        if ref in seen or ref not in self._layers:
            return set()
        data = self._layers[ref].data
        found = {
            PackRef.parse(spec["pack"]).id
            for spec in data.get("includes", [])
            if PackRef.parse(spec["pack"]).edition is None
        }
        if "extends" in data:
            base = PackRef.parse(data["extends"])
            if base.edition is not None:
                found |= self._undated_includes(base, seen | {ref})
        return found

    def review_dates(self, ref: PackRef | str) -> tuple[dt.date, ...]:
        """The dates on which ``ref`` resolves differently: its first day, and the first day of
        every edition of a pack it includes without an edition that starts while it is in force.
        Authoring tools check a pack on each of these dates."""
        ref = PackRef.parse(ref) if isinstance(ref, str) else ref
        start = dt.date.fromisoformat(self._from(ref))
        end = self._last_day(ref.id, start, self._layers[ref].data.get("effective_to"))
        dates = {start}
        for included in self._undated_includes(ref):
            for edition in self.editions(included):
                begins = dt.date.fromisoformat(self._from(edition))
                if start < begins and (end is None or begins <= end):
                    dates.add(begins)
        return tuple(sorted(dates))

    def resolutions(self, ref: PackRef | str) -> tuple[Pack, ...]:
        """``ref`` resolved on each of its :meth:`review_dates` (one pack when it includes nothing
        by date). Raises the first resolution's error, as :meth:`resolve` would."""
        ref = PackRef.parse(ref) if isinstance(ref, str) else ref
        if not self._undated_includes(ref):
            return (self.resolve(ref),)
        return tuple(self.resolve(ref, as_of=d) for d in self.review_dates(ref))

    def edition_in_force(self, pack_id: str, as_of: dt.date | None) -> PackRef:
        """The edition of ``pack_id`` in force on ``as_of``."""
        editions = self.editions(pack_id)
        if not editions:
            self.layer(PackRef(pack_id))  # raises PackNotFound with the known packs
        if as_of is None:
            raise PackNotFound(
                pack_id,
                "an as_of date is needed to choose an edition, or name "
                "one: " + ", ".join(str(e) for e in editions),
            )
        for ref in reversed(editions):
            start = dt.date.fromisoformat(self._from(ref))
            end_raw = self._layers[ref].data.get("effective_to")
            if start <= as_of and (end_raw is None or as_of <= dt.date.fromisoformat(end_raw)):
                return ref
        raise PackNotFound(
            pack_id,
            f"no edition is in force on {as_of.isoformat()}; editions: "
            + ", ".join(f"{e} from {self._from(e)}" for e in editions),
        )

    def overlaps(self) -> list[Problem]:
        """Editions of one pack whose explicit end falls on or after the next edition's start."""
        out = []
        for pack_id in sorted({r.id for r in self._layers}):
            eds = self.editions(pack_id)
            for earlier, later in itertools.pairwise(eds):
                end = self._layers[earlier].data.get("effective_to")
                start = self._from(later)
                if start == self._from(earlier):
                    out.append(
                        Problem(
                            f"editions {earlier} and {later} both start on {start}",
                            self._layers[later].document.locate(("effective_from",)),
                            expected=f"a date after {start}",
                        )
                    )
                elif end is not None and end >= start:
                    layer = self._layers[earlier]
                    out.append(
                        Problem(
                            f"edition {earlier} ends on {end}, after {later} starts",
                            layer.document.locate(("effective_to",)),
                            expected=f"a date before {start}",
                        )
                    )
        return out


def _deprecated(name: str, instead: str) -> None:
    warnings.warn(
        f"PackCatalog.{name} changes the catalog in place and is deprecated; use {instead}",
        DeprecationWarning,
        stacklevel=3,
    )


def _folder_files(root: Path | str) -> list[Path]:
    root = Path(root)
    if (root / PACK_FILE).is_file():
        return [root / PACK_FILE]
    return sorted(root.glob(f"*/*/{PACK_FILE}"))


class _Installer:
    """Adds the installed packs to a catalog, taking only what changes nothing silently."""

    def __init__(self, base: PackCatalog, trust: tuple[str, ...]) -> None:
        self.base, self.trust = base, trust
        self.shipped = {r.id for r in base.refs}
        self.layers = {r: base.layer(r) for r in base.refs}
        self.notes: list[tuple[str | None, str]] = list(base._notes)
        self.conflicts = dict(base._conflicts)

    def run(self) -> PackCatalog:
        for ep in sorted(entry_points(group=_GROUP), key=lambda e: (e.name, distribution_of(e))):
            dist, label = distribution_of(ep)
            try:
                obj = ep.load()
                files = _folder_files(Path(str(obj() if callable(obj) else obj)))
            except Exception as exc:  # a broken plugin must not stop every command
                self.note(
                    None,
                    f"installed pack source {ep.name!r} from distribution {label} cannot be "
                    f"loaded: {type(exc).__name__}: {exc}",
                )
                continue
            origin = PackOrigin("distribution", dist, label.rsplit(" ", 1)[-1])
            for path in files:
                self.take(path, origin, dist, label)
        return attrs.evolve(
            self.base, layers=self.layers, notes=tuple(self.notes), conflicts=self.conflicts
        )

    def note(self, about: str | None, text: str) -> None:
        self.notes.append((about, text))

    def take(self, path: Path, origin: PackOrigin, dist: str, label: str) -> None:
        try:
            layer = attrs.evolve(read_layer(path), origin=origin)
        except PackError as exc:
            self.note(None, f"installed pack file from distribution {label} does not load: {exc}")
            return
        ref, head = layer.ref, f"installed pack {layer.ref} from distribution {label} not used"
        if ref.id in self.shipped and not trusted(dist, self.trust):
            self.note(
                ref.id,
                f"{head}: the library ships a pack with the id {ref.id!r} (trust the "
                f"distribution by name to use it: --trust-pack-source {dist})",
            )
        elif ref in self.conflicts or ref in self.layers:
            known = self.layers.pop(ref, None)
            other = "another source" if known is None else str(known.origin)
            other = "the library" if other == "bundled" else other
            self.conflicts[ref] = f"{head}: {other} defines it too"
            self.note(ref.id, self.conflicts[ref])
        else:
            self.layers[ref] = layer


_GROUP = "safeguard_std.packs"


def bundled_catalog(
    *,
    kinds: RuleKindRegistry | None = None,
    entry_points_too: bool = True,
    trust: Iterable[str] = (),
) -> PackCatalog:
    """A catalog of the packs shipped with safeguard_std and, by default, those installed
    through the ``safeguard_std.packs`` entry point (see :meth:`PackCatalog.with_installed`:
    an installed pack with an id the library ships is taken only from a distribution named in
    ``trust``)."""
    catalog = PackCatalog(kinds=kinds or default_registry())
    catalog = catalog.with_folder(Path(str(data_root() / "standards")), origin=BUNDLED)
    return catalog.with_installed(trust=trust) if entry_points_too else catalog


def load_pack(
    ref_or_path: str | Path, *, as_of: dt.date | None = None, catalog: PackCatalog | None = None
) -> Pack:
    """Load a resolved pack by reference (``dorset``, ``dorset@2024``) or from a path.

    A path names a pack file, an edition folder (``packs/northshire/2027``) or a pack folder of
    editions (``packs/northshire``, the one in force on ``as_of``). It is read the way the
    ``safeguard-std pack`` commands read it: the editions beside it are found too, so an
    ``extends`` of a sibling edition resolves, and the rest comes from ``catalog`` (default the
    bundled packs and those installed through entry points).
    """
    from safeguard_std.authoring._target import open_target  # it imports this module

    if as_of is not None:
        expect_date("as_of", as_of)
    if not isinstance(ref_or_path, (str, Path)):
        raise InvalidArgument(
            "ref_or_path must be a pack reference ('dorset@2024') or a path, got a "
            f"{type(ref_or_path).__name__}"
        )
    catalog = catalog if catalog is not None else bundled_catalog()
    text = str(ref_or_path)
    # A bare word is a pack id even when the working folder holds a folder of that name; a path
    # says so by a separator, a file suffix, or being a Path.
    looks_like_path = (
        isinstance(ref_or_path, Path)
        or "/" in text
        or os.sep in text
        or text.endswith((".yaml", ".yml", ".json"))
        or (Path(text) / PACK_FILE).is_file()
    )
    if not looks_like_path:
        return catalog.resolve(PackRef.parse(text), as_of=as_of)
    target = open_target(ref_or_path, catalog=catalog)
    if target.problems:
        raise PackError(target.problems, source=target.problems[0].location.source)
    ids = sorted({r.id for r in target.refs})
    if len(ids) > 1:
        raise PackNotFound(
            text, f"it holds several packs ({', '.join(ids)}); name one pack's folder or file"
        )
    if len(target.refs) == 1:
        return target.catalog.resolve(target.refs[0], as_of=as_of)
    editions = ", ".join(str(r) for r in target.refs)
    if as_of is None:
        raise PackNotFound(
            text,
            f"it holds editions {editions}; give as_of to take the one in force that day, or "
            "name one edition's folder",
        )
    ref = target.catalog.edition_in_force(ids[0], as_of)
    if ref not in target.refs:
        raise PackNotFound(text, f"none of its editions ({editions}) is in force on {as_of}")
    return target.catalog.resolve(ref, as_of=as_of)
