"""``pack lint``, ``pack test``, ``pack diff``, ``pack render`` and ``pack new``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from safeguard_std.authoring import (
    diff_packs,
    lint_pack,
    problem_line,
    render_html,
    render_markdown,
    run_tests,
    scaffold_pack,
    side_by_side,
    validate_pack,
)
from safeguard_std.authoring.lint import modal_verbs
from safeguard_std.cli import main
from safeguard_std.domain.pack import Modality, PackRef
from safeguard_std.exceptions import PackError
from safeguard_std.packs import PackCatalog, bundled_catalog
from tests.conftest import FIXTURES, ROOT
from tests.support import pack_yaml

PACKS = FIXTURES / "packs"
DOUBTFUL = FIXTURES / "lint-packs" / "doubtful"


def fixture_catalog() -> PackCatalog:
    catalog = PackCatalog(layers={})
    catalog = catalog.with_folder(PACKS)
    return catalog


# -- lint ------------------------------------------------------------------------------------------


def test_lint_finds_each_doubtful_thing() -> None:
    found = lint_pack(DOUBTFUL, catalog=PackCatalog(layers={}))
    lines = [problem_line(f.problem, f.code).replace(f"{DOUBTFUL}/1/", "") for f in found]
    assert lines == [
        "pack.yaml:9:1: unknown-supersedes: supersedes 'doubtful@0': no pack 'doubtful@0': no "
        "edition '0' of doubtful; editions: doubtful@1 (silence it with --ignore "
        "unknown-supersedes) [/supersedes]",
        "pack.yaml:13:5: empty-section: section '3' (Nothing here) has no active requirement "
        "(silence it with --ignore empty-section) [/sections/2]",
        "pack.yaml:16:3: unused-parameter: parameter 'never_used' is declared but no active "
        "requirement uses it (silence it with --ignore unused-parameter) "
        "[/parameters/never_used]",
        "pack.yaml:21:5: no-citation: requirement DB-1 has no citation (silence it for DB-1 with "
        "metadata: {lint_ignore: [no-citation]}) [/requirements/0/citation]",
        "pack.yaml:31:5: no-source-text: requirement DB-2 does not quote the source text it "
        "encodes (silence it for DB-2 with metadata: {lint_ignore: [no-source-text]}) "
        "[/requirements/1/text]",
        "pack.yaml:36:5: untested: no case in the pack's tests names requirement DB-3 "
        "(silence it for DB-3 with metadata: {lint_ignore: [untested]}) [/requirements/2]",
        "pack.yaml:41:5: modality-mismatch: requirement DB-3 has modality 'must' but its source "
        "text says should ('should') (silence it for DB-3 with metadata: {lint_ignore: "
        "[modality-mismatch]}) [/requirements/2/modality]",
        "pack.yaml:53:12: attestation-where-structured: requirement DB-4 is judged by "
        "attestation ('attested') but mentions 'DBS', which the structured kind 'check_present' "
        "or 'check_current' judges from records (silence it for DB-4 with metadata: "
        "{lint_ignore: [attestation-where-structured]}) [/requirements/3/rule/kind]",
    ]


def test_the_lado_is_not_taken_for_a_lead_role(tmp_path: Path) -> None:
    """ "Local Authority Designated Officer" names the LADO, not a DSL: no role_held hint."""

    def structured_hints(text: str) -> list[str]:
        folder = tmp_path / "t" / "1"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pack.yaml").write_text(
            pack_yaml({"text": text, "subject": "provider", "rule": {"kind": "attested"}})
        )
        found = lint_pack(folder, catalog=PackCatalog(layers={}))
        return [f.code for f in found if f.code == "attestation-where-structured"]

    assert structured_hints("Allegations must go to the Local Authority Designated Officer.") == []
    assert structured_hints("The designated safeguarding lead must be named.") == [
        "attestation-where-structured"
    ]


def test_lint_ignore_option() -> None:
    found = lint_pack(
        DOUBTFUL, catalog=PackCatalog(layers={}), ignore=["untested", "unknown-supersedes"]
    )
    assert "untested" not in {f.code for f in found}
    assert len(found) == 6


def test_layer_is_linted_for_what_it_changes_only() -> None:
    assert lint_pack(PACKS / "harbour", catalog=PackCatalog(layers={})) == []


def test_lint_layer_untested_change(tmp_path: Path) -> None:
    for edition in ("2023", "2024"):
        src = PACKS / "harbour" / edition
        (tmp_path / "harbour" / edition).mkdir(parents=True)
        (tmp_path / "harbour" / edition / "pack.yaml").write_text((src / "pack.yaml").read_text())
    (found,) = [
        f
        for f in lint_pack(tmp_path / "harbour" / "2024", catalog=PackCatalog(layers={}))
        if f.requirement == "HAR-5"
    ]
    assert found.code == "untested"  # its parameter changed in 2024, so 2024's tests must say
    assert found.problem.location.pointer == "/alter/HAR-5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Providers will ensure staff are trained.", {Modality.MUST: "will"}),
        ("Staff should be trained.", {Modality.SHOULD: "should"}),
        ("Dorset Council recommends DBS checks are updated.", {Modality.RECOMMENDED: "recommends"}),
        ("The record needs to be kept.", {Modality.MUST: "needs to"}),
        ("A policy covering the following.", {}),
    ],
)
def test_modal_verbs(text: str, expected: dict[Modality, str]) -> None:
    assert modal_verbs(text) == expected


def test_lint_cli_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "lint", "--no-entry-points", str(PACKS / "harbour")]) == 0
    assert capsys.readouterr().out == "clean\n"
    assert main(["pack", "lint", "--no-entry-points", "--format", "json", str(DOUBTFUL)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["code"] for d in data][:2] == ["unknown-supersedes", "empty-section"]
    broken = FIXTURES / "broken-packs" / "unknown-rule-kind"
    assert main(["pack", "lint", "--no-entry-points", str(broken)]) == 2
    assert "unknown rule kind 'role_hold'" in capsys.readouterr().err


# -- test ------------------------------------------------------------------------------------------


def test_run_tests_passes_fixture_packs() -> None:
    # board@1 includes the bundled kcsie pack, so the bundled catalog is needed.
    runs = run_tests(PACKS, catalog=bundled_catalog(entry_points_too=False))
    assert [(str(r.ref), len(r.results), len(r.failed)) for r in runs] == [
        ("board@1", 6, 0),
        ("demo@1", 5, 0),
        ("harbour@2023", 6, 0),
        ("harbour@2024", 4, 0),
    ]


def test_failing_case_side_by_side(tmp_path: Path) -> None:
    folder = tmp_path / "demo" / "1"
    (folder / "tests").mkdir(parents=True)
    (folder / "pack.yaml").write_text((PACKS / "demo" / "1" / "pack.yaml").read_text())
    text = (PACKS / "demo" / "1" / "tests" / "demo.yaml").read_text()
    text = text.replace("../../../../bundle-small.json", str(FIXTURES / "bundle-small.json"))
    text = text.replace("status: not_met}\n  - name: basic", "status: met}\n  - name: basic")
    (folder / "tests" / "demo.yaml").write_text(text)
    (run,) = run_tests(folder, catalog=PackCatalog(layers={}))
    (failed,) = run.failed
    lines = side_by_side(failed, width=80).splitlines()
    assert lines[:4] == [
        "FAIL demo@1 demo.yaml::DBS lapsed the day after (as of 2027-03-01)",
        "  expected                              | actual",
        "  --------------------------------------+--------------------------------------",
        "  DEMO-4 person:p-001 met               | DEMO-4 person:p-001 not_met due",
    ]
    assert all(line[40] == "|" for line in lines[3:])
    assert "2027-02-28 (DBS check lapsed" in " ".join(x[42:].strip() for x in lines[3:])


def test_test_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "test", "--no-entry-points", str(PACKS / "harbour"), "-v"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "ok   harbour@2023 harbour.yaml::lead and deputy named, policy in date"
    assert out[-1] == "harbour@2023, harbour@2024: 10 passed, 0 failed"
    assert main(["pack", "test", "--no-entry-points", str(PACKS / "harbour"), "-k", "nothing"]) == 1
    assert (
        capsys.readouterr().out == "harbour@2023, harbour@2024: no test cases matching 'nothing'\n"
    )


def test_test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "pack",
        "test",
        "--no-entry-points",
        "--format",
        "json",
        str(PACKS / "harbour" / "2024"),
    ]
    assert main(args) == 0
    cases = json.loads(capsys.readouterr().out)
    assert [c["case"] for c in cases][:2] == [
        "lead and deputy named",
        "DBS now lapses after two years",
    ]
    assert cases[0] == {
        "pack": "harbour@2024",
        "file": str(PACKS / "harbour" / "2024" / "tests" / "harbour.yaml"),
        "case": "lead and deputy named",
        "as_of": "2024-10-01",
        "passed": True,
        "error": None,
        "mismatches": [],
    }


def test_test_cli_bad_test_file_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    target = FIXTURES / "broken-packs" / "test-file-bad-date"
    assert main(["pack", "test", "--no-entry-points", str(target)]) == 2
    assert "not a calendar date" in capsys.readouterr().err


# -- diff ------------------------------------------------------------------------------------------

HARBOUR_DIFF = """\
harbour@2023 (2023-04-01 to 2024-08-31) -> harbour@2024 (from 2024-09-01)

Pack
  title:
    - Harbour safeguarding standards for contracted services
    + Harbour safeguarding standards for contracted services (2024)
  supersedes: (none) -> harbour@2023
  source.title:
    - Harbour safeguarding standards (web page)
    + Harbour safeguarding standards (web page, updated September 2024)
  source.retrieved_on: 2023-03-20 -> 2024-09-10

Requirements added (1)
  + HAR-8  Policy says how to report, and to phone the police in an emergency

Requirements withdrawn (2)
  - HAR-3  Policy says how to report to the DSL (replaced by HAR-8)
  - HAR-7  Subscribed to the partnership newsletter (removed)

Requirements changed (3)
  ~ HAR-1  Named safeguarding lead and deputy
      title: Named DSL and deputy -> Named safeguarding lead and deputy
      text:
        - The provider must name a designated safeguarding lead (DSL) and a deputy.
        + The provider must name a safeguarding lead and a deputy.
  ~ HAR-5  DBS renewed every three years
      parameter values: period: 3 years (P3Y) -> period: 2 years (P2Y)
  ~ HAR-6  Two references
      text:
        - Two satisfactory references should be taken up and verified.
        + Two satisfactory references must be taken up and verified.
      modality: should -> must

Parameters changed (1)
  ~ dbs_renewal: 3 years (P3Y) -> 2 years (P2Y); used by HAR-5
"""


def test_diff_lists_exactly_the_changes_of_the_later_edition(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["pack", "diff", "--no-entry-points", "--packs-dir", str(PACKS)]
    assert main([*args, "harbour@2023", "harbour@2024"]) == 0
    assert capsys.readouterr().out == HARBOUR_DIFF
    assert main([*args, "harbour@2024"]) == 0  # one argument: against what it supersedes
    assert capsys.readouterr().out == HARBOUR_DIFF
    assert main([*args, "--exit-code", "harbour@2023", "harbour@2024"]) == 1
    capsys.readouterr()
    assert main([*args, "--exit-code", "harbour@2024", "harbour@2024"]) == 0
    assert capsys.readouterr().out.endswith("\nno differences\n")


def test_diff_json() -> None:
    catalog = fixture_catalog()
    data = diff_packs(catalog.resolve("harbour@2023"), catalog.resolve("harbour@2024")).to_data()
    reqs = data["requirements"]
    assert reqs["added"] == [
        {
            "id": "HAR-8",
            "title": "Policy says how to report, and to phone the police in an emergency",
        }
    ]
    assert reqs["withdrawn"] == [
        {
            "id": "HAR-3",
            "title": "Policy says how to report to the DSL",
            "how": "withdrawn",
            "replaced_by": "HAR-8",
        },
        {
            "id": "HAR-7",
            "title": "Subscribed to the partnership newsletter",
            "how": "removed",
            "replaced_by": None,
        },
    ]
    assert [(c["id"], [x["field"] for x in c["changes"]]) for c in reqs["changed"]] == [
        ("HAR-1", ["title", "text"]),
        ("HAR-5", ["parameter values"]),
        ("HAR-6", ["text", "modality"]),
    ]
    assert data["parameters"] == [
        {"name": "dbs_renewal", "old": "P3Y", "new": "P2Y", "used_by": ["HAR-5"]}
    ]


def test_diff_rule_and_applicability_changes(tmp_path: Path) -> None:
    text = (PACKS / "demo" / "1" / "pack.yaml").read_text()
    old, new = tmp_path / "a", tmp_path / "b"
    for folder, body in (
        (old, text),
        (
            new,
            text.replace("barred_list_children: true", "barred_list_children: false").replace(
                'applies_when: {field: person.regulated_activity, eq: "yes"}\n    rule: {kind: '
                "check_present",
                "applies_when: {field: person.supervised, eq: false}\n    rule: {kind: "
                "check_present",
            ),
        ),
    ):
        folder.mkdir()
        (folder / "pack.yaml").write_text(body)
    catalog = PackCatalog(layers={})
    from safeguard_std.authoring import open_target

    a = open_target(old, catalog=catalog)
    b = open_target(new, catalog=catalog)
    diff = diff_packs(a.catalog.resolve(a.refs[0]), b.catalog.resolve(b.refs[0]))
    assert diff.to_text().splitlines() == [
        "demo@1 (from 2020-01-01) -> demo@1 (from 2020-01-01)",
        "",
        "Requirements changed (1)",
        "  ~ DEMO-3  Enhanced DBS with barred list for regulated activity",
        "      applies_when: the person is in regulated activity -> the person is not supervised",
        "      rule:",
        "        - check_present (check: dbs; level: enhanced; barred_list_children: yes)",
        "        + check_present (check: dbs; level: enhanced; barred_list_children: no)",
    ]
    (change,) = diff.changed
    assert [c.field for c in change.changes] == ["applies_when", "rule"]
    assert change.changes[1].new == {
        "kind": "check_present",
        "check": "dbs",
        "level": "enhanced",
        "barred_list_children": False,
    }


def test_diff_needs_one_edition_each(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["pack", "diff", "--no-entry-points", "--packs-dir", str(PACKS)]
    assert main([*args, "harbour", "harbour@2024"]) == 2
    assert capsys.readouterr().err == (
        "error: 'harbour' names 2 editions (harbour@2023, harbour@2024): name one\n"
    )
    assert main([*args, "demo@1"]) == 2
    assert "demo@1 supersedes nothing and has no earlier edition" in capsys.readouterr().err


# -- render ----------------------------------------------------------------------------------------


def test_render_markdown_shows_each_requirement() -> None:
    pack = fixture_catalog().resolve("harbour@2024")
    text = render_markdown(pack)
    assert text.startswith("# Harbour safeguarding standards for contracted services (2024)\n")
    assert "| In force | 2024-09-01 until replaced |" in text
    assert "| Built from | harbour@2023 then harbour@2024 |" in text
    assert "### HAR-5: DBS renewed every three years" in text
    assert (
        "**RECOMMENDED** · duty holder: provider · judged per person · applies: the person is in "
        "regulated activity"
    ) in text
    assert "> The council recommends DBS checks are renewed at least every three years." in text
    assert "- `period`: 2 years (P2Y), parameter dbs_renewal" in text
    assert "*Defined in harbour@2023; modality, text changed in harbour@2024*" in text
    assert "- HAR-3: Policy says how to report to the DSL (replaced by HAR-8)" in text
    assert "HAR-7" not in text  # excluded: not in the 2024 pack at all
    assert "| dbs_renewal | 2 years (P2Y) | How long a DBS check counts as current. |" in text
    assert text.count("| HAR-5 | harbour@2024 |") == 1  # used by, set by


def test_render_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    pack = fixture_catalog().resolve("demo@1")
    page = render_html(pack)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "<script" not in page
    shown = page.replace('content="width=device-width', "").replace("http-equiv", "")
    assert "http" not in shown  # nothing fetched
    assert "an enhanced DBS check with children&#x27;s barred list" in page
    assert '<article class="req must" id="DEMO-1">' in page
    assert "@media print" in page


def test_render_cli_writes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "harbour.html"
    args = ["pack", "render", "--no-entry-points", "--packs-dir", str(PACKS)]
    assert main([*args, "harbour@2023", "--format", "html", "--output", str(out)]) == 0
    assert out.read_text().count("<article") == 7
    assert main([*args, "harbour", "--as-of", "2024-09-01"]) == 0
    assert capsys.readouterr().out.startswith(
        "# Harbour safeguarding standards for contracted services (2024)"
    )
    assert main([*args, str(PACKS / "harbour"), "--as-of", "2024-08-31"]) == 0
    assert capsys.readouterr().out.startswith(
        "# Harbour safeguarding standards for contracted services\n"
    )
    assert main([*args, "harbour"]) == 2
    assert "names 2 editions" in capsys.readouterr().err


def test_render_is_deterministic() -> None:
    pack = fixture_catalog().resolve("harbour@2024")
    assert render_html(pack) == render_html(fixture_catalog().resolve("harbour@2024"))


# -- new -------------------------------------------------------------------------------------------


def _checks_pass(folder: Path, catalog: PackCatalog) -> None:
    assert validate_pack(folder, catalog=catalog).problems == ()
    assert lint_pack(folder, catalog=catalog) == []
    (run,) = run_tests(folder, catalog=catalog)
    assert (len(run.results), run.failed) == (3, ())


def test_new_pack_validates_lints_clean_and_passes(tmp_path: Path) -> None:
    files = scaffold_pack(
        tmp_path,
        "hackney",
        "City and Hackney Safeguarding Children Partnership",
        edition="2025",
        effective_from=dt.date(2025, 4, 1),
    )
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "hackney/2025/pack.yaml",
        "hackney/2025/tests/example.yaml",
    ]
    first = files[0].read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/standard-pack.schema.json"
    _checks_pass(files[0].parent, PackCatalog(layers={}))


def test_new_pack_refers_to_its_schema_by_a_path_that_travels(tmp_path: Path) -> None:
    """Not the installing machine's absolute path: a copy beside the packs, referred to
    relatively, so the editor line works wherever the folder is checked out."""
    files = scaffold_pack(
        tmp_path / "packs", "x", "X Board", edition="1", effective_from=dt.date(2025, 1, 1)
    )
    lines = [f.read_text().splitlines()[0] for f in files]
    assert lines == [
        "# yaml-language-server: $schema=../../schemas/standard-pack.schema.json",
        "# yaml-language-server: $schema=../../../schemas/pack-tests.schema.json",
    ]
    for name in ("standard-pack.schema.json", "pack-tests.schema.json"):
        copied = tmp_path / "packs" / "schemas" / name
        assert copied.read_bytes() == (ROOT / "schemas" / name).read_bytes()


def test_new_pack_inside_a_repository_refers_to_its_schema(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "standard-pack.schema.json").write_text("{}")
    (tmp_path / "standards").mkdir()
    files = scaffold_pack(
        tmp_path / "standards", "x", "X Board", edition="1", effective_from=dt.date(2025, 1, 1)
    )
    assert files[0].read_text().splitlines()[0] == (
        "# yaml-language-server: $schema=../../../schemas/standard-pack.schema.json"
    )


def test_new_layer_over_a_known_pack(tmp_path: Path) -> None:
    catalog = fixture_catalog()
    files = scaffold_pack(
        tmp_path,
        "harbourside",
        "Harbourside Partnership",
        edition="2025",
        effective_from=dt.date(2025, 1, 1),
        extends="harbour@2024",
        catalog=catalog,
    )
    text = files[0].read_text()
    assert "extends: harbour@2024" in text
    assert '- {id: "L1", title: Policies}' in text  # a section id the base does not use
    _checks_pass(files[0].parent, catalog)
    pack = open_resolved(files[0].parent, catalog)
    assert len(pack.active_requirements) == 7  # the base's six active plus the example


def test_new_edition_of_the_same_pack_carries_its_title_and_adds_nothing(tmp_path: Path) -> None:
    """A next edition starts as the last one: same title, no sample requirement to delete."""
    catalog = fixture_catalog()
    files = scaffold_pack(
        tmp_path,
        "harbour",
        "Harbour Safeguarding Children Partnership",
        edition="2025",
        effective_from=dt.date(2025, 4, 1),
        extends="harbour@2024",
        catalog=catalog,
    )
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["harbour/2025/pack.yaml"]
    text = files[0].read_text()
    assert 'title: "Harbour safeguarding standards for contracted services (2024)"' in text
    assert "supersedes: harbour@2024" in text
    assert "\nrequirements:" not in text
    pack = open_resolved(files[0].parent, catalog)
    base = catalog.resolve(PackRef.parse("harbour@2024"))
    assert pack.title == base.title
    assert [r.id for r in pack.active_requirements] == [r.id for r in base.active_requirements]
    assert validate_pack(files[0].parent, catalog=catalog).problems == ()
    assert lint_pack(files[0].parent, catalog=catalog) == []


def open_resolved(folder: Path, catalog: PackCatalog):  # type: ignore[no-untyped-def]
    from safeguard_std.authoring import open_target

    target = open_target(folder, catalog=catalog)
    return target.catalog.resolve(target.refs[0])


def test_new_cli_then_validate_lint_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "pack",
        "new",
        "--id",
        "exampleshire",
        "--board",
        "Exampleshire Partnership",
        "--edition",
        "2026",
        "--effective-from",
        "2026-04-01",
        "--output",
        str(tmp_path),
    ]
    assert main(args) == 0
    folder = tmp_path / "exampleshire" / "2026"
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"created {folder / 'pack.yaml'}",
        f"created {folder / 'tests' / 'example.yaml'}",
    ]
    for sub in ("validate", "lint", "test"):
        assert main(["pack", sub, "--no-entry-points", str(folder)]) == 0, sub
    assert main(args) == 2  # exists
    assert "already exists; use --force to overwrite" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0


def test_new_rejects_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = [
        "pack",
        "new",
        "--no-entry-points",
        "--board",
        "B",
        "--edition",
        "1",
        "--effective-from",
        "2025-01-01",
        "--output",
        str(tmp_path),
    ]
    assert main([*base, "--id", "Bad Id"]) == 2
    assert "invalid pack reference 'Bad Id@1'" in capsys.readouterr().err
    assert main([*base, "--id", "ok", "--extends", "nosuch@1"]) == 2
    assert "no pack 'nosuch@1'" in capsys.readouterr().err
    with pytest.raises(PackError):
        run_tests(FIXTURES / "broken-packs" / "syntax-error", catalog=PackCatalog(layers={}))


@pytest.mark.parametrize("sub", ["validate", "lint", "test", "diff", "render", "new"])
def test_every_subcommand_has_help(sub: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["pack", sub, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: safeguard-std pack {sub} ")
    assert "exit status: 0 " in out


def test_bad_option_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["pack", "render", "demo@1", "--format", "pdf"])
    assert info.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("sid", "title", "heading"),
    [
        ("1", "Staff records", "1 Staff records"),
        ("2", "2. Training", "2. Training"),
        ("A1", "Appendix A.1 Commitment", "Appendix A.1 Commitment"),
        ("1.1", "1.1 Safeguarding policy", "1.1 Safeguarding policy"),
        ("scr", "Single central record (Part three)", "Single central record (Part three)"),
        ("kcsie:governance", "Governors and trustees", "Governors and trustees"),
        ("kcsie:2", "Training", "kcsie:2 Training"),
    ],
)
def test_section_headings_are_not_numbered_twice(sid: str, title: str, heading: str) -> None:
    from safeguard_std.authoring.render import _heading

    assert _heading(sid, title) == heading
