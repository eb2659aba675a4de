"""``pack new``: a pack folder that validates, lints clean and passes its own test at once.

Writes ``<root>/<id>/<edition>/pack.yaml`` (first line: a ``yaml-language-server`` schema
reference, so editors complete and check keys as the officer types) with one example requirement
that uses a declared parameter, and ``tests/example.yaml`` with inline evidence and two cases:
one met, one not met. With ``extends``, the pack is a layer over that pack, with commented
examples of ``set_parameters``, ``alter``, ``exclude`` and ``withdraw``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from safeguard_std.domain.pack import PackRef
from safeguard_std.exceptions import InvalidPackRef, PackError, PackNotFound, Problem
from safeguard_std.io.schemas import data_root
from safeguard_std.packs import PACK_FILE, PackCatalog

__all__ = ["scaffold_pack", "schema_reference"]

_SCHEMA = "standard-pack.schema.json"
_TESTS_SCHEMA = "pack-tests.schema.json"


def schema_reference(folder: Path, name: str = _SCHEMA, *, copy_to: Path | None = None) -> str:
    """How a file in ``folder`` refers to a packaged schema, always as a path relative to it: a
    ``schemas/`` folder above it (a repository laid out like this one), else a copy of the
    schema written to ``copy_to/schemas/`` (the folder ``pack new`` writes into), so the line
    works on any machine the folder is copied to. Without ``copy_to``, the installed schema."""
    folder = folder.resolve()
    for parent in (folder, *folder.parents):
        candidate = parent / "schemas" / name
        if candidate.is_file():
            return Path(os.path.relpath(candidate, folder)).as_posix()
    installed = Path(str(data_root() / "schemas" / name))
    if copy_to is None:
        return installed.resolve().as_posix()
    target = copy_to.resolve() / "schemas" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(installed.read_bytes())
    return Path(os.path.relpath(target, folder)).as_posix()


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _free_names(
    catalog: PackCatalog | None, base: PackRef | None, pack_id: str
) -> tuple[str, str, str]:
    """A requirement id, a section id and a parameter name the base pack does not use."""
    prefix = pack_id.upper().replace("_", "-")
    if catalog is None or base is None:
        return f"{prefix}-1", "1", "policy_review"
    pack = catalog.resolve(base)
    ids = {r.id for r in pack.requirements}
    rid = next(f"{prefix}-{i}" for i in range(1, len(ids) + 2) if f"{prefix}-{i}" not in ids)
    taken = {s.id for s in pack.sections}
    section = next(f"L{i}" for i in range(1, len(taken) + 2) if f"L{i}" not in taken)
    param = "policy_review"
    if param in pack.parameters:
        param = f"{pack_id.replace('-', '_')}_policy_review"
    return rid, section, param


def _pack_text(
    pack_id: str,
    edition: str,
    board: str,
    title: str,
    effective_from: dt.date,
    extends: PackRef | None,
    rid: str,
    section: str,
    param: str,
    schema: str,
) -> str:
    layer = ""
    if extends is not None:
        supersedes = f"supersedes: {extends}\n" if extends.id == pack_id else ""
        layer = f"""extends: {extends}              # start from this pack; change it below
{supersedes}# set_parameters: {{NAME: P2Y}}       # a new value for one of its parameters
# exclude: [REQ-ID]                 # leave a requirement out
# alter:                            # change fields of one of its requirements
#   REQ-ID: {{text: "..."}}
# withdraw:                         # stop judging one; its id stays reserved
#   - {{id: REQ-ID, replaced_by: {rid}}}
"""
    head = f"""# yaml-language-server: $schema={schema}
schema_version: 1
id: {pack_id}
edition: {_quoted(edition)}
title: {_quoted(title)}
board: {_quoted(board)}
effective_from: {effective_from.isoformat()}
{layer}source:
  title: {_quoted(title)}
  # url: https://...                # where the standard is published
  # retrieved_on: {effective_from.isoformat()}
"""
    if extends is not None and extends.id == pack_id:
        # A next edition starts as the last one: nothing to delete before it says what changed.
        return (
            head
            + """  notes: The next edition; change what it changes below.
# requirements:                     # requirements this edition adds
"""
        )
    return (
        head
        + f"""  notes: Replace the example requirement with your standard's own, one per duty.
sections:
  - {{id: {_quoted(section)}, title: Policies}}
parameters:
  {param}:
    value: P1Y
    description: How often the safeguarding policy must be reviewed.
requirements:
  - id: {rid}
    title: Safeguarding policy reviewed every year
    section: {_quoted(section)}
    citation: "Section 1, first bullet"
    text: The provider must review its safeguarding policy at least once a year.
    modality: must                  # must | should | recommended, from the text's own verb
    duty_holder: provider           # provider | commissioner
    subject: provider               # one finding per provider (person, policy, contract...)
    rule:
      kind: policy_current
      policies: [safeguarding]
      review_period: {{param: {param}}}
"""
    )


def _tests_text(rid: str, effective_from: dt.date, schema: str) -> str:
    reviewed = effective_from.isoformat()
    as_of = (effective_from + dt.timedelta(days=180)).isoformat()
    lapsed = (effective_from.replace(day=1) + dt.timedelta(days=500)).isoformat()
    return f"""# yaml-language-server: $schema={schema}
as_of: {as_of}
evidence:                           # the base evidence every case starts from
  id: example-bundle
  provider: {{id: prov-1, name: Example Youth Club, kind: youth, legal_form: charity}}
  policies:
    - {{id: pol-1, kind: safeguarding, approved_on: {reviewed}}}
cases:
  - name: policy reviewed within the year
    expect:
      - {{requirement: {rid}, status: met}}
  - name: policy review lapsed
    as_of: {lapsed}
    expect:
      - {{requirement: {rid}, status: not_met}}
  - name: no safeguarding policy at all
    patch:                          # RFC 6902 JSON Patch on the base evidence
      - {{op: replace, path: /policies, value: []}}
    expect:
      - {{requirement: {rid}, status: not_met}}
"""


def scaffold_pack(
    root: Path | str,
    pack_id: str,
    board: str,
    *,
    edition: str,
    effective_from: dt.date,
    title: str | None = None,
    extends: str | None = None,
    catalog: PackCatalog | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Write a new pack under ``root`` and return the files written.

    ``extends`` must name a pack edition in ``catalog``. Raises
    :class:`~safeguard_std.exceptions.InvalidPackRef` for a bad id or edition,
    :class:`~safeguard_std.exceptions.PackNotFound` for an unknown base, and ``FileExistsError``
    when the pack file exists and ``overwrite`` is false.
    """
    ref = PackRef.parse(f"{pack_id}@{edition}")
    if ref.edition is None:
        raise InvalidPackRef(f"{pack_id}@{edition}")
    base = None
    if extends is not None:
        base = PackRef.parse(extends)
        if base.edition is None:
            if catalog is None or not catalog.editions(base.id):
                raise PackNotFound(extends, "name the edition to extend, e.g. dorset@2024")
            base = catalog.editions(base.id)[-1]
        if catalog is None:
            raise PackNotFound(str(base), "no catalog to find it in")
        catalog.layer(base)
        try:
            catalog.resolve(base)
        except PackError as exc:
            raise PackError(
                [Problem(f"cannot extend {base}: it does not load", exc.problems[0].location)]
            ) from None
    folder = Path(root) / ref.id / str(ref.edition)
    pack_file = folder / PACK_FILE
    if pack_file.exists() and not overwrite:
        raise FileExistsError(f"{pack_file} already exists")
    rid, section, param = _free_names(catalog, base, ref.id)
    next_edition = base is not None and base.id == ref.id
    if title is None and base is not None and catalog is not None and next_edition:
        title = catalog.resolve(base).title
    (folder if next_edition else folder / "tests").mkdir(parents=True, exist_ok=True)
    pack_file.write_text(
        _pack_text(
            ref.id,
            str(ref.edition),
            board,
            title or f"{board} safeguarding standard",
            effective_from,
            base,
            rid,
            section,
            param,
            schema_reference(folder, copy_to=Path(root)),
        ),
        encoding="utf-8",
    )
    if next_edition:
        return [pack_file]  # the last edition's cases still say what it judged
    test_file = folder / "tests" / "example.yaml"
    test_file.write_text(
        _tests_text(
            rid,
            effective_from,
            schema_reference(folder / "tests", _TESTS_SCHEMA, copy_to=Path(root)),
        ),
        encoding="utf-8",
    )
    return [pack_file, test_file]
