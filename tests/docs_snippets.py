"""Find the code blocks in the documentation and run them, page by page, in a fresh folder.

What runs, in the order it appears on the page, sharing one folder (and one Python namespace):

- ```python blocks are executed;
- ```pycon blocks are doctests (``>>>`` lines, then the expected output; ``...`` matches anything);
- ```sh, ```bash and ```shell blocks are commands, one a line (``\\`` continues a line);
- ```console blocks are ``$ command`` lines (``\\`` continues one), each followed by its expected
  output (a line ``...`` matches any number of lines);
- a block of any language after ``<!-- file: PATH -->`` is written to PATH first, so the commands
  after it can use it.

A command starting with ``safeguard-std`` and free of shell syntax runs in process through
``safeguard_std.cli.main``; anything else runs under ``bash`` with the test environment's
``safeguard-std`` first on the PATH, and only if it starts with a program from ``SHELL_PROGRAMS``.
A command is expected to exit 0 unless it ends with a comment ``# exits N``.

A block that must not run is marked by an HTML comment on the line before it:
``<!-- no-test -->`` (ideally ``<!-- no-test: why -->``). ``<!-- ci:... -->`` marks the README's
setup commands, which ``.ci/run`` runs itself; ``<!-- tutorial:install -->`` marks the tutorial's
installation, which a slow test runs in a fresh virtual environment.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from safeguard_std.cli import main

RUN_LANGS = frozenset({"python", "pycon", "sh", "bash", "shell", "console"})
SHELL_PROGRAMS = frozenset(
    {
        "safeguard-std",
        "cp",
        "mkdir",
        "cat",
        "head",
        "tail",
        "grep",
        "ls",
        "diff",
        "pytest",
        "echo",
        "cmp",
    }
)
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,})(?P<lang>[\w-]*)\s*$")
_MARKER = re.compile(r"^<!--\s*(?P<name>[\w:-]+)(?::\s*(?P<value>.*?))?\s*-->$")
_EXITS = re.compile(r"\s+#\s*exits?\s+(?P<code>\d+)\b.*$")
_SHELL_SYNTAX = re.compile(r"[|<>;&$`*?]")


@dataclass
class Block:
    """A fenced code block and the markers above it."""

    page: Path
    line: int
    lang: str
    code: str
    markers: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.page.name}:{self.line}"

    @property
    def skipped(self) -> bool:
        return (
            "no-test" in self.markers
            or any(name.startswith("ci:") for name in self.markers)
            or "tutorial:install" in self.markers
        )

    @property
    def runs(self) -> bool:
        return not self.skipped and ("file" in self.markers or self.lang in RUN_LANGS)


def blocks(page: Path) -> list[Block]:
    """Every fenced block on the page, with the HTML-comment markers directly above it."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, indent = match["fence"], len(match["indent"])
        markers: dict[str, str] = {}
        j = i - 1
        while j >= 0 and (marker := _MARKER.match(lines[j].strip())):
            markers[marker["name"]] = marker["value"] or ""
            j -= 1
        body = []
        k = i + 1
        while k < len(lines) and lines[k].strip() != fence:
            body.append(lines[k][indent:] if lines[k][:indent].isspace() else lines[k])
            k += 1
        found.append(Block(page, i + 1, match["lang"].lower(), "\n".join(body) + "\n", markers))
        i = k + 1
    return found


@dataclass
class Result:
    code: int
    out: str
    err: str


class PageRun:
    """Runs one page's blocks in order in ``folder``."""

    def __init__(self, folder: Path, *, in_process: bool = True) -> None:
        self.folder = folder
        self.in_process = in_process
        self.namespace: dict[str, object] = {"__name__": "__docs__"}
        bin_dir = str(Path(sys.executable).parent)
        self.env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
        self.env.pop("PYTEST_ADDOPTS", None)

    def run(self, block: Block) -> None:
        if "file" in block.markers:
            target = self.folder / block.markers["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.code, encoding="utf-8")
            return
        with contextlib.chdir(self.folder):
            if block.lang == "python":
                exec(compile(block.code, block.where, "exec"), self.namespace)
            elif block.lang == "pycon":
                self._doctest(block)
            elif block.lang == "console":
                for command, expected in console_commands(block.code):
                    self._check(block, command, expected)
            elif block.lang in RUN_LANGS:
                for command in shell_commands(block.code):
                    self._check(block, command, None)

    def _doctest(self, block: Block) -> None:
        parser = doctest.DocTestParser()
        test = parser.get_doctest(block.code, self.namespace, block.where, str(block.page), 0)
        flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        runner = doctest.DocTestRunner(optionflags=flags)
        out = io.StringIO()
        runner.run(test, out=out.write, clear_globs=False)
        self.namespace.update(test.globs)
        assert runner.failures == 0, f"{block.where}: doctest failed\n{out.getvalue()}"

    def _check(self, block: Block, command: str, expected: str | None) -> None:
        wanted = 0
        if match := _EXITS.search(command):
            wanted = int(match["code"])
            command = command[: match.start()]
        result = self.command(block, command)
        assert result.code == wanted, (
            f"{block.where}: `{command}` exited {result.code}, expected {wanted}\n"
            f"stdout:\n{result.out}\nstderr:\n{result.err}"
        )
        if expected is not None:
            assert output_matches(expected, result.out), (
                f"{block.where}: `{command}` printed\n{result.out}\nexpected\n{expected}"
            )

    def command(self, block: Block, command: str) -> Result:
        words = shlex.split(command, comments=True)
        if not words:
            return Result(0, "", "")
        program = words[0]
        assert program in SHELL_PROGRAMS, (
            f"{block.where}: `{program}` is not run by the docs tests; "
            "mark the block <!-- no-test: why --> or use a command from SHELL_PROGRAMS"
        )
        if program == "safeguard-std" and self.in_process and not _SHELL_SYNTAX.search(command):
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(words[1:])
                except SystemExit as exc:  # argparse: --help, or a usage error
                    code = exc.code if isinstance(exc.code, int) else 2
            return Result(code, out.getvalue(), err.getvalue())
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)


def shell_commands(code: str) -> Iterator[str]:
    """One command a line, ``\\`` continuing a line; blank lines and comments skipped."""
    pending = ""
    for raw in code.splitlines():
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if line and not line.startswith("#"):
            yield line


def console_commands(code: str) -> Iterator[tuple[str, str | None]]:
    """``$ command`` lines and the output shown after each (None when none is shown)."""
    command: str | None = None
    output: list[str] = []
    continued = False
    for line in code.splitlines():
        if continued and command is not None:
            command = command[:-1] + " " + line.strip()
        elif line.startswith("$ "):
            if command is not None:
                yield command, "\n".join(output) if output else None
            command, output = line[2:], []
        elif command is not None:
            output.append(line)
        continued = command is not None and not output and command.endswith("\\")
    if command is not None:
        yield command, "\n".join(output) if output else None


def output_matches(expected: str, actual: str) -> bool:
    """Line by line, trailing spaces ignored; a line ``...`` matches any number of lines."""
    want = [line.rstrip() for line in expected.strip("\n").splitlines()]
    got = [line.rstrip() for line in actual.strip("\n").splitlines()]

    def match(i: int, j: int) -> bool:
        if i == len(want):
            return j == len(got)
        if want[i] == "...":
            return any(match(i + 1, k) for k in range(j, len(got) + 1))
        return j < len(got) and want[i] == got[j] and match(i + 1, j + 1)

    return match(0, 0)


def prepare(folder: Path, root: Path) -> None:
    """The files a page may assume, as in a checkout of the repository: the examples."""
    shutil.copytree(root / "examples", folder / "examples")
