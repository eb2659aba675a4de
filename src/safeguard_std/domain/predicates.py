"""``applies_when``: a small JSON-native predicate language.

A predicate is one of::

    {all: [P, ...]}      every P holds (an empty list holds)
    {any: [P, ...]}      at least one P holds
    {not: P}             P does not hold
    {field: NAME, OP: VALUE}

where ``NAME`` is a fact from :data:`safeguard_std.domain.facts.FACTS` and ``OP`` is one of
``eq``, ``ne``, ``in``, ``not_in`` (value is a list), ``contains``, ``intersects`` (for set-valued
facts), ``gt``, ``ge``, ``lt``, ``le`` (for integers) or ``exists`` (``true``/``false``).
Predicates are three-valued (Kleene's strong logic): a comparison on a fact that is unknown for
the subject (``None``, or a value the fact declares as meaning "not known", such as
``person.regulated_activity: unknown``) is itself unknown, except ``exists``, which asks whether
the fact is known, and a comparison that names the "not known" value explicitly
(``{field: person.regulated_activity, eq: unknown}``). ``all`` is false if any part is false,
else unknown if any part is unknown; ``any`` is true if any part is true, else unknown if any
part is unknown; ``not`` of unknown is unknown. The evaluator turns an unknown ``applies_when``
into ``insufficient_evidence``, never ``not_applicable``: unknown is not false.
A comparison's value may be ``{param: NAME}``, the pack's parameter ``NAME`` (so a council
changes, say, the regulators that count in one place); it is bound when the pack is compiled.
Nothing here is ever ``eval``-ed: predicates are parsed into values and compiled to closures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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
    "Truth",
    "bind_params",
    "compare",
    "comparisons",
    "compile_predicate",
    "kleene_all",
    "kleene_any",
    "kleene_not",
    "parse_predicate",
    "predicate_to_data",
    "unknown_fields",
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
        if not isinstance(body, list) or not body:
            # An empty list is never meant: 'any' of nothing would never apply, silently.
            raise PredicateSyntaxError(
                f"'{key}' takes a list of at least one condition", (*path, key)
            )
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


#: A three-valued truth: ``True``, ``False`` or ``None`` (unknown).
Truth = bool | None


def kleene_not(value: Truth) -> Truth:
    """Negation: unknown stays unknown."""
    return None if value is None else not value


def kleene_all(values: Iterable[Truth]) -> Truth:
    """Conjunction: false if any is false, else unknown if any is unknown, else true."""
    unknown = False
    for value in values:
        if value is False:
            return False
        if value is None:
            unknown = True
    return None if unknown else True


def kleene_any(values: Iterable[Truth]) -> Truth:
    """Disjunction: true if any is true, else unknown if any is unknown, else false."""
    unknown = False
    for value in values:
        if value is True:
            return True
        if value is None:
            unknown = True
    return None if unknown else False


def _names(expected: Any, unknown: frozenset[Any]) -> bool:
    """Whether a literal names one of the fact's "not known" values (asking about it)."""
    if not unknown:
        return False
    values = expected if isinstance(expected, tuple) else (expected,)
    return any(isinstance(v, str) and v in unknown for v in values)


def compare(op: str, expected: Any, value: Any, unknown: frozenset[Any] = frozenset()) -> Truth:
    """One comparison, three-valued: ``value`` is the fact's value for the subject (``None`` when
    unknown), ``unknown`` the values the fact uses to say "not known"."""
    if op == "exists":
        return (value is not None and not (value in unknown and isinstance(value, str))) is expected
    if value is None or (
        isinstance(value, str) and value in unknown and not _names(expected, unknown)
    ):
        return None
    if op == "eq":
        return bool(value == expected)
    if op == "ne":
        return bool(value != expected)
    if op == "in":
        return value in expected
    if op == "not_in":
        return value not in expected
    if op == "contains":
        return expected in value
    if op == "intersects":
        return not frozenset(expected).isdisjoint(value)
    if op == "gt":
        return bool(value > expected)
    if op == "ge":
        return bool(value >= expected)
    if op == "lt":
        return bool(value < expected)
    if op == "le":
        return bool(value <= expected)
    raise ValueError(f"unknown operator {op!r}")


Compiled = Callable[[object, Any], Truth]
Getters = Callable[[str], Callable[..., Any]]
Unknowns = Callable[[str], frozenset[Any]]


def _no_unknowns(_field: str) -> frozenset[Any]:
    return frozenset()


def _of_two(first: Compiled, second: Compiled, decisive: bool) -> Compiled:
    """``kleene_all`` (``decisive`` False) or ``kleene_any`` (True) of two compiled parts,
    without a generator: either part's ``decisive`` value decides, and the second is not asked
    when the first has decided, as there; otherwise unknown if either is unknown."""

    def both(s: object, c: Any) -> Truth:
        a = first(s, c)
        if a is decisive:
            return decisive
        b = second(s, c)
        if b is decisive:
            return decisive
        return None if a is None or b is None else not decisive

    return both


def _all_text(values: Any) -> bool:
    """Whether ``values`` is a list or tuple of text (so a frozenset of it cannot fail)."""
    return isinstance(values, (list, tuple)) and all(isinstance(v, str) for v in values)


def compile_predicate(
    pred: Predicate, getters: Getters, unknowns: Unknowns = _no_unknowns
) -> Compiled:
    """Compile a predicate to ``f(subject, ctx) -> True | False | None`` (``None``: unknown)
    using ``getters(field)`` for each fact's value and ``unknowns(field)`` for the values that
    fact uses to mean "not known". Exactly :func:`compare` and the Kleene connectives."""
    if isinstance(pred, AllOf):
        parts = [compile_predicate(p, getters, unknowns) for p in pred.parts]
        if len(parts) == 2:
            return _of_two(parts[0], parts[1], decisive=False)
        return lambda s, c: kleene_all(p(s, c) for p in parts)
    if isinstance(pred, AnyOf):
        parts = [compile_predicate(p, getters, unknowns) for p in pred.parts]
        if len(parts) == 2:
            return _of_two(parts[0], parts[1], decisive=True)
        return lambda s, c: kleene_any(p(s, c) for p in parts)
    if isinstance(pred, Not):
        inner = compile_predicate(pred.part, getters, unknowns)
        return lambda s, c: kleene_not(inner(s, c))
    get = getters(pred.field)
    op, expected, unknown = pred.op, pred.value, unknowns(pred.field)
    # The common shapes, each exactly what compare() gives, without a second call.
    if op == "eq" and not unknown:
        return lambda s, c: None if (x := get(s, c)) is None else bool(x == expected)
    if op == "ne" and not _names(expected, unknown):
        # A text value the fact uses for "not known" is unknown; anything else compares.
        return lambda s, c: (
            None
            if (x := get(s, c)) is None or (isinstance(x, str) and x in unknown)
            else bool(x != expected)
        )
    if op == "contains" and not unknown:
        return lambda s, c: None if (x := get(s, c)) is None else expected in x
    if op == "intersects" and not unknown and _all_text(expected):
        wanted = frozenset(expected)
        return lambda s, c: None if (x := get(s, c)) is None else not wanted.isdisjoint(x)
    return lambda s, c: compare(op, expected, get(s, c), unknown)


def comparisons(pred: Predicate) -> Iterator[Compare]:
    """Every comparison in ``pred``, in the order written (through all, any and not)."""
    if isinstance(pred, (AllOf, AnyOf)):
        for part in pred.parts:
            yield from comparisons(part)
    elif isinstance(pred, Not):
        yield from comparisons(pred.part)
    else:
        yield pred


def unknown_fields(
    pred: Predicate,
    getters: Getters,
    subject: object,
    ctx: Any,
    unknowns: Unknowns = _no_unknowns,
) -> tuple[str, ...]:
    """The facts (sorted, once each) whose comparisons are unknown for ``subject``: what to
    record so that ``pred`` can be decided."""
    found = {
        p.field
        for p in comparisons(pred)
        if compare(p.op, p.value, getters(p.field)(subject, ctx), unknowns(p.field)) is None
    }
    return tuple(sorted(found))
