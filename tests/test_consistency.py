"""Cross-field checks on hand-written bundles, and ``safeguard-std evidence validate``."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from safeguard_std.cli import main
from safeguard_std.domain.consistency import Severity, check_consistency
from safeguard_std.domain.pending import pending_checks
from safeguard_std.evidence import bundle_from_data
from tests.conftest import AS_OF, FIXTURES, ROOT
from tests.support import BASE_BUNDLE


def bundle(**person: Any) -> Any:
    data = copy.deepcopy(BASE_BUNDLE)
    data["people"][0].update(person)
    top = person.pop("_top", None)
    if top:
        data.update(top)
        data["people"][0].pop("_top", None)
    return bundle_from_data(data)


def found(data: Any, as_of: Any = AS_OF) -> list[tuple[str, str, str, str]]:
    return [
        (f.severity.value, f.code, f.message, ".".join(str(p) for p in f.path))
        for f in check_consistency(data, as_of=as_of)
    ]


def test_a_clean_bundle_has_nothing_to_say() -> None:
    assert found(bundle()) == []


def test_future_dates_are_errors_but_future_starts_are_not() -> None:
    data = bundle(
        dbs_checks=[{"id": "d", "level": "enhanced", "issued_on": "2027-01-05"}],
        engagements=[{"id": "e", "role_type": "employee", "start_on": "2027-02-01"}],
    )
    assert found(data) == [
        (
            "error",
            "date.future",
            "dated 2027-01-05, after the as-of date 2026-11-23: a completed check or event "
            "cannot be in the future",
            "people.0.dbs_checks.0.issued_on",
        )
    ]
    assert found(data, as_of=None) == []


def test_dates_before_birth_are_errors_without_quoting_the_birth_date() -> None:
    data = bundle(references=[{"id": "r", "received_on": "1984-01-01"}])
    assert found(data) == [
        (
            "error",
            "date.before_birth",
            "'received_on' is before the person's date of birth",
            "people.0.references.0.received_on",
        )
    ]


def test_references_received_after_the_start_are_warnings() -> None:
    data = bundle(references=[{"id": "r", "received_on": "2020-02-01"}])
    assert found(data) == [
        (
            "warning",
            "reference.after_start",
            "reference received on 2020-02-01, after the person started on 2020-01-06",
            "people.0.references.0.received_on",
        )
    ]


def test_leavers_are_warnings() -> None:
    data = bundle(
        engagements=[
            {"id": "e", "role_type": "employee", "start_on": "2020-01-06", "end_on": "2025-07-31"}
        ]
    )
    assert found(data)[0][:3] == (
        "warning",
        "person.leaver",
        "left on 2025-07-31, before the as-of date: leavers should be removed from the single "
        "central record",
    )


def test_status_check_before_the_certificate_is_an_error() -> None:
    data = bundle(
        dbs_checks=[{"id": "d", "level": "enhanced", "issued_on": "2024-03-01"}],
        update_service={
            "id": "u",
            "status_checks": [
                {
                    "id": "s",
                    "checked_on": "2024-02-01",
                    "result": "current_clear",
                    "dbs_check_id": "d",
                }
            ],
        },
    )
    assert found(data) == [
        (
            "error",
            "update_service.check_before_issue",
            "status check on 2024-02-01 is before the certificate 'd' was issued (2024-03-01)",
            "people.0.update_service.status_checks.0.checked_on",
        )
    ]


def _with(**top: Any) -> Any:
    data = copy.deepcopy(BASE_BUNDLE)
    data.update(top)
    return bundle_from_data(data)


def test_a_policy_reviewed_before_it_was_approved_is_an_error() -> None:
    data = _with(
        policies=[
            {
                "id": "pol",
                "kind": "safeguarding",
                "approved_on": "2025-06-01",
                "last_reviewed_on": "2025-01-01",
            }
        ]
    )
    assert found(data) == [
        (
            "error",
            "policy.review_before_approval",
            "last reviewed on 2025-01-01, before it was approved on 2025-06-01",
            "policies.0.last_reviewed_on",
        )
    ]


def test_submitted_before_requested_is_an_error() -> None:
    data = _with(
        self_audits=[{"id": "a", "requested_on": "2025-06-01", "submitted_on": "2025-05-01"}]
    )
    assert found(data) == [
        (
            "error",
            "self_audit.submitted_on_before_requested_on",
            "'submitted_on' (2025-05-01) is before 'requested_on' (2025-06-01)",
            "self_audits.0.submitted_on",
        )
    ]


def test_shared_certificates_duplicates_and_departed_leads_are_warnings() -> None:
    data = copy.deepcopy(BASE_BUNDLE)
    first = data["people"][0]
    first["dbs_checks"] = [{"id": "d1", "level": "enhanced", "certificate_number": "001234567890"}]
    second = copy.deepcopy(first)
    second.update(id="p-2", dbs_checks=[{**first["dbs_checks"][0], "id": "d2"}])
    second["engagements"] = [
        {"id": "e-2", "role_type": "volunteer", "start_on": "2020-01-06", "end_on": "2021-01-01"}
    ]
    data["people"].append(second)
    data["lead_roles"] = [{"id": "dsl", "kind": "dsl", "person_id": "p-2"}]
    codes = [(f[1], f[3]) for f in found(bundle_from_data(data))]
    assert codes == [
        ("lead_role.holder_not_engaged", "lead_roles.0.person_id"),
        ("person.duplicate", "people.0"),
        ("dbs.shared_certificate", "people.0.dbs_checks.0.certificate_number"),
        ("person.duplicate", "people.1"),
        ("dbs.shared_certificate", "people.1.dbs_checks.0.certificate_number"),
        ("person.leaver", "people.1.engagements"),
    ]
    messages = {f[1]: f[2] for f in found(bundle_from_data(data))}
    assert messages["dbs.shared_certificate"] == (
        "the same certificate number is recorded for p-1: a certificate belongs to one person"
    )
    assert messages["lead_role.holder_not_engaged"] == (
        "the dsl role is held on 2026-11-23 by p-2, who has no engagement in force that day"
    )
    assert all("001234567890" not in m and "Test Person" not in m for m in messages.values())


def test_a_barred_list_check_on_a_supervised_volunteer_is_a_warning() -> None:
    data = bundle(
        engagements=[
            {
                "id": "e",
                "role_type": "volunteer",
                "start_on": "2020-01-06",
                "supervised": True,
                "regulated_activity": "no",
            }
        ],
        dbs_checks=[{"id": "d", "level": "enhanced", "barred_list_children": True}],
    )
    assert [f[1] for f in found(data)] == ["dbs.barred_check_not_permitted"]


# -- the command line --------------------------------------------------------------------------


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(data, indent=2))
    return str(path)


def test_validate_prints_located_problems_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(BASE_BUNDLE)
    data["people"][0]["references"] = [{"id": "r", "received_on": "2027-02-01"}]
    path = write(tmp_path, data)
    assert main(["evidence", "validate", path, "--as-of", "2026-11-23"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{path}: schema and model rules pass; cross-field checks as of 2026-11-23: 1 error, 1 "
        "warning (has errors)",
        "error: [date.future] dated 2027-02-01, after the as-of date 2026-11-23: a completed "
        f"check or event cannot be in the future @ {path} $.people[0].references[0].received_on "
        "(line 26, column 11)",
        "warning: [reference.after_start] reference received on 2027-02-01, after the person "
        f"started on 2020-01-06 @ {path} $.people[0].references[0].received_on (line 26, "
        "column 11)",
    ]


def test_validate_passes_a_sound_bundle_and_strict_fails_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, BASE_BUNDLE)
    assert main(["evidence", "validate", path, "--as-of", "2026-11-23"]) == 0
    data = copy.deepcopy(BASE_BUNDLE)
    data["people"][0]["references"] = [{"id": "r", "received_on": "2020-02-01"}]
    path = write(tmp_path, data)
    assert main(["evidence", "validate", path, "--as-of", "2026-11-23"]) == 0
    assert main(["evidence", "validate", path, "--as-of", "2026-11-23", "--strict"]) == 1
    capsys.readouterr()


def test_validate_reports_schema_and_model_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(BASE_BUNDLE)
    data["people"][0]["dbs_checks"] = [
        {"id": "d", "level": "enhanced", "issued_on": "2024-03-01", "seen_on": "2024-02-01"}
    ]
    path = write(tmp_path, data)
    assert main(["evidence", "validate", path, "--as-of", "2026-11-23"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}: 1 error (the bundle does not load)",
        "error: 'seen_on' (2024-02-01) must not be before 'issued_on' (2024-03-01) @ "
        f"{path} $.people[0].dbs_checks[0].seen_on (line 28, column 11)",
    ]


def test_validate_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = copy.deepcopy(BASE_BUNDLE)
    data["people"][0]["references"] = [{"id": "r", "received_on": "2020-02-01"}]
    path = write(tmp_path, data)
    assert main(["evidence", "validate", path, "--as-of", "2026-11-23", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "as_of": "2026-11-23",
        "bundle": path,
        "errors": [],
        "pending": [],
        "valid": True,
        "warnings": [
            {
                "code": "reference.after_start",
                "line": 26,
                "message": "reference received on 2020-02-01, after the person started on "
                "2020-01-06",
                "path": "$.people[0].references[0].received_on",
                "subject": "p-1",
            }
        ],
    }


def test_validate_a_missing_file_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evidence", "validate", "/nonexistent/bundle.json", "--as-of", "2026-11-23"]) == 2
    assert capsys.readouterr().err == (
        "error: cannot read '/nonexistent/bundle.json': No such file or directory\n"
    )


def test_validate_the_small_fixture_bundle(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(FIXTURES / "bundle-small.json")
    code = main(["evidence", "validate", path, "--as-of", "2026-11-23"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert Severity.ERROR.value not in out.split(": ", 1)[0]


# -- pending checks are listed, never counted as problems --------------------------------------


def _with_pending() -> dict[str, Any]:
    data = copy.deepcopy(BASE_BUNDLE)
    person = data["people"][0]
    person["dbs_checks"] = [
        {"id": "dbs-2", "level": "enhanced", "status": "pending", "applied_on": "2026-11-01"}
    ]
    person["references"] = [{"id": "ref-9", "status": "pending", "requested_on": "2026-10-02"}]
    person["suitability_checks"] = [{"id": "s-1", "kind": "barred_list", "status": "pending"}]
    return data


def test_pending_checks_are_listed_in_bundle_order() -> None:
    bundle = bundle_from_data(_with_pending())
    assert [(p.subject, p.check, p.record, p.since, p.path) for p in pending_checks(bundle)] == [
        ("p-1", "DBS check", "dbs-2", dt.date(2026, 11, 1), ("people", 0, "dbs_checks", 0)),
        ("p-1", "barred list check", "s-1", None, ("people", 0, "suitability_checks", 0)),
        ("p-1", "reference", "ref-9", dt.date(2026, 10, 2), ("people", 0, "references", 0)),
    ]
    assert pending_checks(bundle_from_data(BASE_BUNDLE)) == ()


def test_validate_lists_pending_checks_and_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, _with_pending())
    assert main(["evidence", "validate", path, "--as-of", "2026-11-23", "--strict"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{path}: schema and model rules pass; cross-field checks as of 2026-11-23: 0 errors, 0 "
        "warnings (sound); 3 checks pending (applied for, not yet done: each is asked for as "
        "evidence until done)"
    )
    assert out[1].startswith(
        "pending: p-1 DBS check dbs-2, applied for on 2026-11-01 and not yet done @ "
        f"{path} $.people[0].dbs_checks[0] (line "
    )
    assert out[2].startswith(
        "pending: p-1 barred list check s-1, applied for (no date recorded) and not yet done @ "
    )
    assert out[3].startswith("pending: p-1 reference ref-9, requested on 2026-10-02 and not yet ")
    assert len(out) == 4


def test_validate_json_lists_pending_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, _with_pending())
    assert main(["evidence", "validate", path, "--as-of", "2026-11-23", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is True
    assert [(p["subject"], p["check"], p["record"], p.get("since")) for p in report["pending"]] == [
        ("p-1", "DBS check", "dbs-2", "2026-11-01"),
        ("p-1", "barred list check", "s-1", None),
        ("p-1", "reference", "ref-9", "2026-10-02"),
    ]
    assert report["pending"][0]["path"] == "$.people[0].dbs_checks[0]"
    assert isinstance(report["pending"][0]["line"], int)


def test_one_of_each_is_worded_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(BASE_BUNDLE)
    data["people"][0]["references"] = [{"id": "r", "received_on": "2027-02-01"}]
    data["people"][0]["dbs_checks"] = [
        {"id": "dbs-2", "level": "enhanced", "status": "pending", "applied_on": "2026-11-01"}
    ]
    path = write(tmp_path, data)
    main(["evidence", "validate", path, "--as-of", "2026-11-23"])
    assert (
        capsys.readouterr()
        .out.splitlines()[0]
        .endswith(
            ": 1 error, 1 warning (has errors); 1 check pending (applied for, not yet done: "
            "each is asked for as evidence until done)"
        )
    )


def test_every_kind_of_check_can_be_listed_as_pending() -> None:
    data = copy.deepcopy(BASE_BUNDLE)
    person = data["people"][0]
    person["identity_check"] = {"id": "idc-1", "status": "pending", "applied_on": "2026-11-02"}
    person["right_to_work"] = {"id": "rtw-1", "status": "pending"}
    person["qualification_checks"] = [{"id": "q-1", "qualification": "QTS", "status": "pending"}]
    person["suitability_checks"] = [
        {"id": "s-1", "kind": "prohibition_from_teaching", "status": "pending"}
    ]
    found = pending_checks(bundle_from_data(data))
    assert [(p.check, p.asked) for p in found] == [
        ("identity check", "applied for on 2026-11-02"),
        ("right to work check", "applied for (no date recorded)"),
        ("qualification check", "applied for (no date recorded)"),
        ("prohibition from teaching check", "applied for (no date recorded)"),
    ]
    assert [p.path[2:] for p in found] == [
        ("identity_check",),
        ("right_to_work",),
        ("qualification_checks", 0),
        ("suitability_checks", 0),
    ]


def test_validate_with_a_pack_warns_of_provider_facts_its_conditions_need(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An unrecorded provider fact makes the requirements conditioned on it ask for evidence:
    # the bundle's author should hear of it before evaluating.
    data = json.loads((ROOT / "examples" / "chscb-hackney-commissioned-service.json").read_text())
    data["provider"].pop("activities", None)
    path = write(tmp_path, data)
    assert main(["evidence", "validate", path, "--as-of", "2026-11-23", "--pack", "chscb"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "provider.activities" in x)
    assert line.startswith(
        "warning: [provider.fact_unrecorded] provider.activities is not recorded: CHSCB-A10"
    ), line
    assert "ask for evidence until it is (record [] for none)" in line
    assert f"@ {path} $.provider" in line
