"""``safeguard-std assessment diff OLD.json NEW.json``: what changed since last month."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from report_fixtures import BUNDLES, REPORTS, bundle, pack

from safeguard_std.cli import main
from safeguard_std.domain.people import DbsCheck
from safeguard_std.evaluate import evaluate
from safeguard_std.exceptions import AssessmentError
from safeguard_std.io.schemas import schema_errors
from safeguard_std.reports import to_json
from safeguard_std.reports.diff import (
    DIFF_FORMAT,
    diff_assessments,
    diff_to_json,
    diff_to_markdown,
    diff_to_text,
    read_assessment,
)

OLD_AS_OF = dt.date(2026, 10, 23)
NEW_AS_OF = dt.date(2026, 11, 23)
GAPS = ("not_met", "insufficient_evidence", "error")


def _months() -> tuple[dict, dict]:
    """Harbour on monitoring@1 a month apart: in between, hy-002 got an enhanced DBS check with
    the barred list, and hy-004 (a trustee) left."""
    p = pack("monitoring@1")
    before = bundle("harbour")
    hy002 = next(x for x in before.people if x.id == "hy-002")
    fixed_dbs = DbsCheck(
        id="dbs-hy-002b",
        certificate_number="998877665544",
        level="enhanced",
        barred_list_children=True,
        workforce="child",
        issued_on=dt.date(2026, 11, 1),
        disclosure="clear",
    )
    hy002 = attrs.evolve(hy002, dbs_checks=(*hy002.dbs_checks, fixed_dbs))
    people = tuple(hy002 if x.id == "hy-002" else x for x in before.people if x.id != "hy-004")
    after = attrs.evolve(before, people=people)
    old = json.loads(to_json(evaluate(p, before, as_of=OLD_AS_OF), pack=p, bundle=before))
    new = json.loads(to_json(evaluate(p, after, as_of=NEW_AS_OF), pack=p, bundle=after))
    return old, new


OLD, NEW = _months()


def _by_key(doc: dict) -> dict[tuple[str, str], dict]:
    return {
        (f["requirement"], f"{f['subject']['type']}:{f['subject']['id']}"): f
        for f in doc["findings"]
    }


def test_the_four_lists_follow_from_the_two_assessments() -> None:
    d = diff_assessments(OLD, NEW)
    old, new = _by_key(OLD), _by_key(NEW)
    gap = lambda f: f is not None and f["status"] in GAPS  # noqa: E731
    expected_new = {k for k in new if gap(new[k]) and not gap(old.get(k))}
    expected_resolved = {k for k in old if gap(old[k]) and k in new and not gap(new[k])}
    expected_open = {k for k in old if gap(old[k]) and gap(new.get(k))}
    expected_gone = {k for k in old if gap(old[k]) and k not in new}
    assert {(c.requirement, c.subject) for c in d.new_gaps} == expected_new
    assert {(c.requirement, c.subject) for c in d.resolved} == expected_resolved
    assert {(c.requirement, c.subject) for c in d.still_open} == expected_open
    assert {(c.requirement, c.subject) for c in d.no_longer_assessed} == expected_gone
    # the month's story: hy-002's DBS fixed, hy-004's gaps gone with them (never "resolved")
    assert ("MON-6", "person:hy-002") in expected_resolved
    assert ("MON-9", "person:hy-004") in expected_gone
    assert not any(c.subject == "person:hy-004" for c in d.resolved)
    assert expected_open


def test_still_open_says_for_how_long() -> None:
    d = diff_assessments(OLD, NEW)
    training = next(c for c in d.still_open if c.requirement == "MON-8")
    # overdue since its due date: counted from there
    assert training.open_since == dt.date(2026, 6, 10)
    assert training.days_open == (NEW_AS_OF - dt.date(2026, 6, 10)).days
    assert training.since_due
    undated = next(c for c in d.still_open if c.due_on is None)
    # no due date: open at least since the old assessment
    assert undated.open_since == OLD_AS_OF
    assert undated.days_open == 31
    assert not undated.since_due


def test_lapses_coming_due_in_the_new_assessment() -> None:
    d = diff_assessments(OLD, NEW, horizon_days=60)
    assert d.coming_due
    for c in d.coming_due:
        assert c.due_on is not None
        assert NEW_AS_OF <= c.due_on <= NEW_AS_OF + dt.timedelta(days=60)
    assert [c.due_on for c in d.coming_due] == sorted(c.due_on for c in d.coming_due)


def test_text_json_and_markdown() -> None:
    d = diff_assessments(OLD, NEW)
    text = diff_to_text(d)
    assert "New gaps" in text
    assert "Resolved" in text
    assert "Still open" in text
    assert "MON-6 person:hy-002" in text
    data = json.loads(diff_to_json(d))
    assert data["diff_format"] == DIFF_FORMAT
    assert data["old"]["as_of"] == OLD_AS_OF.isoformat()
    assert data["new"]["as_of"] == NEW_AS_OF.isoformat()
    assert {c["finding"] for c in data["resolved"]} >= {"monitoring/MON-6/person:hy-002"}
    assert all("days_open" in c for c in data["still_open"])
    md = diff_to_markdown(d)
    assert md.startswith("# What changed:")
    assert "| MON-6 |" in md
    assert diff_to_json(d) == diff_to_json(diff_assessments(OLD, NEW))  # deterministic


def _write(tmp_path: Path, name: str, data: object) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_cli_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _write(tmp_path, "old.json", OLD), _write(tmp_path, "new.json", NEW)
    assert main(["assessment", "diff", old, new]) == 0
    out = capsys.readouterr().out
    assert "Resolved" in out
    out_file = tmp_path / "diff.json"
    assert main(["assessment", "diff", old, new, "--format", "json", "-o", str(out_file)]) == 0
    assert json.loads(out_file.read_text())["diff_format"] == DIFF_FORMAT
    assert main(["assessment", "diff", old, new, "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("# What changed:")
    assert main(["assessment", "diff", old, new, "--fail-on-new-gaps"]) == 1


def test_errors_are_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path, "old.json", OLD)
    # an evidence bundle where an assessment should be
    code = main(["assessment", "diff", old, str(BUNDLES / "harbour.json")])
    assert code == 2
    err = capsys.readouterr().err
    assert "harbour.json" in err
    assert "not an assessment" in err
    # a finding with a status no assessment has, pointed at by path and line
    broken = json.loads(json.dumps(NEW))
    broken["findings"][2]["status"] = "passed"
    text = json.dumps(broken, indent=2)
    bad = _write(tmp_path, "bad.json", text)
    assert main(["assessment", "diff", old, bad]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err
    assert "findings[2].status" in err
    assert "line " in err
    # not JSON at all
    assert main(["assessment", "diff", old, _write(tmp_path, "junk.json", "{not json")]) == 2
    assert "junk.json" in capsys.readouterr().err
    # missing file
    assert main(["assessment", "diff", old, str(tmp_path / "absent.json")]) == 2
    assert "absent.json" in capsys.readouterr().err


def _with_date(doc: dict, path: tuple[str | int, ...], value: str) -> dict:
    changed = json.loads(json.dumps(doc))
    *inner, last = path
    node = changed
    for part in inner:
        node = node[part]
    node[last] = value
    return changed


def _due_index(doc: dict) -> int:
    return next(i for i, f in enumerate(doc["findings"]) if f.get("due_on"))


@pytest.mark.parametrize(
    ("side", "where", "value"),
    [
        ("new", "as_of", "2030-02-30"),
        ("old", "as_of", "2026-13-01"),
        ("new", "due_on", "2026-02-30"),
        ("new", "due_on", "0000-01-01"),
        ("old", "due_on", "2026-04-31"),
        ("new", "horizon", "2027-02-29"),
    ],
)
def test_a_date_that_is_not_a_real_date_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], side: str, where: str, value: str
) -> None:
    # The schema's pattern lets these through; they are still not dates, and were a traceback.
    doc = OLD if side == "old" else NEW
    path: tuple[str | int, ...] = {
        "as_of": ("as_of",),
        "due_on": ("findings", _due_index(doc), "due_on"),
        "horizon": ("report", "horizon", "to"),
    }[where]
    bad = _write(tmp_path, "bad.json", json.dumps(_with_date(doc, path, value), indent=2))
    good = _write(tmp_path, "good.json", NEW if side == "old" else OLD)
    args = [bad, good] if side == "old" else [good, bad]
    assert main(["assessment", "diff", *args]) == 2
    err = capsys.readouterr().err
    json_path = "$." + ".".join(f"[{p}]" if isinstance(p, int) else p for p in path)
    json_path = json_path.replace(".[", "[")
    assert err.startswith(
        "error: invalid assessment: invalid value: expected a real calendar date "
        f"'YYYY-MM-DD', got {value!r} @ {bad} {json_path} (line "
    )
    assert len(err.splitlines()) == 1


def test_a_date_of_another_shape_is_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _write(tmp_path, "bad.json", json.dumps(_with_date(NEW, ("as_of",), "2030-2-3")))
    assert main(["assessment", "diff", _write(tmp_path, "old.json", OLD), bad]) == 2
    assert capsys.readouterr().err == (
        "error: invalid assessment: invalid value: expected a date written YYYY-MM-DD, "
        f"got '2030-2-3' @ {bad} $.as_of (line 1, column 2)\n"
    )


def test_the_calendars_last_day_on_the_newer_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Coming due within 90 days of 9999-12-31 looked past the calendar's end (OverflowError).
    last = _with_date(NEW, ("as_of",), "9999-12-31")
    old, new = _write(tmp_path, "old.json", OLD), _write(tmp_path, "new.json", last)
    assert main(["assessment", "diff", old, new, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["new"]["as_of"] == "9999-12-31"


def test_refuses_to_compare_what_cannot_be_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _write(tmp_path, "old.json", OLD), _write(tmp_path, "new.json", NEW)
    assert main(["assessment", "diff", new, old]) == 2
    assert "before" in capsys.readouterr().err
    other = json.loads(json.dumps(NEW))
    other["evidence"]["provider_id"] = "prov-other"
    assert main(["assessment", "diff", old, _write(tmp_path, "other.json", other)]) == 2
    assert "prov-other" in capsys.readouterr().err


def test_read_assessment_raises_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(AssessmentError) as caught:
        read_assessment(BUNDLES / "harbour.json")
    assert "not an assessment" in str(caught.value)
    assert read_assessment(_write(tmp_path, "ok.json", OLD))["as_of"] == OLD_AS_OF.isoformat()


def test_inputs_are_valid_assessments() -> None:
    for doc in (OLD, NEW):
        assert list(schema_errors("assessment", doc)) == []
    assert REPORTS.is_dir()
