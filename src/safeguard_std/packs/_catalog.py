"""The catalog of known pack layers: editions, the edition in force on a date, resolution and
its cache, and where each layer came from."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from safeguard_std.domain.pack import Pack, PackRef
from safeguard_std.exceptions import (
    AsOfRequired,
    InvalidArgument,
    InvalidPackRef,
    PackError,
    PackNotFound,
    Problem,
    expect_date,
)
from safeguard_std.io._problems import did_you_mean
from safeguard_std.packs._installed import _Installer
from safeguard_std.packs._layering import Choice, _Resolver
from safeguard_std.packs._read import FOLDER, PackLayer, PackOrigin, _folder_files, read_layer
from safeguard_std.rules import RuleKindRegistry, default_registry

#: What resolves a pack defined twice (a folder pack and an installed one with the same
#: id@edition): the command-line option, and the Python equivalent.
TWICE_HINT = (
    "choose the one to use with --trust-pack-source NAME, or leave installed packs out with "
    "--no-entry-points; in Python, build the catalog without the other "
    "(bundled_catalog(entry_points_too=False))"
)


def _own_copy(layers: Mapping[PackRef, PackLayer]) -> dict[PackRef, PackLayer]:
    return dict(layers)  # a catalog never shares its table with the caller's dictionary


@attrs.frozen
class PackCatalog:
    """Known pack layers by id and edition, resolved on demand and cached.

    Build one with :func:`bundled_catalog` (the packs shipped with the library and those installed
    through the ``safeguard_std.packs`` entry point). A catalog is a value: :meth:`with_folder`
    and :meth:`with_layer` return a new catalog with more packs and leave this one as it is, so
    a catalog shared between callers (or threads) never changes under them.
    """

    kinds: RuleKindRegistry = attrs.field(factory=default_registry)
    _layers: dict[PackRef, PackLayer] = attrs.field(
        factory=dict, alias="layers", converter=_own_copy
    )
    # Keyed by the edition and, for packs with undated includes, the editions those resolved to
    # on the date asked: every date in one KCSIE edition's term shares one resolved pack.
    _resolved: dict[tuple[PackRef, Choice], Pack] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )
    # Installed packs not taken, one line each, by the pack id they concern (None: unknown).
    _notes: tuple[tuple[str | None, str], ...] = attrs.field(default=(), alias="notes")
    # Editions two sources define: neither is used, and asking for one says why.
    _conflicts: Mapping[PackRef, str] = attrs.field(factory=dict, alias="conflicts")

    @property
    def notices(self) -> tuple[str, ...]:
        """One line for each installed pack or pack source not taken, naming its distribution:
        one that does not load, an edition two sources define, or an id the library ships
        offered by a distribution not trusted by name."""
        return tuple(text for _id, text in self._notes)

    def notices_for(self, pack_id: str) -> tuple[str, ...]:
        """The :attr:`notices` about packs with the id ``pack_id``."""
        return tuple(text for about, text in self._notes if about == pack_id)

    def with_layer(self, layer: PackLayer) -> PackCatalog:
        """A new catalog with ``layer`` added; a second layer with the same id@edition from
        another file is a :class:`PackError`."""
        self._check_new(layer)
        return attrs.evolve(self, layers={**self._layers, layer.ref: layer})

    def with_folder(self, root: Path | str, *, origin: PackOrigin = FOLDER) -> PackCatalog:
        """A new catalog with every pack under ``root`` added (``<id>/<edition>/pack.yaml``),
        or the single pack in ``root`` itself when it holds a ``pack.yaml``; ``origin`` is what
        assessments record as where they came from."""
        layers = dict(self._layers)
        for path in _folder_files(root):
            layer = attrs.evolve(read_layer(path), origin=origin)
            self._check_new(layer, layers)
            layers[layer.ref] = layer
        return attrs.evolve(self, layers=layers)

    def with_installed(self, *, trust: Iterable[str] = ()) -> PackCatalog:
        """A new catalog with the packs installed through the ``safeguard_std.packs`` entry
        point, none of which may change what this catalog already gives silently.

        An installed pack whose id this catalog already has (the library's own ``dorset``, say)
        is not taken unless its distribution is named in ``trust``; an edition two sources
        define is taken from neither, and resolving it says so; an entry point or pack file that
        does not load is skipped. Each is one line in :attr:`notices` naming the distribution;
        every other pack works as before."""
        return _Installer(self, tuple(trust)).run()

    def add_layer(self, layer: PackLayer) -> None:
        """Deprecated (changes this catalog in place): ``catalog = catalog.with_layer(layer)``."""
        _deprecated("add_layer", "catalog = catalog.with_layer(layer)")
        self._add(layer)

    def add_folder(self, root: Path | str) -> None:
        """Deprecated (changes this catalog in place): ``catalog = catalog.with_folder(root)``."""
        _deprecated("add_folder", "catalog = catalog.with_folder(root)")
        for path in _folder_files(root):
            self._add(attrs.evolve(read_layer(path), origin=FOLDER))

    def _add(self, layer: PackLayer) -> None:
        self._check_new(layer)
        self._layers[layer.ref] = layer
        self._resolved.clear()

    def _check_new(
        self, layer: PackLayer, layers: Mapping[PackRef, PackLayer] | None = None
    ) -> None:
        known = (self._layers if layers is None else layers).get(layer.ref)
        if known is not None and known.document.source != layer.document.source:
            raise PackError(
                [
                    Problem(
                        f"pack {layer.ref} is defined twice (also in {known.document.source})",
                        layer.document.locate(()),
                        hint=TWICE_HINT,
                    )
                ],
                source=layer.document.source,
            )

    @property
    def refs(self) -> tuple[PackRef, ...]:
        """Every known id@edition, sorted by id then effective date."""
        return tuple(sorted(self._layers, key=lambda r: (r.id, self._from(r), r.edition or "")))

    def _from(self, ref: PackRef) -> str:
        return str(self._layers[ref].data["effective_from"])

    def editions(self, pack_id: str) -> tuple[PackRef, ...]:
        """The editions of one pack, oldest first."""
        return tuple(r for r in self.refs if r.id == pack_id)

    def layer(self, ref: PackRef) -> PackLayer:
        """The parsed layer for an exact id@edition."""
        found = self._layers.get(ref)
        if found is not None:
            return found
        if ref in self._conflicts:
            raise PackNotFound(str(ref), self._conflicts[ref])
        known = sorted({r.id for r in self._layers})
        if ref.id in known:
            reason = f"no edition {ref.edition!r} of {ref.id}; editions: " + ", ".join(
                str(r) for r in self.editions(ref.id)
            )
        else:
            hint = did_you_mean(ref.id, known)
            reason = (
                "no such pack or edition; known packs: "
                + ", ".join(str(r) for r in self.refs)
                + (f" ({hint})" if hint else "")
            )
        # The pack asked for may be one not taken from an installed source: say so.
        untaken = [text for about, text in self._notes if about in (None, ref.id)]
        raise PackNotFound(str(ref), "; ".join([reason, *untaken]))

    def resolve(
        self, ref: PackRef | str, *, as_of: dt.date | None = None, _chain: tuple[PackRef, ...] = ()
    ) -> Pack:
        """The resolved pack for ``ref``; without an edition, the one in force on ``as_of``
        (required then). Editions end the day before the next one starts unless they say.

        A pack that ``includes`` another without naming its edition (``- pack: kcsie``) takes
        the edition in force on ``as_of``; resolving it without ``as_of`` raises
        :class:`~safeguard_std.exceptions.AsOfRequired`, located at the include.
        """
        if as_of is not None:
            expect_date("as_of", as_of)
        if not isinstance(ref, (str, PackRef)):
            raise InvalidArgument(
                f"ref must be a pack reference ('dorset', 'dorset@2024') or a PackRef, got a "
                f"{type(ref).__name__}"
            )
        ref = PackRef.parse(ref) if isinstance(ref, str) else ref
        if ref.edition is None:
            ref = self.edition_in_force(ref.id, as_of)
        if ref in _chain:
            cycle = " -> ".join(str(r) for r in (*_chain, ref))
            raise PackNotFound(str(ref), f"circular extends: {cycle}")
        key = (ref, self._choices(ref, as_of, set()))
        if key not in self._resolved:
            pack = _Resolver(self, self.layer(ref), (*_chain, ref), as_of).resolve()
            self._resolved[key] = attrs.evolve(
                pack, effective_to=self._end_of(pack), origins=self._origins(pack.layers)
            )
        return self._resolved[key]

    def _origins(self, labels: Iterable[str]) -> dict[str, str]:
        """Where each layer (``id@edition``) of a resolved pack came from."""
        out = {}
        for label in labels:
            with contextlib.suppress(InvalidPackRef):
                layer = self._layers.get(PackRef.parse(label))
                if layer is not None:
                    out[label] = str(layer.origin)
        return dict(sorted(out.items()))

    def _choices(self, ref: PackRef, as_of: dt.date | None, seen: set[PackRef]) -> Choice:
        """The editions chosen on ``as_of`` for every undated include reachable from ``ref``
        (through extends and includes); raises AsOfRequired when one exists and as_of is None."""
        layer = self._layers.get(ref)
        if layer is None or ref in seen:
            return ()
        seen.add(ref)
        found: list[tuple[str, PackRef]] = []
        targets: list[PackRef] = []
        extends = layer.data.get("extends")
        if isinstance(extends, str):
            with contextlib.suppress(InvalidPackRef):
                target = PackRef.parse(extends)
                if target.edition is not None:
                    targets.append(target)
        for i, spec in enumerate(layer.data.get("includes", [])):
            try:
                target = PackRef.parse(spec["pack"])
                if target.edition is None:
                    if as_of is None:
                        where = layer.document.locate(("includes", i, "pack"))
                        raise AsOfRequired(str(ref), spec["pack"], where)
                    target = self.edition_in_force(target.id, as_of)
                    found.append((f"{ref}#{i}", target))
            except (InvalidPackRef, PackNotFound):
                continue  # the resolver reports it, located
            targets.append(target)
        for target in targets:
            found.extend(self._choices(target, as_of, seen))
        return tuple(found)

    def _end_of(self, pack: Pack) -> dt.date | None:
        return self._last_day(pack.id, pack.effective_from, pack.effective_to)

    def _last_day(
        self, pack_id: str, start: dt.date, explicit: str | dt.date | None
    ) -> dt.date | None:
        """The last day of the edition of ``pack_id`` that starts on ``start``: its own
        ``effective_to``, else the day before the next edition starts (None: open-ended)."""
        if explicit:
            return explicit if isinstance(explicit, dt.date) else dt.date.fromisoformat(explicit)
        later = [
            begins
            for r in self.editions(pack_id)
            if (begins := dt.date.fromisoformat(self._from(r))) > start
        ]
        return min(later) - dt.timedelta(days=1) if later else None

    def in_force(self, ref: PackRef, as_of: dt.date) -> bool:
        """Whether the edition ``ref`` is in force on ``as_of`` (implicit ends included)."""
        start = dt.date.fromisoformat(self._from(ref))
        end = self._last_day(ref.id, start, self._layers[ref].data.get("effective_to"))
        return start <= as_of and (end is None or as_of <= end)

    def optional_namespaces(self, ref: PackRef, seen: frozenset[PackRef] = frozenset()) -> set[str]:
        """Namespaces of ``optional`` includes declared by ``ref`` or a layer it extends."""
        if ref in seen or ref not in self._layers:
            return set()
        data = self._layers[ref].data
        found = {
            spec.get("namespace", PackRef.parse(spec["pack"]).id)
            for spec in data.get("includes", [])
            if spec.get("optional")
        }
        if "extends" in data:
            with contextlib.suppress(InvalidPackRef):
                found |= self.optional_namespaces(PackRef.parse(data["extends"]), seen | {ref})
        return found

    def _undated_includes(self, ref: PackRef, seen: frozenset[PackRef] = frozenset()) -> set[str]:
        """Ids of packs included without an edition by ``ref`` or any layer it extends."""
        if ref in seen or ref not in self._layers:
            return set()
        data = self._layers[ref].data
        found = {
            PackRef.parse(spec["pack"]).id
            for spec in data.get("includes", [])
            if PackRef.parse(spec["pack"]).edition is None
        }
        if "extends" in data:
            base = PackRef.parse(data["extends"])
            if base.edition is not None:
                found |= self._undated_includes(base, seen | {ref})
        return found

    def review_dates(self, ref: PackRef | str) -> tuple[dt.date, ...]:
        """The dates on which ``ref`` resolves differently: its first day, and the first day of
        every edition of a pack it includes without an edition that starts while it is in force.
        Authoring tools check a pack on each of these dates."""
        ref = PackRef.parse(ref) if isinstance(ref, str) else ref
        start = dt.date.fromisoformat(self._from(ref))
        end = self._last_day(ref.id, start, self._layers[ref].data.get("effective_to"))
        dates = {start}
        for included in self._undated_includes(ref):
            for edition in self.editions(included):
                begins = dt.date.fromisoformat(self._from(edition))
                if start < begins and (end is None or begins <= end):
                    dates.add(begins)
        return tuple(sorted(dates))

    def resolutions(self, ref: PackRef | str) -> tuple[Pack, ...]:
        """``ref`` resolved on each of its :meth:`review_dates` (one pack when it includes nothing
        by date). Raises the first resolution's error, as :meth:`resolve` would."""
        ref = PackRef.parse(ref) if isinstance(ref, str) else ref
        if not self._undated_includes(ref):
            return (self.resolve(ref),)
        return tuple(self.resolve(ref, as_of=d) for d in self.review_dates(ref))

    def edition_in_force(self, pack_id: str, as_of: dt.date | None) -> PackRef:
        """The edition of ``pack_id`` in force on ``as_of``."""
        editions = self.editions(pack_id)
        if not editions:
            self.layer(PackRef(pack_id))  # raises PackNotFound with the known packs
        if as_of is None:
            raise PackNotFound(
                pack_id,
                "an as_of date is needed to choose an edition, or name "
                "one: " + ", ".join(str(e) for e in editions),
            )
        for ref in reversed(editions):
            start = dt.date.fromisoformat(self._from(ref))
            end_raw = self._layers[ref].data.get("effective_to")
            if start <= as_of and (end_raw is None or as_of <= dt.date.fromisoformat(end_raw)):
                return ref
        raise PackNotFound(
            pack_id,
            f"no edition is in force on {as_of.isoformat()}; editions: "
            + ", ".join(f"{e} from {self._from(e)}" for e in editions),
        )

    def overlaps(self) -> list[Problem]:
        """Editions of one pack whose explicit end falls on or after the next edition's start."""
        out = []
        for pack_id in sorted({r.id for r in self._layers}):
            eds = self.editions(pack_id)
            for earlier, later in itertools.pairwise(eds):
                end = self._layers[earlier].data.get("effective_to")
                start = self._from(later)
                if start == self._from(earlier):
                    out.append(
                        Problem(
                            f"editions {earlier} and {later} both start on {start}",
                            self._layers[later].document.locate(("effective_from",)),
                            expected=f"a date after {start}",
                        )
                    )
                elif end is not None and end >= start:
                    layer = self._layers[earlier]
                    out.append(
                        Problem(
                            f"edition {earlier} ends on {end}, after {later} starts",
                            layer.document.locate(("effective_to",)),
                            expected=f"a date before {start}",
                        )
                    )
        return out


def _deprecated(name: str, instead: str) -> None:
    warnings.warn(
        f"PackCatalog.{name} changes the catalog in place and is deprecated; use {instead}",
        DeprecationWarning,
        stacklevel=3,
    )
