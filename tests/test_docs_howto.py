"""The how-to for downstream projects runs: every ``python`` block on the page, in order, as one
module, then every test it defines."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from tests.conftest import ROOT
from tests.docs_snippets import PageRun, blocks

PAGE = ROOT / "docs" / "how-to" / "use-the-strategies.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def code_of(page: Path) -> str:
    return "\n".join(BLOCK.findall(page.read_text(encoding="utf-8")))


def test_the_page_has_code() -> None:
    assert len(BLOCK.findall(PAGE.read_text(encoding="utf-8"))) >= 5


def test_the_worked_example_runs(tmp_path: Path) -> None:
    """The page runs as the docs tests run it (its pack file written first), then every test it
    defines is called, so the example's properties hold and not only its definitions."""
    run = PageRun(tmp_path)
    for block in blocks(PAGE):
        if block.runs or "file" in block.markers:
            run.run(block)
    tests = [v for k, v in run.namespace.items() if k.startswith("test_") and callable(v)]
    assert len(tests) == 4
    with contextlib.chdir(tmp_path):
        for test in tests:
            test()
