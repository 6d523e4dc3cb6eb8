"""Places the gazetteer does not know: 'advanced on Sarvan, where fighting broke out on the
edge of the town' is about Sarvan, not the last capital named before it.

A capitalised word right after a preposition, that no place, date or cue covers, names a
place the gazetteer does not know (a town, a suburb, a village). After it, 'the town' or
'the city' means that place until a capital is named again, and a trigger whose object it
is ('stormed the base at Ardavan, on the outskirts of Tolbek') is not about the capital named
in the apposition after it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence


def unnamed_places(
    texts: Sequence[str],
    covered: Sequence[bool],
    after_preposition: set[int],
    not_places: Collection[str],
) -> list[int]:
    """Positions of tokens that name a place the gazetteer does not know, in order. `texts`
    are the tokens as written, `covered` says which a mention covers, `after_preposition`
    holds the positions right after a preposition, `not_places` words in lower case that
    name no place ('in August')."""
    return [
        k
        for k in sorted(after_preposition)
        if k < len(texts) and not covered[k] and _name(texts[k]) and texts[k].lower() not in not_places
    ]


def _name(text: str) -> bool:
    """A capitalised word, not an acronym ('UN', 'NATO')."""
    return text[:1].isupper() and text.isalpha() and text != text.upper()
