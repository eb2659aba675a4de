"""People in a provider's staff record and the checks, references and training they hold.

A :class:`Person` is one row of a single central record: who they are (personal data, marked as
such), how they are engaged, and the evidence of each pre-appointment and ongoing check.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from typing import Any

import attrs
from attrs import validators as v

from safeguard_std.domain._base import (
    FieldValueError,
    date_not_before,
    id_field,
    opt_date,
    personal,
)

__all__ = [
    "CheckStatus",
    "DbsCheck",
    "DbsDisclosure",
    "DbsLevel",
    "DbsWorkforce",
    "Engagement",
    "IdentityCheck",
    "IdentityDocument",
    "IdentityDocumentType",
    "Jurisdiction",
    "LadoNotification",
    "Person",
    "QualificationCheck",
    "RefereeKind",
    "Reference",
    "RegulatedActivity",
    "RightToWorkCheck",
    "RiskAssessment",
    "RiskAssessmentKind",
    "RoleType",
    "StatusCheck",
    "StatusCheckResult",
    "SuitabilityCheck",
    "SuitabilityCheckKind",
    "TrainingCourse",
    "TrainingRecord",
    "UpdateServiceSubscription",
]


class RoleType(enum.StrEnum):
    """How a person is engaged with the provider."""

    EMPLOYEE = "employee"
    TRUSTEE = "trustee"
    GOVERNOR = "governor"
    DIRECTOR = "director"
    PROPRIETOR = "proprietor"
    VOLUNTEER = "volunteer"
    AGENCY = "agency"
    CONTRACTOR = "contractor"
    SELF_EMPLOYED = "self_employed"


class RegulatedActivity(enum.StrEnum):
    """Whether the engagement is regulated activity with children; ``unknown`` never passes."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class CheckStatus(enum.StrEnum):
    """Whether a check (or a reference) is done, or applied for and not yet done.

    ``pending`` records honestly what a single central record often shows as "TBC", "applied",
    "awaited": the check was asked for (``applied_on``, or ``requested_on`` for a reference) and
    has no result yet. A pending check never counts as valid; a requirement it would meet gives
    ``insufficient_evidence`` saying the check is pending.
    """

    COMPLETED = "completed"
    PENDING = "pending"


def _status_field() -> Any:
    return attrs.field(default=CheckStatus.COMPLETED, converter=CheckStatus)


def _pending_leaves_empty(*fields: str) -> Callable[[Any], None]:
    """A check that a pending record carries none of ``fields`` (its completion date and its
    result): a check cannot be both awaited and done."""

    def check(inst: Any) -> None:
        if inst.status is not CheckStatus.PENDING:
            return
        for name in fields:
            if getattr(inst, name) is not None:
                raise FieldValueError(
                    name,
                    f"'{name}' must be empty when 'status' is 'pending' (applied for, not yet "
                    "done); record the check as 'completed' once it is done",
                )

    return check


_CHECKED_PENDING = _pending_leaves_empty("checked_on")


def _applied_on() -> Any:
    return attrs.field(default=None, validator=v.optional(v.instance_of(dt.date)))


@attrs.frozen(kw_only=True)
class Engagement:
    """One period of engagement: a role type, dates, and the facts that decide which checks apply.

    ``end_on`` is the last day of the engagement (planned or actual); ``None`` means open-ended.
    """

    id: str = id_field()
    role_type: RoleType = attrs.field(converter=RoleType)
    job_title: str | None = None
    start_on: dt.date | None = opt_date()
    end_on: dt.date | None = attrs.field(
        default=None,
        validator=[v.optional(v.instance_of(dt.date)), date_not_before("start_on")],
    )
    regulated_activity: RegulatedActivity = attrs.field(
        default=RegulatedActivity.UNKNOWN, converter=RegulatedActivity
    )
    regular_contact: bool | None = None
    supervised: bool | None = None
    management_role: bool | None = None
    teaching_role: bool | None = None
    agency_name: str | None = None

    def is_active(self, as_of: dt.date) -> bool:
        """In force on ``as_of``: started on or before it, and not ended before it. An engagement
        with no start date is possibly in force, and taken as in force (fail closed: a blank or
        "TBC" start never drops someone from an assessment); the rule kinds that turn on when
        it started ask for the date (docs/dates.md, rule 7)."""
        started = self.start_on is None or self.start_on <= as_of
        return started and (self.end_on is None or as_of <= self.end_on)


class IdentityDocumentType(enum.StrEnum):
    """Documents seen for an identity check."""

    PASSPORT = "passport"
    DRIVING_LICENCE = "driving_licence"
    BIRTH_CERTIFICATE = "birth_certificate"
    BIOMETRIC_RESIDENCE_PERMIT = "biometric_residence_permit"
    NATIONAL_ID = "national_id"
    UTILITY_BILL = "utility_bill"
    BANK_STATEMENT = "bank_statement"
    COUNCIL_TAX = "council_tax"
    DIGITAL_IDENTITY = "digital_identity"
    OTHER = "other"


@attrs.frozen(kw_only=True)
class IdentityDocument:
    """A document seen for an identity check; whether it shows a photograph and an address."""

    type: IdentityDocumentType = attrs.field(converter=IdentityDocumentType)
    photo: bool = False
    shows_address: bool = False


@attrs.frozen(kw_only=True)
class IdentityCheck:
    """Identity checked (photographic and address), when and by whom.

    ``status: pending`` with ``applied_on`` records a check started and not yet done (no
    ``checked_on``); it never counts as done.
    """

    id: str = id_field()
    status: CheckStatus = _status_field()
    applied_on: dt.date | None = _applied_on()
    checked_on: dt.date | None = attrs.field(
        default=None, validator=[v.optional(v.instance_of(dt.date)), date_not_before("applied_on")]
    )
    checked_by: str | None = None
    documents: tuple[IdentityDocument, ...] = ()

    def __attrs_post_init__(self) -> None:
        _CHECKED_PENDING(self)

    @property
    def has_photo_id(self) -> bool:
        """A photographic document was seen."""
        return any(d.photo for d in self.documents)

    @property
    def has_address_id(self) -> bool:
        """A document showing the address was seen."""
        return any(d.shows_address for d in self.documents)


@attrs.frozen(kw_only=True)
class RightToWorkCheck:
    """Right to work in the UK; time-limited permission carries its expiry.

    ``status: pending`` with ``applied_on`` records a check asked for (an Employer Checking
    Service request, say) with no result yet; it never counts as done.
    """

    id: str = id_field()
    status: CheckStatus = _status_field()
    applied_on: dt.date | None = _applied_on()
    checked_on: dt.date | None = attrs.field(
        default=None, validator=[v.optional(v.instance_of(dt.date)), date_not_before("applied_on")]
    )
    checked_by: str | None = None
    time_limited: bool = False
    permission_expires_on: dt.date | None = opt_date()

    def __attrs_post_init__(self) -> None:
        _CHECKED_PENDING(self)
        # A pending check has no permission to read yet, so no expiry to give.
        pending = self.status is CheckStatus.PENDING
        if self.time_limited and self.permission_expires_on is None and not pending:
            raise FieldValueError(
                "permission_expires_on",
                "'permission_expires_on' is required when 'time_limited' is true",
            )


@attrs.frozen(kw_only=True)
class QualificationCheck:
    """A qualification the role requires (or not), and whether and when it was checked.

    ``status: pending`` with ``applied_on`` records a verification asked for (of the awarding
    body, say) with no answer yet.
    """

    id: str = id_field()
    qualification: str
    required: bool = True
    status: CheckStatus = _status_field()
    applied_on: dt.date | None = _applied_on()
    checked_on: dt.date | None = attrs.field(
        default=None, validator=[v.optional(v.instance_of(dt.date)), date_not_before("applied_on")]
    )
    checked_by: str | None = None

    def __attrs_post_init__(self) -> None:
        _CHECKED_PENDING(self)


class DbsLevel(enum.StrEnum):
    """Level of a Disclosure and Barring Service certificate."""

    BASIC = "basic"
    STANDARD = "standard"
    ENHANCED = "enhanced"


class DbsWorkforce(enum.StrEnum):
    """Workforce named on the certificate."""

    CHILD = "child"
    ADULT = "adult"
    CHILD_AND_ADULT = "child_and_adult"
    OTHER = "other"


class DbsDisclosure(enum.StrEnum):
    """Whether the certificate disclosed anything."""

    CLEAR = "clear"
    INFORMATION_DISCLOSED = "information_disclosed"


class Jurisdiction(enum.StrEnum):
    """Issuing body: DBS (England and Wales), PVG (Scotland) or AccessNI."""

    DBS = "dbs"
    PVG = "pvg"
    ACCESSNI = "accessni"


_DBS_NUMBER = re.compile(r"\d{12}")


def _check_certificate_number(inst: DbsCheck, _a: attrs.Attribute[str | None], n: object) -> None:
    # The value is personal data: describe its shape, never echo it.
    if n is None or inst.jurisdiction is not Jurisdiction.DBS:
        return
    if not isinstance(n, str) or not _DBS_NUMBER.fullmatch(n):
        shape = f"{len(n)} characters" if isinstance(n, str) else type(n).__name__
        raise FieldValueError(
            "certificate_number",
            f"'certificate_number' must be exactly 12 digits for a DBS certificate (got {shape})",
        )


@attrs.frozen(kw_only=True)
class DbsCheck:
    """A DBS (or PVG/AccessNI) certificate as recorded: level, barred lists, issue date, result.

    DBS certificates carry no expiry date; renewal is a pack parameter measured from
    ``issued_on`` (or from the last update-service status check, where the pack counts it). Only
    a completed certificate with its ``issued_on`` counts as valid. A check applied for and not
    yet issued ("TBC", "applied", "awaited") is ``status: pending`` with ``applied_on`` and the
    level applied for, and no issue date, seen date or disclosure.
    """

    id: str = id_field()
    status: CheckStatus = _status_field()
    applied_on: dt.date | None = _applied_on()
    jurisdiction: Jurisdiction = attrs.field(default=Jurisdiction.DBS, converter=Jurisdiction)
    certificate_number: str | None = personal(validator=_check_certificate_number)
    level: DbsLevel = attrs.field(converter=DbsLevel)
    barred_list_children: bool | None = None
    barred_list_adults: bool | None = None
    workforce: DbsWorkforce | None = attrs.field(
        default=None, converter=attrs.converters.optional(DbsWorkforce)
    )
    issued_on: dt.date | None = attrs.field(
        default=None, validator=[v.optional(v.instance_of(dt.date)), date_not_before("applied_on")]
    )
    seen_on: dt.date | None = attrs.field(
        default=None, validator=[v.optional(v.instance_of(dt.date)), date_not_before("issued_on")]
    )
    seen_by: str | None = None
    disclosure: DbsDisclosure | None = attrs.field(
        default=None, converter=attrs.converters.optional(DbsDisclosure)
    )

    def __attrs_post_init__(self) -> None:
        _DBS_PENDING(self)


_DBS_PENDING = _pending_leaves_empty("issued_on", "seen_on", "disclosure")


class StatusCheckResult(enum.StrEnum):
    """Result of an online DBS Update Service status check."""

    CURRENT_CLEAR = "current_clear"
    CURRENT_INFORMATION = "current_information"
    NOT_CURRENT = "not_current"
    NO_RECORD = "no_record"


@attrs.frozen(kw_only=True)
class StatusCheck:
    """An Update Service status check on a certificate."""

    id: str = id_field()
    checked_on: dt.date = attrs.field(validator=v.instance_of(dt.date))
    checked_by: str | None = None
    result: StatusCheckResult = attrs.field(converter=StatusCheckResult)
    dbs_check_id: str | None = None


@attrs.frozen(kw_only=True)
class UpdateServiceSubscription:
    """Membership of the DBS Update Service and the status checks made through it."""

    id: str = id_field()
    subscribed_on: dt.date | None = opt_date()
    status_checks: tuple[StatusCheck, ...] = ()


class SuitabilityCheckKind(enum.StrEnum):
    """Further pre-appointment checks (KCSIE and others)."""

    BARRED_LIST = "barred_list"
    PROHIBITION_FROM_TEACHING = "prohibition_from_teaching"
    SECTION_128 = "section_128"
    OVERSEAS = "overseas"
    ONLINE_SEARCH = "online_search"
    MEDICAL_FITNESS = "medical_fitness"
    AGENCY_CONFIRMATION = "agency_confirmation"
    IDENTITY_ON_ARRIVAL = "identity_on_arrival"


@attrs.frozen(kw_only=True)
class SuitabilityCheck:
    """A further check, when and by whom; ``satisfactory`` is ``None`` when not recorded.

    ``status: pending`` with ``applied_on`` records a check asked for (a barred list check, an
    overseas certificate) with no result yet: no ``checked_on`` and no ``satisfactory``.
    """

    id: str = id_field()
    kind: SuitabilityCheckKind = attrs.field(converter=SuitabilityCheckKind)
    status: CheckStatus = _status_field()
    applied_on: dt.date | None = _applied_on()
    checked_on: dt.date | None = attrs.field(
        default=None, validator=[v.optional(v.instance_of(dt.date)), date_not_before("applied_on")]
    )
    checked_by: str | None = None
    satisfactory: bool | None = None

    def __attrs_post_init__(self) -> None:
        _SUITABILITY_PENDING(self)


_SUITABILITY_PENDING = _pending_leaves_empty("checked_on", "satisfactory")


class RefereeKind(enum.StrEnum):
    """Who gave a reference."""

    EMPLOYER = "employer"
    ACADEMIC = "academic"
    CHARACTER = "character"
    OTHER = "other"


@attrs.frozen(kw_only=True)
class Reference:
    """A reference: received, verified (when and by whom), satisfactory or not.

    ``status: pending`` with ``requested_on`` records a reference asked for and not yet received
    (no ``received_on``, ``verified_on`` or ``satisfactory``); it never counts.
    """

    id: str = id_field()
    referee_kind: RefereeKind = attrs.field(default=RefereeKind.EMPLOYER, converter=RefereeKind)
    status: CheckStatus = _status_field()
    requested_on: dt.date | None = _applied_on()
    received_on: dt.date | None = attrs.field(
        default=None,
        validator=[v.optional(v.instance_of(dt.date)), date_not_before("requested_on")],
    )
    verified_on: dt.date | None = attrs.field(
        default=None,
        validator=[v.optional(v.instance_of(dt.date)), date_not_before("received_on")],
    )
    verified_by: str | None = None
    satisfactory: bool | None = None
    open_reference: bool = False
    supplied_by_candidate: bool = False

    def __attrs_post_init__(self) -> None:
        _REFERENCE_PENDING(self)

    @property
    def is_verified_satisfactory(self) -> bool:
        """Satisfactory, verified, and neither an open nor a candidate-supplied reference."""
        return (
            self.status is CheckStatus.COMPLETED
            and self.satisfactory is True
            and self.verified_on is not None
            and not self.open_reference
            and not self.supplied_by_candidate
        )


_REFERENCE_PENDING = _pending_leaves_empty("received_on", "verified_on", "satisfactory")


class RiskAssessmentKind(enum.StrEnum):
    """What a recorded risk assessment was for."""

    DBS_DISCLOSURE = "dbs_disclosure"
    CONCERN = "concern"
    SINGLE_REFERENCE = "single_reference"
    VOLUNTEER = "volunteer"
    START_BEFORE_DBS = "start_before_dbs"


@attrs.frozen(kw_only=True)
class RiskAssessment:
    """A written risk assessment, what it relates to, and when it was shared with the LADO."""

    id: str = id_field()
    kind: RiskAssessmentKind = attrs.field(converter=RiskAssessmentKind)
    completed_on: dt.date | None = opt_date()
    relates_to: str | None = None
    shared_with_lado_on: dt.date | None = attrs.field(
        default=None,
        validator=[v.optional(v.instance_of(dt.date)), date_not_before("completed_on")],
    )


@attrs.frozen(kw_only=True)
class LadoNotification:
    """A report to the Local Authority Designated Officer about a person."""

    id: str = id_field()
    notified_on: dt.date | None = opt_date()
    relates_to: str | None = None


class TrainingCourse(enum.StrEnum):
    """Kinds of safeguarding training."""

    INDUCTION_SAFEGUARDING = "induction_safeguarding"
    CHILD_PROTECTION = "child_protection"
    SAFEGUARDING_REFRESHER = "safeguarding_refresher"
    ANNUAL_UPDATE = "annual_update"
    DSL = "dsl"
    DSL_REFRESHER = "dsl_refresher"
    SAFER_RECRUITMENT = "safer_recruitment"
    ONLINE_SAFETY = "online_safety"
    PREVENT = "prevent"
    OTHER = "other"


@attrs.frozen(kw_only=True)
class TrainingRecord:
    """A completed course, by whom it was delivered, and whether the partnership recognises it."""

    id: str = id_field()
    course: TrainingCourse = attrs.field(converter=TrainingCourse)
    completed_on: dt.date | None = opt_date()
    provider_org: str | None = None
    recognised_by_partnership: bool | None = None
    includes_online_safety: bool | None = None


@attrs.frozen(kw_only=True)
class Person:
    """One person in the staff record, with every check and record held about them.

    ``full_name``, ``previous_names``, ``date_of_birth``, ``address`` and DBS certificate numbers
    are personal data: they never appear in findings unless a caller asks for them.
    """

    id: str = id_field()
    full_name: str | None = personal()
    previous_names: tuple[str, ...] = personal(default=())
    date_of_birth: dt.date | None = personal(validator=v.optional(v.instance_of(dt.date)))
    address: str | None = personal()
    engagements: tuple[Engagement, ...] = ()
    identity_check: IdentityCheck | None = None
    right_to_work: RightToWorkCheck | None = None
    qualification_checks: tuple[QualificationCheck, ...] = ()
    dbs_checks: tuple[DbsCheck, ...] = ()
    update_service: UpdateServiceSubscription | None = None
    suitability_checks: tuple[SuitabilityCheck, ...] = ()
    references: tuple[Reference, ...] = ()
    risk_assessments: tuple[RiskAssessment, ...] = ()
    lado_notifications: tuple[LadoNotification, ...] = ()
    training: tuple[TrainingRecord, ...] = ()
    record_updated_on: dt.date | None = opt_date()
    #: Has lived or worked outside the UK (KCSIE's "further checks" apply); None when not recorded.
    lived_or_worked_outside_uk: bool | None = None

    def active_engagements(self, as_of: dt.date) -> tuple[Engagement, ...]:
        """Engagements in force on ``as_of`` (those with no start date included; see
        :meth:`Engagement.is_active`)."""
        return tuple(e for e in self.engagements if e.is_active(as_of))
