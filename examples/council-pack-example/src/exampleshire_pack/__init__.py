"""Exampleshire's safeguarding standard pack for safeguard_std.

Installing this package makes ``exampleshire@2026`` available to ``safeguard-std`` and to
``safeguard_std.bundled_catalog()``: the ``safeguard_std.packs`` entry point in pyproject.toml
names :func:`packs_folder`.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["packs_folder"]


def packs_folder() -> Path:
    """The folder holding this package's packs, laid out as ``<id>/<edition>/pack.yaml``."""
    return Path(__file__).resolve().parent / "packs"
