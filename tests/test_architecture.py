"""The dependency rule, as an allow-list per layer: the pure core imports only what its layer may
import, so a new import of an adapter (or of the package root, which re-exports every adapter)
fails here; and nothing but the command line imports the command line."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "safeguard_std"

# Standard-library modules that reach the outside world (files, processes, network, clock,
# randomness, interpreter state): the core uses none of them.
IMPURE_STDLIB = frozenset(
    {
        "asyncio",
        "gc",
        "glob",
        "http",
        "io",
        "logging",
        "os",
        "pathlib",
        "random",
        "secrets",
        "shutil",
        "signal",
        "socket",
        "subprocess",
        "sys",
        "tempfile",
        "threading",
        "time",
        "urllib",
        "uuid",
    }
)

# What each layer of the core may import besides the pure standard library. A name allows
# itself and everything below it (``safeguard_std.domain`` allows ``safeguard_std.domain.pack``).
_DOMAIN = frozenset({"attrs", "pendulum", "safeguard_std.domain", "safeguard_std.exceptions"})
_RULES = _DOMAIN | {
    "jsonschema",  # each rule kind's parameter schema is checked when a pack compiles
    "importlib.metadata",  # the registry reads the safeguard_std.rule_kinds entry point
    "safeguard_std.rules",
    # England and Wales bank holidays for working-day periods: pure arithmetic over the pinned
    # holidays package, imported when a pack that counts working days compiles.
    "safeguard_std.bank_holidays",
}
_EVALUATE = _RULES | {
    "safeguard_std._version",
    "safeguard_std.serialization",
    "safeguard_std._judgement",
}
# serialization.py re-exports its private package, whose modules import one another.
_SERIALIZATION = _DOMAIN | {"cattrs", "safeguard_std._serialization"}

LAYERS: dict[str, frozenset[str]] = {
    "domain": _DOMAIN,
    "rules": _RULES,
    "evaluate.py": _EVALUATE,
    "_judgement.py": _RULES,
    "serialization.py": _SERIALIZATION,
    "_serialization": _SERIALIZATION,
    "exceptions.py": frozenset({"attrs"}),
    "_version.py": frozenset(),
    "bank_holidays.py": _DOMAIN | {"holidays"},
}

WALL_CLOCK = (
    "date.today",
    "datetime.now",
    "datetime.today",
    "datetime.utcnow",
    "time.time",
    "pendulum.now",
    "pendulum.today",
    "random.",
)


def imports_of(source: str) -> set[str]:
    """Every module a source file imports, ``from X import Y`` counted as ``X`` (so
    ``from safeguard_std import evaluate`` is an import of the package root)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.ImportFrom):  # relative imports hide the layer: refuse them
            found.add("." * node.level + (node.module or ""))
    return found


def _allowed(name: str, allowed: frozenset[str]) -> bool:
    if any(name == a or name.startswith(a + ".") for a in allowed):
        return True
    top = name.split(".")[0]
    return top in sys.stdlib_module_names and top not in IMPURE_STDLIB


def violations(source: str, allowed: frozenset[str]) -> set[str]:
    """The imports of ``source`` that its layer does not allow."""
    return {n for n in imports_of(source) if not _allowed(n, allowed)}


def layer_of(path: Path) -> frozenset[str] | None:
    rel = path.relative_to(SRC)
    return LAYERS.get(rel.parts[0])


CORE = sorted(p for p in SRC.rglob("*.py") if layer_of(p) is not None)


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(SRC)))
def test_the_core_imports_only_what_its_layer_allows(path: Path) -> None:
    allowed = layer_of(path)
    assert allowed is not None
    assert violations(path.read_text(), allowed) == set()


def test_every_core_layer_exists() -> None:
    # A renamed folder would silently empty the parametrised test above.
    for name in LAYERS:
        assert (SRC / name).exists(), name
    assert len(CORE) > 20


@pytest.mark.parametrize(
    ("source", "layer", "bad"),
    [
        ("from safeguard_std import __version__", "evaluate.py", {"safeguard_std"}),
        ("import safeguard_std.packs", "rules", {"safeguard_std.packs"}),
        ("from safeguard_std.reports import html", "domain", {"safeguard_std.reports"}),
        ("from safeguard_std.rules import rule_kind", "domain", {"safeguard_std.rules"}),
        ("from . import packs", "rules", {"."}),
        ("from .reports import html", "rules", {".reports"}),
        ("import os.path", "domain", {"os.path"}),
        ("from pathlib import Path", "evaluate.py", {"pathlib"}),
        ("import jsonschema", "domain", {"jsonschema"}),
        ("import cattrs", "rules", {"cattrs"}),
        ("import datetime, functools", "domain", set()),
        ("from safeguard_std.domain.pack import Pack", "rules", set()),
        ("from safeguard_std.reports import html", "_serialization", {"safeguard_std.reports"}),
        ("import safeguard_std.evaluate", "_serialization", {"safeguard_std.evaluate"}),
        ("from safeguard_std._serialization.canonical import digest", "_serialization", set()),
    ],
)
def test_a_deliberate_bad_import_is_caught(source: str, layer: str, bad: set[str]) -> None:
    assert violations(source, LAYERS[layer]) == bad


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_nothing_but_the_cli_imports_the_cli(path: Path) -> None:
    if "cli" in path.relative_to(SRC).parts or path.name == "__main__.py":
        return
    assert not any(n.startswith("safeguard_std.cli") for n in imports_of(path.read_text()))


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(SRC)))
def test_core_reads_no_clock_and_no_randomness(path: Path) -> None:
    text = path.read_text()
    assert [c for c in WALL_CLOCK if c in text] == []


def private_imports_from(source: str, module: str) -> set[str]:
    """The private names (``_x``) ``source`` imports from ``module``."""
    return {
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module == module
        for alias in node.names
        if alias.name.startswith("_")
    }


def test_a_deliberate_private_import_of_the_evaluator_is_caught() -> None:
    source = "def f():\n    from safeguard_std.evaluate import _compile_one, resolve_params\n"
    assert private_imports_from(source, "safeguard_std.evaluate") == {"_compile_one"}


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_nothing_imports_the_evaluators_private_names(path: Path) -> None:
    # What packs (and evaluate) share, compiling a requirement, is public in rules.compile.
    assert private_imports_from(path.read_text(), "safeguard_std.evaluate") == set()
