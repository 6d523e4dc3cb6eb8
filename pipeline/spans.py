"""Run the nlp over blocks: tokens and mentions with absolute offsets and provenance.

Each mention carries the id of the rule or gazetteer entry that made it. Place mentions are
resolved here: "Kunduz province" names a province, "the capital of Samangan province" and
"Balkh's capital" name a capital, and a bare name that is both names the city.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from spacy.attrs import IDX, IS_PUNCT, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.article import Article
from pipeline.blocks import Block
from pipeline.nlp import MATCHES, TYPO

NLP_KINDS = frozenset({"paragraph", "list_item", "table_row", "section_header", "headline"})


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
    """One block's tokens, as columns (token n is words[n], starts[n], ...), and mentions."""

    block: Block
    words: list[str] = field(default_factory=list)  # lower case
    starts: list[int] = field(default_factory=list)  # absolute offsets
    ends: list[int] = field(default_factory=list)
    sents: list[int] = field(default_factory=list)  # sentence numbers, counted over the article
    puncts: list[bool] = field(default_factory=list)
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


class CueIndex:
    """A block's cues by label and start, and by label and end: each lookup is a dict read."""

    def __init__(self, cues: list[Mention]) -> None:
        self.starting: dict[tuple[str, int], list[Mention]] = {}
        self.ending: dict[tuple[str, int], list[Mention]] = {}
        for cue in cues:  # in text order, so the first of a list is the first in the text
            self.starting.setdefault((cue.label, cue.i), []).append(cue)
            self.ending.setdefault((cue.label, cue.j), []).append(cue)

    def at(self, label: str, i: int, j: int) -> Mention | None:
        """The first cue of `label` that starts at i and ends by j."""
        return next((c for c in self.starting.get((label, i), ()) if c.j <= j), None)


def _places(raw: list[Mention], s: BlockSpans, text: str) -> list[Mention]:
    """Resolve raw gazetteer matches into capital or province mentions."""
    lower, cues = s.words, CueIndex(s.cues)
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for m in _longest(raw):
        by_span.setdefault((m.i, m.j), []).append(m)
    resolved: list[Mention] = []
    spans = sorted(by_span.items())
    named = _province_named([span for span, _ in spans], lower, cues)
    for ((i, j), options), province_context in zip(spans, named, strict=True):
        labels = {m.label for m in options}
        m = options[0]
        if cues.at("landmark", j, j + 1):  # "the Kelmar river": a feature named after the place
            continue
        if labels == {"PROVINCE"} or ("PROVINCE" in labels and province_context):
            resolved.append(_province_or_capital(s, cues, text, m))
        elif cues.at("place_suffix", j, j + 1):  # "Kunduz city": the name and its noun
            resolved.append(Mention("place", "capital", m.rule, i, j + 1, m.start, s.ends[j]))
        else:
            resolved.append(Mention("place", "capital", m.rule, i, j, m.start, m.end))
    return resolved


def _province_named(spans: list[tuple[int, int]], lower: list[str], cues: CueIndex) -> list[bool]:
    """For each name, whether a word for province makes it one: 'Rivane province', 'the
    province of Rivane', and every name of a list it heads or closes ('the provinces of
    Emberland and Rivane', 'Rivane and Emberland provinces')."""

    def joined(a: tuple[int, int], b: tuple[int, int]) -> bool:
        between = lower[a[1] : b[0]]
        return 1 <= len(between) <= 2 and all(w in (",", "and", "&") for w in between)

    after = [cues.at("province_word", j, j + 1) is not None for _, j in spans]
    for k in range(len(spans) - 2, -1, -1):
        after[k] = after[k] or (after[k + 1] and joined(spans[k], spans[k + 1]))
    before = [
        i > 1 and lower[i - 1] == "of" and cues.at("province_word", i - 2, i - 1) is not None
        for i, _ in spans
    ]
    for k in range(1, len(spans)):
        before[k] = before[k] or (before[k - 1] and joined(spans[k - 1], spans[k]))
    return [a or b for a, b in zip(after, before, strict=True)]


def _province_or_capital(s: BlockSpans, cues: CueIndex, text: str, m: Mention) -> Mention:
    """'capital(s) of [the] [adjectives] P [and Q] [province]' or "P's capital" -> capital."""
    lower = s.words
    j = m.j
    if cues.at("province_word", j, j + 1):  # "Kunduz province", "Kherson oblast"
        j += 1
    capital_after = cues.at("capital_word", j, len(lower))
    if capital_after and capital_after.rule == "province_capital.whose_capital":
        return Mention(
            "place", "capital", m.rule, m.i, m.j, m.start, m.end
        )  # the antecedent of 'whose capital'
    if capital_after:
        end = s.ends[capital_after.j - 1]
        return Mention("place", "capital", m.rule, m.i, capital_after.j, m.start, end)
    k = m.i - 1
    skipped = 0
    coordinated = False
    while k >= 0 and skipped < 8:
        cue = next(iter(cues.ending.get(("province_capital", k + 1), ())), None)
        if cue is not None:
            if coordinated:  # "capitals of Ghor and Uruzgan": each province its own span
                return Mention("place", "capital", m.rule, m.i, m.j, m.start, m.end)
            return Mention("place", "capital", m.rule, cue.i, m.j, s.starts[cue.i], m.end)
        word = lower[k]
        original = text[s.starts[k] : s.ends[k]]
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
    """The article's one Doc as plain columns, so each block takes its slice cheaply."""

    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]
    puncts: list[bool]
    sent_starts: list[int]
    rules: list[tuple[int, int, str, str, str, int, int]]  # start, end, kind, label, id, offsets
    places: list[tuple[int, int, str, str, str, int, int]]


def view(doc: Doc, text: str) -> DocView:
    """`text` is the text `doc` was made from."""
    if not len(doc):
        return DocView(text, [], [], [], [], [], [], [])
    columns = doc.to_array([IDX, LENGTH, IS_PUNCT, SENT_START])
    starts = columns[:, 0].tolist()
    ends = (columns[:, 0] + columns[:, 1]).tolist()
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer ("İ"): word by word
        words = [text[a:b].lower() for a, b in zip(starts, ends, strict=True)]
    else:
        words = [lower[a:b] for a, b in zip(starts, ends, strict=True)]
    rules, places = [], []
    for start, end, kind, label, rule in doc.user_data[MATCHES]:
        row = (start, end, kind, label, rule, starts[start], ends[end - 1])
        (places if kind in ("place", TYPO) else rules).append(row)
    puncts = columns[:, 2].astype(bool).tolist()
    sent_starts = (columns[:, 3] == 1).astype(int).tolist()
    return DocView(text, starts, ends, words, puncts, sent_starts, rules, places)


def _within(rows: list[tuple[int, int, str, str, str, int, int]], lo: int, hi: int):
    """The rows that start and end within tokens lo..hi: found by bisection, never by a
    copy of the rest of the list (one per block would make an article quadratic)."""
    n = bisect.bisect_left(rows, (lo,))
    while n < len(rows) and rows[n][0] < hi:
        if rows[n][1] <= hi:
            yield rows[n]
        n += 1


def block_spans(v: DocView, block: Block, sents: list[int]) -> BlockSpans:
    """Tokens and mentions of one block, token indices counted from the block's start."""
    lo = bisect.bisect_left(v.starts, block.start)
    hi = bisect.bisect_left(v.starts, block.end)
    out = BlockSpans(block, v.words[lo:hi], v.starts[lo:hi], v.ends[lo:hi], sents[lo:hi], v.puncts[lo:hi])
    found: dict[str, list[Mention]] = {"status": [], "cue": [], "date": []}
    for start, end, kind, label, rule, a, b in _within(v.rules, lo, hi):
        found[kind].append(Mention(kind, label, rule, start - lo, end - lo, a, b))  # type: ignore[arg-type]
    by_label: dict[str, list[Mention]] = {}
    for cue in found["cue"]:
        by_label.setdefault(cue.label, []).append(cue)
    out.cues = sorted((c for cues in by_label.values() for c in _longest(cues)), key=lambda m: (m.i, m.j))
    out.status = _longest(found["status"])
    out.dates = [
        d
        for d in _longest([d for d in found["date"] if not _spans_a_range(out, d)])
        if d.label != "month" or _month_named(out, v.text, d)
    ]
    raw = [
        Mention("place", lab, rule, s - lo, e - lo, a, b)
        for s, e, _, lab, rule, a, b in _within(v.places, lo, hi)
    ]
    out.places = [p for p in _places(raw, out, v.text) if p.start >= block.body_start]
    # a status trigger that is part of a date or place name is not a trigger, nor is the end
    # of a compound ("counter-attack"): a compound that is a trigger has a rule of its own
    taken = {t for m in out.places + out.dates for t in range(m.i, m.j)}
    out.status = [
        m for m in out.status if not taken.intersection(range(m.i, m.j)) and not _compound_end(out, m)
    ]
    return out


def _spans_a_range(s: BlockSpans, m: Mention) -> bool:
    """A dash set off by spaces inside a date joins two dates ('26 January - 1 February'),
    unlike the dash of 'Aug-12'."""
    return any(
        s.puncts[k]
        and s.starts[k] > s.ends[k - 1]
        and s.starts[k + 1] > s.ends[k]
        and not s.words[k].isalnum()
        for k in range(m.i + 1, m.j - 1)
    )


def _month_named(s: BlockSpans, text: str, m: Mention) -> bool:
    """A month named alone is a time when written with a capital and led to ('that October',
    'in mid-December', 'the following April'; not 'that may change')."""
    capital = text[s.starts[m.j - 1] : s.starts[m.j - 1] + 1].isupper()
    return capital and (m.j - m.i > 1 or any(c.j == m.i for c in s.cues if c.label == "month_lead"))


def _compound_end(s: BlockSpans, m: Mention) -> bool:
    """The mention starts right after a hyphen joined to the word before it."""
    return m.i >= 2 and s.words[m.i - 1] == "-" and s.starts[m.i] == s.ends[m.i - 1] == s.starts[m.i - 1] + 1


MAX_SENTENCE = 250  # tokens; the longest sentence of the corpus and dev sets has 116


def _cap_sentences(flags: list[int], v: DocView) -> list[int]:
    """Sentence starts, with a sentence of more than MAX_SENTENCE tokens (a list of
    thousands of names, a line of noise) cut into pieces at a token no mention runs across:
    what is read per sentence stays bounded, whatever the input."""
    inside = bytearray(len(flags))  # tokens inside a match, where no sentence may start
    for start, end, *_ in itertools.chain(v.rules, v.places):
        inside[start + 1 : end] = b"\x01" * (end - start - 1)
    out, length = list(flags), 0
    for n, flag in enumerate(flags):
        if flag or (length >= MAX_SENTENCE and not inside[n]):
            out[n], length = 1, 0
        length += 1
    return out


def view_article(nlp: Language, article: Article, forget_new_words: bool = False) -> DocView:
    """Run `nlp` once over the article. With `forget_new_words`, words the vocabulary did not
    know are let go afterwards (spaCy's memory zone), so a long batch does not grow with
    every new name and number."""
    with nlp.memory_zone() if forget_new_words else contextlib.nullcontext():
        return view(nlp(article.norm), article.norm)


def spans_of(v: DocView, blocks: list[Block]) -> Iterator[BlockSpans]:
    """Each block that can carry language takes its slice of the article's view. A block
    always starts a sentence, whatever the sentencizer thought."""
    flags = list(v.sent_starts)
    for block in blocks:
        first = bisect.bisect_left(v.starts, block.start)
        if first < len(flags):
            flags[first] = 1
    sents = list(itertools.accumulate(_cap_sentences(flags, v)))
    for block in blocks:
        yield block_spans(v, block, sents) if block.kind in NLP_KINDS else BlockSpans(block)


def find_spans(
    nlp: Language, article: Article, blocks: list[Block], forget_new_words: bool = False
) -> Iterator[BlockSpans]:
    """`view_article` then `spans_of`: every block's tokens and mentions."""
    return spans_of(view_article(nlp, article, forget_new_words), blocks)
