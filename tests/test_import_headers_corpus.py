"""The headers people write: a corpus of real header rows (tests/fixtures/scr/header_corpus.yaml,
from the sources DOMAIN.md section A lists) is read column by column, and the synonym table is
data, loaded and checked through importlib.resources."""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import Any

import pytest
import yaml

from safeguard_std.importers import ColumnStatus, import_scr
from safeguard_std.importers._synonyms import SYNONYMS, SynonymTableError, _load, header_key
from tests.conftest import AS_OF, FIXTURES

PROVIDER: dict[str, Any] = {
    "provider": {"id": "prov", "name": "Test Trust", "kind": "youth", "legal_form": "sole_trader"}
}
CORPUS = yaml.safe_load((FIXTURES / "scr" / "header_corpus.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("row", CORPUS["rows"], ids=[r["source"] for r in CORPUS["rows"]])
def test_every_column_of_a_real_header_row_is_recognised_or_reported(row: dict[str, Any]) -> None:
    headers = list(row["headers"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerow(["x"] * len(headers))
    result = import_scr(
        out.getvalue().encode(),
        name="scr.csv",
        provider=PROVIDER,
        as_of=AS_OF,
        defaults={"engagement.role_type": "employee"},
    )
    (sheet,) = result.sheets
    got = {c.header: c for c in sheet.columns}
    reported = {i.column for i in sheet.issues}
    for header, want in row["headers"].items():
        column = got[header]
        assert (column.field or "unmapped") == want, header
        if column.status not in (ColumnStatus.MAPPED,):
            assert column.letter in reported, f"{header!r} is neither imported nor reported"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Forename(s)", "person.first_name"),
        ("Surname(s)", "person.last_name"),
        ("Role / Job Title", "engagement.job_title"),
        ("Role/Job title", "engagement.job_title"),
        ("Job Title / Role", "engagement.job_title"),
        ("Position / Post", "engagement.job_title"),
    ],
)
def test_headers_people_write(header: str, field: str) -> None:
    first = "Staff number" if field.startswith("person.") else "Name"
    result = import_scr(
        f"{first},{header},Staff type,Start date\nAB12,Ann,Staff,01/09/2020\n".encode(),
        name="scr.csv",
        provider=PROVIDER,
        as_of=AS_OF,
    )
    column = result.sheets[0].columns[1]
    assert (column.status, column.field) == (ColumnStatus.MAPPED, field)


@pytest.mark.parametrize(
    ("flag", "date", "field"),
    [
        ("Overseas check (Y/N)", "Date of overseas check", "check.overseas.checked_on"),
        (
            "Prohibition check",
            "Prohibition check date",
            "check.prohibition_from_teaching.checked_on",
        ),
        ("Section 128 check", "Section 128 check date", "check.section_128.checked_on"),
        ("ID Checked (Y/N)", "Date ID Checked", "identity.checked_on"),
        ("Barred List Checked", "Barred List Check Date", "check.barred_list.checked_on"),
    ],
)
def test_every_check_written_as_a_flag_and_a_date_reads_both(
    flag: str, date: str, field: str
) -> None:
    text = f"Name,Staff type,Start date,{flag},{date}\nAnn Smith,Staff,01/09/2020,Y,20/08/2020\n"
    result = import_scr(
        text.encode(),
        name="scr.csv",
        provider=PROVIDER,
        as_of=AS_OF,
    )
    flag_column, date_column = result.sheets[0].columns[3:5]
    assert (flag_column.field, date_column.field) == (field, field)
    assert date_column.status is ColumnStatus.MAPPED
    codes = [i.code for i in result.rows[0].issues]
    assert "check.undated" not in codes
    assert "check.conflict" not in codes


def test_forenames_and_surname_make_the_whole_name() -> None:
    result = import_scr(
        b"Surname,Forename(s),Role / Job Title,Staff type,Start date\n"
        b"Smith,Ann Marie,Teacher,Staff,01/09/2020\n",
        name="scr.csv",
        provider=PROVIDER,
        as_of=AS_OF,
    )
    (ann,) = result.bundle.people
    assert ann.full_name == "Ann Marie Smith"
    assert ann.engagements[0].job_title == "Teacher"


def test_the_synonym_table_is_packaged_data() -> None:
    text = resources.files("safeguard_std.importers").joinpath("synonyms.yaml").read_text("utf-8")
    table, positional = _load(text)
    assert table == dict(SYNONYMS)
    assert positional["checked by"] == "by"
    assert all(header_key(k) == k for k in table)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "synonyms_format: 1\nfields:\n  - {field: person.full_name, headers: [Name]}\n"
            "  - {field: person.last_name, headers: [NAME]}\n",
            "synonyms.yaml: fields[1]: header 'NAME' is given two meanings",
        ),
        (
            "synonyms_format: 1\nfields:\n  - {field: person.nickname, headers: [Nick]}\n",
            "synonyms.yaml: fields[0]: unknown field 'person.nickname'",
        ),
        ("fields: []\n", "synonyms.yaml: synonyms_format: 1"),
    ],
)
def test_a_mistake_in_the_synonym_table_is_refused(text: str, message: str) -> None:
    with pytest.raises(SynonymTableError) as caught:
        _load(text)
    assert str(caught.value) == message
