"""Adversarial layouts: one kind of line repeated up to a size, built from a gazetteer's names.

Each maker takes the capital and province names to use, the size wanted in characters and
a seed, and returns a text of about that size made of one layout only: the worst cases an
article can be built from (a table of thousands of rows, a sentence naming thousands of
capitals, a line of spaces). `plain` is the yardstick: ordinary prose paragraphs of the
same names. Used by `make bench` and by the time-bound property in tests/.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline import Extractor

MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Names:
    capitals: list[str]
    provinces: list[str]
    actor: str = "the rebels"


Maker = Callable[[Names, int, random.Random], str]


def seconds(extractor: Extractor, text: str, rounds: int = 1) -> float:
    """Processor time of the best of `rounds` extractions of `text`: what other work on this
    shared machine adds to the wall clock is not counted."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        extractor.extract_text(text, published=None)
        best = min(best, time.process_time() - start)
    return best


def _fill(size: int, head: str, line: Callable[[int], str], sep: str = "\n") -> str:
    parts, total, n = [head], len(head), 0
    while total < size:
        piece = line(n) + sep
        parts.append(piece)
        total += len(piece)
        n += 1
    return "".join(parts)


def _date(rng: random.Random) -> str:
    return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"


def plain(names: Names, size: int, rng: random.Random) -> str:
    """Ordinary news prose: varied sentences in paragraphs of three to five."""
    sentences = [
        "{actor} captured {c} on {d}, officials said.",
        "Fighting continues in {c}, the capital of {p} province, residents say.",
        "The governor of {p} said government forces still hold {c}.",
        "Aid workers reported long queues at the hospital as families left the city.",
        "{c} fell to {actor} on {d} after weeks of clashes on its outskirts.",
        "Officials did not respond to requests for comment on the situation in the north.",
        "Commandos retook {c} a day later, a provincial council member said.",
        "Prices of flour and fuel have doubled in the markets since the roads were cut.",
    ]

    def sentence(template: str) -> str:
        c, p = rng.choice(names.capitals), rng.choice(names.provinces)
        return template.format(actor=names.actor, c=c, p=p, d=_date(rng))

    def paragraph(_: int) -> str:
        return " ".join(sentence(rng.choice(sentences)) for _ in range(rng.randint(3, 5))).capitalize()

    return _fill(size, "Offensive in the north\n\n", paragraph, "\n\n")


def one_per_line(names: Names, size: int, rng: random.Random) -> str:
    """'<capital> fell to <actor> on <date>.' on every line."""

    def line(_: int) -> str:
        return f"{rng.choice(names.capitals)} fell to {names.actor} on {_date(rng)}."

    return _fill(size, "Head\n\n", line)


def pipe_table(names: Names, size: int, rng: random.Random) -> str:
    def row(_: int) -> str:
        return f"{rng.choice(names.capitals)} | {rng.choice(names.provinces)} | {_date(rng)}"

    return _fill(size, "Capitals\n\nCapital | Province | Fell on\n--- | --- | ---\n", row)


def aligned_table(names: Names, size: int, rng: random.Random) -> str:
    def row(_: int) -> str:
        return f"  {rng.choice(names.capitals):<16} {rng.choice(names.provinces):<16} captured {_date(rng)}"

    return _fill(size, "Capitals\n\n  Capital          Province         Situation\n", row)


def tab_table(names: Names, size: int, rng: random.Random) -> str:
    def row(_: int) -> str:
        return f"{rng.choice(names.capitals)}\tUnder attack\t{_date(rng)}"

    return _fill(size, "Capitals\n\nCity\tSituation\tLast report\n", row)


def bullets(names: Names, size: int, rng: random.Random) -> str:
    def item(_: int) -> str:
        return f"- {rng.choice(names.capitals)}, {rng.choice(names.provinces)}: {_date(rng)}"

    return _fill(size, "Head\n\nCaptured:\n", item)


def numbered(names: Names, size: int, rng: random.Random) -> str:
    def item(n: int) -> str:
        return f"{n % 999 + 1}. {rng.choice(names.capitals)} ({_date(rng)})"

    return _fill(size, "Head\n\nCities that fell:\n", item)


def live_blog(names: Names, size: int, rng: random.Random) -> str:
    def entry(n: int) -> str:
        said = f"{rng.choice(names.capitals)} fell to {names.actor} this morning, officials confirm."
        return f"{n % 24:02d}:{n % 60:02d} GMT\n{said}\n"

    return _fill(size, "Live updates\n\nFriday 13 August 2021\n\n", entry)


def day_headings(names: Names, size: int, rng: random.Random) -> str:
    def entry(n: int) -> str:
        day = f"{WEEKDAYS[n % 7]} {n % 28 + 1} August 2021"
        return f"{day}\n\nFighting continues in {rng.choice(names.capitals)}.\n"

    return _fill(size, "Live updates\n\n", entry)


def factbox(names: Names, size: int, rng: random.Random) -> str:
    """A factbox in running text: one paragraph of semicolon entries, ending in '; '."""

    def entry(_: int) -> str:
        return f"{rng.choice(names.capitals)}, {rng.choice(names.provinces)} prov.: captured {_date(rng)}"

    return _fill(size, "Head\n\nCAPTURED: ", entry, "; ") + "\n"


def many_capitals(names: Names, size: int, rng: random.Random) -> str:
    """One sentence: '<actor> captured A, B, C, ... and Z.'"""
    head = f"Head\n\n{names.actor.capitalize()} captured "
    return _fill(size, head, lambda _: rng.choice(names.capitals), ", ") + f"and {names.capitals[0]}.\n"


def names_run(names: Names, size: int, rng: random.Random) -> str:
    """Capital names one after another, no punctuation, in one line."""
    return _fill(size, "Head\n\nRebels captured ", lambda _: rng.choice(names.capitals), " ") + "\n"


def many_dates(names: Names, size: int, rng: random.Random) -> str:
    """One sentence naming a capital and then thousands of dates."""
    head = f"Head\n\n{names.capitals[0]} fell to {names.actor} on "
    return _fill(size, head, lambda n: f"{WEEKDAYS[n % 7]} {_date(rng)}", ", ") + "\n"


def spaces(names: Names, size: int, rng: random.Random) -> str:
    """A run of spaces in one line between two sentences."""
    lead = f"Head\n\n{names.capitals[0]} fell on {_date(rng)}."
    tail = f"{names.capitals[-1]} fell on {_date(rng)}.\n"
    return lead + " " * max(size - len(lead) - len(tail), 0) + tail


def spaced_words(names: Names, size: int, rng: random.Random) -> str:
    """Words two or more spaces apart on long lines: prose that looks like columns."""

    def line(_: int) -> str:
        words = [rng.choice(names.capitals), "fell on", _date(rng), "captured", rng.choice(names.provinces)]
        return "   ".join(words * 20)

    return _fill(size, "Head\n\n", line)


def one_line(names: Names, size: int, rng: random.Random) -> str:
    """Prose with no line break at all."""
    return plain(names, size, rng).replace("\n", " ") + "\n"


def asides(names: Names, size: int, rng: random.Random) -> str:
    """One sentence of nested commas and brackets: 'A, which fell on ... (B, which ...'."""

    def piece(_: int) -> str:
        return f"{rng.choice(names.capitals)}, which fell on {_date(rng)} ("

    return _fill(size, "Head\n\nRebels say ", piece, "") + ")" * 10 + " was captured.\n"


def headers(names: Names, size: int, rng: random.Random) -> str:
    """A section header on every other line."""
    return _fill(size, "Head\n\n", lambda _: f"CAPTURED:\n{rng.choice(names.capitals)}: {_date(rng)}")


def negations(names: Names, size: int, rng: random.Random) -> str:
    """Claims, denials and hedges in one long sentence."""

    def piece(_: int) -> str:
        return f"{rng.choice(names.capitals)} has not fallen, officials deny rebels claim they captured"

    return _fill(size, "Head\n\n", piece, " and ") + f" {names.capitals[0]}.\n"


def colons(names: Names, size: int, rng: random.Random) -> str:
    """A line of 'name: name: name: ...': list heads that never end."""
    return _fill(size, "Head\n\n", lambda _: rng.choice(names.capitals), ": ") + "\n"


def punctuation(names: Names, size: int, rng: random.Random) -> str:
    """Runs of punctuation and digits between names."""

    def piece(n: int) -> str:
        return f"{rng.choice(names.capitals)} {'.,;:-' * (n % 30)} {n}/{n % 12 + 1}/2021"

    return _fill(size, "Head\n\n", piece, " ") + "\n"


LAYOUTS: dict[str, Maker] = {
    "one_per_line": one_per_line,
    "pipe_table": pipe_table,
    "aligned_table": aligned_table,
    "tab_table": tab_table,
    "bullets": bullets,
    "numbered": numbered,
    "live_blog": live_blog,
    "day_headings": day_headings,
    "factbox": factbox,
    "many_capitals": many_capitals,
    "names_run": names_run,
    "many_dates": many_dates,
    "spaces": spaces,
    "spaced_words": spaced_words,
    "one_line": one_line,
    "asides": asides,
    "headers": headers,
    "negations": negations,
    "colons": colons,
    "punctuation": punctuation,
}
