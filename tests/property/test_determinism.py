"""Same inputs, same bytes: whatever the order of the evidence's lists, the order of keys in its
file, or the hash seed of the process that evaluates it."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.serialization import assessment_to_json, bundle_to_data
from safeguard_std.strategies import evidence_bundles, pack_documents, packs
from tests.conftest import FIXTURES, ROOT
from tests.property.support import AS_OF, PACKS, as_of_for, load_document, shuffled

REFS = sorted(PACKS)


@given(st.sampled_from(REFS), st.integers(0, 2**32), st.data())
def test_list_order_never_changes_the_assessment(ref: str, seed: int, data: st.DataObject) -> None:
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    bundle = data.draw(evidence_bundles(pack, as_of=as_of), label="bundle")
    expected = assessment_to_json(evaluate(pack, bundle, as_of=as_of))
    assert assessment_to_json(evaluate(pack, shuffled(bundle, seed), as_of=as_of)) == expected


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(packs(max_requirements=10), st.integers(0, 2**32), st.data())
def test_list_order_never_changes_the_assessment_of_any_pack(
    pack: Any, seed: int, data: st.DataObject
) -> None:
    bundle = data.draw(evidence_bundles(pack, as_of=AS_OF), label="bundle")
    expected = assessment_to_json(evaluate(pack, bundle, as_of=AS_OF))
    assert assessment_to_json(evaluate(pack, shuffled(bundle, seed), as_of=AS_OF)) == expected


def _scrambled_text(data: Any, rng: random.Random) -> Any:
    if isinstance(data, dict):
        items = list(data.items())
        rng.shuffle(items)
        return {k: _scrambled_text(v, rng) for k, v in items}
    if isinstance(data, list):
        return [_scrambled_text(v, rng) for v in data]
    return data


@given(evidence_bundles(PACKS["demo@1"], as_of=AS_OF), st.integers(0, 2**32))
def test_key_order_and_format_never_change_the_assessment(
    bundle: EvidenceBundle, seed: int
) -> None:
    pack = PACKS["demo@1"]
    data = bundle_to_data(bundle)
    scrambled = _scrambled_text(data, random.Random(seed))
    as_json = load_evidence(json.dumps(scrambled).encode(), name="b.json")
    as_yaml = load_evidence(yaml.safe_dump(scrambled, sort_keys=False).encode(), name="b.yaml")
    texts = {assessment_to_json(evaluate(pack, b, as_of=AS_OF)) for b in (bundle, as_json, as_yaml)}
    assert len(texts) == 1


# -- across processes and hash seeds ---------------------------------------------------------------

_EVALUATE_ALL = """
import hashlib, json, sys
from pathlib import Path
from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.packs import bundled_catalog
from safeguard_std.serialization import assessment_to_json
import datetime as dt

cases = json.loads(Path(sys.argv[1]).read_text())
catalog = bundled_catalog(entry_points_too=False)
for folder in cases["folders"]:
    catalog = catalog.with_folder(folder)
for case in cases["cases"]:
    as_of = dt.date.fromisoformat(case["as_of"])
    pack = catalog.resolve(case["pack"], as_of=as_of)
    bundle = load_evidence(Path(case["bundle"]))
    text = assessment_to_json(evaluate(pack, bundle, as_of=as_of))
    print(case["pack"], hashlib.sha256(text.encode()).hexdigest())
"""


def _cases(tmp_path: Path) -> dict[str, Any]:
    """Bundles for every pack and a few generated packs, written out as files."""
    collected: list[tuple[str, str, EvidenceBundle]] = []
    generated = tmp_path / "packs"

    @settings(max_examples=6, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        ref = data.draw(st.sampled_from(REFS))
        pack = PACKS[ref]
        as_of = as_of_for(pack)
        bundle = data.draw(evidence_bundles(pack, as_of=as_of))
        collected.append((ref, as_of.isoformat(), bundle))
        document = data.draw(pack_documents(max_requirements=10, pack_id=f"gen{len(collected)}"))
        folder = generated / document["id"] / "1"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pack.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
        other = data.draw(evidence_bundles(load_document(document), as_of=AS_OF))
        collected.append((f"{document['id']}@1", AS_OF.isoformat(), other))

    collect()
    cases = []
    for i, (ref, as_of, bundle) in enumerate(collected):
        path = tmp_path / f"bundle-{i}.json"
        path.write_text(json.dumps(bundle_to_data(bundle)), encoding="utf-8")
        cases.append({"pack": ref, "as_of": as_of, "bundle": str(path)})
    return {"folders": [str(FIXTURES / "packs"), str(generated)], "cases": cases}


def test_hash_seed_never_changes_the_assessment(tmp_path: Path) -> None:
    """The same bundles evaluated in fresh processes under different PYTHONHASHSEED values give
    byte-identical assessments."""
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps(_cases(tmp_path)), encoding="utf-8")
    script = tmp_path / "evaluate_all.py"
    script.write_text(_EVALUATE_ALL, encoding="utf-8")
    outputs = set()
    for seed in ("0", "1", "4242", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, str(script), str(cases)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1
    (text,) = outputs
    assert len(text.splitlines()) == len(json.loads(cases.read_text())["cases"])
