"""``pack diff``: what changed between two resolved packs (usually two editions of one).

Requirements are matched by id, which never changes and is never reused, so the diff is exact:
added, withdrawn (or removed outright, when a layer ``exclude``s them), and changed field by field
(text, modality, rule, applicability...). Parameters are compared by value, and each change lists
the requirements it affects, since a council changing ``dbs_renewal`` changes every rule using it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import attrs

from safeguard_std.authoring._words import predicate_words, value_words
from safeguard_std.authoring.lint import param_refs
from safeguard_std.domain.pack import Pack, Requirement
from safeguard_std.domain.predicates import parse_predicate, predicate_to_data
from safeguard_std.evaluate import resolve_params
from safeguard_std.io._terminal import printable_lines
from safeguard_std.serialization import pack_to_data

__all__ = ["FieldChange", "PackDiff", "RequirementChange", "diff_packs"]

_REQUIREMENT_FIELDS = (
    "title",
    "section",
    "citation",
    "text",
    "modality",
    "duty_holder",
    "subject",
    "applies_when",
    "rule",
    "reading",
    "severity",
    "tags",
)
_PACK_FIELDS = ("title", "board", "supersedes")
_SOURCE_FIELDS = ("title", "publisher", "url", "retrieved_on", "sha256", "notes")


@attrs.frozen
class FieldChange:
    """One field's old and new value (``None`` when absent), as plain data."""

    field: str
    old: Any
    new: Any


@attrs.frozen
class RequirementChange:
    """A requirement present in both packs whose fields differ."""

    id: str
    title: str
    changes: tuple[FieldChange, ...]


@attrs.frozen
class Withdrawal:
    """A requirement active in the old pack and not in the new: withdrawn or removed."""

    id: str
    title: str
    how: str  # "withdrawn" (id kept, reserved) or "removed" (not in the new pack at all)
    replaced_by: str | None = None


@attrs.frozen
class ParameterChange:
    """A parameter added, removed or given a new value, and the requirements using it."""

    name: str
    old: Any
    new: Any
    used_by: tuple[str, ...] = ()


@attrs.frozen
class PackDiff:
    """Everything that differs between ``old`` and ``new``."""

    old: str
    new: str
    old_in_force: str = ""
    new_in_force: str = ""
    pack: tuple[FieldChange, ...] = ()
    sections: tuple[FieldChange, ...] = ()
    added: tuple[tuple[str, str], ...] = ()
    withdrawn: tuple[Withdrawal, ...] = ()
    changed: tuple[RequirementChange, ...] = ()
    parameters: tuple[ParameterChange, ...] = ()
    documents: tuple[FieldChange, ...] = ()

    @property
    def empty(self) -> bool:
        """No difference at all."""
        return not any(
            (
                self.pack,
                self.sections,
                self.added,
                self.withdrawn,
                self.changed,
                self.parameters,
                self.documents,
            )
        )

    def to_data(self) -> dict[str, Any]:
        """The diff as plain, JSON-ready data (stable order)."""
        return {
            "old": self.old,
            "new": self.new,
            "old_in_force": self.old_in_force,
            "new_in_force": self.new_in_force,
            "pack": [attrs.asdict(c) for c in self.pack],
            "sections": [attrs.asdict(c) for c in self.sections],
            "requirements": {
                "added": [{"id": i, "title": t} for i, t in self.added],
                "withdrawn": [attrs.asdict(w) for w in self.withdrawn],
                "changed": [
                    {"id": c.id, "title": c.title, "changes": [attrs.asdict(x) for x in c.changes]}
                    for c in self.changed
                ],
            },
            "parameters": [
                {**attrs.asdict(p), "used_by": list(p.used_by)} for p in self.parameters
            ],
            "documents": [attrs.asdict(c) for c in self.documents],
        }

    def to_json(self) -> str:
        """:meth:`to_data` as indented JSON with a final newline."""
        return json.dumps(self.to_data(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """A report a person reads: one block per kind of change."""
        return _text(self)


def _req_value(req: Requirement, name: str) -> Any:
    if name == "applies_when":
        return None if req.applies_when is None else predicate_to_data(req.applies_when)
    if name == "rule":
        return {"kind": req.rule.kind, **_plain(dict(req.rule.params))}
    if name == "tags":
        return list(req.tags) or None
    value = getattr(req, name)
    return getattr(value, "value", value)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _changes(names: Iterable[str], old: Any, new: Any) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(n, old(n), new(n)) for n in names if old(n) != new(n))


def _requirements(old: Pack, new: Pack) -> tuple[Any, Any, Any]:
    before = {r.id: r for r in old.requirements}
    after = {r.id: r for r in new.requirements}
    added = tuple(
        (r.id, r.title)
        for r in new.active_requirements
        if r.id not in before or before[r.id].withdrawn
    )
    withdrawn = []
    for r in old.active_requirements:
        now = after.get(r.id)
        if now is None:
            withdrawn.append(Withdrawal(r.id, r.title, "removed"))
        elif now.withdrawn:
            withdrawn.append(Withdrawal(r.id, r.title, "withdrawn", now.replaced_by))
    changed = []
    for r in new.active_requirements:
        was = before.get(r.id)
        if was is None or was.withdrawn:
            continue
        fields = _changes(
            _REQUIREMENT_FIELDS, lambda n, w=was: _req_value(w, n), lambda n, x=r: _req_value(x, n)
        )
        if not any(f.field == "rule" for f in fields):
            fields += _effective(old, was, new, r)
        if fields:
            changed.append(RequirementChange(r.id, r.title, fields))
    return added, tuple(withdrawn), tuple(changed)


def _effective(old: Pack, was: Requirement, new: Pack, now: Requirement) -> tuple[FieldChange, ...]:
    """The rule's parameter values when only a pack parameter it uses changed."""
    try:
        before = _plain(resolve_params(old, was.rule.params)[0])
        after = _plain(resolve_params(new, now.rule.params)[0])
    except KeyError:  # pragma: no cover - resolved packs declare every parameter they use
        return ()
    if before == after:
        return ()
    keys = [k for k in after if before.get(k) != after.get(k)]
    return (
        FieldChange(
            "parameter values",
            {k: before.get(k) for k in keys},
            {k: after.get(k) for k in keys},
        ),
    )


def _parameters(old: Pack, new: Pack) -> tuple[ParameterChange, ...]:
    out = []
    for name in sorted(set(old.parameters) | set(new.parameters)):
        a, b = old.parameters.get(name), new.parameters.get(name)
        va = None if a is None else _plain(a.value)
        vb = None if b is None else _plain(b.value)
        if va != vb:
            users = tuple(
                r.id for r in new.active_requirements if name in param_refs(r.rule.params)
            )
            out.append(ParameterChange(name, va, vb, users))
    return tuple(out)


def _in_force(pack: Pack) -> str:
    start = pack.effective_from.isoformat()
    return f"{start} to {pack.effective_to.isoformat()}" if pack.effective_to else f"from {start}"


def diff_packs(old: Pack, new: Pack) -> PackDiff:
    """The differences from ``old`` to ``new`` (resolved packs; any two, usually editions)."""
    data_old, data_new = pack_to_data(old), pack_to_data(new)
    added, withdrawn, changed = _requirements(old, new)
    sec_old = {s.id: s.title for s in old.sections}
    sec_new = {s.id: s.title for s in new.sections}
    docs_old, docs_new = data_old["documents"], data_new["documents"]
    src_old, src_new = data_old.get("source", {}), data_new.get("source", {})
    return PackDiff(
        old=str(old.ref),
        new=str(new.ref),
        old_in_force=_in_force(old),
        new_in_force=_in_force(new),
        pack=_changes(_PACK_FIELDS, data_old.get, data_new.get)
        + tuple(
            FieldChange(f"source.{c.field}", c.old, c.new)
            for c in _changes(_SOURCE_FIELDS, src_old.get, src_new.get)
        ),
        sections=_changes(sorted(set(sec_old) | set(sec_new)), sec_old.get, sec_new.get),
        added=added,
        withdrawn=withdrawn,
        changed=changed,
        parameters=_parameters(old, new),
        documents=_changes(sorted(set(docs_old) | set(docs_new)), docs_old.get, docs_new.get),
    )


def _shown(field: str, value: Any) -> str:
    if value is None:
        return "(none)"
    if field == "applies_when":
        return predicate_words(parse_predicate(value))
    if field == "parameter values":
        return value_words(value)
    if field == "rule":
        params = {k: v for k, v in value.items() if k != "kind"}
        return str(value["kind"]) + (f" ({value_words(params)})" if params else "")
    if isinstance(value, str) and not field.endswith(("text", "reading", "title", "citation")):
        return value_words(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _field_lines(change: FieldChange, indent: str) -> list[str]:
    old, new = _shown(change.field, change.old), _shown(change.field, change.new)
    if len(old) + len(new) < 70 and "\n" not in old + new:
        return [f"{indent}{change.field}: {old} -> {new}"]
    return [f"{indent}{change.field}:", f"{indent}  - {old}", f"{indent}  + {new}"]


def _text(d: PackDiff) -> str:
    lines = [f"{d.old} ({d.old_in_force}) -> {d.new} ({d.new_in_force})"]
    if d.empty:
        return printable_lines([*lines, "", "no differences"])
    if d.pack:
        lines += ["", "Pack"]
        for c in d.pack:
            lines += _field_lines(c, "  ")
    if d.sections:
        lines += ["", "Sections"]
        lines += [
            f"  {c.field}: {_shown('title', c.old)} -> {_shown('title', c.new)}" for c in d.sections
        ]
    if d.added:
        lines += ["", f"Requirements added ({len(d.added)})"]
        lines += [f"  + {rid}  {title}" for rid, title in d.added]
    if d.withdrawn:
        lines += ["", f"Requirements withdrawn ({len(d.withdrawn)})"]
        for w in d.withdrawn:
            how = f"replaced by {w.replaced_by}" if w.replaced_by else w.how
            lines.append(f"  - {w.id}  {w.title} ({how})")
    if d.changed:
        lines += ["", f"Requirements changed ({len(d.changed)})"]
        for req in d.changed:
            lines.append(f"  ~ {req.id}  {req.title}")
            for change in req.changes:
                lines += _field_lines(change, "      ")
    if d.parameters:
        lines += ["", f"Parameters changed ({len(d.parameters)})"]
        for p in d.parameters:
            users = f"; used by {', '.join(p.used_by)}" if p.used_by else ""
            lines.append(
                f"  ~ {p.name}: {_shown('value', p.old)} -> {_shown('value', p.new)}{users}"
            )
    if d.documents:
        lines += ["", "Documents"]
        for c in d.documents:
            lines += _field_lines(c, "  ")
    return printable_lines(lines)
