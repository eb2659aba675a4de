"""``pack validate``: one deliberately broken pack per error class, each message exact.

Each fixture under ``tests/fixtures/broken-packs/`` is a copy of the demo pack (and, for layering
errors, a second edition over it) with one defect. The expected lines are what a council officer
reads: file, line and column, the message with what was found and expected, a did-you-mean hint
where one helps, and the JSON pointer.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from safeguard_std.authoring import problem_line, validate_pack
from safeguard_std.cli import main
from safeguard_std.domain.pack import SubjectType
from safeguard_std.exceptions import PackError
from safeguard_std.packs import PackCatalog, _facts_for, bundled_catalog
from tests.conftest import FIXTURES

# The facts a person requirement may name, as the unknown-fact message lists them.
PERSON_FACTS = "one of " + ", ".join(_facts_for(SubjectType.PERSON))

BROKEN = FIXTURES / "broken-packs"

# fmt: off
EXPECTED: list[tuple[str, list[str]]] = [
    ("bad-date", [
        "bad-date/demo/1/pack.yaml:7:1: not a calendar date: expected a date YYYY-MM-DD, got '2020-02-30' [/effective_from]",
    ]),
    ("bad-duration-in-parameter", [
        "bad-duration-in-parameter/demo/1/pack.yaml:13:5: requirement DEMO-4: rule kind 'check_current' parameter 'period' (from parameter 'dbs_renewal') is not a duration: expected an ISO 8601 duration such as P3Y, P12M, P2W or P90D, got '3 years' [/parameters/dbs_renewal/value]",
    ]),
    ("bad-duration-in-set-parameters/demo/2", [
        "bad-duration-in-set-parameters/demo/2/pack.yaml:11:3: requirement DEMO-4: rule kind 'check_current' parameter 'period' (from parameter 'dbs_renewal') is not a duration: expected an ISO 8601 duration such as P3Y, P12M, P2W or P90D, got '2 years' [/set_parameters/dbs_renewal]",
    ]),
    ("bad-duration", [
        "bad-duration/demo/1/pack.yaml:35:60: requirement DEMO-2: rule kind 'policy_current' parameter 'review_period' is not a duration: expected an ISO 8601 duration such as P3Y, P12M, P2W or P90D, got '1 year' [/requirements/1/rule/review_period]",
    ]),
    ("bad-modality", [
        "bad-modality/demo/1/pack.yaml:61:5: value not allowed: expected one of 'must', 'should', 'recommended', got 'shoud' (did you mean 'should'?) [/requirements/4/modality]",
    ]),
    ("bad-rule-parameter-value", [
        "bad-rule-parameter-value/demo/1/pack.yaml:45:45: requirement DEMO-3: rule kind 'check_present' parameter 'level': value not allowed: expected one of 'basic', 'standard', 'enhanced', got 'enhancd' (did you mean 'enhanced'?) [/requirements/2/rule/level]",
    ]),
    ("duplicate-id", [
        "duplicate-id/demo/1/pack.yaml:56:5: requirement id 'DEMO-4' is already defined at $.requirements[3].id (line 46) [/requirements/4/id]",
    ]),
    ("duplicate-key", [
        "duplicate-key/demo/1/pack.yaml:7:1: duplicate key 'board' [/board]",
    ]),
    ("fact-not-for-subject", [
        "fact-not-for-subject/demo/1/pack.yaml:26:20: requirement DEMO-1: fact 'person.supervised' is only defined for ['person'] subjects, not 'provider' [/requirements/0/applies_when/field]",
    ]),
    ("fact-value-not-allowed", [
        "fact-value-not-allowed/demo/1/pack.yaml:44:54: requirement DEMO-3: 'ja' is not a value of person.regulated_activity: expected one of yes, no, unknown [/requirements/2/applies_when/eq]",
    ]),
    ("kind-judges-other-subject", [
        "kind-judges-other-subject/demo/1/pack.yaml:34:5: requirement DEMO-2: rule kind 'policy_current' judges ['policy', 'provider'], not 'person' [/requirements/1/subject]",
    ]),
    ("missing-rule-parameter", [
        "missing-rule-parameter/demo/1/pack.yaml:26:5: requirement DEMO-1: rule kind 'role_held' needs parameter 'roles' [/requirements/0/rule]",
    ]),
    ("misspelt-key", [
        "misspelt-key/demo/1/pack.yaml:27:5: required key 'citation' is missing (is 'citaton' "
        "meant to be 'citation'?) [/requirements/1]",
        "misspelt-key/demo/1/pack.yaml:30:5: unknown key 'citaton': expected one of applies_when, citation, duty_holder, id, metadata, modality, reading, rule, section, severity, subject, tags, text, title (did you mean 'citation'?) [/requirements/1/citaton]",
    ]),
    ("overlapping-editions", [
        "overlapping-editions/demo/1/pack.yaml:8:1: edition demo@1 ends on 2024-09-30, after demo@2 starts: expected a date before 2024-09-01 [/effective_to]",
    ]),
    ("reused-withdrawn-id/demo/2", [
        "reused-withdrawn-id/demo/2/pack.yaml:13:5: requirement id 'DEMO-6' is already defined by demo@1 (withdrawn ids are never reused) [/requirements/0/id]",
    ]),
    ("syntax-error", [
        "syntax-error/demo/1/pack.yaml:28:4: not valid YAML: expected <block end>, but found '<block mapping start>' [/]",
    ]),
    ("test-file-bad-date", [
        "test-file-bad-date/demo/1/tests/cases.yaml:6:5: not a calendar date: expected a date YYYY-MM-DD, got '2026-11-31' [/cases/0/as_of]",
    ]),
    ("test-file-unknown-requirement", [
        "test-file-unknown-requirement/demo/1/tests/cases.yaml:7:10: case 'a misspelt requirement id' expects a finding for unknown requirement 'DEMO-44' of demo@1 (did you mean 'DEMO-4'?) [/cases/0/expect/0/requirement]",
    ]),
    ("unknown-alter-target/demo/2", [
        "unknown-alter-target/demo/2/pack.yaml:11:3: alter names unknown requirement 'DEMO-9' (did you mean 'DEMO-6'?) [/alter/DEMO-9]",
    ]),
    ("unknown-exclude-target/demo/2", [
        "unknown-exclude-target/demo/2/pack.yaml:10:11: exclude names unknown requirement 'DEMO-7' (did you mean 'DEMO-6'?) [/exclude/0]",
    ]),
    ("unknown-extends/demo/2", [
        "unknown-extends/demo/2/pack.yaml:8:1: cannot extend 'demo@3': no pack 'demo@3': no edition '3' of demo; editions: demo@1, demo@2 [/extends]",
    ]),
    ("unknown-fact", [
        "unknown-fact/demo/1/pack.yaml:44:20: requirement DEMO-3: unknown fact 'person.regulated_activty': expected a fact defined for person requirements: "
        + PERSON_FACTS
        + " (did you mean 'person.regulated_activity'?) [/requirements/2/applies_when/field]",
    ]),
    ("unknown-parameter-reference", [
        "unknown-parameter-reference/demo/1/pack.yaml:55:54: requirement DEMO-4: unknown parameter 'dbs_renewl': expected one of dbs_renewal, training_refresh (did you mean 'dbs_renewal'?) [/requirements/3/rule/period/param]",
    ]),
    ("unknown-replaced-by/demo/2", [
        "unknown-replaced-by/demo/2/pack.yaml:11:18: withdraw DEMO-6: replaced_by names unknown requirement 'DEMO-66': expected a requirement of this pack (did you mean 'DEMO-6'?) [/withdraw/0/replaced_by]",
    ]),
    ("unknown-rule-kind", [
        "unknown-rule-kind/demo/1/pack.yaml:26:12: requirement DEMO-1: unknown rule kind 'role_hold' (did you mean 'role_held'?) [/requirements/0/rule/kind]",
    ]),
    ("unknown-rule-parameter", [
        "unknown-rule-parameter/demo/1/pack.yaml:73:54: requirement DEMO-6: rule kind 'attested' has no parameter 'topcs': expected one of allow_partial, policies, topics (did you mean 'topics'?) [/requirements/5/rule/topcs]",
    ]),
    ("unknown-section", [
        "unknown-section/demo/1/pack.yaml:58:5: requirement DEMO-5: unknown section '3': expected one of 1, 2 [/requirements/4/section]",
    ]),
    ("unknown-set-parameter/demo/2", [
        "unknown-set-parameter/demo/2/pack.yaml:11:3: set_parameters names unknown parameter 'dbs_renwal': expected one of dbs_renewal, training_refresh (did you mean 'dbs_renewal'?) [/set_parameters/dbs_renwal]",
    ]),
    ("unknown-withdraw-target/demo/2", [
        "unknown-withdraw-target/demo/2/pack.yaml:11:6: withdraw names unknown requirement 'DEMO-60' (did you mean 'DEMO-6'?) [/withdraw/0/id]",
    ]),
]
# fmt: on


def _lines(target: Path) -> list[str]:
    result = validate_pack(target, catalog=PackCatalog(layers={}))
    return [problem_line(p).replace(f"{BROKEN}/", "") for p in result.problems]


@pytest.mark.parametrize(
    ("fixture", "expected"), EXPECTED, ids=[e[0].split("/")[0] for e in EXPECTED]
)
def test_broken_fixture_message_and_line(fixture: str, expected: list[str]) -> None:
    assert _lines(BROKEN / fixture) == expected


def test_every_broken_fixture_is_checked() -> None:
    on_disk = {p.name for p in BROKEN.iterdir() if p.is_dir()}
    assert on_disk == {e[0].split("/")[0] for e in EXPECTED}


def test_valid_packs_have_no_problems() -> None:
    # board@1 includes the bundled kcsie pack by date, so it needs the bundled catalog.
    result = validate_pack(FIXTURES / "packs", catalog=bundled_catalog(entry_points_too=False))
    assert result.ok, [str(p) for p in result.problems]
    assert [str(r) for r in result.refs] == ["board@1", "demo@1", "harbour@2023", "harbour@2024"]


def test_validate_by_id_and_edition(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["pack", "validate", "--packs-dir", str(FIXTURES / "packs"), "harbour"])
    assert (code, capsys.readouterr().out) == (0, "harbour@2023, harbour@2024: valid\n")
    code = main(["pack", "validate", "--packs-dir", str(FIXTURES / "packs"), "harbour@2024"])
    assert (code, capsys.readouterr().out) == (0, "harbour@2024: valid\n")


def test_cli_exit_1_with_one_line_per_problem(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["pack", "validate", "--no-entry-points", str(BROKEN / "misspelt-key")])
    out = capsys.readouterr().out.replace(f"{BROKEN}/", "").splitlines()
    assert code == 1
    assert out[-1].endswith("misspelt-key: 2 problems")
    assert out[:-1] == dict(EXPECTED)["misspelt-key"]


def test_cli_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "pack",
            "validate",
            "--no-entry-points",
            "--format",
            "json",
            str(BROKEN / "unknown-rule-kind"),
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (data["packs"], data["valid"]) == (["demo@1"], False)
    (problem,) = data["problems"]
    assert {k: problem[k] for k in ("line", "column", "pointer", "path", "hint")} == {
        "line": 26,
        "column": 12,
        "pointer": "/requirements/0/rule/kind",
        "path": "$.requirements[0].rule.kind",
        "hint": "did you mean 'role_held'?",
    }
    assert problem["file"].endswith("unknown-rule-kind/demo/1/pack.yaml")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("no/such/folder", "error: no pack 'no/such/folder': no such file or folder"),
        ("nosuchpack@1", "error: no pack 'nosuchpack@1': no such pack or edition; known packs: "),
        ("Not A Ref", "error: invalid pack reference 'Not A Ref': expected ID or ID@EDITION"),
    ],
)
def test_cli_exit_2_for_unusable_input(
    target: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pack", "validate", "--no-entry-points", target]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message)
    assert "Traceback" not in captured.err


def test_a_folder_without_packs_is_unusable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pack", "validate", str(tmp_path)]) == 2
    assert "no pack.yaml in it, nor in <id>/<edition>/ below it" in capsys.readouterr().err


def test_an_edited_copy_replaces_the_known_edition(tmp_path: Path) -> None:
    catalog = PackCatalog(layers={})
    catalog = catalog.with_folder(FIXTURES / "packs")
    copy = tmp_path / "demo" / "1"
    copy.mkdir(parents=True)
    text = (FIXTURES / "packs" / "demo" / "1" / "pack.yaml").read_text()
    (copy / "pack.yaml").write_text(text.replace("kind: role_held", "kind: role_hel"))
    (problem,) = validate_pack(copy, catalog=catalog).problems
    assert problem.message == "requirement DEMO-1: unknown rule kind 'role_hel'"
    assert problem.location.source == str(copy / "pack.yaml")


def _bundled_and_demo() -> list[tuple[str, Path]]:
    catalog = bundled_catalog(entry_points_too=False)
    catalog = catalog.with_folder(FIXTURES / "packs")
    out = []
    for ref in catalog.refs:
        layer = catalog.layer(ref)
        if layer.data.get("requirements") and layer.folder is not None:
            out.append((str(ref), layer.folder / "pack.yaml"))
    return out


@pytest.mark.parametrize(("ref", "source"), _bundled_and_demo(), ids=lambda v: str(v))
def test_a_broken_copy_of_every_pack_names_the_line(ref: str, source: Path, tmp_path: Path) -> None:
    """Every pack we know (bundled ones included, once merged), copied with its first rule kind
    misspelt, gives the unknown-kind message on exactly that line."""
    text = source.read_text(encoding="utf-8")
    match = re.search(r"rule:\s*(?:\{\s*)?kind: ([a-z_]+)", text)
    assert match is not None
    broken = text[: match.start(1)] + match.group(1) + "x" + text[match.end(1) :]
    line = text[: match.start(1)].count("\n") + 1
    pack_id, edition = ref.split("@")
    folder = tmp_path / pack_id / edition
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(broken, encoding="utf-8")
    catalog = bundled_catalog(entry_points_too=False)
    catalog = catalog.with_folder(FIXTURES / "packs")
    problems = [
        p for p in validate_pack(folder, catalog=catalog).problems if p.location.line == line
    ]
    assert [p.message.split(": ", 1)[1] for p in problems] == [
        f"unknown rule kind {match.group(1) + 'x'!r}"
    ]
    assert problems[0].hint == f"did you mean {match.group(1)!r}?"


def _two_editions(tmp_path: Path, first_extra: str, second_from: str) -> Path:
    text = (FIXTURES / "packs" / "demo" / "1" / "pack.yaml").read_text()
    for edition, body in (
        (
            "1",
            text.replace(
                "effective_from: 2020-01-01\n", f"effective_from: 2020-01-01\n{first_extra}"
            ),
        ),
        ("2", text.replace('edition: "1"', 'edition: "2"').replace("2020-01-01", second_from)),
    ):
        (tmp_path / "demo" / edition).mkdir(parents=True)
        (tmp_path / "demo" / edition / "pack.yaml").write_text(body)
    return tmp_path / "demo"


def test_editions_starting_the_same_day_overlap(tmp_path: Path) -> None:
    target = _two_editions(tmp_path, "", "2020-01-01")
    lines = [
        problem_line(p).replace(f"{tmp_path}/", "")
        for p in validate_pack(target, catalog=PackCatalog(layers={})).problems
    ]
    assert lines == [
        "demo/2/pack.yaml:7:1: editions demo@1 and demo@2 both start on 2020-01-01: expected a date after 2020-01-01 [/effective_from]"
    ]


def test_edition_ending_before_it_starts(tmp_path: Path) -> None:
    target = _two_editions(tmp_path, "effective_to: 2019-12-31\n", "2024-09-01")
    lines = [
        problem_line(p).replace(f"{tmp_path}/", "")
        for p in validate_pack(target, catalog=PackCatalog(layers={})).problems
    ]
    assert lines == [
        "demo/1/pack.yaml:8:1: edition ends on 2019-12-31 before it starts on 2020-01-01: expected a date on or after 2020-01-01 [/effective_to]"
    ]


def test_a_layer_over_a_broken_base_reports_the_base_once(tmp_path: Path) -> None:
    shutil.copytree(BROKEN / "unknown-rule-kind" / "demo" / "1", tmp_path / "demo" / "1")
    shutil.copytree(BROKEN / "unknown-alter-target" / "demo" / "2", tmp_path / "demo" / "2")
    lines = [
        problem_line(p).replace(f"{tmp_path}/", "")
        for p in validate_pack(tmp_path / "demo", catalog=PackCatalog(layers={})).problems
    ]
    assert lines == [
        "demo/1/pack.yaml:26:12: requirement DEMO-1: unknown rule kind 'role_hold' (did you mean 'role_held'?) [/requirements/0/rule/kind]",
        "demo/2/pack.yaml:8:1: cannot extend 'demo@1': requirement DEMO-1: unknown rule kind 'role_hold' (in demo/1/pack.yaml) [/extends]",
    ]


def test_expected_lists_are_kept_short() -> None:
    from safeguard_std.packs import _one_of

    assert _one_of([]) == "one declared in the pack (none is)"
    assert _one_of(["a", "b"]) == "one of a, b"
    assert _one_of([f"p{i}" for i in range(14)]) == (
        "one of p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11 and 2 more"
    )


def test_base_evidence_that_does_not_load_is_reported_once_with_the_allowed_values(
    tmp_path: Path,
) -> None:
    """Every case starts from the file's base evidence: when it does not load, validate says so
    once, located in the test file (it said "valid" while every case failed to run)."""
    assert main(["pack", "new", "--id", "northshire", "--board", "N", "--edition", "2026",
                 "--effective-from", "2026-04-01", "--output", str(tmp_path)]) == 0  # fmt: skip
    tests = tmp_path / "northshire" / "2026" / "tests" / "example.yaml"
    text = tests.read_text().replace(
        "  policies:\n",
        "  contract:\n    id: c-1\n    commissioner: Northshire\n    section11_audits:\n"
        "      - {id: s11-1, submitted_on: 2026-01-01}\n  policies:\n",
    )
    tests.write_text(text)
    result = validate_pack(tmp_path / "northshire" / "2026", catalog=PackCatalog(layers={}))
    assert [problem_line(p) for p in result.problems] == [
        f"{tests}:10:9: base evidence: required key 'stage' is missing: expected 'stage': one of "
        "'tender', 'cycle' [/evidence/contract/section11_audits/0]"
    ]


def test_base_evidence_in_its_own_file_is_located_there(tmp_path: Path) -> None:
    assert main(["pack", "new", "--id", "northshire", "--board", "N", "--edition", "2026",
                 "--effective-from", "2026-04-01", "--output", str(tmp_path)]) == 0  # fmt: skip
    folder = tmp_path / "northshire" / "2026" / "tests"
    (folder / "base.json").write_text(
        json.dumps(
            {
                "id": "b",
                "provider": {"id": "p", "name": "P", "kind": "yoth", "legal_form": "charity"},
                "policies": [],
            }
        )
    )
    tests = folder / "example.yaml"
    lines = tests.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("evidence:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("cases:"))
    tests.write_text("\n".join([*lines[:start], "evidence: {file: base.json}", *lines[end:]]))
    result = validate_pack(tmp_path / "northshire" / "2026", catalog=PackCatalog(layers={}))
    (problem,) = result.problems
    assert problem.message == "base evidence: value not allowed"
    assert problem.location.source == str(folder / "base.json")
    assert problem.hint == "did you mean 'youth'?"


def test_an_unknown_fact_lists_the_facts_of_its_subject_and_suggests_only_a_close_one() -> None:
    from tests.support import make_pack

    def message(field: str) -> str:
        with pytest.raises(PackError) as info:
            make_pack(
                {
                    "rule": {"kind": "role_held", "roles": ["dsl"]},
                    "subject": "provider",
                    "applies_when": {"field": field, "ge": 10},
                }
            )
        return str(info.value)

    unrelated = message("provider.staff_count")
    assert "did you mean" not in unrelated
    assert (
        "expected a fact defined for provider requirements: one of contract.present, "
        "contract.risk_tier, provider.activities, provider.has_website, provider.headcount, "
    ) in unrelated
    assert "person." not in unrelated
    assert message("provider.heacount").endswith("(did you mean 'provider.headcount'?)")
