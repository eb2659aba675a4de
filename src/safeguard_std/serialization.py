"""The one cattrs converter, canonical JSON, and digests.

Structuring is strict: a string is never turned into a number or a boolean (``"false"`` is not
``True``), dates are ISO calendar dates or timestamps converted in Europe/London, unknown keys are
errors. Unstructuring omits defaults and writes set-valued fields as sorted lists, so the same
entity always gives the same document.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from safeguard_std.domain.calendar import Period, parse_date
from safeguard_std.domain.findings import Assessment, Finding, RequirementRef, SubjectRef, Summary
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack, Requirement
from safeguard_std.domain.predicates import predicate_to_data
from safeguard_std.exceptions import quoted

__all__ = [
    "assessment_to_data",
    "canonical_json",
    "digest",
    "make_converter",
    "structure_errors",
]


def _strict(kind: type, name: str) -> Any:
    def hook(value: Any, _type: Any) -> Any:
        if type(value) is not kind and not (kind is int and type(value) is int):
            raise TypeError(f"expected {name}, got {type(value).__name__} {quoted(value)}")
        return value

    return hook


def _structure_date(value: Any, _type: Any) -> dt.date:
    return parse_date(value)


def _structure_enum(value: Any, type_: type[enum.Enum]) -> enum.Enum:
    try:
        return type_(value)
    except ValueError:
        choices = ", ".join(repr(m.value) for m in type_)
        raise ValueError(f"expected one of {choices}, got {quoted(value)}") from None


def make_converter() -> cattrs.Converter:
    """A new converter configured for safeguard_std's entities (never the global converter)."""
    conv = cattrs.Converter(omit_if_default=True, forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(int, _strict(int, "a whole number"))
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum
    )
    # By class, not predicate: StrEnum's MRO puts str before Enum, and cattrs dispatches on
    # classes first, so a predicate hook would lose to the identity hook for str.
    conv.register_unstructure_hook(enum.StrEnum, lambda e: e.value)
    conv.register_unstructure_hook(enum.Enum, lambda e: e.value)
    conv.register_unstructure_hook(Period, str)
    conv.register_structure_hook(Period, lambda v, _t: Period.parse(v))
    conv.register_unstructure_hook_func(
        lambda t: getattr(t, "__origin__", None) is frozenset or t is frozenset,
        lambda s: sorted(conv.unstructure(x) for x in s),
    )
    return conv


@cache
def _default_converter() -> cattrs.Converter:
    return make_converter()


def converter() -> cattrs.Converter:
    """The library's shared, preconfigured converter (created once; never mutate it)."""
    return _default_converter()


def structure_errors(
    exc: BaseException, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Flatten a cattrs validation error into ``(path, message)`` pairs, every leaf located."""
    if isinstance(exc, ForbiddenExtraKeysError):
        yield from (((*path, key), "unknown key") for key in sorted(exc.extra_fields))
    elif isinstance(exc, (ClassValidationError, IterableValidationError)):
        yield from _grouped_errors(exc, path)
    elif isinstance(exc, BaseValidationError):
        for inner in exc.exceptions:
            yield from structure_errors(inner, path)
    else:
        yield _leaf_error(exc, path)


def _grouped_errors(
    exc: ClassValidationError | IterableValidationError, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The errors of a record's fields or a list's items, each under its field or index."""
    with_notes, without = exc.group_exceptions()
    for inner, note in with_notes:
        step = _step(note)
        if isinstance(inner, KeyError) and not isinstance(note, IterableValidationNote):
            yield (*path, step), "required key is missing"
        else:
            yield from structure_errors(inner, (*path, step))
    for inner in without:
        yield from structure_errors(inner, path)


def _step(note: object) -> str | int:
    if isinstance(note, AttributeValidationNote):
        return note.name
    if isinstance(note, IterableValidationNote):
        return int(note.index)
    return str(note)  # pragma: no cover - cattrs adds only these notes


def _leaf_error(
    exc: BaseException, path: tuple[str | int, ...]
) -> tuple[tuple[str | int, ...], str]:
    # attrs' validators raise ValueError(message, attribute, ...): the message is the first,
    # the attribute names the field. The model's own raise FieldValueError, naming it too. Both
    # run in a record's __init__, after cattrs has left the field: point back at it.
    field = _field_name(exc)
    if field is not None and (not path or path[-1] != field):
        path = (*path, field)
    first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else None
    return path, first or str(exc) or type(exc).__name__


def _field_name(exc: BaseException) -> str | None:
    field = getattr(exc, "field", None)
    if field is None and len(exc.args) > 1 and isinstance(exc.args[1], attrs.Attribute):
        field = exc.args[1].name
    return field if isinstance(field, str) else None


def canonical_json(data: Any, *, indent: int | None = None) -> str:
    """JSON with sorted keys and no floating-point surprises: the same data, the same text."""
    if indent:
        try:
            return _indented_json(data, " " * indent)
        except (_Unusual, RecursionError):
            pass  # the standard encoder says what is wrong (or copes)
    return json.dumps(
        data,
        sort_keys=True,
        ensure_ascii=False,
        indent=indent,
        separators=(",", ": ") if indent else (",", ":"),
        allow_nan=False,
    )


class _Unusual(Exception):
    """Data the fast indented encoder leaves to :func:`json.dumps`."""


_encode_text = json.encoder.encode_basestring  # the C implementation where there is one


def _indented_json(data: Any, step: str) -> str:
    """``json.dumps(data, sort_keys=True, ensure_ascii=False, indent=..., separators=(",", ": "),
    allow_nan=False)``, byte for byte, for plain data (dicts with text keys, lists, tuples, text,
    whole numbers, booleans, null, finite floats); raises :class:`_Unusual` for anything else.

    The standard library encodes indented JSON in pure Python, one generator step per token,
    and joins every token at the end: for an assessment of a large bundle that is tens of
    millions of small strings alive at once. Here each container is joined as soon as it is
    done, so memory stays near the size of the text, and it is about three times faster."""

    def scalar(value: Any) -> str:
        kind = type(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if kind is float:
            if value != value or value in (float("inf"), float("-inf")):
                raise _Unusual
            return float.__repr__(value)
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, str):
            return _encode_text(value)
        raise _Unusual

    def encode(value: Any, level: int) -> str:
        if isinstance(value, dict):
            if not value:
                return "{}"
            items = []
            for key, item in sorted(value.items()):
                if type(key) is not str:
                    raise _Unusual
                if type(item) is str:
                    text = _encode_text(item)
                elif isinstance(item, (dict, list, tuple, _FindingsToWrite)):
                    text = encode(item, level + 1)
                else:
                    text = scalar(item)
                items.append(_encode_text(key) + ": " + text)
            newline = "\n" + step * (level + 1)
            return "{" + newline + ("," + newline).join(items) + "\n" + step * level + "}"
        if isinstance(value, (list, tuple, _FindingsToWrite)):
            if not value:
                return "[]"
            items = [
                _encode_text(item)
                if type(item) is str
                else encode(item, level + 1)
                if isinstance(item, (dict, list, tuple))
                else scalar(item)
                for item in value
            ]
            newline = "\n" + step * (level + 1)
            return "[" + newline + ("," + newline).join(items) + "\n" + step * level + "]"
        return scalar(value)

    return encode(data, 0)


_LEAVES = frozenset({str, int, bool, float, type(None)})


def _record_id(record: Mapping[str, Any]) -> str:
    return str(record["id"])


def _canonical_lists(data: Any) -> Any:
    """Sort lists of records by id, and lists of scalars by value, recursively."""
    kind = type(data)
    if kind in _LEAVES:  # most nodes: no call, no ABC check
        return data
    if kind is dict or isinstance(data, Mapping):
        return {k: v if type(v) in _LEAVES else _canonical_lists(v) for k, v in data.items()}
    if kind is list:
        items = [x if type(x) in _LEAVES else _canonical_lists(x) for x in data]
        if items and (
            all(type(x) is dict and "id" in x for x in items)
            or all(isinstance(x, Mapping) and "id" in x for x in items)
        ):
            return sorted(items, key=_record_id)
        if all(isinstance(x, str) for x in items):
            return sorted(items)
        # Records without ids (identity documents, panel members) and other values: their
        # order carries no meaning either, so it must not reach the digest.
        return sorted(items, key=canonical_json)
    return data


def digest(data: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``data``, independent of list order."""
    text = canonical_json(_canonical_lists(data))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def bundle_to_data(bundle: EvidenceBundle) -> dict[str, Any]:
    """An evidence bundle as plain JSON-ready data (defaults omitted)."""
    data = converter().unstructure(bundle)
    assert isinstance(data, dict)
    return data


def evidence_digest(bundle: EvidenceBundle) -> str:
    """The digest of a bundle's content: the same for any ordering of its lists."""
    return digest(bundle_to_data(bundle))


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


def assessment_to_json(a: Assessment, *, extra: Mapping[str, Any] | None = None) -> str:
    """The canonical JSON text of an assessment (2-space indent, sorted keys, final newline):
    the text of :func:`assessment_to_data`, with ``extra`` top-level keys added (a report's own
    section, say). Findings are turned into data one at a time as they are written, so a large
    assessment never exists twice over as dictionaries."""
    data = {**_assessment_head(a), **(extra or {}), "findings": _FindingsToWrite(a.findings)}
    try:
        return _indented_json(data, "  ") + "\n"
    except (_Unusual, RecursionError):
        data["findings"] = _findings_to_data(a.findings)
        return canonical_json(data, indent=2) + "\n"


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


def pack_digest(pack: Pack) -> str:
    """The digest of a resolved pack: it changes whenever anything that affects findings does."""
    return digest(pack_to_data(pack))


__all__ += [
    "assessment_to_json",
    "bundle_to_data",
    "converter",
    "evidence_digest",
    "pack_digest",
    "pack_to_data",
]
