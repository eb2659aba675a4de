"""The library's errors: one root, every error located.

Every error the library raises on bad input is a :class:`SafeguardError`. Leaves also subclass
the builtin a caller would naturally catch (``ValueError``, ``LookupError``), so code that does not
know this library still handles them sensibly.

Errors carry fields, not just prose: a :class:`Problem` holds where (:class:`Location`), what was
found and what was expected; ``str()`` builds the sentence. Documents report *all* of their problems
at once, so a pack author fixes a file in one pass rather than one error per run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = [
    "AsOfRequired",
    "AssessmentError",
    "DocumentSyntaxError",
    "EditionNotInForce",
    "EvidenceError",
    "FieldValueError",
    "InvalidArgument",
    "InvalidPackRef",
    "InvalidPeriod",
    "Location",
    "MappingError",
    "MissingExtra",
    "PackError",
    "PackNotFound",
    "PackTestError",
    "PredicateSyntaxError",
    "Problem",
    "ReportError",
    "RuleError",
    "SafeguardError",
    "SpreadsheetError",
    "expect_date",
    "format_path",
    "quoted",
]

PathPart = str | int


def format_path(path: Sequence[PathPart]) -> str:
    """Render a path as ``$.people[3].dbs.issued_on`` (``$`` alone for the document root)."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.isidentifier() and len(part) <= 40:
            out.append(f".{part}")
        else:
            out.append(f"[{quoted(part, 40)}]")
    return "".join(out)


def quoted(value: object, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters: an error message stays one readable line
    however large the offending value is."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _pointer(path: Sequence[PathPart]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


@attrs.frozen
class Location:
    """Where a problem is: a source (file name or label), a path inside it, and a position."""

    source: str | None = None
    path: tuple[PathPart, ...] = ()
    line: int | None = None
    column: int | None = None

    @property
    def json_path(self) -> str:
        """The path as ``$.a[0].b``."""
        return format_path(self.path)

    @property
    def pointer(self) -> str:
        """The path as an RFC 6901 JSON pointer (``/a/0/b``)."""
        return _pointer(self.path)

    def __str__(self) -> str:
        where = self.json_path
        if self.source:
            where = f"{self.source} {where}"
        if self.line is not None:
            where += f" (line {self.line}" + (
                f", column {self.column})" if self.column is not None else ")"
            )
        return where


@attrs.frozen
class Problem:
    """One thing wrong with a document, with where it is and what was expected there."""

    message: str
    location: Location = Location()
    found: str | None = None
    expected: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        text = self.message
        if self.expected is not None and self.found is not None:
            text = f"{text}: expected {self.expected}, got {self.found}"
        elif self.expected is not None:
            text = f"{text}: expected {self.expected}"
        elif self.found is not None:
            text = f"{text}: got {self.found}"
        text = f"{text} @ {self.location}"
        if self.hint:
            text = f"{text} ({self.hint})"
        return text


class SafeguardError(Exception):
    """Root of every error safeguard_std raises on purpose."""


class _DocumentError(SafeguardError):
    """A document (pack or evidence) with one or more located problems."""

    kind = "document"

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("a document error needs at least one problem")
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        first = str(self.problems[0])
        more = len(self.problems) - 1
        head = f"invalid {self.kind}: {first}"
        if more:
            head += f" (and {more} more problem{'s' if more > 1 else ''})"
        return head

    def details(self) -> str:
        """Every problem, one per line, for a user fixing the whole document in one pass."""
        lines = [f"invalid {self.kind}" + (f" {self.source}" if self.source else "") + ":"]
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.problems, self.source))


def _rebuild(
    cls: type[_DocumentError], problems: tuple[Problem, ...], source: str | None
) -> _DocumentError:
    return cls(problems, source=source)


class PackError(_DocumentError, ValueError):
    """A standard pack that cannot be loaded: schema, semantics or layering."""

    kind = "pack"


class PackTestError(PackError):
    """A pack's test file that cannot be used: its syntax, schema or evidence. A
    :class:`PackError`, so code catching that catches this too."""

    kind = "pack test file"


class EvidenceError(_DocumentError, ValueError):
    """An evidence bundle that cannot be loaded: syntax, schema or the model's own rules."""

    kind = "evidence"


class MappingError(_DocumentError, ValueError):
    """A column-mapping file for a spreadsheet import that cannot be used."""

    kind = "mapping"


class SpreadsheetError(_DocumentError, ValueError):
    """A spreadsheet that cannot be imported at all: unreadable, or no header row recognised.

    Problems in single rows or cells never raise this: they are reported row by row.
    """

    kind = "spreadsheet"


class AssessmentError(_DocumentError, ValueError):
    """A document given as an assessment that is not one: syntax, or the published assessment
    schema (``schemas/assessment.schema.json``)."""

    kind = "assessment"


class MissingExtra(SafeguardError, ImportError):
    """An optional dependency is not installed; the message names the extra that provides it."""

    def __init__(self, what: str, extra: str | None, module: str) -> None:
        self.what = what
        self.extra = extra
        self.module = module
        if extra is None:  # a core dependency missing: a broken install
            super().__init__(
                f"{what} needs {module!r}, a dependency of safeguard-std that is not installed: "
                f"pip install {module!r} (or reinstall safeguard-std)"
            )
            return
        super().__init__(
            f"{what} needs the optional dependency {module!r}: pip install 'safeguard-std[{extra}]'"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.what, self.extra, self.module))


class PackNotFound(SafeguardError, LookupError):
    """No pack (or no edition of it in force on a date) matches a reference."""

    def __init__(self, ref: str, reason: str) -> None:
        self.ref = ref
        self.reason = reason
        super().__init__(f"no pack {ref!r}: {reason}")


class AsOfRequired(SafeguardError, ValueError):
    """A pack that includes another without naming its edition was resolved without a date.

    The included edition is the one in force on ``as_of``, so there is nothing to resolve until a
    date is given (or the include pins an edition).
    """

    def __init__(self, ref: str, include: str, location: Location) -> None:
        self.ref = ref
        self.include = include
        self.location = location
        super().__init__(
            f"pack {ref} includes {include!r} without an edition, so it can only be resolved for "
            f"a date: give as_of (the edition of {include!r} in force that day is used) or pin "
            f"the include (e.g. '{include}@EDITION') @ {location}"
        )


class EditionNotInForce(SafeguardError, ValueError):
    """An edition asked to judge a date on which it is not in force.

    Refused unless the caller opts in (``allow_out_of_force=True``; ``--allow-out-of-force`` on
    the command line): judging today's evidence against a superseded edition, or one not yet in
    force, is almost always a mistake. ``in_force`` names the edition in force that day, when the
    caller knows it (the command line does, from its catalog).
    """

    def __init__(
        self,
        ref: str,
        as_of: dt.date,
        effective_from: dt.date,
        effective_to: dt.date | None,
        in_force: str | None = None,
    ) -> None:
        self.ref = ref
        self.as_of = as_of
        self.effective_from = effective_from
        self.effective_to = effective_to
        self.in_force = in_force
        until = f"to {effective_to}" if effective_to else "with no end date"
        then = (
            f"the edition in force on {as_of} is {in_force}: judge against it, or ask"
            if in_force
            else f"resolve {ref.split('@')[0]!r} for that date to judge against the edition in "
            "force then, or ask"
        )
        super().__init__(
            f"{ref} is not in force on {as_of} (in force from {effective_from} {until}); {then} "
            f"explicitly to judge against {ref} anyway (allow_out_of_force=True; "
            "--allow-out-of-force on the command line)"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (
            type(self),
            (self.ref, self.as_of, self.effective_from, self.effective_to, self.in_force),
        )


class InvalidPackRef(SafeguardError, ValueError):
    """A pack reference that is not ``ID`` or ``ID@EDITION``."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(
            f"invalid pack reference {text!r}: expected ID or ID@EDITION, e.g. 'dorset@2024'"
        )


class InvalidPeriod(SafeguardError, ValueError):
    """A period that is not an ISO 8601 calendar duration such as ``P3Y`` or ``P12M``."""

    def __init__(self, text: object) -> None:
        self.text = text
        super().__init__(
            f"invalid period {quoted(text)}: expected an ISO 8601 duration of years, months, weeks "
            "or days, e.g. 'P3Y', 'P12M', 'P2W', 'P90D', or of working days alone, 'P1WD'"
        )


class RuleError(SafeguardError):
    """A rule kind that is misconfigured, or that failed while evaluating a subject."""


class ReportError(SafeguardError, ValueError):
    """A report asked for with inputs that do not belong together (a pack or bundle other than
    the assessment's) or with a bad option (a horizon out of range)."""


class InvalidArgument(SafeguardError, TypeError, ValueError):
    """A public function called with an argument of the wrong type or value (a string where a
    date belongs, a plain mapping where an evidence bundle belongs); the message says what to
    pass instead. A ``TypeError`` and a ``ValueError``, so callers' existing handlers still match.
    """


def expect_date(name: str, value: Any) -> None:
    """Raise :class:`InvalidArgument` unless ``value`` is a calendar date (not a timestamp)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return
    hint = ""
    if isinstance(value, str):
        hint = f"; write datetime.date.fromisoformat({value!r})"
    elif isinstance(value, dt.datetime):
        hint = "; pass its calendar date (.date(), in Europe/London)"
    raise InvalidArgument(
        f"{name} must be a calendar date (datetime.date), got {quoted(value, 40)} "
        f"(a {type(value).__name__}){hint}"
    )


class DocumentSyntaxError(SafeguardError):
    """Raised by :func:`safeguard_std.io.documents.parse`; carries located problems for the
    caller's own error class."""

    def __init__(self, problems: list[Problem], *, source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        super().__init__(str(problems[0]))


class FieldValueError(SafeguardError, ValueError):
    """A value the model refuses, raised with the name of the field it belongs to, so a loading
    error points at the field (``$.policies[0].next_review_on``), not only at the record."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        #: The attribute holding the refused value.
        self.field = field


class PredicateSyntaxError(SafeguardError, ValueError):
    """A predicate that does not parse; ``path`` is relative to the predicate's root."""

    def __init__(self, message: str, path: Sequence[str | int] = ()) -> None:
        self.path = tuple(path)
        super().__init__(message)
