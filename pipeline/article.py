"""Read an article faithfully: decoded text with offsets kept, id, and publication date.

Offsets everywhere in the pipeline index `Article.text`, the file's decoded text with its
line endings untouched. The normalised copy `Article.norm` has exactly the same length
(quotes, dashes and odd spaces are replaced one character for one), so an offset found in
`norm` slices `text` to the original characters.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, JsonValue, ValidationError

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
    """Sidecar `<stem>.meta.json` beside an article. Other keys (a URL, a headline) are kept
    and travel with the records as their `meta`."""

    model_config = ConfigDict(extra="allow")
    published: dt.date | None = None
    source: str | None = None


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


def read_metadata(path: Path) -> Metadata | None:
    meta_path = path.with_name(path.stem + ".meta.json")
    if not meta_path.exists():
        return None
    try:
        return Metadata.model_validate(json.loads(meta_path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as exc:
        raise InputError(f"{meta_path}:{exc.lineno}", f"not valid JSON ({exc.msg})") from exc
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "(file)"
        raise InputError(
            str(meta_path), f'{error["msg"]}; expected {{"published": "YYYY-MM-DD", "source": "..."}}', field
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(meta_path), f"cannot read metadata ({exc})") from exc


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
    """Read `path`; `published` overrides the sidecar metadata file."""
    if not path.exists():
        raise InputError(str(path), "no such file")
    if path.is_dir():
        raise InputError(str(path), "is a folder, expected an article file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(str(path), f"is {size:,} bytes; articles over {MAX_BYTES:,} bytes are refused")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from exc
    text, note = decode(data, str(path))
    article = from_text(text, path.stem, published, str(path))
    if note:
        article = article.model_copy(update={"notes": (f"{path}: {note}",)})
    meta = read_metadata(path)
    if meta and meta.source:
        article = article.model_copy(update={"source": meta.source})
    if meta and meta.model_extra:
        article = article.model_copy(update={"meta": dict(meta.model_extra)})
    if published is None and meta and meta.published:
        article = article.model_copy(update={"published": meta.published})
    return article
