"""DBS certificates for ``check_present`` and ``check_current``: level, barred list, workforce,
certificate details, and renewal through the Update Service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeguard_std.domain.calendar import is_current
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status, make_outcome
from safeguard_std.domain.people import DbsCheck, DbsLevel, DbsWorkforce, Person, StatusCheckResult
from safeguard_std.rules._kind import Check, RuleSpec, due_parts, latest, outcome, period_param
from safeguard_std.rules._vetting import (
    _DONE,
    _LEVELS,
    _PENDING,
    _acceptable_dbs,
    _checked_on,
    _id_of,
    _issued_on,
    pending_outcome,
    undated_outcome,
)


def _dbs_present(spec: RuleSpec) -> Check:
    params = dict(spec.params)
    level = DbsLevel(params.get("level", "basic"))
    workforce = {DbsWorkforce(w) for w in params.get("workforce", [])}
    jurisdictions = _acceptable_dbs(params)
    barred = bool(params.get("barred_list_children"))
    require_date = bool(params.get("require_date"))
    seen = ("seen_on", "seen_by") if params.get("require_seen_by") else ()
    require_number = bool(params.get("require_certificate_number"))
    none_recorded = outcome(Status.NOT_MET, "no DBS check is recorded", dbs_checks=0)
    recorded = {lvl: f"{lvl.value} DBS check recorded" for lvl in DbsLevel}
    too_low = {
        lvl: f"the latest DBS check is {lvl.value}; {level.value} is required" for lvl in DbsLevel
    }

    def judge(best: DbsCheck) -> Outcome:
        ev = (best.id,)
        facts: dict[str, Any] = {"level": best.level._value_}  # .value without the descriptor
        if _LEVELS[best.level] < _LEVELS[level]:
            return make_outcome(Status.NOT_MET, too_low[best.level], facts, ev)
        if barred:
            facts["barred_list_children"] = best.barred_list_children
            if best.barred_list_children is None:
                return Outcome(
                    status=Status.INSUFFICIENT_EVIDENCE,
                    message="the DBS check does not record whether the children's barred list "
                    "was checked",
                    facts=facts,
                    evidence=ev,
                )
            if not best.barred_list_children:
                return Outcome(
                    status=Status.NOT_MET,
                    message="the DBS check did not include the children's barred list",
                    facts=facts,
                    evidence=ev,
                )
        if workforce:
            facts["workforce"] = best.workforce._value_ if best.workforce else None
            if best.workforce is None:
                return Outcome(
                    status=Status.INSUFFICIENT_EVIDENCE,
                    message="the DBS check does not record its workforce",
                    facts=facts,
                    evidence=ev,
                )
            if best.workforce not in workforce:
                return Outcome(
                    status=Status.NOT_MET,
                    message=f"the DBS check is for the {best.workforce.value} workforce",
                    facts=facts,
                    evidence=ev,
                )
        if require_date and best.issued_on is None:
            return Outcome(
                status=Status.NOT_MET,
                message="the date of the DBS check is not recorded",
                facts=facts,
                evidence=ev,
            )
        unseen = [attr for attr in seen if not getattr(best, attr)]
        if unseen:
            return outcome(
                Status.NOT_MET,
                "the DBS check does not record: " + ", ".join(unseen),
                evidence=ev,
                missing=unseen,
                **facts,
            )
        if require_number:
            # Whether a number is recorded, never the number: it is personal data.
            facts["certificate_number_recorded"] = bool(best.certificate_number)
            if not best.certificate_number:
                return Outcome(
                    status=Status.NOT_MET,
                    message="the certificate number of the DBS check is not recorded",
                    facts=facts,
                    evidence=ev,
                )
        if best.issued_on is None:
            return undated_outcome("DBS certificate", best, "issued_on")
        return make_outcome(Status.MET, recorded[best.level], facts, ev)

    def check(person: Person, _ctx: EvaluationContext) -> Outcome:
        records = person.dbs_checks
        if len(records) == 1 and records[0].status is _DONE:  # the usual record: no choosing
            best = records[0]
            return none_recorded if best.jurisdiction not in jurisdictions else judge(best)
        usable = [c for c in records if c.jurisdiction in jurisdictions and c.status is _DONE]
        pending = [c for c in records if c.jurisdiction in jurisdictions and c.status is _PENDING]
        if not usable:
            return pending_outcome("DBS check", pending) if pending else none_recorded
        # Any certificate that meets every condition will do: a newer one at a lower level (for
        # another post, say) does not cancel an enhanced one, as check_current also reads it.
        # Otherwise a check applied for is awaited; failing that the latest certificate is the
        # one reported.
        judged = {c.id: judge(c) for c in usable}
        met = [c for c in usable if judged[c.id].status is Status.MET]
        if not met and pending:
            return pending_outcome("DBS check", pending)
        pool = met or usable
        best = latest(pool, _issued_on) or max(pool, key=_id_of)
        return judged[best.id]

    return check


def _renewed_on(
    person: Person, dbs: DbsCheck, count_status: bool
) -> tuple[dt.date, tuple[str, ...]]:
    """When the certificate was last checked (issue, or the last clear status check on it), and
    the ids that show it, sorted."""
    assert dbs.issued_on is not None
    base, ev = dbs.issued_on, (dbs.id,)
    sub = person.update_service
    if count_status and sub is not None:
        clear = [
            s
            for s in sub.status_checks
            if s.result is StatusCheckResult.CURRENT_CLEAR
            and s.dbs_check_id in (None, dbs.id)
            and s.checked_on >= base
        ]
        last = latest(clear, _checked_on)
        if last is not None:
            base, ev = last.checked_on, tuple(sorted({dbs.id, last.id}))
    return base, ev


def _dbs_current(spec: RuleSpec) -> Check:
    period = period_param(spec, "period")
    count_status = bool(spec.params.get("count_status_checks", True))
    level = DbsLevel(spec.params.get("level", "basic"))
    levels = frozenset(lvl for lvl in DbsLevel if _LEVELS[lvl] >= _LEVELS[level])
    jurisdictions = _acceptable_dbs(dict(spec.params))
    none_recorded = outcome(Status.NOT_MET, f"no {level.value}-level DBS check is recorded")
    parts = due_parts(
        period,
        "last_checked_on",
        "DBS check current until ",
        "DBS check lapsed: renewal was due on ",
    )

    def check(person: Person, ctx: EvaluationContext) -> Outcome:
        records = person.dbs_checks
        pending: list[DbsCheck] = []
        if len(records) == 1 and records[0].status is _DONE:  # the usual record
            only = records[0]
            if only.jurisdiction not in jurisdictions or only.level not in levels:
                return none_recorded
            usable = [only]
            best = only if only.issued_on is not None else None
        else:
            at_level = [c for c in records if c.jurisdiction in jurisdictions and c.level in levels]
            usable = [c for c in at_level if c.status is _DONE]
            pending = [c for c in at_level if c.status is _PENDING]
            if not usable:
                return pending_outcome("DBS check", pending) if pending else none_recorded
            best = latest(usable, _issued_on)
        if best is None:
            if pending:
                return pending_outcome("DBS check", pending)
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                "the DBS check's issue date is not recorded",
                evidence=[c.id for c in usable],
            )
        base, ev = _renewed_on(person, best, count_status)
        due, facts, current, lapsed = parts(base)
        if is_current(due, ctx.as_of):
            return make_outcome(Status.MET, current, facts, ev, due)
        if pending:
            # The lapse is a fact; a renewal applied for is said, not counted.
            awaited = pending_outcome("renewal", pending)
            return outcome(
                Status.NOT_MET,
                f"{lapsed}; {awaited.message}",
                evidence=[*ev, *awaited.evidence],
                due_on=due,
                facts={**facts, "pending": True},
            )
        return make_outcome(Status.NOT_MET, lapsed, facts, ev, due)

    return check
