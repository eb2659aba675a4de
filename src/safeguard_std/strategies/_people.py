"""Makers for a person and every record held about them (valid by construction).

Personal data is obviously synthetic: ``Test Person 17``, ``17 Example Road, Testville ZZ99
9ZZ``, DBS certificate numbers ``9999`` followed by eight digits (a range the DBS does not issue).
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from safeguard_std.domain.people import (
    CheckStatus,
    DbsCheck,
    DbsDisclosure,
    DbsLevel,
    DbsWorkforce,
    Engagement,
    IdentityCheck,
    IdentityDocument,
    IdentityDocumentType,
    Jurisdiction,
    LadoNotification,
    Person,
    QualificationCheck,
    RefereeKind,
    Reference,
    RegulatedActivity,
    RightToWorkCheck,
    RiskAssessment,
    RiskAssessmentKind,
    RoleType,
    StatusCheck,
    StatusCheckResult,
    SuitabilityCheck,
    SuitabilityCheckKind,
    TrainingCourse,
    TrainingRecord,
    UpdateServiceSubscription,
)
from safeguard_std.strategies._gen import HISTORY_DAYS, Gen

__all__ = [
    "QUALIFICATIONS",
    "make_dbs_check",
    "make_engagement",
    "make_identity_check",
    "make_identity_document",
    "make_lado_notification",
    "make_person",
    "make_qualification_check",
    "make_reference",
    "make_right_to_work_check",
    "make_risk_assessment",
    "make_status_check",
    "make_suitability_check",
    "make_training_record",
    "make_update_service_subscription",
    "synthetic_dbs_number",
]

QUALIFICATIONS = (
    "Test Qualification in Youth Work",
    "Test Certificate in Childcare",
    "Test Teaching Status",
)
T = TypeVar("T")

_CHECKERS = ("Test Checker A", "Test Checker B")
_TRAINERS = ("Example Training Ltd", "Example Partnership Academy")


def synthetic_dbs_number(n: int) -> str:
    """A 12-digit certificate number in a range the DBS does not issue."""
    return f"9999{n % 10**8:08d}"


def _status(gen: Gen) -> tuple[CheckStatus, dt.date | None]:
    """A check's status, pending one time in eight (shrinks to completed), and the day it was
    applied for (or requested), perhaps unknown."""
    pending = gen.integer(0, 7) == 7
    applied = gen.maybe(gen.past)
    return (CheckStatus.PENDING if pending else CheckStatus.COMPLETED), applied


def _if_done(status: CheckStatus, value: T) -> T | None:
    # Every value is drawn whatever the status, so that a pending record is never a shorter
    # draw than a completed one: shrinking then ends on a completed check.
    return value if status is CheckStatus.COMPLETED else None


def _done_after(gen: Gen, applied: dt.date | None) -> dt.date:
    """A completion date on or after the application (or any past date)."""
    return gen.between(applied, gen.as_of) if applied is not None else gen.past()


def make_engagement(gen: Gen, *, current: bool | None = None) -> Engagement:
    """An engagement; ``current=True`` is in force on ``as_of``, ``False`` is not."""
    as_of = gen.as_of
    start: dt.date | None
    end: dt.date | None
    # 0-3: in force (the simplest), 4: ended, 5: a starter not yet engaged.
    shape = 0 if current is True else gen.integer(4 if current is False else 0, 5)
    if shape < 4:
        start = gen.past()
        end = gen.maybe(gen.future)
    elif shape == 5:
        start = gen.future(min_days=1)
        end = None
    else:
        end = gen.past(min_days=1)
        start = gen.past(min_days=(as_of - end).days)
    role = gen.choice(list(RoleType))
    return Engagement(
        id=gen.id("eng"),
        role_type=role,
        job_title=gen.maybe(lambda: f"Test Role {gen.number('role')}"),
        start_on=start,
        end_on=end,
        regulated_activity=gen.mostly(
            RegulatedActivity.YES, RegulatedActivity.NO, RegulatedActivity.UNKNOWN
        ),
        regular_contact=gen.flag(),
        supervised=gen.flag(),
        management_role=gen.flag(),
        teaching_role=gen.flag(),
        agency_name="Example Agency Ltd" if role is RoleType.AGENCY else None,
    )


def make_identity_document(gen: Gen) -> IdentityDocument:
    """A document seen for an identity check."""
    return IdentityDocument(
        type=gen.choice(list(IdentityDocumentType)),
        photo=gen.boolean(),
        shows_address=gen.boolean(),
    )


def make_identity_check(gen: Gen) -> IdentityCheck:
    """An identity check with zero to three documents, now and then still pending."""
    status, applied = _status(gen)
    return IdentityCheck(
        id=gen.id("idc"),
        status=status,
        applied_on=applied,
        checked_on=_if_done(status, gen.maybe(lambda: _done_after(gen, applied))),
        checked_by=gen.maybe(lambda: gen.choice(_CHECKERS)),
        documents=gen.some(lambda: make_identity_document(gen)),
    )


def make_right_to_work_check(gen: Gen) -> RightToWorkCheck:
    """A right-to-work check; time-limited permission carries an expiry either side of as_of
    (a pending check perhaps none yet)."""
    status, applied = _status(gen)
    limited = gen.boolean()
    return RightToWorkCheck(
        id=gen.id("rtw"),
        status=status,
        applied_on=applied,
        checked_on=_if_done(status, gen.maybe(lambda: _done_after(gen, applied))),
        checked_by=gen.maybe(lambda: gen.choice(_CHECKERS)),
        time_limited=limited,
        permission_expires_on=gen.around() if limited else None,
    )


def make_qualification_check(gen: Gen) -> QualificationCheck:
    """A qualification, required or not, checked, not checked or its check pending."""
    status, applied = _status(gen)
    return QualificationCheck(
        id=gen.id("qual"),
        qualification=gen.choice(QUALIFICATIONS),
        required=gen.boolean(),
        status=status,
        applied_on=applied,
        checked_on=_if_done(status, gen.maybe(lambda: _done_after(gen, applied))),
        checked_by=gen.maybe(lambda: gen.choice(_CHECKERS)),
    )


def make_dbs_check(gen: Gen) -> DbsCheck:
    """A DBS (or PVG/AccessNI) certificate, or one applied for and pending; DBS numbers are 12
    synthetic digits."""
    jurisdiction = gen.mostly(Jurisdiction.DBS, Jurisdiction.PVG, Jurisdiction.ACCESSNI)
    n = gen.number("dbs")
    number = (
        synthetic_dbs_number(n)
        if jurisdiction is Jurisdiction.DBS
        else f"TEST-{jurisdiction.value.upper()}-{n:04d}"
    )
    status, applied = _status(gen)
    issued = gen.usually(lambda: _done_after(gen, applied))
    seen = gen.maybe(lambda: gen.between(issued, gen.as_of)) if issued else None
    return DbsCheck(
        id=gen.id("dbs"),
        status=status,
        applied_on=applied,
        jurisdiction=jurisdiction,
        certificate_number=gen.maybe(lambda: number),
        level=gen.mostly(DbsLevel.ENHANCED, DbsLevel.BASIC, DbsLevel.STANDARD),
        barred_list_children=gen.mostly(True, None, False),
        barred_list_adults=gen.flag(),
        workforce=gen.usually(lambda: gen.mostly(DbsWorkforce.CHILD, *list(DbsWorkforce)[1:])),
        issued_on=_if_done(status, issued),
        seen_on=_if_done(status, seen),
        seen_by=gen.maybe(lambda: gen.choice(_CHECKERS)),
        disclosure=_if_done(
            status,
            gen.usually(
                lambda: gen.mostly(DbsDisclosure.CLEAR, DbsDisclosure.INFORMATION_DISCLOSED)
            ),
        ),
    )


def make_status_check(gen: Gen, dbs_ids: tuple[str, ...] = ()) -> StatusCheck:
    """An Update Service status check, about one of ``dbs_ids`` or none in particular."""
    return StatusCheck(
        id=gen.id("stc"),
        checked_on=gen.past(),
        checked_by=gen.maybe(lambda: gen.choice(_CHECKERS)),
        result=gen.choice(list(StatusCheckResult)),
        dbs_check_id=gen.maybe(lambda: gen.choice(dbs_ids)) if dbs_ids else None,
    )


def make_update_service_subscription(
    gen: Gen, dbs_ids: tuple[str, ...] = ()
) -> UpdateServiceSubscription:
    """An Update Service subscription with zero to three status checks."""
    return UpdateServiceSubscription(
        id=gen.id("ups"),
        subscribed_on=gen.maybe(gen.past),
        status_checks=gen.some(lambda: make_status_check(gen, dbs_ids)),
    )


def make_suitability_check(gen: Gen) -> SuitabilityCheck:
    """A further pre-appointment check (barred list, prohibition, overseas, ...), perhaps
    pending."""
    status, applied = _status(gen)
    return SuitabilityCheck(
        id=gen.id("suit"),
        # One kind half the time, so that a person often has several checks of a kind.
        kind=gen.mostly(SuitabilityCheckKind.BARRED_LIST, *list(SuitabilityCheckKind)[1:]),
        status=status,
        applied_on=applied,
        checked_on=_if_done(status, gen.usually(lambda: _done_after(gen, applied))),
        checked_by=gen.usually(lambda: gen.choice(_CHECKERS)),
        satisfactory=_if_done(status, gen.mostly(True, None, False)),
    )


def make_reference(gen: Gen) -> Reference:
    """A reference, received and perhaps verified, or requested and pending."""
    status, requested = _status(gen)
    received = gen.usually(lambda: _done_after(gen, requested))
    verified = gen.usually(lambda: gen.between(received, gen.as_of)) if received else None
    return Reference(
        id=gen.id("ref"),
        referee_kind=gen.choice(list(RefereeKind)),
        status=status,
        requested_on=requested,
        received_on=_if_done(status, received),
        verified_on=_if_done(status, verified),
        verified_by=gen.usually(lambda: gen.choice(_CHECKERS)),
        satisfactory=_if_done(status, gen.mostly(True, None, False)),
        open_reference=gen.boolean(),
        supplied_by_candidate=gen.boolean(),
    )


def make_risk_assessment(gen: Gen, relates_to: tuple[str, ...] = ()) -> RiskAssessment:
    """A risk assessment, perhaps about one of ``relates_to`` and shared with the LADO."""
    completed = gen.maybe(gen.past)
    return RiskAssessment(
        id=gen.id("ra"),
        kind=gen.choice(list(RiskAssessmentKind)),
        completed_on=completed,
        relates_to=gen.maybe(lambda: gen.choice(relates_to)) if relates_to else None,
        shared_with_lado_on=(
            gen.maybe(lambda: gen.between(completed, gen.as_of)) if completed else None
        ),
    )


def make_lado_notification(gen: Gen, relates_to: tuple[str, ...] = ()) -> LadoNotification:
    """A notification to the LADO, perhaps about one of ``relates_to``."""
    return LadoNotification(
        id=gen.id("lado"),
        notified_on=gen.maybe(gen.past),
        relates_to=gen.maybe(lambda: gen.choice(relates_to)) if relates_to else None,
    )


def make_training_record(gen: Gen) -> TrainingRecord:
    """A completed course."""
    return TrainingRecord(
        id=gen.id("trn"),
        course=gen.choice(list(TrainingCourse)),
        completed_on=gen.usually(gen.past),
        provider_org=gen.maybe(lambda: gen.choice(_TRAINERS)),
        recognised_by_partnership=gen.flag(),
        includes_online_safety=gen.flag(),
    )


def _date_of_birth(gen: Gen) -> dt.date:
    # 16 to 80 years old: always earlier than any event date (HISTORY_DAYS is 15 years).
    return gen.past(max_days=80 * 365, min_days=max(16 * 366, HISTORY_DAYS + 366))


def make_person(gen: Gen, *, current: bool | None = None, lean: bool = False) -> Person:
    """A person with synthetic personal data and zero or more of every kind of record.

    ``lean`` (for compliant bundles, whose repairs add every record the pack asks for): at most
    one random record of each kind, so the repairs' records sit beside a little noise rather
    than a full random history that costs as much to draw again."""
    n = gen.number("person")
    few = 1 if lean else None

    def upto(size: int) -> int:
        return min(size, few) if few is not None else size

    engagements = (
        (make_engagement(gen, current=current),)
        if current is not None
        else gen.some(lambda: make_engagement(gen), max_size=2)
    )
    dbs = gen.some(lambda: make_dbs_check(gen), max_size=upto(3))
    dbs_ids = tuple(c.id for c in dbs)
    return Person(
        id=gen.id("p"),
        full_name=gen.maybe(lambda: f"Test Person {n}"),
        previous_names=gen.some(lambda: f"Test Former Name {n}", max_size=1),
        date_of_birth=gen.maybe(lambda: _date_of_birth(gen)),
        address=gen.maybe(lambda: f"{n} Example Road, Testville ZZ99 9ZZ"),
        engagements=engagements,
        identity_check=gen.maybe(lambda: make_identity_check(gen)),
        right_to_work=gen.maybe(lambda: make_right_to_work_check(gen)),
        qualification_checks=gen.some(lambda: make_qualification_check(gen), max_size=upto(2)),
        dbs_checks=dbs,
        update_service=gen.maybe(lambda: make_update_service_subscription(gen, dbs_ids)),
        suitability_checks=gen.some(lambda: make_suitability_check(gen), max_size=upto(3)),
        references=gen.some(lambda: make_reference(gen), max_size=upto(3)),
        risk_assessments=gen.some(lambda: make_risk_assessment(gen, dbs_ids), max_size=upto(2)),
        lado_notifications=gen.some(lambda: make_lado_notification(gen, dbs_ids), max_size=1),
        training=gen.some(lambda: make_training_record(gen), max_size=upto(4)),
        record_updated_on=gen.maybe(gen.past),
    )
