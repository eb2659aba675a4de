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
