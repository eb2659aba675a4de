"""Calendar arithmetic with the boundary semantics the standards need.

* Periods are calendar periods, not fixed numbers of days: ``P3Y`` after 2023-03-14 is
  2026-03-14. A date plus years or months that lands on a day the target month lacks is clamped
  to the month's last day (29 February + ``P1Y`` is 28 February; 31 January + ``P1M`` is the last
  day of February). Pendulum does the arithmetic.
* A dated obligation is **current up to and including** its ``due_on``, and lapsed from the next
  day: see :func:`is_current`.
* Timestamps are converted to a calendar date in Europe/London before any comparison, because
  every standard here is an English one: 23:30 UTC on a summer day is already the next day.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import attrs

from safeguard_std.exceptions import InvalidPeriod, quoted

# LONDON is provided by the module's __getattr__, below.
__all__ = ["LONDON", "Period", "add_period", "is_current", "london_date", "parse_date"]  # noqa: F822


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
_MAX_UNIT = 1000


@attrs.frozen(order=False)
class Period:
    """An ISO 8601 calendar duration of whole years, months, weeks and days.

    >>> Period.parse("P3Y")
    Period(years=3, months=0, weeks=0, days=0)
    >>> str(Period.parse("P1Y6M"))
    'P1Y6M'
    """

    years: int = attrs.field(default=0, kw_only=True)
    months: int = attrs.field(default=0, kw_only=True)
    weeks: int = attrs.field(default=0, kw_only=True)
    days: int = attrs.field(default=0, kw_only=True)

    def __attrs_post_init__(self) -> None:
        parts = (self.years, self.months, self.weeks, self.days)
        if any(not isinstance(p, int) or isinstance(p, bool) or p < 0 for p in parts):
            raise InvalidPeriod(str(self._text_of(parts)))
        if not any(parts):
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

    def __str__(self) -> str:
        return self._text_of((self.years, self.months, self.weeks, self.days))

    def after(self, start: dt.date) -> dt.date:
        """The date this period after ``start``; see :func:`add_period`."""
        return add_period(start, self)


def add_period(start: dt.date, period: Period) -> dt.date:
    """``start`` plus ``period``, clamping to the month's last day (29 Feb + 1 year = 28 Feb).

    A pure function, remembered for the last 65,536 (date, period) pairs: a staff record holds
    a few thousand distinct dates, and Pendulum's arithmetic costs far more than a lookup.

    A result beyond the last representable day is that day (9999-12-31): a record dated near the
    end of the calendar stays current, rather than its rule failing on the arithmetic.
    """
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
