"""import_scr on the defects real single central records carry (issue 18): cells that once
crashed it, a tick column beside a date column, "No" meaning no record, what a row is missing,
the headers people write, hidden columns, and groups reported once."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest

from safeguard_std.domain.people import CheckStatus, DbsLevel
from safeguard_std.importers import ColumnStatus, ImportResult, RowStatus, import_scr
from tests.conftest import AS_OF

PROVIDER: dict[str, Any] = {
    "provider": {"id": "prov", "name": "Test Trust", "kind": "youth", "legal_form": "sole_trader"}
}


def csv_import(text: str, **kw: Any) -> ImportResult:
    kw.setdefault("provider", PROVIDER)
    kw.setdefault("as_of", AS_OF)
    return import_scr(text.encode("utf-8"), name="scr.csv", **kw)


def codes(result: ImportResult) -> list[str]:
    return [i.code for i in result.all_issues()]


def row_messages(result: ImportResult, index: int = 0) -> list[str]:
    return [str(i) for i in result.rows[index].issues]


# -- 1. never crash ----------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["N/A", "TBC", "-", "awaited", "unknown", "?"])
def test_a_mark_in_the_date_of_birth_is_reported_not_a_crash(cell: str) -> None:
    result = csv_import(
        f"Name,Date of Birth,Staff Type,Start Date\nAnn Smith,{cell},Staff,01/09/2020\n"
    )
    (person,) = result.bundle.people
    assert person.date_of_birth is None
    issues = [i for i in result.rows[0].issues if i.field == "person.date_of_birth"]
    assert issues, row_messages(result)
    assert all(i.column == "B" and i.row == 2 for i in issues)


# -- 2. a tick column and a date column for one check ------------------------------------------


def test_a_tick_column_and_a_date_column_are_merged() -> None:
    result = csv_import(
        "Name,Staff type,Start date,ID Checked (Y/N),Date ID Checked\n"
        "Ann Smith,Staff,01/09/2020,Y,20/08/2020\n"
        "Bob Jones,Staff,01/09/2020,Y,\n"
    )
    columns = {c.letter: c for c in result.sheets[0].columns}
    assert columns["D"].status is ColumnStatus.MAPPED
    assert columns["E"].status is ColumnStatus.MAPPED
    assert columns["E"].field == "identity.checked_on"
    ann, bob = result.bundle.people
    assert ann.identity_check is not None
    assert ann.identity_check.checked_on == dt.date(2020, 8, 20)
    assert "column.duplicate" not in codes(result)
    assert bob.identity_check is not None
    assert bob.identity_check.checked_on is None
    assert "check.undated" in [i.code for i in result.rows[1].issues]


def test_a_no_beside_a_date_is_a_conflict_reported_on_the_row() -> None:
    result = csv_import(
        "Name,Staff type,Start date,ID Checked (Y/N),Date ID Checked\n"
        "Ann Smith,Staff,01/09/2020,N,20/08/2020\n"
    )
    (ann,) = result.bundle.people
    assert ann.identity_check is None
    (conflict,) = [i for i in result.rows[0].issues if i.code == "check.conflict"]
    assert conflict.row == 2
    assert str(conflict) == (
        "row 2: 'ID Checked (Y/N)' says not done but 'Date ID Checked' gives a date: the "
        "record contradicts itself, so no identity check is imported (correct one of the "
        "two cells)"
    )


def test_two_different_dates_for_one_check_are_a_conflict_and_neither_date_is_used() -> None:
    result = csv_import(
        "Name,Staff type,Start date,DBS level,DBS date,Date of DBS\n"
        "Ann Smith,Staff,01/09/2020,Enhanced,20/08/2020,21/08/2020\n"
        "Bob Jones,Staff,01/09/2020,Enhanced,20/08/2020,20/08/2020\n"
    )
    ann, bob = result.bundle.people
    assert ann.dbs_checks[0].issued_on is None
    assert [i.code for i in result.rows[0].issues].count("check.conflict") == 1
    assert bob.dbs_checks[0].issued_on == dt.date(2020, 8, 20)
    assert "check.conflict" not in [i.code for i in result.rows[1].issues]


# -- 3. "No" means no record -------------------------------------------------------------------


def test_a_no_never_makes_a_record_whatever_other_columns_say() -> None:
    result = csv_import(
        "Name,Staff type,Start date,Right to work,Checked by,Barred list check,Checked by\n"
        "Ann Smith,Staff,01/09/2020,N,HR,N,HR\n"
        "Bob Jones,Staff,01/09/2020,Y,HR,Y,HR\n"
    )
    ann, bob = result.bundle.people
    assert ann.right_to_work is None
    assert ann.suitability_checks == ()
    assert bob.right_to_work is not None
    assert bob.suitability_checks
    not_done = [i for i in result.rows[0].issues if i.code == "check.not_done"]
    assert [i.column for i in not_done] == ["D", "F"]
    assert str(not_done[0]) == (
        "D2 'Right to work': marked not done: no right-to-work check is imported, and the "
        "other cells of that check on the row are not used (got 'N')"
    )
    assert "cell.not_imported" not in codes(result)


# -- 5. what a row is missing ------------------------------------------------------------------


def test_a_blank_date_of_birth_is_said() -> None:
    result = csv_import(
        "Name,Date of birth,Staff type,Start date\n"
        "Ann Smith,,Staff,01/09/2020\n"
        "Bob Jones,01/02/1980,Staff,01/09/2020\n"
    )
    assert "person.no_date_of_birth" in [i.code for i in result.rows[0].issues]
    assert "person.no_date_of_birth" not in [i.code for i in result.rows[1].issues]
    (issue,) = [i for i in result.rows[0].issues if i.code == "person.no_date_of_birth"]
    assert str(issue) == (
        "row 2: no date of birth: it is needed to tell two people of the same name apart and "
        "to judge checks that depend on age"
    )


def test_a_start_after_as_of_is_kept_as_not_yet_started() -> None:
    result = csv_import(
        "Name,Staff type,Start date\nAnn Smith,Staff,01/01/2027\n", as_of=dt.date(2026, 11, 23)
    )
    (ann,) = result.bundle.people
    assert ann.engagements[0].start_on == dt.date(2027, 1, 1)
    (issue,) = [i for i in result.rows[0].issues if i.code == "engagement.not_yet_started"]
    assert str(issue) == (
        "C2 'Start date': not yet started: the start date is after the as-of date "
        "(2026-11-23); the person is kept and judged once they start (got '01/01/2027')"
    )


def test_headers_but_no_people_is_said() -> None:
    result = csv_import("Name,Staff type,Start date,DBS date\n,,,\n")
    assert result.summary.rows_read == 0
    (issue,) = [i for i in result.issues if i.code == "record.no_people"]
    assert str(issue) == ("the file has a header row but no people under it: nothing was imported")


def _xlsx(rows: list[list[Any]], hidden: str = "") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Staff"
    for row in rows:
        sheet.append(row)
    for letter in hidden:
        sheet.column_dimensions[letter].hidden = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_formula_with_no_saved_value_is_said_in_the_columns_words() -> None:
    data = _xlsx(
        [
            ["Name", "Staff type", "Start date", "DBS level", "DBS date"],
            ["Ann Smith", "Staff", dt.date(2020, 9, 1), "Enhanced", "=TODAY()-30"],
        ]
    )
    result = import_scr(data, name="scr.xlsx", provider=PROVIDER, as_of=AS_OF)
    (issue,) = [i for i in result.rows[0].issues if i.code == "cell.formula_no_value"]
    assert str(issue) == (
        "Staff!E2 'DBS date': a formula whose value was never saved (the workbook was written "
        "by a program that does not calculate): no DBS date is read from it; open and save the "
        "file in Excel, or type the value"
    )
    assert result.rows[0].status is RowStatus.IMPORTED_WITH_WARNINGS


# -- 7. hidden columns -------------------------------------------------------------------------


def test_a_visible_column_wins_over_a_hidden_one_and_the_hidden_one_is_reported() -> None:
    data = _xlsx(
        [
            ["Name", "Staff type", "Start date", "DBS level", "Date of DBS", "DBS Date"],
            ["Ann Smith", "Staff", "01/09/2020", "Enhanced", "01/01/2019", "20/08/2020"],
        ],
        hidden="E",
    )
    result = import_scr(data, name="scr.xlsx", provider=PROVIDER, as_of=AS_OF)
    (ann,) = result.bundle.people
    assert ann.dbs_checks[0].issued_on == dt.date(2020, 8, 20)
    columns = {c.letter: c for c in result.sheets[0].columns}
    assert columns["F"].status is ColumnStatus.MAPPED
    assert columns["E"].status is ColumnStatus.HIDDEN
    (issue,) = [i for i in result.sheets[0].issues if i.code == "column.hidden"]
    assert str(issue) == (
        "Staff column E 'Date of DBS': a hidden column with 1 filled cells: not imported, as "
        "column F gives dbs.issued_on (unhide it and remove one of the two if it matters)"
    )


# -- 4. pending is pending ---------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["TBC", "awaited", "applied", "Applied for"])
def test_a_pending_dbs_date_gives_a_pending_check_never_a_certificate(cell: str) -> None:
    result = csv_import(
        "Name,Staff type,Start date,DBS level,DBS date,DBS result\n"
        f"Ann Smith,Staff,01/09/2020,Enhanced,{cell},Clear\n"
    )
    (ann,) = result.bundle.people
    (dbs,) = ann.dbs_checks
    assert dbs.status is CheckStatus.PENDING
    assert (dbs.issued_on, dbs.seen_on, dbs.disclosure) == (None, None, None)
    assert dbs.level is DbsLevel.ENHANCED
    messages = row_messages(result)
    assert (
        f"E2 'DBS date': pending (applied for, not yet done): recorded as a pending DBS "
        f"certificate, never a completed one (got {cell!r})" in messages
    )
    assert (
        "F2 'DBS result': the DBS certificate is pending, so a result cannot be recorded for "
        "it yet: not imported (got 'Clear')" in messages
    )


def test_pending_other_checks_and_references_are_pending_records() -> None:
    result = csv_import(
        "Name,Staff type,Start date,Right to work,Checked by,Barred list check,Reference 1\n"
        "Ann Smith,Staff,01/09/2020,TBC,HR,awaited,requested\n"
    )
    (ann,) = result.bundle.people
    assert ann.right_to_work is not None
    assert ann.right_to_work.status is CheckStatus.PENDING
    assert ann.right_to_work.checked_by == "HR"
    (barred,) = ann.suitability_checks
    assert (barred.status, barred.checked_on) == (CheckStatus.PENDING, None)
    (reference,) = ann.references
    assert (reference.status, reference.received_on) == (CheckStatus.PENDING, None)
    assert "check.undated" not in codes(result)


def test_a_pending_mark_beside_a_date_is_a_conflict_and_stays_pending() -> None:
    result = csv_import(
        "Name,Staff type,Start date,ID Checked (Y/N),Date ID Checked\n"
        "Ann Smith,Staff,01/09/2020,TBC,20/08/2020\n"
    )
    (ann,) = result.bundle.people
    assert ann.identity_check is not None
    assert ann.identity_check.status is CheckStatus.PENDING
    assert ann.identity_check.checked_on is None
    (conflict,) = [i for i in result.rows[0].issues if i.code == "check.conflict"]
    assert str(conflict) == (
        "row 2: 'ID Checked (Y/N)' says pending but 'Date ID Checked' gives a date: the "
        "record contradicts itself, so the identity check is recorded as pending, not done "
        "(correct one of the two cells)"
    )


# -- 8. linear cost: a group is reported with its size and a few members -----------------------


def _word(i: int) -> str:
    """A name-like word for a number (names may not hold digits)."""
    return "".join(chr(97 + int(d)) for d in f"{i:04d}").capitalize()


def test_a_certificate_shared_by_many_is_reported_with_a_few_members_and_the_count() -> None:
    rows = "".join(
        f"S{i:04d},{_word(i)} Smith,Staff,01/09/2020,Enhanced,123456789012,01/08/2020\n"
        for i in range(300)
    )
    result = csv_import(
        "Staff number,Name,Staff type,Start date,DBS level,DBS number,DBS date\n" + rows
    )
    shared = [i for r in result.rows for i in r.issues if i.code == "dbs.shared_certificate"]
    assert len(shared) == 300  # every holder's row is flagged...
    # ...with a short reference to the group, not its members
    assert {i.message for i in shared} == {
        "the same certificate number is recorded for 299 other people (group g1, listed once "
        "in the import report): a certificate belongs to one person"
    }
    assert {i.group for i in shared} == {"g1"}
    # The group itself is reported once: its size, three members and how many more.
    (group,) = result.groups
    assert str(group) == (
        "group g1: one certificate number is recorded for 300 people: row 2 (p-S0000), "
        "row 3 (p-S0001), row 4 (p-S0002) and 297 more: a certificate belongs to one person"
    )
    data = result.report_data()
    assert data["groups"] == [
        {
            "id": "g1",
            "severity": "warning",
            "code": "dbs.shared_certificate",
            "size": 300,
            "members": [
                {"row": 2, "person_id": "p-S0000"},
                {"row": 3, "person_id": "p-S0001"},
                {"row": 4, "person_id": "p-S0002"},
            ],
            "more": 297,
            "message": group.message,
        }
    ]
    assert data["rows"][5]["issues"][-1]["group"] == "g1"


def test_duplicates_in_a_large_group_are_reported_with_a_few_members_and_the_count() -> None:
    rows = "".join(f"S{i:04d},Ann Smith,01/02/1980,Staff,01/09/2020\n" for i in range(200))
    result = csv_import("Staff number,Name,Date of birth,Staff type,Start date\n" + rows)
    found = [i for r in result.rows for i in r.issues if i.code == "person.duplicate"]
    assert len(found) == 200
    assert found[-1].message == (
        "same name and date of birth as 199 other people (group g1, listed once in the import "
        "report)"
    )
    (group,) = result.groups
    assert (group.size, group.more, group.members) == (200, 197, ("p-S0000", "p-S0001", "p-S0002"))
    assert group.message == (
        "200 people have the same name and date of birth: row 2 (p-S0000), row 3 (p-S0001), "
        "row 4 (p-S0002) and 197 more"
    )
    assert not [i for r in result.rows for i in r.issues if i.code == "person.possible_duplicate"]


def test_a_row_id_inside_a_longer_one_is_not_rewritten() -> None:
    rows = "".join(
        f"S{i},{_word(i)} Smith,Staff,01/09/2020,Enhanced,123456789012\n" for i in (1, 10, 11)
    )
    result = csv_import("Staff number,Name,Staff type,Start date,DBS level,DBS number\n" + rows)
    messages = [
        i.message for r in result.rows for i in r.issues if i.code == "dbs.shared_certificate"
    ]
    assert messages[2] == (
        "the same certificate number is recorded for row 2 (p-S1), row 3 (p-S10): a "
        "certificate belongs to one person"
    )
    # A small group keeps naming the others on each row, and is listed once as well.
    (group,) = result.groups
    assert group.message == (
        "one certificate number is recorded for 3 people: row 2 (p-S1), row 3 (p-S10), "
        "row 4 (p-S11): a certificate belongs to one person"
    )
    assert [i.group for r in result.rows for i in r.issues if i.group] == ["g1"] * 3


def test_a_report_without_groups_has_no_groups_key() -> None:
    result = csv_import("Name,Staff type,Start date\nAnn Smith,Staff,01/09/2020\n")
    assert result.groups == ()
    assert "groups" not in result.report_data()


def test_a_hidden_column_no_visible_column_repeats_is_imported_with_a_note() -> None:
    data = _xlsx(
        [
            ["Name", "Staff type", "Start date", "DBS level", "DBS Date"],
            ["Ann Smith", "Staff", "01/09/2020", "Enhanced", "20/08/2020"],
        ],
        hidden="E",
    )
    result = import_scr(data, name="scr.xlsx", provider=PROVIDER, as_of=AS_OF)
    (ann,) = result.bundle.people
    assert ann.dbs_checks[0].issued_on == dt.date(2020, 8, 20)
    (issue,) = [i for i in result.sheets[0].issues if i.code == "column.hidden_imported"]
    assert str(issue) == (
        "Staff column E 'DBS Date': a hidden column: imported, as no visible column gives "
        "dbs.issued_on"
    )


def test_every_member_of_a_large_imported_group_stays_marked_in_findings() -> None:
    # Reporting a group once in the import report changes nothing in the evaluation: every
    # member's findings still say the record cannot be relied on, and none is met.
    from safeguard_std import evaluate
    from safeguard_std.domain.findings import Status
    from safeguard_std.packs import bundled_catalog

    rows = "".join(
        f"S{i},Ann Smith,01/02/1980,Staff,01/09/2020,Y,Enhanced,123456789012,01/08/2020\n"
        for i in range(1, 8)
    )
    result = csv_import(
        "Staff number,Name,Date of birth,Staff type,Start date,Regulated activity,DBS level,"
        "DBS number,DBS date\n" + rows
    )
    assert [(g.code, g.size) for g in result.groups] == [
        ("person.duplicate", 7),
        ("dbs.shared_certificate", 7),
    ]
    pack = bundled_catalog().resolve("dorset", as_of=AS_OF)
    assessment = evaluate(pack, result.bundle, as_of=AS_OF)
    for person in result.bundle.people:
        mine = [f for f in assessment.findings if f.subject.id == person.id]
        assert mine
        assert all(f.facts.get("record_integrity") for f in mine)
        assert not any(f.status is Status.MET for f in mine)
