"""Issue 16: fail closed. No requirement vanishes, no reader's judgement is ignored, nobody on
the record is dropped, and an edition out of force is not used without being asked for.

(The pack-specific cases are pack tests under standards/*/tests; the invariants are property
tests in tests/property/test_coverage.py and tests/test_predicates_kleene.py.)
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
from safeguard_std.domain.findings import Assessment, Finding, Status
from safeguard_std.evidence import bundle_from_data
from safeguard_std.exceptions import EditionNotInForce
from safeguard_std.packs import bundled_catalog
from safeguard_std.reports import to_html, to_markdown, to_sarif
from safeguard_std.serialization import assessment_to_data
from tests.conftest import EXAMPLES

AS_OF = dt.date(2026, 11, 23)
CHARITY = EXAMPLES / "dorset-youth-charity.json"
CATALOG = bundled_catalog(entry_points_too=False)


def renamed(record: Any, suffix: str) -> Any:
    """A copy of ``record`` with every ``id`` (and DBS certificate number) made new."""
    if isinstance(record, dict):
        out = {k: renamed(v, suffix) for k, v in record.items()}
        if isinstance(out.get("id"), str):
            out["id"] += suffix
        if out.get("certificate_number"):
            out["certificate_number"] = "001999999999"
        return out
    if isinstance(record, list):
        return [renamed(v, suffix) for v in record]
    return record


def charity(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CHARITY.read_text())
    data.update(copy.deepcopy(changes))
    return data


def assess(data: dict[str, Any], ref: str = "dorset", as_of: dt.date = AS_OF) -> Assessment:
    pack = CATALOG.resolve(ref, as_of=as_of)
    return evaluate(pack, bundle_from_data(data), as_of=as_of)


def only(assessment: Assessment, requirement: str, subject: str | None = None) -> Finding:
    found = [
        f
        for f in assessment.findings
        if f.requirement_id == requirement and (subject is None or f.subject.id == subject)
    ]
    assert len(found) == 1, found
    return found[0]


# -- 1. coverage ----------------------------------------------------------------------------------


def test_no_panel_recorded_keeps_the_panel_requirement_in_every_format() -> None:
    pack = CATALOG.resolve("dorset", as_of=AS_OF)
    assessment = evaluate(pack, bundle_from_data(charity(recruitment_panels=[])), as_of=AS_OF)
    finding = only(assessment, "DOR-3.5")
    assert (str(finding.subject), finding.status) == ("panel:-", Status.INSUFFICIENT_EVIDENCE)
    # A youth charity: the KCSIE layer (education providers only) is left out, as it should be.
    active = {r.id for r in pack.requirements if not r.withdrawn and r.included_when is None}
    judged = {f.requirement_id for f in assessment.findings}
    assert judged == active
    rules = json.loads(to_sarif(assessment, pack=pack))["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(active)


# -- 3. attestations are used or reported ----------------------------------------------------------


def _attest(requirement: str, outcome: str, subject: str | None = None) -> dict[str, Any]:
    att = {"id": f"att-{requirement}", "requirement_id": requirement, "outcome": outcome}
    att["attested_on"] = "2026-11-01"
    if subject:
        att["subject_id"] = subject
    return att


def test_a_met_record_and_an_attested_not_met_give_not_met() -> None:
    data = charity()
    data["provider"]["serves_age_max"] = 25
    data["attestations"].append(_attest("DOR-0.6", "not_met"))
    finding = only(assess(data), "DOR-0.6")
    assert finding.status is Status.NOT_MET
    assert finding.facts["records_alone"] == "met"
    assert finding.facts["attestation"] == "att-DOR-0.6"
    assert "att-DOR-0.6" in finding.evidence


def test_an_attestation_agreeing_with_the_records_is_shown_as_used() -> None:
    data = charity()
    data["attestations"].append(_attest("DOR-2.3.2", "met", "p-002"))
    finding = only(assess(data), "DOR-2.3.2", "p-002")
    assert finding.status is Status.MET
    assert (finding.facts["attested"], finding.facts["attestation"]) == ("met", "att-DOR-2.3.2")


def test_a_record_based_rule_takes_the_worse_of_records_and_reader() -> None:
    data = charity()
    data["attestations"].append(_attest("DOR-2.3.2", "not_met", "p-002"))
    finding = only(assess(data), "DOR-2.3.2", "p-002")
    assert finding.status is Status.NOT_MET
    assert finding.message.startswith("attested as not met on 2026-11-01; the records alone:")


def test_an_attestation_that_cannot_count_is_reported_as_not_used() -> None:
    data = charity()  # serves ages 10 to 19: DOR-0.6 applies; make it not apply
    data["provider"]["serves_age_max"] = 17
    data["attestations"].append(_attest("DOR-0.6", "met"))
    finding = only(assess(data), "DOR-0.6")
    assert finding.status is Status.NOT_APPLICABLE
    assert finding.facts["attestation_not_used"] == {
        "id": "att-DOR-0.6",
        "reason": "the requirement does not apply for this subject",
    }


def test_evidence_validate_reports_attestations_no_requirement_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = charity()
    data["attestations"] += [_attest("DOR-99", "met"), _attest("DOR-0.6", "met", "p-001")]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(data))
    argv = ["evidence", "validate", str(path), "--as-of", "2026-11-23", "--pack", "dorset"]
    main([*argv, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    unused = [w for w in report["warnings"] if w["code"] == "attestation.not_used"]
    assert [w["message"] for w in unused] == [
        "names requirement 'DOR-99', which dorset@2024 does not have (or has withdrawn): this "
        "attestation is not used",
        "names subject 'p-001', which is not a provider record of this bundle, so DOR-0.6 never "
        "judges it: this attestation is not used",
    ]


# -- 5. nobody dropped -----------------------------------------------------------------------------


def test_a_future_starter_is_judged_on_the_checks_before_they_start() -> None:
    data = charity()
    starter = renamed(data["people"][1], "-new")
    starter["full_name"] = "New Specimen"
    starter["engagements"][0]["start_on"] = "2027-01-04"
    starter["dbs_checks"] = []
    starter.pop("update_service", None)
    data["people"].append(starter)
    assessment = assess(data)
    finding = only(assessment, "DOR-2.3.1", "p-002-new")
    assert finding.status is Status.NOT_MET
    assert finding.message.startswith("not yet started (starts on 2027-01-04); before they start:")
    assert finding.facts["not_started"] is True
    # Only what must be done before starting is judged: no training finding for them yet.
    judged = {f.rule for f in assessment.findings if f.subject.id == "p-002-new"}
    assert judged <= {"check_present", "check_current", "checks_evidenced", "references"}


def test_two_people_sharing_one_dbs_certificate_number_is_a_finding() -> None:
    data = charity()
    number = data["people"][1]["dbs_checks"][0]["certificate_number"]
    data["people"][2]["dbs_checks"][0]["certificate_number"] = number
    assessment = assess(data)
    # p-002's check was met: it can no longer be relied on. p-003's was lapsed: still not met.
    for pid, other, status in (
        ("p-002", "p-003", Status.INSUFFICIENT_EVIDENCE),
        ("p-003", "p-002", Status.NOT_MET),
    ):
        finding = only(assessment, "DOR-2.3.2", pid)
        assert finding.status is status
        assert finding.facts["record_integrity"] == [
            f"dbs.shared_certificate: the same certificate number is recorded for {other}: "
            "a certificate belongs to one person"
        ]
        assert number not in finding.message
    # Findings that are not about the DBS check are not touched.
    assert "record_integrity" not in only(assessment, "DOR-2.5.1", "p-002").facts


def test_one_person_recorded_twice_is_a_finding_on_both_records() -> None:
    data = charity()
    data["people"].append(renamed(data["people"][1], "b"))
    assessment = assess(data)
    for pid, other in (("p-002", "p-002b"), ("p-002b", "p-002")):
        mine = [f for f in assessment.findings if f.subject.id == pid]
        assert mine
        assert all(
            f"person.duplicate: same name and date of birth as {other}"
            in f.facts.get("record_integrity", [])
            for f in mine
        )
        assert not any(f.status is Status.MET for f in mine)


# -- 6. editions out of force ----------------------------------------------------------------------


def test_an_edition_out_of_force_is_refused_in_python() -> None:
    pack = CATALOG.resolve("dorset@2023", as_of=AS_OF)
    bundle = bundle_from_data(charity())
    with pytest.raises(EditionNotInForce) as caught:
        evaluate(pack, bundle, as_of=AS_OF)
    assert str(caught.value).startswith(
        "dorset@2023 is not in force on 2026-11-23 (in force from 2023-01-01 to 2024-08-31)"
    )
    assessment = evaluate(pack, bundle, as_of=AS_OF, allow_out_of_force=True)
    assert assessment.out_of_force is True
    assert assessment_to_data(assessment)["pack"]["out_of_force"] is True
    note = "not in force on this date; judged against it because this was asked for explicitly"
    assert note in to_markdown(assessment, pack=pack)
    assert note in to_html(assessment, pack=pack)
    in_force = evaluate(CATALOG.resolve("dorset@2024", as_of=AS_OF), bundle, as_of=AS_OF)
    assert "out_of_force" not in assessment_to_data(in_force)["pack"]


def test_an_edition_out_of_force_is_refused_on_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["evaluate", "--pack", "dorset@2023", "--as-of", "2026-11-23", "--evidence"]
    assert main([*argv, str(CHARITY)]) == 2
    assert capsys.readouterr().err == (
        "error: dorset@2023 is not in force on 2026-11-23 (in force from 2023-01-01 to "
        "2024-08-31); the edition in force on 2026-11-23 is dorset@2024: judge against it, or "
        "ask explicitly to judge against dorset@2023 anyway (allow_out_of_force=True; "
        "--allow-out-of-force on the command line)\n"
    )
    assert main([*argv, str(CHARITY), "--allow-out-of-force"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pack"]["edition"] == "2023"
    assert out["pack"]["out_of_force"] is True


def test_an_education_provider_has_a_baseline_on_dorset_2024s_first_day() -> None:
    data = charity()
    data["provider"]["kind"] = "academy"
    day = dt.date(2024, 9, 1)
    assessment = assess(data, as_of=day)
    origins = {f.origin for f in assessment.findings if f.requirement_id.startswith("kcsie:")}
    assert origins == {"kcsie@2023"}


# -- 7. what the record does not say is not "nothing" ---------------------------------------------

_DISCLOSURE_RULES = ("DOR-1.2.10", "DOR-1.2.11", "DOR-1.3.7")


@pytest.mark.parametrize("absent", ["missing", "null"])
def test_a_certificate_without_its_disclosure_is_not_read_as_clear(absent: str) -> None:
    """Explorer 5c: a completed DBS certificate whose disclosure is not recorded does not show
    that nothing was disclosed, so the requirements about disclosures ask for it."""
    data = charity()
    dbs = data["people"][1]["dbs_checks"][0]
    if absent == "missing":
        del dbs["disclosure"]
    else:
        dbs["disclosure"] = None
    assessment = assess(data)
    for requirement in _DISCLOSURE_RULES:
        finding = only(assessment, requirement, "p-002")
        assert finding.status is Status.INSUFFICIENT_EVIDENCE, (requirement, finding.message)
        assert "dbs-p-002" in finding.message
        assert "disclosure" in finding.message
        assert finding.evidence == ("dbs-p-002",)
        assert finding.facts["disclosure_unrecorded"] == ["dbs-p-002"]


def test_an_unfollowed_disclosure_is_not_met_whatever_else_is_unrecorded() -> None:
    data = charity()
    person = data["people"][4]  # p-005: disclosed, risk assessed and notified
    person["risk_assessments"] = []
    person["lado_notifications"] = []
    extra = dict(person["dbs_checks"][0], id="dbs-p-005-old", issued_on="2020-01-06")
    for key in ("disclosure", "certificate_number", "seen_on"):
        extra.pop(key, None)
    person["dbs_checks"].append(extra)
    assessment = assess(data)
    for requirement in _DISCLOSURE_RULES:
        assert only(assessment, requirement, "p-005").status is Status.NOT_MET, requirement


def test_a_followed_up_disclosure_beside_an_unrecorded_one_still_asks_for_evidence() -> None:
    data = charity()
    person = data["people"][4]  # p-005: disclosed, risk assessed and notified
    extra = dict(person["dbs_checks"][0], id="dbs-p-005-old", issued_on="2020-01-06")
    for key in ("disclosure", "certificate_number", "seen_on"):
        extra.pop(key, None)
    person["dbs_checks"].append(extra)
    assessment = assess(data)
    for requirement in _DISCLOSURE_RULES:
        finding = only(assessment, requirement, "p-005")
        assert finding.status is Status.INSUFFICIENT_EVIDENCE, (requirement, finding.message)
        assert finding.facts["disclosure_unrecorded"] == ["dbs-p-005-old"]


def test_a_pending_certificate_has_no_disclosure_to_follow_up_yet() -> None:
    data = charity()
    data["people"][1]["dbs_checks"] = [
        {"id": "dbs-p-002", "level": "enhanced", "status": "pending", "applied_on": "2026-11-01"}
    ]
    assessment = assess(data)
    for requirement in _DISCLOSURE_RULES:
        finding = only(assessment, requirement, "p-002")
        assert finding.status is Status.NOT_APPLICABLE, (requirement, finding.message)


def test_whether_a_certificate_disclosed_information_is_unknown_when_unrecorded() -> None:
    from safeguard_std.domain.facts import FACTS

    fact = FACTS["person.has_dbs_disclosure"].getter
    data = charity()
    people = bundle_from_data(data).people
    assert fact(people[1], None) is False  # clear
    assert fact(people[4], None) is True  # information disclosed
    del data["people"][1]["dbs_checks"][0]["disclosure"]
    assert fact(bundle_from_data(data).people[1], None) is None
    data["people"][1]["dbs_checks"] = [
        {"id": "dbs-p-002", "level": "enhanced", "status": "pending", "applied_on": "2026-11-01"}
    ]
    assert fact(bundle_from_data(data).people[1], None) is False  # nothing back yet


# -- 8. the evidence as it stood on as_of --------------------------------------------------------


def test_the_former_name_grace_ends_when_the_policy_review_fell_due_on_as_of() -> None:
    """Explorer 5b: on 2025-06-01 the example's safeguarding policy was last confirmed at its
    approval in 2017 (the 2025-12-04 review had not happened), so its review was overdue and the
    former name's grace had ended with it: DOR-0.2a and DOR-1.0 agree."""
    day = dt.date(2025, 6, 1)
    assessment = assess(charity(), as_of=day)
    assert only(assessment, "DOR-1.0").status is Status.NOT_MET
    finding = only(assessment, "DOR-0.2a")
    assert finding.status is Status.NOT_MET, finding.message
    assert "2026-12-04" not in finding.message


def test_a_review_after_as_of_does_not_extend_the_former_name() -> None:
    data = charity()
    data["policies"][0]["last_reviewed_on"] = "2026-12-01"
    data["policies"][0]["next_review_on"] = "2027-12-01"
    finding = only(assess(data), "DOR-0.2a")
    assert finding.status is Status.NOT_MET, finding.message


def test_the_former_name_grace_ends_with_the_review_policy_current_finds_due() -> None:
    # Confirmed before the rename; its own next review date is two years on, but the pack's
    # policy_review (a year) made it due first: DOR-1.0 and DOR-0.2a end on the same day.
    data = charity()
    policy = data["policies"][0]
    policy |= {"approved_on": "2024-03-01", "last_reviewed_on": "2024-03-01"}
    policy["next_review_on"] = "2026-03-01"
    before, after = dt.date(2025, 3, 1), dt.date(2025, 3, 2)
    finding = only(assess(data, as_of=before), "DOR-0.2a")
    assert (finding.status, finding.due_on) == (Status.MET, before)
    assert only(assess(data, as_of=before), "DOR-1.0").due_on == before
    assert only(assess(data, as_of=after), "DOR-0.2a").status is Status.NOT_MET


# -- 9. a record that contradicts itself -----------------------------------------------------------


def test_a_person_whose_record_contradicts_itself_has_no_met_finding() -> None:
    """Explorer 5f: p-002 born after as_of (and after every check on their record): the record
    cannot be right, so nothing resting on it is met; the contradiction is named by code and
    path, never by the date of birth."""
    data = charity()
    data["people"][1]["date_of_birth"] = "2030-01-01"
    assessment = assess(data)
    mine = [f for f in assessment.findings if f.subject.id == "p-002"]
    assert mine
    assert not any(f.status is Status.MET for f in mine)
    identity = only(assessment, "DOR-2.5.1", "p-002")
    assert identity.status is Status.INSUFFICIENT_EVIDENCE
    assert identity.facts["if_reliable"] == "met"
    problems = identity.facts["record_integrity"]
    assert "date.future: date_of_birth" in problems
    assert "date.before_birth: identity_check.checked_on" in problems
    assert "date.before_birth: dbs_checks[dbs-p-002].issued_on" in problems
    assert "record cannot be relied on" in identity.message
    for finding in mine:
        assert "2030" not in finding.message
        assert "2030" not in json.dumps(finding.facts)
    # Nobody else is touched.
    assert only(assessment, "DOR-2.5.1", "p-003").status is Status.MET
    assert not any(
        "record_integrity" in f.facts for f in assessment.findings if f.subject.id != "p-002"
    )


def test_a_contradiction_only_in_a_record_dated_after_as_of_changes_nothing() -> None:
    # A certificate issued after as_of has not happened yet: it is not a contradiction on as_of.
    data = charity()
    data["people"][1]["dbs_checks"].append(
        dict(
            data["people"][1]["dbs_checks"][0],
            id="dbs-late",
            issued_on="2027-01-04",
            seen_on="2027-01-05",
            certificate_number="001999999999",
        )
    )
    assessment = assess(data)
    assert not any("record_integrity" in f.facts for f in assessment.findings)
