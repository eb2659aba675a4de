"""KCSIE layered beneath Dorset: education providers get the edition in force; others nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from safeguard_std import evaluate, load_evidence
from safeguard_std.exceptions import PackError
from safeguard_std.packs import PackCatalog, bundled_catalog, read_layer
from tests.conftest import EXAMPLES, ROOT

D = dt.date
ACADEMY = ROOT / "standards" / "kcsie" / "2024" / "tests" / "evidence" / "academy.yaml"
CHARITY = EXAMPLES / "dorset-youth-charity.json"


@pytest.mark.parametrize(
    ("as_of", "dorset", "kcsie"),
    [
        (D(2023, 1, 1), "2023", "kcsie@2022"),  # Dorset 2023's first day (issue 16)
        (D(2024, 6, 1), "2023", "kcsie@2023"),
        (D(2024, 9, 1), "2024", "kcsie@2023"),  # Dorset 2024's first day, KCSIE 2023's last
        (D(2024, 9, 2), "2024", "kcsie@2024"),
        (D(2025, 8, 31), "2024", "kcsie@2024"),
        (D(2025, 9, 1), "2024", "kcsie@2025"),
        (D(2026, 11, 23), "2024", "kcsie@2025"),
    ],
)
def test_education_provider_gets_the_kcsie_edition_in_force(
    catalog: PackCatalog, as_of: dt.date, dorset: str, kcsie: str | None
) -> None:
    pack = catalog.resolve("dorset", as_of=as_of)
    assert pack.edition == dorset
    findings = evaluate(pack, load_evidence(ACADEMY), as_of=as_of).findings
    origins = {f.origin for f in findings if f.requirement_id.startswith("kcsie:")}
    assert origins == ({kcsie} if kcsie else set())
    if kcsie:
        assert any(f.requirement_id == "kcsie:KCSIE-SCR-IDENTITY" for f in findings)


def test_non_education_provider_findings_are_unchanged(catalog: PackCatalog) -> None:
    as_of = D(2026, 11, 23)
    bundle = load_evidence(CHARITY)
    with_kcsie = evaluate(catalog.resolve("dorset", as_of=as_of), bundle, as_of=as_of)
    without = evaluate(catalog.resolve("dorset", as_of=D(2024, 9, 1)), bundle, as_of=as_of)
    assert not any(f.requirement_id.startswith("kcsie:") for f in with_kcsie.findings)

    def key(f: object) -> object:
        return attrs.evolve(f, parameters={})  # type: ignore[misc]

    assert [key(f) for f in with_kcsie.findings] == [key(f) for f in without.findings]


def test_dorset_sets_kcsie_parameters_for_its_own_reading(catalog: PackCatalog) -> None:
    pack = catalog.resolve("dorset", as_of=D(2026, 11, 23))
    assert pack.parameters["kcsie:scr_require_checked_by"].value is True
    assert pack.parameters["kcsie:references_min"].value == 2
    assert pack.parameters["kcsie:scr_require_checked_by"].origin == "dorset@2023"


def test_optional_include_of_an_unknown_pack_is_still_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "x" / "1"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(
        "schema_version: 1\nid: x\nedition: '1'\ntitle: X\nboard: B\n"
        "effective_from: 2025-01-01\nincludes: [{pack: kcsei, optional: true}]\n"
    )
    cat = bundled_catalog(entry_points_too=False)
    cat = cat.with_layer(read_layer(folder))
    with pytest.raises(PackError, match="cannot include 'kcsei'"):
        cat.resolve("x@1", as_of=D(2025, 6, 1))


def test_review_dates_cover_every_included_edition(catalog: PackCatalog) -> None:
    assert catalog.review_dates("dorset@2024") == (D(2024, 9, 1), D(2024, 9, 2), D(2025, 9, 1))
    assert catalog.review_dates("dorset@2023") == (D(2023, 1, 1), D(2023, 9, 1))
    assert [p.layers for p in catalog.resolutions("dorset@2024")] == [
        ("kcsie@2024", "kcsie@2023", "dorset@2023", "dorset@2024"),
        ("kcsie@2024", "dorset@2023", "dorset@2024"),
        ("kcsie@2024", "kcsie@2025", "dorset@2023", "dorset@2024"),
    ]


def _ids(items: list[object]) -> list[str]:
    return [x if isinstance(x, str) else x["id"] for x in items]  # type: ignore[index]


def test_diff_of_the_dorset_editions_is_exactly_what_dorset_changed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from safeguard_std.cli import main

    assert main(["pack", "diff", "dorset@2023", "dorset@2024", "--format", "json"]) == 0
    reqs = json.loads(capsys.readouterr().out)["requirements"]
    assert _ids(reqs["added"]) == ["DOR-1.1.0", "DOR-1.1.8"]
    assert reqs["withdrawn"] == []
    assert _ids(reqs["changed"]) == [
        "DOR-0.2a",
        "DOR-0.4",
        "DOR-0.5",
        "DOR-1.0",
        "DOR-1.1.1",
        "DOR-1.1.3a",
        "DOR-1.1.3b",
        "DOR-1.1.4",
    ]


def test_diff_of_the_kcsie_editions(capsys: pytest.CaptureFixture[str]) -> None:
    from safeguard_std.cli import main

    assert main(["pack", "diff", "kcsie@2024", "kcsie@2025"]) == 0
    out = capsys.readouterr().out
    assert "kcsie@2024 (2024-09-02 to 2025-08-31) -> kcsie@2025 (from 2025-09-01)" in out
    assert "Check a teacher's record" in out


def test_every_day_a_dorset_edition_is_in_force_has_a_kcsie_edition_in_force(
    catalog: PackCatalog,
) -> None:
    # Issue 16: Dorset 2024 starts on 1 September 2024 and KCSIE 2024 the day after; an education
    # provider judged on a day with no baseline in force got none, silently.
    starts = [str(catalog.layer(r).data["effective_from"]) for r in catalog.editions("dorset")]
    first = min(dt.date.fromisoformat(s) for s in starts)
    day, last = first, D(2027, 12, 31)
    gaps = []
    while day <= last:
        dorset = catalog.edition_in_force("dorset", day)
        kcsie = [r for r in catalog.editions("kcsie") if catalog.in_force(r, day)]
        if len(kcsie) != 1:
            gaps.append((day, str(dorset), [str(r) for r in kcsie]))
        day += dt.timedelta(days=1)
    assert gaps == []
