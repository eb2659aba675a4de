"""Contract-monitoring metrics, computed from an assessment's findings (and its bundle where the
findings cannot say).

Which requirements measure what is declared in the pack, not in this code, so the same metrics
work for any pack:

* A requirement tagged ``metric:<id>`` counts towards metric ``<id>``. Four ids are known and
  always reported: ``dbs``, ``training``, ``policies`` and ``actions``. Any other id (say
  ``metric:records``) makes a further metric of its own, titled by its id.
* Where no requirement of the pack carries a known metric's tag, the metric is inferred from rule
  kinds (see :data:`KNOWN_METRICS`); the report says which way each metric was measured.

A *ratio* metric counts items: for requirements judged per person (or per policy, panel...) an
item is a subject; for requirements judged once per provider or contract, an item is a
requirement. Items for which every tagged requirement is ``not_applicable`` are left out; an item
is compliant only when all its applicable findings are ``met`` (missing evidence never passes,
and a waiver is an agreed exception, not compliance). Counts are exact whole numbers; the
percentage is a string (``"77.8"``), never a float.

The ``actions`` metric counts open action-plan items (from the bundle's self-audits): open,
overdue, without a deadline, and in all. Without the bundle it falls back on the overdue items
that the ``actions`` requirements' findings list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from safeguard_std.domain.findings import Assessment, Finding, Status
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack, Requirement, SubjectType
from safeguard_std.reports._format import percent, ratio_text

__all__ = [
    "KNOWN_METRICS",
    "METRIC_TAG",
    "Metric",
    "MetricDefinition",
    "compute_metrics",
    "metric_requirements",
]

#: The tag prefix that assigns a requirement to a metric: ``metric:dbs``.
METRIC_TAG = "metric:"


@attrs.frozen(kw_only=True)
class MetricDefinition:
    """A metric the reports always show, and how to find its requirements in an untagged pack."""

    id: str
    title: str
    unit: str
    kind: str
    infer: Callable[[Requirement], bool] = attrs.field(eq=False, repr=False)
    inferred_from: str


def _param(req: Requirement, name: str) -> Any:
    return req.rule.params.get(name)


def _is_dbs(req: Requirement) -> bool:
    if req.subject is not SubjectType.PERSON or _param(req, "check") != "dbs":
        return False
    if req.rule.kind == "check_current":
        return True
    return (
        req.rule.kind == "check_present"
        and _param(req, "level") == "enhanced"
        and _param(req, "barred_list_children") is True
    )


KNOWN_METRICS: tuple[MetricDefinition, ...] = (
    MetricDefinition(
        id="dbs",
        title="People in regulated activity with a current enhanced DBS check with children's "
        "barred list",
        unit="people",
        kind="ratio",
        infer=_is_dbs,
        inferred_from="check_present (dbs, enhanced, barred list) and check_current (dbs) "
        "requirements judged per person",
    ),
    MetricDefinition(
        id="training",
        title="People whose safeguarding training is in date",
        unit="people",
        kind="ratio",
        infer=lambda r: (
            r.subject is SubjectType.PERSON
            and r.rule.kind in ("training_current", "training_by_start")
        ),
        inferred_from="training_current and training_by_start requirements",
    ),
    MetricDefinition(
        id="policies",
        title="Policies in date",
        unit="policies",
        kind="ratio",
        infer=lambda r: r.rule.kind == "policy_current",
        inferred_from="policy_current requirements",
    ),
    MetricDefinition(
        id="actions",
        title="Open actions from self-audit action plans",
        unit="actions",
        kind="count",
        infer=lambda r: r.rule.kind == "actions_complete",
        inferred_from="actions_complete requirements",
    ),
)

_KNOWN = {m.id: m for m in KNOWN_METRICS}


@attrs.frozen(kw_only=True)
class Metric:
    """One computed metric. For a ratio, ``numerator`` of ``denominator`` items comply; for a
    count (``actions``), ``numerator`` is the number open and ``denominator`` the number in all.
    ``counts`` breaks the items down (by status for a ratio; open, overdue, no deadline and
    completed for actions). ``measured_by`` is ``tags``, ``rule kinds``, ``evidence``,
    ``findings`` or ``nothing``."""

    id: str
    title: str
    unit: str
    kind: str
    measured_by: str
    requirements: tuple[str, ...]
    numerator: int
    denominator: int
    counts: Mapping[str, int]
    note: str = ""

    @property
    def percent(self) -> str | None:
        """The percentage complying (one decimal place), for a ratio with anything to measure."""
        return percent(self.numerator, self.denominator) if self.kind == "ratio" else None

    @property
    def display(self) -> str:
        """How a person reads it: ``7/9 (77.8%)`` or ``2 open (1 overdue) of 5``."""
        if self.kind == "ratio":
            return ratio_text(self.numerator, self.denominator)
        if self.measured_by == "findings":
            return f"{self.counts.get('overdue', 0)} overdue"
        if self.measured_by == "nothing":
            return "none to measure"
        return (
            f"{self.numerator} open ({self.counts.get('overdue', 0)} overdue) of {self.denominator}"
        )

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready data (whole numbers and strings only)."""
        return {
            "id": self.id,
            "title": self.title,
            "unit": self.unit,
            "kind": self.kind,
            "measured_by": self.measured_by,
            "requirements": list(self.requirements),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percent": self.percent,
            "display": self.display,
            "counts": dict(self.counts),
            "note": self.note,
        }


def _tagged(pack: Pack) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for req in pack.active_requirements:
        for tag in req.tags:
            if tag.startswith(METRIC_TAG) and len(tag) > len(METRIC_TAG):
                found.setdefault(tag[len(METRIC_TAG) :], []).append(req.id)
    return found


def metric_requirements(pack: Pack) -> dict[str, tuple[tuple[str, ...], str]]:
    """For every metric the pack measures: its requirement ids (pack order) and whether they were
    found by ``tags`` or ``rule kinds``. Known metrics come first, then tagged ones by id."""
    tagged = _tagged(pack)
    out: dict[str, tuple[tuple[str, ...], str]] = {}
    for definition in KNOWN_METRICS:
        if definition.id in tagged:
            out[definition.id] = (tuple(tagged[definition.id]), "tags")
        else:
            inferred = tuple(r.id for r in pack.active_requirements if definition.infer(r))
            out[definition.id] = (inferred, "rule kinds" if inferred else "nothing")
    for metric_id in sorted(set(tagged) - set(_KNOWN)):
        out[metric_id] = (tuple(tagged[metric_id]), "tags")
    return out


_WORST_FIRST = (
    Status.NOT_MET,
    Status.ERROR,
    Status.INSUFFICIENT_EVIDENCE,
    Status.WAIVED,
    Status.MET,
)


def _item_key(f: Finding) -> tuple[str, str]:
    if f.subject.type in (SubjectType.PROVIDER, SubjectType.CONTRACT):
        return ("requirement", f.requirement_id)
    return (f.subject.type.value, f.subject.id or "-")


def _not_measured(f: Finding) -> bool:
    """A finding a ratio does not count: about someone who has not started yet, or saying that
    there is no subject of its kind at all (the findings still say so themselves)."""
    if f.subject.type in (SubjectType.PROVIDER, SubjectType.CONTRACT):
        return False
    return f.subject.id is None or f.facts.get("not_started") is True


def _ratio(
    metric_id: str, title: str, unit: str, reqs: tuple[str, ...], how: str, a: Assessment
) -> Metric:
    wanted = set(reqs)
    items: dict[tuple[str, str], set[Status]] = {}
    for f in a.findings:
        if f.requirement_id in wanted and f.status is not Status.NOT_APPLICABLE:
            if _not_measured(f):
                continue
            items.setdefault(_item_key(f), set()).add(f.status)
    counts = {s.value: 0 for s in _WORST_FIRST}
    for statuses in items.values():
        worst = next(s for s in _WORST_FIRST if s in statuses)
        counts[worst.value] += 1
    note = "" if reqs else "no requirement of this pack measures it"
    return Metric(
        id=metric_id,
        title=title,
        unit=unit,
        kind="ratio",
        measured_by=how,
        requirements=reqs,
        numerator=counts[Status.MET.value],
        denominator=len(items),
        counts=counts,
        note=note,
    )


def _actions(
    reqs: tuple[str, ...], how: str, a: Assessment, bundle: EvidenceBundle | None
) -> Metric:
    definition = _KNOWN["actions"]
    common = {"id": "actions", "title": definition.title, "unit": "actions", "kind": "count"}
    if bundle is not None:
        as_of = a.as_of
        items = [
            i
            for audit in bundle.self_audits
            if audit.requested_on is None or audit.requested_on <= as_of
            for i in audit.action_plan
        ]
        open_items = [i for i in items if i.completed_on is None or i.completed_on > as_of]
        counts = {
            "open": len(open_items),
            "overdue": sum(1 for i in open_items if i.due_on is not None and i.due_on < as_of),
            "no_deadline": sum(1 for i in open_items if i.due_on is None),
            "completed": len(items) - len(open_items),
        }
        return Metric(
            **common,
            measured_by="evidence",
            requirements=reqs,
            numerator=len(open_items),
            denominator=len(items),
            counts=counts,
            note="" if items else "no action-plan items recorded",
        )
    overdue: set[str] = set()
    for f in a.findings:
        if f.requirement_id in reqs:
            overdue.update(str(x) for x in f.facts.get("overdue", ()))
    return Metric(
        **common,
        measured_by="findings" if reqs else "nothing",
        requirements=reqs,
        numerator=0,
        denominator=0,
        counts={"overdue": len(overdue)},
        note="open actions are counted from the evidence bundle; without it only overdue "
        "ones are known"
        if reqs
        else "open actions are counted from the evidence bundle, which was not given",
    )


def compute_metrics(
    assessment: Assessment, pack: Pack | None, bundle: EvidenceBundle | None = None
) -> tuple[Metric, ...]:
    """Every metric for ``assessment``: the four known ones first, then any further tagged ones.

    ``pack`` is the resolved pack the assessment was made against (it says which requirements
    measure what); without it, only the bundle-based ``actions`` count can be made and the
    others report that nothing was measured."""
    plan: Mapping[str, tuple[tuple[str, ...], str]]
    if pack is not None:
        plan = metric_requirements(pack)
    else:
        plan = {m.id: ((), "nothing") for m in KNOWN_METRICS}
    out: list[Metric] = []
    for metric_id, (reqs, how) in plan.items():
        if metric_id == "actions":
            out.append(_actions(reqs, how, assessment, bundle))
            continue
        known = _KNOWN.get(metric_id)
        title = known.title if known else metric_id.replace("_", " ").replace("-", " ").capitalize()
        unit = known.unit if known else "items"
        metric = _ratio(metric_id, title, unit, reqs, how, assessment)
        if pack is None:
            metric = attrs.evolve(metric, note="the pack is needed to know what measures it")
        out.append(metric)
    return tuple(out)
