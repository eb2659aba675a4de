"""Registers the evidence entities with Hypothesis, so ``st.from_type(DbsCheck)`` just works.

Run by Hypothesis itself, through the ``hypothesis`` entry point, when Hypothesis is imported;
never imported by :mod:`safeguard_std`, which keeps Hypothesis a test-time dependency.
"""

from __future__ import annotations

__all__ = ["_hypothesis_setup_hook"]


def _hypothesis_setup_hook() -> None:
    """Register a strategy for every evidence entity, bundles and packs."""
    from hypothesis import strategies as st

    from safeguard_std.strategies import TYPE_STRATEGIES

    for cls, factory in TYPE_STRATEGIES.items():
        st.register_type_strategy(cls, factory())
