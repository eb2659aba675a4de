"""Pack values in plain English: periods, parameter values, predicates, rule descriptions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from safeguard_std.domain.calendar import Period
from safeguard_std.domain.pack import Pack
from safeguard_std.domain.predicates import AllOf, AnyOf, Compare, Not, ParamRef, Predicate
from safeguard_std.exceptions import InvalidPeriod

__all__ = ["period_words", "predicate_words", "rst_to_plain", "value_words"]


def _unit(n: int, name: str) -> str:
    return f"{n} {name}" + ("" if n == 1 else "s")


def period_words(period: Period) -> str:
    """``P1Y6M`` as "1 year and 6 months"."""
    parts = [
        _unit(n, name)
        for n, name in (
            (period.years, "year"),
            (period.months, "month"),
            (period.weeks, "week"),
            (period.days, "day"),
        )
        if n
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def value_words(value: Any) -> str:
    """A parameter or rule value for a reader: periods in words, lists joined, yes/no."""
    if isinstance(value, Period):
        return f"{period_words(value)} ({value})"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith("P"):
        try:
            return value_words(Period.parse(value))
        except InvalidPeriod:
            return value
    if isinstance(value, (list, tuple)):
        return ", ".join(value_words(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {value_words(v)}" for k, v in value.items())
    return str(value)


def param_words(value: Any, pack: Pack, key: str = "") -> str:
    """A rule parameter: literal values in words; ``{param: NAME}`` as its value and name;
    ids from the pack's documents table (``documents``) as the documents' titles."""
    if key == "documents" and isinstance(value, (list, tuple)):
        return "; ".join(
            f"{pack.documents[d].title} ({d})" if d in pack.documents else str(d) for d in value
        )
    if isinstance(value, Mapping) and set(value) == {"param"}:
        param = pack.parameters.get(value["param"])
        shown = value_words(param.value) if param is not None else "(undeclared)"
        return f"{shown}, parameter {value['param']}"
    return value_words(value)


# Sentences for boolean facts, true then false; other facts read as "the provider's kind".
_BOOLEAN = {
    "provider.is_education": (
        "the provider is an education setting",
        "the provider is not an education setting",
    ),
    "provider.is_sole_trader": (
        "the provider is a sole trader",
        "the provider is not a sole trader",
    ),
    "provider.works_alone": (
        "the provider works alone (a sole trader, or its owner is the only person engaged)",
        "the provider does not work alone",
    ),
    "provider.serves_18_to_25": (
        "the provider serves young adults aged 18 to 25",
        "the provider does not serve young adults aged 18 to 25",
    ),
    "provider.has_website": ("the provider has a website", "the provider has no website"),
    "provider.records_held_centrally": (
        "staff records are held centrally",
        "staff records are not held centrally",
    ),
    "contract.present": ("the evidence includes the contract", "the evidence has no contract"),
    "person.regular_contact": (
        "the person has regular contact with children",
        "the person has no regular contact with children",
    ),
    "person.supervised": ("the person is supervised", "the person is not supervised"),
    "person.management_role": (
        "the person holds a management role",
        "the person holds no management role",
    ),
    "person.teaching_role": ("the person teaches", "the person does not teach"),
    "person.has_dbs_disclosure": (
        "a DBS certificate of the person disclosed information",
        "no DBS certificate of the person disclosed information",
    ),
}
_OPS = {
    "eq": "is",
    "ne": "is not",
    "in": "is one of",
    "not_in": "is none of",
    "contains": "include",
    "intersects": "include any of",
    "gt": "is more than",
    "ge": "is at least",
    "lt": "is less than",
    "le": "is at most",
}


def _noun(field: str) -> str:
    owner, _, attr = field.partition(".")
    return f"the {owner}'s {attr.replace('_', ' ')}" if attr else field.replace("_", " ")


def _literal(value: Any) -> str:
    if isinstance(value, ParamRef):
        return f"the values of parameter {value.name}"
    if isinstance(value, tuple):
        return ", ".join(_literal(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).replace("_", " ") if isinstance(value, str) else str(value)


# Sentences for a few enumerated facts compared with eq, by value.
_VALUES = {
    ("person.regulated_activity", "yes"): "the person is in regulated activity",
    ("person.regulated_activity", "no"): "the person is not in regulated activity",
    ("person.regulated_activity", "unknown"): "whether the person is in regulated activity is "
    "not known",
}


def _compare_words(pred: Compare) -> str:
    if pred.op == "eq" and (pred.field, pred.value) in _VALUES:
        return _VALUES[(pred.field, pred.value)]
    if pred.field in _BOOLEAN and pred.op in ("eq", "ne") and isinstance(pred.value, bool):
        yes, no = _BOOLEAN[pred.field]
        return yes if pred.value == (pred.op == "eq") else no
    if pred.op == "exists":
        return f"{_noun(pred.field)} is {'recorded' if pred.value else 'not recorded'}"
    return f"{_noun(pred.field)} {_OPS.get(pred.op, pred.op)} {_literal(pred.value)}"


def predicate_words(pred: Predicate, nested: bool = False) -> str:
    """An ``applies_when`` predicate as a sentence ("the person's regulated activity is yes")."""
    if isinstance(pred, Compare):
        return _compare_words(pred)
    if isinstance(pred, Not):
        return f"not ({predicate_words(pred.part, True)})"
    joiner = " and " if isinstance(pred, AllOf) else " or "
    if not pred.parts:
        return "always" if isinstance(pred, AllOf) else "never"
    assert isinstance(pred, (AllOf, AnyOf))
    text = joiner.join(predicate_words(p, True) for p in pred.parts)
    return f"({text})" if nested and len(pred.parts) > 1 else text


_LITERAL = re.compile(r"``([^`]+)``")


def rst_to_plain(text: str, code: tuple[str, str] = ("", "")) -> str:
    """A rule kind's docstring text with ````name```` marked as ``code`` (open and close)."""
    return _LITERAL.sub(lambda m: f"{code[0]}{m.group(1)}{code[1]}", text)
