"""Packs installed through the ``safeguard_std.packs`` entry point, taken only where they change
nothing silently (trust by distribution name)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from safeguard_std.exceptions import PackError
from safeguard_std.packs._read import PackOrigin, _folder_files, read_layer
from safeguard_std.rules._kind import distribution_of, installed_entry_points, trusted

if TYPE_CHECKING:
    from safeguard_std.packs._catalog import PackCatalog


class _Installer:
    """Adds the installed packs to a catalog, taking only what changes nothing silently."""

    def __init__(self, base: PackCatalog, trust: tuple[str, ...]) -> None:
        self.base, self.trust = base, trust
        self.shipped = {r.id for r in base.refs}
        self.layers = {r: base.layer(r) for r in base.refs}
        self.notes: list[tuple[str | None, str]] = list(base._notes)
        self.conflicts = dict(base._conflicts)

    def run(self) -> PackCatalog:
        eps = installed_entry_points(_GROUP)
        for ep in sorted(eps, key=lambda e: (e.name, distribution_of(e))):
            dist, label = distribution_of(ep)
            try:
                obj = ep.load()
                files = _folder_files(Path(str(obj() if callable(obj) else obj)))
            except Exception as exc:  # a broken plugin must not stop every command
                self.note(
                    None,
                    f"installed pack source {ep.name!r} from distribution {label} cannot be "
                    f"loaded: {type(exc).__name__}: {exc}",
                )
                continue
            origin = PackOrigin("distribution", dist, label.rsplit(" ", 1)[-1])
            for path in files:
                self.take(path, origin, dist, label)
        return attrs.evolve(
            self.base, layers=self.layers, notes=tuple(self.notes), conflicts=self.conflicts
        )

    def note(self, about: str | None, text: str) -> None:
        self.notes.append((about, text))

    def take(self, path: Path, origin: PackOrigin, dist: str, label: str) -> None:
        try:
            layer = attrs.evolve(read_layer(path), origin=origin)
        except PackError as exc:
            self.note(None, f"installed pack file from distribution {label} does not load: {exc}")
            return
        ref, head = layer.ref, f"installed pack {layer.ref} from distribution {label} not used"
        if ref.id in self.shipped and not trusted(dist, self.trust):
            self.note(
                ref.id,
                f"{head}: the library ships a pack with the id {ref.id!r} (trust the "
                f"distribution by name to use it: --trust-pack-source {dist})",
            )
        elif ref in self.conflicts or ref in self.layers:
            known = self.layers.pop(ref, None)
            other = "another source" if known is None else str(known.origin)
            other = "the library" if other == "bundled" else other
            self.conflicts[ref] = f"{head}: {other} defines it too"
            self.note(ref.id, self.conflicts[ref])
        else:
            self.layers[ref] = layer


_GROUP = "safeguard_std.packs"
