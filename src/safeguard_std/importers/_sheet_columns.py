"""What a sheet's columns say once every row is read: columns that mix date formats (and the
ambiguous dates in them), columns not imported and why, Excel date numbers, and the sheet's
report of its columns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from safeguard_std.importers._dates import FORMAT_NAMES
from safeguard_std.importers._fields import FIELDS
from safeguard_std.importers._headers import HeaderPlan
from safeguard_std.importers._parsed import Severity
from safeguard_std.importers._result import (
    ColumnReport,
    ColumnStatus,
    Issue,
    SheetReport,
    column_letter,
)
from safeguard_std.importers._rows import Cell, RowContext
from safeguard_std.importers._sheet_row import SheetRow
from safeguard_std.importers._values import Reader

if TYPE_CHECKING:
    from safeguard_std.importers._sheet import SheetRun

__all__ = ["column_notes", "mixed_formats", "sheet_report"]


def mixed_formats(run: SheetRun, plan: HeaderPlan, readers: Mapping[str, Reader]) -> None:
    """Flag each column that mixes date formats, and in it the dates that could be read
    either way round."""
    for letter, formats in sorted(run.formats.items()):
        # Written months ("3 Sept 2023") and month-year dates cannot be misread, so they
        # never make a column suspect; numbers in two orders, or typed text beside dates
        # a spreadsheet converted (a locale mix-up), do.
        families = {f: n for f, n in formats.items() if f not in ("month", "text")}
        found: Sequence[int] = run.ambiguous.get(letter) or ()
        if len(families) < 2:
            continue
        listed = ", ".join(f"{FORMAT_NAMES.get(f, f)} ({n})" for f, n in sorted(families.items()))
        if found:
            severity = Severity.WARNING
            tail = (
                f"{len(found)} dates that could be read either way round were read the UK "
                "way (day/month) and are flagged"
            )
        else:
            severity = Severity.NOTE
            tail = "no date in it could be read either way round"
        run.issues.append(
            Issue(
                severity,
                "column.mixed_date_formats",
                f"the column mixes date formats: {listed}; {tail}",
                sheet=run.name,
                column=letter,
                header=run.headers.get(letter),
            )
        )
        for record, cell in _cells_again(run, plan, readers, letter, found):
            personal = FIELDS[cell.column.field].personal
            shown = "" if personal else f", as {cell.parsed.value.isoformat()}"
            record.issue(
                Severity.WARNING,
                "date.ambiguous",
                "day and month could be either way round, in a column that mixes date "
                f"formats: read the UK way (day/month){shown}",
                cell,
            )


def _cells_again(
    run: SheetRun,
    plan: HeaderPlan,
    readers: Mapping[str, Reader],
    letter: str,
    numbers: Sequence[int],
) -> list[tuple[SheetRow, Cell]]:
    """The cells at ``numbers`` in column ``letter``, read again from the sheet (rare: only
    for a column that mixes date formats), with their rows."""
    column = next(c for c in plan.columns if c.letter == letter)
    wanted = set(numbers)
    records = run.rows.numbered(wanted)
    out = []
    for number, row in run.sheet.rows():
        record = records.get(number)
        if record is not None and column.index < len(row):
            raw = row[column.index]
            out.append((record, Cell(column, raw, readers[letter](raw))))
    return out


def column_notes(run: SheetRun, plan: HeaderPlan, width: int) -> None:
    """Say what became of each column not imported (or imported though hidden), of filled
    cells under no header, and of Excel date numbers read in the 1900 date system."""
    for report in plan.report:
        _status_note(run, report)
    _headerless(run, plan, width)
    _excel_serials(run, plan)


def _status_note(run: SheetRun, report: ColumnReport) -> None:
    index = _index(report.letter)
    filled = run.filled.get(index, 0)
    if report.status is ColumnStatus.UNMAPPED:
        severity = Severity.WARNING if filled else Severity.NOTE
        run.sheet_issue(
            severity,
            "column.unmapped",
            f"header not recognised: {filled} filled cells not imported (map it with "
            "--mapping, or map it to 'ignore')",
            report,
        )
    elif report.status is ColumnStatus.DUPLICATE and filled:
        run.sheet_issue(
            Severity.WARNING,
            "column.duplicate",
            f"{report.reason}: {filled} filled cells in this column not imported",
            report,
        )
    elif report.status is ColumnStatus.NOT_MODELLED and filled:
        run.sheet_issue(
            Severity.NOTE,
            "column.not_modelled",
            f"{filled} filled cells not imported: {report.reason}",
            report,
        )
    elif report.status is ColumnStatus.HIDDEN and filled:
        run.sheet_issue(
            Severity.WARNING,
            "column.hidden",
            f"a hidden column with {filled} filled cells: not imported, as "
            f"{report.reason} (unhide it and remove one of the two if it matters)",
            report,
        )
    elif (
        report.status is ColumnStatus.MAPPED
        and index in run.meta.hidden_columns
        and run.used.get(report.letter, 0)
    ):
        run.sheet_issue(
            Severity.NOTE,
            "column.hidden_imported",
            f"a hidden column: imported, as no visible column gives {report.field}",
            report,
        )
    elif report.status is ColumnStatus.IGNORED and filled:
        run.sheet_issue(Severity.NOTE, "column.ignored", f"{filled} filled cells ignored", report)


def _headerless(run: SheetRun, plan: HeaderPlan, width: int) -> None:
    mapped_letters = {c.letter for c in plan.report}
    for index in range(width):
        letter = column_letter(index)
        if letter not in mapped_letters and run.filled.get(index, 0):
            run.issues.append(
                Issue(
                    Severity.WARNING,
                    "column.no_header",
                    f"{run.filled[index]} filled cells under no header: not imported",
                    sheet=run.name,
                    column=letter,
                )
            )


def _excel_serials(run: SheetRun, plan: HeaderPlan) -> None:
    for column in plan.columns:
        counts = run.formats.get(column.letter, Counter())
        if counts.get("serial") and run.sheet.epoch is None:
            run.sheet_issue(
                Severity.WARNING,
                "column.excel_serials",
                f"{counts['serial']} cells are Excel date numbers, read in Excel's 1900 "
                "date system (from a workbook saved in the 1904 system they would be 4 "
                "years and a day later)",
                column,
            )


def sheet_report(run: SheetRun, plan: HeaderPlan, ctx: RowContext) -> SheetReport:
    """The sheet's report: its columns with their counts, its rows and its issues."""
    columns = []
    for report in plan.report:
        if report.status is ColumnStatus.MAPPED:
            filled = run.used.get(report.letter, 0)
        else:
            filled = run.filled.get(_index(report.letter), 0)
        problems = run.problems.get(report.letter, 0)
        columns.append(attrs.evolve(report, filled=filled, problems=problems))
    # Row counts are filled in by _recount, once cross-row checks have added their issues.
    return SheetReport(
        name=run.name,
        imported=True,
        header_row=plan.header_row,
        group_row=plan.group_row,
        role_type=ctx.sheet_role.value if ctx.sheet_role else None,
        columns=tuple(columns),
        rows_read=len(run.rows),
        blank_rows=run.blank,
        heading_rows=run.headings,
        repeated_header_rows=run.repeated,
        issues=tuple(run.issues),
    )


def _index(letter: str) -> int:
    value = 0
    for ch in letter:
        value = value * 26 + ord(ch) - 64
    return value - 1
