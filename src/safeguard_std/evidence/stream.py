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

__all__ = ["BUNDLE_SUFFIXES", "LoadedBundle", "count_evidence", "iter_evidence", "iter_ndjson"]

#: File suffixes read as bundles when a folder is given.
BUNDLE_SUFFIXES = (".json", ".yaml", ".yml")


@attrs.frozen
class LoadedBundle:
    """One input of a stream: where it came from, and the bundle or the error loading it."""

    source: str
    bundle: EvidenceBundle | None = None
    error: EvidenceError | None = None


def _files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in BUNDLE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _one_line(
    text: str, label: str, include_personal_data: bool, limits: Limits | None
) -> LoadedBundle:
    try:
        doc = parse(text, label, format="json", limits=limits)
    except DocumentSyntaxError as exc:
        return LoadedBundle(label, error=EvidenceError(exc.problems, source=label))
    try:
        bundle = bundle_from_data(
            doc.data,
            source=label,
            document=Document(doc.data, label),
            include_personal_data=include_personal_data,
        )
    except EvidenceError as exc:
        return LoadedBundle(label, error=exc)
    return LoadedBundle(label, bundle=bundle)


def iter_ndjson(
    lines: Iterable[str | bytes],
    label: str,
    *,
    include_personal_data: bool = False,
    limits: Limits | None = None,
) -> Iterator[LoadedBundle]:
    """Bundles from NDJSON lines (blank lines skipped), each labelled ``LABEL:LINE``.

    An open binary file (or standard input) is read one line at a time, no further than
    ``limits.max_bytes`` a line: a longer line is reported and ends the stream, the bundles
    before it stand."""
    limit = (limits or Limits()).max_bytes
    for number, raw in bounded_lines(lines, limit):
        if isinstance(raw, LineTooLong):
            where = f"{label}:{number}"
            problem = Problem(raw.message, Location(where))
            yield LoadedBundle(where, error=EvidenceError([problem], source=where))
            return
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                where = f"{label}:{number}"
                problem = Problem(
                    f"not UTF-8 text: invalid byte at offset {exc.start}", Location(where)
                )
                yield LoadedBundle(where, error=EvidenceError([problem], source=where))
                continue
        if raw.strip():
            yield _one_line(raw, f"{label}:{number}", include_personal_data, limits)


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
