"""Read an article faithfully: decoded text with offsets kept, id, and publication date.

Offsets everywhere in the pipeline index `Article.text`, the file's decoded text with its
line endings untouched. The normalised copy `Article.norm` has exactly the same length
(quotes, dashes and odd spaces are replaced one character for one), so an offset found in
`norm` slices `text` to the original characters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

from pipeline.errors import InputError
from pipeline.files import read_capped

_ONE_FOR_ONE = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000", " "),
        "\ufeff": " ",
    }
)


MAX_META_BYTES = 65_536  # a sidecar holds a date and an outlet's name
MAX_SOURCE = 200  # characters of an outlet's name


class Metadata(BaseModel):
    """Sidecar `<stem>.meta.json` beside an article. Other keys (a URL, a headline) are kept
    and travel with the records as their `meta`. The date is a "YYYY-MM-DD" string: a number
    (a timestamp?) is refused rather than read as a day of 1970."""

    model_config = ConfigDict(extra="allow")
    published: dt.date | None = Field(default=None, strict=True)
    source: str | None = Field(default=None, strict=True, max_length=MAX_SOURCE)


class Article(BaseModel):
    model_config = ConfigDict(frozen=True)

    doc_id: str
    path: str
    text: str
    norm: str
    published: dt.date | None
    source: str | None = None  # the outlet, from the metadata
    meta: dict[str, JsonValue] = {}  # the metadata's other keys, passed through to the records
    notes: tuple[str, ...] = ()  # how it was read, when that is worth a warning
    digest: str = ""  # of the bytes read (article and metadata): what the records were made from


_EMPHASIS = re.compile(r"\*+(?=\S)|(?<=\S)\*+")  # Markdown **bold** and *italics*, not a "* " bullet
RUN = 100  # no word is longer; the tokenizer's time grows with the square of a run's length
_LONG_RUN = re.compile(rf"\S{{{RUN + 1},}}")


def _break(match: re.Match[str]) -> str:
    run = match.group()
    return "".join(" " if i % RUN == RUN - 1 else c for i, c in enumerate(run))


def normalise(text: str) -> str:
    """Length-preserving normalisation of typography: quotes, dashes and odd spaces become
    their plain forms, Markdown emphasis markers become spaces, and a run of more than 100
    characters without a space (a URL, a pasted table, noise) gets a space every 100."""
    text = _EMPHASIS.sub(lambda m: " " * len(m.group()), text.translate(_ONE_FOR_ONE))
    return _LONG_RUN.sub(_break, text)


MAX_BYTES = 2_000_000  # news articles are far smaller; a larger file is refused, not truncated
MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive or Office document",
    b"{\\rtf": "an RTF document",
}


_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_HTML_TAG = re.compile(
    rb"</?(?:html|head|body|div|span|script|style|meta|link|article|section|p|br|a\s)[^>]{0,200}>", re.I
)


def decode(data: bytes, where: str) -> tuple[str, str | None]:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; fall back to cp1252 with a
    note saying so; refuse binary files and HTML pages. Returns (text, note)."""
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            raise InputError(where, f"looks like {kind}, not text; save the article as plain text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise InputError(where, f"broken UTF-16 at byte {exc.start}; re-save as UTF-8") from exc
    if b"\x00" in data[:4096]:
        raise InputError(where, "looks like binary data (NUL bytes), not text; save the article as text")
    if _HTML_START.match(data[:2048]) or len(_HTML_TAG.findall(data[:4096])) >= 3:
        raise InputError(where, "is an HTML page; save the article's text (reader view, Save as Text)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(where, f"not UTF-8 (byte {exc.start}) nor cp1252; re-save as UTF-8") from exc
        return text, f"not UTF-8 (byte {exc.start}: {data[exc.start]:#04x}); read as cp1252"


def metadata_path(path: Path) -> Path:
    return path.with_name(path.stem + ".meta.json")


def read_metadata_bytes(path: Path) -> bytes | None:
    """The raw sidecar of the article `path`, or None when it has none."""
    meta_path = metadata_path(path)
    try:
        os.stat(meta_path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(str(meta_path), f"cannot read metadata ({exc.strerror})") from exc
    return read_capped(meta_path, MAX_META_BYTES, "metadata files")


def parse_metadata(data: bytes, where: str) -> Metadata:
    try:
        return Metadata.model_validate_json(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        if error["type"] == "json_invalid":  # "... at line 3 column 5"
            message = str(error.get("ctx", {}).get("error", error["msg"]))
            line = re.search(r" at line (\d+)", message)
            detail = re.sub(r" at line \d+ column \d+$", "", message)
            raise InputError(f"{where}:{line.group(1) if line else 1}", f"not valid JSON ({detail})") from exc
        field = ".".join(str(part) for part in error["loc"]) or "(file)"
        raise InputError(
            where, f'{error["msg"]}; expected {{"published": "YYYY-MM-DD", "source": "..."}}', field
        ) from exc


def read_metadata(path: Path) -> Metadata | None:
    data = read_metadata_bytes(path)
    return None if data is None else parse_metadata(data, str(metadata_path(path)))


def input_digest(data: bytes, meta: bytes | None) -> str:
    """What an article's records are made from: its bytes and its metadata's."""
    digest = hashlib.sha256(data)
    digest.update(hashlib.sha256(meta).digest() if meta is not None else b"no metadata")
    return digest.hexdigest()


def read_inputs(path: Path) -> tuple[bytes, bytes | None]:
    """An article's bytes and its metadata's, each read once."""
    if os.path.isdir(path):
        raise InputError(str(path), "is a folder, expected an article file")
    return read_capped(path, MAX_BYTES, "articles"), read_metadata_bytes(path)


def from_text(text: str, doc_id: str, published: dt.date | None, path: str = "<text>") -> Article:
    if len(text) > MAX_BYTES:
        raise InputError(path, f"is {len(text):,} characters; articles over {MAX_BYTES:,} are refused")
    return Article(
        doc_id=doc_id,
        path=path,
        text=text,
        norm=normalise(text),
        published=published,
    )


def read_article(path: Path, published: dt.date | None = None) -> Article:
    """Read `path` and its metadata, each once; `published` overrides the metadata's date.
    The article's `digest` is of exactly the bytes its records are made from."""
    data, meta_data = read_inputs(path)
    return article_from_bytes(path, data, meta_data, input_digest(data, meta_data), published)


def article_from_bytes(
    path: Path, data: bytes, meta_data: bytes | None, digest: str, published: dt.date | None = None
) -> Article:
    """The article that `read_article` gives, from bytes read elsewhere (by a batch, or on
    another machine) and their `input_digest`, so that nothing is read or hashed twice."""
    text, note = decode(data, str(path))
    article = from_text(text, path.stem, published, str(path))
    article = article.model_copy(update={"digest": digest})
    if note:
        article = article.model_copy(update={"notes": (f"{path}: {note}",)})
    meta = None if meta_data is None else parse_metadata(meta_data, str(metadata_path(path)))
    if meta and meta.source:
        article = article.model_copy(update={"source": meta.source})
    if meta and meta.model_extra:
        article = article.model_copy(update={"meta": dict(meta.model_extra)})
    if published is None and meta and meta.published:
        article = article.model_copy(update={"published": meta.published})
    return article
