"""Reports and exports: what a commissioner reads, and what other compliance tools import.

Every format renders the same :class:`Report` (built once by :func:`build_report`), so they
never disagree. Each ``to_*`` function takes the assessment and, optionally, the pack it was made
against (titles, citations, metric tags) and the evidence bundle it judged (open actions; names,
only with ``include_personal_data``):

>>> from safeguard_std.reports import FORMATS
>>> sorted(FORMATS)
['csv', 'html', 'json', 'junit', 'markdown', 'oscal', 'sarif']

The action list is also an Excel workbook (:func:`to_xlsx`, bytes; needs the ``xlsx`` extra).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from safeguard_std.domain.findings import Assessment
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.reports._model import (
    MAX_HORIZON_DAYS,
    RATING_RULE,
    Lapse,
    PersonIssues,
    Rating,
    Report,
    SectionRating,
    build_report,
)
from safeguard_std.reports.actions import render_csv, to_csv, to_xlsx
from safeguard_std.reports.as_json import render_json, to_json
from safeguard_std.reports.html import render_html, to_html
from safeguard_std.reports.junit import render_junit, to_junit
from safeguard_std.reports.markdown import render_markdown, to_markdown
from safeguard_std.reports.metrics import KNOWN_METRICS, METRIC_TAG, Metric, compute_metrics
from safeguard_std.reports.oscal import OSCAL_NS, render_oscal, to_oscal
from safeguard_std.reports.oscal_catalog import pack_to_oscal_catalog, pack_to_oscal_profile
from safeguard_std.reports.sarif import render_sarif, to_sarif

if TYPE_CHECKING:
    from safeguard_std.portfolio.rollup import (
        Portfolio,
        PortfolioSummary,
        evaluate_portfolio,
        portfolio_to_json,
        portfolio_to_markdown,
    )

# The portfolio roll-up lives in safeguard_std.portfolio.rollup, which renders with this
# package's helpers: importing it here eagerly would be circular, so its names load on first use.
_PORTFOLIO_NAMES = frozenset(
    {
        "Portfolio",
        "PortfolioSummary",
        "evaluate_portfolio",
        "portfolio_to_json",
        "portfolio_to_markdown",
    }
)


def __getattr__(name: str) -> Any:
    if name in _PORTFOLIO_NAMES:
        from safeguard_std.portfolio import rollup

        return getattr(rollup, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "KNOWN_METRICS",
    "MAX_HORIZON_DAYS",
    "METRIC_TAG",
    "OSCAL_NS",
    "RATING_RULE",
    "Lapse",
    "Metric",
    "PersonIssues",
    "Portfolio",
    "PortfolioSummary",
    "Rating",
    "Report",
    "SectionRating",
    "build_report",
    "compute_metrics",
    "evaluate_portfolio",
    "pack_to_oscal_catalog",
    "pack_to_oscal_profile",
    "portfolio_to_json",
    "portfolio_to_markdown",
    "render",
    "to_csv",
    "to_html",
    "to_json",
    "to_junit",
    "to_markdown",
    "to_oscal",
    "to_sarif",
    "to_xlsx",
]

#: Every format: its name and the function that renders a built report as text.
FORMATS: Mapping[str, Callable[[Report], str]] = {
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
    "oscal": render_oscal,
    "sarif": render_sarif,
    "junit": render_junit,
    "csv": render_csv,
}


def render(
    assessment: Assessment,
    format: str,
    *,
    pack: Pack | None = None,
    bundle: EvidenceBundle | None = None,
    include_personal_data: bool = False,
    horizon_days: int = 90,
) -> str:
    """``assessment`` in the named ``format`` (one of :data:`FORMATS`)."""
    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}; expected one of {sorted(FORMATS)}")
    report = build_report(
        assessment,
        pack=pack,
        bundle=bundle,
        include_personal_data=include_personal_data,
        horizon_days=horizon_days,
    )
    return FORMATS[format](report)
