"""Unknown is not false: the predicate layer is three-valued (Kleene's strong logic).

Every operator is tested exhaustively against a table written out here by hand, for a known
matching value, a known other value, ``None`` and a value the fact declares as meaning "not
known"; the connectives over every combination of true, false and unknown; and a property test
checks that a decided predicate is right for every way the unknown facts could turn out.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_std.domain.predicates import (
    OPERATORS,
    AllOf,
    AnyOf,
    Compare,
    Not,
    Predicate,
    Truth,
    compare,
    compile_predicate,
    kleene_all,
    kleene_any,
    kleene_not,
    parse_predicate,
    unknown_fields,
)

T, F, U = True, False, None
UNKNOWN = frozenset({"unknown"})

# (op, expected, value) -> truth, written out for every operator. "unknown" is the fact's own
# "not known" value (as person.regulated_activity has); None is a fact with no value.
TABLE: list[tuple[str, Any, Any, Truth]] = [
    ("eq", "yes", "yes", T),
    ("eq", "yes", "no", F),
    ("eq", "yes", None, U),
    ("eq", "yes", "unknown", U),
    ("eq", "unknown", "unknown", T),  # naming the "not known" value asks about it: decided
    ("eq", "unknown", "yes", F),
    ("ne", "no", "yes", T),
    ("ne", "no", "no", F),
    ("ne", "no", None, U),
    ("ne", "no", "unknown", U),
    ("ne", "unknown", "unknown", F),
    ("in", ("yes", "no"), "yes", T),
    ("in", ("yes",), "no", F),
    ("in", ("yes",), None, U),
    ("in", ("yes",), "unknown", U),
    ("in", ("yes", "unknown"), "unknown", T),
    ("not_in", ("no",), "yes", T),
    ("not_in", ("no",), "no", F),
    ("not_in", ("no",), None, U),
    ("not_in", ("no",), "unknown", U),
    ("not_in", ("no", "unknown"), "unknown", F),
    ("contains", "a", frozenset({"a", "b"}), T),
    ("contains", "a", frozenset({"b"}), F),
    ("contains", "a", frozenset(), F),
    ("contains", "a", None, U),
    ("intersects", ("a", "c"), frozenset({"a", "b"}), T),
    ("intersects", ("c",), frozenset({"a", "b"}), F),
    ("intersects", ("c",), None, U),
    ("gt", 17, 18, T),
    ("gt", 18, 18, F),
    ("gt", 18, None, U),
    ("ge", 18, 18, T),
    ("ge", 18, 17, F),
    ("ge", 18, None, U),
    ("lt", 18, 17, T),
    ("lt", 18, 18, F),
    ("lt", 18, None, U),
    ("le", 18, 18, T),
    ("le", 18, 19, F),
    ("le", 18, None, U),
    ("exists", True, "yes", T),
    ("exists", True, None, F),  # exists asks whether the fact is known: always decided
    ("exists", True, "unknown", F),
    ("exists", False, None, T),
    ("exists", False, "unknown", T),
    ("exists", False, 0, F),
]


def test_the_table_covers_every_operator_with_an_unknown_value() -> None:
    covered = {op for op, _e, value, truth in TABLE if truth is None or op == "exists"}
    assert covered == set(OPERATORS)
    assert {op for op, *_ in TABLE} == set(OPERATORS)


@pytest.mark.parametrize(("op", "expected", "value", "truth"), TABLE)
def test_each_comparison(op: str, expected: Any, value: Any, truth: Truth) -> None:
    assert compare(op, expected, value, UNKNOWN) is truth
    # The compiled form agrees with compare() for every row.
    pred = Compare("f", op, expected)
    compiled = compile_predicate(pred, lambda _f: lambda _s, _c: value, lambda _f: UNKNOWN)
    assert compiled(None, None) is truth
    # And for a fact without a "not known" value (other shapes compile to a single closure).
    plain = compile_predicate(pred, lambda _f: lambda _s, _c: value)
    assert plain(None, None) is compare(op, expected, value)


def test_a_fact_without_a_not_known_value_compares_its_strings_plainly() -> None:
    assert compare("eq", "unknown", "unknown") is True
    assert compare("ne", "no", "unknown") is True


VALUES: tuple[Truth, ...] = (T, F, U)


@pytest.mark.parametrize("a", VALUES)
def test_not(a: Truth) -> None:
    assert kleene_not(a) is {T: F, F: T, U: U}[a]


@pytest.mark.parametrize(("a", "b"), list(itertools.product(VALUES, VALUES)))
def test_all_and_any_of_two(a: Truth, b: Truth) -> None:
    and_table = {
        (T, T): T, (T, F): F, (T, U): U,
        (F, T): F, (F, F): F, (F, U): F,
        (U, T): U, (U, F): F, (U, U): U,
    }  # fmt: skip
    or_table = {
        (T, T): T, (T, F): T, (T, U): T,
        (F, T): T, (F, F): F, (F, U): U,
        (U, T): T, (U, F): U, (U, U): U,
    }  # fmt: skip
    assert kleene_all([a, b]) is and_table[(a, b)]
    assert kleene_any([a, b]) is or_table[(a, b)]
    facts = {"a": a, "b": b}
    both = [Compare("a", "eq", True), Compare("b", "eq", True)]
    assert _run(AllOf(tuple(both)), facts) is and_table[(a, b)]
    assert _run(AnyOf(tuple(both)), facts) is or_table[(a, b)]
    assert _run(Not(AllOf(tuple(both))), facts) is kleene_not(and_table[(a, b)])


def test_empty_connectives() -> None:
    assert kleene_all([]) is True
    assert kleene_any([]) is False


def _run(pred: Predicate, facts: Mapping[str, Any]) -> Truth:
    compiled = compile_predicate(pred, lambda f: lambda _s, _c: facts.get(f))
    return compiled(None, None)


def test_unknown_fields_names_what_to_record() -> None:
    pred = parse_predicate(
        {
            "any": [
                {"field": "a", "eq": True},
                {"not": {"field": "b", "ge": 18}},
                {"field": "c", "exists": True},
            ]
        }
    )
    facts: dict[str, Any] = {"a": None, "b": None, "c": None}
    assert _run(pred, facts) is None
    getters = lambda f: lambda _s, _c: facts[f]  # noqa: E731
    assert unknown_fields(pred, getters, None, None) == ("a", "b")


# -- property: a decided predicate holds whatever the unknown facts turn out to be ---------------

FIELDS: dict[str, tuple[Any, ...]] = {
    "flag": (True, False),
    "age": (0, 17, 18, 25),
    "kind": ("yes", "no"),
    "set": (frozenset(), frozenset({"a"}), frozenset({"a", "b"})),
}

_compares = st.one_of(
    st.builds(lambda v: Compare("flag", "eq", v), st.booleans()),
    st.builds(lambda v: Compare("flag", "ne", v), st.booleans()),
    st.builds(lambda v: Compare("flag", "exists", v), st.booleans()),
    st.builds(
        lambda op, v: Compare("age", op, v),
        st.sampled_from(["gt", "ge", "lt", "le", "eq", "ne"]),
        st.sampled_from([0, 17, 18, 25]),
    ),
    st.builds(
        lambda op, v: Compare("kind", op, v),
        st.sampled_from(["eq", "ne"]),
        st.sampled_from(["yes", "no"]),
    ),
    st.builds(
        lambda op, v: Compare("kind", op, tuple(v)),
        st.sampled_from(["in", "not_in"]),
        st.lists(st.sampled_from(["yes", "no"]), min_size=1, max_size=2),
    ),
    st.builds(lambda v: Compare("set", "contains", v), st.sampled_from(["a", "b"])),
    st.builds(
        lambda v: Compare("set", "intersects", tuple(v)),
        st.lists(st.sampled_from(["a", "b"]), min_size=1, max_size=2),
    ),
)

predicates: st.SearchStrategy[Predicate] = st.recursive(
    _compares,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(lambda ps: AllOf(tuple(ps)), st.lists(inner, max_size=3)),
        st.builds(lambda ps: AnyOf(tuple(ps)), st.lists(inner, max_size=3)),
    ),
    max_leaves=6,
)


def _assignments() -> st.SearchStrategy[dict[str, Any]]:
    # Each fact is known (one of its values) or not known (None, or "unknown" for kind).
    parts = {
        name: st.sampled_from((*values, None, *(("unknown",) if name == "kind" else ())))
        for name, values in FIELDS.items()
    }
    return st.fixed_dictionaries(parts)


def _evaluate(pred: Predicate, facts: Mapping[str, Any]) -> Truth:
    unknowns = {"kind": frozenset({"unknown"})}
    compiled = compile_predicate(
        pred,
        lambda f: lambda _s, _c: facts[f],
        lambda f: unknowns.get(f, frozenset()),
    )
    return compiled(None, None)


@settings(max_examples=200)
@given(predicates, _assignments())
def test_a_decided_predicate_is_right_for_every_completion(
    pred: Predicate, facts: dict[str, Any]
) -> None:
    result = _evaluate(pred, facts)
    # (Naming "unknown" in a predicate, which decides it, is covered by TABLE above.)
    unknown = [name for name, value in facts.items() if value is None or value == "unknown"]
    for values in itertools.product(*(FIELDS[name] for name in unknown)):
        known = {**facts, **dict(zip(unknown, values, strict=True))}
        decided = _evaluate(pred, known)
        assert decided is not None  # every fact known: always decided
        # Sound: whatever the unknown facts turn out to be, the answer stands. "exists" is the
        # one operator that reads knowledge itself, so it is left out of this check.
        if result is not None and not _uses_exists(pred):
            assert decided is result, (pred, facts, known)
    if result is None and not _uses_exists(pred):
        assert unknown, "an unknown result needs an unknown fact"


def _uses_exists(pred: Predicate) -> bool:
    if isinstance(pred, Compare):
        return pred.op == "exists"
    if isinstance(pred, Not):
        return _uses_exists(pred.part)
    return any(_uses_exists(p) for p in pred.parts)
