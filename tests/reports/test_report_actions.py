"""The action list: CSV and XLSX, one row per subject and open action, read back with the csv
module and openpyxl, safe from formula injection, in the order a manager works through it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import attrs
import pytest
from report_fixtures import AS_OF, BUNDLES, assess, check_golden

from safeguard_std.cli import main
from safeguard_std.domain.findings import Status
from safeguard_std.evaluate import evaluate
from safeguard_std.reports import FORMATS, build_report, render
from safeguard_std.reports.actions import (
    ACTION_COLUMNS,
    action_rows,
    render_csv,
    render_xlsx,
    safe_cell,
    staff_numbers_from_provenance,
    to_xlsx,
)

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl is not installed (the xlsx extra)")


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _xlsx_rows(data: bytes) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Actions"]
    rows = list(sheet.iter_rows(values_only=True))
    head = [str(h) for h in rows[0]]
    return [dict(zip(head, row, strict=True)) for row in rows[1:]]


def test_csv_is_a_format() -> None:
    assert "csv" in FORMATS


def test_one_row_per_subject_and_open_action(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    rows = _csv_rows(render(a, "csv", pack=p, bundle=b))
    assert list(rows[0]) == list(ACTION_COLUMNS)
    problems = [f for f in a.findings if f.status in _OPEN]
    report = build_report(a, pack=p, bundle=b)
    coming = [lp for lp in report.lapses if lp.finding.status not in _OPEN]
    assert len(rows) == len(problems) + len(coming)
    assert {r["finding_id"] for r in rows} == {f.id for f in problems} | {
        lp.finding.id for lp in coming
    }
    by_id = {r["finding_id"]: r for r in rows}
    dbs = next(f for f in problems if f.requirement_id == "MON-6")
    row = by_id[dbs.id]
    assert row["subject_type"] == "person"
    assert row["subject_id"] == "hy-002"
    assert row["requirement_id"] == "MON-6"
    assert row["status"] == "not_met"
    assert row["what_is_missing"] == dbs.message
    assert row["name"] == ""  # withheld without include_personal_data
    lapse = next(lp for lp in coming if lp.what == "DBS renewal")
    assert by_id[lapse.finding.id]["status"] == "due_soon"
    assert by_id[lapse.finding.id]["due_on"] == lapse.finding.due_on.isoformat()
    assert by_id[lapse.finding.id]["days_left"] == str(lapse.days_left)


_OPEN = (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.ERROR)


def test_the_order_a_manager_works_through(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    rows = _csv_rows(render(a, "csv", pack=p, bundle=b))
    overdue = [r["overdue"] == "yes" for r in rows]
    assert overdue == sorted(overdue, reverse=True), "overdue first"
    assert overdue[0]
    due = [r["due_on"] or AS_OF.isoformat() for r in rows]
    first_not_overdue = overdue.index(False)
    assert due[:first_not_overdue] == sorted(due[:first_not_overdue])
    assert due[first_not_overdue:] == sorted(due[first_not_overdue:])
    # the oldest overdue item first: induction training due on 2019-02-01
    assert rows[0]["due_on"] == "2019-02-01"
    assert rows[0]["days_overdue"] == str((AS_OF - rows_date(rows[0])).days)
    # among items due on one day, by subject
    today = [(r["subject_type"], r["subject_id"]) for r in rows if r["due_on"] == ""]
    assert today


def rows_date(row: dict[str, str]) -> object:
    import datetime as dt

    return dt.date.fromisoformat(row["due_on"])


def test_names_only_when_asked_for(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    rows = _csv_rows(render(a, "csv", pack=p, bundle=b, include_personal_data=True))
    names = {r["subject_id"]: r["name"] for r in rows if r["subject_type"] == "person"}
    assert names["hy-002"] == "Tomasz Wójcik"
    plain = render(a, "csv", pack=p, bundle=b)
    assert "Wójcik" not in plain


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_formula_injection_is_quoted(value: str, shown: str) -> None:
    assert safe_cell(value) == shown


def _hostile_bundle() -> tuple:
    p, b, _ = assess("monitoring@1", "harbour")
    people = tuple(attrs.evolve(person, full_name="=cmd|' /C calc'!A0") for person in b.people)
    provider = attrs.evolve(b.provider, name="@SUM(1+1)*cmd")
    hostile = attrs.evolve(b, people=people, provider=provider)
    return p, hostile, evaluate(p, hostile, as_of=AS_OF)


def test_no_cell_starts_a_formula_csv_and_xlsx() -> None:
    p, b, a = _hostile_bundle()
    text = render(a, "csv", pack=p, bundle=b, include_personal_data=True)
    rows = _csv_rows(text)
    cells = [v for r in rows for v in r.values()]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    book = openpyxl.load_workbook(
        io.BytesIO(to_xlsx(a, pack=p, bundle=b, include_personal_data=True))
    )
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell.value


def test_xlsx_holds_the_same_rows(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    report = build_report(a, pack=p, bundle=b)
    from_csv = _csv_rows(render_csv(report))
    from_xlsx = _xlsx_rows(render_xlsx(report))
    assert len(from_xlsx) == len(from_csv)
    for c, x in zip(from_csv, from_xlsx, strict=True):
        assert {k: ("" if v is None else str(v)) for k, v in x.items()} == c
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["Provider"] == a.provider_id
    assert about["Assessed as of"] == AS_OF.isoformat()
    assert book["Actions"].freeze_panes == "A2"


def test_xlsx_is_byte_identical_for_the_same_inputs(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    report = build_report(a, pack=p, bundle=b)
    assert render_xlsx(report) == render_xlsx(report)


@pytest.mark.parametrize(
    ("as_of", "stamp"),
    [
        (dt.date(1, 1, 1), (1980, 1, 1, 0, 0, 0)),
        (dt.date(1979, 12, 31), (1980, 1, 1, 0, 0, 0)),
        (dt.date(1980, 1, 1), (1980, 1, 1, 0, 0, 0)),
        (dt.date(2107, 12, 31), (2107, 12, 31, 0, 0, 0)),
        (dt.date(2108, 1, 1), (2107, 12, 31, 0, 0, 0)),
        (dt.date.max, (2107, 12, 31, 0, 0, 0)),
    ],
)
def test_xlsx_is_written_for_any_date(
    harbour_monitoring: tuple, as_of: dt.date, stamp: tuple[int, ...]
) -> None:
    # ZIP dates hold 1980 to 2107 only: entries outside are dated the nearest end; the
    # workbook's own properties and About sheet keep as_of.
    p, b, a = harbour_monitoring
    report = build_report(attrs.evolve(a, as_of=as_of), pack=p, bundle=b)
    data = render_xlsx(report)
    assert data == render_xlsx(report)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {info.date_time for info in archive.infolist()} == {stamp}
    core = archive.read("docProps/core.xml").decode()
    assert f"{as_of.isoformat()}T00:00:00Z" in core
    about = {row[0]: row[1] for row in openpyxl.load_workbook(io.BytesIO(data))["About"].values}
    assert about["Assessed as of"] == as_of.isoformat()


def test_csv_golden(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    check_golden("monitoring-harbour.csv", render(a, "csv", pack=p, bundle=b))


def test_staff_numbers_from_the_import_provenance(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    provenance = {
        "provenance_format": 1,
        "bundle_id": b.id,
        "records": {
            "hy-002": {"id": [{"cell": "Staff!A3", "raw": "S-1002"}]},
            "hy-004": {"id": [{"cell": "Staff!A5", "raw": 1004}]},
            "ref-hy-001a": {"received_on": [{"cell": "Staff!J2", "raw": "1/2/22"}]},
        },
    }
    numbers = staff_numbers_from_provenance(provenance)
    assert numbers == {"hy-002": "S-1002", "hy-004": "1004"}
    report = build_report(a, pack=p, bundle=b)
    rows = action_rows(report, staff_numbers=numbers)
    assert {r.subject_id: r.staff_number for r in rows if r.subject_type == "person"}["hy-002"] == (
        "S-1002"
    )
    assert all(r.staff_number == "" for r in rows if r.subject_type != "person")


def test_cli_csv_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from report_fixtures import REPORTS

    packs = str(REPORTS / "packs")
    evidence = str(BUNDLES / "harbour.json")
    provenance = tmp_path / "harbour.provenance.json"
    provenance.write_text(
        json.dumps(
            {
                "provenance_format": 1,
                "records": {"hy-002": {"id": [{"cell": "Staff!A3", "raw": "S-1002"}]}},
            }
        )
    )
    common = ["evaluate", "--pack", "monitoring@1", "--packs-dir", packs, "--evidence", evidence]
    common += ["--as-of", AS_OF.isoformat()]
    out = tmp_path / "actions.xlsx"
    assert main([*common, "--format", "xlsx", "--output", str(out)]) == 0
    assert _xlsx_rows(out.read_bytes())
    assert main([*common, "--format", "csv", "--provenance", str(provenance)]) == 0
    rows = _csv_rows(capsys.readouterr().out)
    assert {r["staff_number"] for r in rows if r["subject_id"] == "hy-002"} == {"S-1002"}


def test_cli_refuses_a_provenance_that_is_not_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from report_fixtures import REPORTS

    bad = tmp_path / "bad.provenance.json"
    bad.write_text('{"provenance_format": 1, "records": {"hy-002": {"id": "S-1"}}}')
    code = main(
        [
            "evaluate",
            "--pack",
            "monitoring@1",
            "--packs-dir",
            str(REPORTS / "packs"),
            "--evidence",
            str(BUNDLES / "harbour.json"),
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "csv",
            "--provenance",
            str(bad),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "bad.provenance.json" in err
    assert "records.hy-002.id" in err


def test_xlsx_bytes_do_not_depend_on_the_clock(
    harbour_monitoring: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as real
    import zipfile

    import openpyxl.writer.excel as excel

    p, b, a = harbour_monitoring
    report = build_report(a, pack=p, bundle=b)
    first = render_xlsx(report)

    class Later(real.datetime):
        @classmethod
        def now(cls, tz: real.tzinfo | None = None) -> Later:  # type: ignore[override]
            return cls(2031, 5, 6, 7, 8, 9, tzinfo=tz)

    class FakeModule:
        datetime = Later
        timezone = real.timezone

    monkeypatch.setattr(excel, "datetime", FakeModule)
    assert render_xlsx(report) == first
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert "2026-11-23T00:00:00Z" in core
    assert "2031" not in core


def test_cli_finds_the_provenance_beside_the_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from report_fixtures import REPORTS

    evidence = tmp_path / "harbour.json"
    shutil.copy(BUNDLES / "harbour.json", evidence)
    (tmp_path / "harbour.provenance.json").write_text(
        json.dumps(
            {
                "provenance_format": 1,
                "records": {"hy-004": {"id": [{"cell": "Staff!A5", "raw": "T-4"}]}},
            }
        )
    )
    args = ["evaluate", "--pack", "monitoring@1", "--packs-dir", str(REPORTS / "packs")]
    args += ["--evidence", str(evidence), "--as-of", AS_OF.isoformat(), "--format", "csv"]
    assert main(args) == 0
    rows = _csv_rows(capsys.readouterr().out)
    assert {r["staff_number"] for r in rows if r["subject_id"] == "hy-004"} == {"T-4"}
