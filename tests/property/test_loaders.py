"""The pack and evidence loaders, fed random and mutated documents, either succeed or raise the
library's own error; and whatever they accept evaluates without an exception or a failing rule.

The default profile keeps these quick; ``HYPOTHESIS_PROFILE=fuzz pytest -m slow`` runs the same
properties for thousands of examples (see ``docs/how-to/use-the-strategies.md``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.domain.findings import Status
from safeguard_std.domain.pack import Pack
from safeguard_std.evaluate import compile_pack
from safeguard_std.evidence import load_evidence
from safeguard_std.exceptions import PackError, SafeguardError
from safeguard_std.packs import PackCatalog, read_layer
from safeguard_std.serialization import bundle_to_data
from safeguard_std.strategies import evidence_bundles, pack_documents
from tests.conftest import FIXTURES
from tests.property.mutations import documents_as_bytes, json_values, mutated
from tests.property.support import AS_OF, CATALOG, PACKS

PLANS = [compile_pack(p) for p in PACKS.values()]
FIXTURE_BUNDLE = load_evidence(FIXTURES / "bundle-small.json")
FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def rendered(exc: SafeguardError) -> str:
    """Every line of the error, as the command line would print it (raises if it cannot)."""
    details = getattr(exc, "details", None)
    return details() if callable(details) else str(exc)


def evidence_outcome(raw: bytes, name: str) -> None:
    """Load; anything loaded must evaluate against every pack with no rule failing."""
    try:
        bundle = load_evidence(raw, name=name)
    except SafeguardError as exc:
        rendered(exc)
        return
    for plan in PLANS:
        errors = plan.evaluate(bundle, as_of=AS_OF, allow_out_of_force=True).by_status(Status.ERROR)
        assert [f.message for f in errors] == []


def pack_outcome(raw: bytes, name: str) -> Pack | None:
    """Load and compile; anything loaded must evaluate a real bundle with no rule failing."""
    catalog = PackCatalog(kinds=CATALOG.kinds, layers={r: CATALOG.layer(r) for r in CATALOG.refs})
    try:
        layer = read_layer(name, raw)
        catalog = catalog.with_layer(layer)
        pack = catalog.resolve(layer.ref)
        plan = compile_pack(pack, kinds=catalog.kinds)
    except SafeguardError as exc:
        rendered(exc)
        return None
    errors = plan.evaluate(FIXTURE_BUNDLE, as_of=AS_OF).by_status(Status.ERROR)
    assert [f.message for f in errors] == []
    return pack


# -- evidence --------------------------------------------------------------------------------------


@FUZZ
@given(
    st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
    st.sampled_from([".json", ".yaml"]),
)
def test_random_bytes_never_crash_the_evidence_loader(raw: bytes, suffix: str) -> None:
    evidence_outcome(raw, "bundle" + suffix)


@FUZZ
@given(json_values(12))
def test_random_documents_never_crash_the_evidence_loader(data: Any) -> None:
    evidence_outcome(json.dumps(data, allow_nan=True).encode(), "bundle.json")


@FUZZ
@given(st.data())
def test_mutated_bundles_never_crash_the_evidence_loader(data: st.DataObject) -> None:
    bundle = data.draw(evidence_bundles(PACKS["demo@1"], as_of=AS_OF, max_people=3))
    document = data.draw(mutated(bundle_to_data(bundle)))
    suffix, raw = data.draw(documents_as_bytes(document))
    evidence_outcome(raw, "bundle" + suffix)


# -- packs -----------------------------------------------------------------------------------------


@FUZZ
@given(
    st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
    st.sampled_from([".json", ".yaml"]),
)
def test_random_bytes_never_crash_the_pack_loader(raw: bytes, suffix: str) -> None:
    pack_outcome(raw, "fuzz/x/1/pack" + suffix)


@FUZZ
@given(st.data())
def test_mutated_packs_never_crash_the_pack_loader(data: st.DataObject) -> None:
    document = data.draw(pack_documents(max_requirements=5))
    if data.draw(st.booleans()):
        document = {**document, "extends": data.draw(st.sampled_from(sorted(PACKS)))}
    suffix, raw = data.draw(documents_as_bytes(data.draw(mutated(document))))
    pack_outcome(raw, "fuzz/generated/1/pack" + suffix)


@FUZZ
@given(pack_documents(max_requirements=10))
def test_generated_packs_load(document: dict[str, Any]) -> None:
    """The unmutated documents are all valid: the fuzzing above starts from real packs."""
    assert pack_outcome(json.dumps(document).encode(), "fuzz/generated/1/pack.json") is not None


def test_a_pack_error_is_raised_for_a_mutation_the_loader_must_refuse() -> None:
    """A guard that pack_outcome does see errors (the properties above would pass vacuously if
    every document loaded)."""
    with pytest.raises(PackError):
        read_layer("x/1/pack.yaml", b"id: [")


# -- the long runs --


@pytest.mark.slow
@settings(suppress_health_check=list(HealthCheck))
@given(st.data())
def test_fuzz_evidence_loader_long(data: st.DataObject) -> None:
    bundle = data.draw(evidence_bundles(PACKS["demo@1"], as_of=AS_OF, max_people=4))
    document = data.draw(mutated(bundle_to_data(bundle), max_mutations=6))
    suffix, raw = data.draw(documents_as_bytes(document))
    evidence_outcome(raw, "bundle" + suffix)


@pytest.mark.slow
@settings(suppress_health_check=list(HealthCheck))
@given(st.data())
def test_fuzz_pack_loader_long(data: st.DataObject) -> None:
    document = data.draw(pack_documents(max_requirements=10))
    suffix, raw = data.draw(documents_as_bytes(data.draw(mutated(document, max_mutations=6))))
    pack_outcome(raw, "fuzz/generated/1/pack" + suffix)
