"""Rule kinds and their registry.

A rule kind is a name, a JSON Schema for its parameters, the subject types it can judge, and a
``compile`` function. ``compile`` runs once per requirement when a pack is compiled; it validates
and pre-computes everything it can (periods parsed, documents looked up) and returns a *check*:
a plain function ``check(subject, ctx) -> Outcome`` that the evaluator calls per subject.

Registries are immutable values. :func:`default_registry` holds the built-in kinds; third parties
add kinds with :meth:`RuleKindRegistry.with_kinds` or through the ``safeguard_std.rule_kinds``
entry point (:func:`registry_with_entry_points`).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from importlib.metadata import EntryPoint, EntryPoints, entry_points
from typing import TYPE_CHECKING, Any

import attrs

from safeguard_std.domain.calendar import Period, add_period
from safeguard_std.domain.context import EvaluationContext
from safeguard_std.domain.findings import Outcome, Status
from safeguard_std.domain.pack import DocumentAliases, Requirement, SubjectType
from safeguard_std.exceptions import InvalidPeriod, RuleError

if TYPE_CHECKING:  # imported when parameters must be validated: importing it costs 30 ms
    import jsonschema

__all__ = [
    "Check",
    "RuleKind",
    "RuleKindRegistry",
    "RuleSpec",
    "outcome",
    "period_param",
    "rule_kind",
]

Check = Callable[[Any, EvaluationContext], Outcome]


@attrs.frozen(kw_only=True)
class RuleSpec:
    """What a rule kind's ``compile`` receives: resolved parameters and the requirement."""

    params: Mapping[str, Any]
    requirement: Requirement
    documents: Mapping[str, DocumentAliases] = attrs.field(factory=dict)


CompileFn = Callable[[RuleSpec], Check]


@attrs.frozen(kw_only=True)
class RuleKind:
    """A registered rule kind."""

    name: str
    description: str
    subjects: frozenset[SubjectType]
    parameters: Mapping[str, Any] = attrs.field(eq=False)
    compile: CompileFn = attrs.field(eq=False, repr=False)
    attestation: bool = False
    #: Judges what must be done before a person starts (pre-employment checks): people whose
    #: engagement starts after ``as_of`` are judged by it too, and their findings say so.
    before_start: bool = False
    _validator: Any = attrs.field(default=None, init=False, eq=False, repr=False)
    _schema_checked: bool = attrs.field(default=False, init=False, eq=False, repr=False)
    _param_results: dict[Any, list[tuple[tuple[str | int, ...], str]]] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )
    # The SHA-256 state after ``[SCHEMA,`` for proofs (False: the schema is not JSON data).
    _proof_prefix: Any = attrs.field(default=None, init=False, eq=False, repr=False)

    @property
    def validator(self) -> jsonschema.protocols.Validator:
        """A validator for this kind's parameter schema, made (and the schema itself checked)
        the first time a pack uses the kind rather than when the library is imported: checking
        a schema against the JSON Schema meta-schema costs about a millisecond."""
        if self._validator is None:
            import jsonschema

            try:
                if not self._schema_checked:
                    jsonschema.Draft202012Validator.check_schema(self.parameters)
            except jsonschema.SchemaError as exc:
                raise RuleError(
                    f"rule kind {self.name!r} has an invalid parameter schema: {exc.message}"
                ) from None
            object.__setattr__(self, "_validator", jsonschema.Draft202012Validator(self.parameters))
        validator: jsonschema.protocols.Validator = self._validator
        return validator

    def _schema_known_good(self) -> RuleKind:
        """Mark the parameter schema as already checked (the built-in kinds: the test suite
        checks theirs, so a process need not check them again)."""
        object.__setattr__(self, "_schema_checked", True)
        return self

    def proven_valid(self, params: Mapping[str, Any]) -> bool:
        """Whether ``params`` is a parameter set of the bundled packs that the test suite
        validated in full against this kind's schema as it is now (``proven_params.json``):
        validating it again could only give the same answer."""
        prefix = self._proof_prefix
        if prefix is None:  # the schema's text is hashed once, not once per parameter set
            schema = _canonical(self.parameters)
            prefix = False if schema is None else hashlib.sha256(f"[{schema},".encode(_UTF8, _SP))
            object.__setattr__(self, "_proof_prefix", prefix)
        return prefix is not False and _proven_by(prefix, params)

    def validate_params(self, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        """Problems with ``params`` against this kind's schema, as ``(path, message)``.

        Results are remembered by value (a layered pack repeats its base's rules, and listing
        the bundled packs validated 333 parameter sets, 180 of them different): keyed by each
        value's type as well, as JSON tells ``true`` from ``1`` where Python does not. The
        parameter sets of the bundled packs, validated in full by the test suite against the
        same schemas, are known valid (``proven_params.json``) and not validated again.
        """
        if self.proven_valid(params):
            return []
        key = _frozen(params)
        if key is not None:
            hit = self._param_results.get(key)
            if hit is not None:
                return list(hit)
        errors = sorted(self.validator.iter_errors(params), key=lambda e: list(map(str, e.path)))
        problems = [(tuple(e.path), e.message) for e in errors]
        if key is not None:
            if len(self._param_results) >= _PARAM_MEMORY:
                self._param_results.clear()
            self._param_results[key] = problems
        return list(problems)


_PARAM_MEMORY = 1024

#: Parameter sets of the bundled packs' rules (with their kind's schema) that the test suite
#: validated in full: written by ``docs/_scripts/prove_bundled_packs.py``.
PROVEN_PARAMS = "proven_params.json"


def _text_keys(data: Any) -> bool:
    """Whether every mapping in ``data`` has only text keys (``json.dumps`` would quietly turn
    ``1`` into ``"1"``, which a schema does not)."""
    stack = [data]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind in _LEAVES:  # most nodes: decided without the slower abstract-class check
            continue
        if kind is dict or (kind is not list and kind is not tuple and isinstance(node, Mapping)):
            if any(type(k) is not str for k in node):
                return False
            stack.extend(node.values())
        elif kind is list or kind is tuple or isinstance(node, (list, tuple)):
            stack.extend(node)
    return True


_UTF8, _SP = "utf-8", "surrogatepass"

#: Types that are neither mappings nor lists (a subclass of one takes the general path).
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _canonical(data: Any) -> str | None:
    """``data`` as canonical JSON text, or ``None`` when it is not plain JSON data."""
    if not _text_keys(data):
        return None
    try:
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None


def json_digest(data: Any) -> str | None:
    """The SHA-256 of ``data`` as canonical JSON (sorted keys, no spaces), or ``None`` when it
    is not plain JSON data (keys that are not text, values JSON has no form for). Canonical JSON
    tells apart what a JSON Schema does (``true`` and ``1``, ``1`` and ``1.0``)."""
    text = _canonical(data)
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@cache
def _proven_params() -> frozenset[str]:
    try:
        text = resources.files(__package__).joinpath(PROVEN_PARAMS).read_text(encoding="utf-8")
        digests = json.loads(text)
    except (OSError, ValueError):  # pragma: no cover - a broken installation: validate all
        return frozenset()
    return frozenset(digests) if isinstance(digests, list) else frozenset()


def _proven(schema: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
    proven = _proven_params()
    return bool(proven) and json_digest([schema, params]) in proven


def _proven_by(prefix: Any, params: Mapping[str, Any]) -> bool:
    """:func:`_proven` for a kind whose schema is already hashed: ``prefix`` is the SHA-256
    state after ``[SCHEMA,`` (canonical JSON of a list is its items' texts joined by commas),
    so only the parameters are written and hashed."""
    proven = _proven_params()
    if not proven:
        return False
    text = _canonical(params)
    if text is None:
        return False
    digest = prefix.copy()
    digest.update(f"{text}]".encode(_UTF8, _SP))
    return digest.hexdigest() in proven


_SCALARS = (str, int, bool, type(None))


def _frozen(value: Any) -> Any:
    """A hashable key for a JSON-like value that tells apart what JSON does (``True``, ``1``,
    ``1.0``; a list and a string); ``None`` for anything else (not remembered)."""
    kind = type(value)
    if kind is float:  # by its text: -0.0 equals 0.0, but a message shows which it was
        return (kind, repr(value))
    if kind in _SCALARS:
        return (kind, value)
    if isinstance(value, Mapping):
        items = []
        for k, v in value.items():
            frozen = _frozen(v)
            if frozen is None or type(k) is not str:
                return None
            items.append((k, frozen))
        return ("{", tuple(items))  # in order: a message may list keys as they came
    if kind is list or kind is tuple:
        parts = tuple(_frozen(v) for v in value)
        return None if None in parts else (kind, parts)
    return None


def rule_kind(
    name: str,
    *,
    subjects: Iterable[SubjectType],
    parameters: Mapping[str, Any],
    attestation: bool = False,
    before_start: bool = False,
) -> Callable[[CompileFn], RuleKind]:
    """Declare a rule kind from its compile function; the docstring becomes its description.

    The parameter schema is closed (``additionalProperties: false``) unless it says otherwise,
    so a misspelt parameter is a pack error. The schema is checked when a pack first uses the
    kind (:attr:`RuleKind.validator`); an invalid one is a :class:`RuleError` then.
    """
    schema = {"type": "object", "additionalProperties": False, **parameters}

    def wrap(fn: CompileFn) -> RuleKind:
        return RuleKind(
            name=name,
            description=" ".join((fn.__doc__ or "").split()),
            subjects=frozenset(subjects),
            parameters=schema,
            compile=fn,
            attestation=attestation,
            before_start=before_start,
        )

    return wrap


@attrs.frozen
class RuleKindRegistry:
    """An immutable mapping of kind names to rule kinds.

    ``notices`` are one line each about installed kinds that were not taken (an entry point that
    does not load, a name two distributions use, a built-in name an untrusted distribution
    uses); :meth:`why_missing` gives the line for a name a pack asks for but the registry lacks.
    """

    _kinds: Mapping[str, RuleKind] = attrs.field(factory=dict, alias="kinds")
    _withheld: Mapping[str, str] = attrs.field(factory=dict, alias="withheld")
    notices: tuple[str, ...] = ()

    def with_kinds(self, *kinds: RuleKind) -> RuleKindRegistry:
        """A new registry with ``kinds`` added; a name already taken is a ``RuleError``."""
        merged = dict(self._kinds)
        for kind in kinds:
            if kind.name in merged and merged[kind.name] is not kind:
                raise RuleError(f"rule kind {kind.name!r} is already registered")
            merged[kind.name] = kind
        return attrs.evolve(self, kinds=dict(sorted(merged.items())))

    def why_missing(self, name: str) -> str | None:
        """Why an installed rule kind called ``name`` was not taken, if one was offered."""
        return None if name in self._kinds else self._withheld.get(name)

    def __getitem__(self, name: str) -> RuleKind:
        return self._kinds[name]

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[RuleKind]:
        return iter(self._kinds.values())

    def __len__(self) -> int:
        return len(self._kinds)

    @property
    def names(self) -> tuple[str, ...]:
        """Registered names, sorted."""
        return tuple(sorted(self._kinds))


# Within one_entry_point_scan: every entry point of the installed distributions, once read.
_SCAN: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "safeguard_std_entry_point_scan", default=None
)


@contextlib.contextmanager
def one_entry_point_scan() -> Iterator[None]:
    """Within the block, the installed distributions are read once for every entry point group
    asked for: building a catalog asks for rule kinds and for packs, and each reading of every
    distribution's entry points costs a few milliseconds of a command's start."""
    if _SCAN.get() is not None:  # an enclosing block already shares its reading
        yield
        return
    token = _SCAN.set({})
    try:
        yield
    finally:
        _SCAN.reset(token)


def installed_entry_points(group: str) -> EntryPoints:
    """``importlib.metadata.entry_points(group=group)``, from the one reading of the enclosing
    :func:`one_entry_point_scan` if there is one (the same entry points, in the same order)."""
    shared = _SCAN.get()
    if shared is None:
        return entry_points(group=group)
    if "all" not in shared:
        shared["all"] = entry_points()
    found: EntryPoints = shared["all"].select(group=group)
    return found


def distribution_of(ep: EntryPoint) -> tuple[str, str]:
    """The name of the distribution that installed ``ep`` and the label that names it with its
    version (``council-rules 1.2``)."""
    dist = ep.dist
    if dist is None:
        return "", f"(unknown, entry point {ep.value})"
    name = str(dist.metadata["Name"] or dist.name)
    return name, f"{name} {dist.version}"


def trusted(name: str, trust: Iterable[str]) -> bool:
    """Whether the distribution ``name`` is among ``trust`` (names compared as pip does)."""

    def norm(text: str) -> str:
        return re.sub(r"[-_.]+", "-", text).lower()

    return norm(name) in {norm(t) for t in trust}


def _loaded_kinds(ep: EntryPoint) -> list[RuleKind]:
    obj = ep.load()
    items = [obj] if isinstance(obj, RuleKind) else list(obj)
    for item in items:
        if not isinstance(item, RuleKind):
            raise TypeError(f"{type(item).__name__} is not a RuleKind")
    return items


def registry_with_entry_points(
    base: RuleKindRegistry, group: str = "safeguard_std.rule_kinds", *, trust: Iterable[str] = ()
) -> RuleKindRegistry:
    """``base`` plus every :class:`RuleKind` (or iterable of them) advertised in ``group``.

    An installed kind never changes results silently: one with the name of a kind in ``base``
    is not taken unless its distribution is named in ``trust``; a name two distributions offer
    is taken from neither; an entry point that fails to load is skipped. Each case is one line
    in the registry's ``notices`` naming the distribution, and a pack that uses such a name is
    told why it is missing; everything else goes on working."""
    kinds = dict(base._kinds)
    withheld = dict(base._withheld)
    notices = list(base.notices)
    offered: dict[str, str] = {}  # name -> the distribution whose kind was taken
    trust = tuple(trust)

    def refuse(name: str, message: str) -> None:
        notices.append(message)
        withheld.setdefault(name, message)

    for ep in sorted(installed_entry_points(group), key=lambda e: (e.name, distribution_of(e)[1])):
        dist, label = distribution_of(ep)
        try:
            items = _loaded_kinds(ep)
        except Exception as exc:  # a broken plugin must not stop every command
            refuse(
                ep.name,
                f"installed rule kind {ep.name!r} from distribution {label} cannot be loaded: "
                f"{type(exc).__name__}: {exc}",
            )
            continue
        for kind in items:
            head = f"installed rule kind {kind.name!r} from distribution {label} not used"
            if kind.name in offered or kind.name in withheld:
                first = offered.pop(kind.name, None)
                if first is not None:  # neither is taken; a built-in one of the name stays
                    kinds.pop(kind.name, None)
                    if kind.name in base:
                        kinds[kind.name] = base[kind.name]
                why = f"distribution {first} defines it too" if first else "offered twice"
                refuse(kind.name, f"{head}: {why}")
            elif kind.name in base and not trusted(dist, trust):
                refuse(
                    kind.name,
                    f"{head}: the library has a rule kind of that name (trust the distribution "
                    f"by name to use it: --trust-pack-source {dist})",
                )
            else:
                kinds[kind.name] = kind
                offered[kind.name] = label
    return RuleKindRegistry(dict(sorted(kinds.items())), withheld, tuple(notices))


# -- helpers shared by the built-in kinds ---------------------------------------------------------


# Outcomes that are a status and a message only, shared (see outcome). Bounded: a kind whose
# messages vary per subject fills it and then simply builds its outcomes.
_PLAIN_OUTCOMES: dict[tuple[Status, str], Outcome] = {}
_PLAIN_OUTCOMES_KEPT = 4096


def outcome(
    status: Status,
    message: str,
    *,
    evidence: Iterable[str] = (),
    due_on: dt.date | None = None,
    facts: Mapping[str, Any] | None = None,
    **more_facts: Any,
) -> Outcome:
    """An outcome with its evidence ids sorted and de-duplicated (order never leaks).

    An outcome that is only a status and a message (no facts, evidence or due date) is one
    shared object for every subject that gets it: outcomes are immutable, and many subjects get
    the same one (nothing disclosed, nothing required)."""
    if not more_facts and not facts and not evidence and due_on is None:
        shared = _PLAIN_OUTCOMES.get((status, message))
        if shared is None:
            shared = Outcome(status, message, {}, (), None)
            if len(_PLAIN_OUTCOMES) < _PLAIN_OUTCOMES_KEPT:
                _PLAIN_OUTCOMES[status, message] = shared
        return shared
    # more_facts is a new dict, made for this call: it can be the outcome's own.
    merged = {**facts, **more_facts} if facts else more_facts
    if isinstance(evidence, (list, tuple)) and len(evidence) < 2:
        ids = tuple(evidence)  # nothing to sort: the common case, kept cheap
    else:
        ids = tuple(sorted(set(evidence)))
    return Outcome(status, message, merged, ids, due_on)


def period_param(spec: RuleSpec, name: str) -> Period:
    """Parse the period parameter ``name``; a bad value is a :class:`RuleError` naming it."""
    try:
        return Period.parse(spec.params[name])
    except InvalidPeriod as exc:
        raise RuleError(f"parameter {name!r}: {exc}") from None


def latest(items: Iterable[Any], key: Callable[[Any], dt.date | None]) -> Any | None:
    """The item with the latest date (ties broken by the greatest id); undated items last."""
    if isinstance(items, (list, tuple)) and len(items) == 1:  # the usual record: one check
        only = items[0]
        return only if key(only) is not None else None
    best, best_key = None, None
    for item in items:
        when = key(item)
        if when is not None and (best_key is None or (when, item.id) > best_key):
            best, best_key = item, (when, item.id)
    return best


def due_after(period: Period) -> Callable[[dt.date], dt.date]:
    """``add_period(start, period)`` for one rule's period, remembered per start date (a
    staff record repeats its dates; calendar arithmetic is the slow part of a date rule)."""
    memo: dict[dt.date, dt.date] = {}

    def due(start: dt.date) -> dt.date:
        found = memo.get(start)
        if found is None:
            if len(memo) >= 65_536:
                memo.clear()
            found = memo[start] = add_period(start, period)
        return found

    return due


def due_parts(
    period: Period, fact: str, current: str, lapsed: str
) -> Callable[[dt.date], tuple[dt.date, Mapping[str, Any], str, str]]:
    """For a rule whose outcome turns on ``start + period``: a function of ``start`` giving the
    due date, the facts (``{fact: start, "period": period}``) and the two messages (``current``
    or ``lapsed`` followed by the due date), remembered per start date. A staff record repeats
    its dates, so most people's outcomes share these parts; the facts mapping is shared too
    (findings' facts are read, never changed)."""
    memo: dict[dt.date, tuple[dt.date, Mapping[str, Any], str, str]] = {}
    period_text = str(period)

    def parts(start: dt.date) -> tuple[dt.date, Mapping[str, Any], str, str]:
        found = memo.get(start)
        if found is None:
            if len(memo) >= 65_536:
                memo.clear()
            due = add_period(start, period)
            text = due.isoformat()
            facts = {fact: start.isoformat(), "period": period_text}
            found = memo[start] = (due, facts, current + text, lapsed + text)
        return found

    return parts


PERIOD_SCHEMA: Mapping[str, Any] = {
    "type": "string",
    "pattern": r"^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$",
    "description": "An ISO 8601 calendar duration, e.g. P3Y, P12M, P90D.",
}
