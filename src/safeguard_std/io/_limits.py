"""The limits on one document, their defaults, and the wording of a refusal.

The defaults are module constants a deployment may tighten at start-up, by setting them on
:mod:`safeguard_std.io.documents` (``docs/limits.md``), which forwards the change here, where
every reader reads them at call time.
"""

from __future__ import annotations

import attrs

from safeguard_std.exceptions import DocumentSyntaxError, Location, Problem

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_BYTES",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_POSITIONED_JSON",
    "MAX_SHARED_STRINGS",
    "MAX_UNZIPPED_BYTES",
    "MAX_YAML_BYTES",
    "MAX_YAML_NODES",
    "Limits",
    "Path",
    "fail",
    "too_deep",
    "too_large",
    "too_many_nodes",
    "yaml_too_large",
]

#: Largest document accepted, in bytes (a 100,000-person evidence bundle is 60 to 140 MB of JSON,
#: by how much each record holds; :class:`Limits` raises it for one call).
MAX_BYTES = 128 * 1024 * 1024
#: Largest YAML document accepted, in characters (packs are tens of kilobytes; large evidence
#: bundles belong in JSON).
MAX_YAML_BYTES = 4 * 1024 * 1024
#: Deepest nesting accepted; real packs and bundles stay below 15.
MAX_DEPTH = 64
#: Most values built from one document (aliases expanded), and most lists and mappings in a JSON
#: document.
MAX_NODES = 5_000_000
#: Most YAML nodes composed from one document (each costs about 20 microseconds and 600 bytes
#: while composing).
MAX_YAML_NODES = 250_000
#: Largest JSON document whose errors get line and column numbers (worked out by reading the
#: text again with the slower YAML parser, only when there is an error); larger ones are located
#: by path alone.
MAX_POSITIONED_JSON = 256 * 1024
#: Most nodes constructed by re-using YAML aliases (anchors are for small shared snippets).
MAX_ALIAS_NODES = 100_000
#: Most bytes a spreadsheet (.xlsx) may decompress to, all its parts together (a workbook is a
#: zip archive: a few megabytes can hold gigabytes of XML).
MAX_UNZIPPED_BYTES = 128 * 1024 * 1024
#: Most shared strings in one workbook (the table of distinct texts, held in memory while a
#: workbook is read; a 20,000-person record has a few hundred thousand).
MAX_SHARED_STRINGS = 1_000_000
#: Most cells read from one sheet (a 100,000-person record of 100 columns has ten million; the
#: importer's benchmark, 100,000 rows of 21 columns, two million).
MAX_CELLS = 10_000_000
#: Widest row read from a sheet, in cells: Excel's own limit (XFD); records have under 200.
MAX_COLUMNS = 16_384

# Defaults are read when a Limits is made, so a deployment that tightens a module constant at
# start-up tightens every later read.


def _max_bytes() -> int:
    return MAX_BYTES


def _max_nodes() -> int:
    return MAX_NODES


def _max_unzipped_bytes() -> int:
    return MAX_UNZIPPED_BYTES


def _max_shared_strings() -> int:
    return MAX_SHARED_STRINGS


def _max_cells() -> int:
    return MAX_CELLS


def _max_columns() -> int:
    return MAX_COLUMNS


@attrs.frozen(kw_only=True)
class Limits:
    """How much one document may hold, for a caller whose documents are larger than the defaults
    allow (one national export of a million people, say: about 600 MB of JSON and 20 million
    lists and mappings). Pass ``Limits(max_bytes=..., max_nodes=...)`` to
    :func:`~safeguard_std.evidence.load_evidence`; fields left out take :data:`MAX_BYTES` and
    :data:`MAX_NODES`. Memory grows with the limits: a loaded bundle takes about ten times its
    JSON size. YAML keeps its own, fixed limits (large documents belong in JSON).

    The same object bounds streams and spreadsheets: each line of an NDJSON stream is one
    document (``max_bytes`` per line), and a workbook is bounded by the last four fields."""

    #: Largest document accepted, in bytes (read no further than this from a file); also the
    #: longest line of an NDJSON stream.
    max_bytes: int = attrs.field(factory=_max_bytes, validator=attrs.validators.ge(1))
    #: Most lists and mappings in a JSON document (counted by their opening brackets).
    max_nodes: int = attrs.field(factory=_max_nodes, validator=attrs.validators.ge(1))
    #: Most bytes a workbook's parts may decompress to, together.
    max_unzipped_bytes: int = attrs.field(
        factory=_max_unzipped_bytes, validator=attrs.validators.ge(1)
    )
    #: Most shared strings (distinct texts) in a workbook.
    max_shared_strings: int = attrs.field(
        factory=_max_shared_strings, validator=attrs.validators.ge(1)
    )
    #: Most cells read from one sheet (CSV or workbook).
    max_cells: int = attrs.field(factory=_max_cells, validator=attrs.validators.ge(1))
    #: Widest row read from one sheet, in cells.
    max_columns: int = attrs.field(factory=_max_columns, validator=attrs.validators.ge(1))


Path = tuple[str | int, ...]


def fail(
    source: str | None,
    message: str,
    line: int | None = None,
    column: int | None = None,
    path: Path = (),
) -> DocumentSyntaxError:
    """One located problem, as the error every parser raises."""
    return DocumentSyntaxError([Problem(message, Location(source, path, line, column))])


_RAISE = "the limit on one document: docs/limits.md says how to raise it"


def too_large(limit: int, unit: str) -> str:
    """The refusal of a document over ``limit`` bytes or characters."""
    return f"document is larger than {limit} {unit} ({_RAISE})"


def too_many_nodes(limit: int) -> str:
    """The refusal of a JSON document with more than ``limit`` lists and mappings."""
    return f"document has more than {limit} lists and mappings ({_RAISE})"


def too_deep() -> str:
    """The refusal of a document nested deeper than :data:`MAX_DEPTH`."""
    return f"document is nested deeper than {MAX_DEPTH} levels"


def yaml_too_large(unit: str) -> str:
    """The refusal of a YAML document over :data:`MAX_YAML_BYTES`."""
    return (
        f"YAML document is larger than {MAX_YAML_BYTES} {unit}; write large evidence bundles "
        "as JSON"
    )
