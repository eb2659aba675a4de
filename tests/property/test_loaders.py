"""The pack and evidence loaders, the SCR importer and NDJSON streams, fed random and mutated
documents, either succeed or raise the library's own error; and whatever they accept evaluates
without an exception or a failing rule.

The default profile keeps these quick; ``HYPOTHESIS_PROFILE=fuzz pytest -m slow`` runs the same
properties for thousands of examples (see ``docs/how-to/use-the-strategies.md``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from safeguard_std.domain.findings import Status
from safeguard_std.domain.pack import Pack
from safeguard_std.evaluate import compile_pack
from safeguard_std.evidence import load_evidence
from safeguard_std.evidence.stream import iter_ndjson
from safeguard_std.exceptions import PackError, SafeguardError
from safeguard_std.importers import import_scr
from safeguard_std.io.documents import Limits
from safeguard_std.packs import PackCatalog, read_layer
from safeguard_std.portfolio import evaluate_portfolio
from safeguard_std.serialization import bundle_to_data, canonical_json
from safeguard_std.strategies import evidence_bundles, pack_documents
from tests.conftest import FIXTURES
from tests.property.mutations import documents_as_bytes, json_values, mutated
from tests.property.support import AS_OF, CATALOG, PACKS

PLANS = [compile_pack(p) for p in PACKS.values()]
FIXTURE_BUNDLE = load_evidence(FIXTURES / "bundle-small.json")
FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def rendered(exc: SafeguardError) -> str:
    """Every line of the error, as the command line would print it (raises if it cannot)."""
    details = getattr(exc, "details", None)
    return details() if callable(details) else str(exc)


def evidence_outcome(raw: bytes, name: str) -> None:
    """Load; anything loaded must evaluate against every pack with no rule failing."""
    try:
        bundle = load_evidence(raw, name=name)
    except SafeguardError as exc:
        rendered(exc)
        return
    for plan in PLANS:
        errors = plan.evaluate(bundle, as_of=AS_OF, allow_out_of_force=True).by_status(Status.ERROR)
        assert [f.message for f in errors] == []


def pack_outcome(raw: bytes, name: str) -> Pack | None:
    """Load and compile; anything loaded must evaluate a real bundle with no rule failing."""
    catalog = PackCatalog(kinds=CATALOG.kinds, layers={r: CATALOG.layer(r) for r in CATALOG.refs})
    try:
        layer = read_layer(name, raw)
        catalog = catalog.with_layer(layer)
        pack = catalog.resolve(layer.ref)
        plan = compile_pack(pack, kinds=catalog.kinds)
    except SafeguardError as exc:
        rendered(exc)
        return None
    errors = plan.evaluate(FIXTURE_BUNDLE, as_of=AS_OF).by_status(Status.ERROR)
    assert [f.message for f in errors] == []
    return pack


# -- evidence --------------------------------------------------------------------------------------


@FUZZ
@given(
    st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
    st.sampled_from([".json", ".yaml"]),
)
def test_random_bytes_never_crash_the_evidence_loader(raw: bytes, suffix: str) -> None:
    evidence_outcome(raw, "bundle" + suffix)


@FUZZ
@given(json_values(12))
def test_random_documents_never_crash_the_evidence_loader(data: Any) -> None:
    evidence_outcome(json.dumps(data, allow_nan=True).encode(), "bundle.json")


@FUZZ
@given(st.data())
def test_mutated_bundles_never_crash_the_evidence_loader(data: st.DataObject) -> None:
    bundle = data.draw(evidence_bundles(PACKS["demo@1"], as_of=AS_OF, max_people=3))
    document = data.draw(mutated(bundle_to_data(bundle)))
    suffix, raw = data.draw(documents_as_bytes(document))
    evidence_outcome(raw, "bundle" + suffix)


# -- packs -----------------------------------------------------------------------------------------


@FUZZ
@given(
    st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
    st.sampled_from([".json", ".yaml"]),
)
def test_random_bytes_never_crash_the_pack_loader(raw: bytes, suffix: str) -> None:
    pack_outcome(raw, "fuzz/x/1/pack" + suffix)


@FUZZ
@given(st.data())
def test_mutated_packs_never_crash_the_pack_loader(data: st.DataObject) -> None:
    document = data.draw(pack_documents(max_requirements=5))
    if data.draw(st.booleans()):
        document = {**document, "extends": data.draw(st.sampled_from(sorted(PACKS)))}
    suffix, raw = data.draw(documents_as_bytes(data.draw(mutated(document))))
    pack_outcome(raw, "fuzz/generated/1/pack" + suffix)


@FUZZ
@given(pack_documents(max_requirements=10))
def test_generated_packs_load(document: dict[str, Any]) -> None:
    """The unmutated documents are all valid: the fuzzing above starts from real packs."""
    assert pack_outcome(json.dumps(document).encode(), "fuzz/generated/1/pack.json") is not None


def test_a_pack_error_is_raised_for_a_mutation_the_loader_must_refuse() -> None:
    """A guard that pack_outcome does see errors (the properties above would pass vacuously if
    every document loaded)."""
    with pytest.raises(PackError):
        read_layer("x/1/pack.yaml", b"id: [")


# -- the long runs --


@pytest.mark.slow
@settings(suppress_health_check=list(HealthCheck))
@given(st.data())
def test_fuzz_evidence_loader_long(data: st.DataObject) -> None:
    bundle = data.draw(evidence_bundles(PACKS["demo@1"], as_of=AS_OF, max_people=4))
    document = data.draw(mutated(bundle_to_data(bundle), max_mutations=6))
    suffix, raw = data.draw(documents_as_bytes(document))
    evidence_outcome(raw, "bundle" + suffix)


@pytest.mark.slow
@settings(suppress_health_check=list(HealthCheck))
@given(st.data())
def test_fuzz_pack_loader_long(data: st.DataObject) -> None:
    document = data.draw(pack_documents(max_requirements=10))
    suffix, raw = data.draw(documents_as_bytes(data.draw(mutated(document, max_mutations=6))))
    pack_outcome(raw, "fuzz/generated/1/pack" + suffix)


# -- the SCR importer --------------------------------------------------------------------------

_SCR_HEADERS = (FIXTURES / "scr" / "scr.csv").read_text(encoding="utf-8-sig").splitlines()[1]
HEADERS = next(csv.reader([_SCR_HEADERS]))
SCR_PROVIDER = {
    "provider": {"id": "prov", "name": "Fuzz Trust", "kind": "youth", "legal_form": "charity"}
}
SMALL = Limits(max_bytes=256 * 1024, max_cells=5_000, max_columns=128)

_CELLS = st.one_of(
    st.just(""),
    st.sampled_from(["Y", "N", "yes", "no", "N/A", "pending", "x", "✓", "Enhanced", "Staff"]),
    st.dates(dt.date(1899, 1, 1), dt.date(2100, 12, 31)).flatmap(
        lambda d: st.sampled_from(
            [d.strftime("%d/%m/%Y"), d.isoformat(), d.strftime("%d/%m/%y"), d.strftime("%d %b %Y")]
        )
    ),
    st.integers(-(10**12), 10**12).map(str),
    st.text(max_size=30),
    st.text(alphabet="S0123456789-", min_size=100, max_size=200),  # ids too long to use whole
)


@st.composite
def scr_sheets(draw: st.DrawFn) -> list[list[str]]:
    """A record: a header of known columns (some repeated, some unknown) and rows of cells
    that are dates in several formats, marks, numbers, long ids and any text."""
    header = draw(
        st.lists(st.sampled_from([*HEADERS, "Notes", "Unknown"]), min_size=1, max_size=12)
    )
    rows = draw(st.lists(st.lists(_CELLS, max_size=len(header) + 2), max_size=6))
    return [header, *rows]


def scr_outcome(data: bytes, name: str) -> None:
    """Import: the library's own error, or a bundle that writes as canonical JSON and evaluates
    against every pack with no rule failing."""
    try:
        result = import_scr(data, name=name, provider=SCR_PROVIDER, as_of=AS_OF, limits=SMALL)
    except SafeguardError as exc:
        rendered(exc)
        return
    for issue in result.all_issues():
        str(issue)
    canonical_json(bundle_to_data(result.bundle)).encode("utf-8")
    for plan in PLANS:
        judged = plan.evaluate(result.bundle, as_of=AS_OF, allow_out_of_force=True)
        errors = judged.by_status(Status.ERROR)
        assert [f.message for f in errors] == []


def _as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _as_xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FUZZ
@given(scr_sheets(), st.sampled_from(["csv", "xlsx"]))
def test_generated_records_never_crash_the_importer(rows: list[list[str]], fmt: str) -> None:
    data = _as_csv(rows) if fmt == "csv" else _as_xlsx(rows)
    scr_outcome(data, "record." + fmt)


@FUZZ
@given(scr_sheets(), st.data())
def test_damaged_records_never_crash_the_importer(
    rows: list[list[str]], data: st.DataObject
) -> None:
    raw = bytearray(_as_csv(rows))
    for _ in range(data.draw(st.integers(1, 4))):
        if raw:
            at = data.draw(st.integers(0, len(raw) - 1))
            raw[at] = data.draw(st.integers(0, 255))
    scr_outcome(bytes(raw), "record.csv")


# -- NDJSON streams -----------------------------------------------------------------------------


@st.composite
def ndjson_streams(draw: st.DrawFn) -> bytes:
    """Lines of a portfolio: bundles, mutated bundles, damaged bytes, blank lines, lone
    surrogate escapes and lines over the (small) limit."""
    lines = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["bundle", "mutated", "bytes", "blank", "surrogate", "long"]))
        if kind in ("bundle", "mutated", "surrogate"):
            bundle = bundle_to_data(
                draw(evidence_bundles(PACKS["demo@1"], as_of=AS_OF, max_people=2))
            )
            if kind == "mutated":
                bundle = draw(mutated(bundle))
            line = json.dumps(bundle, allow_nan=True).encode()
            if kind == "surrogate":
                line = line.replace(b'"id": "', b'"id": "\\udc80', 1)
        elif kind == "bytes":
            line = draw(st.binary(max_size=80)).replace(b"\n", b" ")
        elif kind == "blank":
            line = draw(st.sampled_from([b"", b"  ", b"\r"]))
        else:
            line = b"[" + b" " * SMALL.max_bytes + b"]"
        lines.append(line)
    return b"\n".join(lines)


@FUZZ
@given(ndjson_streams())
def test_ndjson_streams_give_one_outcome_a_line_and_never_stop_early(stream: bytes) -> None:
    # Blank means JSON whitespace only (a form feed or U+0085 alone is a line with an outcome).
    wanted = [n for n, line in enumerate(io.BytesIO(stream), start=1) if line.strip(b" \t\r\n")]
    loaded = list(iter_ndjson(io.BufferedReader(io.BytesIO(stream)), "p.ndjson", limits=SMALL))
    numbers = [int(item.source.rsplit(":", 1)[1]) for item in loaded]
    long_line = next(
        (n for n, line in enumerate(io.BytesIO(stream), 1) if len(line.rstrip()) > SMALL.max_bytes),
        None,
    )
    assert numbers == [n for n in wanted if long_line is None or n <= long_line]
    for item in loaded:
        assert (item.bundle is None) != (item.error is None)
        if item.error is not None:
            rendered(item.error)
    results = list(
        evaluate_portfolio(
            PACKS["demo@1"], io.BufferedReader(io.BytesIO(stream)), as_of=AS_OF, limits=SMALL
        )
    )
    assert [r.line for r in results] == numbers
    assert [r.error is None for r in results] == [item.error is None for item in loaded]
