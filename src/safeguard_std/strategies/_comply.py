"""Repairing a bundle until a pack finds nothing ``not_met`` in it.

:func:`comply` evaluates, and for every ``not_met`` finding applies the repair of its rule kind
(adding a current check, a verified reference, a met attestation, a record of the right kind and
date, ...), then evaluates again. The first rounds draw dates anywhere inside the allowed window;
later rounds use ``as_of`` itself, which every positive period allows. A bundle still failing after
that (a rule kind with no repair here, or a pack whose rules contradict each other) is given up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from safeguard_std.domain.findings import Status
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.strategies._demands import Demands, Step
from safeguard_std.strategies._fix import Fix, gold_dbs, gold_policy
from safeguard_std.strategies._gen import Gen, PooledGen
from safeguard_std.strategies._prepare import Prepared, plan_of, prepare
from safeguard_std.strategies._repair_organisation import (
    _actions,
    _allegations,
    _attested,
    _count_at_least,
    _documents,
    _every_record,
    _panel_trained,
    _policy_current,
    _policy_published,
    _recent_record,
    _responded,
    _role_held,
    conform,
)
from safeguard_std.strategies._repair_people import (
    _check_current,
    _check_present,
    _checks_evidenced,
    _disclosure,
    _record_fields,
    _record_updated,
    _references,
    _training_by_start,
    _training_current,
)

__all__ = [
    "REPAIRS",
    "Fix",
    "comply",
    "conform",
    "gold_dbs",
    "gold_policy",
    "not_met",
    "preparation",
]

_RANDOM_ROUNDS = 3
_EXACT_ROUNDS = 3

# -- one repair per rule kind (_repair_people.py, _repair_organisation.py) ---------------------

Repair = Callable[[Fix, Step, "str | None"], None]

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


_ADVERSE = frozenset({"not_met", "partially_met"})


def _failing(fix: Fix) -> list[tuple[Step, str | None, bool]]:
    """The (requirement, subject) pairs the pack finds ``not_met`` in the bundle, and whether an
    adverse attestation took part (the worse of the records and the attestation counts)."""
    # Synthetic evidence for the date the caller chose, whether or not the edition is in force.
    assessment = fix.demands.plan.evaluate(fix.bundle, as_of=fix.as_of, allow_out_of_force=True)
    return [
        (
            fix.demands.steps[f.requirement_id],
            f.subject.id,
            f.outcome.facts.get("attested") in _ADVERSE,
        )
        for f in assessment.findings
        if f.status is Status.NOT_MET
    ]


def not_met(fix: Fix) -> list[tuple[Step, str | None]]:
    """The (requirement, subject) pairs the pack finds ``not_met`` in the bundle."""
    return [(step, subject) for step, subject, _ in _failing(fix)]


def preparation(demands: Demands) -> Prepared:
    """What :func:`comply` builds into every bundle before evaluating it (once per strategy)."""
    return plan_of(demands, REPAIRS)


def comply(
    gen: Gen, demands: Demands, bundle: EvidenceBundle, prepared: Prepared | None = None
) -> EvidenceBundle | None:
    """``bundle`` repaired until nothing is ``not_met``, or ``None`` if that could not be done.

    Every requirement's repair is applied first (``prepared``, from :func:`preparation`), so the
    first evaluation usually only confirms; what it still finds is repaired round by round."""
    fix = Fix(PooledGen.sharing(gen), demands, bundle)
    prepare(fix, prepared if prepared is not None else preparation(demands), _attested)
    for round_ in range(_RANDOM_ROUNDS + _EXACT_ROUNDS):
        failing = _failing(fix)
        if not failing:
            return fix.bundle
        fix.exact = round_ >= _RANDOM_ROUNDS
        for step, subject, attested in failing:
            repair = REPAIRS.get(step.kind)
            repairs = [repair] if repair is not None else []
            if attested and repair is not _attested:
                # A reader found it wanting: a later reading that finds it met answers that.
                repairs.append(_attested)
            for one in repairs:
                before = fix.bundle
                try:
                    one(fix, step, subject)
                except (ValueError, TypeError):  # a parameter no record can satisfy
                    fix.bundle = before
    return None if not_met(fix) else fix.bundle
