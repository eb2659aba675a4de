"""Every code example in the documentation runs, as written, and prints what the page shows.

Each page's blocks run in order in a fresh folder holding a copy of ``examples/`` (see
``tests/docs_snippets.py`` for what runs and how a block opts out). The tutorial also gets a test
of its outcome, and a slow test installs the package into a fresh virtual environment the way
the tutorial says and follows the tutorial with that environment's ``safeguard-std``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tests.docs_snippets import Block, PageRun, blocks, prepare, shell_commands

DOCS = ROOT / "docs"
PAGES = [*sorted(p for p in DOCS.rglob("*.md") if "_scripts" not in p.parts), ROOT / "README.md"]
TUTORIAL = DOCS / "tutorial.md"


def _name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def _run_page(page: Path, folder: Path) -> PageRun:
    prepare(folder, ROOT)
    run = PageRun(folder)
    for block in blocks(page):
        if block.runs:
            run.run(block)
    return run


@pytest.mark.parametrize("page", [p for p in PAGES if any(b.runs for b in blocks(p))], ids=_name)
def test_page_examples_run(page: Path, tmp_path: Path) -> None:
    _run_page(page, tmp_path)


def _data_blocks() -> list[Block]:
    return [
        b
        for page in PAGES
        for b in blocks(page)
        if b.lang in {"yaml", "json"} and not b.skipped and "file" not in b.markers
    ]


@pytest.mark.parametrize("block", _data_blocks(), ids=lambda b: b.where)
def test_data_examples_parse(block: Block) -> None:
    """YAML and JSON shown on a page (a pack, a finding, a test file) is at least well formed."""
    if block.lang == "json":
        json.loads(block.code)
    else:
        yaml.safe_load(block.code)


def test_every_skipped_block_says_why() -> None:
    """Opting out is explicit and rare: each ``no-test`` marker gives its reason."""
    unexplained = [
        b.where for page in PAGES for b in blocks(page) if b.markers.get("no-test", None) == ""
    ]
    assert unexplained == []


def test_tutorial_reaches_a_corrected_assessment(tmp_path: Path) -> None:
    """A newcomer following the tutorial in order ends with the gap it describes fixed."""
    _run_page(TUTORIAL, tmp_path)
    finding_id = "dorset/DOR-1.4.1/provider:prov-ecyt"
    before = json.loads((tmp_path / "assessment.json").read_text())
    after = json.loads((tmp_path / "assessment-after.json").read_text())
    status = {
        a: {f["id"]: f["status"] for f in x["findings"]} for a, x in [("b", before), ("a", after)]
    }
    assert status["b"][finding_id] == "not_met"
    assert status["a"][finding_id] == "met"
    changed = sorted(i for i in status["a"] if status["a"][i] != status["b"][i])
    assert changed == [
        "dorset/DOR-1.4.1/provider:prov-ecyt",
        "dorset/DOR-5.1a/policy:pol-whistleblowing",
    ]
    original = json.loads((ROOT / "examples" / "dorset-youth-charity.json").read_text())
    assert json.loads((tmp_path / "examples" / "dorset-youth-charity.json").read_text()) == original


def test_tutorial_install_is_the_readme_install() -> None:
    """The tutorial installs the way the README does, which CI runs in a fresh clone."""
    [install] = [b for b in blocks(TUTORIAL) if "tutorial:install" in b.markers]
    assert list(shell_commands(install.code)) == [
        "python3 -m venv .venv",
        ". .venv/bin/activate",
        "pip install .",
    ]
    [readme] = [b for b in blocks(ROOT / "README.md") if "ci:run" in b.markers]
    assert "python3 -m venv .venv && .venv/bin/pip install -e ." in readme.code


@pytest.mark.slow
def test_tutorial_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    """Install from a copy of the repository into a new venv, as the tutorial says, then follow
    the tutorial with that venv's ``safeguard-std`` (as a program, not in process)."""
    checkout = tmp_path / "safeguard_std"
    checkout.mkdir()
    for name in ("src", "schemas", "standards", "examples"):
        shutil.copytree(ROOT / name, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, checkout / name)
    [install] = [b for b in blocks(TUTORIAL) if "tutorial:install" in b.markers]
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    script = " && ".join(shell_commands(install.code)).replace("python3", sys.executable, 1)
    done = subprocess.run(
        ["bash", "-c", script], cwd=checkout, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    folder = tmp_path / "tutorial"
    folder.mkdir()
    prepare(folder, ROOT)
    run = PageRun(folder, in_process=False)
    run.env["PATH"] = str(checkout / ".venv" / "bin") + os.pathsep + env.get("PATH", "")
    for block in blocks(TUTORIAL):
        if block.runs:
            run.run(block)
    after = json.loads((folder / "assessment-after.json").read_text())
    [finding] = [f for f in after["findings"] if f["requirement"] == "DOR-1.4.1"]
    assert finding["status"] == "met"
