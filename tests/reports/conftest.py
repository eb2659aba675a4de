"""Session fixtures for the report tests."""

from __future__ import annotations

import pytest
from report_fixtures import assess

from safeguard_std.domain.findings import Assessment
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack


@pytest.fixture(scope="session")
def harbour_demo() -> tuple[Pack, EvidenceBundle, Assessment]:
    """demo@1 against the Harbour Youth Club bundle."""
    return assess("demo@1", "harbour")


@pytest.fixture(scope="session")
def harbour_monitoring() -> tuple[Pack, EvidenceBundle, Assessment]:
    """monitoring@1 (metric tags) against the Harbour Youth Club bundle."""
    return assess("monitoring@1", "harbour")
