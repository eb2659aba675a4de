"""The hostile-document corpus (issue 17, item 8): every attack of the hardening campaign, kept.

Each case is a document (or stream) built by a function of its size, the command that reads it,
the exit code and the first line of the error expected, and a ceiling on the memory the command
may use, measured by the operating system's own accounting (the peak resident set size of the
command's process, ``getrusage(RUSAGE_CHILDREN)`` in a fresh parent). Nothing is timed.

By default every case runs *small*: the limit it trips is lowered (a module constant of
:mod:`safeguard_std.io.documents`, set in the child before the command runs) and the document is a
few megabytes, so the same refusal is reached by the same code in a second. Under the ``slow``
marker (which ``.ci/run`` runs) the cases run at *full* size, with the documented limits of
docs/limits.md and the sizes from the issue: a 600 MB NDJSON line, ``/dev/zero`` on standard
input, a workbook holding a 1.5 GB string, 1.1 million shared strings, 300,000 CSV columns.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.conftest import FIXTURES, ROOT
from tests.support import BASE_BUNDLE, pack_yaml

MIB = 1024 * 1024
#: The command line's own footprint (interpreter and library: about 40 MiB measured), with room.
BASE_MIB = 60
#: A hard cap on the child's address space, so a regression fails here rather than swapping.
ADDRESS_SPACE = 3 * 1024 * MIB

# Runs the command line in a child and reports the child's exit code, output and peak memory.
_RUNNER = r"""
import json, resource, subprocess, sys
stdin_path, constants, *argv = sys.argv[1:]
child = (
    "import sys, resource\n"
    f"resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE}))\n"
    "import safeguard_std.io.documents as d\n"
    f"for k, v in {constants}.items(): setattr(d, k, v)\n"
    "from safeguard_std.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
with open(stdin_path, "rb") as stdin:
    done = subprocess.run(
        [sys.executable, "-c", child, *argv], stdin=stdin, capture_output=True, text=True,
        errors="replace", timeout=900,
    )
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": done.returncode, "stdout": done.stdout[-2000:],
                  "stderr": done.stderr[-4000:], "peak_mib": peak / 1024}))
""".replace("{ADDRESS_SPACE}", str(ADDRESS_SPACE))


@attrs.frozen
class Run:
    code: int
    stdout: str
    stderr: str
    peak_mib: float


def run_cli(
    args: list[str], *, stdin: str = os.devnull, constants: dict[str, int] | None = None
) -> Run:
    """Run ``safeguard-std ARGS`` in a fresh process; its exit code, output and peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, stdin, repr(constants or {}), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=1000,
    )
    return Run(**json.loads(done.stdout))


# -- documents ----------------------------------------------------------------------------------


def _bundle_json(**provider: Any) -> bytes:
    data = json.loads(json.dumps(BASE_BUNDLE))
    data["provider"].update(provider)
    return json.dumps(data).encode()


def _alias_bomb(_size: int) -> bytes:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(8)
    )
    return bomb.encode()


def _surrogate_evidence(_size: int) -> bytes:
    return _bundle_json().replace(b'"Test Provider"', b'"Trust \\udc80"')


def _surrogate_pack(_size: int) -> bytes:
    text = pack_yaml({"rule": {"kind": "references"}}).replace("title: T\n", 'title: "\\udc80"\n')
    return text.encode()


def _control_character_pack(_size: int) -> bytes:
    return pack_yaml({"rule": {"kind": "references"}}).replace("title: T", "title: T\x1b").encode()


def _control_character_evidence(_size: int) -> bytes:
    return _bundle_json().replace(b'"Test Provider"', b'"Test\x1b[2J Provider"')


def _long_line_portfolio(size: int) -> bytes:
    good = _bundle_json()
    return good + b"\n" + b'{"id": "' + b"x" * size + b'"}\n' + good + b"\n"


def _deep_json(size: int) -> bytes:
    return b"[" * size + b"]" * size


def _big_yaml_pack(size: int) -> bytes:
    return b"a: " + b"x" * size


def _huge_period_pack(_size: int) -> bytes:
    return pack_yaml(
        {"rule": {"kind": "check_current", "check": "dbs", "period": "P" + "9" * 4400 + "Y"}}
    ).encode()


def _scr_header(columns: int) -> str:
    return ",".join(["Staff number", "Surname", "Forename", *[f"c{i}" for i in range(columns)]])


def _wide_csv(size: int) -> bytes:
    return (_scr_header(size) + "\nS1,Smith,Jo\n").encode()


def _long_staff_number_csv(_size: int) -> bytes:
    return (
        "Staff number,Surname,Forename,Staff type,Start date,Safeguarding training\n"
        f"S{'1' * 130},Clarke,Dev,Staff,21/06/2024,14/07/2024\n"
    ).encode()


_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _workbook(shared: Callable[[Any], None], count: int) -> bytes:
    """An .xlsx whose shared strings part is written by ``shared`` (streamed into the archive,
    so a gigabyte string is never held here either) and whose sheet shows the first ``count``."""
    rows = "".join(
        f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{i}</v></c></row>' for i in range(count)
    )
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{_PKG}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {_MAIN} xmlns:r="{_REL}"><sheets>'
        '<sheet name="SCR" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f"<worksheet {_MAIN}><sheetData>{rows}</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f"<sst {_MAIN}>".encode())
            shared(part)
            part.write(b"</sst>")
    return out.getvalue()


def _shared_string_bomb(size: int) -> bytes:
    def write(part: Any) -> None:
        part.write(b"<si><t>Staff number</t></si><si><t>")
        block = b"x" * MIB
        for _ in range(size // MIB):
            part.write(block)
        part.write(b"</t></si>")

    return _workbook(write, 2)


def _many_shared_strings(size: int) -> bytes:
    def write(part: Any) -> None:
        part.write(b"<si><t>Staff number</t></si>")
        for start in range(0, size, 10_000):
            part.write(b"".join(b"<si><t>%d</t></si>" % i for i in range(start, start + 10_000)))

    return _workbook(write, 2)


# -- the corpus -----------------------------------------------------------------------------------


@attrs.frozen
class Case:
    """One hostile input: how to build it at a size, how it is read, and what must happen."""

    name: str
    #: The file name the document is written to (``{}`` in ``args`` is replaced by its path).
    file: str
    build: Callable[[int], bytes]
    args: tuple[str, ...]
    code: int
    #: Text the first line of standard error must hold (``{f}``: the document's path).
    message: str
    small: int
    full: int
    #: Peak memory allowed above the command line's own footprint, in MiB, small and full
    #: (a small document is large enough that reading it whole would break its ceiling).
    ceiling: tuple[int, int] = (20, 40)
    #: Module constants of safeguard_std.io.documents lowered for the small run.
    small_limits: dict[str, int] = attrs.field(factory=dict)
    #: The document goes to standard input rather than a file argument.
    stdin: bool = False


_EVALUATE_PACK = ("evaluate", "--no-entry-points", "--as-of", "2026-11-23")
_WITH_EVIDENCE = (*_EVALUATE_PACK, "--evidence", str(FIXTURES / "bundle-small.json"))
_PACKS = ("--packs-dir", str(FIXTURES / "packs"), "--pack", "demo@1")
_IMPORT = ("evidence", "import-scr", "--provider", "{provider}", "--as-of", "2026-11-23")

CORPUS = [
    Case(
        "alias-bomb-pack",
        "bomb/1/pack.yaml",
        _alias_bomb,
        (*_WITH_EVIDENCE, "--pack", "{}"),
        2,
        "YAML aliases expand to more than 100000 nodes",
        0,
        0,
    ),
    Case(
        "deep-json-evidence",
        "deep.json",
        _deep_json,
        (*_EVALUATE_PACK, *_PACKS, "--evidence", "{}"),
        2,
        "document is nested deeper than 64 levels",
        100_000,
        2_000_000,
        ceiling=(20, 80),
    ),
    Case(
        "lone-surrogate-evidence",
        "trust.json",
        _surrogate_evidence,
        (*_EVALUATE_PACK, *_PACKS, "--evidence", "{}"),
        2,
        "text holds a lone surrogate (\\udc80 at character 7), which cannot be written as UTF-8"
        " @ {f} $.provider.name",
        0,
        0,
    ),
    Case(
        "lone-surrogate-pack-title",
        "t/1/pack.yaml",
        _surrogate_pack,
        (*_WITH_EVIDENCE, "--pack", "{}"),
        2,
        "text holds a lone surrogate (\\udc80 at character 1), which cannot be written as UTF-8"
        " @ {f} $.title (line 4",
        0,
        0,
    ),
    Case(
        "control-character-pack",
        "c/1/pack.yaml",
        _control_character_pack,
        (*_WITH_EVIDENCE, "--pack", "{}"),
        2,
        "not valid YAML: special characters are not allowed (character 0x1b",
        0,
        0,
    ),
    Case(
        "control-character-evidence",
        "c.json",
        _control_character_evidence,
        (*_EVALUATE_PACK, *_PACKS, "--evidence", "{}"),
        2,
        "not valid JSON: Invalid control character at",
        0,
        0,
    ),
    Case(
        "oversized-ndjson-line",
        "portfolio.ndjson",
        _long_line_portfolio,
        (*_EVALUATE_PACK, *_PACKS, "--evidence", "{}"),
        2,
        "line 2 is longer than {limit} bytes",
        64 * MIB,
        600 * MIB,
        ceiling=(20, 150),
        small_limits={"MAX_BYTES": MIB},
    ),
    Case(
        "dev-zero-on-stdin",
        "/dev/zero",
        lambda _size: b"",
        ("portfolio", *_PACKS, "--no-entry-points", "--as-of", "2026-11-23", "--evidence", "-"),
        2,
        "line 1 is longer than {limit} bytes",
        0,
        0,
        ceiling=(20, 150),
        small_limits={"MAX_BYTES": MIB},
        stdin=True,
    ),
    Case(
        "oversized-yaml-pack",
        "big/1/pack.yaml",
        _big_yaml_pack,
        (*_WITH_EVIDENCE, "--pack", "{}"),
        2,
        "YAML document is larger than 4194304 bytes; write large evidence bundles as JSON",
        64 * MIB,
        256 * MIB,
        ceiling=(20, 40),
    ),
    Case(
        "huge-period",
        "p/1/pack.yaml",
        _huge_period_pack,
        (*_WITH_EVIDENCE, "--pack", "{}"),
        2,
        "invalid period 'P9999",
        0,
        0,
    ),
    Case(
        "workbook-shared-string-bomb",
        "bomb.xlsx",
        _shared_string_bomb,
        (*_IMPORT, "--output", "{out}", "{}"),
        2,
        "the workbook decompresses to more than {unzipped} bytes",
        64 * MIB,
        1536 * MIB,
        small_limits={"MAX_UNZIPPED_BYTES": MIB},
    ),
    Case(
        "workbook-many-shared-strings",
        "many.xlsx",
        _many_shared_strings,
        (*_IMPORT, "--output", "{out}", "{}"),
        2,
        "the workbook holds more than {shared} shared strings",
        20_000,
        1_100_000,
        small_limits={"MAX_SHARED_STRINGS": 10_000},
    ),
    Case(
        "csv-300000-columns",
        "wide.csv",
        _wide_csv,
        (*_IMPORT, "--output", "{out}", "{}"),
        2,
        "row 1 has more than {columns} columns",
        2_000,
        300_000,
        ceiling=(20, 120),
        small_limits={"MAX_COLUMNS": 1_000},
    ),
    Case(
        "long-staff-number",
        "scr.csv",
        _long_staff_number_csv,
        (*_IMPORT, "--output", "{out}", "{}"),
        0,
        "",
        0,
        0,
    ),
]


def _limits(constants: dict[str, int]) -> dict[str, int]:
    from safeguard_std.io import documents

    def value(name: str) -> int:
        return constants.get(name, getattr(documents, name))

    return {
        "limit": value("MAX_BYTES"),
        "unzipped": value("MAX_UNZIPPED_BYTES"),
        "shared": value("MAX_SHARED_STRINGS"),
        "columns": value("MAX_COLUMNS"),
    }


def _check(case: Case, tmp_path: Path, *, full: bool) -> None:
    constants = {} if full else case.small_limits
    if case.file.startswith("/dev/"):
        path = Path(case.file)
    else:
        path = tmp_path / case.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.build(case.full if full else case.small))
    provider = tmp_path / "provider.yaml"
    provider.write_text("id: x\nprovider: {id: p, name: P, kind: youth, legal_form: charity}\n")
    fill = {"provider": str(provider), "out": str(tmp_path / "out.json")}
    args = [a.format(**fill) if a != "{}" else str(path) for a in case.args]
    try:
        result = run_cli(args, stdin=str(path) if case.stdin else os.devnull, constants=constants)
    finally:
        if path.is_relative_to(tmp_path):  # full-size documents are large: leave none behind
            path.unlink()
    assert "Traceback" not in result.stderr, result.stderr
    assert result.code == case.code, result.stderr
    if case.message:
        first = next(line for line in result.stderr.splitlines() if line.startswith("error: "))
        assert case.message.format(f=path, **_limits(constants)) in first, first
    ceiling = BASE_MIB + case.ceiling[full]
    assert result.peak_mib < ceiling, f"{case.name}: {result.peak_mib:.0f} MiB, over {ceiling}"


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_hostile_document_small(case: Case, tmp_path: Path) -> None:
    _check(case, tmp_path, full=False)


@pytest.mark.slow
@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_hostile_document_full_size(case: Case, tmp_path: Path) -> None:
    _check(case, tmp_path, full=True)


def test_an_oversized_line_leaves_the_lines_before_it_written(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.ndjson"
    path.write_bytes(_long_line_portfolio(2 * MIB))
    out = tmp_path / "out.ndjson"
    args = [*_EVALUATE_PACK, *_PACKS, "--evidence", str(path), "--output", str(out)]
    result = run_cli(args, constants={"MAX_BYTES": MIB})
    assert result.code == 2
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    assert "error: 1 of 2 bundle lines could not be evaluated" in result.stderr


def test_a_bad_portfolio_line_does_not_stop_the_others(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.ndjson"
    good = _bundle_json()
    path.write_bytes(b"\n".join([good, _surrogate_evidence(0), good]) + b"\n")
    out = tmp_path / "out.ndjson"
    result = run_cli([*_EVALUATE_PACK, *_PACKS, "--evidence", str(path), "--output", str(out)])
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert "lone surrogate (\\udc80 at character 7)" in result.stderr
    assert f"{path} $.provider.name (line 2" in result.stderr


# -- plugin shadowing and special output files (issue 17, items 3 and 4) --------------------------
# The campaign's last two attacks: an installed package shadowing a bundled pack, and special
# files given as --output (a symbolic link, a folder).


def _installed_shadow(site: Path) -> None:
    """A distribution, ``evil-packs``, whose entry point adds ``dorset@2099``: a copy of the
    2024 edition in force from 2025, which ``--pack dorset`` would choose over the bundled
    editions without a word (an attacker's copy can withdraw whatever fails)."""
    bundled = (ROOT / "standards" / "dorset" / "2024" / "pack.yaml").read_text(encoding="utf-8")
    pack = site / "evil_packs_data" / "dorset" / "2099"
    pack.mkdir(parents=True)
    text = bundled.replace('edition: "2024"', 'edition: "2099"', 1)
    text = text.replace("effective_from: 2024-09-01", "effective_from: 2025-01-01", 1)
    text = text.replace("supersedes: dorset@2023", "supersedes: dorset@2024", 1)
    (pack / "pack.yaml").write_text(text, encoding="utf-8")
    (site / "evil_packs.py").write_text(
        f"def root():\n    return {str(site / 'evil_packs_data')!r}\n", encoding="utf-8"
    )
    info = site / "evil_packs-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evil-packs\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[safeguard_std.packs]\nevil = evil_packs:root\n")


def _run_with_site(site: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "src")])}
    return subprocess.run(
        [sys.executable, "-m", "safeguard_std", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def test_an_installed_pack_cannot_shadow_a_bundled_one_silently(tmp_path: Path) -> None:
    _installed_shadow(tmp_path)
    example = str(ROOT / "examples" / "dorset-youth-charity.json")
    args = ["evaluate", "--pack", "dorset", "--evidence", example, "--as-of", "2026-11-23"]
    refused = _run_with_site(tmp_path, args)
    assert "Traceback" not in refused.stderr
    assert refused.returncode == 0, refused.stderr
    assert refused.stderr.splitlines() == [
        "warning: installed pack dorset@2099 from distribution evil-packs 1.0 not used: the "
        "library ships a pack with the id 'dorset' (trust the distribution by name to use it: "
        "--trust-pack-source evil-packs)"
    ]
    pack = json.loads(refused.stdout)["pack"]
    assert pack["edition"] == "2024"
    assert set(pack["origins"].values()) == {"bundled"}
    trusted = _run_with_site(tmp_path, [*args, "--trust-pack-source", "evil-packs"])
    assert trusted.returncode == 0, trusted.stderr
    origins = json.loads(trusted.stdout)["pack"]["origins"]
    assert origins["dorset@2099"] == "distribution evil-packs 1.0"  # recorded, not silent


def test_output_through_a_symbolic_link_writes_its_target(tmp_path: Path) -> None:
    target = tmp_path / "assessment.json"
    target.write_text("")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    args = [*_EVALUATE_PACK, *_PACKS, "--evidence", str(FIXTURES / "bundle-small.json")]
    result = run_cli([*args, "--output", str(link)])
    assert result.code == 0, result.stderr
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["pack"]


def test_output_naming_a_folder_is_one_error_line(tmp_path: Path) -> None:
    args = [*_EVALUATE_PACK, *_PACKS, "--evidence", str(FIXTURES / "bundle-small.json")]
    result = run_cli([*args, "--output", str(tmp_path)])
    assert "Traceback" not in result.stderr
    assert result.code == 2
    assert result.stderr.startswith("error: ")
    assert not list(tmp_path.parent.glob(".tmp.*"))  # no temp file left behind
