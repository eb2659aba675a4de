"""No requirement vanishes, and no unknown becomes "not applicable", for any pack and bundle.

* Coverage: every active requirement of the resolved pack (less those of an included layer whose
  condition is false for the provider) has at least one finding in every assessment; the
  summary counts every finding; the JSON report, SARIF's rules and JUnit's test cases show
  exactly that set; Markdown and HTML list every requirement that needs action.
* Unknown is not false: a finding is ``not_applicable`` by its ``applies_when`` only where the
  condition is *known* to be false for its subject.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.facts import FACTS
from safeguard_std.domain.findings import Assessment, Status
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack, SubjectType
from safeguard_std.domain.predicates import bind_params, compile_predicate
from safeguard_std.evaluate import evaluate
from safeguard_std.reports import to_html, to_json, to_junit, to_markdown, to_sarif
from safeguard_std.strategies import evidence_bundles, packs
from tests.property.support import AS_OF, PACKS, as_of_for

REFS = sorted(PACKS)
SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


def _truth(pred: Any, subject: object, ctx: EvaluationContext, pack: Pack) -> bool | None:
    bound = bind_params(pred, lambda name: pack.parameters[name].value)
    compiled = compile_predicate(bound, lambda f: FACTS[f].getter, lambda f: FACTS[f].unknown)
    return compiled(subject, ctx)


def _expected(pack: Pack, bundle: EvidenceBundle, ctx: EvaluationContext) -> set[str]:
    return {
        r.id
        for r in pack.requirements
        if not r.withdrawn
        and (
            r.included_when is None
            or _truth(r.included_when, bundle.provider, ctx, pack) is not False
        )
    }


def _check_coverage(pack: Pack, bundle: EvidenceBundle, assessment: Assessment) -> None:
    ctx = EvaluationContext.build(bundle, assessment.as_of)
    wanted = _expected(pack, bundle, ctx)
    judged = {f.requirement_id for f in assessment.findings}
    assert judged == wanted, f"missing {sorted(wanted - judged)}, extra {sorted(judged - wanted)}"
    summary = assessment.summary
    assert summary.total == len(assessment.findings) == sum(summary.by_status.values())

    data = json.loads(to_json(assessment, pack=pack))
    assert {f["requirement"] for f in data["findings"]} == wanted
    sarif = json.loads(to_sarif(assessment, pack=pack))
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(wanted)
    assert {r["id"] for r in rules} == wanted
    junit = ET.fromstring(to_junit(assessment, pack=pack))
    names = {(case.get("name") or "").split(" ", 1)[0] for case in junit.iter("testcase")}
    assert names == wanted
    assert len(list(junit.iter("testcase"))) == len(assessment.findings)
    # The reader's formats list what needs action: every requirement with such a finding.
    open_ = {Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.ERROR}
    markdown, html = to_markdown(assessment, pack=pack), to_html(assessment, pack=pack)
    for rid in {f.requirement_id for f in assessment.findings if f.status in open_}:
        assert rid in markdown
        assert rid in html


def _subject(kind: SubjectType, sid: str | None, ctx: EvaluationContext) -> object:
    bundle = ctx.bundle
    if kind is SubjectType.PROVIDER:
        return bundle.provider
    if kind is SubjectType.PERSON:
        return ctx.people_by_id[sid or ""]
    if kind is SubjectType.CONTRACT:
        return bundle.contract
    pools: dict[SubjectType, Any] = {
        SubjectType.POLICY: bundle.policies,
        SubjectType.PANEL: bundle.recruitment_panels,
        SubjectType.SELF_AUDIT: bundle.self_audits,
        SubjectType.MONITORING_MEETING: bundle.contract.monitoring_meetings
        if bundle.contract
        else (),
    }
    return next(i for i in pools[kind] if i.id == sid)


def _check_unknown_is_not_false(pack: Pack, assessment: Assessment, bundle: EvidenceBundle) -> None:
    ctx = EvaluationContext.build(bundle, assessment.as_of)
    by_id = {r.id: r for r in pack.requirements}
    for finding in assessment.findings:
        req = by_id[finding.requirement_id]
        if req.applies_when is None or finding.subject.id is None:
            continue
        subject = _subject(finding.subject.type, finding.subject.id, ctx)
        if subject is None:
            continue
        truth = _truth(req.applies_when, subject, ctx, pack)
        if truth is None:
            assert finding.status is not Status.NOT_APPLICABLE or (
                finding.message != "does not apply (applies_when)"
            ), finding.id
            # Never not_met on an unknown condition (unless a reader attested it so);
            # not_applicable only for the rule's own reason, never for the condition.
            attested = finding.facts.get("attested") in ("not_met", "partially_met")
            assert finding.status is not Status.NOT_MET or attested, (finding.id, finding.message)
            assert "applies_when_unknown" in finding.facts or finding.status is Status.WAIVED
        if finding.message == "does not apply (applies_when)":
            assert truth is False, finding.id


@settings(max_examples=25, suppress_health_check=SLOW)
@given(packs(max_requirements=8), st.data())
def test_every_requirement_of_any_pack_appears_for_any_bundle(
    pack: Pack, data: st.DataObject
) -> None:
    bundle = data.draw(evidence_bundles(pack, as_of=AS_OF, max_people=3))
    assessment = evaluate(pack, bundle, as_of=AS_OF)
    _check_coverage(pack, bundle, assessment)
    _check_unknown_is_not_false(pack, assessment, bundle)


@settings(max_examples=10, suppress_health_check=SLOW)
@given(st.sampled_from(REFS), st.data())
def test_every_requirement_of_the_suites_packs_appears(ref: str, data: st.DataObject) -> None:
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    bundle = data.draw(evidence_bundles(pack, as_of=as_of, max_people=3))
    assessment = evaluate(pack, bundle, as_of=as_of)
    _check_coverage(pack, bundle, assessment)
    _check_unknown_is_not_false(pack, assessment, bundle)


def test_a_bundle_with_nothing_in_it_still_shows_every_requirement() -> None:
    from safeguard_std.domain.organisation import Provider

    provider = Provider(id="prov-empty", name="Empty", kind="youth", legal_form="unknown")
    empty = EvidenceBundle(id="b-empty", provider=provider)
    for ref in REFS:
        pack = PACKS[ref]
        as_of = as_of_for(pack)
        assessment = evaluate(pack, empty, as_of=as_of)
        _check_coverage(pack, empty, assessment)
        _check_unknown_is_not_false(pack, assessment, empty)
