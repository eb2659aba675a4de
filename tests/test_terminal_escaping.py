"""No human-readable output passes a file's control characters to the terminal: pack titles,
test-case names and file names cannot clear the screen or forge a line of their own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from safeguard_std.cli import main
from safeguard_std.io._terminal import printable, printable_lines
from tests.conftest import FIXTURES

FORGED = "\x1b[2J\rerror: forged\u202e\x9b\nerror: forged too"
SAFE = "\\x1b[2J\\rerror: forged\\u202e\\x9b\\nerror: forged too"


def test_printable_escapes_controls_and_keeps_text() -> None:
    assert printable(FORGED) == SAFE
    assert printable("Café – Ünïcode ✓ 日本") == "Café – Ünïcode ✓ 日本"
    assert printable_lines(["a\nb", "c"]) == "a\\nb\nc\n"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A pack whose title, requirement title and test case name carry the forged text, in a
    folder whose name carries it too, with an evidence file named the same way."""
    root = tmp_path / f"packs{FORGED}"
    folder = root / "demo" / "1"
    shutil.copytree(FIXTURES / "packs" / "demo" / "1", folder)
    pack = yaml.safe_load((folder / "pack.yaml").read_text())
    pack["title"] = f"Title {FORGED}"
    pack["requirements"][0]["title"] = f"Req {FORGED}"
    (folder / "pack.yaml").write_text(yaml.safe_dump(pack))
    tests = yaml.safe_load((folder / "tests" / "demo.yaml").read_text())
    tests["evidence"] = {"file": str(FIXTURES / "bundle-small.json")}
    tests["cases"][0]["name"] = f"case {FORGED}"
    tests["cases"][0]["expect"][0]["status"] = "not_met"  # fails, so it is printed
    (folder / "tests" / "demo.yaml").write_text(yaml.safe_dump(tests))
    (tmp_path / f"evidence{FORGED}.json").write_text("{not json")
    newer = root / "demo" / "2"
    shutil.copytree(folder, newer)
    pack["edition"], pack["effective_from"] = "2", "2030-01-01"
    pack["requirements"][0]["title"] = f"Changed {FORGED}"
    (newer / "pack.yaml").write_text(yaml.safe_dump(pack))
    return tmp_path


def commands(base: Path) -> list[list[str]]:
    root = str(base / f"packs{FORGED}")
    pack = str(base / f"packs{FORGED}" / "demo" / "1")
    evidence = str(base / f"evidence{FORGED}.json")
    dated = ["--as-of", "2026-11-23"]
    return [
        ["packs", "--packs-dir", root],
        ["pack", "validate", pack],
        ["pack", "lint", pack],
        ["pack", "test", pack, "-v"],
        ["pack", "test", pack, "-k", FORGED],
        ["pack", "diff", pack, str(base / f"packs{FORGED}" / "demo" / "2")],
        ["pack", "validate", str(base / f"missing{FORGED}")],
        ["evaluate", "--packs-dir", root, "--pack", "demo", "--evidence", evidence, *dated],
        ["portfolio", "--packs-dir", root, "--pack", "demo", "--evidence", evidence, *dated],
        ["evidence", "validate", evidence, *dated],
    ]


def test_no_command_prints_a_control_character(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in commands(hostile):
        main(argv)
        out, err = capsys.readouterr()
        for stream, text in (("stdout", out), ("stderr", err)):
            if stream == "stdout" and out.startswith("{"):
                continue  # a JSON document (its strings are the formats' concern), not lines
            shown = text.replace("\n", "")
            assert printable(shown) == shown, (argv[:2], stream, text)
            forged = [line for line in text.splitlines() if line.startswith("error: forged")]
            assert forged == [], (argv[:2], stream, text)
