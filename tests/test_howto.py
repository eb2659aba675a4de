"""The commands in docs/how-to/write-a-pack.md run as written, in order, and succeed."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from safeguard_std.cli import main
from tests.conftest import ROOT

HOWTO = ROOT / "docs" / "how-to" / "write-a-pack.md"


def _commands() -> list[str]:
    lines = HOWTO.read_text(encoding="utf-8").splitlines()
    start = lines.index("<!-- howto:commands -->") + 2  # past the marker and the ``` line
    end = lines.index("```", start)
    return lines[start:end]


def test_howto_commands_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    commands = _commands()
    assert len(commands) == 9
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "safeguard-std"
        assert main(argv[1:]) == 0, (command, capsys.readouterr())
    out = capsys.readouterr().out
    assert "exampleshire@2026, exampleshire@2027: valid" in out
    # The new edition starts as the last one: no sample requirement to delete.
    assert "EXAMPLESHIRE-2" not in out
    assert (tmp_path / "exampleshire-2026.html").read_text().startswith("<!DOCTYPE html>")


def test_howto_example_messages_are_real(tmp_path: Path) -> None:
    """The two validation lines quoted in the guide are what validate prints for those edits."""
    import datetime as dt

    from safeguard_std.authoring import problem_line, scaffold_pack, validate_pack
    from safeguard_std.packs import PackCatalog

    (pack_file, _) = scaffold_pack(
        tmp_path / "packs",
        "exampleshire",
        "Exampleshire Safeguarding Children Partnership",
        edition="2026",
        effective_from=dt.date(2026, 4, 1),
    )
    text = pack_file.read_text().replace("kind: policy_current", "kind: policy_curent")
    pack_file.write_text(text)
    quoted = [
        line
        for line in HOWTO.read_text().splitlines()
        if line.startswith("packs/exampleshire/2026/pack.yaml:")
    ]
    result = validate_pack(pack_file.parent, catalog=PackCatalog(layers={}))
    lines = [problem_line(p).replace(f"{tmp_path}/", "") for p in result.problems]
    assert lines == quoted[:1]
    text = text.replace("kind: policy_curent", "kind: policy_current").replace(
        "review_period: {param: policy_review}", "review_period: 1 year"
    )
    pack_file.write_text(text)
    result = validate_pack(pack_file.parent, catalog=PackCatalog(layers={}))
    lines = [problem_line(p).replace(f"{tmp_path}/", "") for p in result.problems]
    assert lines == quoted[1:2]
