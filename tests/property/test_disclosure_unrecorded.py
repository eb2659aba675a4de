"""What the record does not say is not "nothing": a completed DBS certificate whose disclosure is
not recorded never makes a requirement about following up disclosures ``not_applicable``.

For any pack (the suite's and random ones) and any bundle, a person who, as the evidence stood on
``as_of``, holds a completed certificate without a recorded disclosure has every
``disclosure_followed_up`` finding ``not_met`` (a recorded disclosure lacks its follow-up),
``insufficient_evidence`` naming the certificates, or ``not_applicable`` only because the pack's
own condition rules the requirement out; and recording the disclosure as clear never turns such a
finding into ``not_met``.
"""

from __future__ import annotations

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.domain.findings import Status
from safeguard_std.domain.known_on import known_on
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.domain.people import CheckStatus, DbsDisclosure
from safeguard_std.evaluate import compile_pack
from safeguard_std.strategies import evidence_bundles, packs
from tests.property.support import AS_OF, PACKS, as_of_for

REFS = sorted(PACKS)
RULE = "disclosure_followed_up"


def _unrecorded(bundle: EvidenceBundle, as_of: object) -> dict[str, list[str]]:
    """Each person's completed certificates without a recorded disclosure, as known on as_of."""
    found = {}
    for person in known_on(bundle, as_of).people:  # type: ignore[arg-type]
        ids = sorted(
            c.id
            for c in person.dbs_checks
            if c.status is CheckStatus.COMPLETED and c.disclosure is None
        )
        if ids:
            found[person.id] = ids
    return found


def _cleared(bundle: EvidenceBundle) -> EvidenceBundle:
    """``bundle`` with every unrecorded disclosure recorded as clear."""
    people = tuple(
        attrs.evolve(
            p,
            dbs_checks=tuple(
                attrs.evolve(c, disclosure=DbsDisclosure.CLEAR)
                if c.status is CheckStatus.COMPLETED and c.disclosure is None
                else c
                for c in p.dbs_checks
            ),
        )
        for p in bundle.people
    )
    return attrs.evolve(bundle, people=people)


def _law(pack: Pack, bundle: EvidenceBundle, as_of: object) -> None:
    plan = compile_pack(pack)
    unrecorded = _unrecorded(bundle, as_of)
    findings = plan.evaluate(bundle, as_of=as_of).findings  # type: ignore[arg-type]
    clear = {f.id: f for f in plan.evaluate(_cleared(bundle), as_of=as_of).findings}  # type: ignore[arg-type]
    for finding in findings:
        if finding.rule != RULE or finding.subject.id not in unrecorded:
            continue
        status = finding.status
        if status is Status.NOT_APPLICABLE:  # the pack's condition, or a reader, says so
            assert (
                finding.message == "does not apply (applies_when)"
                or finding.facts.get("attested") == "not_applicable"
            ), finding
        elif status is Status.INSUFFICIENT_EVIDENCE and "disclosure_unrecorded" in finding.facts:
            assert finding.facts["disclosure_unrecorded"] == unrecorded[finding.subject.id]
        if status is not Status.NOT_MET:
            assert clear[finding.id].status is not Status.NOT_MET, (finding, clear[finding.id])


@given(st.sampled_from(REFS), st.data())
def test_an_unrecorded_disclosure_is_never_read_as_nothing_disclosed(
    ref: str, data: st.DataObject
) -> None:
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    _law(pack, data.draw(evidence_bundles(pack, as_of=as_of, min_people=1)), as_of)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(packs(max_requirements=10), st.data())
def test_an_unrecorded_disclosure_is_never_read_as_nothing_under_any_pack(
    pack: Pack, data: st.DataObject
) -> None:
    _law(pack, data.draw(evidence_bundles(pack, as_of=AS_OF, max_people=4)), AS_OF)
