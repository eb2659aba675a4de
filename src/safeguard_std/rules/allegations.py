"""Rule kinds about allegations: were they reported to the LADO in time?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from safeguard_std.domain.calendar import Period, WorkingDayCalendar
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.pack import SubjectType
from safeguard_std.rules._kind import Check, RuleSpec, outcome, period_param, rule_kind

__all__ = ["WORKING_PERIOD_SCHEMA", "allegations_reported"]

#: A calendar period (``P3Y``) or a number of working days (``P1WD``).
WORKING_PERIOD_SCHEMA: Mapping[str, Any] = {
    "type": "string",
    "pattern": r"^(P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?|P\d+WD)$",
    "description": "An ISO 8601 calendar duration (P3Y, P90D) or working days (P1WD).",
}


def _calendar(period: Period) -> WorkingDayCalendar | None:
    if not period.working_days:
        return None
    # Imported here, when a pack that counts working days is compiled: a missing holidays
    # package fails loudly then (MissingExtra), never as a silent "no holidays" evaluation.
    from safeguard_std.bank_holidays import england_and_wales

    return england_and_wales()


@rule_kind(
    "allegations_reported",
    subjects=[SubjectType.PROVIDER],
    parameters={
        "required": ["within"],
        "properties": {"within": WORKING_PERIOD_SCHEMA},
    },
)
def allegations_reported(spec: RuleSpec) -> Check:
    """Every allegation in the allegations log received on or before ``as_of`` (low-level
    concerns aside) was reported to the LADO no later than ``within`` after it was received:
    ``P1WD`` is the next working day (England and Wales bank holidays, or the calendar passed to
    ``evaluate``); the day of receipt never counts. Any report late: not_met. An allegation with no
    received date, or no report recorded: insufficient_evidence (due_on says when one still in
    time falls due). No allegations log in the evidence: insufficient_evidence; an empty log:
    not_applicable."""
    within = period_param(spec, "within")
    default = _calendar(within)
    text = str(within)

    def check(_provider: Any, ctx: EvaluationContext) -> Outcome:
        log = ctx.bundle.allegations
        if log is None:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                "the evidence has no allegations log (record 'allegations: []' if none were "
                "received)",
                within=text,
            )
        calendar = ctx.working_days or default
        facts: dict[str, Any] = {"within": text}
        if calendar is not None:
            facts["calendar"] = calendar.name
        judged = sorted(
            (a for a in log if not a.low_level_concern and _received_by(a.received_on, ctx.as_of)),
            key=lambda a: a.id,
        )
        if not judged:
            return outcome(Status.NOT_APPLICABLE, "no allegation received by as_of", facts=facts)
        late, undated, unreported, dues = [], [], [], []
        for allegation in judged:
            if allegation.received_on is None:
                undated.append(allegation.id)
                continue
            due = within.after(allegation.received_on, calendar)
            reported = allegation.reported_to_lado_on
            if reported is None or reported > ctx.as_of:
                unreported.append(allegation.id)
                dues.append(due)
            elif reported > due:
                late.append(allegation.id)
        ev = [a.id for a in judged]
        if late:
            return outcome(
                Status.NOT_MET,
                f"{len(late)} of {len(judged)} allegation(s) reported to the LADO later than "
                f"{text} after receipt",
                evidence=ev,
                facts=facts,
                late=late,
            )
        if undated or unreported:
            parts = []
            if undated:
                parts.append(f"{len(undated)} allegation(s) without a received date")
            if unreported:
                parts.append(f"{len(unreported)} allegation(s) with no report to the LADO recorded")
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                "; ".join(parts),
                evidence=ev,
                due_on=min(dues) if dues else None,
                facts=facts,
                undated=undated,
                unreported=unreported,
            )
        return outcome(
            Status.MET,
            f"{len(judged)} allegation(s), each reported to the LADO within {text}",
            evidence=ev,
            facts=facts,
            count=len(judged),
        )

    return check


def _received_by(received_on: dt.date | None, as_of: dt.date) -> bool:
    return received_on is None or received_on <= as_of
