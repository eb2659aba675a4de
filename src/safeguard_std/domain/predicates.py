"""``applies_when``: a small JSON-native predicate language.

A predicate is one of::

    {all: [P, ...]}      every P holds (an empty list holds)
    {any: [P, ...]}      at least one P holds
    {not: P}             P does not hold
    {field: NAME, OP: VALUE}

where ``NAME`` is a fact from :data:`safeguard_std.domain.facts.FACTS` and ``OP`` is one of
``eq``, ``ne``, ``in``, ``not_in`` (value is a list), ``contains``, ``intersects`` (for set-valued
facts), ``gt``, ``ge``, ``lt``, ``le`` (for integers) or ``exists`` (``true``/``false``).
A comparison on an unknown value (``None``) is false, except ``exists: false`` and ``ne``.
A comparison's value may be ``{param: NAME}``, the pack's parameter ``NAME`` (so a council
changes, say, the regulators that count in one place); it is bound when the pack is compiled.
Nothing here is ever ``eval``-ed: predicates are parsed into values and compiled to closures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from safeguard_std.exceptions import PredicateSyntaxError

__all__ = [
    "OPERATORS",
    "AllOf",
    "AnyOf",
    "Compare",
    "Not",
    "ParamRef",
    "Predicate",
    "PredicateSyntaxError",
    "bind_params",
    "parse_predicate",
    "predicate_to_data",
]

OPERATORS = ("eq", "ne", "in", "not_in", "contains", "intersects", "gt", "ge", "lt", "le", "exists")


@attrs.frozen
class AllOf:
    """Every part holds."""

    parts: tuple[Predicate, ...]


@attrs.frozen
class AnyOf:
    """At least one part holds."""

    parts: tuple[Predicate, ...]


@attrs.frozen
class Not:
    """The part does not hold."""

    part: Predicate


@attrs.frozen
class ParamRef:
    """A comparison value taken from the pack's parameter ``name`` (``{param: NAME}``)."""

    name: str


@attrs.frozen
class Compare:
    """A fact compared with a literal."""

    field: str
    op: str
    value: Any


Predicate = AllOf | AnyOf | Not | Compare


def parse_predicate(data: Any, path: tuple[str | int, ...] = ()) -> Predicate:
    """Parse raw data into a predicate value (syntax only; facts are checked by the loader)."""
    if not isinstance(data, dict):
        raise PredicateSyntaxError(f"expected a mapping, got {type(data).__name__}", path)
    if "field" in data:
        return _parse_compare(data, path)
    if len(data) != 1:
        raise PredicateSyntaxError(
            f"expected exactly one of 'all', 'any', 'not' or a 'field' comparison, got keys "
            f"{sorted(map(str, data))}",
            path,
        )
    ((key, body),) = data.items()
    if key == "not":
        return Not(parse_predicate(body, (*path, "not")))
    if key in ("all", "any"):
        if not isinstance(body, list):
            raise PredicateSyntaxError(f"'{key}' takes a list", (*path, key))
        parts = tuple(parse_predicate(p, (*path, key, i)) for i, p in enumerate(body))
        return AllOf(parts) if key == "all" else AnyOf(parts)
    raise PredicateSyntaxError(f"unknown predicate key {key!r}", (*path, str(key)))


def _parse_compare(data: dict[str, Any], path: tuple[str | int, ...]) -> Compare:
    ops = [k for k in data if k != "field"]
    if len(ops) != 1 or ops[0] not in OPERATORS:
        raise PredicateSyntaxError(
            f"a comparison takes 'field' and exactly one operator of {', '.join(OPERATORS)}; "
            f"got {sorted(map(str, ops))}",
            path,
        )
    op = ops[0]
    field, value = data["field"], data[op]
    if not isinstance(field, str):
        raise PredicateSyntaxError("'field' must be a string", (*path, "field"))
    if isinstance(value, dict):
        if set(value) != {"param"} or not isinstance(value["param"], str):
            raise PredicateSyntaxError(
                f"'{op}' takes a value or {{param: NAME}}, got keys {sorted(map(str, value))}",
                (*path, op),
            )
        return Compare(field, op, ParamRef(value["param"]))
    if op in ("in", "not_in", "intersects") and not isinstance(value, list):
        raise PredicateSyntaxError(f"'{op}' takes a list", (*path, op))
    if op == "exists" and not isinstance(value, bool):
        raise PredicateSyntaxError("'exists' takes true or false", (*path, op))
    if op in ("gt", "ge", "lt", "le") and (isinstance(value, bool) or not isinstance(value, int)):
        raise PredicateSyntaxError(f"'{op}' takes a whole number", (*path, op))
    return Compare(field, op, tuple(value) if isinstance(value, list) else value)


def predicate_to_data(pred: Predicate) -> dict[str, Any]:
    """The raw form of a predicate (the inverse of :func:`parse_predicate`)."""
    if isinstance(pred, AllOf):
        return {"all": [predicate_to_data(p) for p in pred.parts]}
    if isinstance(pred, AnyOf):
        return {"any": [predicate_to_data(p) for p in pred.parts]}
    if isinstance(pred, Not):
        return {"not": predicate_to_data(pred.part)}
    if isinstance(pred.value, ParamRef):
        return {"field": pred.field, pred.op: {"param": pred.value.name}}
    value = list(pred.value) if isinstance(pred.value, tuple) else pred.value
    return {"field": pred.field, pred.op: value}


def bind_params(pred: Predicate, lookup: Callable[[str], Any]) -> Predicate:
    """``pred`` with every ``{param: NAME}`` value replaced by ``lookup(NAME)`` (a list as a
    tuple); the same object when it holds none. ``lookup`` raises for an unknown name."""
    if isinstance(pred, (AllOf, AnyOf)):
        parts = tuple(bind_params(p, lookup) for p in pred.parts)
        if all(a is b for a, b in zip(parts, pred.parts, strict=True)):
            return pred
        return type(pred)(parts)
    if isinstance(pred, Not):
        part = bind_params(pred.part, lookup)
        return pred if part is pred.part else Not(part)
    if not isinstance(pred.value, ParamRef):
        return pred
    value = lookup(pred.value.name)
    return Compare(pred.field, pred.op, tuple(value) if isinstance(value, list) else value)


def _compare(op: str, expected: Any) -> Callable[[Any], bool]:
    wanted = frozenset(expected) if op == "intersects" else frozenset()
    table: dict[str, Callable[[Any], bool]] = {
        "eq": lambda x: x is not None and x == expected,
        "ne": lambda x: x != expected,
        "in": lambda x: x is not None and x in expected,
        "not_in": lambda x: x is None or x not in expected,
        "contains": lambda x: x is not None and expected in x,
        "intersects": lambda x: x is not None and not wanted.isdisjoint(x),
        "gt": lambda x: x is not None and x > expected,
        "ge": lambda x: x is not None and x >= expected,
        "lt": lambda x: x is not None and x < expected,
        "le": lambda x: x is not None and x <= expected,
        "exists": lambda x: (x is not None) is expected,
    }
    return table[op]


Compiled = Callable[[object, Any], bool]


def compile_predicate(pred: Predicate, getters: Callable[[str], Callable[..., Any]]) -> Compiled:
    """Compile a predicate to ``f(subject, ctx) -> bool`` using ``getters(field)``."""
    # Predicates run once per subject: the common shapes get closures without a generator or a
    # second call; each behaves exactly as the general form below it.
    if isinstance(pred, AllOf):
        parts = [compile_predicate(p, getters) for p in pred.parts]
        if len(parts) == 2:
            first, second = parts
            return lambda s, c: bool(first(s, c)) and bool(second(s, c))
        return lambda s, c: all(p(s, c) for p in parts)
    if isinstance(pred, AnyOf):
        parts = [compile_predicate(p, getters) for p in pred.parts]
        if len(parts) == 2:
            first, second = parts
            return lambda s, c: bool(first(s, c)) or bool(second(s, c))
        return lambda s, c: any(p(s, c) for p in parts)
    if isinstance(pred, Not):
        inner = compile_predicate(pred.part, getters)
        return lambda s, c: not inner(s, c)
    get = getters(pred.field)
    expected = pred.value
    if pred.op == "eq":
        return lambda s, c: (x := get(s, c)) is not None and x == expected
    if pred.op == "ne":
        return lambda s, c: bool(get(s, c) != expected)
    if pred.op == "contains":
        return lambda s, c: (x := get(s, c)) is not None and expected in x
    if pred.op == "intersects":
        wanted = frozenset(expected)
        return lambda s, c: (x := get(s, c)) is not None and not wanted.isdisjoint(x)
    test = _compare(pred.op, expected)
    return lambda s, c: test(get(s, c))
