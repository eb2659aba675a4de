"""Reading the other vetting cells: referees, reference counts, identity documents and what a
risk assessment was for."""

from __future__ import annotations

import re

import attrs

from safeguard_std.domain.people import IdentityDocumentType, RefereeKind, RiskAssessmentKind
from safeguard_std.importers._cell_text import cell_text, enum_reader, normalise
from safeguard_std.importers._dates import marks_of
from safeguard_std.importers._parsed import Mark, Note, Parsed, note, reject

__all__ = [
    "DocumentReading",
    "RefereeReading",
    "read_documents",
    "read_referee",
    "read_reference_count",
    "read_risk_kind",
]


read_risk_kind = enum_reader(
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


def read_referee(value: object) -> Parsed:
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


def read_documents(value: object) -> Parsed:
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


def read_reference_count(value: object) -> Parsed:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 0 <= value <= 9 and value == int(value):  # range first: inf and NaN have no int
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
