"""Checks applied for and not yet done: listed so a provider sees what it still awaits.

A pending check (``status: pending``: "TBC", "applied", "awaited" on a single central record) is
not a problem with the record, and it never counts as a valid check: a requirement it would meet
asks for evidence until the check is done. Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.people import CheckStatus, Person

__all__ = ["PendingCheck", "pending_checks"]

Path = tuple[str | int, ...]


@attrs.frozen
class PendingCheck:
    """One check (or reference) applied for and not yet done: whose (``subject``, a person's
    id), what (``check``, in words: "DBS check", "barred list check", "reference"), the
    record's id, the day it was asked for (``since``; ``None`` when not recorded) and where it
    is in the bundle (``path``). Nothing personal: ids, a kind and a date."""

    subject: str
    check: str
    record: str
    since: dt.date | None
    path: Path

    @property
    def asked(self) -> str:
        """How it was asked for, in words: "applied for on 2026-11-01", "requested on ..."."""
        verb = "requested" if self.check == "reference" else "applied for"
        return f"{verb} on {self.since.isoformat()}" if self.since else f"{verb} (no date recorded)"


def pending_checks(bundle: EvidenceBundle) -> tuple[PendingCheck, ...]:
    """Every pending check in the bundle, person by person in the bundle's order, each person's
    in the order of the evidence model's fields."""
    return tuple(p for i, person in enumerate(bundle.people) for p in _of_person(i, person))


def _of_person(index: int, person: Person) -> Iterator[PendingCheck]:
    at: Path = ("people", index)
    pid = person.id
    for name, check in (("identity_check", "identity"), ("right_to_work", "right to work")):
        record = getattr(person, name)
        if record is not None and record.status is CheckStatus.PENDING:
            yield PendingCheck(pid, f"{check} check", record.id, record.applied_on, (*at, name))
    for n, qualification in enumerate(person.qualification_checks):
        if qualification.status is CheckStatus.PENDING:
            where = (*at, "qualification_checks", n)
            yield PendingCheck(
                pid, "qualification check", qualification.id, qualification.applied_on, where
            )
    for n, dbs in enumerate(person.dbs_checks):
        if dbs.status is CheckStatus.PENDING:
            yield PendingCheck(pid, "DBS check", dbs.id, dbs.applied_on, (*at, "dbs_checks", n))
    for n, further in enumerate(person.suitability_checks):
        if further.status is CheckStatus.PENDING:
            what = further.kind.value.replace("_", " ") + " check"
            where = (*at, "suitability_checks", n)
            yield PendingCheck(pid, what, further.id, further.applied_on, where)
    for n, reference in enumerate(person.references):
        if reference.status is CheckStatus.PENDING:
            where = (*at, "references", n)
            yield PendingCheck(pid, "reference", reference.id, reference.requested_on, where)
