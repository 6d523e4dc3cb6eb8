"""build_nlp: spacy.blank("en") + a sentencizer + span rulers made from the data files.

Place names are matched on a folded NORM (lower case, no diacritics, no apostrophes), with
hyphens optional and every way of joining a name's parts ("Lashkar Gah", "Lashkar-gah",
"Lashkargah"), so spelling variants need no code.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from spacy.attrs import IS_ALPHA, IS_ASCII, IS_PUNCT, IS_TITLE, IS_UPPER, LENGTH, NORM, ORTH
from spacy.lang.en import English
from spacy.lang.lex_attrs import is_punct as spacy_is_punct
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.article import MAX_BYTES
from pipeline.cache import Cache
from pipeline.data import Country, GazetteerEntry, Rules, TokenRule
from pipeline.errors import DataFileError

MATCHES = "matches"
TYPO = "typo"  # a match one typo from a place name ('Kandahaar'): the article's country must own it
PHRASE_ATTRS = ("LOWER", "NORM", "SHAPE")  # what a pattern of fixed words may match on
SHAPE_EXAMPLE = str.maketrans("dxX", "1aA")


def fold(text: str) -> str:
    """Lower case without diacritics: the key places are matched on."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@Language.component("fold_norm")
def fold_norm(doc: Doc) -> Doc:
    """Fold the NORM of non-ASCII tokens ("Herāt" -> "herat"); ASCII tokens keep spaCy's
    default NORM, their lower case, so only the few odd tokens are touched."""
    for i, ascii_only in enumerate(doc.to_array([IS_ASCII]).tolist()):
        if not ascii_only:
            doc[i].norm_ = fold(doc[i].text) or doc[i].text
    return doc


def _name_phrases(nlp: Language, name: str, cased: bool = False) -> set[str]:
    """Phrases for every way of writing `name`'s parts: joined, spaced or hyphenated; folded,
    or as written for a name matched only as written (`cased`)."""
    parts = [t.text if cased else fold(t.text) for t in nlp.make_doc(name) if t.text not in "-"]
    parts = [p for p in parts if p]
    if not parts or len(parts) > 5:
        return set()
    phrases = set()
    for gaps in itertools.product(("", " ", "-"), repeat=len(parts) - 1):
        phrase = parts[0] + "".join(gap + part for gap, part in zip(gaps, parts[1:], strict=True))
        phrases |= {phrase, phrase.replace("'", "").replace("`", "")}  # Qal'eh, Qaleh
    return phrases


class PlacePattern(NamedTuple):
    """One way of writing a place: label CAPITAL or PROVINCE, id the province's ISO code,
    the phrase folded, or as written when it is matched only as written (`cased`)."""

    label: str
    id: str
    pattern: str
    cased: bool


def place_patterns(nlp: Language, gazetteer: list[GazetteerEntry]) -> list[PlacePattern]:
    """Phrase patterns: label CAPITAL or PROVINCE, id the province's ISO code. Matched on the
    folded NORM, except the names in an entry's `cased` (ordinary words such as "Unity"),
    which are matched as written (`cased`). A province without a seat has no CAPITAL."""
    rows: list[PlacePattern] = []
    seen: set[PlacePattern] = set()
    for entry in gazetteer:
        for label, aliases in entry.names().items():
            for alias in aliases:
                cased = alias in entry.cased
                for phrase in sorted(_name_phrases(nlp, alias, cased)):
                    row = PlacePattern(label, entry.province_iso, phrase, cased)
                    if row not in seen:
                        seen.add(row)
                        rows.append(row)
    return rows


class Phrases(NamedTuple):
    """The phrases of one match key for one phrase matcher, each as the values of its tokens
    that the matcher compares: the NORM of 'lashkar gah' is ['lashkar', 'gah']."""

    matcher: str  # "places", "cased_places", or a rule matcher's attribute: LOWER, NORM, SHAPE
    kind: str  # place, status, cue, date
    label: str
    rule: str
    phrases: list[list[str]]


@dataclass(frozen=True)
class Phrasebook:
    """Every pattern of fixed words the data files make, as the token values the matchers
    compare: what the tokenizer and the vocabulary made of some 9,000 place spellings and
    the rules. Plain data, so that it can be kept between runs (see `build_nlp`)."""

    places: list[PlacePattern]
    groups: list[str]  # the <group> word class (see group_words)
    entries: list[Phrases]

    def to_json(self) -> dict[str, Any]:
        return {"places": self.places, "groups": self.groups, "entries": self.entries}

    @classmethod
    def from_json(cls, value: Any) -> Phrasebook:
        """The book `to_json` gave; TypeError or KeyError if `value` is not one."""
        places = [PlacePattern(*row) for row in value["places"]]
        return cls(places, list(value["groups"]), [Phrases(*entry) for entry in value["entries"]])


def phrasebook(
    nlp: Language, rules: Rules, countries: list[Country], places: list[PlacePattern]
) -> list[Phrases]:
    """Token values of the place patterns, the rules made of fixed words (see `as_phrases`)
    and the names of countries and actors; after `set_word_classes`, whose NORMs they hold."""
    entries: dict[tuple[str, str, str, str], list[list[str]]] = {}  # (matcher, kind, label, rule)
    for row in places:
        tokens = nlp.make_doc(row.pattern)
        values = [t.text for t in tokens] if row.cased else [t.norm_ for t in tokens]
        entries.setdefault(
            ("cased_places" if row.cased else "places", "place", row.label, row.id), []
        ).append(values)
    for kind, rule_entries in (("status", rules.status), ("cue", rules.cues), ("date", rules.dates)):
        for e in rule_entries:
            if (fixed := as_phrases(e.pattern)) is not None:
                attr, phrases = fixed
                entries.setdefault((attr, kind, e.label, e.id), []).extend(
                    _rule_values(nlp.vocab, attr, p) for p in phrases
                )
    names = {(a.name, *a.aliases) for c in countries for a in c.actors}
    for label, found in (
        ("actor", {f"actor:{n[0]}": list(n) for n in sorted(names)}),
        ("country", {c.country: c.names for c in countries}),
    ):
        for rule, phrases in found.items():  # names, matched in any case
            entries.setdefault(("LOWER", "cue", label, rule), []).extend(
                [t.lower_ for t in nlp.make_doc(p.lower())] for p in phrases
            )
    return [Phrases(*key, phrases) for key, phrases in entries.items()]


def _rule_values(vocab: Vocab, attr: str, phrase: str) -> list[str]:
    """The values of `attr` of a rule phrase's words, as a Doc of those words would give them.
    A SHAPE pattern token is the shape of its word: an example of "dd/dd/dddd" is "11/11/1111"."""
    words = phrase.split(" ")
    if attr == "SHAPE":
        return [vocab[w.translate(SHAPE_EXAMPLE)].shape_ for w in words]
    return [vocab[w].norm_ if attr == "NORM" else vocab[w].lower_ for w in words]


FUZZY_MIN = 6  # shorter names are too close to ordinary words to allow a typo


def one_typo(a: str, b: str) -> bool:
    """True when b is a with one letter inserted, deleted, replaced, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass
class FuzzyNames:
    """Names one typo away ('Kandahaar', 'Jalalbad'): a deletion index over the one-word
    names of FUZZY_MIN letters or more. `near` holds the ordinary words one typo from a name
    ('Garden' / Gardez, 'Taliban' / Taliqan), which are never read as places."""

    index: dict[str, set[tuple[str, str, str]]] = field(default_factory=dict)  # key -> (name, label, iso)
    near: set[str] = field(default_factory=set)
    seen: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # answers so far (words recur)
    endings: tuple[str, ...] = ()  # a name plus one of these is a word for its people, no typo

    def add(self, name: str, label: str, iso: str) -> None:
        if len(name) >= FUZZY_MIN and name.isalpha():
            for key in _deletions(name):
                self.index.setdefault(key, set()).add((name, label, iso))

    def _is_name(self, stem: str, ending: str) -> bool:
        """`stem` is a name that `ending` does not merely double ('Halbrunn' is a typo)."""
        return not stem.endswith(ending) and any(name == stem for name, _, _ in self.index.get(stem, ()))

    def find(self, text: str) -> set[tuple[str, str]]:
        """(label, iso) of the names `text` is one typo from; none if it is a known word."""
        if text in self.seen:
            return self.seen[text]
        word = fold(text)
        found = set()
        if word not in self.near:
            for key in _deletions(word):
                for name, label, iso in self.index.get(key, ()):
                    if one_typo(word, name):
                        found.add((label, iso))
            if any(self._is_name(word[: -len(e)], e) for e in self.endings if word.endswith(e)):
                found = set()  # 'Misratan': a word for the people of a place, not a typo of it
        if len(self.seen) > 100_000:  # a bound on memory over a long batch
            self.seen.clear()
        self.seen[text] = found
        return found


def fuzzy_names(gazetteer: list[GazetteerEntry], endings: Iterable[str] = ()) -> FuzzyNames:
    """`endings`: what makes a name a word for its people ('Misratan'), which is no typo."""
    names = FuzzyNames(endings=tuple(endings))
    for entry in gazetteer:
        for label, aliases in entry.names().items():
            for alias in aliases:
                if alias not in entry.cased:  # an ordinary word gets no typo allowance
                    names.add("".join(c for c in fold(alias) if c.isalpha()), label, entry.province_iso)
        names.near |= {fold(word) for word in entry.near_words}
    return names


class RuleMatcher:
    """Matches the gazetteer and the rule files, keeping plain (start, end, kind, label, id)
    tuples in `doc.user_data[MATCHES]`: place, CAPITAL, AF-NIM; status, fallen, fallen.fall.
    spaCy's SpanRuler would build a Span object for each of the hundred-odd matches of
    function-word cues per article; the pipeline only needs tuples. Patterns of fixed words
    go to a PhraseMatcher (on LOWER; on NORM for word classes such as <month>; on SHAPE), which
    costs next to nothing; only the rest go to the token Matcher, whose cost grows with
    the number of patterns times the number of tokens.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.places = PhraseMatcher(vocab, attr="NORM")  # folded names
        self.cased_places = PhraseMatcher(vocab, attr="ORTH")  # ordinary words, only as written
        self.phrases = {attr: PhraseMatcher(vocab, attr=attr) for attr in PHRASE_ATTRS}
        self.tokens = Matcher(vocab, validate=False)  # everything else
        self.keys: dict[int, tuple[str, str, str]] = {}
        self.fuzzy = FuzzyNames()
        self.place_phrases: list[tuple[str, bool]] = []  # (pattern, cased), for a first pass (prefilter)

    def _key(self, kind: str, label: str, rule: str) -> str:
        key = f"{kind}:{label}:{rule}"
        self.keys[self.vocab.strings.add(key)] = (kind, label, rule)
        return key

    def add_phrasebook(self, book: Phrasebook) -> None:
        """Each entry's phrases as the hashes of their token values, the way spaCy's own
        unpickling adds them: neither a Doc nor a lexeme per word, which is most of the
        cost of adding thousands of phrases."""
        matchers = {"places": self.places, "cased_places": self.cased_places, **self.phrases}
        strings = self.vocab.strings
        for entry in book.entries:
            phrases = [[strings.add(value) for value in phrase] for phrase in entry.phrases]
            matchers[entry.matcher].add(self._key(entry.kind, entry.label, entry.rule), phrases)
        self.place_phrases = [(row.pattern, row.cased) for row in book.places]

    def add_token_rules(self, kind: str, entries: list[TokenRule]) -> None:
        """Rules not made of fixed words, which the phrasebook does not hold."""
        for e in entries:
            self.tokens.add(self._key(kind, e.label, e.id), [e.pattern])

    def __call__(self, doc: Doc) -> Doc:
        places = self.places(doc) + self.cased_places(doc)
        found = places + self.tokens(doc)
        for phrases in self.phrases.values():
            found += phrases(doc)
        keys = self.keys
        matches = {(s, e, *keys[k]) for k, s, e in found}
        matches.update(self._typos(doc, {i for _, s, e in places for i in range(s, e)}))
        doc.user_data[MATCHES] = sorted(matches)
        return doc

    def _typos(self, doc: Doc, named: set[int]) -> Iterator[tuple[int, int, str, str, str]]:
        """Capitalised words of FUZZY_MIN letters or more, not a name, one typo from a name."""
        if not len(doc):
            return
        flags = doc.to_array([IS_TITLE, IS_UPPER, IS_ALPHA, LENGTH])
        candidates = (flags[:, 0] | flags[:, 1]) & flags[:, 2] & (flags[:, 3] >= FUZZY_MIN)
        for i in candidates.nonzero()[0].tolist():
            if i not in named:
                for label, iso in self.fuzzy.find(doc[i].text):
                    yield (i, i + 1, TYPO, label, iso)


@Language.factory("rule_matcher")
def make_rule_matcher(nlp: Language, name: str) -> RuleMatcher:
    return RuleMatcher(nlp.vocab)


def set_word_classes(nlp: Language, classes: dict[str, list[str]]) -> None:
    """Give the words of a class one NORM, so rules can say {"NORM": "<month>"}. Set on
    the vocabulary once, for each word in lower, title and upper case, with and without a
    full stop ("Aug."): no cost per document."""
    for norm, words in classes.items():
        for word in words:
            for form in {word, word.title(), word.upper()}:
                nlp.vocab[form].norm_ = norm
                if form.isalpha():
                    nlp.vocab[form + "."].norm_ = norm


# A citation marker glued to a full stop ("fight.[3] On 6 August"): its own token, so the
# full stop before it ends the sentence.
_CITATION = r"\[(?:[0-9]{1,3}|[a-z])\]"


def _is_punct(text: str) -> bool:
    """spaCy's punctuation, and citation markers, which so stay with the sentence they end."""
    return spacy_is_punct(text) or re.fullmatch(_CITATION, text) is not None


def blank_english(abbreviations: list[str]) -> Language:
    """spacy.blank("en") with a tokenizer for news, built once: a hyphen between a number
    and a word is its own token ("6-Aug-2021"); special cases without letters are dropped
    (they are emoticons, "8)", and in news "(March 8)" closes a bracket); the others keep
    their split but not their NORM ("Aug." -> "August"), so word classes apply to them; and
    the abbreviations of the rules ("prov.", "Sat.") are one token, so they end no sentence;
    a citation marker ("[3]") is its own token."""
    exceptions = {
        text: [{k: v for k, v in piece.items() if k != NORM} for piece in case]
        for text, case in English.Defaults.tokenizer_exceptions.items()
        if any(c.isalpha() for c in text)
    }
    exceptions.update({word: [{ORTH: word}] for word in abbreviations})
    news_infixes = [*English.Defaults.infixes, r"(?<=[0-9])-(?=[A-Za-z])", r"(?<=[A-Za-z])-(?=[0-9])"]
    news_suffixes = [_CITATION, *English.Defaults.suffixes]

    class NewsDefaults(English.Defaults):
        tokenizer_exceptions = exceptions
        infixes = news_infixes
        suffixes = news_suffixes
        lex_attr_getters = {**English.Defaults.lex_attr_getters, IS_PUNCT: _is_punct}

    class NewsEnglish(English):
        Defaults = NewsDefaults

    return NewsEnglish()


def _place_words(rows: list[PlacePattern]) -> dict[str, str]:
    """Every word of a place name matched on NORM (folded), with the ISO code of a place it
    is in. Cased names are matched on ORTH, which a class NORM does not hide."""
    return {word: row.id for row in rows if not row.cased for word in row.pattern.replace("-", " ").split()}


def _check_classes(place_words: dict[str, str], classes: dict[str, list[str]]) -> None:
    """Places are matched on NORM, so a class word must not be a word of a place name."""
    for name, words in classes.items():
        for word in map(fold, words):
            if word in place_words:
                raise DataFileError(
                    "classes.json",
                    f"{word!r} is in {name} and in a place name of {place_words[word]}; remove it",
                )


def group_words(
    nlp: Language, rules: Rules, countries: list[Country], place_words: dict[str, str]
) -> list[str]:
    """<group>: the rules' words for any armed group ('rebels') and every one-word name in
    the actor lists ('Taliban', 'M23'), so that rules can say {"NORM": "<group>"}. A name
    that is also a word of a place ('Iraqi' in 'Mahmud-e Iraqi') or of another word class
    stays out of the class; it is still matched as an actor."""
    taken = set(place_words) | {fold(w) for members in rules.classes.values() for w in members}
    words = {word.lower() for word in rules.groups}
    for country in countries:
        for actor in country.actors:
            for name in (actor.name, *actor.aliases):
                if len(nlp.make_doc(name)) == 1 and fold(name) not in taken:
                    words.add(name.lower())
    return sorted(words)


def build_nlp(
    gazetteer: list[GazetteerEntry],
    rules: Rules,
    countries: list[Country] | None = None,
    cache: Cache | None = None,
) -> Language:
    """A blank English pipeline with rule components; nothing is downloaded. Tokenizing the
    phrases is most of the start-up: with a `cache` (whose key must cover the gazetteer,
    rules, countries, this code and spaCy's), the phrasebook is read back when it was made
    from the same, and made and stored when not."""
    countries = countries or []
    nlp = blank_english(rules.abbreviations)
    book = _stored(cache)
    places = book.places if book else place_patterns(nlp, gazetteer)
    place_words = _place_words(places)
    _check_classes(place_words, {**rules.classes, "<group>": rules.groups})
    groups = book.groups if book else group_words(nlp, rules, countries, place_words)
    set_word_classes(nlp, {**rules.classes, "<group>": groups})
    if book is None:
        book = Phrasebook(places, groups, phrasebook(nlp, rules, countries, places))
        if cache is not None:
            cache.write(book.to_json())
    nlp.max_length = MAX_BYTES + 1  # a whole (maybe single-line) article is one Doc
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("fold_norm")
    matcher = nlp.add_pipe("rule_matcher")
    matcher.add_phrasebook(book)
    matcher.fuzzy = fuzzy_names(gazetteer, rules.demonym_endings)
    in_book = {(e.kind, e.label, e.rule) for e in book.entries}
    for kind, entries in (("status", rules.status), ("cue", rules.cues), ("date", rules.dates)):
        matcher.add_token_rules(kind, [e for e in entries if (kind, e.label, e.id) not in in_book])
    return nlp


def _stored(cache: Cache | None) -> Phrasebook | None:
    """The phrasebook kept in `cache` for its key, or None."""
    stored = cache.read() if cache is not None else None
    try:
        return Phrasebook.from_json(stored) if stored is not None else None
    except (TypeError, ValueError, KeyError):  # the right key and checksum, but not a phrasebook
        return None


def as_phrases(pattern: list[dict[str, Any]], limit: int = 4000) -> tuple[str, list[str]] | None:
    """(attribute, word sequences) for a pattern whose tokens all give a word or a list of
    words of one attribute, LOWER, NORM or SHAPE (optional tokens too); None for any other."""
    attrs = {key for token in pattern for key in token if key != "OP"}
    if len(attrs) != 1 or not attrs <= set(PHRASE_ATTRS):
        return None
    (attr,) = attrs
    options: list[list[str]] = []
    for token in pattern:
        optional = token.get("OP") == "?"
        if set(token) - {attr, "OP"} or token.get("OP") not in (None, "?"):
            return None
        value = token[attr]
        if isinstance(value, str):
            options.append([value])
        elif isinstance(value, dict) and set(value) == {"IN"}:
            options.append(list(value["IN"]))
        else:
            return None
        if optional:
            options[-1].append("")
    count = 1
    for choice in options:
        count *= len(choice)
    if count > limit:
        return None
    phrases = {" ".join(w for w in words if w) for words in itertools.product(*options)}
    return attr, sorted(p for p in phrases if p)
