"""Where the ``hypothesis`` entry point's hook used to live; kept so its import path works.

The hook is now the top-level module :mod:`_safeguard_std_hypothesis`: importing anything inside
:mod:`safeguard_std` imports the whole package, which doubled the time of every
``import hypothesis`` in a project with safeguard-std installed.
"""

from __future__ import annotations

from _safeguard_std_hypothesis import STRATEGY_NAMES, _hypothesis_setup_hook

__all__ = ["STRATEGY_NAMES", "_hypothesis_setup_hook"]
