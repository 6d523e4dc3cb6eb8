"""Mentions + dates + block tree -> records.

The article is read block by block, in order (see reading.py): for each status trigger,
the places it is about (targets.py), the date that governs it (date_links.py) and how it
is qualified (qualifiers.py), under the section a header opened (sections.py). Reading a
block returns its findings; this module alone keeps the article's running state (the
memory of places and dates, the section, the open list entry, denials and corrections),
and the merge step (merge.py) makes one record per place and status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from pipeline.article import Article
from pipeline.block_index import BlockIndex
from pipeline.blocks import ENTRY_KINDS, RECORD_KINDS
from pipeline.country import Countries
from pipeline.counts import count_warnings, stated_counts
from pipeline.data import GazetteerEntry, StatusRule
from pipeline.dateline import date_line
from pipeline.dates import DateResolver, ResolvedDate
from pipeline.findings import UNDATED, Candidate, Dated
from pipeline.headers import (
    as_kind,
    heading_year,
    is_bare_entry,
    is_dated_heading,
    is_heading,
    is_label_heading,
    is_title_header,
    title_year,
)
from pipeline.merge import Story, Withdrawal, merge
from pipeline.narrative import stated
from pipeline.parts import names_a_part, part_ends
from pipeline.reading import BlockReading, Memory, read
from pipeline.records import STATUSES, Record
from pipeline.sections import Section, heads, read_header, summary_head
from pipeline.sides import (
    canonical,
    defected,
    gainer,
    government_leaves,
    pronoun_subject,
    shared_subject,
    speaker,
    status_for,
    status_for_loser,
)
from pipeline.spans import BlockSpans, Mention

Entry = tuple[list[Mention], Dated | None]  # an open list entry's heads and date
STATE_FORCES = "actor.government_"  # the cue rules for a state's forces named without a country


@dataclass
class Context:
    """What reading the article so far has established; only `assemble()` writes it."""

    countries: Countries
    country: str | None  # the country the article is about
    memory: Memory = Memory()
    section: Section = Section()
    day: Dated | None = None  # the day a live blog's day heading names
    year: dt.date | None = None  # the year a chronology's year heading names, from its first day
    title_year: int | None = None  # the first year an undated article's title names: its story's
    entry: Entry | None = None  # the open list entry
    listing: bool = False  # right under a header with a status, or its entries: a bare line is an entry
    withdrawn: set[Withdrawal] = field(default_factory=set)
    denied: set[tuple[str, str]] = field(default_factory=set)  # "Kelmar has not fallen"
    counts: list[tuple[int, Mention]] = field(default_factory=list)

    def side(self, index: BlockIndex, actor: Mention) -> str | None:
        """The side an actor mention stands for: the government's for a word for the state's
        forces ('the army'), else what the actor lists say of its name."""
        if actor.rule.startswith(STATE_FORCES):
            return "government"
        return self.countries.side(index.text(actor), self.country)

    def actor_name(self, index: BlockIndex, actor: Mention) -> str:
        """The actor list's name for the mention: 'the army' is the government's forces."""
        government = self.countries.governments.get(self.country or "")
        if actor.rule.startswith(STATE_FORCES) and government is not None:
            return government.name
        return canonical(self.countries, index.text(actor).strip(), self.country)


@dataclass(frozen=True)
class Findings:
    """What one block tells: candidates, the list entry it opens or continues, the
    (province, status) pairs it denies and the reports it withdraws."""

    candidates: list[Candidate]
    entry: Entry | None
    denied: set[tuple[str, str]]
    withdrawn: set[Withdrawal]


def passage_date(
    reading: BlockReading,
    head_date: Dated | None,
    ctx: Context,
    published: dt.date | None,
    trig: Mention | None,
) -> Dated:
    """The date of a status whose own clause and sentence give none: the list entry's, the
    paragraph's last, the section's, the live blog's day, or the publication date unless the
    status is told in the past perfect."""
    if head_date is not None:
        return head_date
    if trig is not None and (told := reading.dates.paragraph_date(trig)):
        return told  # the paragraph's own story comes before a header's 'as of' or 'now'
    if ctx.section.date is not None:
        return ctx.section.date
    if ctx.day is not None:
        return ctx.day
    past_perfect = trig is not None and reading.dates.pluperfect(trig)
    if published is not None and not past_perfect:
        return Dated(ResolvedDate(published.isoformat(), "day", published), "published", None)
    return UNDATED


def read_block(reading: BlockReading, ctx: Context, published: dt.date | None) -> Findings:
    s, layout, index = reading.s, reading.layout, reading.index
    block = s.block
    entry_heads, head_date = heads(reading, ctx.section)
    entry: Entry | None = ctx.entry
    if block.kind in ENTRY_KINDS:
        entry = (entry_heads, head_date)
    elif ctx.entry is not None:  # a paragraph that continues the list entry above it
        entry_heads, head_date = ctx.entry
    out: list[Candidate] = []
    denied: set[tuple[str, str]] = set()
    withdrawn: set[Withdrawal] = set()
    if block.kind in ENTRY_KINDS:
        dated = passage_date(reading, head_date, ctx, published, None)
        for head in entry_heads:
            head_dated = reading.dates.own_date(head) or dated
            for status in sorted(ctx.section.status):
                out.append(
                    Candidate(
                        head.rule,
                        status,
                        head_dated,
                        block,
                        (block.start, block.end),
                        head,
                        None,
                        False,
                        False,
                        None,
                        None,
                    )
                )
    previous: str | None = None  # the status a sequel ("and Tolbek followed") repeats
    leads = {c.i for c in index.all_cues("gain_lead")}
    parts = part_ends(s)
    for trig in s.status:
        rule = reading.rules[trig.rule]
        lo, hi = index.sentence(trig.i)
        actors = index.cues("actor", lo, hi)
        # in the passive voice ('Kelmar had been retaken') the side before the trigger is not its
        # subject; and the agent of a verb of loss lost the city ('was abandoned by the army')
        passive = reading.targets.passive(trig)
        where = (
            [w for w in rule.gainer if w != "before" and not (rule.loser and w == "after")]
            if passive
            else rule.gainer
        )
        gained = gainer(layout.clause, trig, actors, leads, where, not_subjects(reading, actors, trig))
        they = pronoun_subject(s.words, layout.clause, trig) and "before" in rule.gainer
        reported = index.cues("report", lo, trig.i)
        behind = governed(reading, actors)  # actors behind a preposition are no subject
        speakers = [  # the subject of the verb of saying, in its clause
            a
            for a in actors
            if reported
            and a.j <= reported[0].i
            and a.i not in behind
            and layout.clause[a.i] == layout.clause[reported[0].i]
        ]
        if they and speakers:  # 'the rebels, who fought the army, said they had seized': the speaker
            gained = speakers[0]
        elif gained is None and they and lo > 0:  # 'They entered': the side named before
            gained = next(iter(index.cues("actor", *index.sentence(lo - 1))), None)
        if gained is None and "speaker" in rule.gainer:  # '"Kelmar is liberated," a rebel said'
            gained = speaker(actors, index.cues("report", lo, hi))
        start = layout.clause_span(trig.i)[0]
        if gained is None and "before" in where and index.cues("coordination", start, start + 1):
            gained = shared_subject(layout.clause, start, trig, actors, behind)
        if not _needs_met(reading, ctx, trig, rule, gained, actors):
            continue
        label = previous if trig.label == "sequel" else trig.label
        turned = False  # the gaining side has turned on the government: no list names it
        if gained is not None and label is not None:  # who gains decides: a fall, a retake, no change
            turned = defected(gained, trig, index.cues("defector", lo, hi))
            side = "attacker" if turned else ctx.side(index, gained)
            label = status_for(label, rule.state, side, rule.by_government)
        elif label is not None and rule.loser:  # else who loses: 'the militants were driven out of'
            label = status_for_loser(label, _losing_side(reading, ctx, trig, rule, actors, leads, passive))
        if label == "contested" and rule.unopposed and index.cues("unopposed", lo, hi):
            label = rule.unopposed  # 'entered Kelmar after its defenders let them in without a fight'
        clause = layout.clause_span(trig.i)  # 'fighting ... has not reached them': no fight for it either
        unopposed = label == "contested" and (
            index.cues("unopposed", *clause) or index.cues("unreached", *clause)
        )
        if label not in STATUSES or unopposed:
            continue  # 'reached the city without meeting resistance': no fight for it
        targets = reading.targets.target_places(trig, rule.target)
        if reading.qualifiers.negation(trig) is not None:  # a denial of any claim to the contrary
            denied.update((place.rule, label) for place in targets)
        if reading.qualifiers.blocked(trig) or (rule.alone and not layout.ends_clause(trig)):
            continue
        qualified = reading.qualifiers.of(trig)
        if qualified.rumour and (label != "contested" or qualified.disputed):
            continue  # a rumour asserts no outcome, and one that is denied not even a fight
        named = gained if gained is not None else qualified.actor if "before" in rule.gainer else None
        # no actor named: the sentence's first actor may be the side that lost the city
        actor = ctx.actor_name(index, named) if named is not None and not turned else None
        targets = targets or reading.targets.fallback_places(trig, entry_heads)
        targets += [p for p in reading.targets.announced(trig) if p not in targets]
        previous = label if targets else previous
        evidence = (s.starts[lo], s.ends[hi - 1])
        dated = reading.dates.date_for(trig) or passage_date(reading, head_date, ctx, published, trig)
        # a place's own date ('Kelmar on March 30') is of its sentence: not of an antecedent's
        own = [reading.dates.own_date(p, trig) if index.sentence(p.i) == (lo, hi) else None for p in targets]
        placed = [(p, mine or dated) for p, mine in zip(targets, own, strict=True)]
        for place, place_date in placed + reading.dates.gapped(trig, targets):
            status = label
            if status != "contested" and (
                reading.qualifiers.partial(trig, place, rule.state) or reading.qualifiers.part_left(trig)
            ):
                # 'most of the city is in rebel hands', 'entered part of the city', 'part of the
                # army abandoned the city' are a contest; 'captured most of the city' took it
                status = "contested"
            if status != "contested" and place.label == "capital" and names_a_part(parts, place):
                status = "contested"  # 'retook eastern Kelmar': a step in the fight for the city
            if qualified.correction:
                withdrawn.add((place.rule, status, place_date.resolved.value))
                continue
            out.append(
                Candidate(
                    place.rule,
                    status,
                    place_date,
                    block,
                    evidence,
                    place,
                    trig,
                    qualified.claimed,
                    qualified.disputed,
                    actor,
                    qualified.attribution,
                    tuple(index.text(a) for a in actors),
                    rule.approach,
                    rule.repels,
                )
            )
    return Findings(out, entry, denied, withdrawn)


def not_subjects(reading: BlockReading, actors: list[Mention], trig: Mention) -> frozenset[int]:
    """The starts of the actors that cannot be the trigger's subject: behind a preposition,
    or in an aside the trigger is not in ('Rebels – led by the Zedish branch – took ...')."""
    aside = reading.layout.aside
    apart = {a.i for a in actors if aside[a.i] and aside[a.i] != aside[trig.i]}
    return governed(reading, actors) | apart | _objects_before(reading, actors, trig)


def _objects_before(reading: BlockReading, actors: list[Mention], trig: Mention) -> set[int]:
    """'the RSF overran the headquarters of the army's division and took control of Kelmar':
    a verb joined by 'and' to a trigger before it shares that trigger's subject; a side named
    in the possessive after that trigger belongs to its object ('the army's division')."""
    index, clause = reading.index, reading.layout.clause
    if not index.cues("coordination", trig.i - 1, trig.i):
        return set()
    first = next(
        (t for t in index.statuses_in(index.sentence(trig.i)[0], trig.i) if clause[t.i] == clause[trig.i]),
        None,
    )
    if first is None:
        return set()
    return {
        a.i for a in actors if first.j <= a.i and a.j <= trig.i and index.starting("possessive", a.j, a.j + 1)
    }


def governed(reading: BlockReading, actors: list[Mention]) -> frozenset[int]:
    """The starts of the actors that stand behind a preposition ('from the army')."""
    index = reading.index
    out = set()
    for a in actors:
        k = a.i - bool(index.cues("determiner", a.i - 1, a.i))
        if index.cues("preposition", k - 1, k) and not index.cues("agent", k - 1, k):  # 'led by X' is X's
            out.add(a.i)
    return frozenset(out)


def _losing_side(
    reading: BlockReading,
    ctx: Context,
    trig: Mention,
    rule: StatusRule,
    actors: list[Mention],
    leads: set[int],
    passive: bool,
) -> str | None:
    """The side of the actor that loses the city, where the rule says it stands (in the passive,
    the agent: 'was abandoned by the army'); else the government's where a word for its forces
    stands before the trigger ('troops were driven out')."""
    index = reading.index
    where = ["after"] if passive else rule.loser
    lost = gainer(reading.layout.clause, trig, actors, leads, where, not_subjects(reading, actors, trig))
    if lost is not None:
        return ctx.side(index, lost)
    leavers = index.cues("leaver", *index.sentence(trig.i))
    behind = governed(reading, leavers)
    leaves = government_leaves(
        reading.layout.clause, trig, [m for m in leavers if m.i not in behind], [], lambda m: None
    )
    return "government" if leaves else None


def _needs_met(
    reading: BlockReading,
    ctx: Context,
    trig: Mention,
    rule: StatusRule,
    gained: Mention | None,
    actors: list[Mention],
) -> bool:
    """A rule that `needs` an actor counts only when the sentence names who gains the city,
    one that needs the government only when the side that leaves is the government's."""
    if rule.needs == "actor":
        return gained is not None
    if rule.needs == "government":
        index = reading.index
        lo, hi = index.sentence(trig.i)

        def side(m: Mention) -> str | None:
            return ctx.side(index, m)

        leavers = index.cues("leaver", lo, hi)
        behind = governed(reading, leavers)  # 'exchanged fire with soldiers ..., then withdrew'
        leavers = [m for m in leavers if m.i not in behind]
        return government_leaves(reading.layout.clause, trig, leavers, actors, side)
    return True


def assemble(
    article: Article,
    spans: list[BlockSpans],
    gazetteer: dict[str, GazetteerEntry],
    resolver: DateResolver,
    rules: dict[str, StatusRule],
    numbers: dict[str, int],
    countries: Countries,
    country: str | None,
    filed: dt.date | None = None,
) -> tuple[list[Record], list[str]]:
    """Records in text order, and warnings about the article as a whole; `country` is the
    one the article is about, whose actor list says who is who; `filed` the day a wire
    dateline gives, the story's today where a reprint was published later."""
    ctx = Context(countries=countries, country=country)
    national = countries.capitals.get(country or "")
    candidates: list[Candidate] = []

    def reading_of(s: BlockSpans) -> BlockReading:
        today = ctx.day.resolved.day if ctx.day else None
        if ctx.year is not None:  # under '2015', each entry's bare days are that year's
            ctx.memory = replace(ctx.memory, dates=replace(ctx.memory.dates, reference=ctx.year))
        reading, ctx.memory = read(s, article, resolver, rules, ctx.memory, today, national)
        return reading

    for s in spans:
        kind = s.block.kind
        if kind == "paragraph" and s.block.body_start > s.block.start:
            # a wire dateline opens the story: a date line above it was the page's, and the
            # story's today is the day it was filed
            ctx.day = None
            if filed and resolver.published and filed < resolver.published:
                ctx.day = Dated(ResolvedDate(filed.isoformat(), "day", filed), "published", None)
        if day := date_line(s, article.norm, resolver):
            if article.published and day > article.published:
                continue  # past the date the story was given: an archive's or a reprint's date
            ctx.day = Dated(ResolvedDate(day.isoformat(), "day", day), "section", s.dates[0])
            # "in the evening" under a day heading is that day's evening
            ctx.memory = replace(ctx.memory, dates=replace(ctx.memory.dates, anchor=day))
            continue
        if kind == "headline" and ctx.title_year is None and not candidates:
            ctx.title_year = title_year(s, resolver.settings.years)  # 'Northern campaign (2012-2013)'
        if year := heading_year(s, resolver.settings.years):
            ctx.year = dt.date(year, 1, 1)
            continue
        if (kind == "paragraph" and is_title_header(s, STATUSES)) or is_label_heading(s, article.norm):
            s, kind = as_kind(s, "section_header"), "section_header"
        if ctx.listing and ctx.section.status and is_bare_entry(s):
            s, kind = as_kind(s, "list_item"), "list_item"  # 'Kelmar (Northvale)' under 'Captured so far'
        if kind == "paragraph" and is_heading(s):
            ctx.section = ctx.section.closed()  # 'Spring 2020: the tide turns': the header above is done
        if is_heading(s) and resolver.published is None and (written := ctx.memory.dates.written):
            # a new section of a narrative may go back in time: its bare days are read from
            # the last year the text wrote, not from the last day it reached
            # ('in 2011' keeps it in that year)
            restart = not ctx.memory.dates.whole_year
            reached = ctx.memory.dates.reference  # 'That May' goes on from where the story was
            dates = replace(ctx.memory.dates, reference=written, restart=restart, reached=reached)
            ctx.memory = replace(ctx.memory, dates=dates)
        if kind == "section_header":
            ctx.section = read_header(reading_of(s), ctx.section)
        elif (
            kind in RECORD_KINDS
            and s.words
            and not (ctx.section.summary and kind in ENTRY_KINDS)
            and not summary_head(s)
        ):
            reading = reading_of(s)
            found = read_block(reading, ctx, resolver.published)
            candidates.extend(found.candidates)
            ctx.entry = found.entry
            ctx.denied |= found.denied
            ctx.withdrawn |= found.withdrawn
            ctx.counts.extend(stated_counts(reading, numbers))
            if is_dated_heading(s) and ctx.entry and (heading := ctx.entry[1]) and heading.resolved.day:
                ctx.day = Dated(
                    heading.resolved, "section", heading.mention
                )  # '2 March - Shelling of Kelmar'
                ctx.memory = replace(ctx.memory, dates=replace(ctx.memory.dates, anchor=heading.resolved.day))
        elif kind == "timestamp":
            ctx.section = ctx.section.closed()
        elif reference := _stated_year(s, article.norm, resolver):
            # a headline or a caption gives no record, but its year dates the narrative
            ctx.memory = replace(ctx.memory, dates=replace(ctx.memory.dates, reference=reference))
        if kind not in ENTRY_KINDS | {"caption", "credit", "link"}:
            ctx.entry = None
        ctx.listing = kind in ENTRY_KINDS or (kind == "section_header" and bool(ctx.section.status))
    story = Story(resolver.published, ctx.title_year)
    records = merge(candidates, ctx.withdrawn, ctx.denied, article, gazetteer, story, (countries, country))
    return records, count_warnings(ctx.counts, records, article)


def _stated_year(s: BlockSpans, text: str, resolver: DateResolver) -> dt.date | None:
    """The last date in a block that states a year ('2021 rebel offensive' does not)."""
    found = [stated(resolver.resolve(text[m.start : m.end], m.rule, None).value) for m in s.dates]
    return next((day for day in reversed(found) if day), None)
