"""Pack loading: located error messages, semantic checks, layering, editions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from safeguard_std.domain.pack import PackRef
from safeguard_std.exceptions import InvalidPackRef, PackError, PackNotFound
from safeguard_std.packs import PackCatalog, load_pack, read_layer
from tests.conftest import FIXTURES
from tests.support import make_pack, pack_yaml

GOOD_RULE = {"kind": "check_current", "check": "dbs", "period": "P3Y"}


def errors_of(requirement: dict[str, Any], **top: Any) -> list[str]:
    with pytest.raises(PackError) as info:
        make_pack({"rule": GOOD_RULE, **requirement}, **top)
    return [str(p) for p in info.value.problems]


def test_misspelt_key_has_line_and_hint() -> None:
    text = pack_yaml({"rule": GOOD_RULE}).replace("citation:", "citaton:")
    with pytest.raises(PackError) as info:
        read_layer("t/1/pack.yaml", text)
    messages = [str(p) for p in info.value.problems]
    assert any(
        m.startswith("unknown key 'citaton': expected one of ")
        and "@ t/1/pack.yaml $.requirements[0].citaton (line 14, column 3) "
        "(did you mean 'citation'?)"
        in m
        for m in messages
    ), messages
    assert "required key 'citation' is missing @ t/1/pack.yaml $.requirements[0] (line 11" in (
        "\n".join(messages)
    )


def test_bad_modality_enum_with_hint() -> None:
    (message,) = errors_of({"modality": "shoud"})
    assert message == (
        "value not allowed: expected one of 'must', 'should', 'recommended', got 'shoud' "
        "@ t/1/pack.yaml $.requirements[0].modality (line 16, column 3) (did you mean 'should'?)"
    )


def test_unknown_rule_kind_with_hint() -> None:
    (message,) = errors_of({"rule": {"kind": "check_curent"}})
    assert message.startswith("requirement R-1: unknown rule kind 'check_curent' @ ")
    assert message.endswith("(did you mean 'check_current'?)")


def test_bad_rule_parameter() -> None:
    (message,) = errors_of({"rule": {**GOOD_RULE, "period": "3 years"}})
    assert message == (
        "requirement R-1: rule kind 'check_current' parameter 'period' is not a duration: "
        "expected an ISO 8601 duration such as P3Y, P12M, P2W or P90D, got '3 years' "
        "@ t/1/pack.yaml $.requirements[0].rule.period (line 22, column 5)"
    )


def test_unknown_rule_parameter_is_named() -> None:
    (message,) = errors_of({"rule": {**GOOD_RULE, "perid": "P3Y"}})
    assert message.startswith(
        "requirement R-1: rule kind 'check_current' has no parameter 'perid': expected one of "
    )
    assert message.endswith(
        "@ t/1/pack.yaml $.requirements[0].rule.perid (line 23, column 5) (did you mean 'period'?)"
    )


def test_unknown_fact_with_hint() -> None:
    (message,) = errors_of({"applies_when": {"field": "person.regulated_activty", "eq": "yes"}})
    assert message.startswith(
        "requirement R-1: unknown fact 'person.regulated_activty': expected a fact defined for "
        "person requirements: one of contract.present, contract.risk_tier, "
        "person.days_since_start, "
    )
    assert "$.requirements[0].applies_when.field" in message
    assert message.endswith("(did you mean 'person.regulated_activity'?)")


def test_fact_value_checked_against_choices() -> None:
    (message,) = errors_of({"applies_when": {"field": "person.regulated_activity", "eq": "ja"}})
    assert message.startswith(
        "requirement R-1: 'ja' is not a value of person.regulated_activity: expected one of "
        "yes, no, unknown @ t/1/pack.yaml $.requirements[0].applies_when.eq"
    )


def test_person_fact_on_provider_subject() -> None:
    messages = errors_of(
        {
            "subject": "provider",
            "rule": {"kind": "attested"},
            "applies_when": {"field": "person.regulated_activity", "eq": "yes"},
        }
    )
    assert messages == [
        "requirement R-1: fact 'person.regulated_activity' is only defined for ['person'] "
        "subjects, not 'provider' @ t/1/pack.yaml $.requirements[0].applies_when.field "
        "(line 22, column 5)"
    ]


def test_operator_must_suit_the_fact() -> None:
    (message,) = errors_of({"applies_when": {"field": "provider.regulators", "eq": "ofsted"}})
    assert "operator 'eq' does not apply to set fact 'provider.regulators'" in message


def test_unknown_section_and_parameter() -> None:
    messages = errors_of(
        {"section": "9", "rule": {**GOOD_RULE, "period": {"param": "renewl"}}},
        parameters={"renewal": {"value": "P3Y"}},
    )
    assert any("unknown section '9'" in m for m in messages)
    assert any(
        "unknown parameter 'renewl'" in m and "did you mean 'renewal'?" in m for m in messages
    )


def test_kind_judging_the_wrong_subject() -> None:
    (message,) = errors_of({"subject": "provider"})
    assert "rule kind 'check_current' judges ['person'], not 'provider'" in message


def test_all_problems_reported_at_once() -> None:
    text = pack_yaml({"rule": GOOD_RULE, "modality": "x", "duty_holder": "y"})
    with pytest.raises(PackError) as info:
        read_layer("t/1/pack.yaml", text)
    assert len(info.value.problems) == 2
    assert str(info.value).endswith("(and 1 more problem)")


def test_duplicate_keys_and_bad_yaml() -> None:
    with pytest.raises(PackError, match=r"duplicate key 'id' @ p.yaml \$.id \(line 2"):
        read_layer("p.yaml", "id: a\nid: b\n")
    with pytest.raises(PackError, match=r"not valid YAML: .* \(line 2, column"):
        read_layer("p.yaml", "a: [1,\n  b: }\n")


def base_and_layer(tmp_path: Path, layer: dict[str, Any]) -> PackCatalog:
    import yaml

    base = yaml.safe_load(pack_yaml({"rule": GOOD_RULE}, parameters={"renewal": {"value": "P3Y"}}))
    (tmp_path / "t" / "1").mkdir(parents=True)
    (tmp_path / "t" / "1" / "pack.yaml").write_text(yaml.safe_dump(base))
    top = {
        "schema_version": 1,
        "id": "t",
        "edition": "2",
        "title": "T2",
        "board": "B",
        "effective_from": "2024-09-01",
        "extends": "t@1",
        **layer,
    }
    (tmp_path / "t" / "2").mkdir()
    (tmp_path / "t" / "2" / "pack.yaml").write_text(yaml.safe_dump(top, sort_keys=False))
    catalog = PackCatalog(layers={})
    catalog = catalog.with_folder(tmp_path)
    return catalog


def test_layering_alter_with_provenance(tmp_path: Path) -> None:
    catalog = base_and_layer(
        tmp_path,
        {"alter": {"R-1": {"title": "Renewed title"}}, "set_parameters": {"renewal": "P2Y"}},
    )
    pack = catalog.resolve("t@2")
    req = pack.requirement("R-1")
    assert (req.title, req.origin, dict(req.provenance)) == (
        "Renewed title",
        "t@1",
        {"title": "t@2"},
    )
    assert str(pack.parameters["renewal"].value) == "P2Y"
    assert pack.layers == ("t@1", "t@2")


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        ({"alter": {"R-2": {"title": "x"}}}, "alter names unknown requirement 'R-2'"),
        ({"exclude": ["R-9"]}, "exclude names unknown requirement 'R-9'"),
        ({"withdraw": [{"id": "R-3"}]}, "withdraw names unknown requirement 'R-3'"),
        ({"set_parameters": {"renewl": "P1Y"}}, "set_parameters names unknown parameter 'renewl'"),
        ({"extends": "t@9"}, "cannot extend 't@9': no pack 't@9'"),
    ],
)
def test_layering_errors(tmp_path: Path, layer: dict[str, Any], message: str) -> None:
    catalog = base_and_layer(tmp_path, layer)
    with pytest.raises(PackError) as info:
        catalog.resolve("t@2")
    assert message in str(info.value)
    assert "t/2/pack.yaml" in str(info.value)


def test_reusing_a_withdrawn_id_is_an_error(tmp_path: Path) -> None:
    import yaml

    req = yaml.safe_load(pack_yaml({"rule": GOOD_RULE}))["requirements"][0]
    catalog = base_and_layer(tmp_path, {"withdraw": [{"id": "R-1"}]})
    assert catalog.resolve("t@2").requirement("R-1").withdrawn
    (tmp_path / "t" / "3").mkdir()
    (tmp_path / "t" / "3" / "pack.yaml").write_text(
        yaml.safe_dump(
            {
                "schema_version": 1,
                "id": "t",
                "edition": "3",
                "title": "T3",
                "board": "B",
                "effective_from": "2025-09-01",
                "extends": "t@2",
                "requirements": [req],
            }
        )
    )
    catalog = catalog.with_folder(tmp_path)
    with pytest.raises(
        PackError,
        match="requirement id 'R-1' is already defined by t@1 "
        r"\(withdrawn ids are never reused\)",
    ):
        catalog.resolve("t@3")


def test_circular_extends(tmp_path: Path) -> None:
    catalog = base_and_layer(tmp_path, {})
    text = (tmp_path / "t" / "1" / "pack.yaml").read_text() + "extends: t@2\n"
    (tmp_path / "t" / "1" / "pack.yaml").write_text(text)
    catalog = PackCatalog(layers={})
    catalog = catalog.with_folder(tmp_path)
    with pytest.raises(PackError, match="circular extends: t@2 -> t@1 -> t@2"):
        catalog.resolve("t@2")


def test_edition_in_force(tmp_path: Path) -> None:
    catalog = base_and_layer(tmp_path, {})
    assert catalog.resolve("t", as_of=dt.date(2024, 8, 31)).edition == "1"
    assert catalog.resolve("t", as_of=dt.date(2024, 9, 1)).edition == "2"
    assert catalog.resolve("t@1").effective_to == dt.date(2024, 8, 31)
    with pytest.raises(PackNotFound, match="no edition is in force on 1999-12-31"):
        catalog.resolve("t", as_of=dt.date(1999, 12, 31))
    with pytest.raises(PackNotFound, match="an as_of date is needed"):
        catalog.resolve("t")


def test_overlapping_editions(tmp_path: Path) -> None:
    catalog = base_and_layer(tmp_path, {})
    text = (tmp_path / "t" / "1" / "pack.yaml").read_text() + "effective_to: '2024-09-01'\n"
    (tmp_path / "t" / "1" / "pack.yaml").write_text(text)
    catalog = PackCatalog(layers={})
    catalog = catalog.with_folder(tmp_path)
    (problem,) = catalog.overlaps()
    assert str(problem).startswith(
        "edition t@1 ends on 2024-09-01, after t@2 starts: expected a date before 2024-09-01"
    )


def test_unknown_pack_lists_known_ones(catalog: PackCatalog) -> None:
    with pytest.raises(PackNotFound, match=r"known packs: .*demo@1.*\(did you mean 'demo'\?\)"):
        catalog.resolve("dem@1")


@pytest.mark.parametrize("text", ["", "Dorset", "dorset@", "dorset@20 24", "a@b@c"])
def test_pack_ref_errors(text: str) -> None:
    with pytest.raises(InvalidPackRef, match=f"invalid pack reference {text!r}"):
        PackRef.parse(text)


def test_pack_ref_round_trip() -> None:
    assert str(PackRef.parse("dorset@2024")) == "dorset@2024"


def test_a_pack_defined_twice_names_the_option_that_resolves_it(tmp_path: Path) -> None:
    """An installed pack and a --packs-dir pack with the same id@edition: the error says how
    to choose (the CLI option) and how to avoid it in Python."""
    import shutil

    copy = tmp_path / "harbour" / "2023"
    shutil.copytree(FIXTURES / "packs" / "harbour" / "2023", copy)
    catalog = PackCatalog(layers={}).with_folder(FIXTURES / "packs" / "harbour" / "2023")
    with pytest.raises(PackError) as info:
        catalog.with_layer(read_layer(copy))
    assert str(info.value).endswith(
        "(choose the one to use with --trust-pack-source NAME, or leave installed packs out with "
        "--no-entry-points; in Python, build the catalog without the other "
        "(bundled_catalog(entry_points_too=False)))"
    )


# -- catalogs are values ---------------------------------------------------------------------------


def test_with_folder_and_with_layer_return_new_catalogs() -> None:
    empty = PackCatalog(layers={})
    demo = empty.with_folder(FIXTURES / "packs" / "demo" / "1")
    assert empty.refs == ()
    assert [str(r) for r in demo.refs] == ["demo@1"]
    harbour = read_layer(FIXTURES / "packs" / "harbour" / "2023")
    both = demo.with_layer(harbour)
    assert [str(r) for r in both.refs] == ["demo@1", "harbour@2023"]
    assert [str(r) for r in demo.refs] == ["demo@1"]


def test_load_pack_from_a_path_leaves_the_callers_catalog_alone() -> None:
    catalog = PackCatalog(layers={})
    pack = load_pack(FIXTURES / "packs" / "demo" / "1", catalog=catalog)
    assert str(pack.ref) == "demo@1"
    assert catalog.refs == ()


def test_add_folder_and_add_layer_still_work_but_are_deprecated() -> None:
    catalog = PackCatalog(layers={})
    with pytest.warns(DeprecationWarning, match=r"use catalog = catalog\.with_folder\(root\)"):
        catalog.add_folder(FIXTURES / "packs" / "demo" / "1")
    harbour = read_layer(FIXTURES / "packs" / "harbour" / "2023")
    with pytest.warns(DeprecationWarning, match=r"use catalog = catalog\.with_layer\(layer\)"):
        catalog.add_layer(harbour)
    assert [str(r) for r in catalog.refs] == ["demo@1", "harbour@2023"]


def test_provenance_keeps_the_order_alter_names_the_fields_whatever_the_hash_seed() -> None:
    # Strings hash differently in every process: a set of field names came out in a new order.
    import os
    import subprocess
    import sys

    code = (
        "from safeguard_std.packs import bundled_catalog\n"
        "cat = bundled_catalog(entry_points_too=False)\n"
        "for p in cat.resolutions('kcsie@2022'):\n"
        "    for r in p.requirements:\n"
        "        print(r.id, list(r.provenance))\n"
    )
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert "'reading'" in next(iter(outputs))  # the altered fields are there to be ordered


# --- A comparison written wrongly is reported as a comparison, not as a missing 'all' --------


@pytest.mark.parametrize(
    ("applies_when", "expected"),
    [
        # A misspelt param reference: the key, with a hint.
        (
            {"field": "provider.kind", "in": {"parm": "kinds"}},
            "unknown key 'parm': expected one of param "
            "@ t/1/pack.yaml $.requirements[0].applies_when.in.parm",
        ),
        # A param reference whose name is not text.
        (
            {"field": "provider.kind", "in": {"param": 5}},
            "invalid value: expected a string, got 5 "
            "@ t/1/pack.yaml $.requirements[0].applies_when.in.param",
        ),
        # One key too many beside the reference.
        (
            {"field": "provider.kind", "in": {"param": "kinds", "x": 1}},
            "unknown key 'x': expected one of param "
            "@ t/1/pack.yaml $.requirements[0].applies_when.in.x",
        ),
        # A comparison with two operators.
        (
            {"field": "provider.kind", "eq": "school", "ne": "youth"},
            "invalid value: expected at most 2 keys, got {'field': 'provider.kind', 'eq': "
            "'school', 'ne': 'youth'} @ t/1/pack.yaml $.requirements[0].applies_when ",
        ),
        # all: given a mapping rather than a list.
        (
            {"all": {"field": "provider.kind", "eq": "school"}},
            "invalid value: expected a list, got {'field': 'provider.kind', 'eq': 'school'} "
            "@ t/1/pack.yaml $.requirements[0].applies_when.all",
        ),
        # A misspelt operator.
        (
            {"field": "provider.kind", "eqq": "school"},
            "unknown key 'eqq'",
        ),
    ],
)
def test_a_malformed_comparison_is_reported_where_it_is_wrong(
    applies_when: dict[str, Any], expected: str
) -> None:
    messages = errors_of({"applies_when": applies_when})
    assert any(expected in m for m in messages), messages
    assert not any("required key 'all'" in m for m in messages), messages


@pytest.mark.parametrize(
    ("applies_when", "expected", "not_said"),
    [
        # The key that says which form it is, misspelt: that form, with a hint.
        ({"al": [{"field": "provider.kind", "eq": "school"}]}, "(did you mean 'all'?)", "'any'"),
        ({"anyy": [{"field": "provider.kind", "eq": "school"}]}, "(did you mean 'any'?)", "'all'"),
        ({"nto": {"field": "provider.kind", "eq": "school"}}, "(did you mean 'not'?)", "'all'"),
        ({"feild": "provider.kind", "eq": "school"}, "(did you mean 'field'?)", "'all'"),
        # An operator without its fact.
        ({"eq": "school"}, "required key 'field' is missing", "'all'"),
        # Nothing at all: every form named.
        ({}, "required key missing: expected one of 'all', 'any', 'not', 'field'", "'all' is"),
        # A misspelt reference is said once, as the misspelling, not also as a missing key.
        ({"field": "provider.kind", "in": {"parm": "kinds"}}, "unknown key 'parm'", "missing"),
    ],
)
def test_the_form_a_comparison_was_written_for_is_found_from_its_keys(
    applies_when: dict[str, Any], expected: str, not_said: str
) -> None:
    messages = errors_of({"applies_when": applies_when})
    assert any(expected in m for m in messages), messages
    assert not any(not_said in m for m in messages), messages
    assert len(messages) == 1, messages


@pytest.mark.parametrize(
    ("applies_when", "expected"),
    [
        (
            {"field": "provider.headcount", "gt": "5"},
            "invalid value: expected a whole number or {param: NAME}, got '5' "
            "@ t/1/pack.yaml $.requirements[0].applies_when.gt",
        ),
        (
            {"field": "provider.kind", "in": "youth"},
            "invalid value: expected a list or {param: NAME}, got 'youth' "
            "@ t/1/pack.yaml $.requirements[0].applies_when.in",
        ),
    ],
)
def test_a_value_of_neither_form_names_both(applies_when: dict[str, Any], expected: str) -> None:
    (message,) = errors_of({"applies_when": applies_when})
    assert message.startswith(expected), message


@pytest.mark.parametrize("key", ["all", "any"])
def test_an_empty_list_of_conditions_is_refused(key: str) -> None:
    # any: [] is never true: the requirement would be not_applicable for everyone, silently.
    (message,) = errors_of({"applies_when": {key: []}})
    assert message.startswith(
        f"invalid value: expected at least 1 item, got [] @ t/1/pack.yaml "
        f"$.requirements[0].applies_when.{key} "
    ), message


@pytest.mark.parametrize("key", ["all", "any"])
def test_the_predicate_parser_refuses_an_empty_list_too(key: str) -> None:
    from safeguard_std.domain.predicates import PredicateSyntaxError, parse_predicate

    with pytest.raises(PredicateSyntaxError, match=f"'{key}' takes a list of at least one"):
        parse_predicate({"not": {key: []}})


def test_a_parameter_value_of_no_allowed_type_lists_them_in_words() -> None:
    (message,) = errors_of({}, parameters={"renewal": {"value": {"years": 3}}})
    assert message.startswith(
        "invalid value: expected a string, a whole number, true or false, or a list, got "
        "{'years': 3} @ t/1/pack.yaml $.parameters.renewal.value "
    ), message
