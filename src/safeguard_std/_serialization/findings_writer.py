"""An assessment's JSON text, its findings written from templates: indented, one line, or
the compact ``ndjson-findings`` form."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from safeguard_std._serialization.canonical import (
    _encode_text,
    _indented_json,
    _Unusual,
    canonical_json,
)
from safeguard_std._serialization.data import (
    _assessment_head,
    _finding_to_data,
    _findings_to_data,
    _jsonable,
    _requirement_part,
    assessment_to_data,
)
from safeguard_std.domain.findings import (
    Assessment,
    Finding,
    Outcome,
    RequirementRef,
    Status,
    SubjectRef,
)

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
_OUTCOME_TEXTS = 4_096  # outcomes remembered per assessment written (the shared ones come back)


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


@attrs.frozen(eq=False)
class StreamedList:
    """A list in the ``extra`` of :func:`assessment_json_chunks` whose items are made and written
    one at a time (a report's issues per person, say): a large section is never whole, neither
    as data nor as text. ``items`` gives the items afresh each time it is called."""

    items: Callable[[], Iterable[Any]]


def _place_streamed(value: Any, places: dict[str, StreamedList]) -> Any:
    """``value`` with each :class:`StreamedList` in it replaced by a marker text."""
    if isinstance(value, StreamedList):
        marker = f"safeguard-std: a list is written here ({len(places) + 1})"
        places[marker] = value
        return marker
    if type(value) is dict:
        return {k: _place_streamed(v, places) for k, v in value.items()}
    return value


def _materialized(value: Any) -> Any:
    """``value`` with each :class:`StreamedList` in it made a list."""
    if isinstance(value, StreamedList):
        return [_materialized(item) for item in value.items()]
    if type(value) is dict:
        return {k: _materialized(v) for k, v in value.items()}
    return value


def _streamed_text(items: Iterable[Any], indent: str, step: str) -> Iterator[str]:
    """A list whose key is indented by ``indent``, as the indented encoder writes it."""
    newline = "\n" + indent + step
    first = True
    for item in items:
        try:
            text = _indented_json(item, step)
        except (_Unusual, RecursionError):  # what json.dumps writes for it
            text = canonical_json(item, indent=len(step))
        yield ("[" if first else ",") + newline + text.replace("\n", newline)
        first = False
    yield "[]" if first else "\n" + indent + "]"


def assessment_json_chunks(
    a: Assessment, *, extra: Mapping[str, Any] | None = None
) -> Iterator[str]:
    """:func:`assessment_to_json`'s text in pieces, the findings one at a time, so that a large
    assessment can be written as it is made into text, never held whole. A
    :class:`StreamedList` in ``extra`` is written the same way, an item at a time."""
    places: dict[str, StreamedList] = {}
    data = {**_assessment_head(a), **_place_streamed(dict(extra or {}), places), "findings": _PLACE}
    try:
        head = _indented_json(data, "  ")
        parts = []  # (where the marker is in the text, its end there, the marker)
        for marker in (_PLACE, *places):
            text = _encode_text(marker)
            at = head.find(text)
            if at < 0 or head.find(text, at + 1) >= 0:
                raise _Unusual
            parts.append((at, at + len(text), marker))
        pieces = _findings_text(a.findings)
        first = next(pieces, None)
    except (_Unusual, RecursionError):  # data the fast encoders leave to json.dumps
        data = {**_assessment_head(a), **_materialized(dict(extra or {}))}
        data["findings"] = _findings_to_data(a.findings)
        yield canonical_json(data, indent=2) + "\n"
        return
    done = 0
    for at, end, marker in sorted(parts):
        before = head[done:at]
        done = end
        if marker != _PLACE:
            yield before
            line = head.rfind("\n", 0, at) + 1
            indent = " " * (at - line - len(head[line:at].lstrip(" ")))
            yield from _streamed_text(places[marker].items(), indent, "  ")
        elif first is None:
            yield before + "[]"
        else:
            yield before + "[\n    " + first
            for text in pieces:
                yield ",\n    " + text
            yield "\n  ]"
    yield head[done:] + "\n"


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
