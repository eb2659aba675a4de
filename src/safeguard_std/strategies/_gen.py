"""What every strategy here shares: the reference date, id counters, dates and argument checks.

Dates are drawn relative to ``as_of``: events (checks, training, reviews) lie in the fifteen
years up to ``as_of`` and shrink towards ``as_of`` itself; dates of birth lie 16 to 80 years
before it, so a date of birth can never be mistaken for an event date in a finding. A share of
event dates is drawn on purpose from the boundaries the standards care about: exactly one, two or
three years (or six months) before ``as_of``, a day either side, and a 29 February.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

import attrs
import pendulum
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

__all__ = [
    "DEFAULT_AS_OF",
    "Gen",
    "PooledGen",
    "check_as_of",
    "check_bool_or_none",
    "check_size",
]

T = TypeVar("T")

#: The reference date strategies use when the caller gives none (the library never reads the
#: clock, and neither do its strategies).
DEFAULT_AS_OF = dt.date(2025, 9, 1)

#: How far back event dates reach.
HISTORY_DAYS = 15 * 365

_EARLIEST_AS_OF = dt.date(1900, 1, 1)
_LATEST_AS_OF = dt.date(2999, 12, 31)
_BOUNDARY_PERIODS = ("P6M", "P1Y", "P2Y", "P3Y")


def check_as_of(as_of: object) -> dt.date:
    """``as_of`` must be a calendar date (not a datetime) within 1900-2999."""
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise InvalidArgument(f"as_of must be a datetime.date, got {as_of!r}")
    if not _EARLIEST_AS_OF <= as_of <= _LATEST_AS_OF:
        raise InvalidArgument(
            f"as_of must lie between {_EARLIEST_AS_OF} and {_LATEST_AS_OF}, got {as_of}"
        )
    return as_of


def check_bool_or_none(name: str, value: object) -> bool | None:
    """``value`` must be ``True``, ``False`` or ``None``."""
    if value is not None and not isinstance(value, bool):
        raise InvalidArgument(f"{name} must be True, False or None, got {value!r}")
    return value


def check_size(min_name: str, min_value: object, max_name: str, max_value: object) -> None:
    """Both are whole numbers, ``0 <= min <= max <= 200``."""
    for name, value in ((min_name, min_value), (max_name, max_value)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidArgument(f"{name} must be a whole number, got {value!r}")
        if not 0 <= value <= 200:
            raise InvalidArgument(f"{name} must be between 0 and 200, got {value}")
    assert isinstance(min_value, int)
    assert isinstance(max_value, int)
    if min_value > max_value:
        raise InvalidArgument(
            f"{min_name}={min_value} must not be greater than {max_name}={max_value}"
        )


@cache
def boundary_dates(as_of: dt.date) -> tuple[dt.date, ...]:
    """Dates whose common renewal periods fall due the day before, on or after ``as_of``."""
    out: set[dt.date] = set()
    day = pendulum.Date(as_of.year, as_of.month, as_of.day)
    for text in _BOUNDARY_PERIODS:
        years, months = (int(text[1:-1]), 0) if text.endswith("Y") else (0, int(text[1:-1]))
        start = day.subtract(years=years, months=months)
        for delta in (-1, 0, 1):
            moved = start.add(days=delta)
            out.add(dt.date(moved.year, moved.month, moved.day))
    for back in range(16):
        year = as_of.year - back
        if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            leap = dt.date(year, 2, 29)
            if leap <= as_of:
                out.add(leap)
                break
    return tuple(sorted(out, reverse=True))


# Strategies are made once and reused: making one per draw (and an ``|`` or ``.map`` around it)
# cost several times the draw itself, and a bundle makes about a thousand draws.
_BOOLEANS = st.booleans()
_FLAG_VALUES = (None, False, True)


@functools.lru_cache(maxsize=1024)
def _near(as_of: dt.date, min_days: int, max_days: int) -> tuple[dt.date, ...]:
    """The boundary dates between ``min_days`` and ``max_days`` before ``as_of``."""
    return tuple(d for d in boundary_dates(as_of) if min_days <= (as_of - d).days <= max_days)


@functools.lru_cache(maxsize=4096)
def _integers(low: int, high: int) -> SearchStrategy[int]:
    return st.integers(low, high)


def _sized_lists(values: tuple[Any, ...], size: int) -> SearchStrategy[list[Any]]:
    return _sized_lists_typed(values, tuple(type(v) for v in values), size)


@functools.lru_cache(maxsize=1024)
def _sized_lists_typed(
    values: tuple[Any, ...], _types: tuple[type, ...], size: int
) -> SearchStrategy[list[Any]]:
    return st.lists(st.sampled_from(values), min_size=size, max_size=size, unique=True)


def _permutations(values: tuple[Any, ...]) -> SearchStrategy[list[Any]]:
    return _permutations_typed(values, tuple(type(v) for v in values))


@functools.lru_cache(maxsize=1024)
def _permutations_typed(
    values: tuple[Any, ...], _types: tuple[type, ...]
) -> SearchStrategy[list[Any]]:
    return st.permutations(values)


@attrs.define
class Gen:
    """One draw's context: the draw function, ``as_of``, and counters that hand out unique,
    zero-padded ids (so "latest by id" among records of one day is the one made last)."""

    draw: DrawFn
    as_of: dt.date
    first: int = 1
    counts: Counter[str] = attrs.field(factory=Counter)

    def __call__(self, strategy: SearchStrategy[T]) -> T:
        return self.draw(strategy)

    def _int(self, low: int, high: int) -> int:
        value: int = self.draw(_integers(low, high))
        return value

    def _bool(self) -> bool:
        value: bool = self.draw(_BOOLEANS)
        return value

    def id(self, prefix: str) -> str:
        """A fresh id ``prefix-0001``, unique within this draw."""
        self.counts[prefix] += 1
        return f"{prefix}-{self.first + self.counts[prefix] - 1:04d}"

    def number(self, prefix: str) -> int:
        """A fresh sequence number for synthetic personal data (``Test Person 3``)."""
        self.counts["#" + prefix] += 1
        return self.first + self.counts["#" + prefix] - 1

    def past(self, max_days: int = HISTORY_DAYS, min_days: int = 0) -> dt.date:
        """An event date ``min_days`` to ``max_days`` before ``as_of``; shrinks to the nearest."""
        max_days = min(max_days, (self.as_of - dt.date.min).days)
        min_days = min(min_days, max_days)
        near = _near(self.as_of, min_days, max_days)
        span = max_days - min_days
        if not near:
            return self.as_of - dt.timedelta(days=min_days + self._int(0, span))
        # One choice, not two (a bundle draws hundreds of dates): the lower half is the plain
        # range, nearest first, which is what it shrinks to; the upper half boundary dates.
        value = self._int(0, 2 * span + 1)
        if value <= span:
            return self.as_of - dt.timedelta(days=min_days + value)
        return near[(value - span - 1) % len(near)]

    def future(self, max_days: int = 3 * 365, min_days: int = 0) -> dt.date:
        """A date ``min_days`` to ``max_days`` after ``as_of``; shrinks to the nearest."""
        max_days = min(max_days, (dt.date.max - self.as_of).days)
        return self.as_of + dt.timedelta(days=self._int(min(min_days, max_days), max_days))

    def around(self) -> dt.date:
        """A date before or after ``as_of`` (mostly before)."""
        if self._int(0, 4) == 4:
            return self.future()
        return self.past()

    def between(self, low: dt.date, high: dt.date) -> dt.date:
        """A date in ``[low, high]``; shrinks to ``low``."""
        if high <= low:
            return low
        return low + dt.timedelta(days=self._int(0, (high - low).days))

    def maybe(self, make: Callable[[], T]) -> T | None:
        """``None`` or ``make()``; shrinks to ``None``."""
        return make() if self._bool() else None

    def usually(self, make: Callable[[], T]) -> T | None:
        """``make()`` three times in four, else ``None``; shrinks to ``None``."""
        return make() if self._int(0, 3) else None

    def mostly(self, common: T, *others: T) -> T:
        """``common`` three times in four, else one of ``others``; shrinks to ``common``."""
        commons = max(1, 3 * len(others))
        index = self._int(0, commons + len(others) - 1)
        return common if index < commons else others[index - commons]

    def flag(self) -> bool | None:
        """``None``, ``False`` or ``True``; shrinks to ``None``."""
        return _FLAG_VALUES[self._int(0, 2)]

    def some(self, make: Callable[[], T], max_size: int = 3, min_size: int = 0) -> tuple[T, ...]:
        """Between ``min_size`` and ``max_size`` results of ``make()``; shrinks to fewer."""
        return tuple(make() for _ in range(self._int(min_size, max_size)))

    def choice(self, values: Sequence[T]) -> T:
        """One of ``values``; shrinks to the first."""
        values = tuple(values)
        if not values:  # nothing to choose: Hypothesis rejects the draw, as sampled_from does
            chosen: T = self.draw(st.sampled_from(values))
            return chosen
        # An index rather than sampled_from: the same choice and shrinking, at half the cost.
        return values[self._int(0, len(values) - 1)]

    def subset(self, values: Sequence[T], min_size: int = 0) -> list[T]:
        """Distinct values, in their given order; shrinks to the first ``min_size``."""
        size = self._int(min_size, len(values))
        options = tuple(values)
        try:
            strategy = _sized_lists(options, size)
        except TypeError:  # unhashable values: made afresh
            strategy = st.lists(st.sampled_from(options), min_size=size, max_size=size, unique=True)
        picked: list[T] = self.draw(strategy)
        return sorted(picked, key=options.index)

    def integer(self, low: int, high: int) -> int:
        """A whole number in ``[low, high]``; shrinks to ``low``."""
        return self._int(low, high)

    def boolean(self) -> bool:
        """``True`` or ``False``; shrinks to ``False``."""
        return self._bool()

    def permutation(self, values: Sequence[T]) -> list[T]:
        """``values`` in a drawn order; shrinks to the given order."""
        options = tuple(values)
        try:
            strategy = _permutations(options)
        except TypeError:
            strategy = st.permutations(options)
        order: list[T] = self.draw(strategy)
        return order


def entity(maker: Callable[..., T], as_of: dt.date, **kwargs: Any) -> SearchStrategy[T]:
    """A strategy drawing ``maker(Gen, **kwargs)``; ids are numbered from a drawn start."""

    @st.composite
    def build(draw: DrawFn) -> T:
        gen = Gen(draw, as_of, first=draw(st.integers(1, 9000)))
        return maker(gen, **kwargs)

    return build()


_CHUNK_BITS = 64
_CHUNK = st.integers(0, 2**_CHUNK_BITS - 1)
_MASK = 2**_CHUNK_BITS - 1


def _spread(chunk: int) -> int:
    """SplitMix64's finaliser: a bijection on 64-bit numbers that maps 0 to 0 and spreads the
    small numbers Hypothesis mostly draws (it favours 8- and 16-bit values) over all 64 bits."""
    chunk = ((chunk ^ (chunk >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    chunk = ((chunk ^ (chunk >> 27)) * 0x94D049BB133111EB) & _MASK
    return chunk ^ (chunk >> 31)


@attrs.define
class PooledGen(Gen):
    """A :class:`Gen` whose choices are cut from 64-bit integers drawn one at a time.

    Hypothesis's own cost per draw (a span, a choice record, mutation bookkeeping) outweighs the
    values: a compliant Dorset bundle made about a thousand draws. Compliant bundles (their
    random part and the many, alike records the repairs add) take their choices from a pool
    instead, one draw per 64 bits. The logic of every method is :class:`Gen`'s (boundary dates
    and all); only the source differs, and ``subset`` and ``permutation`` pick one index at a
    time. It stays reproducible under Hypothesis's seed, and shrinks: a chunk shrunk to zero
    makes every choice cut from it the first (dates on ``as_of``, lists empty, the first value).
    """

    pool: int = 0
    left: int = 0

    @classmethod
    def sharing(cls, gen: Gen) -> PooledGen:
        """A pooled generator drawing through ``gen``, sharing its id counters."""
        return cls(gen.draw, gen.as_of, first=gen.first, counts=gen.counts)

    def _below(self, n: int) -> int:
        """A number in ``[0, n)``; 0 when the pool's bits are all zero."""
        if n <= 1:
            return 0
        bits = (n - 1).bit_length()
        while self.left < bits:
            self.pool |= _spread(self.draw(_CHUNK)) << self.left
            self.left += _CHUNK_BITS
        value = self.pool & ((1 << bits) - 1)
        self.pool >>= bits
        self.left -= bits
        return value % n

    def _int(self, low: int, high: int) -> int:
        return low + self._below(high - low + 1)

    def _bool(self) -> bool:
        return self._below(2) == 1

    def subset(self, values: Sequence[T], min_size: int = 0) -> list[T]:
        options = tuple(values)
        size = self._int(min_size, len(options))
        left = list(range(len(options)))
        picked = sorted(left.pop(self._below(len(left))) for _ in range(size))
        return [options[i] for i in picked]

    def permutation(self, values: Sequence[T]) -> list[T]:
        options = list(values)
        return [options.pop(self._below(len(options))) for _ in range(len(options))]
