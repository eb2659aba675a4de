"""SARIF 2.1.0: for CI systems and code-scanning dashboards.

One run; one reporting rule per requirement of the pack (its id, title, text, citation and
modality), and one result per finding, located by a *logical* location (the subject: ``person``
``hy-002``), since findings are about records, not lines of code.

How statuses map (SARIF result ``kind`` and ``level``):

=========================  ===============  ==================================================
status                     kind             level
=========================  ===============  ==================================================
``not_met``                ``fail``         ``error`` for must, ``warning`` for should,
                                            ``note`` for recommended
``insufficient_evidence``  ``fail``         as ``not_met`` (missing evidence never passes)
``error``                  ``open``         ``none``; also a tool execution notification
``met``                    ``pass``         ``none``
``not_applicable``         ``notApplicable``  ``none``
``waived``                 what it would    as that status, with an accepted external
                           have been        ``suppression`` carrying the waiver
=========================  ===============  ==================================================

Our own status, the modality, section and due date ride in each result's property bag; the run's
property bag carries the ratings and metrics.
"""

from __future__ import annotations

from typing import Any

from safeguard_std.domain.findings import Assessment, Finding, Status
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Modality, Pack
from safeguard_std.reports._format import clean_text, json_safe, stable_uuid
from safeguard_std.reports._model import Report, build_report
from safeguard_std.serialization import canonical_json

__all__ = ["SARIF_SCHEMA", "render_sarif", "to_sarif"]

#: Where the SARIF 2.1.0 schema is published (written into ``$schema``).
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_LEVELS = {Modality.MUST: "error", Modality.SHOULD: "warning", Modality.RECOMMENDED: "note"}
_KINDS = {
    Status.MET: "pass",
    Status.NOT_APPLICABLE: "notApplicable",
    Status.NOT_MET: "fail",
    Status.INSUFFICIENT_EVIDENCE: "fail",
    Status.ERROR: "open",
}


def _text(text: str) -> str:
    return " ".join(clean_text(text).split()) or "-"


def _rules(report: Report) -> tuple[list[dict[str, Any]], dict[str, int]]:
    ids: list[str] = []
    for f in report.assessment.findings:
        if f.requirement_id not in ids:
            ids.append(f.requirement_id)
    rules = []
    for rid in ids:
        info = report.requirement(rid)
        rule: dict[str, Any] = {
            "id": rid,
            "shortDescription": {"text": _text(info.title)},
            "fullDescription": {"text": _text(info.text or info.title)},
            "defaultConfiguration": {"level": _LEVELS[info.modality]},
            "properties": {
                "modality": info.modality.value,
                "section": info.section,
                "rule_kind": info.rule,
                "tags": [info.modality.value, f"section:{info.section}", *info.tags],
            },
        }
        if info.citation:
            rule["help"] = {"text": _text(f"{info.citation}: {info.text or info.title}")}
        rules.append(rule)
    return rules, {rid: n for n, rid in enumerate(ids)}


def _result(report: Report, f: Finding, index: int) -> dict[str, Any]:
    effective = f.status
    if f.status is Status.WAIVED:
        effective = Status(f.facts.get("waived_status", Status.NOT_MET.value))
    kind = _KINDS[effective]
    subject_name = f.subject.id or "-"
    name = report.names.get(subject_name) if f.subject.type.value == "person" else None
    location: dict[str, Any] = {
        "name": subject_name,
        "fullyQualifiedName": str(f.subject),
        "kind": f.subject.type.value,
    }
    if name:
        location["decoratedName"] = name
    props: dict[str, Any] = {
        "status": f.status.value,
        "modality": f.modality.value,
        "section": f.section,
        "duty_holder": f.duty_holder.value,
        "finding_id": f.id,
    }
    if f.due_on is not None:
        props["due_on"] = f.due_on.isoformat()
    if f.evidence:
        props["evidence"] = list(f.evidence)
    result: dict[str, Any] = {
        "ruleId": f.requirement_id,
        "ruleIndex": index,
        "guid": stable_uuid("finding", f.id),
        "kind": kind,
        "level": _LEVELS[f.modality] if kind == "fail" else "none",
        "message": {"text": _text(f.message)},
        "locations": [{"logicalLocations": [location]}],
        "partialFingerprints": {"findingId/v1": f.id},
        "properties": props,
    }
    if f.status is Status.WAIVED:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": _text(f.message)}
        ]
    return result


def _run_properties(report: Report) -> dict[str, Any]:
    a = report.assessment
    return {
        "pack": f"{a.pack}@{a.pack_edition}",
        "pack_digest": a.pack_digest,
        "bundle_id": a.bundle_id,
        "provider_id": a.provider_id,
        "evidence_digest": a.evidence_digest,
        "as_of": a.as_of.isoformat(),
        "overall_rating": report.overall.value,
        "section_ratings": {s.id: s.rating.value for s in report.sections},
        "metrics": [m.to_data() for m in report.metrics],
    }


def render_sarif(report: Report) -> str:
    """The SARIF 2.1.0 log of a built report (canonical JSON)."""
    a = report.assessment
    rules, index = _rules(report)
    errors = [f for f in a.findings if f.status is Status.ERROR]
    driver: dict[str, Any] = {
        "name": "safeguard-std",
        "version": a.library_version,
        "semanticVersion": a.library_version,
        "rules": rules,
    }
    if report.pack_title:
        driver["fullName"] = f"safeguard-std: {report.pack_title} ({a.pack}@{a.pack_edition})"
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    if errors:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": _text(f"{f.id}: {f.message}")},
                "associatedRule": {"id": f.requirement_id, "index": index[f.requirement_id]},
            }
            for f in errors
        ]
    run = {
        "tool": {"driver": driver},
        "automationDetails": {
            "id": f"safeguard-std/{a.pack}@{a.pack_edition}/{a.bundle_id}/{a.as_of}",
            "guid": stable_uuid("run", a.pack_digest, a.evidence_digest, str(a.as_of)),
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": [_result(report, f, index[f.requirement_id]) for f in a.findings],
        "properties": _run_properties(report),
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json_safe(canonical_json(log, indent=2)) + "\n"


def to_sarif(
    assessment: Assessment,
    *,
    pack: Pack | None = None,
    bundle: EvidenceBundle | None = None,
    include_personal_data: bool = False,
    horizon_days: int = 90,
) -> str:
    """``assessment`` as a SARIF 2.1.0 log; see :func:`~safeguard_std.reports.build_report` for
    the arguments. A person's name appears (as the location's ``decoratedName``) only with
    ``include_personal_data`` and the bundle."""
    return render_sarif(
        build_report(
            assessment,
            pack=pack,
            bundle=bundle,
            include_personal_data=include_personal_data,
            horizon_days=horizon_days,
        )
    )
