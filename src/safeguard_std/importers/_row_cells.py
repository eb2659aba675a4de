"""What a row is made of: cells and values with their origins, the sheet's context (which
records its columns can give), and the id a row's person gets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import attrs

from safeguard_std.domain.people import (
    RiskAssessmentKind,
    RoleType,
    SuitabilityCheckKind,
    TrainingCourse,
)
from safeguard_std.importers._fields import FIELDS, date_field_of, group_of
from safeguard_std.importers._headers import Column
from safeguard_std.importers._parsed import Mark, Parsed, Severity
from safeguard_std.importers._result import Issue, Origin, raw_text

__all__ = [
    "ENGAGEMENT_OPTIONS",
    "ID_CHARS",
    "Cell",
    "RowContext",
    "Value",
    "can_pend",
    "row_id",
    "sheet_records",
]

# Enum iteration is slow and these loops run for every row: iterate tuples built once.
_SUITABILITY = tuple((k, f"check.{k.value}") for k in SuitabilityCheckKind)
_COURSES = tuple((c, f"training.{c.value}") for c in TrainingCourse)
_RISKS = tuple((k, f"risk_assessment.{k.value}") for k in RiskAssessmentKind)
ENGAGEMENT_OPTIONS = tuple(
    (name, f"engagement.{name}")
    for name in (
        "regular_contact",
        "supervised",
        "management_role",
        "teaching_role",
        "job_title",
        "agency_name",
    )
)
ID_CHARS = re.compile(r"[^A-Za-z0-9._:-]+")


def cell_issue(
    severity: Severity, code: str, message: str, *, sheet: str | None, row: int, cell: Cell
) -> Issue:
    """An issue located at ``cell`` of ``row``: its column, header, field and raw text, marked
    personal when the column's field is personal data (the issue then withholds it unless
    asked; values that look personal are withheld wherever they are)."""
    column = cell.column
    spec = FIELDS.get(column.field)
    return Issue(
        severity,
        code,
        message,
        sheet=sheet,
        row=row,
        column=column.letter,
        header=column.header,
        field=column.field,
        raw=cell.text,
        personal=bool(spec and spec.personal),
    )


class Cell(NamedTuple):
    """A non-blank cell: its column, raw value and how it read."""

    column: Column
    raw: object
    parsed: Parsed

    @property
    def text(self) -> str:
        """The raw value as text."""
        return raw_text(self.raw)


class Value(NamedTuple):
    """A value for a field and where it came from: a cell typed on the row (``cell``, ``row``
    and ``sheet``), or an ``origin`` (a header, a sheet name, a default). Origins of cells are
    built only when provenance is written: a record has tens of thousands of them."""

    value: Any
    mark: Mark | None
    origin: Origin | None = None
    cell: Cell | None = None
    row: int = 0
    sheet: str | None = None

    def to_origin(self) -> Origin:
        """Where the value came from."""
        if self.origin is not None:
            return self.origin
        cell = self.cell
        assert cell is not None
        return Origin(
            "cell",
            raw=cell.text,
            sheet=self.sheet,
            cell=f"{cell.column.letter}{self.row}",
            header=cell.column.header,
        )


@attrs.frozen
class RowContext:
    """What every row of a sheet shares."""

    sheet: str | None
    sheet_slug: str
    as_of: dt.date | None
    defaults: Mapping[str, Value]
    implied: Mapping[str, Value]
    sheet_role: Value | None
    board_role: RoleType
    columns: frozenset[str]
    available: frozenset[str] = frozenset()
    dated: tuple[str, ...] = ()
    events: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    fallback: Mapping[str, Value] = attrs.field(factory=dict)
    suitability: tuple[tuple[SuitabilityCheckKind, str], ...] = ()
    courses: tuple[tuple[TrainingCourse, str], ...] = ()
    risks: tuple[tuple[RiskAssessmentKind, str], ...] = ()

    def has(self, *fields: str) -> bool:
        """Whether any of ``fields`` can have a value on this sheet (a column, an implied
        value or a default): records no column can fill are not looked for, row after row."""
        return not self.available.isdisjoint(fields)


def sheet_records(
    available: frozenset[str],
) -> tuple[
    tuple[tuple[SuitabilityCheckKind, str], ...],
    tuple[tuple[TrainingCourse, str], ...],
    tuple[tuple[RiskAssessmentKind, str], ...],
]:
    """The further checks, courses and risk assessments some column or default can give on a
    sheet: worked out once per sheet, so rows do not look for records nothing can fill."""

    def has(*fields: str) -> bool:
        return not available.isdisjoint(fields)

    return (
        tuple(
            (k, b)
            for k, b in _SUITABILITY
            if has(f"{b}.checked_on", f"{b}.checked_by", f"{b}.satisfactory")
        ),
        tuple((c, b) for c, b in _COURSES if has(f"{b}.completed_on")),
        tuple((k, b) for k, b in _RISKS if has(f"{b}.completed_on")),
    )


_PENDING_RECORDS = ("identity", "right_to_work", "qualifications", "dbs", "check.", "reference")


def can_pend(field: str) -> bool:
    """Whether a pending mark in ``field`` makes a pending record: the record's main date of a
    check or reference (the evidence model's pending checks); training, risk assessments and
    the like have no pending form."""
    return date_field_of(field) == field and group_of(field).startswith(_PENDING_RECORDS)


def row_id(ctx: RowContext, row: int) -> str:
    return f"p-{ctx.sheet_slug}-r{row}" if ctx.sheet_slug else f"p-r{row}"
