"""Shared pieces of the property suite: the packs it runs over, dates, and bundle surgery."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from typing import Any

import attrs

from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack, PackRef
from safeguard_std.packs import PackCatalog, bundled_catalog, read_layer
from safeguard_std.serialization import bundle_to_data
from tests.conftest import AS_OF, FIXTURES

__all__ = [
    "AS_OF",
    "PACKS",
    "as_of_for",
    "bundle_text",
    "catalog",
    "load_document",
    "records",
    "shuffled",
]


def catalog() -> PackCatalog:
    """The bundled packs (whatever is merged) plus the test-suite's fixture packs."""
    cat = bundled_catalog(entry_points_too=False)
    cat = cat.with_folder(FIXTURES / "packs")
    return cat


CATALOG = catalog()


def load_document(document: dict[str, Any], *, base: PackCatalog | None = None) -> Pack:
    """A pack document (as ``pack_documents()`` draws it) resolved through the real loader;
    ``base`` supplies the packs it extends."""
    cat = base if base is not None else PackCatalog(layers={})
    layer = read_layer(f"{document['id']}/{document['edition']}/pack.json", json.dumps(document))
    cat = cat.with_layer(layer)
    return cat.resolve(layer.ref)


def as_of_for(pack: Pack) -> dt.date:
    """A date on which ``pack`` is in force: the suite's AS_OF when it can be, else the
    edition's last (or first) day."""
    if pack.in_force(AS_OF):
        return AS_OF
    return (
        pack.effective_to
        if pack.effective_to and pack.effective_to < AS_OF
        else pack.effective_from
    )


def _resolved(ref: PackRef) -> Pack:
    """An edition resolved on a date it is in force (packs that include another pack without
    naming its edition resolve only for a date)."""
    start = dt.date.fromisoformat(str(CATALOG.layer(ref).data["effective_from"]))
    pack = CATALOG.resolve(ref, as_of=start)
    on = as_of_for(pack)
    return pack if on == start else CATALOG.resolve(ref, as_of=on)


#: Every pack edition the suite knows, resolved: the fixtures and every bundled pack.
PACKS: dict[str, Pack] = {str(ref): _resolved(ref) for ref in CATALOG.refs}


def bundle_text(bundle: EvidenceBundle) -> str:
    """The bundle as JSON text, as a provider's system would write it."""
    return json.dumps(bundle_to_data(bundle), indent=1)


def _shuffle(value: Any, rng: random.Random) -> Any:
    if isinstance(value, tuple):
        items = [_shuffle(v, rng) for v in value]
        rng.shuffle(items)
        return tuple(items)
    if attrs.has(type(value)):
        return attrs.evolve(
            value,
            **{
                a.name: _shuffle(getattr(value, a.name), rng)
                for a in attrs.fields(type(value))
                if (a.init and isinstance(getattr(value, a.name), tuple))
                or attrs.has(type(getattr(value, a.name)))
            },
        )
    return value


def shuffled(bundle: EvidenceBundle, seed: int) -> EvidenceBundle:
    """``bundle`` with every list in it (people, checks, panel members, documents, ...) in a
    different order."""
    result = _shuffle(bundle, random.Random(seed))
    assert isinstance(result, EvidenceBundle)
    return result


def records(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every attrs record inside ``value`` with its path of (field, index) steps."""
    if attrs.has(type(value)):
        yield path, value
        for a in attrs.fields(type(value)):
            yield from records(getattr(value, a.name), (*path, a.name))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from records(item, (*path, i))
