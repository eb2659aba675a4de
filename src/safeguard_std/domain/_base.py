"""Shared pieces of the evidence model: field helpers, set-valued fields, validators.

Kept apart so the entity modules read as the domain and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs

from safeguard_std.exceptions import FieldValueError, quoted

__all__ = [
    "PERSONAL",
    "FieldValueError",
    "date_not_before",
    "id_field",
    "is_personal",
    "opt_date",
    "personal",
    "sorted_strings",
]

T = TypeVar("T")

#: Metadata key that marks a field as personal data: names, dates of birth, addresses,
#: certificate numbers. Findings, logs and errors never show these values unless asked to.
PERSONAL = "safeguard_std.personal"


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def _check_id(_inst: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise FieldValueError(
            attribute.name,
            f"'{attribute.name}' must be 1-128 letters, digits or '._:-' starting with a letter "
            f"or digit, got {quoted(value)}",
        )


def id_field() -> Any:
    """A required, keyword-only identifier (stable across exports; never personal data)."""
    return attrs.field(kw_only=True, validator=_check_id, metadata={"role": "id"})


def personal(default: Any = None, **kwargs: Any) -> Any:
    """A keyword-only field holding personal data."""
    metadata = {PERSONAL: True, **kwargs.pop("metadata", {})}
    return attrs.field(default=default, kw_only=True, metadata=metadata, **kwargs)


def is_personal(attribute: attrs.Attribute[Any]) -> bool:
    """Whether a field is marked as personal data."""
    return bool(attribute.metadata.get(PERSONAL))


def opt_date() -> Any:
    """An optional calendar date (``None`` when the record has no date)."""
    return attrs.field(
        default=None,
        kw_only=True,
        validator=attrs.validators.optional(attrs.validators.instance_of(dt.date)),
    )


def sorted_strings(values: Iterable[str]) -> frozenset[str]:
    """Set-valued fields compare as sets; order in the input never matters."""
    return frozenset(values)


def date_not_before(other: str) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """Validator: this date field may not fall before the field named ``other``."""

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        earlier = getattr(inst, other)
        if value is not None and earlier is not None and value < earlier:
            raise FieldValueError(
                attribute.name,
                f"'{attribute.name}' ({value.isoformat()}) must not be before "
                f"'{other}' ({earlier.isoformat()})",
            )

    return check
