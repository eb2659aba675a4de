"""The evidence as it stood on a date: records dated after ``as_of`` have not happened yet.

A bundle is often a snapshot taken later than the ``as_of`` being judged (a council re-running
last quarter's date, a test pinning a boundary). Every rule must then see only what was true on
``as_of``: a DBS certificate issued tomorrow does not make today's check current, and a policy
approved next month does not exist yet. Rather than each rule kind filtering dates, the evaluator
judges :func:`known_on` of the bundle. Records whose defining date is after ``as_of`` are
dropped; later dates on records that remain (a reference verified tomorrow, a policy reviewed next
week) are cleared, as not yet happened. Undated records are kept: their absence of a date is
itself evidence the rules judge. A check completed after ``as_of`` but applied for on or before
it (``applied_on``, ``requested_on`` for a reference) was pending on ``as_of``, and is judged as
pending; one applied for after ``as_of`` had not been asked for yet.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
import weakref
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs

from safeguard_std.domain.organisation import (
    Contract,
    EvidenceBundle,
    PolicyDocument,
    SelfAudit,
)
from safeguard_std.domain.people import CheckStatus, Person, QualificationCheck

__all__ = ["known_on"]

T = TypeVar("T")


def _after(value: dt.date | None, as_of: dt.date) -> bool:
    return value is not None and value > as_of


def _keep(items: Iterable[T], field: str, as_of: dt.date) -> tuple[T, ...]:
    return tuple(i for i in items if not _after(getattr(i, field), as_of))


def _clear(item: T, fields: Iterable[str], as_of: dt.date) -> T:
    changes = {f: None for f in fields if _after(getattr(item, f), as_of)}
    return attrs.evolve(item, **changes) if changes else item  # type: ignore[misc]


def _check_then(
    record: T | None,
    done: str,
    results: tuple[str, ...],
    as_of: dt.date,
    applied: str = "applied_on",
) -> T | None:
    """A check as it stood on ``as_of``: done by then (as recorded), pending if done later but
    applied for by then (its ``done`` date and ``results`` cleared), else not yet asked for."""
    if record is None:
        return None
    asked = getattr(record, applied)
    status: CheckStatus = getattr(record, "status")  # noqa: B009 - T is any check class
    if status is CheckStatus.PENDING:
        return None if _after(asked, as_of) else record
    if not _after(getattr(record, done), as_of):
        return record
    if asked is None or asked > as_of:
        return None
    cleared = dict.fromkeys((done, *results))
    return attrs.evolve(record, status=CheckStatus.PENDING, **cleared)  # type: ignore[misc]


def _checks_then(
    records: Iterable[T],
    done: str,
    results: tuple[str, ...],
    as_of: dt.date,
    applied: str = "applied_on",
) -> tuple[T, ...]:
    kept = (_check_then(r, done, results, as_of, applied) for r in records)
    return tuple(r for r in kept if r is not None)


def _qualification_then(q: QualificationCheck, as_of: dt.date) -> QualificationCheck:
    # The qualification is held whatever the date; only its check moves: checked, pending, or
    # not yet asked for (a completed record without a checked_on, as the model reads it).
    then = _check_then(q, "checked_on", (), as_of)
    if then is None:
        return attrs.evolve(q, status=CheckStatus.COMPLETED, applied_on=None, checked_on=None)
    return then


#: Dates that look forward by nature (a planned end, an expiry, a deadline): being after as_of
#: is normal for them and says nothing about what had happened by then.
_FORWARD = frozenset(
    {"end_on", "ended_on", "expires_on", "permission_expires_on", "next_review_on", "due_on"}
)


def _dates(obj: Any) -> Iterable[dt.date]:
    """Every event date inside an attrs record (a cheap test for 'anything after as_of')."""
    for field in attrs.fields(type(obj)):
        if field.name in _FORWARD:
            continue
        value = getattr(obj, field.name)
        if isinstance(value, dt.date):
            yield value
        elif attrs.has(type(value)):
            yield from _dates(value)
        elif isinstance(value, tuple):
            for item in value:
                if attrs.has(type(item)):
                    yield from _dates(item)


def _person(p: Person, as_of: dt.date) -> Person:
    service = p.update_service
    if service is not None:
        service = attrs.evolve(
            _clear(service, ["subscribed_on"], as_of),
            status_checks=_keep(service.status_checks, "checked_on", as_of),
        )
    idc = p.identity_check
    rtw = p.right_to_work
    dbs = _checks_then(p.dbs_checks, "issued_on", ("seen_on", "disclosure"), as_of)
    refs = _checks_then(
        p.references, "received_on", ("verified_on", "satisfactory"), as_of, "requested_on"
    )
    return attrs.evolve(
        p,
        identity_check=_check_then(idc, "checked_on", (), as_of),
        right_to_work=_check_then(rtw, "checked_on", (), as_of),
        qualification_checks=tuple(_qualification_then(q, as_of) for q in p.qualification_checks),
        dbs_checks=tuple(_clear(c, ["seen_on"], as_of) for c in dbs),
        update_service=service,
        suitability_checks=_checks_then(
            p.suitability_checks, "checked_on", ("satisfactory",), as_of
        ),
        references=tuple(_clear(r, ["verified_on"], as_of) for r in refs),
        risk_assessments=tuple(
            _clear(r, ["shared_with_lado_on"], as_of)
            for r in _keep(p.risk_assessments, "completed_on", as_of)
        ),
        lado_notifications=_keep(p.lado_notifications, "notified_on", as_of),
        training=_keep(p.training, "completed_on", as_of),
        record_updated_on=None if _after(p.record_updated_on, as_of) else p.record_updated_on,
    )


def _policy(p: PolicyDocument, as_of: dt.date) -> PolicyDocument:
    return _clear(p, ["last_reviewed_on"], as_of)


def _audit(a: SelfAudit, as_of: dt.date) -> SelfAudit:
    items = tuple(_clear(i, ["completed_on"], as_of) for i in a.action_plan)
    return attrs.evolve(_clear(a, ["submitted_on"], as_of), action_plan=items)


def _contract(c: Contract, as_of: dt.date) -> Contract:
    return attrs.evolve(
        c,
        monitoring_meetings=_keep(c.monitoring_meetings, "held_on", as_of),
        section11_audits=_keep(c.section11_audits, "submitted_on", as_of),
        thematic_checks=_keep(c.thematic_checks, "completed_on", as_of),
    )


def _each(items: tuple[T, ...], fn: Callable[[T, dt.date], T], as_of: dt.date) -> tuple[T, ...]:
    # Only records holding a later date are rebuilt: most of a large bundle passes untouched.
    return tuple(fn(i, as_of) if any(d > as_of for d in _dates(i)) else i for i in items)


# -- the latest event date of every person, worked out once per bundle -------------------------
#
# known_on runs at every evaluation, and asking "is anything in this bundle dated after as_of?"
# means reading every date in it: for a large staff record that cost twice the evaluation. The
# answer for any as_of follows from each person's latest event date, which depends on the bundle
# alone, so it is worked out once per bundle object (held while the bundle lives) by a walk that
# reads each record class's date fields by name. It finds exactly the dates _dates yields.


@functools.cache
def _walk_plan(cls: Any) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A record class's event-date fields, fields holding one record, fields holding many."""
    hints = typing.get_type_hints(cls)
    dates, ones, many = [], [], []
    for field in attrs.fields(cls):
        if field.name in _FORWARD:
            continue
        hint = hints[field.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = args[0] if len(args) == 1 else hint
        held = typing.get_args(inner)
        if inner is dt.date:
            dates.append(field.name)
        elif attrs.has(inner):
            ones.append(field.name)
        elif typing.get_origin(inner) is tuple and held and attrs.has(held[0]):
            # tuple[X, ...], or tuple[X, ...] | None (the allegations log: None is "no log").
            many.append(field.name)
    return tuple(dates), tuple(ones), tuple(many)


def _latest(record: Any, skip: str = "") -> dt.date | None:
    """The latest event date in ``record`` and everything it holds (but its ``skip`` field)."""
    best: dt.date | None = None
    stack = [record]
    while stack:
        item = stack.pop()
        kind: Any = type(item)
        dates, ones, many = _walk_plan(kind)
        for name in dates:
            value = getattr(item, name)
            if value is not None and (best is None or value > best):
                best = value
        for name in ones:
            value = getattr(item, name)
            if value is not None:
                stack.append(value)
        for name in many:
            if name != skip or item is not record:
                stack.extend(getattr(item, name) or ())
    return best


_LATEST: dict[int, tuple[Any, dt.date | None, tuple[dt.date | None, ...]]] = {}


def _latest_dates(bundle: EvidenceBundle) -> tuple[dt.date | None, tuple[dt.date | None, ...]]:
    """The bundle's latest event date, and each person's (in ``bundle.people`` order)."""
    key = id(bundle)
    hit = _LATEST.get(key)
    if hit is not None and hit[0]() is bundle:
        return hit[1], hit[2]
    people = tuple(_latest(p) for p in bundle.people)
    overall = max(
        (d for d in (*people, _latest(bundle, skip="people")) if d is not None), default=None
    )
    _LATEST[key] = (weakref.ref(bundle, lambda _gone: _LATEST.pop(key, None)), overall, people)
    return overall, people


def known_on(bundle: EvidenceBundle, as_of: dt.date) -> EvidenceBundle:
    """``bundle`` as it stood on ``as_of`` (the same object when nothing in it is later)."""
    overall, latest = _latest_dates(bundle)
    if overall is None or not overall > as_of:
        return bundle
    contract = bundle.contract
    return attrs.evolve(
        bundle,
        people=tuple(
            _person(p, as_of) if d is not None and d > as_of else p
            for p, d in zip(bundle.people, latest, strict=True)
        ),
        policies=_each(_keep(bundle.policies, "approved_on", as_of), _policy, as_of),
        training_needs_analyses=_keep(bundle.training_needs_analyses, "reviewed_on", as_of),
        recruitment_panels=_keep(bundle.recruitment_panels, "interview_on", as_of),
        record_reviews=_keep(bundle.record_reviews, "reviewed_on", as_of),
        self_audits=_each(_keep(bundle.self_audits, "requested_on", as_of), _audit, as_of),
        subscriptions=_keep(bundle.subscriptions, "subscribed_on", as_of),
        information_requests=tuple(
            _clear(r, ["provided_on"], as_of)
            for r in _keep(bundle.information_requests, "requested_on", as_of)
        ),
        contract=None if contract is None else _contract(contract, as_of),
        attestations=_keep(bundle.attestations, "attested_on", as_of),
    )
