"""The KCSIE packs as data: citations, per-edition paragraph metadata, tests for every requirement,
and the difference between the 2024 and 2025 editions."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest

from safeguard_std.domain.pack import Modality, Pack
from safeguard_std.packs import PackCatalog, bundled_catalog
from safeguard_std.packs.cases import case_files, load_cases
from safeguard_std.serialization import pack_to_data
from tests.conftest import ROOT

EDITIONS = ("2024", "2025")
PARAGRAPH = re.compile(r"^(¶\d+(-\d+)?(, ¶\d+(-\d+)?)*|Annex [A-F] \(.+\))$")
TOPIC_ID = re.compile(r"^KCSIE-[A-Z0-9]+(-[A-Z0-9]+)*$")


@pytest.fixture(scope="module")
def catalog() -> PackCatalog:
    return bundled_catalog(entry_points_too=False)


@pytest.fixture(scope="module", params=EDITIONS)
def pack(request: pytest.FixtureRequest, catalog: PackCatalog) -> Pack:
    return catalog.resolve(f"kcsie@{request.param}")


def test_editions_and_dates(catalog: PackCatalog) -> None:
    assert [str(r) for r in catalog.editions("kcsie")] == [
        "kcsie@2022",
        "kcsie@2023",
        "kcsie@2024",
        "kcsie@2025",
    ]
    p22, p23 = catalog.resolve("kcsie@2022"), catalog.resolve("kcsie@2023")
    assert (p22.effective_from, p22.effective_to) == (dt.date(2022, 9, 1), dt.date(2023, 8, 31))
    assert (p23.effective_from, p23.effective_to) == (dt.date(2023, 9, 1), dt.date(2024, 9, 1))
    p24, p25 = catalog.resolve("kcsie@2024"), catalog.resolve("kcsie@2025")
    assert (p24.effective_from, p24.effective_to) == (dt.date(2024, 9, 2), dt.date(2025, 8, 31))
    assert (p25.effective_from, p25.effective_to) == (dt.date(2025, 9, 1), None)
    assert (p25.extends, p25.supersedes) == ("kcsie@2024", "kcsie@2024")


@pytest.mark.parametrize(
    ("as_of", "edition"),
    [
        (dt.date(2024, 9, 2), "2024"),
        (dt.date(2025, 8, 31), "2024"),
        (dt.date(2025, 9, 1), "2025"),
        (dt.date(2026, 11, 23), "2025"),
    ],
)
def test_edition_in_force(catalog: PackCatalog, as_of: dt.date, edition: str) -> None:
    assert catalog.resolve("kcsie", as_of=as_of).edition == edition


def test_ids_are_topics_not_paragraph_numbers(pack: Pack) -> None:
    # The only digits allowed name a statute (section 128), never a paragraph that moves.
    bad = [
        r.id
        for r in pack.requirements
        if not TOPIC_ID.match(r.id) or re.search(r"\d", r.id.replace("SECTION-128", ""))
    ]
    assert bad == []


def test_every_requirement_cites_its_place_and_paragraphs_per_edition(pack: Pack) -> None:
    for req in pack.requirements:
        assert req.citation.startswith(("Part ", "Annex ")), req.id
        meta = req.metadata
        assert meta["topic"], req.id
        paragraphs = meta["paragraphs"]
        assert sorted(paragraphs) == list(EDITIONS), req.id
        unconfirmed = set(meta.get("unconfirmed", []))
        for edition, cite in paragraphs.items():
            if cite is None:
                assert edition in unconfirmed, (req.id, edition)
            else:
                assert PARAGRAPH.match(cite), (req.id, cite)
                assert edition not in unconfirmed, (req.id, edition)
        assert meta["notes"], req.id  # every number (or its absence) says where it came from
        assert meta["wording"] in ("quoted", "paraphrase"), req.id


def test_modalities_follow_kcsie(pack: Pack) -> None:
    by_id = {r.id: r.modality for r in pack.requirements}
    # "must" where KCSIE (or the law it restates) says must; "should consider" is advisory.
    assert by_id["KCSIE-SCR-IDENTITY"] is Modality.MUST
    assert by_id["KCSIE-SCR-AGENCY-CONFIRMATION"] is Modality.MUST
    assert by_id["KCSIE-DSL-TRAINING"] is Modality.SHOULD
    assert by_id["KCSIE-VOLUNTEER-DBS-REGULATED"] is Modality.SHOULD
    assert by_id["KCSIE-ONLINE-SEARCH"] is Modality.RECOMMENDED
    scr = [r for r in pack.requirements if r.section == "scr"]
    assert {r.modality for r in scr} == {Modality.MUST}


def test_every_requirement_has_met_and_not_met_cases(catalog: PackCatalog) -> None:
    for edition in EDITIONS:
        ref = catalog.resolve(f"kcsie@{edition}").ref
        seen: dict[str, set[str]] = defaultdict(set)
        for path in case_files(catalog.layer(ref).tests_folder):
            for case in load_cases(path, ref):
                for want in case.expect:
                    seen[want["requirement"]].add(want["status"])
        pack = catalog.resolve(ref)
        missing = {
            r.id: sorted({"met", "not_met"} - seen[r.id])
            for r in pack.requirements
            if not {"met", "not_met"} <= seen[r.id]
        }
        assert missing == {}, edition


def test_edition_choice_is_tested_either_side_of_1_september_2025(catalog: PackCatalog) -> None:
    ref = catalog.resolve("kcsie@2025").ref
    pairs = set()
    for path in case_files(catalog.layer(ref).tests_folder):
        for case in load_cases(path, ref):
            if case.edition is not None:
                pairs.add((case.as_of, case.edition))
    assert {(dt.date(2025, 8, 31), "2024"), (dt.date(2025, 9, 1), "2025")} <= pairs


def test_the_editions_differ_in_data_a_diff_can_show(catalog: PackCatalog) -> None:
    old = pack_to_data(catalog.resolve("kcsie@2024"))
    new = pack_to_data(catalog.resolve("kcsie@2025"))
    assert [r["id"] for r in old["requirements"]] == [r["id"] for r in new["requirements"]]
    changed = {
        a["id"]: sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        for a, b in zip(old["requirements"], new["requirements"], strict=True)
        if a != b
    }
    assert changed == {
        "KCSIE-GOVERNANCE-SECTION-128": ["provenance", "text"],
        "KCSIE-SCR-BARRED-LIST": ["provenance", "text"],
        "KCSIE-SCR-PROHIBITION": ["provenance", "reading", "text"],
        "KCSIE-SCR-SECTION-128": ["provenance", "text"],
    }
    assert "Employer Access online service" in old["requirements"][3]["text"]
    assert "Check a" in new["requirements"][3]["text"]
    # Nothing a rule judges changed: the rules and parameters are the same in both editions.
    assert [r["rule"] for r in old["requirements"]] == [r["rule"] for r in new["requirements"]]
    assert old["parameters"] == new["parameters"]


def test_pack_page_lists_every_requirement_with_its_paragraphs(catalog: PackCatalog) -> None:
    page = (ROOT / "docs" / "packs" / "kcsie.md").read_text()
    for req in catalog.resolve("kcsie@2025").requirements:
        cited = req.metadata["paragraphs"]
        cells = [cited[e] or "not confirmed" for e in EDITIONS]
        (row,) = [line for line in page.splitlines() if line.startswith(f"| `{req.id}` |")]
        assert row.startswith(f"| `{req.id}` | {req.title} |"), req.id
        assert f"| {cells[0]} | {cells[1]} |" in row, req.id
