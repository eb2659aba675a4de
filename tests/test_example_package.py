"""The example council package installs, and safeguard-std finds its pack through the
``safeguard_std.packs`` entry point (docs/how-to/write-a-pack.md walks through it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

# Builds and installs a package: the slow tier (.ci/run).
pytestmark = pytest.mark.slow

EXAMPLE = EXAMPLES / "council-pack-example"


def _pip_install_target(target: Path) -> None:
    base = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target)]
    # Offline first, with the hatchling of this environment; else let pip fetch a build backend.
    for extra in (["--no-build-isolation"], []):
        result = subprocess.run(
            [*base, *extra, str(EXAMPLE)], capture_output=True, text=True, check=False
        )
        if result.returncode == 0:
            return
    pytest.fail(f"pip could not install the example package:\n{result.stderr}")


def _cli(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "safeguard_std", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": path},
        cwd=site,
    )


def test_installed_example_pack_is_discovered(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _pip_install_target(site)
    assert (site / "exampleshire_pack" / "packs" / "exampleshire" / "2026" / "pack.yaml").is_file()
    listed = _cli(site, "packs")
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines()].count("exampleshire@2026") == 1
    for sub in ("validate", "lint", "test"):
        result = _cli(site, "pack", sub, "exampleshire@2026")
        assert result.returncode == 0, (sub, result.stdout, result.stderr)
    assert _cli(site, "pack", "test", "exampleshire").stdout.endswith(
        "exampleshire@2026: 6 passed, 0 failed\n"
    )
    # Without the package on the path the pack is unknown.
    gone = _cli(tmp_path, "pack", "validate", "exampleshire@2026")
    assert gone.returncode == 2
    assert "no pack 'exampleshire@2026'" in gone.stderr
