"""Properties of the importer over generated input: it never crashes on what people type, dates
round-trip, and every row is accounted for."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_std.exceptions import SpreadsheetError
from safeguard_std.importers import FIELDS, SYNONYMS, Kind, _scr, import_scr
from safeguard_std.importers._dates import DateReader
from safeguard_std.importers._tables import Sheet, Workbook
from safeguard_std.importers._values import READERS

AS_OF = dt.date(2026, 11, 23)
PROVIDER = {"provider": {"id": "p", "name": "P", "kind": "youth", "legal_form": "sole_trader"}}
CELLS = st.one_of(
    st.text(max_size=30),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.sampled_from(["Y", "N/A", "TBC", "✓", "x", "on file", "Sept 2023", "31/02/2024", "#N/A"]),
)


@given(CELLS)
def test_every_reader_returns_a_reading_for_any_cell(value: object) -> None:
    for reader in READERS.values():
        parsed = reader(value)
        if parsed.rejected:  # a refusal always says why, and keeps nothing
            assert parsed.value is None
            assert [n.severity.value for n in parsed.notes] == ["warning"]
    date = DateReader(as_of=AS_OF).read(value)
    assert date.value is None or isinstance(date.value, dt.date)
    assert date.rejected is (date.value is None and date.mark is None)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=AS_OF))
def test_uk_dates_round_trip(day: dt.date) -> None:
    reader = DateReader(as_of=AS_OF)
    for text in (day.strftime("%d/%m/%Y"), day.isoformat(), f"{day.day} {day:%B %Y}"):
        assert reader.read(text).value == day


@given(st.lists(st.lists(CELLS.map(str), min_size=1, max_size=8), max_size=12))
def test_every_row_is_accounted_for(rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Staff type", "Start date", "DBS level", "DBS date", "Barred list"])
    writer.writerows(rows)
    try:
        result = import_scr(out.getvalue().encode(), name="scr.csv", provider=PROVIDER, as_of=AS_OF)
    except SpreadsheetError:
        return
    s = result.summary
    assert s.rows_read == s.imported + s.rejected == len(result.rows)
    assert len(result.bundle.people) == s.imported
    assert s.rows_read + s.blank_rows + s.heading_rows + s.repeated_header_rows <= len(rows)


# -- never crash, whatever a cell holds (issue 18 item 1) -------------------------------------


def _one_header_per_field() -> dict[str, str]:
    """A header the default synonyms know for every field a column can give."""
    headers: dict[str, str] = {}
    for key, synonym in sorted(SYNONYMS.items(), key=lambda kv: (len(kv[0]), kv[0])):
        if FIELDS[synonym.field].kind is not Kind.IGNORE if synonym.field in FIELDS else False:
            headers.setdefault(synonym.field, key)
    return headers


HEADERS = _one_header_per_field()
MARKS = st.sampled_from(["N/A", "TBC", "-", "awaited", "applied", "No", "Y", "=SUM(A1)", "#REF!"])
EXCEL_CELLS = st.one_of(
    st.none(),
    st.text(max_size=40),
    MARKS,
    MARKS,
    MARKS,
    st.integers(-(10**13), 10**13),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
VALID_ROW = ["Ann Smith", "Staff", "01/09/2020"]


@st.composite
def records(draw: st.DrawFn, cells: st.SearchStrategy[object]) -> list[list[object]]:
    """A header of the name, role and start columns and some recognised columns, and rows that
    put any cell in any of them."""
    fields = draw(st.lists(st.sampled_from(sorted(HEADERS)), min_size=1, max_size=8, unique=True))
    # The columns whose cells are compared with others are always there.
    always = ["Name", "Staff type", "Start date", "Date of birth", "DBS level", "DBS date"]
    header = [*always, *(HEADERS[f] for f in fields)]
    header = list(dict.fromkeys(header))
    rows = draw(
        st.lists(
            st.lists(cells, min_size=len(header), max_size=len(header)).map(
                lambda r: [*VALID_ROW, *r[3:]]
            ),
            min_size=1,
            max_size=4,
        )
    )
    return [header, *rows]


def _import_cells(rows: list[list[object]]) -> None:
    def read(
        source: object, *, name: str | None = None, score: object = None, limits: object = None
    ) -> Workbook:
        sheet = Sheet(name="Staff", rows=lambda: iter(enumerate(rows, start=1)), epoch="1900")
        return Workbook("scr.xlsx", "xlsx", "0" * 64, (sheet,))

    original = _scr.read_workbook
    _scr.read_workbook = read  # type: ignore[assignment]
    try:
        result = import_scr(b"", name="scr.xlsx", provider=PROVIDER, as_of=AS_OF)
    except SpreadsheetError:
        return
    finally:
        _scr.read_workbook = original
    s = result.summary
    assert s.rows_read == s.imported + s.rejected == len(result.rows)
    result.report_data()
    for issue in result.all_issues():
        str(issue)


def _import_text(rows: list[list[object]]) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([["" if c is None else str(c) for c in r] for r in rows])
    try:
        result = import_scr(out.getvalue().encode(), name="scr.csv", provider=PROVIDER, as_of=AS_OF)
    except SpreadsheetError:
        return
    assert result.summary.rows_read == len(result.rows)
    result.report_data()


@settings(max_examples=40)
@given(records(st.text(max_size=30) | MARKS | EXCEL_CELLS.map(str)))
def test_any_text_in_any_recognised_column_imports_or_reports(rows: list[list[object]]) -> None:
    _import_text(rows)


@settings(max_examples=40)
@given(records(EXCEL_CELLS))
def test_any_excel_cell_in_any_recognised_column_imports_or_reports(
    rows: list[list[object]],
) -> None:
    _import_cells(rows)


@pytest.mark.slow
@settings(max_examples=3000)
@given(records(EXCEL_CELLS))
def test_any_excel_cell_in_any_recognised_column_long(rows: list[list[object]]) -> None:
    _import_cells(rows)
