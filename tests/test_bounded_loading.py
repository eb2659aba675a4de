"""One bounded loader for every document (issues 15.3 and 17.1, 17.2, 17.7).

Every file the library reads goes through :func:`safeguard_std.io.documents.load_document` (or, for
spreadsheets and streams, the bounded readers beside it): one error shape, bounded *before* it
reads. Each case from the issue is reproduced here at a small scale, with the limit lowered and
the memory used measured by the process's own accounting (``tracemalloc``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from safeguard_std.domain.calendar import Period
from safeguard_std.domain.pack import PackRef
from safeguard_std.evidence import load_evidence
from safeguard_std.evidence.stream import iter_ndjson
from safeguard_std.exceptions import (
    DocumentSyntaxError,
    EvidenceError,
    InvalidPeriod,
    PackError,
    SpreadsheetError,
)
from safeguard_std.importers import import_scr
from safeguard_std.importers._tables import read_workbook
from safeguard_std.io import documents
from safeguard_std.io.documents import Limits, load_document
from safeguard_std.packs import read_layer
from safeguard_std.packs.cases import load_cases
from safeguard_std.portfolio import evaluate_portfolio
from tests.conftest import FIXTURES, ROOT
from tests.support import BASE_BUNDLE, pack_yaml

MIB = 1024 * 1024


def _peak_mib(action: Callable[[], Any]) -> tuple[Any, float]:
    """What ``action`` returned or raised, and the most memory Python allocated meanwhile."""
    tracemalloc.start()
    try:
        try:
            outcome: Any = action()
        except Exception as exc:  # the refusal is the outcome under test
            outcome = exc
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return outcome, peak / MIB


def _first(error: Any) -> str:
    """The first problem of a document error, without its class's ``invalid pack:`` head."""
    return str(error.problems[0])


# -- one loader, one error shape ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("what", "error"),
    [("pack file", PackError), ("evidence file", EvidenceError), ("pack test file", PackError)],
)
def test_a_missing_file_is_one_located_line_naming_what_it_is(
    tmp_path: Path, what: str, error: type[Exception]
) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(error) as caught:
        load_document(missing, what=what, error=error)  # type: ignore[arg-type]
    assert _first(caught.value) == f"cannot read {what}: No such file or directory @ {missing} $"


def test_pack_test_files_say_which_file_they_cannot_read(tmp_path: Path) -> None:
    # packtests said only "cannot read: ..." with no source (issue 15)
    missing = tmp_path / "tests" / "none.yaml"
    with pytest.raises(PackError) as caught:
        load_cases(missing, PackRef("demo", "1"))
    assert _first(caught.value) == (
        f"cannot read pack test file: No such file or directory @ {missing} $"
    )


# -- 17.1: text the encoder cannot write ----------------------------------------------------------


def test_a_lone_surrogate_in_evidence_is_refused_at_load_located() -> None:
    bundle = json.loads(json.dumps(BASE_BUNDLE))
    raw = json.dumps(bundle).replace('"Test Provider"', '"Trust \\udc80"').encode()
    with pytest.raises(EvidenceError) as caught:
        load_evidence(raw, name="b.json")
    assert _first(caught.value) == (
        "text holds a lone surrogate (\\udc80 at character 7), which cannot be written as "
        "UTF-8 @ b.json $.provider.name (line 1, column 44)"
    )


def test_a_lone_surrogate_in_a_pack_title_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t" / "1" / "pack.yaml"
    path.parent.mkdir(parents=True)
    text = pack_yaml({"rule": {"kind": "references"}}).replace("title: T\n", 'title: "T \\udc80"\n')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        read_layer(path)
    assert _first(caught.value).startswith(
        "text holds a lone surrogate (\\udc80 at character 3), which cannot be written as UTF-8 "
        f"@ {path} $.title (line "
    )


def test_paired_surrogate_escapes_are_ordinary_text() -> None:
    raw = json.dumps(BASE_BUNDLE).replace('"Test Provider"', '"Trust \\ud83d\\ude00"').encode()
    assert load_evidence(raw, name="b.json").provider.name == "Trust \U0001f600"


def test_one_bad_portfolio_line_never_stops_the_others() -> None:
    pack_path = ROOT / "benchmarks" / "packs" / "dorset-person-rules" / "1"
    from safeguard_std.packs import PackCatalog

    catalog = PackCatalog()
    catalog = catalog.with_folder(pack_path)
    pack = catalog.resolve("dorset-person-rules@1")
    good = json.dumps(BASE_BUNDLE).encode()
    bad = good.replace(b'"Test Provider"', b'"Trust \\udc80"')
    results = list(
        evaluate_portfolio(pack, [good, bad, good], as_of=dt.date(2026, 11, 23), source="p.ndjson")
    )
    assert [r.line for r in results] == [1, 2, 3]
    assert results[0].text is not None
    assert results[2].text is not None
    assert results[1].error is not None
    assert "lone surrogate" in _first(results[1].error)


# -- 17.2: every reader bounded before it reads ---------------------------------------------------


def test_an_oversized_ndjson_line_is_refused_without_being_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "p.ndjson"
    good = json.dumps(BASE_BUNDLE).encode()
    path.write_bytes(good + b"\n" + b'{"id": "' + b"x" * (32 * MIB) + b'"}\n' + good + b"\n")
    limits = Limits(max_bytes=1 * MIB)

    def read() -> list[Any]:
        with path.open("rb") as handle:
            return list(iter_ndjson(handle, str(path), limits=limits))

    loaded, peak = _peak_mib(read)
    assert peak < 8, f"{peak:.1f} MiB to refuse a 32 MiB line"
    assert [b.source for b in loaded] == [f"{path}:1", f"{path}:2"]
    assert loaded[0].bundle is not None
    assert _first(loaded[1].error) == (
        f"line 2 is longer than {MIB} bytes (the limit on one document: docs/limits.md says how "
        f"to raise it); the rest of the stream is not read @ {path}:2 $"
    )


def test_an_endless_stream_is_refused_in_bounded_memory() -> None:
    class Zeros(io.RawIOBase):  # /dev/zero, without the device
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            buffer[:] = bytes(len(buffer))
            return len(buffer)

    stream = io.BufferedReader(Zeros())
    loaded, peak = _peak_mib(
        lambda: list(iter_ndjson(stream, "<stdin>", limits=Limits(max_bytes=2 * MIB)))
    )
    assert peak < 12
    assert len(loaded) == 1
    assert "line 1 is longer than 2097152 bytes" in _first(loaded[0].error)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_oversized_portfolio_line_is_refused_in_the_portfolio_evaluator(jobs: int) -> None:
    from safeguard_std.packs import PackCatalog

    catalog = PackCatalog()
    catalog = catalog.with_folder(ROOT / "benchmarks" / "packs" / "dorset-person-rules" / "1")
    pack = catalog.resolve("dorset-person-rules@1")
    good = json.dumps(BASE_BUNDLE).encode()
    stream = io.BytesIO(good + b"\n" + b"[" + b" " * (3 * MIB) + b"]\n" + good + b"\n")
    results = list(
        evaluate_portfolio(
            pack,
            stream,
            as_of=dt.date(2026, 11, 23),
            source="p.ndjson",
            limits=Limits(max_bytes=MIB),
            jobs=jobs,
        )
    )
    assert [r.line for r in results] == [1, 2]
    assert results[0].text is not None
    assert _first(results[1].error).startswith(f"line 2 is longer than {MIB} bytes")


def test_a_yaml_pack_is_refused_at_its_limit_without_reading_further(tmp_path: Path) -> None:
    path = tmp_path / "big" / "1" / "pack.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"a: " + b"x" * (64 * MIB))
    caught, peak = _peak_mib(lambda: read_layer(path))
    assert isinstance(caught, PackError)
    assert _first(caught) == (
        f"YAML document is larger than {documents.MAX_YAML_BYTES} bytes; write large evidence "
        f"bundles as JSON @ {path} $"
    )
    assert peak < 2 * documents.MAX_YAML_BYTES / MIB + 2, f"{peak:.1f} MiB read for a 4 MiB limit"


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="SCR" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
}


def _workbook_of_shared_strings(strings: list[str]) -> bytes:
    """A workbook whose one sheet shows each shared string in a row of its own: the shape of a
    decompression bomb (one huge string) or of a table of millions of strings."""
    shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
    rows = "".join(
        f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{i}</v></c></row>' for i in range(len(strings))
    )
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    parts = {
        **_PARTS,
        "xl/sharedStrings.xml": f'<sst {main} count="{len(strings)}">{shared}</sst>',
        "xl/worksheets/sheet1.xml": f"<worksheet {main}><sheetData>{rows}</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_the_hand_made_workbook_reads() -> None:
    workbook = read_workbook(_workbook_of_shared_strings(["Staff number", "S1"]), name="ok.xlsx")
    assert [row for _, row in workbook.sheets[0].rows()] == [("Staff number",), ("S1",)]


def test_a_workbook_that_decompresses_beyond_the_limit_is_refused_unread() -> None:
    data = _workbook_of_shared_strings(["Staff number", "x" * (16 * MIB)])
    assert len(data) < MIB // 8  # compresses well: a decompression bomb in miniature
    caught, peak = _peak_mib(
        lambda: read_workbook(data, name="bomb.xlsx", limits=Limits(max_unzipped_bytes=MIB))
    )
    assert isinstance(caught, SpreadsheetError)
    assert _first(caught) == (
        f"the workbook decompresses to more than {MIB} bytes (the limit on one workbook: "
        "docs/limits.md says how to raise it) @ bomb.xlsx $"
    )
    assert peak < 2


def _renamed(data: bytes, old: str, new: str) -> bytes:
    """``data`` with one part renamed, and the names that point at it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info).replace(old.encode(), new.encode())
            body = body.replace(old.removeprefix("xl/").encode(), new.removeprefix("xl/").encode())
            target.writestr(new if info.filename == old else info.filename, body)
    return out.getvalue()


def _lying(data: bytes, size: int) -> bytes:
    """``data`` with its zip directory claiming each large part is ``size`` bytes."""
    raw = bytearray(data)
    at = raw.find(b"PK\x01\x02")
    while at != -1:  # each central directory entry: its uncompressed size is at offset 24
        if int.from_bytes(raw[at + 24 : at + 28], "little") > size:
            raw[at + 24 : at + 28] = size.to_bytes(4, "little")
        at = raw.find(b"PK\x01\x02", at + 4)
    return bytes(raw)


def test_a_workbook_whose_parts_lie_about_their_size_is_refused() -> None:
    data = _lying(_workbook_of_shared_strings(["Staff number", "x" * (16 * MIB)]), 1000)
    caught, peak = _peak_mib(
        lambda: [
            list(sheet.rows())
            for sheet in read_workbook(data, name="liar.xlsx", limits=Limits()).sheets
        ]
    )
    assert isinstance(caught, SpreadsheetError)
    assert _first(caught).startswith("not a readable .xlsx workbook")
    assert peak < 4


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/elsewhere.xml"])
def test_a_workbook_with_too_many_shared_strings_is_refused(part: str) -> None:
    data = _workbook_of_shared_strings([f"name {i}" for i in range(1200)])
    if part != "xl/sharedStrings.xml":  # the content type names the part, whatever its name
        data = _renamed(data, "xl/sharedStrings.xml", part)
        assert next(r for _, r in read_workbook(data, name="ok.xlsx").sheets[0].rows()) == (
            "name 0",
        )
    caught, _ = _peak_mib(
        lambda: read_workbook(data, name="many.xlsx", limits=Limits(max_shared_strings=1000))
    )
    assert isinstance(caught, SpreadsheetError)
    assert _first(caught) == (
        "the workbook holds more than 1000 shared strings (the limit on one workbook: "
        "docs/limits.md says how to raise it) @ many.xlsx $"
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_sheet_wider_than_the_column_limit_is_refused(suffix: str) -> None:
    header = ["Staff number", "Surname", *[f"c{i}" for i in range(300)]]
    rows = [header, ["S1", "Smith"]]
    data = (
        "\n".join(",".join(r) for r in rows).encode() if suffix == "csv" else _xlsx(rows)  # type: ignore[arg-type]
    )
    workbook = read_workbook(data, name=f"wide.{suffix}", limits=Limits(max_columns=256))
    with pytest.raises(SpreadsheetError) as caught:
        list(workbook.sheets[0].rows())
    assert _first(caught.value).startswith(
        f"row 1 has more than 256 columns (the limit on one sheet: docs/limits.md says how to "
        f"raise it) @ wide.{suffix}"
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_sheet_beyond_the_cell_limit_is_refused(suffix: str) -> None:
    rows = [["Staff number", "Surname"], *[[f"S{i}", "Smith"] for i in range(200)]]
    data = "\n".join(",".join(r) for r in rows).encode() if suffix == "csv" else _xlsx(rows)
    workbook = read_workbook(data, name=f"tall.{suffix}", limits=Limits(max_cells=100))
    with pytest.raises(SpreadsheetError) as caught:
        list(workbook.sheets[0].rows())
    assert _first(caught.value).startswith(
        f"the sheet has more than 100 cells (the limit on one sheet: docs/limits.md says how "
        f"to raise it) @ tall.{suffix}"
    )


def test_the_importer_reports_a_refused_sheet_as_a_spreadsheet_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(documents, "MAX_COLUMNS", 8)
    text = ",".join(["Staff number", "Surname", *[f"c{i}" for i in range(20)]]) + "\nS1,Smith\n"
    with pytest.raises(SpreadsheetError, match="row 1 has more than 8 columns"):
        import_scr(text.encode(), name="wide.csv", provider={"provider": BASE_BUNDLE["provider"]})


# -- 17.7: smaller crashes ------------------------------------------------------------------------


def test_a_period_of_thousands_of_digits_is_an_invalid_period() -> None:
    text = "P" + "9" * 4400 + "Y"
    with pytest.raises(InvalidPeriod) as caught:
        Period.parse(text)
    assert len(str(caught.value)) < 300
    assert str(caught.value).startswith("invalid period 'P99999")


def test_a_long_staff_number_with_a_training_date_imports() -> None:
    number = "S" + "1" * 130
    text = (
        "Staff number,Surname,Forename,Staff type,Start date,Safeguarding training\n"
        f"{number},Clarke,Dev,Staff,21/06/2024,14/07/2024\n"
    )
    result = import_scr(
        text.encode(),
        name="scr.csv",
        provider={"provider": BASE_BUNDLE["provider"]},
        as_of=dt.date(2026, 11, 23),
    )
    (person,) = result.bundle.people
    assert len(person.id) <= 128
    assert all(len(t.id) <= 128 for t in person.training)


def test_pack_validate_reads_no_unrelated_folders(tmp_path: Path) -> None:
    from safeguard_std.authoring.validate import validate_pack

    source = (FIXTURES / "broken-packs" / "bad-duration" / "demo" / "1" / "pack.yaml").read_text()
    source = source.replace("review_period: 1 year", "review_period: P1Y")
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "pack.yaml").write_text(source)
    (tmp_path / "y" / "pack.yaml").write_text(source.replace('edition: "1"', 'edition: "2"'))
    result = validate_pack(tmp_path / "x" / "pack.yaml")
    assert result.problems == ()


# -- docs/limits.md states the limits the code enforces -------------------------------------------


def _documented(name: str) -> int:
    text = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    match = re.search(rf"^\| `{name}` \| ([\d,]+) ?(MiB|KiB)?", text, re.MULTILINE)
    assert match is not None, f"docs/limits.md has no row for {name}"
    scale = {"MiB": MIB, "KiB": 1024, None: 1}[match.group(2)]
    return int(match.group(1).replace(",", "")) * scale


@pytest.mark.parametrize(
    "name",
    [
        "MAX_BYTES",
        "MAX_YAML_BYTES",
        "MAX_YAML_NODES",
        "MAX_DEPTH",
        "MAX_NODES",
        "MAX_ALIAS_NODES",
        "MAX_POSITIONED_JSON",
        "MAX_UNZIPPED_BYTES",
        "MAX_SHARED_STRINGS",
        "MAX_CELLS",
        "MAX_COLUMNS",
    ],
)
def test_docs_limits_states_each_limit(name: str) -> None:
    assert _documented(name) == getattr(documents, name)


def test_every_limit_has_a_field_in_limits() -> None:
    defaults = Limits()
    assert defaults.max_bytes == documents.MAX_BYTES
    assert defaults.max_unzipped_bytes == documents.MAX_UNZIPPED_BYTES
    assert defaults.max_shared_strings == documents.MAX_SHARED_STRINGS
    assert defaults.max_cells == documents.MAX_CELLS
    assert defaults.max_columns == documents.MAX_COLUMNS


def test_a_limit_set_on_documents_at_start_up_reaches_every_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """docs/limits.md tells a deployment to tighten a limit by setting it on
    ``safeguard_std.io.documents``; the limits live in ``io/_limits.py`` since the module was
    split, and every reader (YAML, JSON, files, workbooks) must still see the new value."""
    monkeypatch.setattr(documents, "MAX_DEPTH", 3)
    nested = "a:\n b:\n  c:\n   d:\n    e: 1\n"
    with pytest.raises(DocumentSyntaxError, match="nested deeper than 3 levels"):
        documents.parse(nested, "x.yaml")
    monkeypatch.setattr(documents, "MAX_YAML_BYTES", 10)
    with pytest.raises(DocumentSyntaxError, match="YAML document is larger than 10 bytes"):
        documents.parse(b"a: " + b"x" * 20, "x.yaml")
    monkeypatch.setattr(documents, "MAX_CELLS", 9)
    assert Limits().max_cells == 9 == documents.MAX_CELLS


# -- docs/explanation/personal-data.md says what evaluate writes ----------------------------------


def test_evaluate_writes_names_only_when_asked_as_the_personal_data_page_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from safeguard_std.cli import main

    example = ROOT / "examples" / "dorset-youth-charity.json"
    names = [p["full_name"] for p in json.loads(example.read_text(encoding="utf-8"))["people"]]
    args = ["evaluate", "--pack", "dorset", "--evidence", str(example), "--as-of", "2026-11-23"]
    assert main(args) == 0
    plain = capsys.readouterr().out
    assert main([*args, "--include-personal-data"]) == 0
    opted_in = capsys.readouterr().out
    assert not any(name in plain for name in names)
    assert any(name in opted_in for name in names)
    assert '"include_personal_data": true' in opted_in
    page = " ".join((ROOT / "docs" / "explanation" / "personal-data.md").read_text().split())
    promise = "without `--include-personal-data` it holds no personal data either; with it, it "
    assert promise + "holds people's names" in page


# -- the commands that once let these through, or crashed on them -------------------------------


def _huge_period_pack(tmp_path: Path) -> Path:
    path = tmp_path / "t" / "1" / "pack.yaml"
    path.parent.mkdir(parents=True)
    rule = {"kind": "check_current", "check": "dbs", "period": "P" + "9" * 4400 + "Y"}
    path.write_text(pack_yaml({"rule": rule}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("command", "code"),
    [(["pack", "validate"], 1), (["pack", "lint"], 2), (["pack", "render"], 2)],
)
def test_pack_commands_refuse_a_period_of_thousands_of_digits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], code: int
) -> None:
    from safeguard_std.cli import main

    path = _huge_period_pack(tmp_path)
    assert main([*command, str(path)]) == code
    out = capsys.readouterr()
    text = out.out + out.err
    assert "invalid period 'P99999" in text
    assert f"{path}" in text
    assert max(len(line) for line in text.splitlines()) < 600  # not 4,400 digits


def test_validate_commands_refuse_lone_surrogates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from safeguard_std.cli import main

    bundle = tmp_path / "b.json"
    bundle.write_bytes(json.dumps(BASE_BUNDLE).replace("Test Provider", "Trust \\udc80").encode())
    assert main(["evidence", "validate", str(bundle), "--as-of", "2026-11-23"]) == 1
    assert "lone surrogate (\\udc80 at character 7)" in capsys.readouterr().out
    pack = tmp_path / "t" / "1" / "pack.yaml"
    pack.parent.mkdir(parents=True)
    text = pack_yaml({"rule": {"kind": "references"}})
    pack.write_text(text.replace("title: T\n", 'title: "T \\udc80"\n'), encoding="utf-8")
    assert main(["pack", "validate", str(pack)]) == 1
    assert f"{pack}:4:1: text holds a lone surrogate" in capsys.readouterr().out


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b""])
def test_a_line_exactly_at_the_limit_is_read_and_one_byte_more_is_not(ending: bytes) -> None:
    from safeguard_std.io._bounded import LineTooLong, bounded_lines

    limit = 3 * 1024 * 1024 + 5  # over the reader's chunk size
    after = b"y\n" if ending else b""  # a line without an ending is the last one
    at_limit = b"x" * limit + ending
    lines = list(bounded_lines(io.BufferedReader(io.BytesIO(at_limit + after)), limit))
    sizes = [(n, len(line)) for n, line in lines if not isinstance(line, LineTooLong)]
    assert sizes == [(1, len(at_limit)), (2, 2)][: 2 if ending else 1]
    over = b"x" * (limit + 1) + ending
    (number, refused), *rest = bounded_lines(io.BufferedReader(io.BytesIO(over + after)), limit)
    assert number == 1
    assert isinstance(refused, LineTooLong)
    assert rest == []
