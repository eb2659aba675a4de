"""The strategies work from an installed wheel, not only from the source tree: the module is
packaged, and the ``hypothesis`` entry point registers the types."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Builds and installs a wheel: the slow tier (.ci/run).
pytestmark = pytest.mark.slow

CHECK = """
import safeguard_std.strategies as s
assert s.__file__.startswith({site!r}), s.__file__
from safeguard_std.strategies import evidence_bundles
from hypothesis import find, strategies as st
from safeguard_std.domain.people import DbsCheck
bundle = find(evidence_bundles(min_people=1), lambda b: True)
check = find(st.from_type(DbsCheck), lambda c: True)
print(len(bundle.people), check.level.value)
"""


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, check=False
    )


def test_strategies_from_an_installed_wheel(tmp_path: Path) -> None:
    built = _pip("wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT))
    if built.returncode != 0 and "hatchling" in built.stderr:
        built = _pip("wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT))
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("*.whl")
    site = tmp_path / "site"
    installed = _pip("install", "--no-deps", "-q", "--target", str(site), str(wheel))
    assert installed.returncode == 0, installed.stderr
    entry_points = next(site.glob("safeguard_std-*.dist-info")) / "entry_points.txt"
    assert "_ = _safeguard_std_hypothesis:_hypothesis_setup_hook" in entry_points.read_text()
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(site=str(site))],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(site)},
        cwd=tmp_path,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 enhanced\n", "")
