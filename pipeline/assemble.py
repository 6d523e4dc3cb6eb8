"""Mentions + dates + block tree -> records.

For each status trigger this finds the places it is about (subject or object, coordinated
lists, relative clauses, anaphors, a list entry's head, a section header's scope), the date
that governs it, and how it is qualified (negated, hedged, claimed, denied, corrected).
Candidates are then merged into one record per (place, status), best-dated first.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from dataclasses import dataclass, field, replace
from functools import cached_property

from pipeline.anaphora import unnamed_places
from pipeline.article import Article
from pipeline.blocks import RECORD_KINDS, Block
from pipeline.clauses import clause_starts
from pipeline.country import Countries
from pipeline.data import GazetteerEntry, StatusRule
from pipeline.dates import DateResolver, ResolvedDate
from pipeline.headers import as_kind, is_bare_entry, is_dated_heading, is_title_header, named_statuses
from pipeline.lists import announced
from pipeline.narrative import stated
from pipeline.parts import names_a_part, part_ends
from pipeline.records import DateSource, Evidence, MentionRef, Place, Record, record_id
from pipeline.sides import canonical, gainer, government_leaves, opponent, pronoun_subject, status_for
from pipeline.spans import BlockSpans, Mention

ENTRY_KINDS = frozenset({"list_item", "table_row"})
STATUSES = frozenset({"fallen", "contested", "retaken"})  # "held" and "sequel" triggers are not statuses
REACH = 12  # tokens between a trigger and its place, at most
NOMINAL_VERB = 6  # tokens from a noun trigger to the verb whose modal hedges it, at most
RANK: dict[str, int] = {
    "explicit": 0,
    "weekday": 1,
    "relative": 2,
    "anaphoric": 2,
    "entry": 1,
    "section": 3,
    "published": 4,
    "none": 5,
}


@dataclass(frozen=True)
class Dated:
    resolved: ResolvedDate
    source: DateSource
    mention: Mention | None


@dataclass(frozen=True)
class Candidate:
    iso: str
    status: str
    dated: Dated
    block: Block
    evidence: tuple[int, int]
    place: Mention
    trigger: Mention | None
    claimed: bool
    disputed: bool
    actor: str | None
    attribution: str | None
    named: tuple[str, ...] = ()  # the actors its sentence names, for the other side of a retake


_UNDATED = Dated(ResolvedDate(None, "unknown", None), "none", None)
_SOURCES: dict[str, DateSource] = {
    "absolute": "explicit",
    "weekday": "weekday",
    "relative": "relative",
    "anaphoric": "anaphoric",
    "vague": "none",
}


@dataclass
class Context:
    """What reading the article so far has established."""

    anchor: dt.date | None = None
    reference: dt.date | None = None  # the last date that stated a year (see narrative.py)
    last_capital: Mention | None = None
    last_province: Mention | None = None
    section_status: set[str] = field(default_factory=set)
    section_date: Dated | None = None
    section_is_table: bool = False  # the section's status came from a table's column names
    summary: bool = False
    withdrawn: set[tuple[str, str]] = field(default_factory=set)
    denied: set[tuple[str, str]] = field(default_factory=set)  # "Herat has not fallen"
    entry: tuple[list[Mention], Dated | None] | None = None  # the open list entry's heads, date
    listing: bool = False  # right under a header with a status, or its entries: a bare line is an entry
    counts: list[tuple[int, Mention]] = field(default_factory=list)
    day: Dated | None = None  # the day a live blog's day heading names
    countries: Countries = field(default_factory=lambda: Countries({}))
    country: str | None = None  # the country the article is about


class BlockReader:
    """Reads one block's mentions; holds derived per-block lookups."""

    def __init__(
        self,
        spans: BlockSpans,
        article: Article,
        ctx: Context,
        resolver: DateResolver,
        rules: dict[str, StatusRule],
    ) -> None:
        self.s = spans
        self.rules = rules
        self.article = article
        self.ctx = ctx
        self.resolver = resolver
        self.ctx_before = Context(last_capital=ctx.last_capital, last_province=ctx.last_province)
        self._cues: dict[str, list[Mention]] = {}
        joined = {n for c in spans.cues if c.label == "coordination" for n in range(c.i, c.j)}
        for cue in spans.cues:
            if cue.label == "clause_break" and cue.i in joined:
                continue  # the "as" of "as well as" joins, it does not break
            self._cues.setdefault(cue.label, []).append(cue)
        # positions, for bisection: a lookup touches the mentions near it, never all of them
        self._cue_starts = {label: [c.i for c in cues] for label, cues in self._cues.items()}
        self._status_starts = [t.i for t in spans.status]
        self._status_ends = {t.j for t in spans.status}
        governs = {c.i for c in spans.cues if c.label == "object_preposition"}
        self._not_target_ends = {  # 'headed for Kelmar', but not 'the battle for Kelmar'
            c.j
            for c in spans.cues
            if c.label == "not_target" and not (c.i in self._status_ends and c.i in governs)
        }
        self.dates = self._resolve_dates()
        self._date_starts = [m.i for m, _ in self.dates]
        self.places = self._places_with_anaphors()
        self._place_starts = [p.i for p in self.places]
        self._targets: dict[tuple[Mention, str], list[Mention]] = {}  # target_places, once each
        self._owners: dict[int, Mention | None] = {}  # _owner, once per date

    # -- structure (computed on first use: a block without triggers needs none of it) ------

    @cached_property
    def aside(self) -> list[int]:
        """For each token, the aside it is in (0: none): a parenthesis, a relative clause set
        off by commas ('Ghazni, which sits south of the capital, was taken'), an apposition
        closed by a comma right after a place, or a direction ('in the west'). What an aside
        says is not about the sentence around it."""
        words = self.s.words
        place_ends = {p.j for p in self.places}
        out = [0] * len(words)
        n = ident = 0
        for cue in self.cues("aside", 0, len(words)):
            if cue.i < n:
                continue
            closer = {"(": ")", ",": ","}.get(words[cue.i])  # otherwise the aside is the cue's words
            end = cue.j
            if closer and end < self.sentence(cue.i)[1]:  # the closer in the sentence, else its end
                end = min(self._next_word[closer][end], self.sentence(cue.i)[1])
            closed = end < len(words) and words[end] == closer
            if cue.rule == "aside.apposition" and (cue.i not in place_ends or not closed):
                continue
            end += closed and closer == ")"  # a closing comma may open the next aside
            ident += 1
            out[cue.i : end] = [ident] * (end - cue.i)
            n = end
        for lo, hi in self._subject_asides(out) + self._province_of_place():
            ident += 1
            out[lo:hi] = [ident] * (hi - lo)
        return out

    @cached_property
    def _next_word(self) -> dict[str, list[int]]:
        """For ',' and ')': at each token, the position of the next one from there on."""
        words = self.s.words
        out = {}
        for word in (",", ")"):
            nxt, following = [len(words)] * (len(words) + 1), len(words)
            for n in range(len(words) - 1, -1, -1):
                if words[n] == word:
                    following = n
                nxt[n] = following
            out[word] = nxt
        return out

    def _province_of_place(self) -> list[tuple[int, int]]:
        """'Tarinkot in Uruzgan, Qalat in Zabul': where a capital is, right after its name."""
        provinces = {m.i: m for m in self.s.places if m.label == "province"}
        found = []
        for p in self.places:
            after = provinces.get(p.j + 1)
            if after is not None and self.cues("preposition", p.j, p.j + 1):
                end = after.j + (bool(self.cues("province_word", after.j, after.j + 1)))
                found.append((p.j, end))
        return found

    def _subject_asides(self, asides: list[int]) -> list[tuple[int, int]]:
        """'The city of Ghazni, less than a hundred miles from Kabul, fell ...': a phrase set
        off by commas between a place and the status it is the subject of, or the relative
        clause about it ('Zaranj, on the Iranian border, which was handed over')."""
        words, sents = self.s.words, self.s.sents
        starts = {t.i for t in self.s.status}
        breaks = {c.i for c in self.s.cues if c.label in ("clause_break", "report")}
        found = []
        for p in self.places:
            lo = p.j
            if lo >= len(words) or words[lo] != "," or asides[lo]:
                continue
            hi = next(
                (
                    k
                    for k in range(lo + 1, min(lo + 20, len(words)))
                    if words[k] == "," or sents[k] != sents[lo]
                ),
                None,
            )
            if hi is None or words[hi] != "," or any(k in starts or k in breaks for k in range(lo, hi)):
                continue
            verb = hi + 1 + bool(self.cues("passive", hi + 1, hi + 2))  # "..., was handed over"
            if verb in starts or self.cues("relative", hi + 1, hi + 2):  # "..., which fell"
                found.append((lo, hi))
        return found

    @cached_property
    def _date_glosses(self) -> set[int]:
        """Asides that are only a date in brackets ('fell on 16 Asad (7 August)'): they belong
        to the clause they gloss."""
        spans: dict[int, list[int]] = {}
        for n, aside in enumerate(self.aside):
            if aside:
                spans.setdefault(aside, []).append(n)
        return {
            aside
            for aside, tokens in spans.items()
            if self.s.words[tokens[0]] == "("
            and any(m.j == tokens[-1] for m, _ in self._dates_at(tokens[0] + 1))
        }

    @cached_property
    def clause(self) -> list[int]:
        """Clause ids: a new clause at each sentence and clause break; an aside is a clause of
        its own, and the clause it interrupts resumes after it."""
        breaks = {c.i for c in self._cues.get("clause_break", [])} | set(self._coordinated_clauses)
        ids = itertools.count(1)
        clause = outer = 0
        sent = None
        out = []
        glosses = self._date_glosses
        for n, tok_sent in enumerate(self.s.sents):
            aside, before = self.aside[n], self.aside[n - 1] if n else 0
            aside, before = (0 if aside in glosses else aside), (0 if before in glosses else before)
            if tok_sent != sent:
                sent, clause = tok_sent, next(ids)
            elif aside and aside != before:
                outer = outer if before else clause
                clause = next(ids)
            elif n in breaks:
                clause = next(ids)
            elif before and not aside:
                clause = outer
            out.append(clause)
        return out

    @cached_property
    def _coordinated_clauses(self) -> list[int]:
        """Where an 'and' opens a clause with a subject and verb of its own (see clauses.py)."""
        verbs = {m.i for m in self.s.status} | {c.i for c in self.s.cues if c.label in ("finite", "past")}
        breaks = {c.i for c in self._cues.get("clause_break", [])}
        return clause_starts(self.s.words, self.s.puncts, self.s.sents, verbs, breaks)

    def clause_span(self, i: int) -> tuple[int, int]:
        """Token range of the clause holding token i (asides inside it included)."""
        return self._clause_spans[(self.s.sents[i], self.clause[i])]

    @cached_property
    def _clause_spans(self) -> dict[tuple[int, int], tuple[int, int]]:
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for n, key in enumerate(zip(self.s.sents, self.clause, strict=True)):
            spans[key] = (spans[key][0] if key in spans else n, n + 1)
        return spans

    @cached_property
    def _clause_run_start(self) -> list[int]:
        """For each token, where the run of tokens of its clause that holds it starts."""
        out: list[int] = []
        for n, clause in enumerate(self.clause):
            out.append(out[-1] if n and self.clause[n - 1] == clause else n)
        return out

    def gap(self, lo: int, hi: int, inside: int = 0) -> int:
        """Tokens between lo and hi, not counting asides other than `inside`."""
        if hi <= lo:
            return 0
        free = self._outside_asides[hi] - self._outside_asides[lo]
        if inside:
            at = self._aside_tokens.get(inside, [])
            free += bisect.bisect_left(at, hi) - bisect.bisect_left(at, lo)
        return free

    @cached_property
    def _outside_asides(self) -> list[int]:
        """Prefix counts of the tokens in no aside."""
        return [0, *itertools.accumulate(1 if a == 0 else 0 for a in self.aside)]

    @cached_property
    def _aside_tokens(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for n, aside in enumerate(self.aside):
            out.setdefault(aside, []).append(n)
        return out

    def text(self, m: Mention | tuple[int, int]) -> str:
        start, end = (m.start, m.end) if isinstance(m, Mention) else m
        return self.article.text[start:end]

    @cached_property
    def _sentence(self) -> list[tuple[int, int]]:
        """For each token, the token range of its sentence."""
        out: list[tuple[int, int]] = []
        for _, group in itertools.groupby(range(len(self.s.sents)), key=self.s.sents.__getitem__):
            members = list(group)
            out += [(members[0], members[-1] + 1)] * len(members)
        return out

    def sentence(self, i: int) -> tuple[int, int]:
        """Token range of the sentence holding token i."""
        return self._sentence[i]

    def cues(self, label: str, lo: int, hi: int) -> list[Mention]:
        return [c for c in self._starting(label, lo, hi) if c.j <= hi]

    def _starting(self, label: str, lo: int, hi: int) -> list[Mention]:
        """Cues of `label` that start in lo..hi."""
        cues, starts = self._cues.get(label, []), self._cue_starts.get(label, [])
        return cues[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    def _between(self, starts: list[int], lo: int, hi: int) -> range:
        """Indices of the mentions (sorted by start, `starts`) that start in lo..hi."""
        return range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi))

    @cached_property
    def _all_places(self) -> tuple[list[Mention], list[int]]:
        """Every place the block names, anaphors aside, sorted by start, and their starts."""
        places = sorted(self.s.places, key=lambda p: p.i)
        return places, [p.i for p in places]

    def _all_places_in(self, lo: int, hi: int) -> list[Mention]:
        places, starts = self._all_places
        return places[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    def _dates_at(self, i: int) -> list[tuple[Mention, Dated]]:
        return [self.dates[n] for n in self._between(self._date_starts, i, i + 1)]

    def _places_at_end(self, j: int) -> list[Mention]:
        """The places that end right before token j."""
        return [p for p in self._all_places_in(max(j - 8, 0), j) if p.j == j]

    def _places_at(self, i: int) -> list[Mention]:
        return [self.places[n] for n in self._between(self._place_starts, i, i + 1)]

    def cues_beside(self, trig: Mention, label: str, lo: int, hi: int) -> list[Mention]:
        """Cues in lo..hi that are in the trigger's own clause or aside, not in another aside."""
        return [c for c in self.cues(label, lo, hi) if self.aside[c.i] == self.aside[trig.i]]

    def words(self, lo: int, hi: int) -> list[str]:
        return self.s.words[max(lo, 0) : hi]

    # -- dates -----------------------------------------------------------------------------
    def _resolve_dates(self) -> list[tuple[Mention, Dated]]:
        out = []
        for m in self.s.dates:
            today = self.ctx.day.resolved.day if self.ctx.day else None
            resolved = self.resolver.resolve(self.text(m), m.rule, self.ctx.anchor, today, self.ctx.reference)
            self.ctx.reference = stated(resolved.value) or self.ctx.reference
            source = _SOURCES.get(m.rule.split(".")[0], "none")
            out.append((m, Dated(resolved, source, m)))
            if resolved.day and self.resolver.rules[m.rule].anchor:
                self.ctx.anchor = resolved.day
        return out

    def date_for(self, trigger: Mention) -> Dated | None:
        """The nearest date in the trigger's clause, else in its sentence. A vague time
        ('last week') in the trigger's own clause means the day is unknown."""
        in_sentence = self._between(self._date_starts, *self.sentence(trigger.i))
        for same, vague in (
            (lambda m, n: self.clause[m.i] == self.clause[trigger.i], True),
            (lambda m, n: not self._told_in_another_clause(n, trigger), False),
        ):
            near = [
                (self._owner(n) != trigger, abs(m.i - trigger.i), n)
                for n in in_sentence
                for m, d in [self.dates[n]]
                if same(m, n) and (d.resolved.value is not None or (vague and m.rule.startswith("vague.")))
            ]
            if near:
                dated = self.dates[min(near)[2]][1]
                if (
                    self._since(dated)
                    and not self.rules[trigger.rule].state
                    and not self._when(dated, trigger)
                ):
                    # "have fallen since Friday": a period, not the day of a fall; "fighting
                    # since the night" goes on, so the day is the passage's own
                    return None if trigger.label == "contested" else _UNDATED
                if trigger.label != "contested" and self._onset(dated) and not self._when(dated, trigger):
                    return _UNDATED  # 'the offensive that began on 27 November has taken Kelmar'
                return dated
        return None

    def _told_in_another_clause(self, n: int, trigger: Mention) -> bool:
        """'They seized Kelmar on Tuesday, and had advanced ..., also taking Tolbek': the n-th
        date follows the trigger of its own clause, so it is that clause's, not the other
        coordinated clause's (joined by 'and' or a semicolon). A date that opens the sentence
        ('On Monday, ...') frames every clause after it, and a subordinate clause ('hours
        after troops pulled out') is timed by the clause it hangs on."""
        m, owner = self.dates[n][0], self._owner(n)
        if owner is None or owner == trigger or self.clause[m.i] == self.clause[trigger.i]:
            return False
        if trigger.label == "sequel":  # 'Tolbek followed suit' repeats what the other clause says
            return False
        lo, hi = sorted((m.i, trigger.i))
        semicolons = self._semicolons
        coordinated = (
            bool(self._between(self._coordinated_clauses, lo, hi)) or semicolons[hi] > semicolons[lo]
        )
        return coordinated and self.clause[owner.i] == self.clause[m.i] and owner.j <= m.i

    @cached_property
    def _semicolons(self) -> list[int]:
        """Prefix counts of semicolons: how many stand before each token."""
        return [0, *itertools.accumulate(w == ";" for w in self.s.words)]

    def pluperfect(self, trig: Mention) -> bool:
        """'had' before the trigger in its clause: 'had taken', 'had advanced ..., also taking':
        before the time the text speaks of, so not on the day of publication."""
        lo = max(self.clause_span(trig.i)[0], trig.i - 12)
        return any(
            self.s.words[k] == "had"
            and self.aside[k] == self.aside[trig.i]
            and self.clause[k] == self.clause[trig.i]
            for k in range(lo, trig.i)
        )

    def paragraph_date(self, trig: Mention) -> Dated | None:
        """'On Friday morning the flag was up. The city fell without a fight.': a status told in
        the past tense, with no date in its sentence, happened on the paragraph's last date."""
        if not self.cues("past", trig.i, trig.j) and not self.cues("past", max(trig.i - 1, 0), trig.i):
            return None
        lo = self.sentence(trig.i)[0]
        valued, starts = self._valued_dates
        n = bisect.bisect_left(starts, lo)  # the dates with a value before the sentence, last first
        while n > 0:
            n -= 1
            m, d = self.dates[valued[n]]
            if m.j <= lo:
                return Dated(d.resolved, "anaphoric", m)
        return None

    @cached_property
    def _valued_dates(self) -> tuple[list[int], list[int]]:
        """Indices and starts of the dates that resolved to a value."""
        valued = [n for n, (_, d) in enumerate(self.dates) if d.resolved.value]
        return valued, [self.dates[n][0].i for n in valued]

    def _owner(self, n: int) -> Mention | None:
        """The trigger the n-th date belongs to: the nearest in its clause, else in its sentence,
        the one before it on a tie ('overrun July 7, retaken by commandos July 8': July 7 is
        the overrun's; 'took Kelmar on March 11; fighting ...': March 11 is the taking's)."""
        if n not in self._owners:
            date = self.dates[n][0]
            status = self.s.status
            clause = self.clause[date.i]
            ranked = [
                (
                    self.clause[status[k].i] != clause,
                    *((date.i - status[k].j, 0) if status[k].j <= date.i else (status[k].i - date.j, 1)),
                    k,
                )
                for k in self._between(self._status_starts, *self.sentence(date.i))
            ]
            self._owners[n] = status[min(ranked)[-1]] if ranked else None
        return self._owners[n]

    def _when(self, dated: Dated, trigger: Mention) -> bool:
        """'since Sunday, when Kunduz was captured': the when-clause happened on that date."""
        m = dated.mention
        assert m is not None
        k = m.j + (m.j < len(self.s.words) and self.s.words[m.j] == ",")
        return k < trigger.i and self.words(k, k + 1) == ["when"] and self.clause[k] == self.clause[trigger.i]

    def _onset(self, dated: Dated) -> bool:
        m = dated.mention
        return m is not None and any(c.j == m.i for c in self.cues("onset", max(m.i - 2, 0), m.i))

    def _since(self, dated: Dated) -> bool:
        return dated.mention is not None and self.since(dated.mention)

    def since(self, m: Mention) -> bool:
        """'since Friday', 'starting on 6 August', 'between 6 and 8 August': the start or the
        span of a period, not the day of an event."""
        period = any(c.j == m.i for c in self.cues("period", max(m.i - 4, 0), m.i))
        return period or any(w in ("since", "from") for w in self.words(m.i - 1, m.j))

    # -- places ----------------------------------------------------------------------------
    def _aside(self, m: Mention) -> bool:
        """A place named only as a landmark: 'south of Kabul', 'flew to Kabul'; not the
        place a trigger ends on ('withdrew from Kabul')."""
        return m.i in self._not_target_ends and m.i not in self._status_ends

    def _places_with_anaphors(self) -> list[Mention]:
        """Place mentions in order, with 'the city' / 'the provincial capital' resolved.

        'the capital' alone is the country's capital where its actor list names one, else
        kept as a place with no province: it stops a search for a trigger's object but never
        gives a record.
        """
        anaphors = [c for c in self.s.cues if c.label == "city_anaphor"]
        items = sorted(self.s.places + anaphors, key=lambda m: m.i)
        out: list[Mention] = []
        taken: set[int] = set()
        for p in self.s.places:
            taken.update(range(p.i, p.j))
        next_capital: list[Mention | None] = [None] * (len(items) + 1)  # the first after each item
        for n in range(len(items) - 1, -1, -1):
            later = items[n + 1] if n + 1 < len(items) else None
            named = later is not None and later.kind == "place" and later.label == "capital"
            next_capital[n] = later if named else next_capital[n + 1]
        named_before: list[int | None] = []  # where the last capital before each item ends
        last_named: int | None = None
        for m in items:
            named_before.append(last_named)
            if m.kind == "place" and m.label == "capital":
                last_named = m.j - 1
        origins = {c.j for c in self.s.cues if c.label == "origin"}
        for n, m in enumerate(items):
            if m.kind == "place":
                if self._aside(m):
                    if m.label == "capital" and m.i in origins:  # 'a lawmaker from Kelmar said ... the city'
                        self.ctx.last_capital = m
                    continue
                if m.label == "capital":
                    self.ctx.last_capital = m
                    out.append(m)
                else:
                    self.ctx.last_province = m
                continue
            if taken.intersection(range(m.i, m.j)) or self._apposition(m, next_capital[n]):
                continue
            if self.words(m.j, m.j + 1) == ["of"] and self._unnamed_between(m.j + 1, m.j + 2):
                continue  # 'the town of Sarvan': it names a place the gazetteer does not know
            words = self.words(m.i, m.j)
            national = self.ctx.countries.capitals.get(self.ctx.country or "")
            if words == ["the", "capital"] and national is not None and not self._aside(m):
                # the country's capital; 'the city' after it still means the city of the story
                out.append(Mention("place", "anaphor", national, m.i, m.j, m.start, m.end))
                continue
            if words[-1] == "capital" and words[0] == "the" and "provincial" not in words:
                out.append(Mention("place", "national", "", m.i, m.j, m.start, m.end))
                continue
            ref = self.ctx.last_province if "provincial" in words else self.ctx.last_capital
            if ref is None:
                ref = self.ctx.last_capital
            named_since = named_before[n] if named_before[n] is not None else -1
            if "provincial" not in words and self._unnamed_between(named_since + 1, m.i):
                continue  # 'advanced on Sarvan, where ... the town': a place the gazetteer does not know
            if ref is not None:
                resolved = Mention("place", "anaphor", ref.rule, m.i, m.j, m.start, m.end)
                self.ctx.last_capital = resolved
                out.append(resolved)
        return out

    @cached_property
    def _unnamed(self) -> list[int]:
        """Where the block names a place the gazetteer does not know (see anaphora.py)."""
        s = self.s
        reports = {n for c in s.cues if c.label == "report" for n in range(c.i, c.j)}
        after = {
            c.j for c in s.cues if c.label in ("object_preposition", "not_target") and c.i not in reports
        }
        return self._unknown_names(after)

    @cached_property
    def _unnamed_objects(self) -> list[int]:
        """Where a trigger's object is a place the gazetteer does not know: 'captured Sarvan'."""
        return self._unknown_names({t.j for t in self.s.status})

    def _unknown_names(self, after: set[int]) -> list[int]:
        s = self.s
        covered = [False] * len(s.words)
        for m in itertools.chain(s.places, s.dates, (c for c in s.cues if c.label in ("actor", "report"))):
            covered[m.i : m.j] = [True] * (m.j - m.i)
        texts = [self.article.norm[a:b] for a, b in zip(s.starts, s.ends, strict=True)]
        return unnamed_places(texts, covered, after, self.resolver.settings.months)

    def _unnamed_between(self, lo: int, hi: int) -> list[int]:
        starts = self._unnamed
        return starts[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    def _apposition(self, m: Mention, named: Mention | None) -> bool:
        """'the biggest city in the north, the capital of Balkh province' or 'the city of
        Ghazni': the city is named right after."""
        if named is None or named.i - m.j > 6:
            return False
        between = self.words(m.j, named.i)
        return "," in between or between == ["of"]

    def target_places(self, trig: Mention, target: str) -> list[Mention]:
        if (trig, target) not in self._targets:
            self._targets[(trig, target)] = self._target_places(trig, target)
        return self._targets[(trig, target)]

    def _target_places(self, trig: Mention, target: str) -> list[Mention]:
        participle = not self.s.words[trig.i].endswith("ing")
        passive = self.cues("passive", max(0, trig.i - 2), trig.i) or self.cues("agent", trig.j, trig.j + 1)
        if target == "object" and participle and passive:
            target = "subject"  # passive voice: "was captured", "..., retaken by commandos"
        elif target == "object" and participle and self._places_at_end(trig.i) and self.ends_clause(trig):
            target = "subject"  # a small clause: "declared Kelmar retaken", "Tolbek captured."
        if target == "context":  # "drove the rebels out of Tolbek", else the city the passage is about
            near = itertools.takewhile(  # the gap only grows: stop at the first place too far
                lambda p: self.gap(trig.j, p.i) <= 3,
                (self.places[n] for n in self._between(self._place_starts, trig.j, len(self.s.words))),
            )
            return self._forward(trig, list(near)) or self._context(trig)
        if self.words(trig.i - 1, trig.i) == [","] and self._unnamed_between(trig.i - 2, trig.i - 1):
            return []  # "Ardavan, on the outskirts of Tolbek": where a place the gazetteer does not know lies
        if trig.label == "fallen" and self._seat_object(trig):
            return self._context(trig)
        clause = self.clause[trig.i]
        usable = [self.places[n] for n in self._between(self._place_starts, *self.sentence(trig.i))]
        in_clause = [p for p in usable if self.clause[p.i] == clause]
        after = [p for p in in_clause if p.i >= trig.j]
        before = [p for p in in_clause if p.j <= trig.i]
        found: list[Mention] = []
        if target == "object" or (target == "either" and after and after[0].i - trig.j <= 3):
            found = self._forward(trig, after)
        elif target == "subject":
            found = self._backward(trig, before)
        else:
            found = self._backward(trig, before) or self._forward(trig, after)
        if not found:
            found = self._relative(trig, usable)
        return [
            p
            for p in found
            if p.label != "national"
            and (trig.label == "contested" or not self._facility(p))
            and not self._starting("rural", p.j, p.j + 1)  # 'the Kelmar countryside' is outside the city
        ]

    def announced(self, trig: Mention) -> list[Mention]:
        """The places a count near the trigger announces (see lists.py)."""
        lo, hi = self.sentence(trig.i)
        return announced(
            self.s.words,
            trig,
            (lo, hi),
            self.cues("count", lo, hi),
            self.cues("list_lead", lo, hi),
            (self.places, self._place_starts),
            self._status_starts,
        )

    def _facility(self, place: Mention) -> bool:
        """'Kunduz airport', 'Balkh district': a place named as a facility's or district's is not the city."""
        return any(c.i == place.j for c in self._starting("noncity", place.j, place.j + 1))

    def _names_facility(self, place: Mention) -> bool:
        """The place names a facility right after it, alone or joined by a hyphen to
        another place: 'Kelmar airport', 'the Kelmar-Tolbek motorway'."""
        end = place.j
        joined = self._all_places_in(end + 1, end + 2) if self.words(end, end + 1) == ["-"] else []
        if joined:
            end = joined[0].j
        return bool(self._starting("noncity", end, end + 1))

    def _facility_in(self, place: Mention) -> bool:
        """A facility right before the place, joined by a preposition: 'the base in Kelmar'."""
        k = place.i - 1
        return bool(self.cues("preposition", k, k + 1)) and any(
            c.j == k for c in self.cues("noncity", k - 1, k)
        )

    def _noncity_between(self, lo: int, hi: int, trig: Mention) -> bool:
        return bool(self.cues_beside(trig, "noncity", lo, hi))

    def _seat_object(self, trig: Mention) -> bool:
        """'seized the governor's office': taking the seat of power takes the city."""
        return bool(self._starting("seat", trig.j, trig.j + 2))

    def _context(self, trig: Mention) -> list[Mention]:
        """The city the passage is about: the last one named before the trigger."""
        cities, starts = self._cities
        n = bisect.bisect_left(starts, trig.i)
        while n > 0:  # the last place before the trigger ("the capital" is not a city)
            n -= 1
            if cities[n].j <= trig.i:
                return [cities[n]]
        last = self.ctx_before.last_capital
        return [last] if last is not None else []

    @cached_property
    def _cities(self) -> tuple[list[Mention], list[int]]:
        """The places that are not 'the capital', and their starts."""
        cities = [p for p in self.places if p.label != "national"]
        return cities, [p.i for p in cities]

    def _forward(self, trig: Mention, after: list[Mention]) -> list[Mention]:
        reach = 3 if self.cues("object_preposition", trig.j - 1, trig.j) else REACH
        if after and self._is_contest(trig) and self._facility_in(after[0]):
            reach = REACH  # "fighting for the division's headquarters in Kelmar": in the city
        if not after or self.gap(trig.j, after[0].i) > reach:
            return []
        first = after[0]
        if any(self.words(k + 1, k + 2) == [","] for k in self._unnamed_between(trig.j, first.i)):
            return []  # "stormed the base at Ardavan, on the outskirts of Tolbek": Ardavan's
        if trig.j in self._unnamed_objects:
            return []  # "captured Sarvan and threatened Tolbek": its object is a place not in the gazetteer
        if self._noncity_between(trig.j, first.i, trig) and not self._is_contest(trig):
            return []
        if self._names_facility(first) and not self._is_contest(trig):
            return []  # "seized the Kelmar-Tolbek motorway": the road, not the city
        if self.cues("preposition", trig.i, trig.i + 1) and self._noncity_between(trig.i - 1, trig.i, trig):
            return []  # "the prison on the edge of the city": where the prison is
        out = [first]
        for p in after[1:]:
            if not self.coordinated(out[-1], p, 14):
                break
            out.append(p)
        return out

    def coordinated(self, a: Mention, b: Mention, longest: int) -> bool:
        """b follows a in a list: joined by 'and' or a comma, no preposition or trigger between."""
        lo, hi = a.j, b.i
        if hi <= lo or self.gap(lo, hi) > longest or not self.cues_beside(a, "coordination", lo, hi):
            return False
        if self.cues_beside(a, "preposition", lo, hi) or self.cues_beside(a, "clause_break", lo, hi):
            return False
        if self._between(self._coordinated_clauses, lo, hi):  # '..., and Tolbek was overrun'
            return False
        return not any(self.s.status[n].j <= hi for n in self._between(self._status_starts, lo, hi))

    def _backward(self, trig: Mention, before: list[Mention]) -> list[Mention]:
        if not before or self.gap(before[-1].j, trig.i, self.aside[trig.i]) > REACH:
            return []
        last = before[-1]
        if self._noncity_between(max(last.j, trig.i - 2), trig.i, trig) and not self._is_contest(trig):
            return []
        out = [last]
        for p in reversed(before[:-1]):
            if not self.coordinated(p, out[-1], 4):
                break
            out.append(p)
        return out

    def _relative(self, trig: Mention, usable: list[Mention]) -> list[Mention]:
        """'Zaranj, which fell ...': the place just before the relative pronoun."""
        start = self._clause_run_start[trig.i]
        if not self.cues("relative", start, start + 1):
            return []
        if self.rules[trig.rule].target == "object" and not self._objectless(trig, self.sentence(trig.i)[1]):
            return []  # 'the city centre, where rebels hold the palace': the verb has an object of its own
        # a landmark is still the antecedent: 'pressing on from Kelmar, which troops abandoned'
        landmarks = [
            p for p in self._all_places_in(*self.sentence(trig.i)) if p.label == "capital" and self._aside(p)
        ]
        prior = sorted(
            (p for p in usable + landmarks if p.j <= start and self.gap(p.j, start) <= 2), key=lambda p: p.i
        )
        return prior[-1:]

    def bare(self, trig: Mention) -> bool:
        """No object of its own and no facility in its clause: a list entry's head is meant."""
        lo, hi = self.sentence(trig.i)
        if self.cues("noncity", *self.clause_span(trig.i)):
            return False
        return self.rules[trig.rule].target != "object" or self._objectless(trig, hi)

    def _objectless(self, trig: Mention, hi: int) -> bool:
        """Nothing but dates, asides and a few adverbs follow the trigger before punctuation."""
        dated = self._dated
        for n in range(trig.j, hi):  # the first word after the trigger, dates and asides aside
            word = self.s.words[n].strip()
            if n in dated or self.aside[n] not in (0, self.aside[trig.i]) or word in ("", "on", "in", "by"):
                continue  # an aside that interrupts the trigger's clause, not the one it stands in
            return self.s.puncts[n] or word in ("after", "overnight", "late", "early")
        return True

    @cached_property
    def _dated(self) -> set[int]:
        """The tokens of dates."""
        return {t for m in self.s.dates for t in range(m.i, m.j)}

    def ends_clause(self, trig: Mention) -> bool:
        """Nothing but dates and asides follow the trigger in its sentence's clause."""
        dated = self._dated
        for n in range(trig.j, self.sentence(trig.i)[1]):
            if n not in dated and not self.aside[n]:
                return self.s.puncts[n]
        return True

    def fallback_places(self, trig: Mention, heads: list[Mention]) -> list[Mention]:
        """Where a trigger names no place of its own: the list entry's heads, the scene a
        sentence opens with ('In Kandahar, commandos were battling ...'), or for fighting, a
        place the sentence says is held ('still in government hands, even as gunfire ...')."""
        if heads and self.bare(trig):
            return heads
        lo, hi = self.sentence(trig.i)
        located = self.cues("object_preposition", trig.j - 1, trig.j)  # "fighting in the provinces"
        if (
            self.cues("preposition", lo, lo + 1)
            and not located
            and (trig.label == "contested" or self.bare(trig))
        ):
            scene = [p for p in self._places_at(lo + 1) if p.label != "national"]
            after = scene and scene[0].j < len(self.s.words) and self.s.words[scene[0].j]
            if scene and after == "," and self.gap(scene[0].j, trig.i) <= REACH:
                return scene
        if trig.label == "contested" and not self.cues_beside(trig, "noncity", *self.clause_span(trig.i)):
            in_sentence = (self.s.status[n] for n in self._between(self._status_starts, lo, hi))
            held = [t for t in in_sentence if t.label == "held" or self.negated(t)]
            for t in held:
                if places := self.target_places(t, self.rules[t.rule].target):
                    return places
        return []

    def own_date(self, place: Mention) -> Dated | None:
        """A date in brackets right after a place: 'Taloqan, Takhar (8 August)'."""
        for n in range(place.j, min(place.j + 4, len(self.s.words))):
            if self.s.words[n] == "(" and self.aside[n]:
                in_sentence = self._between(self._date_starts, *self.sentence(n))  # asides end there
                inside = [
                    d
                    for k in in_sentence
                    for m, d in [self.dates[k]]
                    if self.aside[m.i] == self.aside[n] and d.resolved.value
                ]
                return inside[0] if inside else None
            if self._places_at(n):
                return None
        return None

    def gapped(self, trig: Mention, targets: list[Mention]) -> list[tuple[Mention, Dated]]:
        """'Sar-i-Pul and Kunduz all went last Sunday, Aibak on Monday': after the trigger, a
        place that only has a date of its own shares the trigger, with that date."""
        lo, hi = self.sentence(trig.i)
        out: list[tuple[Mention, Dated]] = []
        chosen = set(targets)
        next_trigger = bisect.bisect_left(self._status_starts, trig.j)  # the first after this one
        next_start = self._status_starts[next_trigger] if next_trigger < len(self.s.status) else hi
        for p in (self.places[n] for n in self._between(self._place_starts, trig.j, hi)):
            if p in chosen or p.label == "national" or self.aside[p.i]:
                continue
            if next_start < p.i or not self.cues("coordination", p.i - 1, p.i):
                break
            k = (
                p.j
            )  # the place's own date may follow an aside and a preposition ("Aybak (Samangan) on 9 August")
            while k < hi and self.aside[k]:
                k += 1
            k += bool(self.cues("preposition", k, k + 1)) and not self._dates_at(k)
            own = [(m, d) for m, d in self._dates_at(k) if d.resolved.value]
            end = own[0][0].j if own else p.j
            if not own or (
                end < hi and not self.s.puncts[end] and not self.cues("coordination", end, end + 1)
            ):
                continue
            out.append((p, own[0][1]))
        return out

    @staticmethod
    def _is_contest(trig: Mention) -> bool:
        return trig.label == "contested"

    # -- qualifiers ------------------------------------------------------------------------
    def blocked(self, trig: Mention) -> bool:
        """Negated or hedged: a cue among the few words before the trigger, in its clause; or
        asked ('Could Jalalabad be overrun next?'): a question asserts nothing."""
        hedged = self.negated(trig) or bool(self.cues("modality", self._lead(trig), trig.i))
        asked = self.s.block.kind != "section_header" and self.s.words[self.sentence(trig.i)[1] - 1] == "?"
        return hedged or asked or self._predicted(trig)

    def _predicted(self, trig: Mention) -> bool:
        """A noun trigger whose verb comes after it: 'the capture of Kelmar will likely worsen
        ...', 'the fall of Kelmar would be a blow': a modal after its object hedges it."""
        if not self.rules[trig.rule].nominal:
            return False
        hi = min(trig.j + NOMINAL_VERB, self.clause_span(trig.i)[1])
        return any(self.clause[c.i] == self.clause[trig.i] for c in self.cues("modality", trig.j, hi))

    def negated(self, trig: Mention) -> bool:
        return bool(self.cues("negation", self._lead(trig), trig.i))

    def _lead(self, trig: Mention) -> int:
        """Start of the few words before the trigger in its clause, asides passed over:
        'not (yet) taken'."""
        lo, words = trig.i, 0
        while lo > 0 and words < 4 and self.s.sents[lo - 1] == self.s.sents[trig.i]:
            if self.aside[lo - 1] and self.aside[lo - 1] != self.aside[trig.i]:
                lo -= 1
                continue
            if self.clause[lo - 1] != self.clause[trig.i]:
                break
            lo, words = lo - 1, words + 1
        return lo

    def qualifiers(self, trig: Mention) -> tuple[bool, bool, bool, bool, str | None, str | None]:
        """(rumour, correction, claimed, disputed, actor, attribution) for the trigger."""
        lo, hi = self.sentence(trig.i)
        rumour = bool(self.cues("rumour", lo, hi))
        correction = bool(self.cues("correction", lo, hi))
        claimed = bool([c for c in self.cues("claim", lo, hi) if c.i < trig.i])
        nxt_hi = self.sentence(hi)[1] if hi < len(self.s.words) else hi
        disputed = claimed and bool(self.cues("denial", lo, nxt_hi))
        actors = self.cues("actor", lo, hi)
        actor = self.text(actors[0]).strip() if actors else None
        return rumour, correction, claimed, disputed, actor, self.attribution(trig, lo, hi)

    def attribution(self, trig: Mention, lo: int, hi: int) -> str | None:
        """The comma-bounded part of the sentence that holds a reporting verb."""
        reports = self.cues("report", lo, hi)
        if not reports:
            return None
        cue = reports[-1]
        a, b = cue.i, cue.j
        if self.words(cue.i, cue.j) == ["according", "to"]:  # "according to officials"
            while b < hi and self.s.words[b] not in (",", ".", '"', ";"):
                b += 1
        else:  # "a provincial council member said"
            while a > lo and self.s.words[a - 1] not in (",", '"', ";", ":"):
                a -= 1
        if self._between(self._place_starts, a, b) or a <= trig.i < b or b - a > 12:
            return None  # a report about something else
        return self.article.text[self.s.starts[a] : self.s.ends[b - 1]]

    def stated_counts(self, numbers: dict[str, int]) -> list[tuple[int, Mention]]:
        """'nine capitals have fallen': a count with a fall trigger in its sentence."""
        out = []
        for cue in self.cues("count", 0, len(self.s.words)):
            word = self.s.words[cue.i]
            value = int(word) if word.isdigit() else numbers.get(word)
            before = self.s.words[cue.i - 1] if cue.i else ""
            lo, hi = self.sentence(cue.i)
            in_sentence = (self.s.status[n] for n in self._between(self._status_starts, lo, hi))
            falls = [t for t in in_sentence if t.label == "fallen"]
            if value is None or before in ("of", "'s") or not falls or self.blocked(falls[0]):
                continue
            if not {"have", "has"} & set(self.words(max(lo, falls[0].i - 3), falls[0].i)):
                continue  # "three capitals in one day ... are overrun": not a running total
            out.append((value, cue))
        return out

    def governed(self, actors: list[Mention]) -> frozenset[int]:
        """The starts of the actors that stand behind a preposition ('from the army')."""
        out = set()
        for a in actors:
            k = a.i - (self.words(a.i - 1, a.i) == ["the"])
            if self.cues("preposition", k - 1, k) and self.words(k - 1, k) != ["by"]:  # 'led by X' is X's
                out.add(a.i)
        return frozenset(out)

    def partial(self, trig: Mention, place: Mention) -> bool:
        """'most of the city is in Taliban hands': only part of it."""
        lo, hi = min(place.i - 2, trig.i), max(place.i, trig.j)
        return bool(self.cues_beside(trig, "partial", max(lo, 0), hi))


def _context_date(
    reader: BlockReader,
    head_date: Dated | None,
    ctx: Context,
    published: dt.date | None,
    trig: Mention | None,
) -> Dated:
    if head_date is not None:
        return head_date
    if trig is not None and (told := reader.paragraph_date(trig)):
        return told  # the paragraph's own story comes before a header's 'as of' or 'now'
    if ctx.section_date is not None:
        return ctx.section_date
    if ctx.day is not None:
        return ctx.day
    past_perfect = trig is not None and reader.pluperfect(trig)
    if published is not None and not past_perfect:
        return Dated(ResolvedDate(published.isoformat(), "day", published), "published", None)
    return Dated(ResolvedDate(None, "unknown", None), "none", None)


def read_header(reader: BlockReader, ctx: Context) -> None:
    """A section header sets the status and date of the list entries under it; a table's
    row of column names with no status of its own keeps the status of the section around it."""
    statuses = {
        t.label
        for t in reader.s.status
        if t.label in STATUSES and not reader.blocked(t) and reader.rules[t.rule].needs is None
    } | named_statuses(reader.s)
    table = bool(reader.s.block.cells)
    if table and not statuses and not ctx.section_is_table:
        ctx.section_is_table = True
        return  # "Table 1. Capitals that changed hands" above "Capital  Province  Date"
    ctx.section_status, ctx.section_is_table = statuses, table
    dated = [d for _, d in reader.dates if d.resolved.value]
    ctx.section_date = Dated(dated[0].resolved, "section", dated[0].mention) if dated else None
    ctx.summary = bool(reader.cues("summary", 0, len(reader.s.words)))


def _chain(reader: BlockReader, places: list[Mention]) -> list[Mention]:
    """The first place and those coordinated with it ('Kunduz, Taloqan and Sar-e Pul')."""
    out = places[:1]
    for p in places[1:]:
        if not reader.coordinated(out[-1], p, 4):
            break
        out.append(p)
    return out


def _heads(reader: BlockReader) -> tuple[list[Mention], Dated | None]:
    """A list entry's head places ('Kandahar & Lashkar Gah: both fell') and its date: in the
    head, in any cell of a table row, or else in the entry's first sentence."""
    s, block = reader.s, reader.s.block
    places = [p for p in reader.places if p.label != "national"]
    if block.head_end:
        heads = _chain(reader, [p for p in places if p.end <= block.head_end])
        dates = [d for m, d in reader.dates if block.cells or m.end <= block.head_end]
        body = {m.i for m, _ in reader.dates if m.start >= block.head_end and not reader.since(m)}
        if not dates and body:  # "Sheberghan, Jowzjan prov.: captured Aug. 7, ...": the body's first clause
            first = next(i for i, t in enumerate(s.starts) if t >= block.head_end)
            dates = [d for m, d in reader.dates if m.i in body and reader.clause[m.i] == reader.clause[first]]
            if reader.ctx.section_status:
                dates = _dates_of_section_status(reader, body, dates)
    else:
        heads, dates = [], [d for m, d in reader.dates if block.cells]
    if not heads and block.kind in ENTRY_KINDS:  # "- Aug. 6 - ZARANJ.", "* Kunduz and Taloqan (Aug. 8)"
        hi = reader.sentence(0)[1] if s.words else 0
        first_clause = reader.clause_span(0)[1] if s.words else 0  # "HEADLINES: ... fall; fighting in Herat"
        heads = _chain(reader, [p for p in places if p.j <= first_clause])
        dates = dates if block.head_end or block.cells else [d for m, d in reader.dates if m.j <= hi]
    head_date = (
        Dated(dates[0].resolved, "entry", dates[0].mention) if dates and dates[0].resolved.value else None
    )
    return heads, head_date


def _dates_of_section_status(reader: BlockReader, body: list[int], first: list[Dated]) -> list[Dated]:
    """Under a section header's status, an entry is dated by the first clause of its body that
    tells that status ('By Nov. 30 they held it'), else by its first clause unless that one
    tells another ('took two towns on Dec. 6 and are fighting for the city': not the day)."""
    wanted = reader.ctx.section_status

    def told(i: int) -> set[str]:
        return {t.label for t in reader.s.status if reader.clause[t.i] == reader.clause[i]} & STATUSES

    matching = [d for m, d in reader.dates if m.i in body and told(m.i) & wanted]
    if matching:
        return matching[:1]
    return [d for d in first if d.mention is None or not told(d.mention.i) - wanted]


def read_block(reader: BlockReader, ctx: Context, published: dt.date | None) -> list[Candidate]:
    s = reader.s
    block = s.block
    heads, head_date = _heads(reader)
    if block.kind in ENTRY_KINDS:
        ctx.entry = (heads, head_date)
    elif ctx.entry is not None:  # a paragraph that continues the list entry above it
        heads, head_date = ctx.entry
    out: list[Candidate] = []
    if block.kind in ENTRY_KINDS:
        dated = _context_date(reader, head_date, ctx, published, None)
        for head in heads:
            head_dated = reader.own_date(head) or dated
            for status in sorted(ctx.section_status):
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
    previous: str | None = None  # the status a sequel ("and Sheberghan followed") repeats
    leads = {c.i for c in reader.cues("gain_lead", 0, len(s.words))}
    parts = part_ends(s)
    for trig in s.status:
        rule = reader.rules[trig.rule]
        lo, hi = reader.sentence(trig.i)
        actors = reader.cues("actor", lo, hi)
        gained = gainer(reader.clause, trig, actors, leads, rule.gainer, reader.governed(actors))
        they = lo > 0 and pronoun_subject(s.words, reader.clause, trig)
        if gained is None and they and "before" in rule.gainer:  # 'They entered': the side named before
            gained = next(iter(reader.cues("actor", *reader.sentence(lo - 1))), None)
        if not _needs_met(reader, trig, rule, gained, actors):
            continue
        label = previous if trig.label == "sequel" else trig.label
        if gained is not None and label is not None:  # who gains decides: a fall, a retake, no change
            side = ctx.countries.side(reader.text(gained), ctx.country)
            label = status_for(label, rule.state, side, rule.by_government)
        if label == "contested" and rule.unopposed and reader.cues("unopposed", lo, hi):
            label = rule.unopposed  # 'entered Kelmar after its defenders let them in without a fight'
        if label not in STATUSES or (
            label == "contested" and reader.cues("unopposed", *reader.clause_span(trig.i))
        ):
            continue  # 'reached the city without meeting resistance': no fight for it
        targets = reader.target_places(trig, rule.target)
        if reader.negated(trig):  # a denial of any claim to the contrary
            ctx.denied.update((place.rule, label) for place in targets)
        if reader.blocked(trig) or (rule.alone and not reader.ends_clause(trig)):
            continue
        rumour, correction, claimed, disputed, actor, attribution = reader.qualifiers(trig)
        if rumour and label != "contested":
            continue
        if gained is not None:
            actor = reader.text(gained)
        elif "before" not in rule.gainer:  # the sentence's first actor may be the side that lost
            actor = None
        actor = canonical(ctx.countries, actor, ctx.country) if actor else None
        targets = targets or reader.fallback_places(trig, heads)
        targets += [p for p in reader.announced(trig) if p not in targets]
        previous = label if targets else previous
        evidence = (s.starts[lo], s.ends[hi - 1])
        dated = reader.date_for(trig) or _context_date(reader, head_date, ctx, published, trig)
        placed = [(p, reader.own_date(p) or dated) for p in targets]
        for place, place_date in placed + reader.gapped(trig, targets):
            status = label
            if status == "fallen" and rule.state and reader.partial(trig, place):
                # 'most of the city is in rebel hands' is a contest; 'captured most of the city' took it
                status = "contested"
            if status != "contested" and place.label == "capital" and names_a_part(parts, place):
                status = "contested"  # 'retook eastern Kelmar': a step in the fight for the city
            if correction:
                ctx.withdrawn.add((place.rule, status))
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
                    claimed,
                    disputed,
                    actor,
                    attribution,
                    tuple(reader.text(a) for a in actors),
                )
            )
    return out


def _needs_met(
    reader: BlockReader, trig: Mention, rule: StatusRule, gained: Mention | None, actors: list[Mention]
) -> bool:
    """A rule that `needs` an actor counts only when the sentence names who gains the city,
    one that needs the government only when the side that leaves is the government's."""
    if rule.needs == "actor":
        return gained is not None
    if rule.needs == "government":
        lo, hi = reader.sentence(trig.i)
        ctx = reader.ctx

        def side(m: Mention) -> str | None:
            return ctx.countries.side(reader.text(m), ctx.country)

        return government_leaves(reader.clause, trig, reader.cues("leaver", lo, hi), actors, side)
    return True


def date_line(s: BlockSpans, text: str, resolver: DateResolver) -> dt.date | None:
    """The day a line names when it is (almost) only a date: '14/08/2021 - 21:35',
    'Friday 13 August 2021', 'Updated 13 August 2021, 11:20 GMT'."""
    if not s.words or not s.dates or s.places or s.status or len(s.words) > 14:
        return None
    covered = {t for m in s.dates for t in range(m.i, m.j)}
    rest = [
        word
        for n, word in enumerate(s.words)
        if n not in covered and not s.puncts[n] and not any(ch.isdigit() for ch in word)
    ]
    if len(rest) > 3:
        return None
    for m in s.dates:
        found = resolver.resolve(text[m.start : m.end], m.rule, None)
        if found.precision == "day" and found.day:
            return found.day
    return None


def find_dateline(spans: list[BlockSpans], text: str, resolver: DateResolver) -> dt.date | None:
    """A publication date from a date line near the top of the article, or at its foot
    ('Last updated: Saturday 14 August 2021 09:12 BST')."""
    for s in spans[:8] + spans[8:][-8:]:
        if found := date_line(s, text, resolver):
            return found
    return None


def assemble(
    article: Article,
    spans: list[BlockSpans],
    gazetteer: dict[str, GazetteerEntry],
    resolver: DateResolver,
    rules: dict[str, StatusRule],
    numbers: dict[str, int],
    countries: Countries,
    country: str | None,
) -> tuple[list[Record], list[str]]:
    """Records in text order, and warnings about the article as a whole; `country` is the
    one the article is about, whose actor list says who is who."""
    ctx = Context(countries=countries, country=country)
    candidates: list[Candidate] = []
    for s in spans:
        kind = s.block.kind
        if day := date_line(s, article.norm, resolver):
            ctx.day = Dated(ResolvedDate(day.isoformat(), "day", day), "section", s.dates[0])
            ctx.anchor = day  # "in the evening" under a day heading is that day's evening
            continue
        if kind == "paragraph" and is_title_header(s, STATUSES):
            s, kind = as_kind(s, "section_header"), "section_header"
        if ctx.listing and ctx.section_status and is_bare_entry(s):
            s, kind = as_kind(s, "list_item"), "list_item"  # 'Kelmar (Northvale)' under 'Captured so far'
        if kind == "section_header":
            reader = BlockReader(s, article, ctx, resolver, rules)
            read_header(reader, ctx)
        elif (
            kind in RECORD_KINDS
            and s.words
            and not (ctx.summary and kind in ENTRY_KINDS)
            and not _summary_head(s)
        ):
            reader = BlockReader(s, article, ctx, resolver, rules)
            candidates.extend(read_block(reader, ctx, resolver.published))
            ctx.counts.extend(reader.stated_counts(numbers))
            if is_dated_heading(s) and ctx.entry and (heading := ctx.entry[1]) and heading.resolved.day:
                ctx.day = Dated(
                    heading.resolved, "section", heading.mention
                )  # '2 March - Shelling of Kelmar'
                ctx.anchor = heading.resolved.day
        elif kind == "timestamp":
            ctx.section_status, ctx.section_date, ctx.summary = set(), None, False
        else:  # a headline or a caption gives no record, but its year dates the narrative
            ctx.reference = _stated_year(s, article.norm, resolver) or ctx.reference
        if kind not in ENTRY_KINDS | {"caption", "credit", "link"}:
            ctx.entry = None
        ctx.listing = kind in ENTRY_KINDS or (kind == "section_header" and bool(ctx.section_status))
    records = _merge(candidates, ctx, article, gazetteer, resolver.published)
    return records, _count_warnings(ctx, records, article)


def _stated_year(s: BlockSpans, text: str, resolver: DateResolver) -> dt.date | None:
    """The last date in a block that states a year ('2021 Taliban offensive' does not)."""
    found = [stated(resolver.resolve(text[m.start : m.end], m.rule, None).value) for m in s.dates]
    return next((day for day in reversed(found) if day), None)


def _summary_head(s: BlockSpans) -> bool:
    """'HEADLINES: Two more cities fall; ...': an entry whose head is a summary's name (one or
    two words) repeats the body."""
    head_end = s.block.head_end
    if not head_end:
        return False
    head = [w for w, start in zip(s.words, s.starts, strict=True) if start < head_end and w.isalpha()]
    return len(head) <= 2 and any(c.label == "summary" and c.end <= head_end for c in s.cues)


def _rank(c: Candidate) -> tuple[int, bool, bool]:
    """Best first: the most specific date, undisputed, with a trigger of its own."""
    return (RANK[c.dated.source] if c.dated.resolved.value else 9, c.disputed, c.trigger is None)


def _count_warnings(ctx: Context, records: list[Record], article: Article) -> list[str]:
    """A stated count ("nine capitals have fallen") that the records do not match."""
    fallen = sum(1 for r in records if r.status == "fallen" and not r.historical)
    return [
        f"{article.path}: the article says {count} capitals have fallen "
        f"({article.text[m.start : m.end]!r} at offset {m.start}) but {fallen} fallen records were found"
        for count, m in ctx.counts
        if count != fallen
    ]


def _merge(
    candidates: list[Candidate],
    ctx: Context,
    article: Article,
    gazetteer: dict[str, GazetteerEntry],
    published: dt.date | None,
) -> list[Record]:
    usable = [
        replace(c, disputed=True) if c.claimed and (c.iso, c.status) in ctx.denied else c
        for c in candidates
        if (c.iso, c.status) not in ctx.withdrawn
    ]
    # fighting on the day a city fell or was retaken is part of that outcome, not a state of its
    # own, while fighting on other days still is; but where the outcome is a denied claim, the
    # fighting is what the article stands by, and so it is where the outcome is only the
    # attackers' claim that nothing in the article confirms
    confirmed = {(c.iso, c.status, c.dated.resolved.value) for c in usable if not c.claimed}
    outcomes = {
        (c.iso, c.dated.resolved.value)
        for c in _best(usable, published).values()
        if c.status != "contested"
        and not c.disputed
        and c.dated.resolved.value
        and (c.iso, c.status, c.dated.resolved.value) in confirmed
    }
    fighting = [
        c for c in usable if c.status != "contested" or (c.iso, c.dated.resolved.value) not in outcomes
    ]
    best = _best(fighting, published)
    kept = [c for c in best.values() if gazetteer[c.iso].capital is not None]  # no seat, no capital
    records = [_record(c, article, gazetteer[c.iso], published, ctx) for c in kept]
    return sorted(records, key=lambda r: (r.evidence.start, r.place.province_iso, r.status))


def _best(candidates: list[Candidate], published: dt.date | None) -> dict[tuple[str, str, bool], Candidate]:
    """The best-ranked candidate of each (province, status, historical)."""
    best: dict[tuple[str, str, bool], Candidate] = {}
    for c in candidates:
        key = (c.iso, c.status, _historical(c.dated.resolved.value, published))
        if key not in best or _rank(c) < _rank(best[key]):
            best[key] = c
    return best


def _historical(value: str | None, published: dt.date | None) -> bool:
    """Dated in an earlier year than the article: a past event, kept apart."""
    return bool(value and published and value[:4].isdigit() and int(value[:4]) < published.year)


def _ref(article: Article, m: Mention | None) -> MentionRef | None:
    if m is None:
        return None
    return MentionRef(start=m.start, end=m.end, text=article.text[m.start : m.end], rule=m.rule)


def _record(
    c: Candidate, article: Article, entry: GazetteerEntry, published: dt.date | None, ctx: Context
) -> Record:
    start, end = c.evidence
    acting = ctx.countries.actor(c.actor, ctx.country) if c.actor else None
    other = opponent(c.status, c.actor, c.named, ctx.countries, ctx.country)
    value = c.dated.resolved.value
    historical = _historical(value, published)
    place_ref = _ref(article, c.place)
    assert place_ref is not None and entry.capital is not None
    return Record(
        id=record_id(article.doc_id, c.iso, c.status, historical),
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
        historical=historical,
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
