"""OSCAL assessment-results (JSON): for compliance tools that read NIST OSCAL.

One ``result`` holds a ``finding`` and an ``observation`` for each of our findings, and the
subjects (provider, people, policies, contract...) as ``inventory-items`` in its
``local-definitions``; observations point at their subject, findings at their observation.

* OSCAL knows only ``satisfied`` and ``not-satisfied``. ``met`` and ``not_applicable`` are
  satisfied (nothing to put right); ``not_met``, ``insufficient_evidence`` and ``error`` are not;
  a waived finding is judged by what it would have been. Our own status always travels in a
  ``status`` property in the :data:`OSCAL_NS` namespace, with the modality, section, due date,
  rating and metrics beside it.
* UUIDs are version-5 UUIDs under a fixed namespace, derived from what identifies the thing:
  a finding and its observation from the pack and edition, the provider, the requirement and
  the subject; an inventory item from the provider and the subject. So a finding keeps its UUID
  from one month's export to the next (the bundle's id and ``as_of`` play no part), and two
  providers never share one, even when their people have the same ids. The document and its
  result are one assessment, so their UUIDs do depend on the inputs.
* OSCAL needs timestamps: ``as_of`` is written as midnight UTC on that date.
* Findings point at the pack's own OSCAL catalog (``safeguard-std pack export REF --format
  oscal-catalog``): each target is the statement of the control for the requirement
  (``<control id>_smt``), and ``reviewed-controls`` lists the controls judged. There is no
  assessment plan behind a pack: ``import-ap`` points at a back-matter resource that links the
  catalog file (:func:`catalog_file_name`).
* Titles, descriptions and remarks are Markdown in OSCAL: every one is escaped
  (:func:`markdown_escape`), so a provider called ``[l](javascript:alert(1))`` stays text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from safeguard_std.domain.findings import Assessment, Finding, Status, SubjectRef
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.reports._format import clean_text, json_safe, stable_uuid
from safeguard_std.reports._model import Report, build_report
from safeguard_std.serialization import canonical_json

__all__ = [
    "OSCAL_NS",
    "OSCAL_VERSION",
    "catalog_file_name",
    "control_id",
    "markdown_escape",
    "render_oscal",
    "to_oscal",
]

#: The namespace of every property we add (an identifier; it need not resolve).
OSCAL_NS = "urn:safeguard-std:oscal"

#: The OSCAL version the document is written against.
OSCAL_VERSION = "1.1.2"

_SATISFIED = {Status.MET, Status.NOT_APPLICABLE}
_NOT_TOKEN = re.compile(r"[^A-Za-z0-9_.-]")


def _token(text: str) -> str:
    """An OSCAL token (letters, digits, ``_ . -``, not starting with a digit, dot or dash)."""
    token = _NOT_TOKEN.sub("_", text)
    return token if token[:1].isalpha() or token[:1] == "_" else "_" + token


def _line(text: str) -> str:
    """One line, trimmed: OSCAL titles and property values may hold no newline."""
    return " ".join(clean_text(text).split()) or "-"


# Marks that start inline markup anywhere (links and images, emphasis, code, raw HTML, entities,
# tables, strikethrough), and the block markers that matter only at the start of a line.
_INLINE = re.compile(r"([\\`*_{}\[\]<>()!|~&])")
_BLOCK = re.compile(r"^(\d{1,9})([.)])|^([#+=>-])")


def markdown_escape(text: str) -> str:
    """``text`` as literal Markdown (OSCAL's markup-line and markup-multiline): every character
    that could start markup is backslash-escaped, so a converter shows the same text and never
    a link, an image or HTML (``[l](x)`` becomes ``\\[l\\]\\(x\\)``, ``1. x`` at the start of a
    line ``1\\. x``)."""
    lines = _INLINE.sub(r"\\\1", text).split("\n")
    return "\n".join(
        _BLOCK.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", line.lstrip())
        if line.strip()
        else line
        for line in lines
    )


def _md(text: str) -> str:
    """One line of plain text, as an OSCAL Markdown field."""
    return markdown_escape(_line(text))


def control_id(requirement_id: str) -> str:
    """The id of a requirement's control in the pack's OSCAL catalog (an OSCAL token:
    ``DOR-1.1.0`` stays, ``kcsie:KCSIE-1`` becomes ``kcsie_KCSIE-1``)."""
    return _token(requirement_id)


def catalog_file_name(pack_id: str, edition: str) -> str:
    """The file name the exports use for a pack's OSCAL catalog: ``dorset-2024.catalog.json``."""
    return f"{pack_id}-{edition}.catalog.json"


def _prop(name: str, value: object, **extra: str) -> dict[str, Any]:
    if "remarks" in extra:
        extra["remarks"] = _md(extra["remarks"])
    return {"name": name, "ns": OSCAL_NS, "value": _line(str(value)), **extra}


def _timestamp(report: Report) -> str:
    return f"{report.assessment.as_of.isoformat()}T00:00:00+00:00"


def _effective_status(f: Finding) -> Status:
    if f.status is Status.WAIVED:
        return Status(f.facts.get("waived_status", Status.NOT_MET.value))
    return f.status


def _subject_uuid(a: Assessment, subject: SubjectRef) -> str:
    return stable_uuid("subject", a.provider_id, str(subject))


def _finding_key(a: Assessment, f: Finding) -> tuple[str, ...]:
    """What identifies a finding across months and providers."""
    return (a.pack, a.pack_edition, a.provider_id, f.requirement_id, str(f.subject))


def _subject_title(report: Report, subject: SubjectRef, names: Mapping[str, str]) -> str:
    name = names.get(subject.id or "") if subject.type.value == "person" else None
    return f"{subject} ({name})" if name else str(subject)


def _inventory(report: Report, names: Mapping[str, str]) -> list[dict[str, Any]]:
    a = report.assessment
    seen: dict[str, SubjectRef] = {}
    for f in a.findings:
        seen.setdefault(str(f.subject), f.subject)
    items = []
    for key in sorted(seen):
        subject = seen[key]
        description = (
            _subject_title(report, subject, names)
            if subject.id is not None
            else f"no {subject.type.value} in the evidence"
        )
        items.append(
            {
                "uuid": _subject_uuid(a, subject),
                "description": _md(description),
                "props": [
                    _prop("subject-type", subject.type.value),
                    _prop("subject-id", subject.id or "-"),
                ],
            }
        )
    return items


def _observation(report: Report, f: Finding, names: Mapping[str, str]) -> dict[str, Any]:
    a = report.assessment
    props = [_prop("status", f.status.value), _prop("rule", f.rule)]
    if f.due_on is not None:
        props.append(_prop("due-on", f.due_on.isoformat()))
    observation: dict[str, Any] = {
        "uuid": stable_uuid("observation", *_finding_key(a, f)),
        "title": _md(f"{f.requirement_id} for {f.subject}"),
        "description": _md(f.message),
        "props": props,
        "methods": ["EXAMINE"],
        "types": ["finding"],
        "subjects": [
            {
                "subject-uuid": _subject_uuid(a, f.subject),
                "type": "inventory-item",
                "title": _md(_subject_title(report, f.subject, names)),
            }
        ],
        "collected": _timestamp(report),
    }
    if f.evidence:
        observation["relevant-evidence"] = [
            {"description": _md(f"evidence record {ev}"), "props": [_prop("evidence-id", ev)]}
            for ev in f.evidence
        ]
    return observation


def _finding(report: Report, f: Finding) -> dict[str, Any]:
    a = report.assessment
    info = report.requirement(f.requirement_id)
    effective = _effective_status(f)
    satisfied = effective in _SATISFIED
    reason = "pass" if effective is Status.MET else "fail" if effective is Status.NOT_MET else None
    status: dict[str, Any] = {"state": "satisfied" if satisfied else "not-satisfied"}
    if reason is not None:
        status["reason"] = reason
    props = [
        _prop("finding-id", f.id),
        _prop("status", f.status.value),
        _prop("modality", f.modality.value),
        _prop("section", f.section),
        _prop("duty-holder", f.duty_holder.value),
        _prop("subject", str(f.subject)),
    ]
    if f.due_on is not None:
        props.append(_prop("due-on", f.due_on.isoformat()))
    description = _line(f.message)
    if info.citation:
        description += f" (requirement {f.requirement_id}, {_line(info.citation)})"
    return {
        "uuid": stable_uuid("finding", *_finding_key(a, f)),
        "title": _md(report.label_of(f)),
        "description": _md(description),
        "props": props,
        "target": {
            "type": "statement-id",
            "target-id": f"{control_id(f.requirement_id)}_smt",
            "title": _md(info.title),
            "props": [_prop("requirement-id", f.requirement_id)],
            "status": status,
        },
        "related-observations": [
            {"observation-uuid": stable_uuid("observation", *_finding_key(a, f))}
        ],
    }


def _result_props(report: Report) -> list[dict[str, Any]]:
    props = [_prop("overall-rating", report.overall.value)]
    props += [
        _prop("section-rating", s.rating.value, **{"class": _token(s.id)}, remarks=s.title)
        for s in report.sections
    ]
    for m in report.metrics:
        props.append(_prop("metric", m.display, **{"class": _token(m.id)}, remarks=m.title))
    return props


def render_oscal(report: Report) -> str:
    """The OSCAL assessment-results JSON of a built report (canonical: sorted keys)."""
    a = report.assessment
    who = a.provider_id + (f" ({report.provider_name})" if report.provider_name else "")
    pack = f"{a.pack}@{a.pack_edition}"
    names = report.names
    when = _timestamp(report)
    doc_uuid = stable_uuid(
        "assessment-results", pack, a.pack_digest, a.bundle_id, a.evidence_digest, str(a.as_of)
    )
    judged = list(dict.fromkeys(control_id(f.requirement_id) for f in a.findings))
    selection: dict[str, Any] = (
        {"include-controls": [{"control-id": cid} for cid in judged]}
        if judged
        else {"include-all": {}}
    )
    catalog = catalog_file_name(a.pack, a.pack_edition)
    result: dict[str, Any] = {
        "uuid": stable_uuid("result", doc_uuid),
        "title": _md(f"{report.pack_title or pack}: {who}"),
        "description": _md(
            f"Every requirement of {pack} judged for each of its subjects in evidence "
            f"bundle {a.bundle_id} as of {a.as_of}; overall rating {report.overall.label}."
        ),
        "start": when,
        "end": when,
        "props": _result_props(report),
        "reviewed-controls": {
            "control-selections": [selection],
            "description": _md(f"The requirements of {pack} judged, as controls of {catalog}."),
        },
    }
    if a.findings:
        result["local-definitions"] = {"inventory-items": _inventory(report, names)}
        result["observations"] = [_observation(report, f, names) for f in a.findings]
        result["findings"] = [_finding(report, f) for f in a.findings]
    resource = stable_uuid("pack-catalog", a.pack, a.pack_edition, a.pack_digest)
    document = {
        "uuid": doc_uuid,
        "metadata": {
            "title": _md(f"Safeguarding assessment of {who} against {pack} as of {a.as_of}"),
            "last-modified": when,
            "version": a.as_of.isoformat(),
            "oscal-version": OSCAL_VERSION,
            "props": [
                _prop("pack", pack),
                _prop("pack-digest", a.pack_digest),
                _prop("bundle-id", a.bundle_id),
                _prop("provider-id", a.provider_id),
                _prop("evidence-digest", a.evidence_digest),
                _prop("as-of", a.as_of.isoformat()),
                _prop("library-version", a.library_version),
            ],
        },
        "import-ap": {
            "href": f"#{resource}",
            "remarks": _md(
                f"The standard pack {pack} stands in for an assessment plan: its OSCAL "
                f"catalog is {catalog}."
            ),
        },
        "results": [result],
        "back-matter": {
            "resources": [
                {
                    "uuid": resource,
                    "title": _md(f"{report.pack_title or pack}: OSCAL catalog of {pack}"),
                    "description": _md(
                        f"Written by: safeguard-std pack export {pack} --format oscal-catalog "
                        f"--output {catalog}"
                    ),
                    "props": [_prop("pack", pack), _prop("pack-digest", a.pack_digest)],
                    "rlinks": [{"href": catalog, "media-type": "application/json"}],
                }
            ]
        },
    }
    return json_safe(canonical_json({"assessment-results": document}, indent=2)) + "\n"


def to_oscal(
    assessment: Assessment,
    *,
    pack: Pack | None = None,
    bundle: EvidenceBundle | None = None,
    include_personal_data: bool = False,
    horizon_days: int = 90,
) -> str:
    """``assessment`` as an OSCAL assessment-results document; see
    :func:`~safeguard_std.reports.build_report` for the arguments. People's names appear (in
    subject titles) only with ``include_personal_data`` and the bundle."""
    report = build_report(
        assessment,
        pack=pack,
        bundle=bundle,
        include_personal_data=include_personal_data,
        horizon_days=horizon_days,
    )
    return render_oscal(report)
