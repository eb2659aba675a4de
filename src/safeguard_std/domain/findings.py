"""Findings and assessments: what the evaluator returns.

A :class:`Finding` is one requirement judged for one subject. It refers to the subject by type and
id only, and its ``message`` never contains personal data. An :class:`Assessment` is all findings
for one bundle, one resolved pack and one ``as_of`` date, with digests of both inputs so a reader
can tell exactly what was judged.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from safeguard_std.domain.pack import DutyHolder, Modality, SubjectType
from safeguard_std.exceptions import InvalidArgument, quoted

__all__ = [
    "Assessment",
    "Finding",
    "Outcome",
    "RequirementRef",
    "Status",
    "SubjectRef",
    "Summary",
    "make_finding",
    "make_findings",
    "make_outcome",
]


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


def subject_ref(kind: SubjectType, id: str | None) -> SubjectRef:
    """``SubjectRef(kind, id)`` for a ``kind`` that is already a :class:`SubjectType` (the
    converter has nothing to do): the evaluator makes one per subject."""
    ref: SubjectRef = _new(SubjectRef)
    _set_type(ref, kind)
    _set_id(ref, id)
    return ref


_set_type = SubjectRef.__dict__["type"].__set__
_set_id = SubjectRef.__dict__["id"].__set__


_NO_FACTS: Any = attrs.NOTHING  # facts not given: a new empty dict


@attrs.frozen(init=False)
class Outcome:
    """What a rule concluded about one subject, before the evaluator adds identity.

    The one way to make an outcome, by keyword (``Outcome(status=..., message=...)``) or, where
    a rule kind makes one per subject, positionally in field order (``Outcome(status, message,
    facts, evidence, due_on)``, as cheap as building it by hand). ``facts`` is kept, not copied;
    ``evidence`` must be sorted and free of repeats already (``rules.outcome`` sorts them)."""

    status: Status
    message: str
    facts: Mapping[str, Any] = attrs.field(factory=dict)
    evidence: tuple[str, ...] = ()
    due_on: dt.date | None = None

    def __init__(
        self,
        status: Status,
        message: str,
        facts: Mapping[str, Any] = _NO_FACTS,
        evidence: tuple[str, ...] = (),
        due_on: dt.date | None = None,
    ) -> None:
        # What attrs would generate, with the slots' own setters: one is made per finding.
        _set_status(self, status)
        _set_message(self, message)
        _set_facts(self, {} if facts is _NO_FACTS else facts)
        _set_evidence(self, evidence)
        _set_due_on(self, due_on)


_set_status = Outcome.__dict__["status"].__set__
_set_message = Outcome.__dict__["message"].__set__
_set_facts = Outcome.__dict__["facts"].__set__
_set_evidence = Outcome.__dict__["evidence"].__set__
_set_due_on = Outcome.__dict__["due_on"].__set__


@attrs.frozen(kw_only=True)
class RequirementRef:
    """What every finding of one requirement says about it: pack, requirement id, section,
    modality, duty holder, rule kind, the pack parameters the rule used, and the layer that
    defined it. Built once per requirement when a pack is compiled and shared by its findings."""

    pack: str
    requirement_id: str
    section: str
    modality: Modality
    duty_holder: DutyHolder
    rule: str
    parameters: Mapping[str, Any] = attrs.field(factory=dict)
    origin: str = ""


_REQUIREMENT_PARTS: tuple[str, ...] = ("pack", "requirement_id", "section", "modality")
_REQUIREMENT_PARTS += ("duty_holder", "rule", "parameters", "origin")
_OUTCOME_PARTS = tuple(field.name for field in attrs.fields(Outcome))


@attrs.frozen(init=False)
class Finding:
    """One requirement judged for one subject.

    A finding is three references: the requirement (shared by all its findings), the subject and
    the rule's outcome; ``id``, ``pack``, ``requirement_id``, ``section``, ``modality``,
    ``duty_holder``, ``rule``, ``parameters``, ``origin``, ``status``, ``message``, ``facts``,
    ``evidence`` and ``due_on`` read through them. Evaluating a large bundle makes one finding per
    person and requirement, so a finding costs no more than it must.

    Build one from the three parts, or from the flat attributes by keyword
    (``Finding(pack=..., requirement_id=..., subject=..., status=..., message=..., ...)``);
    ``attrs.evolve(finding, status=...)`` changes any attribute. An ``id``, if given, must be the
    one the finding derives (``pack/requirement/subject``): ids are never free-form.
    """

    requirement: RequirementRef
    subject: SubjectRef
    outcome: Outcome

    def __init__(
        self,
        requirement: RequirementRef | None = None,
        subject: SubjectRef | None = None,
        outcome: Outcome | None = None,
        *,
        id: str | None = None,
        **parts: Any,
    ) -> None:
        unknown = set(parts) - set(_REQUIREMENT_PARTS) - set(_OUTCOME_PARTS)
        if unknown:
            raise TypeError(f"Finding() got unexpected keyword argument(s) {sorted(unknown)}")
        if subject is None:
            raise TypeError("Finding() needs a subject")
        req = {k: parts[k] for k in _REQUIREMENT_PARTS if k in parts}
        out = {k: parts[k] for k in _OUTCOME_PARTS if k in parts}
        if requirement is None:
            requirement = RequirementRef(**req)
        elif req:
            requirement = attrs.evolve(requirement, **req)
        if outcome is None:
            outcome = Outcome(**out)
        elif out:
            outcome = attrs.evolve(outcome, **out)
        _put(self, "requirement", requirement)
        _put(self, "subject", subject)
        _put(self, "outcome", outcome)
        if id is not None and id != self.id:
            raise ValueError(f"a finding's id is {self.id!r}, derived from its parts; got {id!r}")

    @property
    def id(self) -> str:
        """Stable id from pack, requirement and subject (``dorset/DOR-2.3.2/person:p-1``)."""
        return f"{self.requirement.pack}/{self.requirement.requirement_id}/{self.subject}"

    @property
    def pack(self) -> str:
        """The pack id."""
        return self.requirement.pack

    @property
    def requirement_id(self) -> str:
        """The requirement id."""
        return self.requirement.requirement_id

    @property
    def section(self) -> str:
        """The requirement's section id."""
        return self.requirement.section

    @property
    def modality(self) -> Modality:
        """``must``, ``should`` or ``recommended``."""
        return self.requirement.modality

    @property
    def duty_holder(self) -> DutyHolder:
        """Who the requirement binds."""
        return self.requirement.duty_holder

    @property
    def rule(self) -> str:
        """The rule kind that judged it."""
        return self.requirement.rule

    @property
    def parameters(self) -> Mapping[str, Any]:
        """The pack parameters the rule used (name to value)."""
        return self.requirement.parameters

    @property
    def origin(self) -> str:
        """The pack layer that defined the requirement."""
        return self.requirement.origin

    @property
    def status(self) -> Status:
        """The result."""
        return self.outcome.status

    @property
    def message(self) -> str:
        """Why, in words, without personal data."""
        return self.outcome.message

    @property
    def facts(self) -> Mapping[str, Any]:
        """The values the rule used."""
        return self.outcome.facts

    @property
    def evidence(self) -> tuple[str, ...]:
        """Ids of the evidence records relied on, sorted."""
        return self.outcome.evidence

    @property
    def due_on(self) -> dt.date | None:
        """The last day something is current, where a date governs the finding."""
        return self.outcome.due_on


def make_finding(requirement: RequirementRef, subject: SubjectRef, outcome: Outcome) -> Finding:
    """A finding from its three parts, as the evaluator makes one per subject and requirement:
    the same object ``Finding(requirement, subject, outcome)`` gives, without the keyword
    handling (about four times cheaper). The only place a finding is built by hand."""
    finding: Finding = _new(Finding)
    _set_requirement(finding, requirement)
    _set_subject(finding, subject)
    _set_outcome(finding, outcome)
    return finding


def make_findings(
    requirement: RequirementRef, subjects: Iterable[SubjectRef], outcomes: Iterable[Outcome]
) -> list[Finding]:
    """:func:`make_finding` for each subject and its outcome, in order (the evaluator makes a
    chunk of one requirement's findings at once: one call instead of one per finding)."""
    made: list[Finding] = []
    append, new, finding_type = made.append, _new, Finding
    for subject, outcome in zip(subjects, outcomes, strict=True):
        finding = new(finding_type)
        _set_requirement(finding, requirement)
        _set_subject(finding, subject)
        _set_outcome(finding, outcome)
        append(finding)
    return made


#: :class:`Outcome`, under the name rule kinds have imported it by: called positionally it is
#: the fast way to make one.
make_outcome = Outcome


_new = object.__new__
_put = object.__setattr__
# The slots' own setters: cheaper than object.__setattr__, which looks the name up each time.
_set_requirement = Finding.__dict__["requirement"].__set__
_set_subject = Finding.__dict__["subject"].__set__
_set_outcome = Finding.__dict__["outcome"].__set__


@attrs.frozen(kw_only=True)
class Summary:
    """Counts of findings per status, per section and per modality (every key present)."""

    total: int
    by_status: Mapping[str, int]
    by_section: Mapping[str, Mapping[str, int]]
    by_modality: Mapping[str, Mapping[str, int]]
    by_duty_holder: Mapping[str, Mapping[str, int]]


def _resolved(value: str | Callable[[], str]) -> str:
    return value if isinstance(value, str) else value()


def _resolved_repr(value: str | Callable[[], str]) -> str:
    return repr(_resolved(value))


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
    findings: tuple[Finding, ...]
    summary: Summary
    library_version: str
    _evidence_digest: str | Callable[[], str] = attrs.field(
        alias="evidence_digest", eq=_resolved, repr=_resolved_repr
    )
    pack_origins: Mapping[str, str] = attrs.field(factory=dict)
    """Where each pack layer came from, by id@edition (see ``PackOrigin``)."""
    #: The edition was not in force on ``as_of`` and the caller asked explicitly to judge
    #: against it all the same (``allow_out_of_force``).
    out_of_force: bool = False

    @property
    def evidence_digest(self) -> str:
        """The digest of the evidence's content (``sha256:...``), independent of list order.

        The evaluator passes a function that computes it; it runs on first read (serialising
        an assessment reads it), so callers who only want findings never pay for hashing a large
        bundle."""
        value = self._evidence_digest
        if not isinstance(value, str):
            value = value()
            object.__setattr__(self, "_evidence_digest", value)
        return value

    def by_status(self, status: Status | str) -> tuple[Finding, ...]:
        """Findings with this status (a :class:`Status` or its value, ``"not_met"``), in
        canonical order; any other value raises
        :class:`~safeguard_std.exceptions.InvalidArgument` naming the statuses."""
        try:
            wanted = Status(status)
        except ValueError:
            allowed = ", ".join(repr(s.value) for s in Status)
            raise InvalidArgument(
                f"status must be one of {allowed}; got {quoted(status, 40)}"
            ) from None
        return tuple(f for f in self.findings if f.status is wanted)
