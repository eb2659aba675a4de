"""Strategies for people and their records (the public functions of
:mod:`safeguard_std.strategies`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from hypothesis.strategies import SearchStrategy

from safeguard_std.domain.allegations import Allegation
from safeguard_std.domain.people import (
    DbsCheck,
    Engagement,
    IdentityCheck,
    IdentityDocument,
    LadoNotification,
    Person,
    QualificationCheck,
    Reference,
    RightToWorkCheck,
    RiskAssessment,
    StatusCheck,
    SuitabilityCheck,
    TrainingRecord,
    UpdateServiceSubscription,
)
from safeguard_std.strategies import _organisation as org
from safeguard_std.strategies import _people as ppl
from safeguard_std.strategies._gen import (
    DEFAULT_AS_OF,
    Gen,
    check_as_of,
    check_bool_or_none,
    entity,
)

__all__ = [
    "allegations",
    "dbs_checks",
    "engagements",
    "identity_checks",
    "identity_documents",
    "lado_notifications",
    "people",
    "qualification_checks",
    "references",
    "right_to_work_checks",
    "risk_assessments",
    "status_checks",
    "suitability_checks",
    "training_records",
    "update_service_subscriptions",
]


def _simple(maker: Callable[[Gen], Any], as_of: object) -> SearchStrategy[Any]:
    return entity(maker, check_as_of(as_of))


def people(
    *, as_of: dt.date = DEFAULT_AS_OF, current: bool | None = None
) -> SearchStrategy[Person]:
    """People with synthetic personal data, engagements and every kind of check and record.

    ``current=True`` gives exactly one engagement in force on ``as_of``; ``current=False`` exactly
    one that is not (ended, or not yet started); ``None`` zero to two of either. Shrinks towards a
    person with no personal data recorded, no engagement (with ``current``: one that started on
    ``as_of``) and no records.
    """
    check_as_of(as_of)
    check_bool_or_none("current", current)
    return entity(ppl.make_person, as_of, current=current)


def engagements(
    *, as_of: dt.date = DEFAULT_AS_OF, current: bool | None = None
) -> SearchStrategy[Engagement]:
    """Engagements (employee, volunteer, agency, ...), in force on ``as_of`` when ``current`` is
    true, not in force when false. Shrinks towards an employee's open-ended engagement starting
    on or just after ``as_of``."""
    check_as_of(as_of)
    check_bool_or_none("current", current)
    return entity(ppl.make_engagement, as_of, current=current)


def identity_documents() -> SearchStrategy[IdentityDocument]:
    """Documents seen for an identity check. Shrinks towards a passport showing neither photo nor
    address."""
    return entity(ppl.make_identity_document, DEFAULT_AS_OF)


def identity_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[IdentityCheck]:
    """Identity checks with zero to three documents. Shrinks towards an undated, unattributed
    check with no documents."""
    return _simple(ppl.make_identity_check, as_of)


def right_to_work_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[RightToWorkCheck]:
    """Right-to-work checks; time-limited permission expires either side of ``as_of``. Shrinks
    towards an undated, unattributed check that is not time-limited."""
    return _simple(ppl.make_right_to_work_check, as_of)


def qualification_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[QualificationCheck]:
    """Qualifications, required or not, checked or not. Shrinks towards an optional one, not
    checked."""
    return _simple(ppl.make_qualification_check, as_of)


def dbs_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[DbsCheck]:
    """DBS, PVG and AccessNI certificates at every level, with or without barred lists, workforce
    and disclosure recorded; most are enhanced DBS certificates. Shrinks towards an enhanced DBS
    certificate including the children's barred list, with nothing else recorded (no number, no
    dates)."""
    return _simple(ppl.make_dbs_check, as_of)


def status_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[StatusCheck]:
    """Update Service status checks of every result. Shrinks towards a ``current_clear`` check on
    ``as_of``."""
    return _simple(ppl.make_status_check, as_of)


def update_service_subscriptions(
    *, as_of: dt.date = DEFAULT_AS_OF
) -> SearchStrategy[UpdateServiceSubscription]:
    """Update Service subscriptions with zero to three status checks. Shrinks towards an undated
    one with no checks."""
    return _simple(ppl.make_update_service_subscription, as_of)


def suitability_checks(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[SuitabilityCheck]:
    """Further checks (barred list, prohibition, section 128, overseas, ...). Shrinks towards a
    satisfactory barred-list check with nothing else recorded."""
    return _simple(ppl.make_suitability_check, as_of)


def references(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[Reference]:
    """References: received, perhaps verified, satisfactory or not, open or candidate-supplied.
    Shrinks towards a satisfactory employer reference with nothing else recorded."""
    return _simple(ppl.make_reference, as_of)


def risk_assessments(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[RiskAssessment]:
    """Risk assessments of every kind, perhaps shared with the LADO. Shrinks towards an undated
    DBS disclosure assessment."""
    return _simple(ppl.make_risk_assessment, as_of)


def allegations(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[Allegation]:
    """Allegations and low-level concerns, reported to the LADO on the day, days later or not
    at all. Shrinks towards an undated, unreported allegation."""
    return _simple(org.make_allegation, as_of)


def lado_notifications(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[LadoNotification]:
    """Notifications to the LADO. Shrinks towards an undated one."""
    return _simple(ppl.make_lado_notification, as_of)


def training_records(*, as_of: dt.date = DEFAULT_AS_OF) -> SearchStrategy[TrainingRecord]:
    """Completed courses of every kind. Shrinks towards undated induction training with nothing
    else recorded."""
    return _simple(ppl.make_training_record, as_of)
