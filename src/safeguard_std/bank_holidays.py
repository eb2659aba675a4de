"""England and Wales bank holidays, for working-day periods (``P1WD``).

The dates come from the maintained ``holidays`` package (its ``GB`` calendar, subdivisions
``ENG`` and ``WLS``, which agree), pinned in the project's dependencies so a finding never changes
because a machine has another release: see ``docs/decisions/0020-bank-holidays-from-holidays.md``.
One-off holidays (a coronation, a state funeral) are in that data as they were proclaimed.

Nothing here reads the clock or the network; the years are computed when first asked for and
remembered.
"""

from __future__ import annotations

import datetime as dt
import functools

import attrs

from safeguard_std.domain.calendar import WorkingDayCalendar
from safeguard_std.exceptions import InvalidArgument, MissingExtra

__all__ = ["EnglandAndWales", "england_and_wales"]

#: The years the calendar answers for; beyond them the holiday rules are guesses.
FIRST_YEAR = 1990
LAST_YEAR = 2100


@functools.cache
def _holidays_in(year: int) -> frozenset[dt.date]:
    try:
        import holidays
    except ImportError:  # a broken install: holidays is a core dependency
        raise MissingExtra(
            "working-day periods (P1WD) over England and Wales bank holidays", None, "holidays"
        ) from None
    found: set[dt.date] = set()
    for subdiv in ("ENG", "WLS"):
        found.update(holidays.country_holidays("GB", subdiv=subdiv, years=year))
    return frozenset(found)


@attrs.frozen
class EnglandAndWales:
    """Monday to Friday less England and Wales bank holidays (1990 to 2100)."""

    name: str = "england-and-wales"

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a bank holiday in England and Wales."""
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise InvalidArgument(
                f"working-day calendar {self.name!r} covers {FIRST_YEAR} to {LAST_YEAR}, "
                f"not {day.isoformat()}"
            )
        return day.weekday() < 5 and day not in _holidays_in(day.year)


def england_and_wales() -> WorkingDayCalendar:
    """The default working-day calendar; raises
    :class:`~safeguard_std.exceptions.MissingExtra` at once if ``holidays`` is not installed,
    so a pack using ``P1WD`` fails when it is compiled rather than judging without holidays."""
    _holidays_in(2000)
    return EnglandAndWales()
