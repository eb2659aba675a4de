"""Turning schema and structuring errors into located :class:`Problem` values.

Shared by the pack and evidence loaders: one place decides how a problem is worded, where it is
located, which hint it carries ("did you mean 'section'?"), and which values are withheld because
they are personal data.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from safeguard_std.exceptions import Problem, quoted
from safeguard_std.io.documents import Document
from safeguard_std.rules._kind import PERIOD_SCHEMA

if TYPE_CHECKING:  # imported when there is an error to explain: it costs 30 ms to import
    import jsonschema

__all__ = ["did_you_mean", "rule_param_problems", "schema_problems", "shown"]

Path = tuple[str | int, ...]
Redact = Callable[[Path], bool]

_MAX_SHOWN = 80
_MAX_HINTED = 100
#: Unknown keys reported one by one in a mapping; the rest are counted.
_MAX_KEYS = 20


def shown(value: Any) -> str:
    """A short, safe ``repr`` of a value for an error message."""
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest choice, or ``None`` when nothing is close."""
    if len(word) > _MAX_HINTED:  # nothing that long is a typo of a name, and difflib is slow
        return None
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


_UNEXPECTED = re.compile(r"'([^']+)' (?:was|were) unexpected")


def _properties(schema: Any) -> list[str]:
    return sorted(schema.get("properties", {})) if isinstance(schema, dict) else []


def _one(error: jsonschema.ValidationError, doc: Document, redact: Redact) -> list[Problem]:
    path: Path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        return _unknown_keys(error, error.instance, doc, path)
    if error.validator == "required":
        return [_missing_key(error, doc, path)]
    secret = redact(path)
    found = "(withheld: personal data)" if secret else shown(error.instance)
    if error.validator == "enum":
        return [_not_allowed(error, doc, path, found, secret)]
    if error.validator in ("oneOf", "anyOf") and error.context:
        inner = _best_branch(error, doc, redact)
        if inner:
            return inner
    expected = _expected(error)
    return [Problem("invalid value", doc.locate(path), expected=expected, found=found)]


def _unknown_keys(
    error: jsonschema.ValidationError, value: dict[str, Any], doc: Document, path: Path
) -> list[Problem]:
    allowed = _properties(error.schema)
    extra = sorted(set(value) - set(allowed)) or _UNEXPECTED.findall(error.message)
    problems = [
        Problem(
            f"unknown key {quoted(key)}",
            doc.locate((*path, key)),
            expected="one of " + ", ".join(allowed) if allowed else None,
            hint=did_you_mean(key, allowed),
        )
        for key in extra[:_MAX_KEYS]
    ]
    if len(extra) > _MAX_KEYS:
        problems.append(
            Problem(f"and {len(extra) - _MAX_KEYS} more unknown keys", doc.locate(path))
        )
    return problems


def _missing_key(error: jsonschema.ValidationError, doc: Document, path: Path) -> Problem:
    missing = re.findall(r"'([^']+)' is a required property", str(error.message))
    name = missing[0] if missing else str(error.message)
    schema: Any = error.schema
    spec = schema.get("properties", {}).get(name, {}) if isinstance(schema, dict) else {}
    choices = spec.get("enum") if isinstance(spec, dict) else None
    expected = f"{name!r}: one of " + ", ".join(repr(str(c)) for c in choices) if choices else None
    # A key of the value that is not one of the schema's may be this one misspelt.
    written = error.instance if isinstance(error.instance, dict) else {}
    known = set(_properties(schema))
    others = sorted(str(k) for k in written if k not in known)
    if len(name) > _MAX_HINTED:
        others = []
    close = difflib.get_close_matches(name, others, n=1, cutoff=0.6)
    hint = f"is {close[0]!r} meant to be {name!r}?" if close else None
    return Problem(
        f"required key {name!r} is missing", doc.locate(path), expected=expected, hint=hint
    )


def _not_allowed(
    error: jsonschema.ValidationError, doc: Document, path: Path, found: str, secret: bool
) -> Problem:
    allowed_values: Any = error.validator_value
    choices = [str(c) for c in allowed_values]
    value = error.instance
    hint = None if secret or not isinstance(value, str) else did_you_mean(value, choices)
    if isinstance(value, bool) and str(value).lower() in choices:
        word = str(value).lower()
        hint = f"YAML reads an unquoted {word} as true or false: write {word!r} in quotes"
    return Problem(
        "value not allowed",
        doc.locate(path),
        expected="one of " + ", ".join(repr(c) for c in choices),
        found=found,
        hint=hint,
    )


def _best_branch(error: jsonschema.ValidationError, doc: Document, redact: Redact) -> list[Problem]:
    meant = _meant_branch(error, doc)
    if isinstance(meant, Problem):
        return [meant]
    if meant is not None:  # every error of the form the value was written for
        return [p for e in meant for p in _one(e, doc, redact)]
    # An optional field is anyOf [X, null]: report against X, not against null.
    branches = [e for e in error.context or () if e.schema != {"type": "null"}]
    kinds = _of_no_form(error, branches)
    if kinds:  # the value is of none of the forms' types: name them all
        path: Path = tuple(error.absolute_path)
        found = "(withheld: personal data)" if redact(path) else shown(error.instance)
        return [Problem("invalid value", doc.locate(path), expected=kinds, found=found)]
    from jsonschema.exceptions import best_match

    best = best_match(branches or error.context or ())
    return _one(best, doc, redact) if best is not None else []


def _meant_branch(
    error: jsonschema.ValidationError, doc: Document
) -> list[jsonschema.ValidationError] | Problem | None:
    """The errors of the one form of a ``oneOf``/``anyOf`` the value was plainly written for;
    a problem naming the keys that tell the forms apart when the value has none of them; or
    ``None`` when no one form stands out.

    Forms are told apart by what the value itself gets wrong against each: first its type,
    then the keys the form requires that it lacks (a lacking key that one of its unknown keys
    is a misspelling of counts as present: ``al`` is ``all`` misspelt), then its keys the form
    does not know. So a comparison with a misspelt operator is reported as that, not as a
    missing ``all``; and the misspelling is said once, as an unknown key with its hint."""
    by_branch = _by_branch(error.context or ())
    alternatives: Any = error.validator_value
    if len(by_branch) < 2 or len(by_branch) != len(alternatives):
        return None  # one alternative alone, or one that matched (valid under two of oneOf)
    forms = {i: _Form(errors) for i, errors in by_branch.items()}
    ranked = sorted(forms, key=lambda i: (forms[i].rank, i))
    best, runner_up = forms[ranked[0]], forms[ranked[1]]
    if best.rank != runner_up.rank:
        return best.errors()
    tied = [forms[i] for i in ranked if forms[i].rank == best.rank]
    if best.types or not all(len(form.missing) == 1 for form in tied):
        return None
    # A mapping with none of the keys that say which form it is: name them all.
    keys = ", ".join(repr(k) for form in tied for k in sorted(form.missing))
    return Problem(
        "required key missing", doc.locate(tuple(error.absolute_path)), expected="one of " + keys
    )


def _by_branch(
    errors: Iterable[jsonschema.ValidationError],
) -> dict[int, list[jsonschema.ValidationError]]:
    """A ``oneOf``/``anyOf``'s inner errors by the alternative (its index) that raised them."""
    by_branch: dict[int, list[jsonschema.ValidationError]] = {}
    for inner in errors:
        if inner.relative_schema_path:
            by_branch.setdefault(int(inner.relative_schema_path[0]), []).append(inner)
    return by_branch


def _of_no_form(
    error: jsonschema.ValidationError, branches: list[jsonschema.ValidationError]
) -> str | None:
    """Each form's type in words (``a whole number or {param: NAME}``) when the value is of the
    type of none of several forms (null aside); ``None`` otherwise."""
    by_branch = _by_branch(branches)
    if len(by_branch) < 2:
        return None
    words: list[str] = []
    for errors in by_branch.values():
        if len(errors) != 1 or errors[0].validator != "type" or errors[0].relative_path:
            return None
        word = _type_words(errors[0])
        if word not in words:
            words.append(word)
    return _either(words)


def _either(words: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b, or c``: alternatives in words."""
    if len(words) < 3:
        return " or ".join(words)
    return ", ".join(words[:-1]) + ", or " + words[-1]


def _type_words(error: jsonschema.ValidationError) -> str:
    schema: Any = error.schema
    if isinstance(schema, dict) and schema.get("required") == ["param"]:
        return "{param: NAME}"  # a pack parameter reference
    return _expected(error)


class _Form:
    """What a value gets wrong against one form of a ``oneOf``/``anyOf``, at the value itself."""

    def __init__(self, errors: list[jsonschema.ValidationError]) -> None:
        self._errors = errors
        own = [e for e in errors if not e.relative_path]
        self.types = sum(e.validator == "type" for e in own)
        self.missing = {
            name for e in own if e.validator == "required" for name in _REQUIRED.findall(e.message)
        }
        self.unknown: set[str] = set()
        for e in own:
            if e.validator == "additionalProperties" and isinstance(e.instance, dict):
                allowed = set(_properties(e.schema))
                self.unknown |= {str(k) for k in e.instance if k not in allowed}
        self.misspelt = {
            name
            for name in self.missing
            if difflib.get_close_matches(name, sorted(self.unknown), n=1, cutoff=0.6)
        }
        self.rank = (self.types, len(self.missing - self.misspelt), len(self.unknown))

    def errors(self) -> list[jsonschema.ValidationError]:
        """Its errors, but a missing key that an unknown key misspells (that one says it), and
        too few keys when a key is missing (adding it is the remedy for both)."""
        return [e for e in self._errors if not self._said_otherwise(e)]

    def _said_otherwise(self, error: jsonschema.ValidationError) -> bool:
        if error.relative_path:
            return False
        if error.validator == "required":
            return set(_REQUIRED.findall(error.message)) <= self.misspelt
        return error.validator == "minProperties" and bool(self.missing)


_REQUIRED = re.compile(r"'([^']+)' is a required property")


#: The schemas' patterns that have a plain description (any other is shown as it is).
_PATTERN_WORDS = {
    r"^\d{4}-\d{2}-\d{2}(T.+)?$": "a date written YYYY-MM-DD",
    r"^\d{4}-\d{2}-\d{2}$": "a date written YYYY-MM-DD",
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date written YYYY-MM-DD",
    r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$": (
        "an id: a letter or digit, then up to 127 letters, digits, '.', '_', ':' or '-'"
    ),
    r"^[a-z_0-9]+(\.[a-z_0-9]+)*$": "a field name such as dbs.issued_on",
    r"^sha256:[0-9a-f]{64}$": "'sha256:' and 64 lower-case hexadecimal digits",
}

#: Size limits in words: whether a lower bound, and what is counted.
_BOUNDS = {
    "minimum": (True, ""),
    "maximum": (False, ""),
    "minItems": (True, "item"),
    "maxItems": (False, "item"),
    "minLength": (True, "character"),
    "maxLength": (False, "character"),
    "minProperties": (True, "key"),
    "maxProperties": (False, "key"),
}


def _expected(error: jsonschema.ValidationError) -> str:
    kind = error.validator
    value: Any = error.validator_value
    if kind == "type":
        names = value if isinstance(value, list) else [value]
        return _either(
            [
                {
                    "integer": "a whole number",
                    "string": "a string",
                    "boolean": "true or false",
                    "array": "a list",
                    "object": "a mapping",
                    "null": "null",
                }.get(str(n), str(n))
                for n in names
            ]
        )
    if kind == "pattern" and str(value).startswith("^https://"):
        return "an https:// address (no spaces, quotes, backslashes or angle brackets)"
    if kind == "pattern" and str(value) in _PATTERN_WORDS:
        return _PATTERN_WORDS[str(value)]
    if kind == "pattern":
        return f"text matching {value}"
    if kind == "format" and value == "date":
        return "a real calendar date 'YYYY-MM-DD'"
    if kind == "const":
        return repr(value)
    if kind in _BOUNDS:
        least, noun = _BOUNDS[kind]
        plural = "" if value == 1 or not noun else "s"
        return f"{'at least' if least else 'at most'} {value}{' ' + noun if noun else ''}{plural}"
    return str(error.message)


def schema_problems(
    errors: Iterable[jsonschema.ValidationError],
    doc: Document,
    redact: Redact = lambda _p: False,
    limit: int = 200,
) -> list[Problem]:
    """Located problems for schema errors (at most ``limit``: the rest are summarised)."""
    problems: list[Problem] = []
    for error in errors:
        problems.extend(_one(error, doc, redact))
        if len(problems) >= limit:
            problems.append(Problem(f"stopped after {limit} problems", doc.locate(())))
            break
    return problems


_PERIOD_PATTERN = PERIOD_SCHEMA["pattern"]


def _param_name(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def rule_param_problems(
    errors: Iterable[jsonschema.ValidationError],
    *,
    requirement: str,
    kind: str,
    allowed: Sequence[str],
    locate: Callable[[Path, bool], Any],
) -> list[Problem]:
    """Located problems for a rule kind's parameter errors.

    ``locate(path, follow)`` returns ``(Location, note)`` for a path inside the rule's
    parameters: where the offending parameter is written or, with ``follow``, where the value of
    the pack parameter it refers to is written, and a note such as
    ``" (from parameter 'dbs_renewal')"``.
    """
    problems: list[Problem] = []
    head = f"requirement {requirement}: rule kind {kind!r}"
    for error in errors:
        path: Path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            for key in sorted(set(error.instance) - set(allowed)):
                where, _ = locate((*path, key), False)
                problems.append(
                    Problem(
                        f"{head} has no parameter {key!r}",
                        where,
                        expected="one of " + ", ".join(allowed) if allowed else "no parameters",
                        hint=did_you_mean(key, allowed),
                    )
                )
            continue
        if error.validator == "required":
            missing = re.findall(r"'([^']+)' is a required property", str(error.message))
            where, _ = locate(path, False)
            problems.append(Problem(f"{head} needs parameter {missing[0]!r}", where))
            continue
        where, note = locate(path, True)
        name = f"{head} parameter {_param_name(path)!r}{note}"
        value = error.instance
        if error.validator == "pattern" and error.validator_value == _PERIOD_PATTERN:
            problems.append(
                Problem(
                    f"{name} is not a duration",
                    where,
                    expected="an ISO 8601 duration such as P3Y, P12M, P2W or P90D",
                    found=shown(value),
                    hint=(
                        "this rule counts calendar time; working days (P1WD) are for rules "
                        "that count them, such as allegations_reported"
                        if isinstance(value, str) and value.endswith("WD")
                        else None
                    ),
                )
            )
        elif error.validator == "enum":
            allowed_values: Any = error.validator_value
            choices = [str(c) for c in allowed_values]
            problems.append(
                Problem(
                    f"{name}: value not allowed",
                    where,
                    expected="one of " + ", ".join(repr(c) for c in choices),
                    found=shown(value),
                    hint=did_you_mean(value, choices) if isinstance(value, str) else None,
                )
            )
        else:
            problems.append(
                Problem(
                    f"{name}: invalid value", where, expected=_expected(error), found=shown(value)
                )
            )
    return problems
