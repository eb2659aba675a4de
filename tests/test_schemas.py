"""The committed schemas: valid, current, and in agreement with the model and the packs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from safeguard_std.evidence._schema import build_evidence_schema
from safeguard_std.io.schemas import SCHEMA_NAMES, schema, schema_errors
from tests.conftest import EXAMPLES, FIXTURES, ROOT


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schemas_are_valid_2020_12(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(name))


def test_evidence_schema_is_generated_from_the_model() -> None:
    committed = json.loads((ROOT / "schemas" / "evidence.schema.json").read_text())
    assert committed == build_evidence_schema(), (
        "regenerate: python -m safeguard_std.evidence._schema > schemas/evidence.schema.json"
    )


def test_personal_fields_are_marked_in_the_schema() -> None:
    person = schema("evidence")["$defs"]["Person"]["properties"]
    marked = sorted(k for k, v in person.items() if v.get("x-personal"))
    assert marked == ["address", "date_of_birth", "full_name", "previous_names"]
    dbs = schema("evidence")["$defs"]["DbsCheck"]["properties"]
    assert dbs["certificate_number"]["x-personal"] is True


def evidence_files() -> list[Path]:
    return sorted([*EXAMPLES.glob("*.json"), *FIXTURES.glob("bundle-*.json")])


@pytest.mark.parametrize("path", evidence_files(), ids=lambda p: p.name)
def test_example_evidence_validates(path: Path) -> None:
    assert list(schema_errors("evidence", json.loads(path.read_text()))) == []


def test_rule_kind_reference_is_current() -> None:
    from safeguard_std.authoring.reference import rule_kinds_markdown

    committed = (ROOT / "docs" / "rule-kinds.md").read_text()
    assert committed == rule_kinds_markdown(), (
        "regenerate: python -m safeguard_std.authoring.reference > docs/rule-kinds.md"
    )
