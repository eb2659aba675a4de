"""Golden files: every format, byte for byte, on the fixture pack and bundles."""

from __future__ import annotations

import random

import attrs
import pytest
from report_fixtures import AS_OF, PROVIDERS, assess, bundle, check_golden, pack

from safeguard_std.evaluate import evaluate
from safeguard_std.portfolio.rollup import (
    evaluate_portfolio,
    portfolio_to_json,
    portfolio_to_markdown,
)
from safeguard_std.reports import FORMATS, render

SUFFIX = {
    "json": "json",
    "markdown": "md",
    "html": "html",
    "oscal": "oscal.json",
    "sarif": "sarif",
    "junit": "junit.xml",
    "csv": "csv",
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_on_demo_pack(fmt: str, harbour_demo: tuple) -> None:
    p, b, a = harbour_demo
    check_golden(f"demo-harbour.{SUFFIX[fmt]}", render(a, fmt, pack=p, bundle=b))


@pytest.mark.parametrize("fmt", ["json", "markdown", "html"])
def test_tagged_pack(fmt: str, harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    check_golden(f"monitoring-harbour.{SUFFIX[fmt]}", render(a, fmt, pack=p, bundle=b))


def test_names_when_asked_for(harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    text = render(a, "markdown", pack=p, bundle=b, include_personal_data=True, horizon_days=30)
    check_golden("monitoring-harbour-names-30d.md", text)


def test_sole_trader_without_pack_or_bundle() -> None:
    _, _, a = assess("demo@1", "riverside")
    check_golden("demo-riverside-bare.md", render(a, "markdown"))


def test_portfolio_golden() -> None:
    bundles = [bundle(name) for name in PROVIDERS]
    summary = evaluate_portfolio(pack("monitoring@1"), bundles, AS_OF)
    check_golden("portfolio-monitoring.json", portfolio_to_json(summary))
    check_golden("portfolio-monitoring.md", portfolio_to_markdown(summary))


def _shuffled(b: object, seed: int) -> object:
    """The same bundle with every list of records in another order."""
    rng = random.Random(seed)

    def shuffle(value: object) -> object:
        if attrs.has(type(value)):
            changes = {
                f.name: shuffle(getattr(value, f.name)) for f in attrs.fields(type(value)) if f.init
            }
            return attrs.evolve(value, **changes)
        if isinstance(value, tuple):
            items = [shuffle(v) for v in value]
            rng.shuffle(items)
            return tuple(items)
        return value

    return shuffle(b)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_input_order_never_shows(fmt: str, harbour_monitoring: tuple) -> None:
    p, b, a = harbour_monitoring
    other = _shuffled(b, 7)
    assert other != b
    again = evaluate(p, other, as_of=AS_OF)
    assert render(again, fmt, pack=p, bundle=other) == render(a, fmt, pack=p, bundle=b)


def test_portfolio_ignores_arrival_order() -> None:
    plan = pack("monitoring@1")
    forward = evaluate_portfolio(plan, [bundle(n) for n in PROVIDERS], AS_OF)
    backward = evaluate_portfolio(plan, [bundle(n) for n in reversed(PROVIDERS)], AS_OF)
    assert portfolio_to_json(forward) == portfolio_to_json(backward)
