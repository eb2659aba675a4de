"""What changed between two assessments of one provider: ``safeguard-std assessment diff``.

Findings are matched by requirement and subject (a finding id also names the pack, which an
edition change keeps). A *gap* is a finding not met, without sufficient evidence, or in error:

* **new gaps**: a gap now that was not one before (or was not assessed before);
* **resolved**: a gap before that is met, waived or not applicable now;
* **still open**: a gap in both, with how long it has been open: since its due date when it has
  one in the past, otherwise at least since the older assessment;
* **no longer assessed**: a gap before whose finding is gone (the person left, the requirement
  was withdrawn). Never counted as resolved: nothing showed it was put right;
* **coming due**: findings of the newer assessment due within the horizon (renewals, reviews).

Works on the assessment documents themselves (JSON, as ``evaluate`` writes them), so two months'
files are all it needs; both are checked against the published assessment schema first.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

import attrs

from safeguard_std.exceptions import AssessmentError, Location, Problem
from safeguard_std.io._problems import schema_problems
from safeguard_std.io.documents import load_document
from safeguard_std.io.schemas import schema_errors
from safeguard_std.reports._format import clean_text, json_safe, plural, status_label
from safeguard_std.reports._model import MAX_HORIZON_DAYS, ONE_OFF_DEADLINES, horizon_end
from safeguard_std.reports.markdown import escape
from safeguard_std.serialization import canonical_json

__all__ = [
    "DIFF_FORMAT",
    "AssessmentDiff",
    "Change",
    "diff_assessments",
    "diff_to_json",
    "diff_to_markdown",
    "diff_to_text",
    "read_assessment",
]

#: Version of the JSON diff document's shape.
DIFF_FORMAT = 1

_GAPS = frozenset({"not_met", "insufficient_evidence", "error"})
_MODALITY_RANK = {"must": 0, "should": 1, "recommended": 2}


@attrs.frozen(kw_only=True)
class Change:
    """One finding's place in the diff."""

    finding: str
    requirement: str
    subject: str
    section: str
    modality: str
    old_status: str | None
    new_status: str | None
    message: str
    due_on: dt.date | None = None
    open_since: dt.date | None = None
    days_open: int | None = None
    since_due: bool = False
    days_left: int | None = None

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready data (``None`` values left out)."""
        data = attrs.asdict(self)
        out: dict[str, Any] = {}
        for key, value in data.items():
            if value is None or (key == "since_due" and not value):
                continue
            out[key] = value.isoformat() if isinstance(value, dt.date) else value
        return out


@attrs.frozen(kw_only=True)
class Side:
    """What identifies one of the two assessments."""

    source: str
    as_of: dt.date
    pack: str
    provider_id: str
    bundle_id: str
    evidence_digest: str
    by_status: Mapping[str, int]

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "source": self.source,
            "as_of": self.as_of.isoformat(),
            "pack": self.pack,
            "provider_id": self.provider_id,
            "bundle_id": self.bundle_id,
            "evidence_digest": self.evidence_digest,
            "by_status": dict(self.by_status),
        }


@attrs.frozen(kw_only=True)
class AssessmentDiff:
    """Two assessments of one provider compared."""

    old: Side
    new: Side
    horizon_days: int
    new_gaps: tuple[Change, ...]
    resolved: tuple[Change, ...]
    still_open: tuple[Change, ...]
    no_longer_assessed: tuple[Change, ...]
    coming_due: tuple[Change, ...]


# -- reading ----------------------------------------------------------------------------------


def read_assessment(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The assessment document at ``path`` (JSON), checked against the published assessment
    schema; anything else raises :class:`~safeguard_std.exceptions.AssessmentError` with the
    file, the path inside it and the line."""
    source = os.fspath(path)
    doc = load_document(source, what="the file", error=AssessmentError, format="json")
    data = doc.data
    if not isinstance(data, dict) or "assessment_format" not in data:
        found = "an evidence bundle" if isinstance(data, dict) and "provider" in data else None
        message = "not an assessment: it has no 'assessment_format'" + (
            f" (it looks like {found})" if found else ""
        )
        problem = Problem(
            message, doc.locate(()), hint="give the JSON that 'safeguard-std evaluate' wrote"
        )
        raise AssessmentError([problem], source=source)
    # Real dates too: the diff does arithmetic on as_of and due_on.
    problems = schema_problems(schema_errors("assessment", data, dates=True), doc)
    if problems:
        raise AssessmentError(problems, source=source)
    return data


# -- comparing --------------------------------------------------------------------------------


def _key(f: Mapping[str, Any]) -> tuple[str, str]:
    s = f["subject"]
    # as SubjectRef writes itself: "person:hy-002", "provider:-" for a subject without an id
    return f["requirement"], f"{s['type']}:{s['id'] if s['id'] is not None else '-'}"


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _side(doc: Mapping[str, Any], source: str) -> Side:
    return Side(
        source=source,
        as_of=dt.date.fromisoformat(doc["as_of"]),
        pack=f"{doc['pack']['id']}@{doc['pack']['edition']}",
        provider_id=doc["evidence"]["provider_id"],
        bundle_id=doc["evidence"]["bundle_id"],
        evidence_digest=doc["evidence"]["digest"],
        by_status=dict(sorted(doc["summary"]["by_status"].items())),
    )


def _change(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> Change:
    f = new if new is not None else old
    assert f is not None
    requirement, subject = _key(f)
    return Change(
        finding=f["id"],
        requirement=requirement,
        subject=subject,
        section=f["section"],
        modality=f["modality"],
        old_status=old["status"] if old is not None else None,
        new_status=new["status"] if new is not None else None,
        message=f["message"],
        due_on=_date(f.get("due_on")),
    )


def _order(c: Change) -> tuple[int, str, str, str]:
    return (_MODALITY_RANK.get(c.modality, 9), c.requirement, c.subject, c.finding)


def _refuse(message: str, source: str, hint: str | None = None) -> AssessmentError:
    return AssessmentError([Problem(message, Location(source), hint=hint)], source=source)


def diff_assessments(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    horizon_days: int = 90,
    old_source: str = "OLD",
    new_source: str = "NEW",
) -> AssessmentDiff:
    """Compare two assessment documents (as :func:`read_assessment` returns them) of the same
    provider against the same pack, ``new`` not dated before ``old``; ``horizon_days`` sets how
    far ahead "coming due" looks from the newer ``as_of``."""
    if not 0 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValueError(f"horizon must be 0 to {MAX_HORIZON_DAYS} days, got {horizon_days}")
    before, after = _side(old, old_source), _side(new, new_source)
    _check_comparable(before, after, same_pack=old["pack"]["id"] == new["pack"]["id"])
    was = {_key(f): f for f in old["findings"]}
    groups = _compare(was, {_key(f): f for f in new["findings"]}, before.as_of, after.as_of)
    return AssessmentDiff(
        old=before,
        new=after,
        horizon_days=horizon_days,
        new_gaps=tuple(sorted(groups["new_gaps"], key=_order)),
        resolved=tuple(sorted(groups["resolved"], key=_order)),
        still_open=tuple(sorted(groups["still_open"], key=_longest_open_first)),
        no_longer_assessed=tuple(sorted(groups["no_longer_assessed"], key=_order)),
        coming_due=_coming_due(new["findings"], was, after.as_of, horizon_days),
    )


def _check_comparable(before: Side, after: Side, *, same_pack: bool) -> None:
    """Refuse (blaming the newer file) two assessments that cannot be compared."""
    if before.provider_id != after.provider_id:
        raise _refuse(
            f"assesses provider {after.provider_id!r}, not {before.provider_id!r} as "
            f"{before.source} does",
            after.source,
            hint="compare two assessments of one provider",
        )
    if not same_pack:
        raise _refuse(
            f"is against pack {after.pack}, not {before.pack} as {before.source} is",
            after.source,
            hint="compare two assessments against one pack (its editions may differ)",
        )
    if after.as_of < before.as_of:
        raise _refuse(
            f"is dated {after.as_of}, before {before.source} ({before.as_of})",
            after.source,
            hint="give the older assessment first",
        )


_Findings = Mapping[tuple[str, str], Mapping[str, Any]]


def _compare(
    was: _Findings, now: _Findings, old_as_of: dt.date, new_as_of: dt.date
) -> dict[str, list[Change]]:
    """Every finding that is or was a gap, put in its group (coming-due aside)."""
    groups: dict[str, list[Change]] = {
        "new_gaps": [],
        "resolved": [],
        "still_open": [],
        "no_longer_assessed": [],
    }
    for key in sorted(set(was) | set(now)):
        o, n = was.get(key), now.get(key)
        group = _group_of(o, n)
        if group == "still_open":
            groups[group].append(_still_open(_change(o, n), old_as_of, new_as_of))
        elif group is not None:
            groups[group].append(_change(o, n))
    return groups


def _group_of(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> str | None:
    """Which group a finding's two statuses put it in; ``None`` when neither is a gap."""
    old_gap = old is not None and old["status"] in _GAPS
    new_gap = new is not None and new["status"] in _GAPS
    if new_gap and not old_gap:
        return "new_gaps"
    if not old_gap:
        return None
    if new is None:
        return "no_longer_assessed"
    return "still_open" if new_gap else "resolved"


def _still_open(change: Change, old_as_of: dt.date, new_as_of: dt.date) -> Change:
    """``change`` with how long it has been open: since a past due date, else since the older
    assessment at least."""
    due = change.due_on
    since_due = due is not None and due < old_as_of
    since = due if since_due and due is not None else old_as_of
    return attrs.evolve(
        change, open_since=since, days_open=(new_as_of - since).days, since_due=since_due
    )


def _longest_open_first(c: Change) -> tuple[int, int, str, str, str]:
    return (-(c.days_open or 0), *_order(c))


def _coming_due(
    findings: list[Mapping[str, Any]], was: _Findings, as_of: dt.date, horizon_days: int
) -> tuple[Change, ...]:
    """The newer assessment's findings due within ``horizon_days`` of its ``as_of``, soonest
    first."""
    end = horizon_end(as_of, horizon_days)
    coming = [
        attrs.evolve(_change(was.get(_key(f)), f), days_left=(due - as_of).days)
        for f in findings
        if (due := _due_within(f, as_of, end)) is not None
    ]
    return tuple(sorted(coming, key=lambda c: (c.due_on, *_order(c))))


def _due_within(f: Mapping[str, Any], start: dt.date, end: dt.date) -> dt.date | None:
    """``f``'s due date when it falls in ``start``..``end``, leaving out findings in error and
    one-off deadlines already met."""
    due = _date(f.get("due_on"))
    if due is None or not start <= due <= end or f["status"] == "error":
        return None
    if f["rule"] in ONE_OFF_DEADLINES and f["status"] == "met":
        return None
    return due


# -- writing ----------------------------------------------------------------------------------


def _status(status: str | None) -> str:
    return status_label(status) if status else "not assessed"


def _how_long(c: Change) -> str:
    if c.since_due:
        return f"open {plural(c.days_open or 0, 'day')} (due {c.open_since})"
    return f"open at least {plural(c.days_open or 0, 'day')} (open on {c.open_since})"


def _groups(d: AssessmentDiff) -> list[tuple[str, str, tuple[Change, ...]]]:
    return [
        ("new_gaps", "New gaps", d.new_gaps),
        ("resolved", "Resolved", d.resolved),
        ("still_open", "Still open", d.still_open),
        (
            "no_longer_assessed",
            "No longer assessed (not counted as resolved)",
            d.no_longer_assessed,
        ),
        ("coming_due", f"Coming due within {d.horizon_days} days", d.coming_due),
    ]


def _line(key: str, c: Change) -> str:
    head = f"{c.requirement} {c.subject} ({c.modality})"
    if key == "new_gaps":
        return f"{head}: {_status(c.old_status)} -> {_status(c.new_status)}: {c.message}"
    if key == "resolved":
        return f"{head}: {_status(c.old_status)} -> {_status(c.new_status)}"
    if key == "still_open":
        return f"{head}: {_status(c.new_status)}, {_how_long(c)}: {c.message}"
    if key == "no_longer_assessed":
        return f"{head}: was {_status(c.old_status)}; no finding now"
    days = plural(c.days_left or 0, "day")
    return f"{head}: due {c.due_on} (in {days}), {_status(c.new_status)} now"


def diff_to_text(d: AssessmentDiff) -> str:
    """The diff for a terminal: a heading and one line per change."""
    lines = [
        f"What changed for {d.new.provider_id}: {d.old.as_of} ({d.old.pack}) -> "
        f"{d.new.as_of} ({d.new.pack})",
        "",
    ]
    for key, title, changes in _groups(d):
        lines.append(f"{title}: {len(changes)}")
        lines.extend(f"  {_line(key, c)}" for c in changes)
        lines.append("")
    return clean_text("\n".join(lines).rstrip("\n") + "\n")


def diff_to_json(d: AssessmentDiff) -> str:
    """The diff as canonical JSON (``diff_format`` 1; sorted keys, 2-space indent)."""
    data: dict[str, Any] = {
        "diff_format": DIFF_FORMAT,
        "old": d.old.to_data(),
        "new": d.new.to_data(),
        "horizon_days": d.horizon_days,
    }
    for key, _title, changes in _groups(d):
        data[key] = [c.to_data() for c in changes]
    return json_safe(canonical_json(data, indent=2)) + "\n"


def diff_to_markdown(d: AssessmentDiff) -> str:
    """The diff as a Markdown page (a table per group)."""
    lines = [
        f"# What changed: {escape(d.new.provider_id)}, {d.old.as_of} to {d.new.as_of}",
        "",
        "| | Old | New |",
        "|---|---|---|",
        f"| As of | {d.old.as_of} | {d.new.as_of} |",
        f"| Pack | {escape(d.old.pack)} | {escape(d.new.pack)} |",
        f"| Evidence bundle | {escape(d.old.bundle_id)} | {escape(d.new.bundle_id)} |",
        "",
    ]
    for key, title, changes in _groups(d):
        lines += [f"## {title}: {len(changes)}", ""]
        if not changes:
            lines += ["None.", ""]
            continue
        lines += [
            "| Requirement | Subject | Modality | Was | Now | Detail |",
            "|---|---|---|---|---|---|",
        ]
        for c in changes:
            if key == "still_open":
                detail = f"{_how_long(c)}: {c.message}"
            elif key == "coming_due":
                detail = f"due {c.due_on} (in {plural(c.days_left or 0, 'day')})"
            else:
                detail = c.message
            lines.append(
                f"| {escape(c.requirement)} | {escape(c.subject)} | {c.modality} | "
                f"{_status(c.old_status)} | {_status(c.new_status)} | {escape(detail)} |"
            )
        lines.append("")
    return clean_text("\n".join(lines).rstrip("\n") + "\n")
