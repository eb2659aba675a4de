"""Finding a sheet's header row and deciding what each column means.

* The header row is the row, among the first 30, under which most cells are recognised (title
  rows such as "Single Central Record - St Mary's" above it are skipped); a mapping may name it.
* A row of group headings above it ("DBS" over "Number | Date | Checked by", merged cells in
  Excel) is joined to the headings below, so "Date" under "DBS" reads as "DBS date".
* Generic headings take their meaning from the column before: "Checked by" after "Barred list
  check" is who checked the barred list.
* A mapping file's columns win over the built-in synonyms; headers that mean nothing are reported.
* Two columns for one check ("ID checked (Y/N)" and "Date ID checked") are both read, and merged
  row by row; any other second column for a field is reported, not read.
* A hidden column never wins over a visible one for the same field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from safeguard_std.importers._fields import (
    FIELDS,
    NOT_MODELLED,
    Kind,
    by_field_of,
    date_field_of,
    group_of,
)
from safeguard_std.importers._mapping import ColumnRule, ScrMapping
from safeguard_std.importers._result import ColumnReport, ColumnStatus, column_letter
from safeguard_std.importers._synonyms import POSITIONAL, SYNONYMS, Synonym, header_key
from safeguard_std.importers._values import cell_text

__all__ = ["Column", "HeaderPlan", "find_header", "plan_columns", "score_row"]

_SEARCH_ROWS = 30
_NAME_FIELDS = {"person.full_name", "person.first_name", "person.last_name"}


@attrs.frozen
class Column:
    """A column with a meaning."""

    index: int
    letter: str
    header: str
    field: str
    implies: tuple[tuple[str, str], ...] = ()
    date_order: str | None = None


@attrs.frozen
class HeaderPlan:
    """How a sheet's columns are read."""

    header_row: int
    group_row: int | None
    columns: tuple[Column, ...]
    report: tuple[ColumnReport, ...]
    header_cells: tuple[object, ...]

    @property
    def fields(self) -> frozenset[str]:
        """Fields some column gives."""
        return frozenset(c.field for c in self.columns)


def _lookup(key: str, mapping: ScrMapping) -> tuple[ColumnRule | Synonym | None, str]:
    rule = mapping.columns.get(key)
    if rule is not None:
        return rule, "mapping"
    if mapping.use_default_synonyms:
        synonym = SYNONYMS.get(key)
        if synonym is not None:
            return synonym, "synonym"
    return None, ""


def _read_header(text: str, mapping: ScrMapping) -> tuple[ColumnRule | Synonym | None, str]:
    """A header's meaning; "Role / Job Title" and "Job Title / Role" mean what each of their
    parts means, when the parts agree."""
    key = header_key(text)
    found = _lookup(key, mapping)
    if found[0] is not None:
        return found
    dated = _date_of_check(key, mapping)
    if dated[0] is not None:
        return dated
    if "/" not in text:
        return found
    parts = [_lookup(header_key(p), mapping) for p in text.split("/") if p.strip()]
    rules = {rule for rule, _how in parts}
    if len(parts) > 1 and len(rules) == 1 and None not in rules:
        return parts[0]
    return found


_DATE_WORDS = re.compile(r"^(?:date of |date )|(?: date(?: checked| completed| received)?)$")


def _date_of_check(key: str, mapping: ScrMapping) -> tuple[ColumnRule | Synonym | None, str]:
    """ "Prohibition check date", "Date of overseas check": the date of a check whose flag
    header is known (a check column reads a date or a mark alike)."""
    rest = _DATE_WORDS.sub("", key).strip()
    if rest == key or not rest:
        return None, ""
    rule, how = _lookup(rest, mapping)
    if rule is None or rule.field not in FIELDS or FIELDS[rule.field].kind is not Kind.CHECK:
        return None, ""
    return rule, how


def score_row(row: Sequence[object], mapping: ScrMapping) -> int:
    """How many cells of ``row`` read as known headers (0 when none names a person)."""
    found = set()
    for cell in row:
        if cell is None or isinstance(cell, bool):
            continue
        rule, _how = _read_header(cell_text(cell), mapping)
        if rule is not None:
            found.add(rule.field)
    if not found & _NAME_FIELDS:
        return 0
    return len(found)


def find_header(rows: Sequence[tuple[int, Sequence[object]]], mapping: ScrMapping) -> int | None:
    """The row number of the header among the first rows, or ``None`` when no row has at least
    a name column and one other recognised column."""
    best, best_score = None, 1
    for number, row in rows[:_SEARCH_ROWS]:
        score = score_row(row, mapping)
        if score > best_score:
            best, best_score = number, score
    return best


def _texts(row: Sequence[object], width: int) -> list[str]:
    cells = [cell_text(c) if c is not None else "" for c in row]
    return cells + [""] * (width - len(cells))


def _filled(group: list[str]) -> list[str]:
    out, current = [], ""
    for text in group:
        current = text or current
        out.append(current)
    return out


def _group_row_helps(group: list[str], subs: list[str], mapping: ScrMapping) -> bool:
    filled = _filled(group)
    for top, sub in zip(filled, subs, strict=True):
        if top and sub:
            combined, _ = _lookup(header_key(f"{top} {sub}"), mapping)
            alone, _ = _lookup(header_key(sub), mapping)
            if combined is not None and (alone is None or header_key(sub) in POSITIONAL):
                return True
    return False


@attrs.define
class _Planner:
    mapping: ScrMapping
    hidden: frozenset[int] = frozenset()
    columns: list[Column] = attrs.field(factory=list)
    report: list[ColumnReport] = attrs.field(factory=list)
    taken: dict[str, str] = attrs.field(factory=dict)
    previous: str | None = None

    def _hide(self, letter: str, header: str, field: str, how: str, by: str) -> None:
        reason = f"column {by} gives {field}"
        self.report.append(ColumnReport(letter, header, ColumnStatus.HIDDEN, field, how, reason))

    def _unseat_hidden(self, field: str, letter: str) -> None:
        """A visible column for a field a hidden column took: the hidden one steps aside."""
        old = self.taken.pop(field)
        self.columns = [c for c in self.columns if c.letter != old]
        for i, rep in enumerate(self.report):
            if rep.letter == old:
                self.report[i] = attrs.evolve(
                    rep, status=ColumnStatus.HIDDEN, reason=f"column {letter} gives {field}"
                )

    def add(self, index: int, header: str, rule: ColumnRule | Synonym | None, how: str) -> None:
        letter = column_letter(index)
        if rule is None:
            self.report.append(ColumnReport(letter, header, ColumnStatus.UNMAPPED))
            return
        field = rule.field
        if field == "ignore":
            self.report.append(
                ColumnReport(letter, header, ColumnStatus.IGNORED, field, how, "not imported")
            )
            return
        if field in NOT_MODELLED:
            self.report.append(
                ColumnReport(
                    letter, header, ColumnStatus.NOT_MODELLED, field, how, NOT_MODELLED[field]
                )
            )
            return
        hidden = index in self.hidden
        if field in self.taken and not FIELDS[field].joins:
            first = self.taken[field]
            if hidden:
                self._hide(letter, header, field, how, first)
                return
            if _index(first) in self.hidden:
                self._unseat_hidden(field, letter)
            elif FIELDS[field].kind is Kind.CHECK:
                # A flag column and a date column for one check: both are read, row by row.
                how = f"{how}, read with column {first}"
            else:
                reason = f"column {first} already gives {field}"
                self.report.append(
                    ColumnReport(letter, header, ColumnStatus.DUPLICATE, field, how, reason)
                )
                return
        self.taken.setdefault(field, letter)
        order = rule.date_order if isinstance(rule, ColumnRule) else None
        self.columns.append(Column(index, letter, header, field, rule.implies, order))
        self.report.append(ColumnReport(letter, header, ColumnStatus.MAPPED, field, how))
        self.previous = field

    def positional(self, key: str) -> str | None:
        meaning = POSITIONAL.get(key)
        if meaning is None or self.previous is None:
            return None
        group = self.previous.rsplit(".", 1)[0]
        if meaning == "by":
            return by_field_of(self.previous)
        if meaning == "date":
            target = date_field_of(self.previous)
            return target if target != self.previous else None
        if meaning in ("provider", "recognised") and group.startswith("training."):
            return f"{group}.{meaning}"
        if meaning == "number" and group == "dbs":
            return "dbs.certificate_number"
        if meaning == "level" and group == "dbs":
            return "dbs.level"
        return None


def _index(letter: str) -> int:
    value = 0
    for ch in letter:
        value = value * 26 + ord(ch) - 64
    return value - 1


def plan_columns(
    header: Sequence[object],
    group: Sequence[object] | None,
    mapping: ScrMapping,
    hidden: frozenset[int] = frozenset(),
) -> tuple[list[Column], list[ColumnReport]]:
    """Decide every column's meaning from the header row (and the group row above it);
    ``hidden`` holds the indexes of hidden columns."""
    width = max(len(header), len(group or ()))
    subs = _texts(header, width)
    tops = _spans(_texts(group, width), subs, mapping) if group is not None else [""] * width
    planner = _Planner(mapping, hidden)
    for index, (top, sub) in enumerate(zip(tops, subs, strict=True)):
        if not sub and not top:
            continue
        for text in ([f"{top} {sub}"] if top and sub else []) + [sub]:
            if not text:
                continue
            rule, how = _read_header(text, mapping)
            if rule is not None:
                planner.add(index, text, rule, how if text == sub else f"{how}, grouped header")
                break
            target = planner.positional(header_key(text))
            if target is not None:
                planner.add(index, text, Synonym(target), "the column before")
                break
        else:
            rule, how = _lookup(header_key(top), mapping) if top and not sub else (None, "")
            planner.add(index, sub or top, rule, how)
    return planner.columns, planner.report


def _spans(group: list[str], subs: list[str], mapping: ScrMapping) -> list[str]:
    """Each column's group heading. A merged heading's cell holds text in its first column
    only; it spans the columns after it until the next heading, or until a column whose own
    heading means something that the group heading would not add to ("Workforce" after "DBS"
    stays in the group, "Notes" leaves it)."""
    out: list[str] = []
    current, record = "", None
    for top, sub in zip(group, subs, strict=True):
        if top:
            current, record = top, None
        if current and sub:
            joined, _ = _lookup(header_key(f"{current} {sub}"), mapping)
            alone, _ = _lookup(header_key(sub), mapping)
            if joined is not None:
                record = group_of(joined.field)
            elif alone is not None:
                if not top and record is not None and group_of(alone.field) != record:
                    current, record = "", None
                elif record is None:
                    record = group_of(alone.field)
        out.append(current)
    return out


def plan_sheet(
    rows: Sequence[tuple[int, Sequence[object]]],
    mapping: ScrMapping,
    header_row: int | None,
    hidden: frozenset[int] = frozenset(),
) -> HeaderPlan | None:
    """The plan for a sheet from its first rows, or ``None`` when no header row is found."""
    number = header_row if header_row is not None else find_header(rows, mapping)
    if number is None:
        return None
    by_number = dict(rows)
    header = by_number.get(number, ())
    above = by_number.get(number - 1)
    group_row = None
    if above is not None and any(c not in (None, "") for c in above):
        width = max(len(header), len(above))
        if _group_row_helps(_texts(above, width), _texts(header, width), mapping):
            group_row = number - 1
    group = by_number[group_row] if group_row else None
    columns, report = plan_columns(header, group, mapping, hidden)
    return HeaderPlan(number, group_row, tuple(columns), tuple(report), tuple(header))


__all__ += ["plan_sheet"]
