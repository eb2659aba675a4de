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
    write_output(["one\n", "two\n"], str(fifo))
    reader.join(timeout=10)
    assert got == [b"one\ntwo\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_output("new\n", str(link))
    assert link.is_symlink()
    assert target.read_text() == "new\n"
    assert hidden(tmp_path) == []


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    out.write_text("old\n")
    out.chmod(0o644)
    write_output("new\n", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    out.chmod(0o640)
    write_output("newer\n", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_output("new\n", str(tmp_path / "a.json"))
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

write_output(chunks(), sys.argv[1])
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
    write_output("new\n", str(tmp_path / "a.json"))
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
