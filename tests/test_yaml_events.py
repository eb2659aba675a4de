"""A plain YAML document is built straight from libyaml's events (one pass instead of three);
whatever it takes must come out exactly as the node graph gives it, and everything else, errors
included, must go the general way (issue 21: `safeguard-std packs` spent a third of its reading
time composing nodes)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from safeguard_std.io import _limits, _yaml

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(_yaml._FAST_LOADER is None, reason="PyYAML without libyaml")


def _answer(fn: Any, text: str) -> Any:
    """What reading ``text`` gives: data (type-exact, by repr) and positions in order, or the
    error's class and words."""
    try:
        data, positions = fn(text, "doc.yaml")
    except Exception as exc:  # the error is the answer compared
        return (type(exc).__name__, str(exc), [str(p) for p in getattr(exc, "problems", ())])
    return (repr(data), list(positions.items()))


def _same(text: str) -> bool:
    """Whether :func:`compose` answers ``text`` as the general path does; True when the events
    path took it."""
    assert _answer(_yaml.compose, text) == _answer(_yaml._general, text), text
    return _yaml._from_events(text, "doc.yaml") is not None


def test_every_yaml_file_in_the_repository_reads_the_same_both_ways() -> None:
    files = [
        p
        for folder in ("standards", "tests", "benchmarks", "docs", "examples")
        for p in sorted((ROOT / folder).rglob("*.y*ml"))
    ]
    assert len(files) > 50
    for path in files:
        _same(path.read_text(encoding="utf-8"))


def test_the_bundled_packs_take_the_events_path() -> None:
    # The whole saving: were they to fall back (an anchor, a tag), listing packs would slow.
    for path in sorted((ROOT / "standards").glob("*/*/pack.yaml")):
        assert _yaml._from_events(path.read_text(encoding="utf-8"), str(path)) is not None, path


TAKEN = [
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: null, e: ~, f: true, g: no, h: 0x1F, i: 2024-01-02}\n",
    "- 1\n- -2\n- 3.5\n- .inf\n- 1_000\n- 0o17\n- ''\n-\n- >-\n  folded\n  text\n- |\n  kept\n",
    "a: &x {b: [1, 2], c: d}\ne: *x\nf: [*x, *x]\n",
    "s: &t text\nu: *t\nv: [*t]\n",
    "outer: &o\n  inner: &i [1, {k: v}]\n  again: *i\nlater: *o\n",
    "a: yes\nb: on\nc: Off\nd: TRUE\ne: False\n",
    "'quoted key': 1\n\"double\": 2\nplain key: 3\n",
    "just text\n",
    "[1, [2, [3, [4]]]]\n",
    "a:\nb:\n  - c:\n    d: e\n",
    "ünïcödé: ✓\n",
    "a: 1.0\nb: -0.0\nc: 1e3\n",
]

REFUSED = [
    "",  # no document
    "# only a comment\n",
    "a: 1\n---\nb: 2\n",  # two documents
    "a: 1\na: 2\n",  # duplicate key
    "a: {b: 1, b: 2}\n",
    "<<: {a: 1}\nb: 2\n",  # merge key
    "base: &b {a: 1}\nother:\n  <<: *b\n",
    "1: one\n",  # keys that are not text
    "true: yes\n",
    "null: x\n",
    "1.5: x\n",
    "? [a, b]\n: c\n",
    "a: !!str 1\n",
    "a: !!python/object/apply:os.system ['echo']\n",
    "a: !custom x\n",
    "a: ! x\n",
    "a: !!set {x, y}\n",
    "a: =\n",  # the value tag
    "a: *undefined\n",
    "a: &x 1\nb: &x 2\n",  # an anchor defined twice
    "a: &x [1, *x]\n",  # an alias inside its own anchor
    "&k key: v\n",
    "*k : v\n",
    "a: [1, 2\n",  # syntax errors
    "a: b: c\n",
    "\ta: 1\n",
    "a: 'unterminated\n",
    "a: 1\n b: 2\n",
    "- a\nb: c\n",
]


EITHER = [
    "\ufeffa: 1\n",  # a byte-order mark
    "a: \x07\n",  # a control character
    "a: b\x85c\n",  # a next-line character
    "a: '\\ud800'\n",
    'a: "\\ud800"\n',
    "a: 1\n...\n",
    "--- a\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1 # comment\n# end\n",
    "a: &x\n",
    "[a, *x]\n",
]


@pytest.mark.parametrize("text", EITHER)
def test_edge_cases_read_the_same_whichever_path_takes_them(text: str) -> None:
    _same(text)


@pytest.mark.parametrize("text", TAKEN)
def test_plain_documents_take_the_events_path_and_read_the_same(text: str) -> None:
    assert _same(text)


@pytest.mark.parametrize("text", REFUSED)
def test_everything_else_is_answered_by_the_general_path(text: str) -> None:
    assert not _same(text)


def test_near_every_limit_the_answer_is_the_general_one(monkeypatch: pytest.MonkeyPatch) -> None:
    nested = "a: [[[[[1]]]]]\n"
    wide = "a: [" + ", ".join(str(i) for i in range(40)) + "]\n"
    bomb = "a: &a [1, 2, 3]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n"
    for name, values in (
        ("MAX_DEPTH", (3, 4, 5, 6, 7)),
        ("MAX_YAML_NODES", (10, 20, 42, 43, 44)),
        ("MAX_NODES", (10, 20, 42, 43, 44)),
        ("MAX_ALIAS_NODES", (5, 30, 60, 200)),
    ):
        for value in values:
            monkeypatch.setattr(_limits, name, value)
            for text in (nested, wide, bomb):
                _same(text)
            monkeypatch.undo()


def test_random_edits_of_a_pack_read_the_same_both_ways() -> None:
    text = (ROOT / "standards" / "kcsie" / "2025" / "pack.yaml").read_text(encoding="utf-8")
    pieces = [":", "-", " ", "\n", "&a ", "*a", "[", "]", "{", "}", "'", '"', "#", "!", "<<: ", "1"]
    rng = random.Random(21)
    taken = 0
    for _ in range(300):
        edited = text
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(edited))
            cut = rng.choice((0, 0, 1))
            edited = edited[:at] + rng.choice(pieces) + edited[at + cut :]
        taken += _same(edited)
    assert 0 < taken < 300  # both paths were exercised


def test_a_loader_given_path_resolvers_leaves_every_document_to_the_composer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # yaml.add_path_resolver(..., Loader=CSafeLoader) makes the composer tag by position.
    monkeypatch.setattr(_yaml._FAST_LOADER, "yaml_path_resolvers", {((), None): "tag:x"})
    assert _yaml._from_events("a: 1\n", "doc.yaml") is None
