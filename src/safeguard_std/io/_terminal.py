"""Text shown on a terminal: what came from a file cannot move the cursor or forge a line.

Pack titles, requirement text, test-case names and file names are written by whoever wrote the
file. Printed raw, an escape sequence can clear the screen or recolour what follows, a carriage
return can overwrite the start of a line, a newline can start a line that looks like one of ours
(``error: ...``), and a bidirectional override can show text in a different order than it is
stored. Every human-readable line the library and the command line print passes through
:func:`printable`, which writes such characters as visible escapes (``\\x1b``, ``\\n``,
``\\u202e``) and leaves all other text, accented letters and other scripts included, as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["printable", "printable_lines"]

_INVISIBLE = (
    *range(0x00, 0x20),  # C0 controls, tab, newline and carriage return included
    0x7F,
    *range(0x80, 0xA0),  # C1 controls (0x9b is a one-byte CSI on some terminals)
    0x061C,  # Arabic letter mark
    0x200E,
    0x200F,  # left-to-right and right-to-left marks
    *range(0x202A, 0x202F),  # embeddings and overrides
    *range(0x2066, 0x206A),  # isolates
    0x2028,
    0x2029,  # line and paragraph separators
)


def _escape(code: int) -> str:
    if code < 0x100:
        return {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}.get(code, f"\\x{code:02x}")
    return f"\\u{code:04x}"


_TABLE = {code: _escape(code) for code in _INVISIBLE}


def printable(text: object) -> str:
    """``text`` (or its ``str()``) as one line safe to print on a terminal: control characters,
    line breaks and bidirectional controls written as visible escapes."""
    return str(text).translate(_TABLE)


def printable_lines(lines: Iterable[object]) -> str:
    """``lines`` made :func:`printable` one by one and joined, each ending in a newline."""
    return "".join(printable(line) + "\n" for line in lines)
