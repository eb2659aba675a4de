"""How many processors this process may use: what ``--jobs`` defaults rest on."""

from __future__ import annotations

import os

__all__ = ["available_processors"]


def available_processors() -> int:
    """The processors this process may run on (its affinity where the system tells it, else
    the machine's count), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)
