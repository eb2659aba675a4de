from __future__ import annotations

import datetime as dt

import pytest

from safeguard_std.domain.calendar import Period, add_period, is_current, parse_date
from safeguard_std.exceptions import InvalidPeriod

D = dt.date


@pytest.mark.parametrize("text", ["P3Y", "P12M", "P2W", "P90D", "P1Y6M", "P1Y2M3W4D"])
def test_period_round_trips(text: str) -> None:
    assert str(Period.parse(text)) == text


@pytest.mark.parametrize("text", ["3Y", "P", "P0D", "PT1H", "P1.5Y", "p3y", "P-1Y", "P1001Y", ""])
def test_bad_periods_are_rejected_quoting_the_input(text: str) -> None:
    with pytest.raises(InvalidPeriod) as info:
        Period.parse(text)
    assert str(info.value).startswith(f"invalid period {text!r}: expected an ISO 8601 duration")
    assert isinstance(info.value, ValueError)


def test_non_string_period() -> None:
    with pytest.raises(InvalidPeriod, match=r"invalid period 3: expected"):
        Period.parse(3)


@pytest.mark.parametrize(
    ("start", "period", "due"),
    [
        (D(2024, 2, 29), "P1Y", D(2025, 2, 28)),  # leap day to a common year: 28 Feb
        (D(2024, 2, 29), "P3Y", D(2027, 2, 28)),
        (D(2024, 2, 29), "P4Y", D(2028, 2, 29)),  # leap to leap keeps the 29th
        (D(2023, 2, 28), "P1Y", D(2024, 2, 28)),  # not moved to the 29th
        (D(2024, 1, 31), "P1M", D(2024, 2, 29)),  # month end clamps
        (D(2023, 1, 31), "P1M", D(2023, 2, 28)),
        (D(2023, 3, 14), "P3Y", D(2026, 3, 14)),
        (D(2023, 3, 14), "P90D", D(2023, 6, 12)),
        (D(2023, 12, 31), "P2W", D(2024, 1, 14)),
    ],
)
def test_add_period(start: dt.date, period: str, due: dt.date) -> None:
    assert add_period(start, Period.parse(period)) == due
    assert Period.parse(period).after(start) == due


def test_current_through_due_day_and_lapsed_the_next() -> None:
    due = D(2027, 2, 28)
    assert is_current(due, D(2027, 2, 27))
    assert is_current(due, due)
    assert not is_current(due, D(2027, 3, 1))


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2024-02-29", D(2024, 2, 29)),
        ("2025-07-01T23:30:00Z", D(2025, 7, 2)),  # BST: 00:30 next day in London
        ("2025-01-01T23:30:00Z", D(2025, 1, 1)),  # GMT: same day
        ("2025-03-30T00:30:00+00:00", D(2025, 3, 30)),  # the spring-forward night
        ("2025-10-25T23:30:00+00:00", D(2025, 10, 26)),  # still BST
        ("2025-10-26T23:30:00+00:00", D(2025, 10, 26)),  # GMT again
        ("2025-06-01T12:00:00", D(2025, 6, 1)),  # naive: London local already
    ],
)
def test_parse_date_converts_timestamps_in_london(text: str, date: dt.date) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2024", "expected a date 'YYYY-MM-DD' or a timestamp"),
        ("2023-02-29", "expected a real calendar date 'YYYY-MM-DD', got '2023-02-29'"),
        (20240101, "expected a date 'YYYY-MM-DD', got 20240101"),
    ],
)
def test_parse_date_errors(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_date(value)
