"""Read files safely: regular files only, with a size cap kept while reading.

A device or a FIFO given where a file is expected is refused before it is opened: stat()
gives them a size of 0, and reading one would never end (/dev/zero) or never start (a FIFO
with no writer). Articles, metadata, records and data files are all read this way.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pipeline.errors import InputError

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
}


def kind_of(mode: int) -> str:
    """'a folder', 'a device', ... for what a stat() found."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_capped(path: Path, limit: int, what: str = "files") -> bytes:
    """The bytes of the regular file `path`, refused over `limit` bytes. The limit is kept
    while reading, not taken from stat() (0 for a device or a FIFO); anything but a regular
    file is refused before it is opened, and checked again once open."""
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise InputError(
                str(path), f"is {kind_of(before.st_mode)}, not a regular file; give a file's path"
            )
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # never waits on a FIFO
    except FileNotFoundError as exc:
        raise InputError(str(path), "no such file") from exc
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from exc
    try:
        opened = os.fstat(fd)
        same = (opened.st_dev, opened.st_ino) == (before.st_dev, before.st_ino)
        if not stat.S_ISREG(opened.st_mode) or not same:
            raise InputError(str(path), "was replaced while it was opened; try again")
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from exc
    finally:
        os.close(fd)
    if size > limit:
        raise InputError(str(path), f"is over {limit:,} bytes; {what} over {limit:,} bytes are refused")
    return b"".join(chunks)
