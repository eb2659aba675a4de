"""Helpers for the report tests: the demo and monitoring packs, the four provider bundles,
and golden-file comparison."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from safeguard_std.domain.findings import Assessment
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.packs import PackCatalog

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
REPORTS = FIXTURES / "reports"
BUNDLES = REPORTS / "bundles"
GOLDEN = REPORTS / "golden"
AS_OF = dt.date(2026, 11, 23)
PROVIDERS = ("harbour", "meadow", "oakfield", "riverside")

#: Set SAFEGUARD_UPDATE_GOLDEN=1 to rewrite the golden files instead of comparing with them.
UPDATE_GOLDEN = os.environ.get("SAFEGUARD_UPDATE_GOLDEN") == "1"


def report_catalog() -> PackCatalog:
    """The fixture packs: demo@1 (no metric tags) and monitoring@1 (tagged)."""
    catalog = PackCatalog()
    catalog = catalog.with_folder(FIXTURES / "packs")
    catalog = catalog.with_folder(REPORTS / "packs")
    return catalog


CATALOG = report_catalog()


def bundle(name: str) -> EvidenceBundle:
    """One of the fixture bundles by short name (``harbour``...)."""
    return load_evidence(BUNDLES / f"{name}.json")


def pack(ref: str) -> Pack:
    """A fixture pack by ``id@edition``."""
    return CATALOG.resolve(ref)


def assess(ref: str, name: str, as_of: dt.date = AS_OF) -> tuple[Pack, EvidenceBundle, Assessment]:
    """The pack, the bundle and the assessment of one against the other."""
    p, b = pack(ref), bundle(name)
    return p, b, evaluate(p, b, as_of=as_of)


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with ``golden/<name>`` byte for byte (or rewrite it when updating)."""
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"no golden file {path}; run with SAFEGUARD_UPDATE_GOLDEN=1"
    assert text.encode("utf-8") == path.read_bytes(), (
        f"{name} differs from its golden file; if the change is intended, run the tests with "
        "SAFEGUARD_UPDATE_GOLDEN=1 and review the diff"
    )
