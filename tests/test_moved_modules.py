"""Modules moved into packages in issue 15 stay importable under their old public paths, and
the old path gives the very same objects as the new one."""

from __future__ import annotations

import importlib

import pytest

MOVED = {
    "safeguard_std.documents": "safeguard_std.io.documents",
    "safeguard_std.schemas": "safeguard_std.io.schemas",
    "safeguard_std.packtests": "safeguard_std.packs.cases",
    "safeguard_std.evidence_stream": "safeguard_std.evidence.stream",
    "safeguard_std.consistency": "safeguard_std.domain.consistency",
    "safeguard_std.streaming": "safeguard_std.portfolio",
    "safeguard_std.reports.portfolio": "safeguard_std.portfolio.rollup",
    "safeguard_std.pytest_plugin": "safeguard_std.testing.pytest_plugin",
    "safeguard_std.reference": "safeguard_std.authoring.reference",
}


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_the_old_path_gives_the_same_public_names(old: str, new: str) -> None:
    was, now = importlib.import_module(old), importlib.import_module(new)
    assert now.__all__
    assert list(was.__all__) == list(now.__all__)
    for name in now.__all__:
        assert getattr(was, name) is getattr(now, name), name


# Names that moved out of a module that stays: the old place still gives the very same object.
MOVED_NAMES = [
    ("safeguard_std.evaluate", "resolve_params", "safeguard_std.rules.compile"),
    ("safeguard_std.packs", "PackCatalog", "safeguard_std.packs._catalog"),
    ("safeguard_std.packs", "PackLayer", "safeguard_std.packs._read"),
    ("safeguard_std.packs", "PackOrigin", "safeguard_std.packs._read"),
    ("safeguard_std.packs", "read_layer", "safeguard_std.packs._read"),
    ("safeguard_std.packs", "PACK_FILE", "safeguard_std.packs._read"),
    ("safeguard_std.packs", "bundled_catalog", "safeguard_std.packs._load"),
    ("safeguard_std.packs", "load_pack", "safeguard_std.packs._load"),
    ("safeguard_std.packs", "_one_of", "safeguard_std.packs._semantic"),
    ("safeguard_std.packs", "_facts_for", "safeguard_std.packs._semantic"),
]


@pytest.mark.parametrize(("old", "name", "new"), MOVED_NAMES)
def test_a_moved_name_is_the_same_object_at_its_old_path(old: str, name: str, new: str) -> None:
    was, now = importlib.import_module(old), importlib.import_module(new)
    assert getattr(was, name) is getattr(now, name)


def test_the_packs_public_names_are_unchanged() -> None:
    packs = importlib.import_module("safeguard_std.packs")
    assert packs.__all__ == [
        "PackCatalog",
        "PackLayer",
        "PackOrigin",
        "bundled_catalog",
        "load_pack",
        "read_layer",
    ]


# Where each public name of safeguard_std.serialization now lives.
SERIALIZATION = {
    "QUIET_STATUSES": "findings_writer",
    "assessment_json_chunks": "findings_writer",
    "assessment_line": "findings_writer",
    "assessment_ndjson_findings": "findings_writer",
    "assessment_to_data": "data",
    "assessment_to_json": "findings_writer",
    "bundle_to_data": "data",
    "canonical_json": "canonical",
    "converter": "converter",
    "digest": "canonical",
    "evidence_digest": "digests",
    "make_converter": "converter",
    "pack_digest": "digests",
    "pack_to_data": "data",
    "structure_errors": "errors",
}


def test_serialization_exports_what_it_did_from_its_private_parts() -> None:
    # Issue 15: serialization.py (821 lines) became the package safeguard_std._serialization, one
    # concern a module; the public module still exports exactly the names it did, the very
    # objects its parts define.
    import safeguard_std.serialization as serialization

    assert sorted(serialization.__all__) == sorted(SERIALIZATION)
    for name, part in SERIALIZATION.items():
        home = importlib.import_module(f"safeguard_std._serialization.{part}")
        assert getattr(home, name) is getattr(serialization, name), name
