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


def test_one_scan_gives_each_group_what_entry_points_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.metadata as metadata

    from safeguard_std.rules._kind import installed_entry_points, one_entry_point_scan

    for name, entries in (
        (
            "b-rules",
            "[safeguard_std.rule_kinds]\nz = b:K\na = b:K\n[safeguard_std.packs]\np = b:R\n",
        ),
        ("a-packs", "[safeguard_std.packs]\nq = a:R\n[console_scripts]\nx = a:main\n"),
    ):
        info = tmp_path / f"{name.replace('-', '_')}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text(entries)
    monkeypatch.syspath_prepend(str(tmp_path))
    groups = ("safeguard_std.rule_kinds", "safeguard_std.packs", "console_scripts", "none")
    alone = [list(metadata.entry_points(group=g)) for g in groups]
    with one_entry_point_scan():
        shared = [list(installed_entry_points(g)) for g in groups]
    assert shared == alone
    assert [e.name for e in alone[1] if e.value.startswith(("a:", "b:"))] == ["p", "q"]


def test_listing_packs_reads_the_installed_distributions_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.metadata as metadata

    from safeguard_std.rules import default_registry

    reads = []
    real = metadata.Distribution.discover.__func__  # type: ignore[attr-defined]

    def discover(cls: type, **kwargs: object) -> object:
        reads.append(kwargs)
        return real(cls, **kwargs)

    monkeypatch.setattr(metadata.Distribution, "discover", classmethod(discover))
    default_registry.cache_clear()  # as in a fresh process: rule kinds are read too
    try:
        assert main(["packs"]) == 0
    finally:
        default_registry.cache_clear()
    assert len(reads) == 1
    capsys.readouterr()
