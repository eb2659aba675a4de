"""An unrecorded provider fact never makes a requirement ``not_applicable`` that recording it
could make applicable.

For the provider facts a bundle may leave unrecorded (``regulators``, ``local_areas``,
``activities``, and whether the provider has a website), for every pack the suite knows and
random packs, and any bundle: every finding that is ``not_applicable`` with the fact unrecorded
is still ``not_applicable`` (or its layer is left out) with the fact recorded as any value,
none included. So "not recorded" is never read as a value that rules a requirement out. (A
condition that asks ``exists`` of a fact asks whether it is recorded: such facts are left out.)
"""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.domain.findings import Status
from safeguard_std.domain.organisation import EvidenceBundle, Regulator
from safeguard_std.domain.pack import Pack
from safeguard_std.domain.predicates import Predicate, comparisons
from safeguard_std.evaluate import evaluate
from safeguard_std.strategies import evidence_bundles, packs
from safeguard_std.strategies._organisation import ACTIVITIES, LOCAL_AREAS
from safeguard_std.strategies._prepare import provider_facts_named
from tests.property.support import AS_OF, PACKS, as_of_for

REFS = sorted(PACKS)
FACTS = ("regulators", "local_areas", "activities", "has_website")
SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


def _vocabulary(pack: Pack, fact: str) -> tuple[str, ...]:
    """The values worth recording: those the pack compares the fact with, and the strategies'."""
    named = dict(provider_facts_named(pack)).get(fact, ())
    own = {
        "regulators": tuple(r.value for r in Regulator),
        "local_areas": LOCAL_AREAS,
        "activities": ACTIVITIES,
    }[fact]
    return tuple(sorted({*named, *own}))


def _with(bundle: EvidenceBundle, fact: str, value: Any) -> EvidenceBundle:
    provider = bundle.provider
    if fact == "has_website":
        changed = attrs.evolve(provider, website_url=None, has_website=value)
    else:
        changed = attrs.evolve(provider, **{fact: value})
    return attrs.evolve(bundle, provider=changed)


def _not_applicable(pack: Pack, bundle: EvidenceBundle, as_of: Any) -> set[str]:
    """Findings not applicable by the records (a reader's attestation that a requirement does
    not apply is a judgement recorded, not a fact left unrecorded: it counts where the records
    cannot show it either way, and is left out here)."""
    assessment = evaluate(pack, bundle, as_of=as_of, allow_out_of_force=True)
    return {
        f.id
        for f in assessment.findings
        if f.status is Status.NOT_APPLICABLE and f.outcome.facts.get("attested") != "not_applicable"
    }


def _statuses(pack: Pack, bundle: EvidenceBundle, as_of: Any) -> dict[str, Status]:
    assessment = evaluate(pack, bundle, as_of=as_of, allow_out_of_force=True)
    return {f.id: f.status for f in assessment.findings}


def _values(pack: Pack, fact: str, data: st.DataObject) -> list[Any]:
    """Recorded values to try: none, every value worth recording, and some drawn."""
    if fact == "has_website":
        return [False, True]
    vocabulary = _vocabulary(pack, fact)
    drawn = data.draw(st.lists(st.sampled_from(vocabulary), unique=True), label=fact)
    return [frozenset(), frozenset(vocabulary), frozenset(drawn)]


def _asked_whether_recorded(pack: Pack) -> set[str]:
    """Facts a condition asks ``exists`` of: whether they are recorded is then the question
    (the one place "not recorded" may decide a condition, and the pack's author chose it)."""
    found: set[str] = set()

    def walk(pred: Predicate) -> None:
        found.update(
            p.field.removeprefix("provider.") for p in comparisons(pred) if p.op == "exists"
        )

    for req in pack.requirements:
        for when in (req.applies_when, req.included_when):
            if when is not None:
                walk(when)
    for inc in pack.includes:
        if inc.applies_when is not None:
            walk(inc.applies_when)
    return found


def _check(pack: Pack, bundle: EvidenceBundle, as_of: Any, data: st.DataObject) -> None:
    for fact in sorted(set(FACTS) - _asked_whether_recorded(pack)):
        unrecorded = _not_applicable(pack, _with(bundle, fact, None), as_of)
        if not unrecorded:
            continue
        for value in _values(pack, fact, data):
            recorded = _statuses(pack, _with(bundle, fact, value), as_of)
            opened = sorted(
                f"{fid}: {recorded[fid].value}"
                for fid in unrecorded
                if fid in recorded and recorded[fid] is not Status.NOT_APPLICABLE
            )
            shown = sorted(value) if isinstance(value, frozenset) else value
            assert not opened, (
                f"{fact} unrecorded ruled out what {shown} makes applicable: {opened}"
            )


@settings(suppress_health_check=SLOW, deadline=None)
@given(st.sampled_from(REFS), st.data())
def test_an_unrecorded_provider_fact_rules_nothing_out(ref: str, data: st.DataObject) -> None:
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    bundle = data.draw(evidence_bundles(pack, as_of=as_of, max_people=2))
    _check(pack, bundle, as_of, data)


@settings(suppress_health_check=SLOW, deadline=None)
@given(packs(max_requirements=8), st.data())
def test_the_same_for_random_packs(pack: Pack, data: st.DataObject) -> None:
    bundle = data.draw(evidence_bundles(pack, as_of=AS_OF, max_people=2))
    _check(pack, bundle, AS_OF, data)
