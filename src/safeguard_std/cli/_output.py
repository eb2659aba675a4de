"""Writing a command's output files: all of them or none, never half of one.

Each file is written to a temporary file in its own folder and renamed over the old one only
when every output of the command has been written in full, so a reader never sees a partial
file and a failure leaves the old files as they were. On Linux the temporary file is anonymous
(``O_TMPFILE``) until that moment, so a process killed while writing leaves nothing behind;
elsewhere, and on file systems without it, a named temporary file (``.NAME.XXXXXXXX.tmp``) left
by a killed run is removed by the next write to the same file.

What is not a regular file is written through, never replaced: a symbolic link writes to the
file it points to (and stays a link), and a FIFO or a device (``/dev/null``, ``/dev/stdout``)
receives the text directly. An existing file keeps its permissions; a new file gets the
process's umask, like any file the user's shell creates.

A failure (a folder named as the file, a read-only folder, a full disk, a file size limit) is a
:class:`UsageError` naming the option and the file: one line on stderr and exit code 2.

An output is never one of the command's own inputs: every command says which files it reads
(a folder's, one by one), and an output that is the same file, through a symbolic or a hard link
too, is refused before anything is written, naming both. So are two outputs that are one file.
An output that does not exist yet cannot be an input.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

__all__ = ["Inputs", "UsageError", "write_output", "write_outputs"]

Text = str | bytes | Iterable[str] | Iterable[bytes]
"""What a command writes: text or bytes (a binary format such as XLSX), whole or in chunks."""

Inputs = Iterable[tuple[str, str | None]]
"""The files a command reads, as ``(option, path)``; a path of ``None`` or ``-`` (standard
input) is none."""


class UsageError(Exception):
    """Unusable command-line input (exit code 2)."""


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EISDIR:
        return "it is a folder; name a file"
    return exc.strerror or str(exc)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class _Destination:
    """One output file being written: a temporary file to rename, or a special file."""

    def __init__(self, path: str, option: str) -> None:
        self.path, self.option = path, option
        self.target = Path(path)
        self.tmp: Path | None = None  # a named temporary file, to rename or remove
        self.anonymous = False  # an O_TMPFILE file, named only when committed
        self.handle = self._open()

    def fail(self, exc: OSError) -> UsageError:
        return UsageError(f"{self.option}: cannot write {self.path!r}: {_reason(exc)}")

    def _open(self) -> BinaryIO:
        try:
            info: os.stat_result | None = os.stat(self.target)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise self.fail(exc) from None
        try:
            if info is not None and stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, "is a folder")
            if info is not None and not stat.S_ISREG(info.st_mode):
                return open(self.target, "wb")
            if self.target.is_symlink():  # write to the file it points to; the link stays
                self.target = Path(os.path.realpath(self.target))
            folder = self.target.parent
            if not folder.is_dir():
                raise UsageError(f"{self.option}: folder {str(folder)!r} does not exist")
            _remove_stale(folder, self.target.name)
            fd = self._temporary(folder)
        except OSError as exc:
            raise self.fail(exc) from None
        handle = open(fd, "wb")  # noqa: SIM115 - kept open until commit or abort
        if hasattr(os, "fchmod"):  # POSIX; elsewhere the system's defaults apply
            try:
                os.fchmod(fd, stat.S_IMODE(info.st_mode) if info else 0o666 & ~_umask())
            except OSError as exc:
                self.handle = handle
                self.abort()
                raise self.fail(exc) from None
        return handle

    def _temporary(self, folder: Path) -> int:
        flag = getattr(os, "O_TMPFILE", 0)
        if flag and sys.platform == "linux":
            try:
                fd = os.open(folder, flag | os.O_WRONLY, 0o600)
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                    raise
            else:
                self.anonymous = True
                return fd
        fds: list[int] = []
        self._name(folder, lambda tmp: fds.append(os.open(tmp, _NEW, 0o600)))
        return fds[0]

    def _name(self, folder: Path, make: Callable[[Path], object]) -> None:
        """Create a temporary file name in ``folder`` with ``make``, remembered for removal."""
        for _ in range(100):
            tmp = folder / f".{self.target.name}.{os.urandom(4).hex()}.tmp"
            try:
                make(tmp)
            except FileExistsError:
                continue
            self.tmp = tmp
            return
        raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))

    def finish(self) -> None:
        """Flush the text to the disk (before any output is renamed into place)."""
        self.handle.flush()
        if self.tmp is not None or self.anonymous:
            os.fsync(self.handle.fileno())

    def commit(self) -> None:
        """Put the written file in place of the target."""
        if self.anonymous:
            source = str(self.handle.fileno())
            # linkat(AT_SYMLINK_FOLLOW), which os.link only uses when given a folder descriptor
            procfd = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
            try:
                self._name(self.target.parent, lambda tmp: os.link(source, tmp, src_dir_fd=procfd))
            finally:
                os.close(procfd)
        self.handle.close()
        if self.tmp is not None:
            os.replace(self.tmp, self.target)
            self.tmp = None

    def abort(self) -> None:
        """Close and remove what was written, leaving the target as it was."""
        with contextlib.suppress(OSError):  # the failure being reported already says why
            self.handle.close()
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)


_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _remove_stale(folder: Path, name: str) -> None:
    """Remove temporary files a killed run left for ``name`` (ours only: ``.NAME.XXXXXXXX.tmp``
    and regular files, never what a link points to)."""
    pattern = re.compile(rf"\.{re.escape(name)}\.[0-9a-z_]{{8}}\.tmp")
    prefix = f".{name}."
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
            except OSError:
                continue  # not ours to remove after all (another user's folder)


def _existing(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (OSError, ValueError):  # missing, unreadable, or a name no file can have
        return None


def _refuse_overwriting(outputs: Sequence[tuple[str, str]], inputs: Inputs) -> None:
    """Raise :class:`UsageError` when an output file (``(path, option)``) is one of ``inputs``
    or another output: writing it would destroy what the command reads, or half its output."""
    read = [
        (option, path, source)
        for option, path in inputs
        if path is not None and path != "-" and (source := _existing(path)) is not None
    ]
    seen: dict[tuple[int, int] | str, tuple[str, str]] = {}
    for path, option in outputs:
        info = _existing(path)
        if info is not None and not stat.S_ISREG(info.st_mode):
            continue  # a FIFO or a device is written through, never replaced
        for in_option, in_path, source in read:
            if info is not None and (info.st_dev, info.st_ino) == (source.st_dev, source.st_ino):
                raise UsageError(
                    f"{option}: {path!r} is the same file as {in_option} {in_path!r}: writing "
                    "it would replace an input; name another file"
                )
        key = (info.st_dev, info.st_ino) if info is not None else os.path.realpath(path)
        if key in seen:
            other_option, other = seen[key]
            raise UsageError(
                f"{option}: {path!r} is the same file as {other_option} {other!r}: name "
                "another file for one of them"
            )
        seen[key] = (option, path)


def write_outputs(outputs: Sequence[tuple[Text, str | None, str]], *, inputs: Inputs) -> None:
    """Write each ``(text, path, option)``: to stdout when the path is ``None`` or ``-``, else to
    the file, all files put in place together only once every one is written in full. Every
    destination is opened before any text is made, so a bad path fails before anything is
    written. ``text`` may be given in chunks, so a large document is never held whole.

    ``inputs`` are what the command reads (``(option, path)``): an output that would replace
    one of them is refused first (see the module's documentation)."""
    named = [(str(path), option) for _, path, option in outputs if path not in (None, "-")]
    _refuse_overwriting(named, inputs)
    opened: list[_Destination | None] = []
    try:
        for _, path, option in outputs:
            opened.append(None if path in (None, "-") else _Destination(str(path), option))
        for (text, _, _), dest in zip(outputs, opened, strict=True):
            _write(text, dest)
        files = [d for d in opened if d is not None]
        for dest in files:
            _guard(dest, dest.finish)
        for dest in files:
            _guard(dest, dest.commit)
    except BaseException:
        for dest in opened:
            if dest is not None:
                dest.abort()
        raise


def _write(text: Text, dest: _Destination | None) -> None:
    chunks: Iterable[str | bytes] = [text] if isinstance(text, str | bytes) else text
    if dest is None:
        for chunk in chunks:
            try:
                if isinstance(chunk, bytes):
                    sys.stdout.flush()
                    sys.stdout.buffer.write(chunk)
                else:
                    sys.stdout.write(chunk)
            except BrokenPipeError:
                raise  # the reader went away: not an error (see cli.main)
            except OSError as exc:
                raise UsageError(f"cannot write to standard output: {_reason(exc)}") from None
        return
    write = dest.handle.write
    for chunk in chunks:
        try:
            write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
        except OSError as exc:
            raise dest.fail(exc) from None


def _guard(dest: _Destination, step: Callable[[], None]) -> None:
    try:
        step()
    except OSError as exc:
        raise dest.fail(exc) from None


def write_output(text: Text, path: str | None, *, inputs: Inputs, option: str = "--output") -> None:
    """Write ``text`` to stdout, or to the file ``path``, never one of ``inputs`` (see
    :func:`write_outputs`)."""
    write_outputs([(text, path, option)], inputs=inputs)
