"""The evidence as it stood on a date: records dated after ``as_of`` did not exist yet.

A DBS certificate issued tomorrow, training completed next week, a reference received next month
or a policy approved in June cannot satisfy a finding judged today, so re-running an old ``as_of``
reproduces the old result (``docs/dates.md``, rule 8). :func:`as_recorded_on` removes such records,
and clears dates of later steps (a reference verified tomorrow is, today, unverified), before any
rule sees the bundle. Undated records stay: what is unknown is for the rules to judge.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any

import attrs

from safeguard_std.domain.organisation import (
    ActionItem,
    Attestation,
    EvidenceBundle,
    InformationRequest,
    MonitoringMeeting,
    PolicyDocument,
    RecordReview,
    RecruitmentPanel,
    Section11Audit,
    SelfAudit,
    Subscription,
    ThematicCheck,
    TrainingNeedsAnalysis,
    Waiver,
)
from safeguard_std.domain.people import (
    DbsCheck,
    IdentityCheck,
    LadoNotification,
    QualificationCheck,
    Reference,
    RightToWorkCheck,
    RiskAssessment,
    StatusCheck,
    SuitabilityCheck,
    TrainingRecord,
    UpdateServiceSubscription,
)

__all__ = ["as_recorded_on"]

#: A record whose date is after ``as_of`` did not exist yet.
_EXISTS_FROM: Mapping[type, str] = {
    DbsCheck: "issued_on",
    StatusCheck: "checked_on",
    UpdateServiceSubscription: "subscribed_on",
    IdentityCheck: "checked_on",
    RightToWorkCheck: "checked_on",
    SuitabilityCheck: "checked_on",
    Reference: "received_on",
    RiskAssessment: "completed_on",
    LadoNotification: "notified_on",
    TrainingRecord: "completed_on",
    PolicyDocument: "approved_on",
    TrainingNeedsAnalysis: "reviewed_on",
    RecruitmentPanel: "interview_on",
    RecordReview: "reviewed_on",
    SelfAudit: "requested_on",
    Subscription: "subscribed_on",
    InformationRequest: "requested_on",
    MonitoringMeeting: "held_on",
    Section11Audit: "submitted_on",
    ThematicCheck: "completed_on",
    Attestation: "attested_on",
    Waiver: "granted_on",
}

#: A later step of a record (date, and who did it) had not happened yet.
_HAPPENS_ON: Mapping[type, tuple[tuple[str, ...], ...]] = {
    DbsCheck: (("seen_on", "seen_by"),),
    QualificationCheck: (("checked_on", "checked_by"),),
    Reference: (("verified_on", "verified_by"),),
    RiskAssessment: (("shared_with_lado_on",),),
    PolicyDocument: (("last_reviewed_on",),),
    SelfAudit: (("submitted_on",),),
    ActionItem: (("completed_on",),),
    InformationRequest: (("provided_on",),),
}

_GONE = object()


def _record_types(hint: Any) -> tuple[type, ...]:
    args = typing.get_args(hint) or (hint,)
    return tuple(t for t in args if isinstance(t, type) and attrs.has(t))


@cache
def _dated(cls: type) -> bool:
    """Whether ``cls``, or a record it holds, has a date this module looks at."""
    if cls in _EXISTS_FROM or cls in _HAPPENS_ON:
        return True
    hints = typing.get_type_hints(cls)
    return any(_dated(t) for a in attrs.fields(cls) for t in _record_types(hints[a.name]))


@cache
def _nested(cls: type) -> tuple[str, ...]:
    """Fields of ``cls`` holding records with dates (an entity, an optional one, or a tuple)."""
    hints = typing.get_type_hints(cls)
    return tuple(
        a.name
        for a in attrs.fields(cls)
        if any(_dated(t) for t in _record_types(hints[a.name]))
    )


def _trim(value: Any, as_of: dt.date) -> Any:
    if isinstance(value, tuple):
        kept = [t for t in (_trim(v, as_of) for v in value) if t is not _GONE]
        same = len(kept) == len(value) and all(a is b for a, b in zip(kept, value, strict=True))
        return value if same else tuple(kept)
    cls = type(value)
    if not attrs.has(cls):
        return value
    since = _EXISTS_FROM.get(cls)
    if since is not None:
        date = getattr(value, since)
        if date is not None and date > as_of:
            return _GONE
    changes: dict[str, Any] = {}
    for step in _HAPPENS_ON.get(cls, ()):
        date = getattr(value, step[0])
        if date is not None and date > as_of:
            changes.update(dict.fromkeys(step))
    for name in _nested(cls):
        old = getattr(value, name)
        new = _trim(old, as_of)
        if new is not old:
            changes[name] = None if new is _GONE else new
    return attrs.evolve(value, **changes) if changes else value


def as_recorded_on(bundle: EvidenceBundle, as_of: dt.date) -> EvidenceBundle:
    """``bundle`` as it stood on ``as_of`` (the same object when nothing is dated after it)."""
    trimmed = _trim(bundle, as_of)
    assert isinstance(trimmed, EvidenceBundle)
    return trimmed
