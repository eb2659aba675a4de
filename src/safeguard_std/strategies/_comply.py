"""Repairing a bundle until a pack finds nothing ``not_met`` in it.

:func:`comply` evaluates, and for every ``not_met`` finding applies the repair of its rule kind
(adding a current check, a verified reference, a met attestation, a record of the right kind and
date, ...), then evaluates again. The first rounds draw dates anywhere inside the allowed window;
later rounds use ``as_of`` itself, which every positive period allows. A bundle still failing after
that (a rule kind with no repair here, or a pack whose rules contradict each other) is given up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from safeguard_std.domain.calendar import Period, add_period
from safeguard_std.domain.findings import Status
from safeguard_std.domain.organisation import (
    Attestation,
    AttestationOutcome,
    EvidenceBundle,
    LeadRole,
    PanelMember,
    PolicyDocument,
    PolicyKind,
    SafeguardingClause,
)
from safeguard_std.domain.people import (
    CheckStatus,
    DbsCheck,
    DbsDisclosure,
    DbsLevel,
    DbsWorkforce,
    IdentityCheck,
    IdentityDocument,
    IdentityDocumentType,
    Jurisdiction,
    LadoNotification,
    Person,
    RefereeKind,
    Reference,
    RightToWorkCheck,
    RiskAssessment,
    RiskAssessmentKind,
    SuitabilityCheck,
    SuitabilityCheckKind,
    TrainingCourse,
    TrainingRecord,
)
from safeguard_std.rules.organisation import COLLECTIONS, find_policies
from safeguard_std.strategies._demands import Demands, Step, span_days, within
from safeguard_std.strategies._gen import HISTORY_DAYS, Gen
from safeguard_std.strategies._organisation import make_policy, strings
from safeguard_std.strategies._people import (
    _date_of_birth,
    make_engagement,
    synthetic_dbs_number,
)
from safeguard_std.strategies._records import (
    MAKERS,
    add_records,
    matches,
    records_of,
    replace_records,
    settled,
)

__all__ = ["REPAIRS", "Fix", "comply", "conform", "gold_dbs", "gold_policy", "not_met"]

_RANDOM_ROUNDS = 3
_EXACT_ROUNDS = 3
_LEVELS = (DbsLevel.BASIC, DbsLevel.STANDARD, DbsLevel.ENHANCED)


@attrs.define
class Fix:
    """The bundle being repaired, and how (``exact``: dates on ``as_of`` itself)."""

    gen: Gen
    demands: Demands
    bundle: EvidenceBundle
    exact: bool = False

    @property
    def as_of(self) -> dt.date:
        return self.gen.as_of

    def recent(self, periods: Iterable[Period | None] = ()) -> dt.date:
        """A date no later than ``as_of`` that is still current under every period."""
        wanted = [p for p in periods if p is not None]
        if self.exact:
            return self.as_of
        limit = min((span_days(self.as_of, p) for p in wanted), default=HISTORY_DAYS)
        date = self.gen.past(max_days=limit)
        return date if within(date, wanted, self.as_of) else self.as_of

    def person(self, person_id: str | None) -> Person | None:
        return next((p for p in self.bundle.people if p.id == person_id), None)

    def put(self, person: Person) -> None:
        people = tuple(person if p.id == person.id else p for p in self.bundle.people)
        self.bundle = attrs.evolve(self.bundle, people=people)

    def change(self, person_id: str | None, **fields: Any) -> None:
        person = self.person(person_id)
        if person is not None:
            self.put(attrs.evolve(person, **fields))


# -- records that satisfy every rule of their family ----------------------------------------------


def gold_dbs(fix: Fix) -> DbsCheck:
    """A DBS check meeting every DBS rule in the pack: level, barred list, workforce, date."""
    gen, want = fix.gen, fix.demands.dbs
    jurisdiction = gen.choice(sorted(want.jurisdictions, key=list(Jurisdiction).index))
    level = DbsLevel.ENHANCED if fix.exact else gen.choice(_LEVELS[_LEVELS.index(want.level) :])
    n = gen.number("dbs")
    issued = fix.recent(want.periods)
    return DbsCheck(
        id=gen.id("dbs"),
        jurisdiction=jurisdiction,
        certificate_number=(
            synthetic_dbs_number(n)
            if jurisdiction is Jurisdiction.DBS
            else f"TEST-{jurisdiction.value.upper()}-{n:04d}"
        ),
        level=level,
        barred_list_children=True if want.barred_list_children else gen.flag(),
        workforce=(
            gen.choice(sorted(want.workforce))
            if want.workforce is not None
            else gen.maybe(lambda: gen.choice(list(DbsWorkforce)))
        ),
        issued_on=issued,
        seen_on=gen.between(issued, fix.as_of),
        seen_by="Test Checker A",
        disclosure=gen.choice((None, DbsDisclosure.CLEAR)),
    )


def _gold_identity(fix: Fix) -> IdentityCheck:
    gen = fix.gen
    docs = [
        IdentityDocument(type=IdentityDocumentType.PASSPORT, photo=True, shows_address=False),
        IdentityDocument(type=IdentityDocumentType.UTILITY_BILL, photo=False, shows_address=True),
    ]
    return IdentityCheck(
        id=gen.id("idc"),
        checked_on=gen.past(),
        checked_by="Test Checker A",
        documents=tuple(gen.permutation(docs)),
    )


def _gold_right_to_work(fix: Fix) -> RightToWorkCheck:
    gen = fix.gen
    limited = False if fix.exact else gen.boolean()
    return RightToWorkCheck(
        id=gen.id("rtw"),
        checked_on=gen.past(),
        checked_by="Test Checker B",
        time_limited=limited,
        permission_expires_on=gen.future() if limited else None,
    )


def _in_date(fix: Fix) -> dict[str, Any]:
    """Approval, review and next-review dates in date for every review period in the pack."""
    periods = [
        Period.parse(s.params["review_period"])
        for s in fix.demands.of_kind("policy_current")
        if "review_period" in s.params
    ]
    reviewed = fix.recent(periods)
    return {
        "approved_on": fix.gen.between(reviewed - dt.timedelta(days=30), reviewed),
        "last_reviewed_on": reviewed,
        "next_review_on": fix.gen.future(),
    }


def gold_policy(fix: Fix, kind: PolicyKind) -> PolicyDocument:
    """A policy of ``kind`` that is approved, in date for every review period, and published."""
    base = make_policy(fix.gen)
    return attrs.evolve(
        base,
        kind=kind,
        activity=base.activity if kind is PolicyKind.ACTIVITY else None,
        **_in_date(fix),
        published_to_staff=True,
        published_on_website=True,
        issued_at_induction=True,
        covered_in_training=True,
    )


# -- repairs, one per rule kind -------------------------------------------------------------------

Repair = Callable[[Fix, Step, "str | None"], None]


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
        dates = [c.checked_on for c in person.suitability_checks if c.kind is kind and c.checked_on]
        new = SuitabilityCheck(
            id=gen.id("suit"),
            kind=kind,
            checked_on=gen.between(max(dates, default=gen.past()), fix.as_of),
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


def _training(fix: Fix, course: TrainingCourse, on: dt.date) -> TrainingRecord:
    return TrainingRecord(
        id=fix.gen.id("trn"),
        course=course,
        completed_on=on,
        provider_org="Example Training Ltd",
        recognised_by_partnership=True,
        includes_online_safety=True,
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


def _panel_trained(fix: Fix, step: Step, subject: str | None) -> None:
    bundle, gen = fix.bundle, fix.gen
    panel = next((p for p in bundle.recruitment_panels if p.id == subject), None)
    if panel is None or not bundle.people:
        return
    need = int(step.params.get("min_trained", 1))
    course = TrainingCourse(step.params.get("course", "safer_recruitment"))
    valid = Period.parse(step.params["valid_for"]) if "valid_for" in step.params else None
    members = list(panel.members)
    have = list(dict.fromkeys(m.person_id for m in members))
    spare = [p.id for p in sorted(bundle.people, key=lambda p: p.id) if p.id not in have]
    for pid in spare[: max(0, need - len(have))]:
        members.append(PanelMember(person_id=pid))
        have.append(pid)
    trained = have[:need]
    members = [attrs.evolve(m, is_chair=m.person_id == trained[0]) for m in members]
    span = span_days(panel.interview_on, valid) if valid else 365
    for pid in trained:
        on = panel.interview_on
        if not fix.exact:
            on -= dt.timedelta(days=gen.integer(0, span))
            on = (
                on
                if valid is None or within(on, [valid], panel.interview_on)
                else panel.interview_on
            )
        person = fix.person(pid)
        assert person is not None
        fix.put(attrs.evolve(person, training=(*person.training, _training(fix, course, on))))
    panels = tuple(
        attrs.evolve(p, members=tuple(members)) if p.id == panel.id else p
        for p in fix.bundle.recruitment_panels
    )
    fix.bundle = attrs.evolve(fix.bundle, recruitment_panels=panels)


def _attested(fix: Fix, step: Step, subject: str | None) -> None:
    rid = step.requirement.id
    earlier = [
        a.attested_on
        for a in fix.bundle.attestations
        if a.requirement_id == rid
        and a.subject_id in (None, subject)
        and a.attested_on <= fix.as_of
    ]
    on = (
        fix.as_of if fix.exact else fix.gen.between(max(earlier, default=fix.gen.past()), fix.as_of)
    )
    att = Attestation(
        id=fix.gen.id("att"),
        requirement_id=rid,
        subject_id=subject,
        outcome=AttestationOutcome.MET,
        attested_on=on,
        statement="Test statement: read and found met.",
    )
    fix.bundle = attrs.evolve(fix.bundle, attestations=(*fix.bundle.attestations, att))


def _documents(fix: Fix, step: Step, subject: str | None) -> None:
    gen, bundle = fix.gen, fix.bundle
    table = fix.demands.plan.pack.documents
    names = frozenset(gen.choice(table[d].names) for d in step.params.get("documents", []))
    topics: frozenset[str] = frozenset(step.params.get("topics", []))
    if step.requirement.subject.value == "contract":
        if bundle.contract is None:
            return
        clause = bundle.contract.safeguarding_clause or SafeguardingClause()
        clause = SafeguardingClause(
            topics=strings(clause.topics | topics), references=strings(clause.references | names)
        )
        contract = attrs.evolve(bundle.contract, safeguarding_clause=clause)
        fix.bundle = attrs.evolve(bundle, contract=contract)
        return
    kinds = frozenset(PolicyKind(k) for k in step.params["in_policies"])
    found = sorted(find_policies(bundle, kinds), key=lambda p: p.id)
    target = found[0] if found else gold_policy(fix, gen.choice(sorted(kinds)))
    target = attrs.evolve(
        target,
        topics=strings(target.topics | topics),
        references=strings(target.references | names),
    )
    others = tuple(p for p in bundle.policies if p.id != target.id)
    fix.bundle = attrs.evolve(bundle, policies=(*others, target))


def _role_held(fix: Fix, step: Step, subject: str | None) -> None:
    kinds, gen = fix.demands.role_kinds, fix.gen
    people = sorted(fix.bundle.people, key=lambda p: p.id)
    current = [p for p in people if p.active_engagements(fix.as_of)]
    for person in [p for p in people if p not in current][: max(0, len(kinds) - len(current))]:
        engaged = (*person.engagements, make_engagement(gen, current=True))
        fix.put(attrs.evolve(person, engagements=engaged))
        current.append(person)
    if len(current) < len(kinds):
        return
    holders = gen.permutation([p.id for p in current])
    roles = [r for r in fix.bundle.lead_roles if r.kind not in kinds]
    for kind, pid in zip(kinds, holders, strict=False):
        start = gen.maybe(gen.past)
        roles.append(
            LeadRole(
                id=gen.id("role"),
                kind=kind,
                person_id=pid,
                start_on=start,
                end_on=gen.maybe(gen.future),
                in_job_description=True,
            )
        )
    fix.bundle = attrs.evolve(fix.bundle, lead_roles=tuple(roles))


def _policy_kinds(step: Step) -> frozenset[PolicyKind]:
    return frozenset(PolicyKind(k) for k in step.params["policies"])


def _policy_current(fix: Fix, step: Step, subject: str | None) -> None:
    kinds = _policy_kinds(step)
    found = {p.id for p in find_policies(fix.bundle, kinds)}
    fresh = {pid: _in_date(fix) for pid in sorted(found)}
    policies = tuple(
        attrs.evolve(p, **fresh[p.id]) if p.id in fresh else p for p in fix.bundle.policies
    )
    if not found:
        policies = (*policies, gold_policy(fix, fix.gen.choice(sorted(kinds))))
    fix.bundle = attrs.evolve(fix.bundle, policies=policies)


def _policy_published(fix: Fix, step: Step, subject: str | None) -> None:
    kinds = _policy_kinds(step)
    flags: dict[str, Any] = dict.fromkeys(
        (
            "published_to_staff",
            "published_on_website",
            "issued_at_induction",
            "covered_in_training",
        ),
        True,
    )
    found = {p.id for p in find_policies(fix.bundle, kinds)}
    policies = tuple(attrs.evolve(p, **flags) if p.id in found else p for p in fix.bundle.policies)
    if not found:
        policies = (*policies, gold_policy(fix, fix.gen.choice(sorted(kinds))))
    fix.bundle = attrs.evolve(fix.bundle, policies=policies)


def conform(fix: Fix, collection: str, item: Any) -> Any:
    """``item`` changed to satisfy every ``every_record`` rule on ``collection`` that judges it."""
    for step in fix.demands.of_kind("every_record"):
        if step.params["records"] == collection and matches(item, step.params.get("where", {})):
            item = attrs.evolve(item, **step.params["require"])
    return item


def _new_record(fix: Fix, collection: str, where: Mapping[str, Any], date: dt.date | None) -> Any:
    item = settled(MAKERS[collection](fix.gen), fix.gen)
    date_field = COLLECTIONS[collection].date_field
    fields = dict(where)
    if date_field is not None and date is not None:
        fields[date_field] = date
    if hasattr(item, "ended_on"):
        fields["ended_on"] = None
    return conform(fix, collection, attrs.evolve(item, **fields))


def _recent_record(fix: Fix, step: Step, subject: str | None) -> None:
    collection, where = step.params["records"], step.params.get("where", {})
    period: Period | None = None
    tiers = step.params.get("period_by_risk_tier")
    if tiers:
        tier = fix.bundle.contract.risk_tier if fix.bundle.contract else None
        period = Period.parse(tiers[tier.value]) if tier and tier.value in tiers else None
    elif "period" in step.params:
        period = Period.parse(step.params["period"])
    item = _new_record(fix, collection, where, fix.recent([period]))
    fix.bundle = add_records(fix.bundle, collection, [item], fix.gen)


def _count_at_least(fix: Fix, step: Step, subject: str | None) -> None:
    collection, where = step.params["records"], step.params.get("where", {})
    have = [i for i in records_of(fix.bundle, collection) if matches(i, where)]
    need = int(step.params.get("min", 1)) - len(have)
    items = [_new_record(fix, collection, where, fix.gen.past()) for _ in range(need)]
    fix.bundle = add_records(fix.bundle, collection, items, fix.gen)


def _every_record(fix: Fix, step: Step, subject: str | None) -> None:
    collection = step.params["records"]
    fix.bundle = replace_records(fix.bundle, collection, lambda i: conform(fix, collection, i))


def _responded(fix: Fix, step: Step, subject: str | None) -> None:
    done_field = "submitted_on" if step.params["records"] == "self_audits" else "provided_on"

    def on_time(item: Any) -> Any:
        done = getattr(item, done_field)
        if item.due_on is None or (done is not None and done <= item.due_on):
            return item
        if done is None and item.due_on >= fix.as_of:
            return item
        return attrs.evolve(item, **{done_field: item.due_on})

    fix.bundle = replace_records(fix.bundle, step.params["records"], on_time)


def _actions(fix: Fix, step: Step, subject: str | None) -> None:
    def done(item: Any) -> Any:
        overdue = item.due_on is not None and item.due_on < fix.as_of
        if overdue and (item.completed_on is None or item.completed_on > fix.as_of):
            return attrs.evolve(item, completed_on=item.due_on)
        return item

    fix.bundle = replace_records(fix.bundle, "action_items", done)


def _allegations(fix: Fix, step: Step, subject: str | None) -> None:
    # Reported on the day received: in time for any period, whatever the calendar.
    log = tuple(
        attrs.evolve(a, reported_to_lado_on=a.received_on)
        if a.reported_to_lado_on is not None and a.received_on is not None
        else a
        for a in fix.bundle.allegations or ()
    )
    fix.bundle = attrs.evolve(fix.bundle, allegations=log)


def _record_updated(fix: Fix, step: Step, subject: str | None) -> None:
    # Updated on as_of: on or after every change dated on or before it, whatever the repairs add.
    fix.change(subject, record_updated_on=fix.as_of)


REPAIRS: Mapping[str, Repair] = {
    "allegations_reported": _allegations,
    "check_present": _check_present,
    "check_current": _check_current,
    "checks_evidenced": _checks_evidenced,
    "record_fields_present": _record_fields,
    "record_updated": _record_updated,
    "references": _references,
    "disclosure_followed_up": _disclosure,
    "training_current": _training_current,
    "training_by_start": _training_by_start,
    "panel_trained": _panel_trained,
    "attested": _attested,
    "documents_referenced": _documents,
    "role_held": _role_held,
    "policy_current": _policy_current,
    "policy_published": _policy_published,
    "recent_record": _recent_record,
    "count_at_least": _count_at_least,
    "every_record": _every_record,
    "responded_by_due": _responded,
    "actions_complete": _actions,
}


def not_met(fix: Fix) -> list[tuple[Step, str | None]]:
    """The (requirement, subject) pairs the pack finds ``not_met`` in the bundle."""
    # Synthetic evidence for the date the caller chose, whether or not the edition is in force.
    assessment = fix.demands.plan.evaluate(fix.bundle, as_of=fix.as_of, allow_out_of_force=True)
    return [
        (fix.demands.steps[f.requirement_id], f.subject.id)
        for f in assessment.findings
        if f.status is Status.NOT_MET
    ]


def comply(gen: Gen, demands: Demands, bundle: EvidenceBundle) -> EvidenceBundle | None:
    """``bundle`` repaired until nothing is ``not_met``, or ``None`` if that could not be done."""
    fix = Fix(gen, demands, bundle)
    for round_ in range(_RANDOM_ROUNDS + _EXACT_ROUNDS):
        failing = not_met(fix)
        if not failing:
            return fix.bundle
        fix.exact = round_ >= _RANDOM_ROUNDS
        for step, subject in failing:
            repair = REPAIRS.get(step.kind)
            if repair is None:
                continue
            before = fix.bundle
            try:
                repair(fix, step, subject)
            except (ValueError, TypeError):  # a parameter no record can satisfy
                fix.bundle = before
    return None if not_met(fix) else fix.bundle
