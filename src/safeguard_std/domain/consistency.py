"""Cross-field checks on an evidence bundle: dates that cannot be right, and records that are
probably wrong. Pure: no I/O, no clock (``as_of`` is the caller's).

Errors are data that cannot be true: an event dated after ``as_of``, a check dated before the
person was born, a policy reviewed before it was approved, a self-audit submitted before it was
requested, a status check before its certificate was issued. (Rules the model itself enforces,
such as a certificate seen before it was issued or an end before a start, fail when the bundle is
loaded.) Warnings are records that are probably wrong or need a person's eye: references received
after the person started, an engagement with no start date, leavers still on the record, one DBS
certificate number on two people, the same person twice, a lead role held by someone no longer
engaged.

Messages never quote names, dates of birth, addresses or certificate numbers; they point to
records by id and path.
"""

from __future__ import annotations

import abc
import bisect
import datetime as dt
import enum
import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

import attrs

from safeguard_std.domain import integrity
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack, SubjectType
from safeguard_std.domain.people import (
    Person,
    RegulatedActivity,
    RoleType,
    SuitabilityCheckKind,
)
from safeguard_std.domain.predicates import comparisons

__all__ = [
    "ConsistencyByPerson",
    "Inconsistency",
    "Severity",
    "check_consistency",
    "person_contradictions",
    "unused_attestations",
]

Path = tuple[str | int, ...]


class Severity(enum.StrEnum):
    """``error``: cannot be true. ``warning``: probably wrong, or against good practice."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Inconsistency:
    """One cross-field problem: what, where (a path into the bundle) and which records."""

    severity: Severity
    code: str
    message: str
    path: Path
    subject: str | None = None
    related: tuple[str, ...] = ()
    #: For a group (a duplicate, a shared certificate): every member's id, one tuple shared by
    #: all members' items, and how many others this item's message counts. Not compared.
    group: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)
    others: int = attrs.field(default=0, eq=False, repr=False)


# Fields recording something that has happened: dated after as_of, they cannot be right.
# Start and end dates, review-due dates and expiries may lie in the future.
_PERSON_EVENTS: dict[str, tuple[str, ...]] = {
    "identity_check": ("checked_on",),
    "right_to_work": ("checked_on",),
    "qualification_checks": ("checked_on",),
    "dbs_checks": ("issued_on", "seen_on"),
    "update_service": ("subscribed_on",),
    "suitability_checks": ("checked_on",),
    "references": ("received_on", "verified_on"),
    "risk_assessments": ("completed_on", "shared_with_lado_on"),
    "lado_notifications": ("notified_on",),
    "training": ("completed_on",),
}
_BUNDLE_EVENTS: dict[str, tuple[str, ...]] = {
    "policies": ("approved_on", "last_reviewed_on"),
    "training_needs_analyses": ("reviewed_on",),
    "record_reviews": ("reviewed_on",),
    "self_audits": ("requested_on", "submitted_on"),
    "subscriptions": ("subscribed_on",),
    "information_requests": ("requested_on", "provided_on"),
    "attestations": ("attested_on",),
    "waivers": ("granted_on",),
}
_CONTRACT_EVENTS: dict[str, tuple[str, ...]] = {
    "monitoring_meetings": ("held_on",),
    "section11_audits": ("submitted_on",),
    "thematic_checks": ("completed_on",),
}


def _records(owner: Any, name: str) -> Iterator[tuple[Path, Any]]:
    value = getattr(owner, name)
    if value is None:
        return
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            yield (name, i), item
    else:
        yield (name,), value


Dated = tuple[Path, str, dt.date, bool]


def _person_dates(person: Person) -> list[Dated]:
    """Every date on a person's record: (path to its record, field, date, is it a past event).

    Run for every person of a bundle, so written as plain loops: no generators, and the path to
    a record is built once for all its dates."""
    out: list[Dated] = []
    if person.record_updated_on is not None:
        out.append(((), "record_updated_on", person.record_updated_on, True))
    for i, engagement in enumerate(person.engagements):
        if engagement.start_on is not None:
            out.append((("engagements", i), "start_on", engagement.start_on, False))
        if engagement.end_on is not None:
            out.append((("engagements", i), "end_on", engagement.end_on, False))
    for name, fields in _PERSON_EVENTS.items():
        value = getattr(person, name)
        if value is None:
            continue
        items: list[tuple[Path, Any]] = (
            [((name, i), r) for i, r in enumerate(value)]
            if isinstance(value, tuple)
            else [((name,), value)]
        )
        for prefix, record in items:
            for field in fields:
                day = getattr(record, field)
                if day is not None:
                    out.append((prefix, field, day, True))
    if person.update_service is not None:
        for i, check in enumerate(person.update_service.status_checks):
            where: Path = ("update_service", "status_checks", i)
            out.append((where, "checked_on", check.checked_on, True))
    rtw = person.right_to_work
    if rtw is not None and rtw.permission_expires_on is not None:
        out.append((("right_to_work",), "permission_expires_on", rtw.permission_expires_on, False))
    return out


def _future(path: Path, day: dt.date, as_of: dt.date, subject: str | None) -> Inconsistency:
    return Inconsistency(
        Severity.ERROR,
        "date.future",
        f"dated {day.isoformat()}, after the as-of date {as_of.isoformat()}: a completed "
        "check or event cannot be in the future",
        path,
        subject,
    )


def _people(bundle: EvidenceBundle, as_of: dt.date | None) -> Iterator[Inconsistency]:
    for i, person in enumerate(bundle.people):
        yield from _person(person, i, as_of)


def _person(person: Person, i: int, as_of: dt.date | None) -> Iterator[Inconsistency]:
    """The problems within one person's record (the ``i``-th of the bundle's people)."""
    base: Path = ("people", i)
    yield from _errors(person, base, as_of)
    yield from _barred_not_permitted(person, base)
    yield from _references_after_start(person, base)
    yield from _no_start(person, base, as_of)
    if as_of is not None:
        yield from _leaver(person, base, as_of)


def _errors(person: Person, base: Path, as_of: dt.date | None) -> Iterator[Inconsistency]:
    """The errors within one person's record: dates that cannot be right."""
    born = person.date_of_birth
    for prefix, field, day, event in _person_dates(person):
        if as_of is not None and event and day > as_of:
            yield _future((*base, *prefix, field), day, as_of, person.id)
        if born is not None and day < born:
            yield Inconsistency(
                Severity.ERROR,
                "date.before_birth",
                f"'{field}' is before the person's date of birth",
                (*base, *prefix, field),
                person.id,
            )
    if as_of is not None and born is not None and born > as_of:
        yield Inconsistency(
            Severity.ERROR,
            "date.future",
            f"the date of birth is after the as-of date {as_of.isoformat()}",
            (*base, "date_of_birth"),
            person.id,
        )
    yield from _status_checks(person, base)


def person_contradictions(person: Person, as_of: dt.date) -> tuple[tuple[str, str], ...]:
    """The errors within ``person``'s record on ``as_of`` (what :func:`check_consistency`
    reports with severity ``error`` for them), each as ``(code, where)``, sorted: ``where`` is
    the path within the person's record, naming records by id rather than position
    (``dbs_checks[dbs-1].issued_on``), so it does not depend on the order of any list, and never
    quoting a value. The evaluator downgrades a ``met`` resting on such a record."""
    if not _may_contradict(person, as_of):
        return ()  # the usual record, told apart without building its list of dates
    found = {(x.code, _where(person, x.path[2:])) for x in _errors(person, ("people", 0), as_of)}
    return tuple(sorted(found))


def _may_contradict(person: Person, as_of: dt.date) -> bool:
    """Whether :func:`_errors` may find anything: a date of birth after ``as_of`` or after a
    date on the record, an event after ``as_of``, or an Update Service status check (compared
    with its certificate's issue date). One pass over the dates, keeping two of them."""
    born = person.date_of_birth
    if born is not None and born > as_of:
        return True
    low = born  # a date before this one is before birth
    sub = person.update_service
    if sub is not None and sub.status_checks:
        issued = {c.id: c.issued_on for c in person.dbs_checks}
        for check in sub.status_checks:
            day = check.checked_on
            if day > as_of or (low is not None and day < low):
                return True
            first = issued.get(check.dbs_check_id or "")
            if first is not None and day < first:
                return True
    for name, fields in _PERSON_EVENTS.items():
        value = getattr(person, name)
        if value is None:
            continue
        for record in value if isinstance(value, tuple) else (value,):
            for field in fields:
                day = getattr(record, field)
                if day is not None and (day > as_of or (low is not None and day < low)):
                    return True
    if low is None:
        return person.record_updated_on is not None and person.record_updated_on > as_of
    dates = [e.start_on for e in person.engagements] + [e.end_on for e in person.engagements]
    rtw = person.right_to_work
    dates += [person.record_updated_on, rtw.permission_expires_on if rtw is not None else None]
    return any(day is not None and day < low for day in dates) or (
        person.record_updated_on is not None and person.record_updated_on > as_of
    )


def _where(record: Any, path: Path) -> str:
    """``path`` within ``record`` as text, each list item named by its id."""
    out = ""
    for step in path:
        if isinstance(step, int):
            record = record[step]
            out += f"[{getattr(record, 'id', step)}]"
        else:
            record = getattr(record, step, None)
            out += f".{step}" if out else step
    return out


def _status_checks(person: Person, base: Path) -> Iterator[Inconsistency]:
    if person.update_service is None:
        return
    issued = {c.id: c.issued_on for c in person.dbs_checks}
    for i, check in enumerate(person.update_service.status_checks):
        day = issued.get(check.dbs_check_id or "")
        if day is not None and check.checked_on < day:
            yield Inconsistency(
                Severity.ERROR,
                "update_service.check_before_issue",
                f"status check on {check.checked_on.isoformat()} is before the certificate "
                f"{check.dbs_check_id!r} was issued ({day.isoformat()})",
                (*base, "update_service", "status_checks", i, "checked_on"),
                person.id,
            )


def _barred_not_permitted(person: Person, base: Path) -> Iterator[Inconsistency]:
    # KCSIE (volunteers) and the DBS: a barred-list check may only be asked for someone in
    # regulated activity, and a supervised volunteer is not. Recording one suggests an unlawful
    # check, or a volunteer who is not in fact supervised.
    engagements = person.engagements
    if not engagements or not all(
        e.role_type is RoleType.VOLUNTEER
        and e.supervised is True
        and e.regulated_activity is not RegulatedActivity.YES
        for e in engagements
    ):
        return
    paths: list[Path] = [
        (*base, "suitability_checks", i)
        for i, check in enumerate(person.suitability_checks)
        if check.kind is SuitabilityCheckKind.BARRED_LIST
    ]
    paths += [
        (*base, "dbs_checks", i, "barred_list_children")
        for i, dbs in enumerate(person.dbs_checks)
        if dbs.barred_list_children
    ]
    if paths:
        yield Inconsistency(
            Severity.WARNING,
            "dbs.barred_check_not_permitted",
            "a children's barred-list check is recorded for a supervised volunteer, who is not "
            "in regulated activity: the check is not permitted (or the volunteer is not "
            "supervised)",
            paths[0],
            person.id,
        )


def _references_after_start(person: Person, base: Path) -> Iterator[Inconsistency]:
    starts = [e.start_on for e in person.engagements if e.start_on is not None]
    if not starts:
        return
    start = min(starts)
    for i, reference in enumerate(person.references):
        if reference.received_on is not None and reference.received_on > start:
            yield Inconsistency(
                Severity.WARNING,
                "reference.after_start",
                f"reference received on {reference.received_on.isoformat()}, after the person "
                f"started on {start.isoformat()}",
                (*base, "references", i, "received_on"),
                person.id,
            )


def _no_start(person: Person, base: Path, as_of: dt.date | None) -> Iterator[Inconsistency]:
    # Taken as in force (docs/dates.md, rule 7), so the person is judged; but every finding that
    # turns on when they started asks for the date. One that ended before as_of is not judged.
    for i, engagement in enumerate(person.engagements):
        end = engagement.end_on
        if engagement.start_on is None and (as_of is None or end is None or end >= as_of):
            yield Inconsistency(
                Severity.WARNING,
                "engagement.no_start",
                "the engagement has no start date: it is taken as in force, and what depends on "
                "when the person started (induction, new-starter periods, how long they are "
                "engaged) asks for it",
                (*base, "engagements", i),
                person.id,
            )


def _leaver(person: Person, base: Path, as_of: dt.date) -> Iterator[Inconsistency]:
    ends = [e.end_on for e in person.engagements]
    if person.engagements and all(end is not None and end < as_of for end in ends):
        last = max(end for end in ends if end is not None)
        yield Inconsistency(
            Severity.WARNING,
            "person.leaver",
            f"left on {last.isoformat()}, before the as-of date: leavers should be removed "
            "from the single central record",
            (*base, "engagements"),
            person.id,
        )


_SHOWN = 3  # members of a group named in each member's message; the rest are counted


def _others(ids: Sequence[str], skip: int | None = None) -> tuple[str, tuple[str, ...]]:
    """The text naming the other members of a group (``ids`` without the one at ``skip``), and
    the ids it names: all of a small group, a few and a count of a large one, so reporting a
    group of n costs O(n), not O(n^2)."""
    count = len(ids) - (skip is not None)
    shown = tuple(itertools.islice((x for k, x in enumerate(ids) if k != skip), _SHOWN))
    return _named(shown, count), shown


def _named(shown: tuple[str, ...], count: int) -> str:
    """The text naming ``count`` others, of whom ``shown`` are the first."""
    if count <= _SHOWN:
        return ", ".join(shown)
    return f"{count} other people: {', '.join(shown)} and {count - _SHOWN} more"


def _duplicates(ids: Sequence[str], found: integrity.Groups) -> Iterator[Inconsistency]:
    # ``ids``: each person's id, by their place among the people.
    # Which exact group, and which near groups, each person was reported in: two people are
    # reported together once (kept per person, so a large group stays linear).
    exact_of: dict[int, int] = {}
    for g, group in enumerate(found.duplicates):
        members = tuple(ids[j] for j in group)
        for n, i in enumerate(group):
            exact_of[i] = g
            text, related = _others(members, n)
            yield Inconsistency(
                Severity.WARNING,
                integrity.DUPLICATE,
                "same name and date of birth as " + text,
                ("people", i),
                ids[i],
                related,
                members,
                len(members) - 1,
            )
    near_of: dict[int, set[int]] = defaultdict(set)
    for g, group in enumerate(found.possible_duplicates):
        members = tuple(ids[j] for j in group)
        for i, shown, count in _not_yet_together(ids, group, exact_of, near_of):
            yield Inconsistency(
                Severity.WARNING,
                "person.possible_duplicate",
                "same surname (or a previous surname) and date of birth as "
                + _named(shown, count)
                + ": the same person under another name?",
                ("people", i),
                ids[i],
                shown,
                members,
                count,
            )
        for i in group:
            near_of[i].add(g)


def _not_yet_together(
    ids: Sequence[str],
    group: list[int],
    exact_of: dict[int, int],
    near_of: dict[int, set[int]],
) -> Iterator[tuple[int, tuple[str, ...], int]]:
    """For each person ``i`` of a near ``group`` with others in it not already reported with
    them (in the same exact group, or an earlier near group): ``i``, the first of those others'
    ids (as many as are named) and how many there are.

    Members alike (the same exact group and earlier near groups) have the same others, so they
    are worked out once per kind of member: a group of one person on ten thousand rows is one
    kind, not ten thousand lists of ten thousand."""
    kinds: dict[tuple[int | None, frozenset[int]], list[int]] = {}
    kind_of = []
    for at, j in enumerate(group):
        key = (exact_of.get(j), frozenset(near_of.get(j, ())))
        kinds.setdefault(key, []).append(at)
        kind_of.append(key)
    firsts: dict[tuple[int | None, frozenset[int]], tuple[list[int], int, bool]] = {}
    for mine in kinds:
        exact, near = mine
        apart = [
            positions
            for (other_exact, other_near), positions in kinds.items()
            if (exact is None or other_exact != exact) and not (near & other_near)
        ]
        # The first few of them in the group's order (one more, in case one is the person).
        first = list(itertools.islice(heapq.merge(*apart), _SHOWN + 1))
        count = sum(len(p) for p in apart)
        firsts[mine] = (first, count, exact is None and not near)  # apart from its own kind?
    for at, i in enumerate(group):
        first, count, with_self = firsts[kind_of[at]]
        if with_self:
            count -= 1
        if count:
            shown = tuple(ids[group[k]] for k in first if k != at)[:_SHOWN]
            yield i, shown, count


def _shared_certificates(ids: Sequence[str], groups: integrity.Groups) -> Iterator[Inconsistency]:
    for found in groups.shared_certificates:
        ordered = tuple(sorted({ids[i] for i, _ in found}))
        for i, j in found:
            me = ids[i]
            text, related = _others(ordered, bisect.bisect_left(ordered, me))
            yield Inconsistency(
                Severity.WARNING,
                integrity.SHARED_CERTIFICATE,
                "the same certificate number is recorded for "
                + text
                + ": a certificate belongs to one person",
                ("people", i, "dbs_checks", j, "certificate_number"),
                me,
                related,
                ordered,
                len(ordered) - 1,
            )


def _organisation(bundle: EvidenceBundle, as_of: dt.date | None) -> Iterator[Inconsistency]:
    owners: list[tuple[Path, Any, dict[str, tuple[str, ...]]]] = [((), bundle, _BUNDLE_EVENTS)]
    if bundle.contract is not None:
        owners.append((("contract",), bundle.contract, _CONTRACT_EVENTS))
    for prefix, owner, table in owners:
        for name, fields in table.items():
            for path, record in _records(owner, name):
                for field in fields:
                    day = getattr(record, field)
                    if as_of is not None and day is not None and day > as_of:
                        yield _future((*prefix, *path, field), day, as_of, record.id)
    for i, policy in enumerate(bundle.policies):
        if (
            policy.approved_on
            and policy.last_reviewed_on
            and policy.last_reviewed_on < policy.approved_on
        ):
            yield Inconsistency(
                Severity.ERROR,
                "policy.review_before_approval",
                f"last reviewed on {policy.last_reviewed_on.isoformat()}, before it was approved "
                f"on {policy.approved_on.isoformat()}",
                ("policies", i, "last_reviewed_on"),
                policy.id,
            )
    pairs: Sequence[tuple[str, str, str]] = (
        ("self_audits", "requested_on", "submitted_on"),
        ("information_requests", "requested_on", "provided_on"),
    )
    for name, first, second in pairs:
        for i, record in enumerate(getattr(bundle, name)):
            a, b = getattr(record, first), getattr(record, second)
            if a is not None and b is not None and b < a:
                yield Inconsistency(
                    Severity.ERROR,
                    f"{name.rstrip('s')}.{second}_before_{first}",
                    f"'{second}' ({b.isoformat()}) is before '{first}' ({a.isoformat()})",
                    (name, i, second),
                    record.id,
                )
    if as_of is not None:
        yield from _lead_roles(bundle, as_of)


def _lead_roles(bundle: EvidenceBundle, as_of: dt.date) -> Iterator[Inconsistency]:
    people = {p.id: p for p in bundle.people}
    for i, role in enumerate(bundle.lead_roles):
        person = people.get(role.person_id)
        if role.is_active(as_of) and person is not None and not person.active_engagements(as_of):
            yield Inconsistency(
                Severity.WARNING,
                "lead_role.holder_not_engaged",
                f"the {role.kind.value} role is held on {as_of.isoformat()} by {person.id}, who "
                "has no engagement in force that day",
                ("lead_roles", i, "person_id"),
                role.id,
                (person.id,),
            )


def check_consistency(
    bundle: EvidenceBundle, *, as_of: dt.date | None = None
) -> tuple[Inconsistency, ...]:
    """Every cross-field problem in ``bundle``, errors and warnings, in a stable order.

    Without ``as_of`` the checks that need a date (future dates, leavers, lead roles) are
    skipped.
    """
    return _gathered(_people(bundle, as_of), bundle.people, bundle, as_of)


def _gathered(
    own: Iterable[Inconsistency],
    people: Sequence[integrity.Keyed],
    bundle: EvidenceBundle,
    as_of: dt.date | None,
    ids: Sequence[str] | None = None,
) -> tuple[Inconsistency, ...]:
    """Each person's ``own`` problems, the groups across ``people`` and the organisation's
    problems, in the stable order :func:`check_consistency` promises. ``ids``: the people's
    ids, if at hand (so people kept in a file are not read back for them)."""
    if ids is None:
        ids = [p.id for p in people]
    groups = integrity.groups(people, ids)
    found = [
        *own,
        *_duplicates(ids, groups),
        *_shared_certificates(ids, groups),
        *_organisation(bundle, as_of),
    ]
    return tuple(sorted(found, key=lambda x: (_path_key(x.path), x.code, x.message)))


class KeyLog(Sequence[integrity.PersonKeys]):
    """Where :class:`ConsistencyByPerson` keeps each person's keys, in the bundle's order:
    :class:`KeysInMemory`, or elsewhere (an import writes them to a temporary file,
    :class:`~safeguard_std.importers._stream.SpilledKeys`)."""

    @abc.abstractmethod
    def append(self, keys: integrity.PersonKeys) -> None:
        """The next person's keys."""


class KeysInMemory(KeyLog):
    """People's keys in a list."""

    def __init__(self) -> None:
        self._keys: list[integrity.PersonKeys] = []

    def append(self, keys: integrity.PersonKeys) -> None:
        """The next person's keys."""
        self._keys.append(keys)

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> integrity.PersonKeys: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[integrity.PersonKeys]: ...

    def __getitem__(
        self, index: int | slice
    ) -> integrity.PersonKeys | Sequence[integrity.PersonKeys]:
        return self._keys[index]

    def __iter__(self) -> Iterator[integrity.PersonKeys]:
        return iter(self._keys)


class ConsistencyByPerson:
    """:func:`check_consistency`, fed one person at a time (an import that writes people out as
    it reads them): each person's own problems are found as they come, and only the keys the
    cross-person rules need are kept (:class:`~safeguard_std.domain.integrity.PersonKeys`)."""

    def __init__(self, as_of: dt.date | None, keys: KeyLog | None = None) -> None:
        self.as_of = as_of
        self.found: list[Inconsistency] = []
        self.keys = keys if keys is not None else KeysInMemory()
        self.ids: list[str] = []  # the people's ids, in order (the keys may be in a file)

    def add(self, person: Person) -> None:
        """The bundle's next person (in the bundle's order)."""
        self.found += _person(person, len(self.keys), self.as_of)
        self.keys.append(integrity.PersonKeys.of(person))
        self.ids.append(person.id)

    def finish(self, bundle: EvidenceBundle) -> tuple[Inconsistency, ...]:
        """Everything :func:`check_consistency` gives for the bundle of the people added and
        ``bundle``'s other records; ``bundle.people`` need only hold the lead roles' holders."""
        return _gathered(self.found, self.keys, bundle, self.as_of, self.ids)


def _subject_ids(bundle: EvidenceBundle, kind: SubjectType) -> set[str]:
    if kind is SubjectType.PROVIDER:
        return {bundle.provider.id}
    if kind is SubjectType.PERSON:
        return {p.id for p in bundle.people}
    if kind is SubjectType.POLICY:
        return {p.id for p in bundle.policies}
    if kind is SubjectType.PANEL:
        return {p.id for p in bundle.recruitment_panels}
    if kind is SubjectType.SELF_AUDIT:
        return {a.id for a in bundle.self_audits}
    contract = bundle.contract
    if kind is SubjectType.CONTRACT:
        return {contract.id} if contract else set()
    return {m.id for m in contract.monitoring_meetings} if contract else set()


def unrecorded_provider_facts(bundle: EvidenceBundle, pack: Pack) -> tuple[Inconsistency, ...]:
    """Provider facts ``pack``'s conditions (``applies_when``) compare that the bundle leaves
    unrecorded, each a warning naming the requirements that will ask for evidence until it is
    recorded (an unrecorded fact is unknown, never "none")."""
    provider = bundle.provider
    fields = {f.name for f in attrs.fields(type(provider))}
    needed: dict[str, set[str]] = defaultdict(set)
    for req in pack.requirements:
        if req.withdrawn or req.applies_when is None:
            continue
        for leaf in comparisons(req.applies_when):
            name = leaf.field.removeprefix("provider.")
            # 'exists' asks whether it is recorded: the author chose that question.
            asks = leaf.field.startswith("provider.") and leaf.op != "exists"
            if asks and name in fields and getattr(provider, name) is None:
                needed[name].add(req.id)
    found = []
    for name, ids in sorted(needed.items()):
        listed = sorted(ids)
        shown = ", ".join(listed[:5]) + (f" and {len(listed) - 5} more" if len(listed) > 5 else "")
        found.append(
            Inconsistency(
                Severity.WARNING,
                "provider.fact_unrecorded",
                f"provider.{name} is not recorded: {shown} ask for evidence until it is"
                + (" (record [] for none)" if name in _SET_FACTS else ""),
                ("provider",),
                provider.id,
            )
        )
    return tuple(found)


#: Provider facts that are sets: "none" is recorded as an empty list.
_SET_FACTS = frozenset({"regulators", "local_areas", "activities"})


def unused_attestations(bundle: EvidenceBundle, pack: Pack) -> tuple[Inconsistency, ...]:
    """Attestations no finding against ``pack`` can use, each a warning saying why: the
    requirement is not in the pack (or is withdrawn), or the subject it names is not a record of
    the kind the requirement judges. (Attestations the evaluation cannot use for a subject, such
    as one against a requirement that does not apply, are named in that finding's facts.)"""
    active = {r.id: r for r in pack.requirements if not r.withdrawn}
    by_own_id: dict[str, list[str]] = defaultdict(list)  # an included requirement's own id
    for rid in active:
        if ":" in rid:
            by_own_id[rid.rsplit(":", 1)[1]].append(rid)
    found: list[Inconsistency] = []
    for i, att in enumerate(bundle.attestations):
        targets = [active[att.requirement_id]] if att.requirement_id in active else []
        targets += [active[r] for r in by_own_id.get(att.requirement_id, [])]
        if not targets:
            found.append(
                Inconsistency(
                    Severity.WARNING,
                    "attestation.not_used",
                    f"names requirement {att.requirement_id!r}, which {pack.ref} does not have "
                    "(or has withdrawn): this attestation is not used",
                    ("attestations", i, "requirement_id"),
                    att.id,
                )
            )
            continue
        if att.subject_id is None:
            continue
        if not any(att.subject_id in _subject_ids(bundle, r.subject) for r in targets):
            kinds = sorted({r.subject.value for r in targets})
            found.append(
                Inconsistency(
                    Severity.WARNING,
                    "attestation.not_used",
                    f"names subject {att.subject_id!r}, which is not a {'/'.join(kinds)} record "
                    f"of this bundle, so {att.requirement_id} never judges it: this attestation "
                    "is not used",
                    ("attestations", i, "subject_id"),
                    att.id,
                )
            )
    return tuple(found)


def _path_key(path: Path) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in path)
