"""The corrected readings of the Dorset and CHSCB packs (issue 16, item 7), at unit level: the
facts and rule options they rest on. The pack tests under standards/*/tests show each reading
on the packs themselves."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.facts import FACTS
from safeguard_std.domain.predicates import (
    Compare,
    ParamRef,
    bind_params,
    parse_predicate,
    predicate_to_data,
)
from safeguard_std.evaluate import evaluate
from safeguard_std.exceptions import SafeguardError
from safeguard_std.strategies import evidence_bundles
from tests.property.support import PACKS, as_of_for
from tests.support import judge, make_bundle, make_pack

AS_OF = dt.date(2024, 6, 1)


def _engagement(n: int, role: str, start: str = "2020-01-06") -> dict[str, Any]:
    return {"id": f"e-{n}", "role_type": role, "start_on": start, "regulated_activity": "yes"}


def _works_alone(legal_form: str, *roles: str, start: str = "2020-01-06") -> bool | None:
    people = [
        {"id": f"p-{n}", "engagements": [_engagement(n, role, start)]}
        for n, role in enumerate(roles)
    ]
    provider = {"id": "prov-1", "name": "Test Provider", "kind": "youth", "legal_form": legal_form}
    bundle = make_bundle({"provider": provider, "people": people})
    ctx = EvaluationContext.build(bundle, AS_OF)
    value: bool | None = FACTS["provider.works_alone"].getter(bundle.provider, ctx)
    return value


@pytest.mark.parametrize(
    ("legal_form", "roles", "alone"),
    [
        ("sole_trader", (), True),
        ("sole_trader", ("self_employed", "employee"), True),
        ("company", ("self_employed",), True),
        ("company", ("director",), True),
        ("other", ("proprietor",), True),
        ("company", ("employee",), False),
        ("company", ("director", "employee"), False),
        ("charity", ("volunteer", "trustee"), False),
        ("company", (), None),
    ],
)
def test_working_alone(legal_form: str, roles: tuple[str, ...], alone: bool | None) -> None:
    assert _works_alone(legal_form, *roles) is alone


def test_working_alone_counts_only_people_engaged_on_as_of() -> None:
    # An owner whose engagement starts next month is not yet working at all: unknown.
    assert _works_alone("company", "self_employed", start="2024-07-01") is None


INDUCTION = {
    "kind": "training_by_start",
    "courses": ["induction_safeguarding"],
    "within": "P1M",
    "new_staff_due_from": "2023-01-01",
}


@pytest.mark.parametrize(
    ("start", "status"),
    [("2010-01-04", "not_applicable"), ("2022-11-30", "not_applicable"),
     ("2022-12-01", "not_met"), ("2023-06-01", "not_met")],
)  # fmt: skip
def test_induction_judges_new_staff_only(start: str, status: str) -> None:
    bundle = make_bundle(engagements=[{**_engagement(1, "employee", start)}])
    finding = judge(INDUCTION, bundle, AS_OF)
    assert finding.status.value == status
    if status == "not_applicable":
        assert finding.message.startswith(f"not new staff: started on {start}")


def test_a_new_staff_date_that_is_not_a_date_is_a_pack_error() -> None:
    with pytest.raises(SafeguardError, match="not a calendar date"):
        judge({**INDUCTION, "new_staff_due_from": "2023-02-30"}, make_bundle(), AS_OF)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["dorset@2023", "dorset@2024"]), st.data())
def test_up_to_date_and_annual_review_never_disagree(ref: str, data: st.DataObject) -> None:
    """DOR-1.0 ("up-to-date") and DOR-5.1b (reviewed annually) judge the same policy alike."""
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    bundle = data.draw(evidence_bundles(pack, as_of=as_of, max_people=1))
    found = {f.requirement_id: f for f in evaluate(pack, bundle, as_of=as_of).findings}

    def judged(rid: str) -> tuple[str, dt.date | None]:
        # The records' own judgement: a waiver says what it would have been, and a reader's
        # attestation (made per requirement, so it may name only one of the two) says what the
        # records alone showed when it made the finding worse.
        f = found[rid]
        status = f.facts.get("waived_status", f.facts.get("records_alone", f.status.value))
        return str(status), f.due_on

    assert judged("DOR-1.0") == judged("DOR-5.1b")


def _dorset_2024_finding(policy: dict[str, Any], as_of: dt.date, rid: str = "DOR-0.2a") -> Any:
    pack = PACKS["dorset@2024"]
    bundle = make_bundle({"policies": [{"id": "pol-sg", "kind": "safeguarding", **policy}]})
    return next(f for f in evaluate(pack, bundle, as_of=as_of).findings if f.requirement_id == rid)


def test_the_former_partnership_name_until_the_next_review() -> None:
    policy = {
        "approved_on": "2024-03-01",
        "next_review_on": "2025-03-01",
        "references": ["Pan-Dorset Safeguarding Children Partnership procedures"],
    }
    finding = _dorset_2024_finding(policy, dt.date(2024, 12, 1))
    assert finding.message == (
        "references dscp_manual as 'Pan-Dorset Safeguarding Children Partnership procedures' "
        "(the former name, accepted until the policy's next review on 2025-03-01)"
    )
    assert (finding.status.value, finding.due_on) == ("met", dt.date(2025, 3, 1))
    assert _dorset_2024_finding(policy, dt.date(2025, 3, 2)).status.value == "not_met"


@pytest.mark.parametrize(
    ("former", "words"),
    [
        ({"document": "other", "predecessor": "pdscp_manual", "changed_on": "2024-09-01"},
         "not one of 'documents'"),
        ({"document": "dscp_manual", "predecessor": "nope", "changed_on": "2024-09-01"},
         "not in the pack's documents table"),
        ({"document": "dscp_manual", "predecessor": "pdscp_manual", "changed_on": "2024-02-30"},
         "not a calendar date"),
    ],
)  # fmt: skip
def test_a_bad_former_name_is_a_pack_error(former: dict[str, str], words: str) -> None:
    rule = {
        "kind": "documents_referenced",
        "in_policies": ["safeguarding"],
        "documents": ["dscp_manual"],
        "former_name": former,
    }
    documents = {
        "dscp_manual": {"title": "DSCP manual"},
        "pdscp_manual": {"title": "PDSCP manual"},
    }
    with pytest.raises(SafeguardError, match=words):
        make_pack({"rule": rule, "subject": "provider"}, documents=documents)


REFRESH = {
    "kind": "training_current",
    "courses": ["child_protection"],
    "period": "P3Y",
    "new_starter_within": "P1M",
}


@pytest.mark.parametrize(
    ("start", "training", "status"),
    [
        ("2024-05-15", [], "not_applicable"),
        ("2024-05-01", [], "not_applicable"),
        ("2024-04-30", [], "not_met"),
        # Old training from a previous post: still a new starter for a month.
        ("2024-05-15", [{"id": "t-1", "course": "child_protection", "completed_on": "2020-01-01"}],
         "not_applicable"),
        ("2024-05-15", [{"id": "t-1", "course": "child_protection"}], "insufficient_evidence"),
    ],
)  # fmt: skip
def test_a_new_starter_is_not_yet_due(
    start: str, training: list[dict[str, Any]], status: str
) -> None:
    bundle = make_bundle(engagements=[_engagement(1, "employee", start)], training=training)
    finding = judge(REFRESH, bundle, AS_OF)
    assert finding.status.value == status
    if status == "not_applicable":
        assert finding.message.startswith(f"new starter (started on {start})")


# -- a predicate may compare a fact with a pack parameter (DOR-2.3.4's regulators) ---------------

REGULATED = {"field": "provider.regulators", "intersects": {"param": "regulators"}}


def _regulated_pack(value: Any, when: dict[str, Any] | None = None) -> Any:
    parameters = {"regulators": {"value": value, "description": "Inspectorates."}}
    requirement = {"subject": "provider", "rule": {"kind": "attested"}}
    return make_pack({**requirement, "applies_when": when or REGULATED}, parameters=parameters)


def test_a_predicate_value_from_a_parameter() -> None:
    pred = parse_predicate(REGULATED)
    assert pred == Compare("provider.regulators", "intersects", ParamRef("regulators"))
    assert predicate_to_data(pred) == REGULATED
    bound = bind_params(pred, {"regulators": ["isi"]}.__getitem__)
    assert bound == Compare("provider.regulators", "intersects", ("isi",))
    provider = {"id": "prov-1", "name": "T", "kind": "youth", "legal_form": "charity"}
    isi = make_bundle({"provider": {**provider, "regulators": ["isi"]}})
    (finding,) = evaluate(_regulated_pack(["ofsted", "isi"]), isi, as_of=AS_OF).findings
    assert finding.status.value == "insufficient_evidence"
    (finding,) = evaluate(_regulated_pack(["ofsted"]), isi, as_of=AS_OF).findings
    assert finding.status.value == "not_applicable"


@pytest.mark.parametrize(
    ("value", "when", "words"),
    [
        (["ofsted"], {"field": "provider.regulators", "intersects": {"param": "nope"}},
         "applies_when names unknown parameter 'nope'"),
        (["ofstead"], None, "'ofstead' is not a value of provider.regulators"),
        (["ofsted"], {"field": "provider.regulators", "intersects": {"param": 1}},
         "$.requirements[0].applies_when"),
    ],
)  # fmt: skip
def test_a_bad_parameter_in_a_predicate_is_a_located_pack_error(
    value: Any, when: dict[str, Any] | None, words: str
) -> None:
    with pytest.raises(SafeguardError, match=re.escape(words)) as info:
        _regulated_pack(value, when)
    assert "applies_when" in str(info.value)
