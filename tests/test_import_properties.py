"""Properties of the importer over generated input: it never crashes on what people type, dates
round-trip, and every row is accounted for."""

from __future__ import annotations

import csv
import datetime as dt
import io

from hypothesis import given
from hypothesis import strategies as st

from safeguard_std.exceptions import SpreadsheetError
from safeguard_std.importers import import_scr
from safeguard_std.importers._dates import DateReader
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
