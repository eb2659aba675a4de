"""Findings and assessments: what the evaluator returns.

A :class:`Finding` is one requirement judged for one subject. It refers to the subject by type and
id only, and its ``message`` never contains personal data. An :class:`Assessment` is all findings
for one bundle, one resolved pack and one ``as_of`` date, with digests of both inputs so a reader
can tell exactly what was judged.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from safeguard_std.domain.pack import DutyHolder, Modality, SubjectType

__all__ = ["Assessment", "Finding", "Outcome", "Status", "SubjectRef", "Summary"]


class Status(enum.StrEnum):
    """The result of judging one requirement for one subject.

    * ``met``: the evidence shows the requirement is satisfied.
    * ``not_met``: the evidence shows it is not (including a record the standard requires that
      is absent).
    * ``not_applicable``: the requirement does not apply to this subject (``applies_when`` is
      false, or there is nothing of the kind it governs).
    * ``insufficient_evidence``: what is needed to judge is unknown (an unknown fact, an
      undated record, no attestation for a requirement only a reader can judge). Missing evidence
      never passes.
    * ``waived``: an active waiver covers it; the finding still says what it would have been.
    * ``error``: the rule failed to run; the rest of the evaluation went on.
    """

    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    WAIVED = "waived"
    ERROR = "error"


@attrs.frozen(order=True)
class SubjectRef:
    """What a finding is about: a subject type and an evidence id (``None`` when the evidence
    has no such subject at all, e.g. no contract)."""

    type: SubjectType = attrs.field(converter=SubjectType)
    id: str | None

    def __str__(self) -> str:
        return f"{self.type.value}:{self.id if self.id is not None else '-'}"


@attrs.frozen(kw_only=True)
class Outcome:
    """What a rule concluded about one subject, before the evaluator adds identity."""

    status: Status
    message: str
    facts: Mapping[str, Any] = attrs.field(factory=dict)
    evidence: tuple[str, ...] = ()
    due_on: dt.date | None = None


@attrs.frozen(kw_only=True)
class Finding:
    """One requirement judged for one subject."""

    id: str
    pack: str
    requirement_id: str
    section: str
    modality: Modality
    duty_holder: DutyHolder
    subject: SubjectRef
    status: Status
    message: str
    rule: str
    facts: Mapping[str, Any] = attrs.field(factory=dict)
    parameters: Mapping[str, Any] = attrs.field(factory=dict)
    evidence: tuple[str, ...] = ()
    due_on: dt.date | None = None
    origin: str = ""


@attrs.frozen(kw_only=True)
class Summary:
    """Counts of findings per status, per section and per modality (every key present)."""

    total: int
    by_status: Mapping[str, int]
    by_section: Mapping[str, Mapping[str, int]]
    by_modality: Mapping[str, Mapping[str, int]]
    by_duty_holder: Mapping[str, Mapping[str, int]]


@attrs.frozen(kw_only=True)
class Assessment:
    """All findings for one evidence bundle against one resolved pack on one date."""

    pack: str
    pack_edition: str
    pack_digest: str
    pack_layers: tuple[str, ...]
    as_of: dt.date
    bundle_id: str
    provider_id: str
    evidence_digest: str
    findings: tuple[Finding, ...]
    summary: Summary
    library_version: str

    def by_status(self, status: Status) -> tuple[Finding, ...]:
        """Findings with this status, in canonical order."""
        return tuple(f for f in self.findings if f.status is status)
