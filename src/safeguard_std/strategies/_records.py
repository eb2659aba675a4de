"""The record collections that generic rule kinds count, date and filter, seen from the strategies.

:data:`FILTERABLE` lists, for each collection, the fields a ``where`` or ``require`` may compare
and the values they can take (derived from the entities, so it follows the model). The helpers
read, add and replace records of a collection wherever it lives in a bundle (on the bundle, in its
contract, or inside self-audits' action plans).
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from safeguard_std.domain.organisation import EvidenceBundle, SelfAudit
from safeguard_std.rules.records import COLLECTIONS
from safeguard_std.strategies._gen import Gen
from safeguard_std.strategies._organisation import (
    VOCABULARY,
    make_action_item,
    make_contract_metric,
    make_information_request,
    make_monitoring_meeting,
    make_record_review,
    make_section11_audit,
    make_self_audit,
    make_subscription,
    make_thematic_check,
    make_training_needs_analysis,
)

__all__ = [
    "CONTRACT_FIELDS",
    "FILTERABLE",
    "MAKERS",
    "add_records",
    "matches",
    "records_of",
    "replace_records",
    "settled",
]

#: Where each contract collection lives on :class:`~safeguard_std.domain.organisation.Contract`.
CONTRACT_FIELDS = {
    "monitoring_meetings": "monitoring_meetings",
    "section11_audits": "section11_audits",
    "thematic_checks": "thematic_checks",
    "contract_metrics": "metrics",
}

MAKERS: Mapping[str, Callable[[Gen], Any]] = {
    "training_needs_analyses": make_training_needs_analysis,
    "record_reviews": make_record_review,
    "self_audits": make_self_audit,
    "action_items": make_action_item,
    "subscriptions": make_subscription,
    "information_requests": make_information_request,
    "monitoring_meetings": make_monitoring_meeting,
    "section11_audits": make_section11_audit,
    "thematic_checks": make_thematic_check,
    "contract_metrics": make_contract_metric,
}


def _values(field: attrs.Attribute[Any], tp: Any) -> tuple[Any, ...]:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    base = args[0] if typing.get_origin(tp) in (typing.Union, types.UnionType) else tp
    if len(args) > 1:
        return ()
    if base is bool:
        return (True, False)
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return tuple(m.value for m in base)
    if base is str:
        options = getattr(field.validator, "options", None)
        return tuple(options) if options else VOCABULARY
    return ()


def _filterable(item: type) -> dict[str, tuple[Any, ...]]:
    hints = typing.get_type_hints(item)
    out = {}
    for field in attrs.fields(item):
        if field.name == "id" or field.name.endswith("_id"):
            continue
        values = _values(field, hints[field.name])
        if values:
            out[field.name] = values
    return out


#: Collection name -> field -> the values ``where``/``require`` may compare it with.
FILTERABLE: Mapping[str, Mapping[str, tuple[Any, ...]]] = {
    name: _filterable(coll.item) for name, coll in sorted(COLLECTIONS.items())
}


def matches(item: Any, where: Mapping[str, Any]) -> bool:
    """Whether ``item`` passes a ``where`` filter (the rule kinds' own comparison)."""
    for name, want in where.items():
        have = getattr(item, name, None)
        if (have.value if isinstance(have, enum.Enum) else have) != want:
            return False
    return True


def records_of(bundle: EvidenceBundle, collection: str) -> tuple[Any, ...]:
    """Every record of ``collection`` in ``bundle``."""
    return COLLECTIONS[collection].get(bundle)


def add_records(
    bundle: EvidenceBundle, collection: str, items: list[Any], gen: Gen
) -> EvidenceBundle:
    """``bundle`` with ``items`` added to ``collection`` (action items arrive in a new self-audit;
    contract records need a contract, so without one the bundle is returned unchanged)."""
    if not items:
        return bundle
    if collection == "action_items":
        audit = attrs.evolve(settled(make_self_audit(gen), gen), action_plan=tuple(items))
        return attrs.evolve(bundle, self_audits=(*bundle.self_audits, audit))
    if collection in CONTRACT_FIELDS:
        if bundle.contract is None:
            return bundle
        name = CONTRACT_FIELDS[collection]
        more: dict[str, Any] = {name: (*getattr(bundle.contract, name), *items)}
        return attrs.evolve(bundle, contract=attrs.evolve(bundle.contract, **more))
    extra: dict[str, Any] = {collection: (*getattr(bundle, collection), *items)}
    return attrs.evolve(bundle, **extra)


def replace_records(
    bundle: EvidenceBundle, collection: str, change: Callable[[Any], Any | None]
) -> EvidenceBundle:
    """``bundle`` with ``change(record)`` in place of each record of ``collection`` (a change that
    returns ``None`` removes the record)."""

    def apply(items: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(new for new in (change(i) for i in items) if new is not None)

    if collection == "action_items":
        audits = tuple(
            attrs.evolve(a, action_plan=apply(a.action_plan)) for a in bundle.self_audits
        )
        return attrs.evolve(bundle, self_audits=audits)
    if collection in CONTRACT_FIELDS:
        if bundle.contract is None:
            return bundle
        name = CONTRACT_FIELDS[collection]
        changed: dict[str, Any] = {name: apply(getattr(bundle.contract, name))}
        return attrs.evolve(bundle, contract=attrs.evolve(bundle.contract, **changed))
    fields: dict[str, Any] = {collection: apply(getattr(bundle, collection))}
    return attrs.evolve(bundle, **fields)


def settled(item: Any, gen: Gen) -> Any:
    """A request answered on time, or an action item completed, as of ``gen.as_of``."""
    if isinstance(item, SelfAudit):
        requested = item.requested_on or gen.past()
        done = gen.between(requested, gen.as_of) if requested <= gen.as_of else requested
        due = gen.between(done, gen.future())
        items = tuple(settled(i, gen) for i in item.action_plan)
        return attrs.evolve(
            item, requested_on=requested, submitted_on=done, due_on=due, action_plan=items
        )
    if hasattr(item, "provided_on"):  # an information request
        requested = item.requested_on or gen.past()
        done = gen.between(requested, gen.as_of) if requested <= gen.as_of else requested
        return attrs.evolve(item, requested_on=requested, provided_on=done, due_on=done)
    if hasattr(item, "completed_on") and hasattr(item, "due_on"):  # an action item
        return attrs.evolve(item, completed_on=item.completed_on or gen.past())
    return item
