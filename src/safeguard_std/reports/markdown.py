"""Markdown: one page per assessment, for a contract monitoring meeting.

CommonMark with GitHub-style tables. Every value that comes from a pack or from evidence is
escaped, so a title holding ``|`` or ``*`` cannot break the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from safeguard_std.domain.findings import Assessment, Finding
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.reports._format import STATUS_ORDER, clean_text, plural, status_label
from safeguard_std.reports._model import (
    RATING_OVERALL,
    RATING_RULE,
    Report,
    build_report,
)

__all__ = ["escape", "render_markdown", "to_markdown"]

_SPECIAL = re.compile(r"([\\`*\[\]<>|])")
_LONE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def escape(text: str) -> str:
    """Escape Markdown punctuation in ``text`` and fold it onto one line (for table cells).
    Underscores inside words (``deputy_dsl``) are left alone: they never start emphasis; ``&``
    is written ``&amp;``, so no entity (``&#8238;``) can stand for a character the text never
    held; control and bidi characters are shown as ``[U+202E]`` (see
    :func:`~safeguard_std.reports._format.clean_text`)."""
    text = " ".join(clean_text(text).split())
    text = text.replace("&", "&amp;")
    text = _SPECIAL.sub(r"\\\1", text)
    return _LONE_UNDERSCORE.sub(r"\\_", text)


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return [*lines, ""]


def _header(r: Report) -> list[str]:
    a = r.assessment
    who = a.provider_id + (f" ({r.provider_name})" if r.provider_name else "")
    pack = f"{a.pack}@{a.pack_edition}"
    standard = f"{r.pack_title} ({pack})" if r.pack_title else pack
    if r.board:
        standard += f", {r.board}"
    rows = [
        ("Provider", escape(who)),
        ("Standard", escape(standard)),
        ("Assessed as of", a.as_of.isoformat()),
        ("Evidence bundle", escape(a.bundle_id)),
        ("Pack digest", f"`{a.pack_digest}`"),
        ("Evidence digest", f"`{a.evidence_digest}`"),
        ("Produced by", f"safeguard-std {escape(a.library_version)}"),
        ("Overall rating", f"**{r.overall.label}**"),
    ]
    if len(a.pack_layers) > 1:
        rows.insert(2, ("Pack layers", escape(", ".join(a.pack_layers))))
    if a.out_of_force:
        rows.insert(
            2,
            (
                "Edition",
                "**not in force on this date; judged against it because this was asked for "
                "explicitly**",
            ),
        )
    return [
        f"# Safeguarding assessment: {escape(who)}",
        "",
        *_table(("", ""), rows),
    ]


def _summary(r: Report) -> list[str]:
    counts = r.assessment.summary.by_status
    head = ("Findings", *(status_label(s) for s in STATUS_ORDER))
    row = (str(r.assessment.summary.total), *(str(counts.get(s.value, 0)) for s in STATUS_ORDER))
    return ["## Summary", "", *_table(head, [row])]


def _ratings(r: Report) -> list[str]:
    head = ("Section", "Rating", "Why", *(status_label(s) for s in STATUS_ORDER))
    rows = [
        (
            escape(f"{s.id} {s.title}" if s.title != s.id else s.id),
            f"**{s.rating.label}**",
            escape(s.reason),
            *(str(s.counts[st.value]) for st in STATUS_ORDER),
        )
        for s in r.reading_order
    ]
    rule = [f"- **{rating.label}**: {text}" for rating, text in RATING_RULE]
    return [
        "## Rating by section",
        "",
        *_table(head, rows),
        "How the rating is worked out:",
        "",
        *rule,
        "",
        RATING_OVERALL,
        "",
    ]


def _metrics(r: Report) -> list[str]:
    rows = []
    for m in r.metrics:
        how = m.measured_by
        if m.requirements:
            how += ": " + ", ".join(m.requirements)
        if m.note:
            how += f" ({m.note})"
        rows.append((escape(m.title), escape(m.display), escape(how)))
    return ["## Contract-monitoring metrics", "", *_table(("Metric", "Value", "Measured by"), rows)]


def _subject(f: Finding) -> str:
    return escape(str(f.subject))


def _issues(r: Report) -> list[str]:
    lines = ["## What is not met", ""]
    if not r.issues:
        return [*lines, "Nothing: every applicable requirement is met or waived.", ""]
    lines += [
        "Findings not met, without sufficient evidence, or in error; grouped by section and "
        "ordered must, should, recommended.",
        "",
    ]
    for section, found in r.issues:
        title = f"{section.id} {section.title}" if section.title != section.id else section.id
        lines += [f"### {escape(title)}: {section.rating.label}", ""]
        rows = [
            (
                f.modality.value,
                escape(r.label_of(f)),
                _subject(f),
                status_label(f.status),
                escape(f.message),
            )
            for f in found
        ]
        lines += _table(("Modality", "Requirement", "Subject", "Status", "Finding"), rows)
    return lines


def _lapses(r: Report) -> list[str]:
    a = r.assessment
    lines = [
        f"## Lapsing within {r.horizon_days} days ({a.as_of} to {r.horizon_end})",
        "",
    ]
    if not r.lapses:
        return [*lines, "Nothing lapses within the horizon.", ""]
    rows = [
        (
            lp.finding.due_on.isoformat() if lp.finding.due_on else "",
            plural(lp.days_left, "day"),
            escape(lp.what),
            escape(r.label_of(lp.finding)),
            _subject(lp.finding),
            status_label(lp.finding.status),
        )
        for lp in r.lapses
    ]
    return lines + _table(("Due on", "In", "What", "Requirement", "Subject", "Status now"), rows)


def _people(r: Report) -> list[str]:
    lines = ["## Issues by person", ""]
    if r.include_personal_data and not r.names_available:
        lines += ["Names were asked for, but the evidence bundle was not given.", ""]
    elif not r.include_personal_data:
        lines += ["People are shown by their evidence id; names are withheld.", ""]
    if not r.people:
        return [*lines, "No person has an issue or a lapse within the horizon.", ""]
    for person in r.people:
        label = f"person:{person.person_id}"
        if person.name:
            label += f" ({person.name})"
        lines += [f"### {escape(label)}", ""]
        rows = [
            (
                escape(r.label_of(f)),
                status_label(f.status),
                escape(f.message),
            )
            for f in person.issues
        ]
        rows += [
            (
                escape(r.label_of(lp.finding)),
                f"due {lp.finding.due_on}",
                escape(f"{lp.what}: {lp.finding.message}"),
            )
            for lp in person.lapses
        ]
        lines += _table(("Requirement", "Status", "Finding"), rows)
    return lines


def _waived(r: Report) -> list[str]:
    if not r.waived:
        return []
    rows = [(escape(r.label_of(f)), _subject(f), escape(f.message)) for f in r.waived]
    return ["## Waivers in force", "", *_table(("Requirement", "Subject", "Finding"), rows)]


def render_markdown(report: Report) -> str:
    """The Markdown page of a built report."""
    parts = [
        _header(report),
        _summary(report),
        _ratings(report),
        _metrics(report),
        _issues(report),
        _lapses(report),
        _people(report),
        _waived(report),
    ]
    lines = [line for part in parts for line in part]
    while lines and lines[-1] == "":
        lines.pop()
    return clean_text("\n".join(lines) + "\n")


def to_markdown(
    assessment: Assessment,
    *,
    pack: Pack | None = None,
    bundle: EvidenceBundle | None = None,
    include_personal_data: bool = False,
    horizon_days: int = 90,
) -> str:
    """A one-page Markdown report of ``assessment``; see
    :func:`~safeguard_std.reports.build_report` for the arguments."""
    return render_markdown(
        build_report(
            assessment,
            pack=pack,
            bundle=bundle,
            include_personal_data=include_personal_data,
            horizon_days=horizon_days,
        )
    )
