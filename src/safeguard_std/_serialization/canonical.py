"""Canonical JSON (sorted keys, the same data gives the same text) and content digests."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from safeguard_std._serialization.data import _FindingsToWrite


def canonical_json(data: Any, *, indent: int | None = None) -> str:
    """JSON with sorted keys and no floating-point surprises: the same data, the same text."""
    if indent:
        try:
            return _indented_json(data, " " * indent)
        except (_Unusual, RecursionError):
            pass  # the standard encoder says what is wrong (or copes)
    if not indent:
        return _COMPACT.encode(data)  # json.dumps makes an encoder per call: one will do
    return json.dumps(
        data,
        sort_keys=True,
        ensure_ascii=False,
        indent=indent,
        separators=(",", ": "),
        allow_nan=False,
    )


def indented_at(data: Any, level: int) -> str:
    """``canonical_json(data, indent=2)`` with every line after the first indented ``level``
    steps more (as it sits ``level`` deep in a larger document): written so from the start,
    not indented again afterwards."""
    try:
        return _encode(data, level, "  ")
    except (_Unusual, RecursionError):
        return canonical_json(data, indent=2).replace("\n", "\n" + "  " * level)


_COMPACT = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
)


class _Unusual(Exception):
    """Data the fast indented encoder leaves to :func:`json.dumps`."""


_encode_text = json.encoder.encode_basestring  # the C implementation where there is one


def _indented_json(data: Any, step: str) -> str:
    """``json.dumps(data, sort_keys=True, ensure_ascii=False, indent=..., separators=(",", ": "),
    allow_nan=False)``, byte for byte, for plain data (dicts with text keys, lists, tuples, text,
    whole numbers, booleans, null, finite floats); raises :class:`_Unusual` for anything else.

    The standard library encodes indented JSON in pure Python, one generator step per token,
    and joins every token at the end: for an assessment of a large bundle that is tens of
    millions of small strings alive at once. Here each container is joined as soon as it is
    done, so memory stays near the size of the text, and it is about three times faster."""
    return _encode(data, 0, step)


# Module functions, not closures: a recursive closure is a reference cycle, and with the
# collector paused (the command line pauses it) every call would leave one behind.
def _scalar(value: Any) -> str:
    kind = type(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise _Unusual
        return float.__repr__(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, str):
        return _encode_text(value)
    raise _Unusual


def _encode(value: Any, level: int, step: str) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = []
        for key, item in sorted(value.items()):
            if type(key) is not str:
                raise _Unusual
            if type(item) is str:
                text = _encode_text(item)
            elif isinstance(item, (dict, list, tuple, _FindingsToWrite)):
                text = _encode(item, level + 1, step)
            else:
                text = _scalar(item)
            items.append(_encode_text(key) + ": " + text)
        newline = "\n" + step * (level + 1)
        return "{" + newline + ("," + newline).join(items) + "\n" + step * level + "}"
    if isinstance(value, (list, tuple, _FindingsToWrite)):
        if not value:
            return "[]"
        items = [
            _encode_text(item)
            if type(item) is str
            else _encode(item, level + 1, step)
            if isinstance(item, (dict, list, tuple))
            else _scalar(item)
            for item in value
        ]
        newline = "\n" + step * (level + 1)
        return "[" + newline + ("," + newline).join(items) + "\n" + step * level + "]"
    return _scalar(value)


_LEAVES = frozenset({str, int, bool, float, type(None)})


def _record_id(record: Mapping[str, Any]) -> str:
    return str(record["id"])


def _canonical_lists(data: Any) -> Any:
    """Sort lists of records by id, and lists of scalars by value, recursively."""
    kind = type(data)
    if kind in _LEAVES:  # most nodes: no call, no ABC check
        return data
    if kind is dict or isinstance(data, Mapping):
        return {k: v if type(v) in _LEAVES else _canonical_lists(v) for k, v in data.items()}
    if kind is list:
        items = [x if type(x) in _LEAVES else _canonical_lists(x) for x in data]
        if items and (
            all(type(x) is dict and "id" in x for x in items)
            or all(isinstance(x, Mapping) and "id" in x for x in items)
        ):
            return sorted(items, key=_record_id)
        if all(isinstance(x, str) for x in items):
            return sorted(items)
        # Records without ids (identity documents, panel members) and other values: their
        # order carries no meaning either, so it must not reach the digest.
        return sorted(items, key=canonical_json)
    return data


def _canonical_owned(data: Any) -> Any:
    """:func:`_canonical_lists` for data made for the purpose (its dicts and lists held by
    nothing else, such as a record just unstructured): the same result, sorted in place, and
    lists of fewer than two items left as they are (the digest of a person used to spend more
    on rebuilding its data than on hashing it)."""
    kind = type(data)
    if kind is dict:
        for key, value in data.items():
            if type(value) not in _LEAVES:
                data[key] = _canonical_owned(value)  # the same keys: iteration is unaffected
        return data
    if kind is not list:
        return _canonical_lists(data)  # anything else, as the general path does it
    for i, item in enumerate(data):
        if type(item) not in _LEAVES:
            data[i] = _canonical_owned(item)
    if len(data) < 2:
        return data
    if all(type(x) is dict and "id" in x for x in data):
        data.sort(key=_record_id)
    elif all(isinstance(x, str) for x in data):
        data.sort()
    else:
        data.sort(key=canonical_json)
    return data


def digest(data: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``data``, independent of list order."""
    text = canonical_json(_canonical_lists(data))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
