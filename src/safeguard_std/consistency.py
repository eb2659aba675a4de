"""Moved to :mod:`safeguard_std.domain.consistency`; this import path keeps working.

Every public name of the new module is re-exported here (docs/decisions: the package layout).
"""

from safeguard_std.domain.consistency import *  # noqa: F403
from safeguard_std.domain.consistency import __all__ as __all__
