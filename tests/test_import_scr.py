"""import_scr on small spreadsheets written in the tests: headers, mapping files, provider files,
sheets, encodings, personal data and provenance."""

from __future__ import annotations

import builtins
import datetime as dt
import gc
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from safeguard_std.domain.people import DbsLevel, RegulatedActivity, RoleType
from safeguard_std.exceptions import EvidenceError, MappingError, MissingExtra, SpreadsheetError
from safeguard_std.importers import (
    SYNONYMS,
    ColumnStatus,
    ImportResult,
    RowStatus,
    ScrMapping,
    header_key,
    import_scr,
    load_mapping,
)
from tests.conftest import AS_OF, FIXTURES

PROVIDER: dict[str, Any] = {
    "provider": {"id": "prov", "name": "Test Trust", "kind": "youth", "legal_form": "sole_trader"}
}


def csv_import(text: str, **kw: Any) -> ImportResult:
    kw.setdefault("provider", PROVIDER)
    kw.setdefault("as_of", AS_OF)
    return import_scr(text.encode("utf-8"), name="scr.csv", **kw)


def xlsx_bytes(sheets: dict[str, list[list[Any]]], hidden: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def messages(result: ImportResult) -> list[str]:
    return [str(i) for i in result.all_issues()]


# -- headers -----------------------------------------------------------------------------------

BRIEF_HEADERS = {
    "Date DBS checked": "dbs.issued_on",
    "DBS date": "dbs.issued_on",
    "Enhanced DBS date": "dbs.issued_on",
    "DBS Disclosure Number": "dbs.certificate_number",
    "DBS Certificate Number": "dbs.certificate_number",
    "Barred list check": "check.barred_list.checked_on",
    "List 99": "check.barred_list.checked_on",
    "Right to work": "right_to_work.checked_on",
    "ID checked by": "identity.checked_by",
    "Reference 1 received": "reference1.received_on",
    "Qualifications": "qualifications.checked_on",
    "Role": "engagement.job_title",
    "Entity Type": "engagement.role_type",
    "Associated agency": "engagement.agency_name",
    "Start date": "engagement.start_on",
    "Name": "person.full_name",
    "Date of Birth": "person.date_of_birth",
    "Identity": "identity.checked_on",
    "Teaching regulation agency checks": "check.prohibition_from_teaching.checked_on",
    "Section 128 barring direction check": "check.section_128.checked_on",
    "Proof of right to work in the UK": "right_to_work.checked_on",
    "Further checks for people who have lived or worked outside the UK": (
        "check.overseas.checked_on"
    ),
    "BAR Check": "check.barred_list.checked_on",
    "Barred Check": "check.barred_list.checked_on",
    "Are they on the DBS update service?": "update_service.subscribed",
    "Copy of enhanced DBS certificate supplied to school?": "dbs.copy_kept",
    "Payroll Number": "person.staff_number",
    "Job Title": "engagement.job_title",
    "Address": "person.address",
}


@pytest.mark.parametrize(("header", "field"), sorted(BRIEF_HEADERS.items()))
def test_published_headers_map_without_a_mapping_file(header: str, field: str) -> None:
    assert SYNONYMS[header_key(header)].field == field


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("  DBS   Date ", "dbs date"),
        ("D.O.B.", "d o b"),
        ("DOB", "date of birth"),
        ("Date of birth (dd/mm/yyyy)", "date of birth"),
        ("Supervised? (Y/N)", "supervised"),
        ("DBS No.", "dbs number"),
        ("DBS #", "dbs number"),
        ("Ref 1 recd", "reference 1 received"),
        ("Ref 1 rec'd", "reference 1 received"),
        ("S128", "section 128"),
        ("Children's Barred List", "children barred list"),
        ("Governors & Trustees", "governors and trustees"),
    ],
)
def test_header_keys_ignore_case_space_punctuation_and_hints(written: str, canonical: str) -> None:
    assert header_key(written) == canonical


def test_pvg_and_enhanced_headers_imply_values_for_the_record() -> None:
    assert SYNONYMS[header_key("PVG Membership No.")].implies == (("dbs.jurisdiction", "pvg"),)
    assert SYNONYMS[header_key("Enhanced DBS date")].implies == (("dbs.level", "enhanced"),)
    result = csv_import(
        "Name,Staff type,Start date,Enhanced DBS date,Regulated activity\n"
        "Alex Smith,Staff,01/09/2020,20/08/2020,Y\n"
    )
    (check,) = result.bundle.people[0].dbs_checks
    assert (check.level, check.issued_on) == (DbsLevel.ENHANCED, dt.date(2020, 8, 20))
    origins = result.provenance.origins(check.id)
    assert [o.to_data() for o in origins["level"]] == [
        {
            "source": "header",
            "raw": "enhanced",
            "header": "Enhanced DBS date",
            "detail": "implied by column D",
        }
    ]


def test_title_rows_are_skipped_and_unmapped_headers_reported() -> None:
    result = csv_import(
        "Single Central Record,,,\n"
        "Updated 1 Nov 2026,,,\n"
        "Name,Staff type,Start date,Favourite colour,Notes,Regulated activity\n"
        "Alex Smith,Staff,01/09/2020,Blue,hello,N\n"
        "Sam Jones,Staff,01/09/2021,,,N\n"
    )
    (sheet,) = result.sheets
    assert sheet.header_row == 3
    assert sheet.unmapped_headers == ("Favourite colour",)
    assert messages(result)[:2] == [
        "column D 'Favourite colour': header not recognised: 1 filled cells not imported (map it "
        "with --mapping, or map it to 'ignore')",
        "column E 'Notes': 1 filled cells ignored",
    ]
    assert {c.header: c.status for c in sheet.columns}["Notes"] is ColumnStatus.IGNORED


def test_a_file_with_no_recognisable_header_is_refused() -> None:
    with pytest.raises(SpreadsheetError) as info:
        csv_import("a,b,c\n1,2,3\n")
    assert str(info.value) == (
        "invalid spreadsheet: no sheet has a header row naming the person and at least one "
        "check @ scr.csv $"
    )


def test_checked_by_and_date_take_their_meaning_from_the_column_before() -> None:
    result = csv_import(
        "Name,Staff type,Start date,Regulated activity,DBS number,Date,Checked by,"
        "Overseas check,By\n"
        "Alex Smith,Staff,01/09/2020,Y,001234567890,20/08/2020,AB,N/A,\n"
        "Sam Jones,Staff,01/09/2020,Y,001234567891,21/08/2020,CD,01/08/2020,EF\n",
        defaults={"dbs.level": "enhanced"},
    )
    fields = {c.header: (c.field, c.how) for c in result.sheets[0].columns}
    assert fields["Date"] == ("dbs.issued_on", "the column before")
    assert fields["Checked by"] == ("dbs.seen_by", "the column before")
    assert fields["By"] == ("check.overseas.checked_by", "the column before")
    sam = result.bundle.people[1]
    assert (sam.dbs_checks[0].seen_by, sam.suitability_checks[0].checked_by) == ("CD", "EF")


def test_name_from_surname_and_forename_and_address_from_several_columns() -> None:
    result = csv_import(
        "Surname,Forename,Address line 1,Town,Postcode,Staff type,Start date,Regulated activity\n"
        "Smith,Alex,1 High St,Dorchester,DT1 1AA,Staff,01/09/2020,N\n"
    )
    (alex,) = result.bundle.people
    assert (alex.full_name, alex.address) == ("Alex Smith", "1 High St, Dorchester, DT1 1AA")
    origins = result.provenance.origins(alex.id)
    assert [o.cell for o in origins["full_name"]] == ["B2", "A2"]
    assert [o.raw for o in origins["address"]] == ["1 High St", "Dorchester", "DT1 1AA"]


def test_two_columns_for_one_field_keep_the_first_and_report_the_second() -> None:
    # Two columns for one check are merged (tests/test_import_real_records.py); any other
    # second column for a field is reported and not read.
    result = csv_import(
        "Name,Staff type,Start date,Start date,Regulated activity\n"
        "Alex Smith,Staff,01/09/2020,02/09/2020,N\n"
    )
    column = {c.letter: c for c in result.sheets[0].columns}["D"]
    assert (column.status, column.reason) == (
        ColumnStatus.DUPLICATE,
        "column C already gives engagement.start_on",
    )
    assert (
        "column D 'Start date': column C already gives engagement.start_on: 1 filled cells in "
        "this column not imported" in messages(result)
    )


def test_blank_rows_section_headings_and_repeated_headers_are_counted_apart() -> None:
    result = csv_import(
        "Name,Start date,DBS level,Regulated activity\n"
        "Staff,,,\n"
        "Alex Smith,01/09/2020,Enhanced,Y\n"
        ",,,\n"
        "Volunteers,,,\n"
        "Sam Jones,01/09/2021,Enhanced,N\n"
        "Name,Start date,DBS level,Regulated activity\n"
        "Jo King,01/09/2022,Basic,N\n"
    )
    s = result.summary
    assert (s.rows_read, s.blank_rows, s.heading_rows, s.repeated_header_rows) == (3, 1, 2, 1)
    roles = [p.engagements[0].role_type for p in result.bundle.people]
    assert roles == [RoleType.EMPLOYEE, RoleType.VOLUNTEER, RoleType.VOLUNTEER]
    origin = result.provenance.origins("p-r6:e1")["role_type"][0]
    assert origin.to_data() == {"source": "section", "raw": "Volunteers", "detail": "row 5"}


def test_rows_without_a_role_type_are_rejected_until_a_default_says() -> None:
    text = "Name,Start date,Regulated activity\nAlex Smith,01/09/2020,Y\n"
    rejected = csv_import(text)
    assert rejected.summary.rejected == 1
    assert messages(rejected)[0] == (
        "nothing says each person's role type (no role type column, the sheet name is not a "
        "role, no default): rows without a section heading are rejected; add --default "
        "engagement.role_type=employee or a 'Staff type' column"
    )
    accepted = csv_import(text, defaults={"engagement.role_type": "employee"})
    assert accepted.bundle.people[0].engagements[0].role_type is RoleType.EMPLOYEE
    origin = accepted.provenance.origins("p-r2:e1")["role_type"][0]
    assert origin.to_data() == {
        "source": "default",
        "raw": "employee",
        "detail": "defaults: engagement.role_type",
    }


def test_sheet_level_warnings_when_regulated_activity_and_dbs_level_are_unknowable() -> None:
    result = csv_import(
        "Name,Staff type,Start date,DBS date\nAlex Smith,Staff,01/09/2020,01/08/2020\n"
    )
    assert messages(result)[:2] == [
        "no column says who is in regulated activity: every engagement on this sheet is "
        "recorded as 'unknown', so requirements for regulated activity cannot be judged (add a "
        "column, or --default engagement.regulated_activity=yes)",
        "DBS columns but nothing records the level of the checks: DBS checks on this sheet "
        "cannot be imported (add a 'DBS level' column, or --default dbs.level=enhanced if every "
        "check is enhanced)",
    ]
    (alex,) = result.bundle.people
    assert alex.engagements[0].regulated_activity is RegulatedActivity.UNKNOWN
    assert alex.dbs_checks == ()


# -- mapping files ----------------------------------------------------------------------------

MAPPING = b"""\
scr_mapping: 1
date_order: dmy
columns:
  "Enh. DBS cert": {field: dbs.issued_on, implies: {dbs.level: enhanced}}
  "Worker": person.full_name
  "Kind": engagement.role_type
  "US date": {field: engagement.start_on, date_order: mdy}
  "Colour": ignore
defaults:
  engagement.regulated_activity: "yes"
sheets:
  "Supply": {role_type: agency, header_row: 2}
  "Old": {skip: true}
"""


def test_a_mapping_file_adds_headers_defaults_and_sheet_rules() -> None:
    mapping = load_mapping(MAPPING, name="mapping.yaml")
    data = xlsx_bytes(
        {
            "Supply": [
                ["Supply teachers"],
                ["Worker", "US date", "Enh. DBS cert", "Colour"],
                ["Alex Smith", "09/23/2021", dt.datetime(2021, 9, 1), "Red"],  # noqa: DTZ001
            ],
            "Old": [["Worker", "Kind"], ["Sam Jones", "Staff"]],
        }
    )
    result = import_scr(data, name="scr.xlsx", provider=PROVIDER, mapping=mapping, as_of=AS_OF)
    (alex,) = result.bundle.people
    engagement = alex.engagements[0]
    assert (engagement.role_type, engagement.start_on) == (RoleType.AGENCY, dt.date(2021, 9, 23))
    assert engagement.regulated_activity is RegulatedActivity.YES
    assert (alex.dbs_checks[0].level, alex.dbs_checks[0].issued_on) == (
        DbsLevel.ENHANCED,
        dt.date(2021, 9, 1),
    )
    reports = {s.name: s for s in result.sheets}
    assert (reports["Old"].imported, reports["Old"].reason) == (False, "skipped by the mapping")
    assert {c.header: c.how for c in reports["Supply"].columns}["Worker"] == "mapping"


def test_mapping_without_default_synonyms_imports_only_what_it_lists() -> None:
    mapping = load_mapping(
        b"scr_mapping: 1\nuse_default_synonyms: false\ncolumns: {Who: person.full_name, "
        b"Kind: engagement.role_type, Begun: engagement.start_on}\n",
        name="m.yaml",
    )
    result = csv_import(
        "Who,Kind,Begun,DBS date\nAlex Smith,Staff,01/09/2020,01/08/2020\n", mapping=mapping
    )
    assert result.sheets[0].unmapped_headers == ("DBS date",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            b"scr_mapping: 1\ncolumns:\n  X: dbs.issue_date\n",
            "unknown field 'dbs.issue_date' @ m.yaml $.columns.X (line 3, column 3) (did you "
            "mean 'dbs.issued_on'?)",
        ),
        (
            b"scr_mapping: 1\ndefaults:\n  dbs.level: gold\n",
            "cannot use 'gold' for dbs.level: not a DBS level (basic, standard or enhanced) @ "
            "m.yaml $.defaults['dbs.level'] (line 3, column 3)",
        ),
        (
            b"scr_mapping: 1\nsheets:\n  Supply: {role_type: teachers}\n",
            "cannot use 'teachers' as a role type: not a role type (expected employee, volunteer, "
            "agency, governor, trustee, director, proprietor, contractor or self-employed) @ "
            "m.yaml $.sheets.Supply.role_type (line 3, column 12)",
        ),
        (
            b"scr_mapping: 1\ncolums: {}\n",
            "unknown key 'colums': expected one of $schema, columns, date_order, defaults, "
            "scr_mapping, sheets, use_default_synonyms @ m.yaml $.colums (line 2, column 1) (did "
            "you mean 'columns'?)",
        ),
        (
            b"scr_mapping: 2\n",
            "invalid value: expected 1, got 2 @ m.yaml $.scr_mapping (line 1, column 1)",
        ),
        (
            b"scr_mapping: 1\ncolumns:\n  DBS date: dbs.issued_on\n  dbs-date: dbs.seen_on\n",
            "header 'dbs-date' is the same as 'DBS date' once case, spacing and punctuation are "
            "ignored @ m.yaml $.columns['dbs-date'] (line 4, column 3)",
        ),
        (
            b"scr_mapping: 1\ncolumns: [\n",
            "not valid YAML: expected the node content, but found '<stream end>' @ m.yaml $ "
            "(line 3, column 1)",
        ),
    ],
)
def test_mapping_errors_name_the_file_the_key_and_the_line(text: bytes, message: str) -> None:
    with pytest.raises(MappingError) as info:
        load_mapping(text, name="m.yaml")
    assert str(info.value.problems[0]) == message


def test_default_values_given_on_the_command_line_are_checked() -> None:
    with pytest.raises(MappingError) as info:
        csv_import("Name\nA B\n", defaults={"dbs.levle": "enhanced", "dbs.level": "platinum"})
    assert [str(p) for p in info.value.problems] == [
        "cannot use 'platinum' for dbs.level: not a DBS level (basic, standard or enhanced) @ "
        "--default $['dbs.level']",
        "unknown field 'dbs.levle' @ --default $['dbs.levle']",
    ]


def test_the_example_mapping_schema_is_valid() -> None:
    import jsonschema

    schema = json.loads((FIXTURES.parents[1] / "schemas" / "scr-mapping.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert ScrMapping().sheet("anything").skip is False


# -- provider files ---------------------------------------------------------------------------


def test_lead_roles_name_imported_people_by_staff_number() -> None:
    provider = {
        **PROVIDER,
        "lead_roles": [{"id": "r-dsl", "kind": "dsl", "person_id": "p-1001"}],
    }
    result = csv_import(
        "Staff number,Name,Staff type,Start date,Regulated activity\n"
        "1001,Alex Smith,Staff,01/09/2020,Y\n",
        provider=provider,
    )
    assert result.bundle.lead_roles[0].person_id == "p-1001"
    assert result.bundle.id == "prov-scr"


def test_a_lead_role_for_someone_not_imported_is_located_in_the_provider_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "provider.yaml"
    path.write_text(
        "provider: {id: prov, name: T, kind: youth, legal_form: charity}\n"
        "lead_roles:\n"
        "  - {id: r-dsl, kind: dsl, person_id: p-9999}\n"
    )
    with pytest.raises(EvidenceError) as info:
        csv_import("Staff number,Name,Staff type\n1001,Alex Smith,Staff\n", provider=path)
    assert str(info.value.problems[0]) == (
        f"lead role names person 'p-9999', who is not in 'people' @ {path} "
        "$.lead_roles[0].person_id (line 3, column 28)"
    )


def test_a_lead_role_for_someone_whose_row_was_rejected_says_why_the_row_was(
    tmp_path: Path,
) -> None:
    # The lead role's error was all a user saw: the row that would have given the person, and
    # why it was rejected, were never printed.
    path = tmp_path / "provider.yaml"
    path.write_text(
        "provider: {id: prov, name: T, kind: youth, legal_form: charity}\n"
        "lead_roles:\n"
        "  - {id: r-dsl, kind: dsl, person_id: p-S3}\n"
    )
    with pytest.raises(EvidenceError) as info:
        csv_import(
            "Staff number,Surname,Forename,Staff type,Start date\n"
            "S3,Brindle,Cosmo,Wizard,01/01/2020\n"
            "S4,Dorrit,Elowen,Volunteer,01/01/2020\n",
            provider=path,
        )
    messages = [str(p) for p in info.value.problems]
    assert messages[0].startswith("lead role names person 'p-S3', who is not in 'people' @ ")
    assert len(messages) == 2, messages
    assert messages[1].startswith(
        "1 row of the record was rejected, so its person was not imported: D2 'Staff type': "
        "not a role type "
    )
    assert "and row 2: no role type" in messages[1]
    assert "Brindle" not in "\n".join(messages)


def test_provider_file_errors_are_reported_before_the_spreadsheet_is_read(tmp_path: Path) -> None:
    path = tmp_path / "provider.yaml"
    path.write_text(
        "provider: {id: prov, name: T, kind: youth, legal_form: charity}\n"
        "policies:\n"
        "  - {id: pol, kind: safeguarding, approved_on: 2026-02-01, next_review_on: 2026-01-01}\n"
        "lead_roles:\n"
        "  - {id: r, kind: designated_lead, person_id: p-1}\n"
    )
    with pytest.raises(EvidenceError) as info:
        import_scr(b"not read", name="scr.csv", provider=path)
    assert [str(p) for p in info.value.problems] == [
        f"value not allowed: expected one of 'dsl', 'deputy_dsl', 'designated_senior_manager', "
        f"'deputy_designated_senior_manager', 'lado_liaison_officer', 'board_level_lead', "
        f"'chief_executive', got 'designated_lead' @ {path} $.lead_roles[0].kind "
        f"(line 5, column 13) (did you mean 'designated_senior_manager'?)"
    ]
    path.write_text(
        "provider: {id: prov, name: T, kind: youth, legal_form: charity}\n"
        "policies:\n"
        "  - {id: pol, kind: safeguarding, approved_on: 2026-02-01, next_review_on: 2026-01-01}\n"
    )
    with pytest.raises(EvidenceError) as info:
        import_scr(b"not read", name="scr.csv", provider=path)
    assert [str(p) for p in info.value.problems] == [
        f"'next_review_on' (2026-01-01) must not be before 'approved_on' (2026-02-01) @ {path} "
        "$.policies[0].next_review_on (line 3, column 60)"
    ]


def test_people_in_the_provider_file_keep_their_ids() -> None:
    provider = {**PROVIDER, "people": [{"id": "p-1001"}]}
    result = csv_import("Staff number,Name,Staff type\n1001,Alex Smith,Staff\n", provider=provider)
    assert [p.id for p in result.bundle.people] == ["p-1001", "p-r2"]
    assert (
        "A2 'Staff number': this staff number is already used by another row: the person is "
        "identified by row instead (got '1001')"
    ) in messages(result)


def test_an_id_the_provider_file_shares_with_an_imported_record_is_refused() -> None:
    provider = {**PROVIDER, "policies": [{"id": "p-1001:e1", "kind": "safeguarding"}]}
    with pytest.raises(EvidenceError) as info:
        csv_import("Staff number,Name,Staff type\n1001,Alex Smith,Staff\n", provider=provider)
    assert str(info.value.problems[0]) == (
        "id 'p-1001:e1' is used in the provider file and by an imported record @ $.policies[0] "
        "(imported people are p-<staff number> or p-<sheet>-r<row>)"
    )


# -- sheets and files -------------------------------------------------------------------------

HEAD = ["Name", "Start date", "DBS level", "Regulated activity"]


def test_sheets_are_chosen_by_name_and_hidden_sheets_only_on_request() -> None:
    data = xlsx_bytes(
        {
            "Staff": [HEAD, ["Alex Smith", "01/09/2020", "Enhanced", "Y"]],
            "Volunteers": [HEAD, ["Sam Jones", "01/09/2021", "Enhanced", "N"]],
            "Supply": [HEAD, ["Jo King", "01/09/2019", "Enhanced", "N"]],
        },
        hidden=("Supply",),
    )
    every = import_scr(data, name="scr.xlsx", provider=PROVIDER, as_of=AS_OF)
    assert [p.id for p in every.bundle.people] == ["p-staff-r2", "p-volunteers-r2"]
    chosen = import_scr(data, name="scr.xlsx", provider=PROVIDER, sheet=["supply"], as_of=AS_OF)
    assert [p.id for p in chosen.bundle.people] == ["p-supply-r2"]
    assert chosen.bundle.people[0].engagements[0].role_type is RoleType.AGENCY
    assert [(s.name, s.reason) for s in chosen.sheets if not s.imported] == [
        ("Staff", "not chosen with --sheet"),
        ("Volunteers", "not chosen with --sheet"),
    ]
    with pytest.raises(SpreadsheetError) as info:
        import_scr(data, name="scr.xlsx", provider=PROVIDER, sheet="Governors")
    assert str(info.value) == (
        "invalid spreadsheet: no sheet named 'Governors'; the workbook has 'Staff', "
        "'Volunteers', 'Supply' @ scr.xlsx $"
    )


def test_a_sheet_without_a_header_is_skipped_with_a_warning() -> None:
    data = xlsx_bytes(
        {"Staff": [HEAD, ["Alex Smith", "01/09/2020", "Enhanced", "Y"]], "Notes": [["hello"]]}
    )
    result = import_scr(data, name="scr.xlsx", provider=PROVIDER, as_of=AS_OF)
    assert [str(i) for s in result.sheets for i in s.issues if i.code == "sheet.no_header"] == [
        "sheet 'Notes': no header row found in the first 30 rows (a header names the person and "
        "at least one check): sheet not imported"
    ]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "scr.csv", "the file is empty"),
        (
            b"PK\x03\x04rest",
            "scr.csv",
            "this is a zipped workbook (.xlsx), not CSV text: name it .xlsx",
        ),
        (b"\x00\x01\x02", "scr.csv", "not a text file (it holds NUL bytes)"),
        (b"x", "scr.xls", "old binary .xls workbooks are not read: save it as .xlsx or as CSV"),
        (b"x", "scr.ods", "cannot import '.ods' files: expected .csv or .xlsx"),
        (b"not a zip", "scr.xlsx", "not a readable .xlsx workbook (BadZipFile)"),
        (
            b"Name\n\x81\x8d\x8f",
            "scr.csv",
            "not UTF-8 or Windows-1252 text: invalid byte at offset 5",
        ),
    ],
)
def test_unreadable_files_are_one_clear_error(data: bytes, name: str, message: str) -> None:
    with pytest.raises(SpreadsheetError) as info:
        import_scr(data, name=name, provider=PROVIDER)
    assert str(info.value) == f"invalid spreadsheet: {message} @ {name} $"


def test_utf16_and_tab_separated_text_is_read() -> None:
    text = "Name\tStaff type\tStart date\tRegulated activity\r\nZoë Smith\tStaff\t01/09/2020\tY\r\n"
    result = import_scr(text.encode("utf-16"), name="scr.txt", provider=PROVIDER, as_of=AS_OF)
    assert result.bundle.people[0].full_name == "Zoë Smith"
    assert (result.provenance.source["encoding"], result.provenance.source["delimiter"]) == (
        "utf-16",
        "\t",
    )


def test_xlsx_without_openpyxl_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_openpyxl(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "openpyxl" or name.startswith("openpyxl."):
            raise ImportError("No module named 'openpyxl'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    with pytest.raises(MissingExtra) as info:
        import_scr(b"PK", name="scr.xlsx", provider=PROVIDER)
    assert str(info.value) == (
        "reading .xlsx files needs the optional dependency 'openpyxl': "
        "pip install 'safeguard-std[xlsx]'"
    )
    assert isinstance(info.value, ImportError)


def test_csv_given_a_sheet_name_is_an_error() -> None:
    with pytest.raises(SpreadsheetError) as info:
        csv_import("Name,Staff type\nA B,Staff\n", sheet="Staff")
    assert (
        str(info.value)
        == "invalid spreadsheet: --sheet was given, but a CSV file has no sheets @ scr.csv $"
    )


# -- personal data, provenance, determinism --------------------------------------------------

SECRET = (
    "Staff number,Name,Date of birth,Staff type,Start date,DBS level,DBS Certificate Number,"
    "Regulated activity\n"
    "1001,Alexandra Secretname,31/02/1980,Staff,01/09/2020,Enhanced,98765432109876,Y\n"
    "1002,Alexandra Secretname,12/05/1981,Staff,01/09/2020,Enhanced,1.23457E+11,Y\n"
)


def test_personal_values_stay_out_of_messages_and_the_report() -> None:
    result = csv_import(SECRET)
    text = json.dumps(result.report_data()) + "\n".join(messages(result))
    for secret in ("Secretname", "31/02/1980", "1980", "98765432109876", "1.23457E+11"):
        assert secret not in text
    assert (
        "C2 'Date of birth': not a real calendar date (value withheld: personal data)"
        in messages(result)
    )


def test_personal_values_are_shown_when_asked_for() -> None:
    result = csv_import(SECRET, include_personal_data=True)
    rendered = [i.render(include_personal_data=True) for i in result.all_issues()]
    assert "C2 'Date of birth': not a real calendar date (got '31/02/1980')" in rendered
    report = json.dumps(result.report_data(include_personal_data=True))
    assert "98765432109876" in report


def test_provenance_keeps_the_raw_value_beside_each_parsed_one() -> None:
    result = csv_import(SECRET)
    person = result.bundle.people[1]
    assert person.date_of_birth == dt.date(1981, 5, 12)
    data = result.provenance.to_data()
    assert data["records"]["p-1002"]["date_of_birth"] == [{"cell": "C3", "raw": "12/05/1981"}]
    assert data["columns"][""]["C"] == "Date of birth"
    (origin,) = result.provenance.origins("p-1002")["date_of_birth"]
    assert (origin.header, origin.ref) == ("Date of birth", "C3")
    assert json.loads("".join(result.provenance.chunks(bundle_id="b"))) == {
        **result.provenance.to_data(bundle_id="b")
    }
    assert data["records"]["p-1002"]["id"][0]["raw"] == "1002"
    assert data["source"]["sha256"] == __import__("hashlib").sha256(SECRET.encode()).hexdigest()
    assert data["source"]["as_of"] == "2026-11-23"


def test_import_is_deterministic_and_restores_the_garbage_collector() -> None:
    from safeguard_std.serialization import bundle_to_data, canonical_json

    assert gc.isenabled()
    first = csv_import(SECRET)
    second = csv_import(SECRET)
    assert gc.isenabled()
    assert canonical_json(bundle_to_data(first.bundle)) == canonical_json(
        bundle_to_data(second.bundle)
    )
    assert first.report_data() == second.report_data()
    gc.disable()
    try:
        csv_import(SECRET)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_rows_without_as_of_skip_the_future_checks() -> None:
    result = csv_import(
        "Name,Staff type,Start date,DBS level,DBS date,Regulated activity\n"
        "Alex Smith,Staff,01/09/2020,Enhanced,01/01/2099,Y\n",
        as_of=None,
    )
    assert result.bundle.people[0].dbs_checks[0].issued_on == dt.date(2099, 1, 1)
    assert result.as_of is None
    assert result.report_data()["as_of"] is None
    assert RowStatus.IMPORTED in {r.status for r in result.rows}


def test_the_column_reference_is_current() -> None:
    from safeguard_std.importers._reference import scr_columns_markdown

    committed = (FIXTURES.parents[1] / "docs" / "reference" / "scr-columns.md").read_text()
    assert committed == scr_columns_markdown(), (
        "regenerate: python -m safeguard_std.importers._reference > docs/reference/scr-columns.md"
    )


def test_the_less_common_columns_become_evidence() -> None:
    result = csv_import(
        "Name,Previous names,Staff type,Start date,Regulated activity,DBS level,DBS date,"
        "Status check date,Status check result,Right to work,Visa expiry,Qualification held,"
        "Qualifications checked,Last updated,Volunteer risk assessment,LADO notified\n"
        "Alex Smith,Jones; Brown,Staff,01/09/2020,Y,Enhanced,20/08/2020,01/09/2023,No change,"
        "15/08/2020,31/03/2027,QTS,16/08/2020,01/11/2026,02/09/2020,Y\n"
    )
    (alex,) = result.bundle.people
    assert alex.previous_names == ("Jones", "Brown")
    us = alex.update_service
    assert us is not None
    assert us.subscribed_on is None
    (status,) = us.status_checks
    assert (status.checked_on, status.result.value, status.dbs_check_id) == (
        dt.date(2023, 9, 1),
        "current_clear",
        "p-r2:dbs",
    )
    rtw = alex.right_to_work
    assert rtw is not None
    assert (rtw.time_limited, rtw.permission_expires_on) == (True, dt.date(2027, 3, 31))
    (qual,) = alex.qualification_checks
    assert (qual.qualification, qual.checked_on) == ("QTS", dt.date(2020, 8, 16))
    assert alex.record_updated_on == dt.date(2026, 11, 1)
    (risk,) = alex.risk_assessments
    assert (risk.kind.value, risk.completed_on) == ("volunteer", dt.date(2020, 9, 2))
    (lado,) = alex.lado_notifications
    assert lado.notified_on is None
    assert messages(result) == [
        "P2 'LADO notified': recorded as done ('Y', a tick, 'on file') but not dated (got 'Y')"
    ]


def test_a_status_check_without_a_result_is_reported_not_guessed() -> None:
    result = csv_import(
        "Name,Staff type,Start date,Regulated activity,DBS level,DBS date,Status check date\n"
        "Alex Smith,Staff,01/09/2020,Y,Enhanced,20/08/2020,01/09/2023\n"
    )
    assert result.bundle.people[0].update_service is None
    assert messages(result) == [
        "G2 'Status check date': Update Service status check without a result: not imported "
        "(got '01/09/2023')"
    ]


def test_a_cell_with_nothing_to_belong_to_is_reported_never_dropped() -> None:
    result = csv_import(
        "Name,Staff type,Start date,Regulated activity,DBS seen by,Safeguarding training,"
        "Training provider,Risk assessment type,Qualifications checked by\n"
        "Alex Smith,Staff,01/09/2020,Y,AB,,DSCP,Volunteer,CD\n"
    )
    orphan = (
        "not imported: the row records nothing for this to belong to (its check or date is "
        "blank, or was not imported)"
    )
    assert [(i.header, i.message) for i in result.rows[0].issues] == [
        ("DBS seen by", orphan),
        ("Training provider", orphan),
        ("Risk assessment type", orphan),
        ("Qualifications checked by", orphan),
    ]
    assert result.rows[0].status is RowStatus.IMPORTED_WITH_WARNINGS


def test_spreadsheet_error_values_are_refused_in_any_column() -> None:
    result = csv_import(
        "Name,Staff type,Start date,Regulated activity,DBS level,DBS date\n"
        "Alex Smith,Staff,#REF!,#N/A,Enhanced,#VALUE!\n"
    )
    assert [(i.header, i.code, i.shown_raw()) for i in result.rows[0].issues] == [
        ("Start date", "cell.excel_error", "#REF!"),
        ("Regulated activity", "cell.excel_error", "#N/A"),
        ("DBS date", "cell.excel_error", "#VALUE!"),
        (None, "engagement.no_start", None),
    ]


def test_a_tbc_start_date_is_a_date_not_yet_known_not_a_pending_check() -> None:
    # It read "marked pending: not evidence of a completed check", as for a DBS date.
    result = csv_import(
        "Staff number,Name,Staff type,Start date,Date of birth\n1001,Alex Smith,Staff,TBC,TBC\n"
    )
    (row,) = result.rows
    said = {(i.code, i.column): i.message for i in row.issues}
    assert (
        said[("cell.not_yet_known", "D")] == "marked 'TBC' ('awaited', ...): the date is not "
        "yet known, so none is imported"
    )
    assert ("cell.not_yet_known", "E") in said
    assert not any(code == "check.pending" for code, _column in said)
