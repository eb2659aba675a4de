"""The ``role_held`` rule kind: lead roles held by people currently engaged."""

from __future__ import annotations

from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.organisation import LeadRoleKind
from safeguard_std.domain.pack import SubjectType
from safeguard_std.rules._kind import Check, RuleSpec, outcome, rule_kind

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
    description when ``require_job_description``."""
    roles = [LeadRoleKind(r) for r in spec.params["roles"]]
    distinct = bool(spec.params.get("distinct", True))
    need_jd = bool(spec.params.get("require_job_description", False))

    def check(_provider: object, ctx: EvaluationContext) -> Outcome:
        missing: list[str] = []
        holders: dict[str, list[str]] = {}
        ev: list[str] = []
        for kind in roles:
            valid = [
                r
                for r in ctx.holders(kind)
                if r.person_id in ctx.people_by_id
                and ctx.people_by_id[r.person_id].active_engagements(ctx.as_of)
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
