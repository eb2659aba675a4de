"""YAML composed with the position of every node, within the limits on one document.

Only ``SafeLoader`` nodes are ever composed (no Python objects); our own builder turns them into
plain data, refusing unsupported tags, merge keys, non-string keys, duplicate keys, and alias
expansion, node counts or nesting beyond the limits (:mod:`safeguard_std.io._limits`), and
recording the line and column of each path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import yaml

from safeguard_std.exceptions import quoted
from safeguard_std.io import _limits as limits_
from safeguard_std.io._limits import Path, fail, too_deep, yaml_too_large

__all__ = ["Builder", "compose"]


class Builder:
    """Plain data and positions from a composed node graph, refusing what the library never
    reads (see the module)."""

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
        if self.alias_count > limits_.MAX_ALIAS_NODES:
            raise fail(
                self.source,
                f"YAML aliases expand to more than {limits_.MAX_ALIAS_NODES} nodes",
                *self._pos(node),
                path,
            )
        if self.count > limits_.MAX_NODES:
            raise fail(
                self.source,
                f"document has more than {limits_.MAX_NODES} nodes",
                *self._pos(node),
                path,
            )
        if depth > limits_.MAX_DEPTH:
            raise fail(
                self.source,
                too_deep(),
                *self._pos(node),
                path,
            )
        self.positions.setdefault(path, self._pos(node))
        if isinstance(node, yaml.CollectionNode) and node.tag not in _COLLECTION_TAGS:
            # '!!python/object/apply', '!!set', '!!omap': never constructed, never ignored.
            raise fail(
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
                raise fail(
                    self.source,
                    "YAML merge keys ('<<') are not supported",
                    *self._pos(key_node),
                    path,
                )
            key = self._scalar(key_node, path)
            if not isinstance(key, str):
                key = str(key) if isinstance(key, (int, bool)) or key is None else key
            if not isinstance(key, str):
                raise fail(
                    self.source,
                    f"mapping keys must be strings, got {quoted(key)}",
                    *self._pos(key_node),
                    path,
                )
            if key in out:
                raise fail(
                    self.source, f"duplicate key {quoted(key)}", *self._pos(key_node), (*path, key)
                )
            self.positions[(*path, key)] = self._pos(key_node)
            out[key] = self.build(value_node, (*path, key), depth + 1, aliased)
        return out

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        if type(node) is yaml.ScalarNode and node.tag == _STR_TAG:
            return node.value  # what construct_yaml_str gives, without two calls: most scalars
        if not isinstance(node, yaml.ScalarNode):
            raise fail(self.source, "expected a scalar", *self._pos(node), path)
        try:
            value = yaml.SafeLoader.construct_scalar(_LOADER, node)
            resolved = _CONSTRUCTORS.get(node.tag)
        except yaml.YAMLError as exc:  # pragma: no cover - defensive
            raise fail(self.source, f"bad scalar: {exc}", *self._pos(node), path) from None
        if resolved is None:
            raise fail(
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
_SCALAR = yaml.ScalarNode
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
            if self.nodes > limits_.MAX_YAML_NODES or self.depth > limits_.MAX_DEPTH + 1:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise fail(self.source, _too_big(self.nodes), mark.line + 1, mark.column + 1)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _too_big(nodes: int) -> str:
    if nodes > limits_.MAX_YAML_NODES:
        return f"YAML document has more than {limits_.MAX_YAML_NODES} nodes"
    return too_deep()


_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)


def _check_shape(text: str, source: str | None) -> None:
    """Walk libyaml's events (an iterative parser) and refuse, at the first node beyond them,
    a document over the node or nesting limits: libyaml's composer recurses on the C stack, so
    deep nesting would crash the process instead of raising."""
    nodes = depth = 0
    for event in yaml.parse(text, Loader=_FAST_LOADER):
        if isinstance(event, _NODE_EVENTS):
            nodes += 1
            if nodes > limits_.MAX_YAML_NODES or depth > limits_.MAX_DEPTH:
                mark = event.start_mark
                line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
                raise fail(source, _too_big(nodes), line, column)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def compose(text: str, source: str | None) -> tuple[Any, dict[Path, tuple[int, int]]]:
    """The data of a YAML text and the (line, column) of each path, or a located
    :class:`~safeguard_std.exceptions.DocumentSyntaxError` in PyYAML's own wording."""
    if len(text) > limits_.MAX_YAML_BYTES:
        raise fail(source, yaml_too_large("characters"))
    if _FAST_LOADER is not None:
        built = _from_events(text, source)
        if built is not None:
            return built
    return _general(text, source)


def _general(text: str, source: str | None) -> tuple[Any, dict[Path, tuple[int, int]]]:
    """:func:`compose` by the node graph: every document, and every error, goes this way."""
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
        raise fail(
            source,
            f"not valid YAML: {exc.reason} (character {exc.character:#x} at offset {exc.position})",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise fail(
            source,
            f"not valid YAML: {exc.problem}",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise fail(source, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise fail(source, too_deep()) from None
    finally:
        if loader is not None:
            loader.dispose()
    return _build(node, source)


class _Unusual(Exception):
    """A document :func:`_from_events` leaves to the general path."""


def _from_events(text: str, source: str | None) -> tuple[Any, dict[Path, tuple[int, int]]] | None:
    """The data and positions of a plain document, built straight from libyaml's events in one
    pass, or ``None`` for anything else (the general path then parses it as before).

    Composing a node graph, walking the events again to check its shape first, and building
    the data from the graph took three passes over each pack file; this is one. It takes only
    documents the general path would accept and build identically: a single document, no
    anchors, aliases or explicit tags, text keys, no duplicate keys, within every limit, each
    scalar read by the same builder. Anything unusual, and every error, gives ``None`` before
    any result is returned, so what an error says never depends on this path
    (``tests/test_yaml_events.py`` compares the two paths)."""
    loader = _FAST_LOADER(text)
    try:
        if loader.yaml_path_resolvers:  # the composer consults them as it descends: not here
            return None
        get = loader.get_event
        if type(get()) is not yaml.StreamStartEvent or type(get()) is not yaml.DocumentStartEvent:
            return None
        reader = _EventReader(get, loader.resolve, source)
        data = reader.node(get(), (), 0)
        if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
            return None
        return data, reader.positions
    except Exception:  # any surprise is left to the general path, which reports it
        return None
    finally:
        loader.dispose()


class _EventReader:
    """The :class:`Builder` of :func:`_from_events`: the same data and positions, in the same
    order, from events instead of nodes; raises :class:`_Unusual` at anything it does not take.

    An alias is built again from the events of its anchor (as the builder walks the anchored
    node again), with the anchor's positions; each node so built counts towards the alias limit
    (never fewer than the builder counts, so a document near a limit takes the general path)."""

    def __init__(self, get: Callable[[], Any], resolve: Callable[..., str], source: str | None):
        self.live = get
        self.resolve = resolve
        self.replays: list[Iterator[Any]] = []  # the anchors being built again, innermost last
        self.recording: list[list[Any]] = []  # the anchored nodes being read, innermost last
        self.anchors: dict[str, list[Any] | None] = {}  # None: still being read (a cycle)
        self.events = 0  # every node event, keys too (what _check_shape counts)
        self.built = 0  # every value built (what Builder counts)
        self.aliased = 0  # values built again for an alias
        # The limits as they are now (a caller may change them between documents).
        self.max_events, self.max_built = limits_.MAX_YAML_NODES, limits_.MAX_NODES
        self.max_aliased, self.max_depth = limits_.MAX_ALIAS_NODES, limits_.MAX_DEPTH
        self.scalars = Builder(source)  # reads non-text scalars exactly as the graph's builder
        self.positions: dict[Path, tuple[int, int]] = {}

    def get(self) -> Any:
        if self.replays:
            return next(self.replays[-1])
        event = self.live()
        if self.recording:
            for events in self.recording:
                events.append(event)
        return event

    def node(self, event: Any, path: Path, depth: int) -> Any:
        replaying = bool(self.replays)
        if not replaying:
            self.events += 1
        self.built += 1
        self.aliased += replaying
        kind = type(event)
        if (
            self.events > self.max_events
            or self.built > self.max_built
            or self.aliased > self.max_aliased
            or depth > self.max_depth
        ):
            raise _Unusual
        if kind is yaml.AliasEvent:
            return self.alias(event, path, depth)
        if event.tag is not None:
            raise _Unusual
        if event.anchor is not None and not replaying:
            return self.anchored(event, path, depth)
        return self.value(event, path, depth)

    def value(self, event: Any, path: Path, depth: int) -> Any:
        """The value of a node whose start ``event`` is counted and checked."""
        kind = type(event)
        self.positions.setdefault(path, _position(event))
        if kind is yaml.ScalarEvent:
            return self.scalar(event, path)
        if kind is yaml.SequenceStartEvent:
            items: list[Any] = []
            while type(item := self.get()) is not yaml.SequenceEndEvent:
                items.append(self.node(item, (*path, len(items)), depth + 1))
            return items
        if kind is not yaml.MappingStartEvent:
            raise _Unusual
        out: dict[str, Any] = {}
        while type(key := self.get()) is not yaml.MappingEndEvent:
            self.events += not self.replays
            if (
                type(key) is not yaml.ScalarEvent
                or key.anchor is not None
                or key.tag is not None
                or self.events > self.max_events
                or (key.implicit[0] and self.resolve(_SCALAR, key.value, key.implicit) != _STR_TAG)
                or key.value in out
            ):
                raise _Unusual
            self.positions[(*path, key.value)] = _position(key)
            out[key.value] = self.node(self.get(), (*path, key.value), depth + 1)
        return out

    def anchored(self, event: Any, path: Path, depth: int) -> Any:
        """A node with an anchor, read from the document while its events are kept."""
        if event.anchor in self.anchors:  # the composer refuses a second anchor of a name
            raise _Unusual
        self.anchors[event.anchor] = None
        events = [event]
        self.recording.append(events)
        try:
            value = self.value(event, path, depth)
        finally:
            self.recording.pop()
        self.anchors[event.anchor] = events
        return value

    def alias(self, event: Any, path: Path, depth: int) -> Any:
        """An alias: its anchor's node built again from the kept events."""
        events = self.anchors.get(event.anchor)
        if events is None:  # undefined, or inside its own anchor: the general path says so
            raise _Unusual
        self.replays.append(iter(events))
        try:
            self.built -= 1  # the alias itself is not a value; its anchor's first node is
            return self.node(next(self.replays[-1]), path, depth)
        finally:
            self.replays.pop()

    def scalar(self, event: Any, path: Path) -> Any:
        if not event.implicit[0]:  # quoted or block text: a string (no path resolvers, above)
            return event.value
        tag = self.resolve(_SCALAR, event.value, event.implicit)
        if tag == _STR_TAG:
            return event.value
        if tag not in _CONSTRUCTORS:
            raise _Unusual  # the general path words the refusal
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self.scalars._scalar(node, path)


def _position(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _build(node: yaml.Node | None, source: str | None) -> tuple[Any, dict[Path, tuple[int, int]]]:
    if node is None:
        return None, {}
    builder = Builder(source)
    return builder.build(node, (), 0), builder.positions
