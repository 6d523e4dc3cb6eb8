"""A cheap first pass over an article's text: does it need the spaCy pipeline at all?

A record needs a place (a gazetteer name, or a capitalised word one typo from one) and a
status trigger; so does the only article-wide warning, a stated count ("nine capitals have
fallen"), which needs a count cue and a trigger but no place. An article that has no word a
trigger needs, or neither a place nor a count, gives no records and no warnings, and is
skipped. Nothing finer is skipped: blocks without a place still carry dates, headings and
"the city" for the blocks after them.

The test is on words: the maximal runs of letters of the folded text. A token the matchers
read is such a run, or a run of letters within one, because the tokenizer splits runs of
letters only at its special cases ("do|n't", "can|not"): a key that one of those could cut
out of a longer run is never relied on. Each place pattern and each trigger needs one key
word (the longest run of letters it must contain); a rule with no such word turns the test
off, so the answer is never "skip" where the pipeline could find something.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from spacy.attrs import ORTH
from spacy.language import Language

from pipeline.data import TokenRule
from pipeline.nlp import FUZZY_MIN, FuzzyNames, fold

_LETTERS = re.compile(r"[^\W\d_]+")  # runs of letters, and of a few numeric signs split below
_ASCII_LETTERS = re.compile(r"[A-Za-z]+")  # the same for ASCII text, twice as fast
_NOT_ALPHA = re.compile(r"[^\W\d_]")


def letter_runs(text: str) -> set[str]:
    """Maximal runs of characters for which str.isalpha() holds."""
    if text.isascii():
        return set(_ASCII_LETTERS.findall(text))
    runs = set(_LETTERS.findall(text))
    for run in [r for r in runs if not r.isalpha()]:  # "²", "½" are word characters, not letters
        runs.discard(run)
        runs.update("".join(c if c.isalpha() else " " for c in run).split())
    return runs


def fast_fold(text: str) -> str:
    """nlp.fold, but at C speed: most news is ASCII, and the rest has few distinct characters."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    marks = {ord(c): None for c in set(decomposed) if unicodedata.combining(c)}
    return decomposed.translate(marks) if marks else decomposed


def cut_words(nlp: Language) -> tuple[set[str], set[str]]:
    """Folded words the tokenizer's special cases cut out of a run of letters ('do' and 'n' of
    "don't": tokens that are no run of the text), and the runs they cut ('don': a phrase
    holding it is tokens that may stand apart in the text, 'do n't')."""
    pieces: set[str] = set()
    cut: set[str] = set()
    for text, parts in nlp.tokenizer.rules.items():
        if len(parts) < 2:
            continue
        whole = set(letter_runs(fold(text)))
        runs = {run for part in parts for run in letter_runs(fold(part.get(ORTH, "")))}
        pieces |= runs - whole
        cut |= whole - runs
    return pieces, cut


def _key(options: Iterable[str], pieces: set[str]) -> set[str] | None:
    """One word per option that a token equal to it must contain (its longest run of
    letters); None if some option has none that can be relied on."""
    keys = set()
    for option in options:
        runs = [run for run in letter_runs(fold(option)) if run not in pieces]
        if not runs:
            return None
        keys.add(max(runs, key=len))
    return keys


def _literal(token: dict[str, Any]) -> list[str] | None:
    """The words a pattern token must be (LOWER, NORM or ORTH, one or IN), or None."""
    if token.get("OP") not in (None, "+"):  # optional or negated: nothing it must be
        return None
    for attr in ("LOWER", "NORM", "ORTH", "TEXT"):
        value = token.get(attr)
        if isinstance(value, str):
            values = [value]
        elif isinstance(value, dict) and set(value) == {"IN"}:
            values = list(value["IN"])
        else:
            continue
        if not any(v.startswith("<") and v.endswith(">") for v in values):  # a word class
            return values
    return None


Needs = tuple[tuple[frozenset[str], ...], ...]  # per rule: one word of each set


def rule_keys(rules: Iterable[TokenRule], pieces: set[str]) -> Needs | None:
    """Per rule, the words a match must contain: one of each set, a set for each token that
    must be a word; None if some rule has no such token (then any text may match)."""
    needs = []
    for rule in rules:
        sets = [_key(options, pieces) for token in rule.pattern if (options := _literal(token))]
        found = tuple(frozenset(k) for k in sets if k is not None)
        if not found:
            return None
        needs.append(found)
    return tuple(needs)


def _any_rule(needs: Needs | None, words: set[str], vocabulary: frozenset[str]) -> bool:
    """Some rule has one word of each of its sets among `words`. `needs` comes as built by
    `_simple_first`: a rule of one set, the union of all such rules."""
    if needs is None:
        return True
    present = words & vocabulary
    return bool(present) and any(all(not present.isdisjoint(k) for k in rule) for rule in needs)


def _simple_first(needs: Needs | None) -> Needs | None:
    """The rules that need one word of one set merged into one such rule, put first: most
    triggers are one word ('captured'), and the check runs on every article."""
    if needs is None:
        return None
    single = frozenset().union(*(rule[0] for rule in needs if len(rule) == 1))
    return ((single,), *(rule for rule in needs if len(rule) > 1))


Places = dict[str, tuple[frozenset[str], ...]]  # a name's longest word -> each name's words


def _phrase_words(nlp: Language, phrase: str, cased: bool, pieces: set[str], cut: set[str]) -> frozenset[str]:
    """The runs of letters every match of a place pattern contains ('lashkar', 'gah'); those of
    its tokens where a special case may split it."""
    words = letter_runs(phrase if cased else fast_fold(phrase))
    if not cut.isdisjoint(map(fast_fold, words)):
        words = {run for token in nlp.make_doc(phrase) for run in letter_runs(token.text)}
    return frozenset(w for w in words if fast_fold(w) not in pieces)


def _index(names: list[frozenset[str]]) -> Places:
    index: dict[str, list[frozenset[str]]] = {}
    for words in names:
        index.setdefault(max(sorted(words), key=len), []).append(words)
    return {key: tuple(sets) for key, sets in index.items()}


@dataclass(frozen=True)
class FirstPass:
    """The words of the place patterns (folded, and as written for names matched only as
    written), of the triggers and of the count cues; the typo index."""

    places: Places | None  # None: some place pattern has no word to rely on; all pass
    cased: Places | None
    triggers: Needs | None
    counts: Needs | None
    fuzzy: FuzzyNames | None  # None: a special case may cut a typo of a name out of a word
    trigger_words: frozenset[str]  # every word of `triggers` and `counts`

    @classmethod
    def build(
        cls,
        nlp: Language,
        phrases: Iterable[tuple[str, bool]],
        status: Iterable[TokenRule],
        counts: Iterable[TokenRule],
        fuzzy: FuzzyNames,
    ) -> FirstPass:
        """`phrases`: every place pattern as the matchers have it, and whether it is matched
        only as written: ('lashkar gah', False), ('Centre', True)."""
        pieces, cut = cut_words(nlp)
        folded: list[frozenset[str]] = []
        cased: list[frozenset[str]] = []
        for phrase, as_written in phrases:
            (cased if as_written else folded).append(_phrase_words(nlp, phrase, as_written, pieces, cut))
        keyless = any(not words for words in folded + cased)
        typo_piece = any(fuzzy.find(word.title()) for word in pieces if len(word) >= FUZZY_MIN)
        triggers, count_rules = (
            _simple_first(rule_keys(status, pieces)),
            _simple_first(rule_keys(counts, pieces)),
        )
        return cls(
            places=None if keyless else _index(folded),
            cased=None if keyless else _index(cased),
            triggers=triggers,
            counts=count_rules,
            fuzzy=None if typo_piece else fuzzy,
            trigger_words=frozenset(
                w for rules in (triggers, count_rules) for rule in rules or () for k in rule for w in k
            ),
        )

    def needs_pipeline(self, text: str) -> bool:
        """False only when the text can give no record and no warning."""
        words = letter_runs(fast_fold(text))
        if not _any_rule(self.triggers, words, self.trigger_words):
            return False
        return _any_rule(self.counts, words, self.trigger_words) or self._has_place(text, words)

    def _has_place(self, text: str, words: set[str]) -> bool:
        if self.places is None or self.cased is None or self.fuzzy is None:
            return True
        if _any_name(self.places, words):
            return True
        written = letter_runs(text)
        if _any_name(self.cased, written):
            return True
        fuzzy = self.fuzzy
        return any(
            len(run) >= FUZZY_MIN and (run.istitle() or run.isupper()) and fuzzy.find(run) for run in written
        )


def _any_name(places: Places, words: set[str]) -> bool:
    return any(names <= words for key in words & places.keys() for names in places[key])
