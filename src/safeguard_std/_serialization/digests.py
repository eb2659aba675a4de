"""The digests of evidence bundles and resolved packs."""

from __future__ import annotations

import copy
import hashlib
import weakref
from typing import Any

from safeguard_std._serialization.canonical import (
    _canonical_lists,
    _canonical_owned,
    _encode_text,
    canonical_json,
    digest,
)
from safeguard_std._serialization.converter import converter
from safeguard_std._serialization.data import bundle_to_data, pack_to_data
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.domain.people import Person

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
        person = canonical_json(_canonical_owned(unstructure(people[index], Person)))
        hasher.update(("[" if n == 0 else ",").encode() + person.encode("utf-8"))
    hasher.update(("]" + after).encode("utf-8"))
    return "sha256:" + hasher.hexdigest()


def pack_digest(pack: Pack) -> str:
    """The digest of a resolved pack: it changes whenever anything that affects findings does."""
    return digest(pack_to_data(pack))
