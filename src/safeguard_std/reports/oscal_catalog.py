"""A pack as an OSCAL catalog, and a layered pack as an OSCAL profile of its base.

So a compliance tool (compliance-trestle, say) can import a board's standard, and the assessment
results (:mod:`safeguard_std.reports.oscal`) point at real controls in it:

* **catalog**: one ``group`` per section, one ``control`` per requirement (withdrawn ones too,
  marked ``status: withdrawn`` with a ``moved-to`` link to their replacement), the control id
  being :func:`~safeguard_std.reports.oscal.control_id` of the requirement id. The source text is
  the control's ``statement`` part (id ``<control id>_smt``, what assessment findings target),
  the pack's reading of it the ``guidance`` part; modality, duty holder, subject, citation, tags,
  the rule and when it applies travel as properties in the :data:`OSCAL_NS` namespace. The pack's
  parameters are the catalog's ``params``; its source document a back-matter resource.
* **profile** (a pack that ``extends`` another): imports the base's catalog
  (:func:`~safeguard_std.reports.oscal.catalog_file_name`) with the requirements the layer drops
  as ``exclude-controls``; ``set_parameters`` become ``set-parameters``; requirements the layer
  alters or withdraws become ``alters`` (the old property or statement removed, the new one
  added); requirements the layer adds (or brings in by ``includes``) are imported from the pack's
  own catalog. Resolving the profile gives the controls of the pack's catalog.

Everything derives from the resolved packs (not the YAML), so a profile says what changed,
whichever way the layer wrote it. Deterministic: UUIDs derive from the pack's id, edition and
digest; timestamps are the edition's ``effective_from`` at midnight UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from safeguard_std.domain.pack import Pack, Requirement, Source
from safeguard_std.exceptions import ReportError
from safeguard_std.reports._format import stable_uuid
from safeguard_std.reports.oscal import OSCAL_NS, OSCAL_VERSION, control_id, markdown_escape
from safeguard_std.serialization import canonical_json, pack_digest, pack_to_data

__all__ = ["CATALOG_HREF", "pack_to_oscal_catalog", "pack_to_oscal_profile"]

# Requirement fields that travel as properties (name in the document, field in pack data).
_PROPS = (
    ("modality", "modality"),
    ("duty-holder", "duty_holder"),
    ("subject", "subject"),
    ("citation", "citation"),
    ("severity", "severity"),
)


def _line(text: str) -> str:
    return " ".join(str(text).split()) or "-"


def _md(text: str) -> str:
    return markdown_escape(_line(text))


def _prose(text: str) -> str:
    """Multi-line text as OSCAL markup-multiline: paragraphs kept, every line escaped."""
    paragraphs = [" ".join(p.split()) for p in str(text).split("\n\n")]
    return "\n\n".join(markdown_escape(p) for p in paragraphs if p) or "-"


def _prop(name: str, value: object) -> dict[str, Any]:
    return {"name": name, "ns": OSCAL_NS, "value": _line(str(value))}


def _token(text: str, prefix: str) -> str:
    return control_id(f"{prefix}-{text}")


def _param_value(value: object) -> list[str]:
    if isinstance(value, tuple):
        return [_line(str(v)) for v in value] or ["-"]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return [_line(str(value))]


def _metadata(pack: Pack, kind: str) -> dict[str, Any]:
    when = f"{pack.effective_from.isoformat()}T00:00:00+00:00"
    props = [
        _prop("pack", f"{pack.id}@{pack.edition}"),
        _prop("pack-digest", pack_digest(pack)),
        _prop("board", pack.board),
        _prop("effective-from", pack.effective_from.isoformat()),
    ]
    if pack.effective_to is not None:
        props.append(_prop("effective-to", pack.effective_to.isoformat()))
    if pack.extends:
        props.append(_prop("extends", pack.extends))
    return {
        "title": _md(f"{pack.title} ({pack.id}@{pack.edition}){kind}"),
        "last-modified": when,
        "version": pack.edition,
        "oscal-version": OSCAL_VERSION,
        "props": props,
    }


def _rule_props(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    props = [_prop("rule", canonical_json(data["rule"]))]
    if "applies_when" in data:
        props.append(_prop("applies-when", canonical_json(data["applies_when"])))
    return props


def _props(req: Requirement, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    props: list[dict[str, Any]] = [{"name": "label", "value": _line(req.id)}]
    props += [_prop("requirement-id", req.id)]
    props += [_prop(name, data[key]) for name, key in _PROPS if data.get(key)]
    props += [_prop("tag", tag) for tag in req.tags]
    props += _rule_props(data)
    if req.withdrawn:
        props.append({"name": "status", "value": "withdrawn"})
    return props


def _statement(req: Requirement) -> dict[str, Any]:
    cid = control_id(req.id)
    return {"id": f"{cid}_smt", "name": "statement", "prose": _prose(req.text or req.title)}


def _control(req: Requirement, data: Mapping[str, Any]) -> dict[str, Any]:
    cid = control_id(req.id)
    parts = [_statement(req)]
    if req.reading:
        parts.append({"id": f"{cid}_gdn", "name": "guidance", "prose": _prose(req.reading)})
    control: dict[str, Any] = {
        "id": cid,
        "class": "requirement",
        "title": _md(req.title),
        "props": _props(req, data),
        "parts": parts,
    }
    if req.replaced_by:
        control["links"] = [{"href": f"#{control_id(req.replaced_by)}", "rel": "moved-to"}]
    return control


def _requirement_data(pack: Pack) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in pack_to_data(pack)["requirements"]}


def _params(pack: Pack) -> list[dict[str, Any]]:
    out = []
    for name, param in sorted(pack.parameters.items()):
        entry: dict[str, Any] = {
            "id": control_id(name),
            "label": _md(param.description or name),
            "props": [_prop("parameter", name)],
            "values": _param_value(param.value),
        }
        if param.reading:
            entry["guidelines"] = [{"prose": _prose(param.reading)}]
        out.append(entry)
    return out


def _catalog_document(pack: Pack) -> dict[str, Any]:
    catalog: dict[str, Any] = {
        "uuid": stable_uuid("catalog", pack.id, pack.edition, pack_digest(pack)),
        "metadata": _metadata(pack, ""),
    }
    params = _params(pack)
    if params:
        catalog["params"] = params
    groups = _groups(pack)
    if groups:
        catalog["groups"] = groups
    if pack.source is not None:
        catalog["back-matter"] = {"resources": [_source_resource(pack, pack.source)]}
    return {"catalog": catalog}


def _groups(pack: Pack) -> list[dict[str, Any]]:
    """One group per section with requirements, in pack order (sections the pack does not
    list last)."""
    data = _requirement_data(pack)
    titles = {s.id: s.title for s in pack.sections}
    order = [s.id for s in pack.sections]
    order += [r.section for r in pack.requirements if r.section not in order]
    groups = []
    for section in dict.fromkeys(order):
        controls = [_control(r, data[r.id]) for r in pack.requirements if r.section == section]
        if controls:
            groups.append(_group(section, titles.get(section, section), controls))
    return groups


def _group(section: str, title: str, controls: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": _token(section, "section"),
        "class": "section",
        "title": _md(title),
        "props": [_prop("section", section)],
        "controls": controls,
    }


def _source_resource(pack: Pack, source: Source) -> dict[str, Any]:
    """The back-matter resource for the document the pack was read from."""
    resource: dict[str, Any] = {
        "uuid": stable_uuid("source", pack.id, pack.edition, source.title),
        "title": _md(source.title),
    }
    if source.publisher:
        resource["citation"] = {"text": _md(f"{source.title}, {source.publisher}")}
    if source.url:
        resource["rlinks"] = [{"href": source.url}]
    if source.retrieved_on:
        resource["props"] = [_prop("retrieved-on", source.retrieved_on.isoformat())]
    return resource


def pack_to_oscal_catalog(pack: Pack) -> str:
    """The resolved ``pack`` as an OSCAL catalog (canonical JSON)."""
    return canonical_json(_catalog_document(pack), indent=2) + "\n"


_Entries = tuple[dict[str, Any], ...]


@attrs.frozen
class _Edits:
    """What an alter removes from a control and adds to its end, in document order."""

    removes: _Entries = ()
    props: _Entries = ()
    parts: _Entries = ()

    def __add__(self, other: _Edits) -> _Edits:
        return _Edits(
            self.removes + other.removes, self.props + other.props, self.parts + other.parts
        )


def _alter(
    old: Requirement, new: Requirement, old_data: Mapping[str, Any], new_data: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The profile's alter turning the base's control ``old`` into the layer's ``new``;
    ``None`` when the layer leaves it as it was."""
    edits = (
        _property_edits(old_data, new_data)
        + _rule_edits(old_data, new_data)
        + _tag_edits(old, new)
        + _text_edits(old, new)
        + _guidance_edits(old, new)
        + _withdrawal_edits(old, new)
    )
    if not (edits.removes or edits.props or edits.parts):
        return None
    alter: dict[str, Any] = {"control-id": control_id(new.id)}
    if edits.removes:
        alter["removes"] = list(edits.removes)
    add = _addition(edits, _moved_to(old, new))
    if add is not None:
        alter["adds"] = [add]
    return alter


def _property_edits(old_data: Mapping[str, Any], new_data: Mapping[str, Any]) -> _Edits:
    changed = [(name, key) for name, key in _PROPS if old_data.get(key) != new_data.get(key)]
    return _Edits(
        removes=tuple({"by-name": name, "by-ns": OSCAL_NS} for name, _ in changed),
        props=tuple(_prop(name, new_data[key]) for name, key in changed if new_data.get(key)),
    )


def _rule_edits(old_data: Mapping[str, Any], new_data: Mapping[str, Any]) -> _Edits:
    same_when = old_data.get("applies_when") == new_data.get("applies_when")
    if old_data["rule"] == new_data["rule"] and same_when:
        return _Edits()
    return _Edits(
        removes=(
            {"by-name": "rule", "by-ns": OSCAL_NS},
            {"by-name": "applies-when", "by-ns": OSCAL_NS},
        ),
        props=tuple(_rule_props(new_data)),
    )


def _tag_edits(old: Requirement, new: Requirement) -> _Edits:
    if old.tags == new.tags:
        return _Edits()
    return _Edits(
        removes=({"by-name": "tag", "by-ns": OSCAL_NS},),
        props=tuple(_prop("tag", tag) for tag in new.tags),
    )


def _text_edits(old: Requirement, new: Requirement) -> _Edits:
    title = _Edits(props=(_prop("title", new.title),)) if old.title != new.title else _Edits()
    if (old.text or old.title) == (new.text or new.title):
        return title
    return title + _Edits(
        removes=({"by-id": f"{control_id(new.id)}_smt"},), parts=(_statement(new),)
    )


def _guidance_edits(old: Requirement, new: Requirement) -> _Edits:
    if old.reading == new.reading:
        return _Edits()
    cid = control_id(new.id)
    removes = ({"by-id": f"{cid}_gdn"},) if old.reading else ()
    parts = (
        ({"id": f"{cid}_gdn", "name": "guidance", "prose": _prose(new.reading)},)
        if new.reading
        else ()
    )
    return _Edits(removes=removes, parts=parts)


def _withdrawal_edits(old: Requirement, new: Requirement) -> _Edits:
    if new.withdrawn and not old.withdrawn:
        return _Edits(props=({"name": "status", "value": "withdrawn"},))
    return _Edits()


def _moved_to(old: Requirement, new: Requirement) -> list[dict[str, Any]]:
    if new.replaced_by and new.replaced_by != old.replaced_by:
        return [{"href": f"#{control_id(new.replaced_by)}", "rel": "moved-to"}]
    return []


def _addition(edits: _Edits, links: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The alter's one ``adds`` entry, or ``None`` when it adds nothing."""
    if not (edits.props or edits.parts or links):
        return None
    add: dict[str, Any] = {"position": "ending"}
    if edits.props:
        add["props"] = list(edits.props)
    if edits.parts:
        add["parts"] = list(edits.parts)
    if links:
        add["links"] = links
    return add


#: Where a profile finds the catalogs it imports, by default: the file names the exports use
#: (:func:`~safeguard_std.reports.oscal.catalog_file_name`), beside the profile.
CATALOG_HREF = "{id}-{edition}.catalog.json"


def _href(template: str, pack: Pack) -> str:
    try:
        return template.format(id=pack.id, edition=pack.edition)
    except (KeyError, IndexError, ValueError):
        raise ReportError(
            f"catalog href {template!r}: only {{id}} and {{edition}} may be filled in"
        ) from None


def pack_to_oscal_profile(pack: Pack, base: Pack, *, catalog_href: str = CATALOG_HREF) -> str:
    """A layered ``pack`` as an OSCAL profile of ``base`` (the resolved pack it ``extends``):
    what the layer excludes, sets, alters, withdraws and adds. The profile imports the base's
    catalog, and the pack's own for the requirements the layer adds, at ``catalog_href`` with
    ``{id}`` and ``{edition}`` filled in (for a compliance-trestle workspace:
    ``trestle://catalogs/{id}-{edition}/catalog.json``)."""
    _check_extends(pack, base)
    old_data, new_data = _requirement_data(base), _requirement_data(pack)
    imports = _imports(pack, base, catalog_href, new_data)
    modify = _modify(pack, base, old_data, new_data)
    profile: dict[str, Any] = {
        "uuid": stable_uuid("profile", pack.id, pack.edition, pack_digest(pack)),
        "metadata": _metadata(pack, f": a profile of {base.id}@{base.edition}"),
        "imports": imports,
        "merge": {"as-is": True},
    }
    if modify:
        profile["modify"] = modify
    return canonical_json({"profile": profile}, indent=2) + "\n"


def _check_extends(pack: Pack, base: Pack) -> None:
    if pack.extends is None:
        raise ReportError(
            f"{pack.id}@{pack.edition} extends no other pack: export it as an oscal-catalog"
        )
    if f"{base.id}@{base.edition}" != pack.extends:
        raise ReportError(f"{pack.id}@{pack.edition} extends {pack.extends}, not {base.ref}")


def _imports(
    pack: Pack, base: Pack, catalog_href: str, new_data: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The base's catalog less what the layer drops, and the pack's own for what it adds."""
    old_ids = {r.id for r in base.requirements}
    excluded = [control_id(r.id) for r in base.requirements if r.id not in new_data]
    added = [control_id(r.id) for r in pack.requirements if r.id not in old_ids]
    base_import: dict[str, Any] = {"href": _href(catalog_href, base), "include-all": {}}
    if excluded:
        base_import["exclude-controls"] = [{"with-ids": excluded}]
    if not added:
        return [base_import]
    own = {"href": _href(catalog_href, pack), "include-controls": [{"with-ids": added}]}
    return [base_import, own]


def _modify(
    pack: Pack, base: Pack, old_data: Mapping[str, Any], new_data: Mapping[str, Any]
) -> dict[str, Any]:
    """The parameters the layer sets and the controls it alters (empty when neither)."""
    modify: dict[str, Any] = {}
    set_parameters = _set_parameters(pack, base)
    if set_parameters:
        modify["set-parameters"] = set_parameters
    old_reqs = {r.id: r for r in base.requirements}
    candidates = (
        _alter(old_reqs[req.id], req, old_data[req.id], new_data[req.id])
        for req in pack.requirements
        if req.id in old_reqs
    )
    alters = [a for a in candidates if a is not None]
    if alters:
        modify["alters"] = alters
    return modify


def _set_parameters(pack: Pack, base: Pack) -> list[dict[str, Any]]:
    """The base's parameters the layer gives another value."""
    return [
        {"param-id": control_id(name), "values": _param_value(param.value)}
        for name, param in sorted(pack.parameters.items())
        if name in base.parameters and base.parameters[name].value != param.value
    ]
