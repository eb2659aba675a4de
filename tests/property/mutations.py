"""Strategies for hostile variants of valid documents: structural mutations, then text and bytes.

A mutation picks a node of a JSON-like document and does one thing a careless exporter or a
hostile sender might: delete it, replace it with a value of another type, duplicate it, add an
unknown key beside it, nest it deeper, or swap in a huge or non-finite number. The result is then
written as JSON or YAML, and the bytes themselves may be damaged (a byte flipped, a stretch cut,
invalid UTF-8 inserted).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import yaml
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn, SearchStrategy

__all__ = ["documents_as_bytes", "json_values", "mutated"]

Path = tuple[str | int, ...]

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["", "2023-02-29", "9999-12-31T23:59:59-23:59", "P0D", "P3Y", "yes", "~"])
)


def json_values(max_leaves: int = 6) -> SearchStrategy[Any]:
    """Any JSON-like value: scalars, lists and string-keyed mappings."""
    return st.recursive(
        _SCALARS,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=max_leaves,
    )


def _paths(data: Any, path: Path = ()) -> list[Path]:
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_paths(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_paths(value, (*path, i)))
    return out


def _get(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def _copy(data: Any) -> Any:
    return json.loads(json.dumps(data))


def _replace(data: Any, path: Path, change: Callable[[Any], Any]) -> Any:
    if not path:
        return change(data)
    data = _copy(data)
    parent = _get(data, path[:-1])
    parent[path[-1]] = change(parent[path[-1]])
    return data


def _delete(data: Any, path: Path) -> Any:
    if not path:
        return {}
    data = _copy(data)
    parent = _get(data, path[:-1])
    del parent[path[-1]]
    return data


@st.composite
def mutated(draw: DrawFn, document: Any, max_mutations: int = 3) -> Any:
    """``document`` after one to ``max_mutations`` structural mutations."""
    data = document
    for _ in range(draw(st.integers(1, max_mutations))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(("delete", "replace", "wrap", "text", "extra", "duplicate")))
        if op == "delete":
            data = _delete(data, path)
        elif op == "replace":
            value = draw(json_values())
            data = _replace(data, path, lambda _old, v=value: v)
        elif op == "wrap":
            data = _replace(data, path, lambda old: draw(st.sampled_from([[old], {"x": old}])))
        elif op == "text":
            data = _replace(data, path, lambda old: json.dumps(old))
        elif op == "extra":
            key = draw(st.text(min_size=1, max_size=10))
            value = draw(json_values(3))
            data = _replace(
                data,
                path,
                lambda old, k=key, v=value: {**old, k: v} if isinstance(old, dict) else old,
            )
        else:
            data = _replace(
                data, path, lambda old: [*old, *old[:1]] if isinstance(old, list) else old
            )
    return data


def _dump(data: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, allow_nan=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def documents_as_bytes(draw: DrawFn, document: Any) -> tuple[str, bytes]:
    """``(suffix, bytes)``: ``document`` written as JSON or YAML, sometimes with its bytes
    damaged."""
    fmt = draw(st.sampled_from(("json", "yaml")))
    raw = _dump(document, fmt).encode("utf-8")
    damage = draw(st.sampled_from(("none", "none", "flip", "cut", "insert", "bad_utf8")))
    if damage != "none" and raw:
        at = draw(st.integers(0, len(raw) - 1))
        if damage == "flip":
            raw = raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1 :]
        elif damage == "cut":
            raw = raw[:at]
        elif damage == "insert":
            raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
        else:
            raw = raw[:at] + b"\xff\xfe\xc3" + raw[at:]
    return f".{fmt}", raw
