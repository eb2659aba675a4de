"""A large bundle in bounded memory (issue 21, item 3): what outlives each step of a run."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from benchmarks.generate import BundleGenerator
from hypothesis import given
from hypothesis import strategies as st

from safeguard_std._serialization.canonical import _canonical_lists, _canonical_owned
from safeguard_std.evidence import _fast, bundle_from_data, load_evidence
from safeguard_std.exceptions import EvidenceError
from safeguard_std.reports._format import UNSAFE_TEXT, json_safe
from safeguard_std.serialization import bundle_to_data, canonical_json, digest, evidence_digest

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter: the suite's schema check (conftest) joins every assessment text it
# sees, which is exactly what is measured here.
_MEASURE = """
import json, sys, tracemalloc
from benchmarks.generate import AS_OF, BundleGenerator
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import bundle_from_data
from safeguard_std.packs import load_pack
from safeguard_std.reports import build_report
from safeguard_std.reports.as_json import render_json_chunks, report_to_data, safe_chunks
from safeguard_std.serialization import assessment_json_chunks

def peak(chunks):
    tracemalloc.start()
    try:
        for _chunk in chunks():
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

pack = load_pack("dorset", as_of=AS_OF)
bundle = bundle_from_data(BundleGenerator(seed=3).bundle(people=int(sys.argv[1])))
assessment = evaluate(pack, bundle, as_of=AS_OF)
report = build_report(assessment, pack=pack, bundle=bundle, horizon_days=90)
without = peak(lambda: safe_chunks(assessment_json_chunks(assessment)))
with_report = peak(lambda: render_json_chunks(report))
section = len(json.dumps(report_to_data(report), indent=2))
print(json.dumps({"without": without, "with_report": with_report, "section": section}))
"""


def test_the_report_section_is_written_as_it_is_made() -> None:
    # The report section (issues per person, what is not met, lapses) used to be built whole as
    # data and then as text before the findings were written: for 100,000 people, hundreds of
    # megabytes alive at once. Writing it now holds no more than a few pieces of it.
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, "1500"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = json.loads(out)
    assert sizes["section"] > 500_000  # large enough that holding it whole shows
    added = sizes["with_report"] - sizes["without"]
    assert added < sizes["section"] / 2, sizes


def _person(n: int, **more: object) -> dict[str, object]:
    return {
        "id": f"p-{n}",
        "full_name": f"Person {n}",
        "dbs_checks": [
            {
                "id": f"p-{n}-dbs",
                "level": "enhanced",
                "issued_on": "2024-03-01",
                "seen_on": "2024-03-04",
                "seen_by": "HR officer",
            }
        ],
        **more,
    }


def _bundle(people: list[dict[str, object]], **more: object) -> dict[str, object]:
    return {
        "id": "big",
        "provider": {
            "id": "prov",
            "name": "Big Provider",
            "kind": "voluntary",
            "legal_form": "charity",
        },
        "people": people,
        **more,
    }


def test_records_share_repeated_values(tmp_path: Path) -> None:
    # One date object and one text per value in a load, not one per occurrence: a large
    # bundle repeats the same days and the same "seen by" in every person.
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(_bundle([_person(1), _person(2)])), encoding="utf-8")
    first, second = (p.dbs_checks[0] for p in load_evidence(path).people)
    assert first.issued_on == second.issued_on
    assert first.issued_on is second.issued_on
    assert first.seen_by is second.seen_by


def test_a_json_bundle_loads_as_it_always_did(tmp_path: Path) -> None:
    # Read a person at a time, the bundle is the one the parsed document gives.
    data = _bundle(
        [_person(n) for n in range(5)],
        **{"$schema": "https://example.invalid/evidence.schema.json", "policies": []},
    )
    path = tmp_path / "bundle.json"
    for text in (json.dumps(data), json.dumps(data, indent=3), json.dumps(_bundle([]))):
        path.write_text(text, encoding="utf-8")
        assert load_evidence(path) == bundle_from_data(json.loads(text))


def test_a_bad_person_is_reported_as_before(tmp_path: Path) -> None:
    # Anything the person-at-a-time reading does not accept goes down the full path.
    path = tmp_path / "bundle.json"
    good = json.dumps(_bundle([_person(1), _person(2)]))
    repeated = good.replace('"full_name": "Person 2"', '"full_name": "A", "full_name": "B"')
    bad_date = good.replace('"2024-03-04"', '"2024-13-04"', 1)
    for text, expected in (
        (repeated, "duplicate key 'full_name'"),
        (bad_date, "people[0].dbs_checks[0].seen_on"),
        (good.replace('"p-2"', '"p-1"', 1), "id 'p-1' is used by more than one record"),
    ):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(EvidenceError) as caught:
            load_evidence(path)
        assert expected in str(caught.value)


def test_loading_holds_no_parsed_document() -> None:
    # The people are parsed and made into records one at a time: the data of the whole
    # document (several times the size of its text) never exists beside the records.
    raw = json.dumps(BundleGenerator(seed=5).bundle(people=1500)).encode()
    tracemalloc.start()
    try:
        bundle = load_evidence(raw, name="bundle.json")
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(bundle.people) == 1500
    # Its text, and little more, beside the records.
    assert peak - kept < 2 * len(raw), (peak, kept, len(raw))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["id", "a", "b"]), inner, max_size=3)
    ),
    max_leaves=20,
)


@given(_JSON)
def test_the_digest_sorts_a_person_as_the_general_path_does(data: object) -> None:
    # A person's data is sorted in place for its digest (rebuilding it cost more than hashing
    # it): the result is the general path's, whatever the shape.
    assert _canonical_owned(copy.deepcopy(data)) == _canonical_lists(data)
    assert canonical_json(_canonical_owned(copy.deepcopy(data))) == canonical_json(
        _canonical_lists(data)
    )


def test_a_bundle_digest_is_the_digest_of_its_data() -> None:
    bundle = bundle_from_data(BundleGenerator(seed=9).bundle(people=200))
    assert evidence_digest(bundle) == digest(bundle_to_data(bundle))


@given(
    st.text(alphabet=st.characters(max_codepoint=0x2070))
    | st.text(st.characters(max_codepoint=127))
)
def test_escaping_a_plain_document_is_the_pattern_s_escaping(text: str) -> None:
    # An ASCII document is checked through its bytes, faster; the text is what the pattern gives.
    assert json_safe(text) == UNSAFE_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def test_unsafe_ascii_is_still_escaped() -> None:
    assert json_safe('{"a": "x\x7fy\x1b"}') == '{"a": "x\\u007fy\\u001b"}'


def test_nothing_of_a_load_is_kept_after_it(tmp_path: Path) -> None:
    # The values shared within a load (dates of birth, names among them) go when it is done.
    person = _person(1, date_of_birth="1980-05-17", address="1 Secret Lane")
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(_bundle([person])), encoding="utf-8")
    load_evidence(path)
    bundle_from_data(_bundle([person]))
    assert not _fast._DATES
    assert not _fast._TEXTS
