"""Every pack test case (bundled packs and fixture packs) runs as its own pytest test."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard_std.domain.pack import PackRef
from safeguard_std.packs import PackCatalog, bundled_catalog
from safeguard_std.packs.cases import PackCase, case_files, load_cases, run_case

FIXTURES = Path(__file__).parent / "fixtures" / "packs"


def _catalog() -> PackCatalog:
    cat = bundled_catalog(entry_points_too=False)
    cat = cat.with_folder(FIXTURES)
    return cat


CATALOG = _catalog()


def _cases() -> list[PackCase]:
    cases = []
    for ref in CATALOG.refs:
        for path in case_files(CATALOG.layer(ref).tests_folder):
            cases.extend(load_cases(path, ref))
    return cases


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.pack}:{c.id}" for c in CASES])
def test_pack_case(case: PackCase) -> None:
    result = run_case(case, CATALOG.resolve(case.pack, as_of=case.as_of))
    assert result.error is None, result.error
    assert not result.mismatches, "\n".join(str(m) for m in result.mismatches)


def test_every_pack_edition_has_tests() -> None:
    untested = [str(r) for r in CATALOG.refs if not case_files(CATALOG.layer(r).tests_folder)]
    assert untested == []


def test_pack_ref_of_fixture() -> None:
    assert PackRef("demo", "1") in CATALOG.refs
