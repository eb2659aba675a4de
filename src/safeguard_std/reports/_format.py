"""Small pieces every report format shares: labels, percentages, dates, stable UUIDs.

No floating point anywhere: a percentage is computed from whole numbers and written as a string
with one decimal place, rounded half up, so ``2/3`` is always ``"66.7"`` on every machine.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from safeguard_std.domain.findings import Status

__all__ = [
    "STATUS_LABELS",
    "STATUS_ORDER",
    "UNSAFE_TEXT",
    "UUID_NAMESPACE",
    "clean_text",
    "day_count",
    "json_safe",
    "percent",
    "plural",
    "ratio_text",
    "stable_uuid",
    "status_label",
]

#: Statuses in the order reports list them: the worst first.
STATUS_ORDER: tuple[Status, ...] = (
    Status.NOT_MET,
    Status.ERROR,
    Status.INSUFFICIENT_EVIDENCE,
    Status.WAIVED,
    Status.MET,
    Status.NOT_APPLICABLE,
)

STATUS_LABELS: dict[Status, str] = {
    Status.MET: "met",
    Status.NOT_MET: "not met",
    Status.NOT_APPLICABLE: "not applicable",
    Status.INSUFFICIENT_EVIDENCE: "insufficient evidence",
    Status.WAIVED: "waived",
    Status.ERROR: "error",
}

#: The namespace of every UUID an export derives: ``uuid5(NAMESPACE_URL,
#: "urn:safeguard-std:exports")``. Fixed for ever: changing it would change every exported UUID.
UUID_NAMESPACE = uuid.UUID("ffbb8934-86e3-5781-9090-793ae37bde4b")


#: Characters no report may show raw: C0 controls but tab, line feed and carriage return (plain
#: whitespace every format folds or keeps), DEL, C1 controls, the bidi embeddings, overrides,
#: isolates and marks (which reorder what a reader sees: "Trojan Source"), and lone surrogates
#: (which no UTF-8 file can hold).
UNSAFE_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _visible(match: re.Match[str]) -> str:
    return f"[U+{ord(match.group()):04X}]"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def clean_text(text: str) -> str:
    """``text`` with every :data:`UNSAFE_TEXT` character shown as its code point, ``[U+202E]``:
    visible to a reader, harmless to a terminal, a browser or a spreadsheet. Every report
    format passes evidence and pack text through this before writing it."""
    return UNSAFE_TEXT.sub(_visible, text)


def json_safe(json_text: str) -> str:
    """JSON text with every :data:`UNSAFE_TEXT` character written as a ``\\uXXXX`` escape: the
    same data for a JSON reader (nothing is lost), no raw control or bidi character for anyone
    who opens the file. Safe on a whole document: outside strings JSON holds no such character."""
    if json_text.isascii():
        # Most documents are ASCII throughout: deleting the few unsafe ASCII characters from
        # the bytes shows none is there several times faster than the pattern can.
        raw = json_text.encode("ascii")
        if len(raw.translate(None, _UNSAFE_ASCII)) == len(raw):
            return json_text
    return UNSAFE_TEXT.sub(_json_escape, json_text)


_UNSAFE_ASCII = bytes(c for c in range(128) if UNSAFE_TEXT.match(chr(c)))


def status_label(status: Status | str) -> str:
    """``insufficient_evidence`` as ``insufficient evidence``: for people, not programs."""
    return STATUS_LABELS[Status(status)]


def stable_uuid(*parts: str) -> str:
    """A UUID derived (uuid5) from ``parts``: the same inputs give the same UUID everywhere."""
    return str(uuid.uuid5(UUID_NAMESPACE, "\x1f".join(parts)))


def percent(numerator: int, denominator: int) -> str | None:
    """``numerator/denominator`` as a percentage with one decimal place, rounded half up;
    ``None`` when the denominator is 0 (nothing to measure)."""
    if denominator <= 0:
        return None
    tenths = (2000 * numerator + denominator) // (2 * denominator)
    return f"{tenths // 10}.{tenths % 10}"


def ratio_text(numerator: int, denominator: int) -> str:
    """``7/9 (77.8%)``, or ``none to measure`` for an empty denominator."""
    pct = percent(numerator, denominator)
    if pct is None:
        return "none to measure"
    return f"{numerator}/{denominator} ({pct}%)"


def day_count(start: dt.date, end: dt.date) -> int:
    """Whole days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).days


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 person``, ``2 people``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
