"""A griffe extension for the API reference: reads the library's docstrings, which are written
for ``help()`` and Sphinx-style roles, as Markdown.

- ``:class:`~safeguard_std.x.Name``` (any role) becomes the code span `` `Name` ``;
- a run of ``>>>`` lines (a doctest) becomes a fenced ``pycon`` block, so it is shown as code and
  not as a quotation.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|mod|data|exc|obj|const):`~?(?P<name>[^`]+)`")


def _role(match: re.Match[str]) -> str:
    name = match["name"]
    if match.group(0).split("`", 1)[1].startswith("~"):
        name = name.rsplit(".", 1)[-1]
    return f"`{name}`"


def markdown_docstring(text: str) -> str:
    """The docstring ``text`` with roles as code spans and doctests fenced."""
    text = _ROLE.sub(_role, text)
    out: list[str] = []
    in_example = False
    for line in text.splitlines():
        starts = line.lstrip().startswith(">>>")
        if starts and not in_example:
            if out and out[-1].strip():
                out.append("")
            out.append("```pycon")
            in_example = True
        elif in_example and not line.strip():
            out.append("```")
            in_example = False
        out.append(line)
    if in_example:
        out.append("```")
    return "\n".join(out)


class MarkdownDocstrings(griffe.Extension):
    """Rewrites each docstring once, when griffe loads the object."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown_docstring(obj.docstring.value)
