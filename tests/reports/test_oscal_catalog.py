"""Packs as OSCAL catalogs and profiles: valid against the NIST schemas, loaded and resolved by
compliance-trestle, and the controls the assessment results point at."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_fixtures import CATALOG, FIXTURES, assess
from test_report_interop import _errors, nist_validator

from safeguard_std.cli import main
from safeguard_std.domain.pack import PackRef
from safeguard_std.packs import bundled_catalog
from safeguard_std.reports import to_oscal
from safeguard_std.reports.oscal import catalog_file_name, control_id
from safeguard_std.reports.oscal_catalog import pack_to_oscal_catalog, pack_to_oscal_profile

BUNDLED = bundled_catalog(entry_points_too=False)
# harbour@2024 (a test fixture) extends harbour@2023 with every kind of change a layer makes:
# set_parameters, exclude, alter, withdraw and new requirements.
REFS = [str(r) for r in BUNDLED.refs] + ["harbour@2023", "harbour@2024", "demo@1"]
LAYERED = [str(r) for r in BUNDLED.refs if BUNDLED.layer(r).data.get("extends")]
LAYERED.append("harbour@2024")


def _catalog_of(ref: str):  # type: ignore[no-untyped-def]
    return BUNDLED if PackRef.parse(ref).id in {r.id for r in BUNDLED.refs} else CATALOG


def _pack(ref: str):  # type: ignore[no-untyped-def]
    parsed = PackRef.parse(ref)
    catalog = _catalog_of(ref)
    return catalog.resolve(parsed, as_of=catalog.review_dates(parsed)[-1])


def _controls(catalog: dict) -> dict[str, dict]:
    return {c["id"]: c for g in catalog["catalog"].get("groups", []) for c in g["controls"]}


def _trestle(module: str):  # type: ignore[no-untyped-def]
    return pytest.importorskip(
        module, reason="compliance-trestle is not installed (pip install -e '.[interop]')"
    )


def test_there_are_layered_packs_to_export() -> None:
    assert "dorset@2024" in LAYERED
    assert "kcsie@2025" in LAYERED


@pytest.mark.parametrize("ref", REFS)
def test_catalog_validates_against_the_nist_schema_and_loads_in_trestle(ref: str) -> None:
    pack = _pack(ref)
    document = json.loads(pack_to_oscal_catalog(pack))
    assert _errors(nist_validator("catalog"), document) == []
    models = _trestle("trestle.oscal.catalog")
    catalog = models.Model.model_validate(document).catalog
    ids = [c.id for g in catalog.groups for c in g.controls]
    assert sorted(ids) == sorted(control_id(r.id) for r in pack.requirements)
    assert len(set(ids)) == len(pack.requirements)


def test_a_catalog_control_carries_the_requirement() -> None:
    pack = _pack("dorset@2024")
    controls = _controls(json.loads(pack_to_oscal_catalog(pack)))
    req = next(r for r in pack.requirements if r.reading and not r.withdrawn)
    control = controls[control_id(req.id)]
    props = {p["name"]: p["value"] for p in control["props"]}
    assert props["label"] == req.id
    assert props["modality"] == req.modality.value
    assert props["citation"] == " ".join(req.citation.split())
    assert json.loads(props["rule"])["kind"] == req.rule.kind
    parts = {p["name"]: p for p in control["parts"]}
    assert parts["statement"]["id"] == f"{control_id(req.id)}_smt"
    assert "guidance" in parts
    withdrawn = [r for r in pack.requirements if r.withdrawn]
    for r in withdrawn:
        props = {p["name"]: p["value"] for p in controls[control_id(r.id)]["props"]}
        assert props["status"] == "withdrawn"


@pytest.mark.parametrize("ref", LAYERED)
def test_profile_validates_against_the_nist_schema_and_loads_in_trestle(ref: str) -> None:
    pack = _pack(ref)
    assert pack.extends is not None
    base = _pack(pack.extends)
    document = json.loads(pack_to_oscal_profile(pack, base))
    assert _errors(nist_validator("profile"), document) == []
    models = _trestle("trestle.oscal.profile")
    models.Model.model_validate(document)


def test_the_catalog_schema_check_can_fail() -> None:
    document = json.loads(pack_to_oscal_catalog(_pack("dorset@2023")))
    document["catalog"]["groups"][0]["controls"][0]["id"] = "1 not a token"
    assert _errors(nist_validator("catalog"), document)


def _export(tmp: Path, *args: str) -> Path:
    out = tmp / args[-1]
    packs = ["--packs-dir", str(FIXTURES / "packs")]
    assert main(["pack", "export", *args[:-1], *packs, "--output", str(out)]) == 0
    return out


@pytest.mark.parametrize("ref", LAYERED)
def test_trestle_resolves_the_profile_to_the_packs_own_controls(
    ref: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # trestle reads a relative import beside the working folder
    resolver = _trestle("trestle.core.profile_resolver")
    pack = _pack(ref)
    assert pack.extends is not None
    base = PackRef.parse(pack.extends)
    _export(tmp_path, pack.extends, catalog_file_name(base.id, str(base.edition)))
    _export(tmp_path, ref, catalog_file_name(pack.id, pack.edition))
    profile = _export(tmp_path, ref, "--format", "oscal-profile", "profile.json")
    (tmp_path / ".trestle").mkdir()
    resolved = resolver.ProfileResolver.get_resolved_profile_catalog(tmp_path, str(profile))
    got = sorted(c.id for g in resolved.groups or [] for c in g.controls or []) + sorted(
        c.id for c in resolved.controls or []
    )
    assert sorted(got) == sorted(control_id(r.id) for r in pack.requirements)
    own = _controls(json.loads(pack_to_oscal_catalog(pack)))
    by_id = {c.id: c for g in resolved.groups or [] for c in g.controls or []}
    altered = {a["control-id"]: a for a in profile_alters(profile)}
    for cid, control in own.items():
        if "removes" in altered.get(cid, {}):
            continue  # trestle skips an alter that removes anything (and warns)
        props = {(p["name"], p["value"]) for p in control["props"]}
        theirs = {(p.name, p.value) for p in by_id[cid].props or []}
        assert props <= theirs, cid
    params = {p.id: [str(v) for v in p.values or []] for p in resolved.params or []}
    setting = json.loads(profile.read_text())["profile"].get("modify", {})
    for entry in setting.get("set-parameters", []):
        assert params[entry["param-id"]] == entry["values"], entry


def profile_alters(path: Path) -> list[dict]:
    return json.loads(path.read_text())["profile"].get("modify", {}).get("alters", [])


def _apply(profile: dict, catalogs: dict[str, dict]) -> dict[str, dict]:
    """The controls a profile selects, with its alters applied as the OSCAL profile resolution
    specification says (removes by name and namespace, or by id; adds at the end)."""
    controls: dict[str, dict] = {}
    for imp in profile["imports"]:
        source = _controls(catalogs[imp["href"]])
        if "include-all" in imp:
            chosen = list(source)
        else:
            chosen = [i for sel in imp["include-controls"] for i in sel["with-ids"]]
        dropped = {i for sel in imp.get("exclude-controls", []) for i in sel["with-ids"]}
        for cid in chosen:
            if cid not in dropped:
                controls[cid] = json.loads(json.dumps(source[cid]))
    for alter in profile.get("modify", {}).get("alters", []):
        control = controls[alter["control-id"]]
        for remove in alter.get("removes", []):
            if "by-id" in remove:
                control["parts"] = [p for p in control["parts"] if p.get("id") != remove["by-id"]]
            else:
                control["props"] = [
                    p
                    for p in control["props"]
                    if not (p["name"] == remove["by-name"] and p.get("ns") == remove.get("by-ns"))
                ]
        for add in alter.get("adds", []):
            for key in ("props", "parts", "links"):
                control.setdefault(key, []).extend(add.get(key, []))
    return controls


@pytest.mark.parametrize("ref", LAYERED)
def test_the_profile_applied_to_the_base_gives_the_packs_catalog(ref: str) -> None:
    pack = _pack(ref)
    assert pack.extends is not None
    base = _pack(pack.extends)
    catalogs = {
        catalog_file_name(base.id, base.edition): json.loads(pack_to_oscal_catalog(base)),
        catalog_file_name(pack.id, pack.edition): json.loads(pack_to_oscal_catalog(pack)),
    }
    profile = json.loads(pack_to_oscal_profile(pack, base))["profile"]
    if ref != "kcsie@2023":  # carried over from kcsie@2024 whole: a profile that alters nothing
        assert profile.get("modify", {}).get("alters"), "the layer alters something"
    if ref == "harbour@2024":
        assert profile["imports"][0]["exclude-controls"] == [{"with-ids": ["HAR-7"]}]
        assert profile["imports"][1]["include-controls"] == [{"with-ids": ["HAR-8"]}]
        assert profile["modify"]["set-parameters"] == [
            {"param-id": "dbs_renewal", "values": ["P2Y"]}
        ]
        altered = {a["control-id"] for a in profile["modify"]["alters"]}
        assert {"HAR-1", "HAR-6", "HAR-3"} <= altered
    got = _apply(profile, catalogs)
    want = _controls(catalogs[catalog_file_name(pack.id, pack.edition)])
    assert sorted(got) == sorted(want)

    def norm(control: dict) -> tuple:
        props = sorted((p["name"], p["value"]) for p in control["props"] if p["name"] != "title")
        parts = sorted(json.dumps(p, sort_keys=True) for p in control["parts"])
        return props, parts

    for cid in want:
        assert norm(got[cid]) == norm(want[cid]), cid


def test_a_pack_that_extends_nothing_has_no_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "export", "dorset@2023", "--format", "oscal-profile"]) == 2
    assert capsys.readouterr().err == (
        "error: dorset@2023 extends no other pack, so it has no profile: export it with "
        "--format oscal-catalog\n"
    )


@pytest.mark.parametrize("ref", ["demo@1", "monitoring@1"])
def test_assessment_results_point_at_controls_of_the_catalog(ref: str) -> None:
    p, b, a = assess(ref, "harbour")
    controls = _controls(json.loads(pack_to_oscal_catalog(p)))
    statements = {part["id"] for c in controls.values() for part in c["parts"]}
    document = json.loads(to_oscal(a, pack=p, bundle=b))["assessment-results"]
    result = document["results"][0]
    for finding in result["findings"]:
        assert finding["target"]["type"] == "statement-id"
        assert finding["target"]["target-id"] in statements
    selected = result["reviewed-controls"]["control-selections"][0]["include-controls"]
    assert {c["control-id"] for c in selected} <= set(controls)
    href = document["import-ap"]["href"]
    resources = {r["uuid"]: r for r in document["back-matter"]["resources"]}
    assert href.startswith("#")
    assert href[1:] in resources
    assert resources[href[1:]]["rlinks"][0]["href"] == catalog_file_name(p.id, p.edition)
    assert "urn:" not in json.dumps(document["import-ap"])


def test_the_profile_can_name_catalogs_in_a_trestle_workspace(tmp_path: Path) -> None:
    href = "trestle://catalogs/{id}-{edition}/catalog.json"
    out = _export(
        tmp_path, "harbour@2024", "--format", "oscal-profile", "--catalog-href", href, "p.json"
    )
    imports = json.loads(out.read_text())["profile"]["imports"]
    assert [i["href"] for i in imports] == [
        "trestle://catalogs/harbour-2023/catalog.json",
        "trestle://catalogs/harbour-2024/catalog.json",
    ]


def test_a_bad_catalog_href_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["pack", "export", "dorset@2024", "--format", "oscal-profile", "--catalog-href", "{x}"]
    assert main(args) == 2
    assert capsys.readouterr().err == (
        "error: --catalog-href: catalog href '{x}': only {id} and {edition} may be filled in\n"
    )
