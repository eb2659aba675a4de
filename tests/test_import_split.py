"""A large CSV record read by two processes (``evidence import-scr --jobs 2``) gives the same
files, byte for byte, as one process: whatever row the second process starts at, whatever
crosses the split (a section heading, a staff number taken before it, a duplicate, a column
mixing date formats, blank and repeated header rows), and if the second process fails."""

from __future__ import annotations

import datetime as dt
import functools
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.cli import main
from safeguard_std.importers import _scr, _split
from safeguard_std.importers._scr import import_scr_streaming
from safeguard_std.importers._stream import PeopleOut, people_less
from safeguard_std.importers._tables import read_workbook
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not _split.can_fork(), reason="needs os.fork and two CPUs")

SCR = ROOT / "tests" / "fixtures" / "scr"
PROVIDER = SCR / "provider.yaml"
AS_OF = dt.date(2026, 11, 23)

HEADER = (
    "Staff number,Name,Date of birth,Staff type,Start date,DBS date,DBS Certificate Number,"
    "Identity checked,Reference 1 received,DBS level"
)


_FIRST = ["Amy", "Ben", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal", "Ida", "Jon"]
_LAST = ["Ames", "Bell", "Cole", "Dunn", "Ely", "Ford", "Gray"]


def _record(*, r5: bool = True) -> str:
    """Rows that hold every trap of a split: a section heading whose rows run on, staff
    numbers used again further down, the same person twice far apart, one certificate on two
    rows, a column mixing date formats with dates that read either way round, blank and
    repeated header rows, rejected rows."""
    lines = [HEADER]
    for n in range(60):
        staff = f"S{n % 21}" if n % 7 == 0 else f"E{n}"  # S0, S7, S14 reused further down
        # The lead roles' holders (kept whole by the import), one in each half; no staff
        # number on row 5 (its id is p-r5), a staff number r5 (p-r5 again) on row 42, X1 on
        # row 35 after a rejected row that gave X1.
        staff = {8: "S1002", 55: "S1001", 3: "", 36: "r5" if r5 else "E36", 30: "X1"}.get(n, staff)
        name = "Ann Smith" if n in (3, 51) else f"{_FIRST[n % 10]} {_LAST[n // 10]}"
        born = "01/02/1980" if n in (3, 51) else f"{1 + n % 27:02d}/0{1 + n % 9}/1985"
        dbs = "2020-03-04" if n % 5 == 0 else f"0{1 + n % 9}/04/2021"  # ISO and day/month
        cert = "001234567890" if n in (10, 40) else f"0012345{n:05d}"
        role = "" if 20 <= n < 45 else "Employee"
        start = "TBC" if n == 33 else "01/09/2022"
        lines.append(
            f"{staff},{name},{born},{role},{start},{dbs},{cert},Yes,05/0{1 + n % 9}/2022,Enhanced"
        )
        if n == 19:
            lines.append("Volunteers")  # heads the rows without a role, across the split
        if n in (12, 44):
            lines.append(",,,,,,,,,")
        if n == 30:
            lines.append(HEADER)
        if n == 17:
            lines.append("X1,Acme Cleaning Ltd,,Employee,01/09/2022,,,,,")
    return "\n".join(lines) + "\n"


BARE = {"provider": {"id": "p", "name": "P", "kind": "youth", "legal_form": "charity"}}


def _import_files(
    source: Path,
    processes: int,
    monkeypatch: pytest.MonkeyPatch,
    at: int | None = None,
    provider: Any = PROVIDER,
) -> dict[str, Any]:
    """Everything the command writes from an import: the bundle's text and digest, the
    provenance's record lines, the report and the summary."""
    monkeypatch.setattr(_split, "MIN_ROWS", 1)
    monkeypatch.setattr(_scr, "TwoProcesses", functools.partial(_split.TwoProcesses, at=at))
    with PeopleOut(AS_OF) as out:
        result = import_scr_streaming(
            source, out=out, provider=provider, as_of=AS_OF, processes=processes
        )
        rest = people_less(result.bundle)
        return {
            "bundle": b"".join(out.bundle_chunks(rest)),
            "digest": out.digest(rest),
            "records": "".join(result.provenance.chunks_of(out.record_lines())),
            "report": "".join(result.report_chunks()),
            "summary": result.summary,
            "rows": list(result.rows),
            "kept": [p.id for p in result.bundle.people],
            # Where each problem is (a person's by their place in the bundle).
            "consistency": out.consistency.finish(result.bundle),
        }


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("split") / "scr.csv"
    path.write_text(_record(), encoding="utf-8")
    return path


def test_the_rows_hint_counts_a_csv_files_lines(record: Path) -> None:
    (sheet,) = read_workbook(record).sheets
    assert sheet.rows_hint == _record().count("\n") + 1


@pytest.mark.parametrize("at", [2, 3, 20, 21, 22, 31, 32, 45, 50, 66, 67, 90, 500])
def test_two_processes_write_what_one_does_wherever_the_second_starts(
    record: Path, at: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _import_files(record, 1, monkeypatch)
    two = _import_files(record, 2, monkeypatch, at=at)
    assert two == one


def test_the_record_holds_the_traps_the_split_must_keep(
    record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the test above compares is there to compare: a reused staff number, a duplicate, a
    # shared certificate, flagged dates, a heading and repeated header, a rejected row.
    codes = set(_import_files(record, 2, monkeypatch, at=40)["summary"].by_code)
    assert {
        "person.staff_number_reused",
        "person.duplicate",
        "dbs.shared_certificate",
        "date.ambiguous",
        "row.company",
    } <= codes
    summary = _import_files(record, 2, monkeypatch, at=40)["summary"]
    assert (summary.heading_rows, summary.repeated_header_rows, summary.blank_rows) == (1, 1, 2)


@pytest.mark.parametrize("name", ["scr.csv", "scr-windows-1252.csv"])
def test_every_csv_fixture_reads_the_same_in_two(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = PROVIDER if name == "scr.csv" else BARE
    one = _import_files(SCR / name, 1, monkeypatch, provider=provider)
    for at in (3, 10, 25):
        assert _import_files(SCR / name, 2, monkeypatch, at=at, provider=provider) == one


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(at=st.integers(1, 80), rows=st.integers(1, 60))
def test_any_split_of_any_prefix_of_the_record_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: int, rows: int
) -> None:
    path = tmp_path / f"scr-{rows}.csv"
    path.write_text("\n".join(_record().splitlines()[: rows + 1]) + "\n", encoding="utf-8")
    one = _import_files(path, 1, monkeypatch, provider=BARE)
    assert _import_files(path, 2, monkeypatch, at=at, provider=BARE) == one


def test_a_second_process_that_fails_leaves_its_rows_to_the_first(
    record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _import_files(record, 1, monkeypatch)

    def fails(*_args: object) -> None:
        os._exit(3)

    monkeypatch.setattr(_split, "_second", fails)
    assert _import_files(record, 2, monkeypatch, at=30) == one


@pytest.mark.parametrize(
    ("at", "r5", "taken"),
    [
        # S0, S7 and S14 are taken in the first half and used again in the second, which
        # assumes them taken (they are: its part is taken).
        (45, True, True),
        # X1 on row 35: a rejected row of the first half gave X1, so the second assumed it
        # taken, but no row took it (its half is read again by the first).
        (30, False, False),
        # r5 on row 42 makes p-r5, the id of row 5 (which has no staff number): the second
        # process could not know it was taken.
        (40, True, False),
    ],
)
def test_the_ids_the_first_half_took_are_checked_before_the_second_half_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: int, r5: bool, taken: bool
) -> None:
    path = tmp_path / "scr.csv"
    path.write_text(_record(r5=r5), encoding="utf-8")
    one = _import_files(path, 1, monkeypatch)
    joined: list[object] = []
    real = _split._join
    monkeypatch.setattr(_split, "_join", lambda *a: joined.append(a) or real(*a))
    assert _import_files(path, 2, monkeypatch, at=at) == one
    assert bool(joined) is taken


def test_the_record_reuses_the_ids_it_means_to(
    record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reused = {
        r.row
        for r in _import_files(record, 1, monkeypatch)["rows"]
        if any(i.code == "person.staff_number_reused" for i in r.issues)
    }
    assert {35, 42, 48} - reused == {35}  # X1 was free; r5 and S0 (row 48) were not
    assert 21 in {
        r.row for r in _import_files(record, 1, monkeypatch)["rows"] if r.person_id is None
    }


def test_a_system_that_cannot_fork_reads_in_one(
    record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _import_files(record, 1, monkeypatch)
    monkeypatch.setattr(_split, "can_fork", lambda: False)
    monkeypatch.setattr(os, "fork", None)  # would fail if called
    assert _import_files(record, 2, monkeypatch, at=30) == one


def test_a_process_running_other_threads_is_never_forked() -> None:
    import threading

    assert _split.can_fork()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not _split.can_fork()
    finally:
        stop.set()
        other.join()
    assert _split.can_fork()


def test_the_command_writes_the_same_files_with_one_or_two_jobs(
    record: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_split, "MIN_ROWS", 1)
    written = []
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        out.mkdir()
        code = main(
            [
                "evidence", "import-scr", str(record), "--provider", str(PROVIDER),
                "--as-of", AS_OF.isoformat(), "--output", str(out / "bundle.json"),
                "--report", str(out / "report.json"), "--quiet", "--jobs", jobs,
            ]
        )  # fmt: skip
        written.append(
            (code, *(p.read_bytes() for p in sorted(out.iterdir())), sorted(os.listdir(out)))
        )
    assert written[0] == written[1]
    assert written[0][-1] == ["bundle.json", "bundle.provenance.json", "report.json"]


def test_text_made_ahead_is_the_text_and_falls_back_when_the_second_process_fails() -> None:
    def make() -> list[str]:
        return ["é" * 3, "b" * (3 << 20), "end"]

    with _split.MadeAhead(make, lambda: None) as ahead:
        assert b"".join(ahead) == "".join(make()).encode("utf-8")

    def broken() -> list[str]:
        if os.getpid() != parent:
            os._exit(4)
        return ["made here"]

    parent = os.getpid()
    with _split.MadeAhead(broken, lambda: None) as ahead:
        assert b"".join(ahead) == b"made here"


def test_text_made_ahead_and_not_wanted_stops_its_process() -> None:
    def slow() -> list[str]:
        time.sleep(60)
        return ["never"]

    start = time.monotonic()
    ahead = _split.MadeAhead(slow, lambda: None)
    pid = ahead._pid
    ahead.close()
    assert time.monotonic() - start < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no process left behind


@pytest.mark.parametrize("kernel", ["copy", "absent", "fails halfway"])
def test_a_part_file_is_appended_whole_and_writing_goes_on_after_it(
    monkeypatch: pytest.MonkeyPatch, kernel: str
) -> None:
    import tempfile

    from safeguard_std.importers._stream import append_file

    real = getattr(os, "copy_file_range", None)
    if kernel == "copy" and real is None:
        pytest.skip("no copy_file_range here")
    if kernel == "absent":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    if kernel == "fails halfway":
        calls: list[int] = []

        def halfway(src: int, dst: int, count: int, offset_src: int, offset_dst: int) -> int:
            calls.append(count)
            if len(calls) > 1:
                raise OSError("not supported")
            data = os.pread(src, min(count, 1000), offset_src)
            return os.pwrite(dst, data, offset_dst)

        monkeypatch.setattr(os, "copy_file_range", halfway, raising=False)
    body = bytes(range(256)) * 9000  # over two megabytes: more than one block
    with tempfile.TemporaryFile() as source, tempfile.TemporaryFile() as target:
        source.write(body)  # left in its buffer: the copy writes it out first
        target.write(b"mine")
        assert append_file(source, target) == 4
        target.write(b"after")  # goes on at the end, not over the copy
        target.seek(0)
        assert target.read() == b"mine" + body + b"after"


@pytest.mark.parametrize("at", [10, 30])
def test_a_file_saved_while_two_processes_read_it_is_refused_and_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], at: int
) -> None:
    # Row 20 is read by the first process (at=30) or the second (at=10): whichever reads it
    # saves the file then, and the import stops with nothing written, as with one process.
    from safeguard_std.importers import _sheet

    path = tmp_path / "scr.csv"
    path.write_text(_record(r5=False), encoding="utf-8")
    (tmp_path / "b.json").write_text("kept")
    built = _sheet.SheetRun._row

    def row_then_edit(self: object, number: int, *args: object) -> None:
        built(self, number, *args)  # type: ignore[arg-type]
        if number == 20:
            path.write_text(_record(r5=False) + "X9,Zed Last,,Employee\n", encoding="utf-8")

    monkeypatch.setattr(_sheet.SheetRun, "_row", row_then_edit)
    monkeypatch.setattr(_split, "MIN_ROWS", 1)
    monkeypatch.setattr(_scr, "TwoProcesses", functools.partial(_split.TwoProcesses, at=at))
    code = main(
        [
            "evidence", "import-scr", str(path), "--provider", str(_bare_provider(tmp_path)),
            "--as-of", AS_OF.isoformat(), "--output", str(tmp_path / "b.json"),
            "--report", str(tmp_path / "r.json"), "--jobs", "2",
        ]
    )  # fmt: skip
    assert code == 2
    assert "the file changed while it was being imported" in capsys.readouterr().err
    assert (tmp_path / "b.json").read_text() == "kept"
    assert not (tmp_path / "r.json").exists()


def _bare_provider(folder: Path) -> Path:
    path = folder / "provider.yaml"
    path.write_text("provider: {id: p, name: P, kind: youth, legal_form: charity}\n")
    return path


def test_a_first_half_changed_after_the_second_process_read_the_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The second process reads the whole file while it is as it was, and finishes; then a
    # byte the first process has still to read changes (same length). The first process's
    # own reading is checked whole too, so the import is refused, not made of two files.
    import time as _time

    from safeguard_std.importers import _sheet

    lines = [HEADER] + [
        f"E{n},{_FIRST[n % 10]} {_LAST[n % 7]}{chr(97 + n % 26)},01/02/1980,Employee,"
        f"01/09/2022,2020-03-04,0012345{n:05d},Yes,05/01/2022,Enhanced"
        for n in range(3_000)
    ]
    text = "\n".join(lines) + "\n"
    path = tmp_path / "scr.csv"
    path.write_text(text, encoding="utf-8")
    where = text.index("\nE1000,") + 2  # a byte of row 1,002, in the first half
    built = _sheet.SheetRun._row

    def row_then_edit(self: object, number: int, *args: object) -> None:
        built(self, number, *args)  # type: ignore[arg-type]
        if number == 20 and os.getpid() == parent:
            _time.sleep(2)  # the second process has read its half (about 0.3 s) by now
            with path.open("r+b") as handle:
                handle.seek(where)
                handle.write(b"F")

    parent = os.getpid()
    monkeypatch.setattr(_sheet.SheetRun, "_row", row_then_edit)
    monkeypatch.setattr(_scr, "TwoProcesses", functools.partial(_split.TwoProcesses, at=2_000))
    code = main(
        [
            "evidence", "import-scr", str(path), "--provider", str(_bare_provider(tmp_path)),
            "--as-of", AS_OF.isoformat(), "--output", str(tmp_path / "b.json"), "--jobs", "2",
        ]
    )  # fmt: skip
    assert "the file changed while it was being imported" in capsys.readouterr().err
    assert code == 2
    assert not (tmp_path / "b.json").exists()
