"""The City & Hackney pack (chscb@2015): structure, readings, successor documents, pack-test
coverage, and the command line on the Hackney example."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from typing import Any

import pytest

from safeguard_std.cli import main
from safeguard_std.domain.calendar import Period
from safeguard_std.domain.findings import Status
from safeguard_std.domain.pack import DutyHolder, Modality, Pack, PackRef, SubjectType
from safeguard_std.evaluate import compile_pack
from safeguard_std.evidence import bundle_from_data
from safeguard_std.exceptions import PackNotFound
from safeguard_std.packs import PackCatalog, bundled_catalog
from safeguard_std.packs.cases import case_files, load_cases, run_pack_tests
from safeguard_std.rules.attestation import normalise_title
from tests.conftest import AS_OF, EXAMPLES, ROOT

REF = PackRef("chscb", "2015")
FOLDER = ROOT / "standards" / "chscb" / "2015"
EXAMPLE = EXAMPLES / "chscb-hackney-commissioned-service.json"
BASE = json.loads((FOLDER / "tests" / "compliant-service.json").read_text())
FAILING = {Status.NOT_MET.value}

CATALOG = bundled_catalog(entry_points_too=False)
PACK = CATALOG.resolve(REF)
PLAN = compile_pack(PACK)


def _requirements(pack: Pack = PACK) -> list[str]:
    return [r.id for r in pack.active_requirements]


# -- identity and structure -----------------------------------------------------------------------


def test_identity_and_edition_in_force() -> None:
    assert (PACK.id, PACK.edition, PACK.effective_from) == ("chscb", "2015", dt.date(2015, 3, 26))
    assert CATALOG.edition_in_force("chscb", AS_OF) == REF
    assert CATALOG.edition_in_force("chscb", dt.date(2015, 3, 26)) == REF
    with pytest.raises(PackNotFound):
        CATALOG.edition_in_force("chscb", dt.date(2015, 3, 25))


def test_source_says_the_board_is_now_the_partnership() -> None:
    assert PACK.source is not None
    notes = PACK.source.notes or ""
    assert "City & Hackney Safeguarding Children Partnership (CHSCP" in notes
    assert "Working Together to Safeguard Children 2015" in notes
    assert "CHSCP" in PACK.board


def test_every_numbered_item_clause_bullet_and_appendix_area_is_a_requirement() -> None:
    ids = set(_requirements())
    clause = {f"CHSCB-2.{n}" for n in (1, 3, 4, 5, 6, 7, 8, 9, 10)}
    named_documents = {f"CHSCB-2.2{x}" for x in "abcdef"}
    items = {"CHSCB-0.1", "CHSCB-1.1", "CHSCB-1.2", "CHSCB-3.1", "CHSCB-3.2", "CHSCB-4.1"}
    items |= {"CHSCB-4.2", "CHSCB-4.3", "CHSCB-5.1", "CHSCB-5.2", "CHSCB-5.3", "CHSCB-6.1"}
    appendix = {"CHSCB-A1", "CHSCB-A2", "CHSCB-A3", "CHSCB-A7", "CHSCB-A8", "CHSCB-A10"}
    appendix |= {f"CHSCB-A1{x}" for x in "abcde"} | {f"CHSCB-A2{x}" for x in "abcd"}
    appendix |= {f"CHSCB-A5{x}" for x in "abcde"} | {f"CHSCB-A6{x}" for x in "abc"}
    appendix |= {f"CHSCB-A9{x}" for x in "abcd"} | {f"CHSCB-A10{x}" for x in "abcdefghi"}
    appendix |= {"CHSCB-A3a", "CHSCB-A3b", "CHSCB-A4a", "CHSCB-A4b"}
    assert clause | named_documents | items | appendix <= ids
    assert len(ids) == 71


def test_every_requirement_is_cited_quoted_and_read() -> None:
    for req in PACK.active_requirements:
        assert req.citation.strip(), req.id
        assert req.text.strip(), req.id
        assert req.reading, req.id
        assert req.reading.strip(), req.id
        assert req.severity in {"major", "critical"}, req.id


SOURCE = FOLDER / "source.txt"
_ELISION = re.compile(r"\[[^\]]*\]|\.\.\.")


def _plain(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def test_stored_source_is_the_text_the_pack_cites() -> None:
    assert PACK.source is not None
    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == PACK.source.sha256


@pytest.mark.parametrize("requirement", _requirements())
def test_quoted_text_is_verbatim_from_the_source(requirement: str) -> None:
    # "[...]" and "..." mark elisions, "[words]" a reader's insertion: every other run of words
    # must appear in the source as written (bold markers and line breaks aside).
    source = _plain(SOURCE.read_text(encoding="utf-8"))
    fragments = [_plain(f).strip(" ,") for f in _ELISION.split(PACK.requirement(requirement).text)]
    missing = [f for f in fragments if len(f) >= 3 and f not in source]
    assert missing == []


def test_items_bind_the_commissioner_and_appendix_a_the_provider() -> None:
    for req in PACK.active_requirements:
        want = DutyHolder.PROVIDER if req.section.startswith("A") else DutyHolder.COMMISSIONER
        assert req.duty_holder is want, req.id


def test_modalities_follow_the_sentences_own_verbs() -> None:
    musts = {r.id for r in PACK.active_requirements if r.modality is Modality.MUST}
    assert musts == {"CHSCB-0.1", "CHSCB-2.8", "CHSCB-4.3", "CHSCB-A2b"}
    assert PACK.requirement("CHSCB-2.7").modality is Modality.SHOULD
    assert all(r.modality is not Modality.RECOMMENDED for r in PACK.active_requirements)


def test_clause_requirements_read_the_contract_and_appendix_a1_the_policies() -> None:
    for rid in ["CHSCB-2.1", *(f"CHSCB-2.2{x}" for x in "abcdef"), "CHSCB-2.3", "CHSCB-2.8"]:
        req = PACK.requirement(rid)
        assert (req.rule.kind, req.subject) == ("documents_referenced", SubjectType.CONTRACT)
    for rid in (f"CHSCB-A1{x}" for x in "abcde"):
        req = PACK.requirement(rid)
        assert req.rule.kind == "documents_referenced"
        assert "safeguarding" in req.rule.params["in_policies"]


def test_periods_are_parameters_with_documented_defaults() -> None:
    expected = {
        "s11_recent": "P2Y",
        "s11_interval": "P2Y",
        "policy_review_max": "P3Y",
        "training_refresh": "P3Y",
        "dbs_renewal": "P3Y",
        "monitoring_interval": "P6M",
        "thematic_high": "P6M",
        "thematic_medium": "P12M",
        "thematic_low": "P24M",
    }
    for name, value in expected.items():
        param = PACK.parameters[name]
        assert isinstance(param.value, Period), name
        assert str(param.value) == value, name
    for name in ("s11_recent", "s11_interval", "policy_review_max", "dbs_renewal"):
        assert PACK.parameters[name].reading, name


# -- the documents table --------------------------------------------------------------------------


def test_document_table_names_the_successors() -> None:
    docs = PACK.documents
    assert "Working Together to Safeguard Children (2018)" in docs["wt2015"].accepted
    assert "Working Together to Safeguard Children (2023)" in docs["wt2015"].accepted
    assert "London Safeguarding Children Procedures" in docs["lcpp5"].accepted
    assert "CHSCP guidance" in docs["chscb_guidance"].accepted
    assert docs["hackney_cwf"].title == "Hackney Child Wellbeing Framework"
    assert docs["city_threshold"].title == "City of London Threshold of Needs"
    assert docs["dbs_guidance"].title == "Criminal record checks: guidance for employers"
    assert {"ca1989", "ca2004"} <= set(docs)


def test_every_document_is_used_and_no_name_belongs_to_two_documents() -> None:
    used = {d for r in PACK.active_requirements for d in r.rule.params.get("documents", [])}
    assert used == set(PACK.documents)
    owner: dict[str, str] = {}
    for doc in PACK.documents.values():
        for name in doc.names:
            key = normalise_title(name)
            assert owner.setdefault(key, doc.id) == doc.id, (name, owner[key], doc.id)


def _contract_requirement(doc_id: str) -> str:
    (rid,) = [
        r.id
        for r in PACK.active_requirements
        if r.subject is SubjectType.CONTRACT and r.rule.params.get("documents") == [doc_id]
    ]
    return rid


CONTRACT_DOCUMENTS = [
    (doc.id, name)
    for doc in PACK.documents.values()
    for name in doc.names
    if doc.id not in {"chscb_escalation", "hackney_cwf", "city_threshold"}
]


@pytest.mark.parametrize(("doc_id", "name"), CONTRACT_DOCUMENTS)
def test_each_accepted_title_in_the_clause_is_matched_and_named(doc_id: str, name: str) -> None:
    data = copy.deepcopy(BASE)
    data["contract"]["safeguarding_clause"]["references"] = [name.upper()]
    rid = _contract_requirement(doc_id)
    finding = _finding(data, rid)
    assert finding["status"] == "met", finding
    assert finding["message"] == f"references {doc_id} as '{name}'"
    assert finding["facts"]["matched"] == {doc_id: name}


@pytest.mark.parametrize("doc_id", sorted({d for d, _ in CONTRACT_DOCUMENTS}))
def test_a_clause_without_the_document_is_not_met(doc_id: str) -> None:
    data = copy.deepcopy(BASE)
    keep = {normalise_title(n) for n in PACK.documents[doc_id].names}
    refs = data["contract"]["safeguarding_clause"]["references"]
    data["contract"]["safeguarding_clause"]["references"] = [
        r for r in refs if normalise_title(r) not in keep
    ]
    finding = _finding(data, _contract_requirement(doc_id))
    assert (finding["status"], finding["message"]) == (
        "not_met",
        f"does not reference: document {doc_id}",
    )


def _finding(data: dict[str, Any], requirement: str, as_of: dt.date = AS_OF) -> dict[str, Any]:
    from safeguard_std.serialization import assessment_to_json

    assessment = PLAN.evaluate(bundle_from_data(data), as_of=as_of)
    found = [
        f
        for f in json.loads(assessment_to_json(assessment))["findings"]
        if f["requirement"] == requirement
    ]
    assert len(found) == 1, found
    result: dict[str, Any] = found[0]
    return result


# -- pack tests as data ---------------------------------------------------------------------------


def _expectations() -> dict[str, set[str]]:
    seen: dict[str, set[str]] = defaultdict(set)
    for path in case_files(FOLDER / "tests"):
        for case in load_cases(path, REF):
            for want in case.expect:
                seen[want["requirement"]].add(want["status"])
    return seen


def test_every_requirement_has_a_met_and_a_failing_pack_test() -> None:
    seen = _expectations()
    no_met = [r for r in _requirements() if "met" not in seen.get(r, set())]
    no_fail = [r for r in _requirements() if not seen.get(r, set()) & FAILING]
    assert (no_met, no_fail) == ([], [])
    assert set(seen) <= set(_requirements())


def test_the_pack_tests_pass_through_the_library() -> None:
    catalog = PackCatalog(kinds=CATALOG.kinds)
    catalog = catalog.with_folder(FOLDER)
    results = list(run_pack_tests(catalog, REF))
    assert len(results) > 100
    failed = [(r.case.id, r.error, [str(m) for m in r.mismatches]) for r in results if not r.passed]
    assert failed == []


def test_period_boundaries_are_tested_before_on_and_after_the_due_day() -> None:
    due_days: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in case_files(FOLDER / "tests"):
        for case in load_cases(path, REF):
            for want in case.expect:
                if "due_on" in want:
                    delta = (case.as_of - dt.date.fromisoformat(want["due_on"])).days
                    due_days[(want["requirement"], want["due_on"])].add(
                        {-1: "before", 0: "on", 1: "after"}.get(delta, "other")
                    )
    full = {req for (req, _), kinds in due_days.items() if {"before", "on", "after"} <= kinds}
    assert {"CHSCB-1.1", "CHSCB-1.2", "CHSCB-2.4a", "CHSCB-4.2", "CHSCB-5.4", "CHSCB-A5d"} <= full
    on_and_after = {req for (req, _), kinds in due_days.items() if {"on", "after"} <= kinds}
    assert {"CHSCB-2.4b", "CHSCB-6.1"} <= on_and_after


# -- the Hackney example on the command line ------------------------------------------------------


@pytest.fixture(scope="module")
def assessment() -> dict[str, Any]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(
            [
                "evaluate",
                "--no-entry-points",
                "--pack",
                "chscb",
                "--evidence",
                str(EXAMPLE),
                "--as-of",
                "2026-11-23",
            ]
        )
    assert code == 0
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def _by(assessment: dict[str, Any], requirement: str, subject: str | None = None) -> dict[str, Any]:
    (found,) = [
        f
        for f in assessment["findings"]
        if f["requirement"] == requirement and (subject is None or f["subject"]["id"] == subject)
    ]
    return found


def test_cli_reports_both_parties_duties(assessment: dict[str, Any]) -> None:
    assert (assessment["pack"]["id"], assessment["pack"]["edition"]) == ("chscb", "2015")
    holders = {f["duty_holder"] for f in assessment["findings"]}
    assert holders == {"commissioner", "provider"}
    for holder in ("commissioner", "provider"):
        statuses = {f["status"] for f in assessment["findings"] if f["duty_holder"] == holder}
        assert {"met", "not_met"} <= statuses, holder
    for f in assessment["findings"]:
        want = "provider" if f["section"].startswith("A") else "commissioner"
        assert f["duty_holder"] == want, f["id"]
    by_holder = assessment["summary"]["by_duty_holder"]
    assert by_holder["commissioner"]["not_met"] > 0
    assert by_holder["provider"]["not_met"] > 0


def test_cli_findings_on_the_example(assessment: dict[str, Any]) -> None:
    cse = _by(assessment, "CHSCB-2.8")
    assert (cse["status"], cse["modality"], cse["duty_holder"]) == (
        "not_met",
        "must",
        "commissioner",
    )
    wt = _by(assessment, "CHSCB-2.2c")
    assert wt["message"] == "references wt2015 as 'Working Together to Safeguard Children (2018)'"
    lapsed = _by(assessment, "CHSCB-4.2", "p-007")
    assert (lapsed["status"], lapsed["due_on"]) == ("not_met", "2026-09-18")
    renewed = _by(assessment, "CHSCB-4.2", "p-004")
    assert (renewed["status"], renewed["due_on"]) == ("met", "2028-11-10")
    thematic = _by(assessment, "CHSCB-6.1")
    assert (thematic["status"], thematic["facts"]["risk_tier"]) == ("not_met", "medium")
    training = _by(assessment, "CHSCB-A5d", "p-006")
    assert (training["status"], training["duty_holder"]) == ("not_met", "provider")
    assert _by(assessment, "CHSCB-A7")["message"].startswith("attested as partially met")
    assert _by(assessment, "CHSCB-A3b")["status"] == "not_applicable"
    assert not [f for f in assessment["findings"] if f["subject"]["id"] == "p-008"]


def test_cli_output_holds_no_personal_data(assessment: dict[str, Any]) -> None:
    text = json.dumps(assessment)
    data = json.loads(EXAMPLE.read_text())
    for person in data["people"]:
        assert person["full_name"] not in text
        for check in person.get("dbs_checks", []):
            assert check["certificate_number"] not in text


def test_example_is_a_hackney_commissioned_service() -> None:
    data = json.loads(EXAMPLE.read_text())
    assert data["provider"]["local_areas"] == ["hackney"]
    contract = data["contract"]
    for key in ("safeguarding_clause", "metrics", "monitoring_meetings", "section11_audits"):
        assert contract[key], key
    assert contract["thematic_checks"]
    assert contract["risk_tier"] == "medium"
    assert data["policies"]
    assert data["people"]
