"""Evidence loading: every problem located, values shown, personal values withheld."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from safeguard_std.evidence import bundle_from_data, load_evidence
from safeguard_std.exceptions import EvidenceError
from tests.support import BASE_BUNDLE


def problems(data: dict[str, Any], **kw: Any) -> list[str]:
    raw = json.dumps(data, indent=2).encode()
    with pytest.raises(EvidenceError) as info:
        load_evidence(raw, name="school.json", **kw)
    return [str(p) for p in info.value.problems]


def with_person(**fields: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_BUNDLE)
    data["people"][0].update(fields)
    return data


def test_bad_date_names_file_path_line_and_value() -> None:
    data = with_person(dbs_checks=[{"id": "d-1", "level": "enhanced", "issued_on": "31/02/2024"}])
    (message,) = problems(data)
    assert message == (
        "invalid value: expected a date written YYYY-MM-DD, got '31/02/2024' "
        "@ school.json $.people[0].dbs_checks[0].issued_on (line 27, column 11)"
    )


def test_impossible_calendar_date_is_caught_after_the_schema() -> None:
    data = with_person(dbs_checks=[{"id": "d-1", "level": "enhanced", "issued_on": "2023-02-29"}])
    (message,) = problems(data)
    assert message.startswith(
        "expected a real calendar date 'YYYY-MM-DD', got '2023-02-29' "
        "@ school.json $.people[0].dbs_checks[0].issued_on (line 27"
    )


def test_string_booleans_are_not_coerced() -> None:
    data = with_person(references=[{"id": "r-1", "satisfactory": "false"}])
    (message,) = problems(data)
    assert message.startswith(
        "invalid value: expected true or false, got 'false' @ "
        "school.json $.people[0].references[0].satisfactory"
    )


def test_enum_with_hint() -> None:
    data = with_person(dbs_checks=[{"id": "d-1", "level": "enhancd"}])
    (message,) = problems(data)
    assert message.endswith("(did you mean 'enhanced'?)")
    assert "expected one of 'basic', 'standard', 'enhanced', got 'enhancd'" in message


def test_unknown_key_with_hint() -> None:
    data = with_person(dbs_check=[])
    (message,) = problems(data)
    assert message.startswith("unknown key 'dbs_check': expected one of ")
    assert message.endswith("(did you mean 'dbs_checks'?)")


def test_dbs_number_is_withheld() -> None:
    data = with_person(
        dbs_checks=[{"id": "d-1", "level": "enhanced", "certificate_number": "0012345678901"}]
    )
    (message,) = problems(data)
    assert "0012345678901" not in message
    assert message.startswith(
        "'certificate_number' must be exactly 12 digits for a DBS certificate (got 13 "
        "characters) (value withheld: personal data) "
        "@ school.json $.people[0].dbs_checks[0].certificate_number (line 27, column 11)"
    )


def test_personal_date_is_withheld_unless_asked() -> None:
    data = with_person(date_of_birth="1985-02-30")
    (message,) = problems(data)
    assert "1985-02-30" not in message
    assert message.startswith(
        "expected a real calendar date 'YYYY-MM-DD' (value withheld: "
        "personal data) @ school.json $.people[0].date_of_birth"
    )
    (shown,) = problems(data, include_personal_data=True)
    assert "'1985-02-30'" in shown


def test_personal_value_withheld_at_schema_stage() -> None:
    data = with_person(full_name=42)
    (message,) = problems(data)
    assert message == (
        "invalid value: expected a string, got (withheld: personal data) "
        "@ school.json $.people[0].full_name (line 12, column 7)"
    )


def test_cross_field_validator() -> None:
    data = with_person(
        engagements=[
            {"id": "e-1", "role_type": "employee", "start_on": "2024-01-10", "end_on": "2024-01-09"}
        ]
    )
    (message,) = problems(data)
    assert message.startswith(
        "'end_on' (2024-01-09) must not be before 'start_on' (2024-01-10) "
        "@ school.json $.people[0].engagements[0].end_on (line 20, column 11)"
    )


def test_policy_review_before_approval() -> None:
    data = copy.deepcopy(BASE_BUNDLE)
    data["policies"] = [
        {
            "id": "pol-1",
            "kind": "safeguarding",
            "approved_on": "2025-05-01",
            "next_review_on": "2025-04-01",
        }
    ]
    (message,) = problems(data)
    assert message.startswith(
        "'next_review_on' (2025-04-01) must not be before 'approved_on' "
        "(2025-05-01) @ school.json $.policies[0].next_review_on (line 30, column 7)"
    )


def test_duplicate_ids_and_dangling_people() -> None:
    data = with_person(training=[{"id": "p-1", "course": "other"}])
    data["lead_roles"] = [{"id": "r-1", "kind": "dsl", "person_id": "p-9"}]
    messages = problems(data)
    assert messages == [
        "id 'p-1' is used by more than one record @ school.json $.people[0].training[0] "
        "(line 24, column 9) (first used at $.people[0])",
        "lead role names person 'p-9', who is not in 'people' @ school.json "
        "$.lead_roles[0].person_id (line 35, column 7)",
    ]


def test_all_schema_problems_at_once() -> None:
    data = with_person(engagements=[{"id": "e-1", "role_type": "teacher"}], references="none")
    assert len(problems(data)) == 2


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe{}", "not UTF-8 text: invalid byte at offset 0 @ school.json $"),
        (b'{"id": "a", "id": "b"}', "duplicate key 'id' @ school.json $"),
        (b'{"id": ', "not valid JSON: Expecting value @ school.json $ (line 1, column 8)"),
        (
            b"[1, 2]",
            "an evidence bundle must be a mapping: got list @ school.json $ (line 1, column 1)",
        ),
        (b'{"a": NaN}', "NaN is not allowed in JSON documents @ school.json $"),
    ],
)
def test_unreadable_documents(raw: bytes, message: str) -> None:
    with pytest.raises(EvidenceError) as info:
        load_evidence(raw, name="school.json")
    assert str(info.value.problems[0]) == message


def test_missing_file() -> None:
    with pytest.raises(EvidenceError, match="cannot read evidence file: No such file"):
        load_evidence("/nonexistent/evidence.json")


def test_yaml_evidence_and_timestamps() -> None:
    text = (
        "id: b-1\nprovider: {id: p, name: N, kind: youth, legal_form: charity}\n"
        "people:\n  - id: p-1\n    engagements:\n"
        "      - {id: e-1, role_type: employee, start_on: 2025-07-01T23:30:00Z}\n"
    )
    bundle = load_evidence(text.encode(), name="b.yaml")
    assert str(bundle.people[0].engagements[0].start_on) == "2025-07-02"


def test_round_trip_through_the_converter() -> None:
    from safeguard_std.serialization import bundle_to_data

    bundle = bundle_from_data(copy.deepcopy(BASE_BUNDLE))
    assert bundle_from_data(bundle_to_data(bundle)) == bundle
