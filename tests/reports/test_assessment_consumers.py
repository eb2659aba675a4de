"""The Rego policy on docs/how-to/consume-assessments.md, run by a real Rego interpreter
(regopy, the Python bindings of rego-cpp) on a real assessment: what the page promises an OPA
user holds. Skipped, with the reason, without regopy; ``.ci/run`` installs it and sets
``SAFEGUARD_REQUIRE_INTEROP=1``, which turns the skip into a failure."""

from __future__ import annotations

import datetime as dt
import json
import os
import re

import pytest
from report_fixtures import ROOT

from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.packs import load_pack
from safeguard_std.reports import to_json

PAGE = ROOT / "docs" / "how-to" / "consume-assessments.md"
AS_OF = dt.date(2026, 11, 23)
GAPS = {"not_met", "insufficient_evidence", "error"}


def _policy() -> str:
    found = re.search(
        r"<!-- rego-example -->\n```rego\n(.*?)^```", PAGE.read_text(encoding="utf-8"), re.S | re.M
    )
    assert found, "the page has no Rego example"
    return found.group(1)


@pytest.fixture(scope="module")
def interpreter() -> object:
    try:
        from regopy import Interpreter
    except ImportError:
        reason = "regopy is not installed (pip install regopy)"
        if os.environ.get("SAFEGUARD_REQUIRE_INTEROP") == "1":
            pytest.fail(f"SAFEGUARD_REQUIRE_INTEROP=1 but {reason}")
        pytest.skip(reason)
    return Interpreter


def _evaluate(interpreter: object, document: dict) -> dict:
    """Every rule of the policy, as ``opa eval data.safeguarding`` gives them."""
    rego = interpreter()  # type: ignore[operator]
    rego.add_module("safeguarding", _policy())
    rego.set_input(document)
    result = json.loads(str(rego.query("data.safeguarding")))
    rules = result["expressions"][0]
    assert isinstance(rules, dict)
    return rules


def test_the_page_policy_on_a_real_assessment(interpreter: object) -> None:
    pack = load_pack("dorset", as_of=AS_OF)
    bundle = load_evidence(ROOT / "examples" / "dorset-youth-charity.json")
    document = json.loads(to_json(evaluate(pack, bundle, as_of=AS_OF), pack=pack, bundle=bundle))
    findings = document["findings"]
    must_gaps = [f for f in findings if f["modality"] == "must" and f["status"] in GAPS]
    rules = _evaluate(interpreter, document)
    deny = rules["deny"]
    assert isinstance(deny, list)
    assert len(deny) == len(must_gaps) > 0
    assert any(m.startswith(f"{must_gaps[0]['requirement']} ") for m in deny)
    overdue = {
        f["subject"]["id"]
        for f in findings
        if f["subject"]["type"] == "person"
        and f["status"] in GAPS
        and f.get("due_on")
        and f["due_on"] < document["as_of"]
    }
    assert overdue
    assert set(rules["overdue_people"]) == overdue
    assert rules["allow"] is False
