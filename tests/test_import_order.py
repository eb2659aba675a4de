"""Every module imports on its own, first: no import cycle hides behind the order in which the
test suite (or an application) happens to import things."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

# About half a minute of processor time (every module imported afresh): the slow tier.
pytestmark = pytest.mark.slow

SCRIPT = """
import importlib, pkgutil, sys
import safeguard_std
names = sorted(m.name for m in pkgutil.walk_packages(safeguard_std.__path__, "safeguard_std."))
names = [n for n in names if not n.endswith("__main__")]
failed = []
for name in names:
    for loaded in [m for m in sys.modules if m.split(".")[0] == "safeguard_std"]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print(len(names))
print("\\n".join(failed))
"""


def test_every_module_imports_first_on_its_own() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    count, *failed = done.stdout.splitlines()
    assert int(count) > 100
    assert [f for f in failed if f] == []
