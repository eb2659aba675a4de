"""The fast walk ``known_on`` uses to find each person's latest date agrees with the generic walk
over every field, on generated bundles holding every kind of record."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from safeguard_std.domain.known_on import _dates, _latest_dates, _person, known_on
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.strategies import evidence_bundles


@given(evidence_bundles(max_people=4), st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)))
def test_latest_dates_agree_with_the_generic_walk(bundle: EvidenceBundle, day: dt.date) -> None:
    overall, each = _latest_dates(bundle)
    assert overall == max(_dates(bundle), default=None)
    assert each == tuple(max(_dates(p), default=None) for p in bundle.people)
    before = tuple(_person(p, day) if any(d > day for d in _dates(p)) else p for p in bundle.people)
    assert known_on(bundle, day).people == before


def test_an_optional_list_of_records_is_walked_too() -> None:
    # The allegations log is ``tuple[Allegation, ...] | None``: the fast walk once skipped every
    # field of that shape, so a bundle whose only dates were allegations had no latest date
    # (found by the long property run).
    from safeguard_std.domain.allegations import Allegation
    from safeguard_std.domain.organisation import LegalForm, Provider, ProviderKind

    bundle = EvidenceBundle(
        id="bundle-1",
        provider=Provider(
            id="prov-1",
            name="Example Provider 1",
            kind=ProviderKind.MAINTAINED_SCHOOL,
            legal_form=LegalForm.COMPANY,
        ),
        allegations=(
            Allegation(id="alg-1", received_on=None),
            Allegation(id="alg-2", received_on=dt.date(2025, 9, 1)),
        ),
    )
    assert _latest_dates(bundle) == (dt.date(2025, 9, 1), ())
    assert max(_dates(bundle)) == dt.date(2025, 9, 1)
