"""The report model: ratings, the not-met table, lapses, people, metrics, and bad inputs."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from report_fixtures import AS_OF, assess, bundle, pack

from safeguard_std.domain.findings import Assessment, Finding, Status, SubjectRef
from safeguard_std.domain.pack import DutyHolder, Modality, SubjectType
from safeguard_std.evaluate import evaluate
from safeguard_std.exceptions import ReportError, SafeguardError
from safeguard_std.reports import Rating, build_report, compute_metrics
from safeguard_std.reports._format import percent, ratio_text, stable_uuid
from safeguard_std.reports.metrics import metric_requirements


def _finding(rid: str, status: Status, modality: Modality = Modality.MUST, **kw: object) -> Finding:
    subject = kw.pop("subject", SubjectRef(SubjectType.PROVIDER, "prov-1"))
    return Finding(
        id=f"t/{rid}/{subject}",
        pack="t",
        requirement_id=rid,
        section=str(kw.pop("section", "1")),
        modality=modality,
        duty_holder=DutyHolder.PROVIDER,
        subject=subject,  # type: ignore[arg-type]
        status=status,
        message=f"{rid} is {status.value}",
        rule=str(kw.pop("rule", "role_held")),
        **kw,  # type: ignore[arg-type]
    )


def _with(a: Assessment, *findings: Finding) -> Assessment:
    return attrs.evolve(a, findings=tuple(findings))


# -- ratings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "rating", "reason"),
    [
        ([(Status.NOT_MET, Modality.MUST)], Rating.RED, "1 must finding(s) not met"),
        (
            [(Status.NOT_MET, Modality.SHOULD), (Status.MET, Modality.MUST)],
            Rating.AMBER,
            "1 should/recommended finding(s) not met",
        ),
        (
            [(Status.NOT_MET, Modality.RECOMMENDED)],
            Rating.AMBER,
            "1 should/recommended finding(s) not met",
        ),
        (
            [(Status.INSUFFICIENT_EVIDENCE, Modality.MUST)],
            Rating.AMBER,
            "1 finding(s) without sufficient evidence or in error",
        ),
        (
            [(Status.ERROR, Modality.MUST)],
            Rating.AMBER,
            "1 finding(s) without sufficient evidence or in error",
        ),
        (
            [(Status.MET, Modality.MUST), (Status.WAIVED, Modality.MUST)],
            Rating.GREEN,
            "all 2 applicable finding(s) met or waived",
        ),
        ([(Status.NOT_APPLICABLE, Modality.MUST)], Rating.NOT_ASSESSED, "nothing applies"),
        ([], Rating.NOT_ASSESSED, "nothing applies"),
    ],
)
def test_section_rating_rule(
    harbour_demo: tuple, statuses: list, rating: Rating, reason: str
) -> None:
    _, _, a = harbour_demo
    findings = [_finding(f"R-{n}", s, m) for n, (s, m) in enumerate(statuses)]
    report = build_report(_with(a, *findings))
    section = next(s for s in report.sections if s.id == "1")
    assert (section.rating, section.reason) == (rating, reason)


def test_overall_is_the_worst_section(harbour_demo: tuple) -> None:
    _, _, a = harbour_demo
    report = build_report(
        _with(
            a,
            _finding("A", Status.MET, section="1"),
            _finding("B", Status.NOT_MET, Modality.SHOULD, section="2"),
        )
    )
    assert [s.rating for s in report.sections] == [Rating.GREEN, Rating.AMBER]
    assert report.overall is Rating.AMBER


def test_not_met_grouped_by_section_and_ordered_by_modality(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    report = build_report(a, pack=p, bundle=b)
    assert [s.id for s, _ in report.issues] == ["1", "2", "3", "4"]
    recruitment = dict((s.id, found) for s, found in report.issues)["2"]
    assert [(f.modality.value, f.requirement_id, str(f.subject)) for f in recruitment] == [
        ("must", "MON-5", "person:hy-002"),
        ("must", "MON-5", "person:hy-007"),  # starts after as_of with no checks (issue 16)
        ("must", "MON-5", "person:hy-003"),
        ("should", "MON-7", "person:hy-002"),
        ("should", "MON-7", "person:hy-007"),
        ("recommended", "MON-6", "person:hy-002"),
        ("recommended", "MON-6", "person:hy-007"),
    ]


# -- lapses --------------------------------------------------------------------------------------


def test_lapses_within_the_horizon(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    report = build_report(a, pack=p, bundle=b, horizon_days=90)
    assert [
        (str(lp.finding.due_on), lp.days_left, lp.what, lp.finding.requirement_id)
        for lp in report.lapses
    ] == [
        ("2026-12-10", 17, "policy review", "MON-2"),
        ("2026-12-20", 27, "DBS renewal", "MON-6"),
        ("2027-01-10", 48, "DBS renewal", "MON-6"),
        ("2027-01-15", 53, "training refresher", "MON-8"),
        ("2027-02-20", 89, "training refresher", "MON-8"),
    ]
    assert report.horizon_end == dt.date(2027, 2, 21)


def test_horizon_bounds_are_inclusive(harbour_monitoring: tuple) -> None:
    p, _b, a = harbour_monitoring
    assert [lp.days_left for lp in build_report(a, pack=p, horizon_days=17).lapses] == [17]
    assert build_report(a, pack=p, horizon_days=16).lapses == ()
    due_today = _finding("T", Status.MET, rule="policy_current", due_on=AS_OF)
    assert [lp.days_left for lp in build_report(_with(a, due_today), horizon_days=0).lapses] == [0]


@pytest.mark.parametrize("horizon", [0, 90, 3660])
def test_the_horizon_stops_at_the_calendars_last_day(
    harbour_monitoring: tuple, horizon: int
) -> None:
    # A horizon past 9999-12-31 would overflow; no date falls after it, so none is lost.
    p, b, _ = harbour_monitoring
    last = dt.date.max
    a = evaluate(p, b, as_of=last)
    due_last = _finding("T", Status.MET, rule="policy_current", due_on=last)
    report = build_report(_with(a, due_last), horizon_days=horizon)
    assert report.horizon_end == last
    assert [(lp.finding.requirement_id, lp.days_left) for lp in report.lapses] == [("T", 0)]
    early = build_report(a, pack=p, bundle=b, horizon_days=horizon)
    assert early.horizon_end == last


def test_the_horizon_ends_on_its_day_up_to_the_calendars_last(harbour_monitoring: tuple) -> None:
    _p, _b, a = harbour_monitoring
    on_time = attrs.evolve(a, as_of=dt.date(9999, 10, 2))
    assert build_report(on_time, horizon_days=90).horizon_end == dt.date(9999, 12, 31)
    one_day_on = attrs.evolve(a, as_of=dt.date(9999, 10, 3))
    assert build_report(one_day_on, horizon_days=90).horizon_end == dt.date(9999, 12, 31)
    assert build_report(one_day_on, horizon_days=88).horizon_end == dt.date(9999, 12, 30)


def test_an_induction_deadline_already_met_is_not_a_lapse() -> None:
    p, b, a = assess("monitoring@1", "oakfield")
    report = build_report(a, pack=p, bundle=b)
    inductions = [lp for lp in report.lapses if lp.finding.rule == "training_by_start"]
    # oa-003 started 2026-11-02 and is not yet due: listed; completed inductions never are.
    assert [(str(lp.finding.subject), lp.what) for lp in inductions] == [
        ("person:oa-003", "induction training")
    ]


# -- people ---------------------------------------------------------------------------------------


def test_people_by_id_without_names(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    report = build_report(a, pack=p, bundle=b)
    assert [(x.person_id, x.name) for x in report.people] == [
        ("hy-001", None),
        ("hy-002", None),
        ("hy-003", None),
        ("hy-004", None),
        ("hy-005", None),
        ("hy-007", None),  # not started yet: judged on the checks due before they start
    ]
    assert report.names == {}


def test_names_need_both_the_flag_and_the_bundle(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    named = build_report(a, pack=p, bundle=b, include_personal_data=True)
    assert named.people[1].name == "Tomasz Wójcik"
    assert named.names_available
    unnamed = build_report(a, pack=p, include_personal_data=True)
    assert not unnamed.names_available
    assert all(x.name is None for x in unnamed.people)


def test_sole_trader_name_is_personal() -> None:
    p, b, a = assess("demo@1", "riverside")
    assert build_report(a, pack=p, bundle=b).provider_name is None
    assert build_report(a, pack=p, bundle=b, include_personal_data=True).provider_name == (
        "Amara Okafor"
    )
    p, b, a = assess("demo@1", "harbour")
    assert build_report(a, pack=p, bundle=b).provider_name == "Harbour Youth Club"


# -- metrics --------------------------------------------------------------------------------------


def test_metrics_from_tags(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    metrics = {m.id: m for m in compute_metrics(a, p, b)}
    assert list(metrics) == ["dbs", "training", "policies", "actions", "records"]
    dbs = metrics["dbs"]
    # hy-001 and hy-005 comply; hy-002 has a basic check; hy-003's barred list is unknown;
    # hy-004 is not in regulated activity, so is not counted at all.
    assert (dbs.numerator, dbs.denominator, dbs.percent, dbs.measured_by) == (2, 4, "50.0", "tags")
    assert dict(dbs.counts) == {
        "not_met": 1,
        "error": 0,
        "insufficient_evidence": 1,
        "waived": 0,
        "met": 2,
    }
    assert metrics["policies"].display == "2/3 (66.7%)"
    assert metrics["training"].display == "3/5 (60.0%)"
    actions = metrics["actions"]
    assert (actions.kind, actions.measured_by, actions.display) == (
        "count",
        "evidence",
        "2 open (1 overdue) of 3",
    )
    assert dict(actions.counts) == {"open": 2, "overdue": 1, "no_deadline": 0, "completed": 1}
    assert metrics["records"].title == "Records"


def test_metrics_inferred_from_rule_kinds(harbour_demo: tuple) -> None:
    p, b, a = harbour_demo
    assert metric_requirements(p) == {
        "dbs": (("DEMO-3", "DEMO-4"), "rule kinds"),
        "training": ((), "nothing"),
        "policies": (("DEMO-2",), "rule kinds"),
        "actions": ((), "nothing"),
    }
    metrics = {m.id: m for m in compute_metrics(a, p, b)}
    assert metrics["dbs"].display == "2/4 (50.0%)"
    assert metrics["training"].display == "none to measure"
    assert metrics["training"].note == "no requirement of this pack measures it"


def test_actions_without_the_bundle_fall_back_on_findings(harbour_monitoring: tuple) -> None:
    p, _, a = harbour_monitoring
    actions = {m.id: m for m in compute_metrics(a, p, None)}["actions"]
    assert (actions.measured_by, actions.display) == ("findings", "1 overdue")


def test_a_tag_takes_over_from_inference(harbour_demo: tuple) -> None:
    p, _, _ = harbour_demo
    tagged = attrs.evolve(
        p,
        requirements=tuple(
            attrs.evolve(r, tags=("metric:dbs",)) if r.id == "DEMO-3" else r for r in p.requirements
        ),
    )
    assert metric_requirements(tagged)["dbs"] == (("DEMO-3",), "tags")


@pytest.mark.parametrize(
    ("num", "den", "pct", "text"),
    [
        (2, 3, "66.7", "2/3 (66.7%)"),
        (1, 8, "12.5", "1/8 (12.5%)"),
        (1, 16, "6.3", "1/16 (6.3%)"),
        (0, 5, "0.0", "0/5 (0.0%)"),
        (5, 5, "100.0", "5/5 (100.0%)"),
        (0, 0, None, "none to measure"),
    ],
)
def test_percentages_are_exact_and_round_half_up(
    num: int, den: int, pct: str | None, text: str
) -> None:
    assert percent(num, den) == pct
    assert ratio_text(num, den) == text


def test_stable_uuids_are_pinned() -> None:
    # uuid5 under a fixed namespace: this value must never change between releases.
    assert (
        stable_uuid("finding", "demo/DEMO-1/provider:p") == "a95062b1-07af-5f80-89fb-5e6f705596b5"
    )
    assert stable_uuid("finding", "a") != stable_uuid("observation", "a")


# -- bad inputs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("horizon", [-1, 3661, True, 1.5, "90"])
def test_horizon_out_of_range(harbour_demo: tuple, horizon: object) -> None:
    _, _, a = harbour_demo
    with pytest.raises(ReportError) as info:
        build_report(a, horizon_days=horizon)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"horizon must be a whole number of days from 0 to 3660, got {horizon!r}"
    )
    assert isinstance(info.value, (SafeguardError, ValueError))


def test_another_packs_assessment_is_refused(harbour_demo: tuple) -> None:
    _, _, a = harbour_demo
    other = pack("monitoring@1")
    with pytest.raises(ReportError) as info:
        build_report(a, pack=other)
    assert str(info.value) == (
        "the pack monitoring@1 is not the one the assessment was made against "
        f"(demo@1, {a.pack_digest})"
    )


def test_another_bundle_is_refused(harbour_demo: tuple) -> None:
    p, _, a = harbour_demo
    with pytest.raises(ReportError) as info:
        build_report(a, pack=p, bundle=bundle("meadow"))
    assert str(info.value) == (
        "the evidence bundle 'bundle-meadow-2026' is not the one the assessment judged "
        f"('bundle-harbour-2026', {a.evidence_digest})"
    )


def test_an_edited_bundle_with_the_same_id_is_refused(harbour_demo: tuple) -> None:
    p, b, a = harbour_demo
    edited = attrs.evolve(b, people=b.people[1:])
    with pytest.raises(ReportError):
        build_report(a, pack=p, bundle=edited)


def test_the_report_for_a_later_date_moves_the_horizon() -> None:
    p, b, _ = assess("monitoring@1", "harbour")
    later = evaluate(p, b, as_of=dt.date(2027, 1, 11))
    report = build_report(later, pack=p, bundle=b, horizon_days=10)
    assert [(str(lp.finding.due_on), lp.finding.requirement_id) for lp in report.lapses] == [
        ("2027-01-15", "MON-8")
    ]
