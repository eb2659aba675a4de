"""The fast path for loading evidence: one strict structuring pass instead of schema + structure.

Validating a large bundle against ``schemas/evidence.schema.json`` with :mod:`jsonschema` costs
about half a millisecond a person, twenty times the rest of loading. The schema is generated from
the attrs model (``_evidence_schema``), so the converter already checks almost everything it says:
types (strictly: no ``"false"`` for ``false``), enumerations, required and unknown keys, the id
pattern. This module builds a converter that also checks the few things the schema says and the
ordinary converter lets pass:

* a list where the schema says array (the ordinary converter would take a string's characters);
* no repeated items where the schema says ``uniqueItems``;
* dates as text matching the schema's pattern exactly (no surrounding spaces);
* enumeration values as text.

So anything :func:`structure_fast` accepts, the schema and the ordinary converter accept too, with
the same result. Anything it refuses (returning ``None``) goes down the full path, schema first,
which reports every problem, located, exactly as before: the fast path never decides what an
error says. ``tests/test_fast_evidence.py`` keeps the two paths in step, including a check that
the schema uses no keyword this module does not handle.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

import attrs
import cattrs

from safeguard_std.domain.calendar import parse_date
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.people import Person
from safeguard_std.evidence._schema import DATE_PATTERN
from safeguard_std.serialization import converter

__all__ = ["HANDLED_KEYWORDS", "all_ids", "structure_fast", "structure_text"]

#: The JSON Schema keywords the evidence schema uses that this fast path enforces itself
#: (annotations such as ``description`` aside).
HANDLED_KEYWORDS = frozenset(
    {
        "$ref",
        "additionalProperties",
        "anyOf",
        "enum",
        "items",
        "pattern",
        "properties",
        "required",
        "type",
        "uniqueItems",
    }
)

_SCHEMA_DATE = re.compile(DATE_PATTERN)
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Refused(Exception):
    """The input is not certainly valid: let the full path judge it."""


# Values shared between the records of a load: a large bundle repeats the same dates (a few
# thousand distinct days) and the same texts (who checked, which provider trained) in every
# person, and one object per value instead of one per occurrence is a third of a person's
# memory. Bounded: emptied when full, so a stream of distinct values (ids) costs little, and
# after each load.
_SHARED_MAX = 1 << 14
_DATES: dict[str, dt.date] = {}
_TEXTS: dict[str, str] = {}


def _forget_shared() -> None:
    """Keep nothing of a load once it is done: dates of birth and names among them."""
    _DATES.clear()
    _TEXTS.clear()


def _date(value: Any, _type: Any) -> dt.date:
    if type(value) is str:
        known = _DATES.get(value)
        if known is not None:
            return known
        if len(value) == 10 and _PLAIN_DATE.fullmatch(value):
            if len(_DATES) >= _SHARED_MAX:
                _DATES.clear()
            # What parse_date does with plain ISO text.
            day = _DATES[value] = dt.date.fromisoformat(value)
            return day
        if _SCHEMA_DATE.search(value):
            return parse_date(value)
    elif type(value) is dt.date:  # what a database driver returns
        return value
    raise _Refused


def _text(value: Any, _type: Any) -> str:
    if type(value) is not str:
        raise _Refused
    known = _TEXTS.get(value)
    if known is None:
        if len(_TEXTS) >= _SHARED_MAX:
            _TEXTS.clear()
        known = _TEXTS[value] = value
    return known


def _is_enum(type_: Any) -> bool:
    return isinstance(type_, type) and issubclass(type_, enum.Enum)


def _enum_hook(type_: type[enum.Enum], _conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    members = {m.value: m for m in type_}

    def hook(value: Any, _type: Any) -> enum.Enum:
        if type(value) is not str:
            raise _Refused
        return members[value]  # a KeyError refuses it

    return hook


def _is_optional(type_: Any) -> bool:
    args = typing.get_args(type_)
    return (
        typing.get_origin(type_) in (typing.Union, types.UnionType)
        and len(args) == 2
        and type(None) in args
    )


def _optional_hook(type_: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    (inner_type,) = [a for a in typing.get_args(type_) if a is not type(None)]
    inner = conv.get_structure_hook(inner_type)

    def hook(value: Any, _type: Any) -> Any:
        return None if value is None else inner(value, inner_type)

    return hook


def _is_tuple(type_: Any) -> bool:
    return typing.get_origin(type_) is tuple


def _is_frozenset(type_: Any) -> bool:
    return typing.get_origin(type_) is frozenset


def _tuple_hook(type_: Any, conv: cattrs.Converter) -> Callable[[Any, Any], tuple[Any, ...]]:
    (item_type, *_rest) = typing.get_args(type_)
    item = conv.get_structure_hook(item_type)

    def hook(value: Any, _type: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _Refused
        return tuple([item(x, item_type) for x in value])

    return hook


def _frozenset_hook(type_: Any, conv: cattrs.Converter) -> Callable[[Any, Any], frozenset[Any]]:
    (item_type,) = typing.get_args(type_)
    item = conv.get_structure_hook(item_type)

    def hook(value: Any, _type: Any) -> frozenset[Any]:
        if type(value) is not list or not all(type(x) is str for x in value):
            raise _Refused
        if len(set(value)) != len(value):
            raise _Refused  # uniqueItems
        return frozenset([item(x, item_type) for x in value])

    return hook


@cache
def _fast_converter(share_texts: bool = False) -> cattrs.Converter:
    conv = converter().copy(detailed_validation=False)
    conv.register_structure_hook(dt.date, _date)
    if share_texts:  # worth its cost on a large bundle only (a portfolio's are small)
        conv.register_structure_hook(str, _text)
    conv.register_structure_hook_factory(_is_enum, _enum_hook)
    # cattrs dispatches an optional field's inner type on every value; look it up once.
    conv.register_structure_hook_factory(_is_optional, _optional_hook)
    conv.register_structure_hook_factory(_is_tuple, _tuple_hook)
    conv.register_structure_hook_factory(_is_frozenset, _frozenset_hook)
    return conv


def structure_fast(data: Any) -> EvidenceBundle | None:
    """The bundle, when ``data`` is certainly valid (schema and model); ``None`` otherwise.

    ``None`` says nothing about what is wrong: the caller runs the full path to find out.
    """
    if type(data) is not dict:
        return None
    body = data
    if "$schema" in data:
        if type(data["$schema"]) is not str:
            return None
        body = {k: v for k, v in data.items() if k != "$schema"}
    try:
        bundle = _fast_converter().structure(body, EvidenceBundle)
    except Exception:  # anything at all: the full path will say what, and where
        return None
    finally:
        _forget_shared()
    assert isinstance(bundle, EvidenceBundle)
    return bundle


# -- a JSON bundle read a person at a time ------------------------------------------------------


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Refused  # a repeated key: the full path says where
    return out


def _no_constant(_name: str) -> Any:
    raise _Refused  # NaN, Infinity: the full path refuses them, located


_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_no_constant)
_SPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, at: int) -> int:
    """Where the white space at ``at`` ends."""
    found = _SPACE.match(text, at)
    assert found is not None  # the pattern matches the empty text
    return found.end()


def structure_text(text: str) -> EvidenceBundle | None:
    """The bundle in a JSON text when it is certainly valid (as :func:`structure_fast`);
    ``None`` otherwise.

    The people are parsed and converted one at a time, each person's data dropped as soon as it
    is a record, so the data of the whole document never exists beside the records made from it
    (for a large bundle, several times the records' size, and memory the records are scattered
    through afterwards). The top-level mapping is read with the JSON decoder's own pieces, so
    what it accepts is what :func:`json.loads` accepts."""
    try:
        return _people_at_a_time(text)
    except Exception:  # anything at all: the full path will say what, and where
        return None
    finally:
        _forget_shared()


def _after_item(text: str, i: int, close: str) -> tuple[int, bool]:
    """Past the comma after an item of an array or mapping (``False``: more follow), or past
    its ``close`` (``True``: the last)."""
    i = _skip(text, i)
    if text[i : i + 1] == ",":
        return _skip(text, i + 1), False
    if text[i : i + 1] == close:
        return i + 1, True
    raise _Refused


def _people(text: str, i: int, person: Callable[[Any, Any], Person]) -> tuple[list[Person], int]:
    """The people of the array opening at ``i``, each made a record as soon as it is read; and
    where the array ends."""
    people: list[Person] = []
    i = _skip(text, i + 1)
    if text[i : i + 1] == "]":
        return people, i + 1
    done = False
    while not done:
        item, i = _DECODER.raw_decode(text, i)
        if type(item) is not dict:
            raise _Refused
        people.append(person(item, Person))
        i, done = _after_item(text, i, "]")
    return people, i


def _people_at_a_time(text: str) -> EvidenceBundle:
    conv = _fast_converter(share_texts=True)
    person = conv.get_structure_hook(Person)
    i = _skip(text, 0)
    if text[i : i + 1] != "{":
        raise _Refused
    i = _skip(text, i + 1)
    body: dict[str, Any] = {}
    people: list[Person] | None = None
    done = text[i : i + 1] == "}"
    if done:
        i += 1
    while not done:
        if text[i : i + 1] != '"':
            raise _Refused
        key, i = _scanstring(text, i + 1)
        if key in body:
            raise _Refused
        i = _skip(text, i)
        if text[i : i + 1] != ":":
            raise _Refused
        i = _skip(text, i + 1)
        if key == "people" and text[i : i + 1] == "[":
            body[key] = []
            people, i = _people(text, i, person)
        else:
            body[key], i = _DECODER.raw_decode(text, i)
        i, done = _after_item(text, i, "}")
    if _skip(text, i) != len(text):
        raise _Refused
    if "$schema" in body and type(body.pop("$schema")) is not str:
        raise _Refused
    bundle = conv.structure(body, EvidenceBundle)
    if people:
        bundle = attrs.evolve(bundle, people=tuple(people))
    assert isinstance(bundle, EvidenceBundle)
    return bundle


# -- every id in a bundle, cheaply ---------------------------------------------------------------


@cache
def _walk_plan(cls: Any) -> tuple[tuple[str, bool], ...]:
    """The fields of ``cls`` that can hold entities: (name, holds many)."""
    hints = typing.get_type_hints(cls)
    plan = []
    for field in attrs.fields(cls):
        tp = hints[field.name]
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if _is_tuple(tp) and args and attrs.has(args[0]):
            plan.append((field.name, True))
        elif attrs.has(tp) or (len(args) == 1 and attrs.has(args[0])):
            plan.append((field.name, False))
    return tuple(plan)


def all_ids(bundle: EvidenceBundle) -> list[str]:
    """The id of every record in the bundle, in no promised order."""
    out: list[str] = []
    stack: list[Any] = [bundle]
    plans: dict[Any, tuple[tuple[str, bool], ...]] = {}
    while stack:
        record = stack.pop()
        ident = getattr(record, "id", None)
        if isinstance(ident, str):
            out.append(ident)
        kind: Any = type(record)
        plan = plans.get(kind)
        if plan is None:
            plan = plans[kind] = _walk_plan(kind)
        for name, many in plan:
            value = getattr(record, name)
            if value is None:
                continue
            if many:
                stack.extend(value)
            else:
                stack.append(value)
    return out
