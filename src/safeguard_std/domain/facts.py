"""The facts a predicate may name, with their types and the subjects they are defined for.

This catalogue is the vocabulary of ``applies_when``. Packs are checked against it when they
load, so a predicate on a field the evidence model does not have is a pack error, not a silent
``False`` at evaluation time.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.organisation import (
    LeadRoleKind,
    LegalForm,
    PolicyDocument,
    PolicyKind,
    ProviderKind,
    Regulator,
    RiskTier,
)
from safeguard_std.domain.pack import SubjectType
from safeguard_std.domain.people import (
    CheckStatus,
    DbsDisclosure,
    Person,
    RegulatedActivity,
    RoleType,
)

__all__ = ["FACTS", "Fact", "FactType"]


class FactType(enum.StrEnum):
    """The shape of a fact's value, which decides the operators a predicate may use on it."""

    BOOL = "bool"
    INT = "int"
    STR = "str"
    SET = "set"


Getter = Callable[[object, EvaluationContext], Any]


@attrs.frozen(kw_only=True)
class Fact:
    """A named fact: its type, allowed values (for enumerations), and where it is defined."""

    name: str
    type: FactType
    description: str
    getter: Getter = attrs.field(eq=False, repr=False)
    choices: tuple[str, ...] = ()
    subjects: frozenset[SubjectType] | None = None  # None: defined for every subject
    #: Values of the fact that mean "not known" (besides ``None``): a comparison on one of them
    #: is unknown, unless the predicate names the value itself.
    unknown: frozenset[str] = frozenset()


def _choices(e: type[enum.StrEnum]) -> tuple[str, ...]:
    return tuple(m.value for m in e)


def _person(subject: object) -> Person:
    assert isinstance(subject, Person)
    return subject


# The person facts below take the subject as it comes: a pack is checked when it loads, so a
# person fact is only ever asked of a person (an isinstance check per call would cost more than
# some facts do).


def _regulated(subject: Any, ctx: EvaluationContext) -> str:
    engagements = ctx.engagements_of(subject)
    if len(engagements) == 1:  # the usual case: the loop below, for one engagement
        value = engagements[0].regulated_activity
        if value is RegulatedActivity.YES:
            return "yes"
        return "unknown" if value is RegulatedActivity.UNKNOWN else "no"
    engaged = unknown = False
    for engagement in engagements:
        if engagement.regulated_activity is RegulatedActivity.YES:
            return "yes"
        engaged = True
        unknown = unknown or engagement.regulated_activity is RegulatedActivity.UNKNOWN
    return "unknown" if unknown or not engaged else "no"


def _any_flag(name: str) -> Getter:
    def get(subject: Any, ctx: EvaluationContext) -> bool | None:
        engaged, all_false = False, True
        for engagement in ctx.engagements_of(subject):
            value = getattr(engagement, name)
            if value is True:
                return True
            engaged = True
            all_false = all_false and value is False
        return False if engaged and all_false else None

    return get


def _role_types(subject: Any, ctx: EvaluationContext) -> frozenset[str]:
    # _value_ is what .value returns, without the enum descriptor (asked once per person).
    return frozenset([e.role_type._value_ for e in ctx.engagements_of(subject)])


def _lead_roles(subject: Any, ctx: EvaluationContext) -> frozenset[str]:
    kinds = ctx.roles_by_person.get(subject.id)
    return frozenset(k.value for k in kinds) if kinds else _NONE


_NONE: frozenset[str] = frozenset()


def _has_disclosure(subject: object, _ctx: EvaluationContext) -> bool | None:
    # Unknown, not false, when no certificate disclosed information and a completed one does
    # not record its disclosure: it may have disclosed some (a pending one has none yet).
    checks = _person(subject).dbs_checks
    if any(c.disclosure is DbsDisclosure.INFORMATION_DISCLOSED for c in checks):
        return True
    if any(c.disclosure is None and c.status is CheckStatus.COMPLETED for c in checks):
        return None
    return False


def _policy(subject: object) -> PolicyDocument:
    assert isinstance(subject, PolicyDocument)
    return subject


def _provider_fact(
    name: str,
    kind: FactType,
    description: str,
    choices: tuple[str, ...] = (),
    unknown: frozenset[str] = frozenset(),
) -> Fact:
    def get(_subject: object, ctx: EvaluationContext) -> Any:
        value = getattr(ctx.bundle.provider, name)
        if isinstance(value, frozenset):
            return frozenset(str(x) for x in value)
        return value.value if isinstance(value, enum.Enum) else value

    return Fact(
        name=f"provider.{name}",
        type=kind,
        description=description,
        getter=get,
        choices=choices,
        unknown=unknown,
    )


def _staff_on_record(_subject: object, ctx: EvaluationContext) -> int | None:
    people = ctx.current_people
    if _started_count(ctx) < len(people):
        return None  # someone may not be engaged yet (no start date): the count is unknown
    return len(people)


def _headcount(_subject: object, ctx: EvaluationContext) -> int | None:
    declared = ctx.bundle.provider.headcount
    if declared is None or declared < len(ctx.current_people):
        return None  # undeclared, or contradicted by the people on record: unknown
    return declared


def _days_since_start(subject: Any, ctx: EvaluationContext) -> int | None:
    starts = [e.start_on for e in ctx.engagements_of(subject)]
    if not starts or any(s is None for s in starts):
        return None  # no engagement in force, or one without a start date: unknown
    return (ctx.as_of - min(s for s in starts if s is not None)).days


#: Role types that make a person the provider's owner: a proprietor, a self-employed person, a
#: director of their own company.
_OWNER_ROLES = frozenset({RoleType.PROPRIETOR, RoleType.SELF_EMPLOYED, RoleType.DIRECTOR})


def _works_alone(_subject: object, ctx: EvaluationContext) -> bool | None:
    # Dorset 1.3: "providers working alone, for example self-employed or sole-traders". A sole
    # trader is working alone; so is any provider whose only person engaged on as_of is its
    # owner. With nobody recorded as engaged, whether it works alone is unknown.
    if ctx.bundle.provider.legal_form is LegalForm.SOLE_TRADER:
        return True
    # Someone whose engagements in force have no start date may not be engaged yet: while they
    # could decide it, whether the provider works alone is unknown.
    people = ctx.current_people
    if not people:
        return None
    started = _started_count(ctx)
    if started > 1:
        return False
    if started < len(people):
        return None
    return any(e.role_type in _OWNER_ROLES for e in ctx.engagements_of(people[0]))


_STARTED = ("facts", "started_count")  # the context's scratch key (see _started_count)


def _started_count(ctx: EvaluationContext) -> int:
    """How many of the people engaged on ``as_of`` have an engagement in force known to have
    started (with a start date). Worked out once per evaluation: a provider fact may be asked
    once per person, when a person requirement's condition names it."""
    found = ctx.scratch.get(_STARTED)
    if found is None or found[0] is not ctx.current_people:
        count = sum(
            1
            for p in ctx.current_people
            if any(e.start_on is not None for e in ctx.engagements_of(p))
        )
        found = ctx.scratch[_STARTED] = (ctx.current_people, count)
    return int(found[1])


def _contract_tier(_subject: object, ctx: EvaluationContext) -> str | None:
    contract = ctx.bundle.contract
    return None if contract is None or contract.risk_tier is None else contract.risk_tier.value


_PERSON = frozenset({SubjectType.PERSON})
_POLICY = frozenset({SubjectType.POLICY})

_ALL: tuple[Fact, ...] = (
    _provider_fact("kind", FactType.STR, "What kind of service.", _choices(ProviderKind)),
    _provider_fact(
        "legal_form",
        FactType.STR,
        "Legal form ('unknown' when not recorded).",
        _choices(LegalForm),
        frozenset({LegalForm.UNKNOWN.value}),
    ),
    _provider_fact("is_education", FactType.BOOL, "School, college or alternative provision."),
    _provider_fact(
        "is_sole_trader",
        FactType.BOOL,
        "Legal form is sole trader (unknown when the legal form is unknown).",
    ),
    Fact(
        name="provider.works_alone",
        type=FactType.BOOL,
        description="Works alone: a sole trader, or a provider whose only person engaged on "
        "as_of is its owner (proprietor, self-employed or director); unknown (None) when nobody "
        "is recorded as engaged, or when someone whose engagement has no start date could "
        "decide it.",
        getter=_works_alone,
    ),
    _provider_fact(
        "serves_18_to_25",
        FactType.BOOL,
        "Serves young adults aged 18 to 25 (unknown when the ages served are not recorded).",
    ),
    _provider_fact("serves_age_min", FactType.INT, "Youngest age served."),
    _provider_fact("serves_age_max", FactType.INT, "Oldest age served."),
    _provider_fact(
        "regulators",
        FactType.SET,
        "Inspectorates (unknown when not recorded; an empty list records none).",
        _choices(Regulator),
    ),
    _provider_fact(
        "local_areas",
        FactType.SET,
        "Local authority areas served (unknown when not recorded; an empty list records none).",
    ),
    _provider_fact(
        "activities",
        FactType.SET,
        "Activities the provider runs (unknown when not recorded; an empty list records none).",
    ),
    _provider_fact(
        "has_website",
        FactType.BOOL,
        "Has a website: true with a website_url, false when recorded as having none "
        "(has_website: false), unknown when neither is recorded.",
    ),
    _provider_fact("records_held_centrally", FactType.BOOL, "Staff records kept at head office."),
    Fact(
        name="provider.headcount",
        type=FactType.INT,
        description="Staff and volunteers, as the provider declares; unknown when undeclared "
        "or fewer than the people engaged on record.",
        getter=_headcount,
    ),
    Fact(
        name="provider.staff_on_record",
        type=FactType.INT,
        description="People in the evidence with an engagement in force on as_of; unknown "
        "when someone's only engagements in force have no start date.",
        getter=_staff_on_record,
    ),
    Fact(
        name="contract.present",
        type=FactType.BOOL,
        description="The evidence includes the commissioner's contract.",
        getter=lambda _s, ctx: ctx.bundle.contract is not None,
    ),
    Fact(
        name="contract.risk_tier",
        type=FactType.STR,
        description="The commissioner's risk tier for the contract.",
        getter=_contract_tier,
        choices=_choices(RiskTier),
    ),
    Fact(
        name="person.role_types",
        type=FactType.SET,
        description="Role types of the person's engagements in force on as_of.",
        getter=_role_types,
        choices=_choices(RoleType),
        subjects=_PERSON,
    ),
    Fact(
        name="person.regulated_activity",
        type=FactType.STR,
        description="'yes' if any engagement in force is regulated activity, 'unknown' if any "
        "is unknown and none is yes, else 'no'.",
        getter=_regulated,
        choices=_choices(RegulatedActivity),
        subjects=_PERSON,
        unknown=frozenset({RegulatedActivity.UNKNOWN.value}),
    ),
    Fact(
        name="person.regular_contact",
        type=FactType.BOOL,
        description="Has direct or regular contact with children in an engagement in force.",
        getter=_any_flag("regular_contact"),
        subjects=_PERSON,
    ),
    Fact(
        name="person.supervised",
        type=FactType.BOOL,
        description="Supervised in an engagement in force.",
        getter=_any_flag("supervised"),
        subjects=_PERSON,
    ),
    Fact(
        name="person.management_role",
        type=FactType.BOOL,
        description="Holds a management position in an engagement in force.",
        getter=_any_flag("management_role"),
        subjects=_PERSON,
    ),
    Fact(
        name="person.teaching_role",
        type=FactType.BOOL,
        description="Teaches in an engagement in force.",
        getter=_any_flag("teaching_role"),
        subjects=_PERSON,
    ),
    Fact(
        name="person.lead_roles",
        type=FactType.SET,
        description="Safeguarding lead roles the person holds on as_of.",
        getter=_lead_roles,
        choices=_choices(LeadRoleKind),
        subjects=_PERSON,
    ),
    Fact(
        name="person.days_since_start",
        type=FactType.INT,
        description="Days from the start of the person's earliest engagement in force to as_of "
        "(0 on the first day); unknown when an engagement in force has no start date. "
        "'New starters in their first week': lt 7.",
        getter=_days_since_start,
        subjects=_PERSON,
    ),
    Fact(
        name="person.lived_or_worked_outside_uk",
        type=FactType.BOOL,
        description="Has lived or worked outside the UK (None when the record does not say).",
        getter=lambda s, _c: _person(s).lived_or_worked_outside_uk,
        subjects=_PERSON,
    ),
    Fact(
        name="person.has_dbs_disclosure",
        type=FactType.BOOL,
        description="A DBS certificate on record disclosed information; unknown when none did "
        "and a completed certificate does not record its disclosure.",
        getter=_has_disclosure,
        subjects=_PERSON,
    ),
    Fact(
        name="policy.kind",
        type=FactType.STR,
        description="The policy's kind.",
        getter=lambda s, _c: _policy(s).kind.value,
        choices=_choices(PolicyKind),
        subjects=_POLICY,
    ),
    Fact(
        name="policy.activity",
        type=FactType.STR,
        description="The activity an activity-specific policy covers.",
        getter=lambda s, _c: _policy(s).activity,
        subjects=_POLICY,
    ),
)

#: Every fact a predicate may name, by name.
FACTS: Mapping[str, Fact] = {f.name: f for f in _ALL}
