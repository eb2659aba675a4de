"""Rule kinds about the organisation: lead roles, policies, and dated assurance records.

Each family has its own module (:mod:`.roles`, :mod:`.policies`, :mod:`.records`,
:mod:`.deadlines`); their names are re-exported here, where they were first defined."""

from __future__ import annotations

from safeguard_std.rules.deadlines import actions_complete, recent_record, responded_by_due
from safeguard_std.rules.policies import find_policies as find_policies
from safeguard_std.rules.policies import policy_current, policy_published
from safeguard_std.rules.records import COLLECTIONS, Collection, count_at_least, every_record
from safeguard_std.rules.roles import role_held

__all__ = [
    "COLLECTIONS",
    "Collection",
    "actions_complete",
    "count_at_least",
    "every_record",
    "policy_current",
    "policy_published",
    "recent_record",
    "responded_by_due",
    "role_held",
]
