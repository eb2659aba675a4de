"""Reading single cells: dates the way people type them, Excel serials, marks, DBS numbers and
levels, yes/no, role types, referees, identity documents, reference counts."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguard_std.domain.people import (
    DbsLevel,
    DbsWorkforce,
    IdentityDocumentType,
    RefereeKind,
    RegulatedActivity,
)
from safeguard_std.importers._dates import DateReader, excel_serial_date, marks_of
from safeguard_std.importers._parsed import Mark, Parsed
from safeguard_std.importers._values import READERS, is_company_name, role_type_of_words

AS_OF = dt.date(2026, 11, 23)


def read(value: object, **kw: object) -> Parsed:
    return DateReader(as_of=AS_OF, **kw).read(value)  # type: ignore[arg-type]


def rejection(parsed: Parsed) -> tuple[str, str]:
    assert parsed.rejected, parsed
    (note,) = parsed.notes
    return note.code, note.message


@pytest.mark.parametrize(
    ("text", "day", "fmt"),
    [
        ("03/04/2023", dt.date(2023, 4, 3), "dmy"),
        ("3/4/2023", dt.date(2023, 4, 3), "dmy"),
        ("03-04-2023", dt.date(2023, 4, 3), "dmy"),
        ("3.4.23", dt.date(2023, 4, 3), "dmy2"),
        ("03.04.2023 00:00", dt.date(2023, 4, 3), "dmy"),
        ("25/12/2021", dt.date(2021, 12, 25), "dmy"),
        ("2023-04-03", dt.date(2023, 4, 3), "ymd"),
        ("2023/04/03", dt.date(2023, 4, 3), "ymd"),
        ("2023-04-03 00:00:00", dt.date(2023, 4, 3), "ymd"),
        ("3 Sept 2023", dt.date(2023, 9, 3), "text"),
        ("3rd September 2023", dt.date(2023, 9, 3), "text"),
        ("03-Sep-23", dt.date(2023, 9, 3), "text"),
        ("3 sep. 2023", dt.date(2023, 9, 3), "text"),
        ("Monday 4 September 2023", dt.date(2023, 9, 4), "text"),
        ("September 3rd, 2023", dt.date(2023, 9, 3), "text"),
        ("1st of March 2020", dt.date(2020, 3, 1), "text"),
        ("Y 12/03/2021", dt.date(2021, 3, 12), "dmy"),
        ("✓ 12/03/2021", dt.date(2021, 3, 12), "dmy"),
        ("Seen: 12/03/2021", dt.date(2021, 3, 12), "dmy"),
        ("12/03/2021 (checked)", dt.date(2021, 3, 12), "dmy"),
    ],
)
def test_uk_dates(text: str, day: dt.date, fmt: str) -> None:
    parsed = read(text)
    assert (parsed.value, parsed.fmt, parsed.notes) == (day, fmt, ())


def test_a_timestamp_with_a_zone_is_a_london_date() -> None:
    assert read("2023-06-30T23:30:00Z").value == dt.date(2023, 7, 1)
    assert read("2023-12-31T23:30:00+00:00").value == dt.date(2023, 12, 31)


def test_day_and_month_both_twelve_or_under_are_ambiguous() -> None:
    assert read("03/04/2023").ambiguous is True
    assert read("13/04/2023").ambiguous is False
    assert read("04/04/2023").ambiguous is False  # the same either way round
    assert read("2023-04-03").ambiguous is False


def test_us_order_is_refused_with_the_reason() -> None:
    assert rejection(read("04/23/2023")) == (
        "date.wrong_order",
        "not a real day/month/year date; read as month/day/year it would be one, but this "
        "column is read as day/month/year",
    )


def test_a_mapping_can_read_a_column_month_first() -> None:
    reader = DateReader(order="mdy", as_of=AS_OF)
    assert reader.read("04/23/2023").value == dt.date(2023, 4, 23)
    assert reader.read("03/04/2023").value == dt.date(2023, 3, 4)
    assert rejection(reader.read("23/04/2023"))[0] == "date.wrong_order"


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("31/02/2024", "date.invalid", "not a real calendar date"),
        ("29/02/2023", "date.invalid", "not a real calendar date"),
        ("Sept", "date.no_year", "a date without a year"),
        ("3/4", "date.no_year", "a date without a year"),
        ("3rd Sept", "date.no_year", "a date without a year"),
        ("2019", "date.year_only", "a year without a day or month"),
        ("sent 01/02/2023", "date.extra_text", "other words beside the date"),
        ("01/02/2020, 03/04/2023", "date.several", "more than one date in the cell"),
        ("x", "mark.ambiguous", "'x' could be a tick or a cross"),
        ("hello", "date.not_a_date", "not a date"),
        ("01/01/1899", "date.implausible", "a date before 1900 or after 2100"),
    ],
)
def test_what_is_not_a_date_is_refused_with_the_reason(text: str, code: str, message: str) -> None:
    assert rejection(read(text)) == (code, message)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Sept 2023", dt.date(2023, 9, 1)),
        ("Sep-23", dt.date(2023, 9, 1)),
        ("09/2023", dt.date(2023, 9, 1)),
    ],
)
def test_month_and_year_only_is_the_first_with_a_warning(text: str, day: dt.date) -> None:
    parsed = read(text)
    assert parsed.value == day
    assert [(n.code, n.message) for n in parsed.notes] == [
        (
            "date.imprecise",
            "month and year only: read as the 1st of the month (the earliest day, so nothing is "
            "judged current for longer than it can have been)",
        )
    ]


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("Y", Mark.YES),
        ("yes", Mark.YES),
        ("✓", Mark.YES),
        ("✔", Mark.YES),
        ("On file", Mark.YES),
        ("copy held", Mark.YES),
        ("N", Mark.NO),
        ("✗", Mark.NO),
        ("N/A", Mark.NOT_APPLICABLE),
        ("n/a", Mark.NOT_APPLICABLE),
        ("Not required", Mark.NOT_APPLICABLE),
        ("-", Mark.NOT_APPLICABLE),
        ("TBC", Mark.PENDING),
        ("awaiting DBS", Mark.PENDING),
        ("Applied for", Mark.PENDING),
        ("unknown", Mark.UNKNOWN),
        ("Update Service", Mark.UPDATE_SERVICE),
        ("on update service", Mark.UPDATE_SERVICE),
    ],
)
def test_marks_in_date_cells(text: str, mark: Mark) -> None:
    assert marks_of(text) is mark
    assert read(text).mark is mark


def test_plain_date_columns_refuse_ticks_but_take_not_applicable() -> None:
    reader = DateReader(marks=False)
    assert rejection(reader.read("Y")) == ("date.mark_not_date", "a mark (yes), not a date")
    assert reader.read("N/A").mark is Mark.NOT_APPLICABLE


def test_two_digit_years_never_land_after_as_of_for_past_events() -> None:
    assert read("12/05/85").value == dt.date(1985, 5, 12)
    assert read("12/05/26").value == dt.date(2026, 5, 12)
    assert read("12/05/27").value == dt.date(1927, 5, 12)
    # A leaving date or permission expiry may be up to 20 years ahead.
    assert read("31/08/30", event=False).value == dt.date(2030, 8, 31)
    # Without as_of: the POSIX rule, 00-69 is 20xx.
    assert DateReader().read("12/05/69").value == dt.date(2069, 5, 12)
    assert DateReader().read("12/05/70").value == dt.date(1970, 5, 12)


def test_excel_1900_system_and_its_leap_year_bug() -> None:
    assert excel_serial_date(1, "1900") == dt.date(1900, 1, 1)
    assert excel_serial_date(59, "1900") == dt.date(1900, 2, 28)
    assert excel_serial_date(60, "1900") is None  # 29 February 1900 never existed
    assert excel_serial_date(61, "1900") == dt.date(1900, 3, 1)
    assert excel_serial_date(45123, "1900") == dt.date(2023, 7, 16)
    assert excel_serial_date(0, "1904") == dt.date(1904, 1, 1)
    assert excel_serial_date(45123, "1904") == dt.date(2027, 7, 17)


def test_serials_in_text_files_are_read_1900_and_marked_as_assumed() -> None:
    parsed = read("45123")
    assert (parsed.value, parsed.fmt) == (dt.date(2023, 7, 16), "serial")
    workbook = DateReader(epoch="1904", as_of=AS_OF).read(45123)
    assert (workbook.value, workbook.fmt) == (dt.date(2027, 7, 17), "excel")
    assert rejection(DateReader(epoch="1900").read(60)) == (
        "date.excel_1900_leap_bug",
        "Excel date number 60 is 29 February 1900, a day that never existed (Excel's 1900 "
        "leap-year bug)",
    )


def test_workbook_cell_types() -> None:
    excel_cell = dt.datetime(2023, 4, 3, 0, 0)  # noqa: DTZ001 - Excel cells carry no zone
    assert read(excel_cell).value == dt.date(2023, 4, 3)
    assert read(dt.date(2023, 4, 3)).fmt == "excel"
    assert rejection(read(dt.time(9, 30))) == ("date.not_a_date", "a time of day, not a date")
    assert rejection(read(True)) == ("date.not_a_date", "a true/false value, not a date")


# -- DBS certificate numbers -----------------------------------------------------------------

dbs = READERS["dbs_number"]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("001234567890", "001234567890"),
        ("0012 3456 7890", "001234567890"),
        ("0012-3456-7890", "001234567890"),
        (123456789012, "123456789012"),
        ("123456789012.0", "123456789012"),
    ],
)
def test_dbs_numbers_read(raw: object, value: str) -> None:
    parsed = dbs(raw)
    assert (parsed.value, parsed.notes) == (value, ())


def test_lost_leading_zeros_are_restored_with_a_warning() -> None:
    text = dbs("12345678901")
    assert text.value == "012345678901"
    assert [n.message for n in text.notes] == [
        "11 digits: a leading zero was most likely lost when a spreadsheet treated the "
        "certificate number as a number; restored to 12 digits (check it against the "
        "certificate)"
    ]
    assert dbs(1234567890).value == "001234567890"  # a number cell: two zeros
    assert rejection(dbs("1234567890")) == (
        "dbs.number_length",
        "10 digits; a DBS certificate number has 12",
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1.23457E+11", "dbs.scientific_notation"),
        ("1.23457e11", "dbs.scientific_notation"),
        ("E0123456789", "dbs.application_reference"),
        ("1234567890123", "dbs.number_length"),
        ("1234567890123456", "dbs.pvg_number"),
        ("12345678901A", "dbs.number_not_digits"),
        (1.5, "dbs.number_not_digits"),
    ],
)
def test_dbs_numbers_refused(raw: object, code: str) -> None:
    assert rejection(dbs(raw))[0] == code


def test_dbs_number_marks() -> None:
    assert dbs("TBC").mark is Mark.PENDING
    assert dbs("N/A").mark is Mark.NOT_APPLICABLE
    assert READERS["dbs_number_other"]("1234 5678 9012 3456").value == "1234567890123456"


# -- levels, yes/no, words ---------------------------------------------------------------------

level = READERS["dbs_level"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Enhanced", {"level": DbsLevel.ENHANCED}),
        ("enh", {"level": DbsLevel.ENHANCED}),
        ("E", {"level": DbsLevel.ENHANCED}),
        ("Standard", {"level": DbsLevel.STANDARD}),
        ("Basic DBS", {"level": DbsLevel.BASIC}),
        ("Enhanced with barred list", {"level": DbsLevel.ENHANCED, "barred_list_children": True}),
        (
            "Enhanced + Barred (child workforce)",
            {
                "level": DbsLevel.ENHANCED,
                "barred_list_children": True,
                "workforce": DbsWorkforce.CHILD,
            },
        ),
        (
            "Enhanced child and adult",
            {"level": DbsLevel.ENHANCED, "workforce": DbsWorkforce.CHILD_AND_ADULT},
        ),
        ("Enhanced (adult)", {"level": DbsLevel.ENHANCED, "workforce": DbsWorkforce.ADULT}),
    ],
)
def test_dbs_levels(text: str, value: dict[str, object]) -> None:
    assert level(text).value == value


def test_crb_is_not_a_level() -> None:
    assert rejection(level("CRB")) == (
        "dbs.level_crb",
        "'CRB' names the Criminal Records Bureau (replaced by the DBS in 2012), not a level: "
        "record basic, standard or enhanced",
    )
    enhanced = level("Enhanced CRB")
    assert enhanced.value == {"level": DbsLevel.ENHANCED}
    assert [n.code for n in enhanced.notes] == ["dbs.crb"]
    assert rejection(level("Gold"))[0] == "dbs.level_unrecognised"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("Y", True),
        ("yes", True),
        ("✓", True),
        (True, True),
        (1, True),
        ("N", False),
        ("no", False),
        (0, False),
    ],
)
def test_yes_and_no(raw: object, value: bool) -> None:
    assert READERS["bool"](raw).value is value


def test_yes_no_refusals_and_marks() -> None:
    assert rejection(READERS["bool"]("maybe")) == ("bool.unrecognised", "expected yes or no")
    assert rejection(READERS["bool"]("x"))[0] == "mark.ambiguous"
    assert READERS["bool"]("N/A").mark is Mark.NOT_APPLICABLE
    assert READERS["regulated"]("Y").value is RegulatedActivity.YES
    assert READERS["regulated"]("unknown").value is RegulatedActivity.UNKNOWN


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Staff", "employee"),
        ("Teaching staff", "employee"),
        ("Volunteers", "volunteer"),
        ("Supply", "agency"),
        ("Agency staff", "agency"),
        ("Governors", "governor"),
        ("Trustees", "trustee"),
        ("Governors & Trustees", "board"),
        ("Third-party suppliers and contractors", "contractor"),
        ("Self-employed", "self_employed"),
    ],
)
def test_role_types(text: str, role: str) -> None:
    assert READERS["role_type"](text).value == role


def test_sheet_names_with_noise_still_name_a_role() -> None:
    assert role_type_of_words("SCR - Volunteers 2024", sheet=True) == "volunteer"
    assert role_type_of_words("Single central record: Agency", sheet=True) == "agency"
    assert role_type_of_words("Summary", sheet=True) is None


def test_referees() -> None:
    read_kind = READERS["referee_kind"]
    assert read_kind("Character").value.kind is RefereeKind.CHARACTER
    assert read_kind("Previous employer").value.kind is RefereeKind.EMPLOYER
    assert read_kind("University tutor").value.kind is RefereeKind.ACADEMIC
    candidate = read_kind("Character (supplied by candidate)").value
    assert (candidate.kind, candidate.supplied_by_candidate) == (RefereeKind.CHARACTER, True)
    open_ref = read_kind("To whom it may concern").value
    assert (open_ref.kind, open_ref.open_reference) == (RefereeKind.OTHER, True)


def test_identity_documents_and_what_they_show() -> None:
    docs = READERS["documents"]("Passport; council tax + driving licence").value
    assert [(d.type, d.photo, d.shows_address) for d in docs] == [
        (IdentityDocumentType.PASSPORT, True, False),
        (IdentityDocumentType.COUNCIL_TAX, False, True),
        (IdentityDocumentType.DRIVING_LICENCE, True, True),
    ]


@pytest.mark.parametrize(
    ("raw", "count"), [("2", 2), ("2 x", 2), ("x2", 2), ("two", 2), (2, 2), ("3 references", 3)]
)
def test_reference_counts(raw: object, count: int) -> None:
    assert READERS["count"](raw).value == count


@pytest.mark.parametrize("raw", [float("inf"), float("-inf"), float("nan"), 2.5, 12])
def test_a_reference_count_cell_that_is_no_count_is_rejected_not_raised(raw: float) -> None:
    # An xlsx cell can hold an overflowed number (inf) or NaN; a reader never raises.
    parsed = READERS["count"](raw)
    assert parsed.rejected
    assert [(n.code, n.message) for n in parsed.notes] == [
        ("references.count_unrecognised", "not a number of references")
    ]


def test_company_names() -> None:
    assert is_company_name("ABC Cleaning Ltd")
    assert is_company_name("Wessex Catering Services")
    assert not is_company_name("Alex Smith")
    assert READERS["text"]("#REF!").rejected
