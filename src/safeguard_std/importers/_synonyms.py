"""The default header synonyms: the column names seen in published SCR templates and in the
exports of SCR and HR tools (DOMAIN.md section A), and the many ways people write them. They are
data, ``synonyms.yaml`` beside this module, read once through :mod:`importlib.resources`.

Headers are compared after :func:`header_key`: case, spacing, punctuation and format hints
("(dd/mm/yyyy)", "Y/N") do not matter, and common abbreviations are spelled out ("DBS No." is
"dbs number", "DOB" is "date of birth", "Ref 1" is "reference 1", "s128" is "section 128").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

import attrs
import yaml

from safeguard_std.importers._fields import FIELDS, NOT_MODELLED

__all__ = ["POSITIONAL", "SYNONYMS", "Synonym", "SynonymTableError", "header_key"]

_HINT = re.compile(
    r"\((?:[^)]*\b(?:dd|mm|yy|yyyy|y/n|yes/no|date format)\b[^)]*)\)"
    r"|\b(?:dd|mm)[/.-](?:mm|dd)[/.-](?:yyyy|yy)\b|\by/n\b|\byes/no\b",
    re.IGNORECASE,
)
_PUNCT = re.compile(r"[^\w\s]+")
_WORDS = {
    "no": "number",
    "num": "number",
    "nbr": "number",
    "cert": "certificate",
    "certs": "certificates",
    "ref": "reference",
    "refs": "references",
    "dob": "date of birth",
    "rtw": "right to work",
    "enh": "enhanced",
    "qual": "qualifications",
    "quals": "qualifications",
    "qualification": "qualifications",
    "chk": "check",
    "recd": "received",
    "rcvd": "received",
    "s128": "section 128",
    "sec": "section",
    "1st": "1",
    "2nd": "2",
    "3rd": "3",
    "childrens": "children",
    "esafety": "online safety",
    "ebulk": "e bulk",
}


def header_key(text: str) -> str:
    """A header reduced to the words that identify it."""
    text = _HINT.sub(" ", text.replace("\u00a0", " ")).replace("(s)", "s").replace("(S)", "s")
    text = text.replace("&", " and ").replace("#", " number ").replace("'", "").lower()
    words = _PUNCT.sub(" ", text).replace("_", " ").split()
    return " ".join(_WORDS.get(w, w) for w in words)


@attrs.frozen
class Synonym:
    """What a header means: a field, and values it implies for the record (an "Enhanced DBS
    date" column implies the level of every DBS check on that sheet)."""

    field: str
    implies: tuple[tuple[str, str], ...] = ()


_POSITIONAL_MEANINGS = frozenset({"by", "date", "provider", "recognised", "number", "level"})


class SynonymTableError(ValueError):
    """The packaged synonym table is malformed (a packaging or editing mistake)."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SynonymTableError(f"synonyms.yaml: {message}")


def _load(text: str) -> tuple[dict[str, Synonym], dict[str, str]]:
    """Build the tables from the YAML text, refusing unknown fields and headers given two
    meanings (the file is data: a mistake in it must not pass silently)."""
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader)  # a safe loader, the C one when built
    _check(isinstance(data, dict) and data.get("synonyms_format") == 1, "synonyms_format: 1")
    table: dict[str, Synonym] = {}
    for n, entry in enumerate(data.get("fields") or ()):
        field = entry.get("field")
        _check(field in FIELDS or field in NOT_MODELLED, f"fields[{n}]: unknown field {field!r}")
        implies = entry.get("implies") or {}
        for key in implies:
            _check(key in FIELDS, f"fields[{n}].implies: unknown field {key!r}")
        synonym = Synonym(field, tuple(sorted((k, str(v)) for k, v in implies.items())))
        for name in entry.get("headers") or ():
            key = header_key(str(name))
            _check(
                table.get(key, synonym) == synonym,
                f"fields[{n}]: header {name!r} is given two meanings",
            )
            table[key] = synonym
    positional: dict[str, str] = {}
    for name, meaning in (data.get("positional") or {}).items():
        _check(meaning in _POSITIONAL_MEANINGS, f"positional: {name!r} means {meaning!r}")
        positional[header_key(str(name))] = meaning
    return table, positional


def _read() -> str:
    return (
        resources.files("safeguard_std.importers")
        .joinpath("synonyms.yaml")
        .read_text(encoding="utf-8")
    )


_TABLE, _POSITIONAL = _load(_read())

#: Header key -> meaning. Fields ``dbs.application_ref``, ``qts`` and ``photo`` are recognised
#: but not imported (see :data:`~safeguard_std.importers._fields.NOT_MODELLED`).
SYNONYMS: Mapping[str, Synonym] = _TABLE

#: Generic headers that mean "this about the column before": "Checked by" after "DBS date" is
#: who saw the certificate; "Date" after "DBS number" is the issue date.
POSITIONAL: Mapping[str, str] = _POSITIONAL
