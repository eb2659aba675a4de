"""A council's layer over a bundled pack: found by id, linted for its own changes only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safeguard_std.authoring import lint_pack
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
