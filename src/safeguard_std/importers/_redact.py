"""Personal data by shape: a cell value that looks like a name, a DBS certificate number, a
National Insurance number or a postcode is withheld from messages and reports whatever column
it was typed in (a certificate number in a date column, a name in the staff-type column)."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from safeguard_std.importers._dates import marks_of

__all__ = ["looks_personal", "unfit_for_an_id"]

# 10-16 digits (DBS, PVG numbers), or 12 digits in groups ("0012 3456 7890"), not a timestamp.
_LONG_NUMBER = re.compile(r"(?<!\d)\d{10,16}(?!\d)|(?<![\d-])\d{3,4}(?:[\s-]\d{3,4}){2,3}(?![\d-])")
_NI_NUMBER = re.compile(
    r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]?\b", re.IGNORECASE
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_NAME_WORD = re.compile(r"[A-Z][a-zA-Z'’-]*\.?|[A-Z]{2,}")
_SPLIT = re.compile(r"[\s,]+")

# Words that are not names: what headers, role types, marks and job titles are made of, so
# "Teaching Assistant" or "Update Service" is shown, and "Ann Smith" is not.
_COMMON = frozenset(
    """
a an and of the for to in on at by with or not no yes none other n/a na tbc
staff member employee volunteer agency supply governor governors trustee trustees director
proprietor contractor contractors self employed sole trader freelance board local
teacher teaching assistant head headteacher deputy principal manager officer lead leader
designated safeguarding senior coach youth worker cook chef cleaner caretaker site admin
administrator receptionist office business bursar finance it technician support learning
mentor tutor nurse driver midday supervisor lunchtime play worker early years practitioner
childminder nursery room practice sports music art science maths english year class
service update dbs enhanced standard basic barred list check checked date seen received
pending awaited applied unknown clear information disclosed training course council county
partnership children childrens child adult adults school academy trust college group
limited ltd plc cic company services solutions cleaning catering hr payroll department
certificate reference referee employer academic character open verified satisfactory
risk assessment lado notification identity right work qualifications overseas prohibition
section direction induction protection online safety safer recruitment annual refresher
""".split()  # noqa: SIM905 - a word list reads better as words
)


@cache
def _not_names() -> frozenset[str]:
    from safeguard_std.importers._synonyms import SYNONYMS  # built after this module loads

    words = {w for key in SYNONYMS for w in key.split()}
    return frozenset(words | set(_COMMON))


def _is_name(text: str) -> bool:
    words = [w for w in _SPLIT.split(text.strip()) if w]
    if not 2 <= len(words) <= 5:
        return False
    if not all(_NAME_WORD.fullmatch(w) for w in words):
        return False
    known = _not_names()
    return not any(w.lower().strip(".'’") in known for w in words)


@lru_cache(maxsize=4096)  # a record's headers and values repeat in message after message
def looks_personal(text: str) -> bool:
    """Whether ``text`` could be personal data by its shape alone."""
    if not text or len(text) > 200:
        return bool(text)  # long free text may hold anything: withheld
    if marks_of(text) is not None:
        return False
    return bool(
        _LONG_NUMBER.search(text)
        or _NI_NUMBER.search(text)
        or _POSTCODE.search(text)
        or _is_name(text)
    )


def unfit_for_an_id(text: str) -> bool:
    """Whether a staff-number cell holds what must not become a person's id (ids appear in
    findings): a name, a National Insurance number, a postcode or a 12-digit certificate
    number. Long payroll numbers of other lengths are fine."""
    digits = re.sub(r"[\s-]", "", text)
    return bool(
        (len(digits) == 12 and digits.isdigit())
        or _NI_NUMBER.fullmatch(text.strip())
        or _POSTCODE.fullmatch(text.strip())
        or _is_name(text)
    )
