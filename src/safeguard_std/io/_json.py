"""JSON parsed with the fast ``json`` module, within the limits on one document.

Duplicate keys, ``NaN``/``Infinity``, numbers too long to convert, too many lists and mappings
(counted by their opening brackets before parsing) and nesting beyond :data:`MAX_DEPTH` are
refused with a located problem. Positions are not recorded here: a document works them out only
on its first error (:meth:`safeguard_std.io.documents.Document.locate`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from safeguard_std.exceptions import quoted
from safeguard_std.io import _limits as limits_
from safeguard_std.io._limits import fail, too_deep, too_many_nodes

__all__ = ["depth_ok", "loads"]


def loads(text: str, source: str | None, *, max_nodes: int, check_depth: bool) -> Any:
    """The data of a JSON text with at most ``max_nodes`` lists and mappings, nested no deeper
    than :data:`MAX_DEPTH` (unless ``check_depth`` is false: the caller checks, later)."""
    if text.count("{") + text.count("[") > max_nodes:
        raise fail(source, too_many_nodes(max_nodes))
    try:
        data = json.loads(
            text, object_pairs_hook=_no_duplicates(source), parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise fail(source, f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except ValueError as exc:
        message = str(exc)
        if "integer string conversion" in message:  # Python's guard on huge numbers
            message = "numbers longer than 4300 digits are not allowed"
        raise fail(source, message) from None
    except RecursionError:
        raise fail(source, too_deep()) from None
    if check_depth and not depth_ok(data):
        raise fail(source, too_deep())
    return data


def _no_duplicates(source: str | None) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) == len(pairs):  # the common case, decided in C
            return out
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise fail(source, f"duplicate key {quoted(key)}")
            seen.add(key)
        raise AssertionError("unreachable: a shorter dict means a repeated key")  # pragma: no cover

    return hook


def depth_ok(data: Any, limit: int = limits_.MAX_DEPTH) -> bool:
    """Whether no container in ``data`` (parsed JSON) is nested deeper than ``limit``."""

    def within(node: Any, depth: int) -> bool:  # node: a container at ``depth``
        children = node.values() if type(node) is dict else node
        if depth >= limit and children:
            return False  # its children would lie deeper than the limit
        for child in children:
            kind = type(child)
            if (kind is dict or kind is list) and not within(child, depth + 1):
                return False
        return True

    # Recursion stops at ``limit`` levels, so a hostile document cannot exhaust the stack.
    return type(data) not in (dict, list) or within(data, 0)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON documents")
