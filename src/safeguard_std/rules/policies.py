"""Rule kinds about policies: in date (``policy_current``) and published (``policy_published``)."""

from __future__ import annotations

import datetime as dt

from safeguard_std.domain.calendar import add_period, is_current
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.organisation import EvidenceBundle, PolicyDocument, PolicyKind
from safeguard_std.domain.pack import SubjectType
from safeguard_std.rules._kind import (
    PERIOD_SCHEMA,
    Check,
    RuleSpec,
    latest,
    outcome,
    period_param,
    rule_kind,
)

__all__ = ["find_policies", "policy_current", "policy_published"]


_PROVIDER = [SubjectType.PROVIDER]


_POLICIES = {
    "type": "array",
    "minItems": 1,
    "uniqueItems": True,
    "items": {"enum": [k.value for k in PolicyKind]},
}


def find_policies(bundle: EvidenceBundle, kinds: frozenset[PolicyKind]) -> list[PolicyDocument]:
    """Policies of any of ``kinds``, or policies that include one of them as a section."""
    return [p for p in bundle.policies if p.kind in kinds or p.includes & kinds]


def _kinds(spec: RuleSpec) -> frozenset[PolicyKind]:
    return frozenset(PolicyKind(k) for k in spec.params["policies"])


def _names(kinds: frozenset[PolicyKind]) -> str:
    return "/".join(sorted(k.value for k in kinds))


@rule_kind(
    "policy_current",
    subjects=[SubjectType.PROVIDER, SubjectType.POLICY],
    parameters={
        "required": ["policies"],
        "properties": {
            "policies": _POLICIES,
            "review_period": PERIOD_SCHEMA,
            "require_next_review_date": {"type": "boolean"},
            "require_approval": {"type": "boolean"},
        },
    },
)
def policy_current(spec: RuleSpec) -> Check:
    """A policy of one of ``policies`` (standalone, or a section of another policy) exists and is
    in date: its last review or approval plus ``review_period`` has not passed, nor has its own
    next review date. ``due_on`` is the earlier of the two. On a ``policy`` subject, each policy
    of those kinds is judged on its own (others are not applicable)."""
    kinds = _kinds(spec)
    period = period_param(spec, "review_period") if "review_period" in spec.params else None
    need_next = bool(spec.params.get("require_next_review_date", False))
    need_approval = bool(spec.params.get("require_approval", False))

    def check(subject: object, ctx: EvaluationContext) -> Outcome:
        if isinstance(subject, PolicyDocument):
            if subject.kind not in kinds and not subject.includes & kinds:
                return outcome(Status.NOT_APPLICABLE, f"not a {_names(kinds)} policy")
            found = [subject]
        else:
            found = find_policies(ctx.bundle, kinds)
        if not found:
            return outcome(Status.NOT_MET, f"no {_names(kinds)} policy is recorded")
        policy = latest(found, lambda p: p.last_review) or min(found, key=lambda p: p.id)
        ev = [policy.id]
        if need_approval and policy.approved_on is None:
            return outcome(Status.NOT_MET, "the policy's approval is not recorded", evidence=ev)
        if need_next and policy.next_review_on is None:
            return outcome(Status.NOT_MET, "the policy sets no review date", evidence=ev)
        dues = [policy.next_review_on] if policy.next_review_on else []
        if period is not None:
            if policy.last_review is None:
                return outcome(
                    Status.INSUFFICIENT_EVIDENCE,
                    "the policy's approval or last review date is not recorded",
                    evidence=ev,
                )
            dues.append(add_period(policy.last_review, period))
        if not dues:
            return outcome(Status.MET, "policy recorded", evidence=ev)
        due = min(dues)
        if is_current(due, ctx.as_of):
            return outcome(Status.MET, f"policy in date until {due}", evidence=ev, due_on=due)
        return outcome(
            Status.NOT_MET,
            f"policy review overdue since {due + dt.timedelta(days=1)}",
            evidence=ev,
            due_on=due,
        )

    return check


_FLAGS = (
    "published_to_staff",
    "published_on_website",
    "issued_at_induction",
    "covered_in_training",
)


@rule_kind(
    "policy_published",
    subjects=_PROVIDER,
    parameters={
        "required": ["policies", "require"],
        "properties": {
            "policies": _POLICIES,
            "require": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": list(_FLAGS)},
            },
        },
    },
)
def policy_published(spec: RuleSpec) -> Check:
    """Every policy of ``policies`` is published as ``require`` lists (to staff, on the website,
    issued at induction, covered in training). ``published_on_website`` is not applicable to a
    provider recorded as having no website; where whether it has one is not recorded, a policy
    not shown published on one leaves the finding asking for ``provider.has_website``."""
    kinds = _kinds(spec)
    flags = tuple(spec.params["require"])

    def check(_provider: object, ctx: EvaluationContext) -> Outcome:
        website = ctx.bundle.provider.has_website
        wanted = [f for f in flags if f != "published_on_website" or website is not False]
        if not wanted:
            return outcome(Status.NOT_APPLICABLE, "the provider has no website")
        found = sorted(find_policies(ctx.bundle, kinds), key=lambda p: p.id)
        if not found:
            return outcome(Status.NOT_MET, f"no {_names(kinds)} policy is recorded")
        ev = [p.id for p in found]
        # Without a recorded website, "not on the website" may be because there is none.
        doubtful = website is None and "published_on_website" in wanted
        judged = [f for f in wanted if not (doubtful and f == "published_on_website")]
        no = sorted({f for p in found for f in judged if getattr(p, f) is False})
        unknown = sorted({f for p in found for f in judged if getattr(p, f) is None})
        if doubtful and any(p.published_on_website is not True for p in found):
            unknown.append("provider.has_website")
        if no:
            return outcome(Status.NOT_MET, "policy not " + ", ".join(no), evidence=ev, missing=no)
        if unknown:
            return outcome(
                Status.INSUFFICIENT_EVIDENCE,
                "not recorded: " + ", ".join(unknown),
                evidence=ev,
                unknown=unknown,
            )
        return outcome(Status.MET, "policy " + ", ".join(wanted), evidence=ev)

    return check
