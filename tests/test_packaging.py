"""The built wheel carries the schemas and the bundled packs, not only the repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Builds a wheel: the slow tier (.ci/run).
pytestmark = pytest.mark.slow


def test_wheel_contains_schemas_and_standards(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 and "hatchling" in result.stderr:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "-q",
                "-w",
                str(tmp_path),
                str(ROOT),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in ("standard-pack", "pack-tests", "evidence"):
        assert f"safeguard_std/_data/schemas/{schema}.schema.json" in names
    packs = {
        n
        for n in names
        if n.startswith("safeguard_std/_data/standards/") and n.endswith("/pack.yaml")
    }
    on_disk = {
        f"safeguard_std/_data/{p.relative_to(ROOT).as_posix()}"
        for p in (ROOT / "standards").rglob("pack.yaml")
    }
    assert packs == on_disk
    assert "safeguard_std/py.typed" in names
    # The SCR importer's header synonyms are data read through importlib.resources.
    assert "safeguard_std/importers/synonyms.yaml" in names
