"""A value that may take one of several forms (``oneOf``/``anyOf``) is reported against the form
it was written for, found from its keys: never as a key of another form that is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard_std.domain.pack import PackRef
from safeguard_std.exceptions import PackError
from safeguard_std.packs.cases import load_cases

CASES = """\
evidence:
{evidence}
cases:
  - name: one
    expect:
      - {{requirement: DEMO-1, status: met}}
"""


def _messages(tmp_path: Path, evidence: str) -> list[str]:
    path = tmp_path / "cases.yaml"
    path.write_text(CASES.format(evidence=evidence), encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_cases(path, PackRef("demo", "1"))
    return [str(p) for p in info.value.problems]


def test_an_inline_bundle_with_its_provider_misspelt_is_a_bundle(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "  id: b\n  provder: {id: p}\n  policies: []")
    assert len(messages) == 1, messages
    assert messages[0].startswith("required key 'provider' is missing @ ")
    assert messages[0].endswith("(is 'provder' meant to be 'provider'?)")


def test_an_inline_bundle_without_a_provider_is_a_bundle(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "  id: b\n  policies: []")
    assert len(messages) == 1, messages
    assert messages[0].startswith("required key 'provider' is missing @ ")
    assert "'file'" not in messages[0]


def test_a_file_reference_with_its_key_misspelt_is_a_file_reference(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "  fil: base.yaml")
    assert len(messages) == 1, messages
    assert messages[0].startswith("unknown key 'fil': expected one of file @ ")
    assert messages[0].endswith("(did you mean 'file'?)")


# -- values described in words ------------------------------------------------------------------


def test_an_unquoted_yaml_boolean_where_a_word_is_meant_gets_a_hint(tmp_path: Path) -> None:
    from safeguard_std.evidence import load_evidence
    from safeguard_std.exceptions import EvidenceError

    path = tmp_path / "bundle.yaml"
    path.write_text(
        "id: b\n"
        "provider: {id: p, name: P, kind: youth, legal_form: charity}\n"
        "allegations:\n"
        "  - {id: alg-1, outcome: false}\n",
        encoding="utf-8",
    )
    with pytest.raises(EvidenceError) as info:
        load_evidence(path)
    (message,) = [str(p) for p in info.value.problems]
    assert "got False" in message
    assert message.startswith("value not allowed: expected one of 'substantiated', ")
    assert message.endswith(
        "(YAML reads an unquoted false as true or false: write 'false' in quotes)"
    )


def test_every_pattern_described_in_words_is_one_of_the_schemas() -> None:
    import json

    from safeguard_std.io._problems import _PATTERN_WORDS
    from tests.conftest import ROOT

    def patterns(node: object) -> set[str]:
        if isinstance(node, dict):
            own = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
            return own.union(*(patterns(v) for v in node.values()))
        if isinstance(node, list):
            return set().union(*(patterns(v) for v in node))
        return set()

    found = set().union(
        *(patterns(json.loads(p.read_text())) for p in (ROOT / "schemas").glob("*.json"))
    )
    assert set(_PATTERN_WORDS) <= found


def test_a_pack_test_files_errors_say_it_is_a_pack_test_file(tmp_path: Path) -> None:
    from safeguard_std.exceptions import PackTestError

    path = tmp_path / "cases.yaml"
    path.write_text("as_of: 2026-13-45\ncases: []\n", encoding="utf-8")
    with pytest.raises(PackTestError) as info:
        load_cases(path, PackRef("demo", "1"))
    assert isinstance(info.value, PackError)  # what callers caught before
    assert str(info.value).startswith("invalid pack test file: ")


def test_a_base_evidence_that_does_not_load_is_said_once_located_in_the_test_file(
    tmp_path: Path,
) -> None:
    # It was said once per case, located in "example.yaml::CASE evidence" without a line.
    path = tmp_path / "cases.yaml"
    path.write_text(
        "as_of: 2026-06-30\n"
        "evidence:\n"
        "  id: b\n"
        "  provider: {id: p, name: P, kind: youth, legal_form: charity}\n"
        "  policies:\n"
        "    - {id: pol-1, kind: safeguarding, approved_on: 2026-02-30}\n"
        "cases:\n"
        "  - name: one\n"
        "    expect:\n"
        "      - {requirement: DEMO-1, status: met}\n"
        "  - name: two\n"
        "    expect:\n"
        "      - {requirement: DEMO-1, status: met}\n",
        encoding="utf-8",
    )
    with pytest.raises(PackError) as info:
        load_cases(path, PackRef("demo", "1"))
    (message,) = [str(p) for p in info.value.problems]
    assert message == (
        "base evidence: expected a real calendar date 'YYYY-MM-DD', got '2026-02-30' "
        f"@ {path} $.evidence.policies[0].approved_on (line 6, column 39)"
    )
