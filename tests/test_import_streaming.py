"""The command's streaming import: what it writes a row at a time is what the whole result
gives, byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard_std.exceptions import SpreadsheetError
from safeguard_std.importers import import_scr
from safeguard_std.importers._parsed import Severity
from safeguard_std.importers._provenance import (
    Origin,
    OriginKeys,
    RowOrigins,
    record_lines,
    row_text,
)
from safeguard_std.importers._result import Issue, RowOutcome, RowStatus
from safeguard_std.importers._sheet_row import (
    RowOutcomes,
    SheetRow,
    SpilledRows,
    row_status,
)
from safeguard_std.importers._tables import _CHUNK, read_workbook
from tests.conftest import ROOT

SCR = ROOT / "tests" / "fixtures" / "scr"
AS_OF = dt.date(2026, 11, 23)


def _general(row: RowOrigins) -> list[tuple[str, str]]:
    """Each record's line as the whole result's provenance writes it (Provenance.chunks)."""
    out = []
    for rid in row.record_ids():
        record = {f: [o.to_data() for o in found] for f, found in row.fields(rid).items()}
        line = json.dumps(rid, ensure_ascii=False) + ":"
        out.append((rid, line + json.dumps(record, sort_keys=True, ensure_ascii=False)))
    return out


BARE = {"provider": {"id": "p", "name": "P", "kind": "youth", "legal_form": "charity"}}


@pytest.mark.parametrize("name", ["scr.csv", "scr.xlsx", "scr-windows-1252.csv", "scr-1904.xlsx"])
def test_record_lines_are_the_general_encoders_on_every_fixture_row(name: str) -> None:
    provider = SCR / "provider.yaml" if name in ("scr.csv", "scr.xlsx") else BARE
    result = import_scr(SCR / name, provider=provider, as_of=AS_OF)
    rows = result.provenance.entries._rows  # type: ignore[attr-defined]
    assert rows
    for row in rows:
        assert list(record_lines(row)) == _general(row)
        _assert_row_text(row)


def _assert_row_text(row: RowOrigins) -> None:
    """The row's lines in one text, as the command writes them, and its records' ids after its
    person's id ("\0" and the whole id for a record not starting with it)."""
    general = _general(row)
    text, suffixes = row_text(row)
    assert text == "".join(line + "\n" for _rid, line in general)
    pid = row.person_id
    assert suffixes == tuple(
        rid[len(pid) :] if rid.startswith(pid) else "\0" + rid for rid, _line in general
    )


@pytest.mark.parametrize(
    "sheet", [None, "Staff", "Governors & Trustees", 'Zoë\'s "list"', "a_b", "Тест"]
)
def test_record_lines_write_every_kind_of_origin_as_the_encoder_does(sheet: str | None) -> None:
    # Cells with odd text, several cells for one value, and traced values that are not cells.
    when = dt.datetime(2020, 2, 29, 0, 0)  # noqa: DTZ001 (a date cell, as openpyxl gives it)
    cells = ["S1", 'Ann "Nan" O\u2019Neil\t\\', when, 12.0, "\u2713"]
    headers = {i: (chr(65 + i), f"Header {i}") for i in range(len(cells))}
    section = Origin("section", raw="Volunteers", sheet=sheet, detail="row 4")
    default = Origin("default", raw="staff", detail="mapping default")
    flat = [
        "p-S1", "full_name", 1,
        "p-S1", "id", 0,
        "p-S1:dbs", "issued_on", 2,
        "p-S1:dbs", "certificate_number", 3,
        "p-S1:e1", "role_type", section,
        "p-S1:e1", "start_on", (2, 4),
        "p-S1:e1", "job_title", default,
        "p-S1:e1", "regulated_activity", (section, 4),
        "other-id", "note", 4,
        "p-S1", "full_name", 4,  # a later value for a field wins
    ]  # fmt: skip
    row = RowOrigins.pack(sheet, 7, "p-S1", cells, headers, OriginKeys(), flat)
    assert list(record_lines(row)) == _general(row)
    _assert_row_text(row)


@pytest.mark.parametrize(
    "sheet", [None, "Staff", "Governors & Trustees", 'Zoë\'s "list"', "a_b", "Тест"]
)
def test_rows_alike_share_one_text_pattern_and_each_gets_its_own_values(sheet: str | None) -> None:
    # Rows giving the same records from the same columns are written from a pattern made
    # once per kind of row: each row's own person, row number and cells still go in.
    headers = {i: (chr(65 + i), f"Header {i}") for i in range(4)}
    keys = OriginKeys()
    flat = [
        "{p}", "full_name", (1,),
        "{p}", "id", 0,
        "{p}:dbs", "issued_on", 2,
        "{p}:dbs", "certificate_number", 3,
        "{p}:e1", "start_on", (2, 3),
    ]  # fmt: skip
    rows = [
        ("p-S1", ["S1", "Ann Smith", "01/02/2020", "001234567890"]),
        ('p-"2"', ['"2"', 'Zoë "Z" \\', dt.date(2020, 2, 29), 12.0]),
        ("p-S3", ["S3", "Bo\u2028b\n", "\u2713", "x" * 300]),
    ]
    for number, (pid, cells) in enumerate(rows, start=2):
        own = [
            pid if v == "{p}" else v.replace("{p}", pid) if isinstance(v, str) else v for v in flat
        ]
        row = RowOrigins.pack(sheet, number * 1000, pid, cells, headers, keys, own)
        _assert_row_text(row)
    assert len(keys.patterns) == 1  # one kind of row


# --- A CSV file is read a line at a time, never held whole -------------------------------------

HEADER = "Name,Date of birth,Staff type,Start date,DBS number,DBS date\n"
LINE = "Ann Smith,01/02/1980,Staff,01/09/2020,001234567890,02/09/2020\n"


def test_a_csv_file_is_never_held_whole(tmp_path: Path) -> None:
    # 12 MB of rows; the old reader held the bytes and the decoded text (three times the file).
    path = tmp_path / "big.csv"
    path.write_text(HEADER + LINE * 200_000, encoding="utf-8")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        book = read_workbook(path)
        count = sum(1 for _ in book.sheets[0].rows())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_001
    assert book.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert peak < size / 4, f"peak {peak:,} bytes reading a {size:,}-byte file"


def test_a_file_changed_while_it_is_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scr.csv"
    path.write_text(HEADER + LINE * 3, encoding="utf-8")
    book = read_workbook(path)
    path.write_text(HEADER + LINE * 4, encoding="utf-8")
    with pytest.raises(SpreadsheetError) as caught:
        list(book.sheets[0].rows())
    assert str(caught.value) == (
        f"invalid spreadsheet: the file changed while it was being imported: nothing "
        f"was written; import it again once it is saved @ {path} $"
    )


def test_a_file_removed_while_it_is_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scr.csv"
    path.write_text(HEADER + LINE * 3, encoding="utf-8")
    book = read_workbook(path)
    path.unlink()
    with pytest.raises(SpreadsheetError) as caught:
        list(book.sheets[0].rows())
    assert str(caught.value) == (
        "invalid spreadsheet: the file could not be read again while it was being imported "
        f"(No such file or directory): nothing was written @ {path} $"
    )


def test_the_command_writes_nothing_when_the_file_changes_under_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from safeguard_std.cli import main
    from safeguard_std.importers import _sheet

    path = tmp_path / "scr.csv"
    path.write_text(HEADER + LINE * 40, encoding="utf-8")
    provider = tmp_path / "provider.yaml"
    provider.write_text("provider: {id: p, name: P, kind: youth, legal_form: charity}\n")
    (tmp_path / "b.json").write_text("kept")
    built = _sheet.SheetRun._row

    def row_then_edit(self: object, number: int, *args: object) -> None:
        built(self, number, *args)  # type: ignore[arg-type]
        if number == 20:  # someone saves the file while it is being read
            path.write_text(HEADER + LINE * 41, encoding="utf-8")

    monkeypatch.setattr(_sheet.SheetRun, "_row", row_then_edit)
    argv = ["evidence", "import-scr", str(path), "--provider", str(provider)]
    code = main([*argv, "--output", str(tmp_path / "b.json"), "--report", str(tmp_path / "r")])
    assert code == 2
    assert "the file changed while it was being imported" in capsys.readouterr().err
    assert (tmp_path / "b.json").read_text() == "kept"
    assert not (tmp_path / "r").exists()
    assert not (tmp_path / "b.provenance.json").exists()


def _spoil(data: bytearray, case: str) -> None:
    if case == "split lead":  # a lead byte ends the first block; what follows is no tail
        data[_CHUNK - 1 : _CHUNK + 1] = b"\xc3A"
    elif case == "truncated at the end":  # the file ends inside a character
        data[-1] = 0xC3
    else:  # a Latin-1 byte at this offset
        data[int(case)] = 0xE9


@pytest.mark.parametrize(
    "case", ["5", str(_CHUNK - 2), str(_CHUNK + 1), "split lead", "truncated at the end"]
)
def test_the_first_bad_utf8_byte_is_located_across_blocks(tmp_path: Path, case: str) -> None:
    # A character split over the boundary between blocks is no error; the first byte that is
    # not UTF-8 is named at its offset in the file, wherever the blocks fall.
    head = (HEADER + "Zoë Brontë,01/02/1980,Staff,01/09/2020,,\n").encode()
    data = bytearray(head + b"x" * (_CHUNK * 2))
    data[_CHUNK - 3 : _CHUNK - 1] = "é".encode()  # the block boundary splits no character...
    data[_CHUNK + 2 : _CHUNK + 4] = "é".encode()
    data[_CHUNK - 1 : _CHUNK + 1] = "é".encode()  # ...and this one
    _spoil(data, case)
    with pytest.raises(UnicodeDecodeError) as bad:
        bytes(data).decode("utf-8")
    expected = f"the file is not UTF-8 (invalid byte at offset {bad.value.start}): read as"
    path = tmp_path / "scr.csv"
    path.write_bytes(bytes(data))
    for book in (read_workbook(path), read_workbook(bytes(data), name="scr.csv")):
        assert book.encoding == "windows-1252"
        assert [n.message[: len(expected)] for n in book.notes] == [expected]


def test_a_bad_byte_after_a_byte_order_mark_is_located_in_the_file(tmp_path: Path) -> None:
    # The offset counts the mark's three bytes: it is where the byte is in the file (it used
    # to be counted from after the mark).
    data = b"\xef\xbb\xbf" + (HEADER + "Zo\xe9,01/02/1980,,,,\n").encode("latin-1")
    offset = data.index(b"\xe9")
    path = tmp_path / "scr.csv"
    path.write_bytes(data)
    for book in (read_workbook(path), read_workbook(data, name="scr.csv")):
        assert f"(invalid byte at offset {offset})" in book.notes[0].message


def test_bytes_undefined_in_windows_1252_are_refused_at_the_first_bad_utf8_byte(
    tmp_path: Path,
) -> None:
    data = (HEADER + "Zoë,01/02/1980,,,,\n").encode() + b"x" * _CHUNK + b"\xe9\x9d"
    path = tmp_path / "scr.csv"
    path.write_bytes(data)
    with pytest.raises(SpreadsheetError) as caught:
        read_workbook(path)
    offset = len(data) - 2
    assert f"not UTF-8 or Windows-1252 text: invalid byte at offset {offset}" in str(caught.value)


@pytest.mark.parametrize(
    ("encoding", "name"), [("utf-8-sig", "utf-8"), ("utf-16", "utf-16"), ("cp1252", "windows-1252")]
)
def test_each_encoding_reads_alike_from_a_file_a_pipe_and_memory(
    tmp_path: Path, encoding: str, name: str
) -> None:
    text = HEADER + "Zoë Brontë,01/02/1980,Staff,01/09/2020,,\r\n" + LINE + "Last,,,,,\r"
    data = text.encode(encoding)
    path = tmp_path / "scr.csv"
    path.write_bytes(data)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    threading.Thread(target=fifo.write_bytes, args=(data,), daemon=True).start()
    books = [read_workbook(path), read_workbook(fifo), read_workbook(data, name="scr.csv")]
    rows = [list(b.sheets[0].rows()) for b in books]
    assert rows[0] == rows[1] == rows[2]
    assert rows[0][1] == (2, ["Zoë Brontë", "01/02/1980", "Staff", "01/09/2020", "", ""])
    assert rows[0][-1] == (4, ["Last", "", "", "", "", ""])
    assert {b.encoding for b in books} == {name}
    assert {b.sha256 for b in books} == {hashlib.sha256(data).hexdigest()}


# --- Rows written out as they are read -----------------------------------------------------------


def _issue(number: int, code: str) -> Issue:
    return Issue(Severity.NOTE, code, f"note {code}", row=number, column="B", raw="x" * number)


@pytest.fixture
def spill() -> Iterator[IO[bytes]]:
    with tempfile.TemporaryFile() as file:
        yield file


def _spilled(spill: IO[bytes], count: int) -> tuple[SpilledRows, list[SheetRow]]:
    sheet = "Staff"
    rows = SpilledRows(spill, sheet)
    built = []
    for k in range(count):
        number = 3 + 2 * k  # numbers with gaps, as blank rows leave them
        issues = [_issue(number, f"c{j}") for j in range(k % 3)]
        row = SheetRow(sheet, number, issues, None, person_id=None if k % 5 == 4 else f"p-{k}")
        rows.append(row)
        built.append(row)
    return rows, built


def _same(a: SheetRow, b: SheetRow) -> bool:
    return (a.sheet, a.number, a.person_id, a.issues) == (b.sheet, b.number, b.person_id, b.issues)


def test_spilled_rows_read_back_as_built_by_index_and_in_order(spill: IO[bytes]) -> None:
    rows, built = _spilled(spill, 3_000)  # more than one block of the file
    assert len(rows) == 3_000
    assert all(_same(a, b) for a, b in zip(rows, built, strict=True))
    for index in (0, 1, 1_499, 2_999):
        assert _same(rows[index], built[index])
    with pytest.raises(IndexError):
        rows[3_000]


def test_issues_added_later_follow_the_rows_own_and_change_its_status(spill: IO[bytes]) -> None:
    rows, _ = _spilled(spill, 50)
    held = rows.numbered([3, 13, 14, 1_000])  # 14 and 1,000 are not rows
    assert sorted(held) == [3, 13]
    held[13].issue(Severity.WARNING, "person.duplicate", "same name as row 3")
    again = rows.numbered([13])[13]
    assert again is held[13]  # the same held row: what is added to it stays
    row = rows[5]
    assert [i.code for i in row.issues] == ["c0", "c1", "person.duplicate"]
    assert row_status(row) is RowStatus.IMPORTED_WITH_WARNINGS
    assert row_status(rows[0]) is RowStatus.IMPORTED
    assert row_status(rows[4]) is RowStatus.REJECTED
    assert [r.person_id for r in rows.of_people({"p-8", "p-7"}).values()] == ["p-7", "p-8"]


@given(
    st.lists(st.tuples(st.integers(0, 49), st.sampled_from(list(Severity))), max_size=12),
    st.sets(st.integers(0, 60), max_size=8),
)
def test_rows_written_out_are_tallied_as_reading_them_all_back_would(
    later: list[tuple[int, Severity]], wanted: set[int]
) -> None:
    # The end of the import counts rows as they were built and reads back only those a later
    # check added issues to (a warning may change a row's status); it finds the rows of the
    # people named by their ids' hashes. Both as reading every row back gives them.
    from safeguard_std.importers._result import tally
    from safeguard_std.importers._sheet_row import outcome_of

    with tempfile.TemporaryFile() as file:
        rows, _ = _spilled(file, 50)
        for k, severity in later:
            rows.numbered([3 + 2 * k])[3 + 2 * k].issue(severity, "later", "added later")
        assert rows.tally() == tally(outcome_of(r) for r in rows)
        assert RowOutcomes([rows]).tally() == tally(RowOutcomes([rows]))
        ids = {f"p-{k}" for k in wanted}
        expected = {r.person_id: r.number for r in rows if r.person_id in ids}
        found = rows.of_people(ids)
        assert {pid: r.number for pid, r in found.items()} == expected
        assert list(found) == list(expected)  # in the rows' order


def test_rows_of_two_sheets_share_one_file_and_reads_may_interleave(spill: IO[bytes]) -> None:
    first, second = SpilledRows(spill, "A"), SpilledRows(spill, "B")
    for k in range(20):
        first.append(SheetRow("A", k + 2, [_issue(k, "a")], None, person_id=f"a{k}"))
        second.append(SheetRow("B", k + 2, [_issue(k, "b")], None, person_id=f"b{k}"))
    seen = []
    for a in first:
        seen.append((a.person_id, second[len(seen)].person_id))  # another read between rows
    assert seen == [(f"a{k}", f"b{k}") for k in range(20)]
    outcomes = RowOutcomes([first, second])
    assert len(outcomes) == 40
    assert [o.person_id for o in outcomes][19:21] == ["a19", "b0"]
    assert outcomes[-1].person_id == "b19"
    assert outcomes[20] == RowOutcome("B", 2, RowStatus.IMPORTED, "b0", (_issue(0, "b"),))
    assert [o.row for o in outcomes[18:22]] == [20, 21, 2, 3]
    with pytest.raises(IndexError):
        outcomes[40]


def _letters(k: int) -> str:
    out = ""
    while True:
        k, digit = divmod(k, 26)
        out += chr(97 + digit)
        if not k:
            return out.capitalize()


def _rows_record(count: int) -> str:
    # People with nothing in common: no duplicates, no shared certificates.
    return HEADER + "".join(
        f"{_letters(k)} {_letters(k * 7 + 3)},"
        f"{1 + k % 28:02d}/{1 + k % 12:02d}/{1960 + k % 40},Staff,01/09/2020,"
        f"{100000000000 + k},02/09/2020\n"
        for k in range(count)
    )


def test_the_streaming_import_keeps_little_per_row(tmp_path: Path) -> None:
    # What stays in memory per row once read: its person's id and where its texts, keys and
    # outcome are; not its outcome, issues, provenance, person or the keys the duplicate checks
    # compare (all in temporary files).
    from safeguard_std.importers._scr import import_scr_streaming
    from safeguard_std.importers._stream import PeopleOut

    kept = []
    for count in (200, 2_000, 6_000):  # the first loads what an import loads on first use
        path = tmp_path / f"scr{count}.csv"
        path.write_text(_rows_record(count), encoding="utf-8")
        tracemalloc.start()
        try:
            with PeopleOut(AS_OF) as out:
                result = import_scr_streaming(path, out=out, provider=BARE, as_of=AS_OF)
                assert result.summary.rows_read == count
                kept.append(tracemalloc.get_traced_memory()[0])
        finally:
            tracemalloc.stop()
    per_row = (kept[2] - kept[1]) / 4_000
    assert per_row < 150, f"{per_row:.0f} bytes kept per row"  # 570 when rows were kept


@pytest.mark.parametrize("sheet", [None, "Staff", 'Zoë\'s "list"\n'])
@pytest.mark.parametrize("person_id", [None, "p-S1", "p-\u2713"])
@pytest.mark.parametrize("status", list(RowStatus))
@pytest.mark.parametrize("issues", [(), (_issue(4, "c"),)])
def test_report_rows_are_written_as_the_general_encoder_writes_them(
    sheet: str | None, person_id: str | None, status: RowStatus, issues: tuple[Issue, ...]
) -> None:
    from safeguard_std._serialization.canonical import canonical_json
    from safeguard_std.importers._result import _row_data, _row_text

    row = RowOutcome(sheet, 12, status, person_id, issues)
    for personal in (False, True):
        expected = canonical_json(_row_data(row, personal), indent=2).replace("\n", "\n    ")
        assert _row_text(row, personal) == expected


_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
# A row's issues, any text in any field.
_ISSUES = st.lists(
    st.builds(
        Issue,
        st.sampled_from(list(Severity)),
        _TEXT,
        _TEXT,
        sheet=st.none() | _TEXT,
        row=st.none() | st.integers(0, 10**6),
        column=st.none() | _TEXT,
        header=st.none() | _TEXT,
        field=st.none() | _TEXT,
        raw=st.none() | _TEXT,
        personal=st.booleans(),
        group=st.none() | _TEXT,
    ),
    max_size=3,
)


@given(
    _ISSUES,
    st.none() | _TEXT,
    st.sampled_from(list(RowStatus)),
)
def test_report_rows_with_any_issues_are_written_as_the_general_encoder_writes_them(
    issues: list[Issue], sheet: str | None, status: RowStatus
) -> None:
    # The report's rows are written by a writer of their own (most of a large report's time
    # went to the general indented encoder): byte for byte what it gives, whatever the text.
    from safeguard_std._serialization.canonical import canonical_json
    from safeguard_std.importers._result import _row_data, _row_text

    row = RowOutcome(sheet, 7, status, "p-r7", tuple(issues))
    for personal in (False, True):
        expected = canonical_json(_row_data(row, personal), indent=2).replace("\n", "\n    ")
        assert _row_text(row, personal) == expected


@pytest.mark.parametrize("count", [0, 1, 2, 1023, 1024, 1025, 3000])
def test_provenance_lines_given_in_blocks_read_as_one_document(count: int) -> None:
    # Records are written a thousand lines at a time: the text is what a line at a time gave.
    import json as _json

    from safeguard_std.importers._result import Provenance, RowEntries

    provenance = Provenance({"file": "x.csv"}, RowEntries(()), {"": {"A": "Name"}})
    lines = [f'"p-{i}":{{"id":[{{"cell":"A{i}","raw":"{i}"}}]}}' for i in range(count)]
    head = next(provenance.chunks_of(iter(()), bundle_id="b"))  # the document's start
    assert head.endswith(',"records":{\n')
    expected = (
        head
        + "".join(line + (",\n" if i < count - 1 else "\n") for i, line in enumerate(lines))
        + "}}\n"
    )
    text = "".join(provenance.chunks_of(iter(lines), bundle_id="b"))
    assert text == expected
    assert len(_json.loads(text)["records"]) == count


@given(_ISSUES)
def test_a_rows_issues_read_back_from_the_file_are_those_written(issues: list[Issue]) -> None:
    # Issues are kept in the file as plain values (faster to write and read than instances):
    # every field comes back, and a field added to Issue must be added there too.
    import attrs as _attrs

    from safeguard_std.importers._sheet_row import _flat

    assert [f.name for f in _attrs.fields(Issue)] == [
        "severity", "code", "message", "sheet", "row", "column", "header", "field", "raw",
        "personal", "group",
    ]  # fmt: skip
    assert all(len(_flat(i)) == len(_attrs.fields(Issue)) for i in issues)
    with tempfile.TemporaryFile() as file:
        rows = SpilledRows(file, "S")
        rows.append(SheetRow("S", 5, list(issues), None, person_id="p-1"))
        assert rows[0].issues == issues
        assert [r.issues for r in rows] == [issues]


_ODD = _TEXT | st.none() | st.integers(-5, 5) | st.booleans()


@given(
    st.builds(
        Issue,
        st.sampled_from(list(Severity)),
        _ODD,
        _ODD,
        sheet=_ODD,
        row=st.none() | st.integers(0, 99) | st.booleans(),
        column=_ODD,
        field=_ODD,
        group=_ODD,
    ),
    st.booleans(),
)
def test_a_report_issue_holding_values_that_are_not_text_is_written_as_json_writes_it(
    issue: Issue, personal: bool
) -> None:
    # The direct writer takes text and whole numbers; anything else (a value a caller's own
    # Issue may hold) goes to the general encoder, so the text is the same either way.
    from safeguard_std._serialization.canonical import canonical_json
    from safeguard_std.importers._result import _row_data, _row_text

    row = RowOutcome("S", 7, RowStatus.IMPORTED, "p-r7", (issue,))
    expected = canonical_json(_row_data(row, personal), indent=2).replace("\n", "\n    ")
    assert _row_text(row, personal) == expected
