"""Reading DBS cells: certificate levels and numbers, workforce, disclosure, jurisdiction and
Update Service status results."""

from __future__ import annotations

import re
from typing import Any

from safeguard_std.domain.people import (
    DbsDisclosure,
    DbsLevel,
    DbsWorkforce,
    Jurisdiction,
    StatusCheckResult,
)
from safeguard_std.importers._cell_text import cell_text, enum_reader, normalise
from safeguard_std.importers._dates import marks_of
from safeguard_std.importers._parsed import Note, Parsed, Severity, note, reject

__all__ = [
    "read_dbs_level",
    "read_dbs_number",
    "read_disclosure",
    "read_jurisdiction",
    "read_other_jurisdiction_number",
    "read_status_result",
    "read_workforce",
]


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


_CHILD = frozenset({"child", "children", "childrens"})
_ADULT = frozenset({"adult", "adults"})
_LEVEL_KNOWN = frozenset(_LEVEL_WORDS) | _LEVEL_NOISE | _CHILD | _ADULT | {"barred", "crb"}


def read_dbs_level(value: object) -> Parsed:
    words = normalise(cell_text(value)).replace("+", " + ").replace("/", " / ").split()
    levels = _levels_named(words)
    if "crb" in words and not levels:
        return reject(
            "dbs.level_crb",
            "'CRB' names the Criminal Records Bureau (replaced by the DBS in 2012), not a "
            "level: record basic, standard or enhanced",
        )
    if len(levels) != 1 or any(w not in _LEVEL_KNOWN for w in words):
        return reject("dbs.level_unrecognised", "not a DBS level (basic, standard or enhanced)")
    return Parsed(value=_level_reading(levels.pop(), words), notes=_crb_notes(words))


def _levels_named(words: list[str]) -> set[DbsLevel]:
    # A lone "E" or "S" is a level; beside other words a single letter is too weak to read as one.
    if len(words) == 1 and words[0] in _LEVEL_WORDS:
        return {_LEVEL_WORDS[words[0]]}
    return {_LEVEL_WORDS[w] for w in words if w in _LEVEL_WORDS and len(w) > 1}


def _level_reading(level: DbsLevel, words: list[str]) -> dict[str, Any]:
    barred = "barred" in words
    child = any(w in _CHILD for w in words)
    adult = any(w in _ADULT for w in words)
    result: dict[str, Any] = {"level": level}
    if barred:
        result.update(_barred_lists(child=child, adult=adult))
    workforce = _workforce_named(child=child, adult=adult, barred=barred)
    if workforce is not None:
        result["workforce"] = workforce
    return result


def _barred_lists(*, child: bool, adult: bool) -> dict[str, bool]:
    # "Barred" alone means the children's list; only an adults-only cell means the adults' list.
    if adult and not child:
        return {"barred_list_adults": True}
    return {"barred_list_children": True}


def _workforce_named(*, child: bool, adult: bool, barred: bool) -> DbsWorkforce | None:
    if child and adult:
        return DbsWorkforce.CHILD_AND_ADULT
    if child:
        return DbsWorkforce.CHILD
    if adult and not barred:
        return DbsWorkforce.ADULT
    return None


def _crb_notes(words: list[str]) -> tuple[Note, ...]:
    if "crb" not in words:
        return ()
    return (
        note(
            "dbs.crb",
            "a CRB disclosure (issued before December 2012, when the DBS replaced the CRB)",
            Severity.NOTE,
        ),
    )


_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e\+?\d+", re.IGNORECASE)
_APPLICATION_REF = re.compile(r"[A-Za-z]\d{10}")
_SEPARATORS = re.compile(r"[\s\-./]")


def read_dbs_number(value: object) -> Parsed:
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


def read_other_jurisdiction_number(value: object) -> Parsed:
    text = cell_text(value)
    mark = marks_of(text)
    if mark is not None:
        return Parsed(mark=mark)
    return Parsed(value=_SEPARATORS.sub("", text))


read_workforce = enum_reader(
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

read_disclosure = enum_reader(
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

read_jurisdiction = enum_reader(
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

read_status_result = enum_reader(
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
