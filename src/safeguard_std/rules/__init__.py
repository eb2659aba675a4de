"""Rule kinds: the registry and the built-in kinds.

>>> from safeguard_std.rules import default_registry
>>> "check_current" in default_registry()
True
"""

from __future__ import annotations

from functools import cache

from safeguard_std.rules import (
    allegations,
    attestation,
    checks,
    deadlines,
    evidenced,
    followups,
    policies,
    records,
    roles,
    staff_record,
    training,
)
from safeguard_std.rules._kind import (
    Check,
    RuleKind,
    RuleKindRegistry,
    RuleSpec,
    outcome,
    registry_with_entry_points,
    rule_kind,
)

__all__ = [
    "BUILTIN_KINDS",
    "Check",
    "RuleKind",
    "RuleKindRegistry",
    "RuleSpec",
    "builtin_registry",
    "default_registry",
    "outcome",
    "registry_with_entry_points",
    "rule_kind",
]

BUILTIN_KINDS: tuple[RuleKind, ...] = (
    roles.role_held,
    policies.policy_current,
    policies.policy_published,
    deadlines.recent_record,
    deadlines.responded_by_due,
    deadlines.actions_complete,
    records.count_at_least,
    records.every_record,
    checks.check_present,
    checks.check_current,
    evidenced.checks_evidenced,
    staff_record.record_fields_present,
    staff_record.record_updated,
    followups.references,
    followups.disclosure_followed_up,
    training.training_current,
    training.training_by_start,
    training.panel_trained,
    attestation.attested,
    attestation.documents_referenced,
    allegations.allegations_reported,
)

for _kind in BUILTIN_KINDS:  # their schemas are checked by tests/test_fast_paths.py
    _kind._schema_known_good()


@cache
def builtin_registry() -> RuleKindRegistry:
    """The built-in rule kinds only (what ``--no-entry-points`` uses)."""
    return RuleKindRegistry().with_kinds(*BUILTIN_KINDS)


@cache
def default_registry() -> RuleKindRegistry:
    """The built-in rule kinds plus any installed through the ``safeguard_std.rule_kinds`` entry
    point (see :func:`registry_with_entry_points` for what is not taken). Cached: entry points
    are read once per process."""
    return registry_with_entry_points(builtin_registry())
