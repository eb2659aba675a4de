"""The report model: one assessment read the way a commissioner reads it.

:func:`build_report` turns an :class:`~safeguard_std.domain.findings.Assessment` (plus, where
given, the pack it was made against and the evidence bundle it judged) into a :class:`Report`:
a red/amber/green rating per section, what is not met grouped by section and ordered by modality,
what lapses within a horizon, issues per person, waivers in force and the contract-monitoring
metrics. Every format renders the same report, so they can never disagree.

Pure: no files, no clock. Ordering never depends on input order or hashing.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping

import attrs

from safeguard_std.domain.findings import Assessment, Finding, Status
from safeguard_std.domain.organisation import EvidenceBundle, LegalForm
from safeguard_std.domain.pack import Modality, Pack, SubjectType
from safeguard_std.exceptions import ReportError
from safeguard_std.reports._format import STATUS_ORDER, day_count
from safeguard_std.reports.metrics import Metric, compute_metrics
from safeguard_std.serialization import evidence_digest, pack_digest

__all__ = [
    "MAX_HORIZON_DAYS",
    "RATING_RULE",
    "Lapse",
    "PersonIssues",
    "Rating",
    "Report",
    "RequirementInfo",
    "SectionRating",
    "build_report",
    "horizon_end",
]

#: The longest horizon a report looks ahead: ten years.
MAX_HORIZON_DAYS = 3660


def horizon_end(as_of: dt.date, horizon_days: int) -> dt.date:
    """The last day ``horizon_days`` after ``as_of``, or the calendar's last day (9999-12-31)
    when that comes first: no date falls after it, so the lapses listed are the same."""
    if horizon_days > (dt.date.max - as_of).days:
        return dt.date.max
    return as_of + dt.timedelta(days=horizon_days)


class Rating(enum.StrEnum):
    """A section's (or the whole assessment's) red/amber/green rating."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        """``RED``, ``AMBER``, ``GREEN`` or ``NOT ASSESSED``."""
        return self.value.replace("_", " ").upper()

    @property
    def severity(self) -> int:
        """3 for red down to 0 for not assessed: the overall rating is the highest."""
        return {"red": 3, "amber": 2, "green": 1, "not_assessed": 0}[self.value]


#: The rating rule, as every report prints it.
RATING_RULE: tuple[tuple[Rating, str], ...] = (
    (Rating.RED, "at least one must requirement is not met."),
    (
        Rating.AMBER,
        "no must requirement is unmet, but a should or recommended requirement is not met, "
        "or the evidence is insufficient to judge a requirement, or a rule could not be "
        "evaluated (error).",
    ),
    (
        Rating.GREEN,
        "every requirement that applies is met, or waived by an agreed exception (waivers are "
        "listed).",
    ),
    (Rating.NOT_ASSESSED, "nothing in the section applies to this provider."),
)

#: One sentence that closes the rule.
RATING_OVERALL = "The overall rating is the worst section rating."

_PROBLEMS = (Status.NOT_MET, Status.ERROR, Status.INSUFFICIENT_EVIDENCE)

#: Rule kinds whose ``due_on`` is a one-off deadline (met once, never lapsing again), so a met
#: finding of theirs is not an upcoming lapse.
ONE_OFF_DEADLINES = frozenset({"training_by_start"})


@attrs.frozen(kw_only=True)
class RequirementInfo:
    """What a report shows of a requirement (from the pack; ids only without it)."""

    id: str
    title: str
    section: str
    modality: Modality
    citation: str = ""
    text: str = ""
    rule: str = ""
    check: str | None = None
    tags: tuple[str, ...] = ()
    order: int = 0


@attrs.frozen(kw_only=True)
class SectionRating:
    """A section's rating, its counts per status, and the reason in a few words."""

    id: str
    title: str
    rating: Rating
    counts: Mapping[str, int]
    reason: str


@attrs.frozen(kw_only=True)
class Lapse:
    """A finding whose ``due_on`` falls within the horizon: something to renew or review."""

    finding: Finding
    what: str
    days_left: int


@attrs.frozen(kw_only=True)
class PersonIssues:
    """A person's problems and upcoming lapses; ``name`` only when personal data was asked for."""

    person_id: str
    name: str | None
    issues: tuple[Finding, ...]
    lapses: tuple[Lapse, ...]


@attrs.frozen(kw_only=True)
class Report:
    """Everything any report format shows for one assessment."""

    assessment: Assessment
    pack_title: str | None
    board: str | None
    provider_name: str | None
    requirements: Mapping[str, RequirementInfo]
    overall: Rating
    sections: tuple[SectionRating, ...]
    issues: tuple[tuple[SectionRating, tuple[Finding, ...]], ...]
    lapses: tuple[Lapse, ...]
    people: tuple[PersonIssues, ...]
    waived: tuple[Finding, ...]
    metrics: tuple[Metric, ...]
    horizon_days: int
    include_personal_data: bool
    names_available: bool
    names: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def reading_order(self) -> tuple[SectionRating, ...]:
        """The sections as a page lists them: those that apply to the provider first, then
        those rated not assessed (a baseline for another kind of provider), each group in the
        pack's order. (:attr:`sections` keeps the pack's order, for data formats.)"""
        return tuple(
            sorted(self.sections, key=lambda s: s.rating is Rating.NOT_ASSESSED)  # stable
        )

    @property
    def horizon_end(self) -> dt.date:
        """The last day of the lapse horizon (``as_of`` + ``horizon_days``, at most
        9999-12-31)."""
        return horizon_end(self.assessment.as_of, self.horizon_days)

    def requirement(self, requirement_id: str) -> RequirementInfo:
        """What the report knows of a requirement."""
        return self.requirements[requirement_id]

    def title_of(self, finding: Finding) -> str:
        """The requirement's title, for a finding (empty when only its id is known)."""
        info = self.requirements[finding.requirement_id]
        return "" if info.title == info.id else info.title

    def label_of(self, finding: Finding) -> str:
        """``DEMO-1 Named DSL and deputy``, or the id alone when the title is unknown."""
        title = self.title_of(finding)
        return f"{finding.requirement_id} {title}" if title else finding.requirement_id


def _check_inputs(
    a: Assessment, pack: Pack | None, bundle: EvidenceBundle | None, horizon_days: object
) -> None:
    if (
        not isinstance(horizon_days, int)
        or isinstance(horizon_days, bool)
        or not 0 <= horizon_days <= MAX_HORIZON_DAYS
    ):
        raise ReportError(
            f"horizon must be a whole number of days from 0 to {MAX_HORIZON_DAYS}, "
            f"got {horizon_days!r}"
        )
    if pack is not None and (
        (pack.id, pack.edition) != (a.pack, a.pack_edition) or pack_digest(pack) != a.pack_digest
    ):
        raise ReportError(
            f"the pack {pack.id}@{pack.edition} is not the one the assessment was made against "
            f"({a.pack}@{a.pack_edition}, {a.pack_digest})"
        )
    if bundle is not None and (
        bundle.id != a.bundle_id or evidence_digest(bundle) != a.evidence_digest
    ):
        raise ReportError(
            f"the evidence bundle {bundle.id!r} is not the one the assessment judged "
            f"({a.bundle_id!r}, {a.evidence_digest})"
        )


def _requirements(a: Assessment, pack: Pack | None) -> dict[str, RequirementInfo]:
    out: dict[str, RequirementInfo] = {}
    if pack is not None:
        for index, req in enumerate(pack.requirements):
            check = req.rule.params.get("check")
            out[req.id] = RequirementInfo(
                id=req.id,
                title=req.title,
                section=req.section,
                modality=req.modality,
                citation=req.citation,
                text=req.text,
                rule=req.rule.kind,
                check=check if isinstance(check, str) else None,
                tags=req.tags,
                order=index,
            )
    for f in a.findings:
        if f.requirement_id not in out:
            out[f.requirement_id] = RequirementInfo(
                id=f.requirement_id,
                title=f.requirement_id,
                section=f.section,
                modality=f.modality,
                rule=f.rule,
                order=len(out),
            )
    return out


def _rate(findings: list[Finding]) -> tuple[Rating, str]:
    def count(test: Callable[[Finding], bool]) -> int:
        return sum(1 for f in findings if test(f))

    must_unmet = count(lambda f: f.status is Status.NOT_MET and f.modality is Modality.MUST)
    if must_unmet:
        return Rating.RED, f"{must_unmet} must finding(s) not met"
    unmet = count(lambda f: f.status is Status.NOT_MET)
    unknown = count(lambda f: f.status in (Status.INSUFFICIENT_EVIDENCE, Status.ERROR))
    if unmet or unknown:
        parts = []
        if unmet:
            parts.append(f"{unmet} should/recommended finding(s) not met")
        if unknown:
            parts.append(f"{unknown} finding(s) without sufficient evidence or in error")
        return Rating.AMBER, "; ".join(parts)
    applicable = count(lambda f: f.status is not Status.NOT_APPLICABLE)
    if applicable:
        return Rating.GREEN, f"all {applicable} applicable finding(s) met or waived"
    return Rating.NOT_ASSESSED, "nothing applies"


def _sections(
    a: Assessment, pack: Pack | None, reqs: Mapping[str, RequirementInfo]
) -> list[SectionRating]:
    titles = {s.id: s.title for s in pack.sections} if pack is not None else {}
    # The summary's sections in order, then any other a finding names, each with its findings
    # in assessment order: one pass over the findings, not one per section.
    by_section: dict[str, list[Finding]] = {sid: [] for sid in a.summary.by_section}
    for f in a.findings:
        by_section.setdefault(f.requirement.section, []).append(f)
    out = []
    for sid, found in by_section.items():
        rating, reason = _rate(found)
        statuses = [f.outcome.status for f in found]
        counts = {s.value: statuses.count(s) for s in STATUS_ORDER}
        out.append(
            SectionRating(
                id=sid, title=titles.get(sid, sid), rating=rating, counts=counts, reason=reason
            )
        )
    return out


IssueKey = Callable[[Finding], tuple[int, int, int, str]]


def _issue_key(reqs: Mapping[str, RequirementInfo]) -> IssueKey:
    # A large assessment sorts hundreds of thousands of findings: each requirement's part of
    # the key is worked out once (by the requirement object: every finding is alive meanwhile).
    statuses = {status: n for n, status in enumerate(STATUS_ORDER)}
    heads: dict[int, tuple[int, int]] = {}

    def key(f: Finding) -> tuple[int, int, int, str]:
        ref = f.requirement
        head = heads.get(id(ref))
        if head is None:
            head = heads[id(ref)] = (ref.modality.rank, reqs[ref.requirement_id].order)
        status = f.outcome.status
        rank = statuses.get(status)
        if rank is None:
            rank = STATUS_ORDER.index(status)
        return (*head, rank, str(f.subject))

    return key


_WHAT = {
    "training_current": "training refresher",
    "training_by_start": "induction training",
    "policy_current": "policy review",
}


def _what(info: RequirementInfo) -> str:
    if info.rule == "check_current":
        return {"dbs": "DBS renewal", "right_to_work": "right to work expiry"}.get(
            info.check or "", "check renewal"
        )
    return _WHAT.get(info.rule, "due date")


def _lapses(
    a: Assessment, reqs: Mapping[str, RequirementInfo], horizon_days: int
) -> tuple[Lapse, ...]:
    end = horizon_end(a.as_of, horizon_days)
    out = []
    for f in a.findings:
        if f.due_on is None or not a.as_of <= f.due_on <= end or f.status is Status.ERROR:
            continue
        if f.rule in ONE_OFF_DEADLINES and f.status is Status.MET:
            continue
        info = reqs[f.requirement_id]
        out.append(Lapse(finding=f, what=_what(info), days_left=day_count(a.as_of, f.due_on)))
    out.sort(
        key=lambda lp: (
            lp.finding.due_on,
            reqs[lp.finding.requirement_id].order,
            str(lp.finding.subject),
        )
    )
    return tuple(out)


def _provider_name(bundle: EvidenceBundle | None, include_personal_data: bool) -> str | None:
    # A sole trader's business name is usually the person's own name: personal data.
    if bundle is None:
        return None
    provider = bundle.provider
    # An unknown legal form may be a sole trader's: withheld too (fail closed).
    unsure = provider.legal_form in (LegalForm.SOLE_TRADER, LegalForm.UNKNOWN)
    if unsure and not include_personal_data:
        return None
    return provider.name


def _names(bundle: EvidenceBundle | None, include_personal_data: bool) -> dict[str, str]:
    if not include_personal_data or bundle is None:
        return {}
    return {p.id: p.full_name for p in sorted(bundle.people, key=lambda p: p.id) if p.full_name}


def _people(
    a: Assessment, lapses: tuple[Lapse, ...], names: Mapping[str, str], key: IssueKey
) -> tuple[PersonIssues, ...]:
    issues: dict[str, list[Finding]] = {}
    for f in a.findings:
        if f.subject.type is SubjectType.PERSON and f.subject.id and f.status in _PROBLEMS:
            issues.setdefault(f.subject.id, []).append(f)
    upcoming: dict[str, list[Lapse]] = {}
    for lapse in lapses:
        s = lapse.finding.subject
        if s.type is SubjectType.PERSON and s.id:
            upcoming.setdefault(s.id, []).append(lapse)
    return tuple(
        PersonIssues(
            person_id=pid,
            name=names.get(pid),
            issues=tuple(sorted(issues.get(pid, []), key=key)),
            lapses=tuple(upcoming.get(pid, [])),
        )
        for pid in sorted(set(issues) | set(upcoming))
    )


def build_report(
    assessment: Assessment,
    *,
    pack: Pack | None = None,
    bundle: EvidenceBundle | None = None,
    include_personal_data: bool = False,
    horizon_days: int = 90,
) -> Report:
    """Read ``assessment`` as a report.

    ``pack`` (the resolved pack it was made against) gives titles, citations and the metric tags;
    ``bundle`` (the evidence it judged) gives open action counts and, with
    ``include_personal_data``, people's names. Both are checked against the assessment's
    digests: a mismatch is a :class:`~safeguard_std.exceptions.ReportError`. ``horizon_days``
    (0 to 3660) sets how far ahead "lapses within the horizon" looks, from ``as_of`` inclusive.
    """
    _check_inputs(assessment, pack, bundle, horizon_days)
    reqs = _requirements(assessment, pack)
    sections = _sections(assessment, pack, reqs)
    key = _issue_key(reqs)
    by_id = {s.id: s for s in sections}
    problems: dict[str, list[Finding]] = {}  # by section, in assessment order: one pass
    for f in assessment.findings:
        if f.outcome.status in _PROBLEMS:
            problems.setdefault(f.requirement.section, []).append(f)
    grouped = []
    for section in sections:
        found = problems.get(section.id)
        if found:
            grouped.append((by_id[section.id], tuple(sorted(found, key=key))))
    lapses = _lapses(assessment, reqs, horizon_days)
    names = _names(bundle, include_personal_data)
    overall = max(
        (s.rating for s in sections), key=lambda r: r.severity, default=Rating.NOT_ASSESSED
    )
    return Report(
        assessment=assessment,
        pack_title=pack.title if pack is not None else None,
        board=pack.board if pack is not None else None,
        provider_name=_provider_name(bundle, include_personal_data),
        requirements=reqs,
        overall=overall,
        sections=tuple(sections),
        issues=tuple(grouped),
        lapses=lapses,
        people=_people(assessment, lapses, names, key),
        waived=tuple(f for f in assessment.findings if f.status is Status.WAIVED),
        metrics=compute_metrics(assessment, pack, bundle),
        horizon_days=horizon_days,
        include_personal_data=include_personal_data,
        names_available=include_personal_data and bundle is not None,
        names=names,
    )
