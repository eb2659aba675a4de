"""Layering: a layer resolved over what it ``extends`` and ``includes``, then changed by its
``parameters``, ``set_parameters``, ``documents``, ``exclude``, ``alter``, ``withdraw`` and
``requirements``, each change recording which layer made it (provenance)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from safeguard_std.domain.calendar import Period
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
)
from safeguard_std.domain.predicates import Predicate, PredicateSyntaxError, parse_predicate
from safeguard_std.exceptions import AsOfRequired, InvalidPeriod, PackError, PackNotFound, Problem
from safeguard_std.io._problems import did_you_mean
from safeguard_std.packs._inclusion import (
    SEPARATOR,
    namespaced_parameters,
    namespaced_requirement,
    namespaced_sections,
)
from safeguard_std.packs._read import PackLayer
from safeguard_std.packs._semantic import SemanticChecks, _one_of

if TYPE_CHECKING:
    from safeguard_std.packs._catalog import PackCatalog


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


class _Resolver(SemanticChecks):
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

    def resolve(self) -> Pack:
        """The layer resolved in order: its base and includes, then its own sections,
        parameters, documents and requirement changes, then the semantic checks; every problem
        found is raised together as one :class:`PackError`."""
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
        self._parameters(params)
        self._set_parameters(params)
        self._documents(docs)
        self._exclude(reqs)
        self._alter(reqs)
        self._withdraw(reqs)
        self._add(reqs)
        pack = self._pack(base, inclusions, sections, params, docs, reqs)
        self._semantics(pack)
        if self.problems:
            raise PackError(self.problems, source=self.doc.source)
        return pack

    def _pack(
        self,
        base: Pack | None,
        inclusions: list[Inclusion],
        sections: dict[str, Section],
        params: dict[str, Parameter],
        docs: dict[str, DocumentAliases],
        reqs: dict[str, Requirement],
    ) -> Pack:
        """The resolved pack, before its semantic checks."""
        data = self.layer.data
        return Pack(
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

    def _parameters(self, params: dict[str, Parameter]) -> None:
        """Add the parameters this layer declares; redeclaring one is an error."""
        for name, spec in self.layer.data.get("parameters", {}).items():
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

    def _set_parameters(self, params: dict[str, Parameter]) -> None:
        """Change the values of parameters defined below this layer."""
        for name, value in self.layer.data.get("set_parameters", {}).items():
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

    def _documents(self, docs: dict[str, DocumentAliases]) -> None:
        for key, spec in self.layer.data.get("documents", {}).items():
            docs[key] = DocumentAliases(
                id=key,
                title=spec["title"],
                accepted=tuple(spec.get("accepted", ())),
                note=spec.get("note"),
            )

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
            # In the order written: a set here ordered provenance by the hash seed.
            changed = dict.fromkeys("rule" if k == "rule_params" else k for k in changes)
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
