"""Moved to :mod:`safeguard_std.portfolio.rollup`; this import path keeps working.

Every public name of the new module is re-exported here (docs/decisions: the package layout).
"""

from safeguard_std.portfolio.rollup import *  # noqa: F403
from safeguard_std.portfolio.rollup import __all__ as __all__
