"""Bounded readers for what is not one document: NDJSON streams and spreadsheets.

An adapter beside :mod:`safeguard_std.io.documents`, with its limits in the same
:class:`~safeguard_std.io.documents.Limits`. Each reader refuses *before* it holds what it refuses:

* an NDJSON line is read no further than ``max_bytes`` plus one; a longer line is refused and
  the stream is not read further (an endless line, such as ``/dev/zero`` on standard input, has
  no end to skip to), while the lines before it stand;
* a workbook's parts are measured from its zip directory before anything is decompressed
  (``max_unzipped_bytes``; the archive reader stops at the declared size, so a part that lies
  fails its checksum), and its shared strings are counted in a streaming pass over its parts
  (``max_shared_strings``) before the spreadsheet reader builds them;
* a sheet's rows are counted as they are read (``max_cells``, ``max_columns``).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from safeguard_std.io.documents import Limits

__all__ = ["LineTooLong", "SheetTooLarge", "bounded_lines", "bounded_rows", "check_workbook"]

_RAISE = "docs/limits.md says how to raise it"


class LineTooLong:
    """Stands for a line over the limit in :func:`bounded_lines`; ``message`` says so."""

    __slots__ = ("message",)

    def __init__(self, number: int, limit: int) -> None:
        self.message = (
            f"line {number} is longer than {limit} bytes (the limit on one document: {_RAISE}); "
            "the rest of the stream is not read"
        )


def bounded_lines(
    lines: Iterable[bytes | str], limit: int
) -> Iterator[tuple[int, bytes | str | LineTooLong]]:
    """``(line number, line)`` for each line of ``lines`` (numbered from 1), each no longer than
    ``limit`` bytes without its line ending; a longer line comes as :class:`LineTooLong` and
    ends the stream. A binary file object is read line by line no further than the limit; any
    other iterable's lines are measured as they come."""
    readline = getattr(lines, "readline", None)
    if readline is not None and isinstance(lines, (io.BufferedIOBase, io.RawIOBase, io.TextIOBase)):
        yield from _from_file(readline, limit)
        return
    for number, line in enumerate(lines, start=1):
        if _length(line) > limit:
            yield number, LineTooLong(number, limit)
            return
        yield number, line


def _length(line: bytes | str) -> int:
    return len(line.rstrip(b"\r\n") if isinstance(line, bytes) else line.rstrip("\r\n"))


def _joined(parts: list[bytes | str]) -> bytes | str:
    if isinstance(parts[0], bytes):
        return b"".join(p for p in parts if isinstance(p, bytes))
    return "".join(p for p in parts if isinstance(p, str))


def _from_file(readline: Any, limit: int) -> Iterator[tuple[int, bytes | str | LineTooLong]]:
    number = 0
    while True:
        # A line is read a chunk at a time, so one over the limit is dropped having held no
        # more than the limit (reading it whole, then measuring, would hold it twice).
        parts: list[bytes | str] = []
        size = 0
        while piece := readline(_CHUNK):
            parts.append(piece)
            size += len(piece)
            if piece[-1:] in (b"\n", "\n") or size > limit + 2:  # +2: a CRLF ending
                break
        if not parts:
            return
        number += 1
        line = _joined(parts) if size <= limit + 2 else None
        del parts
        if line is None or _length(line) > limit:
            yield number, LineTooLong(number, limit)
            return
        yield number, line


class SheetTooLarge(Exception):
    """A workbook or sheet beyond one of the limits; ``str()`` is the sentence to report."""


def _beyond(what: str, limit: int, unit: str, scope: str) -> SheetTooLarge:
    return SheetTooLarge(f"{what} more than {limit} {unit} (the limit on one {scope}: {_RAISE})")


# An <si> element opens each shared string, with or without a namespace prefix.
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?si[\s/>]")
_CHUNK = 1024 * 1024


def check_workbook(data: bytes, limits: Limits) -> None:
    """Raise :class:`SheetTooLarge` for a workbook (an .xlsx zip archive) that decompresses to
    more than ``limits.max_unzipped_bytes`` or holds more than ``limits.max_shared_strings``
    shared strings. An archive that is not a zip is left to the spreadsheet reader to refuse."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        if total > limits.max_unzipped_bytes:
            raise _beyond(
                "the workbook decompresses to", limits.max_unzipped_bytes, "bytes", "workbook"
            )
        # The shared strings part is found by its content type, under any name: count the
        # <si> elements of every part (all of them within the size just checked).
        count = 0
        for info in infos:
            count = _count_shared_strings(archive, info, count, limits.max_shared_strings)


def _count_shared_strings(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, count: int, limit: int
) -> int:
    tail = b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                buffer = tail + chunk
                # A tag that ended inside the tail was counted with the chunk before.
                count += sum(1 for m in _SHARED_STRING.finditer(buffer) if m.end() > len(tail))
                if count > limit:
                    raise _beyond("the workbook holds", limit, "shared strings", "workbook")
                tail = buffer[-40:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        pass  # the spreadsheet reader refuses a damaged part in its own words
    return count


def bounded_rows(
    rows: Iterable[tuple[int, Sequence[object]]], limits: Limits
) -> Iterator[tuple[int, Sequence[object]]]:
    """``rows`` as they come, refusing (:class:`SheetTooLarge`) a row wider than
    ``limits.max_columns`` and a sheet of more than ``limits.max_cells`` cells (an empty row
    counts as one, so a sheet of a million blank rows is bounded too)."""
    cells = 0
    for number, row in rows:
        width = len(row)
        if width > limits.max_columns:
            raise _beyond(f"row {number} has", limits.max_columns, "columns", "sheet")
        cells += width or 1
        if cells > limits.max_cells:
            raise _beyond("the sheet has", limits.max_cells, "cells", "sheet")
        yield number, row
