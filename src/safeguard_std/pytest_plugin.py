"""Moved to :mod:`safeguard_std.testing.pytest_plugin`; this import path keeps working.

Every public name of the new module is re-exported here (docs/decisions: the package layout).
"""

from safeguard_std.testing.pytest_plugin import *  # noqa: F403
from safeguard_std.testing.pytest_plugin import __all__ as __all__
