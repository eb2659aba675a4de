"""The library's version, in a module of its own so the core can name it without importing the
package root (which re-exports the adapters)."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
