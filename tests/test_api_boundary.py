"""The Python API fails loudly and helpfully at its public boundary (issue 20, item 2)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import safeguard_std
from safeguard_std import (
    InvalidArgument,
    PackNotFound,
    SafeguardError,
    Status,
    bundled_catalog,
    evaluate,
    load_pack,
)

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def assessment() -> safeguard_std.Assessment:
    pack = load_pack("dorset", as_of=AS_OF)
    bundle = safeguard_std.load_evidence(FIXTURES / "bundle-small.json")
    return evaluate(pack, bundle, as_of=AS_OF)


def test_by_status_accepts_the_status_value_as_a_string(
    assessment: safeguard_std.Assessment,
) -> None:
    found = assessment.by_status("not_met")
    assert found
    assert found == assessment.by_status(Status.NOT_MET)


def test_by_status_refuses_an_unknown_status_naming_the_allowed_ones(
    assessment: safeguard_std.Assessment,
) -> None:
    with pytest.raises(InvalidArgument) as info:
        assessment.by_status("failed")
    assert str(info.value) == (
        "status must be one of 'met', 'not_met', 'not_applicable', 'insufficient_evidence', "
        "'waived', 'error'; got 'failed'"
    )
    assert isinstance(info.value, ValueError)


def test_resolve_refuses_a_string_date_with_the_libraries_own_error() -> None:
    with pytest.raises(InvalidArgument) as info:
        bundled_catalog().resolve("dorset", as_of="2026-11-23")  # type: ignore[arg-type]
    assert str(info.value) == (
        "as_of must be a calendar date (datetime.date), got '2026-11-23' (a str); "
        "write datetime.date.fromisoformat('2026-11-23')"
    )
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, SafeguardError)


def test_evaluate_refuses_a_string_as_of_with_the_libraries_own_error() -> None:
    pack = load_pack("dorset", as_of=AS_OF)
    bundle = safeguard_std.load_evidence(FIXTURES / "bundle-small.json")
    with pytest.raises(InvalidArgument, match=r"as_of must be a calendar date"):
        evaluate(pack, bundle, as_of="2026-11-23")  # type: ignore[arg-type]


def test_evaluate_refuses_a_plain_mapping_and_says_how_to_make_a_bundle() -> None:
    pack = load_pack("dorset", as_of=AS_OF)
    data = json.loads((FIXTURES / "bundle-small.json").read_text())
    with pytest.raises(InvalidArgument) as info:
        evaluate(pack, data, as_of=AS_OF)  # type: ignore[arg-type]
    assert str(info.value) == (
        "evidence must be an EvidenceBundle, got a dict; structure it first with "
        "safeguard_std.bundle_from_data(data) or read a file with safeguard_std.load_evidence(path)"
    )


def test_evaluate_refuses_something_that_is_not_a_pack() -> None:
    bundle = safeguard_std.load_evidence(FIXTURES / "bundle-small.json")
    with pytest.raises(InvalidArgument) as info:
        evaluate("dorset", bundle, as_of=AS_OF)  # type: ignore[arg-type]
    assert str(info.value) == (
        "pack must be a Pack or an EvaluationPlan, got a str; load one with "
        "safeguard_std.load_pack('dorset', as_of=...)"
    )


def test_bundle_from_data_accepts_dates_as_a_database_driver_returns_them() -> None:
    data = json.loads((FIXTURES / "bundle-small.json").read_text())
    data["people"][0]["dbs_checks"][0]["issued_on"] = dt.date(2024, 2, 29)
    data["policies"][0]["approved_on"] = dt.date(2025, 12, 1)
    bundle = safeguard_std.bundle_from_data(data)
    assert bundle.people[0].dbs_checks[0].issued_on == dt.date(2024, 2, 29)
    assert bundle.policies[0].approved_on == dt.date(2025, 12, 1)


def test_load_pack_on_an_edition_folder_finds_the_sibling_edition_it_extends() -> None:
    pack = load_pack(FIXTURES / "packs" / "harbour" / "2024")
    assert (pack.id, pack.edition) == ("harbour", "2024")


def test_load_pack_on_a_pack_folder_picks_the_edition_in_force() -> None:
    folder = FIXTURES / "packs" / "harbour"
    assert load_pack(folder, as_of=dt.date(2023, 6, 1)).edition == "2023"
    assert load_pack(str(folder), as_of=AS_OF).edition == "2024"


def test_load_pack_on_a_pack_folder_without_a_date_says_which_editions_it_holds() -> None:
    with pytest.raises(PackNotFound) as info:
        load_pack(FIXTURES / "packs" / "harbour")
    assert "harbour@2023, harbour@2024" in str(info.value)
    assert "as_of" in str(info.value)


def test_the_names_the_docs_use_are_exported_from_the_top_level() -> None:
    for name in ("bundle_from_data", "to_json", "to_markdown", "to_html", "build_report"):
        assert name in safeguard_std.__all__
        assert callable(getattr(safeguard_std, name))


def test_every_error_class_has_one_home() -> None:
    from safeguard_std import exceptions

    for name in exceptions.__all__:
        obj = getattr(exceptions, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert obj.__module__ == "safeguard_std.exceptions", name
    for module in ("documents", "domain._base", "domain.predicates"):
        mod = __import__(f"safeguard_std.{module}", fromlist=["_"])
        own = [
            n
            for n, o in vars(mod).items()
            if isinstance(o, type) and issubclass(o, Exception) and o.__module__ == mod.__name__
        ]
        assert own == [], module
