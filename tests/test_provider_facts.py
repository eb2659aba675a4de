"""Provider facts that are not recorded are unknown, never "none" (explore-a item 5d).

``regulators``, ``activities`` and ``local_areas`` absent (or null) mean "not recorded": a
requirement conditioned on them asks for evidence. An empty list means "recorded as none". A
website is recorded by ``website_url`` (which implies one) or ``has_website: false``; with
neither, whether the provider has one is unknown.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from safeguard_std import evaluate
from safeguard_std.domain.findings import Finding, Status
from safeguard_std.domain.organisation import Provider
from safeguard_std.evidence import bundle_from_data
from safeguard_std.exceptions import EvidenceError
from safeguard_std.packs import bundled_catalog
from safeguard_std.serialization import bundle_to_data, evidence_digest
from tests.conftest import EXAMPLES, ROOT

AS_OF = dt.date(2026, 11, 23)
CHSCB_AS_OF = dt.date(2026, 11, 23)
CATALOG = bundled_catalog(entry_points_too=False)


def example(name: str, **provider: Any) -> dict[str, Any]:
    """The example bundle ``name`` with provider fields replaced (``None``: removed)."""
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    for key, value in copy.deepcopy(provider).items():
        if value is None:
            data["provider"].pop(key, None)
        else:
            data["provider"][key] = value
    return data


def dorset(**provider: Any) -> dict[str, Any]:
    data = example("dorset-youth-charity.json", **provider)
    data["waivers"] = [w for w in data["waivers"] if w["requirement_id"] != "DOR-5.3"]
    return data


def chscb(**provider: Any) -> dict[str, Any]:
    return example("chscb-hackney-commissioned-service.json", **provider)


def finding(data: dict[str, Any], ref: str, requirement: str) -> Finding:
    pack = CATALOG.resolve(ref, as_of=AS_OF)
    assessment = evaluate(pack, bundle_from_data(data), as_of=AS_OF)
    (found,) = [f for f in assessment.findings if f.requirement_id == requirement]
    return found


# -- the defect, case by case ---------------------------------------------------------------------


def test_no_regulators_recorded_asks_for_them() -> None:
    assert finding(dorset(), "dorset", "DOR-2.3.4").status is Status.MET
    unrecorded = finding(dorset(regulators=None), "dorset", "DOR-2.3.4")
    assert unrecorded.status is Status.MET  # an attestation meets it, whether or not it applies
    # ...and without the attestation, it asks for evidence naming the fact.
    data = dorset(regulators=None)
    data["attestations"] = [a for a in data["attestations"] if a["requirement_id"] != "DOR-2.3.4"]
    asked = finding(data, "dorset", "DOR-2.3.4")
    assert asked.status is Status.INSUFFICIENT_EVIDENCE
    assert "provider.regulators not recorded" in asked.message


def test_regulators_recorded_as_none_rule_the_requirement_out() -> None:
    none = finding(dorset(regulators=[]), "dorset", "DOR-2.3.4")
    assert none.status is Status.NOT_APPLICABLE


def test_no_website_recorded_is_unknown_not_no_website() -> None:
    unrecorded = finding(dorset(website_url=None), "dorset", "DOR-5.3")
    assert unrecorded.status is Status.INSUFFICIENT_EVIDENCE, unrecorded.message
    assert "has_website" in unrecorded.message


def test_a_provider_recorded_without_a_website_is_not_asked_to_publish_on_one() -> None:
    none = finding(dorset(website_url=None, has_website=False), "dorset", "DOR-5.3")
    assert none.status is Status.NOT_APPLICABLE
    assert none.message == "the provider has no website"


def test_a_website_without_its_address_still_asks_for_publication() -> None:
    with_address = finding(dorset(), "dorset", "DOR-5.3")
    assert with_address.status is Status.NOT_MET  # a policy not on the website
    data = dorset(website_url=None, has_website=True)
    assert finding(data, "dorset", "DOR-5.3").outcome == with_address.outcome


@pytest.mark.parametrize("requirement", ["CHSCB-A10d", "CHSCB-A10g", "CHSCB-A10i", "CHSCB-A10h"])
def test_no_activities_recorded_never_rules_an_activity_out(requirement: str) -> None:
    recorded = finding(chscb(), "chscb", requirement)
    unrecorded = finding(chscb(activities=None), "chscb", requirement)
    assert unrecorded.status is not Status.NOT_APPLICABLE
    if recorded.status is Status.MET:
        assert unrecorded.status is Status.MET  # the evidence meets it either way
    else:
        assert unrecorded.status is Status.INSUFFICIENT_EVIDENCE
        assert "provider.activities not recorded" in unrecorded.message


def test_activities_recorded_as_none_rule_them_out() -> None:
    assert finding(chscb(activities=[]), "chscb", "CHSCB-A10h").status is Status.NOT_APPLICABLE


def test_no_local_areas_recorded_asks_which_threshold_document_applies() -> None:
    data = chscb(local_areas=None)
    for requirement in ("CHSCB-A3a", "CHSCB-A3b"):
        assert finding(data, "chscb", requirement).status is not Status.NOT_APPLICABLE
    assert finding(data, "chscb", "CHSCB-A3b").status is Status.INSUFFICIENT_EVIDENCE


# -- the model ------------------------------------------------------------------------------------


def _provider(**fields: Any) -> Provider:
    return Provider(id="prov-1", name="P", kind="youth", legal_form="charity", **fields)


def test_the_three_states_of_a_set_valued_fact() -> None:
    assert _provider().regulators is None
    assert _provider(regulators=[]).regulators == frozenset()
    assert _provider(activities=["a"]).activities == frozenset({"a"})
    assert _provider(local_areas=None).local_areas is None


def test_the_three_states_of_a_website() -> None:
    assert _provider().has_website is None
    assert _provider(website_url="https://x.example").has_website is True
    assert _provider(has_website=False).has_website is False
    assert _provider(has_website=True).has_website is True
    assert _provider(website_url="https://x.example", has_website=None).has_website is True
    assert _provider(website_url="https://x.example", has_website=True) == _provider(
        website_url="https://x.example"
    )


def test_a_website_address_and_no_website_is_refused_where_it_is_said() -> None:
    data = dorset(has_website=False)
    with pytest.raises(EvidenceError) as caught:
        bundle_from_data(data)
    text = str(caught.value)
    assert "provider.has_website" in text
    assert "website_url" in text


def test_absent_stays_absent_and_empty_stays_empty() -> None:
    for provider in (
        {},
        {"regulators": [], "activities": [], "local_areas": []},
        {"has_website": False},
        {"has_website": True},
        {"website_url": "https://x.example"},
    ):
        data = {
            "id": "b-1",
            "provider": {"id": "p-1", "name": "P", "kind": "youth", "legal_form": "charity"}
            | provider,
        }
        assert bundle_to_data(bundle_from_data(data)) == data


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # Computed before the distinction existed: one bundle recording its sets and website,
        # one recording only some, one recording none of them.
        (
            "examples/dorset-youth-charity.json",
            "sha256:c83632bf439ebb1fd285b8119b28fda10ea5862480d3cff102ba04dd00b55a70",
        ),
        (
            "examples/chscb-hackney-commissioned-service.json",
            "sha256:fe514c4f8a6899e5a7d08fdda00a8ddb5b35b92c0f4b647c712edd5a2c8af929",
        ),
        (
            "tests/fixtures/reports/bundles/riverside.json",
            "sha256:1cb68d6cbca08962ad4fdeaca1c60d34ed6a754134bca4a97783004591bfb5bd",
        ),
    ],
)
def test_old_bundles_keep_their_digest(path: str, expected: str) -> None:
    data = json.loads((ROOT / path).read_text())
    assert evidence_digest(bundle_from_data(data)) == expected
