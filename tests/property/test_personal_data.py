"""The personal-data guard: names, dates of birth, addresses and DBS certificate numbers never
appear in findings, assessments, error messages, log lines or command-line output unless the
caller asks for them.

Generated dates of birth lie at least sixteen years before ``as_of`` and every event date within
fifteen years of it, so a date of birth can never coincide with a date a finding legitimately
reports.
"""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.cli import main
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.exceptions import EvidenceError
from safeguard_std.reports import FORMATS, render
from safeguard_std.serialization import assessment_to_json, bundle_to_data
from safeguard_std.strategies import evidence_bundles
from tests.conftest import EXAMPLES, FIXTURES
from tests.property.support import AS_OF, PACKS, as_of_for

REFS = sorted(PACKS)


def personal_values(bundle: EvidenceBundle) -> set[str]:
    """Every personal value in ``bundle``, as it could appear in text."""
    found: set[str] = set()
    for person in bundle.people:
        found.update(v for v in (person.full_name, person.address) if v)
        found.update(person.previous_names)
        if person.date_of_birth is not None:
            dob = person.date_of_birth
            found.update({dob.isoformat(), dob.strftime("%d/%m/%Y"), repr(dob)})
        found.update(c.certificate_number for c in person.dbs_checks if c.certificate_number)
    found.update(a.attested_by for a in bundle.attestations if a.attested_by)
    return found


def leaks(text: str, values: set[str]) -> list[str]:
    return sorted(v for v in values if v in text)


def _with_people(draw: st.DataObject, ref: str) -> tuple[EvidenceBundle, Any]:
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    bundle = draw.draw(evidence_bundles(pack, as_of=as_of, min_people=1, max_people=4))
    return bundle, as_of


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ref=st.sampled_from(REFS), data=st.data())
def test_findings_and_logs_hold_no_personal_data(
    ref: str, data: st.DataObject, caplog: pytest.LogCaptureFixture
) -> None:
    bundle, as_of = _with_people(data, ref)
    values = personal_values(bundle)
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        loaded = load_evidence(json.dumps(bundle_to_data(bundle)).encode(), name="bundle.json")
        text = assessment_to_json(evaluate(PACKS[ref], loaded, as_of=as_of))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert leaks(text, values) == []
    assert leaks(logged, values) == []


@settings(max_examples=25)
@given(ref=st.sampled_from(REFS), data=st.data())
def test_every_report_format_holds_no_personal_data(ref: str, data: st.DataObject) -> None:
    """JSON, Markdown, HTML, OSCAL, SARIF and JUnit, with the pack and the bundle given (as the
    command line renders them), show no personal value unless asked for."""
    bundle, as_of = _with_people(data, ref)
    values = personal_values(bundle)
    pack = PACKS[ref]
    assessment = evaluate(pack, bundle, as_of=as_of)
    for name in sorted(FORMATS):
        text = render(assessment, name, pack=pack, bundle=bundle)
        assert (name, leaks(text, values)) == (name, [])


def test_every_report_format_shows_names_only_when_asked() -> None:
    """The scan above can find what it looks for: on the example bundle, every format names
    people when personal data is asked for, and none does otherwise."""
    pack = PACKS["dorset@2024"]
    bundle = load_evidence(EXAMPLES / "dorset-youth-charity.json")
    values = personal_values(bundle)
    assessment = evaluate(pack, bundle, as_of=AS_OF)
    for name in sorted(FORMATS):
        shown = render(assessment, name, pack=pack, bundle=bundle, include_personal_data=True)
        assert leaks(shown, values), name
        assert leaks(render(assessment, name, pack=pack, bundle=bundle), values) == [], name


def _spoil(person: dict[str, Any], how: str) -> None:
    """Make one personal field of ``person`` invalid while keeping its value in the document."""
    if how == "name_in_list":
        person["full_name"] = [person.get("full_name") or "Test Person 0"]
    elif how == "name_as_mapping":
        person["address"] = {"line": person.get("address") or "0 Example Road"}
    elif how == "dob_as_text":
        dob = person.get("date_of_birth") or "1980-01-31"
        person["date_of_birth"] = f"{dob[8:10]}/{dob[5:7]}/{dob[0:4]}"
    elif how == "dob_bad_timestamp":
        person["date_of_birth"] = (person.get("date_of_birth") or "1980-01-31") + "T25:61:00"
    elif how == "dob_impossible":
        person["date_of_birth"] = (person.get("date_of_birth") or "1980-01-31")[:8] + "32"
    elif how == "previous_names_text":
        person["previous_names"] = (person.get("previous_names") or ["Test Former Name 0"])[0]
    elif how == "dbs_number_13_digits":
        checks = person.setdefault("dbs_checks", [])
        if not checks:
            checks.append({"id": "dbs-spoilt", "level": "basic"})
        checks[0]["jurisdiction"] = "dbs"
        checks[0]["certificate_number"] = (checks[0].get("certificate_number") or "999900000000")[
            :12
        ] + "7"
    elif how == "dbs_number_as_int":
        checks = person.setdefault("dbs_checks", [])
        if not checks:
            checks.append({"id": "dbs-spoilt", "level": "basic"})
        checks[0]["certificate_number"] = int("1" + "999900000001")
    else:  # an unrelated error beside intact personal data
        person["unexpected_field"] = True


SPOILS = [
    "name_in_list",
    "name_as_mapping",
    "dob_as_text",
    "dob_bad_timestamp",
    "dob_impossible",
    "previous_names_text",
    "dbs_number_13_digits",
    "dbs_number_as_int",
    "unrelated",
]


def _error_text(raw: bytes, name: str, **kw: Any) -> str:
    try:
        load_evidence(raw, name=name, **kw)
    except EvidenceError as exc:
        return "\n".join([str(exc), exc.details(), *(repr(p) for p in exc.problems)])
    return ""


@given(
    st.sampled_from(REFS), st.sampled_from(SPOILS), st.sampled_from([".json", ".yaml"]), st.data()
)
def test_error_messages_hold_no_personal_data(
    ref: str, how: str, suffix: str, data: st.DataObject
) -> None:
    bundle, _as_of = _with_people(data, ref)
    document = bundle_to_data(bundle)
    index = data.draw(st.integers(0, len(document["people"]) - 1))
    _spoil(document["people"][index], how)
    values = personal_values(bundle) | _raw_personal(document)
    raw = (json.dumps(document) if suffix == ".json" else yaml.safe_dump(document)).encode()
    text = _error_text(raw, "bundle" + suffix)
    assert text, "the spoilt document loaded"
    assert leaks(text, values) == []


def _raw_personal(document: dict[str, Any]) -> set[str]:
    """The personal values as written in the (spoilt) document, whatever their type."""
    out: set[str] = set()

    def add(value: Any) -> None:
        if isinstance(value, (list, tuple)):
            for v in value:
                add(v)
        elif isinstance(value, dict):
            for v in value.values():
                add(v)
        elif value is not None and not isinstance(value, bool) and len(str(value)) > 3:
            out.add(str(value))

    for person in document.get("people", []):
        for field in ("full_name", "previous_names", "date_of_birth", "address"):
            add(person.get(field))
        for check in person.get("dbs_checks", []):
            add(check.get("certificate_number"))
    return out


def test_personal_data_is_shown_when_asked_for() -> None:
    """The positive control: the scan does find a value when the caller asks to see it."""
    data = json.loads((FIXTURES / "bundle-small.json").read_text())
    data["people"][0]["date_of_birth"] = "29/02/1980"
    raw = json.dumps(data).encode()
    assert leaks(_error_text(raw, "b.json"), {"29/02/1980"}) == []
    assert leaks(_error_text(raw, "b.json", include_personal_data=True), {"29/02/1980"}) == [
        "29/02/1980"
    ]


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(how=st.sampled_from([*SPOILS, "valid"]), data=st.data())
def test_command_line_output_holds_no_personal_data(
    how: str,
    data: st.DataObject,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundle, _as_of = _with_people(data, "demo@1")
    document = bundle_to_data(bundle)
    if how != "valid":
        _spoil(document["people"][0], how)
    values = personal_values(bundle) | _raw_personal(document)
    path: Path = tmp_path_factory.mktemp("cli") / "bundle.json"
    path.write_text(json.dumps(copy.deepcopy(document)), encoding="utf-8")
    capsys.readouterr()
    code = main(
        [
            "evaluate",
            "--packs-dir",
            str(FIXTURES / "packs"),
            "--pack",
            "demo@1",
            "--evidence",
            str(path),
            "--as-of",
            AS_OF.isoformat(),
            "--no-entry-points",
        ]
    )
    out, err = capsys.readouterr()
    assert code == (0 if how == "valid" else 2)
    assert leaks(out + err, values) == []
