"""The documentation site's generated reference and navigation (``docs/_scripts``), the examples
in the library's docstrings (shown in the API reference), and, when MkDocs is installed (the
``docs`` extra), a strict build of the whole site."""

from __future__ import annotations

import argparse
import doctest
import importlib
import importlib.util
import json
import os
import pkgutil
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import safeguard_std
from safeguard_std.cli import _COMMANDS, _parser
from tests.conftest import ROOT

DOCS = ROOT / "docs"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DOCS / "_scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ref = _load("reference_pages")


# -- the command line --------------------------------------------------------------------------


def test_cli_reference_has_every_command_and_option() -> None:
    parser = _parser()
    page = ref.cli_markdown(parser)
    paths = ref.command_paths(parser)
    assert "safeguard-std pack lint" in paths
    assert len(paths) >= len(_COMMANDS) + 6
    for path in paths:
        assert f"`{path}`" in page
    for option in ("--as-of", "--evidence", "--format", "--horizon", "--packs-dir", "--exit-code"):
        assert f"`{option}" in page


def test_cli_reference_shows_a_new_command_by_itself() -> None:
    """A command registered in the parser appears with its help, usage and options."""
    parser = _parser()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    extra = subs.add_parser("frobnicate", help="frobnicate the evidence", description="Frob it.")
    extra.add_argument("--level", choices=["low", "high"], metavar="LEVEL", help="how hard")
    page = ref.cli_markdown(parser)
    assert "| [`safeguard-std frobnicate`](#frobnicate) | frobnicate the evidence |" in page
    assert "## `safeguard-std frobnicate` { #frobnicate }" in page
    assert "| `--level LEVEL` | how hard (one of `low`, `high`) |" in page


def test_cli_reference_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    narrow = ref.cli_markdown(_parser())
    monkeypatch.setenv("COLUMNS", "200")
    assert ref.cli_markdown(_parser()) == narrow
    assert os.environ["COLUMNS"] == "200"


# -- the formats -------------------------------------------------------------------------------


def _properties(schema: Any, path: str = "") -> Iterator[str]:
    if isinstance(schema, dict):
        for name, spec in schema.get("properties", {}).items():
            yield name
            yield from _properties(spec, f"{path}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                yield from _properties(schema[key], path)
        for spec in schema.get("$defs", {}).values():
            yield from _properties(spec, path)


@pytest.mark.parametrize(
    "name",
    [
        "standard-pack.schema.json",
        "evidence.schema.json",
        "pack-tests.schema.json",
        "assessment.schema.json",
    ],
)
def test_schema_reference_lists_every_field_and_definition(name: str) -> None:
    schema = json.loads((ROOT / "schemas" / name).read_text())
    page = ref.schema_markdown(schema, title="T", intro="I", file=f"schemas/{name}")
    for field in set(_properties(schema)):
        assert f"| `{field}` |" in page, field
    for definition in schema.get("$defs", {}):
        assert f"### `{definition}` {{ #{ref._anchor(definition)} }}" in page


def test_schema_reference_marks_personal_fields_and_links_definitions() -> None:
    schema = json.loads((ROOT / "schemas" / "evidence.schema.json").read_text())
    page = ref.schema_markdown(schema, title="T", intro="I", file="x")
    line = next(x for x in page.splitlines() if x.startswith("| `date_of_birth` |"))
    assert "**personal data**" in line
    assert "| `people` | list of [Person](#def-person) |" in page


# -- the navigation ----------------------------------------------------------------------------

TEMPLATE = """<!-- a comment -->
* [Home](index.md)
* [How-to guides](how-to/index.md)
    * [Write](how-to/write.md): write a pack.
    * [Coming](how-to/coming.md): not written yet.
* Later
    * [Also coming](later/x.md)
"""


def test_nav_lists_only_pages_that_exist() -> None:
    entries = ref.parse_nav(TEMPLATE)
    present = {"index.md", "how-to/index.md", "how-to/write.md"}
    kept = ref.keep_existing(entries, present.__contains__)
    assert ref.nav_markdown(kept) == (
        "* [Home](index.md)\n* [How-to guides](how-to/index.md)\n    * [Write](how-to/write.md)\n"
    )
    [child] = ref.children(kept, "how-to/index.md")
    assert (child.title, child.blurb) == ("Write", "write a pack.")
    assert ref.relative("how-to/write.md", "how-to/index.md") == "write.md"


def test_nav_template_names_the_guides_still_being_written() -> None:
    """Pages other branches are writing appear in the menu as soon as they exist."""
    targets = {e.target for e in ref.parse_nav((DOCS / "_nav.md").read_text())}
    assert {
        "how-to/import-an-scr.md",
        "how-to/use-the-strategies.md",
        "performance.md",
        "tutorial.md",
        "how-to/write-a-pack.md",
        "pack-format.md",
    } <= targets


def test_every_page_is_in_the_nav_template() -> None:
    """A hand-written page left out of the menu would be unreachable (and fail the strict build)."""
    targets = {e.target for e in ref.parse_nav((DOCS / "_nav.md").read_text())}
    targets |= {"reference/api/index.md"}  # reached from the reference index and the home page
    pages = {
        p.relative_to(DOCS).as_posix()
        for p in DOCS.rglob("*.md")
        if not p.name.startswith("_") and "_scripts" not in p.parts
    }
    hand_written_elsewhere = {p for p in pages if p.startswith(("decisions/", "packs/"))}
    assert pages - hand_written_elsewhere - targets == set()


def test_every_public_module_gets_an_api_page() -> None:
    modules = ref.api_modules(safeguard_std, skip=frozenset({"cli", "pytest_plugin"}))
    public = {
        f"safeguard_std.{m.name}"
        for m in pkgutil.iter_modules(safeguard_std.__path__)
        if not m.name.startswith("_") and m.name not in {"cli", "pytest_plugin"}
    }
    assert set(modules) == public
    assert "safeguard_std.evaluate" in modules


# -- docstrings --------------------------------------------------------------------------------


def test_docstrings_read_as_markdown() -> None:
    # griffe comes with the docs extra; the README's test command installs only [test].
    pytest.importorskip(
        "griffe", reason="the docs extra is not installed (pip install -e '.[docs]')"
    )
    griffe_docstrings = _load("griffe_docstrings")
    text = (
        "Build with :func:`bundled_catalog` or :class:`~safeguard_std.packs.PackCatalog`.\n"
        ">>> 1 + 1\n2\n\nAfter."
    )
    assert griffe_docstrings.markdown_docstring(text) == (
        "Build with `bundled_catalog` or `PackCatalog`.\n\n```pycon\n>>> 1 + 1\n2\n```\n\nAfter."
    )


def _modules_with_examples() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(safeguard_std.__path__, "safeguard_std."):
        if info.name.endswith("__main__"):
            continue
        path = Path(safeguard_std.__path__[0]).parent / (info.name.replace(".", "/") + ".py")
        init = path.with_suffix("") / "__init__.py"
        source = path if path.exists() else init
        if source.exists() and ">>>" in source.read_text(encoding="utf-8"):
            names.append(info.name)
    return ["safeguard_std", *sorted(names)]


@pytest.mark.parametrize("module", _modules_with_examples())
def test_docstring_examples_run(module: str) -> None:
    """The ``>>>`` examples the API reference shows are doctests, and pass."""
    mod = importlib.import_module(module)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = doctest.DocTestFinder().find(mod, module)
    assert tests
    for test in tests:
        runner.run(test)
    assert runner.failures == 0


# -- the whole site ----------------------------------------------------------------------------


def test_site_builds_strictly(tmp_path: Path) -> None:
    """``mkdocs build --strict``, as CI runs it: needs the ``docs`` extra."""
    pytest.importorskip("mkdocs", reason="install the docs extra: pip install -e '.[docs]'")
    pytest.importorskip("mkdocs_gen_files", reason="install the docs extra")
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    if mkdocs is None:
        pytest.skip("no mkdocs command beside this Python")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    site = tmp_path / "site"
    done = subprocess.run(
        [mkdocs, "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    tutorial = (site / "tutorial" / "index.html").read_text()
    assert "Tutorial: your first assessment" in tutorial
    cli = (site / "reference" / "cli" / "index.html").read_text()
    for path in ref.command_paths(_parser()):
        assert path in cli
    assert (site / "reference" / "packs" / "dorset-2024" / "index.html").exists()
    assert (site / "repository" / "examples" / "dorset-youth-charity.json").exists()


def test_the_committed_evidence_format_page_is_what_the_generator_writes() -> None:
    """The evidence-format reference is committed so the forge shows it; it must not drift from
    the schema (the site writes the same page when it is built)."""
    committed = (DOCS / "reference" / "evidence-schema.md").read_text(encoding="utf-8")
    assert committed == ref.schema_page(ROOT / "schemas", "evidence.schema.json"), (
        "regenerate: python docs/_scripts/reference_pages.py"
    )
