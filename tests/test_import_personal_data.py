"""Personal data by shape, not only by column (issue 18 item 10): a name, a certificate number,
a National Insurance number, a postcode or a date of birth typed into any column never appears
in an import's messages or report, checked with the personal-data guard's ``leaks``."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_std.importers import import_scr
from tests.conftest import AS_OF
from tests.property.test_personal_data import leaks

PROVIDER: dict[str, Any] = {
    "provider": {"id": "prov", "name": "Test Trust", "kind": "youth", "legal_form": "sole_trader"}
}
HEADER = [
    "Staff number",
    "Name",
    "Date of birth",
    "Staff type",
    "Start date",
    "Job title",
    "DBS level",
    "DBS date",
    "Barred list check",
    "Checked by",
    "Safeguarding training",
    "Training provider",
    "Regulated activity",
    "Notes",
]
FIRST = ["Ann", "Priya", "Tomasz", "Aisha", "Siobhan", "Kwame", "Mary-Jane"]
LAST = ["Smith", "Okonkwo", "Nowak", "O'Neil", "Fairbairn", "Llewellyn"]
NAMES = st.builds(lambda f, last: f"{f} {last}", st.sampled_from(FIRST), st.sampled_from(LAST))
PERSONAL = st.one_of(
    NAMES,
    NAMES.map(lambda n: f"{n.split()[1].upper()}, {n.split()[0]}"),
    st.from_regex(r"[0-9]{12}", fullmatch=True),
    st.from_regex(r"[0-9]{4} [0-9]{4} [0-9]{4}", fullmatch=True),
    st.from_regex(r"(AB|JG|NZ|TW) ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]", fullmatch=True),
    st.sampled_from(["DT1 1AA", "SW1A 1AA", "BS8 4QT", "12 High Street, Dorchester DT1 1AA"]),
)
ROW = ["S1", "Bob Jones", "02/03/1981", "Staff", "01/09/2020", "Teacher", "Enhanced",
       "20/08/2020", "Y", "HR", "01/09/2023", "Dorset Partnership", "Y", ""]  # fmt: skip


def _text(result: Any) -> str:
    lines = [str(i) for i in result.all_issues()]
    lines.append(json.dumps(result.report_data(), default=str))
    return "\n".join(lines)


@settings(max_examples=60)
@given(PERSONAL, st.sampled_from(range(len(HEADER))).filter(lambda i: HEADER[i] != "Name"))
def test_a_personal_value_in_any_column_is_never_quoted(value: str, column: int) -> None:
    if HEADER[column] == "Date of birth":
        column = HEADER.index("Staff type")
    row = list(ROW)
    row[column] = value
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, row])
    result = import_scr(out.getvalue().encode(), name="scr.csv", provider=PROVIDER, as_of=AS_OF)
    personal = {value, "Bob Jones", "02/03/1981", "1981-03-02"}
    assert leaks(_text(result), personal) == []


def test_the_issues_examples_are_withheld() -> None:
    # A certificate number typed in a date column, an address in the start-date column, a name
    # in the staff-type column: each was quoted, as its column is not personal.
    result = import_scr(
        b"Name,Staff type,Start date,DBS level,DBS date\n"
        b"Ann Smith,Bob Jones,1 High St DT1 1AA,Enhanced,001234567890\n",
        name="scr.csv",
        provider=PROVIDER,
        as_of=AS_OF,
    )
    text = _text(result)
    assert leaks(text, {"Bob Jones", "1 High St DT1 1AA", "001234567890"}) == []
    assert "C2 'Start date': not a date (value withheld: personal data)" in text
    asked = "\n".join(i.render(include_personal_data=True) for i in result.all_issues())
    assert "C2 'Start date': not a date (got '1 High St DT1 1AA')" in asked


def test_a_staff_number_that_is_personal_data_never_becomes_an_id() -> None:
    result = import_scr(
        b"Staff number,Name,Staff type,Start date\nAB123456C,Ann Smith,Staff,01/09/2020\n",
        name="scr.csv",
        provider=PROVIDER,
        as_of=AS_OF,
    )
    (ann,) = result.bundle.people
    assert ann.id == "p-r2"
    assert "AB123456C" not in _text(result)
    assert "person.staff_number_personal" in [i.code for i in result.rows[0].issues]
