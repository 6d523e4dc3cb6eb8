"""Where a coordinated clause starts: 'Rebels captured Kelmar and Tolbek, and Rivane was overrun
on 9 March' is two clauses, and what the second says is its own.

An 'and' opens a clause of its own when the clause before it already has a verb and a short
subject after it is followed by a verb of its own ('..., and Rivane was overrun'), or when a
comma and 'and' lead straight to a perfect auxiliary ('..., and had approached ...'): another
tense, another time. A list of places ('Kelmar, Tolbek and Rivane fell') has no verb before
its 'and', so it stays one clause. Times set off by commas right after ', and' ('..., and two
days later, on the night of 17 May, the last units abandoned it') come before the subject.
"""

from __future__ import annotations

from collections.abc import Sequence, Set

SUBJECT = 6  # tokens of a subject between 'and' and its verb, at most
PERFECT = frozenset({"had", "has", "have"})
_SUBJECT_MARKS = frozenset({'"', "'", "'s", "-"})  # punctuation that can stand inside a subject


def clause_starts(
    words: Sequence[str],
    puncts: Sequence[bool],
    sents: Sequence[int],
    verbs: set[int],
    breaks: set[int],
    timed: Set[int] = frozenset(),
) -> list[int]:
    """The positions of the 'and's that open a coordinated clause, in order. `verbs` are the
    token positions where a verb starts (a status trigger, an auxiliary, a past-tense verb),
    `breaks` those where a clause already starts (conjunctions, semicolons), `timed` those of
    dates and the prepositions before them."""
    out: list[int] = []
    verb_seen = False  # a verb since the clause started
    for n, word in enumerate(words):
        if n in breaks or word == ":" or (n and sents[n] != sents[n - 1]):
            verb_seen = False  # 'the pattern changed: Kelmar and Tolbek fell' lists after the colon
        if word == "and" and verb_seen and _opens_clause(words, puncts, sents, verbs, breaks, n, timed):
            out.append(n)
            verb_seen = False
        verb_seen = verb_seen or n in verbs
    return out


def _opens_clause(
    words: Sequence[str],
    puncts: Sequence[bool],
    sents: Sequence[int],
    verbs: set[int],
    breaks: set[int],
    n: int,
    timed: Set[int],
) -> bool:
    """The 'and' at n is followed by a subject and its verb, or (after a comma) by a perfect."""
    after = n + 1
    if after < len(words) and words[after] in PERFECT:
        return n > 0 and words[n - 1] == ","
    if n > 0 and words[n - 1] == "," and (start := _past_times(words, timed, after)) > after:
        # after a time of its own, any subject up to a verb: '..., and two days later, the
        # last army units and their allies abandoned it'
        for k in range(start + 1, len(words)):
            if sents[k] != sents[n] or k in breaks:
                return False
            if k in verbs:
                return True
        return False
    for k in range(after, min(after + SUBJECT + 1, len(words))):
        if sents[k] != sents[n] or k in breaks:
            return False
        if k in verbs:
            return k > after
        if puncts[k] and words[k] not in _SUBJECT_MARKS:
            return False
    return False


def _past_times(words: Sequence[str], timed: Set[int], k: int) -> int:
    """Where the subject starts after times set off by commas: 'two days later, on the night
    of 17 May, the last units'."""
    while k in timed:
        end = k
        while end < len(words) and end in timed:
            end += 1
        if end >= len(words) or words[end] != ",":
            return k
        k = end + 1
    return k
