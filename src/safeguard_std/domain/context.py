"""What the evaluator knows while judging one bundle on one date: indexes built once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import attrs

from safeguard_std.domain.calendar import WorkingDayCalendar
from safeguard_std.domain.known_on import known_on
from safeguard_std.domain.organisation import (
    Attestation,
    EvidenceBundle,
    LeadRole,
    LeadRoleKind,
    Waiver,
)
from safeguard_std.domain.people import Engagement, Person

__all__ = ["EvaluationContext"]


def _keys(requirement_id: str, subject_id: str | None) -> list[tuple[str, str | None]]:
    """Lookup keys, most specific first. A requirement included under a namespace
    (``kcsie:KCSIE-X``) is also found by its own id (``KCSIE-X``), so evidence recorded against
    the national pack serves every board pack that includes it; the namespaced id wins."""
    ids = [requirement_id]
    if ":" in requirement_id:
        ids.append(requirement_id.rsplit(":", 1)[1])
    return [(rid, sid) for rid in ids for sid in (subject_id, None)]


def _latest_first(items: list[Attestation]) -> tuple[Attestation, ...]:
    return tuple(sorted(items, key=lambda a: (a.attested_on, a.id), reverse=True))


_Engaged = dict[str, tuple[Engagement, ...]]


def _engagements(people: list[Person], as_of: dt.date) -> tuple[_Engaged, _Engaged]:
    """Each person's engagements in force on ``as_of``, by id; and, for those with none, the
    engagements starting after it (future starters)."""
    active: _Engaged = {}
    upcoming: _Engaged = {}
    for person in people:
        engaged = person.active_engagements(as_of)
        if engaged:
            active[person.id] = engaged
            continue
        later = tuple(
            e for e in person.engagements if e.start_on is not None and e.start_on > as_of
        )
        if later:
            upcoming[person.id] = later
    return active, upcoming


def _roles_by_person(roles: tuple[LeadRole, ...]) -> dict[str, frozenset[LeadRoleKind]]:
    by_person: dict[str, set[LeadRoleKind]] = defaultdict(set)
    for role in roles:
        by_person[role.person_id].add(role.kind)
    return {k: frozenset(s) for k, s in by_person.items()}


def _attestations(
    given: tuple[Attestation, ...], as_of: dt.date
) -> dict[tuple[str, str | None], tuple[Attestation, ...]]:
    """Attestations made on or before ``as_of``, latest first, by (requirement, subject)."""
    found: dict[tuple[str, str | None], list[Attestation]] = defaultdict(list)
    for att in given:
        if att.attested_on <= as_of:
            found[(att.requirement_id, att.subject_id)].append(att)
    return {k: _latest_first(a) for k, a in found.items()}


def _waivers(
    given: tuple[Waiver, ...], as_of: dt.date
) -> dict[tuple[str, str | None], tuple[Waiver, ...]]:
    """Waivers active on ``as_of``, by id, by (requirement, subject)."""
    found: dict[tuple[str, str | None], list[Waiver]] = defaultdict(list)
    for waiver in given:
        if waiver.is_active(as_of):
            found[(waiver.requirement_id, waiver.subject_id)].append(waiver)
    return {k: tuple(sorted(w, key=lambda x: x.id)) for k, w in found.items()}


@attrs.frozen(kw_only=True)
class EvaluationContext:
    """A bundle, the ``as_of`` date, and lookups every rule would otherwise rebuild.

    Everything here is derived from ``bundle`` and ``as_of`` alone, in an order that does not
    depend on the order of the bundle's lists (ties are broken by id).
    """

    bundle: EvidenceBundle
    as_of: dt.date
    people_by_id: Mapping[str, Person]
    current_people: tuple[Person, ...]
    active_roles: tuple[LeadRole, ...]
    roles_by_person: Mapping[str, frozenset[LeadRoleKind]]
    attestations: Mapping[tuple[str, str | None], tuple[Attestation, ...]]
    waivers: Mapping[tuple[str, str | None], tuple[Waiver, ...]]
    #: Each current person's engagements in force on ``as_of``, by person id; for a future
    #: starter, the engagements that start after ``as_of``.
    engagements: Mapping[str, tuple[Engagement, ...]] = attrs.field(factory=dict)
    #: The calendar working-day periods (``P1WD``) count over; ``None``: each rule's default.
    working_days: WorkingDayCalendar | None = None
    #: People with no engagement in force on ``as_of`` but one starting after it, by id: judged
    #: on what must be done before they start (rule kinds marked ``before_start``).
    future_starters: tuple[Person, ...] = ()
    #: Each future starter's first start date, by person id.
    starts_on: Mapping[str, dt.date] = attrs.field(factory=dict)
    #: Work one rule kind shares between requirements for the same subject during this
    #: evaluation (keys name their kind; entries hold their subject, so an id is never reused
    #: while its entry lives). Not part of what the context says, and bounded by its users.
    scratch: dict[Any, Any] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def build(
        cls,
        bundle: EvidenceBundle,
        as_of: dt.date,
        working_days: WorkingDayCalendar | None = None,
    ) -> EvaluationContext:
        """Index ``bundle``, as known on ``as_of`` (:func:`known_on`), for evaluation then."""
        bundle = known_on(bundle, as_of)
        people = sorted(bundle.people, key=lambda p: p.id)
        active, upcoming = _engagements(people, as_of)
        roles = tuple(
            sorted((r for r in bundle.lead_roles if r.is_active(as_of)), key=lambda r: r.id)
        )
        return cls(
            bundle=bundle,
            as_of=as_of,
            people_by_id={p.id: p for p in people},
            current_people=tuple(p for p in people if p.id in active),
            engagements={**active, **upcoming},
            future_starters=tuple(p for p in people if p.id in upcoming),
            starts_on={
                k: min(e.start_on for e in v if e.start_on is not None) for k, v in upcoming.items()
            },
            active_roles=roles,
            roles_by_person=_roles_by_person(roles),
            attestations=_attestations(bundle.attestations, as_of),
            waivers=_waivers(bundle.waivers, as_of),
            working_days=working_days,
        )

    def engagements_of(self, person: Person) -> tuple[Engagement, ...]:
        """The person's engagements in force on ``as_of`` (worked out once, when the context is
        built, for everyone in the bundle)."""
        found = self.engagements.get(person.id)
        if found is None or self.people_by_id.get(person.id) is not person:
            return person.active_engagements(self.as_of)  # not this bundle's person
        return found

    def has_waiver(self, requirement_id: str) -> bool:
        """Whether an active waiver names the requirement (for any subject, or as a whole;
        for an included requirement, under its own id too)."""
        ids = {rid for rid, _subject in _keys(requirement_id, None)}
        return any(rid in ids for rid, _subject in self.waivers)

    def has_attestation(self, requirement_id: str) -> bool:
        """Whether an attestation on or before ``as_of`` names the requirement (for any subject,
        or as a whole; for an included requirement, under its own id too)."""
        ids = {rid for rid, _subject in _keys(requirement_id, None)}
        return any(rid in ids for rid, _subject in self.attestations)

    def holders(self, kind: LeadRoleKind) -> tuple[LeadRole, ...]:
        """Active holders of a lead role, by role id."""
        return tuple(r for r in self.active_roles if r.kind is kind)

    def attestation_for(self, requirement_id: str, subject_id: str | None) -> Attestation | None:
        """The latest attestation on or before ``as_of`` for the requirement and subject (a
        subject-specific one first, then one for the requirement as a whole; for an included
        requirement, then the same under the included pack's own id)."""
        for key in _keys(requirement_id, subject_id):
            found = self.attestations.get(key)
            if found:
                return found[0]
        return None

    def waiver_for(self, requirement_id: str, subject_id: str | None) -> Waiver | None:
        """An active waiver for the requirement and subject, or for the requirement as a whole."""
        for key in _keys(requirement_id, subject_id):
            found = self.waivers.get(key)
            if found:
                return found[0]
        return None
