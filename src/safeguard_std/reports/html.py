"""HTML: the same one-page report as Markdown, as a single self-contained file.

No scripts, no web fonts, no images fetched from anywhere: styles are inline in the page and the
chart (findings by status for each section) is inline SVG, so the file opens offline, can be
mailed as an attachment, and prints cleanly (print styles keep table rows whole and colours on).
Every value from a pack or from evidence is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape as _escape

from safeguard_std.domain.findings import Assessment, Finding, Status
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.reports._format import STATUS_ORDER, clean_text, plural, status_label
from safeguard_std.reports._model import (
    RATING_OVERALL,
    RATING_RULE,
    Rating,
    Report,
    SectionRating,
    build_report,
)

__all__ = ["render_html", "to_html"]

STATUS_COLOURS = {
    Status.NOT_MET: "#b3261e",
    Status.ERROR: "#6a1b9a",
    Status.INSUFFICIENT_EVIDENCE: "#e08a00",
    Status.WAIVED: "#1f6fb2",
    Status.MET: "#2e7d32",
    Status.NOT_APPLICABLE: "#b0b7bf",
}

_CSS = """
:root { --ink: #1d2329; --muted: #5b6570; --line: #d8dde3; --paper: #ffffff;
  --red: #b3261e; --amber: #f2a900; --green: #2e7d32; --grey: #5f6b76; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #f3f5f7; color: var(--ink);
  font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; background: var(--paper); padding: 28px 36px 40px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 30px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.02em; margin: 18px 0 6px; display: flex; gap: 8px; align-items: center; }
p { margin: 6px 0; }
.lead { color: var(--muted); margin: 0 0 14px; }
.top { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-start;
  gap: 20px; }
.top > div:first-child { flex: 1 1 320px; min-width: 0; }
.overall { text-align: center; min-width: 150px; }
.overall .badge { font-size: 1.25em; padding: 8px 18px; display: block; }
.overall small { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 10px 0 0;
  font-size: 0.92em; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
code { font: 0.86em/1.3 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 0.92em; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px;
  border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
th { background: #eef1f4; font-weight: 600; overflow-wrap: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.badge { display: inline-block; border-radius: 4px; padding: 1px 8px; font-weight: 700;
  font-size: 0.85em; letter-spacing: 0.03em; color: #fff; white-space: nowrap; }
.r-red { background: var(--red); } .r-amber { background: var(--amber); color: #1d2329; }
.r-green { background: var(--green); } .r-not_assessed { background: var(--grey); }
.st { display: inline-block; border-radius: 3px; padding: 0 6px; font-size: 0.85em;
  white-space: nowrap; color: #fff; }
.st-not_met { background: #b3261e; } .st-error { background: #6a1b9a; }
.st-insufficient_evidence { background: #e08a00; color: #1d2329; }
.st-waived { background: #1f6fb2; } .st-met { background: #2e7d32; }
.st-not_applicable { background: #b0b7bf; color: #1d2329; }
.st-due { background: #fff; color: #1d2329; border: 1px solid #8a949e; }
.rule { border-left: 4px solid var(--ink); background: #f6f7f9; padding: 8px 14px; margin: 8px 0;
  font-size: 0.92em; }
.rule ul { margin: 4px 0; padding-left: 20px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(96px, 1fr)); gap: 8px; }
.tile { border: 1px solid var(--line); border-top: 5px solid var(--ink); border-radius: 4px;
  padding: 6px 10px; font-size: 0.85em; color: var(--muted); break-inside: avoid; }
.tile b { display: block; font-size: 1.7em; color: var(--ink); line-height: 1.2; }
.chart { margin: 8px 0 4px; }
.chart svg { width: 100%; height: auto; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.85em; color: var(--muted);
  margin-bottom: 8px; }
.legend i { display: inline-block; width: 11px; height: 11px; border-radius: 2px;
  margin-right: 5px; vertical-align: -1px; }
.bar { background: #e6e9ed; border-radius: 3px; height: 10px; width: 140px; overflow: hidden; }
.bar span { display: block; height: 100%; background: var(--green); }
.person { break-inside: avoid; }
.muted { color: var(--muted); }
footer { margin-top: 30px; color: var(--muted); font-size: 0.85em;
  border-top: 1px solid var(--line); padding-top: 8px; }
@media screen and (max-width: 640px) {
  /* A phone: each table row becomes a card of "label: value" lines, so no column is cut. */
  main { padding: 16px 14px 28px; }
  .overall { min-width: 0; text-align: left; }
  .overall .badge { display: inline-block; }
  dl.meta { grid-template-columns: 1fr; gap: 0; }
  dl.meta dd { margin-bottom: 4px; }
  table, tbody, tr, td { display: block; width: 100%; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
    white-space: nowrap; }
  tr { border-bottom: 1px solid var(--line); padding: 4px 0; }
  /* The label is a table cell of its own; the cell's content, whatever its elements, is
     wrapped by the browser in one anonymous cell beside it. */
  td, td.num { display: table; table-layout: fixed; width: 100%; border: 0; padding: 2px 0;
    text-align: left; white-space: normal; }
  td::before { content: attr(data-label); display: table-cell; width: 40%; padding-right: 10px;
    color: var(--muted); font-weight: 600; }
  td:not([data-label])::before { display: none; }
  .bar { width: 100%; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background: #fff; font-size: 9.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  tr, .person, .chart, .rule { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def _e(text: object) -> str:
    return _escape(clean_text(str(text)), quote=True)


def _badge(rating: Rating) -> str:
    return f'<span class="badge r-{rating.value}">{_e(rating.label)}</span>'


def _status(status: Status) -> str:
    return f'<span class="st st-{status.value}">{_e(status_label(status))}</span>'


_NUM = ' class="num"'


def _table(
    head: Sequence[str], rows: Iterable[Sequence[str]], numeric: frozenset[int] = frozenset()
) -> str:
    """A table; ``head`` is escaped HTML text (no tags). Each cell carries its column's name
    (``data-label``) for the narrow-screen layout, where a row becomes a card of label/value
    lines instead of columns cut off at the edge of a phone."""
    ths = "".join(
        f'<th{_NUM if i in numeric else ""} scope="col">{h}</th>' for i, h in enumerate(head)
    )
    labels = [f' data-label="{h}"' if h else "" for h in head]
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{_NUM if i in numeric else ''}{labels[i]}>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>\n"
        for row in rows
    )
    return f"<table>\n<thead><tr>{ths}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"


def _section_name(s: SectionRating) -> str:
    return f"{s.id} {s.title}" if s.title != s.id else s.id


def _header(r: Report) -> str:
    a = r.assessment
    who = a.provider_id + (f" ({r.provider_name})" if r.provider_name else "")
    pack = f"{a.pack}@{a.pack_edition}"
    standard = f"{r.pack_title} ({pack})" if r.pack_title else pack
    if r.board:
        standard += f", {r.board}"
    meta = [
        ("Standard", _e(standard)),
        ("Assessed as of", _e(a.as_of.isoformat())),
        ("Evidence bundle", _e(a.bundle_id)),
        ("Pack digest", f"<code>{_e(a.pack_digest)}</code>"),
        ("Evidence digest", f"<code>{_e(a.evidence_digest)}</code>"),
        ("Produced by", f"safeguard-std {_e(a.library_version)}"),
    ]
    if len(a.pack_layers) > 1:
        meta.insert(1, ("Pack layers", _e(", ".join(a.pack_layers))))
    if a.out_of_force:
        meta.insert(
            1,
            (
                "Edition",
                "<strong>not in force on this date; judged against it because this was asked "
                "for explicitly</strong>",
            ),
        )
    rows = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta)
    return (
        '<header class="top">\n<div>\n'
        f"<h1>Safeguarding assessment: {_e(who)}</h1>\n"
        f'<p class="lead">{_e(plural(a.summary.total, "finding"))} against '
        f"{_e(standard)} as of {_e(a.as_of.isoformat())}</p>\n"
        f'<dl class="meta">{rows}</dl>\n</div>\n'
        f'<div class="overall">{_badge(r.overall)}<small>overall rating</small></div>\n'
        "</header>\n"
    )


def _split(total: int, counts: Sequence[int], width: int) -> list[int]:
    """Integer widths summing to ``width`` in proportion to ``counts`` (largest remainder)."""
    if total == 0:
        return [0 for _ in counts]
    exact = [c * width for c in counts]
    widths = [x // total for x in exact]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] % total), i))
    for i in order[: width - sum(widths)]:
        widths[i] += 1
    return widths


def _chart(r: Report) -> str:
    label_w, bar_w, row_h, gap = 300, 560, 24, 10
    width = label_w + bar_w + 70
    height = len(r.sections) * (row_h + gap) + gap
    parts = []
    for n, s in enumerate(r.reading_order):
        y = gap + n * (row_h + gap)
        counts = [s.counts[st.value] for st in STATUS_ORDER]
        total = sum(counts)
        name = _section_name(s)
        short = name if len(name) <= 38 else name[:37] + "…"
        parts.append(
            f'<text x="{label_w - 10}" y="{y + 16}" text-anchor="end" font-size="13" '
            f'fill="#1d2329">{_e(short)}</text>'
        )
        x = label_w
        for st, count, w in zip(STATUS_ORDER, counts, _split(total, counts, bar_w), strict=True):
            if w:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{w}" height="{row_h}" '
                    f'fill="{STATUS_COLOURS[st]}"><title>{_e(name)}: {count} '
                    f"{_e(status_label(st))}</title></rect>"
                )
            x += w
        if not total:
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{row_h}" fill="#eef1f4"/>'
            )
        parts.append(
            f'<text x="{label_w + bar_w + 8}" y="{y + 16}" font-size="13" '
            f'fill="#5b6570">{total}</text>'
        )
    legend = "".join(
        f'<span><i style="background:{STATUS_COLOURS[st]}"></i>{_e(status_label(st))}</span>'
        for st in STATUS_ORDER
    )
    return (
        '<figure class="chart">\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="chart-title"><title id="chart-title">Findings by status for each '
        "section</title>\n" + "\n".join(parts) + "\n</svg>\n"
        f'<figcaption class="legend">{legend}</figcaption>\n</figure>\n'
    )


def _ratings(r: Report) -> str:
    head = ["Section", "Rating", "Why", *(_e(status_label(s)) for s in STATUS_ORDER)]
    rows = [
        [
            _e(_section_name(s)),
            _badge(s.rating),
            _e(s.reason),
            *(str(s.counts[st.value]) for st in STATUS_ORDER),
        ]
        for s in r.reading_order
    ]
    rule = "".join(f"<li>{_badge(rating)} {_e(text)}</li>" for rating, text in RATING_RULE)
    return (
        "<section>\n<h2>Rating by section</h2>\n"
        + _chart(r)
        + _table(head, rows, numeric=frozenset(range(3, 3 + len(STATUS_ORDER))))
        + f'<div class="rule"><strong>How the rating is worked out</strong><ul>{rule}</ul>'
        f"<p>{_e(RATING_OVERALL)}</p></div>\n</section>\n"
    )


def _metrics(r: Report) -> str:
    rows = []
    for m in r.metrics:
        how = m.measured_by + (": " + ", ".join(m.requirements) if m.requirements else "")
        note = f'<br><span class="muted">{_e(m.note)}</span>' if m.note else ""
        pct = m.percent
        bar = (
            f'<div class="bar" role="presentation"><span style="width:{pct}%"></span></div>'
            if pct is not None
            else ""
        )
        rows.append([_e(m.title), f"<strong>{_e(m.display)}</strong>", bar, _e(how) + note])
    return (
        "<section>\n<h2>Contract-monitoring metrics</h2>\n"
        + _table(["Metric", "Value", "", "Measured by"], rows)
        + "</section>\n"
    )


def _req(r: Report, f: Finding) -> str:
    title = r.title_of(f)
    return f"<strong>{_e(f.requirement_id)}</strong>" + (f" {_e(title)}" if title else "")


def _subject(f: Finding) -> str:
    return f'<span class="nowrap">{_e(str(f.subject))}</span>'


def _issues(r: Report) -> str:
    out = ["<section>\n<h2>What is not met</h2>\n"]
    if not r.issues:
        out.append("<p>Nothing: every applicable requirement is met or waived.</p>\n</section>\n")
        return "".join(out)
    out.append(
        '<p class="muted">Findings not met, without sufficient evidence, or in error; grouped '
        "by section and ordered must, should, recommended.</p>\n"
    )
    for section, found in r.issues:
        out.append(f"<h3>{_e(_section_name(section))} {_badge(section.rating)}</h3>\n")
        rows = [
            [
                f'<span class="nowrap">{_e(f.modality.value)}</span>',
                _req(r, f),
                _subject(f),
                _status(f.status),
                _e(f.message),
            ]
            for f in found
        ]
        out.append(_table(["Modality", "Requirement", "Subject", "Status", "Finding"], rows))
    out.append("</section>\n")
    return "".join(out)


def _lapses(r: Report) -> str:
    a = r.assessment
    head = (
        f"<section>\n<h2>Lapsing within {r.horizon_days} days "
        f'<span class="muted">({a.as_of} to {r.horizon_end})</span></h2>\n'
    )
    if not r.lapses:
        return head + "<p>Nothing lapses within the horizon.</p>\n</section>\n"
    rows = [
        [
            f'<span class="nowrap">{_e(lp.finding.due_on or "")}</span>',
            _e(plural(lp.days_left, "day")),
            f'<span class="nowrap">{_e(lp.what)}</span>',
            _req(r, lp.finding),
            _subject(lp.finding),
            _status(lp.finding.status),
        ]
        for lp in r.lapses
    ]
    return (
        head
        + _table(
            ["Due on", "In", "What", "Requirement", "Subject", "Status now"], rows, frozenset({1})
        )
        + "</section>\n"
    )


def _people(r: Report) -> str:
    out = ["<section>\n<h2>Issues by person</h2>\n"]
    if r.include_personal_data and not r.names_available:
        out.append(
            '<p class="muted">Names were asked for, but the evidence bundle was not given.</p>\n'
        )
    elif not r.include_personal_data:
        out.append(
            '<p class="muted">People are shown by their evidence id; names are withheld.</p>\n'
        )
    if not r.people:
        out.append("<p>No person has an issue or a lapse within the horizon.</p>\n")
    for person in r.people:
        label = _e(f"person:{person.person_id}")
        if person.name:
            label += f' <span class="muted">({_e(person.name)})</span>'
        rows = [[_req(r, f), _status(f.status), _e(f.message)] for f in person.issues]
        rows += [
            [
                _req(r, lp.finding),
                f'<span class="st st-due">due {_e(lp.finding.due_on)}</span>',
                _e(f"{lp.what}: {lp.finding.message}"),
            ]
            for lp in person.lapses
        ]
        out.append(
            f'<div class="person">\n<h3>{label}</h3>\n'
            + _table(["Requirement", "Status", "Finding"], rows)
            + "</div>\n"
        )
    out.append("</section>\n")
    return "".join(out)


def _waived(r: Report) -> str:
    if not r.waived:
        return ""
    rows = [[_req(r, f), _subject(f), _e(f.message)] for f in r.waived]
    return (
        "<section>\n<h2>Waivers in force</h2>\n"
        + _table(["Requirement", "Subject", "Finding"], rows)
        + "</section>\n"
    )


def _summary(r: Report) -> str:
    counts = r.assessment.summary.by_status
    tiles = [f'<div class="tile"><b>{r.assessment.summary.total}</b>findings</div>']
    tiles += [
        f'<div class="tile" style="border-top-color:{STATUS_COLOURS[s]}">'
        f"<b>{counts.get(s.value, 0)}</b>{_e(status_label(s))}</div>"
        for s in STATUS_ORDER
    ]
    return (
        '<section>\n<h2>Summary</h2>\n<div class="tiles">' + "".join(tiles) + "</div>\n</section>\n"
    )


def render_html(report: Report) -> str:
    """The self-contained HTML page of a built report."""
    a = report.assessment
    title = f"Safeguarding assessment: {a.provider_id} ({a.pack}@{a.pack_edition}, {a.as_of})"
    body = "".join(
        [
            _header(report),
            _summary(report),
            _ratings(report),
            _metrics(report),
            _issues(report),
            _lapses(report),
            _people(report),
            _waived(report),
        ]
    )
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{body}"
        f"<footer>Produced by safeguard-std {_e(a.library_version)} from the assessment of "
        f"{_e(a.bundle_id)} against {_e(a.pack)}@{_e(a.pack_edition)} as of {a.as_of}. "
        "The same inputs always give the same page.</footer>\n"
        "</main>\n</body>\n</html>\n"
    )
    return clean_text(page)  # anything that did not pass through _e


def to_html(
    assessment: Assessment,
    *,
    pack: Pack | None = None,
    bundle: EvidenceBundle | None = None,
    include_personal_data: bool = False,
    horizon_days: int = 90,
) -> str:
    """A one-page, self-contained HTML report of ``assessment``; see
    :func:`~safeguard_std.reports.build_report` for the arguments."""
    return render_html(
        build_report(
            assessment,
            pack=pack,
            bundle=bundle,
            include_personal_data=include_personal_data,
            horizon_days=horizon_days,
        )
    )
