"""The README's Hypothesis example, copied into a fresh project, passes Hypothesis's default
health checks: no settings, no profile, nothing suppressed (issue 20: it failed ``too_slow`` 4
runs out of 4). Slow tier: it builds a virtual environment (``pytest -m slow``)."""

from __future__ import annotations

import os
import re
import subprocess
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def readme_example() -> str:
    [code] = [b for b in BLOCK.findall((ROOT / "README.md").read_text()) if "@given" in b]
    return code


def test_the_readme_example_is_the_one_this_test_runs() -> None:
    code = readme_example()
    assert "evidence_bundles(PACK, as_of=AS_OF, compliant=True)" in code
    assert "settings" not in code  # the example users copy runs with Hypothesis's defaults


@pytest.mark.slow
def test_the_readme_example_passes_the_default_health_checks_ten_runs_in_ten(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    home = tmp_path / "venv"
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", f"{ROOT}[strategies]", "pytest"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_readme.py").write_text(readme_example())
    for seed in range(10):  # ten runs, each a different seed, none reusing a database
        run = subprocess.run(
            [
                str(python),
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--hypothesis-seed={seed}",
                "test_readme.py",
            ],
            cwd=project,
            env={**env, "HYPOTHESIS_STORAGE_DIRECTORY": str(tmp_path / f"db-{seed}")},
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, f"seed {seed}:\n{run.stdout[-3000:]}"
