"""Repairs for the rule kinds about people: their checks, references, training and record."""

from __future__ import annotations

from typing import Any

import attrs

from safeguard_std.domain.calendar import Period, add_period
from safeguard_std.domain.people import (
    CheckStatus,
    DbsCheck,
    DbsDisclosure,
    LadoNotification,
    RefereeKind,
    Reference,
    RiskAssessment,
    RiskAssessmentKind,
    SuitabilityCheck,
    SuitabilityCheckKind,
    TrainingCourse,
)
from safeguard_std.strategies._demands import Step
from safeguard_std.strategies._fix import (
    Fix,
    _gold_identity,
    _gold_right_to_work,
    _training,
    gold_dbs,
)
from safeguard_std.strategies._people import _date_of_birth


def _check_present(fix: Fix, step: Step, subject: str | None) -> None:
    person, check, gen = fix.person(subject), step.params["check"], fix.gen
    if person is None:
        return
    if check == "dbs":
        fix.put(attrs.evolve(person, dbs_checks=(*person.dbs_checks, gold_dbs(fix))))
    elif check == "identity":
        fix.put(attrs.evolve(person, identity_check=_gold_identity(fix)))
    elif check == "right_to_work":
        fix.put(attrs.evolve(person, right_to_work=_gold_right_to_work(fix)))
    elif check == "qualifications":
        quals = tuple(
            attrs.evolve(
                q,
                status=CheckStatus.COMPLETED,
                checked_on=q.checked_on
                or (gen.between(q.applied_on, fix.as_of) if q.applied_on else gen.past()),
                checked_by="Test Checker A",
            )
            if q.required
            else q
            for q in person.qualification_checks
        )
        fix.put(attrs.evolve(person, qualification_checks=quals))
    elif check == "suitability":
        kind = SuitabilityCheckKind(step.params["suitability_kind"])
        same = [c for c in person.suitability_checks if c.kind is kind]
        dates = [c.checked_on for c in same if c.checked_on]
        # An undated completed one is dated later (checks_evidenced), on or before as_of: on
        # as_of itself, this one (made later, so with the greater id) stays the latest.
        undated = any(c.status is CheckStatus.COMPLETED and not c.checked_on for c in same)
        new = SuitabilityCheck(
            id=gen.id("suit"),
            kind=kind,
            checked_on=fix.as_of
            if undated
            else gen.between(max(dates), fix.as_of)
            if dates
            else gen.past(),
            checked_by="Test Checker B",
            satisfactory=True,
        )
        fix.put(attrs.evolve(person, suitability_checks=(*person.suitability_checks, new)))


def _check_current(fix: Fix, step: Step, subject: str | None) -> None:
    if step.params["check"] == "right_to_work":
        fix.change(subject, right_to_work=_gold_right_to_work(fix))
    else:
        _check_present(fix, step, subject)


def _evidenced(fix: Fix, record: Any) -> Any:
    """``record`` (a completed check) with every field that evidences it filled."""
    gen, fill = fix.gen, {}
    for date in ("checked_on", "received_on", "issued_on"):
        if hasattr(record, date) and getattr(record, date) is None:
            after = getattr(record, "applied_on", None) or getattr(record, "requested_on", None)
            fill[date] = gen.between(after, fix.as_of) if after else gen.past()
    record = attrs.evolve(record, **fill) if fill else record
    more: dict[str, Any] = {}
    if hasattr(record, "checked_by") and not record.checked_by:
        more["checked_by"] = "Test Checker A"
    if isinstance(record, DbsCheck):
        if record.seen_on is None:
            more["seen_on"] = gen.between(record.issued_on or fix.as_of, fix.as_of)
        if not record.seen_by:
            more["seen_by"] = "Test Checker A"
    return attrs.evolve(record, **more) if more else record


def _checks_evidenced(fix: Fix, step: Step, subject: str | None) -> None:
    person = fix.person(subject)
    if person is None:
        return
    if not person.dbs_checks:
        person = attrs.evolve(person, dbs_checks=(gold_dbs(fix),))
    done = CheckStatus.COMPLETED

    def ev(records: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(_evidenced(fix, r) if r.status is done else r for r in records)

    idc, rtw = person.identity_check, person.right_to_work
    fix.put(
        attrs.evolve(
            person,
            dbs_checks=ev(person.dbs_checks),
            identity_check=_evidenced(fix, idc) if idc and idc.status is done else idc,
            right_to_work=_evidenced(fix, rtw) if rtw and rtw.status is done else rtw,
            qualification_checks=ev(person.qualification_checks),
            suitability_checks=ev(person.suitability_checks),
            references=ev(person.references),
        )
    )


def _record_fields(fix: Fix, step: Step, subject: str | None) -> None:
    n = fix.gen.number("person")
    values: dict[str, Any] = {
        "full_name": f"Test Person {n}",
        "date_of_birth": _date_of_birth(fix.gen),
        "address": f"{n} Example Road, Testville ZZ99 9ZZ",
    }
    person = fix.person(subject)
    if person is not None:
        fill = {f: values[f] for f in step.params["fields"] if getattr(person, f) in (None, "")}
        fix.put(attrs.evolve(person, **fill))


def _good_reference(fix: Fix) -> Reference:
    gen = fix.gen
    received = gen.past()
    return Reference(
        id=gen.id("ref"),
        referee_kind=gen.choice((RefereeKind.EMPLOYER, RefereeKind.ACADEMIC)),
        received_on=received,
        verified_on=gen.between(received, fix.as_of),
        verified_by="Test Checker A",
        satisfactory=True,
    )


def _references(fix: Fix, step: Step, subject: str | None) -> None:
    person = fix.person(subject)
    if person is not None:
        need = int(step.params.get("min", 2))
        new = tuple(_good_reference(fix) for _ in range(need))
        fix.put(attrs.evolve(person, references=(*person.references, *new)))


def _disclosure(fix: Fix, step: Step, subject: str | None) -> None:
    person, gen = fix.person(subject), fix.gen
    if person is None:
        return
    kinds = step.params.get("risk_assessment_kinds", ["dbs_disclosure", "concern"])
    assessments, notices = list(person.risk_assessments), list(person.lado_notifications)
    for dbs in person.dbs_checks:
        if dbs.disclosure is not DbsDisclosure.INFORMATION_DISCLOSED:
            continue
        start = min(dbs.issued_on or fix.as_of, fix.as_of)
        done = gen.between(start, fix.as_of)
        assessments.append(
            RiskAssessment(
                id=gen.id("ra"),
                kind=RiskAssessmentKind(gen.choice(sorted(kinds))),
                completed_on=done,
                relates_to=dbs.id,
                shared_with_lado_on=gen.between(done, fix.as_of),
            )
        )
        notices.append(LadoNotification(id=gen.id("lado"), notified_on=done, relates_to=dbs.id))
    fix.put(
        attrs.evolve(person, risk_assessments=tuple(assessments), lado_notifications=tuple(notices))
    )


def _courses(step: Step) -> list[TrainingCourse]:
    return sorted(TrainingCourse(c) for c in step.params["courses"])


def _training_current(fix: Fix, step: Step, subject: str | None) -> None:
    person = fix.person(subject)
    if person is not None:
        period = step.params.get("period")  # without one, any dated completion will do
        when = fix.recent([Period.parse(period)] if period else [])
        new = _training(fix, fix.gen.choice(_courses(step)), when)
        fix.put(attrs.evolve(person, training=(*person.training, new)))


def _training_by_start(fix: Fix, step: Step, subject: str | None) -> None:
    person = fix.person(subject)
    if person is None:
        return
    starts = [e.start_on for e in person.active_engagements(fix.as_of) if e.start_on]
    if not starts:
        return
    start = min(starts)
    due = add_period(start, Period.parse(step.params["within"]))
    when = start if fix.exact else fix.gen.between(start, min(due, fix.as_of))
    new = _training(fix, fix.gen.choice(_courses(step)), when)
    fix.put(attrs.evolve(person, training=(*person.training, new)))


def _record_updated(fix: Fix, step: Step, subject: str | None) -> None:
    # Updated on as_of: on or after every change dated on or before it, whatever the repairs add.
    fix.change(subject, record_updated_on=fix.as_of)
