"""Records that cannot both be right: the same person recorded twice, one DBS certificate number
recorded for two people. Pure, over the people of one bundle; messages name record ids only,
never names, dates of birth or certificate numbers. The evaluator marks findings with them (see
docs/findings.md); ``evidence validate`` reports the same groups
(``safeguard_std.domain.consistency``), with its own wording: this module is the one rule for
"the same person" and "a shared certificate"."""

from __future__ import annotations

import array
import datetime as dt
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

import attrs

from safeguard_std.domain.people import Jurisdiction, Person

__all__ = [
    "DUPLICATE",
    "SHARED_CERTIFICATE",
    "Groups",
    "Keyed",
    "PersonKeys",
    "duplicates",
    "groups",
    "name_key",
    "possible_duplicates",
    "record_integrity",
    "shared_certificates",
]

DUPLICATE = "person.duplicate"
SHARED_CERTIFICATE = "dbs.shared_certificate"


class _Certificate(Protocol):
    @property
    def jurisdiction(self) -> Jurisdiction: ...

    @property
    def certificate_number(self) -> str | None: ...


class Keyed(Protocol):
    """What the groups below read of a person: a :class:`Person`, or its :class:`PersonKeys`."""

    @property
    def id(self) -> str: ...

    @property
    def full_name(self) -> str | None: ...

    @property
    def previous_names(self) -> tuple[str, ...]: ...

    @property
    def date_of_birth(self) -> dt.date | None: ...

    @property
    def dbs_checks(self) -> Sequence[_Certificate]: ...


@attrs.frozen(slots=True)
class CertificateKeys:
    """A DBS check's certificate, as the shared-certificate rule reads it."""

    jurisdiction: Jurisdiction
    certificate_number: str | None


@attrs.frozen(slots=True)
class PersonKeys:
    """The little of a person the duplicate and shared-certificate rules read: kept per person
    by an import that writes people out as it reads them, instead of the whole record."""

    id: str
    full_name: str | None
    previous_names: tuple[str, ...]
    date_of_birth: dt.date | None
    dbs_checks: tuple[CertificateKeys, ...]

    @classmethod
    def of(cls, person: Person) -> PersonKeys:
        """A person's keys."""
        checks = tuple(
            CertificateKeys(c.jurisdiction, c.certificate_number) for c in person.dbs_checks
        )
        return cls(person.id, person.full_name, person.previous_names, person.date_of_birth, checks)


_WORD = re.compile(r"[^\w\s]+")


def name_key(name: str | None) -> tuple[str, ...]:
    """A name's words, case-folded and sorted: 'Smith, Jo' and 'jo smith' compare equal."""
    if not name:
        return ()
    words = _WORD.sub(" ", name.casefold()).split()
    return tuple(sorted(words))


def _groups(keyed: dict[Any, list[Any]]) -> Iterator[list[Any]]:
    shared = [key for key, found in keyed.items() if len(found) > 1]
    for key in sorted(shared, key=repr):
        yield keyed[key]


def _duplicate_items(p: Keyed, i: int) -> Iterator[tuple[Any, Any]]:
    words = name_key(p.full_name)
    if p.date_of_birth is not None and words:
        yield (words, p.date_of_birth), i


def _possible_items(p: Keyed, i: int) -> Iterator[tuple[Any, Any]]:
    if p.date_of_birth is None or not name_key(p.full_name):
        return
    surnames = {_WORD.sub(" ", p.full_name.casefold()).split()[-1]} if p.full_name else set()
    surnames |= {n.casefold().split()[-1] for n in p.previous_names if n.split()}
    for surname in surnames:
        yield (surname, p.date_of_birth), i


def _certificate_items(p: Keyed, i: int) -> Iterator[tuple[Any, Any]]:
    for j, check in enumerate(p.dbs_checks):
        if check.certificate_number:
            yield (check.jurisdiction, check.certificate_number), (i, j)


Items = Callable[[Keyed, int], Iterator[tuple[Any, Any]]]


def _repeated(people: Sequence[Keyed], kinds: Sequence[Items]) -> list[dict[Any, list[Any]]]:
    """For each kind of key, the values of each key the people give more than once (and
    perhaps a few keys given once), in one pass over the people: it keeps only each key's hash
    (eight bytes) and whose it is, so the tables of keys and values are built for the people
    with a repeated hash alone, read again one by one (or in a second pass, if they are many).
    The hashes only choose whom to read again; the groups are the keys themselves, so the
    result never depends on them (nor on the hash seed)."""
    hashes = [array.array("q") for _ in kinds]
    owners = [array.array("I") for _ in kinds]  # whose: people number under 4 billion
    for i, p in enumerate(people):
        for items, found, whose in zip(kinds, hashes, owners, strict=True):
            for key, _ in items(p, i):
                found.append(hash(key))
                whose.append(i)
    twice = []
    for found in hashes:
        ordered = sorted(found)
        twice.append({a for a, b in itertools.pairwise(ordered) if a == b})
    chosen = sorted(
        {
            i
            for found, whose, two in zip(hashes, owners, twice, strict=True)
            for h, i in zip(found, whose, strict=True)
            if h in two
        }
    )
    del hashes, owners
    keyed: list[dict[Any, list[Any]]] = [defaultdict(list) for _ in kinds]
    if chosen:
        if len(chosen) * 4 < len(people):
            read: Iterator[tuple[int, Keyed]] = ((i, people[i]) for i in chosen)
        else:
            wanted = set(chosen)
            read = ((i, p) for i, p in enumerate(people) if i in wanted)
        for i, p in read:
            for items, table, two in zip(kinds, keyed, twice, strict=True):
                for key, value in items(p, i):
                    if hash(key) in two:
                        table[key].append(value)
    return keyed


@attrs.frozen
class Groups:
    """People with the same keys (:func:`groups`): each a list of indexes (person, or person
    and DBS check), the groups in a stable order."""

    duplicates: tuple[list[int], ...]
    possible_duplicates: tuple[list[int], ...]
    shared_certificates: tuple[list[tuple[int, int]], ...]


def groups(people: Sequence[Keyed], ids: Sequence[str] | None = None) -> Groups:
    """:func:`duplicates`, :func:`possible_duplicates` and :func:`shared_certificates` at once,
    reading each person once (and again those in a group); ``ids``, the people's ids if at
    hand, spare reading people again for them."""
    exact, near, shared = _repeated(people, (_duplicate_items, _possible_items, _certificate_items))
    return Groups(
        tuple(_groups(exact)),
        tuple(_groups(near)),
        tuple(_shared(_id_of(people) if ids is None else ids.__getitem__, _groups(shared))),
    )


def duplicates(people: Sequence[Keyed]) -> Iterator[list[int]]:
    """Groups of indexes of people with the same name and date of birth."""
    yield from _groups(_repeated(people, (_duplicate_items,))[0])


def possible_duplicates(people: Sequence[Keyed]) -> Iterator[list[int]]:
    """Groups of indexes of people with the same surname (or a previous surname) and date of
    birth: perhaps the same person under another name. Only people :func:`duplicates` can key
    (a date of birth and a name) are grouped."""
    yield from _groups(_repeated(people, (_possible_items,))[0])


def shared_certificates(people: Sequence[Keyed]) -> Iterator[list[tuple[int, int]]]:
    """Groups of (person index, DBS check index) recording one certificate number for more than
    one person."""
    yield from _shared(_id_of(people), _groups(_repeated(people, (_certificate_items,))[0]))


def _id_of(people: Sequence[Keyed]) -> Callable[[int], str]:
    return lambda i: people[i].id


def _shared(
    id_of: Callable[[int], str], found: Iterator[list[tuple[int, int]]]
) -> Iterator[list[tuple[int, int]]]:
    """The groups of more than one person (``id_of`` a person's place gives their id)."""
    for group in found:
        if len({id_of(i) for i, _ in group}) > 1:
            yield group


#: At most this many other ids are named: a group of thousands stays linear and readable.
NAMED = 5


def _named(others: Sequence[str]) -> str:
    more = len(others) - NAMED
    return ", ".join(others[:NAMED]) + (f" and {more} more" if more > 0 else "")


def duplicate_message(others: Sequence[str]) -> str:
    """What a duplicate record says (ids only)."""
    return "same name and date of birth as " + _named(others)


def shared_message(others: Sequence[str]) -> str:
    """What a shared certificate says (ids only)."""
    return (
        "the same certificate number is recorded for "
        + _named(others)
        + (": a certificate belongs to one person")
    )


def record_integrity(people: Sequence[Person]) -> dict[str, tuple[tuple[str, str], ...]]:
    """The problems that make a person's record unreliable as evidence, by person id, each as
    ``(code, message)``, sorted."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for group in duplicates(people):
        ids = sorted(people[j].id for j in group)
        for i in group:
            pid = people[i].id
            others = [x for x in ids[: NAMED + 2] if x != pid][:NAMED]
            more = len(ids) - 1 - len(others)
            text = duplicate_message(others) + (f" and {more} more" if more > 0 else "")
            found[pid].add((DUPLICATE, text))
    for holders in shared_certificates(people):
        ids = sorted({people[i].id for i, _ in holders})
        for i, _ in holders:
            pid = people[i].id
            others = [x for x in ids[: NAMED + 2] if x != pid][:NAMED]
            more = len(ids) - 1 - len(others)
            named = ", ".join(others) + (f" and {more} more" if more > 0 else "")
            found[pid].add((SHARED_CERTIFICATE, shared_message([named])))
    return {pid: tuple(sorted(items)) for pid, items in sorted(found.items())}
