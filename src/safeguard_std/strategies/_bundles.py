"""Whole evidence bundles: random, compliant with a pack, or deliberately broken.

Every id in a bundle is unique, every cross-reference (lead roles and panel members to people,
status checks and risk assessments to DBS checks, attestations and waivers to a pack's
requirements and their subjects) points at something that exists, so each bundle loads through
:func:`safeguard_std.evidence.bundle_from_data` unchanged.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn, SearchStrategy

from safeguard_std.domain.organisation import Attestation, EvidenceBundle, Waiver
from safeguard_std.domain.pack import Pack, SubjectType
from safeguard_std.strategies._breaks import break_bundle
from safeguard_std.strategies._comply import Fix, comply, not_met, preparation
from safeguard_std.strategies._demands import Demands
from safeguard_std.strategies._gen import Gen, PooledGen
from safeguard_std.strategies._organisation import (
    make_allegation,
    make_attestation,
    make_contract,
    make_information_request,
    make_lead_role,
    make_policy,
    make_provider,
    make_record_review,
    make_recruitment_panel,
    make_self_audit,
    make_subscription,
    make_training_needs_analysis,
    make_waiver,
)
from safeguard_std.strategies._people import make_person

__all__ = ["bundles", "make_bundle"]

_SYNTHETIC_REQUIREMENTS = ("REQ-1", "REQ-2")


def _subject_ids(bundle: EvidenceBundle) -> dict[SubjectType, tuple[str, ...]]:
    contract = bundle.contract
    return {
        SubjectType.PROVIDER: (bundle.provider.id,),
        SubjectType.PERSON: tuple(p.id for p in bundle.people),
        SubjectType.POLICY: tuple(p.id for p in bundle.policies),
        SubjectType.CONTRACT: (contract.id,) if contract else (),
        SubjectType.PANEL: tuple(p.id for p in bundle.recruitment_panels),
        SubjectType.SELF_AUDIT: tuple(a.id for a in bundle.self_audits),
        SubjectType.MONITORING_MEETING: (
            tuple(m.id for m in contract.monitoring_meetings) if contract else ()
        ),
    }


def _judgements(gen: Gen, bundle: EvidenceBundle, pack: Pack | None) -> EvidenceBundle:
    """Attestations and waivers about the pack's requirements and the bundle's subjects."""
    subjects = _subject_ids(bundle)
    if pack is not None and pack.active_requirements:
        targets = [(r.id, subjects[r.subject]) for r in pack.active_requirements]
    else:
        every = tuple(i for ids in subjects.values() for i in ids)
        targets = [(rid, every) for rid in _SYNTHETIC_REQUIREMENTS]

    def attestation() -> Attestation:
        rid, ids = gen.choice(targets)
        return make_attestation(gen, (rid,), ids)

    def waiver() -> Waiver:
        rid, ids = gen.choice(targets)
        return make_waiver(gen, (rid,), ids)

    return attrs.evolve(
        bundle,
        attestations=gen.some(attestation, max_size=3),
        waivers=gen.some(waiver, max_size=1),
    )


def make_bundle(
    gen: Gen, *, min_people: int, max_people: int, pack: Pack | None, lean: bool = False
) -> EvidenceBundle:
    """A random, internally consistent bundle with ``min_people`` to ``max_people`` people
    (``lean``: each with at most one random record of a kind, see :func:`make_person`)."""
    provider = make_provider(gen)
    people = tuple(make_person(gen, lean=lean) for _ in range(gen.integer(min_people, max_people)))
    ids = tuple(p.id for p in people)
    bundle = EvidenceBundle(
        id=gen.id("bundle"),
        provider=provider,
        lead_roles=gen.some(lambda: make_lead_role(gen, ids), max_size=4) if ids else (),
        people=people,
        policies=gen.some(lambda: make_policy(gen), max_size=4),
        training_needs_analyses=gen.some(lambda: make_training_needs_analysis(gen), max_size=2),
        recruitment_panels=gen.some(lambda: make_recruitment_panel(gen, ids), max_size=2),
        record_reviews=gen.some(lambda: make_record_review(gen), max_size=2),
        self_audits=gen.some(lambda: make_self_audit(gen), max_size=2),
        subscriptions=gen.some(lambda: make_subscription(gen, ids), max_size=2),
        information_requests=gen.some(lambda: make_information_request(gen), max_size=2),
        contract=gen.maybe(lambda: make_contract(gen)),
        allegations=gen.maybe(lambda: gen.some(lambda: make_allegation(gen, ids), max_size=2)),
    )
    return _judgements(gen, bundle, pack)


def bundles(
    *,
    as_of: dt.date,
    min_people: int,
    max_people: int,
    demands: Demands | None,
    compliant: bool | None,
) -> SearchStrategy[EvidenceBundle]:
    """The strategy behind :func:`safeguard_std.strategies.evidence_bundles` (arguments checked)."""
    pack = demands.plan.pack if demands is not None else None
    prepared = None
    if compliant is not None and demands is not None:
        min_people = max(min_people, min(demands.people, max_people))
        prepared = preparation(demands)

    @st.composite
    def draw(draw: DrawFn) -> EvidenceBundle:
        gen = Gen(draw, as_of)
        # Sometimes (compliant=False) a random bundle that already fails; decided first, so
        # the bundles to be built compliant can be drawn the cheap way.
        random_first = compliant is False and demands is not None and draw(st.booleans())
        built = compliant is not None and demands is not None and not random_first
        # Bundles built compliant are drawn from pooled bits throughout (see PooledGen): every
        # choice in them is cheap, and the repairs' records outnumber the random ones.
        source = PooledGen.sharing(gen) if built else gen
        bundle = make_bundle(
            source, min_people=min_people, max_people=max_people, pack=pack, lean=built
        )
        if compliant is None or demands is None:
            return bundle
        if random_first and not_met(Fix(gen, demands, bundle)):
            return bundle
        good = comply(gen, demands, bundle, prepared)
        if good is None:
            reject()
        if compliant:
            return good
        broken = break_bundle(Fix(gen, demands, good))
        if broken is None:
            reject()
        return broken

    return draw()
