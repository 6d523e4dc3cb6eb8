"""Reading articles faithfully: decoding, offsets, metadata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.article import normalise, read_article
from pipeline.errors import InputError


def test_article_normalise_keeps_length_and_offsets() -> None:
    text = "\u201cKelmar\u201d \u2013 it\u2019s\u00a0here\r\n"
    norm = normalise(text)
    assert len(norm) == len(text)
    assert norm == '"Kelmar" - it\'s here\r\n'
    markdown = "* **Kelmar**, *Tolbek* and 3 * 4\n"
    assert normalise(markdown) == "*   Kelmar  ,  Tolbek  and 3 * 4\n"  # a bullet and arithmetic stay


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Kelmar fell.\n", "Kelmar fell.\n"),
        (b"\xef\xbb\xbfKelmar fell.\n", "Kelmar fell.\n"),
        ("Kelmar fell.\n".encode("utf-16"), "Kelmar fell.\n"),
        ("\u201cKelmar\u201d fell.\r\n".encode("cp1252"), "\u201cKelmar\u201d fell.\r\n"),
    ],
)
def test_article_decodes_common_encodings(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert read_article(path).text == expected


def test_article_refuses_binary_and_missing(tmp_path: Path) -> None:
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"%PDF-1.4\x00\x00\x01")
    with pytest.raises(InputError, match="binary"):
        read_article(binary)
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_article(tmp_path)


def test_article_metadata_sidecar_and_override(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Kelmar fell.\n", encoding="utf-8")
    (tmp_path / "story.meta.json").write_text('{"published": "2030-03-14"}', encoding="utf-8")
    assert read_article(path).published == dt.date(2030, 3, 14)
    assert read_article(path, dt.date(2030, 1, 1)).published == dt.date(2030, 1, 1)
    (tmp_path / "story.meta.json").write_text('{"published": "soon"}', encoding="utf-8")
    with pytest.raises(InputError, match="story.meta.json"):
        read_article(path)


def test_article_metadata_other_keys_travel_with_the_records(tmp_path: Path, tiny) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Head\n\nRebels captured Kelmar on March 2, 2030.\n", encoding="utf-8")
    meta = '{"published": "2030-03-14", "url": "https://news.example/kelmar", "headline": "Kelmar falls"}'
    (tmp_path / "story.meta.json").write_text(meta, encoding="utf-8")
    article = read_article(path)
    assert article.meta == {"url": "https://news.example/kelmar", "headline": "Kelmar falls"}
    (record,) = tiny.extract(article)
    assert record.meta == article.meta and record.published == "2030-03-14"
