"""Repairing a bundle into compliance also answers an attestation that says a requirement is not
met: the worse of the records and the attestation is what counts (issue 16), so repairing the
records alone left one Dorset bundle in three unrepairable, each rejected draw costing six
evaluations (issue 20: a compliant draw has to be cheap)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from safeguard_std import load_pack
from safeguard_std.domain.findings import Status
from safeguard_std.domain.organisation import Attestation, AttestationOutcome, EvidenceBundle
from safeguard_std.evaluate import compile_pack
from safeguard_std.strategies import evidence_bundles
from safeguard_std.strategies._comply import Fix, comply, not_met
from safeguard_std.strategies._demands import demands_of
from safeguard_std.strategies._gen import Gen

AS_OF = dt.date(2026, 11, 23)
PACK = load_pack("dorset", as_of=AS_OF)
PLAN = compile_pack(PACK)
DEMANDS = demands_of(PLAN)


def _attest(bundle: EvidenceBundle, rid: str, subject: str | None, outcome: str) -> EvidenceBundle:
    att = Attestation(
        id="att-9001",
        requirement_id=rid,
        subject_id=subject,
        outcome=AttestationOutcome(outcome),
        attested_on=AS_OF - dt.timedelta(days=30),
        statement="Test statement: read and found wanting.",
    )
    # A waiver of the requirement would make it waived, attestation or not: the draw may hold
    # one (a compliant bundle can be compliant by waiver), and this test is about attestations.
    waivers = tuple(w for w in bundle.waivers if w.requirement_id != rid)
    return attrs.evolve(bundle, attestations=(*bundle.attestations, att), waivers=waivers)


@pytest.mark.parametrize(
    ("rid", "person", "outcome"),
    [
        ("DOR-2.2.2", True, "not_met"),  # record_updated
        ("DOR-2.5.8", True, "partially_met"),  # references
        ("DOR-2.4.1", True, "not_met"),  # record_fields_present
        ("DOR-2.5.1", True, "not_met"),  # check_present
        ("DOR-1.1.3b", False, "not_met"),  # role_held, about the provider
    ],
)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_an_adverse_attestation_is_repaired_too(
    rid: str, person: bool, outcome: str, data: st.DataObject
) -> None:
    good = data.draw(evidence_bundles(PACK, as_of=AS_OF, compliant=True))
    subject = None
    if person:
        # A person the requirement judges: someone with no engagement in force has no finding,
        # and an attestation about them is about nothing the requirement asks.
        # Nor does a not_applicable or waived finding become not_met by an attestation.
        judged = sorted(
            str(f.subject.id)
            for f in PLAN.evaluate(good, as_of=AS_OF).findings
            if f.requirement_id == rid
            and f.subject.id is not None
            and f.status not in (Status.NOT_APPLICABLE, Status.WAIVED)
        )
        assume(judged)
        subject = judged[0]
    bad = _attest(good, rid, subject, outcome)
    gen = Gen(data.draw, AS_OF, first=5000)
    assert any(s.requirement.id == rid for s, _ in not_met(Fix(gen, DEMANDS, bad)))
    repaired = comply(gen, DEMANDS, bad)
    assert repaired is not None
    assert not_met(Fix(gen, DEMANDS, repaired)) == []
