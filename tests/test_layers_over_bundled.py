"""A council's layer over a bundled pack: found by id, linted for its own changes only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safeguard_std.authoring import lint_pack
from safeguard_std.exceptions import PackError
from safeguard_std.packs import bundled_catalog, load_pack

LAYER = """schema_version: 1
id: lay
edition: "1"
title: Strict Dorset
board: A council
effective_from: 2025-01-01
extends: dorset@2024
set_parameters: {panel_chair_must_be_trained: true}
"""


def test_a_bare_id_is_a_pack_even_beside_a_folder_of_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dorset").mkdir()
    monkeypatch.chdir(tmp_path)
    pack = load_pack("dorset", as_of=dt.date(2026, 11, 23))
    assert (pack.id, pack.edition) == ("dorset", "2024")


def test_a_folder_with_a_pack_file_is_a_path(tmp_path: Path) -> None:
    folder = tmp_path / "lay" / "1"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(LAYER)
    pack = load_pack(str(folder), as_of=dt.date(2026, 11, 23))
    assert pack.layers[-1] == "lay@1"


def test_lint_of_a_layer_does_not_blame_it_for_the_included_baseline(tmp_path: Path) -> None:
    folder = tmp_path / "lay" / "1"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(LAYER)
    found = lint_pack(folder, catalog=bundled_catalog(entry_points_too=False))
    assert [(f.code, f.requirement) for f in found] == [("untested", "DOR-3.5")]


def _layer(tmp_path: Path, alter: str) -> Path:
    folder = tmp_path / "layer" / "1"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(
        "schema_version: 1\nid: layer\nedition: '1'\ntitle: L\nboard: B\n"
        f"effective_from: 2024-09-01\nextends: dorset@2024\nalter:\n{alter}"
    )
    return folder


def test_alter_changes_one_rule_parameter_with_rule_params(tmp_path: Path) -> None:
    folder = _layer(tmp_path, "  DOR-2.3.2:\n    rule_params: {period: P2Y}\n")
    catalog = bundled_catalog(entry_points_too=False)
    day = dt.date(2026, 11, 23)
    base = load_pack("dorset@2024", as_of=day, catalog=catalog).requirement("DOR-2.3.2").rule
    rule = load_pack(folder, as_of=day, catalog=catalog).requirement("DOR-2.3.2").rule
    assert rule.kind == base.kind
    assert dict(rule.params) == {**base.params, "period": "P2Y"}


def test_alter_with_a_rule_but_no_kind_says_the_rule_is_replaced_whole(tmp_path: Path) -> None:
    folder = _layer(tmp_path, "  DOR-2.3.2:\n    rule: {period: P2Y}\n")
    with pytest.raises(PackError) as info:
        load_pack(
            folder, as_of=dt.date(2026, 11, 23), catalog=bundled_catalog(entry_points_too=False)
        )
    assert str(info.value).endswith(
        "(alter's rule replaces the whole rule: give its kind and every parameter, or change "
        "only some with rule_params: {NAME: VALUE})"
    )
