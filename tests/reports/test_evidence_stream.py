"""Streams of bundles for the portfolio: folders, NDJSON, bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_fixtures import BUNDLES, PROVIDERS, bundle

from safeguard_std.evidence.stream import count_evidence, iter_evidence, iter_ndjson
from safeguard_std.reports import render


def test_folder_in_path_order_skipping_hidden_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name, where in (
        ("meadow", "b/2.json"),
        ("harbour", "1.json"),
        ("oakfield", ".hidden/x.json"),
    ):
        (tmp_path / where).write_bytes((BUNDLES / f"{name}.json").read_bytes())
    (tmp_path / "notes.txt").write_text("not a bundle")
    loaded = list(iter_evidence(tmp_path))
    assert [(Path(x.source).name, x.bundle.id if x.bundle else None) for x in loaded] == [
        ("1.json", "bundle-harbour-2026"),
        ("2.json", "bundle-meadow-2026"),
    ]
    assert count_evidence(tmp_path) == 2


def test_ndjson_lines_are_labelled_and_blank_lines_skipped() -> None:
    good = json.dumps(json.loads((BUNDLES / "riverside.json").read_text(encoding="utf-8")))
    lines = [good.encode(), b"\n", b"\xff\xfe{}\n", b'{"id": "x"}\n']
    loaded = list(iter_ndjson(lines, "in.ndjson"))
    assert [x.source for x in loaded] == ["in.ndjson:1", "in.ndjson:3", "in.ndjson:4"]
    assert loaded[0].bundle == bundle("riverside")
    assert str(loaded[1].error) == (
        "invalid evidence: not UTF-8 text: invalid byte at offset 0 @ in.ndjson:3 $"
    )
    assert loaded[2].error is not None
    assert str(loaded[2].error.problems[0]).endswith("@ in.ndjson:4 $")


def test_single_file_and_missing_file(tmp_path: Path) -> None:
    assert [x.bundle.id for x in iter_evidence(BUNDLES / "harbour.json") if x.bundle] == [
        "bundle-harbour-2026"
    ]
    missing = list(iter_evidence(tmp_path / "gone.ndjson"))
    assert str(missing[0].error) == (
        f"invalid evidence: cannot read evidence file: No such file or directory @ "
        f"{tmp_path / 'gone.ndjson'} $"
    )
    assert count_evidence(tmp_path / "gone.ndjson") is None


def test_ndjson_count(tmp_path: Path) -> None:
    path = tmp_path / "all.jsonl"
    path.write_text("\n".join(["{}"] * len(PROVIDERS)) + "\n\n")
    assert count_evidence(path) == len(PROVIDERS)


def test_unknown_format(harbour_demo: tuple) -> None:
    _, _, a = harbour_demo
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render(a, "pdf")
