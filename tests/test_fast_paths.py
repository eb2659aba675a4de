"""The evaluator's shortcuts keep its contracts: same findings, same digests, same errors."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import attrs
import jsonschema
import pendulum
import pytest

from safeguard_std.domain.calendar import Period, add_period
from safeguard_std.domain.findings import Finding, Status
from safeguard_std.domain.pack import SubjectType
from safeguard_std.evaluate import compile_pack, evaluate
from safeguard_std.exceptions import PackError
from safeguard_std.packs import PackCatalog, read_layer
from safeguard_std.rules import BUILTIN_KINDS, RuleKindRegistry, RuleSpec, outcome, rule_kind
from safeguard_std.serialization import canonical_json, evidence_digest
from tests.support import make_bundle, make_pack, pack_yaml

AS_OF = dt.date(2026, 1, 1)


def test_add_period_agrees_with_pendulum_at_every_boundary() -> None:
    rng = random.Random(4)
    periods = [Period(years=3), Period(years=1), Period(months=1), Period(years=2, months=6)]
    periods += [Period(weeks=2), Period(days=90), Period(months=13, days=1)]
    starts = [dt.date(2020, 2, 29), dt.date(2023, 1, 31), dt.date(2024, 12, 31)]
    starts += [dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(12_000)) for _ in range(300)]
    for start in starts:
        for period in periods:
            moved = pendulum.Date(start.year, start.month, start.day).add(
                years=period.years, months=period.months, weeks=period.weeks, days=period.days
            )
            expected = dt.date(moved.year, moved.month, moved.day)
            assert add_period(start, period) == expected  # computed
            assert add_period(start, period) == expected  # remembered


def test_add_period_takes_datetimes_as_their_date() -> None:
    moment = dt.datetime(2024, 2, 29, 23, 0)  # noqa: DTZ001 - a naive value on purpose
    assert add_period(moment, Period(years=1)) == dt.date(2025, 2, 28)


def test_builtin_rule_kind_schemas_are_valid() -> None:
    for kind in BUILTIN_KINDS:
        jsonschema.Draft202012Validator.check_schema(kind.parameters)


def test_a_kind_with_an_invalid_schema_is_refused_when_first_used() -> None:
    broken = rule_kind(
        "broken", subjects=[SubjectType.PERSON], parameters={"properties": {"n": {"type": 5}}}
    )(lambda _spec: lambda _s, _c: outcome(Status.MET, "ok"))
    catalog = PackCatalog(kinds=RuleKindRegistry().with_kinds(*BUILTIN_KINDS, broken), layers={})
    catalog = catalog.with_layer(
        read_layer("t/1/pack.yaml", pack_yaml({"rule": {"kind": "broken"}}))
    )
    with pytest.raises(PackError, match="rule kind 'broken' has an invalid parameter schema: 5 is"):
        catalog.resolve("t@1")


def test_the_evidence_digest_is_computed_on_first_read_and_is_the_same() -> None:
    bundle = make_bundle()
    pack = make_pack({"rule": {"kind": "record_fields_present", "fields": ["full_name"]}})
    assessment = evaluate(pack, bundle, as_of=AS_OF)
    assert not isinstance(assessment._evidence_digest, str)  # not computed yet
    assert assessment.evidence_digest == evidence_digest(bundle)
    assert isinstance(assessment._evidence_digest, str)  # remembered


def test_assessments_of_different_evidence_differ_even_with_equal_findings() -> None:
    pack = make_pack({"rule": {"kind": "record_fields_present", "fields": ["full_name"]}})
    one = evaluate(pack, make_bundle(), as_of=AS_OF)
    two = evaluate(pack, make_bundle(address="2 Other Road"), as_of=AS_OF)
    assert [f.status for f in one.findings] == [f.status for f in two.findings]
    assert one != two
    assert one == evaluate(pack, make_bundle(), as_of=AS_OF)
    assert attrs.evolve(one, evidence_digest=one.evidence_digest) == one


def test_a_finding_reads_through_its_requirement_subject_and_outcome() -> None:
    pack = make_pack(
        {"rule": {"kind": "check_current", "check": "dbs", "period": "P3Y"}},
    )
    bundle = make_bundle(dbs_checks=[{"id": "d-1", "level": "enhanced", "issued_on": "2024-02-29"}])
    (finding,) = evaluate(pack, bundle, as_of=AS_OF).findings
    assert isinstance(finding, Finding)
    assert (finding.id, finding.pack, finding.requirement_id) == ("t/R-1/person:p-1", "t", "R-1")
    assert (finding.section, finding.modality.value, finding.duty_holder.value) == (
        "1",
        "must",
        "provider",
    )
    assert (finding.rule, finding.origin, dict(finding.parameters)) == ("check_current", "t@1", {})
    assert (finding.status, finding.due_on, finding.evidence) == (
        Status.MET,
        dt.date(2027, 2, 28),
        ("d-1",),
    )
    assert finding.message == "DBS check current until 2027-02-28"
    assert dict(finding.facts) == {"last_checked_on": "2024-02-29", "period": "P3Y"}


def counting_kind() -> tuple[Any, list[str]]:
    calls: list[str] = []

    @rule_kind("counted", subjects=[SubjectType.PERSON], parameters={"properties": {}})
    def counted(_spec: RuleSpec) -> Any:
        """Met; counts its calls."""

        def check(person: Any, _ctx: Any) -> Any:
            calls.append(person.id)
            return outcome(Status.MET, "ok")

        return check

    return counted, calls


def test_equal_applies_when_predicates_are_compiled_once() -> None:
    text = pack_yaml(
        {
            "rule": {"kind": "counted"},
            "applies_when": {"field": "person.regulated_activity", "eq": "yes"},
        }
    )
    text += (
        "- id: R-2\n  title: Two\n  section: '1'\n  citation: c\n  text: t\n"
        "  modality: must\n  duty_holder: provider\n  subject: person\n"
        "  applies_when: {field: person.regulated_activity, eq: 'yes'}\n"
        "  rule: {kind: counted}\n"
    )
    counted, _calls = counting_kind()
    registry = RuleKindRegistry().with_kinds(*BUILTIN_KINDS, counted)
    catalog = PackCatalog(kinds=registry, layers={})
    catalog = catalog.with_layer(read_layer("t/1/pack.yaml", text))
    plan = compile_pack(catalog.resolve("t@1"), kinds=registry)
    first, second = plan.steps
    assert first.applies is second.applies
    statuses = [f.status for f in plan.evaluate(make_bundle(), as_of=AS_OF).findings]
    assert statuses == [Status.MET, Status.MET]


def test_a_failing_applies_when_is_an_error_finding_for_each_requirement() -> None:
    counted, calls = counting_kind()
    registry = RuleKindRegistry().with_kinds(*BUILTIN_KINDS, counted)
    pack = make_pack({"rule": {"kind": "record_fields_present", "fields": ["full_name"]}})
    plan = compile_pack(pack, kinds=registry)
    step = attrs.evolve(plan.steps[0], applies=lambda _s, _c: 1 / 0)
    broken = attrs.evolve(plan, steps=(step, step))
    findings = broken.evaluate(make_bundle(), as_of=AS_OF).findings
    assert [(f.status, f.message) for f in findings] == [
        (Status.ERROR, "rule 'record_fields_present' failed: ZeroDivisionError")
    ] * 2
    assert calls == []


def test_canonical_json_is_unchanged_for_awkward_values() -> None:
    import json

    data = {"b": [1, 2.5, -0.0, True, None, "é\n\u2028"], "a": {}, "c": [], "d": {"z": [{}]}}
    expected = json.dumps(
        data, sort_keys=True, ensure_ascii=False, indent=2, separators=(",", ": ")
    )
    assert canonical_json(data, indent=2) == expected
    with pytest.raises(ValueError, match="Out of range float values"):
        canonical_json({"x": float("nan")}, indent=2)
    with pytest.raises(TypeError, match="not JSON serializable"):
        canonical_json({"x": object()}, indent=2)


def test_a_requirement_is_compiled_once_for_the_same_pack_context() -> None:
    import importlib

    ev = importlib.import_module("safeguard_std.rules.compile")  # where the cache lives
    pack = make_pack({"rule": {"kind": "check_current", "check": "dbs", "period": "P3Y"}})
    first = compile_pack(pack).steps[0]
    assert compile_pack(pack).steps[0] is first  # remembered
    changed = attrs.evolve(pack, parameters=dict(pack.parameters))  # another parameters object
    assert compile_pack(changed).steps[0] is not first
    assert id(pack.requirements[0]) in ev._COMPILED


def test_importing_the_library_does_not_import_pendulum() -> None:
    import subprocess
    import sys

    code = (
        "import sys, safeguard_std, safeguard_std.cli; "
        "print('pendulum' in sys.modules); "
        "from safeguard_std.domain.calendar import LONDON; print(LONDON)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "Europe/London"]


def test_judging_in_chunks_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from benchmarks.generate import AS_OF as DAY
    from benchmarks.generate import BundleGenerator

    from safeguard_std.evidence import bundle_from_data
    from safeguard_std.packs import bundled_catalog
    from safeguard_std.serialization import assessment_to_json

    ev = importlib.import_module("safeguard_std.evaluate")
    pack = bundled_catalog(entry_points_too=False).resolve("dorset", as_of=DAY)
    bundle = bundle_from_data(BundleGenerator(seed=5).bundle(70))
    texts = set()
    for size in (1, 7, 64, 10_000):
        monkeypatch.setattr(ev, "CHUNK", size)
        texts.add(assessment_to_json(evaluate(pack, bundle, as_of=DAY)))
    assert len(texts) == 1


def test_the_latest_dates_walk_finds_what_the_generic_walk_finds() -> None:
    from benchmarks.generate import BundleGenerator

    from safeguard_std.domain.known_on import _dates, _latest_dates, _person, known_on
    from safeguard_std.evidence import bundle_from_data

    bundle = bundle_from_data(BundleGenerator(seed=8).bundle(120))
    overall, each = _latest_dates(bundle)
    assert overall == max(_dates(bundle))
    assert each == tuple(max(_dates(p), default=None) for p in bundle.people)
    assert _latest_dates(bundle) == (overall, each)  # remembered for this bundle
    for day in (dt.date(2019, 6, 30), dt.date(2024, 2, 29), overall):
        # What known_on did before it remembered the dates: rebuild whoever has a later one.
        before = tuple(
            _person(p, day) if any(d > day for d in _dates(p)) else p for p in bundle.people
        )
        assert known_on(bundle, day).people == before
    assert known_on(bundle, overall) is bundle
