"""Rule-kind options the City & Hackney pack needs, each at its boundaries.

* ``check_present`` for DBS with ``require_certificate_number`` (CHSCB item 4: commissioners
  record the DBS numbers of contracted staff);
* ``recent_record`` with ``first_due_after_contract_start`` (a new contract owes its first
  Section 11 cycle audit, monitoring meeting or thematic check one period after it starts).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from safeguard_std.domain.findings import Status
from safeguard_std.evaluate import evaluate
from safeguard_std.exceptions import PackError
from safeguard_std.serialization import assessment_to_json
from tests.support import judge, make_bundle, make_pack

D = dt.date
DBS: dict[str, Any] = {
    "id": "dbs-1",
    "certificate_number": "001234567890",
    "level": "enhanced",
    "issued_on": "2024-02-29",
}
NUMBER = {
    "kind": "check_present",
    "check": "dbs",
    "require_certificate_number": True,
    "require_date": True,
}


def test_certificate_number_recorded_is_met_without_showing_the_number() -> None:
    bundle = make_bundle(dbs_checks=[DBS])
    finding = judge(NUMBER, bundle, D(2026, 1, 1))
    assert (finding.status, finding.message) == (Status.MET, "enhanced DBS check recorded")
    assert finding.facts["certificate_number_recorded"] is True
    pack = make_pack({"rule": NUMBER})
    text = assessment_to_json(evaluate(pack, bundle, as_of=D(2026, 1, 1)))
    assert "001234567890" not in text


def test_missing_certificate_number_is_not_met() -> None:
    finding = judge(
        NUMBER, make_bundle(dbs_checks=[{**DBS, "certificate_number": None}]), D(2026, 1, 1)
    )
    assert (finding.status, finding.message) == (
        Status.NOT_MET,
        "the certificate number of the DBS check is not recorded",
    )
    assert finding.facts["certificate_number_recorded"] is False
    assert finding.evidence == ("dbs-1",)


def test_the_latest_certificate_is_the_one_that_must_carry_the_number() -> None:
    older = {**DBS, "id": "dbs-0", "issued_on": "2020-01-01"}
    newer = {**DBS, "id": "dbs-2", "issued_on": "2025-01-01", "certificate_number": None}
    finding = judge(NUMBER, make_bundle(dbs_checks=[older, newer]), D(2026, 1, 1))
    assert (finding.status, finding.evidence) == (Status.NOT_MET, ("dbs-2",))


def test_missing_issue_date_is_reported_before_the_number() -> None:
    dbs = {**DBS, "issued_on": None, "certificate_number": None}
    finding = judge(NUMBER, make_bundle(dbs_checks=[dbs]), D(2026, 1, 1))
    assert finding.message == "the date of the DBS check is not recorded"


def test_certificate_number_option_is_only_for_dbs() -> None:
    rule = {"kind": "check_present", "check": "identity", "require_certificate_number": True}
    with pytest.raises(PackError) as err:
        make_pack({"rule": rule})
    assert "parameter(s) ['require_certificate_number'] do not apply to check 'identity'" in str(
        err.value
    )


CONTRACT: dict[str, Any] = {
    "id": "c-1",
    "commissioner": "Test Council",
    "start_on": "2024-02-29",
    "risk_tier": "high",
}
S11 = {
    "kind": "recent_record",
    "records": "section11_audits",
    "where": {"stage": "cycle"},
    "period": "P2Y",
    "first_due_after_contract_start": True,
}


def _contract(**more: Any) -> dict[str, Any]:
    return {"contract": {**CONTRACT, **more}}


@pytest.mark.parametrize(
    ("as_of", "status", "message"),
    [
        (
            D(2026, 2, 27),
            Status.NOT_APPLICABLE,
            "no section11 audits yet; the first is due by 2026-02-28",
        ),
        (
            D(2026, 2, 28),
            Status.NOT_APPLICABLE,
            "no section11 audits yet; the first is due by 2026-02-28",
        ),
        (
            D(2026, 3, 1),
            Status.NOT_MET,
            "no section11 audits recorded; the first was due by 2026-02-28",
        ),
    ],
)
def test_first_record_due_one_period_after_the_contract_starts(
    as_of: dt.date, status: Status, message: str
) -> None:
    finding = judge(S11, make_bundle(_contract()), as_of, subject="contract")
    assert (finding.status, finding.message) == (status, message)
    assert finding.due_on == D(2026, 2, 28)
    assert finding.facts["first_due_on"] == "2026-02-28"


def test_a_record_before_the_first_due_date_does_not_bring_it_forward() -> None:
    audits = [{"id": "s11-0", "stage": "cycle", "submitted_on": "2023-01-10"}]
    bundle = make_bundle(_contract(section11_audits=audits))
    finding = judge(S11, bundle, D(2026, 2, 28), subject="contract")
    assert (finding.status, finding.due_on) == (Status.MET, D(2026, 2, 28))
    assert judge(S11, bundle, D(2026, 3, 1), subject="contract").status is Status.NOT_MET


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2027, 5, 31), Status.MET), (D(2027, 6, 1), Status.MET), (D(2027, 6, 2), Status.NOT_MET)],
)
def test_after_the_first_record_the_period_runs_from_the_record(
    as_of: dt.date, status: Status
) -> None:
    audits = [{"id": "s11-1", "stage": "cycle", "submitted_on": "2025-06-01"}]
    bundle = make_bundle(_contract(section11_audits=audits))
    finding = judge(S11, bundle, as_of, subject="contract")
    assert (finding.status, finding.due_on) == (status, D(2027, 6, 1))


def test_without_a_contract_start_date_missing_records_are_not_met() -> None:
    contract = {k: v for k, v in CONTRACT.items() if k != "start_on"}
    finding = judge(S11, make_bundle({"contract": contract}), D(2025, 1, 1), subject="contract")
    assert (finding.status, finding.message) == (Status.NOT_MET, "no section11 audits recorded")


def test_first_due_uses_the_risk_tier_period() -> None:
    rule = {
        "kind": "recent_record",
        "records": "thematic_checks",
        "period_by_risk_tier": {"high": "P6M", "medium": "P12M", "low": "P24M"},
        "first_due_after_contract_start": True,
    }
    bundle = make_bundle(_contract(risk_tier="medium"))
    finding = judge(rule, bundle, D(2025, 2, 28), subject="contract")
    assert (finding.status, finding.due_on) == (Status.NOT_APPLICABLE, D(2025, 2, 28))
    assert finding.facts["risk_tier"] == "medium"
    assert judge(rule, bundle, D(2025, 3, 1), subject="contract").status is Status.NOT_MET
    untiered = make_bundle(_contract(risk_tier=None))
    finding = judge(rule, untiered, D(2025, 1, 1), subject="contract")
    assert (finding.status, finding.message) == (
        Status.INSUFFICIENT_EVIDENCE,
        "the contract's risk tier is not recorded",
    )


def test_first_due_needs_a_period() -> None:
    rule = {"kind": "recent_record", "records": "thematic_checks"}
    with pytest.raises(PackError) as err:
        make_pack({"rule": {**rule, "first_due_after_contract_start": True}, "subject": "contract"})
    assert "'first_due_after_contract_start' needs 'period' or 'period_by_risk_tier'" in str(
        err.value
    )


def test_findings_from_the_option_serialise() -> None:
    pack = make_pack({"rule": S11, "subject": "contract"})
    out = json.loads(
        assessment_to_json(evaluate(pack, make_bundle(_contract()), as_of=D(2025, 1, 1)))
    )
    (finding,) = out["findings"]
    assert finding["facts"] == {"first_due_on": "2026-02-28"}


MEETINGS = {
    "kind": "every_record",
    "records": "monitoring_meetings",
    "require": {"safeguarding_discussed": True},
}


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2026, 7, 13), Status.MET), (D(2026, 7, 14), Status.NOT_MET)],
)
def test_meetings_after_as_of_are_not_judged(as_of: dt.date, status: Status) -> None:
    meetings = [
        {"id": "mm-1", "held_on": "2026-04-14", "safeguarding_discussed": True},
        {"id": "mm-2", "held_on": "2026-07-14", "safeguarding_discussed": False},
    ]
    bundle = make_bundle(_contract(monitoring_meetings=meetings))
    finding = judge(MEETINGS, bundle, as_of, subject="contract")
    assert finding.status is status
    assert finding.evidence == (("mm-1",) if as_of < D(2026, 7, 14) else ("mm-1", "mm-2"))


def test_meetings_not_yet_held_are_never_judged() -> None:
    meetings = [{"id": "mm-2", "held_on": "2026-07-14", "safeguarding_discussed": False}]
    bundle = make_bundle(_contract(monitoring_meetings=meetings))
    finding = judge(MEETINGS, bundle, D(2026, 1, 1), subject="contract")
    assert (finding.status, finding.message) == (
        Status.INSUFFICIENT_EVIDENCE,
        "no monitoring meetings recorded",
    )
