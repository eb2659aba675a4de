"""The command's streaming import: what it writes a row at a time is what the whole result
gives, byte for byte."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from safeguard_std.importers import import_scr
from safeguard_std.importers._provenance import Origin, OriginKeys, RowOrigins, record_lines
from tests.conftest import ROOT

SCR = ROOT / "tests" / "fixtures" / "scr"
AS_OF = dt.date(2026, 11, 23)


def _general(row: RowOrigins) -> list[tuple[str, str]]:
    """Each record's line as the whole result's provenance writes it (Provenance.chunks)."""
    out = []
    for rid in row.record_ids():
        record = {f: [o.to_data() for o in found] for f, found in row.fields(rid).items()}
        line = json.dumps(rid, ensure_ascii=False) + ":"
        out.append((rid, line + json.dumps(record, sort_keys=True, ensure_ascii=False)))
    return out


BARE = {"provider": {"id": "p", "name": "P", "kind": "youth", "legal_form": "charity"}}


@pytest.mark.parametrize("name", ["scr.csv", "scr.xlsx", "scr-windows-1252.csv", "scr-1904.xlsx"])
def test_record_lines_are_the_general_encoders_on_every_fixture_row(name: str) -> None:
    provider = SCR / "provider.yaml" if name in ("scr.csv", "scr.xlsx") else BARE
    result = import_scr(SCR / name, provider=provider, as_of=AS_OF)
    rows = result.provenance.entries._rows  # type: ignore[attr-defined]
    assert rows
    for row in rows:
        assert list(record_lines(row)) == _general(row)


@pytest.mark.parametrize(
    "sheet", [None, "Staff", "Governors & Trustees", "Zoë's \"list\"", "a_b", "Тест"]
)
def test_record_lines_write_every_kind_of_origin_as_the_encoder_does(sheet: str | None) -> None:
    # Cells with odd text, several cells for one value, and traced values that are not cells.
    cells = ["S1", 'Ann "Nan" O\u2019Neil\t\\', dt.datetime(2020, 2, 29, 0, 0), 12.0, "\u2713"]
    headers = {i: (chr(65 + i), f"Header {i}") for i in range(len(cells))}
    section = Origin("section", raw="Volunteers", sheet=sheet, detail="row 4")
    default = Origin("default", raw="staff", detail="mapping default")
    flat = [
        "p-S1", "full_name", 1,
        "p-S1", "id", 0,
        "p-S1:dbs", "issued_on", 2,
        "p-S1:dbs", "certificate_number", 3,
        "p-S1:e1", "role_type", section,
        "p-S1:e1", "start_on", (2, 4),
        "p-S1:e1", "job_title", default,
        "p-S1:e1", "regulated_activity", (section, 4),
        "other-id", "note", 4,
        "p-S1", "full_name", 4,  # a later value for a field wins
    ]  # fmt: skip
    row = RowOrigins.pack(sheet, 7, "p-S1", cells, headers, OriginKeys(), flat)
    assert list(record_lines(row)) == _general(row)
