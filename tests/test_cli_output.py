"""Writing ``--output`` files: failures are one located line (exit 2), nothing half-written is
left behind, special files are written through, and file modes follow the user's umask."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from safeguard_std.cli import main
from safeguard_std.cli._common import write_output
from tests.conftest import FIXTURES

BUNDLE = FIXTURES / "bundle-small.json"
PACKS = str(FIXTURES / "packs")
ARGS = ["evaluate", "--packs-dir", PACKS, "--pack", "demo", "--as-of", "2026-11-23"]
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def evaluate_to(out: Path | str) -> list[str]:
    return [*ARGS, "--evidence", str(BUNDLE), "--output", str(out)]


def run(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-m", "safeguard_std", *args],
        capture_output=True,
        text=True,
        check=False,
        **kw,
    )


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_output_naming_a_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(evaluate_to(tmp_path)) == 2
    assert capsys.readouterr().err == (
        f"error: --output: cannot write {str(tmp_path)!r}: it is a folder; name a file\n"
    )
    assert hidden(tmp_path) == []


def unprivileged() -> list[str]:
    """A command prefix that drops root's power to write anywhere (uid 0 without capabilities
    is held to the file modes like anyone else)."""
    if not ROOT:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv to drop capabilities")
    return ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]


def test_read_only_folder_is_one_line(tmp_path: Path) -> None:
    shut = tmp_path / "shut"
    shut.mkdir()
    shut.chmod(0o555)
    out = shut / "a.json"
    done = subprocess.run(
        [*unprivileged(), sys.executable, "-m", "safeguard_std", *evaluate_to(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"error: --output: cannot write {str(out)!r}: Permission denied\n"
    assert list(shut.iterdir()) == []


def test_a_character_device_is_written_through(tmp_path: Path) -> None:
    if ROOT:  # a private copy of /dev/null: never risk replacing the real one
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        device = Path("/dev/null")
    assert main(evaluate_to(device)) == 0
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    if ROOT:
        assert list(tmp_path.iterdir()) == [device]


def test_file_size_limit_is_one_line_and_keeps_the_old_file(tmp_path: Path) -> None:
    import resource

    out = tmp_path / "a.json"
    out.write_text("old\n")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    done = run(*evaluate_to(out), preexec_fn=limit)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"error: --output: cannot write {str(out)!r}: File too large\n"
    assert out.read_text() == "old\n"
    assert hidden(tmp_path) == []


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_output(["one\n", "two\n"], str(fifo), inputs=())
    reader.join(timeout=10)
    assert got == [b"one\ntwo\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_output("new\n", str(link), inputs=())
    assert link.is_symlink()
    assert target.read_text() == "new\n"
    assert hidden(tmp_path) == []


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    out.write_text("old\n")
    out.chmod(0o644)
    write_output("new\n", str(out), inputs=())
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    out.chmod(0o640)
    write_output("newer\n", str(out), inputs=())
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_output("new\n", str(tmp_path / "a.json"), inputs=())
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == mode


KILLED = """
import sys, time
from safeguard_std.cli._common import write_output

def chunks():
    yield "x" * 1_000_000
    print("ready", flush=True)
    time.sleep(60)
    yield "never"

write_output(chunks(), sys.argv[1], inputs=())
"""


def test_a_kill_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(out)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert list(tmp_path.iterdir()) == []


def test_stale_temp_files_of_ours_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / ".a.json.k3j2h1g0.tmp"
    stale.write_text("partial")
    theirs = tmp_path / ".a.json.swp"
    theirs.write_text("an editor's")
    write_output("new\n", str(tmp_path / "a.json"), inputs=())
    assert hidden(tmp_path) == [".a.json.swp"]


def test_import_report_failure_writes_no_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scr = FIXTURES / "scr"
    code = main(
        [
            "evidence",
            "import-scr",
            str(scr / "scr.csv"),
            "--provider",
            str(scr / "provider.yaml"),
            "--output",
            str(tmp_path / "bundle.json"),
            "--as-of",
            "2026-11-23",
            "--report",
            str(tmp_path / "missing" / "report.json"),
        ]
    )
    assert code == 2
    missing = str(tmp_path / "missing")
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"error: --report: folder {missing!r} does not exist"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_is_one_line() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "safeguard_std", *ARGS, "--evidence", str(BUNDLE)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr == "error: cannot write to standard output: No space left on device\n"


# -- an output is never one of the command's own inputs ------------------------------------------


def _copies(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A bundle, a single central record and its provider file, copied to be written over."""
    bundle, scr, provider = tmp_path / "b.json", tmp_path / "scr.csv", tmp_path / "p.yaml"
    shutil.copy(BUNDLE, bundle)
    shutil.copy(FIXTURES / "scr" / "scr.csv", scr)
    shutil.copy(FIXTURES / "scr" / "provider.yaml", provider)
    return bundle, scr, provider


def _import(scr: Path, provider: Path, *extra: str) -> list[str]:
    return ["evidence", "import-scr", str(scr), "--provider", str(provider), "--as-of",
            "2026-11-23", *extra]  # fmt: skip


def _unchanged(*paths: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in paths}


@pytest.mark.parametrize(
    ("option", "victim", "named"),
    [
        ("--output", "scr", "FILE"),
        ("--output", "provider", "--provider"),
        ("--provenance", "scr", "FILE"),
        ("--report", "provider", "--provider"),
    ],
)
def test_import_refuses_to_write_over_its_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, victim: str, named: str
) -> None:
    _, scr, provider = _copies(tmp_path)
    target = scr if victim == "scr" else provider
    before = _unchanged(scr, provider)
    extra = [option, str(target)]
    if option != "--output":
        extra += ["--output", str(tmp_path / "out.json")]
    assert main(_import(scr, provider, *extra)) == 2
    assert capsys.readouterr().err == (
        f"error: {option}: {str(target)!r} is the same file as {named} {str(target)!r}: "
        "writing it would replace an input; name another file\n"
    )
    assert _unchanged(scr, provider) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json", "p.yaml", "scr.csv"]


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_a_link_to_an_input_is_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str
) -> None:
    _, scr, provider = _copies(tmp_path)
    other = tmp_path / "elsewhere.json"
    if link == "symlink":
        other.symlink_to(scr)
    else:
        os.link(scr, other)
    before = _unchanged(scr)
    assert main(_import(scr, provider, "--output", str(other))) == 2
    assert capsys.readouterr().err == (
        f"error: --output: {str(other)!r} is the same file as FILE {str(scr)!r}: "
        "writing it would replace an input; name another file\n"
    )
    assert _unchanged(scr) == before


def test_two_outputs_of_one_file_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, scr, provider = _copies(tmp_path)
    out = str(tmp_path / "out.json")
    assert main(_import(scr, provider, "--output", out, "--report", out)) == 2
    assert capsys.readouterr().err == (
        f"error: --report: {out!r} is the same file as --output {out!r}: name another file "
        "for one of them\n"
    )
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("fmt", ["json", "markdown", "csv", "xlsx", "ndjson-findings"])
def test_evaluate_refuses_to_write_over_its_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    bundle, _, _ = _copies(tmp_path)
    before = _unchanged(bundle)
    args = [*ARGS, "--evidence", str(bundle), "--output", str(bundle), "--format", fmt]
    assert main(args) == 2
    assert capsys.readouterr().err == (
        f"error: --output: {str(bundle)!r} is the same file as --evidence {str(bundle)!r}: "
        "writing it would replace an input; name another file\n"
    )
    assert _unchanged(bundle) == before


def test_evaluate_refuses_to_write_over_the_provenance_it_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, scr, provider = _copies(tmp_path)
    bundle, beside = tmp_path / "imported.json", tmp_path / "imported.provenance.json"
    assert main(_import(scr, provider, "--output", str(bundle))) in (0, 1)
    capsys.readouterr()
    before = _unchanged(beside)
    args = [*ARGS, "--evidence", str(bundle), "--format", "csv", "--output", str(beside)]
    assert main(args) == 2
    assert capsys.readouterr().err == (
        f"error: --output: {str(beside)!r} is the same file as --provenance {str(beside)!r}: "
        "writing it would replace an input; name another file\n"
    )
    assert _unchanged(beside) == before
    # JSON does not read it: not an input then
    assert main([*ARGS, "--evidence", str(bundle), "--output", str(beside)]) == 0


def test_an_ndjson_portfolio_is_not_written_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = tmp_path / "all.ndjson"
    stream.write_bytes(BUNDLE.read_bytes().replace(b"\n", b"") + b"\n")
    before = _unchanged(stream)
    assert main([*ARGS, "--evidence", str(stream), "--output", str(stream)]) == 2
    assert capsys.readouterr().err == (
        f"error: --output: {str(stream)!r} is the same file as --evidence {str(stream)!r}: "
        "writing it would replace an input; name another file\n"
    )
    assert _unchanged(stream) == before


def test_portfolio_refuses_a_bundle_of_its_folder_but_not_a_new_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "providers"
    folder.mkdir()
    bundle = folder / "b.json"
    shutil.copy(BUNDLE, bundle)
    before = _unchanged(bundle)
    args = ["portfolio", "--packs-dir", PACKS, "--pack", "demo", "--as-of", "2026-11-23"]
    assert main([*args, "--evidence", str(folder), "--output", str(bundle)]) == 2
    assert capsys.readouterr().err == (
        f"error: --output: {str(bundle)!r} is the same file as --evidence {str(bundle)!r}: "
        "writing it would replace an input; name another file\n"
    )
    assert _unchanged(bundle) == before
    notes = folder / "summary.md"  # not something a folder of bundles is read for
    notes.write_text("last month\n")
    summary = ["--evidence", str(folder), "--format", "markdown", "--output", str(notes)]
    assert main([*args, *summary]) == 0
    assert notes.read_text().startswith("#")


def test_assessment_diff_refuses_to_write_over_an_assessment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "new.json"
    assert main([*ARGS, "--evidence", str(BUNDLE), "--output", str(new)]) == 0
    before = _unchanged(new)
    assert main(["assessment", "diff", str(new), str(new), "-o", str(new)]) == 2
    assert capsys.readouterr().err == (
        f"error: --output: {str(new)!r} is the same file as OLD.json {str(new)!r}: "
        "writing it would replace an input; name another file\n"
    )
    assert _unchanged(new) == before


def test_pack_render_refuses_to_write_over_the_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "demo"
    shutil.copytree(FIXTURES / "packs" / "demo" / "1", folder)
    pack = folder / "pack.yaml"
    before = _unchanged(pack)
    render = ["pack", "render", "--no-entry-points"]
    assert main([*render, str(pack), "--output", str(pack)]) == 2
    assert capsys.readouterr().err == (
        f"error: --output: {str(pack)!r} is the same file as PATH|ID {str(pack)!r}: "
        "writing it would replace an input; name another file\n"
    )
    assert main([*render, str(folder), "--output", str(pack)]) == 2
    assert f"is the same file as PATH|ID {str(pack)!r}:" in capsys.readouterr().err
    assert _unchanged(pack) == before
    readme = folder / "README.md"
    assert main([*render, str(folder), "--output", str(readme)]) == 0
    assert readme.exists()


def test_a_packs_folder_protects_its_pack_files_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--packs-dir .` reads <id>/<edition>/pack.yaml: last month's assessment beside them is
    # not an input, and may be written again.
    packs = tmp_path / "packs"
    shutil.copytree(FIXTURES / "packs", packs)
    pack = packs / "demo" / "1" / "pack.yaml"
    before = _unchanged(pack)
    args = ["evaluate", "--packs-dir", str(packs), "--pack", "demo", "--as-of", "2026-11-23"]
    args += ["--evidence", str(BUNDLE), "--output"]
    assert main([*args, str(pack)]) == 2
    assert capsys.readouterr().err == (
        f"error: --output: {str(pack)!r} is the same file as --packs-dir {str(pack)!r}: "
        "writing it would replace an input; name another file\n"
    )
    assert _unchanged(pack) == before
    previous = packs / "assessment.json"
    previous.write_text("{}")
    assert main([*args, str(previous)]) == 0
    assert main([*args, str(previous)]) == 0


def test_special_files_and_new_files_are_not_inputs(tmp_path: Path) -> None:
    # /dev/null is written through, never replaced; a file that does not exist is not read.
    bundle, _, _ = _copies(tmp_path)
    write_output("x\n", os.devnull, inputs=[("--evidence", os.devnull)])
    write_output(
        "x\n", str(tmp_path / "new.json"), inputs=[("--evidence", str(tmp_path / "new.json"))]
    )
    write_output("x\n", str(tmp_path / "c.json"), inputs=[("--evidence", str(bundle)), ("-", "-")])
    assert (tmp_path / "c.json").read_text() == "x\n"
