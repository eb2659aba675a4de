"""Portfolio roll-up: many providers' bundles, one summary for a commissioner.

:func:`summarize` consumes the stream :func:`safeguard_std.portfolio.evaluate_portfolio` yields
(one provider a bundle, judged against one compiled pack) and keeps only a small row per
provider: ratings, counts and metric tallies. The assessments themselves are dropped as soon as
they are summarised, so memory stays constant in the number of findings however many providers
stream through. :func:`evaluate_portfolio` here is the older entry point (bundles in, a summary
out), now a thin wrapper over the two.

The summary does not depend on the order the bundles arrive in: rows are sorted by provider and
bundle id, and every total is a sum of whole numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from safeguard_std._version import __version__
from safeguard_std.domain.findings import Assessment, Status
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Modality, Pack
from safeguard_std.evaluate import EvaluationPlan, compile_pack
from safeguard_std.portfolio import LineResult
from safeguard_std.portfolio import evaluate_portfolio as stream
from safeguard_std.reports._format import (
    STATUS_ORDER,
    clean_text,
    json_safe,
    percent,
    ratio_text,
    status_label,
)
from safeguard_std.reports._model import RATING_OVERALL, RATING_RULE, Rating, build_report
from safeguard_std.reports.markdown import escape
from safeguard_std.serialization import canonical_json

__all__ = [
    "Portfolio",
    "PortfolioSummary",
    "ProviderRow",
    "Repeated",
    "SectionRollup",
    "evaluate_portfolio",
    "portfolio_to_data",
    "portfolio_to_json",
    "portfolio_to_markdown",
    "summarize",
]


@attrs.frozen(kw_only=True)
class ProviderRow:
    """What the portfolio keeps of one provider's assessment."""

    provider_id: str
    bundle_id: str
    provider_name: str | None
    evidence_digest: str
    overall: Rating
    sections: Mapping[str, Rating]
    counts: Mapping[str, int]
    not_met_by_section: Mapping[str, int]
    must_not_met: int
    lapses: int
    metrics: Mapping[str, tuple[int, int]]


@attrs.frozen(kw_only=True)
class SectionRollup:
    """One section across every provider: how many providers at each rating, and findings not
    met."""

    id: str
    title: str
    ratings: Mapping[str, int]
    not_met: int

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Worst first: most providers at red, then at amber, then most findings not met."""
        return (-self.ratings["red"], -self.ratings["amber"], -self.not_met)


@attrs.frozen(kw_only=True)
class Skipped:
    """An input that could not be evaluated, and why (never personal data)."""

    source: str
    reason: str


@attrs.frozen(kw_only=True)
class Repeated:
    """An input holding the same evidence (the same provider, bundle id and evidence digest) as
    an earlier one: counted once, as the earlier one."""

    source: str
    same_as: str


@attrs.frozen(kw_only=True)
class PortfolioSummary:
    """One summary across providers."""

    pack: str
    pack_edition: str
    pack_title: str
    pack_digest: str
    as_of: dt.date
    horizon_days: int
    library_version: str
    providers: tuple[ProviderRow, ...]
    sections: tuple[SectionRollup, ...]
    metrics: tuple[tuple[str, str, str, int, int], ...]
    skipped: tuple[Skipped, ...] = ()
    repeated: tuple[Repeated, ...] = ()

    @property
    def provider_count(self) -> int:
        """How many providers: one provider assessed on two different bundles counts once."""
        return len({p.provider_id for p in self.providers})

    @property
    def by_rating(self) -> dict[str, int]:
        """How many providers at each overall rating."""
        counts = Counter(p.overall.value for p in self.providers)
        return {r.value: counts[r.value] for r in Rating}

    @property
    def by_status(self) -> dict[str, int]:
        """Findings per status, across providers."""
        return {s.value: sum(p.counts[s.value] for p in self.providers) for s in STATUS_ORDER}

    @property
    def at_red(self) -> tuple[ProviderRow, ...]:
        """Providers rated red, most must-requirements unmet first."""
        red = [p for p in self.providers if p.overall is Rating.RED]
        return tuple(sorted(red, key=lambda p: (-p.must_not_met, p.provider_id, p.bundle_id)))

    @property
    def worst_sections(self) -> tuple[SectionRollup, ...]:
        """Sections, worst first (ties keep pack order)."""
        order = {s.id: n for n, s in enumerate(self.sections)}
        return tuple(sorted(self.sections, key=lambda s: (*s.sort_key, order[s.id])))


class Portfolio:
    """Accumulates providers' assessments into a :class:`PortfolioSummary`.

    A local builder (not shared state): create one per roll-up, :meth:`add` each assessment (or
    :meth:`skip` an input that could not be read), then call :meth:`summary`.
    """

    def __init__(self, plan: EvaluationPlan, as_of: dt.date, *, horizon_days: int = 90) -> None:
        self.plan = plan
        self.as_of = as_of
        self.horizon_days = horizon_days
        self._rows: list[ProviderRow] = []
        self._skipped: list[Skipped] = []
        self._repeated: list[Repeated] = []
        self._metric_titles: dict[str, tuple[str, str]] = {}
        self._library_version = __version__

    def add(self, assessment: Assessment, bundle: EvidenceBundle | None = None) -> ProviderRow:
        """Summarise one assessment (made with this portfolio's plan and date) into a row."""
        report = build_report(
            assessment, pack=self.plan.pack, bundle=bundle, horizon_days=self.horizon_days
        )
        for m in report.metrics:
            self._metric_titles.setdefault(m.id, (m.title, m.kind))
        self._library_version = assessment.library_version
        row = ProviderRow(
            provider_id=assessment.provider_id,
            bundle_id=assessment.bundle_id,
            provider_name=report.provider_name,
            evidence_digest=assessment.evidence_digest,
            overall=report.overall,
            sections={s.id: s.rating for s in report.sections},
            counts=dict(assessment.summary.by_status),
            not_met_by_section={
                sid: counts.get(Status.NOT_MET.value, 0)
                for sid, counts in assessment.summary.by_section.items()
            },
            must_not_met=sum(
                1
                for f in assessment.findings
                if f.status is Status.NOT_MET and f.modality is Modality.MUST
            ),
            lapses=len(report.lapses),
            metrics={m.id: (m.numerator, m.denominator) for m in report.metrics},
        )
        self._rows.append(row)
        return row

    def skip(self, source: str, reason: str) -> None:
        """Record an input that could not be evaluated."""
        self._skipped.append(Skipped(source=source, reason=reason))

    def repeat(self, source: str, same_as: str) -> None:
        """Record an input holding the same evidence as an earlier one (not added again)."""
        self._repeated.append(Repeated(source=source, same_as=same_as))

    def summary(self) -> PortfolioSummary:
        """The summary of everything added so far."""
        pack = self.plan.pack
        rows = tuple(sorted(self._rows, key=lambda r: (r.provider_id, r.bundle_id)))
        sections = []
        for section in pack.sections:
            ratings = Counter(
                r.sections[section.id].value for r in rows if section.id in r.sections
            )
            sections.append(
                SectionRollup(
                    id=section.id,
                    title=section.title,
                    ratings={r.value: ratings[r.value] for r in Rating},
                    not_met=sum(r.not_met_by_section.get(section.id, 0) for r in rows),
                )
            )
        metrics = []
        for metric_id, (title, kind) in self._metric_titles.items():
            num = sum(r.metrics.get(metric_id, (0, 0))[0] for r in rows)
            den = sum(r.metrics.get(metric_id, (0, 0))[1] for r in rows)
            metrics.append((metric_id, title, kind, num, den))
        return PortfolioSummary(
            pack=pack.id,
            pack_edition=pack.edition,
            pack_title=pack.title,
            pack_digest=self.plan.digest,
            as_of=self.as_of,
            horizon_days=self.horizon_days,
            library_version=self._library_version,
            providers=rows,
            sections=tuple(sections),
            metrics=tuple(metrics),
            skipped=tuple(sorted(self._skipped, key=lambda s: s.source)),
            repeated=tuple(sorted(self._repeated, key=lambda r: (r.source, r.same_as))),
        )


ProgressFn = Callable[[int], None]


def summarize(
    results: Iterable[LineResult],
    plan: EvaluationPlan,
    as_of: dt.date,
    *,
    horizon_days: int = 90,
    on_progress: ProgressFn | None = None,
) -> PortfolioSummary:
    """Roll a stream of results up into one :class:`PortfolioSummary`: the consumer of
    :func:`safeguard_std.portfolio.evaluate_portfolio` run with ``keep_assessments=True`` (and
    ``plan``, ``as_of``). Each assessment becomes a row and is dropped; an input that could not
    be evaluated is listed under *skipped* with its first problem.

    ``on_progress``, if given, is called with the number of results taken after each one.
    """
    portfolio = Portfolio(plan, as_of, horizon_days=horizon_days)
    # The same evidence given twice (copies of one file) is one provider's, counted once: its
    # assessments are the same, so whichever arrives first is added, and the input named
    # first in order of source is the one the others repeat (arrival order never shows).
    sources: dict[tuple[str, str, str], list[str]] = {}
    for done, result in enumerate(results, start=1):
        if result.assessment is not None:
            a = result.assessment
            key = (a.provider_id, a.bundle_id, a.evidence_digest)
            if key not in sources:
                portfolio.add(a, result.bundle)
            sources.setdefault(key, []).append(result.source)
        elif result.error is not None:
            portfolio.skip(result.source, str(result.error.problems[0]))
        else:
            raise ValueError(
                f"{result.source or result.line}: no assessment to summarise; "
                "evaluate the portfolio with keep_assessments=True"
            )
        if on_progress is not None:
            on_progress(done)
    for same in sources.values():
        kept, *others = sorted(same)
        for source in others:
            portfolio.repeat(source, kept)
    return portfolio.summary()


def evaluate_portfolio(
    plan: Pack | EvaluationPlan,
    bundles: Iterable[EvidenceBundle],
    as_of: dt.date,
    *,
    horizon_days: int = 90,
    on_progress: ProgressFn | None = None,
    allow_out_of_force: bool = False,
) -> PortfolioSummary:
    """Evaluate each bundle in ``bundles`` (consumed lazily, one at a time) against ``plan`` on
    ``as_of`` and roll the results up into one :class:`PortfolioSummary`.

    A thin wrapper, kept for its callers: :func:`summarize` over
    :func:`safeguard_std.portfolio.evaluate_portfolio` (which also reads NDJSON, folders and
    several processes). ``on_progress``, if given, is called with the number of bundles done
    after each one. A pack is compiled once; pass an
    :class:`~safeguard_std.evaluate.EvaluationPlan` to reuse one. An edition not in force on
    ``as_of`` is refused unless ``allow_out_of_force``.
    """
    compiled = plan if isinstance(plan, EvaluationPlan) else compile_pack(plan)
    results = stream(
        compiled,
        bundles,
        as_of=as_of,
        allow_out_of_force=allow_out_of_force,
        keep_assessments=True,
    )
    return summarize(results, compiled, as_of, horizon_days=horizon_days, on_progress=on_progress)


def portfolio_to_data(summary: PortfolioSummary) -> dict[str, Any]:
    """The summary as plain, canonical data (whole numbers and strings only)."""
    providers = []
    for row in summary.providers:
        entry: dict[str, Any] = {
            "provider_id": row.provider_id,
            "bundle_id": row.bundle_id,
            "evidence_digest": row.evidence_digest,
            "overall_rating": row.overall.value,
            "sections": {k: v.value for k, v in row.sections.items()},
            "counts": dict(row.counts),
            "must_not_met": row.must_not_met,
            "lapses_within_horizon": row.lapses,
            "metrics": {k: {"numerator": n, "denominator": d} for k, (n, d) in row.metrics.items()},
        }
        if row.provider_name is not None:
            entry["provider_name"] = row.provider_name
        providers.append(entry)
    return {
        "portfolio_format": 1,
        "library_version": summary.library_version,
        "pack": {
            "id": summary.pack,
            "edition": summary.pack_edition,
            "title": summary.pack_title,
            "digest": summary.pack_digest,
        },
        "as_of": summary.as_of.isoformat(),
        "horizon_days": summary.horizon_days,
        "provider_count": summary.provider_count,
        "providers_by_rating": summary.by_rating,
        "findings_by_status": summary.by_status,
        "providers_at_red": [
            {"provider_id": p.provider_id, "bundle_id": p.bundle_id, "must_not_met": p.must_not_met}
            for p in summary.at_red
        ],
        "worst_sections": [
            {"id": s.id, "title": s.title, "ratings": dict(s.ratings), "not_met": s.not_met}
            for s in summary.worst_sections
        ],
        "metrics": [
            {
                "id": mid,
                "title": title,
                "kind": kind,
                "numerator": num,
                "denominator": den,
                "percent": percent(num, den) if kind == "ratio" else None,
            }
            for mid, title, kind, num, den in summary.metrics
        ],
        "rating_rule": {
            **{rating.value: text for rating, text in RATING_RULE},
            "overall": RATING_OVERALL,
        },
        "providers": providers,
        "skipped": [{"source": s.source, "reason": s.reason} for s in summary.skipped],
        # Only when there are any: the same evidence given more than once.
        **(
            {"repeated": [{"source": r.source, "same_as": r.same_as} for r in summary.repeated]}
            if summary.repeated
            else {}
        ),
    }


def portfolio_to_json(summary: PortfolioSummary) -> str:
    """Canonical JSON of the summary (2-space indent, sorted keys, final newline)."""
    return json_safe(canonical_json(portfolio_to_data(summary), indent=2)) + "\n"


def _cell(text: object) -> str:
    return escape(str(text))


def _table(head: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def portfolio_to_markdown(summary: PortfolioSummary) -> str:
    """A one-page Markdown summary across providers."""
    lines = [
        *_md_overview(summary),
        *_md_at_red(summary),
        *_md_worst_sections(summary),
        *_md_metrics(summary),
        *_md_every_provider(summary),
        *_md_rating_rule(summary),
        *_md_skipped(summary),
        *_md_repeated(summary),
    ]
    while lines[-1] == "":
        lines.pop()
    return clean_text("\n".join(lines) + "\n")


def _provider(p: ProviderRow) -> str:
    return _cell(p.provider_id + (f" ({p.provider_name})" if p.provider_name else ""))


def _md_overview(s: PortfolioSummary) -> list[str]:
    """The title, what was assessed, and the counts by rating and by status."""
    pack = f"{s.pack}@{s.pack_edition}"
    facts = [
        ("Standard", _cell(f"{s.pack_title} ({pack})")),
        ("Assessed as of", s.as_of.isoformat()),
        ("Pack digest", f"`{s.pack_digest}`"),
        ("Providers", str(s.provider_count)),
        ("Produced by", f"safeguard-std {_cell(s.library_version)}"),
    ]
    return [
        f"# Safeguarding portfolio: {_cell(s.pack_title)} ({pack})",
        "",
        *_table(("", ""), facts),
        "## Providers by overall rating",
        "",
        *_table(tuple(r.label for r in Rating), [tuple(str(s.by_rating[r.value]) for r in Rating)]),
        "## Findings across providers",
        "",
        *_table(
            tuple(status_label(st) for st in STATUS_ORDER),
            [tuple(str(s.by_status[st.value]) for st in STATUS_ORDER)],
        ),
    ]


def _md_at_red(s: PortfolioSummary) -> list[str]:
    if not s.at_red:
        return ["## Providers at red", "", "No provider is rated red.", ""]
    rows = [
        (
            _provider(p),
            _cell(p.bundle_id),
            str(p.must_not_met),
            _cell(", ".join(k for k, v in p.sections.items() if v is Rating.RED)),
        )
        for p in s.at_red
    ]
    head = ("Provider", "Bundle", "Must findings not met", "Red sections")
    return ["## Providers at red", "", *_table(head, rows)]


def _md_worst_sections(s: PortfolioSummary) -> list[str]:
    head = ("Section", "Red", "Amber", "Green", "Not assessed", "Findings not met")
    rows = [
        (
            _cell(f"{sec.id} {sec.title}"),
            *(str(sec.ratings[r.value]) for r in Rating),
            str(sec.not_met),
        )
        for sec in s.worst_sections
    ]
    return ["## Worst sections", "", *_table(head, rows)]


def _md_metrics(s: PortfolioSummary) -> list[str]:
    rows = [
        (_cell(title), ratio_text(num, den) if kind == "ratio" else f"{num} open of {den}")
        for _mid, title, kind, num, den in s.metrics
    ]
    return [
        "## Contract-monitoring metrics across providers",
        "",
        *_table(("Metric", "All providers"), rows),
    ]


def _md_every_provider(s: PortfolioSummary) -> list[str]:
    statuses = tuple(status_label(st) for st in STATUS_ORDER)
    head = ("Provider", "Rating", "Must not met", *statuses, "Lapsing")
    rows = [
        (
            _provider(p),
            f"**{p.overall.label}**",
            str(p.must_not_met),
            *(str(p.counts[st.value]) for st in STATUS_ORDER),
            str(p.lapses),
        )
        for p in s.providers
    ]
    return [
        "## Every provider",
        "",
        *_table(head, rows),
        f"Lapsing: findings due within {s.horizon_days} days of {s.as_of}.",
        "",
    ]


def _md_rating_rule(s: PortfolioSummary) -> list[str]:
    rules = [f"- **{rating.label}**: {text}" for rating, text in RATING_RULE]
    return ["How a provider's rating is worked out:", "", *rules, "", RATING_OVERALL, ""]


def _md_inputs(title: str, second: str, rows: Iterable[tuple[str, str]]) -> list[str]:
    """A section listing inputs (and one more column), or nothing when there are none."""
    cells = [(_cell(source), _cell(other)) for source, other in rows]
    return [f"## {title}", "", *_table(("Input", second), cells)] if cells else []


def _md_repeated(s: PortfolioSummary) -> list[str]:
    rows = ((r.source, r.same_as) for r in s.repeated)
    return _md_inputs("Evidence given more than once (counted once)", "The same evidence as", rows)


def _md_skipped(s: PortfolioSummary) -> list[str]:
    rows = ((k.source, k.reason) for k in s.skipped)
    return _md_inputs("Inputs that could not be evaluated", "Problem", rows)
