"""``compliant=True`` bundles are never ``not_met``; ``compliant=False`` bundles always are; for
every pack the suite knows (the fixture, every bundled pack once merged) and for random packs."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.domain.findings import Status
from safeguard_std.domain.pack import Pack
from safeguard_std.evaluate import compile_pack, evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.strategies import evidence_bundles, packs
from safeguard_std.strategies._demands import demands_of
from tests.property.support import AS_OF, PACKS, as_of_for, bundle_text

REFS = sorted(PACKS)


def _not_met(pack: Pack, bundle: object, as_of: object) -> list[str]:
    assessment = evaluate(pack, bundle, as_of=as_of)  # type: ignore[arg-type]
    return [f"{f.id}: {f.message}" for f in assessment.by_status(Status.NOT_MET)]


@given(st.sampled_from(REFS), st.data())
def test_compliant_bundles_have_nothing_not_met(ref: str, data: st.DataObject) -> None:
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    bundle = data.draw(evidence_bundles(pack, as_of=as_of, compliant=True))
    assert _not_met(pack, bundle, as_of) == []
    # and the same holds for the bundle as a file, loaded back
    loaded = load_evidence(bundle_text(bundle).encode(), name="bundle.json")
    assert _not_met(pack, loaded, as_of) == []


@given(st.sampled_from(REFS), st.data())
def test_broken_bundles_have_something_not_met(ref: str, data: st.DataObject) -> None:
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    bundle = data.draw(evidence_bundles(pack, as_of=as_of, compliant=False))
    assert _not_met(pack, bundle, as_of) != []


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(packs(max_requirements=10), st.booleans(), st.data())
def test_random_packs_can_be_complied_with_and_broken(
    pack: Pack, compliant: bool, data: st.DataObject
) -> None:
    # A drawn pack may name more lead roles, each held by a different person, than the default
    # six people can hold (the strategy refuses, saying so): allow as many as it needs.
    needed = demands_of(compile_pack(pack)).people
    strategy = evidence_bundles(pack, as_of=AS_OF, compliant=compliant, max_people=max(6, needed))
    bundle = data.draw(strategy)
    assert (_not_met(pack, bundle, AS_OF) == []) is compliant
