"""Validate every bundled pack file in full against the shipped pack schema, and every rule's
parameters (as the bundled editions resolve them) against its kind's schema, and record their
digests in ``src/safeguard_std/io/proven_valid.json`` and
``src/safeguard_std/rules/proven_params.json``, so that loading the bundled packs need not
validate them again (:func:`safeguard_std.io.schemas.proven_valid`,
:meth:`safeguard_std.rules.RuleKind.validate_params`).

    python docs/_scripts/prove_bundled_packs.py          # rewrite the file
    python docs/_scripts/prove_bundled_packs.py --check  # exit 1 if it is out of date

``tests/test_proven_valid.py`` fails when the file is out of date (a bundled pack or the schema
changed): the packs still load correctly then, only more slowly.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from safeguard_std.io.documents import load_document
from safeguard_std.io.schemas import PROVEN_VALID, digest_of, schema, schema_errors
from safeguard_std.packs import bundled_catalog

_kind = importlib.import_module("safeguard_std.rules._kind")

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "src" / "safeguard_std" / "io" / PROVEN_VALID
PARAMS_TARGET = ROOT / "src" / "safeguard_std" / "rules" / _kind.PROVEN_PARAMS


def _parameter_sets() -> str:
    """Every (kind schema, parameters) the bundled editions validate as they resolve: on each
    edition's first day, as the packs listing does, and on every day an edition of any bundled
    pack comes into force; each validated in full here."""
    seen: dict[str, tuple[Mapping[str, Any], Mapping[str, Any]]] = {}
    original = _kind.RuleKind.validate_params

    def record(kind: _kind.RuleKind, params: Mapping[str, Any]) -> Any:
        digest = _kind.json_digest([kind.parameters, params])
        if digest is not None:
            seen[digest] = (kind.parameters, params)
        return original(kind, params)

    _kind.RuleKind.validate_params = record  # type: ignore[method-assign]
    try:
        catalog = bundled_catalog()
        days = sorted(
            {
                dt.date.fromisoformat(str(catalog.layer(r).data["effective_from"]))
                for r in catalog.refs
            }
        )
        for ref in catalog.refs:
            for day in days:
                try:
                    catalog.resolve(ref, as_of=day)
                except Exception:  # not in force that day, or its includes are not
                    continue
    finally:
        _kind.RuleKind.validate_params = original  # type: ignore[method-assign]
    import jsonschema

    for parameters, params in seen.values():
        errors = list(jsonschema.Draft202012Validator(parameters).iter_errors(params))
        if errors:
            raise SystemExit(f"bundled rule parameters {params} not valid: {errors[0].message}")
    return json.dumps(sorted(seen), indent=0) + "\n"


def proofs() -> str:
    """The file's text for the packs and schema in this checkout; raises if a pack is invalid."""
    documents: dict[str, str] = {}
    for path in sorted((ROOT / "standards").glob("*/*/pack.yaml")):
        data = load_document(path, what="pack file").data
        errors = list(schema_errors("standard-pack", data))
        if errors:
            raise SystemExit(f"{path}: not valid against the pack schema: {errors[0].message}")
        digest = digest_of(data)
        if digest is None:
            raise SystemExit(f"{path}: not plain JSON data")
        documents[digest] = path.relative_to(ROOT).as_posix()
    entry = {"schema": digest_of(schema("standard-pack")), "documents": documents}
    return json.dumps({"standard-pack": entry}, indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    files = {TARGET: proofs(), PARAMS_TARGET: _parameter_sets()}
    if "--check" in argv:
        stale = [p for p, text in files.items() if not p.exists() or p.read_text("utf-8") != text]
        for path in stale:
            sys.stderr.write(
                f"{path} is out of date: run python {Path(__file__).relative_to(ROOT)}\n"
            )
        return 1 if stale else 0
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
