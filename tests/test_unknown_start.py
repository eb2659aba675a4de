"""A person whose engagement has no start date is still judged (fail closed).

An engagement with no ``start_on`` that has not ended before ``as_of`` is possibly in force: it
is taken as in force, so every requirement that would apply to the person gives a finding. What
depends on when they started (induction due, a new starter's grace period, how long they are
engaged for, whether a role holder is in post yet) asks for the start date
(``insufficient_evidence``, ``facts.start_unknown``); what does not (a DBS check missing for
regulated activity) is judged as for anyone. See docs/dates.md, rule 7.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from safeguard_std import evaluate
from safeguard_std.cli import main
from safeguard_std.domain.consistency import ConsistencyByPerson, check_consistency
from safeguard_std.domain.findings import Assessment, Status
from safeguard_std.evidence import bundle_from_data
from safeguard_std.importers import import_scr
from safeguard_std.packs import bundled_catalog
from tests.conftest import EXAMPLES
from tests.support import BASE_BUNDLE, judge, make_bundle

AS_OF = dt.date(2026, 11, 23)
CHARITY = EXAMPLES / "dorset-youth-charity.json"
CATALOG = bundled_catalog(entry_points_too=False)
START_UNKNOWN = "the start date is not recorded (engagement eng-p-004)"


def charity() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CHARITY.read_text())
    return data


def without_start(data: dict[str, Any], pid: str = "p-004") -> dict[str, Any]:
    """The tester's case (explore-a 5a): p-004's start date, DBS checks, references and
    identity check removed."""
    data = copy.deepcopy(data)
    (person,) = [p for p in data["people"] if p["id"] == pid]
    del person["engagements"][0]["start_on"]
    person["dbs_checks"] = []
    person["references"] = []
    person.pop("identity_check", None)
    return data


def assess(data: dict[str, Any]) -> Assessment:
    pack = CATALOG.resolve("dorset", as_of=AS_OF)
    return evaluate(pack, bundle_from_data(data), as_of=AS_OF)


def of(assessment: Assessment, pid: str) -> dict[str, Any]:
    return {f.requirement_id: f for f in assessment.findings if f.subject.id == pid}


# -- the evaluation ------------------------------------------------------------------------------


def test_a_person_without_a_start_date_is_judged_on_every_requirement() -> None:
    before = of(assess(charity()), "p-004")
    after = of(assess(without_start(charity())), "p-004")
    assert set(after) == set(before)  # nobody on the record is dropped
    # What does not depend on when they started is judged as for anyone.
    for rid in ("DOR-2.3.1", "DOR-2.3.2", "DOR-2.5.1", "DOR-2.5.7"):
        assert after[rid].status is Status.NOT_MET, (rid, after[rid].message)
    # Induction is due a month after the start: that cannot be judged without it.
    for rid in ("DOR-3.3a", "DOR-3.3b"):
        finding = after[rid]
        assert finding.status is Status.INSUFFICIENT_EVIDENCE
        assert finding.message.startswith(START_UNKNOWN), finding.message
        assert finding.facts["start_unknown"] == ["eng-p-004"]


def test_the_summary_counts_the_person_without_a_start_date() -> None:
    data = charity()
    removed = copy.deepcopy(data)
    (person,) = [p for p in removed["people"] if p["id"] == "p-004"]
    del person["engagements"][0]["start_on"]
    before, after = assess(data), assess(removed)
    assert after.summary.total == before.summary.total
    assert {f.id for f in after.findings} == {f.id for f in before.findings}


def test_an_engagement_without_a_start_that_ended_before_as_of_is_not_judged() -> None:
    data = without_start(charity())
    (person,) = [p for p in data["people"] if p["id"] == "p-004"]
    person["engagements"][0]["end_on"] = "2026-11-22"
    assert of(assess(data), "p-004") == {}
    person["engagements"][0]["end_on"] = "2026-11-23"  # the last day: still in force
    assert of(assess(data), "p-004") != {}


def test_evaluate_on_the_command_line_judges_the_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(without_start(charity())))
    argv = ["evaluate", "--pack", "dorset", "--evidence", str(path), "--as-of", "2026-11-23"]
    assert main(argv) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    mine = [f for f in findings if f["subject"] == {"type": "person", "id": "p-004"}]
    assert sum(f["status"] == "not_met" for f in mine) >= 9


# -- rule kinds that depend on the start ---------------------------------------------------------

NO_START = [{"id": "e-1", "role_type": "employee", "regulated_activity": "yes"}]
OLD_START = {"id": "e-0", "role_type": "employee", "start_on": "2010-01-04"}
INDUCTION = {
    "kind": "training_by_start",
    "courses": ["induction_safeguarding"],
    "within": "P1M",
}
TRAINED = [{"id": "t-1", "course": "induction_safeguarding", "completed_on": "2026-10-01"}]


@pytest.mark.parametrize("training", [[], TRAINED])
def test_induction_without_a_start_date_asks_for_it(training: list[Any]) -> None:
    finding = judge(INDUCTION, make_bundle(engagements=NO_START, training=training), AS_OF)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.message.startswith(
        "the start date is not recorded (engagement e-1), so when induction training was due "
        "is unknown"
    )
    assert finding.facts["start_unknown"] == ["e-1"]
    assert finding.evidence == tuple(t["id"] for t in training)


def test_induction_of_someone_known_to_be_long_serving_is_still_not_new_staff() -> None:
    # Another engagement started in 2010: whenever the undated one started, the earliest start
    # is no later, so induction fell due before the duty applied.
    rule = {**INDUCTION, "new_staff_due_from": "2023-01-01"}
    bundle = make_bundle(engagements=[OLD_START, *NO_START])
    finding = judge(rule, bundle, AS_OF)
    assert finding.status is Status.NOT_APPLICABLE
    assert finding.message.startswith("not new staff: started on 2010-01-04")


def test_induction_with_a_later_known_start_still_asks_for_the_unknown_one() -> None:
    recent = {"id": "e-0", "role_type": "employee", "start_on": "2026-11-01"}
    bundle = make_bundle(engagements=[recent, *NO_START], training=TRAINED)
    finding = judge(INDUCTION, bundle, AS_OF)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.facts["start_unknown"] == ["e-1"]


REFRESHER = {
    "kind": "training_current",
    "courses": ["child_protection"],
    "period": "P3Y",
    "new_starter_within": "P3M",
}


def test_a_new_starters_grace_period_without_a_start_date_asks_for_it() -> None:
    finding = judge(REFRESHER, make_bundle(engagements=NO_START), AS_OF)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.message == (
        "the start date is not recorded (engagement e-1), so whether they are a new starter "
        "(training not yet due) is unknown; if not: no child_protection training is recorded"
    )
    assert finding.facts["if_not_new_starter"] == "not_met"
    # Long-serving on another engagement: not a new starter whatever the undated one says.
    finding = judge(REFRESHER, make_bundle(engagements=[OLD_START, *NO_START]), AS_OF)
    assert finding.status is Status.NOT_MET
    # Training current is current whenever they started.
    current = [{"id": "t-1", "course": "child_protection", "completed_on": "2026-01-05"}]
    finding = judge(REFRESHER, make_bundle(engagements=NO_START, training=current), AS_OF)
    assert finding.status is Status.MET


LONGER = {"kind": "references", "min": 2, "longer_than": "P3M"}


def test_an_undated_start_with_a_planned_end_leaves_longer_term_unknown() -> None:
    ending = [{**NO_START[0], "end_on": "2026-12-31"}]
    finding = judge(LONGER, make_bundle(engagements=ending), AS_OF)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.message == (
        "the start date is not recorded (engagement e-1), so whether they are engaged for "
        "longer than P3M is unknown; if so: 0 of 2 satisfactory verified reference(s)"
    )
    # Open-ended, or ending more than the period after as_of: longer term whenever it started.
    for engaged in (NO_START, [{**NO_START[0], "end_on": "2027-06-01"}]):
        finding = judge(LONGER, make_bundle(engagements=engaged), AS_OF)
        assert finding.status is Status.NOT_MET


def test_a_role_holder_without_a_start_date_may_not_be_in_post_yet() -> None:
    data = {
        "people": [
            {"id": "p-1", "engagements": [OLD_START]},
            {"id": "p-2", "engagements": [{"id": "e-2", "role_type": "employee"}]},
        ],
        "lead_roles": [
            {"id": "r-1", "kind": "dsl", "person_id": "p-1"},
            {"id": "r-2", "kind": "deputy_dsl", "person_id": "p-2"},
        ],
    }
    rule = {"kind": "role_held", "roles": ["dsl", "deputy_dsl"]}
    finding = judge(rule, make_bundle(data), AS_OF, subject="provider")
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.message == (
        "the start date is not recorded (engagement e-2 of p-2), so whether every role is held "
        "by someone in post is unknown; if they are: held by a current person: dsl, deputy_dsl"
    )
    assert finding.facts["start_unknown"] == ["e-2"]


def test_working_alone_is_unknown_while_someone_may_be_engaged() -> None:
    rule = {"kind": "attested"}
    owner = {"id": "p-1", "engagements": [{**OLD_START, "role_type": "proprietor"}]}
    other = {"id": "p-2", "engagements": [{"id": "e-2", "role_type": "employee"}]}
    alone = {"field": "provider.works_alone", "eq": True}
    data = {"provider": {**BASE_BUNDLE["provider"], "legal_form": "company"}}
    finding = judge(
        rule,
        make_bundle({**data, "people": [owner, other]}),
        AS_OF,
        subject="provider",
        applies_when=alone,
    )
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.facts["applies_when_unknown"] == ["provider.works_alone"]


def test_days_since_start_is_unknown_so_a_new_starter_condition_asks() -> None:
    rule = {"kind": "check_present", "check": "dbs"}
    new = {"field": "person.days_since_start", "lt": 28}
    finding = judge(rule, make_bundle(engagements=NO_START), AS_OF, applies_when=new)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.facts["applies_when_unknown"] == ["person.days_since_start"]


# -- evidence validate ---------------------------------------------------------------------------

WARNING = (
    "the engagement has no start date: it is taken as in force, and what depends on when the "
    "person started (induction, new-starter periods, how long they are engaged) asks for it"
)


def test_an_engagement_without_a_start_date_is_a_warning() -> None:
    data = copy.deepcopy(BASE_BUNDLE)
    del data["people"][0]["engagements"][0]["start_on"]
    bundle = bundle_from_data(data)
    expected = [("warning", "engagement.no_start", WARNING, ("people", 0, "engagements", 0))]
    got = [(f.severity.value, f.code, f.message, f.path) for f in check_consistency(bundle)]
    assert got == expected
    assert [
        (f.severity.value, f.code, f.message, f.path)
        for f in check_consistency(bundle, as_of=AS_OF)
    ] == expected
    # The streaming path (an import writing people out as it reads them) says the same.
    streamed = ConsistencyByPerson(AS_OF)
    for person in bundle.people:
        streamed.add(person)
    assert streamed.finish(bundle) == check_consistency(bundle, as_of=AS_OF)
    # One that ended before as_of is not judged, so nothing depends on its start.
    data["people"][0]["engagements"][0]["end_on"] = "2025-01-01"
    codes = [f.code for f in check_consistency(bundle_from_data(data), as_of=AS_OF)]
    assert "engagement.no_start" not in codes


def test_evidence_validate_warns_about_the_missing_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(without_start(charity()), indent=2))
    argv = ["evidence", "validate", str(path), "--as-of", "2026-11-23", "--pack", "dorset"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"warning: [engagement.no_start] {WARNING} @ {path} $.people[3].engagements[0]" in out
    assert main([*argv, "--strict"]) == 1


# -- the import ----------------------------------------------------------------------------------

PROVIDER: dict[str, Any] = {
    "provider": {"id": "prov", "name": "Test Trust", "kind": "youth", "legal_form": "charity"}
}


@pytest.mark.parametrize("start", ["", "TBC"])
def test_an_imported_person_without_a_start_date_is_judged(start: str) -> None:
    text = (
        "Name,Staff type,Start date,Regulated activity,DBS level,DBS date\n"
        f"Alex Smith,Staff,{start},Yes,,\n"
    )
    result = import_scr(text.encode(), name="scr.csv", provider=PROVIDER, as_of=AS_OF)
    (issue,) = [i for i in result.rows[0].issues if i.code == "engagement.no_start"]
    assert issue.message == WARNING
    (person,) = result.bundle.people
    pack = CATALOG.resolve("dorset", as_of=AS_OF)
    findings = {
        f.requirement_id: f
        for f in evaluate(pack, result.bundle, as_of=AS_OF).findings
        if f.subject.id == person.id
    }
    assert findings["DOR-2.3.1"].status is Status.NOT_MET
    assert findings["DOR-3.3a"].status is Status.INSUFFICIENT_EVIDENCE
    assert findings["DOR-3.3a"].message.startswith("the start date is not recorded")


def test_the_streaming_import_warns_once_per_row_too(tmp_path: Path) -> None:
    from safeguard_std.importers._scr import import_scr_streaming
    from safeguard_std.importers._stream import PeopleOut

    path = tmp_path / "scr.csv"
    path.write_text("Name,Staff type,Start date\nAlex Smith,Staff,TBC\nBea Jones,Staff,\n")
    with PeopleOut(AS_OF) as out:
        result = import_scr_streaming(path, out=out, provider=PROVIDER, as_of=AS_OF)
        codes = [[i.code for i in row.issues] for row in result.rows]
    assert [c.count("engagement.no_start") for c in codes] == [1, 1]
