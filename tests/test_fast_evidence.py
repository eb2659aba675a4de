"""The fast evidence path agrees with the full one: same bundles, same errors, word for word."""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from typing import Any

import pytest
from benchmarks.generate import BundleGenerator

from safeguard_std.evidence import (
    _structure_fully,
    integrity_problems,
    load_evidence,
    record_id_paths,
)
from safeguard_std.evidence._fast import HANDLED_KEYWORDS, all_ids, structure_fast
from safeguard_std.exceptions import EvidenceError
from safeguard_std.io.documents import Document, _depth_ok, parse
from safeguard_std.io.schemas import schema
from safeguard_std.serialization import converter
from tests.conftest import ROOT
from tests.support import BASE_BUNDLE

ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description", "x-personal"}


def keywords(node: Any, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(key)
            if key in ("properties", "$defs"):  # names of properties and definitions
                for sub in value.values():
                    keywords(sub, out)
            else:
                keywords(value, out)
    elif isinstance(node, list):
        for item in node:
            keywords(item, out)
    return out


def test_the_schema_uses_only_keywords_the_fast_path_enforces() -> None:
    found = keywords(schema("evidence"), set()) - ANNOTATIONS
    assert found <= HANDLED_KEYWORDS, sorted(found - HANDLED_KEYWORDS)


def reference(raw: bytes) -> tuple[str, Any]:
    """The loading pipeline without the fast path: schema, then converter, then integrity."""
    try:
        doc = parse(raw, "b.json")
        data = doc.data
        if not isinstance(data, dict):
            return ("error", ["not a mapping"])
        bundle = _structure_fully(data, doc, "b.json", False, True)
        problems = integrity_problems(bundle, doc)
    except EvidenceError as exc:
        return ("error", [str(p) for p in exc.problems])
    except Exception as exc:  # a DocumentSyntaxError
        return ("error", [str(p) for p in getattr(exc, "problems", [exc])])
    if problems:
        return ("error", [str(p) for p in problems])
    return ("ok", bundle)


def actual(raw: bytes) -> tuple[str, Any]:
    try:
        return ("ok", load_evidence(raw, name="b.json"))
    except EvidenceError as exc:
        return ("error", [str(p) for p in exc.problems])


def paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(paths(value, (*here, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(paths(value, (*here, i)))
    return out


REPLACEMENTS: list[Any] = [
    "",
    "x",
    " 2024-01-01",
    "2024-01-01 ",
    "2024-02-30",
    "2024-01-01T23:30:00Z",
    "2024-01-01\n",
    "enhanced",
    "dsl",
    "ab",
    0,
    -1,
    1.5,
    True,
    False,
    None,
    [],
    {},
    ["a", "a"],
    ["a", "b"],
    [{"id": "x-1"}],
    "p-0000001",
]


def mutate(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    data = copy.deepcopy(data)
    target = rng.choice(paths(data)[1:])
    *parent_path, last = target
    parent: Any = data
    for step in parent_path:
        parent = parent[step]
    action = rng.random()
    if action < 0.55:
        parent[last] = copy.deepcopy(rng.choice(REPLACEMENTS))
    elif action < 0.7 and isinstance(parent, dict):
        del parent[last]
    elif action < 0.8 and isinstance(parent, dict):
        parent["unexpected_" + str(last)] = parent[last]
    elif action < 0.9 and isinstance(parent[last], list) and parent[last]:
        parent[last].append(copy.deepcopy(parent[last][0]))  # a repeated item (or id)
    elif isinstance(parent[last], dict) and "id" in parent[last]:
        parent[last]["id"] = "p-0000001"  # an id another record already has
    else:
        parent[last] = copy.deepcopy(rng.choice(REPLACEMENTS))
    return data


@pytest.fixture(scope="module")
def small_bundle() -> dict[str, Any]:
    return BundleGenerator(seed=11).bundle(2)


def test_generated_bundles_load_the_same_by_both_paths() -> None:
    for seed in range(3):
        raw = json.dumps(BundleGenerator(seed).bundle(150)).encode()
        assert actual(raw) == reference(raw)


@pytest.mark.parametrize("seed", range(5))
def test_mutated_bundles_give_the_same_result_and_errors(
    small_bundle: dict[str, Any], seed: int
) -> None:
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    for _ in range(40):
        data = mutate(small_bundle, rng)
        raw = json.dumps(data).encode()
        want = reference(raw)
        assert actual(raw) == want, json.dumps(data)[:400]
        outcomes[want[0]] += 1
    assert outcomes["error"] > 0  # the mutations do reach the error paths


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"date_of_birth": " 1985-03-04"},
            "invalid value: expected a date written YYYY-MM-DD, got "
            "(withheld: personal data) @ b.json $.people[0].date_of_birth",
        ),
        (
            {"previous_names": "Ann"},
            "invalid value: expected a list, got (withheld: personal data) "
            "@ b.json $.people[0].previous_names",
        ),
    ],
)
def test_what_only_the_schema_refuses_is_still_refused(
    change: dict[str, Any], message: str
) -> None:
    data = copy.deepcopy(BASE_BUNDLE)
    data["people"][0].update(change)
    kind, problems = actual(json.dumps(data).encode())
    assert kind == "error"
    assert problems[0].startswith(message)


def test_repeated_items_in_a_set_field_are_refused() -> None:
    data = copy.deepcopy(BASE_BUNDLE)
    data["provider"]["local_areas"] = ["Dorset", "Dorset"]
    kind, problems = actual(json.dumps(data).encode())
    assert (kind, problems) == (
        "error",
        [
            "invalid value: expected ['Dorset', 'Dorset'] has non-unique elements, got "
            "['Dorset', 'Dorset'] @ b.json $.provider.local_areas (line 1, column 111)"
        ],
    )


def test_a_non_text_schema_marker_is_refused() -> None:
    assert structure_fast({**BASE_BUNDLE, "$schema": 5}) is None
    assert structure_fast({**BASE_BUNDLE, "$schema": "x"}) is not None


def test_deep_json_evidence_is_refused_on_the_full_path() -> None:
    deep: Any = "x"
    for _ in range(80):
        deep = [deep]
    data = {**copy.deepcopy(BASE_BUNDLE), "people": deep}
    with pytest.raises(EvidenceError) as info:
        load_evidence(json.dumps(data).encode(), name="deep.json")
    assert str(info.value.problems[0]) == "document is nested deeper than 64 levels @ deep.json $"


def old_depth_ok(data: Any, limit: int) -> bool:
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def test_depth_check_agrees_with_a_plain_walk() -> None:
    rng = random.Random(3)

    def tree(depth: int) -> Any:
        roll = rng.random()
        if depth > 8 or roll < 0.3:
            return rng.choice([1, "a", None])
        if roll < 0.45:
            return rng.choice([[], {}])
        if roll < 0.75:
            return [tree(depth + 1) for _ in range(rng.randint(1, 3))]
        return {str(i): tree(depth + 1) for i in range(rng.randint(1, 3))}

    for _ in range(3000):
        data, limit = tree(0), rng.randint(0, 6)
        assert _depth_ok(data, limit) == old_depth_ok(data, limit)


def test_all_ids_finds_what_the_document_walk_finds() -> None:
    bundle = load_evidence(json.dumps(BundleGenerator(5).bundle(40)).encode(), name="b.json")
    walked = [ident for _path, ident in record_id_paths(converter().unstructure(bundle))]
    assert Counter(all_ids(bundle)) == Counter(walked)


def test_a_document_parsed_without_the_depth_check_can_check_later() -> None:
    doc = parse(b"[[[1]]]", "x.json", check_depth=False)
    assert isinstance(doc, Document)
    assert not doc.depth_checked
    doc.check_depth()  # shallow: no error


def test_yaml_is_read_the_same_by_both_parsers() -> None:
    import yaml

    from safeguard_std.io import documents

    text = (ROOT / "tests" / "fixtures" / "packs" / "demo" / "1" / "pack.yaml").read_text()
    fast = documents._compose(text, "p.yaml")
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    builder = documents._Builder("p.yaml")
    assert fast == (builder.build(node, (), 0), builder.positions)


def test_yaml_syntax_errors_keep_pyyaml_wording() -> None:
    with pytest.raises(Exception, match="not valid YAML: expected <block end>") as info:
        parse("a:\n  - b\n  c: d\n", "p.yaml")
    assert "line 3" in str(info.value)
