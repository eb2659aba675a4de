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
