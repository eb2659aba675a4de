"""Loading standard packs: files, schema, semantics, layering, editions and discovery.

An adapter around the pure core. A pack folder is ``<root>/<id>/<edition>/pack.yaml`` with its
test cases in ``tests/*.yaml`` beside it. Loading goes in stages, each reporting *all* its
problems at once as one :class:`~safeguard_std.exceptions.PackError`:

1. parse (YAML with positions; duplicate keys and alias bombs refused);
2. JSON Schema (``schemas/standard-pack.schema.json``), with did-you-mean hints;
3. layering (``extends``, ``includes``, ``set_parameters``, ``exclude``, ``alter``,
   ``withdraw``): a target that does not exist, or a requirement id defined twice, is an error;
   an include without an edition takes the edition in force on ``as_of``;
4. semantics: sections, parameters, predicates on known facts with allowed values, and every
   rule compiled by its kind.

:class:`PackCatalog` finds packs (bundled, a directory, the ``safeguard_std.packs`` entry point),
picks the edition in force on a date, and caches resolved packs: a pack is parsed once per catalog.

The modules follow the stages: ``_read`` (stages 1-2 and the checks the schema cannot make, into
a :class:`PackLayer`), ``_layering`` (stage 3), ``_inclusion`` (namespacing an included pack),
``_semantic`` (stage 4), ``_catalog`` (:class:`PackCatalog`), ``_installed`` (entry-point packs
and trust), ``_load`` (:func:`bundled_catalog`, :func:`load_pack`) and ``cases`` (pack tests).
Rules are compiled by :func:`safeguard_std.rules.compile.compile_requirement`, the step the
evaluator uses too.
"""

from __future__ import annotations

from safeguard_std.packs._catalog import TWICE_HINT as TWICE_HINT
from safeguard_std.packs._catalog import PackCatalog
from safeguard_std.packs._load import bundled_catalog, load_pack
from safeguard_std.packs._read import BUNDLED as BUNDLED
from safeguard_std.packs._read import FOLDER as FOLDER
from safeguard_std.packs._read import PACK_FILE as PACK_FILE
from safeguard_std.packs._read import PackLayer, PackOrigin, read_layer
from safeguard_std.packs._semantic import _facts_for as _facts_for
from safeguard_std.packs._semantic import _one_of as _one_of

__all__ = ["PackCatalog", "PackLayer", "PackOrigin", "bundled_catalog", "load_pack", "read_layer"]
