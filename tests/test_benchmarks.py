"""The benchmark's pieces are honest: the generator is deterministic and realistic, the
hand-written loop agrees with the evaluator on every status, and the fixture pack is still the
bundled Dorset pack's own nine requirements."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import attrs
import pytest
from benchmarks.baseline import RULES, evaluate_bundle
from benchmarks.generate import AS_OF, BundleGenerator, portfolio
from benchmarks.run import FIXTURE_PACK, baseline_map, person_pack, tables, targets

from safeguard_std.domain.pack import Pack
from safeguard_std.evaluate import compile_pack
from safeguard_std.evidence import bundle_from_data
from safeguard_std.packs import PackCatalog, bundled_catalog
from safeguard_std.serialization import pack_to_data


@pytest.fixture(scope="module")
def dorset() -> Pack:
    return bundled_catalog(entry_points_too=False).resolve("dorset", as_of=AS_OF)


@pytest.fixture(scope="module")
def fixture_pack() -> Pack:
    catalog = PackCatalog()
    catalog = catalog.with_folder(FIXTURE_PACK.parent)
    return catalog.resolve("dorset-person-rules@1")


def only(pack: Pack, ids: tuple[str, ...]) -> Pack:
    return attrs.evolve(pack, requirements=tuple(r for r in pack.requirements if r.id in ids))


def statuses(pack: Pack, data: dict[str, object], as_of: dt.date) -> dict[tuple[str, str], str]:
    assessment = compile_pack(pack).evaluate(bundle_from_data(data), as_of=as_of)
    return {(f.requirement_id, str(f.subject.id)): f.status.value for f in assessment.findings}


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2025, 2, 28), dt.date(2029, 3, 1)])
def test_the_hand_written_loop_agrees_with_the_evaluator(dorset: Pack, as_of: dt.date) -> None:
    seen: Counter[tuple[str, str]] = Counter()
    for bundle in portfolio(400, 25, seed=3):  # 16 providers, each with a lead and a deputy
        data = json.loads(json.dumps(bundle))  # as JSON gives it
        ours = statuses(only(dorset, RULES), data, as_of)
        theirs = evaluate_bundle(data, as_of)
        assert set(ours) == set(theirs)
        assert [k for k in ours if ours[k] != theirs[k]] == []
        seen.update((rule, status) for (rule, _person), status in theirs.items())
    if as_of == AS_OF:  # the comparison means something: each rule goes both ways
        for rule in RULES:
            assert {s for (r, s) in seen if r == rule} >= {"met", "not_met"}, rule


def test_the_generated_mix_has_gaps_of_every_kind(dorset: Pack) -> None:
    data = BundleGenerator(seed=3).bundle(400)
    found = Counter(statuses(only(dorset, RULES), data, AS_OF).values())
    assert found["met"] > found["not_met"] > found["not_applicable"] > 0
    assert found["insufficient_evidence"] > 0


def test_the_fixture_is_the_bundled_packs_own_nine_requirements(
    dorset: Pack, fixture_pack: Pack
) -> None:
    def rules(pack: Pack) -> dict[str, object]:
        data = pack_to_data(pack)
        used = {
            req["id"]: {k: v for k, v in req.items() if k not in ("origin", "provenance")}
            for req in data["requirements"]
            if req["id"] in RULES
        }
        return {"requirements": used, "parameters": data["parameters"]}

    theirs, ours = rules(dorset), rules(fixture_pack)
    assert ours["requirements"] == theirs["requirements"]
    for name, value in ours["parameters"].items():  # type: ignore[union-attr]
        assert theirs["parameters"][name]["value"] == value["value"]  # type: ignore[index]


def test_the_benchmark_selects_the_person_level_requirements_it_compares(dorset: Pack) -> None:
    persons = person_pack(dorset)
    assert {r.subject.value for r in persons.requirements} == {"person"}
    assert baseline_map(persons) == {rule: rule for rule in RULES}


def test_the_generator_is_deterministic_and_ids_are_unique() -> None:
    one = BundleGenerator(seed=9).bundle(150, index=4)
    assert one == BundleGenerator(seed=9).bundle(150, index=4)
    assert one != BundleGenerator(seed=10).bundle(150, index=4)
    bundle = bundle_from_data(one)  # valid: the loader checks ids are unique, too
    assert len(bundle.people) == 150
    assert bundle.id == "bundle-000004"


def test_a_portfolio_adds_up_to_the_people_asked_for() -> None:
    sizes = [len(b["people"]) for b in portfolio(250, 100, seed=1)]  # type: ignore[arg-type]
    assert sizes == [100, 100, 50]
    with pytest.raises(ValueError, match="per_bundle must be >= 1, got 0"):
        next(portfolio(10, 0))


def test_the_report_states_each_target_from_the_figures() -> None:
    modes = {
        mode: {
            "baseline": {"cpu_s": 1.0, "wall_s": 1.0},
            "evaluate": {"cpu_s": ratio, "wall_s": ratio},
            "evaluate_all_person_requirements": {"cpu_s": 4.0, "wall_s": 4.0},
            "ratio_cpu": ratio,
            "ratio_wall": ratio,
        }
        for mode, ratio in (("gc_untouched", 2.5), ("gc_batch", 1.8), ("gc_disabled", 1.5))
    }
    size = {
        "people": 1000,
        "requirements": 9,
        "load": {"cpu_s": 0.1},
        "load_collector_paused": {"cpu_s": 0.05},
        "first_evaluation": {"cpu_s": 2.0},
        "evidence_digest": {"cpu_s": 0.02},
        "assessment_to_json": {"cpu_s": 0.2},
        "modes": modes,
        "agreement": {"compared": 9000, "agree": 9000},
        "findings": 20_000,  # every person-level requirement: 1.8x the loop per judgement
        "person_requirements": 20,
        "loop_judgements": 9000,
    }
    stream = {
        "people": 1_000_000,
        "bundles": 10_000,
        "jobs": 2,
        "exit": 0,
        "wall_s": 100.0,
        "cpu_s": 190.0,
        "peak_rss_mb": 90.0,
        "peak_tree_rss_mb": 250.0,
        "stdout_lines": 10_000,
        "input_bytes": 1_300_000_000,
    }
    results = {
        "date": "2026-11-23",
        "command": "python benchmarks/run.py",
        "machine": {
            "cpu_model": "Test CPU",
            "nproc": 2,
            "memory_gb": 8.0,
            "python": "3.11.7",
            "platform": "Linux",
            "commit": "abc1234",
            "load_average_1min_at_start": 0.5,
        },
        "import": {
            "package_ms": 12.0,
            "import_ms": 120.0,
            "packs_ms": 90.0,
            "total_ms": 210.0,
            "total_cpu_ms": 200.0,
            "packs": ["dorset@2024"],
            "requirements": 131,
            "runs": 7,
        },
        "sizes": [size],
        "bundles": None,
        "end_to_end": [
            {
                "people": 100_000,
                "format": "ndjson-findings",
                "exit": 0,
                "wall_s": 30.0,
                "cpu_s": 16.0,
                "peak_rss_mb": 900.0,
                "peak_tree_rss_mb": 900.0,
                "stdout_lines": 0,
                "input_bytes": 135_000_000,
                "output_bytes": 210_000_000,
            }
        ],
        "packs_command": {"wall_ms": 400.0, "cpu_ms": 320.0, "runs": 7},
        "streaming": [stream, {**stream, "jobs": 1, "cpu_s": 199.0}],
    }
    results["targets"] = targets(results)
    assert results["targets"] == {
        "import and packs under 300 ms": True,
        "import safeguard_std under 150 ms": True,
        "safeguard-std packs under 300 ms CPU": False,
        "person-level evaluation within 2x of the loop (collector as in batch)": True,
        "the same with the collector untouched": False,
        "the loop agrees on every status": True,
        "every person-level requirement within 2x of the loop per judgement": True,
        "100,000-person bundle, ndjson-findings, under 1 GB": True,
        "100,000-person bundle, ndjson-findings, under 15 CPU-s": False,
        "1,000,000-person portfolio, --jobs 2, under 300 MB": True,
        "1,000,000-person portfolio, --jobs 1, under 300 MB": True,
        "1,000,000-person portfolio, at least 5,000 people per CPU-second": True,
    }
    text = tables(results)
    # Ratios first, absolute figures after.
    row = "| 1,000 | **1.80** | 2.50 | 1.50 | 2.00 | 556 | 1,000 | 1800.00 | 9,000 of 9,000 |"
    assert row in text
    assert "| 1,000 | **1.80** | 20 | 5,000 | 9,000 |" in text  # per judgement
    assert "| one bundle, ndjson-findings | 100,000 | 135 MB 1 bundle, .json | 1 | 30.0 |" in text
    assert "`safeguard-std packs` (a fresh interpreter" in text
    scaling = "| 1,000 | 50.00 | 1.00 | 1800.00 | 1.00 | 4000.00 | 1.00 | 100.00 | 20.0 | 200.0 |"
    assert scaling in text
    assert "| portfolio | 1,000,000 | 1,300 MB 10,000 bundles, .ndjson | 2 | 100.0 |" in text
    assert "**total 210 ms wall**" in text


def test_the_loop_agrees_on_records_that_cannot_be_relied_on(dorset: Pack) -> None:
    # A person recorded twice (name words in another order and case), and a DBS certificate
    # number recorded for two people: the library asks for evidence instead of passing them.
    data = json.loads(json.dumps(BundleGenerator(seed=12).bundle(60)))
    people = data["people"]
    # The same record under another id (every record in it renamed with it).
    twin = json.loads(json.dumps(people[0]).replace(str(people[0]["id"]), "p-twin"))
    twin["full_name"] = " ".join(reversed(str(people[0]["full_name"]).upper().split()))
    people.append(twin)
    numbered = [
        p for p in people[1:] if any(c.get("certificate_number") for c in p.get("dbs_checks", ()))
    ]
    first, second = numbered[0], numbered[1]
    number = next(
        c["certificate_number"] for c in first["dbs_checks"] if c.get("certificate_number")
    )
    for check in second["dbs_checks"]:
        check["certificate_number"] = number
    ours = statuses(only(dorset, RULES), data, AS_OF)
    theirs = evaluate_bundle(data, AS_OF)
    assert [k for k in ours if ours[k] != theirs.get(k)] == []
    assert set(ours) == set(theirs)
    assert "met" not in {theirs[k] for k in theirs if k[1] in ("p-twin", people[0]["id"])}
