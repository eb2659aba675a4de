"""The provider file: what a single central record does not hold.

It is an evidence bundle without (or with only a few) ``people``: the ``provider`` entity, and
optionally ``id``, ``lead_roles``, ``policies``, ``recruitment_panels``, ``record_reviews``,
``contract`` and the rest. Lead roles and panels name people by the ids the import gives them
(``p-<staff number>``, or ``p-<sheet>-r<row>``). It is checked like any bundle (schema, model,
ids), with errors located in the provider file, before the spreadsheet is read; references to
people are checked once the people are imported.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from safeguard_std.domain.organisation import EvidenceBundle, Provider
from safeguard_std.domain.people import Person
from safeguard_std.evidence import bundle_from_data, record_id_paths, redactor
from safeguard_std.exceptions import EvidenceError, Problem
from safeguard_std.io._problems import schema_problems
from safeguard_std.io.documents import Document, load_document
from safeguard_std.io.schemas import schema_errors
from safeguard_std.serialization import converter

__all__ = ["ProviderFile", "load_provider"]

_LINKED = ("lead_roles", "recruitment_panels")


@attrs.frozen
class ProviderFile:
    """A checked provider file: the bundle it gives, and the records naming imported people."""

    base: EvidenceBundle
    linked: Mapping[str, Any]
    document: Document
    source: str | None

    def named_people(self) -> set[object]:
        """The person ids the file's lead roles and panels name (as written: not yet checked)."""
        return {
            *(r.get("person_id") for r in self.linked.get("lead_roles", []) if isinstance(r, dict)),
            *(
                m.get("person_id")
                for panel in self.linked.get("recruitment_panels", [])
                if isinstance(panel, dict)
                for m in panel.get("members", [])
                if isinstance(m, dict)
            ),
        }

    def attach(
        self, people: tuple[Person, ...], *, include_personal_data: bool = False
    ) -> EvidenceBundle:
        """The whole bundle: the file's records, its people and ``people`` (imported), with lead
        roles and panels checked against them."""
        bundle = attrs.evolve(self.base, people=(*self.base.people, *people))
        if any(self.linked.get(k) for k in _LINKED):
            known = {p.id for p in bundle.people}
            named = self.named_people()
            stubs = [
                {"id": pid}
                for pid in sorted(p for p in named if isinstance(p, str))
                if pid in known
            ]
            data = {
                "id": self.base.id,
                "provider": self.document.data["provider"],
                **self.linked,
                "people": stubs,
            }
            linked = bundle_from_data(
                data,
                source=self.source,
                document=self.document,
                include_personal_data=include_personal_data,
            )
            bundle = attrs.evolve(
                bundle, lead_roles=linked.lead_roles, recruitment_panels=linked.recruitment_panels
            )
        clashes = self._clashes(people)
        if clashes:
            raise EvidenceError(clashes, source=self.source)
        return bundle

    def _clashes(self, people: tuple[Person, ...]) -> list[Problem]:
        """Ids the provider file uses that the import also gave out. Imported ids are unique
        by construction, so only the file's few ids need looking for: checking every id of a
        100,000-person bundle would cost more than the import."""
        base = self.base
        mine = {ident: path for path, ident in record_id_paths(converter().unstructure(base), ())}
        for key in _LINKED:
            for i, r in enumerate(self.linked.get(key, [])):
                if isinstance(r, dict) and isinstance(r.get("id"), str):
                    mine[r["id"]] = (key, i)
        heads = {ident.split(":")[0] for ident in mine}
        problems = []
        for person in people:
            if person.id not in heads:
                continue
            for _path, ident in record_id_paths(converter().unstructure(person), ()):
                if ident in mine:
                    problems.append(
                        Problem(
                            f"id {ident!r} is used in the provider file and by an imported record",
                            self.document.locate(mine[ident]),
                            hint="imported people are p-<staff number> or p-<sheet>-r<row>",
                        )
                    )
        return problems


def _default_id(data: Mapping[str, Any]) -> str:
    provider = data.get("provider")
    pid = provider.get("id") if isinstance(provider, dict) else None
    return f"{pid}-scr" if isinstance(pid, str) and pid else "scr-import"


def load_provider(
    source: Path | str | bytes | Mapping[str, Any] | Provider,
    *,
    name: str | None = None,
    include_personal_data: bool = False,
) -> ProviderFile:
    """Read and check a provider file (a path, bytes labelled ``name``, already-parsed data, or
    just a :class:`Provider`)."""
    if isinstance(source, Provider):
        base = EvidenceBundle(id=f"{source.id}-scr", provider=source)
        return ProviderFile(base, {}, Document({"provider": {}}, name), name)
    if isinstance(source, Mapping):
        label = name
        doc = Document(copy.deepcopy(dict(source)), label)
    else:
        label = name or ("<provider>" if isinstance(source, bytes) else str(source))
        doc = load_document(source, what="provider file", error=EvidenceError, name=label)
    data = doc.data
    if not isinstance(data, dict) or "provider" not in data:
        raise EvidenceError(
            [Problem("a provider file must be a mapping with a 'provider' key", doc.locate(()))],
            source=label,
        )
    body = {"id": _default_id(data), **{k: v for k, v in data.items() if k not in _LINKED}}
    redact = redactor(include_personal_data)
    early = schema_problems(schema_errors("evidence", {**data, **body}), doc, redact)
    if early:
        raise EvidenceError(early, source=label)
    base = bundle_from_data(
        body, source=label, document=doc, include_personal_data=include_personal_data
    )
    linked = {k: data[k] for k in _LINKED if k in data}
    return ProviderFile(base, linked, doc, label)
