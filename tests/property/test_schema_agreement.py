"""The schemas and the model agree: what the strategies draw is schema-valid, and whatever the
schema accepts either loads or is refused with the library's own error, never anything else."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.domain.findings import Status
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.evaluate import compile_pack
from safeguard_std.evidence import bundle_from_data, load_evidence
from safeguard_std.exceptions import EvidenceError
from safeguard_std.io.schemas import _registry, schema, schema_errors
from safeguard_std.serialization import bundle_to_data, converter
from safeguard_std.strategies import TYPE_STRATEGIES, evidence_bundles, pack_documents
from tests.property.schema_documents import documents_for
from tests.property.support import AS_OF, PACKS

PLANS = {ref: compile_pack(pack) for ref, pack in PACKS.items()}


def _load(data: Any) -> EvidenceBundle | EvidenceError:
    try:
        return bundle_from_data(data)
    except EvidenceError as exc:
        return exc


def _messages(data: Any, name: str) -> list[str]:
    return [e.message for e in schema_errors(name, data)]


@given(
    st.sampled_from(sorted(PACKS)),
    st.sampled_from([None, True, False]),
    st.data(),
)
def test_every_generated_bundle_is_schema_valid(
    ref: str, compliant: bool | None, data: st.DataObject
) -> None:
    bundle = data.draw(evidence_bundles(PACKS[ref], as_of=AS_OF, compliant=compliant))
    assert _messages(bundle_to_data(bundle), "evidence") == []


@given(pack_documents(max_requirements=10))
def test_every_generated_pack_is_schema_valid(document: dict[str, Any]) -> None:
    assert _messages(document, "standard-pack") == []


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents_for(schema("evidence")))
def test_every_schema_valid_bundle_loads_or_is_an_evidence_error(data: dict[str, Any]) -> None:
    assert _messages(data, "evidence") == []  # the generator's own promise
    bundle = _load(data)
    if isinstance(bundle, EvidenceError):
        assert bundle.problems  # located, and printable
        assert str(bundle).startswith("invalid evidence: ")
        return
    # What loads, evaluates: no exception and no rule failing, against every pack.
    for plan in PLANS.values():
        assessment = plan.evaluate(bundle, as_of=AS_OF, allow_out_of_force=True)
        assert [f.message for f in assessment.by_status(Status.ERROR)] == []


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents_for(schema("evidence")))
def test_the_loader_agrees_on_text(data: dict[str, Any]) -> None:
    """Loading the same document from JSON text gives the same outcome as from data."""
    raw = json.dumps(data).encode()
    try:
        from_data: object = bundle_from_data(data)
    except EvidenceError as exc:
        from_data = [p.message for p in exc.problems]
    try:
        from_text: object = load_evidence(raw, name="bundle.json")
    except EvidenceError as exc:
        from_text = [p.message for p in exc.problems]
    assert from_text == from_data


ENTITY_DEFS = sorted(schema("evidence")["$defs"])


@pytest.mark.parametrize("name", ENTITY_DEFS)
def test_every_unstructured_entity_validates_against_its_schema_definition(name: str) -> None:
    """Each entity on its own, not only inside a bundle: what the model writes for it, the
    evidence schema's definition of it accepts (every definition has an entity strategy)."""
    by_name = {cls.__name__: cls for cls in TYPE_STRATEGIES}
    cls = by_name[name]
    subschema = {"$ref": f"{schema('evidence')['$id']}#/$defs/{name}"}
    check_schema = jsonschema.Draft202012Validator(subschema, registry=_registry())
    conv = converter()

    @given(st.from_type(cls))
    def check(value: Any) -> None:
        data = conv.unstructure(value)
        assert [e.message for e in check_schema.iter_errors(data)] == []

    check()
