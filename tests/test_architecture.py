"""The dependency rule: the pure core never imports an adapter, and nothing imports the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "safeguard_std"
CORE_ALLOWED = {"attrs", "pendulum", "safeguard_std.domain", "safeguard_std.exceptions"}
ADAPTERS = (
    "documents",
    "packs",
    "evidence",
    "evidence_stream",
    "evidence_locations",
    "packtests",
    "schemas",
    "cli",
    "importers",
    "reports",
    "_problems",
    "authoring",
    "pytest_plugin",
)
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


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def modules(folder: str) -> list[Path]:
    return sorted((SRC / folder).rglob("*.py"))


@pytest.mark.parametrize("path", modules("domain"), ids=lambda p: p.name)
def test_domain_uses_only_stdlib_attrs_and_pendulum(path: Path) -> None:
    third_party = {
        name
        for name in imports_of(path)
        if name.split(".")[0]
        not in {
            "__future__",
            "collections",
            "datetime",
            "enum",
            "re",
            "typing",
            "functools",
            "itertools",
            "inspect",
            "math",
            "weakref",
        }
    }
    bad = {n for n in third_party if not any(n == a or n.startswith(a + ".") for a in CORE_ALLOWED)}
    assert bad == set()


@pytest.mark.parametrize(
    "path",
    [*modules("domain"), *modules("rules"), SRC / "evaluate.py", SRC / "serialization.py"],
    ids=lambda p: p.name,
)
def test_core_never_imports_an_adapter(path: Path) -> None:
    bad = {
        n
        for n in imports_of(path)
        if any(n == f"safeguard_std.{a}" or n.startswith(f"safeguard_std.{a}.") for a in ADAPTERS)
    }
    assert bad == set()


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: p.name)
def test_nothing_but_the_cli_imports_the_cli(path: Path) -> None:
    if "cli" in path.parts or path.name == "__main__.py":
        return
    assert not any(n.startswith("safeguard_std.cli") for n in imports_of(path))


@pytest.mark.parametrize(
    "path", [*modules("domain"), *modules("rules"), SRC / "evaluate.py"], ids=lambda p: p.name
)
def test_core_reads_no_clock_and_no_randomness(path: Path) -> None:
    text = path.read_text()
    assert [c for c in WALL_CLOCK if c in text] == []
