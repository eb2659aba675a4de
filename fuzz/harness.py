"""What the fuzzers check, as plain functions (atheris drives them; the test suite runs them on
the seed corpus so they cannot rot).

The property is the library's promise about hostile input: a loader either returns a value or
raises the library's own :class:`~safeguard_std.exceptions.SafeguardError` with a message that
renders; and whatever loads evaluates against real packs without an exception and without a rule
failing (no ``error`` finding).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from safeguard_std.domain.findings import Status
from safeguard_std.evaluate import EvaluationPlan, compile_pack
from safeguard_std.evidence import load_evidence
from safeguard_std.exceptions import SafeguardError
from safeguard_std.packs import PackCatalog, bundled_catalog, read_layer

__all__ = ["check_evidence", "check_pack", "suffix_and_body"]

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
AS_OF = dt.date(2026, 11, 23)


@cache
def _catalog() -> PackCatalog:
    catalog = bundled_catalog(entry_points_too=False)
    catalog = catalog.with_folder(FIXTURES / "packs")
    return catalog


@cache
def _plans() -> tuple[EvaluationPlan, ...]:
    catalog = _catalog()
    return tuple(compile_pack(catalog.resolve(ref, as_of=AS_OF)) for ref in catalog.refs)


def suffix_and_body(data: bytes) -> tuple[str, bytes]:
    """The first byte picks the format (so the fuzzer explores both parsers)."""
    if not data:
        return ".json", b""
    return (".yaml" if data[0] & 1 else ".json"), data[1:]


def _render(exc: SafeguardError) -> str:
    details = getattr(exc, "details", None)
    return details() if callable(details) else str(exc)


def check_evidence(data: bytes) -> None:
    """Load ``data`` as an evidence bundle; anything loaded must evaluate cleanly."""
    suffix, body = suffix_and_body(data)
    try:
        bundle = load_evidence(body, name="fuzz" + suffix)
    except SafeguardError as exc:
        _render(exc)
        return
    for plan in _plans():
        failing = plan.evaluate(bundle, as_of=AS_OF, allow_out_of_force=True).by_status(
            Status.ERROR
        )
        if failing:
            raise AssertionError(f"rule failed on loadable evidence: {failing[0].message}")


def check_pack(data: bytes) -> None:
    """Load ``data`` as a pack file (it may extend the bundled and fixture packs); a pack that
    loads must compile and judge the fixture bundle cleanly."""
    suffix, body = suffix_and_body(data)
    base = _catalog()
    catalog = PackCatalog(kinds=base.kinds, layers={r: base.layer(r) for r in base.refs})
    try:
        layer = read_layer("fuzz/fuzzed/1/pack" + suffix, body)
        catalog = catalog.with_layer(layer)
        plan = compile_pack(catalog.resolve(layer.ref, as_of=AS_OF), kinds=catalog.kinds)
    except SafeguardError as exc:
        _render(exc)
        return
    bundle = load_evidence(FIXTURES / "bundle-small.json")
    failing = plan.evaluate(bundle, as_of=AS_OF, allow_out_of_force=True).by_status(Status.ERROR)
    if failing:
        raise AssertionError(f"rule failed under a loadable pack: {failing[0].message}")
