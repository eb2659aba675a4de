"""Pausing Python's cyclic garbage collector around bulk work (decision 0015)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, and restore it (if it was on) on the way out.

    Importing or writing 100,000 people allocates millions of small objects, none of them in
    reference cycles (frozen entities, tuples, a row's cells), so reference counting frees them
    all. Left running, the cyclic collector rescans every live object each time enough have been
    allocated, which made 100,000 rows take a minute instead of seconds.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
