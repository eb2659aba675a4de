"""safeguard_std: children's-safeguarding standards as data, and a deterministic evaluator.

>>> import datetime as dt
>>> from safeguard_std import bundled_catalog, evaluate, load_evidence
>>> pack = bundled_catalog().resolve("dorset", as_of=dt.date(2026, 11, 23))  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from safeguard_std._version import __version__
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
from safeguard_std.rules import RuleKind, RuleKindRegistry, default_registry, rule_kind
from safeguard_std.serialization import assessment_to_json, make_converter

if TYPE_CHECKING:
    from safeguard_std.reports import build_report, to_html, to_json, to_markdown

#: Names re-exported from :mod:`safeguard_std.reports`, imported when first used: the report
#: writers (Jinja-free, but a dozen modules) are not needed to evaluate.
_FROM_REPORTS = frozenset({"build_report", "to_html", "to_json", "to_markdown"})


def __getattr__(name: str) -> Any:
    if name in _FROM_REPORTS:
        from safeguard_std import reports

        return getattr(reports, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
