"""Moved to :mod:`safeguard_std.authoring.reference`; this import path keeps working.

Every public name of the new module is re-exported here (docs/decisions: the package layout).
"""

from safeguard_std.authoring.reference import *  # noqa: F403
from safeguard_std.authoring.reference import __all__ as __all__

if __name__ == "__main__":  # pragma: no cover - a developer tool
    import sys

    from safeguard_std.authoring.reference import rule_kinds_markdown

    sys.stdout.write(rule_kinds_markdown())
