"""Allegations reported to the LADO within working days, headcount and new-starter facts, and
attestations that a requirement does not apply (issue 20, item 1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeguard_std import InvalidArgument, InvalidPeriod, PackError, Period, add_period, evaluate
from safeguard_std.bank_holidays import england_and_wales
from safeguard_std.domain.calendar import WorkingDays, add_working_days
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.facts import FACTS
from safeguard_std.domain.findings import Status
from safeguard_std.exceptions import EvidenceError
from tests.support import make_bundle, make_pack

D = dt.date
# England and Wales, late summer 2026: Monday 31 August is a bank holiday.
SUMMER = WorkingDays("test", {D(2026, 8, 31)}, 2026, 2026)
NO_HOLIDAYS = WorkingDays("weekdays", frozenset(), 2026, 2026)


# -- periods and calendars ------------------------------------------------------------------------


def test_working_day_periods_parse_and_print() -> None:
    assert Period.parse("P1WD") == Period(working_days=1)
    assert str(Period.parse("P10WD")) == "P10WD"


@pytest.mark.parametrize("text", ["P0WD", "P1Y1WD", "P1WDT", "PWD", "P-1WD"])
def test_bad_working_day_periods_are_refused(text: str) -> None:
    with pytest.raises(InvalidPeriod, match=r"or of working days alone, 'P1WD'"):
        Period.parse(text)


def test_calendar_arithmetic_refuses_a_working_day_period() -> None:
    with pytest.raises(InvalidArgument) as info:
        add_period(D(2026, 8, 28), Period.parse("P1WD"))
    assert str(info.value) == (
        "P1WD counts working days, which calendar arithmetic cannot: use "
        "add_working_days(start, days, calendar)"
    )


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 8, 28), 1, D(2026, 9, 1)),  # Friday before the bank-holiday Monday: Tuesday
        (D(2026, 8, 29), 1, D(2026, 9, 1)),  # Saturday: the holiday Monday does not count
        (D(2026, 8, 31), 1, D(2026, 9, 1)),  # received on the holiday itself: the next day
        (D(2026, 8, 27), 1, D(2026, 8, 28)),  # an ordinary Thursday: Friday
        (D(2026, 8, 27), 2, D(2026, 9, 1)),
    ],
)
def test_working_days_after_a_date(start: dt.date, days: int, due: dt.date) -> None:
    assert add_working_days(start, days, SUMMER) == due
    assert Period(working_days=days).after(start, SUMMER) == due


def test_a_fixed_calendar_refuses_a_year_it_does_not_cover() -> None:
    with pytest.raises(InvalidArgument) as info:
        add_working_days(D(2026, 12, 31), 1, SUMMER)
    assert str(info.value) == "working-day calendar 'test' covers 2026 to 2026, not 2027-01-01"


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (D(2026, 8, 28), D(2026, 9, 1)),  # late summer bank holiday
        (D(2026, 12, 24), D(2026, 12, 29)),  # Christmas Friday, Boxing Day substitute Monday
        (D(2022, 9, 16), D(2022, 9, 20)),  # the Queen's state funeral, Monday 19 September
        (D(2023, 5, 5), D(2023, 5, 9)),  # the coronation bank holiday, Monday 8 May
        (D(2026, 4, 2), D(2026, 4, 7)),  # Maundy Thursday: Good Friday, Easter Monday
    ],
)
def test_england_and_wales_bank_holidays(start: dt.date, due: dt.date) -> None:
    assert add_working_days(start, 1, england_and_wales()) == due


# -- the allegations_reported rule ----------------------------------------------------------------

RULE = {"kind": "allegations_reported", "within": "P1WD"}
AS_OF = D(2026, 9, 30)


def allegations(*items: dict[str, Any]) -> Any:
    return make_bundle({"allegations": list(items)})


def judge(bundle: Any, *, working_days: Any = None, rule: Any = None) -> Any:
    pack = make_pack({"rule": rule or RULE, "subject": "provider"})
    (finding,) = evaluate(pack, bundle, as_of=AS_OF, working_days=working_days).findings
    return finding


def test_reported_the_tuesday_after_a_bank_holiday_weekend_is_in_time() -> None:
    bundle = allegations(
        {"id": "al-1", "received_on": "2026-08-28", "reported_to_lado_on": "2026-09-01"}
    )
    finding = judge(bundle)
    assert finding.status is Status.MET
    assert finding.message == "1 allegation(s), each reported to the LADO within P1WD"
    assert finding.facts["calendar"] == "england-and-wales"
    assert finding.evidence == ("al-1",)
    # Without the bank holiday the same report is a day late: the calendar decides.
    late = judge(bundle, working_days=NO_HOLIDAYS)
    assert late.status is Status.NOT_MET
    assert late.facts["late"] == ["al-1"]
    assert late.facts["calendar"] == "weekdays"


def test_a_late_report_is_not_met_even_beside_one_in_time() -> None:
    finding = judge(
        allegations(
            {"id": "al-1", "received_on": "2026-09-07", "reported_to_lado_on": "2026-09-08"},
            {"id": "al-2", "received_on": "2026-09-07", "reported_to_lado_on": "2026-09-09"},
        )
    )
    assert finding.status is Status.NOT_MET
    assert finding.message == (
        "1 of 2 allegation(s) reported to the LADO later than P1WD after receipt"
    )


def test_no_report_recorded_asks_for_evidence_with_the_day_it_fell_due() -> None:
    finding = judge(allegations({"id": "al-1", "received_on": "2026-09-28"}))
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.message == "1 allegation(s) with no report to the LADO recorded"
    assert finding.due_on == D(2026, 9, 29)


def test_an_undated_allegation_asks_for_evidence() -> None:
    finding = judge(allegations({"id": "al-1", "reported_to_lado_on": "2026-09-08"}))
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.facts["undated"] == ["al-1"]


def test_no_allegations_log_asks_for_one_and_an_empty_log_does_not_apply() -> None:
    missing = judge(make_bundle())
    assert missing.status is Status.INSUFFICIENT_EVIDENCE
    assert missing.message == (
        "the evidence has no allegations log (record 'allegations: []' if none were received)"
    )
    assert judge(allegations()).status is Status.NOT_APPLICABLE


def test_low_level_concerns_and_later_allegations_are_not_judged() -> None:
    finding = judge(
        allegations(
            {"id": "al-1", "received_on": "2026-09-01", "low_level_concern": True},
            {"id": "al-2", "received_on": "2026-10-05"},
        )
    )
    assert finding.status is Status.NOT_APPLICABLE


def test_a_report_before_receipt_is_refused_when_the_evidence_loads() -> None:
    with pytest.raises(EvidenceError, match=r"reported_to_lado_on"):
        allegations(
            {"id": "al-1", "received_on": "2026-09-08", "reported_to_lado_on": "2026-09-07"}
        )


def test_the_period_can_be_a_pack_parameter() -> None:
    pack = make_pack(
        {
            "rule": {"kind": "allegations_reported", "within": {"param": "lado"}},
            "subject": "provider",
        },
        parameters={"lado": {"value": "P1WD"}},
    )
    bundle = allegations(
        {"id": "al-1", "received_on": "2026-08-28", "reported_to_lado_on": "2026-09-01"}
    )
    (finding,) = evaluate(pack, bundle, as_of=AS_OF).findings
    assert finding.status is Status.MET
    assert pack.parameters["lado"].value == Period(working_days=1)


def test_a_rule_that_counts_calendar_time_refuses_a_working_day_period() -> None:
    with pytest.raises(PackError) as info:
        make_pack({"rule": {"kind": "check_current", "check": "dbs", "period": "P1WD"}})
    assert str(info.value) == (
        "invalid pack: requirement R-1: rule kind 'check_current' parameter 'period' is not a "
        "duration: expected an ISO 8601 duration such as P3Y, P12M, P2W or P90D, got 'P1WD' @ "
        "t/1/pack.yaml $.requirements[0].rule.period (line 22, column 5) (this rule counts "
        "calendar time; working days (P1WD) are for rules that count them, such as "
        "allegations_reported)"
    )


def test_evaluate_refuses_something_that_is_not_a_calendar() -> None:
    with pytest.raises(InvalidArgument, match=r"working_days must be a working-day calendar"):
        judge(allegations(), working_days="england")


# -- facts: headcount and new starters ------------------------------------------------------------


def _applies(predicate: dict[str, Any], bundle: Any, subject: str = "provider") -> Status:
    rule = {"kind": "role_held", "roles": ["deputy_dsl"]}
    if subject == "person":
        rule = {"kind": "training_current", "courses": ["induction_safeguarding"]}
    pack = make_pack({"rule": rule, "subject": subject, "applies_when": predicate})
    (finding,) = evaluate(pack, bundle, as_of=AS_OF).findings
    return finding.status


def test_a_deputy_dsl_where_there_are_ten_or_more_staff() -> None:
    ten = {"field": "provider.headcount", "ge": 10}
    provider = {"id": "prov-1", "name": "T", "kind": "youth", "legal_form": "charity"}
    small = make_bundle({"provider": {**provider, "headcount": 4}})
    large = make_bundle({"provider": {**provider, "headcount": 12}})
    assert _applies(ten, small) is Status.NOT_APPLICABLE
    assert _applies(ten, large) is Status.NOT_MET  # no deputy DSL on record
    # Undeclared, or fewer than the one person engaged on record: unknown, never "small" (a
    # condition over an unknown fact asks for evidence: the evaluator's three-valued logic).
    fact = FACTS["provider.headcount"]
    for headcount, known in ((None, None), (0, None), (1, 1), (12, 12)):
        bundle = make_bundle({"provider": {**provider, "headcount": headcount}})
        ctx = EvaluationContext.build(bundle, AS_OF)
        assert fact.getter(bundle.provider, ctx) == known
    assert FACTS["provider.staff_on_record"].getter(small.provider, ctx) == 1


def test_new_starters_are_singled_out_by_days_since_start() -> None:
    first_week = {"field": "person.days_since_start", "lt": 7}
    engagement = {"id": "e-1", "role_type": "employee", "regulated_activity": "yes"}
    new = make_bundle(engagements=[{**engagement, "start_on": "2026-09-28"}])
    old = make_bundle(engagements=[{**engagement, "start_on": "2020-01-06"}])
    assert _applies(first_week, new, "person") is Status.NOT_MET
    assert _applies(first_week, old, "person") is Status.NOT_APPLICABLE


# -- attestations that a requirement does not apply -----------------------------------------------


def test_a_not_applicable_attestation_must_say_why() -> None:
    with pytest.raises(EvidenceError) as info:
        make_bundle(
            {
                "attestations": [
                    {
                        "id": "att-1",
                        "requirement_id": "R-1",
                        "outcome": "not_applicable",
                        "attested_on": "2026-09-01",
                    }
                ]
            }
        )
    assert "must say why in 'statement'" in str(info.value)
    assert "$.attestations[0].statement" in str(info.value)


def _na(requirement_id: str = "R-1") -> dict[str, Any]:
    return {
        "id": "att-na",
        "requirement_id": requirement_id,
        "outcome": "not_applicable",
        "attested_on": "2026-09-01",
        "statement": "we have never received an allegation and hold no log",
    }


def test_a_not_applicable_attestation_answers_what_no_record_shows() -> None:
    bundle = make_bundle({"attestations": [_na()]})
    finding = judge(bundle)
    assert finding.status is Status.NOT_APPLICABLE
    assert finding.message.startswith(
        "attested as not applicable on 2026-09-01 by att-na: we have never received an "
        "allegation and hold no log; without it: the evidence has no allegations log"
    )
    assert finding.facts["because"] == "we have never received an allegation and hold no log"
    assert "att-na" in finding.evidence


def test_a_not_applicable_attestation_never_overrides_a_record() -> None:
    bundle = make_bundle(
        {
            "attestations": [_na()],
            "allegations": [
                {"id": "al-1", "received_on": "2026-09-07", "reported_to_lado_on": "2026-09-09"}
            ],
        }
    )
    finding = judge(bundle)
    assert finding.status is Status.NOT_MET
    # Used or reported, never silently dropped (issue 16): the finding says it was not used.
    assert finding.facts["attestation_not_used"] == {
        "id": "att-na",
        "reason": "the records show not_met; an attestation that the requirement does not "
        "apply counts only where the records cannot show it",
    }


def test_an_attested_requirement_answers_not_applicable_with_the_reason() -> None:
    bundle = make_bundle({"attestations": [_na()]})
    finding = judge(bundle, rule={"kind": "attested"})
    assert finding.status is Status.NOT_APPLICABLE
    assert finding.facts["because"] == "we have never received an allegation and hold no log"
