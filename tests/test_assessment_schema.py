"""The published JSON Schema of the assessment document (schemas/assessment.schema.json).

Every assessment the test suite writes is also validated against it, as it is written (the
``assessment_schema_check`` fixture in conftest.py); here: the schema itself, its vocabularies
against the library's, the golden files, and what it refuses.
"""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from safeguard_std.domain.findings import Status
from safeguard_std.domain.pack import DutyHolder, Modality, SubjectType
from safeguard_std.io.schemas import SCHEMA_NAMES, data_root, schema, schema_errors
from safeguard_std.reports._model import Rating
from tests.conftest import FIXTURES

GOLDEN = sorted((FIXTURES / "reports" / "golden").glob("*-harbour.json"))


def test_the_schema_is_published_and_registered() -> None:
    assert "assessment" in SCHEMA_NAMES
    s = schema("assessment")
    jsonschema.Draft202012Validator.check_schema(s)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["$id"].endswith("/schemas/assessment.schema.json")
    assert s["$id"].rsplit("/", 1)[0] == schema("evidence")["$id"].rsplit("/", 1)[0]
    assert (data_root() / "schemas" / "assessment.schema.json").is_file()


@pytest.mark.parametrize(
    ("definition", "enum"),
    [
        ("status", Status),
        ("modality", Modality),
        ("duty_holder", DutyHolder),
        ("subject_type", SubjectType),
        ("rating", Rating),
    ],
)
def test_vocabularies_match_the_library(definition: str, enum: type) -> None:
    # a status or subject type added to the model must be added to the published schema too
    assert sorted(schema("assessment")["$defs"][definition]["enum"]) == sorted(
        e.value for e in enum
    )


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_assessments_validate(path: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    assert list(schema_errors("assessment", data)) == []


def _errors(data: object) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in schema_errors("assessment", data)
    ]


def test_what_it_refuses() -> None:
    good = json.loads(GOLDEN[0].read_text(encoding="utf-8"))
    bad = copy.deepcopy(good)
    bad["findings"][3]["status"] = "passed"
    assert any(e.startswith("findings/3/status:") for e in _errors(bad))
    bad = copy.deepcopy(good)
    bad["findings"][0]["score"] = 0.5
    assert any("score" in e for e in _errors(bad))
    bad = copy.deepcopy(good)
    del bad["as_of"]
    assert any("'as_of' is a required property" in e for e in _errors(bad))
    bad = copy.deepcopy(good)
    bad["assessment_format"] = 2
    assert _errors(bad)
    bad = copy.deepcopy(good)
    bad["pack"]["digest"] = "md5:abc"
    assert _errors(bad)


def test_the_suite_validates_every_assessment_it_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    # the conftest hook is in place: a schema error in what render() writes fails the test
    import safeguard_std.io.schemas
    from safeguard_std.evaluate import evaluate
    from safeguard_std.evidence import load_evidence
    from safeguard_std.packs import PackCatalog
    from safeguard_std.reports import render
    from tests.conftest import AS_OF

    catalog = PackCatalog()
    catalog = catalog.with_folder(FIXTURES / "packs")
    pack = catalog.resolve("demo@1")
    a = evaluate(
        pack, load_evidence(FIXTURES / "reports" / "bundles" / "harbour.json"), as_of=AS_OF
    )
    render(a, "json")
    refused = jsonschema.ValidationError("refused for the test")
    monkeypatch.setattr(safeguard_std.io.schemas, "schema_errors", lambda *_: iter([refused]))
    with pytest.raises(AssertionError, match="refused for the test"):
        render(a, "json")
