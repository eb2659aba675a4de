"""The packaged JSON Schemas and validators for them.

Schemas live in ``schemas/`` at the top of the repository and are copied into the wheel as
``safeguard_std/_data/schemas``. They are read through :mod:`importlib.resources` from an
installed package, or from the source tree in an editable install, and registered in an
immutable :class:`referencing.Registry` so they can refer to each other by ``$id``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safeguard_std.rules._kind import json_digest

if TYPE_CHECKING:  # imported when a document is validated: importing them costs 30 ms
    import jsonschema
    import referencing

__all__ = [
    "MAX_SCHEMA_ERRORS",
    "PROVEN_VALID",
    "SCHEMA_NAMES",
    "data_root",
    "digest_of",
    "proven_valid",
    "schema",
    "schema_errors",
    "validator",
]

SCHEMA_NAMES = ("standard-pack", "pack-tests", "evidence", "assessment")


@cache
def data_root() -> Traversable:
    """The folder holding ``schemas/`` and ``standards/``: inside the installed wheel, or the
    repository root when running from a source checkout (editable install)."""
    packaged = resources.files("safeguard_std") / "_data"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "schemas").is_dir() and (checkout / "standards").is_dir():
        return checkout
    raise RuntimeError(  # pragma: no cover - a broken installation
        "safeguard_std's data (schemas and standards) is missing from this installation"
    )


@cache
def schema(name: str) -> dict[str, Any]:
    """A packaged schema by name (``standard-pack``, ``pack-tests``, ``evidence`` or
    ``assessment``)."""
    if name not in SCHEMA_NAMES:
        raise KeyError(f"no schema {name!r}; there are {', '.join(SCHEMA_NAMES)}")
    text = (data_root() / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    loaded = json.loads(text)
    assert isinstance(loaded, dict)
    return loaded


@cache
def _registry() -> referencing.Registry[Any]:
    import referencing
    from referencing.jsonschema import DRAFT202012

    return referencing.Registry().with_resources(
        (schema(n)["$id"], DRAFT202012.create_resource(schema(n))) for n in SCHEMA_NAMES
    )


@cache
def validator(name: str, *, dates: bool = False) -> jsonschema.protocols.Validator:
    """A Draft 2020-12 validator for a packaged schema (created once per process). With
    ``dates``, a string the schema marks ``"format": "date"`` must also be a real calendar date:
    the schemas' patterns let ``2030-02-30`` and ``0000-01-01`` through."""
    import jsonschema

    checker = None
    if dates:
        checker = jsonschema.FormatChecker([])
        checker.checks("date", raises=ValueError)(_real_date)
    return jsonschema.Draft202012Validator(
        schema(name), registry=_registry(), format_checker=checker
    )


_DATE_SHAPE = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _real_date(value: object) -> bool:
    """Whether text shaped as a date is a real one (text of another shape is the pattern's to
    report, once)."""
    if isinstance(value, str) and _DATE_SHAPE.fullmatch(value):
        dt.date.fromisoformat(value)  # ValueError: not a real date, or year 0
    return True


#: Most schema errors collected from one document (a document wrong everywhere is not read to
#: its end: the first thousand, in document order, are sorted and reported).
MAX_SCHEMA_ERRORS = 1000


def schema_errors(
    name: str, data: Any, *, dates: bool = False
) -> Iterator[jsonschema.ValidationError]:
    """Schema errors in ``data`` (at most :data:`MAX_SCHEMA_ERRORS`), in a stable order (by path,
    then message); with ``dates``, also every ``"format": "date"`` that is not a real date."""
    errors = itertools.islice(validator(name, dates=dates).iter_errors(data), MAX_SCHEMA_ERRORS)
    return iter(sorted(errors, key=lambda e: ([str(p) for p in e.absolute_path], e.message)))


# -- documents proven valid before they were shipped ----------------------------------------------

#: The file listing documents shipped with the library (the bundled packs) that the test suite
#: has validated in full against the schema shipped beside them; see :func:`proven_valid`.
PROVEN_VALID = "proven_valid.json"


def digest_of(data: Any) -> str | None:
    """The SHA-256 of ``data`` as canonical JSON, or ``None`` when it is not plain JSON data
    (:func:`safeguard_std.rules._kind.json_digest`)."""
    return json_digest(data)


@cache
def _proven(name: str) -> frozenset[str]:
    try:
        text = resources.files(__package__).joinpath(PROVEN_VALID).read_text(encoding="utf-8")
        entry = json.loads(text).get(name, {})
    except (OSError, ValueError):  # pragma: no cover - a broken installation: validate all
        return frozenset()
    # Proofs are for the schema as it was then: a changed schema proves nothing.
    if not isinstance(entry, dict) or entry.get("schema") != digest_of(schema(name)):
        return frozenset()
    return frozenset(entry.get("documents", {}))


def proven_valid(name: str, data: Any) -> bool:
    """Whether ``data`` is a document the test suite validated in full against schema ``name``
    as shipped (the bundled packs: validating them took a third of ``safeguard-std packs``).
    Anything else, including any edit to a bundled file, is validated as usual; the same data
    always gives the same answer, so this only saves the work, never changes a result."""
    proven = _proven(name)
    return bool(proven) and digest_of(data) in proven
