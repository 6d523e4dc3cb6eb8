"""The merge step: candidates from every block -> one record per (place, status, episode).

Withdrawn reports go, denied claims are marked disputed, fighting on the day a city fell or
was retaken is part of that outcome, and of the candidates left for a place and status the
best-dated one makes the record (a past year's event is kept apart as historical). A city that
changed hands and back again has an episode for each time: it fell, was retaken and fell again
is two falls, and fighting before and after a change of hands is two fights.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from pipeline.article import Article
from pipeline.country import Countries
from pipeline.data import GazetteerEntry
from pipeline.findings import Candidate, Dated
from pipeline.records import Evidence, MentionRef, Place, Record, record_id
from pipeline.sides import opponent
from pipeline.spans import Mention

RANK: dict[str, int] = {  # how a date was found, most specific first
    "explicit": 0,
    "weekday": 1,
    "relative": 2,
    "anaphoric": 2,
    "entry": 1,
    "section": 3,
    "published": 4,
    "none": 5,
}
OWN_DATES = frozenset({"explicit", "weekday", "relative"})  # a date mention that names the day itself
UNRANKED = 9  # a candidate with no date at all
PRECISION = {"day": 0, "month": 1, "year": 2}  # of two dates found the same way, the more precise
Withdrawal = tuple[str, str, str | None]  # a correction's province, status and day (None: not said)


@dataclass(frozen=True)
class Story:
    """When the article's story is: its publication date, else the first year its title
    names ('Northern campaign (2012-2013)'), if any."""

    published: dt.date | None
    title_year: int | None = None


def merge(
    candidates: list[Candidate],
    withdrawn: set[Withdrawal],
    denied: set[tuple[str, str]],
    article: Article,
    gazetteer: dict[str, GazetteerEntry],
    story: Story,
    sides: tuple[Countries, str | None],
) -> list[Record]:
    """Records in text order. `withdrawn`: the reports corrections withdrew; `denied`: the
    (province, status) pairs a negation denied; `sides`: the actor lists and the article's
    country."""
    usable = [
        replace(c, disputed=True) if c.claimed and (c.iso, c.status) in denied else c
        for c in candidates
        if not _withdrawn(c, withdrawn)
    ]
    # fighting on the day a city fell or was retaken is part of that outcome, not a state of its
    # own, while fighting on other days still is; but where the outcome is a denied claim, the
    # fighting is what the article stands by; and fighting with a date of its own ('fighting
    # erupted on 24 December, and by evening rebels held the town') came before it, unlike an
    # entry ('X was entered on 11 August. It was the ninth capital to fall') or fighting dated
    # by the outcome's own date ('captured Aug. 10 after brief clashes'); and where the outcome is
    # only the attackers' claim that nothing in the article confirms, the fighting stands too
    usable = [c for c in usable if not _repelled(c, usable)]
    confirmed = {(c.iso, c.status, c.dated.resolved.value) for c in usable if not c.claimed}
    outcomes: dict[tuple[str, str | None], set[Mention | None]] = {}  # their date mentions
    for _, c in _best(usable, story):
        if (
            c.status != "contested"
            and not c.disputed
            and c.dated.resolved.value
            and (c.iso, c.status, c.dated.resolved.value) in confirmed
        ):
            outcomes.setdefault((c.iso, c.dated.resolved.value), set()).add(c.dated.mention)
    fighting = [c for c in usable if not _part_of_outcome(c, outcomes)]
    kept = [(n, c) for n, c in _best(fighting, story) if gazetteer[c.iso].capital is not None]  # a seat
    records = [_record(c, n, article, gazetteer[c.iso], story, sides) for n, c in kept]
    return sorted(records, key=lambda r: (r.evidence.start, r.place.province_iso, r.status))


def _part_of_outcome(c: Candidate, outcomes: dict[tuple[str, str | None], set[Mention | None]]) -> bool:
    """Fighting on the day of a fall or retake (`outcomes`: the date mentions of each place's
    and day's), unless it is fighting dated by a date of its own: not the outcome's ('captured
    Aug. 10 after brief clashes')."""
    told = outcomes.get((c.iso, c.dated.resolved.value))
    if c.status != "contested" or told is None:
        return False
    return c.approach or c.dated.source not in OWN_DATES or c.dated.mention in told


def _repelled(c: Candidate, candidates: list[Candidate]) -> bool:
    """'Fighters attacked Kelmar at dawn ... until troops drove them out': a retake by driving
    the attackers out on the day they attacked, of a city the article never says fell before,
    is an attack repelled; the attack is the record."""
    day = c.dated.resolved.value
    if not (c.repels and c.status == "retaken" and day):
        return False
    attacked = any(
        o.iso == c.iso and o.status == "contested" and o.dated.resolved.value == day for o in candidates
    )
    fell = any(
        o.iso == c.iso and o.status == "fallen" and (o.dated.resolved.value or "") <= day for o in candidates
    )
    return attacked and not fell


def _withdrawn(c: Candidate, withdrawn: set[Withdrawal]) -> bool:
    """A correction withdraws the report it names: of the day it gives, or of any day when it
    gives none ('an earlier entry said Kelmar had fallen'); what the article tells of another
    day ('Kelmar was last attacked on March 1') stands. A report of no known day is withdrawn
    by any correction of its place and status."""
    value = c.dated.resolved.value
    return any(
        iso == c.iso and status == c.status and (day is None or value is None or day == value)
        for iso, status, day in withdrawn
    )


def _rank(c: Candidate) -> tuple[bool, int, int, bool, bool]:
    """Best first: undisputed, the most specific date (a day before a month before a year,
    then how it was found: 'the battle of Kelmar in 2014' gives way to 'fighting began on 9
    September 2014', 'fighting in March' to 'the next day they attacked Kelmar'), fighting
    rather than an approach ('reached the edge of the city'), with
    a trigger of its own. A claim that is denied gives way to what the article stands by,
    even of a day it does not tell."""
    dated = RANK[c.dated.source] if c.dated.resolved.value else UNRANKED
    precise = PRECISION.get(c.dated.resolved.precision, len(PRECISION))
    return (c.disputed, precise, dated, c.approach, c.trigger is None)


def _best(candidates: list[Candidate], story: Story) -> list[tuple[int, Candidate]]:
    """The best-ranked candidate of each (province, status, historical) and episode, with the
    episode's number. A candidate with no date belongs to its place's latest episode ('X is in
    rebel hands'); an episode told only by a date its candidate inherits (a section's, the
    publication's) is none of its own where another is told with a date."""
    turns = _turns(candidates)
    groups: dict[tuple[str, str, bool], dict[int, list[Candidate]]] = {}
    for c in sorted(candidates, key=lambda c: c.dated.resolved.value is None):  # dated first
        episodes = groups.setdefault((c.iso, c.status, historical(c.dated, story)), {})
        episode = _episode(c, turns) if c.dated.resolved.value else max(episodes, default=0)
        episodes.setdefault(episode, []).append(c)
    best = []
    for episodes in groups.values():
        chosen = {n: min(group, key=_rank) for n, group in episodes.items()}
        told = {n: c for n, c in chosen.items() if RANK[c.dated.source] < RANK["section"]}
        best.extend((told or chosen).items())
    return best


def _turns(candidates: list[Candidate]) -> dict[tuple[str, str], set[str]]:
    """The days each city changed hands, by the status it changed to: falls and retakes the
    article stands by (not claims it reports denied) on a day it names."""
    turns: dict[tuple[str, str], set[str]] = {}
    for c in candidates:
        day = c.dated.resolved.value
        if c.status != "contested" and not c.disputed and day and c.dated.resolved.precision == "day":
            turns.setdefault((c.iso, c.status), set()).add(day)
    return turns


def _episode(c: Candidate, turns: dict[tuple[str, str], set[str]]) -> int:
    """How many times the city changed hands the other way before this candidate's date: a
    fall after a retake, a retake after a fall, fighting after either. Without a date it is the
    first episode."""
    value = c.dated.resolved.value
    if not value:
        return 0
    other = {"fallen": ["retaken"], "retaken": ["fallen"], "contested": ["fallen", "retaken"]}[c.status]
    days = set().union(*(turns.get((c.iso, status), set()) for status in other))
    return sum(1 for day in days if day < value)


def historical(dated: Dated, story: Story) -> bool:
    """Dated in an earlier year than the article, or, when it has no date, than the year its
    title names or the narrative that looks back to it: a past event, kept apart."""
    value = dated.resolved.value
    year = int(value[:4]) if value and value[:4].isdigit() else None
    if story.published is not None:
        return year is not None and year < story.published.year
    return dated.looks_back or (year is not None and story.title_year is not None and year < story.title_year)


def _ref(article: Article, m: Mention | None) -> MentionRef | None:
    if m is None:
        return None
    return MentionRef(start=m.start, end=m.end, text=article.text[m.start : m.end], rule=m.rule)


def _record(
    c: Candidate,
    episode: int,
    article: Article,
    entry: GazetteerEntry,
    story: Story,
    sides: tuple[Countries, str | None],
) -> Record:
    countries, country = sides
    start, end = c.evidence
    acting = countries.actor(c.actor, country) if c.actor else None
    other = opponent(c.status, c.actor, c.named, countries, country)
    value = c.dated.resolved.value
    past = historical(c.dated, story)
    published = story.published
    place_ref = _ref(article, c.place)
    assert place_ref is not None and entry.capital is not None
    return Record(
        id=record_id(article.doc_id, c.iso, c.status, past, episode),
        doc_id=article.doc_id,
        source=article.source,
        published=published.isoformat() if published else None,
        place=Place(
            name=entry.capital,
            province=entry.province,
            province_iso=entry.province_iso,
            country=entry.country,
            geonames_id=entry.geonames_id,
            lat=entry.lat,
            lon=entry.lon,
        ),
        status=c.status,  # type: ignore[arg-type]
        date=value,
        date_precision=c.dated.resolved.precision,
        date_source=c.dated.source,
        actor=c.actor,
        actor_inter=acting.inter if acting is not None else None,
        opponent=other.name if other is not None else None,
        opponent_inter=other.inter if other is not None else None,
        attribution=c.attribution,
        claimed=c.claimed,
        disputed=c.disputed,
        historical=past,
        evidence=Evidence(
            start=start,
            end=end,
            text=article.text[start:end],
            block=c.block.kind,
            rule=c.trigger.rule if c.trigger else "section_header",
        ),
        place_mention=place_ref,
        trigger=_ref(article, c.trigger),
        date_mention=_ref(article, c.dated.mention),
        meta=article.meta,
    )
