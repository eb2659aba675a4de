"""The provider, its lead roles, policies, assurance records and its contract with a commissioner.

Together with :mod:`safeguard_std.domain.people` this is the whole evidence model. An
:class:`EvidenceBundle` describes one provider (and, for commissioner duties, its contract) as
records stand; it carries no ``as_of`` of its own: the date is always the caller's.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs
from attrs import validators as v

from safeguard_std.domain._base import (
    FieldValueError,
    date_not_before,
    id_field,
    opt_date,
    personal,
)
from safeguard_std.domain.allegations import Allegation
from safeguard_std.domain.people import Person

__all__ = [
    "EDUCATION_KINDS",
    "ActionItem",
    "Attestation",
    "AttestationOutcome",
    "Contract",
    "ContractMetric",
    "EvidenceBundle",
    "InformationRequest",
    "LeadRole",
    "LeadRoleKind",
    "LegalForm",
    "MonitoringMeeting",
    "PanelMember",
    "PolicyDocument",
    "PolicyKind",
    "Provider",
    "ProviderKind",
    "RecordReview",
    "RecruitmentPanel",
    "Regulator",
    "RiskTier",
    "SafeguardingClause",
    "Section11Audit",
    "Section11Stage",
    "SelfAudit",
    "Subscription",
    "SubscriptionKind",
    "ThematicCheck",
    "TrainingNeedsAnalysis",
    "Waiver",
]


class ProviderKind(enum.StrEnum):
    """What kind of service the provider runs."""

    MAINTAINED_SCHOOL = "maintained_school"
    ACADEMY = "academy"
    FREE_SCHOOL = "free_school"
    INDEPENDENT_SCHOOL = "independent_school"
    SPECIAL_SCHOOL = "special_school"
    COLLEGE = "college"
    ALTERNATIVE_PROVISION = "alternative_provision"
    EARLY_YEARS = "early_years"
    CHILDMINDER = "childminder"
    HEALTH = "health"
    SOCIAL_CARE = "social_care"
    RESIDENTIAL_CARE = "residential_care"
    YOUTH = "youth"
    SPORT = "sport"
    VOLUNTARY = "voluntary"
    FAITH = "faith"
    TUTORING = "tutoring"
    OTHER = "other"


#: Kinds that are education providers for Dorset's "education providers, including alternative
#: provision" and for KCSIE (schools and colleges). A provider may override with ``is_education``.
EDUCATION_KINDS = frozenset(
    {
        ProviderKind.MAINTAINED_SCHOOL,
        ProviderKind.ACADEMY,
        ProviderKind.FREE_SCHOOL,
        ProviderKind.INDEPENDENT_SCHOOL,
        ProviderKind.SPECIAL_SCHOOL,
        ProviderKind.COLLEGE,
        ProviderKind.ALTERNATIVE_PROVISION,
    }
)


class LegalForm(enum.StrEnum):
    """The provider's legal form."""

    COMPANY = "company"
    CHARITY = "charity"
    COMMUNITY_INTEREST_COMPANY = "community_interest_company"
    SOLE_TRADER = "sole_trader"
    PARTNERSHIP = "partnership"
    PUBLIC_BODY = "public_body"
    SCHOOL_TRUST = "school_trust"
    OTHER = "other"
    #: Not recorded (an import that could not tell): a condition on the legal form is then
    #: unknown, never false.
    UNKNOWN = "unknown"


class Regulator(enum.StrEnum):
    """Inspectorates with their own rules (Dorset 2.3 defers to them)."""

    OFSTED = "ofsted"
    CQC = "cqc"
    ISI = "isi"


def _regulators(values: Iterable[str | Regulator] | None) -> frozenset[Regulator] | None:
    return None if values is None else frozenset(Regulator(v) for v in values)


def _texts(values: Iterable[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


def _recorded(what: str) -> dict[str, str]:
    return {
        "description": f"{what}. Absent (or null): not recorded, so a condition on it is "
        "unknown and the requirement asks for evidence; [] records that there are none."
    }


def _website_from_url(provider: Provider) -> bool | None:
    # A website address says the provider has one; without it, only ``has_website`` can say.
    return True if provider.website_url else None


@attrs.frozen(kw_only=True)
class Provider:
    """The organisation (or sole trader) providing the service."""

    id: str = id_field()
    name: str
    kind: ProviderKind = attrs.field(converter=ProviderKind)
    legal_form: LegalForm = attrs.field(converter=LegalForm)
    education: bool | None = None
    serves_age_min: int | None = attrs.field(
        default=None, validator=v.optional([v.instance_of(int), v.ge(0), v.le(30)])
    )
    serves_age_max: int | None = attrs.field(
        default=None, validator=v.optional([v.instance_of(int), v.ge(0), v.le(30)])
    )
    #: The inspectorates, areas served and activities run. ``None`` (absent): not recorded, so
    #: a condition on the fact is unknown; an empty set: recorded as none.
    regulators: frozenset[Regulator] | None = attrs.field(
        default=None, converter=_regulators, metadata=_recorded("Inspectorates")
    )
    local_areas: frozenset[str] | None = attrs.field(
        default=None, converter=_texts, metadata=_recorded("Local authority areas served")
    )
    activities: frozenset[str] | None = attrs.field(
        default=None, converter=_texts, metadata=_recorded("Activities the provider runs")
    )
    website_url: str | None = attrs.field(
        default=None,
        metadata={"description": "The provider's website; giving it records that there is one."},
    )
    #: Whether the provider has a website: ``True`` whenever ``website_url`` is given (so a
    #: bundle with an address need not say it), ``False`` recorded as having none, ``None`` not
    #: recorded (unknown is not "no website").
    has_website: bool | None = attrs.field(
        default=attrs.Factory(_website_from_url, takes_self=True),
        validator=v.optional(v.instance_of(bool)),
        metadata={
            "description": "Whether the provider has a website: false records that it has "
            "none (and refuses a website_url beside it); true without website_url, one whose "
            "address is not recorded. Absent with website_url: true. Absent without it: not "
            "recorded, so whether a website applies is unknown."
        },
    )
    records_held_centrally: bool | None = None
    #: How many staff and volunteers the provider has, as it declares (``None``: not declared).
    #: A count below the people engaged on record is a contradiction, judged as unknown.
    headcount: int | None = attrs.field(
        default=None, validator=v.optional([v.instance_of(int), v.ge(0), v.le(1_000_000)])
    )

    def __attrs_post_init__(self) -> None:
        low, high = self.serves_age_min, self.serves_age_max
        if low is not None and high is not None and high < low:
            raise FieldValueError(
                "serves_age_max",
                f"'serves_age_max' ({high}) must not be below 'serves_age_min' ({low})",
            )
        if self.has_website is None and self.website_url:  # given as null beside an address
            object.__setattr__(self, "has_website", True)
        if self.has_website is False and self.website_url:
            raise FieldValueError(
                "has_website",
                "'has_website' is false but 'website_url' gives the provider's website: "
                "record one or the other",
            )

    @property
    def is_education(self) -> bool:
        """An education provider (schools, colleges, alternative provision), unless overridden."""
        if self.education is not None:
            return self.education
        return self.kind in EDUCATION_KINDS

    @property
    def is_sole_trader(self) -> bool | None:
        """Working alone: a sole trader (Dorset 1.3's "self-employed or sole-traders");
        ``None`` when the legal form is not known."""
        if self.legal_form is LegalForm.UNKNOWN:
            return None
        return self.legal_form is LegalForm.SOLE_TRADER

    @property
    def serves_18_to_25(self) -> bool | None:
        """Serves young adults aged 18 to 25 (Dorset's Safeguarding Adults Board duty); ``None``
        when the ages served are not recorded (unknown is not "no")."""
        if self.serves_age_max is not None:
            return self.serves_age_max >= 18
        if self.serves_age_min is not None and self.serves_age_min >= 18:
            return True
        return None


class LeadRoleKind(enum.StrEnum):
    """Named safeguarding roles."""

    DSL = "dsl"
    DEPUTY_DSL = "deputy_dsl"
    DESIGNATED_SENIOR_MANAGER = "designated_senior_manager"
    DEPUTY_DESIGNATED_SENIOR_MANAGER = "deputy_designated_senior_manager"
    LADO_LIAISON_OFFICER = "lado_liaison_officer"
    BOARD_LEVEL_LEAD = "board_level_lead"
    CHIEF_EXECUTIVE = "chief_executive"


@attrs.frozen(kw_only=True)
class LeadRole:
    """A person holding a named safeguarding role from ``start_on`` to ``end_on`` inclusive."""

    id: str = id_field()
    kind: LeadRoleKind = attrs.field(converter=LeadRoleKind)
    person_id: str
    start_on: dt.date | None = opt_date()
    end_on: dt.date | None = attrs.field(
        default=None, validator=[v.optional(v.instance_of(dt.date)), date_not_before("start_on")]
    )
    in_job_description: bool | None = None

    def is_active(self, as_of: dt.date) -> bool:
        """Held on ``as_of``; a role with no start date counts as held until it ends."""
        started = self.start_on is None or self.start_on <= as_of
        return started and (self.end_on is None or as_of <= self.end_on)


class PolicyKind(enum.StrEnum):
    """Kinds of policy document the standards name."""

    SAFEGUARDING = "safeguarding"
    SAFER_RECRUITMENT = "safer_recruitment"
    MANAGING_ALLEGATIONS = "managing_allegations"
    WHISTLEBLOWING = "whistleblowing"
    CODE_OF_CONDUCT = "code_of_conduct"
    ONLINE_SAFETY = "online_safety"
    INFORMATION_SHARING = "information_sharing"
    TRAINING_STRATEGY = "training_strategy"
    ACTIVITY = "activity"
    OTHER = "other"


def _policy_kinds(values: Iterable[str | PolicyKind]) -> frozenset[PolicyKind]:
    return frozenset(PolicyKind(v) for v in values)


@attrs.frozen(kw_only=True)
class PolicyDocument:
    """A policy: approval, reviews, publication, and the topics and documents it was attested
    to cover (``topics`` and ``references`` are what a reader recorded, not parsed text)."""

    id: str = id_field()
    kind: PolicyKind = attrs.field(converter=PolicyKind)
    title: str | None = None
    version: str | None = None
    activity: str | None = None
    approved_on: dt.date | None = opt_date()
    approved_by: str | None = None
    last_reviewed_on: dt.date | None = opt_date()
    next_review_on: dt.date | None = attrs.field(
        default=None,
        validator=[
            v.optional(v.instance_of(dt.date)),
            date_not_before("approved_on"),
            date_not_before("last_reviewed_on"),
        ],
    )
    published_to_staff: bool | None = None
    published_on_website: bool | None = None
    issued_at_induction: bool | None = None
    covered_in_training: bool | None = None
    includes: frozenset[PolicyKind] = attrs.field(factory=frozenset, converter=_policy_kinds)
    topics: frozenset[str] = attrs.field(factory=frozenset, converter=frozenset)
    references: frozenset[str] = attrs.field(factory=frozenset, converter=frozenset)

    @property
    def last_review(self) -> dt.date | None:
        """The later of approval and last review: when the policy was last confirmed."""
        dates = [d for d in (self.approved_on, self.last_reviewed_on) if d is not None]
        return max(dates) if dates else None


@attrs.frozen(kw_only=True)
class TrainingNeedsAnalysis:
    """A safeguarding training needs analysis and its last review."""

    id: str = id_field()
    reviewed_on: dt.date | None = opt_date()
    includes_board: bool | None = None


@attrs.frozen(kw_only=True)
class PanelMember:
    """A member of a recruitment panel (a person in the record)."""

    person_id: str
    is_chair: bool = False


@attrs.frozen(kw_only=True)
class RecruitmentPanel:
    """An interview panel on a date."""

    id: str = id_field()
    interview_on: dt.date = attrs.field(validator=v.instance_of(dt.date))
    post: str | None = None
    members: tuple[PanelMember, ...] = ()
    appointee_id: str | None = None


@attrs.frozen(kw_only=True)
class RecordReview:
    """A review of the staff record (single central record)."""

    id: str = id_field()
    reviewed_on: dt.date = attrs.field(validator=v.instance_of(dt.date))
    reviewed_by: str | None = None


@attrs.frozen(kw_only=True)
class ActionItem:
    """An action from an audit's action plan; overdue when open after ``due_on``."""

    id: str = id_field()
    description: str | None = None
    due_on: dt.date | None = opt_date()
    completed_on: dt.date | None = opt_date()


@attrs.frozen(kw_only=True)
class SelfAudit:
    """A self-audit requested by the council, its submission, and its action plan."""

    id: str = id_field()
    requested_on: dt.date | None = opt_date()
    due_on: dt.date | None = attrs.field(
        default=None,
        validator=[v.optional(v.instance_of(dt.date)), date_not_before("requested_on")],
    )
    submitted_on: dt.date | None = opt_date()
    action_plan: tuple[ActionItem, ...] = ()


class SubscriptionKind(enum.StrEnum):
    """Updates a provider receives from the safeguarding partnership."""

    PROCEDURES_UPDATES = "procedures_updates"
    NEWSLETTER = "newsletter"
    BOARD_INFORMATION = "board_information"
    BOARD_TRAINING = "board_training"


@attrs.frozen(kw_only=True)
class Subscription:
    """A subscription to partnership updates, newsletters or training offers."""

    id: str = id_field()
    kind: SubscriptionKind = attrs.field(converter=SubscriptionKind)
    subscribed_on: dt.date | None = opt_date()
    ended_on: dt.date | None = opt_date()
    person_id: str | None = None


@attrs.frozen(kw_only=True)
class InformationRequest:
    """A council's request for records or policies, and when they were provided."""

    id: str = id_field()
    subject: str
    requested_on: dt.date | None = opt_date()
    due_on: dt.date | None = opt_date()
    provided_on: dt.date | None = opt_date()


@attrs.frozen(kw_only=True)
class SafeguardingClause:
    """A contract's safeguarding clause: the topics it covers and the documents it references,
    as recorded by whoever read the contract."""

    topics: frozenset[str] = attrs.field(factory=frozenset, converter=frozenset)
    references: frozenset[str] = attrs.field(factory=frozenset, converter=frozenset)


@attrs.frozen(kw_only=True)
class ContractMetric:
    """A performance metric in the contract."""

    id: str = id_field()
    name: str
    topic: str


@attrs.frozen(kw_only=True)
class MonitoringMeeting:
    """A contract monitoring meeting."""

    id: str = id_field()
    held_on: dt.date = attrs.field(validator=v.instance_of(dt.date))
    safeguarding_discussed: bool | None = None


class Section11Stage(enum.StrEnum):
    """When a Section 11 audit was done: at tender, or in the board's cycle."""

    TENDER = "tender"
    CYCLE = "cycle"


@attrs.frozen(kw_only=True)
class Section11Audit:
    """A Section 11 (Children Act 2004) audit, at tender or in the board's cycle."""

    id: str = id_field()
    stage: Section11Stage = attrs.field(converter=Section11Stage)
    submitted_on: dt.date | None = opt_date()


class RiskTier(enum.StrEnum):
    """The commissioner's risk rating of a contract, setting how often thematic checks run."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@attrs.frozen(kw_only=True)
class ThematicCheck:
    """A thematic quality-assurance check by the commissioner."""

    id: str = id_field()
    completed_on: dt.date = attrs.field(validator=v.instance_of(dt.date))
    theme: str | None = None


@attrs.frozen(kw_only=True)
class Contract:
    """The commissioner's contract with the provider and the commissioner's assurance records."""

    id: str = id_field()
    commissioner: str
    reference: str | None = None
    start_on: dt.date | None = opt_date()
    end_on: dt.date | None = attrs.field(
        default=None, validator=[v.optional(v.instance_of(dt.date)), date_not_before("start_on")]
    )
    risk_tier: RiskTier | None = attrs.field(
        default=None, converter=attrs.converters.optional(RiskTier)
    )
    safeguarding_clause: SafeguardingClause | None = None
    metrics: tuple[ContractMetric, ...] = ()
    monitoring_meetings: tuple[MonitoringMeeting, ...] = ()
    section11_audits: tuple[Section11Audit, ...] = ()
    thematic_checks: tuple[ThematicCheck, ...] = ()


class AttestationOutcome(enum.StrEnum):
    """What a person who read the evidence concluded."""

    MET = "met"
    NOT_MET = "not_met"
    PARTIALLY_MET = "partially_met"
    #: The requirement does not apply to the subject, for the reason in ``statement``; used only
    #: where the records cannot show it either way, never over a record that can.
    NOT_APPLICABLE = "not_applicable"


@attrs.frozen(kw_only=True)
class Attestation:
    """A recorded human judgement that a requirement is (or is not) met for a subject."""

    id: str = id_field()
    requirement_id: str
    subject_id: str | None = None
    outcome: AttestationOutcome = attrs.field(converter=AttestationOutcome)
    attested_by: str | None = personal()
    attested_on: dt.date = attrs.field(validator=v.instance_of(dt.date))
    statement: str | None = None
    evidence_refs: frozenset[str] = attrs.field(factory=frozenset, converter=frozenset)

    def __attrs_post_init__(self) -> None:
        if self.outcome is AttestationOutcome.NOT_APPLICABLE and not (self.statement or "").strip():
            raise FieldValueError(
                "statement",
                "an attestation that a requirement is not applicable must say why in "
                "'statement' (e.g. 'we run no overnight stays')",
            )


@attrs.frozen(kw_only=True)
class Waiver:
    """A commissioner's agreed exception to a requirement, for one subject or all, for a time."""

    id: str = id_field()
    requirement_id: str
    subject_id: str | None = None
    granted_by: str | None = None
    granted_on: dt.date = attrs.field(validator=v.instance_of(dt.date))
    expires_on: dt.date | None = attrs.field(
        default=None, validator=[v.optional(v.instance_of(dt.date)), date_not_before("granted_on")]
    )
    reason: str

    def is_active(self, as_of: dt.date) -> bool:
        """In force on ``as_of`` (granted on or before it, not yet expired; expiry day included)."""
        return self.granted_on <= as_of and (self.expires_on is None or as_of <= self.expires_on)


@attrs.frozen(kw_only=True)
class EvidenceBundle:
    """Everything known about one provider (and its contract) that a pack can be judged against."""

    schema_version: int = attrs.field(default=1, validator=v.in_((1,)))
    id: str = id_field()
    provider: Provider
    lead_roles: tuple[LeadRole, ...] = ()
    people: tuple[Person, ...] = ()
    policies: tuple[PolicyDocument, ...] = ()
    training_needs_analyses: tuple[TrainingNeedsAnalysis, ...] = ()
    recruitment_panels: tuple[RecruitmentPanel, ...] = ()
    record_reviews: tuple[RecordReview, ...] = ()
    self_audits: tuple[SelfAudit, ...] = ()
    subscriptions: tuple[Subscription, ...] = ()
    information_requests: tuple[InformationRequest, ...] = ()
    contract: Contract | None = None
    attestations: tuple[Attestation, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    #: The allegations log; ``None`` when the evidence holds none (not the same as ``[]``, a log
    #: with nothing in it), so a rule about allegations asks for the log rather than passing.
    allegations: tuple[Allegation, ...] | None = None
