"""A pytest plugin that runs standard packs' test cases as pytest tests.

A council keeping its own pack in its own repository reuses its cases under pytest with nothing
but an option: ``pytest --safeguard-packs packs`` or, in ``pyproject.toml``::

    [tool.pytest.ini_options]
    safeguard_packs = ["packs"]

Every ``<DIR>/<id>/<edition>/tests/*.yaml`` becomes a test file and each case in it a test
(``packs/hackney/2025/tests/dbs.yaml::renewal due on 28 February``), marked ``safeguard_pack``.
A failing case shows its expected and actual findings side by side. The folders are added to
the run when pytest chose what to collect (``testpaths`` or the current folder), not when tests
are named on the command line. Without the option or the setting the plugin does nothing.
Packs are looked up in the named folders first, then among the bundled and installed packs, so a
council's pack may ``extend`` a bundled one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from safeguard_std.packs import PackCatalog
    from safeguard_std.packs.cases import CaseResult, PackCase

__all__ = ["PackCaseFailure", "PackCaseItem", "PackTestFile"]

_ROOTS = pytest.StashKey[list[Path]]()
_CATALOG = pytest.StashKey["PackCatalog"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--safeguard-packs DIR`` and the ``safeguard_packs`` ini setting."""
    group = parser.getgroup("safeguard_std", "standard pack test cases")
    group.addoption(
        "--safeguard-packs",
        action="append",
        default=[],
        metavar="DIR",
        help="run the test cases of the packs in DIR (<id>/<edition>/tests/*.yaml); repeatable",
    )
    parser.addini(
        "safeguard_packs",
        type="paths",
        default=[],
        help="folders of standard packs whose test cases run as tests",
    )


def _roots(config: pytest.Config) -> list[Path]:
    named = [Path(p) for p in config.getoption("safeguard_packs")]
    configured = [Path(p) for p in config.getini("safeguard_packs")]
    return list(dict.fromkeys(p.resolve() for p in (*named, *configured)))


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker; when opted in, remember the folders and add them to the run."""
    config.addinivalue_line("markers", "safeguard_pack: a test case from a standard pack")
    roots = _roots(config)
    if not roots:
        return
    for root in roots:
        if not root.is_dir():
            raise pytest.UsageError(f"safeguard_packs: {str(root)!r} is not a folder")
    config.stash[_ROOTS] = roots
    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        chosen = [Path(a).resolve() for a in config.args]
        for root in roots:
            if not any(root == a or a in root.parents for a in chosen):
                config.args.append(str(root))


def _catalog(config: pytest.Config) -> PackCatalog:
    if _CATALOG not in config.stash:
        from safeguard_std.authoring import open_target
        from safeguard_std.packs import bundled_catalog

        catalog = bundled_catalog()
        for root in config.stash[_ROOTS]:
            catalog = open_target(root, catalog=catalog).catalog
        config.stash[_CATALOG] = catalog
    return config.stash[_CATALOG]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> PackTestFile | None:
    """A pack's ``tests/*.yaml`` under one of the configured folders."""
    roots = parent.config.stash.get(_ROOTS, None)
    if not roots or file_path.suffix not in (".yaml", ".yml"):
        return None
    folder = file_path.parent
    if folder.name != "tests" or not (folder.parent / "pack.yaml").is_file():
        return None
    resolved = file_path.resolve()
    if not any(root in resolved.parents for root in roots):
        return None
    file: PackTestFile = PackTestFile.from_parent(parent, path=file_path)
    return file


class PackCaseFailure(Exception):
    """A case whose findings differ from its expectations."""

    def __init__(self, result: CaseResult) -> None:
        self.result = result
        super().__init__(result.case.id)


class PackTestFile(pytest.File):
    """A pack test file: one item per case."""

    def collect(self) -> Iterator[PackCaseItem]:
        """Load the cases (a file or pack that does not load is a collection error)."""
        from safeguard_std.packs import read_layer
        from safeguard_std.packs.cases import load_cases

        ref = read_layer(self.path.parent.parent).ref
        for case in load_cases(self.path, ref):
            item: PackCaseItem = PackCaseItem.from_parent(self, name=case.name, case=case)
            item.add_marker(pytest.mark.safeguard_pack)
            yield item

    def repr_failure(  # type: ignore[override]  # as pytest's own Collector does
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> Any:
        """A pack or test-file error as its located problems, not a traceback."""
        from safeguard_std.exceptions import SafeguardError

        if isinstance(excinfo.value, SafeguardError):
            details = getattr(excinfo.value, "details", None)
            return details() if callable(details) else str(excinfo.value)
        return super().repr_failure(excinfo)


class PackCaseItem(pytest.Item):
    """One case of a pack test file."""

    def __init__(self, *, case: PackCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        """Evaluate the case's evidence against its pack and compare the findings."""
        from safeguard_std.packs.cases import run_case

        pack = _catalog(self.config).resolve(self.case.pack, as_of=self.case.as_of)
        result = run_case(self.case, pack)
        if not result.passed:
            raise PackCaseFailure(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        """Expected and actual findings side by side."""
        from safeguard_std.authoring import side_by_side
        from safeguard_std.exceptions import SafeguardError

        if isinstance(excinfo.value, PackCaseFailure):
            return side_by_side(excinfo.value.result)
        if isinstance(excinfo.value, SafeguardError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the case is, for pytest's report."""
        return self.path, None, f"{self.case.pack} {self.case.name}"
