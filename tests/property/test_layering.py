"""A pack layered on itself with no changes judges exactly as the pack does.

A layer that ``extends`` a pack and changes nothing (or sets every parameter to the value it
already has, or alters a requirement to what it already says) yields identical findings: the same
ids when the layer keeps the pack's id, and otherwise the same findings but for the pack id in
``id`` and ``pack``.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.domain.findings import Finding
from safeguard_std.domain.pack import Pack
from safeguard_std.evaluate import evaluate
from safeguard_std.packs import PackCatalog, read_layer
from safeguard_std.serialization import pack_to_data
from safeguard_std.strategies import evidence_bundles, pack_documents
from tests.property.support import AS_OF, CATALOG, PACKS, as_of_for

REFS = sorted(PACKS)


def _no_change_layer(pack: Pack, pack_id: str, edition: str, data: st.DataObject) -> dict[str, Any]:
    layer: dict[str, Any] = {
        "schema_version": 1,
        "id": pack_id,
        "edition": edition,
        "title": f"{pack.title} (layered on itself)",
        "board": pack.board,
        "effective_from": pack.effective_from.isoformat(),
        "extends": str(pack.ref),
    }
    raw = pack_to_data(pack)
    if pack.parameters and data.draw(st.booleans(), label="set parameters"):
        layer["set_parameters"] = {name: spec["value"] for name, spec in raw["parameters"].items()}
    if pack.requirements and data.draw(st.booleans(), label="alter"):
        req = data.draw(
            st.sampled_from([r for r in pack.requirements if not r.withdrawn] or [None])
        )
        if req is not None:
            layer["alter"] = {req.id: {"modality": req.modality.value, "title": req.title}}
    return layer


def _resolve(layer: dict[str, Any], base: PackCatalog, as_of: Any = None) -> Pack:
    import json

    catalog = PackCatalog(kinds=base.kinds, layers={ref: base.layer(ref) for ref in base.refs})
    text = json.dumps(layer)
    parsed = read_layer(f"layers/{layer['id']}/{layer['edition']}/pack.json", text)
    catalog = catalog.with_layer(parsed)
    return catalog.resolve(parsed.ref, as_of=as_of)


def _without_pack_id(findings: tuple[Finding, ...], pack_id: str) -> list[Finding]:
    return [
        Finding(attrs.evolve(f.requirement, pack=""), f.subject, f.outcome)
        for f in findings
        if f.pack == pack_id
    ]


def _same_findings(pack: Pack, layered: Pack, bundle: Any, as_of: Any) -> None:
    base = evaluate(pack, bundle, as_of=as_of).findings
    again = evaluate(layered, bundle, as_of=as_of).findings
    if layered.id == pack.id:
        assert again == base
    else:
        assert _without_pack_id(again, layered.id) == _without_pack_id(base, pack.id)


@given(st.sampled_from(REFS), st.booleans(), st.data())
def test_a_pack_layered_on_itself_judges_the_same(
    ref: str, same_id: bool, data: st.DataObject
) -> None:
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    pack_id, edition = (pack.id, f"{pack.edition}-again") if same_id else ("itself", "1")
    layered = _resolve(_no_change_layer(pack, pack_id, edition, data), CATALOG, as_of)
    assert layered.layers == (*pack.layers, f"{pack_id}@{edition}")
    bundle = data.draw(evidence_bundles(pack, as_of=as_of))
    _same_findings(pack, layered, bundle, as_of)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(pack_documents(max_requirements=8), st.booleans(), st.data())
def test_any_pack_layered_on_itself_judges_the_same(
    document: dict[str, Any], same_id: bool, data: st.DataObject
) -> None:
    # The layer extends the generated pack, so the catalog it is resolved in must hold it.
    ref = f"{document['id']}@{document['edition']}"
    label = f"{document['id']}/{document['edition']}/pack.json"
    base = PackCatalog(layers={}).with_layer(read_layer(label, json.dumps(document)))
    pack = base.resolve(ref)
    pack_id, edition = (pack.id, "2") if same_id else ("itself", "1")
    layered = _resolve(_no_change_layer(pack, pack_id, edition, data), base)
    bundle = data.draw(evidence_bundles(pack, as_of=AS_OF))
    _same_findings(pack, layered, bundle, AS_OF)
