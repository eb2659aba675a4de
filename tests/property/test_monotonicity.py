"""Missing evidence never passes, and time never heals a lapse.

* Removing a piece of *supporting* evidence never turns a ``not_met`` finding into ``met``.
  Supporting evidence is what can only ever help a requirement under the library's reading: a
  DBS certificate that disclosed nothing, a clear status check, a satisfactory reference, a risk
  assessment, a LADO notification, a training record, an identity or right-to-work check (or a
  document seen for one), a completed satisfactory suitability check, a lead role written into the
  holder's job description, a met attestation, a waiver, a topic or document reference recorded
  for a policy or clause, a panel member, and dated assurance records (unless an ``every_record``
  rule judges their collection). Excluded on purpose, because removing them *can* rightly help:
  negative evidence (disclosures, unsatisfactory results, overdue actions and requests), records
  an ``every`` rule judges one by one (policies for publication, qualifications), and records
  whose latest version supersedes earlier ones (policies, attestations). Findings of
  ``record_updated`` are not judged: it asks whether a person's record was updated after the
  latest change it holds, so removing that change can rightly leave the record up to date.
* Removing an engagement's start date never removes a finding and never turns ``not_met`` or
  ``insufficient_evidence`` into ``met``: an engagement with no start is taken as in force, and
  what turns on the start asks for it (docs/dates.md, rule 7).
* Moving ``as_of`` forward never makes a lapsed check current again: a finding of a currency
  rule that is ``not_met`` because its ``due_on`` has passed stays unmet on every later date, for
  evidence as it stood (no record dated after the first date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.domain.findings import Status
from safeguard_std.domain.organisation import AttestationOutcome, EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.domain.people import DbsDisclosure, Person, StatusCheckResult
from safeguard_std.evaluate import EvaluationPlan, compile_pack, evaluate
from safeguard_std.strategies import evidence_bundles, packs
from tests.property.support import AS_OF, PACKS, as_of_for

REFS = sorted(PACKS)
Removal = tuple[str, Callable[[EvidenceBundle], EvidenceBundle]]


def _drop(items: tuple[Any, ...], index: int) -> tuple[Any, ...]:
    return items[:index] + items[index + 1 :]


def _person_removals(person: Person) -> Iterator[tuple[str, Callable[[Person], Person]]]:
    for i, dbs in enumerate(person.dbs_checks):
        if dbs.disclosure is not DbsDisclosure.INFORMATION_DISCLOSED:
            yield f"dbs {dbs.id}", lambda p, i=i: attrs.evolve(p, dbs_checks=_drop(p.dbs_checks, i))
    for name in ("risk_assessments", "lado_notifications", "training"):
        for i, rec in enumerate(getattr(person, name)):
            yield (
                f"{name} {rec.id}",
                lambda p, n=name, i=i: attrs.evolve(p, **{n: _drop(getattr(p, n), i)}),
            )
    for i, ref in enumerate(person.references):
        if ref.satisfactory is True:
            yield (
                f"reference {ref.id}",
                lambda p, i=i: attrs.evolve(p, references=_drop(p.references, i)),
            )
    for i, check in enumerate(person.suitability_checks):
        if check.satisfactory is True and check.checked_on and check.checked_by:
            yield (
                f"suitability {check.id}",
                lambda p, i=i: attrs.evolve(p, suitability_checks=_drop(p.suitability_checks, i)),
            )
    for name in ("identity_check", "right_to_work", "update_service"):
        if getattr(person, name) is not None:
            yield name, lambda p, n=name: attrs.evolve(p, **{n: None})
    if person.identity_check is not None:
        for i, _doc in enumerate(person.identity_check.documents):
            yield (
                f"identity document {i}",
                lambda p, i=i: attrs.evolve(
                    p,
                    identity_check=attrs.evolve(
                        p.identity_check, documents=_drop(p.identity_check.documents, i)
                    ),
                ),
            )
    sub = person.update_service
    for i, status in enumerate(sub.status_checks if sub else ()):
        if status.result is StatusCheckResult.CURRENT_CLEAR:
            yield (
                f"status check {status.id}",
                lambda p, i=i: attrs.evolve(
                    p,
                    update_service=attrs.evolve(
                        p.update_service, status_checks=_drop(p.update_service.status_checks, i)
                    ),
                ),
            )


def _every_record_collections(pack: Pack) -> set[str]:
    return {
        str(r.rule.params.get("records"))
        for r in pack.active_requirements
        if r.rule.kind == "every_record"
    }


def removals(bundle: EvidenceBundle, pack: Pack) -> list[Removal]:
    """Every single removal of supporting evidence from ``bundle``."""
    out: list[Removal] = []
    for pi, person in enumerate(bundle.people):
        for label, change in _person_removals(person):

            def remove(b: EvidenceBundle, pi: int = pi, change: Any = change) -> EvidenceBundle:
                people = list(b.people)
                people[pi] = change(people[pi])
                return attrs.evolve(b, people=tuple(people))

            out.append((f"{person.id}: {label}", remove))
    for i, role in enumerate(bundle.lead_roles):
        if role.in_job_description is True:
            out.append(
                (
                    f"lead role {role.id}",
                    lambda b, i=i: attrs.evolve(b, lead_roles=_drop(b.lead_roles, i)),
                )
            )
    for i, att in enumerate(bundle.attestations):
        if att.outcome is AttestationOutcome.MET:
            out.append(
                (
                    f"attestation {att.id}",
                    lambda b, i=i: attrs.evolve(b, attestations=_drop(b.attestations, i)),
                )
            )
    for i, waiver in enumerate(bundle.waivers):
        out.append(
            (f"waiver {waiver.id}", lambda b, i=i: attrs.evolve(b, waivers=_drop(b.waivers, i)))
        )
    for i, policy in enumerate(bundle.policies):
        for field in ("topics", "references"):
            for value in sorted(getattr(policy, field)):
                out.append(
                    (
                        f"{policy.id} {field} {value!r}",
                        lambda b, i=i, f=field, v=value: attrs.evolve(
                            b,
                            policies=tuple(
                                attrs.evolve(p, **{f: getattr(p, f) - {v}}) if j == i else p
                                for j, p in enumerate(b.policies)
                            ),
                        ),
                    )
                )
    for i, panel in enumerate(bundle.recruitment_panels):
        for m, _member in enumerate(panel.members):
            out.append(
                (
                    f"{panel.id} member {m}",
                    lambda b, i=i, m=m: attrs.evolve(
                        b,
                        recruitment_panels=tuple(
                            attrs.evolve(p, members=_drop(p.members, m)) if j == i else p
                            for j, p in enumerate(b.recruitment_panels)
                        ),
                    ),
                )
            )
    judged = _every_record_collections(pack)
    for name in ("training_needs_analyses", "record_reviews", "subscriptions"):
        if name not in judged:
            for i, rec in enumerate(getattr(bundle, name)):
                out.append(
                    (
                        f"{name} {rec.id}",
                        lambda b, n=name, i=i: attrs.evolve(b, **{n: _drop(getattr(b, n), i)}),
                    )
                )
    contract = bundle.contract
    if contract is not None:
        for name, coll in (
            ("monitoring_meetings", "monitoring_meetings"),
            ("section11_audits", "section11_audits"),
            ("thematic_checks", "thematic_checks"),
            ("metrics", "contract_metrics"),
        ):
            if coll in judged:
                continue
            for i, rec in enumerate(getattr(contract, name)):
                if name == "monitoring_meetings":
                    continue  # meetings are subjects of their own requirements
                out.append(
                    (
                        f"contract {name} {rec.id}",
                        lambda b, n=name, i=i: attrs.evolve(
                            b,
                            contract=attrs.evolve(
                                b.contract, **{n: _drop(getattr(b.contract, n), i)}
                            ),
                        ),
                    )
                )
        clause = contract.safeguarding_clause
        for field in ("topics", "references"):
            for value in sorted(getattr(clause, field) if clause else ()):
                out.append(
                    (
                        f"clause {field} {value!r}",
                        lambda b, f=field, v=value: attrs.evolve(
                            b,
                            contract=attrs.evolve(
                                b.contract,
                                safeguarding_clause=attrs.evolve(
                                    b.contract.safeguarding_clause,
                                    **{f: getattr(b.contract.safeguarding_clause, f) - {v}},
                                ),
                            ),
                        ),
                    )
                )
    return out


def _statuses(plan: EvaluationPlan, bundle: EvidenceBundle, as_of: dt.date) -> dict[str, Status]:
    return {f.id: f.status for f in plan.evaluate(bundle, as_of=as_of).findings}


#: Rules judging a record against its own latest change: removing the change can rightly help.
FRESHNESS_RULES = {"record_updated"}


def _never_not_met_to_met(
    pack: Pack, bundle: EvidenceBundle, as_of: dt.date, data: st.DataObject
) -> None:
    """Every removal of evidence a not_met finding cites is tried, and up to eight others."""
    plan = compile_pack(pack)
    findings = plan.evaluate(bundle, as_of=as_of).findings
    unmet = {f.id for f in findings if f.status is Status.NOT_MET and f.rule not in FRESHNESS_RULES}
    cited = {e for f in findings if f.id in unmet for e in f.evidence}
    # checks_evidenced judges each check the record holds by its own evidence: a record lacking
    # it is a claim, not evidence, and dropping the claim removes what was unevidenced (the
    # check's absence is judged by the requirements asking for that check).
    unevidenced = {
        f.id: {gap.split(" ", 1)[0] for gap in f.facts.get("missing", ())}
        for f in findings
        if f.id in unmet and f.rule == "checks_evidenced"
    }
    options = removals(bundle, pack) if unmet else []
    targeted = [r for r in options if any(e in r[0].split() for e in cited)]
    others = [r for r in options if r not in targeted]
    if others:
        targeted += data.draw(
            st.lists(st.sampled_from(others), max_size=8, unique_by=lambda r: r[0])
        )
    healed = []
    for label, remove in targeted:
        after = _statuses(plan, remove(bundle), as_of)
        healed.extend(
            f"removing {label} made {f} met"
            for f in unmet
            if after.get(f) is Status.MET and not unevidenced.get(f, set()) & set(label.split())
        )
    assert healed == []


@given(st.sampled_from(REFS), st.booleans(), st.data())
def test_removing_evidence_never_turns_not_met_into_met(
    ref: str, compliant: bool, data: st.DataObject
) -> None:
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    bundle = data.draw(evidence_bundles(pack, as_of=as_of, compliant=False if compliant else None))
    _never_not_met_to_met(pack, bundle, as_of, data)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(packs(max_requirements=10), st.data())
def test_removing_evidence_never_helps_under_any_pack(pack: Pack, data: st.DataObject) -> None:
    bundle = data.draw(evidence_bundles(pack, as_of=AS_OF, max_people=4))
    _never_not_met_to_met(pack, bundle, AS_OF, data)


# -- time ------------------------------------------------------------------------------------------

CURRENCY_RULES = {"check_current", "training_current", "policy_current", "recent_record"}


def as_it_stood(bundle: EvidenceBundle, on: dt.date) -> EvidenceBundle:
    """``bundle`` without records dated after ``on`` (the strategies date only meetings and
    interviews after ``as_of``)."""
    contract = bundle.contract
    if contract is not None:
        meetings = tuple(m for m in contract.monitoring_meetings if m.held_on <= on)
        contract = attrs.evolve(contract, monitoring_meetings=meetings)
    panels = tuple(p for p in bundle.recruitment_panels if p.interview_on <= on)
    return attrs.evolve(bundle, contract=contract, recruitment_panels=panels)


def _lapsed_stay_lapsed(pack: Pack, bundle: EvidenceBundle, first: dt.date, later: dt.date) -> None:
    bundle = as_it_stood(bundle, first)
    lapsed = {
        f.id
        for f in evaluate(pack, bundle, as_of=first).findings
        if f.rule in CURRENCY_RULES
        and f.status is Status.NOT_MET
        and f.due_on is not None
        and f.due_on < first
    }
    # The same edition on a later date, which may be past its end: asked for explicitly.
    judged = evaluate(pack, bundle, as_of=later, allow_out_of_force=True)
    again = {f.id: f for f in judged.findings if f.id in lapsed}
    assert [f"{f.id}: {f.message}" for f in again.values() if f.status is Status.MET] == []


@given(st.sampled_from(REFS), st.integers(1, 3 * 366), st.data())
def test_a_lapsed_check_never_becomes_current_again(
    ref: str, days: int, data: st.DataObject
) -> None:
    pack = PACKS[ref]
    first = as_of_for(pack)
    bundle = data.draw(evidence_bundles(pack, as_of=first))
    _lapsed_stay_lapsed(pack, bundle, first, first + dt.timedelta(days=days))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(packs(max_requirements=10), st.integers(1, 3 * 366), st.data())
def test_a_lapse_never_heals_under_any_pack(pack: Pack, days: int, data: st.DataObject) -> None:
    bundle = data.draw(evidence_bundles(pack, as_of=AS_OF, max_people=4))
    _lapsed_stay_lapsed(pack, bundle, AS_OF, AS_OF + dt.timedelta(days=days))


def _later(done: dt.date | None, applied: dt.date | None, after: dt.date) -> bool:
    # Wholly later: done after ``after``, and not applied for by then either (a check applied
    # for on or before as_of and done later was pending on as_of, which is a fact about as_of).
    return done is not None and done > after and (applied is None or applied > after)


def _later_records(person: Person, after: dt.date) -> dict[str, tuple[Any, ...]]:
    """The records of ``person`` dated after ``after``, by field."""
    return {
        "dbs_checks": tuple(
            c for c in person.dbs_checks if _later(c.issued_on, c.applied_on, after)
        ),
        "training": tuple(t for t in person.training if t.completed_on and t.completed_on > after),
        "references": tuple(
            r for r in person.references if _later(r.received_on, r.requested_on, after)
        ),
        "suitability_checks": tuple(
            c for c in person.suitability_checks if _later(c.checked_on, c.applied_on, after)
        ),
        "risk_assessments": tuple(
            r for r in person.risk_assessments if r.completed_on and r.completed_on > after
        ),
    }


@given(st.sampled_from(REFS), st.integers(1, 2 * 366), st.data())
def test_records_dated_after_as_of_never_count(ref: str, days: int, data: st.DataObject) -> None:
    """docs/dates.md rule 8: adding records dated after as_of changes no finding on as_of, so
    re-running an old as_of reproduces the old result."""
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    bundle = data.draw(evidence_bundles(pack, as_of=as_of), label="as it stood")
    later = data.draw(
        evidence_bundles(as_of=as_of + dt.timedelta(days=days), min_people=len(bundle.people)),
        label="records from later",
    )
    people = []
    for mine, theirs in zip(bundle.people, later.people, strict=False):
        extra = _later_records(theirs, as_of)
        people.append(attrs.evolve(mine, **{k: (*getattr(mine, k), *v) for k, v in extra.items()}))
    future_policies = tuple(p for p in later.policies if p.approved_on and p.approved_on > as_of)
    grown = attrs.evolve(
        bundle,
        people=(*people, *bundle.people[len(people) :]),
        policies=(*bundle.policies, *future_policies),
    )
    before = evaluate(pack, bundle, as_of=as_of).findings
    after = evaluate(pack, grown, as_of=as_of).findings
    assert after == before


# -- an unknown start ------------------------------------------------------------------------------


def _without_start(bundle: EvidenceBundle, pi: int, ei: int) -> EvidenceBundle:
    """``bundle`` with the start date of person ``pi``'s engagement ``ei`` removed."""
    people = list(bundle.people)
    person = people[pi]
    engagements = list(person.engagements)
    engagements[ei] = attrs.evolve(engagements[ei], start_on=None)
    people[pi] = attrs.evolve(person, engagements=tuple(engagements))
    return attrs.evolve(bundle, people=tuple(people))


def _unknown_start_never_helps(
    pack: Pack, bundle: EvidenceBundle, as_of: dt.date, data: st.DataObject
) -> None:
    """docs/dates.md rule 7: removing a start date never removes a finding about anyone on the
    record (the engagement is taken as in force; a requirement's one finding about no one,
    ``person:-``, gives way to findings about the person now judged) and never turns not_met or
    insufficient_evidence into met (what turns on the start asks for it)."""
    starts = [
        (pi, ei)
        for pi, person in enumerate(bundle.people)
        for ei, engagement in enumerate(person.engagements)
        if engagement.start_on is not None
    ]
    if not starts:
        return
    pi, ei = data.draw(st.sampled_from(starts), label="engagement losing its start")
    plan = compile_pack(pack)
    before = _statuses(plan, bundle, as_of)
    after = _statuses(plan, _without_start(bundle, pi, ei), as_of)
    gone = sorted(f for f in set(before) - set(after) if not f.endswith(":-"))
    assert gone == []
    assert {f.rsplit("/", 1)[0] for f in after} == {f.rsplit("/", 1)[0] for f in before}
    unmet = (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE)
    healed = [f for f, s in before.items() if s in unmet and after.get(f) is Status.MET]
    assert healed == []


@given(st.sampled_from(REFS), st.data())
def test_an_unknown_start_never_drops_a_finding_or_passes_one(
    ref: str, data: st.DataObject
) -> None:
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    _unknown_start_never_helps(pack, data.draw(evidence_bundles(pack, as_of=as_of)), as_of, data)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(packs(max_requirements=10), st.data())
def test_an_unknown_start_never_helps_under_any_pack(pack: Pack, data: st.DataObject) -> None:
    bundle = data.draw(evidence_bundles(pack, as_of=AS_OF, max_people=4))
    _unknown_start_never_helps(pack, bundle, AS_OF, data)
