"""The two ways in: :func:`bundled_catalog` and :func:`load_pack`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from safeguard_std.domain.pack import Pack, PackRef
from safeguard_std.exceptions import InvalidArgument, PackError, PackNotFound, expect_date
from safeguard_std.io.schemas import data_root
from safeguard_std.packs._catalog import PackCatalog
from safeguard_std.packs._read import BUNDLED, PACK_FILE
from safeguard_std.rules import RuleKindRegistry, default_registry
from safeguard_std.rules._kind import one_entry_point_scan


def bundled_catalog(
    *,
    kinds: RuleKindRegistry | None = None,
    entry_points_too: bool = True,
    trust: Iterable[str] = (),
) -> PackCatalog:
    """A catalog of the packs shipped with safeguard_std and, by default, those installed
    through the ``safeguard_std.packs`` entry point (see :meth:`PackCatalog.with_installed`:
    an installed pack with an id the library ships is taken only from a distribution named in
    ``trust``)."""
    with one_entry_point_scan():  # rule kinds and packs from one reading of the distributions
        catalog = PackCatalog(kinds=kinds or default_registry())
        catalog = catalog.with_folder(Path(str(data_root() / "standards")), origin=BUNDLED)
        return catalog.with_installed(trust=trust) if entry_points_too else catalog


def load_pack(
    ref_or_path: str | Path, *, as_of: dt.date | None = None, catalog: PackCatalog | None = None
) -> Pack:
    """Load a resolved pack by reference (``dorset``, ``dorset@2024``) or from a path.

    A path names a pack file, an edition folder (``packs/northshire/2027``) or a pack folder of
    editions (``packs/northshire``, the one in force on ``as_of``). It is read the way the
    ``safeguard-std pack`` commands read it: the editions beside it are found too, so an
    ``extends`` of a sibling edition resolves, and the rest comes from ``catalog`` (default the
    bundled packs and those installed through entry points).
    """
    from safeguard_std.authoring._target import open_target  # it imports this module

    if as_of is not None:
        expect_date("as_of", as_of)
    if not isinstance(ref_or_path, (str, Path)):
        raise InvalidArgument(
            "ref_or_path must be a pack reference ('dorset@2024') or a path, got a "
            f"{type(ref_or_path).__name__}"
        )
    catalog = catalog if catalog is not None else bundled_catalog()
    text = str(ref_or_path)
    # A bare word is a pack id even when the working folder holds a folder of that name; a path
    # says so by a separator, a file suffix, or being a Path.
    looks_like_path = (
        isinstance(ref_or_path, Path)
        or "/" in text
        or os.sep in text
        or text.endswith((".yaml", ".yml", ".json"))
        or (Path(text) / PACK_FILE).is_file()
    )
    if not looks_like_path:
        return catalog.resolve(PackRef.parse(text), as_of=as_of)
    target = open_target(ref_or_path, catalog=catalog)
    if target.problems:
        raise PackError(target.problems, source=target.problems[0].location.source)
    ids = sorted({r.id for r in target.refs})
    if len(ids) > 1:
        raise PackNotFound(
            text, f"it holds several packs ({', '.join(ids)}); name one pack's folder or file"
        )
    if len(target.refs) == 1:
        return target.catalog.resolve(target.refs[0], as_of=as_of)
    editions = ", ".join(str(r) for r in target.refs)
    if as_of is None:
        raise PackNotFound(
            text,
            f"it holds editions {editions}; give as_of to take the one in force that day, or "
            "name one edition's folder",
        )
    ref = target.catalog.edition_in_force(ids[0], as_of)
    if ref not in target.refs:
        raise PackNotFound(text, f"none of its editions ({editions}) is in force on {as_of}")
    return target.catalog.resolve(ref, as_of=as_of)
