"""The committed SCR fixtures: every bad-input case of DOMAIN.md section D, in CSV and in XLSX,
with the exact outcome and message of each; every row accounted for; the bundle validates and
evaluates.

Rows are found by their ``Notes`` cell (``case:<name>``); ``{other_case}`` in an expected message
stands for where that case's row is ("row 35 (p-S140)" in the CSV, "Volunteers row 3 (p-S140)"
in the workbook); ``Typed("15/01/2027")`` is a date a person typed, which Excel holds as a date
cell (reported as 2027-01-15).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from functools import cache
from typing import Any

import attrs
import openpyxl
import pytest

from safeguard_std.domain.consistency import Severity as CSeverity
from safeguard_std.domain.consistency import check_consistency
from safeguard_std.domain.findings import Status
from safeguard_std.domain.people import (
    DbsDisclosure,
    DbsLevel,
    DbsWorkforce,
    Jurisdiction,
    Person,
    RefereeKind,
    RegulatedActivity,
    RoleType,
)
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import bundle_from_data
from safeguard_std.importers import ImportResult, Issue, RowOutcome, RowStatus, import_scr
from safeguard_std.packs import PackCatalog
from safeguard_std.serialization import bundle_to_data
from tests.conftest import AS_OF, FIXTURES
from tests.support import judge

SCR = FIXTURES / "scr"
FORMATS = ("scr.csv", "scr.xlsx")
WITHHELD = "(value withheld: personal data)"


@attrs.frozen
class Typed:
    """A dd/mm/yyyy date as typed: text in the CSV, a date cell (shown ISO) in the workbook."""

    text: str

    def shown(self, fmt: str) -> str:
        if fmt.endswith(".csv"):
            return self.text
        day, month, year = (int(part) for part in self.text.split("/"))
        return dt.date(year, month, day).isoformat()


@cache
def imported(name: str) -> ImportResult:
    return import_scr(SCR / name, provider=SCR / "provider.yaml", as_of=AS_OF)


@cache
def case_rows(name: str) -> dict[str, tuple[str | None, int]]:
    """Case name -> (sheet, row), read from the Notes cells."""
    path = SCR / name
    found: dict[str, tuple[str | None, int]] = {}
    if name.endswith(".csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                if row and row[-1].startswith("case:"):
                    found[row[-1][5:]] = (None, number)
        return found
    book = openpyxl.load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            for value in row:
                if isinstance(value, str) and value.startswith("case:"):
                    found[value[5:]] = (sheet.title, number)
    return found


def outcome(name: str, case: str) -> RowOutcome:
    sheet, number = case_rows(name)[case]
    (row,) = [r for r in imported(name).rows if r.sheet == sheet and r.row == number]
    return row


def person(name: str, case: str) -> Person:
    pid = outcome(name, case).person_id
    (found,) = [p for p in imported(name).bundle.people if p.id == pid]
    return found


def where(name: str, case: str) -> str:
    row = outcome(name, case)
    sheet = f"{row.sheet} " if row.sheet else ""
    return f"{sheet}row {row.row} ({row.person_id})"


UNDATED = "recorded as done ('Y', a tick, 'on file') but not dated"
PENDING = (
    "pending (applied for, not yet done): recorded as a pending DBS certificate, never a "
    "completed one"
)
PENDING_BARRED = (
    "pending (applied for, not yet done): recorded as a pending barred list check, never a "
    "completed one"
)
PENDING_RESULT = (
    "the DBS certificate is pending, so a result cannot be recorded for it yet: not imported"
)
ORPHAN = (
    "not imported: the row records nothing for this to belong to (its check or date is blank, "
    "or was not imported)"
)
PARTNERSHIP = "Dorset Safeguarding Children Partnership"
AMBIGUOUS = (
    "day and month could be either way round, in a column that mixes date formats: read the "
    "UK way (day/month), as {}"
)
Expected = tuple[str, list[tuple[str, str | None, str, Any]]]

# case -> (status, [(code, header, message, raw shown)]) for warnings and errors, in order.
CASES: dict[str, Expected] = {
    "blank_date": (
        "imported_with_warnings",
        [("check.undated", None, "identity check recorded without a date", None)],
    ),
    "not_applicable": ("imported", []),
    "tbc": (
        "imported_with_warnings",
        [
            ("check.pending", "DBS date", PENDING, "TBC"),
            ("check.pending_result", "DBS seen", PENDING_RESULT, Typed("26/12/2025")),
            ("check.pending_result", "Information disclosed", PENDING_RESULT, "N"),
        ],
    ),
    "on_file": (
        "imported_with_warnings",
        [("check.undated", "Right to work", UNDATED, "on file")],
    ),
    "update_service": (
        "imported_with_warnings",
        [
            (
                "dbs.update_service_not_date",
                "DBS date",
                "'Update Service' says how the certificate is kept current, not when it was "
                "issued: recorded as an Update Service subscription, with no issue date",
                "Update Service",
            )
        ],
    ),
    "tick": ("imported_with_warnings", [("check.undated", "Barred list check", UNDATED, "✓")]),
    "future_date": (
        "imported_with_warnings",
        [
            (
                "date.future",
                "DBS date",
                "dated after the as-of date (2026-11-23): a completed check or event cannot be "
                "in the future; not imported",
                Typed("15/01/2027"),
            )
        ],
    ),
    "before_birth": (
        "imported_with_warnings",
        [
            (
                "date.before_birth",
                "Start date",
                "dated before the person's date of birth: not imported",
                Typed("01/09/1989"),
            ),
            (
                "engagement.no_start",
                None,
                "the engagement has no start date: it is taken as in force, and what depends "
                "on when the person started (induction, new-starter periods, how long they are "
                "engaged) asks for it",
                None,
            ),
        ],
    ),
    "birth_after_events": (
        "imported_with_warnings",
        [
            (
                "date.birth_after_events",
                "Date of birth",
                "the date of birth is after 9 other dates on the row: it cannot be right, so "
                "it is not imported",
                WITHHELD,
            )
        ],
    ),
    "imprecise_date": (
        "imported_with_warnings",
        [
            (
                "date.imprecise",
                "Safeguarding training",
                "month and year only: read as the 1st of the month (the earliest day, so "
                "nothing is judged current for longer than it can have been)",
                "Sept 2025",
            )
        ],
    ),
    "no_year": (
        "imported_with_warnings",
        [
            ("date.no_year", "Safeguarding training", "a date without a year", "Sept"),
            # The training date was refused, so its provider has no record to belong to.
            ("cell.not_imported", "Training provider", ORPHAN, PARTNERSHIP),
        ],
    ),
    "invalid_date": (
        "imported_with_warnings",
        [
            ("date.invalid", "Reference 1 received", "not a real calendar date", "31/02/2024"),
        ],
    ),
    "extra_text": (
        "imported_with_warnings",
        [
            (
                "date.extra_text",
                "Reference 2 received",
                "other words beside the date",
                "sent 01/02/2023",
            ),
        ],
    ),
    "two_dates": (
        "imported_with_warnings",
        [("date.several", "DBS date", "more than one date in the cell", "01/02/2020, 03/04/2023")],
    ),
    "date_with_mark": ("imported", []),
    "two_digit_year": ("imported", []),
    "written_month": ("imported", []),
    "x_mark": (
        "imported_with_warnings",
        [("mark.ambiguous", "Barred list check", "'x' could be a tick or a cross", "x")],
    ),
    "mixed_iso": ("imported", []),
    "mixed_ambiguous": (
        "imported_with_warnings",
        [("date.ambiguous", "DSL training", AMBIGUOUS.format("2024-03-04"), "04/03/2024")],
    ),
    "us_date": (
        "imported_with_warnings",
        [
            (
                "date.wrong_order",
                "DSL training",
                "not a real day/month/year date; read as month/day/year it would be one, but "
                "this column is read as day/month/year",
                "04/23/2024",
            )
        ],
    ),
    "excel_serial_text": ("imported", []),
    "dbs_spaces": ("imported", []),
    "dbs_11_digits": (
        "imported_with_warnings",
        [
            (
                "dbs.leading_zero_restored",
                "DBS Certificate Number",
                "11 digits: a leading zero was most likely lost when a spreadsheet treated the "
                "certificate number as a number; restored to 12 digits (check it against the "
                "certificate)",
                WITHHELD,
            )
        ],
    ),
    "dbs_13_digits": (
        "imported_with_warnings",
        [
            (
                "dbs.number_length",
                "DBS Certificate Number",
                "13 digits; a DBS certificate number has 12",
                WITHHELD,
            )
        ],
    ),
    "dbs_scientific": (
        "imported_with_warnings",
        [
            (
                "dbs.scientific_notation",
                "DBS Certificate Number",
                "in scientific notation: the spreadsheet kept only the first digits, and the "
                "number cannot be recovered (format the column as text and type it again)",
                WITHHELD,
            )
        ],
    ),
    "dbs_application_ref": (
        "imported_with_warnings",
        [
            (
                "dbs.application_reference",
                "DBS Certificate Number",
                "a DBS application reference (a letter and 10 digits), not a 12-digit "
                "certificate number",
                WITHHELD,
            )
        ],
    ),
    "pvg_as_dbs": (
        "imported_with_warnings",
        [
            (
                "dbs.pvg_number",
                "DBS Certificate Number",
                "16 digits: a PVG scheme membership number (Scotland), not a 12-digit DBS "
                "certificate number; record it with jurisdiction 'pvg'",
                WITHHELD,
            )
        ],
    ),
    "pvg_declared": ("imported", []),
    "shared_certificate_a": (
        "imported_with_warnings",
        [
            (
                "dbs.shared_certificate",
                None,
                "the same certificate number is recorded for {shared_certificate_b}: a "
                "certificate belongs to one person",
                None,
            )
        ],
    ),
    "shared_certificate_b": (
        "imported_with_warnings",
        [
            (
                "dbs.shared_certificate",
                None,
                "the same certificate number is recorded for {shared_certificate_a}: a "
                "certificate belongs to one person",
                None,
            )
        ],
    ),
    "duplicate_a": (
        "imported_with_warnings",
        [("person.duplicate", None, "same name and date of birth as {duplicate_b}", None)],
    ),
    "duplicate_b": (
        "imported_with_warnings",
        [("person.duplicate", None, "same name and date of birth as {duplicate_a}", None)],
    ),
    "maiden_name_a": (
        "imported_with_warnings",
        [
            (
                "person.possible_duplicate",
                None,
                "same surname (or a previous surname) and date of birth as {maiden_name_b}: "
                "the same person under another name?",
                None,
            )
        ],
    ),
    "maiden_name_b": (
        "imported_with_warnings",
        [
            (
                "person.possible_duplicate",
                None,
                "same surname (or a previous surname) and date of birth as {maiden_name_a}: "
                "the same person under another name?",
                None,
            )
        ],
    ),
    "name_variant_a": (
        "imported_with_warnings",
        [
            (
                "person.possible_duplicate",
                None,
                "same surname (or a previous surname) and date of birth as {name_variant_b}: "
                "the same person under another name?",
                None,
            )
        ],
    ),
    "name_variant_b": (
        "imported_with_warnings",
        [
            (
                "person.possible_duplicate",
                None,
                "same surname (or a previous surname) and date of birth as {name_variant_a}: "
                "the same person under another name?",
                None,
            )
        ],
    ),
    "staff_number_first": ("imported", []),
    "staff_number_reused": (
        "imported_with_warnings",
        [
            (
                "person.staff_number_reused",
                "Staff number",
                "this staff number is already used by another row: the person is identified by "
                "row instead",
                "S145",
            )
        ],
    ),
    "agency_letter_only": (
        "imported_with_warnings",
        [("check.undated", "Agency confirmation", UNDATED, "Y")],
    ),
    "contractor_company": (
        "rejected",
        [
            (
                "row.company",
                "Surname",
                "names a company or organisation, not a person: list each person who works on "
                "site, by name",
                WITHHELD,
            )
        ],
    ),
    "leaver": (
        "imported_with_warnings",
        [
            (
                "person.leaver",
                None,
                "left on 2025-07-31, before the as-of date: leavers should be removed from the "
                "single central record",
                None,
            )
        ],
    ),
    "future_starter": (
        "imported_with_warnings",
        [
            ("check.pending", "DBS date", PENDING, "TBC"),
            ("check.pending_result", "Information disclosed", PENDING_RESULT, "N"),
            ("check.pending", "Barred list check", PENDING_BARRED, "TBC"),
            ("cell.not_imported", "Training provider", ORPHAN, PARTNERSHIP),
        ],
    ),
    "end_before_start": (
        "imported_with_warnings",
        [
            (
                "engagement.end_before_start",
                "Leaving date",
                "the leaving date is before the start date: leaving date not imported",
                Typed("07/05/2021"),
            )
        ],
    ),
    "enhanced_barred_blank": (
        "imported_with_warnings",
        [
            (
                "dbs.barred_list_blank",
                None,
                "enhanced DBS check with the barred-list cell blank: whether the children's "
                "barred list was checked is recorded as not known",
                None,
            )
        ],
    ),
    "adult_workforce": ("imported", []),
    "level_crb": (
        "imported_with_warnings",
        [
            (
                "dbs.level_crb",
                "DBS level",
                "'CRB' names the Criminal Records Bureau (replaced by the DBS in 2012), not a "
                "level: record basic, standard or enhanced",
                "CRB",
            ),
            (
                "dbs.no_level",
                None,
                "DBS check not imported: its level (basic, standard or enhanced) is not "
                "recorded; add a level column or a default (--default dbs.level=enhanced)",
                None,
            ),
        ],
    ),
    "level_enhanced_crb": ("imported", []),
    "basic_for_regulated": ("imported", []),
    "seen_before_issued": (
        "imported_with_warnings",
        [
            (
                "dbs.seen_before_issued",
                "DBS seen",
                "the certificate is recorded as seen before it was issued: seen date not imported",
                Typed("01/03/2024"),
            )
        ],
    ),
    "disclosed_no_follow_up": ("imported", []),
    "disclosed_followed_up": (
        "imported_with_warnings",
        [("date.ambiguous", "LADO notified", AMBIGUOUS.format("2024-02-03"), "03/02/2024")],
    ),
    "risk_assessment_no_kind": (
        "imported_with_warnings",
        [
            (
                "risk_assessment.no_kind",
                "Risk assessment date",
                "risk assessment not imported: what it was for is not recorded (add a 'Risk "
                "assessment type' column)",
                Typed("02/02/2024"),
            )
        ],
    ),
    "dbs_copy_kept": (
        "imported_with_warnings",
        [
            (
                "dbs.copy_kept_too_long",
                "Copy of DBS kept",
                "a copy of the DBS certificate has been kept for more than 6 months (since "
                "2024-01-12): copies should be destroyed within 6 months",
                Typed("12/01/2024"),
            )
        ],
    ),
    "barred_supervised_volunteer": (
        "imported_with_warnings",
        [
            (
                "dbs.barred_check_not_permitted",
                None,
                "a children's barred-list check is recorded for a supervised volunteer, who is "
                "not in regulated activity: the check is not permitted (or the volunteer is not "
                "supervised)",
                None,
            )
        ],
    ),
    "unsupervised_volunteer_no_checks": ("imported", []),
    "character_reference": ("imported", []),
    "candidate_supplied_reference": ("imported", []),
    "references_count_only": (
        "imported_with_warnings",
        [
            (
                "references.count_only",
                "References",
                "2 references are counted but 2 of them are not dated or verified: imported as "
                "references with no dates, not verified",
                "2",
            )
        ],
    ),
    "reference_after_start": (
        "imported_with_warnings",
        [
            (
                "reference.after_start",
                None,
                "reference received on 2025-02-03, after the person started on 2025-01-06",
                None,
            )
        ],
    ),
    "verified_before_received": (
        "imported_with_warnings",
        [
            (
                "reference.verified_before_received",
                "Reference 1 verified",
                "verified before it was received: verified date not imported",
                Typed("01/03/2015"),
            )
        ],
    ),
    "undated_training": (
        "imported_with_warnings",
        [("check.undated", "Safeguarding training", UNDATED, "Y")],
    ),
    "unknown_document": (
        "imported_with_warnings",
        [
            (
                "identity.document_other",
                "ID documents",
                "1 document(s) not recognised: recorded as 'other' (no photo or address assumed)",
                "Passport, P60",
            )
        ],
    ),
    "excel_error": (
        "imported_with_warnings",
        [("cell.excel_error", "Role", "a spreadsheet error value, not data", "#N/A")],
    ),
    "no_name": (
        "rejected",
        [("row.no_name", None, "no name: every row must name the person it records", None)],
    ),
    "unknown_role_type": (
        "rejected",
        [
            (
                "role_type.unrecognised",
                "Staff type",
                "not a role type (expected employee, volunteer, agency, governor, trustee, "
                "director, proprietor, contractor or self-employed)",
                "Teacher",
            ),
            (
                "row.no_role_type",
                None,
                "no role type: add a column such as 'Staff type' (employee, volunteer, agency, "
                "governor, trustee, contractor...), name the sheet after the role, or give a "
                "default (--default engagement.role_type=employee)",
                None,
            ),
        ],
    ),
}

# Where the workbook differs, and why.
XLSX: dict[str, Expected] = {
    # Typed text among Excel's date cells is the mark of a locale mix-up: the column is
    # suspect, and the text dates that read either way round are flagged.
    "date_with_mark": (
        "imported_with_warnings",
        [("date.ambiguous", "Identity checked", AMBIGUOUS.format("2021-03-12"), "Y 12/03/2021")],
    ),
    "two_digit_year": (
        "imported_with_warnings",
        [
            ("date.ambiguous", "Identity checked", AMBIGUOUS.format("2023-04-03"), "3.4.23"),
            ("date.ambiguous", "Right to work", AMBIGUOUS.format("2023-04-03"), "3.4.23"),
        ],
    ),
    # Excel turned the typed 04/03/2024 and 03/02/2024 into date cells: nothing is ambiguous.
    "mixed_ambiguous": ("imported", []),
    "disclosed_followed_up": ("imported", []),
    # The Staff sheet's name gives the role type when the cell does not.
    "unknown_role_type": (
        "imported_with_warnings",
        [
            (
                "role_type.unrecognised",
                "Staff type",
                "not a role type (expected employee, volunteer, agency, governor, trustee, "
                "director, proprietor, contractor or self-employed)",
                "Teacher",
            )
        ],
    ),
    # The workbook's own cases.
    "dbs_number_cell_11": (
        "imported_with_warnings",
        [
            (
                "dbs.leading_zero_restored",
                "DBS Certificate Number",
                "11 digits: a leading zero was most likely lost when a spreadsheet treated the "
                "certificate number as a number; restored to 12 digits (check it against the "
                "certificate)",
                WITHHELD,
            )
        ],
    ),
    "dbs_number_cell_10": (
        "imported_with_warnings",
        [
            (
                "dbs.leading_zero_restored",
                "DBS Certificate Number",
                "10 digits: two leading zeros were most likely lost when a spreadsheet treated "
                "the certificate number as a number; restored to 12 digits (check it against "
                "the certificate)",
                WITHHELD,
            )
        ],
    ),
    "serial_number_cell": ("imported", []),
    "leap_bug_serial": (
        "imported_with_warnings",
        [
            (
                "date.excel_1900_leap_bug",
                "Copy of DBS kept",
                "Excel date number 60 is 29 February 1900, a day that never existed (Excel's "
                "1900 leap-year bug)",
                "60",
            )
        ],
    ),
    "typed_text_date": (
        "imported_with_warnings",
        [("date.ambiguous", "Identity checked", AMBIGUOUS.format("2023-04-03"), "03/04/2023 ")],
    ),
    "staff_and_trustee": (
        "imported_with_warnings",
        [
            (
                "person.duplicate",
                None,
                "same name and date of birth as {staff_and_trustee_staff}",
                None,
            )
        ],
    ),
}


def expected(fmt: str, case: str) -> Expected:
    table = {**CASES, **XLSX} if fmt.endswith(".xlsx") else CASES
    return table[case]


def all_cases() -> Iterator[tuple[str, str]]:
    for fmt in FORMATS:
        for case in case_rows(fmt):
            yield fmt, case


def _render(fmt: str, case: str, item: tuple[str, str | None, str, Any]) -> tuple[Any, ...]:
    code, header, message, raw = item
    refs = {name: where(fmt, name) for name in case_rows(fmt)}
    if "{staff_and_trustee_staff}" in message:
        (other,) = [
            r
            for r in imported(fmt).rows
            if r.sheet == "Staff"
            and any(i.code == "person.duplicate" and "Governors" in i.message for i in r.issues)
        ]
        refs["staff_and_trustee_staff"] = f"Staff row {other.row} ({other.person_id})"
    shown = raw.shown(fmt) if isinstance(raw, Typed) else raw
    return code, header, message.format(**refs), shown


def _actual(issue: Issue) -> tuple[Any, ...]:
    return issue.code, issue.header, issue.message, issue.shown_raw()


@pytest.mark.parametrize(("fmt", "case"), list(all_cases()), ids=lambda v: str(v))
def test_every_case_has_its_exact_outcome_and_messages(fmt: str, case: str) -> None:
    status, issues = expected(fmt, case)
    row = outcome(fmt, case)
    assert row.status.value == status
    shown = [_actual(i) for i in row.issues if i.severity.value != "note"]
    assert shown == [_render(fmt, case, i) for i in issues]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_case_is_in_both_files_except_the_workbooks_own(fmt: str) -> None:
    own = {c for c in XLSX if c.startswith(("dbs_number_cell", "serial_", "leap_", "typed_"))}
    own.add("staff_and_trustee")
    names = set(case_rows(fmt))
    assert names == (set(CASES) | own if fmt.endswith("xlsx") else set(CASES))


@pytest.mark.parametrize("fmt", FORMATS)
def test_rows_in_equal_imported_plus_rejected(fmt: str) -> None:
    result = imported(fmt)
    s = result.summary
    assert s.rows_read == len(result.rows) == s.imported + s.rejected
    assert s.rows_read >= 200
    assert len(result.bundle.people) == s.imported
    assert s.imported_with_warnings == sum(
        r.status is RowStatus.IMPORTED_WITH_WARNINGS for r in result.rows
    )


def test_csv_summary() -> None:
    s = imported("scr.csv").summary
    counts = (s.rows_read, s.imported, s.imported_with_warnings, s.rejected)
    assert counts == (226, 223, 47, 3)
    assert (s.blank_rows, s.heading_rows, s.repeated_header_rows) == (1, 1, 1)
    assert dict(s.by_role_type) == {"agency": 16, "contractor": 5, "employee": 167, "volunteer": 35}


def test_xlsx_summary() -> None:
    result = imported("scr.xlsx")
    s = result.summary
    assert (s.rows_read, s.imported, s.rejected) == (227, 225, 2)
    sheets = {r.name: (r.imported, r.rows_read, r.role_type) for r in result.sheets}
    assert sheets == {
        "Staff": (True, 159, "employee"),
        "Volunteers": (True, 35, "volunteer"),
        "Agency": (True, 16, "agency"),
        "Governors & Trustees": (True, 11, "board"),
        "Contractors": (True, 6, "contractor"),
        "Lists": (False, 0, None),
    }


def test_csv_file_level_issues() -> None:
    result = imported("scr.csv")
    assert [str(i) for i in result.issues] == [
        "no governors, trustees, directors or proprietors on the record, though a charity "
        "provider has a board: the single central record should include them"
    ]
    (sheet,) = result.sheets
    assert [str(i) for i in sheet.issues if i.code != "column.ignored"] == [
        "column AS 'DSL training': the column mixes date formats: day/month/year (1), "
        "month/day/year (1), year-month-day (1); 1 dates that could be read either way round "
        "were read the UK way (day/month) and are flagged",
        "column AX 'LADO notified': the column mixes date formats: day/month/year (1), Excel "
        "date number (1); 1 dates that could be read either way round were read the UK way "
        "(day/month) and are flagged",
        "column AX 'LADO notified': 1 cells are Excel date numbers, read in Excel's 1900 date "
        "system (from a workbook saved in the 1904 system they would be 4 years and a day "
        "later)",
    ]


def test_xlsx_sheet_level_issues() -> None:
    result = imported("scr.xlsx")
    assert result.issues == ()  # governors are on the record: no missing-board warning
    found = [str(i) for s in result.sheets for i in s.issues if i.code != "column.ignored"]
    assert found == [
        "Staff column AS 'DSL training': the column mixes date formats: Excel date (1), "
        "month/day/year (1), year-month-day (1); no date in it could be read either way round",
        "Staff column O 'Identity checked': the column mixes date formats: day/month/year (3), "
        "Excel date (155); 3 dates that could be read either way round were read the UK way "
        "(day/month) and are flagged",
        "Staff column R 'Right to work': the column mixes date formats: day/month/year (1), "
        "Excel date (157); 1 dates that could be read either way round were read the UK way "
        "(day/month) and are flagged",
        "sheet 'Volunteers': this sheet has no columns for checks other sheets record: "
        "prohibition from teaching (on 'Staff', 'Agency', 'Governors & Trustees', "
        "'Contractors'); qualifications (on 'Staff', 'Agency', 'Governors & Trustees', "
        "'Contractors'); right to work (on 'Staff', 'Agency', 'Governors & Trustees', "
        "'Contractors')",
        "sheet 'Governors & Trustees': the sheet names governors and trustees together: its "
        "people are read as trustees, as the provider's kind is 'youth' (maintained schools "
        "have governors, others trustees); give a role type column or a sheet role_type in a "
        "mapping to say otherwise",
        "sheet 'Lists': not imported: hidden sheet (name it with --sheet to import it)",
    ]


def test_merged_group_headings_are_read_with_the_heading_above() -> None:
    agency = {s.name: s for s in imported("scr.xlsx").sheets}["Agency"]
    assert (agency.header_row, agency.group_row) == (3, 2)
    mapped = {c.header: (c.field, c.how) for c in agency.columns if c.field}
    assert mapped["DBS Level"] == ("dbs.level", "synonym, grouped header")
    assert mapped["DBS Number"] == ("dbs.certificate_number", "synonym, grouped header")
    assert mapped["DBS Date"] == ("dbs.issued_on", "synonym, grouped header")
    assert mapped["DBS Seen"] == ("dbs.seen_on", "synonym, grouped header")
    assert mapped["Issuing body"] == ("dbs.jurisdiction", "synonym")
    assert mapped["Notes"] == ("ignore", "synonym")  # the group heading stops at "Notes"
    assert agency.unmapped_headers == ()
    agency_person = person("scr.xlsx", "agency_letter_only")
    assert agency_person.engagements[0].role_type is RoleType.AGENCY


# -- what became evidence --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_evidence_read_from_the_cases(fmt: str) -> None:
    dbs = person(fmt, "dbs_spaces").dbs_checks[0]
    assert dbs.certificate_number == "001234567890"
    pvg = person(fmt, "pvg_declared").dbs_checks[0]
    assert (pvg.jurisdiction, pvg.certificate_number) == (Jurisdiction.PVG, "1234567890123456")
    assert person(fmt, "dbs_11_digits").dbs_checks[0].certificate_number == "012345678901"
    assert person(fmt, "dbs_scientific").dbs_checks[0].certificate_number is None
    tick = person(fmt, "tick").dbs_checks[0]
    assert tick.barred_list_children is True
    assert person(fmt, "tick").suitability_checks[0].checked_on is None
    assert person(fmt, "update_service").update_service is not None
    assert person(fmt, "update_service").dbs_checks[0].issued_on is None
    assert person(fmt, "two_digit_year").right_to_work.checked_on == dt.date(2023, 4, 3)  # type: ignore[union-attr]
    assert person(fmt, "date_with_mark").identity_check.checked_on == dt.date(2021, 3, 12)  # type: ignore[union-attr]
    assert person(fmt, "imprecise_date").training[0].completed_on == dt.date(2025, 9, 1)
    assert person(fmt, "excel_serial_text").lado_notifications[0].notified_on == dt.date(
        2023, 7, 16
    )
    quals = person(fmt, "not_applicable").qualification_checks
    assert [(q.qualification, q.required) for q in quals] == [("Qualifications", False)]
    assert person(fmt, "adult_workforce").dbs_checks[0].workforce is DbsWorkforce.ADULT
    assert person(fmt, "level_enhanced_crb").dbs_checks[0].level is DbsLevel.ENHANCED
    assert person(fmt, "level_crb").dbs_checks == ()
    refs = person(fmt, "character_reference").references
    assert [r.referee_kind for r in refs] == [RefereeKind.EMPLOYER, RefereeKind.CHARACTER]
    assert [
        r.supplied_by_candidate for r in person(fmt, "candidate_supplied_reference").references
    ] == [False, True]
    counted = person(fmt, "references_count_only").references
    assert [(r.received_on, r.verified_on) for r in counted] == [(None, None), (None, None)]
    disclosed = person(fmt, "disclosed_followed_up")
    assert disclosed.dbs_checks[0].disclosure is DbsDisclosure.INFORMATION_DISCLOSED
    (risk,) = disclosed.risk_assessments
    assert (risk.completed_on, risk.shared_with_lado_on) == (
        dt.date(2024, 2, 2),
        dt.date(2024, 2, 5),
    )
    volunteer = person(fmt, "barred_supervised_volunteer").engagements[0]
    assert (volunteer.supervised, volunteer.regulated_activity) == (True, RegulatedActivity.NO)
    assert person(fmt, "future_starter").engagements[0].start_on == dt.date(2027, 1, 4)
    assert person(fmt, "leaver").engagements[0].end_on == dt.date(2025, 7, 31)
    assert person(fmt, "birth_after_events").date_of_birth is None
    assert person(fmt, "staff_number_reused").id.endswith(
        "-r" + str(outcome(fmt, "staff_number_reused").row)
    )


def test_workbook_cells_read_exactly() -> None:
    assert (
        person("scr.xlsx", "dbs_number_cell_10").dbs_checks[0].certificate_number == "002345678901"
    )
    assert person("scr.xlsx", "serial_number_cell").training[0].completed_on == dt.date(2023, 7, 16)
    assert person("scr.xlsx", "typed_text_date").identity_check.checked_on == dt.date(2023, 4, 3)  # type: ignore[union-attr]


def test_1904_workbook_dates() -> None:
    provider = {"provider": {"id": "p", "name": "P", "kind": "youth", "legal_form": "charity"}}
    result = import_scr(SCR / "scr-1904.xlsx", provider=provider, as_of=AS_OF)
    by_id = {p.id: p for p in result.bundle.people}
    assert by_id["p-M1"].engagements[0].start_on == dt.date(2021, 9, 1)
    # 43000 days after 1 January 1904; the 1900 system would say 2017-09-22.
    assert by_id["p-M2"].engagements[0].start_on == dt.date(2021, 9, 23)
    assert by_id["p-M2"].dbs_checks[0].issued_on == dt.date(2021, 9, 13)
    assert [r.status for r in result.rows] == [RowStatus.IMPORTED, RowStatus.IMPORTED]


def test_windows_1252_csv_with_semicolons() -> None:
    provider = {"provider": {"id": "p", "name": "P", "kind": "youth", "legal_form": "charity"}}
    result = import_scr(SCR / "scr-windows-1252.csv", provider=provider, as_of=AS_OF)
    assert [p.full_name for p in result.bundle.people] == ["Zoë Brontë", "Siân O’Neill"]
    assert result.provenance.source["delimiter"] == ";"
    assert result.provenance.source["encoding"] == "windows-1252"
    assert [str(i) for i in result.issues[:1]] == [
        "the file is not UTF-8 (invalid byte at offset 82): read as Windows-1252, the encoding "
        "Excel on Windows uses for CSV; check accented names"
    ]


# -- the bundle validates and evaluates -----------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_imported_bundle_loads_and_has_no_consistency_errors(fmt: str) -> None:
    bundle = imported(fmt).bundle
    reloaded = bundle_from_data(bundle_to_data(bundle))
    assert reloaded == bundle
    errors = [f for f in check_consistency(bundle, as_of=AS_OF) if f.severity is CSeverity.ERROR]
    assert errors == []


def _packs(catalog: PackCatalog) -> list[Any]:
    """Every edition of every pack (bundled and fixture): a record is judged against old
    editions too, when a council asks how it stood."""
    return [catalog.resolve(ref, as_of=AS_OF) for ref in sorted(catalog.refs, key=str)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_imported_bundle_evaluates_against_every_pack_without_errors(
    fmt: str, catalog: PackCatalog
) -> None:
    packs = _packs(catalog)
    assert {"demo", "dorset"} <= {p.id for p in packs}
    for pack in packs:
        assessment = evaluate(
            pack, imported(fmt).bundle, as_of=AS_OF, kinds=catalog.kinds, allow_out_of_force=True
        )
        assert [f for f in assessment.findings if f.status is Status.ERROR] == []
        assert assessment.findings


def _demo(fmt: str, catalog: PackCatalog, case: str) -> dict[str, tuple[str, str]]:
    pack = catalog.resolve("demo", as_of=AS_OF)
    assessment = evaluate(pack, imported(fmt).bundle, as_of=AS_OF, kinds=catalog.kinds)
    pid = outcome(fmt, case).person_id
    return {
        f.requirement_id: (f.status.value, f.message)
        for f in assessment.findings
        if f.subject.id == pid
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_evaluation_outcomes_of_the_cases(fmt: str, catalog: PackCatalog) -> None:
    assert _demo(fmt, catalog, "basic_for_regulated")["DEMO-3"] == (
        "not_met",
        "the latest DBS check is basic; enhanced is required",
    )
    assert _demo(fmt, catalog, "unsupervised_volunteer_no_checks")["DEMO-3"] == (
        "not_met",
        "no DBS check is recorded",
    )
    assert _demo(fmt, catalog, "agency_letter_only")["DEMO-3"] == (
        "not_met",
        "no DBS check is recorded",
    )
    assert _demo(fmt, catalog, "enhanced_barred_blank")["DEMO-3"] == (
        "insufficient_evidence",
        "the DBS check does not record whether the children's barred list was checked",
    )
    assert _demo(fmt, catalog, "references_count_only")["DEMO-5"][0] == "not_met"
    # A future starter is judged on the checks due before they start, and each finding says so
    # (issue 16: nobody on the record is dropped).
    starter = _demo(fmt, catalog, "future_starter")
    assert sorted(starter) == ["DEMO-3", "DEMO-4", "DEMO-5"]
    assert all(m.startswith("not yet started (starts on ") for _s, m in starter.values())


FOLLOW_UP = {"kind": "disclosure_followed_up", "requires": "risk_assessment"}


def test_adult_workforce_and_undisclosed_follow_up_are_judged() -> None:
    bundle = imported("scr.csv").bundle
    adult = person("scr.csv", "adult_workforce")
    one = attrs.evolve(bundle, people=(adult,))
    finding = judge({"kind": "check_present", "check": "dbs", "workforce": ["child"]}, one, AS_OF)
    assert (finding.status, finding.message) == (
        Status.NOT_MET,
        "the DBS check is for the adult workforce",
    )
    silent = attrs.evolve(bundle, people=(person("scr.csv", "disclosed_no_follow_up"),))
    finding = judge(FOLLOW_UP, silent, AS_OF)
    assert finding.status is Status.NOT_MET
    followed = attrs.evolve(bundle, people=(person("scr.csv", "disclosed_followed_up"),))
    assert judge(FOLLOW_UP, followed, AS_OF).status is Status.MET


def test_dsl_training_from_an_unrecognised_provider_is_not_assumed_recognised() -> None:
    bundle = imported("scr.csv").bundle
    dsl = person("scr.csv", "mixed_ambiguous")
    (training,) = [t for t in dsl.training if t.course.value == "dsl"]
    assert (training.provider_org, training.recognised_by_partnership) == (
        "Bright Horizons Training Ltd",
        None,
    )
    rule = {
        "kind": "training_current",
        "courses": ["dsl"],
        "period": "P2Y",
        "require_recognised": True,
    }
    finding = judge(rule, attrs.evolve(bundle, people=(dsl,)), AS_OF)
    assert finding.status is Status.NOT_MET
