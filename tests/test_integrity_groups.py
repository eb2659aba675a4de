"""The duplicate and shared-certificate groups: exactly the people with equal keys, in an order
that depends on the keys alone, found without a table of every person's keys."""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_std.domain import integrity
from safeguard_std.domain.integrity import (
    CertificateKeys,
    PersonKeys,
    duplicates,
    name_key,
    possible_duplicates,
    shared_certificates,
)
from safeguard_std.domain.people import Jurisdiction


def _reference(keyed: dict[Any, list[Any]]) -> list[list[Any]]:
    return [keyed[k] for k in sorted((k for k, v in keyed.items() if len(v) > 1), key=repr)]


def _exact(people: list[PersonKeys]) -> list[list[int]]:
    keyed: dict[Any, list[int]] = defaultdict(list)
    for i, p in enumerate(people):
        if p.date_of_birth is not None and name_key(p.full_name):
            keyed[(name_key(p.full_name), p.date_of_birth)].append(i)
    return _reference(keyed)


def _certificates(people: list[PersonKeys]) -> list[list[tuple[int, int]]]:
    keyed: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    for i, p in enumerate(people):
        for j, c in enumerate(p.dbs_checks):
            if c.certificate_number:
                keyed[(c.jurisdiction, c.certificate_number)].append((i, j))
    return [g for g in _reference(keyed) if len({people[i].id for i, _ in g}) > 1]


_people = st.lists(
    st.builds(
        PersonKeys,
        id=st.sampled_from(["p-1", "p-2", "p-3", "p-4"]),
        full_name=st.sampled_from([None, "", "Ann Smith", "smith, ann", "Bo Smith", "Ann Jones"]),
        previous_names=st.lists(st.sampled_from(["Ann Smith", "Cy Jones", " "]), max_size=2).map(
            tuple
        ),
        date_of_birth=st.sampled_from([None, dt.date(1980, 2, 1), dt.date(1990, 3, 4)]),
        dbs_checks=st.lists(
            st.builds(
                CertificateKeys,
                jurisdiction=st.sampled_from(list(Jurisdiction)),
                certificate_number=st.sampled_from([None, "", "001", "002"]),
            ),
            max_size=2,
        ).map(tuple),
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(people=_people, collide=st.booleans())
def test_groups_are_exactly_those_of_equal_keys(people: list[PersonKeys], collide: bool) -> None:
    # Every key hashing alike (collide) must change nothing: hashes only choose candidates.
    with pytest.MonkeyPatch.context() as patch:
        if collide:
            patch.setattr(integrity, "hash", lambda _key: 7, raising=False)
        assert list(duplicates(people)) == _exact(people)
        assert list(shared_certificates(people)) == _certificates(people)
        near = list(possible_duplicates(people))
    for group in near:
        assert len(group) > 1
        assert all(people[i].date_of_birth == people[group[0]].date_of_birth for i in group)


def test_no_table_of_every_persons_keys_is_built() -> None:
    # 20,000 people, none alike: the groups are found keeping eight bytes per key, not a table
    # of every key and its people (about 300 bytes each).
    people = [
        PersonKeys(
            f"p-{i}",
            f"Person {chr(97 + i % 26)}{i // 26:x}".replace("0", "o"),
            (),
            dt.date(1960, 1, 1) + dt.timedelta(days=i),
            (CertificateKeys(Jurisdiction.DBS, f"{i:012d}"),),
        )
        for i in range(20_000)
    ]
    tracemalloc.start()
    try:
        found = [*duplicates(people), *possible_duplicates(people), *shared_certificates(people)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == []
    assert peak < 20_000 * 100, f"{peak:,} bytes"


def _slow_not_yet_together(
    people: list[PersonKeys],
    group: list[int],
    exact_of: dict[int, int],
    near_of: dict[int, set[int]],
) -> list[tuple[int, tuple[str, ...], int]]:
    """The rule as first written: for each member, the list of every other not yet reported
    with them (quadratic in the group's size)."""
    out = []
    for i in group:
        mine = exact_of.get(i)
        others = [
            people[j].id
            for j in group
            if j != i
            and (mine is None or exact_of.get(j) != mine)
            and not (near_of.get(i, set()) & near_of.get(j, set()))
        ]
        if others:
            out.append((i, tuple(others[:3]), len(others)))
    return out


@settings(max_examples=300, deadline=None)
@given(
    size=st.integers(1, 12),
    exact=st.lists(st.one_of(st.none(), st.integers(0, 2)), min_size=12, max_size=12),
    near=st.lists(st.frozensets(st.integers(0, 3), max_size=2), min_size=12, max_size=12),
)
def test_others_not_yet_reported_are_those_of_the_rule_as_first_written(
    size: int, exact: list[int | None], near: list[frozenset[int]]
) -> None:
    from safeguard_std.domain.consistency import _not_yet_together

    people = [PersonKeys(f"p-{i}", "A B", (), None, ()) for i in range(size)]
    group = list(range(size))
    exact_of = {i: e for i, e in enumerate(exact[:size]) if e is not None}
    near_of = {i: set(n) for i, n in enumerate(near[:size]) if n}
    expected = _slow_not_yet_together(people, group, exact_of, near_of)
    ids = [p.id for p in people]
    assert list(_not_yet_together(ids, group, exact_of, near_of)) == expected


def test_one_person_on_every_row_costs_time_in_proportion() -> None:
    # A record pasted down every row: one exact group and one near group of everyone. Each
    # member's others were listed in full for every member: sixteen times the time for four
    # times the rows. Now in proportion (CPU time, best of three, with room for a busy machine).
    from safeguard_std.domain.consistency import _duplicates
    from safeguard_std.domain.integrity import groups

    def cost(n: int) -> float:
        same = [PersonKeys(f"p-{i}", "Ann Smith", (), dt.date(1980, 2, 1), ()) for i in range(n)]
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            found = list(_duplicates([p.id for p in same], groups(same)))
            best = min(best, time.process_time() - start)
        assert len(found) == n  # each is reported once, as an exact duplicate
        return best

    small, large = cost(2_000), cost(8_000)
    assert large < 8 * small, f"{small:.3f} s for 2,000, {large:.3f} s for 8,000"
