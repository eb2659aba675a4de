"""``safeguard-std evidence import-scr``: files written, exit codes, what stderr says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from safeguard_std.cli import main
from safeguard_std.evidence import load_evidence
from tests.conftest import FIXTURES

SCR = FIXTURES / "scr"
PROVIDER = str(SCR / "provider.yaml")


def run_import(tmp_path: Path, *extra: str, file: str = "scr.csv") -> int:
    return main(
        [
            "evidence",
            "import-scr",
            str(SCR / file),
            "--provider",
            PROVIDER,
            "--output",
            str(tmp_path / "bundle.json"),
            "--as-of",
            "2026-11-23",
            *extra,
        ]
    )


def test_import_writes_bundle_provenance_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_import(tmp_path, "--report", str(tmp_path / "report.json"), "--max-messages", "3")
    err = capsys.readouterr().err.splitlines()
    assert code == 1  # three rows were rejected
    label = str(SCR / "scr.csv")
    assert err[:4] == [
        f"{label}: 226 rows read: 223 imported (47 with warnings), 3 rejected; skipped 1 blank "
        "row, 1 section heading, 1 repeated header row",
        "  people by role type: agency 16, contractor 5, employee 167, volunteer 35",
        # a future starter noted; results beside pending DBS checks refused (3 warnings)
        "  3 errors, 60 warnings, 777 notes",
        f"warning: {label}: no governors, trustees, directors or proprietors on the record, "
        "though a charity provider has a board: the single central record should include them",
    ]
    assert err[-3:] == [
        f"... and 60 more (see {tmp_path / 'report.json'})",
        "rejected rows: 43, 67, 68",
        f"wrote {tmp_path / 'bundle.json'}, {tmp_path / 'bundle.provenance.json'}, "
        f"{tmp_path / 'report.json'}",
    ]
    bundle = load_evidence(tmp_path / "bundle.json")
    assert len(bundle.people) == 223
    provenance = json.loads((tmp_path / "bundle.provenance.json").read_text())
    assert provenance["bundle_id"] == "example-youth-trust-scr"
    assert provenance["evidence_digest"].startswith("sha256:")
    assert provenance["records"]["p-S101"]["full_name"] == [
        {"cell": "C3", "raw": "Dev"},
        {"cell": "B3", "raw": "Clarke"},
    ]
    assert provenance["columns"][""]["B"] == "Surname"
    lines = (tmp_path / "bundle.provenance.json").read_text().splitlines()
    assert len(lines) == 2 + len(provenance["records"])  # one record a line
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["summary"]["rows_read"] == 226
    assert "Clarke" not in (tmp_path / "report.json").read_text()


def test_the_imported_bundle_validates_and_evaluates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(tmp_path, "--quiet", file="scr.xlsx")
    bundle = str(tmp_path / "bundle.json")
    assert main(["evidence", "validate", bundle, "--as-of", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{bundle}: schema and model rules pass; cross-field checks as of ")
    assert " 0 errors," in out
    code = main(
        [
            "evaluate",
            "--packs-dir",
            str(FIXTURES / "packs"),
            "--pack",
            "demo",
            "--evidence",
            bundle,
            "--as-of",
            "2026-11-23",
            "--output",
            str(tmp_path / "assessment.json"),
        ]
    )
    assert code == 0
    assessment = json.loads((tmp_path / "assessment.json").read_text())
    provenance = json.loads((tmp_path / "bundle.provenance.json").read_text())
    assert provenance["evidence_digest"] == assessment["evidence"]["digest"]
    assert provenance["records"]["p-S101"]["date_of_birth"][0]["cell"] == "Staff!E3"
    assert assessment["summary"]["total"] > 200
    assert assessment["summary"]["by_status"].get("error", 0) == 0


def test_a_clean_import_exits_0_and_can_write_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider = tmp_path / "provider.yaml"
    provider.write_text("provider: {id: p, name: P, kind: youth, legal_form: sole_trader}\n")
    scr = tmp_path / "scr.csv"
    scr.write_text(
        "Name,Staff type,Start date,DBS level,DBS date,Barred list check,Regulated activity\n"
        "Alex Smith,Staff,01/09/2020,Enhanced,20/08/2020,20/08/2020,Y\n"
    )
    code = main(
        [
            "evidence",
            "import-scr",
            str(scr),
            "--provider",
            str(provider),
            "--output",
            "-",
            "--as-of",
            "2026-11-23",
            "--quiet",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out)["people"][0]["id"] == "p-r2"
    assert captured.err.splitlines() == [
        f"{scr}: 1 row read: 1 imported (0 with warnings), 0 rejected",
        "  people by role type: employee 1",
        "  0 errors, 0 warnings, 0 notes",
        "wrote the bundle to stdout",
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--default", "dbs.level"], "error: --default: expected FIELD=VALUE, got 'dbs.level'\n"),
        (
            ["--default", "dbs.level=gold"],
            "error: invalid mapping: cannot use 'gold' for dbs.level: not a DBS level (basic, "
            "standard or enhanced) @ --default $['dbs.level']\n",
        ),
        (
            ["--sheet", "Staff"],
            "error: invalid spreadsheet: --sheet was given, but a CSV file has no sheets @ "
            f"{SCR / 'scr.csv'} $\n",
        ),
        (
            ["--mapping", "/nonexistent.yaml"],
            "error: invalid mapping: cannot read mapping file: No such file or directory @ "
            "/nonexistent.yaml $\n",
        ),
    ],
)
def test_unusable_input_is_exit_2_and_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert run_import(tmp_path, *extra) == 2
    assert capsys.readouterr().err == message
    assert not (tmp_path / "bundle.json").exists()


def test_no_traceback_from_the_module_entry_point(tmp_path: Path) -> None:
    broken = tmp_path / "scr.xlsx"
    broken.write_bytes(b"not a workbook")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "safeguard_std",
            "evidence",
            "import-scr",
            str(broken),
            "--provider",
            PROVIDER,
            "--output",
            str(tmp_path / "b.json"),
            "--as-of",
            "2026-11-23",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"error: invalid spreadsheet: not a readable .xlsx workbook (BadZipFile) @ {broken} $\n"
    )


def test_a_large_group_is_printed_once_and_each_row_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider = tmp_path / "provider.yaml"
    provider.write_text("provider: {id: p, name: P, kind: youth, legal_form: sole_trader}\n")
    scr = tmp_path / "scr.csv"
    scr.write_text(
        "Staff number,Name,Date of birth,Staff type,Start date,Regulated activity\n"
        + "".join(f"S{i},Ann Smith,01/02/1980,Staff,01/09/2020,N\n" for i in range(1, 7))
    )
    report = tmp_path / "report.json"
    out = str(tmp_path / "bundle.json")
    options = ["--as-of", "2026-11-23", "--report", str(report), "--max-messages", "3"]
    code = main(
        ["evidence", "import-scr", str(scr), "--provider", str(provider), "--output", out, *options]
    )
    err = capsys.readouterr().err.splitlines()
    assert code == 0
    assert err[3:7] == [
        f"warning: {scr}: group g1: 6 people have the same name and date of birth: row 2 (p-S1), "
        "row 3 (p-S2), row 4 (p-S3) and 3 more",
        f"warning: {scr}: row 2: same name and date of birth as 5 other people (group g1, listed "
        "once in the import report)",
        f"warning: {scr}: row 3: same name and date of birth as 5 other people (group g1, listed "
        "once in the import report)",
        "... and 4 more (see " + str(report) + ")",
    ]
    data = json.loads(report.read_text())
    assert [g["size"] for g in data["groups"]] == [6]
    assert {r["issues"][0]["group"] for r in data["rows"]} == {"g1"}


def _whole(path: Path, provider: str) -> tuple[bytes, bytes, bytes]:
    """The three files as written from import_scr's whole result (the command's output before
    it wrote people out as it read them)."""
    import datetime as dt

    from safeguard_std.importers import import_scr
    from safeguard_std.serialization import bundle_to_data, canonical_json, digest

    result = import_scr(path, provider=provider, as_of=dt.date(2026, 11, 23))
    data = bundle_to_data(result.bundle)
    extra = {"bundle_id": result.bundle.id, "evidence_digest": digest(data)}
    return (
        (canonical_json(data, indent=2) + "\n").encode(),
        "".join(result.provenance.chunks(**extra)).encode(),
        (canonical_json(result.report_data(), indent=2) + "\n").encode(),
    )


@pytest.mark.parametrize("case", ["fixture", "groups"])
def test_the_files_written_as_rows_are_read_are_those_of_the_whole_result(
    tmp_path: Path, case: str
) -> None:
    # The command writes each person out as its row is read (memory grows with the record's
    # keys, not its people); the bundle, its digest, provenance and report are unchanged.
    path, provider = SCR / "scr.csv", PROVIDER
    if case == "groups":
        path = tmp_path / "scr.csv"
        path.write_text(
            "Staff number,Name,Date of birth,Staff type,Start date,DBS level,DBS number\n"
            + "".join(
                f"S{i},{'Ann' if i % 2 else 'Bo'} Smith,01/02/1980,Governor,01/09/2020,Enhanced,"
                f"{123456789012 + i % 3}\n"
                for i in range(1, 40)
            )
        )
        provider = str(tmp_path / "provider.yaml")
        Path(provider).write_text(
            "provider: {id: p, name: P, kind: youth, legal_form: charity}\n"
            "lead_roles: [{id: role-dsl, kind: dsl, person_id: p-S7, start_on: 2030-01-01}]\n"
            "people:\n"
            "  - {id: p-board, full_name: Cy Smith, date_of_birth: 1980-02-01}\n"
        )
    out = tmp_path / "out"
    out.mkdir()
    files = ["--output", str(out / "b.json"), "--report", str(out / "r.json")]
    main(
        [
            "evidence",
            "import-scr",
            str(path),
            "--provider",
            provider,
            *files,
            "--as-of",
            "2026-11-23",
        ]
    )
    bundle, provenance, report = _whole(path, provider)
    assert (out / "b.json").read_bytes() == bundle
    assert (out / "b.provenance.json").read_bytes() == provenance
    assert (out / "r.json").read_bytes() == report


def test_the_command_keeps_only_the_people_lead_roles_name() -> None:
    import datetime as dt

    from safeguard_std.importers._scr import import_scr_streaming
    from safeguard_std.importers._stream import PeopleOut

    with PeopleOut(dt.date(2026, 11, 23)) as out:
        result = import_scr_streaming(
            SCR / "scr.csv", out=out, provider=PROVIDER, as_of=dt.date(2026, 11, 23)
        )
        # Every imported person went out; the result keeps the two its lead roles name...
        assert out.count == result.summary.imported
        assert [p.id for p in result.bundle.people] == ["p-S1001", "p-S1002"]
        # ...and no provenance of its own: the records were written out too.
        assert out.records > 0
        assert not result.provenance.entries
