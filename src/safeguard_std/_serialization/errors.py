"""A cattrs validation error flattened into located ``(path, message)`` pairs."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)


def structure_errors(
    exc: BaseException, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Flatten a cattrs validation error into ``(path, message)`` pairs, every leaf located."""
    if isinstance(exc, ForbiddenExtraKeysError):
        yield from (((*path, key), "unknown key") for key in sorted(exc.extra_fields))
    elif isinstance(exc, (ClassValidationError, IterableValidationError)):
        yield from _grouped_errors(exc, path)
    elif isinstance(exc, BaseValidationError):
        for inner in exc.exceptions:
            yield from structure_errors(inner, path)
    else:
        yield _leaf_error(exc, path)


def _grouped_errors(
    exc: ClassValidationError | IterableValidationError, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The errors of a record's fields or a list's items, each under its field or index."""
    with_notes, without = exc.group_exceptions()
    for inner, note in with_notes:
        step = _step(note)
        if isinstance(inner, KeyError) and not isinstance(note, IterableValidationNote):
            yield (*path, step), "required key is missing"
        else:
            yield from structure_errors(inner, (*path, step))
    for inner in without:
        yield from structure_errors(inner, path)


def _step(note: object) -> str | int:
    if isinstance(note, AttributeValidationNote):
        return note.name
    if isinstance(note, IterableValidationNote):
        return int(note.index)
    return str(note)  # pragma: no cover - cattrs adds only these notes


def _leaf_error(
    exc: BaseException, path: tuple[str | int, ...]
) -> tuple[tuple[str | int, ...], str]:
    # attrs' validators raise ValueError(message, attribute, ...): the message is the first,
    # the attribute names the field. The model's own raise FieldValueError, naming it too. Both
    # run in a record's __init__, after cattrs has left the field: point back at it.
    field = _field_name(exc)
    if field is not None and (not path or path[-1] != field):
        path = (*path, field)
    first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else None
    return path, first or str(exc) or type(exc).__name__


def _field_name(exc: BaseException) -> str | None:
    field = getattr(exc, "field", None)
    if field is None and len(exc.args) > 1 and isinstance(exc.args[1], attrs.Attribute):
        field = exc.args[1].name
    return field if isinstance(field, str) else None
