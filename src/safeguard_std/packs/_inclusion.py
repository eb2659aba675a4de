"""Bringing an included pack's requirements, sections and parameters under a namespace.

``includes:`` puts a whole pack (a national baseline such as KCSIE) beneath a board's own layer.
The included pack is resolved on its own first; this module then renames what it brings so it can
never collide with the including pack's own ids: ``KCSIE-SCR-IDENTITY`` becomes
``kcsie:KCSIE-SCR-IDENTITY``, section ``scr`` becomes ``kcsie:scr``, parameter
``dsl_training_refresh`` becomes ``kcsie:dsl_training_refresh`` (and every ``{param: NAME}`` in the
included rules is rewritten to match). Authored ids cannot contain ``:`` (the schema forbids it),
so a namespaced id is always distinct from every id a board writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from safeguard_std.domain.pack import Pack, Parameter, Requirement, Rule, Section
from safeguard_std.domain.predicates import AllOf, Predicate

__all__ = ["both", "namespaced_parameters", "namespaced_requirement", "namespaced_sections"]

SEPARATOR = ":"


def both(first: Predicate | None, second: Predicate | None) -> Predicate | None:
    """The conjunction of two optional predicates (``first`` is judged first)."""
    if first is None or second is None:
        return first if second is None else second
    return AllOf((first, second))


def _rename_params(value: Any, prefix: str) -> Any:
    if isinstance(value, Mapping):
        if set(value) == {"param"} and isinstance(value["param"], str):
            return {"param": prefix + value["param"]}
        return {k: _rename_params(v, prefix) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename_params(v, prefix) for v in value]
    return value


def namespaced_requirement(
    req: Requirement,
    *,
    prefix: str,
    included: Pack,
    gate: Predicate | None,
    including: str,
) -> Requirement:
    """``req`` (from the resolved pack ``included``) as the including pack ``including`` sees it.

    Its ``origin`` becomes the included edition (``kcsie@2025``), so a finding names the layer it
    came from; ``provenance["defined"]`` keeps the layer that first defined it (``kcsie@2024`` when
    2025 inherited it unchanged). A requirement the included pack itself included (its id already
    namespaced) keeps its own origin.
    """
    nested = SEPARATOR in req.id
    provenance = {**req.provenance, "defined": req.provenance.get("defined", req.origin)}
    provenance["id"] = including
    if gate is not None:
        provenance["included_when"] = including
    return attrs.evolve(
        req,
        id=prefix + req.id,
        section=prefix + req.section,
        rule=Rule(kind=req.rule.kind, params=_rename_params(dict(req.rule.params), prefix)),
        replaced_by=None if req.replaced_by is None else prefix + req.replaced_by,
        included_when=both(gate, req.included_when),
        origin=req.origin if nested else str(included.ref),
        provenance=provenance,
    )


def namespaced_sections(included: Pack, prefix: str) -> list[Section]:
    """The included pack's sections, renamed, their titles marked with the namespace."""
    tag = prefix.rstrip(SEPARATOR)
    return [Section(id=prefix + s.id, title=f"{s.title} [{tag}]") for s in included.sections]


def namespaced_parameters(included: Pack, prefix: str) -> list[Parameter]:
    """The included pack's parameters, renamed (values and origins kept)."""
    return [attrs.evolve(p, name=prefix + p.name) for p in included.parameters.values()]


def without_included(pack: Pack) -> Pack:
    """``pack`` with every included layer taken out: only what its own layers define.

    Authored ids cannot contain the namespace separator, so everything namespaced came from an
    include. Comparing two editions of a board's pack (``pack diff``) uses this: an included
    baseline has editions of its own, compared on its own.
    """
    included_layers = {layer for inc in pack.includes for layer in inc.layers}
    return attrs.evolve(
        pack,
        requirements=tuple(r for r in pack.requirements if SEPARATOR not in r.id),
        sections=tuple(s for s in pack.sections if SEPARATOR not in s.id),
        parameters={k: v for k, v in pack.parameters.items() if SEPARATOR not in k},
        layers=tuple(layer for layer in pack.layers if layer not in included_layers),
        includes=(),
    )
