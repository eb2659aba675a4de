"""The fields a single central record column can hold, and how each is parsed.

A *field* is a dotted key naming where a column's value goes in the evidence model
(``dbs.issued_on``, ``reference2.received_on``, ``check.overseas.checked_on``). Mapping files name
fields by these keys; the default header synonyms map onto them. Each field has a *kind* that picks
the cell parser, and says whether its values are personal data (withheld from messages) and
whether it records a past event (so a date after ``as_of`` cannot be right).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from safeguard_std.domain.people import RiskAssessmentKind, SuitabilityCheckKind, TrainingCourse

__all__ = [
    "FIELDS",
    "NOT_MODELLED",
    "REFERENCE_SLOTS",
    "Field",
    "Kind",
    "by_field_of",
    "date_field_of",
    "group_of",
    "record_name",
]


class Kind(enum.Enum):
    """How a cell is read."""

    TEXT = "text"
    NAME = "name"
    STAFF_NUMBER = "staff_number"
    DATE = "date"  # a date only
    CHECK = "check"  # a date, or a mark saying done / not done / pending / not applicable
    BOOL = "bool"
    REGULATED = "regulated"
    ROLE_TYPE = "role_type"
    DBS_NUMBER = "dbs_number"
    DBS_LEVEL = "dbs_level"
    WORKFORCE = "workforce"
    DISCLOSURE = "disclosure"
    JURISDICTION = "jurisdiction"
    STATUS_RESULT = "status_result"
    REFEREE_KIND = "referee_kind"
    DOCUMENTS = "documents"
    COUNT = "count"
    RISK_KIND = "risk_kind"
    IGNORE = "ignore"


@attrs.frozen
class Field:
    """One target of a column."""

    key: str
    kind: Kind
    description: str
    personal: bool = False
    event: bool = False  # a past event: dated after as_of cannot be right
    joins: bool = False  # several columns join into one value (address lines)


#: Reference slots a record may fill from numbered columns ("Reference 1 received", ...).
REFERENCE_SLOTS = (1, 2, 3)

_SUITABILITY = tuple(k.value for k in SuitabilityCheckKind)
_COURSES = tuple(c.value for c in TrainingCourse)
_RISK = tuple(k.value for k in RiskAssessmentKind)


def _fields() -> list[Field]:
    f: list[Field] = [
        Field(
            "person.staff_number", Kind.STAFF_NUMBER, "staff or payroll number (the person's id)"
        ),
        Field("person.full_name", Kind.NAME, "full name", personal=True),
        Field("person.first_name", Kind.NAME, "first name(s)", personal=True),
        Field("person.last_name", Kind.NAME, "surname", personal=True),
        Field("person.previous_names", Kind.TEXT, "previous or maiden names", personal=True),
        Field("person.date_of_birth", Kind.DATE, "date of birth", personal=True, event=True),
        Field("person.address", Kind.TEXT, "home address", personal=True, joins=True),
        Field("engagement.role_type", Kind.ROLE_TYPE, "employee, volunteer, agency, governor..."),
        Field("engagement.job_title", Kind.TEXT, "job title or role"),
        Field("engagement.start_on", Kind.DATE, "start date"),
        Field("engagement.end_on", Kind.DATE, "leaving date"),
        Field("engagement.regulated_activity", Kind.REGULATED, "in regulated activity"),
        Field("engagement.regular_contact", Kind.BOOL, "regular contact with children"),
        Field("engagement.supervised", Kind.BOOL, "supervised"),
        Field("engagement.management_role", Kind.BOOL, "in a management role"),
        Field("engagement.teaching_role", Kind.BOOL, "teaches"),
        Field("engagement.agency_name", Kind.TEXT, "employing agency or company"),
        Field("identity.checked_on", Kind.CHECK, "identity checked", event=True),
        Field("identity.checked_by", Kind.TEXT, "identity checked by"),
        Field("identity.documents", Kind.DOCUMENTS, "identity documents seen"),
        Field("right_to_work.checked_on", Kind.CHECK, "right to work checked", event=True),
        Field("right_to_work.checked_by", Kind.TEXT, "right to work checked by"),
        Field("right_to_work.expires_on", Kind.DATE, "time-limited permission expires"),
        Field("qualifications.checked_on", Kind.CHECK, "qualifications checked", event=True),
        Field("qualifications.checked_by", Kind.TEXT, "qualifications checked by"),
        Field("qualifications.name", Kind.TEXT, "qualification required"),
        Field("dbs.certificate_number", Kind.DBS_NUMBER, "certificate number", personal=True),
        Field("dbs.level", Kind.DBS_LEVEL, "basic, standard or enhanced"),
        Field("dbs.issued_on", Kind.CHECK, "certificate issue date", event=True),
        Field("dbs.seen_on", Kind.CHECK, "certificate seen", event=True),
        Field("dbs.seen_by", Kind.TEXT, "certificate seen by"),
        Field("dbs.barred_list_children", Kind.BOOL, "children's barred list included"),
        Field("dbs.barred_list_adults", Kind.BOOL, "adults' barred list included"),
        Field("dbs.workforce", Kind.WORKFORCE, "child, adult, child and adult, other"),
        Field("dbs.disclosure", Kind.DISCLOSURE, "clear or information disclosed"),
        Field("dbs.information_disclosed", Kind.BOOL, "the certificate disclosed information"),
        Field("dbs.jurisdiction", Kind.JURISDICTION, "DBS, PVG (Scotland) or AccessNI"),
        Field("dbs.copy_kept", Kind.CHECK, "a copy of the certificate is kept", event=True),
        Field("update_service.subscribed", Kind.CHECK, "on the DBS Update Service", event=True),
        Field("update_service.checked_on", Kind.DATE, "last status check", event=True),
        Field("update_service.result", Kind.STATUS_RESULT, "status check result"),
        Field("update_service.checked_by", Kind.TEXT, "status check by"),
        Field("references.count", Kind.COUNT, "number of references received"),
        Field("risk_assessment.kind", Kind.RISK_KIND, "what a risk assessment was for"),
        Field("risk_assessment.completed_on", Kind.CHECK, "risk assessment", event=True),
        Field("risk_assessment.shared_with_lado_on", Kind.DATE, "shared with the LADO", event=True),
        Field("lado.notified_on", Kind.CHECK, "LADO notified", event=True),
        Field("record.updated_on", Kind.DATE, "record last updated", event=True),
        Field("ignore", Kind.IGNORE, "a column deliberately not imported"),
    ]
    for n in REFERENCE_SLOTS:
        f += [
            Field(f"reference{n}.received_on", Kind.CHECK, f"reference {n} received", event=True),
            Field(f"reference{n}.verified_on", Kind.CHECK, f"reference {n} verified", event=True),
            Field(f"reference{n}.verified_by", Kind.TEXT, f"reference {n} verified by"),
            Field(f"reference{n}.satisfactory", Kind.BOOL, f"reference {n} satisfactory"),
            Field(f"reference{n}.kind", Kind.REFEREE_KIND, f"reference {n} referee"),
        ]
    for kind in _SUITABILITY:
        text = kind.replace("_", " ")
        f += [
            Field(f"check.{kind}.checked_on", Kind.CHECK, f"{text} check", event=True),
            Field(f"check.{kind}.checked_by", Kind.TEXT, f"{text} check by"),
            Field(f"check.{kind}.satisfactory", Kind.BOOL, f"{text} check satisfactory"),
        ]
    for course in _COURSES:
        text = course.replace("_", " ")
        f += [
            Field(f"training.{course}.completed_on", Kind.CHECK, f"{text} training", event=True),
            Field(f"training.{course}.provider", Kind.TEXT, f"{text} training provider"),
            Field(f"training.{course}.recognised", Kind.BOOL, f"{text} training recognised"),
        ]
    for kind in _RISK:
        text = kind.replace("_", " ")
        f += [
            Field(
                f"risk_assessment.{kind}.completed_on",
                Kind.CHECK,
                f"{text} risk assessment",
                event=True,
            ),
            Field(
                f"risk_assessment.{kind}.shared_with_lado_on",
                Kind.DATE,
                f"{text} risk assessment shared with the LADO",
                event=True,
            ),
        ]
    return f


#: Every field a column may map to, by key.
FIELDS: Mapping[str, Field] = {f.key: f for f in _fields()}

#: Columns recognised by the default synonyms whose content the evidence model has no place
#: for; they are listed in the report, with the reason, instead of as unmapped.
NOT_MODELLED: Mapping[str, str] = {
    "dbs.application_ref": "a DBS application reference is not a certificate; the evidence "
    "model records certificates",
    "qts": "holding QTS is a qualification, not a check; map the column to "
    "qualifications.checked_on if it records that QTS was checked",
    "photo": "photographs are not evidence in the model",
}


def group_of(key: str) -> str:
    """The record a field belongs to: ``dbs`` for ``dbs.issued_on``."""
    return key.rsplit(".", 1)[0]


_BY = {
    "identity": "identity.checked_by",
    "right_to_work": "right_to_work.checked_by",
    "qualifications": "qualifications.checked_by",
    "dbs": "dbs.seen_by",
    "update_service": "update_service.checked_by",
    **{f"reference{n}": f"reference{n}.verified_by" for n in REFERENCE_SLOTS},
    **{f"check.{k}": f"check.{k}.checked_by" for k in _SUITABILITY},
}

_DATE = {
    "identity": "identity.checked_on",
    "right_to_work": "right_to_work.checked_on",
    "qualifications": "qualifications.checked_on",
    "dbs": "dbs.issued_on",
    "update_service": "update_service.checked_on",
    **{f"reference{n}": f"reference{n}.received_on" for n in REFERENCE_SLOTS},
    **{f"check.{k}": f"check.{k}.checked_on" for k in _SUITABILITY},
    **{f"training.{c}": f"training.{c}.completed_on" for c in _COURSES},
    **{f"risk_assessment.{k}": f"risk_assessment.{k}.completed_on" for k in _RISK},
}


_RECORD_NAMES = {
    "identity": "identity check",
    "right_to_work": "right-to-work check",
    "qualifications": "qualifications check",
    "dbs": "DBS certificate",
    "update_service": "Update Service subscription",
    "lado": "LADO notification",
    "risk_assessment": "risk assessment",
}


def record_name(key: str) -> str:
    """What the record ``key`` belongs to is called in messages: "right-to-work check"."""
    group = group_of(key)
    if group in _RECORD_NAMES:
        return _RECORD_NAMES[group]
    head, _, kind = group.partition(".")
    text = kind.replace("_", " ")
    if head == "check":
        return f"{text} check"
    if head == "training":
        return f"{text} training record"
    if head == "risk_assessment":
        return f"{text} risk assessment"
    if head.startswith("reference"):
        return f"reference {head.removeprefix('reference')}"
    return group.replace("_", " ")


def by_field_of(key: str) -> str | None:
    """The "checked by" field of the record ``key`` belongs to, if it has one."""
    return _BY.get(group_of(key))


def date_field_of(key: str) -> str | None:
    """The main date field of the record ``key`` belongs to, if it has one."""
    return _DATE.get(group_of(key))
