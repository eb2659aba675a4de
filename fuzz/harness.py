"""What the fuzzers check, as plain functions (atheris drives them; the test suite runs them on
the seed corpus so they cannot rot): the evidence and pack loaders, the SCR importer (CSV and
.xlsx) and NDJSON portfolio streams.

The property is the library's promise about hostile input: a loader either returns a value or
raises the library's own :class:`~safeguard_std.exceptions.SafeguardError` with a message that
renders; and whatever loads evaluates against real packs without an exception and without a rule
failing (no ``error`` finding).
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path

from safeguard_std.domain.findings import Status
from safeguard_std.evaluate import EvaluationPlan, compile_pack
from safeguard_std.evidence import load_evidence
from safeguard_std.evidence.stream import iter_ndjson
from safeguard_std.exceptions import MissingExtra, SafeguardError
from safeguard_std.io.documents import Limits
from safeguard_std.packs import PackCatalog, bundled_catalog, read_layer
from safeguard_std.portfolio import evaluate_portfolio
from safeguard_std.serialization import bundle_to_data, canonical_json

__all__ = ["check_evidence", "check_ndjson", "check_pack", "check_scr", "suffix_and_body"]

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


#: The provider an imported record belongs to (what the record itself does not hold).
PROVIDER = {
    "provider": {"id": "fuzz", "name": "Fuzz Trust", "kind": "youth", "legal_form": "charity"}
}
#: Small limits, so a fuzzed stream or sheet reaches them in a few kilobytes.
SMALL = Limits(max_bytes=64 * 1024, max_unzipped_bytes=1 << 20, max_cells=20_000, max_columns=256)


def check_scr(data: bytes) -> None:
    """Import ``data`` as a single central record (first byte odd: .xlsx, else CSV): it imports
    or raises the library's own error, and whatever it imports is a bundle that writes as
    canonical JSON (every id, date and text encodable) and evaluates cleanly."""
    from safeguard_std.importers import import_scr

    suffix = ".xlsx" if data[:1] and data[0] & 1 else ".csv"
    try:
        result = import_scr(
            data[1:], name="fuzz" + suffix, provider=PROVIDER, as_of=AS_OF, limits=SMALL
        )
    except MissingExtra:
        return
    except SafeguardError as exc:
        _render(exc)
        return
    for issue in result.all_issues():
        str(issue)
    canonical_json(bundle_to_data(result.bundle)).encode("utf-8")
    for plan in _plans():
        judged = plan.evaluate(result.bundle, as_of=AS_OF, allow_out_of_force=True)
        failing = judged.by_status(Status.ERROR)
        if failing:
            raise AssertionError(f"rule failed on an imported record: {failing[0].message}")


def check_ndjson(data: bytes) -> None:
    """Read ``data`` as an NDJSON portfolio, both ways (the roll-up's reader and the streaming
    evaluator): every non-blank line comes out as a bundle or a located error, in order, none
    stops the others (but a line over the limit, which ends the stream), and every assessment
    written is one line of JSON."""
    lines = [n for n, line in enumerate(io.BytesIO(data), start=1) if line.strip()]
    loaded = list(iter_ndjson(io.BufferedReader(io.BytesIO(data)), "fuzz.ndjson", limits=SMALL))
    for item in loaded:
        if item.error is not None:
            _render(item.error)
    numbers = [int(item.source.rsplit(":", 1)[1]) for item in loaded]
    assert numbers == lines[: len(numbers)], (numbers, lines)
    if len(numbers) < len(lines):
        assert loaded[-1].error is not None
        assert "longer than" in str(loaded[-1].error)
    plan_pack = _catalog().resolve("demo@1")
    results = list(
        evaluate_portfolio(
            plan_pack, io.BufferedReader(io.BytesIO(data)), as_of=AS_OF, limits=SMALL
        )
    )
    assert [r.line for r in results] == numbers
    for result in results:
        if result.error is not None:
            _render(result.error)
        else:
            assert result.text is not None
            assert "\n" not in result.text
