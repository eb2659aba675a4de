"""The Dorset pack: every requirement cited, quoted and tested; editions chosen by date; the
2024 edition changing only what the update excerpt shows; the example exercising sections 1-5."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from safeguard_std.cli import main
from safeguard_std.domain.findings import Status
from safeguard_std.domain.pack import Pack, PackRef, Requirement
from safeguard_std.domain.predicates import Compare, ParamRef
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.packs import PackCatalog, bundled_catalog, read_layer
from safeguard_std.packs._inclusion import without_included
from safeguard_std.packs.cases import case_files, load_cases
from tests.conftest import EXAMPLES, ROOT

D = dt.date
EDITIONS = (PackRef("dorset", "2023"), PackRef("dorset", "2024"))
EXAMPLE = EXAMPLES / "dorset-youth-charity.json"
STANDARDS = ROOT / "standards" / "dorset"

#: What the September 2024 excerpt shows changed, and nothing else.
ALTERED_IN_2024 = {
    "DOR-0.2a",  # DSCP manual
    "DOR-0.4",  # DSCP manual updates
    "DOR-0.5",  # DSCP newsletter
    "DOR-1.0",  # "include but are not limited to"
    "DOR-1.1.1",  # "in line with current DSCP procedures"
    "DOR-1.1.3a",  # named safeguarding lead and deputy
    "DOR-1.1.3b",
    "DOR-1.1.4",  # Family Support and Advice Line
}
NEW_IN_2024 = {"DOR-1.1.0", "DOR-1.1.8"}  # expectations for everyone; phone the police


def dorset_only(catalog: PackCatalog, ref: PackRef | str) -> Pack:
    """An edition with only Dorset's own requirements, sections and parameters: the KCSIE layer
    it includes for education providers is left out. Resolved on its latest review date, so the
    include is really there to be left out."""
    return without_included(catalog.resolutions(ref)[-1])


@pytest.fixture(scope="module")
def packs(catalog: PackCatalog) -> dict[str, Pack]:
    return {ref.edition or "": dorset_only(catalog, ref) for ref in EDITIONS}


@pytest.mark.parametrize("edition", ["2023", "2024"])
def test_every_requirement_is_cited_and_quoted(packs: dict[str, Pack], edition: str) -> None:
    lacking = [
        r.id
        for r in packs[edition].requirements
        if not r.citation.strip() or not r.text.strip() or not r.title.strip()
    ]
    assert lacking == []


@pytest.mark.parametrize("edition", ["2023", "2024"])
def test_modality_comes_from_the_quoted_words(packs: dict[str, Pack], edition: str) -> None:
    # "will" (providers will ensure) and "needs to be" read as must; "the requirement to have"
    # (1.3, sole traders) restates a must.
    words = {
        "must": ("must", "will", "needs to be", "requirement"),
        "should": ("should",),
        "recommended": ("recommend",),
    }
    wrong = [
        (r.id, r.modality.value)
        for r in packs[edition].requirements
        if not any(w in r.text.lower() for w in words[r.modality.value])
    ]
    assert wrong == []


def _cases_by_edition(catalog: PackCatalog) -> dict[str, list[tuple[Any, dict[str, Any]]]]:
    """Every expectation in the Dorset pack tests, keyed by the edition its case is judged by."""
    out: dict[str, list[tuple[Any, dict[str, Any]]]] = defaultdict(list)
    for ref in EDITIONS:
        for path in case_files(catalog.layer(ref).tests_folder):
            for case in load_cases(path, ref):
                edition = (
                    case.pack.edition or catalog.edition_in_force("dorset", case.as_of).edition
                )
                assert edition is not None
                for want in case.expect:
                    out[edition].append((case, want))
    return out


def _owners(catalog: PackCatalog, edition: str, req: Requirement) -> set[str]:
    """The editions whose tests may stand for ``req`` in ``edition``: itself, and the editions
    it extends in which the requirement is exactly the same (not altered since)."""
    owners = {edition}
    pack = dorset_only(catalog, PackRef("dorset", edition))
    while pack.extends is not None:
        base = dorset_only(catalog, PackRef.parse(pack.extends))
        ids = {r.id for r in base.requirements}
        if req.id not in ids or base.requirement(req.id) != req:
            break
        owners.add(base.edition)
        pack = base
    return owners


@pytest.mark.parametrize("edition", ["2023", "2024"])
def test_every_requirement_has_a_met_and_a_failing_pack_test(
    catalog: PackCatalog, packs: dict[str, Pack], edition: str
) -> None:
    expectations = _cases_by_edition(catalog)
    attestation_kinds = {k.name for k in catalog.kinds if k.attestation}
    missing = []
    for req in packs[edition].active_requirements:
        owners = _owners(catalog, edition, req)
        statuses = {
            want["status"]
            for owner in owners
            for _case, want in expectations[owner]
            if want["requirement"] == req.id
        }
        failing = {"not_met"} | (
            {"insufficient_evidence"} if req.rule.kind in attestation_kinds else set()
        )
        if "met" not in statuses:
            missing.append(f"{req.id}: no case where it is met")
        if not statuses & failing:
            missing.append(f"{req.id}: no case where it fails ({' or '.join(sorted(failing))})")
    assert missing == []


def test_the_2024_folder_tests_what_the_2024_edition_changed(catalog: PackCatalog) -> None:
    named = {want["requirement"] for _case, want in _cases_by_edition(catalog)["2024"]}
    assert named >= ALTERED_IN_2024 | NEW_IN_2024


@pytest.mark.parametrize(
    ("as_of", "edition"),
    [
        (D(2023, 1, 1), "2023"),
        (D(2024, 6, 1), "2023"),
        (D(2024, 8, 31), "2023"),
        (D(2024, 9, 1), "2024"),
        (D(2026, 11, 23), "2024"),
    ],
)
def test_as_of_picks_the_edition_in_force(
    catalog: PackCatalog, as_of: dt.date, edition: str
) -> None:
    assert catalog.resolve("dorset", as_of=as_of).edition == edition


def test_no_edition_before_2023(catalog: PackCatalog) -> None:
    with pytest.raises(LookupError, match="no edition is in force on 2022-12-31"):
        catalog.resolve("dorset", as_of=D(2022, 12, 31))


def test_editions_meet_without_overlap(packs: dict[str, Pack], catalog: PackCatalog) -> None:
    assert packs["2023"].effective_from == D(2023, 1, 1)
    assert packs["2023"].effective_to == D(2024, 8, 31)
    assert packs["2024"].effective_from == D(2024, 9, 1)
    assert packs["2024"].effective_to is None
    assert packs["2024"].supersedes == "dorset@2023"
    assert packs["2024"].layers == ("dorset@2023", "dorset@2024")
    assert catalog.overlaps() == []


def _run_cli(as_of: str, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / f"assessment-{as_of}.json"
    code = main(
        [
            "evaluate",
            "--pack",
            "dorset",
            "--evidence",
            str(EXAMPLE),
            "--as-of",
            as_of,
            "--no-entry-points",
            "--output",
            str(out),
        ]
    )
    assert code == 0
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(("as_of", "edition"), [("2024-06-01", "2023"), ("2026-11-23", "2024")])
def test_cli_uses_the_edition_in_force(tmp_path: Path, as_of: str, edition: str) -> None:
    assessment = _run_cli(as_of, tmp_path)
    assert (assessment["pack"]["id"], assessment["pack"]["edition"]) == ("dorset", edition)


def test_example_has_findings_for_every_section(tmp_path: Path) -> None:
    assessment = _run_cli("2026-11-23", tmp_path)
    judged: dict[str, set[str]] = defaultdict(set)
    for finding in assessment["findings"]:
        judged[finding["section"].split(".")[0]].add(finding["status"])
    for section in ("1", "2", "3", "4", "5"):
        assert {"met", "not_met"} <= judged[section], section
    counts = assessment["summary"]["by_status"]
    assert counts["error"] == 0
    assert counts["met"] > counts["not_met"] > 10


def test_example_findings_name_no_personal_data(tmp_path: Path) -> None:
    text = json.dumps(_run_cli("2026-11-23", tmp_path))
    bundle = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for person in bundle["people"]:
        for value in (person.get("full_name"), person.get("address"), person.get("date_of_birth")):
            assert value is None or value not in text
        for dbs in person.get("dbs_checks", []):
            assert dbs["certificate_number"] not in text


def test_example_is_judged_by_the_2024_changes(catalog: PackCatalog) -> None:
    bundle = load_evidence(EXAMPLE)
    findings = {
        (f.requirement_id, f.subject.id): f
        for f in evaluate(
            catalog.resolve("dorset@2024", as_of=D(2026, 11, 23)), bundle, as_of=D(2026, 11, 23)
        ).findings
    }
    # Still citing the Pan-Dorset manual, and the police duty not yet in the policy.
    assert findings[("DOR-0.2a", "prov-ecyt")].status is Status.NOT_MET
    assert findings[("DOR-1.1.8", "prov-ecyt")].status is Status.INSUFFICIENT_EVIDENCE
    # A leaver is not judged; the sole-trader tutor is judged as a person like anyone else.
    assert ("DOR-2.4.1", "p-012") not in findings
    assert findings[("DOR-2.5.3", "p-009")].status is Status.MET
    # The disclosure was risk assessed, shared with and reported to the LADO.
    for rid in ("DOR-1.2.10", "DOR-1.2.11", "DOR-1.3.7"):
        assert findings[(rid, "p-005")].status is Status.MET


# -- the 2024 edition changes only what the excerpt shows ---------------------------------------


def test_2024_changes_exactly_what_the_excerpt_shows(packs: dict[str, Pack]) -> None:
    old = {r.id: r for r in packs["2023"].requirements}
    new = {r.id: r for r in packs["2024"].requirements}
    assert set(new) - set(old) == NEW_IN_2024
    assert set(old) - set(new) == set()
    assert {rid for rid in old if new[rid] != old[rid]} == ALTERED_IN_2024
    assert packs["2024"].parameters == packs["2023"].parameters
    assert packs["2024"].sections == packs["2023"].sections
    for rid in ALTERED_IN_2024:
        assert set(new[rid].provenance.values()) == {"dorset@2024"}, rid
    for rid in NEW_IN_2024:
        assert new[rid].origin == "dorset@2024"


@pytest.mark.parametrize(
    ("rid", "old_words", "new_words"),
    [
        ("DOR-0.2a", "Pan-Dorset Safeguarding Children Partnership", "(DSCP) manual"),
        ("DOR-0.4", "PDSCP manual", "DSCP manual"),
        ("DOR-0.5", "PDSCP newsletter", "DSCP newsletter"),
        ("DOR-1.0", "Providers must have up-to-date", "include but are not limited to"),
        ("DOR-1.1.1", "current PDSCP procedures", "current DSCP procedures"),
        (
            "DOR-1.1.3a",
            "Designated Safeguarding Lead (DSL)",
            "a named safeguarding lead and deputy",
        ),
        (
            "DOR-1.1.4",
            "Children’s Advice and Duty Service (ChAD)",
            "Family Support and Advice Line",
        ),
    ],
)
def test_altered_texts(packs: dict[str, Pack], rid: str, old_words: str, new_words: str) -> None:
    assert old_words in packs["2023"].requirement(rid).text
    assert new_words in packs["2024"].requirement(rid).text
    if old_words != "Providers must have up-to-date":
        assert old_words not in packs["2024"].requirement(rid).text


def test_police_duty_exists_only_in_2024(packs: dict[str, Pack]) -> None:
    with pytest.raises(KeyError):
        packs["2023"].requirement("DOR-1.1.8")
    police = packs["2024"].requirement("DOR-1.1.8")
    assert "phone the police" in police.text
    assert police.modality.value == "must"


def test_source_notes(packs: dict[str, Pack]) -> None:
    old, new = packs["2023"].source, packs["2024"].source
    assert old is not None
    assert new is not None
    assert "1 January 2023" in (old.notes or "")
    assert "carry over unchanged" in (new.notes or "")
    assert old.sha256 != new.sha256


# -- readings, lost lists, KCSIE -------------------------------------------------------------------

AMBIGUOUS = {
    "DOR-3.5": "(Including the Chair)",
    "DOR-2.5.8": "Longer term staff",
    "DOR-4.1": "when requested",
    "DOR-2.2.2": "Immediately",
    "DOR-1.1.4": "Immediately",
    "DOR-1.2.0": "safer recruitment policy",
    "DOR-5.1b": "Annually or as changes occur",
    "DOR-3.6a": "Regular intervals",
    "DOR-5.1a": "policy_regular_review",
}


@pytest.mark.parametrize(("rid", "phrase"), sorted(AMBIGUOUS.items()))
def test_ambiguities_are_read_next_to_the_requirement(
    packs: dict[str, Pack], rid: str, phrase: str
) -> None:
    reading = packs["2023"].requirement(rid).reading or ""
    assert phrase.lower() in reading.lower()


@pytest.mark.parametrize(
    ("rid", "parameter"),
    [
        ("DOR-3.5", "panel_chair_must_be_trained"),
        ("DOR-2.5.8", "longer_term_threshold"),
        ("DOR-2.2.2", "record_update_lag"),
        ("DOR-2.3.2", "dbs_renewal"),
        ("DOR-2.3.2", "dbs_count_status_checks"),
        ("DOR-3.3a", "induction_within"),
        ("DOR-5.1a", "policy_regular_review"),
    ],
)
def test_ambiguous_periods_are_parameters(packs: dict[str, Pack], rid: str, parameter: str) -> None:
    rule = packs["2023"].requirement(rid).rule
    assert {"param": parameter} in rule.params.values()
    assert packs["2023"].parameters[parameter].reading


def test_every_parameter_is_used(packs: dict[str, Pack]) -> None:
    used = {
        value["param"]
        for r in packs["2024"].requirements
        for value in r.rule.params.values()
        if isinstance(value, dict) and set(value) == {"param"}
    }
    # A predicate may compare a fact with a parameter too (DOR-2.3.4's regulators).
    used |= {
        r.applies_when.value.name
        for r in packs["2024"].requirements
        if isinstance(r.applies_when, Compare) and isinstance(r.applies_when.value, ParamRef)
    }
    assert used == set(packs["2024"].parameters)


def test_lost_lists_ask_for_an_attestation_and_say_why(packs: dict[str, Pack]) -> None:
    lost = [r for r in packs["2023"].requirements if "lost-list" in r.tags]
    assert [r.id for r in lost] == ["DOR-1.1.1", "DOR-1.1.5b", "DOR-1.1.6b"]
    for req in lost:
        assert (req.rule.kind, dict(req.rule.params)) == ("attested", {})
        assert req.text.rstrip().endswith(":")
        assert "lost" in (req.reading or "")


def test_kcsie_dependent_requirements_stay_attestations(packs: dict[str, Pack]) -> None:
    kcsie = {r.id: r for r in packs["2024"].requirements if "kcsie" in r.tags}
    assert set(kcsie) == {"DOR-0.3", "DOR-2.1.2", "DOR-3.8"}
    assert {r.rule.kind for r in kcsie.values()} == {"attested"}


def test_every_plain_attestation_says_why(packs: dict[str, Pack]) -> None:
    unexplained = [
        r.id
        for r in packs["2024"].requirements
        if r.rule.kind == "attested" and not r.rule.params and not r.reading
    ]
    assert unexplained == []


def test_strict_chair_reading_is_one_parameter_away(tmp_path: Path) -> None:
    catalog = bundled_catalog(entry_points_too=False)  # not the shared one: a layer is added
    layer = tmp_path / "strict" / "1" / "pack.yaml"
    layer.parent.mkdir(parents=True)
    layer.write_text(
        "schema_version: 1\nid: strict\nedition: '1'\ntitle: Strict chair\nboard: A council\n"
        "effective_from: 2024-09-01\nextends: dorset@2024\n"
        "set_parameters: {panel_chair_must_be_trained: true}\n",
        encoding="utf-8",
    )
    catalog = catalog.with_layer(read_layer(layer))
    strict = catalog.resolve("strict@1", as_of=D(2026, 11, 23))
    bundle = load_evidence(EXAMPLE)

    def panel(pack: Pack) -> Status:
        found = evaluate(pack, bundle, as_of=D(2026, 11, 23)).findings
        (status,) = [
            f.status
            for f in found
            if f.requirement_id == "DOR-3.5" and f.subject.id == "panel-2026-youth-worker"
        ]
        return status

    # The youth-worker panel is chaired by a trained member: met on either reading. Make the
    # Chair the other member, untrained, and only the strict reading fails.
    assert panel(strict) is Status.MET
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    members = data["recruitment_panels"][0]["members"]
    members[0]["is_chair"], members[1]["is_chair"] = False, True
    chair = next(p for p in data["people"] if p["id"] == members[1]["person_id"])
    chair["training"] = [t for t in chair["training"] if t["course"] != "safer_recruitment"]
    swapped = tmp_path / "swapped.json"
    swapped.write_text(json.dumps(data), encoding="utf-8")
    bundle = load_evidence(swapped)
    assert panel(strict) is Status.NOT_MET
    assert panel(catalog.resolve("dorset@2024", as_of=D(2026, 11, 23))) is Status.MET


def test_requirement_ids_are_stable_and_well_formed(packs: dict[str, Pack]) -> None:
    ids = [r.id for r in packs["2024"].requirements]
    assert len(ids) == len(set(ids)) == 104
    assert all(re.fullmatch(r"DOR-\d(\.\d+){0,2}[a-h]?", i) for i in ids)


def test_docs_table_names_every_requirement(packs: dict[str, Pack]) -> None:
    table = (ROOT / "docs" / "packs" / "dorset.md").read_text(encoding="utf-8")
    missing = [r.id for r in packs["2024"].requirements if f"`{r.id}`" not in table]
    assert missing == []


def test_pack_files_live_where_the_catalog_finds_them() -> None:
    for edition in ("2023", "2024"):
        assert (STANDARDS / edition / "pack.yaml").is_file()
        assert case_files(STANDARDS / edition / "tests")


def test_the_documented_council_layer_loads_and_changes_what_it_says(tmp_path: Path) -> None:
    page = (ROOT / "docs" / "packs" / "dorset.md").read_text(encoding="utf-8")
    block = page.split("## Changing the pack for your council", 1)[1]
    text = block.split("```yaml\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "dorset-strict" / "2024.1"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(text, encoding="utf-8")
    catalog = bundled_catalog(entry_points_too=False)
    catalog = catalog.with_folder(tmp_path)
    strict = dorset_only(catalog, "dorset-strict@2024.1")
    assert strict.parameters["panel_chair_must_be_trained"].value is True
    assert strict.requirement("DOR-4.1").rule.kind == "recent_record"
    assert strict.requirement("DOR-1.2.2a").modality.value == "must"
    assert len(strict.requirements) == 104


def test_docs_table_rows_match_the_pack(packs: dict[str, Pack]) -> None:
    table = (ROOT / "docs" / "packs" / "dorset.md").read_text(encoding="utf-8")
    row = re.compile(
        r"^\| ([^|]+) \| `(DOR-[^`]+)`[^|]* \| ([^|]+) \| (must|should|recommended) \|"
    )
    rows = {m[2]: (m[1], m[3], m[4]) for line in table.splitlines() if (m := row.match(line))}
    assert len(rows) == 104
    for rid, (citation, title, modality) in rows.items():
        pack = packs["2023"] if rid not in NEW_IN_2024 else packs["2024"]
        req = pack.requirement(rid)
        assert (citation, title, modality) == (req.citation, req.title, req.modality.value), rid
