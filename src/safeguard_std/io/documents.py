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

Streams and spreadsheets are bounded in :mod:`safeguard_std.io._bounded` (bytes per NDJSON line,
decompressed bytes and shared strings of a workbook, cells and columns of a sheet), with their
limits in :class:`Limits` too.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any, Protocol

import attrs
import yaml

from safeguard_std.exceptions import DocumentSyntaxError, Location, Problem, quoted

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
            raise _fail(self.source, f"document is nested deeper than {MAX_DEPTH} levels")

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
        if self.text is None or len(self.text) > MAX_POSITIONED_JSON:
            return
        try:
            _, positions = _compose(self.text, self.source)
        except DocumentSyntaxError:
            return
        self.positions.update(positions)


def _fail(
    source: str | None,
    message: str,
    line: int | None = None,
    column: int | None = None,
    path: Path = (),
) -> DocumentSyntaxError:
    return DocumentSyntaxError([Problem(message, Location(source, path, line, column))])


_RAISE = "the limit on one document: docs/limits.md says how to raise it"


def _too_large(limit: int, unit: str) -> str:
    return f"document is larger than {limit} {unit} ({_RAISE})"


def read_bounded(path: str | os.PathLike[str], *, limits: Limits | None = None) -> bytes:
    """A file's bytes, reading no more than ``limits.max_bytes`` (default :data:`MAX_BYTES`)
    plus one, to tell: a huge file, a pipe or a device such as ``/dev/zero`` is refused without
    being read whole. ``OSError`` passes through for the caller to report."""
    limit = (limits or Limits()).max_bytes
    raw = _read_at_most(path, limit)
    if len(raw) > limit:
        raise _fail(str(path), _too_large(limit, "bytes"))
    return raw


def _read_at_most(path: str | os.PathLike[str], limit: int) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(limit + 1)


def _yaml_too_large(unit: str) -> str:
    return (
        f"YAML document is larger than {MAX_YAML_BYTES} {unit}; write large evidence bundles "
        "as JSON"
    )


class _ErrorClass(Protocol):
    def __call__(self, problems: list[Problem], *, source: str | None = None) -> Exception: ...


def _is_yaml(label: str | None, format: str | None) -> bool:
    if format is not None:
        return format == "yaml"
    return label is not None and label.lower().endswith((".yaml", ".yml"))


def read_source(
    source: str | os.PathLike[str] | bytes,
    *,
    what: str,
    error: _ErrorClass = DocumentSyntaxError,
    name: str | None = None,
    limits: Limits | None = None,
    format: str | None = None,
) -> tuple[str | None, bytes]:
    """The label and bytes of ``source`` (a path, or bytes labelled ``name``), read no further
    than the limit: :data:`MAX_YAML_BYTES` for a YAML file (by its suffix or ``format``),
    ``limits.max_bytes`` otherwise. A file over the limit, or one that cannot be read, raises
    ``error`` (the caller's class) with one problem located at the file: the size refused, or
    ``cannot read WHAT: REASON`` with the ``OSError`` as the error's ``__cause__``."""
    if isinstance(source, bytes):
        return name, source
    label = name or str(source)
    limit = (limits or Limits()).max_bytes
    message = _too_large(limit, "bytes")
    if _is_yaml(label, format) and limit > MAX_YAML_BYTES:
        limit, message = MAX_YAML_BYTES, _yaml_too_large("bytes")
    try:
        raw = _read_at_most(source, limit)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise error(
            [Problem(f"cannot read {what}: {reason}", Location(label))], source=label
        ) from exc  # the cause tells a caller an unreadable file from a bad one
    if len(raw) > limit:
        raise error([Problem(message, Location(label))], source=label)
    return label, raw


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


def decode(raw: bytes | str, source: str | None, *, limits: Limits | None = None) -> str:
    """Bytes to text: UTF-8 (a BOM is allowed), or a located error."""
    limit = (limits or Limits()).max_bytes
    if isinstance(raw, str):
        text = raw
    else:
        if len(raw) > limit:
            raise _fail(source, _too_large(limit, "bytes"))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _fail(source, f"not UTF-8 text: invalid byte at offset {exc.start}") from None
    if len(text) > limit:
        raise _fail(source, _too_large(limit, "characters"))
    return text


class _Builder:
    def __init__(self, source: str | None) -> None:
        self.source = source
        self.count = 0
        self.alias_count = 0
        self.seen: set[int] = set()
        self.positions: dict[Path, tuple[int, int]] = {}

    def build(self, node: yaml.Node, path: Path, depth: int, aliased: bool = False) -> Any:
        self.count += 1
        if isinstance(node, yaml.CollectionNode):
            aliased = aliased or id(node) in self.seen
            self.seen.add(id(node))
        if aliased:
            self.alias_count += 1
        if self.alias_count > MAX_ALIAS_NODES:
            raise _fail(
                self.source,
                f"YAML aliases expand to more than {MAX_ALIAS_NODES} nodes",
                *self._pos(node),
                path,
            )
        if self.count > MAX_NODES:
            raise _fail(
                self.source, f"document has more than {MAX_NODES} nodes", *self._pos(node), path
            )
        if depth > MAX_DEPTH:
            raise _fail(
                self.source,
                f"document is nested deeper than {MAX_DEPTH} levels",
                *self._pos(node),
                path,
            )
        self.positions.setdefault(path, self._pos(node))
        if isinstance(node, yaml.CollectionNode) and node.tag not in _COLLECTION_TAGS:
            # '!!python/object/apply', '!!set', '!!omap': never constructed, never ignored.
            raise _fail(
                self.source, f"unsupported YAML tag {quoted(node.tag)}", *self._pos(node), path
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth, aliased)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(n, (*path, i), depth + 1, aliased) for i, n in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(
        self, node: yaml.MappingNode, path: Path, depth: int, aliased: bool
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _fail(
                    self.source,
                    "YAML merge keys ('<<') are not supported",
                    *self._pos(key_node),
                    path,
                )
            key = self._scalar(key_node, path)
            if not isinstance(key, str):
                key = str(key) if isinstance(key, (int, bool)) or key is None else key
            if not isinstance(key, str):
                raise _fail(
                    self.source,
                    f"mapping keys must be strings, got {quoted(key)}",
                    *self._pos(key_node),
                    path,
                )
            if key in out:
                raise _fail(
                    self.source, f"duplicate key {quoted(key)}", *self._pos(key_node), (*path, key)
                )
            self.positions[(*path, key)] = self._pos(key_node)
            out[key] = self.build(value_node, (*path, key), depth + 1, aliased)
        return out

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        if type(node) is yaml.ScalarNode and node.tag == _STR_TAG:
            return node.value  # what construct_yaml_str gives, without two calls: most scalars
        if not isinstance(node, yaml.ScalarNode):
            raise _fail(self.source, "expected a scalar", *self._pos(node), path)
        try:
            value = yaml.SafeLoader.construct_scalar(_LOADER, node)
            resolved = _CONSTRUCTORS.get(node.tag)
        except yaml.YAMLError as exc:  # pragma: no cover - defensive
            raise _fail(self.source, f"bad scalar: {exc}", *self._pos(node), path) from None
        if resolved is None:
            raise _fail(
                self.source, f"unsupported YAML tag {quoted(node.tag)}", *self._pos(node), path
            )
        try:
            return resolved(node)
        except (ValueError, yaml.YAMLError):
            return value

    @staticmethod
    def _pos(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1


_LOADER = yaml.SafeLoader("")
_STR_TAG = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def _yaml12_bool(node: yaml.Node) -> bool | str:
    # YAML 1.1 reads yes/no/on/off as booleans (the "Norway problem"); only true/false are.
    text = str(node.value)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def _timestamp_as_text(node: yaml.Node) -> str:
    # Dates stay strings: the schema and the converter own date parsing, with Europe/London rules.
    return str(node.value)


_CONSTRUCTORS: dict[str, Callable[[Any], Any]] = {
    "tag:yaml.org,2002:str": lambda n: _LOADER.construct_yaml_str(n),
    "tag:yaml.org,2002:int": lambda n: _LOADER.construct_yaml_int(n),
    "tag:yaml.org,2002:float": lambda n: _LOADER.construct_yaml_float(n),
    "tag:yaml.org,2002:bool": lambda n: _yaml12_bool(n),
    "tag:yaml.org,2002:null": lambda n: None,
    "tag:yaml.org,2002:timestamp": _timestamp_as_text,
}


#: libyaml's parser, when PyYAML was built with it: about ten times faster than the pure-Python
#: one, with the same nodes and positions. It only ever composes nodes; our own builder turns
#: them into data, so the two parsers differ only in how they word a syntax error (below).
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)


class _BoundedLoader(yaml.SafeLoader):
    """``SafeLoader`` that counts nodes and nesting while composing, so a hostile document is
    refused before its node graph (about 600 bytes a node) is built."""

    def __init__(self, text: str, source: str | None) -> None:
        super().__init__(text)
        self.source = source
        self.nodes = 0
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.nodes += 1
        self.depth += 1
        try:
            if self.nodes > MAX_YAML_NODES or self.depth > MAX_DEPTH + 1:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _fail(self.source, _too_big(self.nodes), mark.line + 1, mark.column + 1)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _too_big(nodes: int) -> str:
    if nodes > MAX_YAML_NODES:
        return f"YAML document has more than {MAX_YAML_NODES} nodes"
    return f"document is nested deeper than {MAX_DEPTH} levels"


_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)


def _check_shape(text: str, source: str | None) -> None:
    """Walk libyaml's events (an iterative parser) and refuse, at the first node beyond them,
    a document over the node or nesting limits: libyaml's composer recurses on the C stack, so
    deep nesting would crash the process instead of raising."""
    nodes = depth = 0
    for event in yaml.parse(text, Loader=_FAST_LOADER):
        if isinstance(event, _NODE_EVENTS):
            nodes += 1
            if nodes > MAX_YAML_NODES or depth > MAX_DEPTH:
                mark = event.start_mark
                line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
                raise _fail(source, _too_big(nodes), line, column)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _compose(text: str, source: str | None) -> tuple[Any, dict[Path, tuple[int, int]]]:
    if len(text) > MAX_YAML_BYTES:
        raise _fail(source, _yaml_too_large("characters"))
    if _FAST_LOADER is not None:
        try:
            _check_shape(text, source)
            node = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass  # parse again below, so the message is always PyYAML's own
        else:
            return _build(node, source)
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text, source)  # the reader checks every character here
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        raise _fail(
            source,
            f"not valid YAML: {exc.reason} (character {exc.character:#x} at offset {exc.position})",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise _fail(
            source,
            f"not valid YAML: {exc.problem}",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise _fail(source, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise _fail(source, f"document is nested deeper than {MAX_DEPTH} levels") from None
    finally:
        if loader is not None:
            loader.dispose()
    return _build(node, source)


def _build(node: yaml.Node | None, source: str | None) -> tuple[Any, dict[Path, tuple[int, int]]]:
    if node is None:
        return None, {}
    builder = _Builder(source)
    return builder.build(node, (), 0), builder.positions


def _no_duplicates(source: str | None) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) == len(pairs):  # the common case, decided in C
            return out
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _fail(source, f"duplicate key {quoted(key)}")
            seen.add(key)
        raise AssertionError("unreachable: a shorter dict means a repeated key")  # pragma: no cover

    return hook


def _depth_ok(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether no container in ``data`` (parsed JSON) is nested deeper than ``limit``."""

    def within(node: Any, depth: int) -> bool:  # node: a container at ``depth``
        children = node.values() if type(node) is dict else node
        if depth >= limit and children:
            return False  # its children would lie deeper than the limit
        for child in children:
            kind = type(child)
            if (kind is dict or kind is list) and not within(child, depth + 1):
                return False
        return True

    # Recursion stops at ``limit`` levels, so a hostile document cannot exhaust the stack.
    return type(data) not in (dict, list) or within(data, 0)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON documents")


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
    if isinstance(raw, bytes) and len(raw) > MAX_YAML_BYTES and _is_yaml(source, format):
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
        if text.count("{") + text.count("[") > limits.max_nodes:
            raise _fail(
                source,
                f"document has more than {limits.max_nodes} lists and mappings ({_RAISE})",
            )
        try:
            data = json.loads(
                text, object_pairs_hook=_no_duplicates(source), parse_constant=_reject_constant
            )
        except json.JSONDecodeError as exc:
            raise _fail(source, f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
        except ValueError as exc:
            message = str(exc)
            if "integer string conversion" in message:  # Python's guard on huge numbers
                message = "numbers longer than 4300 digits are not allowed"
            raise _fail(source, message) from None
        except RecursionError:
            raise _fail(source, f"document is nested deeper than {MAX_DEPTH} levels") from None
        if check_depth and not _depth_ok(data):
            raise _fail(source, f"document is nested deeper than {MAX_DEPTH} levels")
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
