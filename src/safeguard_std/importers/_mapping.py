"""Column-mapping files: what a provider's own headers mean, when the defaults do not know.

A mapping is YAML (or JSON) checked by ``schemas/scr-mapping.schema.json``, then field by field:
a field that does not exist, or a default value its field cannot read, is an error naming the
file, the key and the line. Example::

    scr_mapping: 1
    date_order: dmy
    columns:
      "Date cert seen": dbs.seen_on
      "Enh. DBS": {field: dbs.issued_on, implies: {dbs.level: enhanced}}
      "Notes": ignore
    defaults:
      engagement.regulated_activity: "yes"
    sheets:
      "Supply staff": {role_type: agency, header_row: 3}
      "Lists": {skip: true}
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

import attrs
import jsonschema

from safeguard_std.exceptions import MappingError, Problem
from safeguard_std.importers._dates import DateReader
from safeguard_std.importers._fields import FIELDS, NOT_MODELLED, Kind
from safeguard_std.importers._synonyms import header_key
from safeguard_std.importers._values import READERS, cell_text
from safeguard_std.io._problems import did_you_mean, schema_problems
from safeguard_std.io.documents import Document, load_document
from safeguard_std.io.schemas import data_root

__all__ = [
    "ColumnRule",
    "ScrMapping",
    "SheetRule",
    "load_mapping",
    "mapping_from_data",
    "read_default",
]

Order = Literal["dmy", "mdy"]
Values = tuple[tuple[str, str], ...]


@attrs.frozen
class ColumnRule:
    """What one header means."""

    field: str
    implies: Values = ()
    date_order: Order | None = None


@attrs.frozen
class SheetRule:
    """Settings for one sheet."""

    skip: bool = False
    header_row: int | None = None
    defaults: Values = ()


@attrs.frozen
class ScrMapping:
    """A column mapping: header rules (keyed by :func:`header_key`), defaults and sheet settings.

    The empty mapping, ``ScrMapping()``, uses the built-in synonyms only.
    """

    columns: Mapping[str, ColumnRule] = attrs.field(factory=dict)
    defaults: Values = ()
    sheets: Mapping[str, SheetRule] = attrs.field(factory=dict)
    date_order: Order = "dmy"
    use_default_synonyms: bool = True
    source: str | None = None

    def sheet(self, name: str | None) -> SheetRule:
        """The rule for a sheet (sheet names match case- and space-insensitively)."""
        if name is None:
            return SheetRule()
        key = " ".join(name.lower().split())
        for given, rule in self.sheets.items():
            if " ".join(given.lower().split()) == key:
                return rule
        return SheetRule()

    def with_defaults(self, extra: Mapping[str, str]) -> ScrMapping:
        """A copy whose defaults also hold ``extra`` (which wins over the file's)."""
        merged = dict(self.defaults) | dict(extra)
        return attrs.evolve(self, defaults=tuple(sorted(merged.items())))


def read_default(field: str, value: str, order: Order = "dmy") -> tuple[Any, str | None]:
    """Read a default or implied value as a cell of ``field``; ``(value, None)`` or
    ``(None, reason)``."""
    spec = FIELDS[field]
    if spec.kind in (Kind.DATE, Kind.CHECK):
        parsed = DateReader(order=order, event=False, marks=spec.kind is Kind.CHECK).read(value)
    elif spec.kind is Kind.IGNORE:
        return None, "'ignore' takes no value"
    else:
        parsed = READERS[spec.kind.value](value)
    if parsed.rejected:
        return None, parsed.notes[0].message
    if parsed.value is None and parsed.mark is None:
        return None, "no value"
    return (parsed.value if parsed.value is not None else parsed.mark), None


@cache
def _validator() -> jsonschema.protocols.Validator:
    text = (data_root() / "schemas" / "scr-mapping.schema.json").read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return cell_text(value)


class _Checker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def field(self, name: str, path: tuple[str | int, ...], *, allow_unmodelled: bool) -> bool:
        if name in FIELDS or (allow_unmodelled and name in NOT_MODELLED):
            return True
        self.problems.append(
            Problem(
                f"unknown field {name!r}",
                self.doc.locate(path),
                hint=did_you_mean(name, FIELDS) or "see docs/how-to/import-an-scr.md for fields",
            )
        )
        return False

    def values(self, data: Mapping[str, Any], path: tuple[str | int, ...], order: Order) -> Values:
        out = []
        for name, raw in data.items():
            where = (*path, name)
            if not self.field(name, where, allow_unmodelled=False):
                continue
            text = _as_text(raw)
            _value, reason = read_default(name, text, order)
            if reason is not None:
                self.problems.append(
                    Problem(f"cannot use {text!r} for {name}: {reason}", self.doc.locate(where))
                )
                continue
            out.append((name, text))
        return tuple(sorted(out))


def _columns(check: _Checker, data: Mapping[str, Any], order: Order) -> dict[str, ColumnRule]:
    columns: dict[str, ColumnRule] = {}
    first: dict[str, str] = {}
    for header, rule in data.items():
        path: tuple[str | int, ...] = ("columns", header)
        spec = rule if isinstance(rule, dict) else {"field": rule}
        field_ok = check.field(spec["field"], path, allow_unmodelled=True)
        column_order = spec.get("date_order", order)
        implies = check.values(spec.get("implies", {}), (*path, "implies"), column_order)
        key = header_key(header)
        if key in first:
            check.problems.append(
                Problem(
                    f"header {header!r} is the same as {first[key]!r} once case, spacing and "
                    "punctuation are ignored",
                    check.doc.locate(path),
                )
            )
            continue
        first[key] = header
        if field_ok:
            columns[key] = ColumnRule(spec["field"], implies, spec.get("date_order"))
    return columns


def mapping_from_data(data: Any, document: Document) -> ScrMapping:
    """Check parsed mapping data and build a :class:`ScrMapping` (or raise
    :class:`~safeguard_std.exceptions.MappingError` with every problem located)."""
    source = document.source
    if not isinstance(data, dict):
        raise MappingError(
            [Problem("a mapping file must be a mapping", document.locate(()))], source=source
        )
    problems = schema_problems(_validator().iter_errors(data), document)
    if problems:
        raise MappingError(problems, source=source)
    check = _Checker(document)
    order: Order = data.get("date_order", "dmy")
    columns = _columns(check, data.get("columns", {}), order)
    defaults = check.values(data.get("defaults", {}), ("defaults",), order)
    sheets = {}
    for name, spec in data.get("sheets", {}).items():
        values = dict(check.values(spec.get("defaults", {}), ("sheets", name, "defaults"), order))
        if "role_type" in spec:
            where = ("sheets", name, "role_type")
            _value, reason = read_default("engagement.role_type", spec["role_type"], order)
            if reason is None:
                values["engagement.role_type"] = spec["role_type"]
            else:
                check.problems.append(
                    Problem(
                        f"cannot use {spec['role_type']!r} as a role type: {reason}",
                        document.locate(where),
                    )
                )
        sheets[name] = SheetRule(
            skip=bool(spec.get("skip", False)),
            header_row=spec.get("header_row"),
            defaults=tuple(sorted(values.items())),
        )
    if check.problems:
        raise MappingError(check.problems, source=source)
    return ScrMapping(
        columns=columns,
        defaults=defaults,
        sheets=sheets,
        date_order=order,
        use_default_synonyms=bool(data.get("use_default_synonyms", True)),
        source=source,
    )


def load_mapping(source: Path | str | bytes, *, name: str | None = None) -> ScrMapping:
    """Load a mapping file (YAML or JSON) from a path, or from bytes labelled ``name``."""
    label = name or ("<mapping>" if isinstance(source, bytes) else str(source))
    doc = load_document(source, what="mapping file", error=MappingError, name=label)
    return mapping_from_data(doc.data, doc)
