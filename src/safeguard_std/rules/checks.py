"""Rule kinds about a person's pre-appointment and ongoing checks."""

from __future__ import annotations

import datetime as dt
import operator
from typing import Any

import attrs

from safeguard_std.domain.calendar import add_period, is_current
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status, make_outcome
from safeguard_std.domain.pack import SubjectType
from safeguard_std.domain.people import (
    CheckStatus,
    DbsCheck,
    DbsLevel,
    DbsWorkforce,
    Jurisdiction,
    Person,
    RegulatedActivity,
    StatusCheckResult,
    SuitabilityCheck,
    SuitabilityCheckKind,
)
from safeguard_std.exceptions import RuleError
from safeguard_std.rules._kind import (
    PERIOD_SCHEMA,
    Check,
    RuleSpec,
    due_parts,
    latest,
    outcome,
    period_param,
    rule_kind,
)

__all__ = [
    "check_current",
    "check_present",
    "checks_evidenced",
    "record_fields_present",
    "record_updated",
]

_PERSON = [SubjectType.PERSON]
_issued_on = operator.attrgetter("issued_on")
_checked_on = operator.attrgetter("checked_on")
_id_of = operator.attrgetter("id")
_LEVELS = {DbsLevel.BASIC: 0, DbsLevel.STANDARD: 1, DbsLevel.ENHANCED: 2}
_CHECKS = ("dbs", "identity", "right_to_work", "qualifications", "suitability")
_OPTIONS: dict[str, set[str]] = {
    "dbs": {
        "level",
        "barred_list_children",
        "workforce",
        "jurisdictions",
        "require_date",
        "require_seen_by",
        "require_certificate_number",
    },
    "identity": {
        "require_photo",
        "require_address",
        "require_checked_by",
        "require_date",
        "require_documents",
    },
    "right_to_work": {"require_checked_by", "require_date"},
    "qualifications": {"require_checked_by"},
    "suitability": {"suitability_kind", "require_checked_by", "require_date"},
}


_PENDING, _DONE = CheckStatus.PENDING, CheckStatus.COMPLETED


def pending_outcome(what: str, records: list[Any], applied: str = "applied_on") -> Outcome:
    """``insufficient_evidence`` for checks applied for and not yet done: a pending check is
    never valid, and the finding asks for the result. Names the latest application date."""
    dates = [d for d in (getattr(r, applied) for r in records) if d is not None]
    when = f" on {max(dates)}" if dates else ""
    return outcome(
        Status.INSUFFICIENT_EVIDENCE,
        f"the {what} is pending: applied for{when} and not yet done",
        evidence=[r.id for r in records],
        pending=True,
    )


def undated_outcome(what: str, record: Any, date: str) -> Outcome:
    """``insufficient_evidence`` for a completed check that does not say when it was done: an
    undated check cannot be shown to be valid."""
    return outcome(
        Status.INSUFFICIENT_EVIDENCE,
        f"the {what} is undated ({date} is not recorded), so it cannot be shown to be valid",
        evidence=[record.id],
        missing=[date],
    )


def _missing(record: Any, spec: RuleSpec, *pairs: tuple[str, str]) -> list[str]:
    """The names of required fields (option -> attribute) that the record leaves empty."""
    return [attr for option, attr in pairs if spec.params.get(option) and not getattr(record, attr)]


def _acceptable_dbs(params: dict[str, Any]) -> set[Jurisdiction]:
    return {Jurisdiction(j) for j in params.get("jurisdictions", ["dbs"])}


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
        facts: dict[str, Any] = {"level": best.level.value}
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
            facts["workforce"] = best.workforce.value if best.workforce else None
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


def _required_fields(spec: RuleSpec, *pairs: tuple[str, str]) -> tuple[str, ...]:
    """The attributes a record must fill, from the ``require_*`` options that are set."""
    return tuple(attr for option, attr in pairs if spec.params.get(option))


def _identity_present(spec: RuleSpec) -> Check:
    required = _required_fields(
        spec, ("require_checked_by", "checked_by"), ("require_date", "checked_on")
    )
    photo = bool(spec.params.get("require_photo"))
    address = bool(spec.params.get("require_address"))
    documents = bool(spec.params.get("require_documents"))
    none_recorded = outcome(Status.NOT_MET, "no identity check is recorded")

    def check(person: Person, _ctx: EvaluationContext) -> Outcome:
        idc = person.identity_check
        if idc is None:
            return none_recorded
        if idc.status is _PENDING:
            return pending_outcome("identity check", [idc])
        gaps = []
        for attr in required:
            if not getattr(idc, attr):
                gaps.append(attr)
        if photo or address:
            seen_photo = seen_address = False
            for document in idc.documents:
                seen_photo = seen_photo or document.photo
                seen_address = seen_address or document.shows_address
            if photo and not seen_photo:
                gaps.append("photographic document")
            if address and not seen_address:
                gaps.append("address document")
        if documents and not idc.documents:
            gaps.append("documents seen")
        if gaps:
            return outcome(
                Status.NOT_MET,
                "the identity check does not record: " + ", ".join(gaps),
                evidence=[idc.id],
                missing=gaps,
            )
        if idc.checked_on is None:
            return undated_outcome("identity check", idc, "checked_on")
        return make_outcome(Status.MET, "identity check recorded", {}, (idc.id,))

    return check


def _right_to_work_present(spec: RuleSpec) -> Check:
    required = _required_fields(
        spec, ("require_checked_by", "checked_by"), ("require_date", "checked_on")
    )
    none_recorded = outcome(Status.NOT_MET, "no right-to-work check is recorded")

    def check(person: Person, _ctx: EvaluationContext) -> Outcome:
        rtw = person.right_to_work
        if rtw is None:
            return none_recorded
        if rtw.status is _PENDING:
            return pending_outcome("right-to-work check", [rtw])
        gaps = []
        for attr in required:
            if not getattr(rtw, attr):
                gaps.append(attr)
        if gaps:
            return outcome(
                Status.NOT_MET,
                "the right-to-work check does not record: " + ", ".join(gaps),
                evidence=[rtw.id],
                missing=gaps,
            )
        if rtw.checked_on is None:
            return undated_outcome("right-to-work check", rtw, "checked_on")
        return make_outcome(Status.MET, "right-to-work check recorded", {}, (rtw.id,))

    return check


def _qualifications_present(spec: RuleSpec) -> Check:
    def check(person: Person, _ctx: EvaluationContext) -> Outcome:
        required = [q for q in person.qualification_checks if q.required]
        if not required:
            return outcome(Status.NOT_APPLICABLE, "no qualification is recorded as required")
        pending = [q for q in required if q.status is _PENDING]
        unchecked = sorted(
            q.id
            for q in required
            if q.status is _DONE
            and (
                q.checked_on is None or (spec.params.get("require_checked_by") and not q.checked_by)
            )
        )
        ev = [q.id for q in required]
        if pending and not unchecked:
            return pending_outcome(f"check of {len(pending)} required qualification(s)", pending)
        if unchecked:
            return outcome(
                Status.NOT_MET,
                f"{len(unchecked)} required qualification(s) not recorded as checked",
                evidence=ev,
                unchecked=unchecked,
            )
        return outcome(Status.MET, "required qualifications checked", evidence=ev)

    return check


def _suitability_present(spec: RuleSpec) -> Check:
    if "suitability_kind" not in spec.params:
        raise RuleError("check 'suitability' needs the parameter 'suitability_kind'")
    kind = SuitabilityCheckKind(spec.params["suitability_kind"])

    def judge(best: SuitabilityCheck) -> Outcome:
        gaps = _missing(
            best, spec, ("require_checked_by", "checked_by"), ("require_date", "checked_on")
        )
        if gaps:
            return outcome(
                Status.NOT_MET,
                f"the {kind.value} check does not record: " + ", ".join(gaps),
                evidence=[best.id],
                missing=gaps,
            )
        if best.satisfactory is False:
            return outcome(
                Status.NOT_MET, f"the {kind.value} check was not satisfactory", evidence=[best.id]
            )
        if best.checked_on is None:
            return undated_outcome(f"{kind.value} check", best, "checked_on")
        return outcome(Status.MET, f"{kind.value} check recorded", evidence=[best.id])

    def check(person: Person, _ctx: EvaluationContext) -> Outcome:
        found = [c for c in person.suitability_checks if c.kind is kind and c.status is _DONE]
        pending = [c for c in person.suitability_checks if c.kind is kind and c.status is _PENDING]
        # Undated checks only: the greatest id, as for DBS checks (never the list's order).
        best = latest(found, lambda c: c.checked_on) or max(found, key=lambda c: c.id, default=None)
        if best is None:
            if pending:
                return pending_outcome(f"{kind.value} check", pending)
            return outcome(Status.NOT_MET, f"no {kind.value} check is recorded")
        judged = judge(best)
        # A check that meets the requirement stands while another is awaited, and so does an
        # adverse result; anything short of them waits for the check applied for.
        if judged.status is not Status.MET and best.satisfactory is not False and pending:
            return pending_outcome(f"{kind.value} check", pending)
        return judged

    return check


_PRESENT = {
    "dbs": _dbs_present,
    "identity": _identity_present,
    "right_to_work": _right_to_work_present,
    "qualifications": _qualifications_present,
    "suitability": _suitability_present,
}


@rule_kind(
    "check_present",
    subjects=_PERSON,
    before_start=True,
    parameters={
        "required": ["check"],
        "properties": {
            "check": {"enum": list(_CHECKS)},
            "level": {"enum": [lvl.value for lvl in DbsLevel]},
            "barred_list_children": {"type": "boolean"},
            "workforce": {"type": "array", "items": {"enum": [w.value for w in DbsWorkforce]}},
            "jurisdictions": {"type": "array", "items": {"enum": [j.value for j in Jurisdiction]}},
            "suitability_kind": {"enum": [k.value for k in SuitabilityCheckKind]},
            "require_photo": {"type": "boolean"},
            "require_address": {"type": "boolean"},
            "require_checked_by": {"type": "boolean"},
            "require_date": {"type": "boolean"},
            "require_seen_by": {"type": "boolean"},
            "require_documents": {"type": "boolean"},
            "require_certificate_number": {"type": "boolean"},
        },
    },
)
def check_present(spec: RuleSpec) -> Check:
    """A check is recorded for the person, at the required level and with the required details
    (for DBS: level, children's barred list, workforce, issue date (``require_date``),
    certificate number (``require_certificate_number``), and with ``require_seen_by`` when and by
    whom the certificate was seen, any certificate meeting them all counting; for identity:
    photographic and address documents, the documents seen (``require_documents``), who checked
    and when; for qualifications: every required one checked; for suitability: the latest check
    of the kind, the greatest id among undated ones). Only a completed, dated check is valid: an
    undated one is insufficient_evidence (not_met where ``require_date`` asks for the date), and
    when no completed check meets the requirement, a check recorded as pending (applied for, not
    yet done) makes it insufficient_evidence saying so; an unsatisfactory suitability check
    stays not_met."""
    check = spec.params["check"]
    extra = set(spec.params) - {"check"} - _OPTIONS[check]
    if extra:
        raise RuleError(f"parameter(s) {sorted(extra)} do not apply to check {check!r}")
    return _PRESENT[check](spec)


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


def _right_to_work_current(_spec: RuleSpec) -> Check:
    def check(person: Person, ctx: EvaluationContext) -> Outcome:
        rtw = person.right_to_work
        if rtw is None:
            return outcome(Status.NOT_MET, "no right-to-work check is recorded")
        if rtw.status is _PENDING:
            return pending_outcome("right-to-work check", [rtw])
        if not rtw.time_limited:
            if rtw.checked_on is None:
                return undated_outcome("right-to-work check", rtw, "checked_on")
            return outcome(Status.MET, "right to work is not time-limited", evidence=[rtw.id])
        due = rtw.permission_expires_on
        assert due is not None
        if not is_current(due, ctx.as_of):
            return outcome(
                Status.NOT_MET,
                f"time-limited right to work expired on {due}",
                evidence=[rtw.id],
                due_on=due,
            )
        if rtw.checked_on is None:
            return undated_outcome("right-to-work check", rtw, "checked_on")
        return outcome(
            Status.MET,
            f"time-limited right to work runs until {due}",
            evidence=[rtw.id],
            due_on=due,
        )

    return check


@rule_kind(
    "check_current",
    subjects=_PERSON,
    before_start=True,
    parameters={
        "required": ["check"],
        "properties": {
            "check": {"enum": ["dbs", "right_to_work"]},
            "period": PERIOD_SCHEMA,
            "level": {"enum": [lvl.value for lvl in DbsLevel]},
            "jurisdictions": {"type": "array", "items": {"enum": [j.value for j in Jurisdiction]}},
            "count_status_checks": {"type": "boolean"},
        },
    },
)
def check_current(spec: RuleSpec) -> Check:
    """A check is still current on ``as_of``. DBS: the latest certificate (at the level, if given)
    plus ``period``, measured from the last clear Update Service status check when
    ``count_status_checks`` (default true); current through ``due_on`` inclusive; only pending
    or undated certificates are insufficient_evidence, and a lapsed one stays not_met while its
    renewal is pending (the message says so). Right to work: current unless time-limited
    permission has expired; a pending or undated check is insufficient_evidence."""
    check = spec.params["check"]
    if check == "dbs":
        if "period" not in spec.params:
            raise RuleError("check_current for 'dbs' needs the parameter 'period'")
        return _dbs_current(spec)
    extra = set(spec.params) - {"check"}
    if extra:
        raise RuleError(f"parameter(s) {sorted(extra)} do not apply to check 'right_to_work'")
    return _right_to_work_current(spec)


def _held_checks(person: Person) -> list[tuple[Any, tuple[str, ...]]]:
    """Every pre-employment check the record holds, with the fields that evidence it: DBS
    certificates (issue date, when and by whom seen), identity, right to work, qualification
    checks the record says were made, suitability checks (date and who), references (when
    received). Update Service status checks renew a DBS check; they are not pre-employment."""
    held: list[tuple[Any, tuple[str, ...]]] = [
        (c, ("issued_on", "seen_on", "seen_by")) for c in person.dbs_checks
    ]
    for single in (person.identity_check, person.right_to_work):
        if single is not None:
            held.append((single, ("checked_on", "checked_by")))
    for q in person.qualification_checks:
        # A qualification with no sign of a check is unchecked (DOR-2.5.3), not a check held.
        if q.status is _PENDING or q.checked_on is not None or q.checked_by:
            held.append((q, ("checked_on", "checked_by")))
    held += [(c, ("checked_on", "checked_by")) for c in person.suitability_checks]
    held += [(r, ("received_on",)) for r in person.references]
    return held


@rule_kind(
    "checks_evidenced",
    subjects=_PERSON,
    before_start=True,
    parameters={"properties": {"dbs_for_regulated_activity": {"type": "boolean"}}},
)
def checks_evidenced(spec: RuleSpec) -> Check:
    """Every pre-employment check the person's record holds is evidenced: a DBS certificate by
    its issue date and when and by whom it was seen; identity, right-to-work, qualification and
    suitability checks by their date and who made them; a reference by when it was received.
    A check still pending is insufficient_evidence; a record holding no check at all is not_met.
    With ``dbs_for_regulated_activity``, a person whose engagement is regulated activity (or not
    recorded as outside it) must hold a DBS check among them."""
    need_dbs = bool(spec.params.get("dbs_for_regulated_activity", False))

    def check(person: Person, ctx: EvaluationContext) -> Outcome:
        held = _held_checks(person)
        if need_dbs and not person.dbs_checks:
            regulated = [e.regulated_activity for e in ctx.engagements_of(person)]
            if not regulated or any(r is not RegulatedActivity.NO for r in regulated):
                return outcome(
                    Status.NOT_MET,
                    "no DBS check is recorded",
                    evidence=[r.id for r, _f in held],
                    dbs_checks=0,
                )
        if not held:
            return outcome(Status.NOT_MET, "no pre-employment check is recorded")
        gaps, pending = [], []
        for record, fields in held:
            if record.status is _PENDING:
                pending.append(record)
                continue
            missing = [f for f in fields if not getattr(record, f)]
            if missing:
                gaps.append(f"{record.id} ({', '.join(missing)})")
        ids = [r.id for r, _f in held]
        if gaps:
            gaps.sort()
            return outcome(
                Status.NOT_MET,
                "the record does not evidence: " + ", ".join(gaps),
                evidence=ids,
                missing=gaps,
            )
        if pending:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                f"{len(pending)} check(s) pending (applied for, not yet done): "
                + ", ".join(sorted(r.id for r in pending)),
                evidence=ids,
                pending=True,
            )
        return outcome(Status.MET, f"{len(held)} check(s) evidenced", evidence=ids)

    return check


_PERSON_FIELDS = tuple(
    a.name for a in attrs.fields(Person) if a.name in ("full_name", "date_of_birth", "address")
)


@rule_kind(
    "record_fields_present",
    subjects=_PERSON,
    parameters={
        "required": ["fields"],
        "properties": {
            "fields": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": list(_PERSON_FIELDS)},
            }
        },
    },
)
def record_fields_present(spec: RuleSpec) -> Check:
    """The staff record holds the named fields for the person (presence only: the values are
    personal data and never appear in findings)."""
    fields = tuple(spec.params["fields"])
    complete = outcome(Status.MET, "record holds " + ", ".join(fields))
    lacking: dict[tuple[str, ...], Outcome] = {}  # one outcome per combination of gaps

    def check(person: Person, _ctx: EvaluationContext) -> Outcome:
        for name in fields:
            value = getattr(person, name)
            if value is None or value == "":
                break
        else:
            return complete
        missing = tuple(f for f in fields if getattr(person, f) in (None, ""))
        found = lacking.get(missing)
        if found is None:
            found = lacking[missing] = outcome(
                Status.NOT_MET, "the record lacks: " + ", ".join(missing), missing=list(missing)
            )
        return found

    return check


def _changes(person: Person) -> list[tuple[dt.date, str]]:
    """Dated changes the staff record holds (2.4 and 2.5 of the Dorset standard: a leaving date,
    identity, right to work, qualifications, DBS, suitability checks, references, risk
    assessments), with the id of the record each comes from. A start date is not a change: the
    record is completed before someone starts. Training is kept elsewhere."""
    out: list[tuple[dt.date | None, str]] = [(e.end_on, e.id) for e in person.engagements]
    if person.identity_check is not None:
        out.append((person.identity_check.checked_on, person.identity_check.id))
    if person.right_to_work is not None:
        out.append((person.right_to_work.checked_on, person.right_to_work.id))
    out += [(q.checked_on, q.id) for q in person.qualification_checks]
    out += [(s.checked_on, s.id) for s in person.suitability_checks]
    for c in person.dbs_checks:
        out += [(c.issued_on, c.id), (c.seen_on, c.id)]
    if person.update_service is not None:
        out += [(s.checked_on, s.id) for s in person.update_service.status_checks]
    for r in person.references:
        out += [(r.received_on, r.id), (r.verified_on, r.id)]
    for ra in person.risk_assessments:
        out.append((ra.completed_on, ra.id))
    return [(d, i) for d, i in out if d is not None]


@rule_kind(
    "record_updated",
    subjects=_PERSON,
    parameters={"required": ["within"], "properties": {"within": PERIOD_SCHEMA}},
)
def record_updated(spec: RuleSpec) -> Check:
    """The person's record was updated (``record_updated_on``) on or after the latest change it
    holds that is dated on or before ``as_of`` (a check, a reference, a risk assessment, the end
    of an engagement), or that change is no more than ``within`` old: ``due_on`` is
    the change plus ``within``. A record that does not say when it was updated is
    insufficient_evidence."""
    within = period_param(spec, "within")

    def check(person: Person, ctx: EvaluationContext) -> Outcome:
        changes = [c for c in _changes(person) if c[0] <= ctx.as_of]
        if not changes:
            return outcome(Status.NOT_APPLICABLE, "the record holds no dated change")
        changed_on, source = max(changes)
        facts: dict[str, Any] = {"changed_on": changed_on.isoformat(), "within": str(within)}
        updated = person.record_updated_on
        if updated is None:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                "the record does not say when it was last updated",
                evidence=[source],
                facts=facts,
            )
        facts["updated_on"] = updated.isoformat()
        if updated >= changed_on:
            return outcome(
                Status.MET,
                f"record updated on {updated}, on or after its latest change ({changed_on})",
                evidence=[source],
                facts=facts,
            )
        due = add_period(changed_on, within)
        if is_current(due, ctx.as_of):
            return outcome(
                Status.MET,
                f"a change on {changed_on} is to be recorded by {due}",
                evidence=[source],
                due_on=due,
                facts=facts,
            )
        return outcome(
            Status.NOT_MET,
            f"record last updated on {updated}, before a change on {changed_on}; "
            f"it was due by {due}",
            evidence=[source],
            due_on=due,
            facts=facts,
        )

    return check
