"""The one cattrs converter: strict structuring, defaults omitted, sets as sorted lists."""

from __future__ import annotations

import datetime as dt
import enum
from functools import cache
from typing import Any

import cattrs

from safeguard_std.domain.calendar import Period, parse_date
from safeguard_std.exceptions import quoted


def _strict(kind: type, name: str) -> Any:
    def hook(value: Any, _type: Any) -> Any:
        if type(value) is not kind and not (kind is int and type(value) is int):
            raise TypeError(f"expected {name}, got {type(value).__name__} {quoted(value)}")
        return value

    return hook


def _structure_date(value: Any, _type: Any) -> dt.date:
    return parse_date(value)


def _structure_enum(value: Any, type_: type[enum.Enum]) -> enum.Enum:
    try:
        return type_(value)
    except ValueError:
        choices = ", ".join(repr(m.value) for m in type_)
        raise ValueError(f"expected one of {choices}, got {quoted(value)}") from None


def make_converter() -> cattrs.Converter:
    """A new converter configured for safeguard_std's entities (never the global converter)."""
    conv = cattrs.Converter(omit_if_default=True, forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(int, _strict(int, "a whole number"))
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum
    )
    # By class, not predicate: StrEnum's MRO puts str before Enum, and cattrs dispatches on
    # classes first, so a predicate hook would lose to the identity hook for str.
    conv.register_unstructure_hook(enum.StrEnum, lambda e: e.value)
    conv.register_unstructure_hook(enum.Enum, lambda e: e.value)
    conv.register_unstructure_hook(Period, str)
    conv.register_structure_hook(Period, lambda v, _t: Period.parse(v))
    conv.register_unstructure_hook_func(
        lambda t: getattr(t, "__origin__", None) is frozenset or t is frozenset,
        lambda s: sorted(conv.unstructure(x) for x in s),
    )
    return conv


@cache
def _default_converter() -> cattrs.Converter:
    return make_converter()


def converter() -> cattrs.Converter:
    """The library's shared, preconfigured converter (created once; never mutate it)."""
    return _default_converter()
