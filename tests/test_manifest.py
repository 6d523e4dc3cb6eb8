"""The batch manifest: one SQLite file per output folder, read back as written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import OutputError
from pipeline.manifest import LEGACY, MANIFEST, Entry, Manifest, read_entries

runner = CliRunner()
STORY = "Head\n\nRebels captured Kelmar on March 2.\n"


def test_manifest_entries_read_back_and_nothing_is_left_beside_it(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    assert read_entries(folder) == {}
    with Manifest(folder) as manifest:
        manifest.record("a.jsonl", Entry("made-from", "hash-a", "/news/a.txt"))
        manifest.record("a.jsonl", Entry("made-from-2", "hash-a2", "/news/a.txt"))  # made again
        manifest.record("b.jsonl", Entry("made-from", "hash-b", "/news/b.txt"))
    assert read_entries(folder) == {
        "a.jsonl": Entry("made-from-2", "hash-a2", "/news/a.txt"),
        "b.jsonl": Entry("made-from", "hash-b", "/news/b.txt"),
    }
    assert sorted(os.listdir(folder)) == [MANIFEST]  # no write-ahead log left once closed


def test_manifest_nothing_recorded_creates_nothing(tmp_path: Path) -> None:
    with Manifest(tmp_path / "out"):
        pass
    assert not (tmp_path / "out").exists()


def test_manifest_entries_of_earlier_versions_are_still_read(tmp_path: Path, tiny_gazetteer: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "a.txt").write_text(STORY, encoding="utf-8")
    args = [str(corpus), "--gazetteer", str(tiny_gazetteer), "--output", f"{out}/", "--format", "table"]
    assert runner.invoke(app, args).exit_code == 0
    (entry,) = read_entries(out).values()
    (out / MANIFEST).unlink()  # as an earlier version left it: a folder of JSON files
    (out / LEGACY).mkdir()
    legacy = {"input": entry.input, "output": entry.output, "article": entry.article}
    (out / LEGACY / "a.table.txt").write_text(json.dumps(legacy), encoding="utf-8")
    again = runner.invoke(app, args)  # its table is its own, not a text file to refuse
    assert again.exit_code == 0 and "0 written, 1 unchanged" in again.stderr


def test_manifest_that_is_not_one_is_a_clear_error(tmp_path: Path, tiny_gazetteer: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    out.mkdir()
    (corpus / "a.txt").write_text(STORY, encoding="utf-8")
    (out / MANIFEST).write_text("my notes\n" * 200, encoding="utf-8")
    with pytest.raises(OutputError, match=r"\.manifest\.db: cannot read the manifest \(.*\); remove it"):
        read_entries(out)
    result = runner.invoke(app, [str(corpus), "--gazetteer", str(tiny_gazetteer), "--output", f"{out}/"])
    assert result.exit_code == 2
    assert f"error: {out / MANIFEST}: cannot read the manifest" in result.stderr
    assert (out / MANIFEST).read_text(encoding="utf-8") == "my notes\n" * 200


def test_manifest_is_never_written_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.db"
    outside.write_bytes(b"")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / MANIFEST).symlink_to(outside)
    refused = pytest.raises(OutputError, match="is a symbolic link, not a regular file")
    with Manifest(folder) as manifest, refused:
        manifest.record("a.jsonl", Entry("x", "y", "z"))
    assert outside.read_bytes() == b""
