"""Run the nlp over blocks: tokens and mentions with absolute offsets and provenance.

Each mention carries the id of the rule or gazetteer entry that made it. Place mentions are
resolved here: "Kunduz province" names a province, "the capital of Samangan province" and
"Balkh's capital" name a capital, and a bare name that is both names the city.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.article import Article
from pipeline.blocks import Block
from pipeline.nlp import PLACE_KEY

NLP_KINDS = frozenset({"paragraph", "list_item", "table_row", "section_header", "headline"})


@dataclass(frozen=True)
class Token:
    lower: str
    start: int
    end: int
    sent: int
    is_punct: bool


@dataclass(frozen=True)
class Mention:
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


def _mention(kind: Literal["status", "cue", "date"], span: Span, base: int) -> Mention:
    doc = span.doc
    end = doc[span.end - 1].idx + len(doc[span.end - 1].text)
    return Mention(kind, span.label_, span.id_, span.start, span.end, base + span.start_char, base + end)


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


def _places(doc: Doc, base: int, cues: list[Mention]) -> list[Mention]:
    """Resolve raw gazetteer matches into capital or province mentions."""
    raw = [
        Mention("place", s.label_, s.id_, s.start, s.end, base + s.start_char, base + s.end_char)
        for s in doc.spans[PLACE_KEY]
    ]
    raw = _longest(raw)
    lower = [t.lower_ for t in doc]
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for m in raw:
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
            resolved.append(_province_or_capital(doc, base, m, cues))
        else:
            resolved.append(Mention("place", "capital", m.rule, i, j, m.start, m.end))
    return resolved


def _province_or_capital(doc: Doc, base: int, m: Mention, cues: list[Mention]) -> Mention:
    """'capital(s) of [the] [adjectives] P [and Q] [province]' or "P's capital" -> capital."""
    lower = [t.lower_ for t in doc]
    j = m.j
    if j < len(doc) and lower[j] in ("province", "provinces"):
        j += 1
    capital_after = _cue_at(cues, "capital_word", j, len(doc))
    if capital_after:
        end = doc[capital_after.j - 1]
        return Mention("place", "capital", m.rule, m.i, capital_after.j, m.start, base + end.idx + len(end))
    k = m.i - 1
    skipped = 0
    coordinated = False
    while k >= 0 and skipped < 8:
        for cue in cues:
            if cue.label == "province_capital" and cue.j == k + 1:
                if coordinated:  # "capitals of Ghor and Uruzgan": each province its own span
                    return Mention("place", "capital", m.rule, m.i, m.j, m.start, m.end)
                start = base + doc[cue.i].idx
                return Mention("place", "capital", m.rule, cue.i, m.j, start, m.end)
        word = lower[k]
        if word in ("the", ",", "and", "-", "of") or (doc[k].is_alpha and doc[k].is_lower):
            k -= 1
            skipped += 1
            continue
        if doc[k].is_title and skipped and lower[k + 1] in (",", "and"):
            k -= 1  # another province in a coordinated list
            coordinated = True
            continue
        break
    return Mention("place", "province", m.rule, m.i, m.j, m.start, m.end)


def block_spans(doc: Doc, block: Block, sent_base: int) -> BlockSpans:
    base = block.start
    out = BlockSpans(block)
    sent_of: dict[int, int] = {}
    for n, sent in enumerate(doc.sents):
        for t in sent:
            sent_of[t.i] = sent_base + n
    out.tokens = [
        Token(t.lower_, base + t.idx, base + t.idx + len(t.text), sent_of[t.i], t.is_punct) for t in doc
    ]
    cues = [_mention("cue", s, base) for s in doc.spans["cues"]]
    out.cues = sorted(
        (c for label in {c.label for c in cues} for c in _longest([m for m in cues if m.label == label])),
        key=lambda m: (m.i, m.j),
    )
    out.status = _longest([_mention("status", s, base) for s in doc.spans["status"]])
    out.dates = _longest([_mention("date", s, base) for s in doc.spans["dates"]])
    out.places = [p for p in _places(doc, base, out.cues) if p.start >= block.body_start]
    # a status trigger that is part of a date or place name is not a trigger
    taken = {t for m in out.places + out.dates for t in range(m.i, m.j)}
    out.status = [m for m in out.status if not taken.intersection(range(m.i, m.j))]
    return out


def find_spans(nlp: Language, article: Article, blocks: list[Block]) -> Iterator[BlockSpans]:
    """Run `nlp` over the blocks that can carry language; others come back empty."""
    wanted = [b for b in blocks if b.kind in NLP_KINDS]
    texts = (article.norm[b.start : b.end] for b in wanted)
    docs = dict(zip((b.index for b in wanted), nlp.pipe(texts), strict=True))
    sent_base = 0
    for block in blocks:
        doc = docs.get(block.index)
        if doc is None:
            yield BlockSpans(block)
            continue
        spans = block_spans(doc, block, sent_base)
        sent_base += sum(1 for _ in doc.sents)
        yield spans
