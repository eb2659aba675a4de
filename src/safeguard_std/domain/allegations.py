"""Allegations against people who work with children, and their referral to the LADO.

Working Together and KCSIE ask that an allegation that a person who works with children may
have harmed a child (the harm threshold) is reported to the Local Authority Designated Officer
(LADO), and boards set a deadline ("within one working day"). A low-level concern, which does not
meet the harm threshold, is recorded but not referred; a record says which it is.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from safeguard_std.domain._base import date_not_before, id_field, opt_date

__all__ = ["Allegation", "AllegationOutcome"]


class AllegationOutcome(enum.StrEnum):
    """How an allegation was concluded (the KCSIE definitions); no outcome while it is open."""

    SUBSTANTIATED = "substantiated"
    MALICIOUS = "malicious"
    FALSE = "false"
    UNSUBSTANTIATED = "unsubstantiated"
    UNFOUNDED = "unfounded"


def _outcome(value: str | None) -> AllegationOutcome | None:
    return None if value is None else AllegationOutcome(value)


@attrs.frozen(kw_only=True)
class Allegation:
    """One allegation or low-level concern about a person working with children.

    ``received_on`` is the day the provider received it; ``reported_to_lado_on`` the day it was
    reported to the LADO (``None``: the record shows no report); ``outcome`` how it was concluded.
    ``relates_to`` names the person (by id) when they are in the bundle; no names are held here.
    """

    id: str = id_field()
    received_on: dt.date | None = opt_date()
    reported_to_lado_on: dt.date | None = attrs.field(
        default=None,
        validator=[
            attrs.validators.optional(attrs.validators.instance_of(dt.date)),
            date_not_before("received_on"),
        ],
    )
    low_level_concern: bool = attrs.field(
        default=False, validator=attrs.validators.instance_of(bool)
    )
    outcome: AllegationOutcome | None = attrs.field(default=None, converter=_outcome)
    relates_to: str | None = None
