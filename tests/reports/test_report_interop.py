"""Other tools read our exports: OSCAL with compliance-trestle, SARIF against the SARIF 2.1.0
schema, JUnit XML with a JUnit parser (and with the standard library's XML parser)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from report_fixtures import FIXTURES, PROVIDERS, assess

from safeguard_std.domain.findings import Status
from safeguard_std.reports import OSCAL_NS, to_junit, to_oscal, to_sarif

SARIF_SCHEMA = json.loads((FIXTURES / "schemas" / "sarif-schema-2.1.0.json").read_text())
CASES = [(ref, name) for ref in ("demo@1", "monitoring@1") for name in PROVIDERS]


# -- OSCAL ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ref", "name"), CASES)
def test_oscal_loads_with_compliance_trestle(ref: str, name: str) -> None:
    models = pytest.importorskip(
        "trestle.oscal.assessment_results",
        reason="compliance-trestle is not installed (pip install -e '.[interop]')",
    )
    p, b, a = assess(ref, name)
    document = json.loads(to_oscal(a, pack=p, bundle=b))
    model = models.Model.model_validate(document)
    result = model.assessment_results.results[0]
    assert len(result.findings) == len(a.findings)
    assert len(result.observations) == len(a.findings)
    subjects = {str(f.subject) for f in a.findings}
    assert len(result.local_definitions.inventory_items) == len(subjects)


def test_trestle_would_reject_a_broken_document(harbour_demo: tuple) -> None:
    models = pytest.importorskip(
        "trestle.oscal.assessment_results",
        reason="compliance-trestle is not installed (pip install -e '.[interop]')",
    )
    p, b, a = harbour_demo
    document = json.loads(to_oscal(a, pack=p, bundle=b))
    document["assessment-results"]["results"][0]["findings"][0]["target"]["status"]["state"] = (
        "insufficient_evidence"
    )
    with pytest.raises(ValueError, match="state"):
        models.Model.model_validate(document)


def _props(node: dict) -> dict[str, str]:
    return {p["name"]: p["value"] for p in node.get("props", []) if p.get("ns") == OSCAL_NS}


def test_oscal_status_mapping_and_namespaced_status(harbour_demo: tuple) -> None:
    p, b, a = harbour_demo
    result = json.loads(to_oscal(a, pack=p, bundle=b))["assessment-results"]["results"][0]
    seen = {}
    for finding in result["findings"]:
        ours = _props(finding)["status"]
        seen[ours] = finding["target"]["status"]["state"]
    assert seen == {
        "met": "satisfied",
        "not_met": "not-satisfied",
        "not_applicable": "satisfied",
        "insufficient_evidence": "not-satisfied",
        "waived": "not-satisfied",  # it would have been not_met
    }


def test_oscal_uuids_derive_from_finding_ids(harbour_demo: tuple) -> None:
    p, b, a = harbour_demo
    first = json.loads(to_oscal(a, pack=p, bundle=b))
    second = json.loads(to_oscal(a, pack=p))
    uuids = [f["uuid"] for f in first["assessment-results"]["results"][0]["findings"]]
    assert uuids == [f["uuid"] for f in second["assessment-results"]["results"][0]["findings"]]
    assert len(set(uuids)) == len(uuids)
    observation = first["assessment-results"]["results"][0]["observations"][0]
    assert first["assessment-results"]["results"][0]["findings"][0]["related-observations"] == [
        {"observation-uuid": observation["uuid"]}
    ]


# -- SARIF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ref", "name"), CASES)
def test_sarif_validates_against_the_schema(ref: str, name: str) -> None:
    p, b, a = assess(ref, name)
    log = json.loads(to_sarif(a, pack=p, bundle=b, include_personal_data=True))
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA)
    assert [e.message for e in validator.iter_errors(log)] == []


def test_the_schema_check_can_fail(harbour_demo: tuple) -> None:
    p, b, a = harbour_demo
    log = json.loads(to_sarif(a, pack=p, bundle=b))
    log["runs"][0]["results"][0]["kind"] = "insufficient_evidence"
    assert list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(log))


def test_sarif_one_rule_per_requirement(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    run = json.loads(to_sarif(a, pack=p, bundle=b))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in p.active_requirements]
    assert {r["id"]: r["defaultConfiguration"]["level"] for r in rules}["MON-6"] == "note"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    by_id = {r["properties"]["finding_id"]: r for r in run["results"]}
    assert {
        k: (by_id[k]["kind"], by_id[k]["level"])
        for k in (
            "monitoring/MON-5/person:hy-002",
            "monitoring/MON-5/person:hy-003",
            "monitoring/MON-7/person:hy-002",
            "monitoring/MON-5/person:hy-001",
            "monitoring/MON-5/person:hy-004",
        )
    } == {
        "monitoring/MON-5/person:hy-002": ("fail", "error"),
        "monitoring/MON-5/person:hy-003": ("fail", "error"),
        "monitoring/MON-7/person:hy-002": ("fail", "warning"),
        "monitoring/MON-5/person:hy-001": ("pass", "none"),
        "monitoring/MON-5/person:hy-004": ("notApplicable", "none"),
    }
    waived = by_id["monitoring/MON-7/person:hy-004"]
    assert waived["suppressions"][0]["status"] == "accepted"
    assert waived["kind"] == "fail"


def test_sarif_rule_errors_become_notifications(harbour_demo: tuple) -> None:
    import attrs

    p, _b, a = harbour_demo
    broken = attrs.evolve(
        a, findings=(attrs.evolve(a.findings[0], status=Status.ERROR, message="rule failed"),)
    )
    run = json.loads(to_sarif(broken, pack=p))["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert run["results"][0]["kind"] == "open"
    assert jsonschema.Draft4Validator(SARIF_SCHEMA).is_valid({"version": "2.1.0", "runs": [run]})


# -- JUnit ----------------------------------------------------------------------------------------


def _outcomes_etree(text: str) -> dict[str, str]:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    out = {}
    for case in root.iter("testcase"):
        child = next(iter(case), None)
        out[case.get("name", "")] = "passed" if child is None else child.tag
    return out


def test_junit_parses_with_the_standard_library(harbour_demo: tuple) -> None:
    p, b, a = harbour_demo
    text = to_junit(a, pack=p, bundle=b)
    outcomes = _outcomes_etree(text)
    assert len(outcomes) == len(a.findings)
    assert outcomes["DEMO-3 person:hy-002"] == "failure"
    assert outcomes["DEMO-3 person:hy-003"] == "failure"
    assert outcomes["DEMO-3 person:hy-004"] == "skipped"
    assert outcomes["DEMO-5 person:hy-004"] == "skipped"
    assert outcomes["DEMO-1 provider:prov-harbour"] == "passed"
    root = ET.fromstring(text.encode("utf-8"))
    assert root.get("tests") == str(len(a.findings))
    assert root.get("failures") == str(
        sum(f.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE) for f in a.findings)
    )


@pytest.mark.parametrize(("ref", "name"), CASES)
def test_junit_parses_with_junitparser(ref: str, name: str) -> None:
    junitparser = pytest.importorskip(
        "junitparser", reason="junitparser is not installed (pip install -e '.[interop]')"
    )
    p, b, a = assess(ref, name)
    text = to_junit(a, pack=p, bundle=b)
    xml = junitparser.JUnitXml.fromstring(text)
    cases = [case for suite in xml for case in suite]
    assert len(cases) == len(a.findings)
    by_name = {case.name: case for case in cases}
    for f in a.findings:
        case = by_name[f"{f.requirement_id} {f.subject}"]
        kinds = {type(r).__name__ for r in case.result}
        expected = {
            Status.MET: set(),
            Status.NOT_MET: {"Failure"},
            Status.INSUFFICIENT_EVIDENCE: {"Failure"},
            Status.ERROR: {"Error"},
            Status.NOT_APPLICABLE: {"Skipped"},
            Status.WAIVED: {"Skipped"},
        }[f.status]
        assert kinds == expected, f.id
    xml.update_statistics()
    assert xml.tests == len(a.findings)


def test_junit_survives_control_characters(harbour_demo: tuple) -> None:
    import attrs

    p, _, a = harbour_demo
    odd = attrs.evolve(
        a,
        findings=(
            attrs.evolve(a.findings[2], status=Status.NOT_MET, message='bad \x01 <byte> & "x"'),
        ),
    )
    text = to_junit(odd, pack=p)
    root = ET.fromstring(text.encode("utf-8"))
    failure = next(root.iter("failure"))
    assert failure.get("message") == 'bad [U+0001] <byte> & "x"'  # shown, as every format does


def test_an_assessment_without_findings_is_still_valid(harbour_demo: tuple) -> None:
    import attrs

    _, _, a = harbour_demo
    empty = attrs.evolve(a, findings=())
    log = json.loads(to_sarif(empty))
    assert list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(log)) == []
    assert ET.fromstring(to_junit(empty).encode()).get("tests") == "0"
    models = pytest.importorskip(
        "trestle.oscal.assessment_results",
        reason="compliance-trestle is not installed (pip install -e '.[interop]')",
    )
    models.Model.model_validate(json.loads(to_oscal(empty)))
