"""Moved to :mod:`safeguard_std.io.schemas`; this import path keeps working.

Every public name of the new module is re-exported here (docs/decisions: the package layout).
"""

from safeguard_std.io.schemas import *  # noqa: F403
from safeguard_std.io.schemas import __all__ as __all__
