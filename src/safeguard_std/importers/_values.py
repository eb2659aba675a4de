"""Reading cells that are not dates: yes/no, DBS numbers and levels, role types, referees, and
the other words people type into a single central record.

Every reader takes a non-blank cell value and returns a :class:`Parsed`. None of them quotes the
cell in its messages: the report shows the raw value beside the message, and withholds it when
the field is personal data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from safeguard_std.domain.people import (
    DbsDisclosure,
    DbsLevel,
    DbsWorkforce,
    IdentityDocumentType,
    Jurisdiction,
    RefereeKind,
    RegulatedActivity,
    RiskAssessmentKind,
    RoleType,
    StatusCheckResult,
)
from safeguard_std.importers._dates import marks_of
from safeguard_std.importers._parsed import Mark, Note, Parsed, Severity, note, reject

__all__ = [
    "BOARD",
    "EXCEL_ERRORS",
    "READERS",
    "DocumentReading",
    "Reader",
    "RefereeReading",
    "cell_text",
    "is_company_name",
    "normalise",
    "role_type_of_words",
]

Reader = Callable[[object], Parsed]

_PUNCT = re.compile(r"[^\w\s/+&']+")


def normalise(text: str) -> str:
    """Lower case, ``&`` as ``and``, punctuation dropped, spaces collapsed."""
    text = text.replace("\u00a0", " ").replace("&", " and ").lower()
    return " ".join(_PUNCT.sub(" ", text).replace("'", "").split())


_ODD_SPACES = re.compile(r"  |[\u00a0\n\t\r]")


def cell_text(value: object) -> str:
    """A cell as text the way a person would read it (``1001.0`` is ``1001``)."""
    if type(value) is str:
        text = value.strip()
        if not _ODD_SPACES.search(text):
            return text
        return " ".join(text.replace("\u00a0", " ").split())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).replace("\u00a0", " ").split())


def _text(value: object) -> Parsed:
    text = cell_text(value)
    if text.startswith("#") and text.upper() in EXCEL_ERRORS:
        return reject("cell.excel_error", "a spreadsheet error value, not data")
    return Parsed(value=text)


EXCEL_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"}

_COMPANY = re.compile(
    r"\b(ltd|limited|plc|llp|llc|inc|cic|co|company|services|solutions|contractors|"
    r"cleaning|catering|group|agency|trust)\b"
)


def _name(value: object) -> Parsed:
    parsed = _text(value)
    if parsed.rejected:
        return parsed
    if any(ch.isdigit() for ch in parsed.value):
        return reject("name.digits", "a name with digits in it")
    return parsed


def _staff_number(value: object) -> Parsed:
    return _text(value)


_BOOL_YES = {"y", "yes", "true", "✓", "✔", "☑", "✅", "1", "t"}
_BOOL_NO = {"n", "no", "false", "✗", "✘", "☒", "❌", "0", "f"}


def _bool(value: object) -> Parsed:
    if isinstance(value, bool):
        return Parsed(value=value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return Parsed(value=bool(value))
    key = normalise(cell_text(value)) or cell_text(value)
    if key in _BOOL_YES:
        return Parsed(value=True)
    if key in _BOOL_NO:
        return Parsed(value=False)
    mark = marks_of(cell_text(value))
    if mark in (Mark.NOT_APPLICABLE, Mark.UNKNOWN, Mark.PENDING):
        return Parsed(mark=mark)
    if key == "x":
        return reject("mark.ambiguous", "'x' could be a tick or a cross")
    return reject("bool.unrecognised", "expected yes or no")


def _regulated(value: object) -> Parsed:
    parsed = _bool(value)
    if parsed.value is True:
        return Parsed(value=RegulatedActivity.YES)
    if parsed.value is False:
        return Parsed(value=RegulatedActivity.NO)
    if parsed.mark is Mark.UNKNOWN:
        return Parsed(value=RegulatedActivity.UNKNOWN)
    return parsed


#: A role-type cell or sheet name that names the board without saying which kind.
BOARD = "board"


def _vocabulary() -> dict[str, str]:
    groups = {
        RoleType.EMPLOYEE.value: [
            "employee",
            "employees",
            "staff",
            "member of staff",
            "staff member",
            "paid staff",
            "employed",
            "employed staff",
            "teaching staff",
            "support staff",
            "school staff",
            "all staff",
            "central staff",
            "permanent",
            "permanent staff",
            "temporary",
            "fixed term",
            "casual",
            "bank staff",
        ],
        RoleType.VOLUNTEER.value: ["volunteer", "volunteers", "unpaid volunteer"],
        RoleType.AGENCY.value: [
            "agency",
            "agency staff",
            "agency worker",
            "agency workers",
            "supply",
            "supply staff",
            "supply teacher",
            "supply teachers",
            "agency and supply",
            "supply and agency",
        ],
        RoleType.GOVERNOR.value: [
            "governor",
            "governors",
            "local governor",
            "local governors",
            "governing body",
            "governing board",
            "local governing body",
        ],
        RoleType.TRUSTEE.value: ["trustee", "trustees", "board of trustees"],
        RoleType.DIRECTOR.value: ["director", "directors", "board of directors"],
        RoleType.PROPRIETOR.value: ["proprietor", "proprietors"],
        RoleType.CONTRACTOR.value: [
            "contractor",
            "contractors",
            "third party",
            "third party contractors",
            "third party suppliers and contractors",
            "contractors and suppliers",
            "suppliers and contractors",
            "contractor staff",
        ],
        RoleType.SELF_EMPLOYED.value: [
            "self employed",
            "selfemployed",
            "sole trader",
            "freelance",
            "freelancer",
        ],
        BOARD: [
            "governors and trustees",
            "governors/trustees",
            "governor/trustee",
            "governors trustees",
            "trustees and governors",
            "trustees/governors",
            "governor or trustee",
            "board",
            "board members",
        ],
    }
    return {normalise(word): role for role, words in groups.items() for word in words}


_ROLES = _vocabulary()
_SHEET_NOISE = {"scr", "single", "central", "record", "register", "list", "sheet", "tab", "current"}


def role_type_of_words(text: str, *, sheet: bool = False) -> str | None:
    """The role type (or :data:`BOARD`) a cell or sheet name names, if any.

    Sheet names may carry noise ("SCR - Volunteers 2024"): record words and numbers are dropped.
    """
    key = normalise(text)
    if sheet:
        key = " ".join(w for w in key.split() if w not in _SHEET_NOISE and not w.isdigit())
    return _ROLES.get(key)


def _role_type(value: object) -> Parsed:
    role = role_type_of_words(cell_text(value))
    if role is None:
        return reject(
            "role_type.unrecognised",
            "not a role type (expected employee, volunteer, agency, governor, trustee, "
            "director, proprietor, contractor or self-employed)",
        )
    return Parsed(value=role)


_LEVEL_WORDS = {
    "enhanced": DbsLevel.ENHANCED,
    "enh": DbsLevel.ENHANCED,
    "e": DbsLevel.ENHANCED,
    "enh.": DbsLevel.ENHANCED,
    "standard": DbsLevel.STANDARD,
    "std": DbsLevel.STANDARD,
    "s": DbsLevel.STANDARD,
    "basic": DbsLevel.BASIC,
    "b": DbsLevel.BASIC,
}
_LEVEL_NOISE = {
    "dbs",
    "check",
    "disclosure",
    "certificate",
    "with",
    "and",
    "list",
    "lists",
    "workforce",
    "+",
    "/",
    "level",
    "plus",
    "incl",
    "including",
    "inc",
    "s",
    "only",
    "the",
}


def _dbs_level(value: object) -> Parsed:
    words = normalise(cell_text(value)).replace("+", " + ").replace("/", " / ").split()
    if len(words) == 1 and words[0] in _LEVEL_WORDS:
        levels = {_LEVEL_WORDS[words[0]]}
    else:
        levels = {_LEVEL_WORDS[w] for w in words if w in _LEVEL_WORDS and len(w) > 1}
    barred = "barred" in words
    child = any(w in ("child", "children", "childrens") for w in words)
    adult = any(w in ("adult", "adults") for w in words)
    crb = "crb" in words
    known = set(_LEVEL_WORDS) | _LEVEL_NOISE | {"barred", "child", "children", "childrens"}
    known |= {"adult", "adults", "crb"}
    unknown = [w for w in words if w not in known]
    if crb and not levels:
        return reject(
            "dbs.level_crb",
            "'CRB' names the Criminal Records Bureau (replaced by the DBS in 2012), not a "
            "level: record basic, standard or enhanced",
        )
    if len(levels) != 1 or unknown:
        return reject("dbs.level_unrecognised", "not a DBS level (basic, standard or enhanced)")
    result: dict[str, Any] = {"level": levels.pop()}
    if barred:
        result["barred_list_children"] = True
        if adult and not child:
            result = {**result, "barred_list_children": None, "barred_list_adults": True}
    if child and adult:
        result["workforce"] = DbsWorkforce.CHILD_AND_ADULT
    elif child:
        result["workforce"] = DbsWorkforce.CHILD
    elif adult and not barred:
        result["workforce"] = DbsWorkforce.ADULT
    result = {k: v for k, v in result.items() if v is not None}
    notes: tuple[Note, ...] = ()
    if crb:
        notes = (
            note(
                "dbs.crb",
                "a CRB disclosure (issued before December 2012, when the DBS replaced the CRB)",
                Severity.NOTE,
            ),
        )
    return Parsed(value=result, notes=notes)


_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e\+?\d+", re.IGNORECASE)
_APPLICATION_REF = re.compile(r"[A-Za-z]\d{10}")
_SEPARATORS = re.compile(r"[\s\-./]")


def _dbs_number(value: object) -> Parsed:
    if isinstance(value, bool):
        return reject("dbs.number_not_digits", "not a certificate number")
    if isinstance(value, (int, float)):
        return _dbs_from_number(value)
    text = cell_text(value)
    mark = marks_of(text)
    if mark is not None:
        return Parsed(mark=mark)
    if _SCIENTIFIC.fullmatch(text):
        return reject(
            "dbs.scientific_notation",
            "in scientific notation: the spreadsheet kept only the first digits, and the "
            "number cannot be recovered (format the column as text and type it again)",
        )
    if _APPLICATION_REF.fullmatch(text):
        return reject(
            "dbs.application_reference",
            "a DBS application reference (a letter and 10 digits), not a 12-digit certificate "
            "number",
        )
    digits = _SEPARATORS.sub("", text)
    if digits.endswith("0") and re.fullmatch(r"\d+\.0", text):
        digits = text[:-2]
    return _dbs_digits(digits, from_number=False)


def _dbs_from_number(value: float) -> Parsed:
    if isinstance(value, float) and not value.is_integer():
        return reject("dbs.number_not_digits", "a number with a fractional part")
    return _dbs_digits(str(int(value)), from_number=True)


def _dbs_digits(digits: str, *, from_number: bool) -> Parsed:
    if not digits.isdigit():
        return reject("dbs.number_not_digits", "not a 12-digit certificate number")
    count = len(digits)
    if count == 12:
        return Parsed(value=digits)
    lost = 12 - count
    if count == 11 or (from_number and count == 10):
        zeros = "a leading zero" if lost == 1 else "two leading zeros"
        return Parsed(
            value=digits.zfill(12),
            notes=(
                note(
                    "dbs.leading_zero_restored",
                    f"{count} digits: {zeros} {'was' if lost == 1 else 'were'} most likely "
                    "lost when a spreadsheet treated the certificate number as a number; "
                    "restored to 12 digits (check it against the certificate)",
                ),
            ),
        )
    if count == 16:
        return reject(
            "dbs.pvg_number",
            "16 digits: a PVG scheme membership number (Scotland), not a 12-digit DBS "
            "certificate number; record it with jurisdiction 'pvg'",
        )
    return reject("dbs.number_length", f"{count} digits; a DBS certificate number has 12")


def _other_jurisdiction_number(value: object) -> Parsed:
    text = cell_text(value)
    mark = marks_of(text)
    if mark is not None:
        return Parsed(mark=mark)
    return Parsed(value=_SEPARATORS.sub("", text))


def _enum_reader(words: Mapping[str, Any], code: str, expected: str) -> Reader:
    table = {normalise(k): v for k, v in words.items()}

    def read(value: object) -> Parsed:
        found = table.get(normalise(cell_text(value)))
        if found is not None:
            return Parsed(value=found)
        mark = marks_of(cell_text(value))
        if mark in (Mark.NOT_APPLICABLE, Mark.UNKNOWN, Mark.PENDING):
            return Parsed(mark=mark)
        return reject(code, f"expected {expected}")

    return read


_workforce = _enum_reader(
    {
        "child": DbsWorkforce.CHILD,
        "children": DbsWorkforce.CHILD,
        "child workforce": DbsWorkforce.CHILD,
        "childrens workforce": DbsWorkforce.CHILD,
        "children's workforce": DbsWorkforce.CHILD,
        "adult": DbsWorkforce.ADULT,
        "adults": DbsWorkforce.ADULT,
        "adult workforce": DbsWorkforce.ADULT,
        "child and adult": DbsWorkforce.CHILD_AND_ADULT,
        "adult and child": DbsWorkforce.CHILD_AND_ADULT,
        "child & adult": DbsWorkforce.CHILD_AND_ADULT,
        "children and adults": DbsWorkforce.CHILD_AND_ADULT,
        "child and adult workforce": DbsWorkforce.CHILD_AND_ADULT,
        "both": DbsWorkforce.CHILD_AND_ADULT,
        "other": DbsWorkforce.OTHER,
        "other workforce": DbsWorkforce.OTHER,
    },
    "dbs.workforce_unrecognised",
    "child, adult, child and adult, or other",
)

_disclosure = _enum_reader(
    {
        "clear": DbsDisclosure.CLEAR,
        "clear certificate": DbsDisclosure.CLEAR,
        "nothing disclosed": DbsDisclosure.CLEAR,
        "no information": DbsDisclosure.CLEAR,
        "no information disclosed": DbsDisclosure.CLEAR,
        "nothing recorded": DbsDisclosure.CLEAR,
        "none recorded": DbsDisclosure.CLEAR,
        "no trace": DbsDisclosure.CLEAR,
        "blank": DbsDisclosure.CLEAR,
        "information disclosed": DbsDisclosure.INFORMATION_DISCLOSED,
        "info disclosed": DbsDisclosure.INFORMATION_DISCLOSED,
        "disclosed": DbsDisclosure.INFORMATION_DISCLOSED,
        "disclosure": DbsDisclosure.INFORMATION_DISCLOSED,
        "content": DbsDisclosure.INFORMATION_DISCLOSED,
        "has content": DbsDisclosure.INFORMATION_DISCLOSED,
        "positive": DbsDisclosure.INFORMATION_DISCLOSED,
        "not clear": DbsDisclosure.INFORMATION_DISCLOSED,
        "information": DbsDisclosure.INFORMATION_DISCLOSED,
    },
    "dbs.disclosure_unrecognised",
    "clear or information disclosed",
)

_jurisdiction = _enum_reader(
    {
        "dbs": Jurisdiction.DBS,
        "disclosure and barring service": Jurisdiction.DBS,
        "england": Jurisdiction.DBS,
        "wales": Jurisdiction.DBS,
        "england and wales": Jurisdiction.DBS,
        "crb": Jurisdiction.DBS,
        "pvg": Jurisdiction.PVG,
        "pvg scheme": Jurisdiction.PVG,
        "disclosure scotland": Jurisdiction.PVG,
        "scotland": Jurisdiction.PVG,
        "accessni": Jurisdiction.ACCESSNI,
        "access ni": Jurisdiction.ACCESSNI,
        "northern ireland": Jurisdiction.ACCESSNI,
        "ni": Jurisdiction.ACCESSNI,
    },
    "dbs.jurisdiction_unrecognised",
    "DBS, PVG or AccessNI",
)

_status_result = _enum_reader(
    {
        "current clear": StatusCheckResult.CURRENT_CLEAR,
        "current and clear": StatusCheckResult.CURRENT_CLEAR,
        "clear": StatusCheckResult.CURRENT_CLEAR,
        "no change": StatusCheckResult.CURRENT_CLEAR,
        "no changes": StatusCheckResult.CURRENT_CLEAR,
        "no new information": StatusCheckResult.CURRENT_CLEAR,
        "current no new information": StatusCheckResult.CURRENT_CLEAR,
        "current": StatusCheckResult.CURRENT_CLEAR,
        "current information": StatusCheckResult.CURRENT_INFORMATION,
        "new information": StatusCheckResult.CURRENT_INFORMATION,
        "changed": StatusCheckResult.CURRENT_INFORMATION,
        "not current": StatusCheckResult.NOT_CURRENT,
        "no longer current": StatusCheckResult.NOT_CURRENT,
        "revoked": StatusCheckResult.NOT_CURRENT,
        "no record": StatusCheckResult.NO_RECORD,
        "not found": StatusCheckResult.NO_RECORD,
        "no match": StatusCheckResult.NO_RECORD,
    },
    "update_service.result_unrecognised",
    "a status check result (no change / new information / not current / no record)",
)

_risk_kind = _enum_reader(
    {
        "dbs": RiskAssessmentKind.DBS_DISCLOSURE,
        "dbs disclosure": RiskAssessmentKind.DBS_DISCLOSURE,
        "disclosure": RiskAssessmentKind.DBS_DISCLOSURE,
        "concern": RiskAssessmentKind.CONCERN,
        "single reference": RiskAssessmentKind.SINGLE_REFERENCE,
        "one reference": RiskAssessmentKind.SINGLE_REFERENCE,
        "reference": RiskAssessmentKind.SINGLE_REFERENCE,
        "volunteer": RiskAssessmentKind.VOLUNTEER,
        "start before dbs": RiskAssessmentKind.START_BEFORE_DBS,
        "started before dbs": RiskAssessmentKind.START_BEFORE_DBS,
        "pending dbs": RiskAssessmentKind.START_BEFORE_DBS,
        "awaiting dbs": RiskAssessmentKind.START_BEFORE_DBS,
    },
    "risk_assessment.kind_unrecognised",
    "what the risk assessment was for (DBS disclosure, concern, single reference, volunteer "
    "or start before DBS)",
)


@attrs.frozen
class RefereeReading:
    """What a reference-type cell says: the referee and any flags that make it weaker."""

    kind: RefereeKind
    open_reference: bool = False
    supplied_by_candidate: bool = False


_REFEREE_KINDS = (
    (("character", "personal", "friend"), RefereeKind.CHARACTER),
    (("academic", "tutor", "college", "university", "lecturer", "school"), RefereeKind.ACADEMIC),
    (
        ("employer", "manager", "professional", "headteacher", "line manager", "work"),
        RefereeKind.EMPLOYER,
    ),
    (("other",), RefereeKind.OTHER),
)
_OPEN = ("open reference", "to whom it may concern", "testimonial", "open")
_CANDIDATE = (
    "candidate supplied",
    "supplied by candidate",
    "provided by candidate",
    "via candidate",
    "from candidate",
    "given by candidate",
    "candidate",
)


def _referee(value: object) -> Parsed:
    text = normalise(cell_text(value))
    words = set(text.split())
    is_open = any(p in text for p in _OPEN)
    candidate = any(p in text for p in _CANDIDATE)
    kind = next(
        (k for names, k in _REFEREE_KINDS if any(n in words or n in text for n in names)), None
    )
    if kind is None and not (is_open or candidate):
        return reject(
            "reference.kind_unrecognised",
            "expected who gave the reference (employer, academic, character or other)",
        )
    return Parsed(
        value=RefereeReading(
            kind=kind or RefereeKind.OTHER, open_reference=is_open, supplied_by_candidate=candidate
        )
    )


@attrs.frozen
class DocumentReading:
    """An identity document named in a cell, and what it shows."""

    type: IdentityDocumentType
    photo: bool
    shows_address: bool


_DOCS: tuple[tuple[tuple[str, ...], IdentityDocumentType, bool, bool], ...] = (
    (("passport",), IdentityDocumentType.PASSPORT, True, False),
    (
        ("driving licence", "driving license", "drivers licence", "photocard", "dl"),
        IdentityDocumentType.DRIVING_LICENCE,
        True,
        True,
    ),
    (("birth certificate", "birth cert"), IdentityDocumentType.BIRTH_CERTIFICATE, False, False),
    (
        ("brp", "biometric residence permit", "residence permit", "biometric"),
        IdentityDocumentType.BIOMETRIC_RESIDENCE_PERMIT,
        True,
        False,
    ),
    (("national id", "id card", "identity card"), IdentityDocumentType.NATIONAL_ID, True, False),
    (
        ("utility bill", "gas bill", "electricity bill", "water bill", "utility"),
        IdentityDocumentType.UTILITY_BILL,
        False,
        True,
    ),
    (("bank statement", "bank"), IdentityDocumentType.BANK_STATEMENT, False, True),
    (("council tax",), IdentityDocumentType.COUNCIL_TAX, False, True),
    (
        ("digital id", "digital identity", "idsp", "idvt"),
        IdentityDocumentType.DIGITAL_IDENTITY,
        False,
        False,
    ),
)
_DOC_SPLIT = re.compile(r"\s*(?:[,;/+&]|\band\b|\bplus\b)\s*")


def _documents(value: object) -> Parsed:
    found: list[DocumentReading] = []
    unknown = 0
    for raw_piece in _DOC_SPLIT.split(cell_text(value).lower()):
        piece = normalise(raw_piece)
        if not piece:
            continue
        match = next(
            (
                DocumentReading(type=t, photo=p, shows_address=a)
                for names, t, p, a in _DOCS
                if any(re.search(rf"\b{re.escape(n)}\b", piece) for n in names)
            ),
            None,
        )
        if match is None:
            unknown += 1
            match = DocumentReading(
                type=IdentityDocumentType.OTHER, photo=False, shows_address=False
            )
        found.append(match)
    if not found:
        return reject("identity.documents_unrecognised", "no identity document named")
    notes: tuple[Note, ...] = ()
    if unknown:
        notes = (
            note(
                "identity.document_other",
                f"{unknown} document(s) not recognised: recorded as 'other' (no photo or "
                "address assumed)",
            ),
        )
    return Parsed(value=tuple(found), notes=notes)


_COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_COUNT = re.compile(
    r"(?:x\s*)?(\d)\s*(?:x\b)?\s*(?:refs?|references?|received)?"
    r"|(one|two|three|four|five)(?:\s+(?:refs?|references?|received))?"
)


def _count(value: object) -> Parsed:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == int(value) and 0 <= value <= 9:
            return Parsed(value=int(value))
        return reject("references.count_unrecognised", "not a number of references")
    text = normalise(cell_text(value))
    match = _COUNT.fullmatch(text)
    if match:
        return Parsed(value=int(match[1]) if match[1] else _COUNT_WORDS[match[2]])
    mark = marks_of(cell_text(value))
    if mark is Mark.YES:
        return reject(
            "references.count_missing",
            "says references were taken but not how many or when: use one column per "
            "reference ('Reference 1 received', 'Reference 2 received')",
        )
    if mark is not None:
        return Parsed(mark=mark)
    return reject("references.count_unrecognised", "not a number of references")


#: Readers by field kind name (dates are read by :class:`DateReader`, set up per column).
READERS: Mapping[str, Reader] = {
    "text": _text,
    "name": _name,
    "staff_number": _staff_number,
    "bool": _bool,
    "regulated": _regulated,
    "role_type": _role_type,
    "dbs_number": _dbs_number,
    "dbs_number_other": _other_jurisdiction_number,
    "dbs_level": _dbs_level,
    "workforce": _workforce,
    "disclosure": _disclosure,
    "jurisdiction": _jurisdiction,
    "status_result": _status_result,
    "referee_kind": _referee,
    "documents": _documents,
    "count": _count,
    "risk_kind": _risk_kind,
}


def is_company_name(text: str) -> bool:
    """Whether a name looks like an organisation's ("ABC Cleaning Ltd") rather than a person's."""
    return bool(_COMPANY.search(normalise(text)))
