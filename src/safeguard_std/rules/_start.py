"""What the rule kinds that depend on when a person started say when the start is not recorded.

An engagement with no start date that has not ended is taken as in force (docs/dates.md, rule
7): the person is judged. A judgement that turns on the start (induction due a period after it, a
new starter's grace, how long someone is engaged for, whether a role holder is in post yet) is
then ``insufficient_evidence`` naming the engagements, never met and never not applicable merely
because the start is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.people import Engagement
from safeguard_std.rules._kind import outcome

__all__ = ["start_unknown", "unknown_starts"]


def unknown_starts(engagements: Iterable[Engagement]) -> list[str]:
    """The ids, sorted, of ``engagements`` with no start date."""
    return sorted(e.id for e in engagements if e.start_on is None)


def not_recorded(ids: list[str], holder: str | None = None) -> str:
    """ "the start date is not recorded (engagement e-1)", naming the holder when given."""
    noun = "engagement" if len(ids) == 1 else "engagements"
    of = f" of {holder}" if holder else ""
    return f"the start date is not recorded ({noun} {', '.join(ids)}{of})"


def start_unknown(
    ids: list[str], unknown: str, *, evidence: Iterable[str] = (), **facts: Any
) -> Outcome:
    """``insufficient_evidence``: ``unknown`` (what cannot be told) because the start dates of
    the engagements ``ids`` are not recorded; ``facts.start_unknown`` names them."""
    return outcome(
        Status.INSUFFICIENT_EVIDENCE,
        f"{not_recorded(ids)}, so {unknown}",
        evidence=evidence,
        start_unknown=ids,
        **facts,
    )
