"""Pack values in words, as render and diff show them."""

from __future__ import annotations

import pytest

from safeguard_std.authoring._words import period_words, predicate_words, value_words
from safeguard_std.domain.calendar import Period
from safeguard_std.domain.predicates import parse_predicate


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("P1Y", "1 year"),
        ("P3Y", "3 years"),
        ("P1Y6M", "1 year and 6 months"),
        ("P1Y2M3W4D", "1 year, 2 months, 3 weeks and 4 days"),
        ("P90D", "90 days"),
    ],
)
def test_period_words(text: str, words: str) -> None:
    assert period_words(Period.parse(text)) == words


def test_value_words() -> None:
    assert value_words("P2Y") == "2 years (P2Y)"
    assert value_words("Pending") == "Pending"
    assert value_words(["dsl", "deputy_dsl"]) == "dsl, deputy_dsl"
    assert value_words(True) == "yes"
    assert value_words({"min": 2}) == "min: 2"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"field": "provider.is_education", "eq": True}, "the provider is an education setting"),
        (
            {"field": "provider.is_education", "ne": True},
            "the provider is not an education setting",
        ),
        (
            {"field": "provider.kind", "in": ["alternative_provision", "college"]},
            "the provider's kind is one of alternative provision, college",
        ),
        (
            {"field": "provider.serves_age_max", "ge": 18},
            "the provider's serves age max is at least 18",
        ),
        (
            {"field": "person.role_types", "contains": "volunteer"},
            "the person's role types include volunteer",
        ),
        (
            {"field": "contract.risk_tier", "exists": False},
            "the contract's risk tier is not recorded",
        ),
        (
            {
                "all": [
                    {"field": "provider.is_education", "eq": True},
                    {
                        "any": [
                            {"field": "person.regulated_activity", "eq": "yes"},
                            {"not": {"field": "person.supervised", "eq": True}},
                        ]
                    },
                ]
            },
            "the provider is an education setting and (the person is in regulated activity or "
            "not (the person is supervised))",
        ),
    ],
)
def test_predicate_words(data: dict[str, object], words: str) -> None:
    assert predicate_words(parse_predicate(data)) == words


def test_documents_are_named_by_title() -> None:
    from safeguard_std.authoring._words import param_words
    from tests.support import make_pack

    pack = make_pack(
        {
            "subject": "provider",
            "rule": {
                "kind": "documents_referenced",
                "documents": ["wt"],
                "in_policies": ["safeguarding"],
            },
        },
        documents={"wt": {"title": "Working Together to Safeguard Children 2015"}},
    )
    rule = pack.requirement("R-1").rule
    assert param_words(rule.params["documents"], pack, "documents") == (
        "Working Together to Safeguard Children 2015 (wt)"
    )
    assert param_words(["other"], pack, "documents") == "other"
