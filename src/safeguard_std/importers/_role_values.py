"""Reading role types: the many words a record uses for employees, volunteers, the board."""

from __future__ import annotations

from safeguard_std.domain.people import RoleType
from safeguard_std.importers._cell_text import cell_text, normalise
from safeguard_std.importers._parsed import Parsed, reject

__all__ = ["BOARD", "read_role_type", "role_type_of_words"]

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


def read_role_type(value: object) -> Parsed:
    role = role_type_of_words(cell_text(value))
    if role is None:
        return reject(
            "role_type.unrecognised",
            "not a role type (expected employee, volunteer, agency, governor, trustee, "
            "director, proprietor, contractor or self-employed)",
        )
    return Parsed(value=role)
