"""What the pre-employment check kinds share: pending and undated outcomes, required fields."""

from __future__ import annotations

import operator
from typing import Any

from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.pack import SubjectType
from safeguard_std.domain.people import CheckStatus, DbsLevel, Jurisdiction
from safeguard_std.rules._kind import RuleSpec, outcome

__all__ = ["pending_outcome", "undated_outcome"]


_PERSON = [SubjectType.PERSON]
_issued_on = operator.attrgetter("issued_on")
_checked_on = operator.attrgetter("checked_on")
_id_of = operator.attrgetter("id")
_LEVELS = {DbsLevel.BASIC: 0, DbsLevel.STANDARD: 1, DbsLevel.ENHANCED: 2}


_PENDING, _DONE = CheckStatus.PENDING, CheckStatus.COMPLETED


def pending_outcome(what: str, records: list[Any], applied: str = "applied_on") -> Outcome:
    """``insufficient_evidence`` for checks applied for and not yet done: a pending check is
    never valid, and the finding asks for the result. Names the latest application date."""
    dates = [d for d in (getattr(r, applied) for r in records) if d is not None]
    when = f" on {max(dates)}" if dates else ""
    return outcome(
        Status.INSUFFICIENT_EVIDENCE,
        f"the {what} is pending: applied for{when} and not yet done",
        evidence=[r.id for r in records],
        pending=True,
    )


def undated_outcome(what: str, record: Any, date: str) -> Outcome:
    """``insufficient_evidence`` for a completed check that does not say when it was done: an
    undated check cannot be shown to be valid."""
    return outcome(
        Status.INSUFFICIENT_EVIDENCE,
        f"the {what} is undated ({date} is not recorded), so it cannot be shown to be valid",
        evidence=[record.id],
        missing=[date],
    )


def _missing(record: Any, spec: RuleSpec, *pairs: tuple[str, str]) -> list[str]:
    """The names of required fields (option -> attribute) that the record leaves empty."""
    return [attr for option, attr in pairs if spec.params.get(option) and not getattr(record, attr)]


def _acceptable_dbs(params: dict[str, Any]) -> set[Jurisdiction]:
    return {Jurisdiction(j) for j in params.get("jurisdictions", ["dbs"])}


def _required_fields(spec: RuleSpec, *pairs: tuple[str, str]) -> tuple[str, ...]:
    """The attributes a record must fill, from the ``require_*`` options that are set."""
    return tuple(attr for option, attr in pairs if spec.params.get(option))
