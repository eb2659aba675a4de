"""What a compiled pack asks of evidence, read once from its requirements' resolved parameters.

Compliant bundles are built by repairing whatever evaluation finds ``not_met``; the repairs need
to know the pack as a whole (every DBS rule's level, workforce and period, every lead role, every
``every_record`` constraint), so that one repair never undoes another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from safeguard_std.domain.calendar import Period, add_period
from safeguard_std.domain.organisation import LeadRoleKind
from safeguard_std.domain.pack import Requirement
from safeguard_std.domain.people import DbsLevel, DbsWorkforce, Jurisdiction
from safeguard_std.evaluate import EvaluationPlan, resolve_params

__all__ = ["DbsDemand", "Demands", "Step", "demands_of", "span_days", "within"]

_LEVELS = (DbsLevel.BASIC, DbsLevel.STANDARD, DbsLevel.ENHANCED)


@attrs.frozen
class Step:
    """A requirement with its rule kind and resolved parameters."""

    requirement: Requirement
    kind: str
    params: Mapping[str, Any]


@attrs.frozen
class DbsDemand:
    """One DBS check that satisfies every DBS rule in the pack."""

    level: DbsLevel = DbsLevel.BASIC
    barred_list_children: bool = False
    workforce: frozenset[DbsWorkforce] | None = None
    jurisdictions: frozenset[Jurisdiction] = frozenset({Jurisdiction.DBS})
    periods: tuple[Period, ...] = ()


@attrs.frozen
class Demands:
    """Everything the repairs need to know about the pack."""

    plan: EvaluationPlan
    steps: Mapping[str, Step]
    dbs: DbsDemand
    role_kinds: tuple[LeadRoleKind, ...]
    people: int
    problems: tuple[str, ...]

    def of_kind(self, *kinds: str) -> list[Step]:
        """Steps whose rule is one of ``kinds``, in pack order."""
        return [s for s in self.steps.values() if s.kind in kinds]


def _is_dbs(step: Step) -> bool:
    return step.kind in ("check_present", "check_current") and step.params.get("check") == "dbs"


def _dbs_demand(steps: list[Step], problems: list[str]) -> DbsDemand:
    dbs = [s for s in steps if _is_dbs(s)]
    level = max(
        (DbsLevel(s.params.get("level", "basic")) for s in dbs),
        key=_LEVELS.index,
        default=DbsLevel.BASIC,
    )
    workforce: frozenset[DbsWorkforce] | None = None
    jurisdictions = frozenset(Jurisdiction)
    for s in dbs:
        if "workforce" in s.params:
            wanted = frozenset(DbsWorkforce(w) for w in s.params["workforce"])
            workforce = wanted if workforce is None else workforce & wanted
        jurisdictions &= frozenset(Jurisdiction(j) for j in s.params.get("jurisdictions", ["dbs"]))
    if workforce is not None and not workforce:
        problems.append("no DBS workforce is accepted by every DBS requirement")
    if not jurisdictions:
        problems.append("no DBS jurisdiction is accepted by every DBS requirement")
    return DbsDemand(
        level=level,
        barred_list_children=any(s.params.get("barred_list_children") for s in dbs),
        workforce=workforce,
        jurisdictions=jurisdictions,
        periods=tuple(Period.parse(s.params["period"]) for s in dbs if "period" in s.params),
    )


def demands_of(plan: EvaluationPlan) -> Demands:
    """Read what ``plan``'s requirements ask of evidence."""
    steps: dict[str, Step] = {}
    for compiled in plan.steps:
        req = compiled.requirement
        params, _used = resolve_params(plan.pack, req.rule.params)
        steps[req.id] = Step(requirement=req, kind=req.rule.kind, params=params)
    problems: list[str] = []
    dbs = _dbs_demand(list(steps.values()), problems)
    kinds: list[LeadRoleKind] = []
    for step in steps.values():
        if step.kind == "role_held":
            kinds.extend(LeadRoleKind(k) for k in step.params["roles"] if k not in kinds)
    panels = [
        int(s.params.get("min_trained", 1)) for s in steps.values() if s.kind == "panel_trained"
    ]
    return Demands(
        plan=plan,
        steps=steps,
        dbs=dbs,
        role_kinds=tuple(kinds),
        people=max([len(kinds), *panels]),
        problems=tuple(problems),
    )


def span_days(as_of: dt.date, period: Period) -> int:
    """How many days before ``as_of`` a record may be dated and still be current on it."""
    day = pendulum.Date(as_of.year, as_of.month, as_of.day)
    back = day.subtract(
        years=period.years, months=period.months, weeks=period.weeks, days=period.days
    )
    return max(0, (as_of - dt.date(back.year, back.month, back.day)).days)


def within(date: dt.date, periods: tuple[Period, ...] | list[Period], as_of: dt.date) -> bool:
    """Whether a record dated ``date`` is current on ``as_of`` under every one of ``periods``."""
    return all(add_period(date, p) >= as_of for p in periods)
