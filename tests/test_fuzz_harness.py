"""The atheris harnesses' checks run on real and damaged inputs, so they cannot rot unnoticed
(atheris itself is optional and not needed here)."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType

import pytest
import yaml

from tests.conftest import FIXTURES, ROOT


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_harness", ROOT / "fuzz" / "harness.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HARNESS = _harness()
BUNDLE = (FIXTURES / "bundle-small.json").read_bytes()
PACK = (FIXTURES / "packs" / "demo" / "1" / "pack.yaml").read_bytes()


def _variants(body: bytes) -> list[bytes]:
    """JSON and YAML format bytes, whole, cut short, and with bytes flipped."""
    out = []
    for prefix in (b"\x00", b"\x01"):
        out += [
            prefix + body,
            prefix + body[: len(body) // 2],
            prefix + body.replace(b"e", b"\xff"),
        ]
    return [*out, b"", b"\x00", bytes(range(256))]


@pytest.mark.parametrize("data", _variants(BUNDLE))
def test_evidence_harness(data: bytes) -> None:
    HARNESS.check_evidence(data)


@pytest.mark.parametrize("data", _variants(PACK))
def test_pack_harness(data: bytes) -> None:
    HARNESS.check_pack(data)


def test_the_format_byte_picks_the_parser() -> None:
    as_yaml = yaml.safe_dump(json.loads(BUNDLE)).encode()
    assert HARNESS.suffix_and_body(b"\x01" + as_yaml) == (".yaml", as_yaml)
    assert HARNESS.suffix_and_body(b"\x02" + BUNDLE) == (".json", BUNDLE)


SCR = FIXTURES / "scr"


@pytest.mark.parametrize(
    "data",
    [
        b"\x00" + (SCR / "scr.csv").read_bytes(),
        b"\x00" + (SCR / "scr-windows-1252.csv").read_bytes(),
        b"\x01" + (SCR / "scr.xlsx").read_bytes(),
        b"\x01" + (SCR / "scr.xlsx").read_bytes()[:2000],
        b"\x00" + (SCR / "scr.csv").read_bytes().replace(b"/", b"\xff"),
        b"\x00Staff number,Surname,Safeguarding training\nS" + b"1" * 200 + b",X,01/01/2024\n",
        b"\x00" + b",".join(b"c%d" % i for i in range(400)) + b"\n",
        b"",
        b"\x01",
    ],
    ids=["csv", "cp1252", "xlsx", "xlsx-cut", "csv-damaged", "long-id", "wide", "empty", "x1"],
)
def test_scr_harness(data: bytes) -> None:
    HARNESS.check_scr(data)


_LINE = json.dumps(json.loads(BUNDLE)).encode()


@pytest.mark.parametrize(
    "data",
    [
        b"\n".join([_LINE, b"", b'{"id": ', _LINE]),
        _LINE.replace(b'"name"', b'"name": "\\udc80", "x"', 1) + b"\n" + _LINE,
        _LINE + b"\n" + b"[" * 70_000 + b"\n" + _LINE,
        b"\xff\xfe\n" + _LINE,
        b"",
        b"\n\n\r\n",
    ],
    ids=["broken-line", "surrogate", "oversized", "not-utf8", "empty", "blank"],
)
def test_ndjson_harness(data: bytes) -> None:
    HARNESS.check_ndjson(data)
