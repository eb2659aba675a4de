"""The one cattrs converter, canonical JSON, and digests.

Structuring is strict: a string is never turned into a number or a boolean (``"false"`` is not
``True``), dates are ISO calendar dates or timestamps converted in Europe/London, unknown keys are
errors. Unstructuring omits defaults and writes set-valued fields as sorted lists, so the same
entity always gives the same document.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import hashlib
import json
import weakref
from collections.abc import Callable, Iterator, Mapping
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
from safeguard_std.domain.findings import (
    Assessment,
    Finding,
    Outcome,
    RequirementRef,
    Status,
    SubjectRef,
    Summary,
)
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack, Requirement
from safeguard_std.domain.people import Person
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


# Evidence digests, remembered while the bundle lives: writing an assessment reads its digest
# and a report checks the bundle it is given against it, and hashing a large bundle costs as
# much as judging it. Keyed by identity (a bundle's own hash would read all of it); an entry
# counts only for the very same object, and goes when the bundle does.
_DIGESTS: dict[int, tuple[weakref.ref[EvidenceBundle], str]] = {}


def evidence_digest(bundle: EvidenceBundle) -> str:
    """The digest of a bundle's content: the same for any ordering of its lists."""
    key = id(bundle)
    hit = _DIGESTS.get(key)
    if hit is not None and hit[0]() is bundle:
        return hit[1]
    value = _bundle_digest(bundle)

    def forget(_gone: object, cache: dict[int, Any] = _DIGESTS) -> None:
        cache.pop(key, None)

    try:
        alive = weakref.ref(bundle, forget)
    except TypeError:  # an object that cannot be weakly referenced is simply not remembered
        return value
    _DIGESTS[key] = (alive, value)
    return value


_PEOPLE_HERE = "safeguard-std: the people are hashed here"


def _bundle_digest(bundle: EvidenceBundle) -> str:
    """``digest(bundle_to_data(bundle))``, hashed a person at a time: the canonical text of a
    large bundle's people is never held whole, nor the bundle as data twice over (the digest
    used to be the peak of a command-line run). The text hashed is the same, piece by piece:
    canonical JSON joins a mapping's sorted items and a list's items with commas, and the people,
    records with ids, are sorted by id."""
    people = bundle.people
    if not people:
        return digest(bundle_to_data(bundle))
    rest = copy.copy(bundle)  # the bundle without its people; the same object otherwise
    object.__setattr__(rest, "people", ())
    data = bundle_to_data(rest)
    data["people"] = _PEOPLE_HERE
    head = canonical_json(_canonical_lists(data))
    before, sep, after = head.partition(_encode_text(_PEOPLE_HERE))
    ids = [str(p.id) for p in people]
    if not sep or _encode_text(_PEOPLE_HERE) in after or len(set(ids)) != len(ids):
        return digest(bundle_to_data(bundle))  # nothing a loaded bundle holds; kept exact
    hasher = hashlib.sha256(before.encode("utf-8"))
    unstructure = converter().unstructure
    order = sorted(range(len(people)), key=ids.__getitem__)
    for n, index in enumerate(order):
        person = canonical_json(_canonical_lists(unstructure(people[index], Person)))
        hasher.update(("[" if n == 0 else ",").encode() + person.encode("utf-8"))
    hasher.update(("]" + after).encode("utf-8"))
    return "sha256:" + hasher.hexdigest()


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


# -- the findings of an assessment, written from templates ---------------------------------------
#
# Every finding has the same keys in the same (sorted) order, at the same depth, and much of its
# text is shared: a requirement's lines are the same for all its findings, rule kinds share one
# outcome (or its facts) between the subjects that get the same result, and a subject is the
# same in every requirement. So each is written once, and a finding is those pieces and its id.
# The text is exactly what the generic encoder (indented) or json.dumps (compact) gives for
# _finding_to_data: tests compare them, and the golden reports; anything the templates do not
# expect goes through the encoder.


@attrs.frozen
class _Layout:
    """Where a finding's keys go: indented at depth 2 of an assessment, or compact."""

    at: str  # before each of a finding's keys
    inner: str  # before each item of a list or mapping a key holds
    close: str  # a finding's closing brace
    colon: str
    nested: Callable[[Any], str]  # a key's value that is a list or a mapping


_AT = "\n      "  # a finding's keys: the findings list is at depth 1, a finding at 2, its keys at 3
_INDENTED = _Layout(
    at=_AT,
    inner="\n        ",
    close="\n    }",
    colon=": ",
    # A JSON text has newlines only between tokens (strings escape theirs): re-indenting it is
    # replacing them.
    nested=lambda value: _indented_json(value, "  ").replace("\n", _AT),
)
_COMPACT = _Layout(
    at="", inner="", close="}", colon=":", nested=lambda value: canonical_json(value)
)
_OUTCOME_TEXTS = 65_536  # outcomes remembered per assessment written (most are shared)


def _requirement_lines(ref: RequirementRef, lay: _Layout) -> tuple[str, str]:
    """The requirement's lines of a finding: before ``evidence``, and ``modality`` to
    ``section``."""
    enc, at, colon = _encode_text, lay.at, lay.colon
    tail = [
        f'{at}"modality"{colon}{enc(ref.modality.value)}',
        f'{at}"origin"{colon}{enc(ref.origin)}',
        f'{at}"pack"{colon}{enc(ref.pack)}',
    ]
    if ref.parameters:
        tail.append(f'{at}"parameters"{colon}{lay.nested(_jsonable(ref.parameters))}')
    tail += [
        f'{at}"requirement"{colon}{enc(ref.requirement_id)}',
        f'{at}"rule"{colon}{enc(ref.rule)}',
        f'{at}"section"{colon}{enc(ref.section)}',
    ]
    return f'{at}"duty_holder"{colon}{enc(ref.duty_holder.value)},', ",".join(tail) + ","


def _outcome_lines(
    outcome: Outcome, lay: _Layout, facts_text: dict[int, tuple[Any, str]]
) -> tuple[str, str, str, str]:
    """The outcome's lines of a finding: before ``duty_holder``, before ``id``, ``message``,
    ``status``. ``facts_text`` remembers facts already written (rule kinds share them)."""
    enc, at, colon = _encode_text, lay.at, lay.colon
    due = outcome.due_on
    first = "" if due is None else f'{at}"due_on"{colon}{enc(due.isoformat())},'
    middle = ""
    if outcome.evidence:
        ids = outcome.evidence
        if not all(type(i) is str for i in ids):
            raise _Unusual
        joined = ("," + lay.inner).join(map(enc, ids))
        middle = f'{at}"evidence"{colon}[{lay.inner}{joined}{at}],'
    facts = outcome.facts
    if facts:
        known = facts_text.get(id(facts))
        if known is None:
            if len(facts_text) >= _OUTCOME_TEXTS:
                facts_text.clear()
            known = facts_text[id(facts)] = (facts, _facts_line(_jsonable(facts), lay))
        middle += known[1]
    message = f'{at}"message"{colon}{enc(outcome.message)},'
    return first, middle, message, f'{at}"status"{colon}{enc(outcome.status.value)},'


def _facts_line(facts: Any, lay: _Layout) -> str:
    """The ``facts`` line; most facts are a few names and text values, written directly."""
    at, colon = lay.at, lay.colon
    if type(facts) is dict and all(type(k) is str and type(v) is str for k, v in facts.items()):
        enc = _encode_text
        pairs = sorted(facts.items())
        joined = ("," + lay.inner).join(f"{enc(k)}{colon}{enc(v)}" for k, v in pairs)
        return f'{at}"facts"{colon}{{{lay.inner}{joined}{at}}},'
    return f'{at}"facts"{colon}{lay.nested(facts)},'


def _subject_lines(subject: SubjectRef, lay: _Layout) -> tuple[str, str]:
    """The subject as the end of a finding's id, and its ``subject`` line and the close."""
    sid, kind = subject.id, subject.type.value
    at, inner, colon = lay.at, lay.inner, lay.colon
    block = (
        f'{at}"subject"{colon}{{{inner}"id"{colon}{"null" if sid is None else _encode_text(sid)},'
        f'{inner}"type"{colon}{_encode_text(kind)}{at}}}{lay.close}'
    )
    return f"{kind}:{'-' if sid is None else sid}", block


def _findings_text(findings: tuple[Finding, ...], lay: _Layout = _INDENTED) -> Iterator[str]:
    """The text of each finding, in order (see the comment above)."""
    enc, at, colon = _encode_text, lay.at, lay.colon
    requirements: dict[int, tuple[RequirementRef, str, str, str]] = {}
    outcomes: dict[int, tuple[Outcome, tuple[str, str, str, str]]] = {}
    subjects: dict[int, tuple[SubjectRef, str, str]] = {}
    facts: dict[int, tuple[Any, str]] = {}
    for f in findings:
        ref, outcome, subject = f.requirement, f.outcome, f.subject
        try:
            r = requirements.get(id(ref))
            if r is None:
                r = requirements[id(ref)] = (
                    ref,
                    f"{ref.pack}/{ref.requirement_id}/",
                    *_requirement_lines(ref, lay),
                )
            o = outcomes.get(id(outcome))
            if o is None:
                if len(outcomes) >= _OUTCOME_TEXTS:
                    outcomes.clear()
                o = outcomes[id(outcome)] = (outcome, _outcome_lines(outcome, lay, facts))
        except (_Unusual, RecursionError):  # what json.dumps writes for it, at its depth
            if lay is _COMPACT:
                yield canonical_json(_finding_to_data(f))
            else:
                yield canonical_json(_finding_to_data(f), indent=2).replace("\n", "\n    ")
            continue
        s = subjects.get(id(subject))
        if s is None:
            s = subjects[id(subject)] = (subject, *_subject_lines(subject, lay))
        o1, o2, o3, o4 = o[1]
        yield f'{{{o1}{r[2]}{o2}{at}"id"{colon}{enc(r[1] + s[1])},{o3}{r[3]}{o4}{s[2]}'


def assessment_line(a: Assessment) -> str:
    """``canonical_json(assessment_to_data(a))``, the text a portfolio writes per bundle, made
    from the same templates as :func:`assessment_to_json` (no finding becomes a dictionary)."""
    data = {**_assessment_head(a), "findings": _PLACE}
    try:
        head = canonical_json(data)
        before, sep, after = head.partition(_encode_text(_PLACE))
        if not sep or _encode_text(_PLACE) in after:
            raise _Unusual
        return before + "[" + ",".join(_findings_text(a.findings, _COMPACT)) + "]" + after
    except (_Unusual, RecursionError):
        return canonical_json(assessment_to_data(a))


_PLACE = "safeguard-std: the findings are written here"


def assessment_json_chunks(
    a: Assessment, *, extra: Mapping[str, Any] | None = None
) -> Iterator[str]:
    """:func:`assessment_to_json`'s text in pieces, the findings one at a time, so that a large
    assessment can be written as it is made into text, never held whole."""
    data = {**_assessment_head(a), **(extra or {}), "findings": _PLACE}
    try:
        head = _indented_json(data, "  ")
        before, sep, after = head.partition(_encode_text(_PLACE))
        if not sep or _encode_text(_PLACE) in after:
            raise _Unusual
        pieces = _findings_text(a.findings)
        first = next(pieces, None)
    except (_Unusual, RecursionError):  # data the fast encoders leave to json.dumps
        data["findings"] = _findings_to_data(a.findings)
        yield canonical_json(data, indent=2) + "\n"
        return
    if first is None:
        yield before + "[]" + after + "\n"
        return
    yield before + "[\n    " + first
    for text in pieces:
        yield ",\n    " + text
    yield "\n  ]" + after + "\n"


#: What ``ndjson-findings`` output leaves out: findings nothing needs doing about.
QUIET_STATUSES: tuple[Status, ...] = (Status.MET, Status.NOT_APPLICABLE)


def assessment_ndjson_findings(a: Assessment) -> Iterator[str]:
    """The compact form of an assessment for pipelines, one JSON text a line (canonical: sorted
    keys, no spaces): first the assessment without its findings (pack, digests, ``as_of``, the
    summary counting every finding), with ``findings_written`` saying what follows; then each
    finding that is neither ``met`` nor ``not_applicable`` (the data
    :func:`assessment_to_data` gives it), in canonical order. Much smaller than the whole
    assessment, and written as it is made."""
    quiet = {s.value for s in QUIET_STATUSES}
    written = sum(n for status, n in a.summary.by_status.items() if status not in quiet)
    head = {
        **_assessment_head(a),
        "findings_written": {
            "format": 1,
            "left_out": sorted(quiet),
            "count": written,
        },
    }
    yield canonical_json(head) + "\n"
    shared: dict[int, dict[str, Any]] = {}
    for f in a.findings:
        if f.outcome.status in QUIET_STATUSES:
            continue
        part = shared.get(id(f.requirement))
        if part is None:
            part = shared[id(f.requirement)] = _requirement_part(f.requirement)
        yield canonical_json(_finding_to_data(f, part)) + "\n"


def assessment_to_json(a: Assessment, *, extra: Mapping[str, Any] | None = None) -> str:
    """The canonical JSON text of an assessment (2-space indent, sorted keys, final newline):
    the text of :func:`assessment_to_data`, with ``extra`` top-level keys added (a report's own
    section, say). Findings are turned into text one at a time, so a large assessment never
    exists twice over as dictionaries; :func:`assessment_json_chunks` gives the same text in
    pieces."""
    return "".join(assessment_json_chunks(a, extra=extra))


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
    "QUIET_STATUSES",
    "assessment_json_chunks",
    "assessment_line",
    "assessment_ndjson_findings",
    "assessment_to_json",
    "bundle_to_data",
    "converter",
    "evidence_digest",
    "pack_digest",
    "pack_to_data",
]
