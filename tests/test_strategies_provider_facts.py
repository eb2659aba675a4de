"""The strategies draw each provider fact in all three states (not recorded, recorded as none,
some), and compliant bundles record the facts their pack's conditions name: a fact left unknown
could only make what it conditions ask for evidence, never be met or ruled out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, find, given, settings

from safeguard_std import load_pack
from safeguard_std.domain.organisation import EvidenceBundle, Provider
from safeguard_std.strategies import evidence_bundles, providers
from safeguard_std.strategies._prepare import provider_facts_named

AS_OF = dt.date(2026, 11, 23)

STATES: dict[str, Callable[[Provider], bool]] = {
    **{
        f"{name} {state}": (
            lambda p, name=name, state=state: {
                "unrecorded": getattr(p, name) is None,
                "none": getattr(p, name) == frozenset(),
                "some": bool(getattr(p, name)),
            }[state]
        )
        for name in ("regulators", "local_areas", "activities")
        for state in ("unrecorded", "none", "some")
    },
    "website unrecorded": lambda p: p.has_website is None,
    "no website": lambda p: p.has_website is False,
    "website with its address": lambda p: p.website_url is not None,
    "website without its address": lambda p: p.has_website is True and p.website_url is None,
}


@pytest.mark.parametrize("state", sorted(STATES))
def test_providers_are_drawn_in_every_state(state: str) -> None:
    find(providers(), STATES[state], settings=settings(database=None, max_examples=500))


@pytest.mark.parametrize("ref", ["dorset", "chscb"])
def test_compliant_bundles_record_what_their_pack_conditions_on(ref: str) -> None:
    pack = load_pack(ref, as_of=AS_OF)
    named = [name for name, _values in provider_facts_named(pack)]
    assert named  # both packs condition on provider facts a bundle may leave unrecorded

    @settings(
        max_examples=10,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(evidence_bundles(pack, as_of=AS_OF, compliant=True))
    def recorded(bundle: EvidenceBundle) -> None:
        for name in named:
            assert getattr(bundle.provider, name) is not None, name

    recorded()
