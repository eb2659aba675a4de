"""Portfolios: a bundle a line in, an assessment a line out, in input order; bad lines reported."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.generate import BundleGenerator

from safeguard_std.cli import main
from safeguard_std.domain.pack import Pack
from safeguard_std.evaluate import compile_pack, evaluate
from safeguard_std.evidence import bundle_from_data
from safeguard_std.evidence.stream import iter_ndjson
from safeguard_std.packs import PackCatalog
from safeguard_std.portfolio import WINDOW_PER_JOB, evaluate_portfolio, is_portfolio, rollup
from safeguard_std.portfolio.rollup import summarize
from safeguard_std.serialization import assessment_to_data, canonical_json
from tests.conftest import ROOT

AS_OF = dt.date(2026, 11, 23)
PACK_FILE = ROOT / "benchmarks" / "packs" / "dorset-person-rules" / "1" / "pack.yaml"


@pytest.fixture(scope="module")
def pack() -> Pack:
    catalog = PackCatalog()
    catalog = catalog.with_folder(PACK_FILE.parent)
    return catalog.resolve("dorset-person-rules@1")


@pytest.fixture(scope="module")
def bundles() -> list[dict[str, object]]:
    gen = BundleGenerator(seed=7)
    return [gen.bundle(3 + i % 4, index=i) for i in range(10)]


def portfolio_lines(bundles: list[dict[str, object]]) -> list[bytes]:
    """Ten bundles with a blank line, a broken line and an invalid bundle among them."""
    lines = [json.dumps(b).encode() + b"\n" for b in bundles]
    lines.insert(2, b"\n")  # line 3: blank, skipped
    lines.insert(4, b'{"id": "b-x", "provider": {"id": "p"}}\n')  # line 5: invalid bundle
    lines.insert(8, b'{"id": \n')  # line 9: not JSON
    return lines


def expected_text(pack: Pack, bundle: dict[str, object]) -> str:
    return canonical_json(assessment_to_data(evaluate(pack, bundle_from_data(bundle), as_of=AS_OF)))


@pytest.mark.parametrize("jobs", [1, 2])
def test_output_keeps_input_order_and_matches_single_evaluations(
    pack: Pack, bundles: list[dict[str, object]], jobs: int
) -> None:
    results = list(
        evaluate_portfolio(
            pack, portfolio_lines(bundles), as_of=AS_OF, jobs=jobs, source="p.ndjson"
        )
    )
    assert [r.line for r in results] == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert [r.line for r in results if r.error] == [5, 9]
    texts = [r.text for r in results if r.text is not None]
    assert texts == [expected_text(pack, b) for b in bundles]


def test_bad_lines_are_located_at_their_line(pack: Pack, bundles: list[dict[str, object]]) -> None:
    results = evaluate_portfolio(pack, portfolio_lines(bundles), as_of=AS_OF, source="p.ndjson")
    errors = {r.line: [str(p) for p in r.error.problems] for r in results if r.error}
    assert errors[9] == ["not valid JSON: Expecting value @ p.ndjson $ (line 9, column 8)"]
    assert errors[5][0].startswith(
        "required key 'kind' is missing: expected 'kind': one of 'maintained_school', 'academy', "
    )
    assert errors[5][0].endswith("@ p.ndjson $.provider (line 5, column 15)")


@pytest.mark.parametrize("jobs", [1, 3])
def test_lines_are_read_lazily(pack: Pack, bundles: list[dict[str, object]], jobs: int) -> None:
    read = 0

    def lines() -> Iterator[bytes]:
        nonlocal read
        for _ in range(4):
            for bundle in bundles:
                read += 1
                yield json.dumps(bundle).encode()

    stream = evaluate_portfolio(pack, lines(), as_of=AS_OF, jobs=jobs)
    next(stream)
    assert read <= (1 if jobs == 1 else jobs * WINDOW_PER_JOB)  # in flight, never all 40
    assert sum(1 for _ in stream) == 39


def test_jobs_must_be_positive(pack: Pack) -> None:
    with pytest.raises(ValueError, match="jobs must be at least 1, got 0"):
        list(evaluate_portfolio(pack, [], as_of=AS_OF, jobs=0))


def test_portfolio_suffixes() -> None:
    assert is_portfolio("a/b.ndjson")
    assert is_portfolio("B.JSONL")
    assert not is_portfolio("b.json")


def cli(tmp_path: Path, lines: list[bytes], *extra: str) -> tuple[int, Path]:
    source = tmp_path / "portfolio.ndjson"
    source.write_bytes(b"".join(lines))
    out = tmp_path / "out.ndjson"
    code = main(
        [
            "evaluate",
            "--pack",
            str(PACK_FILE),
            "--evidence",
            str(source),
            "--as-of",
            AS_OF.isoformat(),
            "--output",
            str(out),
            *extra,
        ]
    )
    return code, out


def test_cli_reports_bad_lines_and_exits_2_at_the_end(
    tmp_path: Path,
    bundles: list[dict[str, object]],
    pack: Pack,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = cli(tmp_path, portfolio_lines(bundles), "--jobs", "2")
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert out.read_text().splitlines() == [expected_text(pack, b) for b in bundles]
    source = tmp_path / "portfolio.ndjson"
    assert (
        f"error: invalid evidence: not valid JSON: Expecting value @ {source} $ (line 9, column 8)"
        in err
    )
    assert err[-1] == "error: 2 of 12 bundle lines could not be evaluated"


def test_cli_all_good_exits_0(tmp_path: Path, bundles: list[dict[str, object]]) -> None:
    code, out = cli(tmp_path, [json.dumps(b).encode() + b"\n" for b in bundles[:3]], "--jobs", "0")
    assert code == 0
    assert [json.loads(line)["evidence"]["bundle_id"] for line in out.read_text().splitlines()] == [
        "bundle-000000",
        "bundle-000001",
        "bundle-000002",
    ]


@pytest.mark.parametrize("text", [b"", b"\n", b"  \n\t\n\r\n", b"\n\n"])
@pytest.mark.parametrize("fail_on", [(), ("--fail-on", "not_met,error,insufficient_evidence")])
def test_cli_refuses_a_portfolio_with_no_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: bytes, fail_on: tuple[str, ...]
) -> None:
    # A truncated or empty export must not pass a CI gate (as `portfolio` refuses it too).
    out = tmp_path / "out.ndjson"
    out.write_text("last month's assessments\n")
    code, _ = cli(tmp_path, [text], *fail_on)
    assert code == 2
    source = tmp_path / "portfolio.ndjson"
    assert capsys.readouterr().err == (
        f"error: --evidence: no evidence bundles found in {str(source)!r}\n"
    )
    assert out.read_text() == "last month's assessments\n"  # left as it was


def test_cli_refuses_negative_jobs(
    tmp_path: Path, bundles: list[dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = cli(tmp_path, [json.dumps(bundles[0]).encode()], "--jobs", "-1")
    assert code == 2
    assert capsys.readouterr().err == "error: --jobs: expected 0 or more, got -1\n"
    assert not out.exists()


def test_the_command_puts_the_garbage_collector_back(
    tmp_path: Path, bundles: list[dict[str, object]]
) -> None:
    import gc

    before = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
    source = tmp_path / "one.json"
    source.write_text(json.dumps(bundles[0]))
    args = ["evaluate", "--pack", str(PACK_FILE), "--as-of", AS_OF.isoformat()]
    assert main([*args, "--evidence", str(source), "--output", str(tmp_path / "a.json")]) == 0
    assert cli(tmp_path, [json.dumps(bundles[1]).encode()])[0] == 0
    assert (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()) == before


def test_cli_fail_on_sums_every_line_and_exits_1_after_writing_them_all(
    tmp_path: Path,
    bundles: list[dict[str, object]],
    pack: Pack,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = [json.dumps(b).encode() + b"\n" for b in bundles[:3]]
    totals: dict[str, int] = {}
    for b in bundles[:3]:
        summary = json.loads(expected_text(pack, b))["summary"]["by_status"]
        for status, n in summary.items():
            totals[status] = totals.get(status, 0) + n
    assert totals["not_met"] > 0
    code, out = cli(tmp_path, lines, "--jobs", "2", "--fail-on", "not_met,error")
    assert code == 1
    assert len(out.read_text().splitlines()) == 3
    expected = f"fail-on: findings with a failing status ({totals['not_met']} not_met)\n"
    assert capsys.readouterr().err == expected
    code, _ = cli(tmp_path, lines, "--fail-on", "error")
    assert code == 0
    code, _ = cli(tmp_path, [*lines, b"{not json}\n"], "--fail-on", "not_met")
    assert code == 2  # unusable input outranks failing findings


# -- one path: lines, a path or bundles in; the roll-up as its consumer (issue 15, item 1) -------


def _folder(tmp_path: Path, bundles: list[dict[str, object]]) -> Path:
    folder = tmp_path / "providers"
    folder.mkdir()
    for i, b in enumerate(bundles):
        (folder / f"{i:02}.json").write_text(json.dumps(b), encoding="utf-8")
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_function_reads_lines_a_folder_an_ndjson_file_or_bundles(
    tmp_path: Path, pack: Pack, bundles: list[dict[str, object]], jobs: int
) -> None:
    wanted = [expected_text(pack, b) for b in bundles]
    ndjson = tmp_path / "all.ndjson"
    ndjson.write_bytes(b"".join(json.dumps(b).encode() + b"\n" for b in bundles))
    folder = _folder(tmp_path, bundles)
    objects = [bundle_from_data(b) for b in bundles]
    runs = {
        "lines": evaluate_portfolio(pack, ndjson.read_bytes().splitlines(), as_of=AS_OF, jobs=jobs),
        "ndjson": evaluate_portfolio(pack, ndjson, as_of=AS_OF, jobs=jobs),
        "folder": evaluate_portfolio(pack, folder, as_of=AS_OF, jobs=jobs),
        "bundles": evaluate_portfolio(pack, objects, as_of=AS_OF, jobs=jobs, source="mine"),
    }
    results = {name: list(run) for name, run in runs.items()}
    for name, got in results.items():
        assert [r.text for r in got] == wanted, name
        assert [r.line for r in got] == list(range(1, len(bundles) + 1)), name
    assert results["ndjson"][2].source == f"{ndjson}:3"
    assert results["folder"][2].source == str(folder / "02.json")
    assert results["bundles"][2].source == "mine:3"


def test_a_missing_path_is_one_located_error(tmp_path: Path, pack: Pack) -> None:
    gone = tmp_path / "gone.ndjson"
    (result,) = evaluate_portfolio(pack, gone, as_of=AS_OF)
    assert result.error is not None
    assert str(result.error) == (
        f"invalid evidence: cannot read evidence file: No such file or directory @ {gone} $"
    )


def test_kept_assessments_are_the_assessments_themselves(
    pack: Pack, bundles: list[dict[str, object]]
) -> None:
    plan = compile_pack(pack)
    lines = [json.dumps(b).encode() for b in bundles[:3]]
    for jobs in (1, 2):
        results = list(
            evaluate_portfolio(plan, lines, as_of=AS_OF, jobs=jobs, keep_assessments=True)
        )
        assert [r.text for r in results] == [None] * 3
        assert [r.assessment for r in results] == [
            evaluate(pack, bundle_from_data(b), as_of=AS_OF) for b in bundles[:3]
        ]
        assert [r.bundle for r in results] == [bundle_from_data(b) for b in bundles[:3]]


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_roll_up_is_the_streams_consumer(
    tmp_path: Path, pack: Pack, bundles: list[dict[str, object]], jobs: int
) -> None:
    plan = compile_pack(pack)
    lines = portfolio_lines(bundles)
    results = evaluate_portfolio(
        plan, lines, as_of=AS_OF, jobs=jobs, keep_assessments=True, line_labels=True
    )
    summary = summarize(results, plan, AS_OF)
    # The older entry point (bundles in, a summary out) is a thin wrapper giving the same rows.
    wrapped = rollup.evaluate_portfolio(plan, [bundle_from_data(b) for b in bundles], AS_OF)
    assert summary.providers == wrapped.providers
    assert [s.source for s in summary.skipped] == ["portfolio.ndjson:5", "portfolio.ndjson:9"]
    assert summary.skipped[1].reason == (
        "not valid JSON: Expecting value @ portfolio.ndjson:9 $ (line 1, column 8)"
    )
    # The same rows whichever way the bundles come in.
    from_folder = evaluate_portfolio(
        plan, _folder(tmp_path, bundles), as_of=AS_OF, jobs=jobs, keep_assessments=True
    )
    assert summarize(from_folder, plan, AS_OF) == wrapped


def test_summarize_needs_the_assessments(pack: Pack, bundles: list[dict[str, object]]) -> None:
    plan = compile_pack(pack)
    results = evaluate_portfolio(plan, [json.dumps(bundles[0])], as_of=AS_OF)
    with pytest.raises(ValueError, match="evaluate the portfolio with keep_assessments=True"):
        summarize(results, plan, AS_OF)


def test_both_styles_of_location_read_a_line_alike(
    pack: Pack, bundles: list[dict[str, object]]
) -> None:
    # One reader: a byte-order mark on a later line (files joined with cat), a line cut short
    # and a nesting too deep come out the same whichever way the problems are labelled.
    good = json.dumps(bundles[0]).encode()
    deep = b'{"id": ' + b"[" * 100 + b"]" * 100 + b"}"
    lines = [good, b"\xef\xbb\xbf" + good, b'{"id": \n', deep]
    by_line = list(evaluate_portfolio(pack, lines, as_of=AS_OF, source="p.ndjson"))
    labelled = list(iter_ndjson(lines, "p.ndjson"))
    assert [r.error is None for r in by_line] == [b.error is None for b in labelled]
    assert [b.error is None for b in labelled] == [True, True, False, False]
    assert [str(p) for p in by_line[2].error.problems] == [
        "not valid JSON: Expecting value @ p.ndjson $ (line 3, column 8)"
    ]
    assert [str(p) for p in labelled[2].error.problems] == [
        "not valid JSON: Expecting value @ p.ndjson:3 $ (line 1, column 8)"
    ]
    assert [str(p) for p in labelled[3].error.problems] == [
        "document is nested deeper than 64 levels @ p.ndjson:4 $"
    ]


def test_a_compiled_plan_goes_to_spawned_workers_as_its_pack(
    pack: Pack, bundles: list[dict[str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    import safeguard_std.portfolio as portfolio

    # Where processes cannot be forked a compiled plan (closures) cannot be pickled either.
    monkeypatch.setattr(portfolio, "_context", lambda: multiprocessing.get_context("spawn"))
    lines = [json.dumps(b).encode() for b in bundles[:2]]
    results = list(evaluate_portfolio(compile_pack(pack), lines, as_of=AS_OF, jobs=2))
    assert [r.text for r in results] == [expected_text(pack, b) for b in bundles[:2]]


@pytest.mark.parametrize("text", ["\x1c", "\x85", "\u2028", "\u00a0", "\x0c"])
@pytest.mark.parametrize("as_bytes", [False, True])
def test_a_line_blank_only_to_python_is_not_dropped(text: str, as_bytes: bool) -> None:
    # Only JSON's own whitespace makes a line blank: a line holding anything else gets an
    # outcome (here, an error), never silence (found by the NDJSON property test).
    line: str | bytes = text.encode() if as_bytes else text
    loaded = list(iter_ndjson([line, "{}"], "p.ndjson"))
    assert [item.source for item in loaded] == ["p.ndjson:1", "p.ndjson:2"]
    assert loaded[0].error is not None
