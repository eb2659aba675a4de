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
    run = json.loads(to_sarif(a, pack=p, bundle=b, include_passing=True))["runs"][0]
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


# -- JUnit for CI servers -------------------------------------------------------------------------

JUNIT_XSD = FIXTURES / "schemas" / "junit-10.xsd"


def _junit_schema() -> object:
    xmlschema = pytest.importorskip(
        "xmlschema", reason="xmlschema is not installed (pip install -e '.[interop]')"
    )
    return xmlschema.XMLSchema(str(JUNIT_XSD))


@pytest.mark.parametrize(("ref", "name"), CASES)
def test_junit_validates_against_the_junit_10_xsd(ref: str, name: str) -> None:
    schema = _junit_schema()
    p, b, a = assess(ref, name)
    text = to_junit(a, pack=p, bundle=b, include_personal_data=True)
    assert [e.reason for e in schema.iter_errors(text)] == []  # type: ignore[attr-defined]


def test_the_xsd_check_can_fail(harbour_demo: tuple) -> None:
    schema = _junit_schema()
    p, b, a = harbour_demo
    root = ET.fromstring(to_junit(a, pack=p, bundle=b).encode())
    root.set("skipped", "3")  # what Jenkins' junit-10 schema refuses on <testsuites>
    assert list(schema.iter_errors(ET.tostring(root, encoding="unicode")))  # type: ignore[attr-defined]


def test_junit_class_names_keep_a_dotted_requirement_id_whole(harbour_demo: tuple) -> None:
    # Jenkins splits a class name at its last dot into package and class: "dorset.DOR-2.3.2"
    # would read as class "2" in package "dorset.DOR-2.3".
    import attrs

    _, _, a = harbour_demo
    dotted = attrs.evolve(
        a, findings=tuple(attrs.evolve(f, requirement_id="DOR-2.3.2") for f in a.findings[:2])
    )
    root = ET.fromstring(to_junit(dotted).encode())
    cases = list(root.iter("testcase"))
    assert {c.get("classname") for c in cases} == {"demo.DOR-2_3_2"}
    package, _, cls = cases[0].get("classname", "").rpartition(".")
    assert (package, cls) == ("demo", "DOR-2_3_2")
    assert cases[0].get("name", "").startswith("DOR-2.3.2 ")  # the real id, for people


def test_junit_has_no_empty_suites(harbour_demo: tuple) -> None:
    import attrs

    p, _b, a = harbour_demo
    one_section = attrs.evolve(a, findings=tuple(f for f in a.findings if f.section == "2"))
    root = ET.fromstring(to_junit(one_section, pack=p).encode())
    suites = list(root.iter("testsuite"))
    assert suites, "the section with findings keeps its suite"
    assert all(int(s.get("tests", "0")) > 0 and list(s.iter("testcase")) for s in suites)
    assert root.get("skipped") is None


# -- OSCAL identities and Markdown ----------------------------------------------------------------

SCHEMAS = FIXTURES / "schemas"


def nist_validator(model: str) -> jsonschema.protocols.Validator:
    """A validator for one of the vendored NIST OSCAL JSON schemas. Their token patterns use
    ``\\p{L}`` and ``\\p{N}``, which Python's ``re`` lacks: letters are ``[^\\W\\d_]`` there."""
    import re

    schema = json.loads((SCHEMAS / f"oscal_{model}_schema.json").read_text())

    def pattern(validator: object, patrn: str, instance: object, schema: object) -> object:
        translated = patrn.replace("\\p{L}", "[^\\W\\d_]").replace("\\p{N}", "\\d")
        if isinstance(instance, str) and not re.search(translated, instance):
            yield jsonschema.ValidationError(f"{instance!r} does not match {patrn!r}")

    cls = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": pattern})
    return cls(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _errors(validator: jsonschema.protocols.Validator, document: object) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in validator.iter_errors(document)
    ]


@pytest.mark.parametrize(("ref", "name"), CASES)
def test_oscal_results_validate_against_the_nist_schema(ref: str, name: str) -> None:
    p, b, a = assess(ref, name)
    document = json.loads(to_oscal(a, pack=p, bundle=b, include_personal_data=True))
    assert _errors(nist_validator("assessment-results"), document) == []


def test_the_nist_schema_check_can_fail(harbour_demo: tuple) -> None:
    p, b, a = harbour_demo
    document = json.loads(to_oscal(a, pack=p, bundle=b))
    document["assessment-results"]["results"][0]["findings"][0]["uuid"] = "not-a-uuid"
    assert _errors(nist_validator("assessment-results"), document)


def _finding_uuids(text: str) -> dict[str, str]:
    result = json.loads(text)["assessment-results"]["results"][0]
    return {_props(f)["finding-id"]: f["uuid"] for f in result["findings"]}


def test_two_providers_share_no_finding_or_observation_uuid(harbour_demo: tuple) -> None:
    # Two providers' imports hold people with the same ids (p-S101 in each spreadsheet).
    import attrs

    from safeguard_std.evaluate import evaluate

    p, b, a = harbour_demo
    other = attrs.evolve(
        b, id="bundle-other-2026", provider=attrs.evolve(b.provider, id="prov-other")
    )
    second = evaluate(p, other, as_of=a.as_of)
    uuids = []
    for x, bundle in ((a, b), (second, other)):
        result = json.loads(to_oscal(x, pack=p, bundle=bundle))["assessment-results"]["results"][0]
        uuids.append(
            {f["uuid"] for f in result["findings"]} | {o["uuid"] for o in result["observations"]}
        )
    assert len(uuids[0]) == 2 * len(a.findings)
    assert not uuids[0] & uuids[1]


def test_uuids_stay_the_same_from_one_month_to_the_next(harbour_demo: tuple) -> None:
    import datetime as dt

    import attrs

    p, _b, a = harbour_demo
    later = attrs.evolve(
        a,
        bundle_id="bundle-harbour-2026-12",
        as_of=a.as_of + dt.timedelta(days=31),
        evidence_digest="sha256:" + "0" * 64,
    )
    now, then = (json.loads(to_oscal(x, pack=p)) for x in (a, later))
    first, second = (d["assessment-results"]["results"][0] for d in (now, then))
    assert [f["uuid"] for f in first["findings"]] == [f["uuid"] for f in second["findings"]]
    assert [o["uuid"] for o in first["observations"]] == [o["uuid"] for o in second["observations"]]
    people = [
        [i["uuid"] for i in r["local-definitions"]["inventory-items"]] for r in (first, second)
    ]
    assert people[0] == people[1]
    assert now["assessment-results"]["uuid"] != then["assessment-results"]["uuid"]


def _markdown_fields(node: object, path: str = "") -> list[tuple[str, str]]:
    """Every OSCAL markup-line/markup-multiline value in a document (titles, descriptions,
    remarks, prose)."""
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "description", "remarks", "prose") and isinstance(value, str):
                out.append((f"{path}/{key}", value))
            else:
                out += _markdown_fields(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _markdown_fields(value, f"{path}/{i}")
    return out


@pytest.mark.parametrize(
    "hostile", ["[l](javascript:alert(1))", "[pay here](https://evil.example/)", "<img src=x>"]
)
def test_oscal_markdown_fields_are_escaped(harbour_demo: tuple, hostile: str) -> None:
    markdown_it = pytest.importorskip(
        "markdown_it", reason="markdown-it-py is not installed (pip install -e '.[interop]')"
    )
    import attrs

    from safeguard_std.evaluate import evaluate

    p, b, a = harbour_demo
    renamed = attrs.evolve(b, provider=attrs.evolve(b.provider, name=hostile))
    document = json.loads(to_oscal(evaluate(p, renamed, as_of=a.as_of), pack=p, bundle=renamed))
    md = markdown_it.MarkdownIt("commonmark")
    fields = _markdown_fields(document)
    shown = [
        (where, text)
        for where, text in fields
        if "javascript" in text or "evil" in text or "img" in text
    ]
    assert shown, "the provider's name appears somewhere"
    for where, text in fields:
        html = md.render(text)
        assert "<a " not in html, (where, text, html)
        assert "<img" not in html, (where, text, html)
    title = document["assessment-results"]["results"][0]["title"]
    plain = md.render(title)
    assert hostile.replace("<", "&lt;").replace(">", "&gt;") in plain, plain


@pytest.mark.parametrize(
    "text",
    [
        "1. first",
        "2) second",
        "# heading",
        "- item",
        "+ item",
        "> quote",
        "=== underline",
        "*bold* _it_ `code`",
        "a & b &amp; <b>x</b>",
        "[ref]: https://evil.example/",
        "![i](https://evil.example/i.png)",
        "| a | b |",
        "back\\slash",
        "line one\n\n    indented code\n> quote",
    ],
)
def test_markdown_escape_keeps_text_as_text(text: str) -> None:
    markdown_it = pytest.importorskip(
        "markdown_it", reason="markdown-it-py is not installed (pip install -e '.[interop]')"
    )
    from safeguard_std.reports.oscal import markdown_escape

    tokens = markdown_it.MarkdownIt("commonmark").parse(markdown_escape(text))
    kinds = {t.type for t in tokens}
    assert kinds <= {"paragraph_open", "inline", "paragraph_close"}, kinds
    shown = " ".join(
        child.content
        for t in tokens
        if t.type == "inline"
        for child in t.children or []
        if child.type == "text"
    )
    words = [w for w in text.replace("\n", " ").split(" ") if w]
    assert shown.split() == [w.strip() for w in words]
