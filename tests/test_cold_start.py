"""`safeguard-std packs` as a cold start (issue 21): the cyclic collector is paused from the
command's first import to its end, and put back as it was."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from safeguard_std.cli import main, packs_cmd


def test_importing_the_command_line_loads_no_command() -> None:
    # The commands' modules (and the packs) load inside main, where the collector is paused.
    code = (
        "import sys\n"
        "import safeguard_std.cli\n"
        "print(sorted(m for m in sys.modules if m.startswith(('safeguard_std.packs', "
        "'safeguard_std.rules', 'safeguard_std.cli._common'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_listing_packs_in_a_fresh_interpreter_runs_no_collection() -> None:
    code = (
        "import contextlib, gc, io\n"
        "from safeguard_std.cli import main\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and runs.append(info))\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['packs']) == 0\n"
        "print(len(runs), gc.isenabled())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "True"]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_while_packs_runs_and_put_back(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], enabled: bool
) -> None:
    seen = []
    real = packs_cmd.run

    def spy(args: object) -> int:
        seen.append(gc.isenabled())
        return real(args)  # type: ignore[arg-type]

    monkeypatch.setattr(packs_cmd, "run", spy)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert main(["packs"]) == 0
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False]
    assert "dorset@2024" in capsys.readouterr().out


def test_the_collector_is_put_back_when_packs_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert gc.isenabled()
    assert main(["packs", "--packs-dir", str(tmp_path / "missing")]) == 2
    assert gc.isenabled()
    assert "--packs-dir" in capsys.readouterr().err


def test_other_commands_leave_the_collector_alone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from safeguard_std.cli import pack_cmd

    seen = []
    monkeypatch.setattr(pack_cmd, "run_render", lambda args: seen.append(gc.isenabled()) or 0)
    assert main(["pack", "render", "kcsie@2025"]) == 0
    assert seen == [True]
    capsys.readouterr()
