"""Identity, right-to-work, qualification and suitability checks for ``check_present`` and
``check_current``."""

from __future__ import annotations

from safeguard_std.domain.calendar import is_current
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status, make_outcome
from safeguard_std.domain.people import Person, SuitabilityCheck, SuitabilityCheckKind
from safeguard_std.exceptions import RuleError
from safeguard_std.rules._kind import Check, RuleSpec, latest, outcome
from safeguard_std.rules._vetting import (
    _DONE,
    _PENDING,
    _missing,
    _required_fields,
    pending_outcome,
    undated_outcome,
)


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
