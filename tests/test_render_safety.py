"""Rendered packs are as safe as rendered assessments: addresses are https only, nothing from a
pack becomes markup, and the HTML page carries the reports' Content-Security-Policy."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import attrs
import pytest
import yaml

from safeguard_std.authoring import render_html, render_markdown
from safeguard_std.domain.pack import Source
from safeguard_std.exceptions import PackError
from safeguard_std.packs import PackCatalog, read_layer
from safeguard_std.reports import to_html
from tests.conftest import FIXTURES

DEMO = FIXTURES / "packs" / "demo" / "1"
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(1)">'


def demo_with(tmp_path: Path, change: dict[str, object]) -> Path:
    folder = tmp_path / "demo" / "1"
    shutil.copytree(DEMO, folder)
    data = yaml.safe_load((folder / "pack.yaml").read_text())
    data.update(change)
    (folder / "pack.yaml").write_text(yaml.safe_dump(data))
    return folder


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "http://example.org/", "data:text/html,<b>x</b>", "https://a b/"],
)
def test_the_schema_takes_https_addresses_only(tmp_path: Path, url: str) -> None:
    folder = demo_with(tmp_path, {"source": {"title": "T", "url": url}})
    with pytest.raises(PackError) as caught:
        read_layer(folder)
    (problem,) = caught.value.problems
    assert problem.location.pointer == "/source/url"
    assert "an https:// address" in str(problem)


def hostile_pack(tmp_path: Path):  # type: ignore[no-untyped-def]
    data = yaml.safe_load((DEMO / "pack.yaml").read_text())
    data["title"] = f"Demo {SCRIPT} \u202eevil\x1b[2J"
    data["board"] = "Board\n# Injected heading"
    data["source"] = {
        "title": "Source | forged | cell",
        "url": "https://example.org/a",
        "notes": f"Notes\n\n## Injected\n\n| forged | row |\n{IMG}",
    }
    data["sections"][0]["title"] = 'Roles"><script>x</script>\n# Injected'
    data["sections"][0]["id"] = '1"><script>y</script>'
    for req in data["requirements"]:
        if req["section"] == "1":
            req["section"] = data["sections"][0]["id"]
    req = data["requirements"][0]
    req["title"] = f"Named [link](javascript:alert(1)) {IMG}"
    req["text"] = f"Line one\n# Injected\n- item\n{SCRIPT}\n| a | b |"
    req["citation"] = "1\n## Injected citation"
    data["parameters"]["dbs_renewal"]["description"] = "How long\n| forged | row |"
    folder = tmp_path / "demo" / "1"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(yaml.safe_dump(data))
    catalog = PackCatalog(layers={})
    catalog = catalog.with_layer(read_layer(folder))
    return catalog.resolve("demo@1")


def test_markdown_passes_no_markup_from_the_pack(tmp_path: Path) -> None:
    pack = hostile_pack(tmp_path)
    text = render_markdown(pack)
    assert r"Demo &lt;script&gt;alert(1)&lt;/script&gt; \[U+202E\]evil\[U+001B\]\[2J" in text
    assert "<script" not in text
    assert "<img" not in text
    assert re.search(r"(?<!\\)\]\(javascript:", text) is None  # an escaped bracket is text
    ours = {f"## {t}" for t in ("Contents", "Parameters", "Documents named")}
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert not [h for h in headings if h.lstrip("#").startswith((" Injected", "Injected"))]
    assert len(headings) == 1 + len(ours & set(headings)) + 2 + len(pack.active_requirements)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert not [r for r in rows if "forged | row" in r], rows
    anchors = [line for line in text.splitlines() if line.startswith("<")]
    assert all(re.fullmatch(r'<a id="[^"<>]*"></a>', a) for a in anchors), anchors


def test_html_escapes_everything_and_links_https_only(tmp_path: Path) -> None:
    pack = hostile_pack(tmp_path)
    page = render_html(pack)
    assert "[U+202E]evil[U+001B]" in page
    assert "\u202e" not in page
    assert "\x1b" not in page
    assert "<script" not in page
    assert "<img" not in page
    assert '<a href="https://example.org/a">' in page
    bad = attrs.evolve(pack, source=Source(title="T", url="javascript:alert(1)"))
    page = render_html(bad)  # a pack built in Python never met the schema
    assert 'href="javascript' not in page
    assert "javascript:alert(1)" in page  # shown, as text


def csp(page: str) -> str:
    found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', page)
    assert len(found) == 1, found
    return str(found[0])


def test_rendered_packs_carry_the_reports_csp() -> None:
    from tests.reports.report_fixtures import assess

    pack, _bundle, assessment = assess("demo@1", "harbour")
    assert csp(render_html(pack)) == csp(to_html(assessment, pack=pack))


@pytest.mark.parametrize(
    "text",
    [
        "1. first",
        "2) second",
        "# heading",
        "- item",
        "+ item",
        "> quote",
        "=== underline",
        "*bold* _it_ `code` ~~gone~~",
        "a & b &amp; &#8238; <b>x</b>",
        "[ref]: https://evil.example/",
        "![i](https://evil.example/i.png) [l](javascript:alert(1)) <https://evil.example/>",
        "| a | b |",
        "back\\slash",
        "2024-09-01 until replaced",
    ],
)
def test_pack_text_stays_text_for_a_commonmark_reader(text: str) -> None:
    markdown_it = pytest.importorskip(
        "markdown_it", reason="markdown-it-py is not installed (pip install -e '.[interop]')"
    )
    from safeguard_std.authoring.render import _md

    md = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(_md(text))
    assert {t.type for t in tokens} <= {"paragraph_open", "inline", "paragraph_close"}
    children = [c for t in tokens if t.type == "inline" for c in t.children or []]
    assert {c.type for c in children} <= {"text"}, [c.type for c in children]
    assert "".join(c.content for c in children) == text
