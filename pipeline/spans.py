"""Run the nlp over blocks: tokens and mentions with absolute offsets and provenance.

Each mention carries the id of the rule or gazetteer entry that made it. Place mentions are
resolved here: "Kunduz province" names a province, "the capital of Samangan province" and
"Balkh's capital" name a capital, and a bare name that is both names the city.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from spacy.attrs import IDX, IS_PUNCT, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.article import Article
from pipeline.blocks import Block
from pipeline.nlp import MATCHES

NLP_KINDS = frozenset({"paragraph", "list_item", "table_row", "section_header", "headline"})


class Token(NamedTuple):
    """One token of a block (a named tuple: thousands are made per article)."""

    lower: str
    start: int
    end: int
    sent: int
    is_punct: bool


class Mention(NamedTuple):
    """A matched span: i/j are token indices in its block, start/end absolute offsets."""

    kind: Literal["place", "status", "cue", "date"]
    label: str  # place: "capital" | "province"; others: the rule's label
    rule: str  # rule id, or the province ISO code for places
    i: int
    j: int
    start: int
    end: int


@dataclass
class BlockSpans:
    block: Block
    tokens: list[Token] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    status: list[Mention] = field(default_factory=list)
    cues: list[Mention] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)


def _longest(spans: list[Mention]) -> list[Mention]:
    """Drop spans inside a longer one of the same kind; keep order by position."""
    kept: list[Mention] = []
    for m in sorted(spans, key=lambda m: (m.i, -(m.j - m.i))):
        if kept and m.i < kept[-1].j and (m.j - m.i) <= (kept[-1].j - kept[-1].i):
            if not (m.i == kept[-1].i and m.j == kept[-1].j and m.label != kept[-1].label):
                continue
        kept.append(m)
    return kept


def _cue_at(cues: list[Mention], label: str, i: int, j: int) -> Mention | None:
    for cue in cues:
        if cue.label == label and cue.i == i and cue.j <= j:
            return cue
    return None


def _places(raw: list[Mention], tokens: list[Token], text: str, cues: list[Mention]) -> list[Mention]:
    """Resolve raw gazetteer matches into capital or province mentions."""
    lower = [t.lower for t in tokens]
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for m in _longest(raw):
        by_span.setdefault((m.i, m.j), []).append(m)
    resolved: list[Mention] = []
    for (i, j), options in sorted(by_span.items()):
        labels = {m.label for m in options}
        m = options[0]
        after = lower[j] if j < len(lower) else ""
        before = lower[i - 1] if i > 0 else ""
        before2 = lower[i - 2] if i > 1 else ""
        province_context = after in ("province", "provinces") or (
            before == "of" and before2 in ("province", "provinces")
        )
        if labels == {"PROVINCE"} or ("PROVINCE" in labels and province_context):
            resolved.append(_province_or_capital(tokens, text, m, cues))
        elif _cue_at(cues, "place_suffix", j, j + 1):  # "Kunduz city": the name and its noun
            resolved.append(Mention("place", "capital", m.rule, i, j + 1, m.start, tokens[j].end))
        else:
            resolved.append(Mention("place", "capital", m.rule, i, j, m.start, m.end))
    return resolved


def _province_or_capital(tokens: list[Token], text: str, m: Mention, cues: list[Mention]) -> Mention:
    """'capital(s) of [the] [adjectives] P [and Q] [province]' or "P's capital" -> capital."""
    lower = [t.lower for t in tokens]
    j = m.j
    if j < len(tokens) and lower[j] in ("province", "provinces"):
        j += 1
    capital_after = _cue_at(cues, "capital_word", j, len(tokens))
    if capital_after:
        end = tokens[capital_after.j - 1].end
        return Mention("place", "capital", m.rule, m.i, capital_after.j, m.start, end)
    k = m.i - 1
    skipped = 0
    coordinated = False
    while k >= 0 and skipped < 8:
        for cue in cues:
            if cue.label == "province_capital" and cue.j == k + 1:
                if coordinated:  # "capitals of Ghor and Uruzgan": each province its own span
                    return Mention("place", "capital", m.rule, m.i, m.j, m.start, m.end)
                return Mention("place", "capital", m.rule, cue.i, m.j, tokens[cue.i].start, m.end)
        word = lower[k]
        original = text[tokens[k].start : tokens[k].end]
        if word in ("the", ",", "and", "-", "of") or (original.isalpha() and original.islower()):
            k -= 1
            skipped += 1
            continue
        if original.istitle() and skipped and lower[k + 1] in (",", "and"):
            k -= 1  # another province in a coordinated list
            coordinated = True
            continue
        break
    return Mention("place", "province", m.rule, m.i, m.j, m.start, m.end)


@dataclass(frozen=True)
class DocView:
    """The article's one Doc, as plain lists, so each block takes its slice cheaply."""

    text: str
    idx: list[int]
    tokens: list[tuple[int, int, int, int]]  # idx, length, is_punct, sent_start
    rules: list[tuple[int, int, str, str, str, int, int]]  # start, end, kind, label, id, offsets
    places: list[tuple[int, int, str, str, str, int, int]]


def view(doc: Doc, text: str) -> DocView:
    """`text` is the text `doc` was made from."""
    tokens = doc.to_array([IDX, LENGTH, IS_PUNCT, SENT_START]).tolist() if len(doc) else []
    rules, places = [], []
    for start, end, kind, label, rule in doc.user_data[MATCHES]:
        last = tokens[end - 1]
        row = (start, end, kind, label, rule, tokens[start][0], last[0] + last[1])
        (places if kind == "place" else rules).append(row)
    return DocView(text, [t[0] for t in tokens], tokens, rules, places)


def _within(rows: list[tuple[int, int, str, str, str, int, int]], lo: int, hi: int):
    start = bisect.bisect_left(rows, (lo,))
    for row in rows[start:]:
        if row[0] >= hi:
            break
        if row[1] <= hi:
            yield row


def block_spans(v: DocView, block: Block, sent_base: int) -> BlockSpans:
    """Tokens and mentions of one block, token indices counted from the block's start."""
    out = BlockSpans(block)
    lo = bisect.bisect_left(v.idx, block.start)
    hi = bisect.bisect_left(v.idx, block.end)
    sent = sent_base - 1
    for idx, length, punct, starts in v.tokens[lo:hi]:
        sent += starts == 1 or sent < sent_base
        word = v.text[idx : idx + length]
        out.tokens.append(Token(word.lower(), idx, idx + length, sent, bool(punct)))
    found: dict[str, list[Mention]] = {"status": [], "cue": [], "date": []}
    for start, end, kind, label, rule, a, b in _within(v.rules, lo, hi):
        found[kind].append(Mention(kind, label, rule, start - lo, end - lo, a, b))  # type: ignore[arg-type]
    cues = found["cue"]
    out.cues = sorted(
        (c for label in {c.label for c in cues} for c in _longest([m for m in cues if m.label == label])),
        key=lambda m: (m.i, m.j),
    )
    out.status = _longest(found["status"])
    out.dates = _longest(found["date"])
    raw = [
        Mention("place", lab, rule, s - lo, e - lo, a, b)
        for s, e, _, lab, rule, a, b in _within(v.places, lo, hi)
    ]
    places = _places(raw, out.tokens, v.text, out.cues)
    out.places = [p for p in places if p.start >= block.body_start]
    # a status trigger that is part of a date or place name is not a trigger
    taken = {t for m in out.places + out.dates for t in range(m.i, m.j)}
    out.status = [m for m in out.status if not taken.intersection(range(m.i, m.j))]
    return out


def find_spans(nlp: Language, article: Article, blocks: list[Block]) -> Iterator[BlockSpans]:
    """Run `nlp` once over the article; each block that can carry language takes its slice."""
    v = view(nlp(article.norm), article.norm)
    sent_base = 0
    for block in blocks:
        if block.kind not in NLP_KINDS:
            yield BlockSpans(block)
            continue
        spans = block_spans(v, block, sent_base)
        sent_base = spans.tokens[-1].sent + 1 if spans.tokens else sent_base
        yield spans
