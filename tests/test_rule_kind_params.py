"""A rule kind's parameter validation: remembered by value, never confusing values that are
equal in Python but not in JSON (``True`` and ``1``, ``1`` and ``1.0``, a list and a string)."""

from __future__ import annotations

import datetime as dt

from safeguard_std.rules._kind import RuleKind, rule_kind


def _kind() -> RuleKind:
    @rule_kind(
        "demo",
        subjects=["person"],
        parameters={
            "properties": {
                "count": {"type": "integer"},
                "flag": {"type": "boolean"},
                "names": {"type": "array", "items": {"type": "string"}},
            }
        },
    )
    def demo(spec: object) -> object:
        """A demo kind."""
        raise AssertionError("not compiled here")

    return demo


def test_equal_in_python_but_not_in_json_are_judged_apart() -> None:
    kind = _kind()
    assert kind.validate_params({"count": 1}) == []
    assert kind.validate_params({"count": True}) == [(("count",), "True is not of type 'integer'")]
    assert kind.validate_params({"flag": True}) == []
    assert kind.validate_params({"flag": 1}) == [(("flag",), "1 is not of type 'boolean'")]
    assert kind.validate_params({"count": 1.5}) == [(("count",), "1.5 is not of type 'integer'")]
    assert kind.validate_params({"count": 1}) == []


def test_remembered_results_are_the_same_as_fresh_ones() -> None:
    kind = _kind()
    cases = [
        {"names": ["a", "b"]},
        {"names": ("a", "b")},
        {"names": "ab"},
        {"names": ["a", 2]},
        {"other": 1},
        {"count": 1, "flag": False},
        {"count": dt.date(2020, 1, 1)},
    ]
    fresh = [_kind().validate_params(c) for c in cases]
    for _ in range(3):
        assert [kind.validate_params(c) for c in cases] == fresh


def test_the_memory_is_bounded() -> None:
    kind = _kind()
    for n in range(5000):
        assert kind.validate_params({"count": n}) == []
    assert len(kind._param_results) <= 1024


def test_messages_that_show_the_value_are_not_shared() -> None:
    kind = _kind()
    assert kind.validate_params({"flag": -0.0}) == [(("flag",), "-0.0 is not of type 'boolean'")]
    assert kind.validate_params({"flag": 0.0}) == [(("flag",), "0.0 is not of type 'boolean'")]
