"""``includes:``: a whole pack beneath a board's layer, its edition chosen by as_of."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

from safeguard_std.cli import main
from safeguard_std.domain.findings import Status
from safeguard_std.domain.organisation import LegalForm, ProviderKind
from safeguard_std.domain.pack import PackRef
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.exceptions import AsOfRequired, PackError
from safeguard_std.packs import PackCatalog, bundled_catalog, load_pack
from safeguard_std.serialization import pack_digest
from tests.conftest import FIXTURES, ROOT

ACADEMY = ROOT / "standards" / "kcsie" / "2024" / "tests" / "evidence" / "academy.yaml"
BOARD = FIXTURES / "packs" / "board" / "1" / "pack.yaml"
LAST_2024 = dt.date(2025, 8, 31)
FIRST_2025 = dt.date(2025, 9, 1)


def board_catalog(tmp_path: Path, **changes: Any) -> PackCatalog:
    """The bundled packs plus a copy of the fixture board pack with top-level ``changes``
    (a value of None removes the key)."""
    data = yaml.safe_load(BOARD.read_text())
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    folder = tmp_path / "board" / "1"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    catalog = bundled_catalog(entry_points_too=False)
    catalog = catalog.with_folder(tmp_path)
    return catalog


@pytest.fixture(scope="module")
def catalog() -> PackCatalog:
    cat = bundled_catalog(entry_points_too=False)
    cat = cat.with_folder(FIXTURES / "packs")
    return cat


def test_resolving_without_as_of_is_a_located_error(catalog: PackCatalog) -> None:
    with pytest.raises(AsOfRequired) as info:
        catalog.resolve("board@1")
    assert str(info.value) == (
        "pack board@1 includes 'kcsie' without an edition, so it can only be resolved for a "
        "date: give as_of (the edition of 'kcsie' in force that day is used) or pin the include "
        f"(e.g. 'kcsie@EDITION') @ {BOARD} $.includes[0].pack (line 11, column 5)"
    )


def test_edition_in_force_is_included(catalog: PackCatalog) -> None:
    before = catalog.resolve("board@1", as_of=LAST_2024)
    after = catalog.resolve("board@1", as_of=FIRST_2025)
    assert [str(i.ref) for i in before.includes] == ["kcsie@2024"]
    assert [str(i.ref) for i in after.includes] == ["kcsie@2025"]
    assert before.layers == ("kcsie@2024", "board@1")
    assert after.layers == ("kcsie@2024", "kcsie@2025", "board@1")
    assert pack_digest(before) != pack_digest(after)


def test_one_resolved_pack_per_edition_term(catalog: PackCatalog) -> None:
    first = catalog.resolve("board@1", as_of=FIRST_2025)
    later = catalog.resolve("board@1", as_of=dt.date(2026, 3, 1))
    assert first is later


def test_included_ids_sections_and_parameters_are_namespaced(catalog: PackCatalog) -> None:
    pack = catalog.resolve("board@1", as_of=FIRST_2025)
    ids = [r.id for r in pack.requirements]
    assert "kcsie:KCSIE-SCR-IDENTITY" in ids
    assert "KCSIE-SCR-IDENTITY" not in ids
    assert "kcsie:KCSIE-DSL-APPOINTED" not in ids  # excluded by the board
    assert ids[-2:] == ["BOARD-1", "BOARD-2"]
    req = pack.requirement("kcsie:KCSIE-SCR-IDENTITY")
    assert req.section == "kcsie:scr"
    assert req.rule.params["require_checked_by"] == {"param": "kcsie:scr_require_checked_by"}
    assert pack.parameters["kcsie:scr_require_checked_by"].value is True
    assert pack.parameters["kcsie:scr_require_checked_by"].origin == "board@1"
    assert "kcsie:scr" in {s.id for s in pack.sections}
    assert (req.origin, req.provenance["defined"], req.provenance["id"]) == (
        "kcsie@2025",
        "kcsie@2024",
        "board@1",
    )
    altered = pack.requirement("kcsie:KCSIE-ONLINE-SEARCH")
    assert (altered.modality.value, altered.provenance["modality"]) == ("should", "board@1")
    changed_in_2025 = pack.requirement("kcsie:KCSIE-SCR-PROHIBITION")
    assert changed_in_2025.provenance["text"] == "kcsie@2025"
    assert "Check a" in changed_in_2025.text


def test_education_provider_gets_findings_from_the_edition_in_force(
    catalog: PackCatalog,
) -> None:
    bundle = load_evidence(ACADEMY)
    for as_of, edition in ((LAST_2024, "kcsie@2024"), (FIRST_2025, "kcsie@2025")):
        assessment = evaluate(catalog.resolve("board@1", as_of=as_of), bundle, as_of=as_of)
        included = [f for f in assessment.findings if f.requirement_id.startswith("kcsie:")]
        assert included
        assert {f.origin for f in included} == {edition}
        assert edition in assessment.pack_layers
        assert "board/kcsie:KCSIE-SCR-IDENTITY/person:p-ta" in {f.id for f in included}


def test_youth_charity_findings_are_unchanged_by_the_include(tmp_path: Path) -> None:
    bundle = load_evidence(ACADEMY)
    youth = attrs.evolve(bundle.provider, kind=ProviderKind.YOUTH, legal_form=LegalForm.CHARITY)
    charity = attrs.evolve(bundle, provider=youth)
    with_include = board_catalog(tmp_path / "a").resolve("board@1", as_of=FIRST_2025)
    without = board_catalog(
        tmp_path / "b", includes=None, set_parameters=None, exclude=None, alter=None
    ).resolve("board@1")
    a = evaluate(with_include, charity, as_of=FIRST_2025)
    b = evaluate(without, charity, as_of=FIRST_2025)
    assert a.findings == b.findings
    assert a.summary.by_status == b.summary.by_status
    assert [f.requirement_id for f in a.findings] == ["BOARD-1", "BOARD-2"]


def test_pinned_include_needs_no_date(tmp_path: Path) -> None:
    catalog = board_catalog(
        tmp_path,
        includes=[
            {"pack": "kcsie@2024", "applies_when": {"field": "provider.is_education", "eq": True}}
        ],
    )
    pack = catalog.resolve("board@1")
    assert [str(i.ref) for i in pack.includes] == ["kcsie@2024"]
    assert pack.requirement("kcsie:KCSIE-SCR-IDENTITY").origin == "kcsie@2024"


def test_namespace_can_be_chosen(tmp_path: Path) -> None:
    catalog = board_catalog(
        tmp_path,
        includes=[{"pack": "kcsie", "namespace": "national"}],
        set_parameters=None,
        exclude=None,
        alter=None,
    )
    pack = catalog.resolve("board@1", as_of=FIRST_2025)
    assert pack.requirement("national:KCSIE-SCR-IDENTITY").section == "national:scr"
    assert pack.requirement("national:KCSIE-SCR-IDENTITY").included_when is None


def problems(catalog: PackCatalog, as_of: dt.date = FIRST_2025) -> list[str]:
    with pytest.raises(PackError) as info:
        catalog.resolve("board@1", as_of=as_of)
    return [str(p) for p in info.value.problems]


def test_unknown_included_pack(tmp_path: Path) -> None:
    catalog = board_catalog(
        tmp_path, includes=[{"pack": "kcsi@2024"}], set_parameters=None, exclude=None, alter=None
    )
    (message,) = problems(catalog)
    assert message.startswith("cannot include 'kcsi@2024': no pack 'kcsi@2024': no such pack")
    assert "board/1/pack.yaml $.includes[0].pack (line" in message
    assert "(did you mean 'kcsie'?)" in message


def test_no_edition_in_force_on_the_date(tmp_path: Path) -> None:
    catalog = board_catalog(tmp_path)
    # (2024-09-01 had none until kcsie@2023 shipped for issue 16; 2022-08-31 has none.)
    messages = problems(catalog, as_of=dt.date(2022, 8, 31))
    assert messages[0].startswith(
        "cannot include 'kcsie': no pack 'kcsie': no edition is in force on 2022-08-31; "
        "editions: kcsie@2022 from 2022-09-01, kcsie@2023 from 2023-09-01, "
        "kcsie@2024 from 2024-09-02, kcsie@2025 from 2025-09-01 @ "
    )


def test_include_gate_may_name_only_provider_facts(tmp_path: Path) -> None:
    gate = {"field": "person.regulated_activity", "eq": "yes"}
    catalog = board_catalog(tmp_path, includes=[{"pack": "kcsie", "applies_when": gate}])
    (message,) = problems(catalog)
    assert message.startswith(
        "include 'kcsie': fact 'person.regulated_activity' is only defined for ['person'] "
        "subjects; an include's applies_when is judged once per provider and may name only "
        "provider and contract facts @ "
    )
    assert "$.includes[0].applies_when.field (line" in message


def test_include_gate_unknown_fact_has_a_hint(tmp_path: Path) -> None:
    gate = {"field": "provider.is_educaton", "eq": True}
    catalog = board_catalog(tmp_path, includes=[{"pack": "kcsie", "applies_when": gate}])
    (message,) = problems(catalog)
    assert message.startswith("include 'kcsie': unknown fact 'provider.is_educaton'")
    assert message.endswith("(did you mean 'provider.is_education'?)")


def test_two_includes_in_one_namespace(tmp_path: Path) -> None:
    catalog = board_catalog(
        tmp_path,
        includes=[{"pack": "kcsie"}, {"pack": "kcsie@2024"}],
        set_parameters=None,
        exclude=None,
        alter=None,
    )
    (message,) = problems(catalog)
    assert message.startswith("namespace 'kcsie' is already used by another include @ ")
    assert "$.includes[1].pack" in message
    assert message.endswith("(give this include its own 'namespace')")


def test_layering_on_an_included_id_that_does_not_exist(tmp_path: Path) -> None:
    catalog = board_catalog(tmp_path, exclude=["kcsie:KCSIE-SCR-IDENTITI"])
    (message,) = problems(catalog)
    assert message.startswith("exclude names unknown requirement 'kcsie:KCSIE-SCR-IDENTITI'")
    assert message.endswith("(did you mean 'kcsie:KCSIE-SCR-IDENTITY'?)")


def test_authored_ids_cannot_use_the_namespace_separator(tmp_path: Path) -> None:
    data = yaml.safe_load(BOARD.read_text())
    data["requirements"][0]["id"] = "kcsie:KCSIE-SCR-IDENTITY"
    folder = tmp_path / "board" / "1"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(yaml.safe_dump(data))
    catalog = PackCatalog(layers={})
    with pytest.raises(PackError, match=r"\$\.requirements\[0\]\.id"):
        catalog = catalog.with_folder(tmp_path)


def test_extending_a_pack_that_includes_carries_the_include(tmp_path: Path) -> None:
    catalog = board_catalog(tmp_path)
    (tmp_path / "board" / "2").mkdir()
    (tmp_path / "board" / "2" / "pack.yaml").write_text(
        yaml.safe_dump(
            {
                "schema_version": 1,
                "id": "board",
                "edition": "2",
                "title": "Board 2",
                "board": "B",
                "effective_from": "2025-10-01",
                "extends": "board@1",
                "set_parameters": {"kcsie:references_min": 1},
            }
        )
    )
    catalog = catalog.with_folder(tmp_path)
    with pytest.raises(AsOfRequired, match=r"pack board@2 includes|pack board@1 includes"):
        catalog.resolve("board@2")
    pack = catalog.resolve("board", as_of=dt.date(2025, 10, 1))
    assert pack.ref == PackRef("board", "2")
    assert [str(i.ref) for i in pack.includes] == ["kcsie@2025"]
    assert pack.parameters["kcsie:references_min"].value == 1


def test_load_pack_from_a_path_takes_as_of() -> None:
    pack = load_pack(BOARD, as_of=FIRST_2025)
    assert [str(i.ref) for i in pack.includes] == ["kcsie@2025"]


def test_cli_evaluates_and_lists_a_pack_with_includes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "a.json"
    code = main(
        [
            "evaluate",
            "--packs-dir",
            str(FIXTURES / "packs"),
            "--pack",
            "board@1",
            "--evidence",
            str(ACADEMY),
            "--as-of",
            "2025-09-01",
            "--output",
            str(out),
        ]
    )
    assert code == 0
    assert '"origin": "kcsie@2025"' in out.read_text()
    assert main(["packs", "--packs-dir", str(FIXTURES / "packs")]) == 0
    listing = capsys.readouterr().out
    assert "(includes kcsie: kcsie@2024)" in listing
    assert "requirements on 2024-09-02" in listing


def test_gate_true_judges_the_included_layer(catalog: PackCatalog) -> None:
    bundle = load_evidence(ACADEMY)
    pack = catalog.resolve("board@1", as_of=FIRST_2025)
    education = evaluate(pack, bundle, as_of=FIRST_2025)
    assert any(f.status is Status.MET for f in education.findings if ":" in f.requirement_id)


def test_an_attestation_under_the_namespaced_id_wins(catalog: PackCatalog) -> None:
    bundle = load_evidence(ACADEMY)
    namespaced = attrs.evolve(
        bundle.attestations[0],
        id="att-ns",
        requirement_id="kcsie:KCSIE-VOLUNTEER-RISK-ASSESSMENT",
        outcome="not_met",
    )
    both = attrs.evolve(bundle, attestations=(*bundle.attestations, namespaced))
    pack = catalog.resolve("board@1", as_of=FIRST_2025)
    (finding,) = [
        f
        for f in evaluate(pack, both, as_of=FIRST_2025).findings
        if f.requirement_id == "kcsie:KCSIE-VOLUNTEER-RISK-ASSESSMENT"
        and f.subject.id == "p-volunteer"
    ]
    assert (finding.status, finding.evidence) == (Status.NOT_MET, ("att-ns",))
