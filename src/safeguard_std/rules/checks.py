"""Rule kinds about a person's pre-appointment and ongoing checks.

``check_present`` and ``check_current`` live here and hand each check to its own module
(:mod:`._dbs`, :mod:`._identity`); ``checks_evidenced`` (:mod:`.evidenced`) and the staff-record
kinds (:mod:`.staff_record`) are re-exported from here, where they were first defined."""

from __future__ import annotations

from safeguard_std.domain.people import DbsLevel, DbsWorkforce, Jurisdiction, SuitabilityCheckKind
from safeguard_std.exceptions import RuleError
from safeguard_std.rules._dbs import _dbs_current, _dbs_present
from safeguard_std.rules._identity import (
    _identity_present,
    _qualifications_present,
    _right_to_work_current,
    _right_to_work_present,
    _suitability_present,
)
from safeguard_std.rules._kind import PERIOD_SCHEMA, Check, RuleSpec, rule_kind
from safeguard_std.rules._vetting import _PERSON
from safeguard_std.rules._vetting import pending_outcome as pending_outcome
from safeguard_std.rules._vetting import undated_outcome as undated_outcome
from safeguard_std.rules.evidenced import checks_evidenced
from safeguard_std.rules.staff_record import record_fields_present, record_updated

__all__ = [
    "check_current",
    "check_present",
    "checks_evidenced",
    "record_fields_present",
    "record_updated",
]

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
