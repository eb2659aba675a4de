"""The HTML report reads well without a browser check: colour contrast computed from the page's
own CSS, sections that apply listed before those that do not, and table cells labelled for the
narrow-screen layout. (The browser itself checks the layout: test_report_html_browser.py.)"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from report_fixtures import ROOT

from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.packs import load_pack
from safeguard_std.reports import build_report, render
from safeguard_std.reports._model import Rating
from safeguard_std.reports.html import _CSS

AS_OF = dt.date(2026, 11, 23)

# -- contrast (WCAG 2.1, success criterion 1.4.3: 4.5:1 for normal text) -------------------------


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula() -> None:
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert round(contrast("#8a949e", "#ffffff"), 2) == 3.08  # the NOT ASSESSED badge


_VARS = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{3,6})", _CSS))
_RULE = re.compile(r"\.((?:r|st)-[a-z_]+)\s*\{([^}]*)\}")


def _colour(value: str) -> str:
    value = value.strip()
    var = re.fullmatch(r"var\(--([a-z]+)\)", value)
    return _VARS[var.group(1)] if var else value


def _badges() -> dict[str, tuple[str, str]]:
    """Each rating badge and status chip: (background, text colour) as the CSS sets them."""
    found = {}
    for name, body in _RULE.findall(_CSS):
        props = dict(
            (k.strip(), v.strip())
            for k, v in (p.split(":", 1) for p in body.split(";") if ":" in p)
        )
        background = _colour(props["background"])
        text = _colour(props.get("color", "#ffffff"))  # .badge and .st set white text
        found[name] = (background, text)
    return found


def test_every_badge_and_status_meets_wcag_aa() -> None:
    badges = _badges()
    for rating in Rating:
        assert f"r-{rating.value}" in badges
    assert "st-not_met" in badges
    weak = {
        name: round(contrast(bg, fg), 2)
        for name, (bg, fg) in badges.items()
        if contrast(bg, fg) < 4.5
    }
    assert not weak, f"below 4.5:1: {weak}"


def test_body_text_meets_wcag_aa() -> None:
    for background in ("#ffffff", "#f3f5f7", "#eef1f4", "#f6f7f9"):
        assert contrast(_VARS["ink"], background) >= 4.5
        assert contrast(_VARS["muted"], background) >= 4.5


# -- sections that apply come first ---------------------------------------------------------------


@pytest.fixture(scope="module")
def dorset_charity() -> tuple:
    pack = load_pack("dorset", as_of=AS_OF)
    bundle = load_evidence(ROOT / "examples" / "dorset-youth-charity.json")
    return pack, bundle, evaluate(pack, bundle, as_of=AS_OF)


def test_the_example_has_a_baseline_that_does_not_apply_first(dorset_charity: tuple) -> None:
    # the case of the issue: the pack lists the KCSIE baseline first, and it does not apply
    pack, bundle, a = dorset_charity
    report = build_report(a, pack=pack, bundle=bundle)
    assert report.sections[0].rating is Rating.NOT_ASSESSED


def _rating_rows(text: str, fmt: str) -> list[str]:
    """The first cell of each row of the "Rating by section" table, in page order."""
    part = text[text.index("Rating by section") :]
    if fmt == "html":
        table = part[part.index("<tbody>") : part.index("</tbody>")]
        return re.findall(r"<tr><td[^>]*>([^<]*)</td>", table)
    lines = part.split("\n\n")[1].splitlines()[2:]
    return [line.split(" | ")[0].lstrip("| ") for line in lines]


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_not_assessed_sections_come_after_the_rest(dorset_charity: tuple, fmt: str) -> None:
    pack, bundle, a = dorset_charity
    report = build_report(a, pack=pack, bundle=bundle)
    rows = _rating_rows(render(a, fmt, pack=pack, bundle=bundle), fmt)
    assert len(rows) == len(report.sections)
    rated = {s.id: s.rating for s in report.sections}
    shown = [next(sid for sid in rated if row.split(" ")[0] == sid) for row in rows]
    ratings = [rated[sid] is Rating.NOT_ASSESSED for sid in shown]
    assert ratings == sorted(ratings), "a section that applies comes after one that does not"
    assert any(ratings)
    assert not all(ratings)
    # otherwise, the pack's order
    pack_order = [s.id for s in report.sections]
    for flag in (False, True):
        group = [sid for sid, na in zip(shown, ratings, strict=True) if na is flag]
        assert group == [sid for sid in pack_order if sid in group]


# -- cells labelled for the narrow layout ---------------------------------------------------------


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.heads: list[list[str]] = []
        self.rows: list[tuple[int, list[str | None]]] = []
        self._in_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "thead":
            self.heads.append([])
        elif tag == "th":
            self._in_th = True
            self.heads[-1].append("")
        elif tag == "tr":
            self.rows.append((len(self.heads) - 1, []))
        elif tag == "td":
            self.rows[-1][1].append(dict(attrs).get("data-label"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "th":
            self._in_th = False

    def handle_data(self, data: str) -> None:
        if self._in_th:
            self.heads[-1][-1] += data


def test_every_cell_is_labelled_with_its_column(dorset_charity: tuple) -> None:
    pack, bundle, a = dorset_charity
    cells = _Cells()
    cells.feed(render(a, "html", pack=pack, bundle=bundle))
    checked = 0
    for table, labels in cells.rows:
        if not labels:
            continue  # the head row
        head = cells.heads[table]
        assert labels == [h or None for h in head]
        checked += 1
    assert checked > 50
