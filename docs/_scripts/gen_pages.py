"""Build-time pages (run by mkdocs-gen-files): the reference generated from the code, and the
navigation, which lists only the pages that exist.

Generated here, never committed: the command-line reference (from the argument parser), the pack,
evidence and pack-test formats (from ``schemas/``), the rule kinds and facts (from the registry),
every bundled pack rendered by ``safeguard_std.authoring``, one API page per public module, the
index of design decisions, and copies of the repository files that pages link to.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import mkdocs_gen_files

sys.path.insert(0, str(Path(__file__).parent))

import reference_pages as ref

import safeguard_std
from safeguard_std.authoring import render_markdown
from safeguard_std.authoring.reference import rule_kinds_markdown
from safeguard_std.cli import _parser
from safeguard_std.packs import bundled_catalog

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
SCHEMAS = ROOT / "schemas"

# Modules whose API is not for callers: the command line (documented by its own page), the
# pytest plugin's hooks and ``python -m safeguard_std``.
API_SKIP = frozenset({"cli", "pytest_plugin"})
API_TITLES = {"safeguard_std": "safeguard_std (the public names)"}

generated: set[str] = set()


def write(path: str, text: str) -> None:
    with mkdocs_gen_files.open(path, "w") as handle:
        handle.write(text)
    generated.add(path)


def exists(target: str) -> bool:
    return target in generated or (DOCS / target).is_file()


# -- the command line ---------------------------------------------------------------------------

write("reference/cli.md", ref.cli_markdown(_parser()))

# -- formats, from the schemas -----------------------------------------------------------------

# The evidence format is also committed (docs/reference/evidence-schema.md), for reading on the
# forge; a test keeps it equal to what is written here.
for file, page, _title, _intro in ref.SCHEMA_PAGES:
    write(page, ref.schema_page(SCHEMAS, file))

# -- rule kinds (also committed, for reading on the forge; a test keeps the two equal) ---------

write("rule-kinds.md", rule_kinds_markdown())

# -- every bundled pack, rendered --------------------------------------------------------------

catalog = bundled_catalog()
pack_entries: list[str] = []
pack_rows = [
    "| pack | edition | in force from | title | how it was read |",
    "| --- | --- | --- | --- | --- |",
]
for pack_id in sorted({r.id for r in catalog.refs}):
    guide = f"packs/{pack_id}.md"
    has_guide = (DOCS / guide).is_file()
    pack_entries.append(f"* {pack_id}")
    if has_guide:
        pack_entries.append(f"    * [How it was read]({guide})")
    for edition in catalog.editions(pack_id):
        # An edition that includes a pack by date resolves differently on each date an included
        # edition starts: render each resolution, the latest under the edition's own name.
        packs = catalog.resolutions(edition)
        dates = catalog.review_dates(edition) if len(packs) > 1 else (None,)
        for n, (pack, day) in enumerate(zip(packs, dates, strict=True)):
            latest = n == len(packs) - 1
            slug = f"{pack_id}-{edition.edition}" + ("" if latest else f"-on-{day}")
            page = f"reference/packs/{slug}.md"
            included = [layer for layer in pack.layers if not layer.startswith(f"{pack_id}@")]
            when = ""
            if day is not None:
                when = f" as resolved from {day}" + (
                    f", with {', '.join(included)} beneath it" if included else ""
                )
            cli = f" (`safeguard-std pack render {edition}` prints the same)" if day is None else ""
            note = (
                f'!!! note "Generated"\n    `{edition}`{when}, rendered by '
                f"`safeguard_std.authoring.render_markdown` when this site was built{cli}."
            )
            body = render_markdown(pack, kinds=catalog.kinds)
            title, _, rest = body.partition("\n")
            write(page, f"{title}\n\n{note}\n{rest}")
            label = f"{edition}" + (f" from {day}" if day is not None else "")
            pack_entries.append(f"    * [{label}]({page})")
            how = f"[{pack_id}](../../{guide})" if has_guide else ""
            start = day or pack.effective_from
            pack_rows.append(
                f"| [`{edition}`]({slug}.md) | {edition.edition} | {start} | {pack.title} | {how} |"
            )

write(
    "reference/packs/index.md",
    "# Bundled packs\n\n"
    "Every pack shipped with safeguard_std, rendered from the pack itself when this site was "
    "built: each requirement with its source text, citation, modality, duty holder, when it "
    "applies, the rule that judges it and the reading of any ambiguity. The hand-written guides "
    "map each standard to its requirement ids line by line.\n\n" + "\n".join(pack_rows) + "\n",
)

# -- the Python API ----------------------------------------------------------------------------

api_entries = ["* [Overview](reference/api/index.md)"]
for module in ["safeguard_std", *ref.api_modules(safeguard_std, skip=API_SKIP)]:
    short = module.removeprefix("safeguard_std.") if module != "safeguard_std" else module
    page = f"reference/api/{short}.md"
    title = API_TITLES.get(module, module)
    members = "\n    options:\n      show_submodules: true" if module != "safeguard_std" else ""
    write(page, f"# `{title}`\n\n::: {module}{members}\n")
    api_entries.append(f"* [{short}]({page})")

# -- design decisions --------------------------------------------------------------------------

decision_entries = []
decision_rows = []
for path in sorted((DOCS / "decisions").glob("[0-9]*.md")):
    heading = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()
    heading = re.sub(r"^0*(\d+)[.:]\s*", r"\1. ", heading)
    decision_entries.append(f"* [{heading}](decisions/{path.name})")
    decision_rows.append(f"- [{heading}]({path.name})")
write(
    "decisions/index.md",
    "# Design decisions\n\n"
    "Why things are the way they are: each record gives the context, the choice and what it "
    "costs. A newcomer who would question a choice finds the reason here.\n\n"
    + "\n".join(decision_rows)
    + "\n",
)

# -- the navigation ----------------------------------------------------------------------------


def expand(template: str) -> str:
    lines = []
    for line in template.splitlines():
        marker = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        block = {"<!-- packs -->": pack_entries, "<!-- api -->": api_entries}.get(marker)
        if marker == "<!-- decisions -->":
            block = decision_entries
        if block is None:
            lines.append(line)
        else:
            lines += [indent + entry for entry in block]
    return "\n".join(lines)


entries = ref.keep_existing(ref.parse_nav(expand((DOCS / "_nav.md").read_text())), exists)
write("SUMMARY.md", ref.nav_markdown(entries))

# Section index pages list their children that exist, with the template's one-line blurbs.
for index in ("how-to/index.md", "reference/index.md", "explanation/index.md"):
    text = (DOCS / index).read_text(encoding="utf-8")
    items = [
        f"- [{e.title}]({ref.relative(e.target, index)})" + (f": {e.blurb}" if e.blurb else "")
        for e in ref.children(entries, index)
        if e.target is not None
    ]
    write(index, text.replace("<!-- children -->", "\n".join(items)))

# -- repository files that pages link to -------------------------------------------------------
# A page may link to a file outside docs/ (an example, a schema) so that the link works when the
# Markdown is read on the forge. The site gets a copy under repository/, and the link is pointed
# at it; a folder gets a page showing each of its files.

_OUTSIDE = re.compile(r"\]\((?P<target>(?:\.\./)+[^)#\s]+)\)")


def copy_out(rel: str) -> str:
    source = ROOT / rel
    if source.is_dir():
        page = f"repository/{rel.rstrip('/')}/index.md"
        if page not in generated:
            parts = [f"# `{rel.rstrip('/')}/`", ""]
            for file in sorted(p for p in source.rglob("*") if p.is_file()):
                if "__pycache__" in file.parts or file.suffix in {".pyc"}:
                    continue
                lang = {".py": "python", ".toml": "toml", ".yaml": "yaml", ".json": "json"}.get(
                    file.suffix, "text"
                )
                parts += [
                    f"## `{file.relative_to(ROOT)}`",
                    "",
                    f"```{lang}",
                    file.read_text(encoding="utf-8").rstrip("\n"),
                    "```",
                    "",
                ]
            write(page, "\n".join(parts))
        return page
    page = f"repository/{rel}"
    if page not in generated:
        with mkdocs_gen_files.open(page, "wb") as handle:
            handle.write(source.read_bytes())
        generated.add(page)
    return page


for page_path in sorted(DOCS.rglob("*.md")):
    rel_page = page_path.relative_to(DOCS).as_posix()
    if rel_page.startswith("_"):
        continue
    text = page_path.read_text(encoding="utf-8")

    def point(match: re.Match[str], rel_page: str = rel_page) -> str:
        target = match["target"]
        resolved = (DOCS / Path(rel_page).parent / target).resolve()
        try:
            inside = resolved.relative_to(ROOT).as_posix()
        except ValueError:
            return match.group(0)
        if inside.startswith("docs/") or not resolved.exists():
            return match.group(0)
        copied = copy_out(inside + ("/" if resolved.is_dir() else ""))
        return f"]({ref.relative(copied, rel_page)})"

    changed = _OUTSIDE.sub(point, text)
    if changed != text and rel_page not in generated:
        write(rel_page, changed)
