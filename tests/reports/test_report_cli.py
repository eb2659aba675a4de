"""``safeguard-std evaluate --format ...`` and ``safeguard-std portfolio``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from report_fixtures import BUNDLES, GOLDEN, PROVIDERS, REPORTS, ROOT, check_golden

from safeguard_std.cli import main

PACKS = ["--packs-dir", str(REPORTS / "packs"), "--no-entry-points"]
DEMO = ["--packs-dir", str(REPORTS.parent / "packs"), "--no-entry-points"]


def _evaluate(*extra: str, pack: str = "demo@1", bundle: str = "harbour") -> list[str]:
    return [
        "evaluate",
        "--pack",
        pack,
        *(DEMO if pack.startswith("demo") else PACKS),
        "--evidence",
        str(BUNDLES / f"{bundle}.json"),
        "--as-of",
        "2026-11-23",
        *extra,
    ]


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [
        ("json", "demo-harbour.json"),
        ("markdown", "demo-harbour.md"),
        ("html", "demo-harbour.html"),
        ("oscal", "demo-harbour.oscal.json"),
        # The command line locates SARIF results in the files it read (paths from the working
        # folder, the repository's root here); render() without locations gives the pack file.
        ("sarif", "demo-harbour.located.sarif"),
        ("junit", "demo-harbour.junit.xml"),
    ],
)
def test_every_format_from_the_command_line(
    fmt: str, golden: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(_evaluate("--format", fmt)) == 0
    out, err = capsys.readouterr()
    if fmt == "sarif":
        check_golden(golden, out)
    assert out.encode("utf-8") == (GOLDEN / golden).read_bytes()
    assert err == ""


def test_json_is_the_default_and_keeps_the_assessment(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_evaluate()) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["assessment_format"] == 1
    assert data["report"]["overall_rating"] == "red"
    assert [m["id"] for m in data["report"]["metrics"]] == [
        "dbs",
        "training",
        "policies",
        "actions",
    ]


def test_output_file_is_written_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.html"
    target.write_text("old report")
    assert main(_evaluate("--format", "html", "--output", str(target))) == 0
    assert capsys.readouterr().out == ""
    assert target.read_bytes() == (GOLDEN / "demo-harbour.html").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_horizon_and_names(capsys: pytest.CaptureFixture[str]) -> None:
    args = _evaluate(
        "--format", "markdown", "--horizon", "30", "--include-personal-data", pack="monitoring@1"
    )
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.encode("utf-8") == (GOLDEN / "monitoring-harbour-names-30d.md").read_bytes()


@pytest.mark.parametrize("fmt", ["json", "markdown", "html", "oscal", "sarif", "junit", "csv"])
def test_the_calendars_last_days_are_reported(fmt: str, tmp_path: Path) -> None:
    # The 90-day horizon from 9999-10-03 on would pass 9999-12-31: it stops there instead.
    out = tmp_path / f"report.{fmt}"
    args = [*_evaluate("--format", fmt, "--output", str(out)), "--as-of", "9999-12-31"]
    assert main(args) == 0
    if fmt == "json":
        horizon = json.loads(out.read_text())["report"]["horizon"]
        assert (horizon["days"], horizon["to"]) == (90, "9999-12-31")


@pytest.mark.parametrize("value", ["-5", "3661", "ninety", "1.5"])
def test_bad_horizon_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(_evaluate("--horizon", value))
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        "safeguard-std evaluate: error: argument --horizon: expected a whole number of days "
        f"from 0 to 3660, got {value!r}"
    )


def test_unknown_format_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(_evaluate("--format", "pdf"))
    assert info.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


def test_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "safeguard_std", *_evaluate("--format", "html")],
            capture_output=True,
            env=env,
            check=True,
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == (GOLDEN / "demo-harbour.html").read_bytes()


# -- portfolio ------------------------------------------------------------------------------------


def _portfolio(evidence: str, *extra: str) -> list[str]:
    return [
        "portfolio",
        "--pack",
        "monitoring@1",
        *PACKS,
        "--evidence",
        evidence,
        "--as-of",
        "2026-11-23",
        *extra,
    ]


def _ndjson(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "providers.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _line(name: str) -> str:
    return json.dumps(json.loads((BUNDLES / f"{name}.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_portfolio_from_a_folder(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_portfolio(str(BUNDLES), "--format", fmt)) == 0
    out, err = capsys.readouterr()
    suffix = "json" if fmt == "json" else "md"
    assert out.encode("utf-8") == (GOLDEN / f"portfolio-monitoring.{suffix}").read_bytes()
    assert err == ""  # no progress bar: stderr is not a terminal


def test_portfolio_from_ndjson_matches_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _ndjson(tmp_path, *(_line(n) for n in reversed(PROVIDERS)), "")
    assert main(_portfolio(str(path))) == 0
    assert capsys.readouterr().out.encode() == (GOLDEN / "portfolio-monitoring.json").read_bytes()


def test_portfolio_from_standard_input(tmp_path: Path) -> None:
    stream = "\n".join(_line(n) for n in PROVIDERS) + "\n"
    result = subprocess.run(
        [sys.executable, "-m", "safeguard_std", *_portfolio("-")],
        input=stream.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    assert result.stdout == (GOLDEN / "portfolio-monitoring.json").read_bytes()


def test_portfolio_reports_bad_bundles_and_summarises_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = json.loads(_line("meadow"))
    broken["people"][0]["date_of_birth"] = "31/02/1970"
    path = _ndjson(tmp_path, _line("harbour"), "{not json", json.dumps(broken))
    assert main(_portfolio(str(path))) == 2
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["provider_count"] == 1
    assert [s["source"] for s in data["skipped"]] == [f"{path}:2", f"{path}:3"]
    lines = err.splitlines()
    assert lines[0] == (
        "error: invalid evidence: not valid JSON: Expecting property name enclosed in double "
        f"quotes @ {path}:2 $ (line 1, column 2)"
    )
    assert "31/02/1970" not in err  # a date of birth is personal data, even when wrong
    assert lines[1].endswith(f"@ {path}:3 $.people[0].date_of_birth")


def test_portfolio_on_the_calendars_last_day(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_portfolio(str(BUNDLES)), "--as-of", "9999-12-31", "--horizon", "3660"]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "9999-12-31"


def test_the_same_evidence_twice_is_counted_once_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A folder holding copies of one bundle listed one provider three times, all at red.
    (tmp_path / "sub").mkdir()
    for name in ("a.json", "b.json", "sub/c.json"):
        (tmp_path / name).write_text(_line("harbour"), encoding="utf-8")
    (tmp_path / "d.json").write_text(_line("meadow"), encoding="utf-8")
    assert main(_portfolio(str(tmp_path))) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["provider_count"] == 2
    assert [p["bundle_id"] for p in data["providers"]].count(
        json.loads(_line("harbour"))["id"]
    ) == 1
    assert data["repeated"] == [
        {"source": str(tmp_path / "b.json"), "same_as": str(tmp_path / "a.json")},
        {"source": str(tmp_path / "sub" / "c.json"), "same_as": str(tmp_path / "a.json")},
    ]
    assert err.splitlines() == [
        f"warning: {tmp_path / 'b.json'}: the same evidence as {tmp_path / 'a.json'}: counted once",
        f"warning: {tmp_path / 'sub' / 'c.json'}: the same evidence as {tmp_path / 'a.json'}: "
        "counted once",
    ]
    assert main(_portfolio(str(tmp_path), "--format", "markdown")) == 0
    markdown = capsys.readouterr().out
    assert "## Evidence given more than once (counted once)" in markdown


def test_portfolio_with_nothing_to_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_portfolio(str(tmp_path))) == 2
    assert capsys.readouterr().err == (
        f"error: --evidence: no evidence bundles found in {str(tmp_path)!r}\n"
    )
    assert main(_portfolio(str(tmp_path / "missing"))) == 2
    assert "does not exist" in capsys.readouterr().err


def test_progress_bar_only_when_asked_or_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(_portfolio(str(BUNDLES), "--progress", "always")) == 0
    err = capsys.readouterr().err
    assert err.endswith("\r[##############################] 4/4 bundles\n")
    assert main(_portfolio(str(BUNDLES), "--progress", "never")) == 0
    assert capsys.readouterr().err == ""
