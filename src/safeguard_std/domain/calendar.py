"""Calendar arithmetic with the boundary semantics the standards need.

* Periods are calendar periods, not fixed numbers of days: ``P3Y`` after 2023-03-14 is
  2026-03-14. A date plus years or months that lands on a day the target month lacks is clamped
  to the month's last day (29 February + ``P1Y`` is 28 February; 31 January + ``P1M`` is the last
  day of February). Pendulum does the arithmetic.
* A dated obligation is **current up to and including** its ``due_on``, and lapsed from the next
  day: see :func:`is_current`.
* Timestamps are converted to a calendar date in Europe/London before any comparison, because
  every standard here is an English one: 23:30 UTC on a summer day is already the next day.
* Working days (``P1WD``) are Monday to Friday less a calendar's holidays (England and Wales bank
  holidays by default). ``N`` working days after a date is the ``N``-th working day *after* it:
  the day itself never counts, whether or not it is a working day. Received on the Friday before
  a bank-holiday Monday, one working day later is the Tuesday; received on a Saturday, Monday. A
  working-day period needs a calendar: :func:`add_period` refuses one, :func:`add_working_days`
  takes the calendar.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, Protocol

import attrs

from safeguard_std.exceptions import InvalidArgument, InvalidPeriod, quoted

# LONDON is provided by the module's __getattr__, below.
__all__ = [  # noqa: F822
    "LONDON",
    "Period",
    "WorkingDayCalendar",
    "WorkingDays",
    "add_period",
    "add_working_days",
    "is_current",
    "london_date",
    "parse_date",
]


def __getattr__(name: str) -> Any:
    # LONDON, the Europe/London time zone, is made when first used: importing Pendulum costs
    # about 20 ms, and most uses of the library (loading packs, judging dates) never need it.
    if name == "LONDON":
        return _london()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _london() -> Any:
    import pendulum

    return pendulum.timezone("Europe/London")


# At most nine digits a part: int() refuses 4,300 (a ValueError of its own), and no unit is
# allowed beyond _MAX_UNIT anyway.
_PERIOD = re.compile(r"P(?:(\d{1,9})Y)?(?:(\d{1,9})M)?(?:(\d{1,9})W)?(?:(\d{1,9})D)?")
_WORKING = re.compile(r"P(\d{1,9})WD")
_MAX_UNIT = 1000


@attrs.frozen(order=False, repr=False)
class Period:
    """An ISO 8601 calendar duration of whole years, months, weeks and days.

    >>> Period.parse("P3Y")
    Period(years=3, months=0, weeks=0, days=0)
    >>> str(Period.parse("P1Y6M"))
    'P1Y6M'

    ``P1WD`` is one *working* day (an extension of ISO 8601): it stands alone, never mixed with
    calendar parts, and needs a working-day calendar to add (:func:`add_working_days`).

    >>> Period.parse("P1WD").working_days
    1
    """

    years: int = attrs.field(default=0, kw_only=True)
    months: int = attrs.field(default=0, kw_only=True)
    weeks: int = attrs.field(default=0, kw_only=True)
    days: int = attrs.field(default=0, kw_only=True)
    working_days: int = attrs.field(default=0, kw_only=True)

    def __attrs_post_init__(self) -> None:
        parts = (self.years, self.months, self.weeks, self.days)
        every = (*parts, self.working_days)
        if any(not isinstance(p, int) or isinstance(p, bool) or p < 0 for p in every):
            raise InvalidPeriod(str(self._text_of(parts)))
        if self.working_days and any(parts):
            raise InvalidPeriod(f"{self._text_of(parts)}{self.working_days}WD")
        if not any(every):
            raise InvalidPeriod("P0D")

    @staticmethod
    def _text_of(parts: tuple[object, ...]) -> str:
        return "P" + "".join(f"{p}{u}" for p, u in zip(parts, "YMWD", strict=True) if p)

    @classmethod
    def parse(cls, text: object) -> Period:
        """Parse ``P3Y``, ``P12M``, ``P2W``, ``P90D`` or a combination such as ``P1Y6M``.

        Raises :class:`~safeguard_std.exceptions.InvalidPeriod` (a ``ValueError``) quoting the
        input for anything else, including time parts (``PT1H``), zero and negative periods.
        """
        if not isinstance(text, str):
            raise InvalidPeriod(text)
        working = _WORKING.fullmatch(text.strip())
        if working is not None:
            count = int(working.group(1))
            if not 0 < count <= _MAX_UNIT:
                raise InvalidPeriod(text)
            return cls(working_days=count)
        match = _PERIOD.fullmatch(text.strip())
        if match is None or not any(match.groups()):
            raise InvalidPeriod(text)
        years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
        if max(years, months, weeks, days) > _MAX_UNIT:
            raise InvalidPeriod(text)
        try:
            return cls(years=years, months=months, weeks=weeks, days=days)
        except InvalidPeriod:
            raise InvalidPeriod(text) from None

    def __repr__(self) -> str:
        if self.working_days:
            return f"Period(working_days={self.working_days})"
        return (
            f"Period(years={self.years}, months={self.months}, weeks={self.weeks}, "
            f"days={self.days})"
        )

    def __str__(self) -> str:
        if self.working_days:
            return f"P{self.working_days}WD"
        return self._text_of((self.years, self.months, self.weeks, self.days))

    def after(self, start: dt.date, calendar: WorkingDayCalendar | None = None) -> dt.date:
        """The date this period after ``start``: :func:`add_period`, or for a working-day
        period :func:`add_working_days` over ``calendar`` (required then)."""
        if self.working_days:
            if calendar is None:
                raise InvalidArgument(
                    f"{self} counts working days: give a working-day calendar "
                    "(e.g. safeguard_std.bank_holidays.england_and_wales())"
                )
            return add_working_days(start, self.working_days, calendar)
        return add_period(start, self)


def add_period(start: dt.date, period: Period) -> dt.date:
    """``start`` plus ``period``, clamping to the month's last day (29 Feb + 1 year = 28 Feb).

    A pure function, remembered for the last 65,536 (date, period) pairs: a staff record holds
    a few thousand distinct dates, and Pendulum's arithmetic costs far more than a lookup.

    A result beyond the last representable day is that day (9999-12-31): a record dated near the
    end of the calendar stays current, rather than its rule failing on the arithmetic.
    """
    if period.working_days:
        raise InvalidArgument(
            f"{period} counts working days, which calendar arithmetic cannot: use "
            "add_working_days(start, days, calendar)"
        )
    if type(start) is not dt.date:  # a datetime (or a subclass) is not cached as if a date
        return _add_period(dt.date(start.year, start.month, start.day), period)
    return _add_period(start, period)


@functools.lru_cache(maxsize=65_536)
def _add_period(start: dt.date, period: Period) -> dt.date:
    import pendulum  # once imported, a dictionary lookup: this runs only on a cache miss

    try:
        moved = pendulum.Date(start.year, start.month, start.day).add(
            years=period.years, months=period.months, weeks=period.weeks, days=period.days
        )
    except (ValueError, OverflowError):  # past 9999-12-31
        return dt.date.max
    return dt.date(moved.year, moved.month, moved.day)


class WorkingDayCalendar(Protocol):
    """What working-day arithmetic needs: a name (recorded in findings) and which days work."""

    @property
    def name(self) -> str:
        """A short, stable name, e.g. ``england-and-wales``."""

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day; raises for a day the calendar does not cover."""


@attrs.frozen
class WorkingDays:
    """A fixed working-day calendar: Monday to Friday, less ``holidays``, for the years
    ``first_year`` to ``last_year``. Tests inject one to pin the holidays; a day outside those
    years raises rather than being taken for a working day.

    >>> cal = WorkingDays("test", frozenset({dt.date(2026, 8, 31)}), 2026, 2026)
    >>> add_working_days(dt.date(2026, 8, 28), 1, cal)  # Friday before a bank-holiday Monday
    datetime.date(2026, 9, 1)
    """

    name: str
    holidays: frozenset[dt.date] = attrs.field(converter=frozenset)
    first_year: int
    last_year: int

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a holiday; a day outside the covered years raises
        :class:`~safeguard_std.exceptions.InvalidArgument`."""
        if not self.first_year <= day.year <= self.last_year:
            raise InvalidArgument(
                f"working-day calendar {self.name!r} covers {self.first_year} to "
                f"{self.last_year}, not {day.isoformat()}"
            )
        return day.weekday() < 5 and day not in self.holidays


def add_working_days(start: dt.date, days: int, calendar: WorkingDayCalendar) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise InvalidArgument(f"days must be a whole number of at least 1, got {days!r}")
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def is_current(due_on: dt.date, as_of: dt.date) -> bool:
    """Whether something due on ``due_on`` is still current on ``as_of`` (due day included)."""
    return as_of <= due_on


def london_date(moment: dt.datetime) -> dt.date:
    """The Europe/London calendar date of an aware timestamp.

    A naive timestamp is taken to be London local time already.
    """
    if moment.tzinfo is None:
        return moment.date()
    import pendulum

    local = pendulum.instance(moment).in_timezone(_london())
    return dt.date(local.year, local.month, local.day)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: object) -> dt.date:
    """Parse an ISO calendar date or an RFC 3339 timestamp (converted in Europe/London).

    Raises ``ValueError`` naming the accepted forms. ``datetime`` values are converted the same
    way; ``date`` values pass through.
    """
    if isinstance(value, dt.datetime):
        return london_date(value)
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValueError(f"expected a date 'YYYY-MM-DD', got {quoted(value)}")
    text = value.strip()
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"expected a real calendar date 'YYYY-MM-DD', got {quoted(value)}"
            ) from None
    if "T" in text and _DATE.match(text):
        try:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return london_date(parsed)
    raise ValueError(
        "expected a date 'YYYY-MM-DD' or a timestamp 'YYYY-MM-DDTHH:MM:SS+00:00', "
        f"got {quoted(value)}"
    )
