"""JSON: the canonical assessment with a ``report`` section added.

The assessment part is exactly :func:`~safeguard_std.serialization.assessment_to_data` (same keys,
same ``assessment_format``); ``report`` carries what the other formats show: ratings and the rule
behind them, metrics, lapses within the horizon, issues per person and the findings not met per
section (by finding id). Canonical: sorted keys, whole numbers and strings, no floats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from safeguard_std._serialization.findings_writer import StreamedList
from safeguard_std.domain.findings import Assessment
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.reports._format import json_safe
from safeguard_std.reports._model import (
    RATING_OVERALL,
    RATING_RULE,
    Lapse,
    PersonIssues,
    Report,
    build_report,
)
from safeguard_std.serialization import assessment_json_chunks

__all__ = [
    "REPORT_FORMAT",
    "render_json",
    "render_json_chunks",
    "report_to_data",
    "safe_chunks",
    "to_json",
]

#: Version of the ``report`` section's shape; bumped on any incompatible change.
REPORT_FORMAT = 1


def _lapse(lapse: Lapse) -> dict[str, Any]:
    f = lapse.finding
    assert f.due_on is not None
    return {
        "finding": f.id,
        "requirement": f.requirement_id,
        "subject": str(f.subject),
        "status": f.status.value,
        "due_on": f.due_on.isoformat(),
        "days_left": lapse.days_left,
        "what": lapse.what,
    }


def report_to_data(report: Report) -> dict[str, Any]:
    """The ``report`` section as plain data."""
    return _report_data(report, streamed=False)


def _report_data(report: Report, *, streamed: bool) -> dict[str, Any]:
    """The ``report`` section; with ``streamed``, its long lists (a large bundle's issues per
    person, findings not met, lapses) are :class:`StreamedList` s, made as they are written."""
    a = report.assessment

    def listed(items: Callable[[], Iterable[Any]]) -> Any:
        return StreamedList(items) if streamed else list(items())

    def person_entry(person: PersonIssues) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "person_id": person.person_id,
            "issues": [f.id for f in person.issues],
            "lapses": [lp.finding.id for lp in person.lapses],
        }
        if person.name is not None:
            entry["name"] = person.name
        return entry

    data: dict[str, Any] = {
        "report_format": REPORT_FORMAT,
        "horizon": {
            "days": report.horizon_days,
            "from": a.as_of.isoformat(),
            "to": report.horizon_end.isoformat(),
        },
        "include_personal_data": report.include_personal_data,
        "overall_rating": report.overall.value,
        "rating_rule": {
            **{rating.value: text for rating, text in RATING_RULE},
            "overall": RATING_OVERALL,
        },
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "rating": s.rating.value,
                "reason": s.reason,
                "counts": dict(s.counts),
            }
            for s in report.sections
        ],
        "not_met": listed(
            lambda: (
                {"section": s.id, "findings": [f.id for f in found]} for s, found in report.issues
            )
        ),
        "lapses": listed(lambda: (_lapse(lp) for lp in report.lapses)),
        "people": listed(lambda: (person_entry(person) for person in report.people)),
        "waived": listed(lambda: (f.id for f in report.waived)),
        "metrics": [m.to_data() for m in report.metrics],
    }
    if report.pack_title is not None:
        data["pack_title"] = report.pack_title
    if report.board is not None:
        data["board"] = report.board
    if report.provider_name is not None:
        data["provider_name"] = report.provider_name
    return data


def to_json(
    assessment: Assessment,
    *,
    pack: Pack | None = None,
    bundle: EvidenceBundle | None = None,
    include_personal_data: bool = False,
    horizon_days: int = 90,
) -> str:
    """Canonical JSON (2-space indent, sorted keys, final newline) of the assessment and its
    report; byte-identical for the same inputs."""
    report = build_report(
        assessment,
        pack=pack,
        bundle=bundle,
        include_personal_data=include_personal_data,
        horizon_days=horizon_days,
    )
    return render_json(report)


def render_json(report: Report) -> str:
    """The JSON text of a built report (see :func:`to_json`)."""
    return "".join(render_json_chunks(report))


def render_json_chunks(report: Report) -> Iterator[str]:
    """:func:`render_json`'s text in pieces of about a megabyte: a writer that takes them as
    they come never holds a large assessment's text whole."""
    # Findings are turned into text as they are written: a large assessment's findings never
    # exist all at once as dictionaries (the text is the same as assessment_to_data's).
    return safe_chunks(
        assessment_json_chunks(
            report.assessment, extra={"report": _report_data(report, streamed=True)}
        )
    )


def safe_chunks(chunks: Iterable[str], size: int = 1 << 20) -> Iterator[str]:
    """JSON text in pieces of about ``size`` characters, each through
    :func:`~safeguard_std.reports._format.json_safe` (it escapes single characters, so escaping
    the pieces is escaping the whole)."""
    batch: list[str] = []
    held = 0
    for chunk in chunks:
        batch.append(chunk)
        held += len(chunk)
        if held >= size:
            yield json_safe("".join(batch))
            batch, held = [], 0
    if batch:
        yield json_safe("".join(batch))
