"""The command line: determinism, exit codes, clean errors, atomic output."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from safeguard_std.cli import main
from tests.conftest import FIXTURES

BUNDLE = FIXTURES / "bundle-small.json"
PACKS = str(FIXTURES / "packs")
ARGS = ["evaluate", "--packs-dir", PACKS, "--pack", "demo", "--as-of", "2026-11-23"]


def run(*args: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-m", "safeguard_std", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def shuffled(tmp_path: Path, seed: int) -> Path:
    data = json.loads(BUNDLE.read_text())
    rng = random.Random(seed)

    def shuffle(node: object) -> object:
        if isinstance(node, dict):
            items = list(node.items())
            rng.shuffle(items)
            return {k: shuffle(v) for k, v in items}
        if isinstance(node, list):
            out = [shuffle(v) for v in node]
            rng.shuffle(out)
            return out
        return node

    path = tmp_path / f"bundle-{seed}.json"
    path.write_text(json.dumps(shuffle(data)))
    return path


def test_byte_identical_across_hash_seeds_and_orderings(tmp_path: Path) -> None:
    outputs = {
        run(*ARGS, "--evidence", str(shuffled(tmp_path, i)), seed=str(1000 + i)).stdout
        for i in range(4)
    }
    outputs.add(run(*ARGS, "--evidence", str(BUNDLE), seed="random").stdout)
    assert len(outputs) == 1
    (text,) = outputs
    assert json.loads(text)["summary"]["total"] > 0


def test_bad_evidence_is_one_line_per_problem_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    data = json.loads(BUNDLE.read_text())
    data["people"][0]["dbs_checks"][0]["issued_on"] = "31/02/2024"
    data["people"][1]["engagements"][0]["role_type"] = "teacher"
    bad.write_text(json.dumps(data, indent=1))
    result = run(*ARGS, "--evidence", str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(
        "error: invalid evidence: invalid value: expected a date written YYYY-MM-DD"
    )
    assert f"{bad} $.people[0].dbs_checks[0].issued_on (line " in lines[0]
    assert lines[1].startswith("  - value not allowed: expected one of 'employee'")
    assert len(lines) == 2


def test_unknown_pack_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["evaluate", "--pack", "nosuch", "--evidence", str(BUNDLE), "--as-of", "2026-01-01"]
    )
    assert code == 2
    assert capsys.readouterr().err.startswith("error: no pack 'nosuch': no such pack")


def test_bad_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ARGS[:-2], "--as-of", "23/11/2026", "--evidence", str(BUNDLE)]) == 2
    assert capsys.readouterr().err == (
        "error: --as-of: expected a date YYYY-MM-DD, got '23/11/2026'\n"
    )


def test_default_as_of_is_announced(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ARGS[:-2], "--evidence", str(BUNDLE)]) == 0
    assert "using today in Europe/London" in capsys.readouterr().err


def test_debug_shows_the_traceback() -> None:
    result = run("--debug", *ARGS, "--evidence", "/nonexistent.json")
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_output_is_atomic_and_failure_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "assessment.json"
    assert main([*ARGS, "--evidence", str(BUNDLE), "--output", str(out)]) == 0
    first = out.read_text()
    assert json.loads(first)["pack"]["id"] == "demo"
    assert main([*ARGS, "--evidence", "/nonexistent.json", "--output", str(out)]) == 2
    assert out.read_text() == first
    assert [p.name for p in tmp_path.iterdir()] == ["assessment.json"]


def test_output_into_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main([*ARGS, "--evidence", str(BUNDLE), "--output", str(tmp_path / "no" / "x.json")])
    assert code == 2
    assert "--output: folder" in capsys.readouterr().err


def test_packs_lists_editions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packs", "--packs-dir", PACKS]) == 0
    assert "demo@1" in capsys.readouterr().out


def test_no_personal_data_in_output() -> None:
    text = run(*ARGS, "--evidence", str(BUNDLE)).stdout
    data = json.loads(BUNDLE.read_text())
    for person in data["people"]:
        for field in ("full_name", "date_of_birth", "address"):
            assert person[field] not in text
        for check in person.get("dbs_checks", []):
            assert check["certificate_number"] not in text


def test_fail_on_exits_1_after_writing_the_assessment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "a.json"
    base = [*ARGS, "--evidence", str(BUNDLE), "--output", str(out)]
    assert main(base) == 0
    by_status = json.loads(out.read_text())["summary"]["by_status"]
    failing = sorted(s for s, n in by_status.items() if n)
    quiet = sorted(s for s, n in by_status.items() if not n)
    assert failing
    assert quiet
    capsys.readouterr()
    out.unlink()
    assert main([*base, "--fail-on", ",".join(quiet)]) == 0
    assert capsys.readouterr().err == ""
    assert main([*base, "--fail-on", f"{failing[0]},{quiet[0]}"]) == 1
    assert out.exists()  # the whole assessment is written first
    assert capsys.readouterr().err == (
        f"fail-on: findings with a failing status ({by_status[failing[0]]} {failing[0]})\n"
    )


@pytest.mark.parametrize("value", ["nope", "", "met,,maybe"])
def test_fail_on_names_the_statuses_it_accepts(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*ARGS, "--evidence", str(BUNDLE), "--fail-on", value])
    assert exit_.value.code == 2
    assert (
        "--fail-on: expected statuses separated by commas, from met, not_met, not_applicable, "
        f"insufficient_evidence, waived, error; got {value!r}"
    ) in capsys.readouterr().err


def test_ndjson_findings_is_the_summary_then_what_needs_doing(tmp_path: Path) -> None:
    whole, compact = tmp_path / "a.json", tmp_path / "a.ndjson"
    base = [
        "evaluate",
        "--pack",
        "dorset",
        "--as-of",
        "2026-11-23",
        "--evidence",
        str(Path(__file__).resolve().parents[1] / "examples" / "dorset-youth-charity.json"),
    ]
    assert main([*base, "--output", str(whole)]) == 0
    assert main([*base, "--format", "ndjson-findings", "--output", str(compact)]) == 0
    assessment = json.loads(whole.read_text())
    lines = compact.read_text(encoding="utf-8").splitlines()
    head, findings = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    # The first line is the assessment without its findings; the summary still counts all.
    expected = {k: v for k, v in assessment.items() if k not in ("findings", "report")}
    assert {k: v for k, v in head.items() if k != "findings_written"} == expected
    kept = [f for f in assessment["findings"] if f["status"] not in ("met", "not_applicable")]
    assert head["findings_written"] == {
        "format": 1,
        "left_out": ["met", "not_applicable"],
        "count": len(kept),
    }
    assert findings == kept  # the same data, the same order
    assert {f["status"] for f in kept} >= {"not_met", "insufficient_evidence"}
    # Canonical: sorted keys, no spaces, one text a line.
    for line in lines:
        assert line == json.dumps(
            json.loads(line), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    assert main([*base, "--format", "ndjson-findings", "--fail-on", "not_met"]) == 1


def test_a_command_imports_only_what_it_uses() -> None:
    # Cold start (issue 21): `packs` needs no report writer, importer or evidence loader.
    code = (
        "import sys, io, contextlib\n"
        "from safeguard_std.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['packs']) == 0\n"
        "mods = ('safeguard_std.reports', 'safeguard_std.importers', 'safeguard_std.evidence',\n"
        "        'safeguard_std.cli.evaluate_cmd', 'safeguard_std.cli.evidence_cmd')\n"
        "print(sorted(m for m in mods if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[0] == "[]"
    # With no command (help, a mistake) every command is listed.
    listed = run("--help").stdout
    for name in ("evaluate", "pack", "packs", "portfolio", "evidence", "assessment"):
        assert f"    {name}" in listed
    wrong = run("evaluat")
    assert wrong.returncode == 2
    assert "invalid choice: 'evaluat'" in wrong.stderr
