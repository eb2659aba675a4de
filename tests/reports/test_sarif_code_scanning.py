"""SARIF that GitHub code scanning accepts and keeps.

Each constraint GitHub documents for uploaded SARIF is a check in :func:`code_scanning_problems`:

* "SARIF support for code scanning"
  (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
  ``version`` 2.1.0 and ``runs``; a run's ``tool.driver.name`` and ``results``; a rule's ``id``;
  a result's ``ruleId`` and ``message.text``; at least one location, each a
  ``physicalLocation`` with ``artifactLocation.uri`` (a path relative to the repository root, or
  a ``file`` URI) and ``region.startLine``; ``partialFingerprints`` (without them an upload
  through the API gives duplicate alerts); one run per category (``automationDetails.id``).
* "SARIF results exceed one or more limits"
  (https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit):
  at most 20 runs a file, 25,000 results and 25,000 rules a run, 100 tool extensions, 1,000
  locations a result, 20 tags a rule (10 shown).
* "SARIF file is too large": at most 10 MB gzip-compressed.

Code scanning also ignores ``kind``: every result is an alert, so a passing finding would be
an open alert; only what needs action is written by default.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from report_fixtures import BUNDLES, CATALOG, FIXTURES, PROVIDERS, ROOT, assess

from safeguard_std.cli import main
from safeguard_std.domain.findings import Status
from safeguard_std.evidence.locations import export_locations, provenance_regions, record_regions
from safeguard_std.reports import to_sarif

SARIF_SCHEMA = json.loads((FIXTURES / "schemas" / "sarif-schema-2.1.0.json").read_text())
CASES = [(ref, name) for ref in ("demo@1", "monitoring@1") for name in PROVIDERS]
FAILING = {"not_met", "insufficient_evidence", "error", "waived"}


def code_scanning_problems(log: dict[str, Any]) -> list[str]:
    """What GitHub code scanning would refuse, drop or mis-track in a SARIF log."""
    problems: list[str] = []
    if log.get("version") != "2.1.0":
        problems.append("version must be 2.1.0")
    runs = log.get("runs")
    if not isinstance(runs, list):
        return [*problems, "runs is required"]
    if len(runs) > 20:
        problems.append(f"{len(runs)} runs: at most 20")
    categories = [
        (r.get("tool", {}).get("driver", {}).get("name"), r.get("automationDetails", {}).get("id"))
        for r in runs
    ]
    if len(set(categories)) != len(categories):
        problems.append("two runs share a tool and category")
    for n, run in enumerate(runs):
        where = f"runs[{n}]"
        driver = run.get("tool", {}).get("driver", {})
        if not driver.get("name"):
            problems.append(f"{where}: tool.driver.name is required")
        if len(run.get("tool", {}).get("extensions", [])) > 100:
            problems.append(f"{where}: more than 100 tool extensions")
        rules = driver.get("rules", [])
        if len(rules) > 25_000:
            problems.append(f"{where}: {len(rules)} rules: at most 25,000")
        for rule in rules:
            if not rule.get("id"):
                problems.append(f"{where}: a rule has no id")
            tags = rule.get("properties", {}).get("tags", [])
            if len(tags) > 10:
                problems.append(f"{where}: rule {rule.get('id')} has {len(tags)} tags: 10 shown")
        results = run.get("results")
        if not isinstance(results, list):
            problems.append(f"{where}: results is required")
            continue
        if len(results) > 25_000:
            problems.append(f"{where}: {len(results)} results: at most 25,000")
        ids = {r.get("id") for r in rules}
        for i, result in enumerate(results):
            at = f"{where}.results[{i}]"
            if not result.get("ruleId") or result["ruleId"] not in ids:
                problems.append(f"{at}: ruleId names no rule")
            if not result.get("message", {}).get("text"):
                problems.append(f"{at}: message.text is required")
            if not result.get("partialFingerprints"):
                problems.append(f"{at}: no partialFingerprints")
            locations = result.get("locations") or []
            if not 1 <= len(locations) <= 1000:
                problems.append(f"{at}: {len(locations)} locations: 1 to 1,000")
            for j, location in enumerate(locations + result.get("relatedLocations", [])):
                physical = location.get("physicalLocation")
                if not physical:
                    problems.append(f"{at}.locations[{j}]: no physicalLocation")
                    continue
                uri = physical.get("artifactLocation", {}).get("uri", "")
                if not uri or (
                    re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", uri) and not uri.startswith("file:")
                ):
                    problems.append(f"{at}.locations[{j}]: {uri!r} is not a file path")
                if uri.startswith("/") or "\\" in uri:
                    problems.append(f"{at}.locations[{j}]: {uri!r} is not a relative URI")
                line = physical.get("region", {}).get("startLine")
                if not isinstance(line, int) or line < 1:
                    problems.append(f"{at}.locations[{j}]: region.startLine is required")
    if len(gzip.compress(json.dumps(log).encode())) > 10 * 1024 * 1024:
        problems.append("larger than 10 MB gzip-compressed")
    return problems


def _sarif(ref: str, name: str, **kw: Any) -> dict[str, Any]:
    p, b, a = assess(ref, name)
    places = export_locations(pack=p, catalog=CATALOG, evidence=BUNDLES / f"{name}.json")
    return json.loads(to_sarif(a, pack=p, bundle=b, locations=places, **kw))


@pytest.mark.parametrize(("ref", "name"), CASES)
@pytest.mark.parametrize("passing", [False, True])
def test_code_scanning_accepts_the_log(ref: str, name: str, passing: bool) -> None:
    log = _sarif(ref, name, include_passing=passing)
    assert code_scanning_problems(log) == []
    assert list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(log)) == []


def test_without_locations_every_result_still_has_a_physical_location(
    harbour_demo: tuple,
) -> None:
    _p, _b, a = harbour_demo
    log = json.loads(to_sarif(a))
    assert code_scanning_problems(log) == []
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "standards/demo/1/pack.yaml",
        "uriBaseId": "SAFEGUARD_STD_PACKS",
    }


def test_the_code_scanning_check_can_fail(harbour_demo: tuple) -> None:
    p, b, a = harbour_demo
    log = json.loads(to_sarif(a, pack=p, bundle=b))
    result = log["runs"][0]["results"][0]
    result["locations"] = [{"logicalLocations": result["locations"][0]["logicalLocations"]}]
    del result["partialFingerprints"]
    log["runs"].append(log["runs"][0])
    assert code_scanning_problems(log) == [
        "two runs share a tool and category",
        "runs[0].results[0]: no partialFingerprints",
        "runs[0].results[0].locations[0]: no physicalLocation",
        "runs[1].results[0]: no partialFingerprints",
        "runs[1].results[0].locations[0]: no physicalLocation",
    ]


def test_only_what_needs_action_by_default(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    default = json.loads(to_sarif(a, pack=p, bundle=b))["runs"][0]
    every = json.loads(to_sarif(a, pack=p, bundle=b, include_passing=True))["runs"][0]
    statuses = {r["properties"]["status"] for r in default["results"]}
    assert statuses <= FAILING
    assert statuses & {"not_met", "insufficient_evidence"}
    assert len(default["results"]) == sum(f.status.value in FAILING for f in a.findings)
    assert default["properties"]["findings_not_shown"] == len(a.findings) - len(default["results"])
    assert len(every["results"]) == len(a.findings)
    assert {r["properties"]["status"] for r in every["results"]} >= {"met", "not_applicable"}
    waived = [r for r in default["results"] if r["properties"]["status"] == "waived"]
    assert waived, "a waiver is written, suppressed, so code scanning closes its alert"
    assert all(r["suppressions"][0]["status"] == "accepted" for r in waived)


def test_errors_are_never_left_out(harbour_demo: tuple) -> None:
    p, _b, a = harbour_demo
    broken = attrs.evolve(
        a, findings=(attrs.evolve(a.findings[0], status=Status.ERROR, message="rule failed"),)
    )
    results = json.loads(to_sarif(broken, pack=p))["runs"][0]["results"]
    assert [r["properties"]["status"] for r in results] == ["error"]


def _next_month(a: Any) -> Any:
    return attrs.evolve(
        a,
        as_of=a.as_of + dt.timedelta(days=30),
        bundle_id=a.bundle_id + "-december",
        evidence_digest="sha256:" + "1" * 64,
    )


def test_automation_id_and_fingerprints_stay_from_month_to_month(harbour_demo: tuple) -> None:
    p, _b, a = harbour_demo
    now, later = (json.loads(to_sarif(x, pack=p))["runs"][0] for x in (a, _next_month(a)))
    assert now["automationDetails"]["id"] == later["automationDetails"]["id"]
    assert now["automationDetails"]["id"] == "safeguard-std/demo/prov-harbour/"
    assert not re.search(r"\d{4}-\d{2}", now["automationDetails"]["id"])
    assert [r["partialFingerprints"] for r in now["results"]] == [
        r["partialFingerprints"] for r in later["results"]
    ]
    prints = [r["partialFingerprints"]["primaryLocationLineHash"] for r in now["results"]]
    assert len(set(prints)) == len(prints)


def test_fingerprints_do_not_follow_the_line(harbour_demo: tuple, tmp_path: Path) -> None:
    # Next month's bundle has a new person first: every record moves down, the alerts stay.
    p, _b, a = harbour_demo
    text = (BUNDLES / "harbour.json").read_text()
    moved = tmp_path / "harbour.json"
    moved.write_text(text.replace('"people": [', '"people": [\n\n\n', 1))
    before = json.loads(
        to_sarif(a, pack=p, locations=export_locations(evidence=BUNDLES / "harbour.json"))
    )
    after = json.loads(to_sarif(a, pack=p, locations=export_locations(evidence=moved)))
    lines = [
        [
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in log["runs"][0]["results"]
        ]
        for log in (before, after)
    ]
    assert lines[0] != lines[1]
    assert [r["partialFingerprints"] for r in before["runs"][0]["results"]] == [
        r["partialFingerprints"] for r in after["runs"][0]["results"]
    ]


def test_two_providers_never_share_a_category_or_fingerprint() -> None:
    runs = [_sarif("demo@1", name)["runs"][0] for name in PROVIDERS]
    assert len({r["automationDetails"]["id"] for r in runs}) == len(PROVIDERS)
    prints = [
        r["partialFingerprints"]["primaryLocationLineHash"] for run in runs for r in run["results"]
    ]
    assert len(set(prints)) == len(prints)


def _spanned(path: Path, region: dict[str, int]) -> str:
    """The text a SARIF region spans in a file."""
    offsets = [0]
    for line in path.read_text().split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    start = offsets[region["startLine"] - 1] + region["startColumn"] - 1
    end = offsets[region["endLine"] - 1] + region["endColumn"] - 1
    return path.read_text()[start:end]


def test_a_person_result_points_at_the_persons_record() -> None:
    log = _sarif("demo@1", "harbour")
    results = [
        r
        for r in log["runs"][0]["results"]
        if r["properties"]["finding_id"].endswith("person:hy-002")
    ]
    assert results
    for result in results:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"] == {
            "uri": "tests/fixtures/reports/bundles/harbour.json"
        }
        record = json.loads(_spanned(BUNDLES / "harbour.json", physical["region"]))
        # the evidence the finding rests on (a check of hy-002's), else hy-002's own record
        assert record["id"] == (result["properties"].get("evidence") or ["hy-002"])[0]


@pytest.mark.parametrize("name", PROVIDERS)
def test_record_regions_span_each_record_exactly(name: str) -> None:
    path = BUNDLES / f"{name}.json"
    regions = record_regions(path)
    assert len(regions) > 5
    for ident, region in regions.items():
        spanned = _spanned(
            path,
            {
                "startLine": region.start_line,
                "startColumn": region.start_column or 1,
                "endLine": region.end_line or region.start_line,
                "endColumn": region.end_column or 1,
            },
        )
        assert json.loads(spanned)["id"] == ident


def test_record_regions_of_a_yaml_bundle(tmp_path: Path) -> None:
    path = tmp_path / "bundle.yaml"
    path.write_text("id: b\nprovider:\n  id: prov-x\n  name: X\npeople:\n  - id: p-1\n")
    regions = record_regions(path)
    # where each record starts: the "provider:" key, the "- id: p-1" item
    assert (regions["prov-x"].start_line, regions["p-1"].start_line) == (2, 6)


def test_a_finding_without_a_record_points_at_the_requirement() -> None:
    p, _b, a = assess("demo@1", "harbour")
    places = export_locations(pack=p, catalog=CATALOG, evidence=BUNDLES / "harbour.json")
    nobody = next(f for f in a.findings if f.subject.id is not None)
    orphan = attrs.evolve(
        nobody,
        subject=attrs.evolve(nobody.subject, id=None),
        evidence=(),
        status=Status.INSUFFICIENT_EVIDENCE,
    )
    log = json.loads(to_sarif(attrs.evolve(a, findings=(orphan,)), pack=p, locations=places))
    physical = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "tests/fixtures/packs/demo/1/pack.yaml"
    pack_lines = (ROOT / "tests/fixtures/packs/demo/1/pack.yaml").read_text().split("\n")
    assert f"id: {nobody.requirement_id}" in pack_lines[physical["region"]["startLine"] - 1]


def test_cli_writes_located_sarif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out.sarif"
    args = [
        "evaluate",
        "--pack", "tests/fixtures/packs/demo/1",
        "--evidence", "tests/fixtures/reports/bundles/harbour.json",
        "--as-of", "2026-11-23",
        "--format", "sarif",
        "--output", str(out),
    ]  # fmt: skip
    assert main(args) == 0
    log = json.loads(out.read_text())
    assert code_scanning_problems(log) == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"tests/fixtures/reports/bundles/harbour.json"}
    assert main([*args, "--include-passing"]) == 0
    every = json.loads(out.read_text())
    assert len(every["runs"][0]["results"]) > len(log["runs"][0]["results"])


def _import(tmp: Path) -> list[str]:
    import shutil

    shutil.copy(FIXTURES / "scr" / "scr.csv", tmp / "scr.csv")
    shutil.copy(FIXTURES / "scr" / "provider.yaml", tmp / "provider.yaml")
    args = ["evidence", "import-scr", "scr.csv", "--provider", "provider.yaml"]
    assert main([*args, "--as-of", "2026-11-23", "--output", "bundle.json", "--quiet"]) in (0, 1)
    return ["evaluate", "--pack", "dorset", "--evidence", "bundle.json", "--as-of", "2026-11-23"]


def test_an_imported_person_points_at_the_spreadsheet_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    evaluate = _import(tmp_path)
    assert main([*evaluate, "--format", "sarif", "--output", "out.sarif"]) == 0
    log = json.loads((tmp_path / "out.sarif").read_text())
    assert code_scanning_problems(log) == []
    rows = (tmp_path / "scr.csv").read_text(encoding="utf-8-sig").split("\n")
    people = [r for r in log["runs"][0]["results"] if "/person:p-" in r["properties"]["finding_id"]]
    assert people
    for result in people:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": "scr.csv"}
        line = physical["region"]["startLine"]
        staff = result["properties"]["finding_id"].rsplit("/person:p-", 1)[1]
        # p-<staff number>, or p-r<row> for a row whose staff number is missing or reused
        if re.fullmatch(r"r\d+", staff):
            assert line == int(staff[1:])
        else:
            assert rows[line - 1].startswith(f"{staff},"), (line, staff)
        assert re.match(
            rf"[A-Z]+{line}(:[A-Z]+{line})? \(row {line}\)$", physical["region"]["message"]["text"]
        )
        related = result["relatedLocations"][0]["physicalLocation"]
        assert related["artifactLocation"] == {"uri": "bundle.json"}


def test_provenance_of_other_evidence_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    evaluate = _import(tmp_path)
    data = json.loads((tmp_path / "bundle.provenance.json").read_text())
    data["evidence_digest"] = "sha256:" + "0" * 64
    (tmp_path / "other.provenance.json").write_text(json.dumps(data))
    capsys.readouterr()
    args = [*evaluate, "--format", "sarif", "--provenance", "other.provenance.json"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "error: invalid evidence: this provenance file belongs to other evidence (evidence_digest "
        "'sha256:0000000000000000000000000000000000000000000000000000000000000000', the "
        "assessment's is 'sha256:"
    )
    assert "other.provenance.json $.evidence_digest" in err


def test_result_guids_are_unique_across_providers_and_months(harbour_demo: tuple) -> None:
    import attrs as _attrs

    from safeguard_std.evaluate import evaluate

    p, b, a = harbour_demo
    other = _attrs.evolve(b, id="bundle-other", provider=_attrs.evolve(b.provider, id="prov-o"))
    logs = [to_sarif(x, pack=p) for x in (a, _next_month(a), evaluate(p, other, as_of=a.as_of))]
    guids = [r["guid"] for log in logs for r in json.loads(log)["runs"][0]["results"]]
    assert len(set(guids)) == len(guids)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "error: invalid evidence: cannot read provenance file: No such file or directory"),
        ("{", "error: invalid evidence: not a provenance file (not JSON)"),
        (
            '{"records": {}}',
            "error: invalid evidence: not a provenance file written by evidence import",
        ),
    ],
)
def test_a_bad_provenance_file_is_a_located_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    message: str,
) -> None:
    monkeypatch.chdir(ROOT)
    given = tmp_path / "p.provenance.json"
    if content is not None:
        given.write_text(content)
    args = [
        "evaluate",
        "--pack", "tests/fixtures/packs/demo/1",
        "--evidence", "tests/fixtures/reports/bundles/harbour.json",
        "--as-of", "2026-11-23",
        "--format", "sarif",
        "--provenance", str(given),
    ]  # fmt: skip
    assert main(args) == 2
    assert capsys.readouterr().err == f"{message} @ {given} $\n"


def test_a_provenance_source_that_is_not_a_mapping_names_no_spreadsheet(tmp_path: Path) -> None:
    # a hand-edited "source": "staff.xlsx" once crashed with AttributeError
    given = tmp_path / "p.provenance.json"
    given.write_text(
        json.dumps(
            {
                "provenance_format": 1,
                "source": "staff.xlsx",
                "records": {"hy-001": {"name": [{"cell": "Staff!B4"}, {"cell": "Staff!D4"}]}},
            }
        )
    )
    assert provenance_regions(given) == {}
    rows = provenance_regions(given, spreadsheet=tmp_path / "staff.xlsx")
    assert [(k, r.start_line, r.label) for k, r in rows.items()] == [
        ("hy-001", 4, "Staff!B4:D4 (row 4 of sheet 'Staff')")
    ]
