"""The cache file: read back only for its own key and intact; never required, never in the way."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest

from pipeline.cache import ENV, NAME, Cache, default_folder

VALUE = {"places": [["CAPITAL", "ZZ-NV", "kelmar", False]], "words": ["ärzte", "<month>"]}


def test_cache_reads_back_what_it_wrote(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "sub" / "phrases.json", "k1")
    assert cache.read() is None
    assert cache.write(VALUE)
    assert cache.read() == VALUE
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["phrases.json"]  # no temporary file left


def test_cache_made_for_another_key_is_a_miss(tmp_path: Path) -> None:
    Cache(tmp_path / "phrases.json", "k1").write(VALUE)
    assert Cache(tmp_path / "phrases.json", "k2").read() is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data.replace(b"kelmar", b"kelmaz"),  # a byte changed
        lambda data: data.split(b"\n", 1)[1],  # no header
        lambda data: b"",
        lambda data: b"\x00\xff" * 100,
        lambda data: b"[" * 100_000,  # nested past the parser's depth
    ],
    ids=["cut", "edited", "headless", "empty", "binary", "deep"],
)
def test_cache_damaged_file_is_a_miss(tmp_path: Path, damage) -> None:
    path = tmp_path / "phrases.json"
    Cache(path, "k1").write(VALUE)
    path.write_bytes(damage(path.read_bytes()))
    assert Cache(path, "k1").read() is None
    assert Cache(path, "k1").write(VALUE)  # and is replaced by the next write
    assert Cache(path, "k1").read() == VALUE


def test_cache_never_replaces_what_is_not_a_regular_file(tmp_path: Path) -> None:
    folder, target = tmp_path / "phrases.json", tmp_path / "elsewhere.json"
    folder.mkdir()
    assert Cache(folder, "k1").read() is None
    assert not Cache(folder, "k1").write(VALUE)
    assert folder.is_dir()
    target.write_text("someone's file", encoding="utf-8")
    (tmp_path / "link.json").symlink_to(target)
    assert not Cache(tmp_path / "link.json", "k1").write(VALUE)
    assert target.read_text(encoding="utf-8") == "someone's file"


def test_cache_folder_that_cannot_be_written_is_no_error(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert not Cache(tmp_path / "file" / "phrases.json", "k1").write(VALUE)  # a file stands there

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # a read-only folder, whoever runs the tests
    assert not Cache(tmp_path / "phrases.json", "k1").write(VALUE)
    assert list(tmp_path.iterdir()) == [tmp_path / "file"]


def test_cache_failed_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert not Cache(tmp_path / "phrases.json", "k1").write(VALUE)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({ENV: "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/c"),
        ({"XDG_CACHE_HOME": "/x", "HOME": "/h"}, f"/x/{NAME}"),
        ({"XDG_CACHE_HOME": "relative", "HOME": "/h"}, f"/h/.cache/{NAME}"),  # the XDG spec ignores it
        ({"HOME": "/h"}, f"/h/.cache/{NAME}"),
        ({}, None),  # no home: no cache, every run builds
        ({"HOME": ""}, None),
    ],
)
def test_cache_default_folder(environ: dict[str, str], expected: str | None, monkeypatch) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    folder = default_folder(environ)
    assert (str(folder) if folder else None) == expected
