"""No personal data in any export unless the caller asks for it.

Every fixture bundle is evaluated against both fixture packs and exported in every format (and
rolled up into a portfolio); the outputs are scanned, raw and unescaped, for every name, previous
name, date of birth (in several spellings), address, DBS certificate number and attester in the
bundles, and for the sole trader's business name. None may appear by default. With
``include_personal_data`` names may appear; dates of birth, addresses and certificate numbers
never do, since no report shows them.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import subprocess
import sys

import pytest
from report_fixtures import AS_OF, BUNDLES, PROVIDERS, REPORTS, assess, bundle, pack

from safeguard_std.portfolio.rollup import (
    evaluate_portfolio,
    portfolio_to_json,
    portfolio_to_markdown,
)
from safeguard_std.reports import FORMATS, render


def _dates(iso: str) -> list[str]:
    d = dt.date.fromisoformat(iso)
    return [
        iso,
        d.strftime("%d/%m/%Y"),
        d.strftime("%Y/%m/%d"),
        f"{d.day} {d.strftime('%B')} {d.year}",
        d.strftime("%d %B %Y"),
    ]


def _personal(name: str) -> dict[str, list[str]]:
    """The bundle's personal values by kind: names, other (dates of birth, addresses, numbers)."""
    data = json.loads((BUNDLES / f"{name}.json").read_text(encoding="utf-8"))
    names: list[str] = []
    other: list[str] = []
    for person in data.get("people", []):
        names += [person["full_name"], *person.get("previous_names", [])]
        other += _dates(person["date_of_birth"])
        other.append(person["address"])
        other += [c["certificate_number"] for c in person.get("dbs_checks", [])]
    names += [a["attested_by"] for a in data.get("attestations", []) if "attested_by" in a]
    if data["provider"]["legal_form"] == "sole_trader":
        names.append(data["provider"]["name"])
    return {"names": names, "other": other}


ALL = {name: _personal(name) for name in PROVIDERS}
ALL_VALUES = sorted({v for kinds in ALL.values() for vs in kinds.values() for v in vs})


def _hits(text: str, values: list[str]) -> list[str]:
    haystacks = (text, html.unescape(text))
    return sorted({v for v in values if any(v in h for h in haystacks)})


def test_the_scan_list_is_complete() -> None:
    harbour = ALL["harbour"]
    assert "Niamh O'Connell" in harbour["names"]
    assert "Niamh Brennan" in harbour["names"]
    assert "Janet Hollis" in harbour["names"]
    assert "14/03/1979" in harbour["other"]
    assert "112233445566" in harbour["other"]
    assert "Amara Okafor" in ALL["riverside"]["names"]
    assert len(ALL_VALUES) > 60


@pytest.mark.parametrize("ref", ["demo@1", "monitoring@1"])
@pytest.mark.parametrize("name", PROVIDERS)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_personal_data_by_default(ref: str, name: str, fmt: str) -> None:
    p, b, a = assess(ref, name)
    for text in (render(a, fmt, pack=p, bundle=b), render(a, fmt)):
        assert _hits(text, ALL_VALUES) == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_names_only_when_asked_for(fmt: str) -> None:
    p, b, a = assess("monitoring@1", "harbour")
    text = render(a, fmt, pack=p, bundle=b, include_personal_data=True)
    assert "Tomasz Wójcik" in html.unescape(text)
    assert _hits(text, ALL["harbour"]["other"]) == []
    # Previous names and attesters are never shown, even on request.
    assert _hits(text, ["Niamh Brennan", "Janet Hollis"]) == []


def test_scan_finds_what_it_looks_for() -> None:
    p, b, a = assess("monitoring@1", "harbour")
    text = render(a, "html", pack=p, bundle=b, include_personal_data=True)
    assert "Niamh O'Connell" not in text  # escaped in the page...
    assert "Niamh O'Connell" in _hits(text, ALL_VALUES)  # ...and found all the same


def test_portfolio_has_no_personal_data() -> None:
    summary = evaluate_portfolio(pack("demo@1"), [bundle(n) for n in PROVIDERS], AS_OF)
    for text in (portfolio_to_json(summary), portfolio_to_markdown(summary)):
        assert _hits(text, ALL_VALUES) == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_command_line_output_has_no_personal_data(fmt: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "safeguard_std",
            "evaluate",
            "--pack",
            "monitoring@1",
            "--packs-dir",
            str(REPORTS / "packs"),
            "--no-entry-points",
            "--evidence",
            str(BUNDLES / "riverside.json"),
            "--as-of",
            "2026-11-23",
            "--format",
            fmt,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert _hits(result.stdout + result.stderr, ALL_VALUES) == []
