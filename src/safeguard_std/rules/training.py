"""Rule kinds about training: refreshers, induction, and trained recruitment panels."""

from __future__ import annotations

import datetime as dt
import operator

from safeguard_std.domain.calendar import add_period, is_current
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status, make_outcome
from safeguard_std.domain.organisation import RecruitmentPanel
from safeguard_std.domain.pack import SubjectType
from safeguard_std.domain.people import Person, TrainingCourse, TrainingRecord
from safeguard_std.exceptions import RuleError
from safeguard_std.rules._kind import (
    PERIOD_SCHEMA,
    Check,
    RuleSpec,
    due_parts,
    outcome,
    period_param,
    rule_kind,
)
from safeguard_std.rules._start import start_unknown as start_unknown_outcome
from safeguard_std.rules._start import unknown_starts

__all__ = ["panel_trained", "training_by_start", "training_current"]

_BY_START_KEPT = 4096  # start dates remembered per requirement (see training_by_start)

_COURSES = {
    "type": "array",
    "minItems": 1,
    "uniqueItems": True,
    "items": {"enum": [c.value for c in TrainingCourse]},
}


def _courses(spec: RuleSpec) -> frozenset[TrainingCourse]:
    return frozenset(TrainingCourse(c) for c in spec.params["courses"])


def _matching(
    person: Person, courses: frozenset[TrainingCourse], recognised: bool
) -> list[TrainingRecord]:
    if not recognised:
        return [t for t in person.training if t.course in courses]
    return [
        t for t in person.training if t.course in courses and t.recognised_by_partnership is True
    ]


_completed_on = operator.attrgetter("completed_on")


def _date_param(spec: RuleSpec, name: str) -> dt.date | None:
    """An optional ``YYYY-MM-DD`` parameter; a date that does not exist is a RuleError."""
    raw = spec.params.get(name)
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise RuleError(f"parameter {name!r}: {raw!r} is not a calendar date") from None


@rule_kind(
    "training_current",
    subjects=[SubjectType.PERSON],
    parameters={
        "required": ["courses"],
        "properties": {
            "courses": _COURSES,
            "period": PERIOD_SCHEMA,
            "require_recognised": {"type": "boolean"},
            "new_starter_within": PERIOD_SCHEMA,
        },
    },
)
def training_current(spec: RuleSpec) -> Check:
    """The person's latest training in any of ``courses`` (recognised by the partnership when
    ``require_recognised``) was completed within ``period``; current through ``due_on``. Without
    ``period``, any dated completion is enough (training undertaken). Completions after
    ``as_of`` never count: the evaluator sees the evidence as it stood on ``as_of``. With
    ``new_starter_within``, a person whose earliest engagement in force started no longer ago
    than that is a new starter: where their training would be not_met, it is not yet due
    (not_applicable, ``due_on`` the end of that period); where an engagement in force has no
    start date and no other shows they are past that period, whether they are a new starter is
    unknown, and a not_met is insufficient_evidence asking for the start (``facts.start_unknown``,
    ``facts.if_not_new_starter``)."""
    judge = _training_current(spec)
    if "new_starter_within" not in spec.params:
        return judge
    grace = period_param(spec, "new_starter_within")

    def check(person: Person, ctx: EvaluationContext) -> Outcome:
        found = judge(person, ctx)
        if found.status is not Status.NOT_MET:
            return found
        engaged = ctx.engagements_of(person)
        starts = [e.start_on for e in engaged if e.start_on]
        due = add_period(min(starts), grace) if starts else None
        if due is not None and not is_current(due, ctx.as_of):
            return found  # not a new starter: the earliest start is no later than this one
        if len(starts) < len(engaged):
            return start_unknown_outcome(
                unknown_starts(engaged),
                "whether they are a new starter (training not yet due) is unknown; if not: "
                + found.message,
                evidence=found.evidence,
                if_not_new_starter=found.status.value,
            )
        if due is None:
            return found
        return outcome(
            Status.NOT_APPLICABLE,
            f"new starter (started on {min(starts)}): training not yet due until {due}",
            evidence=found.evidence,
            due_on=due,
            started_on=min(starts).isoformat(),
        )

    return check


def _training_current(spec: RuleSpec) -> Check:
    courses = _courses(spec)
    period = period_param(spec, "period") if "period" in spec.params else None
    recognised = bool(spec.params.get("require_recognised", False))
    names = "/".join(sorted(c.value for c in courses))
    none_recorded = outcome(
        Status.NOT_MET, f"no {'recognised ' if recognised else ''}{names} training is recorded"
    )
    current, lapsed = f"{names} training current until ", f"{names} training lapsed: refresher "
    lapsed += "was due on "
    parts = due_parts(period, "completed_on", current, lapsed) if period is not None else None

    def check(person: Person, ctx: EvaluationContext) -> Outcome:
        found = _matching(person, courses, recognised)
        if not found:
            return none_recorded
        # A completion dated after as_of cannot make training current on as_of. The latest
        # completion (ties: the greatest id), as latest() would find it, in one pass.
        as_of, dated = ctx.as_of, False
        last: TrainingRecord | None = None
        last_key: tuple[dt.date, str] | None = None
        for t in found:
            done = t.completed_on
            if done is not None:
                dated = True
                if done <= as_of and (last_key is None or (done, t.id) > last_key):
                    last, last_key = t, (done, t.id)
        if last is None and dated:
            return outcome(
                Status.NOT_MET,
                f"no {names} training completed on or before {as_of}",
                evidence=[t.id for t in found],
            )
        if last is None or last_key is None:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                f"{names} training is recorded without a completion date",
                evidence=[t.id for t in found],
            )
        completed_on = last_key[0]
        if parts is None:
            return outcome(
                Status.MET,
                f"{names} training completed on {completed_on}",
                evidence=[last.id],
                completed_on=completed_on.isoformat(),
            )
        due, facts, met, not_met = parts(completed_on)
        if is_current(due, as_of):
            return make_outcome(Status.MET, met, facts, (last.id,), due)
        return make_outcome(Status.NOT_MET, not_met, facts, (last.id,), due)

    return check


@rule_kind(
    "training_by_start",
    subjects=[SubjectType.PERSON],
    parameters={
        "required": ["courses", "within"],
        "properties": {
            "courses": _COURSES,
            "within": PERIOD_SCHEMA,
            "require_online_safety": {"type": "boolean"},
            "require_recognised": {"type": "boolean"},
            "new_staff_due_from": {
                "type": "string",
                "pattern": r"^\d{4}-\d{2}-\d{2}$",
                "description": "Only people whose induction fell due on or after this date are "
                "new staff under the duty (YYYY-MM-DD).",
            },
        },
    },
)
def training_by_start(spec: RuleSpec) -> Check:
    """Induction: training in any of ``courses`` completed no later than ``within`` after the
    person's earliest engagement in force started (covering online safety when
    ``require_online_safety``; recognised by the partnership when ``require_recognised``). Not
    yet applicable until that date has passed. With ``new_staff_due_from``, a person whose
    induction fell due before that date (someone who started long before the duty) is not new
    staff and is not applicable; their training is the refresher's to judge. When an engagement
    in force has no start date, when induction fell due is unknown: insufficient_evidence asking
    for the start (``facts.start_unknown``), unless another engagement started early enough that
    they are not new staff whenever it began."""
    courses, within = _courses(spec), period_param(spec, "within")
    online = bool(spec.params.get("require_online_safety", False))
    recognised = bool(spec.params.get("require_recognised", False))
    new_from = _date_param(spec, "new_staff_due_from")

    # Per start date: the due date, and the shared outcome of someone who is not new staff (it
    # depends on the start date alone). Bounded: emptied when full.
    by_start: dict[dt.date, tuple[dt.date, Outcome | None]] = {}

    def due_by(start: dt.date) -> tuple[dt.date, Outcome | None]:
        known = by_start.get(start)
        if known is None:
            due = add_period(start, within)
            old = None
            if new_from is not None and due < new_from:
                old = outcome(
                    Status.NOT_APPLICABLE,
                    f"not new staff: started on {start}, induction due by {due}, before the "
                    f"duty applied ({new_from})",
                    due_on=due,
                    started_on=start.isoformat(),
                    new_staff_due_from=new_from.isoformat(),
                )
            if len(by_start) >= _BY_START_KEPT:
                by_start.clear()
            known = by_start[start] = (due, old)
        return known

    def check(person: Person, ctx: EvaluationContext) -> Outcome:
        engaged = ctx.engagements_of(person)
        starts = [e.start_on for e in engaged if e.start_on]
        if len(starts) < len(engaged) or not starts:
            return undated_start(person, starts, unknown_starts(engaged))
        due, old = due_by(min(starts))
        if old is not None:
            return old
        found = [
            t
            for t in _matching(person, courses, recognised)
            if t.completed_on is not None
            and t.completed_on <= due
            and (not online or t.includes_online_safety is True)
        ]
        if found:
            return outcome(
                Status.MET,
                "induction training completed",
                evidence=[t.id for t in found],
                due_on=due,
            )
        if is_current(due, ctx.as_of):
            return outcome(
                Status.NOT_APPLICABLE, f"induction training not due until {due}", due_on=due
            )
        undated = [t.id for t in _matching(person, courses, recognised) if t.completed_on is None]
        if undated:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                "induction training is recorded without a date",
                evidence=undated,
                due_on=due,
            )
        what = " recognised by the partnership" if recognised else ""
        what += " covering online safety" if online else ""
        return outcome(Status.NOT_MET, f"no induction training{what} by {due}", due_on=due)

    def undated_start(person: Person, starts: list[dt.date], unknown: list[str]) -> Outcome:
        # The earliest start is no later than the earliest known one: someone known to have
        # started before the duty applied is not new staff whenever the undated one began.
        if starts and new_from is not None:
            _due, old = due_by(min(starts))
            if old is not None:
                return old
        if not unknown:
            return outcome(Status.INSUFFICIENT_EVIDENCE, "the engagement's start date is unknown")
        found = [t.id for t in _matching(person, courses, recognised)]
        return start_unknown_outcome(
            unknown, "when induction training was due is unknown", evidence=found
        )

    return check


@rule_kind(
    "panel_trained",
    subjects=[SubjectType.PANEL],
    parameters={
        "properties": {
            "course": {"enum": [c.value for c in TrainingCourse]},
            "min_trained": {"type": "integer", "minimum": 1},
            "chair_must_be_trained": {"type": "boolean"},
            "valid_for": PERIOD_SCHEMA,
        },
    },
)
def panel_trained(spec: RuleSpec) -> Check:
    """At least ``min_trained`` (default 1) panel members had completed ``course`` (default
    safer_recruitment) on or before the interview date (and within ``valid_for`` of it, if given);
    the chair among them when ``chair_must_be_trained``."""
    course = TrainingCourse(spec.params.get("course", "safer_recruitment"))
    need = int(spec.params.get("min_trained", 1))
    strict_chair = bool(spec.params.get("chair_must_be_trained", False))
    valid = period_param(spec, "valid_for") if "valid_for" in spec.params else None

    def trained(person: Person | None, panel: RecruitmentPanel) -> bool:
        if person is None:
            return False
        return any(
            t.course is course
            and t.completed_on is not None
            and t.completed_on <= panel.interview_on
            and (valid is None or panel.interview_on <= add_period(t.completed_on, valid))
            for t in person.training
        )

    def check(panel: RecruitmentPanel, ctx: EvaluationContext) -> Outcome:
        if not panel.members:
            return outcome(Status.INSUFFICIENT_EVIDENCE, "the panel's members are not recorded")
        flags = {
            m.person_id: trained(ctx.people_by_id.get(m.person_id), panel) for m in panel.members
        }
        chair = [m.person_id for m in panel.members if m.is_chair]
        chair_trained = bool(chair) and all(flags[c] for c in chair)
        count = sum(flags.values())
        facts = {"trained_members": count, "chair_trained": chair_trained}
        ev = sorted(flags)
        if count < need:
            return outcome(
                Status.NOT_MET,
                f"{count} of {len(flags)} panel members {course.value}-trained; {need} required",
                evidence=ev,
                facts=facts,
            )
        if strict_chair and not chair_trained:
            return outcome(
                Status.NOT_MET,
                f"the panel chair is not {course.value}-trained",
                evidence=ev,
                facts=facts,
            )
        return outcome(
            Status.MET, f"{count} panel member(s) {course.value}-trained", evidence=ev, facts=facts
        )

    return check
