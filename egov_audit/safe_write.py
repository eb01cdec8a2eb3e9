"""Writing output files atomically, without ever writing through a symlink.

Reports, results, signatures and keys land in directories that other people or
processes may also write to (a shared CI workspace, a report share). Two
promises hold for every file egov-audit writes:

* **Atomic.** The bytes go to a temporary file in the destination's own
  directory, are flushed to disk (``fsync``) and then renamed over the
  destination. A reader, a crash or a full disk never leaves a half-written
  report or a truncated ``result.json`` behind; at worst the old file stays.
* **No symlink is followed at the destination.** The temporary file is
  created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` under a random name, and
  ``rename`` replaces a directory *entry*: when someone planted
  ``report.html -> /home/officer/.bashrc``, the link itself is replaced by a
  regular file holding the report and the link's target is never opened.

What is not guarded: the output directory itself (or one of its parents) being
a symlink. That is the user's choice of where the reports go (``-o`` may well
name a link to a share), and is followed like any path.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from .errors import InputError

# Reports and results: readable by others as the umask allows (open() applies it).
PUBLIC = 0o644
# Private keys and anything else only the owner may read.
PRIVATE = 0o600

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _temp_file(directory: Path, name: str, mode: int) -> tuple[Path, int]:
    """A new, empty file under a random name beside the destination, open for writing."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    for _ in range(16):
        temp = directory / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return temp, os.open(temp, flags, mode)
        except FileExistsError:
            continue  # a name collision (or a planted file): draw another name
    raise FileExistsError(f"no free temporary name for {name} in {directory}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    os.fsync(fd)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _staged(path: Path, data: bytes, mode: int) -> Path:
    """The data written and flushed to a temporary file beside ``path``."""
    temp, fd = _temp_file(path.parent, path.name, mode)
    try:
        try:
            _write_all(fd, data)
            if mode == PRIVATE:
                os.fchmod(fd, PRIVATE)  # in case the file system ignored open()'s mode
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp


def write_atomic(path: Path, data: bytes, *, mode: int = PUBLIC) -> Path:
    """Replace ``path`` with ``data`` atomically; a symlink at ``path`` is replaced, not followed.

    Raises InputError naming the file when it cannot be written (no such
    directory, no permission, a directory in the way, a full disk).
    """
    try:
        temp = _staged(path, data, mode)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", source=path) from None
    try:
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise InputError(f"cannot write: {exc.strerror or exc}", source=path) from None
    _sync_directory(path.parent)
    return path


def write_new(path: Path, data: bytes, *, mode: int = PUBLIC) -> Path:
    """Create ``path`` with ``data`` atomically; refuse when anything (even a link) is there.

    For keys: an existing key is never overwritten, and the file appears whole
    or not at all. ``link`` fails when the name exists, dangling links included.
    """
    try:
        temp = _staged(path, data, mode)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", source=path) from None
    try:
        os.link(temp, path, follow_symlinks=False)
    except FileExistsError:
        raise InputError("refusing to overwrite an existing file", source=path) from None
    except OSError:
        # No hard links on this file system (some network and FUSE mounts): create
        # the name exclusively instead; O_EXCL never follows or replaces a link.
        _create_exclusive(path, data, mode)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    _sync_directory(path.parent)
    return path


def _create_exclusive(path: Path, data: bytes, mode: int) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    try:
        fd = os.open(path, flags, mode)
    except FileExistsError:
        raise InputError("refusing to overwrite an existing file", source=path) from None
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", source=path) from None
    try:
        _write_all(fd, data)
        if mode == PRIVATE:
            os.fchmod(fd, PRIVATE)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", source=path) from None
    finally:
        os.close(fd)
