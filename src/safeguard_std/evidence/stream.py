"""Many evidence bundles, one at a time: a folder of bundle files, or NDJSON (one bundle a line).

An adapter for portfolio roll-ups. Bundles are read lazily, so a stream of thousands of providers
is held in memory one bundle at a time. A bundle that cannot be loaded does not stop the stream:
it comes through as a :class:`LoadedBundle` carrying its error, located by file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import attrs

from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.evidence import bundle_from_data, load_evidence
from safeguard_std.exceptions import EvidenceError, Location, Problem
from safeguard_std.io._bounded import LineTooLong, bounded_lines
from safeguard_std.io.documents import Document, DocumentSyntaxError, Limits, parse

__all__ = [
    "BUNDLE_SUFFIXES",
    "LoadedBundle",
    "bundle_files",
    "count_evidence",
    "iter_evidence",
    "iter_ndjson",
    "load_ndjson_line",
    "read_ndjson",
]

#: File suffixes read as bundles when a folder is given.
BUNDLE_SUFFIXES = (".json", ".yaml", ".yml")


@attrs.frozen
class LoadedBundle:
    """One input of a stream: where it came from, and the bundle or the error loading it."""

    source: str
    bundle: EvidenceBundle | None = None
    error: EvidenceError | None = None


def bundle_files(folder: Path) -> list[Path]:
    """The files a folder of bundles is read for (``.json``/``.yaml``, recursively, none hidden),
    in path order."""
    return _files(folder)


def _files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in BUNDLE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


#: One line of an NDJSON stream: its number and its own text (or why it was not read).
NdjsonLine = tuple[int, bytes | str | LineTooLong]


def read_ndjson(lines: Iterable[str | bytes], limits: Limits | None = None) -> Iterator[NdjsonLine]:
    """The one NDJSON reader: ``(line number, the line's own text)`` for each non-blank line of
    ``lines`` (numbered from 1, line ending dropped, so positions stay on the line).

    An open binary file (or standard input) is read one line at a time, no further than
    ``limits.max_bytes`` a line: a longer line comes as a :class:`LineTooLong` and ends the
    stream (it is not read past). Load each line with :func:`load_ndjson_line`."""
    for number, raw in bounded_lines(lines, (limits or Limits()).max_bytes):
        if isinstance(raw, LineTooLong):
            yield number, raw
            return
        if _json_blank(raw):
            continue
        yield number, raw.rstrip(b"\r\n") if isinstance(raw, bytes) else raw.rstrip("\r\n")


def _json_blank(raw: bytes | str) -> bool:
    # Only JSON's own whitespace makes a line blank. Python's strip() also drops form feeds,
    # U+0085, U+2028 and the like, and a line holding only those would vanish without an outcome.
    return not (raw.strip(b" \t\r\n") if isinstance(raw, bytes) else raw.strip(" \t\r\n"))


def _at_line(exc: EvidenceError, line: int) -> EvidenceError:
    """The same problems, located at ``line`` of the stream (each bundle is one line)."""
    problems = [attrs.evolve(p, location=attrs.evolve(p.location, line=line)) for p in exc.problems]
    return EvidenceError(problems, source=exc.source)


def load_ndjson_line(
    number: int,
    raw: bytes | str | LineTooLong,
    source: str,
    *,
    line_labels: bool = False,
    include_personal_data: bool = False,
    limits: Limits | None = None,
) -> LoadedBundle:
    """Line ``number`` of the NDJSON stream ``source`` (as :func:`read_ndjson` gives it) as a
    bundle, or as the error that makes it unusable, labelled ``SOURCE:LINE``: the error never
    escapes, so a bad line never stops the others.

    Problems are located at ``(line N, column C)`` of ``source``; with ``line_labels`` (the
    roll-up's style) each line is labelled ``SOURCE:N`` instead and problems found after parsing
    carry only their path inside the line."""
    named = f"{source}:{number}"
    label = named if line_labels else source
    if isinstance(raw, LineTooLong):
        where = Location(label) if line_labels else Location(source, line=number)
        return LoadedBundle(named, error=EvidenceError([Problem(raw.message, where)], source=label))
    try:
        try:
            doc = parse(raw, label, format="json", check_depth=False, limits=limits)
        except DocumentSyntaxError as exc:
            raise EvidenceError(exc.problems, source=label) from None
        bundle = bundle_from_data(
            doc.data,
            source=label,
            # the roll-up's labels carry no positions; the nesting check is still owed
            document=Document(doc.data, label, depth_checked=False) if line_labels else doc,
            include_personal_data=include_personal_data,
        )
    except EvidenceError as exc:
        return LoadedBundle(named, error=exc if line_labels else _at_line(exc, number))
    return LoadedBundle(named, bundle=bundle)


def iter_ndjson(
    lines: Iterable[str | bytes],
    label: str,
    *,
    include_personal_data: bool = False,
    limits: Limits | None = None,
) -> Iterator[LoadedBundle]:
    """Bundles from NDJSON lines (blank lines skipped), each labelled ``LABEL:LINE``.

    A thin wrapper: :func:`read_ndjson` and :func:`load_ndjson_line` with ``line_labels``, in
    this process. An open binary file (or standard input) is read one line at a time, no
    further than ``limits.max_bytes`` a line: a longer line is reported and ends the stream,
    the bundles before it stand. To evaluate the bundles as well, on several processes if need
    be, use :func:`safeguard_std.portfolio.evaluate_portfolio`."""
    for number, raw in read_ndjson(lines, limits):
        yield load_ndjson_line(
            number,
            raw,
            label,
            line_labels=True,
            include_personal_data=include_personal_data,
            limits=limits,
        )


def iter_evidence(
    source: Path | str, *, include_personal_data: bool = False, limits: Limits | None = None
) -> Iterator[LoadedBundle]:
    """Every bundle in ``source``: a folder (its ``.json``/``.yaml`` files, recursively, in path
    order), an ``.ndjson``/``.jsonl`` file (one bundle a line), or a single bundle file, each
    read within ``limits``."""
    path = Path(source)
    if path.is_dir():
        for file in _files(path):
            try:
                bundle = load_evidence(
                    file, include_personal_data=include_personal_data, limits=limits
                )
            except EvidenceError as exc:
                yield LoadedBundle(str(file), error=exc)
            else:
                yield LoadedBundle(str(file), bundle=bundle)
        return
    if path.suffix.lower() in (".ndjson", ".jsonl"):
        try:
            handle = path.open("rb")
        except OSError as exc:
            problem = Problem(f"cannot read evidence file: {exc.strerror}", Location(str(path)))
            yield LoadedBundle(str(path), error=EvidenceError([problem], source=str(path)))
            return
        with handle:
            yield from iter_ndjson(
                handle, str(path), include_personal_data=include_personal_data, limits=limits
            )
        return
    try:
        yield LoadedBundle(
            str(path),
            bundle=load_evidence(path, include_personal_data=include_personal_data, limits=limits),
        )
    except EvidenceError as exc:
        yield LoadedBundle(str(path), error=exc)


def count_evidence(source: Path | str) -> int | None:
    """How many bundles ``source`` holds (for a progress bar), or ``None`` if it cannot tell
    cheaply."""
    path = Path(source)
    if path.is_dir():
        return len(_files(path))
    if path.suffix.lower() in (".ndjson", ".jsonl"):
        try:
            with path.open("rb") as handle:
                return _count_lines(handle)
        except OSError:
            return None
    return 1 if path.is_file() else None


def _count_lines(handle: BinaryIO) -> int:
    """Non-blank lines, read in fixed chunks: a line of any length costs no more memory."""
    count = 0
    blank = True  # whether the line read so far holds only white space
    while chunk := handle.read(1 << 20):
        parts = chunk.split(b"\n")
        for i, part in enumerate(parts):
            if part.strip():
                blank = False
            if i < len(parts) - 1:  # a newline ends this line
                count += not blank
                blank = True
    return count + (not blank)
