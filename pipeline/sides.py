"""Who gains the city a trigger is about, and what that makes the status.

A city falls when the attackers, or any force other than the government that held it,
take it; it is retaken only when the government or its forces regain it; and a lasting
state ('under X control', 'in X's hands') is read by who X is. The actor the sentence
gives for the trigger is looked for inside it ('under Ukrainian control'), right after it
('fell to M23', 'retaken by the army') and otherwise before it in its clause (the subject).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.country import Countries
from pipeline.data import Actor
from pipeline.spans import Mention

AFTER = 3  # tokens from a trigger to its 'to'/'by', and from there to the actor it names
PRONOUN_REACH = 3  # tokens from 'they' to the trigger it is the subject of, at most
CHAIN_GAP = 2  # tokens between two actors of one compound subject ('army units and allied fighters'), at most
DEFECTOR_BEFORE = 2  # tokens from 'renegade' to the actor it describes ('renegade army units'), at most
SPEAKER_REACH = 2  # tokens from a speaker to its verb of saying ('a rebel spokesman told'), at most


def gainer(
    clause: Sequence[int],
    trig: Mention,
    actors: Sequence[Mention],
    leads: set[int],
    where: Sequence[str],
    governed: frozenset[int] = frozenset(),
) -> Mention | None:
    """The actor mention that gains what the trigger says, looked for in the places its
    rule names, in order: "inside" the trigger, "next" to it, "after" it behind a word that leads to an
    actor (`leads`: the positions of 'to', 'by'), "before" it in its clause, where an actor
    behind a preposition (`governed`: 'resistance from government forces upon entering') is
    no subject. A verb of loss ('abandoned', 'surrendered') looks only after it: its subject
    lost the city."""
    same = [a for a in actors if clause[a.i] == clause[trig.i]]
    for place in where:
        if place == "inside":
            found = [a for a in actors if trig.i <= a.i < trig.j]  # 'in the hands of Zedish troops'
        elif place == "next":  # 'in the hands of the Vorn Legion': the name right after it
            found = [a for a in same if a.i == trig.j]
        elif place == "after":  # 'fell to M23', 'abandoned the city to the rebels'
            lead = next((n for n in range(trig.j - 1, trig.j + AFTER) if n in leads), None)
            found = [a for a in same if lead is not None and lead < a.i <= lead + AFTER]
        else:
            found = _first_of_chain([a for a in same if a.j <= trig.i and a.i not in governed])
        if found:
            return found[0]
    return None


def _first_of_chain(before: Sequence[Mention]) -> list[Mention]:
    """The last actor before the trigger, or the first of the actors joined to it ('army
    units and allied fighters retook ...'): the head of a compound subject."""
    if not before:
        return []
    n = len(before) - 1
    while n > 0 and before[n].i - before[n - 1].j <= CHAIN_GAP:
        n -= 1
    return [before[n]]


def shared_subject(
    clause: Sequence[int], start: int, trig: Mention, actors: Sequence[Mention], governed: frozenset[int]
) -> Mention | None:
    """'RSF fighters overran the headquarters and by evening controlled Kelmar': a clause
    that opens at `start` with 'and' and names no side before its trigger shares the subject of
    the clause before it."""
    if start == 0 or any(start <= a.i < trig.i for a in actors):
        return None
    before = clause[start - 1]
    return next((a for a in actors if clause[a.i] == before and a.j <= start and a.i not in governed), None)


def speaker(actors: Sequence[Mention], reports: Sequence[Mention]) -> Mention | None:
    """The actor that says it, right before a verb of saying: '"Kelmar is liberated," a rebel
    spokesman told reporters'."""
    return next((a for r in reports for a in actors if 0 <= r.i - a.j <= SPEAKER_REACH), None)


def defected(gained: Mention, trig: Mention, defectors: Sequence[Mention]) -> bool:
    """'troops of the 8th Division who had defected seized Kelmar', 'renegade soldiers took
    it': the side that gains has turned on the government, by a word for it right before
    the actor or between the actor and the trigger."""
    return any(gained.i - DEFECTOR_BEFORE <= d.i < trig.i for d in defectors)


def pronoun_subject(words: Sequence[str], clause: Sequence[int], trig: Mention) -> bool:
    """'They entered the city on Monday': 'they' stands for the trigger's subject, a few
    words before it in its clause."""
    lo = max(0, trig.i - PRONOUN_REACH)
    return any(words[n] == "they" and clause[n] == clause[trig.i] for n in range(lo, trig.i))


def government_leaves(
    clause: Sequence[int],
    trig: Mention,
    leavers: Sequence[Mention],
    actors: Sequence[Mention],
    side_of: Callable[[Mention], str | None],
) -> bool:
    """'troops pulled out of Tolbek': the side that leaves stands before the trigger in its
    clause, and it is the government's, by a word for it ('troops', 'the army') or by name."""
    before = [m for m in (*leavers, *actors) if clause[m.i] == clause[trig.i] and m.j <= trig.i]
    named = [a for a in actors if a in before]
    if named:
        return side_of(named[-1]) == "government"
    return any(m in before for m in leavers)


def status_for(label: str, state: bool, side: str | None, by_government: str | None = None) -> str:
    """The status once the gaining side is known: a government 'capture' is a retake and a
    government 'control' is no change ('held'); anyone else's 'retake' is a fall. A trigger
    that says something else when the government does it says `by_government` then ('government
    troops entered the city': the attackers' entry is fighting, the government's a retake)."""
    if side == "government" and by_government is not None:
        return by_government
    if side is None or label not in ("fallen", "retaken"):
        return label
    if side == "government":
        return "held" if state else "retaken"
    return "fallen"


def status_for_loser(label: str, side: str | None) -> str:
    """The status once the side that loses the city is known: the government's loss is a
    fall, the attackers' a retake; anyone else's, or an unknown side's, leaves it as it is."""
    if side == "government":
        return "fallen"
    if side == "attacker":
        return "retaken"
    return label


def canonical(countries: Countries, name: str, country: str | None) -> str:
    """The actor list's name for `name` ('HTS' -> 'Hayat Tahrir al-Sham'), else `name`."""
    actor: Actor | None = countries.actor(name, country)
    return actor.name if actor is not None else name


def opponent(
    status: str,
    actor: str | None,
    named: Sequence[str],
    countries: Countries,
    country: str | None,
) -> Actor | None:
    """The other side, from the actor lists and never guessed: for a fall by a side known
    not to be the government, the country's government; for a retake by the government,
    the first other side the sentence names (`named`), if any."""
    side = countries.side(actor, country) if actor else None
    if status == "fallen" and side in ("attacker", "other") and country is not None:
        return countries.governments.get(country)
    if status == "retaken" and side == "government":
        others = [countries.actor(n, country) for n in named if countries.side(n, country) != "government"]
        return next((a for a in others if a is not None), None)
    return None
