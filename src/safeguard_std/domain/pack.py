"""Standard packs: one board's standard at one edition, as typed values.

A :class:`Pack` here is always *resolved*: layering (``extends``, ``includes``,
``set_parameters``, ``exclude``, ``alter``) has been applied by the loader and every requirement
records which layer each of its fields came from. The evaluator only ever sees resolved packs.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from typing import Any

import attrs
from attrs import validators as v

from safeguard_std.domain.calendar import Period
from safeguard_std.domain.predicates import Predicate
from safeguard_std.exceptions import InvalidPackRef

__all__ = [
    "DocumentAliases",
    "DutyHolder",
    "Inclusion",
    "Modality",
    "Pack",
    "PackRef",
    "Parameter",
    "ParameterValue",
    "Requirement",
    "Rule",
    "Section",
    "Source",
    "SubjectType",
]

_PACK_ID = re.compile(r"[a-z][a-z0-9_-]{0,63}")
_EDITION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


@attrs.frozen
class PackRef:
    """A reference to a pack: ``dorset`` (the edition in force on a date) or ``dorset@2024``.

    >>> PackRef.parse("dorset@2024")
    PackRef(id='dorset', edition='2024')
    >>> str(PackRef.parse("chscb"))
    'chscb'
    """

    id: str
    edition: str | None = None

    @classmethod
    def parse(cls, text: str) -> PackRef:
        """Parse ``ID`` or ``ID@EDITION``; raises :class:`InvalidPackRef` quoting the input."""
        if not isinstance(text, str):
            raise InvalidPackRef(repr(text))
        pack_id, sep, edition = text.strip().partition("@")
        if not _PACK_ID.fullmatch(pack_id) or (sep and not _EDITION.fullmatch(edition)):
            raise InvalidPackRef(text)
        return cls(pack_id, edition or None)

    def __str__(self) -> str:
        return self.id if self.edition is None else f"{self.id}@{self.edition}"


class Modality(enum.StrEnum):
    """How strongly the source words the requirement; taken from the source's own verb."""

    MUST = "must"
    SHOULD = "should"
    RECOMMENDED = "recommended"

    @property
    def rank(self) -> int:
        """0 for must, 1 for should, 2 for recommended: the order reports list them in."""
        return ("must", "should", "recommended").index(self.value)


class DutyHolder(enum.StrEnum):
    """Who the requirement binds."""

    PROVIDER = "provider"
    COMMISSIONER = "commissioner"


class SubjectType(enum.StrEnum):
    """What a requirement is judged per: one finding for each subject of this type."""

    PROVIDER = "provider"
    PERSON = "person"
    POLICY = "policy"
    CONTRACT = "contract"
    PANEL = "panel"
    SELF_AUDIT = "self_audit"
    MONITORING_MEETING = "monitoring_meeting"


ParameterValue = Period | int | bool | str | tuple[str, ...]


@attrs.frozen(kw_only=True)
class Parameter:
    """A named value a council may change in one place (``dbs_renewal: P3Y``)."""

    name: str
    value: ParameterValue
    description: str | None = None
    reading: str | None = None
    origin: str | None = None


@attrs.frozen(kw_only=True)
class Rule:
    """A declarative rule: a registered kind and its parameters (``{param: NAME}`` references
    resolved against the pack's parameters when the pack is compiled)."""

    kind: str
    params: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Section:
    """A section of the source standard, for grouping findings and reports."""

    id: str
    title: str


@attrs.frozen(kw_only=True)
class Source:
    """Where the standard's text comes from."""

    title: str
    publisher: str | None = None
    url: str | None = None
    retrieved_on: dt.date | None = None
    sha256: str | None = attrs.field(
        default=None, validator=v.optional(v.matches_re(r"[0-9a-f]{64}"))
    )
    notes: str | None = None


@attrs.frozen(kw_only=True)
class DocumentAliases:
    """A document a standard names, and the later names that are accepted in its place."""

    id: str
    title: str
    accepted: tuple[str, ...] = ()
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The original title first, then each accepted successor."""
        return (self.title, *self.accepted)


@attrs.frozen(kw_only=True)
class Requirement:
    """One atomic, citable requirement of a standard."""

    id: str
    title: str
    section: str
    citation: str
    text: str
    modality: Modality = attrs.field(converter=Modality)
    duty_holder: DutyHolder = attrs.field(converter=DutyHolder)
    subject: SubjectType = attrs.field(converter=SubjectType)
    rule: Rule
    applies_when: Predicate | None = None
    reading: str | None = None
    severity: str | None = None
    tags: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = attrs.field(factory=dict)
    withdrawn: bool = False
    replaced_by: str | None = None
    origin: str = ""
    provenance: Mapping[str, str] = attrs.field(factory=dict)
    #: For a requirement brought in by ``includes``: the provider-level condition under which the
    #: included layer is judged at all. False for a bundle: the requirement yields no findings.
    included_when: Predicate | None = None


@attrs.frozen(kw_only=True)
class Inclusion:
    """A pack included beneath this one (``includes:``), as resolved for one ``as_of``.

    ``requested`` is the reference as written (``kcsie`` or ``kcsie@2025``); ``ref`` is the
    edition actually used; included requirement ids, sections and parameters are prefixed with
    ``namespace:``; ``applies_when`` gates the whole layer per bundle.
    """

    requested: str
    ref: PackRef
    namespace: str
    applies_when: Predicate | None = None
    layers: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Pack:
    """A resolved standard pack at one edition."""

    schema_version: int = 1
    id: str
    edition: str
    title: str
    board: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    supersedes: str | None = None
    extends: str | None = None
    source: Source | None = None
    sections: tuple[Section, ...] = ()
    parameters: Mapping[str, Parameter] = attrs.field(factory=dict)
    documents: Mapping[str, DocumentAliases] = attrs.field(factory=dict)
    requirements: tuple[Requirement, ...] = ()
    layers: tuple[str, ...] = ()
    includes: tuple[Inclusion, ...] = ()
    path: str | None = attrs.field(default=None, eq=False)
    # Where each layer came from ("bundled", "folder", "file", "distribution NAME VERSION"),
    # by id@edition; not part of what the pack says, so not compared nor digested.
    origins: Mapping[str, str] = attrs.field(factory=dict, eq=False)

    @property
    def ref(self) -> PackRef:
        """This pack's ``id@edition``."""
        return PackRef(self.id, self.edition)

    @property
    def active_requirements(self) -> tuple[Requirement, ...]:
        """Requirements not withdrawn, in pack order."""
        return tuple(r for r in self.requirements if not r.withdrawn)

    def requirement(self, requirement_id: str) -> Requirement:
        """The requirement with this id; ``KeyError`` if there is none."""
        for req in self.requirements:
            if req.id == requirement_id:
                return req
        raise KeyError(requirement_id)

    def in_force(self, as_of: dt.date) -> bool:
        """Whether this edition is in force on ``as_of`` (both ends inclusive)."""
        return self.effective_from <= as_of and (
            self.effective_to is None or as_of <= self.effective_to
        )
