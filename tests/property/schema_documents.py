"""Documents drawn from a JSON Schema: any document the schema accepts, not only sensible ones.

Enough of JSON Schema for ``schemas/evidence.schema.json`` (objects, arrays, ``anyOf``, ``enum``,
``$ref``, string patterns, integers, booleans, null). Patterns go through
``hypothesis.strategies.from_regex``, which also produces what Python's ``$`` lets through (a
final newline); dates are drawn both from the pattern and as real dates and timestamps so that a
share of documents structure all the way.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

__all__ = ["documents_for"]

_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}(T.+)?$"


def _string(node: dict[str, Any]) -> SearchStrategy[str]:
    pattern = node.get("pattern")
    if pattern == _DATE_PATTERN:
        return st.one_of(
            st.from_regex(pattern),
            st.dates().map(lambda d: d.isoformat()),
            st.datetimes(timezones=st.timezones()).map(lambda t: t.isoformat()),
        )
    if pattern:
        # Mostly whole matches (so some documents structure); sometimes what "$" also allows.
        whole = st.from_regex(pattern, fullmatch=True)
        return st.one_of(whole, whole, whole, st.from_regex(pattern))
    return st.text(max_size=12)


def documents_for(schema: dict[str, Any]) -> SearchStrategy[Any]:
    """Any document ``schema`` accepts (as far as the keywords above go)."""
    defs = schema.get("$defs", {})
    cache: dict[str, SearchStrategy[Any]] = {}

    def build(node: dict[str, Any]) -> SearchStrategy[Any]:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in cache:
                cache[name] = st.deferred(lambda: build(defs[name]))
            return cache[name]
        if "anyOf" in node:
            return st.one_of([build(n) for n in node["anyOf"]])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        kind = node.get("type")
        if kind == "object":
            props = node.get("properties", {})
            required = {k: build(props[k]) for k in node.get("required", [])}
            optional = {k: build(v) for k, v in props.items() if k not in required}
            return st.fixed_dictionaries(required, optional=optional)
        if kind == "array":
            items = build(node.get("items", {}))
            if node.get("uniqueItems"):
                return st.lists(
                    items, max_size=2, unique_by=lambda v: json.dumps(v, sort_keys=True)
                )
            return st.lists(items, max_size=2)
        if kind == "string":
            return _string(node)
        if kind == "integer":
            return st.integers(-3, 40)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return st.none() | st.booleans() | st.integers() | st.text(max_size=5)

    return build(schema)
