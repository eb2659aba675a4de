"""What an authoring command works on: ``PATH`` (a pack file or folder) or ``ID[@EDITION]``.

A path is read into a catalog *over* the known packs: the file being edited replaces a known layer
with the same ``id@edition`` (a council editing a copy of a bundled pack validates its copy), and
the other editions beside it (``<root>/<id>/<edition>/pack.yaml``) are read too, so ``extends``
finds the local base rather than the bundled one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import attrs

from safeguard_std.domain.pack import PackRef
from safeguard_std.exceptions import PackError, PackNotFound, Problem
from safeguard_std.packs import PACK_FILE, PackCatalog, PackLayer, bundled_catalog, read_layer

__all__ = ["PackTarget", "looks_like_path", "open_target"]


@attrs.frozen
class PackTarget:
    """A catalog, the editions the user named, and the problems of files that did not parse."""

    catalog: PackCatalog
    refs: tuple[PackRef, ...]
    problems: tuple[Problem, ...] = ()
    files: tuple[Path, ...] = ()


def looks_like_path(spec: str | Path) -> bool:
    """Whether ``spec`` names a file or folder rather than a pack reference."""
    text = str(spec)
    return (
        isinstance(spec, Path)
        or Path(text).exists()
        or "/" in text
        or os.sep in text
        or text.endswith((".yaml", ".yml", ".json"))
    )


def _pack_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    for pattern in (PACK_FILE, f"*/{PACK_FILE}", f"*/*/{PACK_FILE}"):
        found = sorted(path.glob(pattern))
        if found:
            return found
    raise PackNotFound(str(path), f"no {PACK_FILE} in it, nor in <id>/<edition>/ below it")


def _laid_out(layer: PackLayer) -> bool:
    """Whether a named pack file sits at ``<root>/<id>/<edition>/pack.yaml`` for its own id and
    edition: only then is ``<root>`` a folder of packs (``/tmp/x/pack.yaml`` says nothing of
    what else is in ``/``)."""
    path = Path(str(layer.document.source)).resolve()
    return (
        path.name == PACK_FILE
        and path.parent.name == layer.ref.edition
        and path.parent.parent.name == layer.ref.id
    )


def _siblings(files: Iterable[Path]) -> list[Path]:
    """Other editions laid out beside the named files as ``<root>/<id>/<edition>/pack.yaml``."""
    roots = {f.resolve().parent.parent.parent for f in files if f.name == PACK_FILE}
    named = {f.resolve() for f in files}
    out: list[Path] = []
    for root in sorted(roots):
        out.extend(p for p in sorted(root.glob(f"*/*/{PACK_FILE}")) if p.resolve() not in named)
    return out


def _layers_of(catalog: PackCatalog) -> dict[PackRef, PackLayer]:
    return {ref: catalog.layer(ref) for ref in catalog.refs}


def open_target(spec: str | Path, *, catalog: PackCatalog | None = None) -> PackTarget:
    """Resolve ``spec`` (a path, ``ID`` for every edition, or ``ID@EDITION``) against ``catalog``
    (default: the bundled packs and those installed through entry points).

    Raises :class:`PackNotFound` for a missing path or unknown pack and
    :class:`~safeguard_std.exceptions.InvalidPackRef` for a malformed reference; a pack file that
    does not parse is not raised but returned in ``problems``, for the caller to report.
    """
    base = catalog if catalog is not None else bundled_catalog()
    if not looks_like_path(spec):
        ref = PackRef.parse(str(spec))
        named = base.editions(ref.id) if ref.edition is None else (ref,)
        for r in named or (ref,):
            base.layer(r)  # PackNotFound, listing the known packs
        return PackTarget(base, tuple(named))
    path = Path(spec)
    if not path.exists():
        raise PackNotFound(str(spec), "no such file or folder")
    files = _pack_files(path)
    layers = _layers_of(base)
    problems: list[Problem] = []
    parsed: list[PackLayer] = []
    for file in files:
        try:
            parsed.append(read_layer(file))
        except PackError as exc:
            problems.extend(exc.problems)
    for sibling in _siblings(Path(str(n.document.source)) for n in parsed if _laid_out(n)):
        try:
            layer = read_layer(sibling)
        except PackError:
            continue  # reported when it is named itself; here it only serves as a base
        layers[layer.ref] = layer
    refs: list[PackRef] = []
    for layer in parsed:
        if layer.ref in refs:
            problems.append(
                Problem(
                    f"pack {layer.ref} is defined twice (also in "
                    f"{layers[layer.ref].document.source})",
                    layer.document.locate(("edition",)),
                )
            )
            continue
        layers[layer.ref] = layer
        refs.append(layer.ref)
    merged = PackCatalog(kinds=base.kinds, layers=layers)
    return PackTarget(merged, tuple(refs), tuple(problems), tuple(files))
