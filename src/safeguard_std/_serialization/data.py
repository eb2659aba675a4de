"""Entities as plain JSON-ready data: findings, assessments, bundles and resolved packs."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from safeguard_std._serialization.converter import converter
from safeguard_std.domain.calendar import Period
from safeguard_std.domain.findings import Assessment, Finding, RequirementRef, SubjectRef, Summary
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack, Requirement
from safeguard_std.domain.predicates import predicate_to_data


def bundle_to_data(bundle: EvidenceBundle) -> dict[str, Any]:
    """An evidence bundle as plain JSON-ready data (defaults omitted)."""
    data = converter().unstructure(bundle)
    assert isinstance(data, dict)
    return data


def _requirement_part(ref: RequirementRef) -> dict[str, Any]:
    """What every finding of one requirement says about it (parameters excepted)."""
    return {
        "pack": ref.pack,
        "requirement": ref.requirement_id,
        "section": ref.section,
        "modality": ref.modality.value,
        "duty_holder": ref.duty_holder.value,
        "rule": ref.rule,
        "origin": ref.origin,
    }


def _finding_to_data(f: Finding, shared: dict[str, Any] | None = None) -> dict[str, Any]:
    """A finding as plain data; ``shared`` is its requirement's part, when already made."""
    data = dict(shared if shared is not None else _requirement_part(f.requirement))
    outcome, subject = f.outcome, f.subject
    data["id"] = f.id
    data["subject"] = {"type": subject.type.value, "id": subject.id}
    data["status"] = outcome.status.value
    data["message"] = outcome.message
    if outcome.facts:
        data["facts"] = _jsonable(outcome.facts)
    if f.requirement.parameters:
        data["parameters"] = _jsonable(f.requirement.parameters)
    if outcome.evidence:
        data["evidence"] = list(outcome.evidence)
    if outcome.due_on is not None:
        data["due_on"] = outcome.due_on.isoformat()
    return data


def _findings_to_data(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    shared: dict[int, dict[str, Any]] = {}  # by requirement, while this call lasts
    out = []
    for f in findings:
        part = shared.get(id(f.requirement))
        if part is None:
            part = shared[id(f.requirement)] = _requirement_part(f.requirement)
        out.append(_finding_to_data(f, part))
    return out


def _subject(s: SubjectRef) -> dict[str, Any]:
    return {"type": s.type.value, "id": s.id}


_PLAIN = frozenset({str, int, bool, type(None)})


def _jsonable(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {
            k if type(k) is str else str(k): v if type(v) in _PLAIN else _jsonable(v)
            for k, v in value.items()
        }
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Period):
        return str(value)
    if isinstance(value, float):
        raise TypeError("findings carry no floats; use whole numbers or strings")
    return value


def _summary_to_data(s: Summary) -> dict[str, Any]:
    return {
        "total": s.total,
        "by_status": dict(s.by_status),
        "by_section": {k: dict(v) for k, v in s.by_section.items()},
        "by_modality": {k: dict(v) for k, v in s.by_modality.items()},
        "by_duty_holder": {k: dict(v) for k, v in s.by_duty_holder.items()},
    }


def _assessment_head(a: Assessment) -> dict[str, Any]:
    head = _assessment_head_in_force(a)
    if a.out_of_force:  # only then, so every other assessment's bytes are unchanged
        head["pack"]["out_of_force"] = True
    return head


def _assessment_head_in_force(a: Assessment) -> dict[str, Any]:
    return {
        "assessment_format": 1,
        "library_version": a.library_version,
        "pack": {
            "id": a.pack,
            "edition": a.pack_edition,
            "digest": a.pack_digest,
            "layers": list(a.pack_layers),
            "origins": dict(sorted(a.pack_origins.items())),
        },
        "as_of": a.as_of.isoformat(),
        "evidence": {
            "bundle_id": a.bundle_id,
            "provider_id": a.provider_id,
            "digest": a.evidence_digest,
        },
        "summary": _summary_to_data(a.summary),
    }


def assessment_to_data(a: Assessment) -> dict[str, Any]:
    """An assessment as plain data, findings in canonical order."""
    return {**_assessment_head(a), "findings": _findings_to_data(a.findings)}


@attrs.frozen
class _FindingsToWrite:
    """An assessment's findings, turned into data one at a time as the encoder writes them."""

    findings: tuple[Finding, ...]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        shared: dict[int, dict[str, Any]] = {}
        for f in self.findings:
            part = shared.get(id(f.requirement))
            if part is None:
                part = shared[id(f.requirement)] = _requirement_part(f.requirement)
            yield _finding_to_data(f, part)

    def __len__(self) -> int:
        return len(self.findings)


def _requirement_to_data(req: Requirement) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": req.id,
        "title": req.title,
        "section": req.section,
        "citation": req.citation,
        "text": req.text,
        "modality": req.modality.value,
        "duty_holder": req.duty_holder.value,
        "subject": req.subject.value,
        "rule": {"kind": req.rule.kind, **_jsonable(req.rule.params)},
        "origin": req.origin,
    }
    if req.applies_when is not None:
        data["applies_when"] = predicate_to_data(req.applies_when)
    if req.included_when is not None:
        data["included_when"] = predicate_to_data(req.included_when)
    for name in ("reading", "severity", "replaced_by"):
        if getattr(req, name) is not None:
            data[name] = getattr(req, name)
    if req.tags:
        data["tags"] = list(req.tags)
    if req.metadata:
        data["metadata"] = _jsonable(req.metadata)
    if req.withdrawn:
        data["withdrawn"] = True
    if req.provenance:
        data["provenance"] = dict(req.provenance)
    return data


def pack_to_data(pack: Pack) -> dict[str, Any]:
    """A resolved pack as plain data: what its digest is computed over, and what renders use."""
    data: dict[str, Any] = {
        "schema_version": pack.schema_version,
        "id": pack.id,
        "edition": pack.edition,
        "title": pack.title,
        "board": pack.board,
        "effective_from": pack.effective_from.isoformat(),
        "layers": list(pack.layers),
        "sections": [{"id": s.id, "title": s.title} for s in pack.sections],
        "parameters": {
            name: {
                k: _jsonable(v)
                for k, v in attrs.asdict(p, recurse=False).items()
                if v is not None and k != "name"
            }
            for name, p in sorted(pack.parameters.items())
        },
        "documents": {
            k: {
                "title": d.title,
                "accepted": list(d.accepted),
                **({"note": d.note} if d.note else {}),
            }
            for k, d in sorted(pack.documents.items())
        },
        "requirements": [_requirement_to_data(r) for r in pack.requirements],
    }
    if pack.includes:
        # The edition each include resolved to is part of what was judged, so of the digest.
        data["includes"] = [
            {
                "pack": inc.requested,
                "edition": str(inc.ref),
                "namespace": inc.namespace,
                "layers": list(inc.layers),
                **(
                    {"applies_when": predicate_to_data(inc.applies_when)}
                    if inc.applies_when is not None
                    else {}
                ),
            }
            for inc in pack.includes
        ]
    for name in ("effective_to", "supersedes", "extends"):
        value = getattr(pack, name)
        if value is not None:
            data[name] = _jsonable(value)
    if pack.source is not None:
        data["source"] = {
            k: _jsonable(v) for k, v in attrs.asdict(pack.source).items() if v is not None
        }
    return data
