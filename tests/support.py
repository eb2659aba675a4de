"""Small builders for tests: a one-requirement pack and a bundle from plain data."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import yaml

from safeguard_std.domain.findings import Finding
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import bundle_from_data
from safeguard_std.packs import PackCatalog, read_layer

BASE_BUNDLE: dict[str, Any] = {
    "id": "b-1",
    "provider": {"id": "prov-1", "name": "Test Provider", "kind": "youth", "legal_form": "charity"},
    "people": [
        {
            "id": "p-1",
            "full_name": "Test Person One",
            "date_of_birth": "1985-03-04",
            "address": "1 Example Road",
            "engagements": [
                {
                    "id": "e-1",
                    "role_type": "employee",
                    "start_on": "2020-01-06",
                    "regulated_activity": "yes",
                }
            ],
        }
    ],
}


def pack_yaml(requirement: dict[str, Any], **top: Any) -> str:
    """A pack file holding one requirement (defaults filled in)."""
    req = {
        "id": "R-1",
        "title": "Test requirement",
        "section": "1",
        "citation": "test",
        "text": "Providers must test.",
        "modality": "must",
        "duty_holder": "provider",
        "subject": "person",
        **requirement,
    }
    data = {
        "schema_version": 1,
        "id": "t",
        "edition": "1",
        "title": "T",
        "board": "B",
        "effective_from": "2000-01-01",
        "sections": [{"id": "1", "title": "One"}],
        **top,
        "requirements": [req],
    }
    return yaml.safe_dump(data, sort_keys=False)


def make_pack(requirement: dict[str, Any], **top: Any) -> Pack:
    """Resolve a one-requirement pack through the real loader."""
    catalog = PackCatalog(layers={})
    layer = read_layer("t/1/pack.yaml", pack_yaml(requirement, **top))
    catalog = catalog.with_layer(layer)
    return catalog.resolve(layer.ref)


def make_bundle(patch: dict[str, Any] | None = None, **people_fields: Any) -> EvidenceBundle:
    """The base bundle with top-level keys from ``patch`` and fields merged into person p-1."""
    data = copy.deepcopy(BASE_BUNDLE)
    data["people"][0].update(people_fields)
    data.update(patch or {})
    return bundle_from_data(data)


def judge(rule: dict[str, Any], bundle: EvidenceBundle, as_of: dt.date, **req: Any) -> Finding:
    """Evaluate a single-requirement pack and return its only finding."""
    pack = make_pack({"rule": rule, **req})
    findings = evaluate(pack, bundle, as_of=as_of).findings
    assert len(findings) == 1, findings
    return findings[0]
