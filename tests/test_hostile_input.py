"""Hostile input, through the library and the command line: alias bombs, deep nesting, very large
files and strings, wrong types everywhere, non-UTF-8 bytes, duplicate keys, foreign YAML tags.

Each is refused with the library's own error and one clear message, in bounded time; through the
command line, with exit code 2, one line per problem and no traceback, in a process whose memory is
capped. The limits are documented in docs/limits.md.
"""

from __future__ import annotations

import copy
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from safeguard_std.evidence import load_evidence
from safeguard_std.exceptions import EvidenceError, PackError, SafeguardError
from safeguard_std.io import documents
from safeguard_std.packs import PackCatalog, read_layer
from tests.conftest import FIXTURES, ROOT
from tests.support import pack_yaml

#: Seconds any single hostile document may take to be refused (generous: slow machines).
TIME_LIMIT = 10.0
#: Address space for a command-line run (the interpreter and its imports need about 150 MB).
MEMORY_LIMIT = 1536 * 1024 * 1024

_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)

# name, bytes (built lazily: some are large), the first line the library reports
CASES: list[tuple[str, Callable[[], bytes], str]] = [
    (
        "bomb.yaml",
        lambda: _BOMB.encode(),
        "YAML aliases expand to more than 100000 nodes @ {f} $.f[0][3][3][7][3][7] "
        "(line 1, column 22)",
    ),
    (
        "deep.json",
        lambda: b"[" * 100_000 + b"]" * 100_000,
        "document is nested deeper than 64 levels @ {f} $",
    ),
    (
        "deep.yaml",
        lambda: "".join("  " * i + "-\n" for i in range(100)).encode(),
        "document is nested deeper than 64 levels @ {f} $ (line 66, column 131)",
    ),
    (
        "deep-flow.yaml",
        lambda: b"[" * 10_000 + b"]" * 10_000,
        "document is nested deeper than 64 levels @ {f} $ (line 1, column 66)",
    ),
    (
        "large.json",
        lambda: b" " * (documents.MAX_BYTES + 1),
        f"document is larger than {documents.MAX_BYTES} bytes (the limit on one document: "
        "docs/limits.md says how to raise it) @ {f} $",
    ),
    (
        "large.yaml",
        lambda: b"a: " + b"x" * documents.MAX_YAML_BYTES,
        f"YAML document is larger than {documents.MAX_YAML_BYTES} bytes; write large "
        "evidence bundles as JSON @ {f} $",
    ),
    (
        "containers.json",
        lambda: b"[" + b"[]," * documents.MAX_NODES + b"[]]",
        f"document has more than {documents.MAX_NODES} lists and mappings (the limit on one "
        "document: docs/limits.md says how to raise it) @ {f} $",
    ),
    (
        "utf16.json",
        lambda: json.dumps({"id": "b-1"}).encode("utf-16"),
        "not UTF-8 text: invalid byte at offset 0 @ {f} $",
    ),
    (
        "latin1.yaml",
        lambda: "id: caf\xe9\n".encode("latin-1"),
        "not UTF-8 text: invalid byte at offset 7 @ {f} $",
    ),
    (
        "binary.json",
        lambda: bytes(range(256)),
        "not UTF-8 text: invalid byte at offset 128 @ {f} $",
    ),
    (
        "nul.yaml",
        lambda: b"id: b-1\x00\n",
        "not valid YAML: special characters are not allowed (character 0x0 at offset 7) @ {f} $",
    ),
    ("duplicate.json", lambda: b'{"id": "b-1",\n "id": "b-2"}', "duplicate key 'id' @ {f} $"),
    (
        "duplicate.yaml",
        lambda: b"id: b-1\nprovider: {}\nid: b-2\n",
        "duplicate key 'id' @ {f} $.id (line 3, column 1)",
    ),
    (
        "python.yaml",
        lambda: b"id: !!python/object/apply:os.system ['echo hi']\n",
        "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "@ {f} $.id (line 1, column 5)",
    ),
    (
        "merge.yaml",
        lambda: b"base: &b {kind: youth}\nprovider:\n  <<: *b\n",
        "YAML merge keys ('<<') are not supported @ {f} $.provider (line 3, column 3)",
    ),
    ("nan.json", lambda: b'{"id": NaN}', "NaN is not allowed in JSON documents @ {f} $"),
    (
        "long-number.json",
        lambda: b'{"id": 1' + b"0" * 5000 + b"}",
        "numbers longer than 4300 digits are not allowed @ {f} $",
    ),
]
IDS = [c[0] for c in CASES]


def _timed(action: Callable[[], Any]) -> tuple[BaseException | None, float]:
    start = time.perf_counter()
    try:
        action()
    except SafeguardError as exc:
        return exc, time.perf_counter() - start
    return None, time.perf_counter() - start


@pytest.mark.parametrize(("name", "make", "expected"), CASES, ids=IDS)
def test_evidence_loader_refuses(name: str, make: Callable[[], bytes], expected: str) -> None:
    raw = make()
    error, took = _timed(lambda: load_evidence(raw, name=name))
    assert isinstance(error, EvidenceError)
    assert str(error) == "invalid evidence: " + expected.format(f=name)
    assert took < TIME_LIMIT


@pytest.mark.parametrize(("name", "make", "expected"), CASES, ids=IDS)
def test_pack_loader_refuses(name: str, make: Callable[[], bytes], expected: str) -> None:
    raw = make()
    label = f"hostile/x/1/{name}"
    error, took = _timed(lambda: read_layer(label, raw))
    assert isinstance(error, PackError)
    assert str(error) == "invalid pack: " + expected.format(f=label)
    assert took < TIME_LIMIT


@pytest.mark.slow
def test_yaml_node_limit_is_reached_in_bounded_time() -> None:
    """The real MAX_YAML_NODES: the flat list is refused while it is being composed."""
    raw = b"[" + b"1," * (documents.MAX_YAML_NODES + 1) + b"1]"
    error, took = _timed(lambda: load_evidence(raw, name="nodes.yaml"))
    assert str(error).startswith(
        f"invalid evidence: YAML document has more than {documents.MAX_YAML_NODES} nodes @ "
        "nodes.yaml $ (line 1, column "
    )
    assert took < TIME_LIMIT


# -- very large strings ----------------------------------------------------------------------------


def _bundle() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "bundle-small.json").read_text())
    return data


def test_a_very_long_string_where_one_is_allowed_loads() -> None:
    data = _bundle()
    data["provider"]["name"] = "Example " * 1_000_000
    bundle = load_evidence(json.dumps(data).encode(), name="b.json")
    assert len(bundle.provider.name) == 8_000_000


@pytest.mark.parametrize(
    ("path", "where"),
    [
        (("id",), "$.id"),
        (("provider", "kind"), "$.provider.kind"),
        (("people", 0, "dbs_checks", 0, "issued_on"), "$.people[0].dbs_checks[0].issued_on"),
        (("policies", 0, "x" * 100), "$.policies[0]['" + "x" * 36 + "...]"),
    ],
)
def test_a_very_long_string_is_refused_in_a_short_message(
    path: tuple[Any, ...], where: str
) -> None:
    data = _bundle()
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    value = "x" * 5_000_000 if path[0] != "people" else "2020-01-01T" + "x" * 5_000_000
    parent[path[-1]] = value
    error, took = _timed(lambda: load_evidence(json.dumps(data).encode(), name="b.json"))
    assert isinstance(error, EvidenceError)
    message = str(error)
    assert len(message) < 700
    assert f"@ b.json {where}" in message
    assert took < TIME_LIMIT


# -- wrong types everywhere ------------------------------------------------------------------------

WRONG = [None, True, 7, 2.5, "text", ["x"], {"x": 1}]


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, (*path, i))


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(data)
    parent = out
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return out


def _located_near(error: SafeguardError, path: tuple[Any, ...]) -> bool:
    """Some problem is at the changed path, inside it, or at its parent record."""
    for problem in getattr(error, "problems", ()):
        at = problem.location.path
        if at[: len(path)] == path or path[: len(at)] == at:
            return True
    return False


def test_wrong_types_everywhere_in_evidence() -> None:
    data = _bundle()
    for path in _leaves(data):
        for value in WRONG:
            mutated = _replaced(data, path, value)
            error, _took = _timed(
                lambda m=mutated: load_evidence(json.dumps(m).encode(), name="b.json")
            )
            if error is None:
                continue  # an allowed value (null for an optional field, say)
            assert isinstance(error, EvidenceError), (path, value)
            # located where the change is, or (a list emptied) where a reference now dangles
            assert _located_near(error, path) or "is not in" in str(error), (path, value)


def test_wrong_types_everywhere_in_a_pack() -> None:
    text = (FIXTURES / "packs" / "demo" / "1" / "pack.yaml").read_text()
    data = yaml.safe_load(text)
    data["effective_from"] = str(data["effective_from"])
    for path in _leaves(data):
        for value in WRONG:
            raw = json.dumps(_replaced(data, path, value)).encode()
            catalog = PackCatalog(layers={})

            def load(raw: bytes = raw, catalog: PackCatalog = catalog) -> None:
                layer = read_layer("hostile/demo/1/pack.json", raw)
                catalog = catalog.with_layer(layer)
                catalog.resolve(layer.ref)

            error, _took = _timed(load)
            assert error is None or isinstance(error, PackError), (path, value)


# -- the command line ---------------------------------------------------------------------------


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safeguard_std", *args],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
        check=False,
    )


def _assert_refused(result: subprocess.CompletedProcess[str], first_line: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == first_line
    assert all(line.startswith(("error: ", "  - ")) for line in lines)
    assert result.stdout == ""


CLI_CASES = [
    c
    for c in CASES
    if c[0]
    in ("bomb.yaml", "deep.json", "large.json", "utf16.json", "duplicate.yaml", "python.yaml")
]


@pytest.mark.parametrize(("name", "make", "expected"), CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_command_line_refuses_hostile_evidence(
    name: str, make: Callable[[], bytes], expected: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    result = _cli(
        "evaluate",
        "--packs-dir",
        str(FIXTURES / "packs"),
        "--no-entry-points",
        "--pack",
        "demo@1",
        "--evidence",
        str(path),
        "--as-of",
        "2026-11-23",
    )
    _assert_refused(result, "error: invalid evidence: " + expected.format(f=path))


def _evaluate_with_pack(path: Path) -> subprocess.CompletedProcess[str]:
    evidence = str(FIXTURES / "bundle-small.json")
    args = ["--pack", str(path), "--evidence", evidence, "--as-of", "2026-11-23"]
    return _cli("evaluate", "--no-entry-points", *args)


@pytest.mark.parametrize(("name", "make", "expected"), CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_command_line_refuses_hostile_packs(
    name: str, make: Callable[[], bytes], expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "hostile" / "1" / name
    path.parent.mkdir(parents=True)
    path.write_bytes(make())
    result = _evaluate_with_pack(path)
    _assert_refused(result, "error: invalid pack: " + expected.format(f=path))


def test_command_line_refuses_a_pack_with_an_impossible_date(tmp_path: Path) -> None:
    path = tmp_path / "t" / "1" / "pack.yaml"
    path.parent.mkdir(parents=True)
    text = pack_yaml({"rule": {"kind": "references"}})
    path.write_text(text.replace("'2000-01-01'", "'2023-02-29'"), encoding="utf-8")
    result = _evaluate_with_pack(path)
    _assert_refused(
        result,
        "error: invalid pack: not a calendar date: expected a date YYYY-MM-DD, got "
        f"'2023-02-29' @ {path} $.effective_from (line 6, column 1)",
    )


def test_command_line_size_limit_can_be_lowered_and_raised(tmp_path: Path) -> None:
    """``--max-document-mib`` sets the limit on one evidence document for both commands that
    read one; a bundle over it is refused with the limit named, one under it loads."""
    path = tmp_path / "padded.json"
    bundle = (ROOT / "examples" / "dorset-youth-charity.json").read_text(encoding="utf-8")
    path.write_text(bundle + " " * (1024 * 1024), encoding="utf-8")  # just over 1 MiB
    common = ["--pack", "dorset", "--evidence", str(path), "--as-of", "2026-11-23"]
    refused = _cli("evaluate", *common, "--max-document-mib", "1")
    _assert_refused(
        refused,
        f"error: invalid evidence: document is larger than {1024 * 1024} bytes (the limit on "
        f"one document: docs/limits.md says how to raise it) @ {path} $",
    )
    assert _cli("evaluate", *common, "--max-document-mib", "2").returncode == 0
    validate = _cli("evidence", "validate", str(path), "--as-of", "2026-11-23")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    small = _cli("evidence", "validate", str(path), "--max-document-mib", "1")
    assert small.returncode == 1
    assert f"document is larger than {1024 * 1024} bytes" in small.stdout + small.stderr
    bad = _cli("evaluate", *common, "--max-document-mib", "lots")
    assert bad.returncode == 2
    assert "--max-document-mib: expected a whole number of MiB, got 'lots'" in bad.stderr
