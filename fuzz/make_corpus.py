"""Write a seed corpus for the fuzzers: the fixtures, and bundles and packs drawn from
``safeguard_std.strategies`` (``python fuzz/make_corpus.py``; deterministic for a given
hypothesis version, because the examples come from a seeded run)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from safeguard_std.serialization import bundle_to_data
from safeguard_std.strategies import evidence_bundles, pack_documents

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "fixtures"


def write(folder: Path, name: str, fmt: str, data: object) -> None:
    """A seed: one format byte (even JSON, odd YAML), then the document."""
    folder.mkdir(parents=True, exist_ok=True)
    body = json.dumps(data) if fmt == "json" else yaml.safe_dump(data, sort_keys=False)
    prefix = b"\x00" if fmt == "json" else b"\x01"
    (folder / name).write_bytes(prefix + body.encode("utf-8"))


def main() -> None:
    evidence, packs = HERE / "corpus" / "evidence", HERE / "corpus" / "pack"
    write(
        evidence, "fixture.json", "json", json.loads((FIXTURES / "bundle-small.json").read_text())
    )
    demo = yaml.safe_load((FIXTURES / "packs" / "demo" / "1" / "pack.yaml").read_text())
    demo["effective_from"] = str(demo["effective_from"])
    write(packs, "demo.yaml", "yaml", demo)
    drawn: list[tuple[object, object]] = []

    @seed(20261123)
    @settings(max_examples=40, database=None, suppress_health_check=list(HealthCheck))
    @given(evidence_bundles(max_people=3), pack_documents(max_requirements=6), st.booleans())
    def collect(bundle: object, pack: object, _flip: bool) -> None:
        drawn.append((bundle_to_data(bundle), pack))  # type: ignore[arg-type]

    collect()
    for i, (bundle, pack) in enumerate(drawn):
        fmt = "yaml" if i % 2 else "json"
        write(evidence, f"drawn-{i:02d}.{fmt}", fmt, bundle)
        write(packs, f"drawn-{i:02d}.{fmt}", fmt, pack)
    # Portfolios: drawn bundles a line each, with a blank and a broken line among them.
    streams = HERE / "corpus" / "ndjson"
    streams.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(bundle).encode() for bundle, _ in drawn[:6]]
    (streams / "drawn.ndjson").write_bytes(b"\n".join([*lines[:3], b"", b'{"id": ', *lines[3:]]))
    # Records: the fixtures, the format byte first (odd: .xlsx, even: CSV).
    records = HERE / "corpus" / "scr"
    records.mkdir(parents=True, exist_ok=True)
    for name in ("scr.csv", "scr-windows-1252.csv", "scr.xlsx", "scr-1904.xlsx"):
        prefix = b"\x01" if name.endswith(".xlsx") else b"\x00"
        (records / name).write_bytes(prefix + (FIXTURES / "scr" / name).read_bytes())


if __name__ == "__main__":
    main()
