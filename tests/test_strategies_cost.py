"""What a compliant bundle costs to draw (issue 20 item 4): built compliant before it is first
evaluated, so one evaluation confirms it; few Hypothesis draws; and the pooled choices behind
that are reproducible, in range, and shrink to the simplest record."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_std.domain.findings import Status
from safeguard_std.evaluate import EvaluationPlan, evaluate
from safeguard_std.strategies import _bundles, evidence_bundles
from safeguard_std.strategies._gen import Gen, PooledGen
from tests.property.support import PACKS, as_of_for

BUNDLED = sorted(ref for ref in PACKS if ref.split("@")[0] in {"dorset", "chscb", "kcsie"})
EXAMPLES = 25


def _run(strategy: Any, check: Callable[[Any], None]) -> None:
    @settings(
        max_examples=EXAMPLES,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),  # what is measured here is not wall time
    )
    @given(strategy)
    def run(bundle: Any) -> None:
        check(bundle)

    run()


def test_the_bundled_packs_are_all_checked() -> None:
    assert {ref.split("@")[0] for ref in BUNDLED} == {"dorset", "chscb", "kcsie"}


@pytest.mark.parametrize("ref", BUNDLED)
def test_compliant_bundles_need_one_evaluation_and_have_nothing_not_met(
    ref: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The construction is proven, not trusted: every draw is evaluated here independently, and
    # the strategy's own evaluations are counted (one each: it only confirms what it built).
    pack = PACKS[ref]
    as_of = as_of_for(pack)
    calls = Counter[str]()
    real = EvaluationPlan.evaluate

    def counted(self: EvaluationPlan, *args: Any, **kwargs: Any) -> Any:
        calls["evaluations"] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(EvaluationPlan, "evaluate", counted)
    spans: list[tuple[int, int]] = []

    def check(bundle: Any) -> None:
        before = calls["evaluations"]
        assessment = evaluate(pack, bundle, as_of=as_of)
        assert [f.id for f in assessment.by_status(Status.NOT_MET)] == []
        spans.append((before, calls["evaluations"]))

    _run(evidence_bundles(pack, as_of=as_of, compliant=True), check)
    # the strategy's evaluations for each draw: between the previous check and this one
    per_draw = [b - a for (_, a), (b, _) in zip([(0, 0), *spans], spans, strict=False)]
    assert per_draw
    assert set(per_draw) == {1}, per_draw


def _draws_per_bundle(monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> float:
    """Hypothesis draws made per Dorset bundle (what its engine spends its time on)."""
    counts = Counter[str]()
    made = _bundles.Gen

    def counting_gen(draw: Any, as_of: dt.date) -> Gen:
        def counted(strategy: Any) -> Any:
            counts["draws"] += 1
            return draw(strategy)

        return made(counted, as_of)

    monkeypatch.setattr(_bundles, "Gen", counting_gen)
    pack = PACKS[next(r for r in BUNDLED if r.startswith("dorset@"))]

    def check(_bundle: Any) -> None:
        counts["bundles"] += 1

    _run(evidence_bundles(pack, as_of=as_of_for(pack), **kwargs), check)
    return counts["draws"] / counts["bundles"]


def test_a_compliant_dorset_bundle_takes_few_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    # It took about 1,400 (three or four evaluations and a draw per choice): ~20 ms of
    # Hypothesis's own bookkeeping before any evaluation.
    assert _draws_per_bundle(monkeypatch, compliant=True) < 150


# -- PooledGen ------------------------------------------------------------------------------------

AS_OF = dt.date(2026, 11, 23)


def _pooled(chunks: Callable[[], int]) -> PooledGen:
    return PooledGen(lambda _strategy: chunks(), AS_OF)


def test_an_all_zero_pool_gives_the_simplest_choices() -> None:
    gen = _pooled(lambda: 0)
    assert gen.past() == AS_OF
    assert gen.past(min_days=10) == AS_OF - dt.timedelta(days=10)
    assert gen.future() == AS_OF
    assert gen.between(AS_OF - dt.timedelta(days=9), AS_OF) == AS_OF - dt.timedelta(days=9)
    assert gen.maybe(lambda: 1) is None
    assert gen.usually(lambda: 1) is None
    assert gen.flag() is None
    assert gen.boolean() is False
    assert gen.integer(3, 9) == 3
    assert gen.choice("abc") == "a"
    assert gen.mostly("common", "rare") == "common"
    assert gen.subset("abcd", min_size=2) == ["a", "b"]
    assert gen.permutation("abc") == ["a", "b", "c"]
    assert gen.some(lambda: 1) == ()


@given(st.lists(st.integers(0, 2**64 - 1), min_size=1))
def test_pooled_choices_stay_in_range(chunks: list[int]) -> None:
    supply = iter(chunks * 200)
    gen = _pooled(lambda: next(supply))
    for low, high in ((0, 0), (0, 1), (5, 9), (0, 5000), (-3, 3)):
        assert low <= gen.integer(low, high) <= high
    assert gen.choice("xyz") in "xyz"
    picked = gen.subset("abcdef", min_size=1)
    assert 1 <= len(picked) == len(set(picked))
    assert picked == sorted(picked)
    assert sorted(gen.permutation("abcdef")) == list("abcdef")
    day = gen.past(max_days=400)
    assert AS_OF - dt.timedelta(days=400) <= day <= AS_OF
    assert gen.flag() in (None, False, True)


def test_pooled_choices_are_a_function_of_the_draws_alone() -> None:
    def sample() -> list[object]:
        supply = iter(range(1, 10_000))
        gen = _pooled(lambda: next(supply) * 7919)
        return [gen.past(), gen.choice(range(50)), gen.subset(range(9)), gen.flag()]

    assert sample() == sample()


def test_a_pooled_gen_shares_the_id_counters() -> None:
    base = Gen(lambda _s: 0, AS_OF)
    assert base.id("p") == "p-0001"
    pooled = PooledGen.sharing(base)
    assert pooled.id("p") == "p-0002"
    assert base.id("p") == "p-0003"
