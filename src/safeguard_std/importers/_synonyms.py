"""The default header synonyms: the column names seen in published SCR templates and in the
exports of SCR and HR tools (DOMAIN.md section A), and the many ways people write them.

Headers are compared after :func:`header_key`: case, spacing, punctuation and format hints
("(dd/mm/yyyy)", "Y/N") do not matter, and common abbreviations are spelled out ("DBS No." is
"dbs number", "DOB" is "date of birth", "Ref 1" is "reference 1", "s128" is "section 128").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import attrs

from safeguard_std.importers._fields import REFERENCE_SLOTS

__all__ = ["POSITIONAL", "SYNONYMS", "Synonym", "header_key"]

_HINT = re.compile(
    r"\((?:[^)]*\b(?:dd|mm|yy|yyyy|y/n|yes/no|date format)\b[^)]*)\)"
    r"|\b(?:dd|mm)[/.-](?:mm|dd)[/.-](?:yyyy|yy)\b|\by/n\b|\byes/no\b",
    re.IGNORECASE,
)
_PUNCT = re.compile(r"[^\w\s]+")
_WORDS = {
    "no": "number",
    "num": "number",
    "nbr": "number",
    "cert": "certificate",
    "certs": "certificates",
    "ref": "reference",
    "refs": "references",
    "dob": "date of birth",
    "rtw": "right to work",
    "enh": "enhanced",
    "qual": "qualifications",
    "quals": "qualifications",
    "qualification": "qualifications",
    "chk": "check",
    "recd": "received",
    "rcvd": "received",
    "s128": "section 128",
    "sec": "section",
    "1st": "1",
    "2nd": "2",
    "3rd": "3",
    "childrens": "children",
    "esafety": "online safety",
    "ebulk": "e bulk",
}


def header_key(text: str) -> str:
    """A header reduced to the words that identify it."""
    text = _HINT.sub(" ", text.replace("\u00a0", " "))
    text = text.replace("&", " and ").replace("#", " number ").replace("'", "").lower()
    words = _PUNCT.sub(" ", text).replace("_", " ").split()
    return " ".join(_WORDS.get(w, w) for w in words)


@attrs.frozen
class Synonym:
    """What a header means: a field, and values it implies for the record (an "Enhanced DBS
    date" column implies the level of every DBS check on that sheet)."""

    field: str
    implies: tuple[tuple[str, str], ...] = ()


def _add(table: dict[str, Synonym], field: str, names: Iterable[str], **implies: str) -> None:
    synonym = Synonym(field, tuple(sorted((k.replace("__", "."), v) for k, v in implies.items())))
    for name in names:
        key = header_key(name)
        if key in table and table[key] != synonym:  # pragma: no cover - a table bug
            raise AssertionError(f"header {name!r} is given two meanings")
        table[key] = synonym


_ORDINALS = {1: ("first", "1st"), 2: ("second", "2nd"), 3: ("third", "3rd")}


def _references(table: dict[str, Synonym]) -> None:
    _add(
        table,
        "references.count",
        [
            "references",
            "references received",
            "number of references",
            "2 x references",
            "two references",
            "references count",
            "references taken",
        ],
    )
    for n in REFERENCE_SLOTS:
        first, short = _ORDINALS[n]
        slot = f"reference{n}"
        _add(
            table,
            f"{slot}.received_on",
            [
                f"reference {n}",
                f"reference {n} received",
                f"ref {n}",
                f"ref {n} received",
                f"reference {n} date",
                f"reference {n} date received",
                f"reference {n} received date",
                f"date reference {n} received",
                f"references {n}",
                f"{first} reference",
                f"{first} reference received",
                f"{short} reference",
                f"{short} reference received",
                f"referee {n} reference received",
            ],
        )
        _add(
            table,
            f"{slot}.verified_on",
            [
                f"reference {n} verified",
                f"reference {n} verified date",
                f"reference {n} date verified",
                f"date reference {n} verified",
                f"ref {n} verified",
                f"reference {n} checked",
                f"reference {n} followed up",
                f"reference {n} verified on",
                f"{first} reference verified",
            ],
        )
        _add(
            table,
            f"{slot}.verified_by",
            [f"reference {n} verified by", f"ref {n} verified by", f"reference {n} checked by"],
        )
        _add(
            table,
            f"{slot}.satisfactory",
            [
                f"reference {n} satisfactory",
                f"ref {n} satisfactory",
                f"reference {n} satisfactory y/n",
                f"reference {n} outcome",
                f"{first} reference satisfactory",
            ],
        )
        _add(
            table,
            f"{slot}.kind",
            [
                f"reference {n} type",
                f"ref {n} type",
                f"referee {n} type",
                f"reference {n} from",
                f"referee {n}",
                f"reference {n} referee",
                f"type of reference {n}",
                f"reference {n} source",
                f"{first} referee",
            ],
        )


def _people(table: dict[str, Synonym]) -> None:
    _add(
        table,
        "person.staff_number",
        [
            "staff number",
            "staff no",
            "staff id",
            "employee number",
            "employee no",
            "employee id",
            "payroll number",
            "payroll no",
            "payroll id",
            "personnel number",
            "hr number",
            "person id",
            "volunteer number",
            "volunteer id",
            "unique id",
        ],
    )
    _add(
        table,
        "person.full_name",
        [
            "name",
            "full name",
            "staff name",
            "employee name",
            "person name",
            "volunteer name",
            "governor name",
            "trustee name",
            "name of staff member",
            "name of employee",
            "name of individual",
            "full legal name",
            "surname, forename",
            "forename surname",
            "names",
            "individual",
            "staff member",
        ],
    )
    _add(
        table,
        "person.first_name",
        [
            "first name",
            "first names",
            "forename",
            "forenames",
            "given name",
            "given names",
            "christian name",
            "legal first name",
            "first name(s)",
        ],
    )
    _add(table, "person.last_name", ["surname", "last name", "family name", "legal surname"])
    _add(
        table,
        "person.previous_names",
        [
            "previous names",
            "previous name",
            "former names",
            "former name",
            "maiden name",
            "other names",
            "previous surname",
            "previous surnames",
            "name at birth",
            "aliases",
            "also known as",
            "any other names",
        ],
    )
    _add(table, "person.date_of_birth", ["date of birth", "DOB", "birth date", "birthdate"])
    _add(
        table,
        "person.address",
        [
            "address",
            "home address",
            "current address",
            "address line 1",
            "address line 2",
            "address line 3",
            "address 1",
            "address 2",
            "address 3",
            "street",
            "town",
            "city",
            "county",
            "postcode",
            "post code",
            "address and postcode",
            "full address",
        ],
    )


def _engagement(table: dict[str, Synonym]) -> None:
    _add(
        table,
        "engagement.role_type",
        [
            "entity type",
            "staff type",
            "staff category",
            "category",
            "role type",
            "type of role",
            "employment type",
            "engagement type",
            "contract type",
            "worker type",
            "type of worker",
            "staff group",
            "employment status",
            "type of staff",
        ],
    )
    _add(
        table,
        "engagement.job_title",
        [
            "role",
            "job title",
            "position",
            "post",
            "job role",
            "role/position",
            "post held",
            "role in school",
            "role title",
            "job",
            "position held",
            "role at school",
            "title of post",
        ],
    )
    _add(
        table,
        "engagement.start_on",
        [
            "start date",
            "date started",
            "employment start date",
            "date of appointment",
            "appointment date",
            "date joined",
            "joined",
            "start",
            "commenced",
            "date commenced",
            "commencement date",
            "first day",
            "date of first day",
            "volunteering start date",
            "started",
            "date of starting",
            "date of commencement",
        ],
    )
    _add(
        table,
        "engagement.end_on",
        [
            "leaving date",
            "end date",
            "date left",
            "left",
            "leaver date",
            "date of leaving",
            "termination date",
            "finish date",
            "end of employment",
            "employment end date",
        ],
    )
    _add(
        table,
        "engagement.regulated_activity",
        ["regulated activity", "in regulated activity", "engaged in regulated activity"],
    )
    _add(
        table,
        "engagement.regular_contact",
        ["regular contact", "regular contact with children", "direct contact with children"],
    )
    _add(table, "engagement.supervised", ["supervised", "supervised volunteer", "supervision"])
    _add(
        table,
        "engagement.management_role",
        ["management role", "management position", "in management", "leadership role"],
    )
    _add(
        table, "engagement.teaching_role", ["teaching role", "teacher", "teaches", "teaching post"]
    )
    _add(
        table,
        "engagement.agency_name",
        [
            "agency",
            "agency name",
            "associated agency",
            "supplying agency",
            "employing agency",
            "company",
            "company name",
            "supplier",
            "contractor company",
        ],
    )


def _checks(table: dict[str, Synonym]) -> None:
    _add(
        table,
        "identity.checked_on",
        [
            "identity",
            "identity check",
            "identity checked",
            "ID check",
            "ID checked",
            "date ID checked",
            "identity check date",
            "date identity checked",
            "proof of identity",
            "ID verified",
            "identity verified",
            "identity date",
            "evidence of identity",
            "identity checks",
        ],
    )
    _add(
        table,
        "identity.checked_by",
        ["ID checked by", "identity checked by", "identity check by", "ID verified by"],
    )
    _add(
        table,
        "identity.documents",
        [
            "ID documents",
            "identity documents",
            "documents seen",
            "ID seen",
            "ID documents seen",
            "documents checked",
            "proof of identity documents",
            "type of ID",
            "ID type",
        ],
    )
    _add(
        table,
        "right_to_work.checked_on",
        [
            "right to work",
            "proof of right to work in the UK",
            "right to work in the UK",
            "right to work check",
            "right to work checked",
            "date right to work checked",
            "right to work date",
            "eligibility to work",
            "eligibility to work in the UK",
            "right to work in UK",
        ],
    )
    _add(
        table,
        "right_to_work.checked_by",
        ["right to work checked by", "right to work check by"],
    )
    _add(
        table,
        "right_to_work.expires_on",
        [
            "right to work expiry",
            "right to work expiry date",
            "visa expiry",
            "visa expiry date",
            "permission expires",
            "permission expiry",
            "leave to remain expiry",
            "BRP expiry",
            "follow up right to work check due",
        ],
    )
    _add(
        table,
        "qualifications.checked_on",
        [
            "qualifications",
            "qualifications checked",
            "qualifications check",
            "date qualifications checked",
            "qualifications verified",
            "qualifications date",
            "professional qualifications",
            "teaching qualifications",
            "qualifications seen",
        ],
    )
    _add(table, "qualifications.checked_by", ["qualifications checked by"])
    _add(
        table,
        "qualifications.name",
        ["qualifications held", "qualifications required", "qualification title"],
    )


def _dbs(table: dict[str, Synonym]) -> None:
    number = [
        "DBS certificate number",
        "DBS disclosure number",
        "disclosure number",
        "DBS number",
        "certificate number",
        "DBS cert no",
        "CRB number",
        "CRB disclosure number",
        "DBS certificate",
        "disclosure certificate number",
        "DBS certificate no",
    ]
    _add(table, "dbs.certificate_number", number)
    _add(
        table,
        "dbs.certificate_number",
        ["enhanced DBS number", "enhanced DBS certificate number", "enhanced disclosure number"],
        dbs__level="enhanced",
    )
    _add(
        table,
        "dbs.certificate_number",
        [
            "PVG membership number",
            "PVG membership no.",
            "PVG number",
            "PVG scheme number",
            "PVG scheme membership number",
        ],
        dbs__jurisdiction="pvg",
    )
    _add(
        table,
        "dbs.certificate_number",
        ["AccessNI certificate number", "AccessNI number", "Access NI number"],
        dbs__jurisdiction="accessni",
    )
    _add(
        table,
        "dbs.level",
        [
            "DBS level",
            "level of DBS",
            "DBS type",
            "type of DBS",
            "disclosure level",
            "level of check",
            "DBS check level",
            "check level",
            "level of disclosure",
            "type of DBS check",
            "DBS check type",
            "disclosure type",
            "level",
        ],
    )
    _add(
        table,
        "dbs.issued_on",
        [
            "DBS date",
            "date DBS checked",
            "DBS check date",
            "DBS issue date",
            "date of DBS",
            "DBS certificate date",
            "disclosure date",
            "DBS date of issue",
            "date of issue",
            "certificate date",
            "issue date",
            "DBS issued",
            "date DBS issued",
            "DBS",
            "DBS check",
            "CRB date",
            "CRB",
            "date of disclosure",
            "DBS certificate issue date",
            "date on DBS certificate",
            "date of DBS certificate",
            "DBS checked",
        ],
    )
    _add(
        table,
        "dbs.issued_on",
        [
            "enhanced DBS date",
            "enhanced DBS",
            "enhanced DBS check",
            "enhanced DBS check date",
            "enhanced DBS certificate date",
            "enhanced DBS issue date",
            "date enhanced DBS checked",
            "enhanced disclosure date",
            "enhanced DBS checked",
            "enhanced CRB date",
            "enhanced DBS check (date)",
        ],
        dbs__level="enhanced",
    )
    _add(
        table,
        "dbs.issued_on",
        [
            "enhanced DBS with barred list",
            "enhanced DBS and barred list",
            "enhanced DBS with barred list check",
            "enhanced DBS check with barred list",
        ],
        dbs__level="enhanced",
        dbs__barred_list_children="yes",
    )
    _add(
        table,
        "dbs.seen_on",
        [
            "DBS seen",
            "date DBS seen",
            "DBS certificate seen",
            "date certificate seen",
            "DBS seen on",
            "date DBS certificate seen",
            "original DBS seen",
            "DBS received",
            "date DBS received",
            "certificate seen",
        ],
    )
    _add(
        table,
        "dbs.seen_by",
        [
            "DBS seen by",
            "DBS checked by",
            "certificate seen by",
            "DBS verified by",
            "CRB checked by",
        ],
    )
    _add(
        table,
        "dbs.barred_list_children",
        [
            "children's barred list included",
            "barred list included",
            "child barred list included",
            "barred list on certificate",
        ],
    )
    _add(
        table,
        "dbs.barred_list_adults",
        ["adults barred list", "adult barred list", "adults barred list included"],
    )
    _add(
        table,
        "dbs.workforce",
        ["workforce", "DBS workforce", "workforce type", "workforce on certificate"],
    )
    _add(
        table,
        "dbs.disclosure",
        [
            "DBS outcome",
            "DBS result",
            "disclosure outcome",
            "DBS content",
            "outcome of DBS",
            "clear or information disclosed",
            "DBS clear",
            "disclosure result",
            "result of DBS",
            "certificate content",
        ],
    )
    _add(
        table,
        "dbs.information_disclosed",
        [
            "information disclosed",
            "info disclosed",
            "disclosure on certificate",
            "content on certificate",
            "anything disclosed",
            "positive disclosure",
            "information on certificate",
        ],
    )
    _add(
        table,
        "dbs.jurisdiction",
        ["jurisdiction", "issuing body", "disclosure body", "DBS body", "disclosure scheme"],
    )
    _add(
        table,
        "dbs.copy_kept",
        [
            "copy of DBS kept",
            "DBS copy kept",
            "copy of DBS certificate kept",
            "copy of DBS held",
            "DBS copy held",
            "copy of certificate held",
            "copy of DBS on file",
            "DBS copy on file",
            "copy of enhanced DBS certificate supplied to school?",
            "copy of DBS certificate held",
        ],
    )
    _add(
        table,
        "dbs.application_ref",
        [
            "disclosure app no.",
            "disclosure application number",
            "DBS application number",
            "DBS application reference",
            "application reference",
            "application number",
            "DBS application ref",
            "e-bulk reference",
            "barcode no",
            "barcode number",
        ],
    )
    _add(
        table,
        "update_service.subscribed",
        [
            "update service",
            "on update service",
            "DBS update service",
            "are they on the DBS update service?",
            "registered with update service",
            "update service member",
            "update service subscription",
            "subscribed to update service",
            "update service registered",
            "on DBS update service",
            "update service y/n",
        ],
    )
    _add(
        table,
        "update_service.checked_on",
        [
            "update service check",
            "update service check date",
            "update service checked",
            "date of update service check",
            "status check",
            "status check date",
            "date status checked",
            "DBS status check",
            "DBS status check date",
            "online status check",
            "last status check",
            "last update service check",
        ],
    )
    _add(
        table,
        "update_service.result",
        [
            "status check result",
            "update service result",
            "update service check result",
            "status result",
            "result of status check",
            "update service outcome",
        ],
    )
    _add(
        table,
        "update_service.checked_by",
        ["status check by", "update service checked by", "status checked by"],
    )


_SUITABILITY: dict[str, list[str]] = {
    "barred_list": [
        "barred list check",
        "barred list",
        "barred list checked",
        "List 99",
        "List 99 check",
        "BAR check",
        "barred check",
        "children's barred list",
        "children's barred list check",
        "date barred list checked",
        "barred list check date",
        "ISA barred list",
        "barred list date",
        "DBS barred list check",
        "DBS barred list",
        "barred list children",
    ],
    "prohibition_from_teaching": [
        "prohibition check",
        "prohibition from teaching",
        "prohibition from teaching check",
        "teaching regulation agency checks",
        "TRA check",
        "TRA checks",
        "teacher prohibition check",
        "prohibition order check",
        "prohibition order",
        "check a teacher's record",
        "teacher's record check",
        "teacher prohibition",
        "prohibition",
        "prohibition checked",
        "date prohibition checked",
        "TRA prohibition check",
        "employer access check",
        "prohibition from teaching checked",
    ],
    "section_128": [
        "section 128",
        "section 128 check",
        "section 128 barring direction check",
        "section 128 direction",
        "section 128 checked",
        "section 128 prohibition check",
        "prohibition from management",
        "section 128 date",
    ],
    "overseas": [
        "overseas check",
        "overseas checks",
        "overseas criminal record check",
        "overseas criminal records check",
        "further checks for people who have lived or worked outside the UK",
        "lived or worked overseas",
        "overseas",
        "checks for overseas",
        "certificate of good conduct",
        "overseas police check",
        "outside UK checks",
        "overseas checked",
        "overseas checks date",
    ],
    "online_search": [
        "online search",
        "online searches",
        "online check",
        "online checks",
        "social media check",
        "social media checks",
        "internet search",
        "online search date",
    ],
    "medical_fitness": [
        "medical",
        "medical check",
        "medical fitness",
        "fitness to work",
        "mental and physical fitness",
        "health declaration",
        "health questionnaire",
        "occupational health",
        "medical questionnaire",
        "health check",
        "fit to work",
        "medical clearance",
    ],
    "agency_confirmation": [
        "agency confirmation",
        "agency checks confirmed",
        "agency confirmation received",
        "written confirmation from agency",
        "written confirmation of checks",
        "agency letter",
        "agency confirmation date",
        "date agency confirmation received",
        "confirmation from agency",
        "agency assurance",
        "agency vetting confirmation",
        "agency checks received",
        "written notification from agency",
        "supplier confirmation",
        "confirmation of checks",
    ],
    "identity_on_arrival": [
        "ID checked on arrival",
        "identity checked on arrival",
        "ID on arrival",
        "identity on arrival",
        "ID check on arrival",
        "identity check on arrival",
        "photo ID on arrival",
        "ID checked on first day",
    ],
}


def _suitability(table: dict[str, Synonym]) -> None:
    for kind, names in _SUITABILITY.items():
        _add(table, f"check.{kind}.checked_on", names)
        by = [f"{n} by" for n in names[:3]] + [f"{n} checked by" for n in names[:1]]
        _add(table, f"check.{kind}.checked_by", [n for n in by if header_key(n) not in table])


_TRAINING: dict[str, list[str]] = {
    "induction_safeguarding": [
        "induction",
        "safeguarding induction",
        "induction date",
        "induction completed",
        "induction training",
        "safeguarding induction date",
        "date of induction",
    ],
    "child_protection": [
        "safeguarding training",
        "child protection training",
        "CP training",
        "safeguarding training date",
        "child protection",
        "safeguarding level 1",
        "level 1 safeguarding",
        "safeguarding",
        "basic safeguarding training",
        "safeguarding course",
        "safeguarding training completed",
        "date of safeguarding training",
        "last safeguarding training",
        "safeguarding children training",
    ],
    "safeguarding_refresher": [
        "safeguarding refresher",
        "refresher training",
        "safeguarding refresher date",
        "safeguarding refresher training",
    ],
    "annual_update": ["annual safeguarding update", "annual update", "safeguarding update"],
    "dsl": [
        "DSL training",
        "designated safeguarding lead training",
        "DSL course",
        "DSL training date",
        "level 3 safeguarding",
        "safeguarding level 3",
    ],
    "dsl_refresher": ["DSL refresher", "DSL refresher training", "DSL update"],
    "safer_recruitment": [
        "safer recruitment training",
        "safer recruitment",
        "SR training",
        "safer recruitment trained",
        "safer recruitment course",
        "safer recruitment training date",
        "safer recruitment certificate",
    ],
    "online_safety": ["online safety training", "e-safety training", "online safety", "e-safety"],
    "prevent": ["prevent", "prevent training", "prevent duty training", "prevent date"],
}


def _training(table: dict[str, Synonym]) -> None:
    for course, names in _TRAINING.items():
        _add(table, f"training.{course}.completed_on", names)
        _add(table, f"training.{course}.provider", [f"{names[0]} provider"])


_RISK: dict[str, list[str]] = {
    "dbs_disclosure": [
        "DBS risk assessment",
        "risk assessment DBS",
        "disclosure risk assessment",
        "risk assessment for DBS disclosure",
        "DBS disclosure risk assessment",
        "risk assessment disclosure",
        "risk assessment for disclosure",
        "DBS risk assessment date",
    ],
    "single_reference": [
        "single reference risk assessment",
        "one reference risk assessment",
        "risk assessment single reference",
    ],
    "volunteer": [
        "volunteer risk assessment",
        "risk assessment volunteer",
        "volunteer risk assessment date",
    ],
    "start_before_dbs": [
        "risk assessment pending DBS",
        "start before DBS risk assessment",
        "risk assessment awaiting DBS",
        "pending DBS risk assessment",
        "risk assessment before DBS",
        "awaiting DBS risk assessment",
    ],
    "concern": ["concern risk assessment", "risk assessment concern"],
}


def _follow_ups(table: dict[str, Synonym]) -> None:
    for kind, names in _RISK.items():
        _add(table, f"risk_assessment.{kind}.completed_on", names)
    _add(
        table,
        "risk_assessment.dbs_disclosure.shared_with_lado_on",
        ["DBS risk assessment shared with LADO"],
    )
    _add(
        table,
        "risk_assessment.completed_on",
        ["risk assessment", "risk assessment date", "date of risk assessment", "RA date"],
    )
    _add(
        table,
        "risk_assessment.kind",
        ["risk assessment type", "type of risk assessment", "risk assessment for", "RA type"],
    )
    _add(
        table,
        "risk_assessment.shared_with_lado_on",
        ["risk assessment shared with LADO", "shared with LADO", "date shared with LADO"],
    )
    _add(
        table,
        "lado.notified_on",
        [
            "LADO notified",
            "LADO notification",
            "date LADO notified",
            "LADO referral",
            "referred to LADO",
            "LADO informed",
            "date LADO informed",
            "LADO notification date",
            "LADO referral date",
            "LADO",
        ],
    )
    _add(
        table,
        "record.updated_on",
        [
            "last updated",
            "record updated",
            "date updated",
            "record last updated",
            "updated",
            "date of last update",
            "date entered on SCR",
            "date added to SCR",
            "date record updated",
        ],
    )
    _add(
        table,
        "ignore",
        [
            "notes",
            "note",
            "comments",
            "comment",
            "remarks",
            "additional information",
            "additional notes",
            "other information",
            "action required",
            "actions",
            "notes/comments",
        ],
    )
    _add(table, "qts", ["QTS held?", "QTS", "qualified teacher status", "teacher reference number"])
    _add(table, "photo", ["photo", "photograph"])


def _table() -> dict[str, Synonym]:
    table: dict[str, Synonym] = {}
    for part in (_people, _engagement, _checks, _dbs, _references, _suitability, _training):
        part(table)
    _follow_ups(table)
    return table


#: Header key -> meaning. Fields ``dbs.application_ref``, ``qts`` and ``photo`` are recognised
#: but not imported (see :data:`~safeguard_std.importers._fields.NOT_MODELLED`).
SYNONYMS: Mapping[str, Synonym] = _table()

#: Generic headers that mean "this about the column before": "Checked by" after "DBS date" is
#: who saw the certificate; "Date" after "DBS number" is the issue date.
POSITIONAL: Mapping[str, str] = {
    header_key(k): v
    for k, v in {
        "checked by": "by",
        "by": "by",
        "by whom": "by",
        "initials": "by",
        "checked by (initials)": "by",
        "verified by": "by",
        "seen by": "by",
        "signed by": "by",
        "check by": "by",
        "checker": "by",
        "confirmed by": "by",
        "carried out by": "by",
        "date": "date",
        "date checked": "date",
        "date seen": "date",
        "date of check": "date",
        "check date": "date",
        "date verified": "date",
        "date completed": "date",
        "completed": "date",
        "date received": "date",
        "provider": "provider",
        "training provider": "provider",
        "provided by": "provider",
        "course provider": "provider",
        "delivered by": "provider",
        "recognised by partnership": "recognised",
        "partnership recognised": "recognised",
        "recognised": "recognised",
        "number": "number",
        "type": "level",
    }.items()
}
