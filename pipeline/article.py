"""Read an article faithfully: decoded text with offsets kept, id, and publication date.

Offsets everywhere in the pipeline index `Article.text`, the file's decoded text with its
line endings untouched. The normalised copy `Article.norm` has exactly the same length
(quotes, dashes and odd spaces are replaced one character for one), so an offset found in
`norm` slices `text` to the original characters.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import InputError

_ONE_FOR_ONE = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000", " "),
        "\ufeff": " ",
    }
)


class Metadata(BaseModel):
    """Sidecar `<stem>.meta.json` beside an article."""

    model_config = ConfigDict(extra="forbid")
    published: dt.date | None = None
    source: str | None = None


class Article(BaseModel):
    model_config = ConfigDict(frozen=True)

    doc_id: str
    path: str
    text: str
    norm: str
    published: dt.date | None
    published_from: str  # "option", "metadata", "none"; blocks may later find a date line


def normalise(text: str) -> str:
    """Length-preserving normalisation of typography."""
    return text.translate(_ONE_FOR_ONE)


def decode(data: bytes, where: str) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; refuse binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise InputError(where, "looks like a binary file (NUL bytes); give a plain-text article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                where, f"not UTF-8 (undecodable byte at offset {exc.start}); re-save as UTF-8"
            ) from exc


def read_metadata(path: Path) -> Metadata | None:
    meta_path = path.with_name(path.stem + ".meta.json")
    if not meta_path.exists():
        return None
    try:
        return Metadata.model_validate(json.loads(meta_path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise InputError(
            str(meta_path), f"invalid metadata ({exc}); expected {{'published': 'YYYY-MM-DD'}}"
        ) from exc


def from_text(text: str, doc_id: str, published: dt.date | None, path: str = "<text>") -> Article:
    return Article(
        doc_id=doc_id,
        path=path,
        text=text,
        norm=normalise(text),
        published=published,
        published_from="option" if published else "none",
    )


def read_article(path: Path, published: dt.date | None = None) -> Article:
    """Read `path`; `published` overrides the sidecar metadata file."""
    if not path.exists():
        raise InputError(str(path), "no such file")
    if path.is_dir():
        raise InputError(str(path), "is a folder, expected an article file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from exc
    text = decode(data, str(path))
    article = from_text(text, path.stem, published, str(path))
    if published is None:
        meta = read_metadata(path)
        if meta and meta.published:
            article = article.model_copy(update={"published": meta.published, "published_from": "metadata"})
    return article
