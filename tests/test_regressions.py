"""Minimal failing examples found by the property suite and the fuzzers, kept after their fixes.

Each test names what was wrong. They are small on purpose: the property that found each one is in
``tests/property/``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from safeguard_std.domain.calendar import Period, add_period
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import bundle_from_data, load_evidence
from safeguard_std.exceptions import EvidenceError, PackError
from safeguard_std.io.documents import DocumentSyntaxError, parse
from safeguard_std.packs import PackCatalog, read_layer
from safeguard_std.serialization import assessment_to_json, evidence_digest
from tests.conftest import ROOT
from tests.support import BASE_BUNDLE, judge, make_bundle, make_pack, pack_yaml

AS_OF = dt.date(2026, 1, 1)


def _with(**people_fields: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_BUNDLE)
    data["people"][0].update(people_fields)
    return data


# -- determinism --


def test_digest_ignores_the_order_of_records_without_ids() -> None:
    """The evidence digest (and so the assessment's bytes) changed with the order of identity
    documents and panel members: lists of records without ids were not put in canonical order."""
    docs = [{"type": "passport", "photo": True}, {"type": "utility_bill", "shows_address": True}]
    one = _with(identity_check={"id": "idc-1", "documents": docs})
    two = _with(identity_check={"id": "idc-1", "documents": docs[::-1]})
    assert evidence_digest(bundle_from_data(one)) == evidence_digest(bundle_from_data(two))
    pack = make_pack({"rule": {"kind": "check_present", "check": "identity"}})
    texts = {
        assessment_to_json(evaluate(pack, bundle_from_data(d), as_of=AS_OF)) for d in (one, two)
    }
    assert len(texts) == 1


def test_undated_suitability_checks_are_judged_whatever_their_order() -> None:
    """With only undated checks of a kind, the first in the list was judged: the same evidence
    was met in one order and not_met in the other."""
    rule = {"kind": "check_present", "check": "suitability", "suitability_kind": "overseas"}
    checks = [
        {"id": "s-1", "kind": "overseas", "satisfactory": True},
        {"id": "s-2", "kind": "overseas", "satisfactory": False},
    ]
    found = {
        (f.status.value, f.message, f.evidence)
        for f in (
            judge(rule, make_bundle(suitability_checks=c), AS_OF) for c in (checks, checks[::-1])
        )
    }
    assert found == {("not_met", "the overseas check was not satisfactory", ("s-2",))}


# -- missing evidence never passes, and extra evidence never fails --


def test_a_newer_lower_level_dbs_check_does_not_cancel_an_enhanced_one() -> None:
    """check_present judged only the latest certificate, so a newer basic check made an enhanced
    one not count (while check_current, on the same evidence, found it current), and removing the
    basic check turned not_met into met."""
    older = {
        "id": "d-1",
        "level": "enhanced",
        "barred_list_children": True,
        "issued_on": "2024-01-01",
    }
    newer = {"id": "d-2", "level": "basic", "issued_on": "2025-06-01"}
    bundle = make_bundle(dbs_checks=[older, newer])
    present = judge(
        {
            "kind": "check_present",
            "check": "dbs",
            "level": "enhanced",
            "barred_list_children": True,
        },
        bundle,
        AS_OF,
    )
    current = judge(
        {"kind": "check_current", "check": "dbs", "level": "enhanced", "period": "P3Y"},
        bundle,
        AS_OF,
    )
    assert (present.status.value, present.message, present.evidence) == (
        "met",
        "enhanced DBS check recorded",
        ("d-1",),
    )
    assert current.status.value == "met"


def test_with_no_acceptable_dbs_check_the_latest_is_reported() -> None:
    checks = [
        {"id": "d-1", "level": "basic", "issued_on": "2024-01-01"},
        {"id": "d-2", "level": "standard", "issued_on": "2025-06-01"},
    ]
    found = judge(
        {"kind": "check_present", "check": "dbs", "level": "enhanced"},
        make_bundle(dbs_checks=checks),
        AS_OF,
    )
    assert (found.status.value, found.message, found.evidence) == (
        "not_met",
        "the latest DBS check is standard; enhanced is required",
        ("d-2",),
    )


# -- dates at the end of the calendar --


def test_a_period_past_the_last_representable_day_saturates() -> None:
    """add_period raised on dates near 9999-12-31, so schema-valid evidence gave error findings."""
    assert add_period(dt.date(9998, 12, 31), Period.parse("P3Y")) == dt.date.max
    found = judge(
        {"kind": "check_current", "check": "dbs", "period": "P3Y"},
        make_bundle(dbs_checks=[{"id": "d-1", "level": "basic", "issued_on": "9998-06-01"}]),
        dt.date.max,
    )
    assert (found.status.value, found.due_on) == ("met", dt.date.max)


# -- packs: what the schema lets through --


def _load(text: str) -> None:
    catalog = PackCatalog(layers={})
    layer = read_layer("t/1/pack.yaml", text)
    catalog = catalog.with_layer(layer)
    catalog.resolve(layer.ref)


def _pack_problem(text: str) -> str:
    with pytest.raises(PackError) as info:
        _load(text)
    return str(info.value)


REQ = {"rule": {"kind": "references"}}


def test_an_impossible_effective_date_is_a_pack_error() -> None:
    """'2023-02-30' matched the schema's date pattern and then raised ValueError."""
    text = pack_yaml(REQ).replace("effective_from: '2000-01-01'", "effective_from: '2023-02-30'")
    assert _pack_problem(text) == (
        "invalid pack: not a calendar date: expected a date YYYY-MM-DD, got '2023-02-30' "
        "@ t/1/pack.yaml $.effective_from (line 6, column 1)"
    )


def test_a_final_newline_does_not_slip_past_the_schema_patterns() -> None:
    """Python's '$' matches before a final newline, so 'id: "t\\n"' passed the schema."""
    text = pack_yaml(REQ).replace("id: t\n", 'id: "t\\n"\n')
    assert _pack_problem(text) == (
        "invalid pack: invalid pack id: got 't\\n' @ t/1/pack.yaml $.id (line 2, column 1)"
    )


def test_retrieved_and_end_dates_are_checked_too() -> None:
    text = pack_yaml(
        REQ, effective_to="2021-02-29", source={"title": "S", "retrieved_on": "2021-13-01"}
    )
    with pytest.raises(PackError) as info:
        _load(text)
    assert [str(p).split(" @ ")[1].split(" (")[0] for p in info.value.problems] == [
        "t/1/pack.yaml $.effective_to",
        "t/1/pack.yaml $.source.retrieved_on",
    ]


@pytest.mark.parametrize(
    ("requirement", "top", "where"),
    [
        ({**REQ, "metadata": {"paragraph": 3.2}}, {}, "$.requirements[0].metadata.paragraph"),
        ({"rule": {"kind": "references", "min": 2.0}}, {}, "$.requirements[0].rule.min"),
        (REQ, {"parameters": {"n": {"value": 2.0}}}, "$.parameters.n.value"),
    ],
)
def test_fractional_numbers_are_a_pack_error(
    requirement: dict[str, Any], top: dict[str, Any], where: str
) -> None:
    """A float anywhere in a pack (a paragraph number '3.2', 'min: 2.0') loaded, then failed
    with TypeError or AssertionError when the pack was compiled or its digest computed."""
    message = _pack_problem(pack_yaml(requirement, **top))
    assert message.startswith(
        "invalid pack: numbers with a fraction are not allowed in a pack: expected a whole "
        "number, or text in quotes such as '3.2', got "
    )
    assert f"@ t/1/pack.yaml {where} (line " in message


def test_a_param_reference_that_is_not_a_name_is_a_pack_error() -> None:
    """'{param: [x]}' raised TypeError (unhashable list) while the rule was checked."""
    text = pack_yaml({"rule": {"kind": "references", "min": {"param": ["x"]}}})
    assert _pack_problem(text) == (
        "invalid pack: requirement R-1: 'param' must name a parameter: expected a parameter "
        "name, got ['x'] @ t/1/pack.yaml $.requirements[0].rule.min.param (line 22, column 7)"
    )


# -- hostile documents --


def _syntax(raw: bytes | str, source: str) -> str:
    with pytest.raises(DocumentSyntaxError) as info:
        parse(raw, source)
    return str(info.value)


def test_yaml_nodes_are_counted_while_composing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nodes were counted only after PyYAML had built the whole node graph (about 600 bytes a
    node), so a large flat YAML list cost seconds and hundreds of megabytes before being
    refused. (The limit is lowered here to keep the test fast; tests/test_hostile_input.py runs
    the real one.)"""
    from safeguard_std.io import documents

    monkeypatch.setattr(documents, "MAX_YAML_NODES", 1000)
    assert _syntax("[" + "1," * 5000 + "1]", "x.yaml") == (
        "YAML document has more than 1000 nodes @ x.yaml $ (line 1, column 2000)"
    )


def test_deep_yaml_is_refused_with_a_position() -> None:
    text = "".join("  " * i + "-\n" for i in range(100))
    assert (
        _syntax(text, "x.yaml")
        == "document is nested deeper than 64 levels @ x.yaml $ (line 66, column 131)"
    )


def test_long_values_are_cut_in_messages() -> None:
    """A date-like value of any length was quoted whole in the error message."""
    data = _with(
        dbs_checks=[{"id": "d-1", "level": "basic", "issued_on": "2020-01-01T" + "x" * 10_000}]
    )
    with pytest.raises(EvidenceError) as info:
        load_evidence(json.dumps(data).encode(), name="x.json")
    message = str(info.value)
    assert len(message) < 300
    assert "got '2020-01-01Txxxx" in message
    assert "..." in message


def test_validator_messages_are_sentences_not_tuples() -> None:
    """attrs validators raise ValueError(message, attribute, ...); the tuple was printed whole."""
    with pytest.raises(EvidenceError) as info:
        bundle_from_data({**BASE_BUNDLE, "schema_version": 2})
    assert str(info.value) == (
        "invalid evidence: 'schema_version' must be in (1,) (got 2) @ $.schema_version"
    )


def test_control_characters_in_yaml_are_one_clear_line() -> None:
    """PyYAML's reader checks characters when the loader is built; the error was a multi-line
    message (and, once, escaped as a ReaderError)."""
    assert _syntax(b"a: \x00", "x.yaml") == (
        "not valid YAML: special characters are not allowed (character 0x0 at offset 3) @ x.yaml $"
    )


def test_huge_keys_are_cut_in_messages_and_paths() -> None:
    """An unknown or duplicate key of any length was quoted whole, twice (message and path)."""
    key = "k" * 100_000
    data = {**BASE_BUNDLE, key: 1}
    with pytest.raises(EvidenceError) as info:
        load_evidence(json.dumps(data).encode(), name="x.json")
    assert len(str(info.value)) < 600
    assert _syntax(f'{{"{key}": 1, "{key}": 2}}', "x.json") == (
        f"duplicate key '{'k' * 76}... @ x.json $"
    )


def test_many_unknown_keys_are_counted_not_listed() -> None:
    """200,000 unknown keys gave 200,000 problems (each with a difflib hint) before the problem
    limit was checked, and every one re-read the whole document for line numbers: minutes."""
    data = {**BASE_BUNDLE, **{f"k{i}": 1 for i in range(50_000)}}
    with pytest.raises(EvidenceError) as info:
        load_evidence(json.dumps(data).encode(), name="x.json")
    problems = [str(p) for p in info.value.problems]
    assert len(problems) == 21
    assert problems[-1] == "and 49980 more unknown keys @ x.json $"


def test_reading_a_file_stops_at_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files were read whole before their size was checked: /dev/zero never ended."""
    from safeguard_std.io import documents

    monkeypatch.setattr(documents, "MAX_BYTES", 1000)
    with pytest.raises(EvidenceError) as info:
        load_evidence("/dev/zero")
    assert str(info.value) == (
        "invalid evidence: document is larger than 1000 bytes (the limit on one document: "
        "docs/limits.md says how to raise it) @ /dev/zero $"
    )


def test_a_caller_can_raise_or_lower_the_limits_on_one_document(tmp_path: Path) -> None:
    """A national export larger than the defaults loads when the caller says so; lowering the
    limits refuses a document the defaults accept, from a file or from bytes, with the same
    message."""
    from safeguard_std import Limits

    raw = (ROOT / "examples" / "dorset-youth-charity.json").read_bytes()
    path = tmp_path / "bundle.json"
    path.write_bytes(raw)
    small = Limits(max_bytes=len(raw) - 1)
    for source in (path, raw):
        with pytest.raises(EvidenceError) as info:
            load_evidence(source, name="bundle.json", limits=small)
        assert str(info.value).startswith(
            f"invalid evidence: document is larger than {len(raw) - 1} bytes"
        )
    brackets = raw.count(b"{") + raw.count(b"[")
    with pytest.raises(EvidenceError) as info:
        load_evidence(raw, name="bundle.json", limits=Limits(max_nodes=brackets - 1))
    assert f"document has more than {brackets - 1} lists and mappings" in str(info.value)
    exact = Limits(max_bytes=len(raw), max_nodes=brackets)
    assert load_evidence(path, limits=exact) == load_evidence(path)
    with pytest.raises(ValueError, match="max_bytes"):
        Limits(max_bytes=0)


# -- the evidence as it stood on as_of ---------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "person", "message"),
    [
        (
            {"kind": "check_current", "check": "dbs", "period": "P3Y"},
            {"dbs_checks": [{"id": "d-1", "level": "basic", "issued_on": "2026-01-02"}]},
            "no basic-level DBS check is recorded",
        ),
        (
            {"kind": "check_current", "check": "dbs", "period": "P3Y"},
            {
                "dbs_checks": [{"id": "d-1", "level": "basic", "issued_on": "2020-01-02"}],
                "update_service": {
                    "id": "u-1",
                    "status_checks": [
                        {"id": "s-1", "checked_on": "2026-01-02", "result": "current_clear"}
                    ],
                },
            },
            "DBS check lapsed: renewal was due on 2023-01-02",
        ),
        (
            {"kind": "training_current", "courses": ["child_protection"], "period": "P3Y"},
            {
                "training": [
                    {"id": "t-1", "course": "child_protection", "completed_on": "2026-01-02"}
                ]
            },
            "no child_protection training is recorded",
        ),
        (
            {"kind": "references", "min": 1},
            {
                "references": [
                    {
                        "id": "r-1",
                        "received_on": "2025-12-01",
                        "verified_on": "2026-01-02",
                        "satisfactory": True,
                    }
                ]
            },
            "0 of 1 satisfactory verified reference(s); 1 awaiting verification",
        ),
        (
            {"kind": "check_present", "check": "identity"},
            {"identity_check": {"id": "i-1", "checked_on": "2026-01-02"}},
            "no identity check is recorded",
        ),
    ],
)
def test_records_dated_after_as_of_do_not_count(
    rule: dict[str, Any], person: dict[str, Any], message: str
) -> None:
    """docs/dates.md rule 8 said so, but a DBS check issued tomorrow (or training completed,
    a reference verified, an identity checked tomorrow) satisfied today's finding, so re-running
    an old as_of did not reproduce the old result."""
    found = judge(rule, make_bundle(**person), AS_OF)
    assert (found.status.value, found.message) == ("not_met", message)
    later = judge(rule, make_bundle(**person), dt.date(2026, 6, 1))
    assert later.status.value == "met"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "id: !!python/object/apply:os.system ['echo hi']\n",
            "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' "
            "@ x.yaml $.id (line 1, column 5)",
        ),
        (
            "a: !!set {x, y}\n",
            "unsupported YAML tag 'tag:yaml.org,2002:set' @ x.yaml $.a (line 1, column 4)",
        ),
    ],
)
def test_tags_on_mappings_and_sequences_are_refused(text: str, message: str) -> None:
    """Only scalar tags were checked: '!!python/object/apply' on a sequence was silently read as
    a plain list (never executed, but never refused either)."""
    assert _syntax(text, "x.yaml") == message


def test_a_number_too_long_to_read_says_so_plainly() -> None:
    """Python's guard message named sys.set_int_max_str_digits()."""
    assert _syntax(b'{"id": 1' + b"0" * 5000 + b"}", "x.json") == (
        "numbers longer than 4300 digits are not allowed @ x.json $"
    )


def test_model_level_errors_point_at_the_field_not_the_record() -> None:
    """Validators that compare fields ran in the record's __init__, after cattrs had left the
    field, so the error pointed at the whole record ($.policies[0]) and its line: a user with a
    long record had to hunt for the field."""
    data = copy.deepcopy(BASE_BUNDLE)
    data["provider"] = {**data["provider"], "serves_age_min": 11, "serves_age_max": 5}
    with pytest.raises(EvidenceError) as info:
        bundle_from_data(data)
    assert [str(p) for p in info.value.problems] == [
        "'serves_age_max' (5) must not be below 'serves_age_min' (11) @ $.provider.serves_age_max"
    ]
    person = {
        "id": "p-1",
        "right_to_work": {"id": "rtw-1", "checked_on": "2024-01-01", "time_limited": True},
    }
    with pytest.raises(EvidenceError) as info:
        bundle_from_data({**BASE_BUNDLE, "people": [person]})
    assert [str(p) for p in info.value.problems] == [
        "'permission_expires_on' is required when 'time_limited' is true "
        "@ $.people[0].right_to_work.permission_expires_on"
    ]


def test_a_provider_file_is_read_no_further_than_the_size_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The SCR importer's provider file, mapping file and spreadsheet were read whole before
    their size was checked."""
    from safeguard_std.exceptions import MappingError, SpreadsheetError
    from safeguard_std.importers._mapping import load_mapping
    from safeguard_std.importers._provider import load_provider
    from safeguard_std.importers._tables import read_workbook
    from safeguard_std.io import documents

    monkeypatch.setattr(documents, "MAX_BYTES", 1000)
    limit = "document is larger than 1000 bytes (the limit on one document"
    with pytest.raises(EvidenceError) as info:
        load_provider("/dev/zero")
    assert str(info.value).startswith(f"invalid evidence: {limit}")
    # so are the mapping file and the spreadsheet itself
    with pytest.raises(MappingError) as mapping:
        load_mapping("/dev/zero")
    assert limit in str(mapping.value)
    with pytest.raises(SpreadsheetError) as sheet:
        read_workbook("/dev/zero")
    assert limit in str(sheet.value)
