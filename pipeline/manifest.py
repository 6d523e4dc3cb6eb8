"""What each output of a batch folder was made from: one SQLite file, `<folder>/.manifest.db`.

An entry names an output file of the folder and keeps the fingerprint of what it was made
from (article and metadata bytes, publication date, gazetteer, rules, code), the hash of the
bytes written, and the article's path. A batch commits an output's entry just before it
renames the output into place: an interrupted run leaves at most entries whose hash no
longer matches their file, and such an output is simply made again. One file written in
place (SQLite's write-ahead log, no sync per entry) costs a fraction of a millisecond per
output, where a file of its own per entry cost two file creations and a rename.

Folders written by earlier versions keep one JSON file per output in `<folder>/.manifest/`;
those entries are still read (the database's win where both name an output), never written.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from pipeline.errors import OutputError
from pipeline.files import kind_of

MANIFEST = ".manifest.db"
LEGACY = ".manifest"  # a folder of JSON files, one per output, from earlier versions
BUSY_SECONDS = 30.0  # how long to wait for another run writing the same folder's manifest
_SCHEMA = "CREATE TABLE IF NOT EXISTS outputs (name TEXT PRIMARY KEY, input TEXT, output TEXT, article TEXT)"


@dataclass(frozen=True)
class Entry:
    """What the output was made from (`input`), the hash of its bytes, and the article."""

    input: str
    output: str
    article: str


def _legacy(folder: Path) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    with contextlib.suppress(OSError):
        for file in (folder / LEGACY).iterdir():
            try:
                raw = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError, RecursionError):
                continue
            if (
                isinstance(raw, dict)
                and isinstance(raw.get("input"), str)
                and isinstance(raw.get("output"), str)
            ):
                found[file.name] = Entry(raw["input"], raw["output"], str(raw.get("article", "")))
    return found


def read_entries(folder: Path, strict: bool = True) -> dict[str, Entry]:
    """Every entry of `folder`'s manifest, by output name; none if it has no manifest. A
    manifest that cannot be read is an error when `strict`, else read as empty."""
    entries = _legacy(folder)
    path = folder / MANIFEST
    if not os.path.lexists(path):
        return entries
    try:
        _check_regular(path)
        with contextlib.closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as db:
            rows = db.execute("SELECT name, input, output, article FROM outputs").fetchall()
    except (OutputError, sqlite3.Error) as exc:
        if strict:
            raise OutputError(
                str(path), f"cannot read the manifest ({exc}); remove it, and every output is made again"
            ) from exc
        return entries
    entries.update((name, Entry(*rest)) for name, *rest in rows)
    return entries


def _check_regular(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        kind = "a symbolic link" if stat.S_ISLNK(mode) else kind_of(mode)
        raise OutputError(str(path), f"is {kind}, not a regular file; remove it or choose another --output")


class Manifest:
    """A folder's manifest, opened for writing on the first entry recorded, so that a batch
    that writes nothing creates nothing. Use it as a context manager: closing it folds the
    write-ahead log back into the one file, which readers open read-only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / MANIFEST
        self._db: sqlite3.Connection | None = None

    def record(self, name: str, entry: Entry) -> None:
        """Commit `name`'s entry; an OutputError says why it cannot be."""
        try:
            db = self._db or self._open()
            db.execute(
                "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)",
                (name, entry.input, entry.output, entry.article),
            )
        except sqlite3.Error as exc:
            raise OutputError(
                str(self.path), f"cannot write the manifest ({exc}); remove it, or free space"
            ) from exc

    def _open(self) -> sqlite3.Connection:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            raise OutputError(
                str(self.folder), "cannot write output (a file stands where a folder is needed)"
            ) from exc
        except OSError as exc:
            raise OutputError(str(self.folder), f"cannot write output ({exc.strerror})") from exc
        _check_regular(self.path)  # never written through a link someone planted
        db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)  # each statement commits
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # on disk at checkpoints; never corrupt
            db.execute(_SCHEMA)
        except sqlite3.Error:
            db.close()
            raise
        self._db = db
        return db

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("PRAGMA journal_mode=DELETE")  # one plain file again, for readers
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def __enter__(self) -> Manifest:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
