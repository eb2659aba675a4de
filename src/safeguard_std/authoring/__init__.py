"""The pack authoring toolkit behind ``safeguard-std pack``: library functions a council's own
tooling can call. Each takes a pack as a path or ``ID[@EDITION]`` and an optional catalog.

>>> from safeguard_std.authoring import validate_pack, lint_pack, run_tests, diff_packs
"""

from __future__ import annotations

from safeguard_std.authoring._target import PackTarget, open_target
from safeguard_std.authoring.diff import PackDiff, diff_packs
from safeguard_std.authoring.lint import CODES, LintFinding, lint_pack, lint_ref
from safeguard_std.authoring.render import render_html, render_markdown, render_pack
from safeguard_std.authoring.scaffold import scaffold_pack, schema_reference
from safeguard_std.authoring.testrun import PackTestRun, run_tests, side_by_side
from safeguard_std.authoring.validate import (
    Validation,
    describe,
    problem_data,
    problem_line,
    validate_pack,
)

__all__ = [
    "CODES",
    "LintFinding",
    "PackDiff",
    "PackTarget",
    "PackTestRun",
    "Validation",
    "describe",
    "diff_packs",
    "lint_pack",
    "lint_ref",
    "open_target",
    "problem_data",
    "problem_line",
    "render_html",
    "render_markdown",
    "render_pack",
    "run_tests",
    "scaffold_pack",
    "schema_reference",
    "side_by_side",
    "validate_pack",
]
