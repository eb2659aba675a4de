"""Serialisation round trips: every entity survives unstructure, JSON text and structure; every
bundle survives the full loader (schema, converter, integrity checks)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.evidence import bundle_from_data, load_evidence
from safeguard_std.serialization import bundle_to_data, converter, evidence_digest
from safeguard_std.strategies import TYPE_STRATEGIES, evidence_bundles
from tests.property.support import AS_OF, PACKS, bundle_text

ENTITIES = [cls for cls in TYPE_STRATEGIES if cls.__module__.startswith("safeguard_std.domain.")]
ENTITIES = [cls for cls in ENTITIES if cls.__name__ != "Pack"]


@pytest.mark.parametrize("cls", ENTITIES, ids=lambda c: c.__name__)
def test_structure_of_unstructure_is_identity(cls: type) -> None:
    conv = converter()

    @given(st.from_type(cls))
    def check(value: Any) -> None:
        data = conv.unstructure(value)
        assert conv.structure(data, cls) == value
        # and through JSON text, as files carry it
        assert conv.structure(json.loads(json.dumps(data)), cls) == value

    check()


@given(
    st.sampled_from(sorted(PACKS)).flatmap(lambda ref: evidence_bundles(PACKS[ref], as_of=AS_OF))
)
def test_generated_bundles_load_unchanged(bundle: EvidenceBundle) -> None:
    """Every generated bundle passes the schema, the converter and the integrity checks, and
    comes back equal (ids unique, references resolved)."""
    assert bundle_from_data(bundle_to_data(bundle)) == bundle
    assert load_evidence(bundle_text(bundle).encode(), name="bundle.json") == bundle


@given(evidence_bundles(as_of=AS_OF, max_people=3))
def test_unstructured_data_is_canonical(bundle: EvidenceBundle) -> None:
    """The same bundle always unstructures to the same document, and its digest survives a
    round trip."""
    data = bundle_to_data(bundle)
    again = bundle_to_data(bundle_from_data(json.loads(json.dumps(data))))
    assert json.dumps(again, sort_keys=True) == json.dumps(data, sort_keys=True)
    assert evidence_digest(bundle_from_data(again)) == evidence_digest(bundle)
