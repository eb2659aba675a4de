"""SARIF 2.1.0: for CI systems and code-scanning dashboards (GitHub code scanning above all).

One run; one reporting rule per requirement of the pack (its id, title, text, citation and
modality), and one result per finding that needs action: ``not_met``, ``insufficient_evidence``
and ``error``, and ``waived`` ones with their accepted suppression (code scanning ignores
``kind``, so a passing result would show as an open alert). ``include_passing`` adds the rest.

Every result has a *physical* location, which code scanning requires (from the
:class:`~safeguard_std.evidence.locations.ExportLocations` given, built by
:func:`~safeguard_std.evidence.locations.export_locations`):

* the record the finding rests on (its first evidence record, the DBS check say, else its
  subject, the person who has none): the spreadsheet row it was imported from, when the
  bundle's provenance file was given (the JSON record then follows as a related location),
  else its region of the evidence file;
* where no record exists (no policy at all, say), the requirement's line in its pack file;
* without locations, the pack's file name (``standards/<id>/<edition>/pack.yaml`` under
  ``SAFEGUARD_STD_PACKS``), line 1.

The subject also travels as a logical location (``person`` ``hy-002``). Each result carries
``partialFingerprints`` derived from the pack id, the provider, the requirement and the subject
(never the line, the month or the edition), and ``automationDetails.id`` is
``safeguard-std/<pack id>/<provider id>/``: next month's upload of the same provider and pack
replaces this one, so an alert closes when its gap is fixed, and stays one alert while it is
not, however the file's lines move.

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

import hashlib
from typing import Any

from safeguard_std.domain.findings import Assessment, Finding, Status
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Modality, Pack
from safeguard_std.evidence.locations import PACKS_BASE, ExportLocations, Region
from safeguard_std.reports._format import clean_text, json_safe, stable_uuid
from safeguard_std.reports._model import Report, build_report
from safeguard_std.serialization import canonical_json

__all__ = [
    "CODE_SCANNING_MAX_RESULTS",
    "FAILING",
    "SARIF_SCHEMA",
    "automation_id",
    "render_sarif",
    "to_sarif",
]

#: Where the SARIF 2.1.0 schema is published (written into ``$schema``).
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

#: The statuses a SARIF log holds by default: what needs action, and waivers (suppressed).
FAILING = frozenset({Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE, Status.ERROR, Status.WAIVED})

#: Most results GitHub code scanning accepts in one run (it refuses the upload beyond).
CODE_SCANNING_MAX_RESULTS = 25_000

#: Most tags code scanning shows for a rule.
_MAX_TAGS = 10

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
                "tags": list(
                    dict.fromkeys([info.modality.value, f"section:{info.section}", *info.tags])
                )[:_MAX_TAGS],
            },
        }
        if info.citation:
            rule["help"] = {"text": _text(f"{info.citation}: {info.text or info.title}")}
        rules.append(rule)
    return rules, {rid: n for n, rid in enumerate(ids)}


def automation_id(pack_id: str, provider_id: str) -> str:
    """The run's ``automationDetails.id``: one category per pack and provider, the same every
    month, so each upload replaces the last one's alerts."""
    return f"safeguard-std/{pack_id}/{provider_id}/"


def _fingerprint(a: Assessment, f: Finding) -> dict[str, str]:
    key = "\x1f".join((a.pack, a.provider_id, f.requirement_id, str(f.subject)))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    # primaryLocationLineHash is the fingerprint code scanning matches alerts by; ours names
    # the finding, not a line, so a record that moves keeps its alert.
    return {
        "primaryLocationLineHash": f"{digest[:16]}:1",
        "safeguardFinding/v1": f"{a.pack}/{a.provider_id}/{f.requirement_id}/{f.subject}",
    }


def _physical(region: Region) -> dict[str, Any]:
    artifact: dict[str, Any] = {"uri": region.uri}
    if region.uri_base_id is not None:
        artifact["uriBaseId"] = region.uri_base_id
    where: dict[str, Any] = {"startLine": region.start_line}
    if region.start_column is not None:
        where["startColumn"] = region.start_column
    if region.end_line is not None:
        where["endLine"] = region.end_line
    if region.end_column is not None:
        where["endColumn"] = region.end_column
    if region.label:
        where["message"] = {"text": region.label}
    return {"artifactLocation": artifact, "region": where}


def _regions(
    report: Report, f: Finding, places: ExportLocations | None
) -> tuple[Region, list[tuple[Region, str]]]:
    """The primary region of a finding and the related ones (with what each is)."""
    a = report.assessment
    fallback = Region(
        uri=f"standards/{a.pack}/{a.pack_edition}/pack.yaml",
        uri_base_id=PACKS_BASE,
        start_line=1,
    )
    if places is None:
        return fallback, []
    # The most precise record first: the evidence the finding rests on (the DBS check, the
    # lead role), then its subject (a person without any check at all).
    ids = [i for i in (*f.evidence, f.subject.id) if i]
    row = next((places.rows[i] for i in ids if i in places.rows), None)
    record = next((places.records[i] for i in ids if i in places.records), None)
    requirement = places.requirements.get(f.requirement_id)
    related: list[tuple[Region, str]] = []
    if row is not None:
        primary = row
        if record is not None:
            related.append((record, "the record in the evidence bundle"))
    elif record is not None:
        primary = record
    else:
        return requirement or fallback, []
    if requirement is not None:
        related.append((requirement, f"requirement {f.requirement_id} in its pack"))
    return primary, related


def _result(
    report: Report, f: Finding, index: int, places: ExportLocations | None
) -> dict[str, Any]:
    a = report.assessment
    effective = f.status
    if f.status is Status.WAIVED:
        effective = Status(f.facts.get("waived_status", Status.NOT_MET.value))
    kind = _KINDS[effective]
    subject_name = f.subject.id or "-"
    name = report.names.get(subject_name) if f.subject.type.value == "person" else None
    logical: dict[str, Any] = {
        "name": subject_name,
        "fullyQualifiedName": str(f.subject),
        "kind": f.subject.type.value,
    }
    if name:
        logical["decoratedName"] = name
    primary, related = _regions(report, f, places)
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
        # One result of one run: unique across providers and months (the fingerprints are what
        # stays the same).
        "guid": stable_uuid(
            "sarif-result",
            a.pack,
            a.pack_edition,
            a.provider_id,
            f.requirement_id,
            str(f.subject),
            a.evidence_digest,
            str(a.as_of),
        ),
        "kind": kind,
        "level": _LEVELS[f.modality] if kind == "fail" else "none",
        "message": {"text": _text(f.message)},
        "locations": [{"physicalLocation": _physical(primary), "logicalLocations": [logical]}],
        "partialFingerprints": _fingerprint(a, f),
        "properties": props,
    }
    if related:
        result["relatedLocations"] = [
            {"id": n, "physicalLocation": _physical(region), "message": {"text": what}}
            for n, (region, what) in enumerate(related, start=1)
        ]
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


def render_sarif(
    report: Report, *, locations: ExportLocations | None = None, include_passing: bool = False
) -> str:
    """The SARIF 2.1.0 log of a built report (canonical JSON): the findings that need action
    (and waivers), or every finding with ``include_passing``; located by ``locations``."""
    a = report.assessment
    rules, index = _rules(report)
    errors = [f for f in a.findings if f.status is Status.ERROR]
    shown = [f for f in a.findings if include_passing or f.status in FAILING]
    driver: dict[str, Any] = {
        "name": "safeguard-std",
        "version": a.library_version,
        "semanticVersion": a.library_version,
        "rules": rules,
    }
    if report.pack_title:
        driver["fullName"] = f"safeguard-std: {report.pack_title} ({a.pack}@{a.pack_edition})"
    notifications = [
        {
            "level": "error",
            "message": {"text": _text(f"{f.id}: {f.message}")},
            "associatedRule": {"id": f.requirement_id, "index": index[f.requirement_id]},
        }
        for f in errors
    ]
    if len(shown) > CODE_SCANNING_MAX_RESULTS:
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{len(shown)} results: GitHub code scanning refuses a run of more "
                    f"than {CODE_SCANNING_MAX_RESULTS}"
                },
            }
        )
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": driver},
        "automationDetails": {
            "id": automation_id(a.pack, a.provider_id),
            "guid": stable_uuid("run", a.pack_digest, a.evidence_digest, str(a.as_of)),
        },
        "originalUriBaseIds": {
            PACKS_BASE: {
                "description": {"text": "the standards folder of the installed safeguard-std"}
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": [_result(report, f, index[f.requirement_id], locations) for f in shown],
        "properties": {
            **_run_properties(report),
            "statuses_shown": sorted(
                {s.value for s in Status} if include_passing else {s.value for s in FAILING}
            ),
            "findings_not_shown": len(a.findings) - len(shown),
        },
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
    locations: ExportLocations | None = None,
    include_passing: bool = False,
) -> str:
    """``assessment`` as a SARIF 2.1.0 log; see :func:`~safeguard_std.reports.build_report` for
    the arguments. ``locations`` (from
    :func:`~safeguard_std.evidence.locations.export_locations`) places each result in the
    evidence or pack file; ``include_passing`` adds met, not applicable findings (by default a
    log holds what needs action, and waivers). A person's name appears (as the logical
    location's ``decoratedName``) only with ``include_personal_data`` and the bundle."""
    return render_sarif(
        build_report(
            assessment,
            pack=pack,
            bundle=bundle,
            include_personal_data=include_personal_data,
            horizon_days=horizon_days,
        ),
        locations=locations,
        include_passing=include_passing,
    )
