"""A value kept in a file between runs: for what is slow to make and quick to read back.

Never required. A cache that is missing, stale (made from other data or code), damaged or
unreadable is a miss, and the caller makes the value again; a folder that cannot be written
(a read-only home, a full disk) only means the next run makes it again too. Each file holds
one value: a header line with the key it was made for and the SHA-256 of the value's line,
then the value as JSON, so a file cut short or edited reads as a miss, not as other data.
Files are written the safe way: to a temporary file created exclusively beside the target,
flushed to disk, then renamed over it, and never over anything but a regular file.

The folder: `$CAPITALS_CACHE_DIR`, else the user's cache folder (`$XDG_CACHE_HOME`, else
`~/.cache`; `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows) + `capitals-pipeline`.
Deleting it at any time is safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.files import read_capped

ENV = "CAPITALS_CACHE_DIR"
NAME = "capitals-pipeline"
MAX_BYTES = 100_000_000  # a cache file; the phrases of the shipped data are about 1 MB


def default_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """Where caches go unless the caller says otherwise; None when there is no home to hold them."""
    env = os.environ if environ is None else environ
    if env.get(ENV):
        return Path(env[ENV])
    if sys.platform == "win32" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / NAME / "Cache"
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is to be ignored
        home = env.get("HOME", "")
        if not os.path.isabs(home):
            return None  # no home: nowhere to keep anything, and every run makes it again
        base = os.path.join(home, "Library/Caches" if sys.platform == "darwin" else ".cache")
    return Path(base) / NAME


@dataclass(frozen=True)
class Cache:
    """The file `path` holds a value made from `key` (a digest of everything it depends on)."""

    path: Path
    key: str

    def read(self) -> Any | None:
        """The value stored for this key; None when there is none to trust."""
        try:
            data = read_capped(self.path, MAX_BYTES)
            header, _, body = data.partition(b"\n")
            meta = json.loads(header)
            if meta != {"key": self.key, "sha256": hashlib.sha256(body).hexdigest()}:
                return None  # made from other data or code, or damaged
            return json.loads(body)
        except (InputError, ValueError, RecursionError):  # missing, unreadable, not a file, not JSON
            return None

    def write(self, value: Any) -> bool:
        """Store `value` (JSON-serializable) for this key; False if it could not be stored."""
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        header = json.dumps({"key": self.key, "sha256": hashlib.sha256(body).hexdigest()})
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not stat.S_ISREG(os.lstat(self.path).st_mode):
                return False  # a link, a folder, a device: not ours to replace
        except FileNotFoundError:
            pass
        except OSError:
            return False
        return _replace(self.path, header.encode("utf-8") + b"\n" + body)


def _replace(path: Path, data: bytes) -> bool:
    """`data` to a new file beside `path`, flushed, then renamed over it."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True
