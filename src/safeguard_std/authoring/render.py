"""``pack render``: a resolved pack as a document a person reads, in Markdown or HTML.

Section by section, each requirement shows its id and title, how strongly it binds (modality) and
whom (duty holder), what it is judged per, the source text it encodes with its citation, when it
applies (the predicate in words), what evidence satisfies it (the rule kind's own description and
its parameters in words), and the pack's reading of any ambiguity. Parameters, documents and
withdrawn requirements follow. The HTML is one self-contained, printable file: no scripts, no
fonts or styles fetched from anywhere. Output depends only on the pack (no dates, no clock).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from importlib import resources
from urllib.parse import quote

import attrs

from safeguard_std._version import __version__
from safeguard_std.authoring._words import param_words, predicate_words, rst_to_plain, value_words
from safeguard_std.authoring.lint import param_refs
from safeguard_std.domain.pack import Modality, Pack, Requirement
from safeguard_std.packs._inclusion import SEPARATOR
from safeguard_std.reports._format import clean_text
from safeguard_std.rules import RuleKindRegistry, default_registry

__all__ = ["FORMATS", "RequirementView", "render_html", "render_markdown", "render_pack"]

FORMATS = ("markdown", "html")

_MODALITY_WORDS = {
    Modality.MUST: "Must: a requirement",
    Modality.SHOULD: "Should: expected unless there is good reason not to",
    Modality.RECOMMENDED: "Recommended: good practice",
}


@attrs.frozen
class RequirementView:
    """One requirement as the strings a document shows."""

    id: str
    title: str
    modality: str
    duty_holder: str
    subject: str
    citation: str
    text: str
    applies: str
    rule_kind: str
    evidence: str  # the rule kind's description, with ``code`` marked as `code`
    parameters: tuple[tuple[str, str], ...]
    attestation: bool
    reading: str | None
    notes: tuple[str, ...]


def _notes(req: Requirement, pack: Pack) -> tuple[str, ...]:
    out = []
    if len(pack.layers) > 1:
        out.append(f"Defined in {req.origin}")
        changed: dict[str, list[str]] = {}
        for field, layer in sorted(req.provenance.items()):
            changed.setdefault(layer, []).append(field)
        out += [f"{', '.join(fields)} changed in {layer}" for layer, fields in changed.items()]
    if req.severity:
        out.append(f"Severity: {req.severity}")
    if req.tags:
        out.append("Tags: " + ", ".join(req.tags))
    meta = {k: v for k, v in req.metadata.items() if k != "lint_ignore"}
    if meta:
        out.append("Metadata: " + json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str))
    return tuple(out)


def requirement_view(req: Requirement, pack: Pack, kinds: RuleKindRegistry) -> RequirementView:
    """The strings shown for ``req``."""
    kind = kinds[req.rule.kind] if req.rule.kind in kinds else None  # noqa: SIM401
    return RequirementView(
        id=req.id,
        title=req.title,
        modality=req.modality.value,
        duty_holder=req.duty_holder.value,
        subject=req.subject.value.replace("_", " "),
        citation=req.citation,
        text=req.text,
        applies="always" if req.applies_when is None else predicate_words(req.applies_when),
        rule_kind=req.rule.kind,
        evidence=rst_to_plain(kind.description, ("`", "`")) if kind else "(unknown rule kind)",
        parameters=tuple((k, param_words(v, pack, k)) for k, v in req.rule.params.items()),
        attestation=bool(kind and kind.attestation),
        reading=req.reading,
        notes=_notes(req, pack),
    )


def _users(pack: Pack, name: str) -> list[str]:
    return [r.id for r in pack.active_requirements if name in param_refs(r.rule.params)]


_NUMBERED = ("appendix", "annex", "schedule", "section", "part")


def _heading(sid: str, title: str) -> str:
    """``1 Staff records``, unless the title already carries its number ("2. Training",
    "Appendix A.1 ...") or the id is a name rather than a number (KCSIE's ``scr``)."""
    lower = title.lower()
    if not any(c.isdigit() for c in sid):
        return title
    if lower.startswith((sid.lower(), *_NUMBERED)) or title[:1].isdigit():
        return title
    return f"{sid} {title}"


def _by_section(pack: Pack) -> Iterator[tuple[str, str, list[Requirement]]]:
    # The pack's own sections first; an included baseline (kcsie:...) follows, as an appendix.
    ordered = sorted(pack.sections, key=lambda s: SEPARATOR in s.id)
    for section in ordered:
        reqs = [r for r in pack.active_requirements if r.section == section.id]
        if reqs:
            yield section.id, _heading(section.id, section.title), reqs


def _in_force(pack: Pack) -> str:
    until = f"to {pack.effective_to.isoformat()}" if pack.effective_to else "until replaced"
    return f"{pack.effective_from.isoformat()} {until}"


def _facts(pack: Pack) -> list[tuple[str, str]]:
    rows = [
        ("Pack", f"{pack.id}@{pack.edition}"),
        ("Board", pack.board),
        ("In force", _in_force(pack)),
    ]
    if pack.supersedes:
        rows.append(("Supersedes", pack.supersedes))
    if len(pack.layers) > 1:
        rows.append(("Built from", " then ".join(pack.layers)))
    src = pack.source
    if src is not None:
        rows.append(("Source", src.title + (f", {src.publisher}" if src.publisher else "")))
        if src.url:
            rows.append(("Source address", src.url))
        if src.retrieved_on:
            rows.append(("Retrieved", src.retrieved_on.isoformat()))
        if src.sha256:
            rows.append(("Source SHA-256", src.sha256))
    counts = {m: sum(1 for r in pack.active_requirements if r.modality is m) for m in Modality}
    rows.append(
        (
            "Requirements",
            f"{len(pack.active_requirements)} ("
            + ", ".join(f"{n} {m.value}" for m, n in counts.items() if n)
            + ")",
        )
    )
    return rows


# -- Markdown --------------------------------------------------------------------------------------


_MD_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")
# Characters that start inline markup (code, emphasis, links, images, strike-through, table
# cells); an underscore inside a word is plain text already (``dbs_renewal``).
_MD_INLINE = re.compile(r"[\\`*\[\]|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# What starts a block at the beginning of a line: a heading, a list item, a setext underline.
_MD_BLOCK = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|[-+=](?=\s|$|[-=\s]*$)|\d{1,9}(?=[.)](?:\s|$)))")


def _md(text: str) -> str:
    """Pack text as one line of Markdown that shows exactly as written: line breaks become
    spaces, HTML is escaped (no ``<script>``, no ``<img onerror>``), and every character that
    would start a heading, list, table cell, link or emphasis is escaped."""
    text = html.escape(_MD_BREAKS.sub(" ", clean_text(text)), quote=False)
    text = _MD_INLINE.sub(lambda m: "\\" + m.group(0), text)
    return _MD_BLOCK.sub(_block_escaped, text)


def _block_escaped(match: re.Match[str]) -> str:
    lead, marker = match.groups()
    if marker[:1].isdigit():  # "1." starts a list: escape the dot, which follows the match
        return f"{lead}{marker}\\"
    return f"{lead}\\{marker}"


def _md_lines(text: str) -> list[str]:
    """Pack text of several lines, each escaped as :func:`_md` does, the line breaks kept."""
    return [_md(line) for line in text.splitlines()]


def _md_cell(text: str) -> str:
    return _md(text)


def _md_fragment(sid: str) -> str:
    return quote(sid, safe=":@/?-._~!$*+,;=")


def _md_requirement(view: RequirementView) -> list[str]:
    out = [f"### {view.id}: {_md(view.title)}", ""]
    out.append(
        f"**{view.modality.upper()}** · duty holder: {_md(view.duty_holder)} · judged per "
        f"{view.subject} · applies: {_md(view.applies)}"
    )
    out += ["", *(f"> {line}" if line else ">" for line in _md_lines(view.text)), ""]
    out += [f"Source: {_md(view.citation)}", ""]
    how = "a person's attestation" if view.attestation else "the records"
    out += [f"**Evidence** (rule `{view.rule_kind}`, judged from {how}): {view.evidence}", ""]
    if view.parameters:
        out += [f"- `{k}`: {_md(v)}" for k, v in view.parameters] + [""]
    if view.reading:
        out += [f"**Reading:** {_md(view.reading)}", ""]
    if view.notes:
        out += ["*" + _md("; ".join(view.notes)) + "*", ""]
    return out


def render_markdown(pack: Pack, *, kinds: RuleKindRegistry | None = None) -> str:
    """``pack`` as a Markdown document."""
    kinds = kinds if kinds is not None else default_registry()
    out = _md_head(pack) + _md_contents(pack)
    for sid, title, reqs in _by_section(pack):
        out += [f'<a id="section-{_e(sid)}"></a>', "", f"## {_md(title)}", ""]
        for req in reqs:
            out += _md_requirement(requirement_view(req, pack, kinds))
    out += _md_parameters(pack) + _md_documents(pack) + _md_withdrawn(pack)
    out += [f"*Rendered by safeguard-std {__version__} from {pack.id}@{pack.edition}.*", ""]
    return "\n".join(out)


def _md_head(pack: Pack) -> list[str]:
    out = [f"# {_md(pack.title)}", ""]
    out += ["| | |", "| --- | --- |"] + [f"| {k} | {_md_cell(v)} |" for k, v in _facts(pack)]
    if pack.source and pack.source.notes:
        out += ["", *_md_lines(pack.source.notes)]
    return out


def _md_contents(pack: Pack) -> list[str]:
    out = ["", "## Contents", ""]
    out += [
        f"- [{_md(title)}](#section-{_md_fragment(sid)})" for sid, title, _ in _by_section(pack)
    ]
    if pack.parameters:
        out.append("- [Parameters](#parameters)")
    return [*out, ""]


def _md_parameters(pack: Pack) -> list[str]:
    if not pack.parameters:
        return []
    out = ['<a id="parameters"></a>', "", "## Parameters", ""]
    out += [
        "| name | value | meaning | reading | used by | set by |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, p in sorted(pack.parameters.items()):
        cells = (
            name,
            value_words(p.value),
            p.description or "",
            p.reading or "",
            ", ".join(_users(pack, name)),
            p.origin or "",
        )
        out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return [*out, ""]


def _md_documents(pack: Pack) -> list[str]:
    if not pack.documents:
        return []
    out = [
        "## Documents named",
        "",
        "| id | title | accepted in its place |",
        "| --- | --- | --- |",
    ]
    for key, doc in sorted(pack.documents.items()):
        row = (key, doc.title, "; ".join(doc.accepted))
        out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
    return [*out, ""]


def _md_withdrawn(pack: Pack) -> list[str]:
    withdrawn = [r for r in pack.requirements if r.withdrawn]
    if not withdrawn:
        return []
    out = ["## Withdrawn requirements", ""]
    for r in withdrawn:
        by = f" (replaced by {r.replaced_by})" if r.replaced_by else ""
        out.append(f"- {r.id}: {_md(r.title + by)}")
    return [*out, ""]


# -- HTML ------------------------------------------------------------------------------------------


def _css() -> str:
    return resources.files("safeguard_std.authoring").joinpath("render.css").read_text("utf-8")


def _e(text: str) -> str:
    return html.escape(clean_text(text), quote=True)


def _linkable(url: str) -> bool:
    """Whether ``url`` may become a link: an https address, as the pack schema requires (a pack
    built in Python never met the schema)."""
    return _HTTPS.fullmatch(url) is not None


_HTTPS = re.compile(r"https://[^\s\"'<>\\`]+")


def _code(text: str) -> str:
    return rst_to_plain(_e(text), ("<code>", "</code>"))


def _html_requirement(view: RequirementView) -> list[str]:
    paragraphs = "".join(f"<p>{_e(p)}</p>" for p in view.text.split("\n\n") if p.strip())
    params = ""
    if view.parameters:
        items = "".join(f"<li>{_e(k.replace('_', ' '))}: {_e(v)}</li>" for k, v in view.parameters)
        params = f'<ul class="params">{items}</ul>'
    how = rst_to_plain(_e(view.evidence.replace("`", "``")), ("<code>", "</code>"))
    rows = [
        ("Applies", _e(view.applies)),
        ("Rule", f"<code>{_e(view.rule_kind)}</code>{params}"),
        ("Evidence", how),
    ]
    if view.reading:
        rows.append(("Reading", _e(view.reading)))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    notes = f'<p class="notes">{_e("; ".join(view.notes))}</p>' if view.notes else ""
    judged = (
        '<span class="badge attest">needs a person\'s attestation</span>'
        if view.attestation
        else '<span class="badge">judged from records</span>'
    )
    return [
        f'<article class="req {view.modality}" id="{_e(view.id)}">',
        f'<h3><span class="id">{_e(view.id)}</span>{_e(view.title)}</h3>',
        '<p class="badges">'
        f'<span class="badge {view.modality}">{_e(view.modality.upper())}</span>'
        f'<span class="badge">duty holder: {_e(view.duty_holder)}</span>'
        f'<span class="badge">judged per {_e(view.subject)}</span>{judged}</p>',
        f"<blockquote>{paragraphs}</blockquote>",
        f'<p class="cite">Source: {_e(view.citation)}</p>',
        f"<dl>{dl}</dl>",
        notes,
        "</article>",
    ]


def render_html(pack: Pack, *, kinds: RuleKindRegistry | None = None) -> str:
    """``pack`` as one self-contained, printable HTML page."""
    kinds = kinds if kinds is not None else default_registry()
    sections = list(_by_section(pack))
    out = _html_head(pack) + _html_contents(pack, sections)
    for sid, stitle, reqs in sections:
        out.append(f'<section id="section-{_e(sid)}"><h2>{_e(stitle)}</h2>')
        for req in reqs:
            out += _html_requirement(requirement_view(req, pack, kinds))
        out.append("</section>")
    out += _html_parameters(pack) + _html_documents(pack) + _html_withdrawn(pack)
    out += [
        f"<footer>Rendered by safeguard-std {__version__} from {_e(pack.id)}@{_e(pack.edition)}."
        "</footer>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def _html_head(pack: Pack) -> list[str]:
    title = f"{pack.title} ({pack.id}@{pack.edition})"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="safeguard-std {__version__}">',
        # The same policy as the assessment reports: nothing is fetched and no script runs.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{_e(title)}</title>",
        f"<style>\n{_css()}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_e(pack.title)}</h1>",
        '<table class="facts">',
        *(_html_fact(k, v) for k, v in _facts(pack)),
        "</table>",
    ]
    if pack.source and pack.source.notes:
        out.append(f'<p class="notes">{_e(pack.source.notes)}</p>')
    return out


def _html_fact(key: str, value: str) -> str:
    if key == "Source address" and _linkable(value):
        shown = f'<a href="{_e(value)}">{_e(value)}</a>'
    else:
        shown = _e(value)
    return f"<tr><th>{_e(key)}</th><td>{shown}</td></tr>"


def _html_contents(pack: Pack, sections: list[tuple[str, str, list[Requirement]]]) -> list[str]:
    out = ['<nav aria-label="Contents"><h2>Contents</h2><ul class="toc">']
    out += [f'<li><a href="#section-{_e(s)}">{_e(t)}</a></li>' for s, t, _ in sections]
    if pack.parameters:
        out.append('<li><a href="#parameters">Parameters</a></li>')
    return [*out, "</ul></nav>"]


def _html_parameters(pack: Pack) -> list[str]:
    if not pack.parameters:
        return []
    out = [
        '<section id="parameters"><h2>Parameters</h2>',
        "<p>Values declared once and used by the rules above; a council may change them "
        "in one place.</p>",
        "<table><tr><th>Name</th><th>Value</th><th>Meaning</th><th>Reading</th>"
        "<th>Used by</th><th>Set by</th></tr>",
    ]
    for name, p in sorted(pack.parameters.items()):
        cells = [
            f"<code>{_e(name)}</code>",
            _e(value_words(p.value)),
            _e(p.description or ""),
            _e(p.reading or ""),
            ", ".join(f'<a href="#{_e(r)}">{_e(r)}</a>' for r in _users(pack, name)),
            _e(p.origin or ""),
        ]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return [*out, "</table></section>"]


def _html_documents(pack: Pack) -> list[str]:
    if not pack.documents:
        return []
    out = [
        "<section><h2>Documents named</h2><table>",
        "<tr><th>Id</th><th>Title</th><th>Accepted in its place</th></tr>",
    ]
    for key, doc in sorted(pack.documents.items()):
        out.append(
            f"<tr><td><code>{_e(key)}</code></td><td>{_e(doc.title)}</td>"
            f"<td>{_e('; '.join(doc.accepted))}</td></tr>"
        )
    return [*out, "</table></section>"]


def _html_withdrawn(pack: Pack) -> list[str]:
    withdrawn = [r for r in pack.requirements if r.withdrawn]
    if not withdrawn:
        return []
    out = ["<section><h2>Withdrawn requirements</h2><ul>"]
    for r in withdrawn:
        by = f" (replaced by {_e(r.replaced_by)})" if r.replaced_by else ""
        out.append(f'<li><span class="id">{_e(r.id)}</span>{_e(r.title)}{by}</li>')
    return [*out, "</ul></section>"]


def render_pack(pack: Pack, fmt: str = "markdown", *, kinds: RuleKindRegistry | None = None) -> str:
    """``pack`` rendered as ``fmt`` (``markdown`` or ``html``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    return (
        render_markdown(pack, kinds=kinds) if fmt == "markdown" else render_html(pack, kinds=kinds)
    )
