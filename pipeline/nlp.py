"""build_nlp: spacy.blank("en") + a sentencizer + span rulers made from the data files.

Place names are matched on a folded NORM (lower case, no diacritics, no apostrophes), with
hyphens optional and every way of joining a name's parts ("Lashkar Gah", "Lashkar-gah",
"Lashkargah"), so spelling variants need no code.
"""

from __future__ import annotations

import itertools
import unicodedata
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.article import MAX_BYTES
from pipeline.data import GazetteerEntry, Rules

PLACE_KEY = "places"
RULE_KEYS = ("status", "cues", "dates")


def fold(text: str) -> str:
    """Lower case without diacritics or apostrophes: the key places are matched on."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in "'`")


@Language.component("fold_norm")
def fold_norm(doc: Doc) -> Doc:
    """Set each token's NORM to its folded text."""
    for token in doc:
        token.norm_ = fold(token.text) or token.text
    return doc


def _name_patterns(nlp: Language, name: str) -> list[list[dict[str, Any]]]:
    """Token patterns for every way of joining the parts of `name`, hyphens optional."""
    parts = [fold(t.text) for t in nlp.make_doc(name) if t.text not in "-"]
    parts = [p for p in parts if p]
    if not parts or len(parts) > 6:
        return []
    patterns = []
    for joins in itertools.product((False, True), repeat=len(parts) - 1):
        words = [parts[0]]
        for part, join in zip(parts[1:], joins, strict=True):
            if join:
                words[-1] += part
            else:
                words.append(part)
        pattern: list[dict[str, Any]] = []
        for i, word in enumerate(words):
            if i:
                pattern.append({"ORTH": "-", "OP": "?"})
            pattern.append({"NORM": word})
        patterns.append(pattern)
    return patterns


def place_patterns(nlp: Language, gazetteer: list[GazetteerEntry]) -> list[dict[str, Any]]:
    """SpanRuler patterns: label CAPITAL or PROVINCE, id the province's ISO code."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for entry in gazetteer:
        names = {
            "CAPITAL": [entry.capital, *entry.capital_aliases],
            "PROVINCE": [entry.province, *entry.province_aliases],
        }
        for label, aliases in names.items():
            for alias in aliases:
                for pattern in _name_patterns(nlp, alias):
                    key = (label, entry.province_iso, repr(pattern))
                    if key not in seen:
                        seen.add(key)
                        rows.append({"label": label, "id": entry.province_iso, "pattern": pattern})
    return rows


def build_nlp(gazetteer: list[GazetteerEntry], rules: Rules) -> Language:
    """A blank English pipeline with rule components; nothing is downloaded."""
    nlp = spacy.blank("en")
    nlp.max_length = MAX_BYTES + 1  # one block may be a whole (single-line) article
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("fold_norm")
    places = nlp.add_pipe(
        "span_ruler", name="place_ruler", config={"spans_key": PLACE_KEY, "validate": False}
    )
    places.add_patterns(place_patterns(nlp, gazetteer))
    for key, entries in zip(RULE_KEYS, (rules.status, rules.cues, rules.dates), strict=True):
        ruler = nlp.add_pipe("span_ruler", name=f"{key}_ruler", config={"spans_key": key, "validate": False})
        ruler.add_patterns([{"label": e.label, "id": e.id, "pattern": e.pattern} for e in entries])
    return nlp
