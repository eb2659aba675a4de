"""Installed plugins (entry points) cannot change results silently or break unrelated commands:
a pack id the library ships is refused from an installed distribution unless trusted by name,
every assessment records where each pack layer came from, and a broken or conflicting entry
point affects only what needs it, with one line naming the distribution."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from safeguard_std.cli import main
from safeguard_std.domain.findings import Status
from safeguard_std.domain.pack import SubjectType
from safeguard_std.evaluate import evaluate
from safeguard_std.exceptions import PackError, PackNotFound
from safeguard_std.packs import PackCatalog, bundled_catalog, read_layer
from safeguard_std.rules import (
    BUILTIN_KINDS,
    RuleKindRegistry,
    default_registry,
    registry_with_entry_points,
    rule_kind,
)
from tests.conftest import FIXTURES
from tests.support import make_bundle, pack_yaml

AS_OF = dt.date(2026, 11, 23)
BUNDLE = str(FIXTURES / "bundle-small.json")
LATER_DORSET = """\
schema_version: 1
id: dorset
edition: "2099"
title: Dorset, as a plugin would have it
board: Not the council
effective_from: 2025-01-01
extends: dorset@2024
"""
COUNCIL = """\
schema_version: 1
id: council
edition: "1"
title: A council's own pack
board: A council
effective_from: 2020-01-01
sections: [{id: "1", title: One}]
requirements:
  - {id: C-1, title: Named, section: "1", citation: c, text: t, modality: must,
     duty_holder: provider, subject: person, rule: {kind: has_name}}
"""
KINDS = '''
from safeguard_std.domain.findings import Status
from safeguard_std.domain.pack import SubjectType
from safeguard_std.rules import outcome, rule_kind


@rule_kind("has_name", subjects=[SubjectType.PERSON], parameters={"properties": {}})
def has_name(_spec):
    """Met when the record has a name."""
    return lambda person, _ctx: outcome(Status.MET if person.full_name else Status.NOT_MET, "n")


@rule_kind("check_current", subjects=[SubjectType.PERSON], parameters={"properties": {}})
def check_current(_spec):
    """Always met: a kind that would replace a built-in one."""
    return lambda _person, _ctx: outcome(Status.MET, "met")
'''


class Installer:
    """Installs fake distributions (a dist-info folder and a module) on ``sys.path``."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        monkeypatch.syspath_prepend(str(root))

    def dist(self, name: str, version: str, entries: dict[str, str], module: str = "") -> None:
        info = self.root / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        lines = [f"[{group}]\n{entry}\n" for group, entry in entries.items()]
        (info / "entry_points.txt").write_text("\n".join(lines))
        if module:
            (self.root / f"{name.replace('-', '_')}_plugin.py").write_text(module)

    def packs(self, name: str, version: str, packs: dict[str, str]) -> None:
        folder = self.root / f"{name}-packs"
        for where, text in packs.items():
            (folder / where).mkdir(parents=True)
            (folder / where / "pack.yaml").write_text(text)
        module = f"ROOT = {str(folder)!r}\n"
        plugin = f"{name.replace('-', '_')}_plugin"
        self.dist(name, version, {"safeguard_std.packs": f"packs = {plugin}:ROOT"}, module)


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Installer]:
    (tmp_path / "site").mkdir()
    default_registry.cache_clear()
    yield Installer(tmp_path / "site", monkeypatch)
    default_registry.cache_clear()


# -- packs -----------------------------------------------------------------------------------------


def test_an_installed_pack_may_not_add_an_edition_of_a_shipped_pack(install: Installer) -> None:
    install.packs("evil-packs", "1.0", {"dorset/2099": LATER_DORSET})
    catalog = bundled_catalog()
    assert str(catalog.edition_in_force("dorset", AS_OF)) == "dorset@2024"
    assert "dorset@2099" not in {str(r) for r in catalog.refs}
    with pytest.raises(PackNotFound, match=r"not used: the library ships a pack with the id"):
        catalog.resolve("dorset@2099")
    assert catalog.notices_for("dorset") == (
        "installed pack dorset@2099 from distribution evil-packs 1.0 not used: the library ships "
        "a pack with the id 'dorset' (trust the distribution by name to use it: "
        "--trust-pack-source evil-packs)",
    )


def test_trusting_the_distribution_by_name_lets_it_in(install: Installer) -> None:
    install.packs("evil-packs", "1.0", {"dorset/2099": LATER_DORSET})
    catalog = bundled_catalog(trust=("evil-packs",))
    pack = catalog.resolve("dorset", as_of=AS_OF)
    assert str(pack.ref) == "dorset@2099"
    assert pack.origins["dorset@2099"] == "distribution evil-packs 1.0"
    assert pack.origins["dorset@2024"] == "bundled"
    assert catalog.notices_for("dorset") == ()


def test_the_cli_warns_and_the_assessment_records_origins(
    install: Installer, capsys: pytest.CaptureFixture[str]
) -> None:
    install.packs("evil-packs", "1.0", {"dorset/2099": LATER_DORSET})
    args = ["evaluate", "--pack", "dorset", "--evidence", BUNDLE, "--as-of", "2026-11-23"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert err == (
        "warning: installed pack dorset@2099 from distribution evil-packs 1.0 not used: the "
        "library ships a pack with the id 'dorset' (trust the distribution by name to use it: "
        "--trust-pack-source evil-packs)\n"
    )
    head = json.loads(out)["pack"]
    assert head["edition"] == "2024"
    assert set(head["origins"].values()) == {"bundled"}
    assert sorted(head["origins"]) == sorted(head["layers"])
    assert main([*args, "--trust-pack-source", "evil-packs"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    head = json.loads(out)["pack"]
    assert head["edition"] == "2099"
    assert head["origins"]["dorset@2099"] == "distribution evil-packs 1.0"


def test_a_folder_pack_is_recorded_as_from_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["evaluate", "--packs-dir", str(FIXTURES / "packs"), "--pack", "demo@1"]
    assert main([*args, "--evidence", BUNDLE, "--as-of", "2026-11-23", "--no-entry-points"]) == 0
    assert json.loads(capsys.readouterr().out)["pack"]["origins"] == {"demo@1": "folder"}


def test_a_broken_pack_entry_point_breaks_nothing_else(
    install: Installer, capsys: pytest.CaptureFixture[str]
) -> None:
    install.dist(
        "broken-packs",
        "0.1",
        {"safeguard_std.packs": "packs = broken_packs_plugin:ROOT"},
        "raise ImportError('no module named yaml_extras')\n",
    )
    catalog = bundled_catalog()
    assert str(catalog.resolve("dorset@2024", as_of=AS_OF).ref) == "dorset@2024"
    line = (
        "installed pack source 'packs' from distribution broken-packs 0.1 cannot be loaded: "
        "ImportError: no module named yaml_extras"
    )
    assert catalog.notices == (line,)
    with pytest.raises(PackNotFound) as caught:
        catalog.resolve("nosuch@1")
    assert line in str(caught.value)
    assert main(["packs"]) == 0
    assert capsys.readouterr().err == f"warning: {line}\n"


def test_one_edition_from_two_distributions_affects_that_pack_only(install: Installer) -> None:
    install.packs("council-a", "1.0", {"council/1": COUNCIL})
    install.packs("council-b", "2.0", {"council/1": COUNCIL})
    catalog = bundled_catalog()
    assert str(catalog.resolve("dorset@2024", as_of=AS_OF).ref) == "dorset@2024"
    with pytest.raises(PackNotFound) as caught:
        catalog.resolve("council@1")
    assert str(caught.value) == (
        "no pack 'council@1': installed pack council@1 from distribution council-b 2.0 not "
        "used: distribution council-a 1.0 defines it too"
    )


# -- rule kinds ------------------------------------------------------------------------------------


def kinds_dist(install: Installer, name: str, *kinds: str) -> None:
    entries = "\n".join(f"{k} = {name.replace('-', '_')}_plugin:{k}" for k in kinds)
    install.dist(name, "1.0", {"safeguard_std.rule_kinds": entries}, KINDS)


def test_an_installed_kind_may_not_replace_a_built_in_one(install: Installer) -> None:
    kinds_dist(install, "evil-kinds", "check_current", "has_name")
    registry = registry_with_entry_points(RuleKindRegistry().with_kinds(*BUILTIN_KINDS))
    assert registry["check_current"] is next(k for k in BUILTIN_KINDS if k.name == "check_current")
    assert "has_name" in registry
    assert registry.notices == (
        "installed rule kind 'check_current' from distribution evil-kinds 1.0 not used: the "
        "library has a rule kind of that name (trust the distribution by name to use it: "
        "--trust-pack-source evil-kinds)",
    )
    trusted = registry_with_entry_points(
        RuleKindRegistry().with_kinds(*BUILTIN_KINDS), trust=("evil-kinds",)
    )
    assert trusted["check_current"].description.startswith("Always met")


def test_a_kind_from_two_distributions_affects_only_packs_that_use_it(
    install: Installer,
) -> None:
    kinds_dist(install, "kinds-a", "has_name")
    kinds_dist(install, "kinds-b", "has_name")
    registry = registry_with_entry_points(RuleKindRegistry().with_kinds(*BUILTIN_KINDS))
    assert "has_name" not in registry
    catalog = PackCatalog(kinds=registry, layers={})
    catalog = catalog.with_layer(read_layer("council/1/pack.yaml", COUNCIL))
    with pytest.raises(PackError) as caught:
        catalog.resolve("council@1")
    assert caught.value.problems[0].message == (
        "requirement C-1: unknown rule kind 'has_name' (installed rule kind 'has_name' from "
        "distribution kinds-b 1.0 not used: distribution kinds-a 1.0 defines it too)"
    )
    catalog = PackCatalog(kinds=registry, layers={}).with_folder(FIXTURES / "packs")
    assert catalog.resolve("demo@1").id == "demo"


def test_a_broken_kind_entry_point_is_one_notice(install: Installer) -> None:
    install.dist(
        "broken-kinds",
        "0.1",
        {"safeguard_std.rule_kinds": "nothing = broken_kinds_plugin:nothing"},
        "raise RuntimeError('cannot start')\n",
    )
    registry = registry_with_entry_points(RuleKindRegistry().with_kinds(*BUILTIN_KINDS))
    assert len(registry) == len(BUILTIN_KINDS)
    assert registry.notices == (
        "installed rule kind 'nothing' from distribution broken-kinds 0.1 cannot be loaded: "
        "RuntimeError: cannot start",
    )


def test_no_entry_points_switches_off_rule_kinds_too(
    install: Installer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kinds_dist(install, "council-kinds", "has_name")
    (tmp_path / "packs" / "council" / "1").mkdir(parents=True)
    (tmp_path / "packs" / "council" / "1" / "pack.yaml").write_text(COUNCIL)
    args = ["evaluate", "--packs-dir", str(tmp_path / "packs"), "--pack", "council@1"]
    args += ["--evidence", BUNDLE, "--as-of", "2026-11-23"]
    assert main(args) == 0
    capsys.readouterr()
    assert main([*args, "--no-entry-points"]) == 2
    assert "unknown rule kind 'has_name'" in capsys.readouterr().err


# -- a kind that returns something else ------------------------------------------------------------


@pytest.mark.parametrize("returned", [None, "met", {"status": "met"}, Status.MET])
def test_a_kind_returning_no_outcome_is_an_error_finding(returned: Any) -> None:
    @rule_kind("odd", subjects=[SubjectType.PERSON], parameters={"properties": {}})
    def odd(_spec: Any) -> Any:
        """Returns the wrong thing."""
        return lambda _person, _ctx: returned

    registry = RuleKindRegistry().with_kinds(*BUILTIN_KINDS, odd)
    text = pack_yaml({"rule": {"kind": "odd"}})
    text += (
        "- id: R-2\n  title: Named\n  section: '1'\n  citation: c\n  text: t\n"
        "  modality: must\n  duty_holder: provider\n  subject: person\n"
        "  rule: {kind: record_fields_present, fields: [full_name]}\n"
    )
    pack = PackCatalog(kinds=registry, layers={}).with_layer(read_layer("t/1/pack.yaml", text))
    first, second = evaluate(
        pack.resolve("t@1"), make_bundle(), as_of=AS_OF, kinds=registry
    ).findings
    assert (first.status, first.message) == (
        Status.ERROR,
        f"rule 'odd' returned {type(returned).__name__}, not an outcome",
    )
    assert second.status is Status.MET
