"""Build ``schemas/evidence.schema.json`` from the attrs evidence model.

The committed schema is generated, not hand-kept, so the schema and the model cannot drift:
``python -m safeguard_std.evidence._schema > schemas/evidence.schema.json`` rewrites it, and a
test fails when the committed file differs from a fresh build.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import json
import sys
import types
import typing
from typing import Any

import attrs

from safeguard_std.domain._base import PERSONAL
from safeguard_std.domain.organisation import EvidenceBundle

__all__ = ["DATE_PATTERN", "build_evidence_schema"]

#: What the schema accepts as a date (the converter then parses it).
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}(T.+)?$"

_DATE = {
    "type": "string",
    "pattern": DATE_PATTERN,
    "description": "A calendar date YYYY-MM-DD (a timestamp is converted in Europe/London).",
}


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def of(self, tp: Any) -> dict[str, Any]:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            schema = (
                self.of(inner[0]) if len(inner) == 1 else {"anyOf": [self.of(a) for a in inner]}
            )
            return {"anyOf": [schema, {"type": "null"}]}
        if origin is tuple:
            return {"type": "array", "items": self.of(args[0])}
        if origin is frozenset:
            return {"type": "array", "uniqueItems": True, "items": self.of(args[0])}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is str:
            return {"type": "string"}
        if tp is dt.date:
            return dict(_DATE)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"enum": [m.value for m in tp]}
        if attrs.has(tp):
            self.define(tp)
            return {"$ref": f"#/$defs/{tp.__name__}"}
        raise TypeError(f"no schema for {tp!r}")

    def define(self, cls: type) -> None:
        if cls.__name__ in self.defs:
            return
        self.defs[cls.__name__] = {}
        hints = typing.get_type_hints(cls)
        props: dict[str, Any] = {}
        required = []
        for field in attrs.fields(cls):
            schema = self.of(hints[field.name])
            if field.metadata.get("role") == "id":
                schema = {
                    "type": "string",
                    "pattern": r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$",
                    "description": "Stable identifier that findings point to (never "
                    "personal data).",
                }
            if "description" in field.metadata:
                schema = {**schema, "description": field.metadata["description"]}
            if field.metadata.get(PERSONAL):
                schema = {**schema, "x-personal": True}
            props[field.name] = schema
            if field.default is attrs.NOTHING:
                required.append(field.name)
        doc = inspect.cleandoc(cls.__doc__ or "")
        self.defs[cls.__name__] = {
            "type": "object",
            "description": " ".join(doc.split()),
            "additionalProperties": False,
            "required": required,
            "properties": props,
        }


def build_evidence_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of an evidence bundle."""
    builder = _Builder()
    builder.define(EvidenceBundle)
    root = builder.defs.pop("EvidenceBundle")
    root["properties"] = {"$schema": {"type": "string"}, **root["properties"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://safeguard-std.example/schemas/evidence.schema.json",
        "title": "safeguard_std evidence bundle",
        **root,
        "$defs": dict(sorted(builder.defs.items())),
    }


if __name__ == "__main__":  # pragma: no cover - a developer tool
    sys.stdout.write(json.dumps(build_evidence_schema(), indent=2) + "\n")
