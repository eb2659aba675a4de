"""The ``role_held`` rule kind: lead roles held by people currently engaged."""

from __future__ import annotations

from collections.abc import Callable

from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.organisation import LeadRoleKind
from safeguard_std.domain.pack import SubjectType
from safeguard_std.rules._kind import Check, RuleSpec, outcome, rule_kind
from safeguard_std.rules._start import not_recorded

__all__ = ["role_held"]


_PROVIDER = [SubjectType.PROVIDER]


@rule_kind(
    "role_held",
    subjects=_PROVIDER,
    parameters={
        "required": ["roles"],
        "properties": {
            "roles": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": [k.value for k in LeadRoleKind]},
            },
            "distinct": {"type": "boolean"},
            "require_job_description": {"type": "boolean"},
        },
    },
)
def role_held(spec: RuleSpec) -> Check:
    """Each of ``roles`` is held on ``as_of`` by a person currently engaged; by different people
    when ``distinct`` (default true, so a deputy is not the lead); recorded in the holder's job
    description when ``require_job_description``. A holder whose engagements in force have no
    start date may not be in post yet: where the roles are held only with them, the finding is
    insufficient_evidence asking for the start (``facts.start_unknown``)."""
    roles = [LeadRoleKind(r) for r in spec.params["roles"]]
    distinct = bool(spec.params.get("distinct", True))
    need_jd = bool(spec.params.get("require_job_description", False))

    def check(_provider: object, ctx: EvaluationContext) -> Outcome:
        found = judge(ctx, _engaged)
        if found.status is not Status.MET:
            return found
        # A holder whose engagements in force all lack a start date may not be in post yet: a
        # met that needs them is not a met until the start is recorded.
        undated = sorted(
            {
                (e.id, r.person_id)
                for kind in roles
                for r in ctx.holders(kind)
                if r.person_id in ctx.people_by_id and not _started(ctx, r.person_id)
                for e in ctx.people_by_id[r.person_id].active_engagements(ctx.as_of)
            }
        )
        if not undated or judge(ctx, _started).status is Status.MET:
            return found
        ids = [eid for eid, _pid in undated]
        holders = sorted({pid for _eid, pid in undated})
        return outcome(
            Status.INSUFFICIENT_EVIDENCE,
            f"{not_recorded(ids, ', '.join(holders))}, so whether every role is held by someone "
            f"in post is unknown; if they are: {found.message}",
            evidence=found.evidence,
            start_unknown=ids,
        )

    def judge(ctx: EvaluationContext, engaged: Callable[[EvaluationContext, str], bool]) -> Outcome:
        missing: list[str] = []
        holders: dict[str, list[str]] = {}
        ev: list[str] = []
        for kind in roles:
            valid = [
                r
                for r in ctx.holders(kind)
                if r.person_id in ctx.people_by_id and engaged(ctx, r.person_id)
            ]
            if not valid:
                missing.append(kind.value)
                continue
            holders[kind.value] = sorted({r.person_id for r in valid})
            ev.extend(r.id for r in valid)
        if missing:
            return outcome(
                Status.NOT_MET,
                "no currently engaged holder of: " + ", ".join(missing),
                evidence=ev,
                missing=missing,
            )
        if distinct and len(roles) > 1:
            sets = [set(holders[k.value]) for k in roles]
            if any(len(s) == 1 for s in sets) and len(set.union(*sets)) < len(roles):
                return outcome(
                    Status.NOT_MET,
                    "one person holds roles that must be held by different people",
                    evidence=ev,
                    roles=[k.value for k in roles],
                )
        if need_jd:
            active = [r for k in roles for r in ctx.holders(k)]
            if any(r.in_job_description is None for r in active):
                return outcome(
                    Status.INSUFFICIENT_EVIDENCE,
                    "not recorded whether the role is in the holder's job description",
                    evidence=ev,
                )
            if not all(r.in_job_description for r in active):
                return outcome(
                    Status.NOT_MET, "the role is not in the holder's job description", evidence=ev
                )
        return outcome(
            Status.MET,
            "held by a current person: " + ", ".join(k.value for k in roles),
            evidence=ev,
        )

    return check


def _engaged(ctx: EvaluationContext, person_id: str) -> bool:
    """In force on ``as_of``, or possibly so (an engagement with no start date)."""
    return bool(ctx.people_by_id[person_id].active_engagements(ctx.as_of))


def _started(ctx: EvaluationContext, person_id: str) -> bool:
    """An engagement in force on ``as_of`` that is known to have started."""
    engaged = ctx.people_by_id[person_id].active_engagements(ctx.as_of)
    return any(e.start_on is not None for e in engaged)
