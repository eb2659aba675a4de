"""safeguard_std: children's-safeguarding standards as data, and a deterministic evaluator.

>>> import datetime as dt
>>> from safeguard_std import bundled_catalog, evaluate, load_evidence
>>> pack = bundled_catalog().resolve("dorset", as_of=dt.date(2026, 11, 23))  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from safeguard_std._version import __version__

if TYPE_CHECKING:  # what type checkers and readers see; at run time each loads when first used
    from safeguard_std.domain.calendar import Period, add_period
    from safeguard_std.domain.findings import Assessment, Finding, Status, SubjectRef
    from safeguard_std.domain.organisation import EvidenceBundle
    from safeguard_std.domain.pack import Pack, PackRef, Requirement
    from safeguard_std.evaluate import EvaluationPlan, compile_pack, evaluate
    from safeguard_std.evidence import bundle_from_data, load_evidence
    from safeguard_std.exceptions import (
        AsOfRequired,
        EvidenceError,
        InvalidArgument,
        InvalidPackRef,
        InvalidPeriod,
        MissingExtra,
        PackError,
        PackNotFound,
        ReportError,
        RuleError,
        SafeguardError,
    )
    from safeguard_std.io.documents import Limits
    from safeguard_std.packs import PackCatalog, bundled_catalog, load_pack
    from safeguard_std.reports import build_report, to_html, to_json, to_markdown
    from safeguard_std.rules import RuleKind, RuleKindRegistry, default_registry, rule_kind
    from safeguard_std.serialization import assessment_to_json, make_converter

# Each public name and the module that defines it. Importing the package loads none of them
# (a command or a program that needs only part of the library does not pay for the rest: the
# adapters, JSON Schema, YAML, cattrs); a name's module is imported when the name is first read.
_EXPORTS = {
    "Limits": "safeguard_std.io.documents",
    "Period": "safeguard_std.domain.calendar",
    "add_period": "safeguard_std.domain.calendar",
    "Assessment": "safeguard_std.domain.findings",
    "Finding": "safeguard_std.domain.findings",
    "Status": "safeguard_std.domain.findings",
    "SubjectRef": "safeguard_std.domain.findings",
    "EvidenceBundle": "safeguard_std.domain.organisation",
    "Pack": "safeguard_std.domain.pack",
    "PackRef": "safeguard_std.domain.pack",
    "Requirement": "safeguard_std.domain.pack",
    "EvaluationPlan": "safeguard_std.evaluate",
    "compile_pack": "safeguard_std.evaluate",
    "evaluate": "safeguard_std.evaluate",
    "bundle_from_data": "safeguard_std.evidence",
    "load_evidence": "safeguard_std.evidence",
    "AsOfRequired": "safeguard_std.exceptions",
    "EvidenceError": "safeguard_std.exceptions",
    "InvalidArgument": "safeguard_std.exceptions",
    "InvalidPackRef": "safeguard_std.exceptions",
    "InvalidPeriod": "safeguard_std.exceptions",
    "MissingExtra": "safeguard_std.exceptions",
    "PackError": "safeguard_std.exceptions",
    "PackNotFound": "safeguard_std.exceptions",
    "ReportError": "safeguard_std.exceptions",
    "RuleError": "safeguard_std.exceptions",
    "SafeguardError": "safeguard_std.exceptions",
    "build_report": "safeguard_std.reports",
    "to_html": "safeguard_std.reports",
    "to_json": "safeguard_std.reports",
    "to_markdown": "safeguard_std.reports",
    "PackCatalog": "safeguard_std.packs",
    "bundled_catalog": "safeguard_std.packs",
    "load_pack": "safeguard_std.packs",
    "RuleKind": "safeguard_std.rules",
    "RuleKindRegistry": "safeguard_std.rules",
    "default_registry": "safeguard_std.rules",
    "rule_kind": "safeguard_std.rules",
    "assessment_to_json": "safeguard_std.serialization",
    "make_converter": "safeguard_std.serialization",
}


def __getattr__(name: str) -> Any:
    """A public name, loaded from its module when first read (then kept)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package module. Importing the submodule ``safeguard_std.evaluate`` would set the
    package's ``evaluate`` to that module, hiding the function of that name: here the function
    always wins, as it did when the package imported it eagerly."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "evaluate" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "AsOfRequired",
    "Assessment",
    "EvaluationPlan",
    "EvidenceBundle",
    "EvidenceError",
    "Finding",
    "InvalidArgument",
    "InvalidPackRef",
    "InvalidPeriod",
    "Limits",
    "MissingExtra",
    "Pack",
    "PackCatalog",
    "PackError",
    "PackNotFound",
    "PackRef",
    "Period",
    "ReportError",
    "Requirement",
    "RuleError",
    "RuleKind",
    "RuleKindRegistry",
    "SafeguardError",
    "Status",
    "SubjectRef",
    "__version__",
    "add_period",
    "assessment_to_json",
    "build_report",
    "bundle_from_data",
    "bundled_catalog",
    "compile_pack",
    "default_registry",
    "evaluate",
    "load_evidence",
    "load_pack",
    "make_converter",
    "rule_kind",
    "to_html",
    "to_json",
    "to_markdown",
]
