"""Reading YAML and JSON documents into plain data, with the position of every node.

An adapter, and the one way the library reads a document: :func:`load_document` reads a file (or
takes bytes with a source label) no further than its limit, parses it, and reports any failure,
reading included, as located problems in the caller's own error class. Hostile input is refused
with a located :class:`~safeguard_std.exceptions.Problem`, in time and memory bounded by the
limits below (``docs/limits.md`` gives the measured costs):

* bytes that are not UTF-8; documents over :data:`MAX_BYTES` (YAML over :data:`MAX_YAML_BYTES`:
  the pure-Python YAML parser is about a hundred times slower than ``json``);
* duplicate keys in a mapping (YAML and JSON both silently keep the last one otherwise);
* YAML with more than :data:`MAX_YAML_NODES` nodes, or nested deeper than :data:`MAX_DEPTH`,
  refused *while* it is composed, before its node graph is built;
* alias expansion ("billion laughs") beyond :data:`MAX_ALIAS_NODES` constructed nodes, and any
  document building more than :data:`MAX_NODES` values;
* JSON with more than :data:`MAX_NODES` lists and mappings (counted by their opening brackets
  before parsing, so brackets inside strings count too), or nested deeper than :data:`MAX_DEPTH`;
* with libyaml, a YAML document is first walked as events (iteratively: libyaml's own composer
  recurses on the C stack, and a few hundred kilobytes of nested brackets crash the process)
  and refused at the first node beyond the limits, before the fast composer sees it;
* YAML tags other than the core schema's (no Python objects, ever: ``SafeLoader`` only);
* text that cannot be written back as UTF-8 (a lone surrogate from an escape such as
  ``"\\udc80"``), refused at load with its path, rather than failing later when a digest or a
  report is written.

The parts live beside this module: the limits in :mod:`safeguard_std.io._limits`, the bounded
readers in :mod:`safeguard_std.io._read`, YAML with positions in :mod:`safeguard_std.io._yaml`
and JSON in :mod:`safeguard_std.io._json`; this module is the one loader and the public face.
Streams and spreadsheets are bounded in :mod:`safeguard_std.io._bounded` (bytes per NDJSON line,
decompressed bytes and shared strings of a workbook, cells and columns of a sheet), with their
limits in :class:`Limits` too.
"""

from __future__ import annotations

import os
import re
import sys
import types
from typing import Any

import attrs

from safeguard_std.exceptions import DocumentSyntaxError, Location, Problem
from safeguard_std.io import _json, _limits
from safeguard_std.io._json import depth_ok as _depth_ok
from safeguard_std.io._limits import (
    MAX_ALIAS_NODES,
    MAX_BYTES,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_DEPTH,
    MAX_NODES,
    MAX_POSITIONED_JSON,
    MAX_SHARED_STRINGS,
    MAX_UNZIPPED_BYTES,
    MAX_YAML_BYTES,
    MAX_YAML_NODES,
    Limits,
    Path,
)
from safeguard_std.io._limits import fail as _fail
from safeguard_std.io._limits import too_deep as _too_deep
from safeguard_std.io._limits import yaml_too_large as _yaml_too_large
from safeguard_std.io._read import ErrorClass as _ErrorClass
from safeguard_std.io._read import decode as decode  # evidence.locations reads through it
from safeguard_std.io._read import is_yaml as _is_yaml
from safeguard_std.io._read import read_bounded, read_source
from safeguard_std.io._yaml import Builder as _Builder  # noqa: F401 (tests compare the parsers)
from safeguard_std.io._yaml import compose as _compose

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
    "Document",
    "DocumentSyntaxError",
    "Limits",
    "load_document",
    "parse",
    "read_bounded",
    "read_source",
]


@attrs.frozen
class Document:
    """Parsed data, where it came from, and (for YAML) the line/column of each path."""

    data: Any
    source: str | None
    positions: dict[Path, tuple[int, int]] = attrs.field(factory=dict, eq=False)
    text: str | None = attrs.field(default=None, eq=False, repr=False)
    # Positions of a JSON document are worked out once, on the first error, or never.
    _tried: list[bool] = attrs.field(factory=list, init=False, eq=False, repr=False)
    #: False when :func:`parse` was asked to leave the nesting check to the caller
    #: (:meth:`check_depth`), who has a cheaper way to know most documents are shallow.
    depth_checked: bool = attrs.field(default=True, eq=False)

    def check_depth(self) -> None:
        """Raise :class:`DocumentSyntaxError` if the data nests deeper than :data:`MAX_DEPTH`
        (a no-op when :func:`parse` checked already)."""
        if not self.depth_checked and not _depth_ok(self.data):
            raise _fail(self.source, _too_deep())

    def locate(self, path: Path) -> Location:
        """A :class:`Location` for ``path``, with the nearest known line and column."""
        probe = tuple(path)
        while probe not in self.positions and probe:
            probe = probe[:-1]
        if probe not in self.positions and self.text is not None and not self._tried:
            self._tried.append(True)
            self._load_positions()
            return self.locate(path) if self.positions else Location(self.source, tuple(path))
        line, column = self.positions.get(probe, (None, None))
        return Location(self.source, tuple(path), line, column)

    def _load_positions(self) -> None:
        # JSON is parsed with the fast json module; positions are only worked out on error, by
        # reading the text again as YAML (a superset), within the YAML limits.
        if self.text is None or len(self.text) > _limits.MAX_POSITIONED_JSON:
            return
        try:
            _, positions = _compose(self.text, self.source)
        except DocumentSyntaxError:
            return
        self.positions.update(positions)


def load_document(
    source: str | os.PathLike[str] | bytes,
    *,
    what: str,
    error: _ErrorClass = DocumentSyntaxError,
    name: str | None = None,
    limits: Limits | None = None,
    format: str | None = None,
    check_depth: bool = True,
    text: str | None = None,
) -> Document:
    """Read (:func:`read_source`) and :func:`parse` one document: every file the library reads
    comes through here. ``what`` names the document in a read error (``"pack file"``), and every
    problem, reading or parsing, is raised as ``error`` (the caller's class, such as
    :class:`~safeguard_std.exceptions.PackError`) with the source as its label. ``text``, when
    given, is the document's content already in hand (nothing is read; ``source`` labels it)."""
    label: str | None
    raw: bytes | str
    if text is not None:
        label, raw = name or str(source), text
    else:
        label, raw = read_source(
            source, what=what, error=error, name=name, limits=limits, format=format
        )
    try:
        return parse(raw, label, format=format, check_depth=check_depth, limits=limits)
    except DocumentSyntaxError as exc:
        raise error(exc.problems, source=label) from None


def parse(
    raw: bytes | str,
    source: str | None = None,
    *,
    format: str | None = None,
    check_depth: bool = True,
    limits: Limits | None = None,
) -> Document:
    """Parse a YAML or JSON document (``format`` ``"yaml"``/``"json"``, or guessed from the
    source's suffix; JSON by default when the text starts with ``{``).

    ``check_depth=False`` leaves the nesting check of a JSON document to the caller
    (:meth:`Document.check_depth`); YAML is always checked while it is built. ``limits``
    raises (or lowers) the size limits on one document (:class:`Limits`)."""
    limits = limits or Limits()
    if isinstance(raw, bytes) and len(raw) > _limits.MAX_YAML_BYTES and _is_yaml(source, format):
        raise _fail(source, _yaml_too_large("bytes"))
    text = decode(raw, source, limits=limits)
    fmt = format or _guess(source, text)
    # A lone surrogate comes from an escape (JSON "\udc80", YAML "\udc80") or from text a
    # caller built; decoded UTF-8 never holds one. The search is in C and finds none in nearly
    # every document; only then is the data walked for the path.
    surrogates = _SURROGATE_ESCAPE.search(text) is not None or (
        isinstance(raw, str) and _SURROGATE.search(text) is not None
    )
    if fmt == "json":
        data = _json.loads(text, source, max_nodes=limits.max_nodes, check_depth=check_depth)
        doc = Document(data, source, {}, text, depth_checked=check_depth)
    else:
        data, positions = _compose(text, source)
        doc = Document(data, source, positions, None)
    if surrogates:
        _refuse_surrogates(doc)
    return doc


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])")


def _refuse_surrogates(doc: Document) -> None:
    """Raise, located at the first string (value or key) holding a lone surrogate: such text
    loads but cannot be encoded, so a digest or report would fail on it far from its source."""
    stack: list[tuple[Path, Any]] = [((), doc.data)]
    while stack:  # iterative: depth is bounded already, but a walk need not recurse
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, value in reversed(node.items()):
                if _SURROGATE.search(key):
                    _surrogate_at(doc, (*path, key), key)
                stack.append(((*path, key), value))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))))
        elif isinstance(node, str) and _SURROGATE.search(node):
            _surrogate_at(doc, path, node)


def _surrogate_at(doc: Document, path: Path, text: str) -> None:
    found = _SURROGATE.search(text)
    at, char = (found.start(), found.group()) if found else (0, "\ufffd")
    # The value itself is not quoted: it may be personal data.
    raise DocumentSyntaxError(
        [
            Problem(
                f"text holds a lone surrogate (\\u{ord(char):04x} at character "
                f"{at + 1}), which cannot be written as UTF-8",
                doc.locate(path),
            )
        ]
    )


def _guess(source: str | None, text: str) -> str:
    if source:
        lower = source.lower()
        if lower.endswith((".yaml", ".yml")):
            return "yaml"
        if lower.endswith((".json", ".ndjson", ".jsonl")):  # a line of NDJSON is JSON
            return "json"
    return "json" if text.lstrip().startswith(("{", "[")) else "yaml"


class _Tunable(types.ModuleType):
    """Setting a limit on this module at start-up (``documents.MAX_BYTES = ...``, as
    ``docs/limits.md`` says) sets it in :mod:`safeguard_std.io._limits` too, where every reader
    reads it."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("MAX_") and hasattr(_limits, name):
            setattr(_limits, name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Tunable
