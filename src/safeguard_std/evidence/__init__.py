"""Loading evidence bundles: bytes to typed entities, with every problem located.

Stages, each reporting all of its problems at once as one
:class:`~safeguard_std.exceptions.EvidenceError`: parse (JSON or YAML), JSON Schema
(``schemas/evidence.schema.json``), strict structuring through the one converter (the entities'
own validators run here), then integrity across records (ids unique within the bundle, references
to people that exist).

Valid evidence takes a shorter road with the same result: one structuring pass strict enough to
imply the schema (:mod:`safeguard_std.evidence._fast`), about twenty times faster than running
the schema validator over a large bundle. Anything that pass refuses goes through every stage
above, so what an error says, and where, never depends on the shortcut.

Values of personal fields (names, dates of birth, addresses, DBS certificate numbers) are withheld
from messages unless the caller passes ``include_personal_data=True``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import cattrs

from safeguard_std.domain._base import PERSONAL
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.people import DbsCheck, Person
from safeguard_std.evidence._fast import all_ids, structure_fast, structure_text
from safeguard_std.exceptions import EvidenceError, Location, Problem, format_path
from safeguard_std.io._problems import schema_problems, shown
from safeguard_std.io._read import is_yaml
from safeguard_std.io.documents import (
    _SURROGATE_ESCAPE,
    Document,
    DocumentSyntaxError,
    Limits,
    _guess,
    decode,
    parse,
    read_source,
)
from safeguard_std.io.schemas import schema_errors
from safeguard_std.serialization import converter, structure_errors

__all__ = ["PERSONAL_FIELDS", "bundle_from_data", "integrity_problems", "load_evidence"]

#: Names of fields marked personal anywhere in the evidence model.
PERSONAL_FIELDS = frozenset(
    a.name for cls in (Person, DbsCheck) for a in attrs.fields(cls) if a.metadata.get(PERSONAL)
) | {"attested_by"}

Path_ = tuple[str | int, ...]


def _is_personal(path: Path_) -> bool:
    return any(isinstance(p, str) and p in PERSONAL_FIELDS for p in path)


def redactor(include_personal_data: bool) -> Any:
    """Which paths hold personal values to withhold from messages (none when asked for)."""
    return (lambda _p: False) if include_personal_data else _is_personal


def _value_at(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _structure_problems(exc: Exception, doc: Document, include_personal: bool) -> list[Problem]:
    out = []
    for path, message in structure_errors(exc):
        secret = not include_personal and _is_personal(path)
        if secret:
            message = message.split(", got ")[0] + " (value withheld: personal data)"
        value = _value_at(doc.data, path)
        # Only scalars are shown: a whole record could carry personal fields.
        scalar = isinstance(value, (str, int, float, bool))
        found = (
            None if secret or not scalar or message == "required key is missing" else shown(value)
        )
        if found and (found in message or f"({value})" in message or f"got {value}" in message):
            found = None  # the message already shows it
        out.append(Problem(message, doc.locate(path), found=found))
    return out


def integrity_problems(bundle: EvidenceBundle, doc: Document | None = None) -> list[Problem]:
    """Problems across records: ids reused within the bundle, and references to people or
    records that are not in it."""
    locate = doc.locate if doc is not None else (lambda p: Location(None, p))
    problems: list[Problem] = []
    ids = all_ids(bundle)
    if len(set(ids)) != len(ids):  # only then work out where each one is
        seen: Counter[str] = Counter()
        paths: dict[str, Path_] = {}
        for path, ident in record_id_paths(converter().unstructure(bundle), ()):
            seen[ident] += 1
            if seen[ident] == 2:
                problems.append(
                    Problem(
                        f"id {ident!r} is used by more than one record",
                        locate(path),
                        hint=f"first used at {format_path(paths[ident])}",
                    )
                )
            paths.setdefault(ident, path)
    people = {p.id for p in bundle.people}
    for i, role in enumerate(bundle.lead_roles):
        if role.person_id not in people:
            problems.append(
                Problem(
                    f"lead role names person {role.person_id!r}, who is not in 'people'",
                    locate(("lead_roles", i, "person_id")),
                )
            )
    for i, panel in enumerate(bundle.recruitment_panels):
        for j, member in enumerate(panel.members):
            if member.person_id not in people:
                problems.append(
                    Problem(
                        f"panel member {member.person_id!r} is not in 'people'",
                        locate(("recruitment_panels", i, "members", j, "person_id")),
                    )
                )
    return problems


def record_id_paths(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every record id in plain evidence data, with its path."""
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            yield path, data["id"]
        for key, value in data.items():
            if isinstance(value, (dict, list)):
                yield from record_id_paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from record_id_paths(value, (*path, i))


def bundle_from_data(
    data: Any,
    *,
    source: str | None = None,
    document: Document | None = None,
    include_personal_data: bool = False,
    validate_schema: bool = True,
) -> EvidenceBundle:
    """Structure already-parsed data into an :class:`EvidenceBundle`, or raise
    :class:`~safeguard_std.exceptions.EvidenceError` with every problem located.

    Dates may be ISO text or ``datetime.date`` values (what a database driver returns); a
    ``datetime.datetime`` is a timestamp, taken to its Europe/London calendar date."""
    doc = document if document is not None else Document(data, source)
    if not isinstance(data, dict):
        raise EvidenceError(
            [
                Problem(
                    "an evidence bundle must be a mapping",
                    doc.locate(()),
                    found=type(data).__name__,
                )
            ],
            source=source,
        )
    # Valid input takes one strict pass; anything else the full path judges and reports.
    bundle = structure_fast(data)
    if bundle is None:
        data = _dates_as_text(data)
        if document is None:
            doc = Document(data, source)
        bundle = _structure_fully(data, doc, source, include_personal_data, validate_schema)
    problems = integrity_problems(bundle, doc)
    if problems:
        raise EvidenceError(problems, source=source)
    return bundle


def _dates_as_text(value: Any) -> Any:
    """``value`` with every ``date``/``datetime`` as the ISO text the schema expects."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _structure_fully(
    data: dict[str, Any],
    doc: Document,
    source: str | None,
    include_personal_data: bool,
    validate_schema: bool,
) -> EvidenceBundle:
    try:
        doc.check_depth()  # left until now: evidence that structured needed none
    except DocumentSyntaxError as exc:
        raise EvidenceError(exc.problems, source=source) from None
    if validate_schema:
        redact = redactor(include_personal_data)
        problems = schema_problems(schema_errors("evidence", data), doc, redact)
        if problems:
            raise EvidenceError(problems, source=source)
    body = {k: v for k, v in data.items() if k != "$schema"}
    try:
        bundle = converter().structure(body, EvidenceBundle)
    except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
        raise EvidenceError(
            _structure_problems(exc, doc, include_personal_data), source=source
        ) from None
    assert isinstance(bundle, EvidenceBundle)
    return bundle


def _load_json_fast(
    raw: bytes | str, label: str | None, limits: Limits | None
) -> EvidenceBundle | None:
    """A valid JSON bundle read a person at a time (:func:`~safeguard_std.evidence._fast.
    structure_text`); ``None`` for anything else (YAML, or anything the full path must judge and
    report from the same ``raw`` content)."""
    if is_yaml(label, None):
        return None
    try:
        text = decode(raw, label, limits=limits)
    except DocumentSyntaxError:
        return None
    if (
        _guess(label, text) != "json"
        or text.count("{") + text.count("[") > (limits or Limits()).max_nodes
        or _SURROGATE_ESCAPE.search(text) is not None
    ):
        return None
    bundle = structure_text(text)
    del text
    if bundle is None or integrity_problems(bundle):
        return None
    return bundle


def load_evidence(
    source: Path | str | bytes,
    *,
    name: str | None = None,
    include_personal_data: bool = False,
    validate_schema: bool = True,
    limits: Limits | None = None,
) -> EvidenceBundle:
    """Load an evidence bundle from a file path, or from bytes (``name`` labels errors and picks
    JSON or YAML by suffix). ``limits`` raises the size limits on one document for a bundle
    larger than the defaults allow (:class:`~safeguard_std.io.documents.Limits`,
    ``docs/limits.md``)."""
    label = name if isinstance(source, bytes) else name or str(source)
    # Read once: a pipe cannot be read twice, and the full path judges the same bytes.
    label, raw = read_source(
        source, what="evidence file", error=EvidenceError, name=label, limits=limits
    )
    bundle = _load_json_fast(raw, label, limits)
    if bundle is not None:
        return bundle
    # A document the fast path structures is as shallow as the model, so the nesting check (a
    # walk over every node) runs only when the full path does. Only the parsed data outlives
    # the load: the bytes of a large bundle are dropped inside it.
    try:
        doc = parse(raw, label, check_depth=False, limits=limits)
    except DocumentSyntaxError as exc:
        raise EvidenceError(exc.problems, source=label) from None
    del raw
    return bundle_from_data(
        doc.data,
        source=label,
        document=doc,
        include_personal_data=include_personal_data,
        validate_schema=validate_schema,
    )
