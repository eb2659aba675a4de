"""The evaluator: error isolation, custom rule kinds, entry points, plans, summaries."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest

from safeguard_std import Status, evaluate
from safeguard_std.domain.pack import SubjectType
from safeguard_std.evaluate import compile_pack
from safeguard_std.exceptions import PackError, RuleError
from safeguard_std.packs import PackCatalog, read_layer
from safeguard_std.rules import (
    BUILTIN_KINDS,
    RuleKindRegistry,
    RuleSpec,
    default_registry,
    outcome,
    registry_with_entry_points,
    rule_kind,
)
from tests.support import make_bundle, make_pack, pack_yaml

AS_OF = dt.date(2026, 1, 1)


@rule_kind("always_fails", subjects=[SubjectType.PERSON], parameters={"properties": {}})
def always_fails(_spec: RuleSpec) -> Any:
    """A kind whose check raises."""

    def check(_person: Any, _ctx: Any) -> Any:
        raise ZeroDivisionError("boom: Test Person One")

    return check


@rule_kind("has_name", subjects=[SubjectType.PERSON], parameters={"properties": {}})
def has_name(_spec: RuleSpec) -> Any:
    """Met when the record has a name."""

    def check(person: Any, _ctx: Any) -> Any:
        status = Status.MET if person.full_name else Status.NOT_MET
        return outcome(status, "name recorded" if person.full_name else "no name")

    return check


def registry() -> RuleKindRegistry:
    return RuleKindRegistry().with_kinds(*BUILTIN_KINDS, always_fails, has_name)


def test_a_failing_rule_yields_error_and_evaluation_goes_on() -> None:
    text = pack_yaml({"rule": {"kind": "always_fails"}})
    text += (
        "- id: R-2\n  title: Named\n  section: '1'\n  citation: c\n  text: t\n"
        "  modality: must\n  duty_holder: provider\n  subject: person\n"
        "  rule: {kind: has_name}\n"
    )
    catalog = PackCatalog(kinds=registry(), layers={})
    catalog = catalog.with_layer(read_layer("t/1/pack.yaml", text))
    pack = catalog.resolve("t@1")
    first, second = evaluate(pack, make_bundle(), as_of=AS_OF, kinds=registry()).findings
    assert (first.status, first.message) == (
        Status.ERROR,
        "rule 'always_fails' failed: ZeroDivisionError",
    )
    assert "Test Person" not in first.message
    assert second.status is Status.MET


def test_unknown_kind_without_the_registry_is_a_pack_error() -> None:
    with pytest.raises(PackError, match="unknown rule kind 'has_name'"):
        make_pack({"rule": {"kind": "has_name"}})


def test_registry_refuses_a_second_kind_with_the_same_name() -> None:
    other = rule_kind("has_name", subjects=[SubjectType.PERSON], parameters={"properties": {}})(
        lambda spec: has_name.compile(spec)
    )
    with pytest.raises(RuleError, match="rule kind 'has_name' is already registered"):
        registry().with_kinds(other)


def test_registries_are_immutable_values() -> None:
    base = RuleKindRegistry().with_kinds(*BUILTIN_KINDS)
    extended = base.with_kinds(has_name)
    assert "has_name" in extended
    assert "has_name" not in base


def test_entry_point_rule_kinds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist = tmp_path / "council_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: council-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[safeguard_std.rule_kinds]\nhas_name = tests.test_evaluate:has_name\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = registry_with_entry_points(RuleKindRegistry().with_kinds(*BUILTIN_KINDS))
    assert found["has_name"] is has_name
    assert "tests" in sys.modules


def test_plan_evaluates_many_bundles_without_recompiling() -> None:
    plan = compile_pack(
        make_pack({"rule": {"kind": "record_fields_present", "fields": ["full_name"]}})
    )
    results = [
        plan.evaluate(make_bundle(full_name=n), as_of=AS_OF).findings[0].status
        for n in ("A Person", None)
    ]
    assert results == [Status.MET, Status.NOT_MET]
    assert plan.digest.startswith("sha256:")


def test_as_of_must_be_a_date() -> None:
    pack = make_pack({"rule": {"kind": "attested"}, "subject": "provider"})
    with pytest.raises(TypeError, match="as_of must be a calendar date"):
        evaluate(pack, make_bundle(), as_of=dt.datetime(2026, 1, 1))  # noqa: DTZ001


def test_summary_counts_every_status() -> None:
    pack = make_pack({"rule": {"kind": "attested"}, "subject": "provider"})
    summary = evaluate(pack, make_bundle(), as_of=AS_OF).summary
    assert summary.total == 1
    assert summary.by_status == {
        "met": 0,
        "not_met": 0,
        "not_applicable": 0,
        "insufficient_evidence": 1,
        "waived": 0,
        "error": 0,
    }
    assert summary.by_section["1"]["insufficient_evidence"] == 1
    assert summary.by_duty_holder["commissioner"]["met"] == 0


def test_default_registry_holds_the_builtins() -> None:
    assert {k.name for k in BUILTIN_KINDS} <= set(default_registry().names)
