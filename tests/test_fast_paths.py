"""The evaluator's shortcuts keep its contracts: same findings, same digests, same errors."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import attrs
import jsonschema
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard_std.domain.calendar import Period, add_period
from safeguard_std.domain.findings import Finding, Outcome, Status
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


def test_writing_a_report_hashes_the_evidence_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The report checks the bundle it is given against the assessment's digest: the same bundle
    # object is not hashed a second time (a large bundle's digest costs as much as judging it).
    from safeguard_std._serialization import digests
    from safeguard_std.reports import to_json

    bundle = make_bundle()
    pack = make_pack({"rule": {"kind": "record_fields_present", "fields": ["full_name"]}})
    hashed = []
    real = digests._bundle_digest
    monkeypatch.setattr(digests, "_bundle_digest", lambda b: hashed.append(b) or real(b))
    text = to_json(evaluate(pack, bundle, as_of=AS_OF), pack=pack, bundle=bundle)
    assert hashed == [bundle]
    assert evidence_digest(bundle) in text
    other = make_bundle()  # an equal bundle, another object: hashed afresh
    assert evidence_digest(other) == evidence_digest(bundle)
    assert hashed == [bundle, other]


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


def test_one_way_to_build_an_outcome_and_a_finding() -> None:
    # Issue 15: the speed tricks live behind one factory in the module that owns the type, so a
    # new field is one edit. Every way in gives the same object.
    from pathlib import Path

    from safeguard_std.domain import findings
    from safeguard_std.domain.findings import Outcome, RequirementRef, SubjectRef, make_finding
    from safeguard_std.domain.pack import DutyHolder, Modality

    fields = tuple(f.name for f in attrs.fields(Outcome))
    assert fields == ("status", "message", "facts", "evidence", "due_on")
    assert fields == findings._OUTCOME_PARTS  # the flat Finding keywords follow the fields
    assert findings.make_outcome is Outcome
    parts = (Status.NOT_MET, "lapsed", {"period": "P3Y"}, ("a", "b"), dt.date(2027, 2, 28))
    by_keyword = Outcome(**dict(zip(fields, parts, strict=True)))
    assert Outcome(*parts) == by_keyword
    assert (
        outcome(Status.NOT_MET, "lapsed", evidence=["b", "a", "b"], due_on=parts[4], period="P3Y")
        == by_keyword
    )
    assert Outcome(status=Status.MET, message="ok").facts == {}

    ref = RequirementRef(
        pack="t",
        requirement_id="R-1",
        section="1",
        modality=Modality.MUST,
        duty_holder=DutyHolder.PROVIDER,
        rule="k",
    )
    subject = SubjectRef("person", "p-1")
    made = make_finding(ref, subject, by_keyword)
    assert made == Finding(ref, subject, by_keyword)
    assert made == Finding(
        subject=subject,
        **attrs.asdict(ref, recurse=False),
        **attrs.asdict(by_keyword, recurse=False),
    )

    # Nothing else that uses findings or outcomes builds one behind attrs' back.
    source = Path(findings.__file__).parent.parent
    for module in source.rglob("*.py"):
        if module == Path(findings.__file__):
            continue
        text = module.read_text(encoding="utf-8")
        if "Finding" in text or "Outcome" in text:
            assert "object.__new__" not in text, module


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


def test_the_findings_writer_writes_what_the_generic_encoder_writes() -> None:
    # Findings are written from per-requirement, per-outcome and per-subject templates; the text
    # must be json.dumps's, byte for byte, for every shape a finding can take.
    import json

    from benchmarks.generate import AS_OF as BENCH_DATE
    from benchmarks.generate import BundleGenerator

    from safeguard_std.domain.findings import RequirementRef, SubjectRef
    from safeguard_std.domain.pack import DutyHolder, Modality
    from safeguard_std.evidence import bundle_from_data
    from safeguard_std.packs import bundled_catalog
    from safeguard_std.serialization import (
        assessment_json_chunks,
        assessment_line,
        assessment_to_data,
        assessment_to_json,
    )

    def generic(a: Any, extra: dict[str, Any] | None = None) -> str:
        data = {**assessment_to_data(a), **(extra or {})}
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False)
        return text + "\n"

    pack = bundled_catalog(entry_points_too=False).resolve("dorset", as_of=BENCH_DATE)
    generated = bundle_from_data(BundleGenerator(seed=5).bundle(60))
    real = evaluate(pack, generated, as_of=BENCH_DATE)
    assert assessment_to_json(real) == generic(real)
    assert "".join(assessment_json_chunks(real)) == generic(real)
    assert assessment_line(real) == canonical_json(assessment_to_data(real))

    ref = RequirementRef(
        pack="p\u2028ack",
        requirement_id='R "1"',
        section="s\\1",
        modality=Modality.MUST,
        duty_holder=DutyHolder.PROVIDER,
        rule="kind",
        parameters={"period": "P3Y", "nested": {"b": [1, 2], "a": None}, "n": 0, "on": True},
        origin="é",
    )
    awkward = [
        Finding(ref, SubjectRef("contract", None), status=Status.INSUFFICIENT_EVIDENCE, message=""),
        Finding(
            ref,
            SubjectRef("person", "p-\n1 \u00e9\U0001f600"),
            status=Status.NOT_MET,
            message='line\nbreak "quoted" \x01',
            facts={"z": [], "a": {}, "when": dt.date(2024, 2, 29), "mixed": ["x", 1, None]},
            evidence=("a", "b\tc"),
            due_on=dt.date(2027, 2, 28),
        ),
        Finding(ref, SubjectRef("person", "p-2"), status=Status.MET, message="m", facts={"k": "v"}),
        Finding(ref, SubjectRef("person", "p-3"), status=Status.MET, message="m", facts={"k": 1.5}),
    ]
    shaped = attrs.evolve(real, findings=tuple(awkward))
    with pytest.raises(TypeError, match="findings carry no floats"):  # as before: refused
        assessment_to_json(shaped)
    with pytest.raises(TypeError, match="findings carry no floats"):
        assessment_line(shaped)
    shaped = attrs.evolve(real, findings=tuple(awkward[:3]))
    assert assessment_to_json(shaped) == generic(shaped)
    assert assessment_line(shaped) == canonical_json(assessment_to_data(shaped))
    empty = attrs.evolve(real, findings=())
    assert assessment_to_json(empty) == generic(empty)
    assert assessment_line(empty) == canonical_json(assessment_to_data(empty))


def test_importing_the_package_loads_nothing_until_a_name_is_used() -> None:
    # Cold start (issue 21): `import safeguard_std` loads no adapter, no JSON Schema, YAML or
    # cattrs; each public name loads its module when first read, and every name still imports.
    import subprocess
    import sys

    code = """
import sys
import safeguard_std
heavy = ("safeguard_std.evaluate", "safeguard_std.packs", "safeguard_std.evidence",
         "safeguard_std.serialization", "safeguard_std.reports", "jsonschema", "yaml", "cattrs")
print(sorted(m for m in heavy if m in sys.modules))
names = list(safeguard_std.__all__)
assert set(names) <= set(dir(safeguard_std))
ns = {}
exec("from safeguard_std import *", ns)
print(sorted(n for n in names if n not in ns))
import safeguard_std.evaluate
from safeguard_std import evaluate, compile_pack
print(not isinstance(evaluate, type(sys)), safeguard_std.evaluate is evaluate)
try:
    safeguard_std.no_such_name
except AttributeError as exc:
    print(exc)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == [
        "[]",
        "[]",
        "True True",
        "module 'safeguard_std' has no attribute 'no_such_name'",
    ]


def test_an_outcome_that_is_only_a_status_and_a_message_is_shared() -> None:
    # Issue 21: most subjects of some requirements get the same outcome (nothing disclosed,
    # nothing required); it is built once, not once per subject. Outcomes are immutable.
    first = outcome(Status.NOT_APPLICABLE, "no DBS check disclosed information")
    assert outcome(Status.NOT_APPLICABLE, "no DBS check disclosed information") is first
    assert outcome(Status.MET, "no DBS check disclosed information") is not first
    with_facts = outcome(Status.MET, "m", count=1)
    assert outcome(Status.MET, "m", count=1) is not with_facts  # facts: each its own
    assert outcome(Status.MET, "m", evidence=["e-1"]).evidence == ("e-1",)
    assert first == Outcome(status=Status.NOT_APPLICABLE, message=first.message)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        first.message = "changed"  # type: ignore[misc]


def test_the_evidence_digest_hashed_a_person_at_a_time_is_the_digest_of_the_whole() -> None:
    # Issue 21: the digest no longer holds a large bundle as data twice over; the text hashed,
    # and so the digest, is what digest(bundle_to_data(bundle)) gives, whatever the order.
    import json
    import random

    from benchmarks.generate import BundleGenerator

    from safeguard_std.evidence import bundle_from_data
    from safeguard_std.serialization import bundle_to_data, digest

    data = BundleGenerator(seed=8).bundle(120)
    data["people"][0]["full_name"] = 'Zoë \u202e O\'Brien "Jr"'
    for seed in range(3):
        shuffled = json.loads(json.dumps(data))
        random.Random(seed).shuffle(shuffled["people"])
        bundle = bundle_from_data(shuffled)
        assert evidence_digest(bundle) == digest(bundle_to_data(bundle))
    nobody = bundle_from_data({**data, "people": [], "lead_roles": [], "recruitment_panels": []})
    assert evidence_digest(nobody) == digest(bundle_to_data(nobody))


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(data=_JSON, level=st.integers(0, 4))
def test_text_indented_where_it_sits_is_the_canonical_text_indented_again(
    data: object, level: int
) -> None:
    # A person's text is written as it sits in the bundle (two levels deep), not written and
    # then indented again: the same text.
    from safeguard_std._serialization.canonical import indented_at

    expected = canonical_json(data, indent=2).replace("\n", "\n" + "  " * level)
    assert indented_at(data, level) == expected
