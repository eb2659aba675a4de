"""The bundle under repair (:class:`Fix`), and records that satisfy every rule of their family."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from safeguard_std.domain.calendar import Period
from safeguard_std.domain.organisation import EvidenceBundle, PolicyDocument, PolicyKind
from safeguard_std.domain.people import (
    DbsCheck,
    DbsDisclosure,
    DbsLevel,
    DbsWorkforce,
    IdentityCheck,
    IdentityDocument,
    IdentityDocumentType,
    Jurisdiction,
    Person,
    RightToWorkCheck,
    TrainingCourse,
    TrainingRecord,
)
from safeguard_std.strategies._demands import Demands, span_days, within
from safeguard_std.strategies._gen import HISTORY_DAYS, Gen
from safeguard_std.strategies._organisation import _ALL_TITLES as ALL_TITLES
from safeguard_std.strategies._organisation import _PEOPLE_NAMES as PEOPLE_NAMES
from safeguard_std.strategies._organisation import ACTIVITIES, TOPICS, strings
from safeguard_std.strategies._people import synthetic_dbs_number

__all__ = ["Fix", "gold_dbs", "gold_policy"]


_LEVELS = (DbsLevel.BASIC, DbsLevel.STANDARD, DbsLevel.ENHANCED)


@attrs.define
class Fix:
    """The bundle being repaired, and how (``exact``: dates on ``as_of`` itself)."""

    gen: Gen
    demands: Demands
    bundle: EvidenceBundle
    exact: bool = False

    @property
    def as_of(self) -> dt.date:
        return self.gen.as_of

    def recent(self, periods: Iterable[Period | None] = ()) -> dt.date:
        """A date no later than ``as_of`` that is still current under every period."""
        wanted = [p for p in periods if p is not None]
        if self.exact:
            return self.as_of
        limit = min((span_days(self.as_of, p) for p in wanted), default=HISTORY_DAYS)
        date = self.gen.past(max_days=limit)
        return date if within(date, wanted, self.as_of) else self.as_of

    def person(self, person_id: str | None) -> Person | None:
        return next((p for p in self.bundle.people if p.id == person_id), None)

    def put(self, person: Person) -> None:
        people = tuple(person if p.id == person.id else p for p in self.bundle.people)
        self.bundle = attrs.evolve(self.bundle, people=people)

    def change(self, person_id: str | None, **fields: Any) -> None:
        person = self.person(person_id)
        if person is not None:
            self.put(attrs.evolve(person, **fields))


def gold_dbs(fix: Fix) -> DbsCheck:
    """A DBS check meeting every DBS rule in the pack: level, barred list, workforce, date."""
    gen, want = fix.gen, fix.demands.dbs
    jurisdiction = gen.choice(sorted(want.jurisdictions, key=list(Jurisdiction).index))
    level = DbsLevel.ENHANCED if fix.exact else gen.choice(_LEVELS[_LEVELS.index(want.level) :])
    n = gen.number("dbs")
    issued = fix.recent(want.periods)
    return DbsCheck(
        id=gen.id("dbs"),
        jurisdiction=jurisdiction,
        certificate_number=(
            synthetic_dbs_number(n)
            if jurisdiction is Jurisdiction.DBS
            else f"TEST-{jurisdiction.value.upper()}-{n:04d}"
        ),
        level=level,
        barred_list_children=True if want.barred_list_children else gen.flag(),
        workforce=(
            gen.choice(sorted(want.workforce))
            if want.workforce is not None
            else gen.maybe(lambda: gen.choice(list(DbsWorkforce)))
        ),
        issued_on=issued,
        seen_on=gen.between(issued, fix.as_of),
        seen_by="Test Checker A",
        disclosure=DbsDisclosure.CLEAR,  # a gold record says what it disclosed
    )


def _gold_identity(fix: Fix) -> IdentityCheck:
    gen = fix.gen
    docs = [
        IdentityDocument(type=IdentityDocumentType.PASSPORT, photo=True, shows_address=False),
        IdentityDocument(type=IdentityDocumentType.UTILITY_BILL, photo=False, shows_address=True),
    ]
    return IdentityCheck(
        id=gen.id("idc"),
        checked_on=gen.past(),
        checked_by="Test Checker A",
        documents=tuple(gen.permutation(docs)),
    )


def _gold_right_to_work(fix: Fix) -> RightToWorkCheck:
    gen = fix.gen
    limited = False if fix.exact else gen.boolean()
    return RightToWorkCheck(
        id=gen.id("rtw"),
        checked_on=gen.past(),
        checked_by="Test Checker B",
        time_limited=limited,
        permission_expires_on=gen.future() if limited else None,
    )


def _in_date(fix: Fix) -> dict[str, Any]:
    """Approval, review and next-review dates in date for every review period in the pack."""
    periods = [
        Period.parse(s.params["review_period"])
        for s in fix.demands.of_kind("policy_current")
        if "review_period" in s.params
    ]
    reviewed = fix.recent(periods)
    return {
        "approved_on": fix.gen.between(reviewed - dt.timedelta(days=30), reviewed),
        "last_reviewed_on": reviewed,
        "next_review_on": fix.gen.future(),
    }


def gold_policy(fix: Fix, kind: PolicyKind) -> PolicyDocument:
    """A policy of ``kind`` that is approved, in date for every review period, and published.

    Drawn directly rather than as a random policy then overwritten: what would be overwritten
    (kind, dates, flags) is not drawn at all."""
    gen = fix.gen
    return PolicyDocument(
        id=gen.id("pol"),
        kind=kind,
        title=f"Test {kind.value.replace('_', ' ')} policy",
        activity=gen.choice(ACTIVITIES) if kind is PolicyKind.ACTIVITY else None,
        approved_by=gen.choice(PEOPLE_NAMES),
        **_in_date(fix),
        published_to_staff=True,
        published_on_website=True,
        issued_at_induction=True,
        covered_in_training=True,
        topics=strings(gen.subset(TOPICS)),
        references=strings(gen.subset(ALL_TITLES)[:3]),
    )


def _training(fix: Fix, course: TrainingCourse, on: dt.date) -> TrainingRecord:
    return TrainingRecord(
        id=fix.gen.id("trn"),
        course=course,
        completed_on=on,
        provider_org="Example Training Ltd",
        recognised_by_partnership=True,
        includes_online_safety=True,
    )
