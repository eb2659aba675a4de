"""The how-to for downstream projects runs: every ``python`` block on the page, in order, as one
module, then every test it defines."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT

PAGE = ROOT / "docs" / "how-to" / "use-the-strategies.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def code_of(page: Path) -> str:
    return "\n".join(BLOCK.findall(page.read_text(encoding="utf-8")))


def test_the_page_has_code() -> None:
    assert len(BLOCK.findall(PAGE.read_text(encoding="utf-8"))) >= 5


def test_the_worked_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "our-standard").mkdir()
    shutil.copy(FIXTURES / "packs" / "demo" / "1" / "pack.yaml", tmp_path / "our-standard")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "use_the_strategies"}
    exec(compile(code_of(PAGE), str(PAGE), "exec"), namespace)
    tests = [v for k, v in namespace.items() if k.startswith("test_") and callable(v)]
    assert len(tests) == 4
    for test in tests:
        test()
