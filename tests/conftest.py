"""Shared fixtures and hypothesis profiles.

Profiles: ``default`` (quick, for every run), ``ci`` (more examples), ``fuzz`` (long; opt in with
``HYPOTHESIS_PROFILE=fuzz pytest -m slow``). Property tests never depend on the wall clock.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from safeguard_std.packs import PackCatalog, bundled_catalog

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", max_examples=5_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="session")
def catalog() -> PackCatalog:
    """The bundled packs plus the test-suite's fixture packs (resolved once per session)."""
    cat = bundled_catalog(entry_points_too=False)
    cat = cat.with_folder(FIXTURES / "packs")
    return cat
