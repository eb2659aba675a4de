"""Reference pages written from the code and the schemas, so they cannot drift from either.

Used by ``gen_pages.py`` when the site is built (mkdocs-gen-files) and by the tests. Nothing
here is part of the library: it reads the command-line parser, the JSON Schemas, the bundled
packs and the docs' own navigation template.
"""

from __future__ import annotations

import argparse
import json
import os
import pkgutil
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# ---------------------------------------------------------------------------------------------
# The command line


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[Any] | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{_cell(text)}`"


def _paragraphs(text: str | None) -> list[str]:
    if not text:
        return []
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        out += [" ".join(line.strip() for line in block.splitlines()), ""]
    return out


def _option_name(action: argparse.Action) -> str:
    if not action.option_strings:
        return str(action.metavar or action.dest)
    names = ", ".join(action.option_strings)
    if action.nargs == 0:
        return names
    metavar = action.metavar or (
        "{" + ",".join(map(str, action.choices)) + "}" if action.choices else action.dest.upper()
    )
    return f"{names} {metavar}"


def _option_rows(parser: argparse.ArgumentParser) -> list[str]:
    formatter = parser._get_formatter()
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            continue
        if action.help == argparse.SUPPRESS:
            continue
        text = formatter._expand_help(action) if action.help else ""
        notes = []
        if action.required or not action.option_strings:
            notes.append("required")
        if action.choices and action.option_strings and action.metavar:
            notes.append("one of " + ", ".join(f"`{c}`" for c in action.choices))
        if isinstance(action, argparse._AppendAction):
            notes.append("repeatable")
        suffix = f" ({'; '.join(notes)})" if notes else ""
        rows.append(f"| {_code(_option_name(action))} | {_cell(text)}{suffix} |")
    if not rows:
        return []
    return ["| argument | meaning |", "| --- | --- |", *rows, ""]


def _usage(parser: argparse.ArgumentParser) -> str:
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "88"  # argparse wraps to the terminal; the page must not depend on it
    try:
        return parser.format_usage().strip()
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous


def _command_sections(
    parser: argparse.ArgumentParser, path: list[str], depth: int
) -> Iterator[tuple[list[str], argparse.ArgumentParser, int, str]]:
    subs = _subparsers(parser)
    if subs is None:
        return
    helps = {a.dest: a.help or "" for a in subs._choices_actions}
    for name, child in subs.choices.items():
        yield [*path, name], child, depth, helps.get(name, "")
        yield from _command_sections(child, [*path, name], depth + 1)


def command_paths(parser: argparse.ArgumentParser) -> list[str]:
    """Every command and subcommand, as it is typed (``safeguard-std pack lint``)."""
    prog = parser.prog
    return [" ".join([prog, *path]) for path, *_ in _command_sections(parser, [], 0)]


def cli_markdown(parser: argparse.ArgumentParser) -> str:
    """The command-line reference: every command, its usage, description and options."""
    prog = parser.prog
    out = [
        "# Command line",
        "",
        f"Generated from the `{prog}` argument parser when this site was built: every command "
        "and option below exists, with the help text `--help` prints.",
        "",
        *_paragraphs(parser.description),
        "```text",
        _usage(parser),
        "```",
        "",
        *_option_rows(parser),
        "**Exit codes.** 0 success; 1 the command ran and found failures (failing pack tests, lint "
        "findings); 2 unusable input (a bad pack, bad evidence, a bad option), with one line per "
        "problem on standard error and never a traceback (`--debug` shows one).",
        "",
        "## Commands",
        "",
        "| command | what it does |",
        "| --- | --- |",
    ]
    sections = list(_command_sections(parser, [], 0))
    for path, _child, _depth, help_text in sections:
        command = " ".join([prog, *path])
        anchor = "-".join(path)
        out.append(f"| [`{command}`](#{anchor}) | {_cell(help_text)} |")
    out.append("")
    for path, child, depth, help_text in sections:
        command = " ".join([prog, *path])
        anchor = "-".join(path)
        out += [f"{'#' * min(depth + 2, 4)} `{command}` {{ #{anchor} }}", ""]
        text = child.description or help_text
        out += _paragraphs(text)
        out += ["```text", _usage(child), "```", ""]
        out += _option_rows(child)
        out += _paragraphs(child.epilog)
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# JSON Schemas


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _anchor(name: str) -> str:
    return "def-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _type_text(spec: Mapping[str, Any]) -> str:
    """A short description of the values a schema allows."""
    if "$ref" in spec:
        name = _ref_name(spec["$ref"])
        return f"[{name}](#{_anchor(name)})"
    if "const" in spec:
        return f"`{json.dumps(spec['const'])}`"
    if "enum" in spec:
        return "one of " + ", ".join(_code(json.dumps(v).strip('"')) for v in spec["enum"])
    for key in ("oneOf", "anyOf"):
        if key in spec:
            return " or ".join(_type_text(s) for s in spec[key])
    kind = spec.get("type")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        items = spec.get("items", {})
        inner = _type_text(items) if items else "any"
        return f"list of {inner}"
    if kind == "object" and "properties" not in spec:
        extra = spec.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            return f"mapping of names to {_type_text(extra)}"
        return "mapping"
    if kind == "string":
        fmt = spec.get("format")
        if fmt == "date":
            return "date (YYYY-MM-DD)"
        if fmt:
            return f"string ({fmt})"
    return str(kind or "any")


def _constraints(spec: Mapping[str, Any]) -> list[str]:
    notes = []
    if "pattern" in spec and spec.get("format") != "date":
        notes.append(f"pattern {_code(spec['pattern'])}")
    for key, word in (("minLength", "at least {} characters"), ("minItems", "at least {} items")):
        if key in spec:
            notes.append(word.format(spec[key]))
    for key, word in (("minimum", "at least {}"), ("maximum", "at most {}")):
        if key in spec:
            notes.append(word.format(spec[key]))
    if spec.get("uniqueItems"):
        notes.append("no duplicates")
    if spec.get("x-personal"):
        notes.append("**personal data**")
    if "default" in spec:
        notes.append(f"default {_code(json.dumps(spec['default']))}")
    return notes


@dataclass
class _Table:
    title: str
    anchor: str
    spec: Mapping[str, Any]


def _object_tables(title: str, anchor: str, spec: Mapping[str, Any]) -> Iterator[_Table]:
    """The object itself, then every object nested inline in it (each gets its own table)."""
    yield _Table(title, anchor, spec)
    for name, prop in spec.get("properties", {}).items():
        inner, suffix = _nested(prop)
        if inner is not None:
            yield from _object_tables(f"{title}.{name}{suffix}", f"{anchor}-{name}", inner)


def _nested(prop: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, str]:
    """The object schema nested inside ``prop`` (itself, its items, or its values), if any, and
    how its table is named (``[]`` for a list, ``.*`` for a mapping of names)."""
    candidates = [(prop, "")]
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        candidates.append((prop["items"], "[]"))
    if isinstance(prop.get("additionalProperties"), dict):
        candidates.append((prop["additionalProperties"], ".*"))
    for candidate, suffix in reversed(candidates):
        if candidate.get("type") == "object" and "properties" in candidate:
            return candidate, suffix
    return None, ""


def _table_lines(table: _Table) -> list[str]:
    spec = table.spec
    out = [f"### `{table.title}` {{ #{table.anchor} }}", ""]
    out += _paragraphs(spec.get("description"))
    props = spec.get("properties", {})
    if not props:
        out += [f"Type: {_type_text(spec)}.", ""]
        return out
    required = set(spec.get("required", []))
    out += ["| field | type | required | meaning |", "| --- | --- | --- | --- |"]
    for name, prop in props.items():
        inner, suffix = _nested(prop)
        if inner is not None:
            words = {"[]": "list of objects", ".*": "mapping of names to objects"}
            kind = f"[{words.get(suffix, 'object')}](#{table.anchor}-{name})"
        else:
            kind = _type_text(prop)
        meaning = " ".join(
            [_cell(prop.get("description", "")), *(f"({note})" for note in _constraints(prop))]
        ).strip()
        needed = "yes" if name in required else ""
        out.append(f"| `{name}` | {kind} | {needed} | {meaning} |")
    out.append("")
    extra = spec.get("additionalProperties")
    if extra is False:
        out += ["No other fields are allowed.", ""]
    return out


def schema_markdown(schema: Mapping[str, Any], *, title: str, intro: str, file: str) -> str:
    """A JSON Schema as a page: the top-level object, nested objects, then each definition."""
    out = [f"# {title}", "", intro, ""]
    out += [
        f"Generated from `{file}` ({schema.get('$schema', 'JSON Schema')}) when this site was "
        "built. Editors that read JSON Schema (VS Code's YAML and JSON support, any "
        "yaml-language-server client) complete and check files against the same schema.",
        "",
    ]
    if schema.get("$id"):
        out += [f"Schema id: `{schema['$id']}`", ""]
    out += ["## Top level", ""]
    for table in _object_tables("(document)", "top", schema):
        out += _table_lines(table)
    defs = schema.get("$defs", {})
    if defs:
        out += ["## Definitions", ""]
        for name in sorted(defs, key=str.lower):
            spec = defs[name]
            if spec.get("type") == "object" or "properties" in spec:
                for table in _object_tables(name, _anchor(name), spec):
                    out += _table_lines(table)
            else:
                out += _variant_lines(name, spec)
    return "\n".join(out).rstrip("\n") + "\n"


def _variant_lines(name: str, spec: Mapping[str, Any]) -> list[str]:
    """A definition that is not a plain object (a value, a predicate): its description, the
    alternatives it allows, and the schema itself, which says it most exactly."""
    out = [f"### `{name}` {{ #{_anchor(name)} }}", ""]
    out += _paragraphs(spec.get("description"))
    variants = spec.get("oneOf") or spec.get("anyOf")
    if variants:
        out += ["One of:", ""]
        for variant in variants:
            described = variant.get("description", "")
            out.append(f"- {_type_text(variant)}{': ' + described if described else ''}")
        out.append("")
    out += ["```json", json.dumps(spec, indent=2, sort_keys=True), "```", ""]
    return out


# ---------------------------------------------------------------------------------------------
# The Python API


def api_modules(package: Any, *, skip: frozenset[str]) -> list[str]:
    """The package's public modules and subpackages (no leading underscore), sorted: a module
    added to the library gets an API page without anyone editing the docs."""
    names = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_") or info.name in skip:
            continue
        names.append(f"{package.__name__}.{info.name}")
    return sorted(names)


# ---------------------------------------------------------------------------------------------
# Navigation

_LINK = re.compile(r"^(?P<indent>\s*)\* \[(?P<title>[^\]]+)\]\((?P<target>[^)]+)\)(?P<rest>.*)$")
_HEADING = re.compile(r"^(?P<indent>\s*)\* (?P<title>[^\[].*)$")


@dataclass(frozen=True)
class NavEntry:
    """One line of the navigation template."""

    depth: int
    title: str
    target: str | None
    blurb: str


def parse_nav(template: str) -> list[NavEntry]:
    """Read the literate-nav template: ``* [Title](page.md): one line about it`` or ``* Title``,
    indented by four spaces a level. Other lines (comments, blank lines) are ignored."""
    entries = []
    for line in template.splitlines():
        if match := _LINK.match(line):
            rest = match["rest"].strip()
            blurb = rest[1:].strip() if rest.startswith(":") else ""
            depth = len(match["indent"]) // 4
            entries.append(NavEntry(depth, match["title"], match["target"], blurb))
        elif match := _HEADING.match(line):
            depth = len(match["indent"]) // 4
            entries.append(NavEntry(depth, match["title"].strip(), None, ""))
    return entries


def keep_existing(entries: list[NavEntry], exists: Callable[[str], bool]) -> list[NavEntry]:
    """Drop links to pages that do not exist (a guide not yet written) and headings left empty."""
    kept = [e for e in entries if e.target is None or exists(e.target)]
    out: list[NavEntry] = []
    for i, entry in enumerate(kept):
        if entry.target is None:
            following = kept[i + 1] if i + 1 < len(kept) else None
            if following is None or following.depth <= entry.depth:
                continue
        out.append(entry)
    return out


def nav_markdown(entries: list[NavEntry]) -> str:
    """The entries back as literate-nav Markdown (without their blurbs)."""
    lines = []
    for entry in entries:
        indent = "    " * entry.depth
        if entry.target is None:
            lines.append(f"{indent}* {entry.title}")
        else:
            lines.append(f"{indent}* [{entry.title}]({entry.target})")
    return "\n".join(lines) + "\n"


def children(entries: list[NavEntry], target: str) -> list[NavEntry]:
    """The entries directly under the one that links to ``target`` (a section's index page)."""
    for i, entry in enumerate(entries):
        if entry.target == target:
            below = []
            for other in entries[i + 1 :]:
                if other.depth <= entry.depth:
                    break
                if other.depth == entry.depth + 1:
                    below.append(other)
            return below
    raise LookupError(f"no navigation entry links to {target!r}")


def relative(target: str, page: str) -> str:
    """``target`` (relative to the docs folder) as a link from ``page``."""
    return os.path.relpath(target, start=str(Path(page).parent)).replace(os.sep, "/")


# ---------------------------------------------------------------------------------------------
# The format pages, from the schemas

#: Each schema, the page written from it, its title and its introduction.
SCHEMA_PAGES = (
    (
        "standard-pack.schema.json",
        "reference/pack-schema.md",
        "Pack schema",
        "Every field a standard pack may have. [The pack format](../pack-format.md) explains how "
        "to write one, with a complete example and layering.",
    ),
    (
        "evidence.schema.json",
        "reference/evidence-schema.md",
        "Evidence format",
        "Every record an evidence bundle may hold, generated from the typed entities the "
        "evidence is structured into (`python -m safeguard_std.evidence._schema`). Dates are "
        "`YYYY-MM-DD`; a timestamp with an offset is read as a Europe/London date. Fields marked "
        "**personal data** never appear in findings, reports or error messages unless the caller "
        "asks ([personal data](../explanation/personal-data.md)).",
    ),
    (
        "pack-tests.schema.json",
        "reference/pack-tests-schema.md",
        "Pack test format",
        "A pack's test cases, as data: base evidence, cases that patch it with JSON Patch, and the "
        "findings each case expects. [Write a pack](../how-to/write-a-pack.md#5-test) shows one.",
    ),
    (
        "assessment.schema.json",
        "reference/assessment-schema.md",
        "Assessment format",
        "The assessment document `safeguard-std evaluate` writes as JSON, for programs in any "
        "language and for policy engines. [Read assessments from other languages]"
        "(../how-to/consume-assessments.md) says how to use it, with an OPA (Rego) example.",
    ),
)


def schema_page(schemas: Path, file: str) -> str:
    """The reference page for ``schemas/<file>`` (one of :data:`SCHEMA_PAGES`)."""
    _file, _page, title, intro = next(p for p in SCHEMA_PAGES if p[0] == file)
    schema = json.loads((schemas / file).read_text(encoding="utf-8"))
    return schema_markdown(schema, title=title, intro=intro, file=f"schemas/{file}")


if __name__ == "__main__":  # python docs/_scripts/reference_pages.py: rewrite the committed page
    _root = Path(__file__).resolve().parents[2]
    (_root / "docs" / "reference" / "evidence-schema.md").write_text(
        schema_page(_root / "schemas", "evidence.schema.json"), encoding="utf-8"
    )
