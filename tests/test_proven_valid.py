"""Bundled packs proven valid by the test suite are not validated again when they load
(``safeguard-std packs`` spent a third of its time on it); anything else is validated as before."""

from __future__ import annotations

import importlib
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from safeguard_std.exceptions import PackError
from safeguard_std.io import schemas
from safeguard_std.io.documents import load_document
from safeguard_std.packs import load_pack

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "docs" / "_scripts" / "prove_bundled_packs.py"
_kind = importlib.import_module("safeguard_std.rules._kind")


def test_the_proofs_are_up_to_date() -> None:
    script = runpy.run_path(str(SCRIPT))
    assert script["main"](["--check"]) == 0, f"run: python {SCRIPT.relative_to(ROOT)}"


def test_every_bundled_pack_file_is_proven_and_valid() -> None:
    files = sorted((ROOT / "standards").glob("*/*/pack.yaml"))
    assert len(files) >= 7
    for path in files:
        data = load_document(path, what="pack file").data
        assert schemas.proven_valid("standard-pack", data), path
        assert list(schemas.schema_errors("standard-pack", data)) == [], path


def test_an_edited_bundled_pack_is_validated_again(tmp_path: Path) -> None:
    text = (ROOT / "standards" / "kcsie" / "2025" / "pack.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "pack.yaml"
    edited.write_text(text + "\nunexpected_key: 1\n", encoding="utf-8")
    data = load_document(edited, what="pack file").data
    assert not schemas.proven_valid("standard-pack", data)
    with pytest.raises(PackError) as caught:
        load_pack(edited)
    assert "unexpected_key" in str(caught.value)


def test_equal_in_python_is_not_equal_in_json() -> None:
    assert schemas.digest_of({"a": True}) != schemas.digest_of({"a": 1})
    assert schemas.digest_of({"a": 1}) != schemas.digest_of({"a": 1.0})
    assert schemas.digest_of({"b": 1, "a": 2}) == schemas.digest_of({"a": 2, "b": 1})
    assert schemas.digest_of({1: "a"}) is None  # json.dumps would write it as "1"
    assert schemas.digest_of([{"a": {2: 1}}]) is None
    assert schemas.digest_of({"a": object()}) is None


def test_a_changed_schema_proves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    schemas._proven.cache_clear()
    real = schemas.schema("standard-pack")
    monkeypatch.setattr(schemas, "schema", lambda name: {**real, "title": "changed"})
    try:
        data = load_document(ROOT / "standards/kcsie/2025/pack.yaml", what="pack file").data
        assert not schemas.proven_valid("standard-pack", data)
    finally:
        monkeypatch.undo()
        schemas._proven.cache_clear()
    assert schemas.proven_valid("standard-pack", data)


def test_rule_parameters_of_the_bundled_packs_are_proven_and_others_are_not() -> None:
    pack = load_pack("dorset", as_of=__import__("datetime").date(2026, 11, 23))
    from safeguard_std.rules import default_registry
    from safeguard_std.rules.compile import resolve_params

    registry = default_registry()
    proven = 0
    for req in pack.active_requirements:
        kind = registry[req.rule.kind]
        params, _ = resolve_params(pack, req.rule.params)
        proven += kind.proven_valid(params)
        assert kind.validate_params(params) == []
    assert proven == len(pack.active_requirements)
    kind = registry["check_present"]
    assert not kind.proven_valid({"checks": ["not-a-check"]})
    assert kind.validate_params({"checks": ["not-a-check"]}) != []


def test_listing_the_bundled_packs_never_imports_a_schema_validator() -> None:
    # The whole saving: neither the files nor the rules' parameters are validated again.
    code = (
        "import sys, io, contextlib\n"
        "from safeguard_std.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['packs'])\n"
        "assert code == 0, code\n"
        "names = {'jsonschema', 'referencing'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in names))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_pack_with_bad_parameters_still_gets_located_problems(tmp_path: Path) -> None:
    text = (ROOT / "standards" / "kcsie" / "2024" / "pack.yaml").read_text(encoding="utf-8")
    bad = text.replace(
        "check: dbs, level: enhanced, require_date: true}", "check: dbs, level: 3}", 1
    )
    assert bad != text
    (tmp_path / "pack.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(tmp_path)
    message = str(caught.value)
    assert "rule kind 'check_present' parameter 'level': value not allowed" in message
    assert "$.requirements[1].rule.level (line 104, column 45)" in message
