"""Rule kinds judged by a person reading a document: attestations and document references."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import attrs

from safeguard_std.domain.calendar import Period, add_period, is_current
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.organisation import AttestationOutcome, PolicyDocument, PolicyKind
from safeguard_std.domain.pack import DocumentAliases, SubjectType
from safeguard_std.exceptions import RuleError
from safeguard_std.rules._kind import (
    PERIOD_SCHEMA,
    Check,
    RuleSpec,
    outcome,
    period_param,
    rule_kind,
)
from safeguard_std.rules.organisation import find_policies

__all__ = ["attested", "documents_referenced", "normalise_title"]

_ANY_SUBJECT = list(SubjectType)


def _subject_id(subject: Any) -> str | None:
    return getattr(subject, "id", None)


def _from_attestation(spec: RuleSpec, subject: Any, ctx: EvaluationContext) -> Outcome | None:
    att = ctx.attestation_for(spec.requirement.id, _subject_id(subject))
    if att is None:
        return None
    ev = [att.id, *att.evidence_refs]
    on = att.attested_on.isoformat()
    if att.outcome is AttestationOutcome.MET:
        return outcome(Status.MET, f"attested as met on {on}", evidence=ev, attested=att.outcome)
    if att.outcome is AttestationOutcome.NOT_APPLICABLE:
        return outcome(
            Status.NOT_APPLICABLE,
            f"attested as not applicable on {on}: {att.statement}",
            evidence=ev,
            attested=att.outcome.value,
            because=att.statement,
        )
    if att.outcome is AttestationOutcome.PARTIALLY_MET and spec.params.get("allow_partial"):
        return outcome(
            Status.MET,
            f"attested as partially met (working towards) on {on}",
            evidence=ev,
            attested=att.outcome.value,
        )
    return outcome(
        Status.NOT_MET,
        f"attested as {att.outcome.value.replace('_', ' ')} on {on}",
        evidence=ev,
        attested=att.outcome.value,
    )


@rule_kind(
    "attested",
    subjects=_ANY_SUBJECT,
    attestation=True,
    parameters={
        "properties": {
            "policies": {
                "type": "array",
                "minItems": 1,
                "items": {"enum": [k.value for k in PolicyKind]},
            },
            "topics": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            "allow_partial": {"type": "boolean"},
        },
    },
)
def attested(spec: RuleSpec) -> Check:
    """Judged by a person: met by an attestation recorded for the requirement (and subject) on or
    before ``as_of``, or, with ``policies`` and ``topics``, by a policy of those kinds whose
    recorded topics include every one of ``topics``. Never met silently: without either, the
    finding is insufficient_evidence. ``allow_partial`` accepts "working towards"."""
    kinds = frozenset(PolicyKind(k) for k in spec.params.get("policies", []))
    topics = frozenset(spec.params.get("topics", []))
    if topics and not kinds:
        raise RuleError("'topics' needs 'policies': the policy kinds whose topics are read")

    def check(subject: Any, ctx: EvaluationContext) -> Outcome:
        judged = _from_attestation(spec, subject, ctx)
        if judged is not None:
            return judged
        if not kinds:
            return outcome(Status.INSUFFICIENT_EVIDENCE, "needs an attestation by a reader")
        found = sorted(find_policies(ctx.bundle, kinds), key=lambda p: p.id)
        names = "/".join(sorted(k.value for k in kinds))
        if not found:
            return outcome(Status.NOT_MET, f"no {names} policy is recorded")
        for policy in found:
            if topics <= policy.topics:
                return outcome(
                    Status.MET,
                    "policy recorded as covering: " + ", ".join(sorted(topics)),
                    evidence=[policy.id],
                    topics=sorted(topics),
                )
        have = frozenset().union(*(p.topics for p in found))
        missing = sorted(topics - have)
        return outcome(
            Status.INSUFFICIENT_EVIDENCE,
            "no attestation that the policy covers: " + ", ".join(missing or sorted(topics)),
            evidence=[p.id for p in found],
            missing_topics=missing,
        )

    return check


_WORD = re.compile(r"[a-z0-9]+")


def normalise_title(text: str) -> str:
    """Lower-case words only, so 'Working Together to Safeguard Children (2023)' and
    'working together to safeguard children 2023' compare equal."""
    return " ".join(_WORD.findall(text.lower()))


def _match(doc: DocumentAliases, cited: dict[str, str]) -> str | None:
    for name in doc.names:
        key = normalise_title(name)
        if key in cited:
            return name
    return None


@attrs.frozen
class _FormerName:
    """A document renamed on ``changed_on``: policies confirmed before then may cite the
    predecessor until their next review."""

    document: str
    predecessor: DocumentAliases
    changed_on: dt.date
    review_period: Period | None

    def accepts(
        self, policies: Iterable[PolicyDocument], as_of: dt.date
    ) -> tuple[str, dt.date] | None:
        """The predecessor's title a policy confirmed before the change cites, and the day its
        next review falls due, if that is not past; the latest such day among them.

        The review falls due as ``policy_current`` finds it: on the earlier of the policy's own
        next review date and its last confirmation plus ``review_period``. The policies are as
        they stood on ``as_of``: a review after it is not yet done, so the last confirmation is
        one on or before ``as_of``, and with ``review_period`` a next review date set by a later
        review cannot carry the grace past the review then due."""
        best: tuple[str, dt.date] | None = None
        for policy in policies:
            confirmed = policy.last_review
            if confirmed is None or confirmed >= self.changed_on:
                continue
            name = _match(self.predecessor, {normalise_title(r): r for r in policy.references})
            if name is None:
                continue
            dues = [policy.next_review_on] if policy.next_review_on is not None else []
            if self.review_period is not None:
                dues.append(add_period(confirmed, self.review_period))
            due = min(dues) if dues else None
            if due is not None and is_current(due, as_of) and (best is None or due > best[1]):
                best = (name, due)
        return best


def _former_name(spec: RuleSpec, doc_ids: list[str]) -> _FormerName | None:
    raw = spec.params.get("former_name")
    if raw is None:
        return None
    if raw["document"] not in doc_ids:
        raise RuleError(f"former_name: document {raw['document']!r} is not one of 'documents'")
    if raw["predecessor"] not in spec.documents:
        raise RuleError(
            f"former_name: predecessor {raw['predecessor']!r} is not in the pack's documents table"
        )
    try:
        changed_on = dt.date.fromisoformat(raw["changed_on"])
    except ValueError:
        raise RuleError(
            f"former_name: changed_on {raw['changed_on']!r} is not a calendar date"
        ) from None
    period = None
    if "review_period" in raw:
        period = period_param(RuleSpec(params=raw, requirement=spec.requirement), "review_period")
    return _FormerName(raw["document"], spec.documents[raw["predecessor"]], changed_on, period)


@rule_kind(
    "documents_referenced",
    subjects=[SubjectType.CONTRACT, SubjectType.PROVIDER],
    parameters={
        "properties": {
            "documents": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            "topics": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            "in_policies": {
                "type": "array",
                "minItems": 1,
                "items": {"enum": [k.value for k in PolicyKind]},
            },
            "former_name": {
                "type": "object",
                "description": "A document renamed on changed_on: a policy approved or reviewed "
                "before then that cites the predecessor stays current until its next review.",
                "required": ["document", "predecessor", "changed_on"],
                "additionalProperties": False,
                "properties": {
                    "document": {"type": "string"},
                    "predecessor": {"type": "string"},
                    "changed_on": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "review_period": PERIOD_SCHEMA,
                },
            },
        },
        "anyOf": [{"required": ["documents"]}, {"required": ["topics"]}],
    },
)
def documents_referenced(spec: RuleSpec) -> Check:
    """The contract's safeguarding clause (subject contract) or a policy of ``in_policies``
    (subject provider) references each of ``documents``, ids from the pack's document table,
    under its original title or any accepted successor, and covers each of ``topics``. The
    finding names the title that matched. With ``former_name`` (a policy subject's provider
    only), a policy approved or last reviewed before ``changed_on`` that cites the
    ``predecessor`` document still counts for ``document`` until its next review falls due: the
    earlier of its own next review date and its last review (on or before ``as_of``) plus
    ``review_period``, as ``policy_current`` finds it; ``due_on`` is that day."""
    doc_ids = list(spec.params.get("documents", []))
    unknown = [d for d in doc_ids if d not in spec.documents]
    if unknown:
        raise RuleError(f"document(s) {unknown} are not in the pack's documents table")
    docs = [spec.documents[d] for d in doc_ids]
    topics = frozenset(spec.params.get("topics", []))
    kinds = frozenset(PolicyKind(k) for k in spec.params.get("in_policies", []))
    on_contract = spec.requirement.subject is SubjectType.CONTRACT
    if not on_contract and not kinds:
        raise RuleError("on a provider subject, 'in_policies' names the policies to read")
    former = _former_name(spec, doc_ids)

    def check(_subject: Any, ctx: EvaluationContext) -> Outcome:
        if on_contract:
            contract = ctx.bundle.contract
            clause = contract.safeguarding_clause if contract else None
            if clause is None:
                return outcome(Status.NOT_MET, "the contract has no safeguarding clause recorded")
            refs, covered, ev = clause.references, clause.topics, [contract.id] if contract else []
            found = []
        else:
            found = sorted(find_policies(ctx.bundle, kinds), key=lambda p: p.id)
            if not found:
                names = "/".join(sorted(k.value for k in kinds))
                return outcome(Status.NOT_MET, f"no {names} policy is recorded")
            refs = frozenset().union(*(p.references for p in found))
            covered = frozenset().union(*(p.topics for p in found))
            ev = [p.id for p in found]
        cited = {normalise_title(r): r for r in refs}
        matched = {d.id: _match(d, cited) for d in docs}
        until: dt.date | None = None
        note: dict[str, str] = {}
        if former is not None and not on_contract and matched.get(former.document) is None:
            accepted = former.accepts(found, ctx.as_of)
            if accepted is not None:
                matched[former.document], until = accepted
                note[former.document] = (
                    f" (the former name, accepted until the policy's next review on {until})"
                )
        missing_docs = sorted(k for k, v in matched.items() if v is None)
        missing_topics = sorted(topics - covered)
        hits = {k: v for k, v in sorted(matched.items()) if v is not None}
        facts: dict[str, Any] = {"matched": hits}
        if missing_docs or missing_topics:
            gaps = [f"document {d}" for d in missing_docs] + [f"topic {t}" for t in missing_topics]
            return outcome(
                Status.NOT_MET,
                "does not reference: " + ", ".join(gaps),
                evidence=ev,
                missing_documents=missing_docs,
                missing_topics=missing_topics,
                facts=facts,
            )
        said = [f"{k} as '{v}'{note.get(k, '')}" for k, v in hits.items()]
        return outcome(
            Status.MET,
            "references " + "; ".join(said + [f"topic {t}" for t in sorted(topics)]),
            evidence=ev,
            due_on=until,
            facts=facts,
        )

    return check
