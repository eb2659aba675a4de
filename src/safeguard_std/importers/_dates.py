"""Reading dates the way people type them into a single central record.

UK order (day/month/year) unless a mapping says otherwise; two-digit years; written months
("3 Sept 2023", "3rd September 2023", "03-Sep-23"); ISO dates and timestamps (timestamps with a
zone are converted in Europe/London); Excel date cells and Excel serial numbers (1900 system, with
its fictitious 29 February 1900, or 1904 system); "Sept 2023" (imprecise: read as the 1st, with a
warning); a date with a tick or "seen" beside it. Everything else is rejected with a reason.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Literal

from safeguard_std.domain.calendar import london_date
from safeguard_std.importers._parsed import Mark, Parsed, note, reject

__all__ = ["FORMAT_NAMES", "DateReader", "excel_serial_date", "marks_of"]

Order = Literal["dmy", "mdy"]
Epoch = Literal["1900", "1904"]

#: Human names of the format families, for reports.
FORMAT_NAMES = {
    "dmy": "day/month/year",
    "ymd": "year-month-day",
    "text": "written month",
    "excel": "Excel date",
    "serial": "Excel date number",
    "mdy": "month/day/year",
    "month": "month and year only",
}

_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MONTH = "(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?:[ t]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ORD = r"(?:st|nd|rd|th)?"

_FAST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_NUMERIC = re.compile(
    r"(?P<a>\d{1,2})\s*(?P<sep>[./-])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4}|\d{2})" + _TIME
)
_ISO = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?P<time>[ t]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?P<zone>z|[+-]\d{2}:?\d{2})?)?"
)
_DAY_MONTH = re.compile(
    _WEEKDAY
    + r"(?P<d>\d{1,2})"
    + _ORD
    + r"[\s./-]*(?:of\s+)?"
    + _MONTH
    + r"[\s./,-]*(?P<y>\d{4}|\d{2})"
)
_MONTH_DAY = re.compile(_WEEKDAY + _MONTH + r"\s+(?P<d>\d{1,2})" + _ORD + r",?\s+(?P<y>\d{4})")
_MONTH_YEAR = re.compile(_MONTH + r"[\s./,-]*(?P<y>\d{4}|\d{2})")
_NUM_MONTH_YEAR = re.compile(r"(?P<m>\d{1,2})\s*[./-]\s*(?P<y>\d{4})")
_MONTH_ONLY = re.compile(_MONTH)
_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_DAY_MONTH_NO_YEAR = re.compile(r"\d{1,2}\s*[./-]\s*\d{1,2}|\d{1,2}" + _ORD + r"\s*" + _MONTH)

_FIND = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*(?:\d{4}|\d{2})"
    r"|\d{1,2}" + _ORD + r"[\s./-]*(?:of\s+)?" + _MONTH + r"[\s./,-]*(?:\d{4}|\d{2})"
)
_FILLER = re.compile(
    r"(?:\b(?:y|yes|seen|checked|received|done|date|dated|on|verified|ok|complete|completed|"
    r"issued|confirmed|sighted)\b|[✓✔☑:;,()\[\].\-–—/\s])*"
)

_YES = {
    "y",
    "yes",
    "✓",
    "✔",
    "☑",
    "✅",
    "true",
    "done",
    "ok",
    "checked",
    "seen",
    "received",
    "complete",
    "completed",
    "on file",
    "in file",
    "held",
    "copy on file",
    "copy held",
    "evidence on file",
    "confirmed",
    "verified",
    "sighted",
    "yes on file",
    "y on file",
}
_NO = {"n", "no", "✗", "✘", "☒", "❌", "false", "none", "not done", "not checked", "nil"}
_NA = {
    "n/a",
    "na",
    "n.a.",
    "n.a",
    "n / a",
    "not applicable",
    "not required",
    "not needed",
    "none required",
    "not relevant",
    "-",
    "–",
    "—",
    "--",
}
_PENDING = {
    "tbc",
    "tba",
    "tbd",
    "pending",
    "awaited",
    "awaiting",
    "applied",
    "applied for",
    "in progress",
    "chased",
    "requested",
    "sent",
    "outstanding",
    "to follow",
    "ordered",
    "booked",
    "not yet",
    "not yet received",
    "awaiting dbs",
    "awaiting certificate",
}
_UNKNOWN = {"unknown", "?", "??", "not known", "unsure", "don't know", "dont know"}
_UPDATE_SERVICE = {
    "update service",
    "on update service",
    "dbs update service",
    "us",
    "update service check",
    "checked on update service",
    "via update service",
}


def marks_of(text: str) -> Mark | None:
    """The mark a cell's text stands for, if it is one (case and spacing ignored)."""
    key = " ".join(text.lower().split())
    if key in _YES:
        return Mark.YES
    if key in _NO:
        return Mark.NO
    if key in _NA:
        return Mark.NOT_APPLICABLE
    if key in _PENDING:
        return Mark.PENDING
    if key in _UNKNOWN:
        return Mark.UNKNOWN
    if key in _UPDATE_SERVICE:
        return Mark.UPDATE_SERVICE
    return None


def excel_serial_date(serial: float, epoch: Epoch) -> dt.date | None:
    """The date of an Excel serial number, or ``None`` for 29 February 1900 (which Excel counts
    but which never existed) and for numbers outside Excel's range."""
    whole = int(serial)
    if whole < 0 or whole > 2_958_465:
        return None
    if epoch == "1904":
        return dt.date(1904, 1, 1) + dt.timedelta(days=whole)
    if whole == 60 or whole == 0:
        return None
    # Excel's 1900 system treats 1900 as a leap year (Lotus 1-2-3's bug): serials from 61 on are
    # one day further from the epoch than the calendar says.
    base = dt.date(1899, 12, 31) if whole < 60 else dt.date(1899, 12, 30)
    return base + dt.timedelta(days=whole)


_EARLIEST = dt.date(1900, 1, 1)
_LATEST = dt.date(2100, 12, 31)


class DateReader:
    """Reads a column's cells as dates, remembering each distinct cell (SCR dates repeat).

    ``event``: the field records a past event, so a two-digit year never lands after ``as_of``.
    ``epoch``: the workbook's date system, or ``None`` for text files (where an Excel serial
    number is read in the 1900 system and flagged). ``marks``: whether marks such as "Y" or
    "on file" are allowed (check columns) or rejected (plain date columns).
    """

    def __init__(
        self,
        *,
        order: Order = "dmy",
        epoch: Epoch | None = None,
        as_of: dt.date | None = None,
        event: bool = True,
        marks: bool = True,
    ) -> None:
        self.order = order
        self.epoch = epoch
        self.marks = marks
        if as_of is None:
            self._limit = None
        else:
            self._limit = as_of.year if event else as_of.year + 20
        # Each distinct cell read so far (text cells by their text): public so a sheet's reading
        # loop can look a cell up without a call.
        self.cache: dict[object, Parsed] = {}

    def read(self, value: object) -> Parsed:
        """Read one non-blank cell value."""
        key = value if type(value) is str else (type(value), value)
        hit = self.cache.get(key)
        if hit is None:
            hit = self._read(value)
            if len(self.cache) < 200_000:
                self.cache[key] = hit
        return hit

    def _read(self, value: object) -> Parsed:
        if type(value) is str and (m := _FAST.fullmatch(value)) is not None:
            a, b = int(m[1]), int(m[3])
            if self.order == "dmy" and b <= 12:
                return self._numeric(a, b, m[4])
        if isinstance(value, bool):
            return reject("date.not_a_date", "a true/false value, not a date")
        if isinstance(value, dt.datetime):
            zone = value.tzinfo is not None
            return self._checked(london_date(value) if zone else value.date(), "excel")
        if isinstance(value, dt.date):
            return self._checked(value, "excel")
        if isinstance(value, dt.time):
            return reject("date.not_a_date", "a time of day, not a date")
        if isinstance(value, (int, float)):
            if not math.isfinite(value):
                return reject("date.not_a_date", "a number, not a date")
            return self._serial(float(value), assumed=self.epoch is None)
        return self._text(str(value))

    def _serial(self, number: float, *, assumed: bool) -> Parsed:
        epoch: Epoch = self.epoch or "1900"
        if number != int(number) and number > 100_000:
            return reject("date.not_a_date", "a number, not a date")
        if int(number) == 60 and epoch == "1900":
            return reject(
                "date.excel_1900_leap_bug",
                "Excel date number 60 is 29 February 1900, a day that never existed "
                "(Excel's 1900 leap-year bug)",
            )
        found = excel_serial_date(number, epoch)
        if found is None:
            return reject("date.not_a_date", "a number outside Excel's date range")
        return self._checked(found, "serial" if assumed else "excel")

    def _text(self, raw: str) -> Parsed:
        text = " ".join(raw.replace("\u00a0", " ").lower().split())
        mark = marks_of(text)
        if mark is not None:
            return self._mark(mark)
        if text == "x":
            return reject("mark.ambiguous", "'x' could be a tick or a cross")
        parsed = self._whole(text)
        if parsed is not None:
            return parsed
        return self._embedded(text)

    def _mark(self, mark: Mark) -> Parsed:
        if self.marks or mark in (Mark.NOT_APPLICABLE, Mark.UNKNOWN, Mark.PENDING):
            return Parsed(mark=mark)
        return reject("date.mark_not_date", f"a mark ({mark.value.replace('_', ' ')}), not a date")

    def _whole(self, text: str) -> Parsed | None:
        if m := _ISO.fullmatch(text):
            if m["zone"]:
                stamp = text.upper().replace(" ", "T").replace("Z", "+00:00")
                try:
                    return self._checked(london_date(dt.datetime.fromisoformat(stamp)), "ymd")
                except ValueError:
                    return reject("date.invalid", "not a real calendar date")
            return self._build(int(m["y"]), int(m["m"]), int(m["d"]), "ymd")
        if m := _NUMERIC.fullmatch(text):
            return self._numeric(int(m["a"]), int(m["b"]), m["y"])
        if m := _DAY_MONTH.fullmatch(text):
            return self._build(self._year(m["y"]), _MONTHS[m["mon"]], int(m["d"]), "text")
        if m := _MONTH_DAY.fullmatch(text):
            return self._build(int(m["y"]), _MONTHS[m["mon"]], int(m["d"]), "text")
        if m := _MONTH_YEAR.fullmatch(text):
            return self._imprecise(self._year(m["y"]), _MONTHS[m["mon"]])
        if m := _NUM_MONTH_YEAR.fullmatch(text):
            return self._imprecise(int(m["y"]), int(m["m"]))
        if _SERIAL.fullmatch(text):
            return self._serial(float(text), assumed=self.epoch is None)
        if _MONTH_ONLY.fullmatch(text) or _DAY_MONTH_NO_YEAR.fullmatch(text):
            return reject("date.no_year", "a date without a year")
        if _YEAR_ONLY.fullmatch(text):
            return reject("date.year_only", "a year without a day or month")
        return None

    def _embedded(self, text: str) -> Parsed:
        found = list(_FIND.finditer(text))
        if len(found) > 1:
            return reject("date.several", "more than one date in the cell")
        if not found:
            return reject("date.not_a_date", "not a date")
        match = found[0]
        rest = text[: match.start()] + " " + text[match.end() :]
        if not _FILLER.fullmatch(rest):
            return reject("date.extra_text", "other words beside the date")
        inner = self._whole(match.group(0))
        return inner if inner is not None else reject("date.not_a_date", "not a date")

    def _year(self, text: str) -> int:
        if len(text) == 4:
            return int(text)
        yy = int(text)
        if self._limit is None:
            return 2000 + yy if yy < 70 else 1900 + yy
        return 2000 + yy if 2000 + yy <= self._limit else 1900 + yy

    def _numeric(self, a: int, b: int, year_text: str) -> Parsed:
        day, month = (a, b) if self.order == "dmy" else (b, a)
        year = self._year(year_text)
        fmt = "dmy" if self.order == "dmy" else "mdy"
        if month > 12 and day <= 12:
            other = "month/day/year" if self.order == "dmy" else "day/month/year"
            expected = "day/month/year" if self.order == "dmy" else "month/day/year"
            return reject(
                "date.wrong_order",
                f"not a real {expected} date; read as {other} it would be one, but this column "
                f"is read as {expected}",
                fmt="mdy" if self.order == "dmy" else "dmy",
            )
        parsed = self._build(year, month, day, fmt)
        if parsed.rejected or len(year_text) == 4:
            ambiguous = day <= 12 and month <= 12 and day != month
            return parsed if not ambiguous else parsed._replace(ambiguous=True)
        parsed = parsed._replace(fmt=fmt + "2")
        return parsed._replace(ambiguous=day <= 12 and month <= 12 and day != month)

    def _build(self, year: int, month: int, day: int, fmt: str) -> Parsed:
        try:
            found = dt.date(year, month, day)
        except ValueError:
            return reject("date.invalid", "not a real calendar date", fmt=fmt)
        return self._checked(found, fmt)

    def _imprecise(self, year: int, month: int) -> Parsed:
        if not 1 <= month <= 12:
            return reject("date.invalid", "not a real calendar date")
        parsed = self._checked(dt.date(year, month, 1), "month")
        if parsed.rejected:
            return parsed
        warning = note(
            "date.imprecise",
            "month and year only: read as the 1st of the month (the earliest day, so nothing "
            "is judged current for longer than it can have been)",
        )
        return parsed._replace(notes=(warning,))

    def _checked(self, found: dt.date, fmt: str) -> Parsed:
        if not _EARLIEST <= found <= _LATEST:
            return reject("date.implausible", "a date before 1900 or after 2100", fmt=fmt)
        return Parsed(value=found, fmt=fmt)
