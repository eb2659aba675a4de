"""Contradictory evidence never passes: a person whose record contradicts itself (the cross-field
errors ``evidence validate`` reports, such as a check dated before the person was born) has no
``met`` finding, and the contradiction takes nothing but ``met`` away.

* Whatever the pack and bundle, a person of the bundle as it stood on ``as_of`` with a
  contradiction on their record has no ``met`` finding, and each of their findings that would have
  been ``met`` names it (``facts.record_integrity``, ``facts.if_reliable: met``).
* Making one person's record contradict itself (a date of birth after every date on it) changes
  only that person's ``met`` findings, each to ``insufficient_evidence``: a ``not_met`` stays
  unmet, and nobody else's finding moves.
* What the evaluator reads as a contradiction is exactly what ``evidence validate`` reports as a
  person's own errors (its quick test for the usual record never misses one), named the same
  whatever the order of the record's lists.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

from safeguard_std.domain.consistency import Severity, check_consistency, person_contradictions
from safeguard_std.domain.findings import Status
from safeguard_std.domain.integrity import record_integrity
from safeguard_std.domain.known_on import known_on
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.evaluate import compile_pack
from safeguard_std.strategies import evidence_bundles
from tests.property.support import PACKS, as_of_for, shuffled

REFS = sorted(PACKS)


def _born_after_everything(
    bundle: EvidenceBundle, index: int, days: int, as_of: dt.date
) -> EvidenceBundle:
    """``bundle`` with its ``index``-th person born ``days`` after as_of and after every date on
    their record: each date on it is then before birth."""
    people = list(bundle.people)
    latest = max((d for _, d in _dated(people[index])), default=as_of)
    people[index] = attrs.evolve(
        people[index], date_of_birth=max(latest, as_of) + dt.timedelta(days=days)
    )
    return attrs.evolve(bundle, people=tuple(people))


def _dated(record: object) -> list[tuple[str, dt.date]]:
    out: list[tuple[str, dt.date]] = []
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        if isinstance(value, dt.date):
            out.append((field.name, value))
        elif attrs.has(type(value)):
            out += _dated(value)
        elif isinstance(value, tuple):
            for item in value:
                if attrs.has(type(item)):
                    out += _dated(item)
    return out


@given(st.sampled_from(REFS), st.integers(0, 5), st.integers(1, 4000), st.data())
def test_a_person_whose_record_contradicts_itself_never_has_a_met_finding(
    ref: str, who: int, days: int, data: st.DataObject
) -> None:
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    bundle = data.draw(evidence_bundles(pack, as_of=as_of, min_people=1))
    plan = compile_pack(pack)
    index = who % len(bundle.people)
    # Born long before anything on the record (a date of birth recorded, as after), and no
    # duplicate of anyone: the date of birth then changes nothing but the contradiction.
    people = list(bundle.people)
    people[index] = attrs.evolve(people[index], date_of_birth=dt.date(1931, 2, 3))
    bundle = attrs.evolve(bundle, people=tuple(people))
    assume(not record_integrity(known_on(bundle, as_of).people).get(people[index].id))
    before = {f.id: f for f in plan.evaluate(bundle, as_of=as_of).findings}
    broken = _born_after_everything(bundle, index, days, as_of)
    after = {f.id: f for f in plan.evaluate(broken, as_of=as_of).findings}
    assert after.keys() == before.keys()
    contradicted = {p.id for p in known_on(broken, as_of).people if person_contradictions(p, as_of)}
    target = bundle.people[index].id
    assert target in contradicted
    for key, finding in after.items():
        was = before[key]
        subject = finding.subject.id
        if subject in contradicted:
            assert finding.status is not Status.MET, finding
        if subject != target:
            assert finding.status is was.status, (was, finding)
        elif was.status is Status.MET:
            assert finding.status is Status.INSUFFICIENT_EVIDENCE, finding
            assert finding.facts["if_reliable"] == "met"
            assert any(p.startswith("date.") for p in finding.facts["record_integrity"]), (
                finding.facts
            )
            assert latest_iso(broken, index) not in finding.message
        else:
            assert finding.status is was.status, (was, finding)


def latest_iso(bundle: EvidenceBundle, index: int) -> str:
    born = bundle.people[index].date_of_birth
    assert born is not None
    return born.isoformat()


@given(
    evidence_bundles(min_people=1),
    st.integers(0, 5),
    st.integers(-20 * 366, 400),
    st.integers(0, 2**32 - 1),
)
def test_the_evaluators_contradictions_are_the_errors_validate_reports(
    bundle: EvidenceBundle, who: int, shift: int, seed: int
) -> None:
    as_of = dt.date(2026, 11, 23)
    # A date of birth anywhere from twenty years before as_of to a year after: before, among
    # and after the record's dates.
    index = who % len(bundle.people)
    people = list(bundle.people)
    people[index] = attrs.evolve(people[index], date_of_birth=as_of + dt.timedelta(days=shift))
    bundle = known_on(attrs.evolve(bundle, people=tuple(people)), as_of)
    reported = check_consistency(bundle, as_of=as_of)
    for i, person in enumerate(bundle.people):
        mine = {
            x.code for x in reported if x.severity is Severity.ERROR and x.path[:2] == ("people", i)
        }
        found = person_contradictions(person, as_of)
        assert {code for code, _ in found} == mine
        assert len(found) == len(
            [x for x in reported if x.severity is Severity.ERROR and x.path[:2] == ("people", i)]
        )
    again = shuffled(bundle, seed)
    by_id = {p.id: person_contradictions(p, as_of) for p in bundle.people}
    assert {p.id: person_contradictions(p, as_of) for p in again.people} == by_id
