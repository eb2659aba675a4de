"""No control character or bidi override from evidence text reaches any report format.

A NUL, a vertical tab, an escape sequence or a right-to-left override in a provider's name, a
person's name or any other evidence text is shown visibly (``[U+202E]``) in every human format
and as a JSON escape (``\\u202e``) in every JSON one, never as the raw character that would hide
or reorder what a reader sees (Trojan Source, terminal escapes).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_fixtures import AS_OF, BUNDLES, pack

from safeguard_std.evaluate import evaluate
from safeguard_std.evidence import load_evidence
from safeguard_std.portfolio.rollup import (
    evaluate_portfolio,
    portfolio_to_json,
    portfolio_to_markdown,
)
from safeguard_std.reports import FORMATS, render, to_xlsx
from safeguard_std.reports._format import UNSAFE_TEXT, clean_text, json_safe
from safeguard_std.reports.markdown import escape

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl is not installed (the xlsx extra)")

#: What no output may hold: C0 controls but tab/LF/CR, DEL, C1 controls, bidi embeddings,
#: overrides, isolates and marks, lone surrogates. Checked independently of the library's own.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

HOSTILE = "A\x00B\x0bC\x1b[31mD\u202eE\u2066F\x85G\x7fH"

_hostile_text = st.text(
    alphabet=st.sampled_from(
        [*list("ab &<>|*_[]()`\\\n\t\r"), "\x00", "\x0b", "\x1b", "\u202e", "\u2067", "\x9b"]
    ),
    min_size=1,
    max_size=12,
)


def _is_text_field(attribute: attrs.Attribute[Any]) -> bool:
    # ids and references to ids are checked by pattern on load; every other string is free
    # text (the annotation may be a string or, once something resolved it, the type itself)
    return (
        attribute.metadata.get("role") != "id"
        and not attribute.name.endswith("_id")
        and attribute.type in ("str", "str | None", str, str | None)
    )


_TEXT_SETS = ("frozenset[str]", frozenset[str])


def _poison(value: Any, text: str) -> Any:
    """``value`` with every free-text field of every record set to ``text`` (a field with a
    closed vocabulary, which refuses it, keeps its value)."""
    if attrs.has(type(value)):
        nested = {
            f.name: _poison(getattr(value, f.name), text)
            for f in attrs.fields(type(value))
            if f.init and not _is_text_field(f)
        }
        value = attrs.evolve(value, **nested)
        for field in attrs.fields(type(value)):
            current = getattr(value, field.name)
            if field.init and field.type in _TEXT_SETS and current:
                # topics, references, activities...: add the text beside what is there
                with contextlib.suppress(ValueError, TypeError):
                    value = attrs.evolve(value, **{field.name: frozenset({*current, text})})
        for field in attrs.fields(type(value)):
            if (
                field.init
                and _is_text_field(field)
                and isinstance(getattr(value, field.name), str | None)
            ):
                with contextlib.suppress(ValueError, TypeError):
                    value = attrs.evolve(value, **{field.name: text})
        return value
    if isinstance(value, tuple):
        return tuple(_poison(v, text) for v in value)
    return value


HARBOUR = load_evidence(BUNDLES / "harbour.json")
DEMO = pack("demo@1")


def test_clean_text_shows_every_unsafe_character() -> None:
    assert clean_text(HOSTILE) == (
        "A[U+0000]B[U+000B]C[U+001B][31mD[U+202E]E[U+2066]F[U+0085]G[U+007F]H"
    )
    assert clean_text("tab\tline\ncr\r") == "tab\tline\ncr\r"
    assert json_safe('"\u202e\x85"') == '"\\u202e\\u0085"'
    assert json.loads(json_safe(json.dumps("x\u202ey", ensure_ascii=False))) == "x\u202ey"
    assert not FORBIDDEN.search(clean_text("".join(map(chr, range(0x3000)))))
    assert UNSAFE_TEXT.pattern


def test_markdown_escapes_ampersand() -> None:
    # &lt; in a cell would otherwise render as "<" (an entity), and &#8238; as a bidi override
    assert escape("R&D &#8238; &lt;") == "R&amp;D &amp;#8238; &amp;lt;"


def test_the_issue_case_in_html_and_markdown() -> None:
    provider = attrs.evolve(HARBOUR.provider, name=HOSTILE)
    bundle = attrs.evolve(HARBOUR, provider=provider)
    a = evaluate(DEMO, bundle, as_of=AS_OF)
    for fmt, shown in (("html", "D[U+202E]E"), ("markdown", r"D\[U+202E\]E")):
        text = render(a, fmt, pack=DEMO, bundle=bundle)
        assert not FORBIDDEN.search(text), fmt
        assert shown in text, fmt


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_hostile_text)
def test_no_unsafe_character_in_any_format(text: str) -> None:
    bundle = _poison(HARBOUR, text)
    a = evaluate(DEMO, bundle, as_of=AS_OF)
    for fmt in sorted(FORMATS):
        for personal in (False, True):
            out = render(a, fmt, pack=DEMO, bundle=bundle, include_personal_data=personal)
            found = FORBIDDEN.search(out)
            assert found is None, (fmt, personal, found)
            out.encode("utf-8")  # never a lone surrogate
            if fmt in ("json", "oscal", "sarif"):
                json.loads(out)
        workbook = openpyxl.load_workbook(
            io.BytesIO(to_xlsx(a, pack=DEMO, bundle=bundle, include_personal_data=personal))
        )
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    assert FORBIDDEN.search(str(value or "")) is None, ("xlsx", personal, value)
    summary = evaluate_portfolio(DEMO, [bundle], AS_OF)
    for out in (portfolio_to_json(summary), portfolio_to_markdown(summary)):
        assert FORBIDDEN.search(out) is None


def test_poisoning_reaches_free_text() -> None:
    bundle = _poison(HARBOUR, "zz\u202e")
    assert bundle.provider.name == "zz\u202e"
    assert {p.full_name for p in bundle.people} == {"zz\u202e"}


def test_a_real_pack_on_a_real_bundle_every_format() -> None:
    # the Dorset pack echoes more evidence (topics, references, attestations) than the demo pack
    import datetime as dt

    from report_fixtures import ROOT

    from safeguard_std.packs import load_pack

    as_of = dt.date(2026, 11, 23)
    dorset = load_pack("dorset", as_of=as_of)
    example = load_evidence(ROOT / "examples" / "dorset-youth-charity.json")
    bundle = _poison(example, HOSTILE)
    a = evaluate(dorset, bundle, as_of=as_of)
    for fmt in sorted(FORMATS):
        out = render(a, fmt, pack=dorset, bundle=bundle, include_personal_data=True)
        assert FORBIDDEN.search(out) is None, fmt
    data = to_xlsx(a, pack=dorset, bundle=bundle, include_personal_data=True)
    for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(FORBIDDEN.search(str(v or "")) for v in row)
