"""Where an 'and' opens a coordinated clause, on invented sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import Extractor
from pipeline.clauses import clause_starts


def starts(sentence: str, verbs: set[str]) -> list[str]:
    words = sentence.lower().split()
    puncts = [not w.isalnum() for w in words]
    at = {n for n, w in enumerate(words) if w in verbs}
    found = clause_starts(words, puncts, [0] * len(words), at, set())
    return [" ".join(words[n : n + 3]) for n in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("rebels captured kelmar , tolbek and rivane , and dunmore was overrun", ["and dunmore was"]),
        ("rebels seized kelmar , and had advanced on tolbek", ["and had advanced"]),
        ("fighting began in kelmar and drones were seen over tolbek", ["and drones were"]),
        ("kelmar , tolbek and rivane fell on monday", []),  # a list of subjects: no verb before 'and'
        ("rebels captured kelmar and tolbek on monday", []),  # a list of objects: no verb after
        ("kelmar fell and was retaken", []),  # one subject, two verbs
        ("rebels captured kelmar and tolbek , which was", []),
        ("the pattern changed : kelmar and tolbek fell", []),
        ("rebels entered tolbek and declared the city free", []),  # one subject: the verb comes first
    ],
)
def test_clauses_and_opens_a_clause_with_its_own_subject_and_verb(sentence: str, expected: list[str]) -> None:
    verbs = {
        "captured",
        "seized",
        "was",
        "were",
        "had",
        "fell",
        "overrun",
        "fighting",
        "retaken",
        "changed",
        "entered",
        "declared",
        "free",
    }
    assert starts(sentence, verbs) == expected


def keys(tiny: Extractor, body: str) -> set[tuple[str, str, str | None]]:
    records = tiny.extract_text("Headline of the day\n\n" + body, published=dt.date(2030, 3, 14))
    return {(r.place.province_iso, r.status, r.date) for r in records}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # the trigger of one clause is not borrowed by the other's place, nor its date
            "Rebels captured Kelmar, Tolbek and Rivane on March 8, and Dunmore was overrun on March 9.",
            {
                ("ZZ-NV", "fallen", "2030-03-08"),
                ("ZZ-EM", "fallen", "2030-03-08"),
                ("ZZ-RV", "fallen", "2030-03-08"),
                ("ZZ-HQ", "fallen", "2030-03-09"),
            },
        ),
        (  # a date after one clause's trigger is that clause's
            "Rebels captured Kelmar and Tolbek, and Dunmore was overrun on March 9.",
            {
                ("ZZ-NV", "fallen", "2030-03-14"),
                ("ZZ-EM", "fallen", "2030-03-14"),
                ("ZZ-HQ", "fallen", "2030-03-09"),
            },
        ),
        (  # a date that opens the sentence frames both clauses
            "On March 9, rebels captured Kelmar, and Dunmore was overrun.",
            {("ZZ-NV", "fallen", "2030-03-09"), ("ZZ-HQ", "fallen", "2030-03-09")},
        ),
        (  # a pluperfect clause is not the day of publication
            "Rebels seized Kelmar on Tuesday, and had advanced to near Dunmore, also taking Tolbek.",
            {("ZZ-NV", "fallen", "2030-03-12"), ("ZZ-EM", "fallen", None)},
        ),
        (  # a place in another clause with a verb of its own is not in the trigger's list
            'Clashes started in the city of Kelmar and "enemy" drones were seen above the city of Tolbek.',
            {("ZZ-NV", "contested", "2030-03-14")},
        ),
        (  # a semicolon joins clauses as 'and' does
            "Rebels took Kelmar on March 11; fighting continues in Tolbek.",
            {("ZZ-NV", "fallen", "2030-03-11"), ("ZZ-EM", "contested", "2030-03-14")},
        ),
        (  # times set off after ', and' open the clause, whose subject may be long
            "On March 8 rebels overran the governor's office in Kelmar, and two days later, on the night "
            "of March 10, the last army units and their allies abandoned Kelmar.",
            {("ZZ-NV", "fallen", "2030-03-10")},
        ),
        (  # a subordinate clause is timed by the clause it hangs on
            "Rebels moved into Kelmar on Tuesday, hours after government troops abandoned the city.",
            {("ZZ-NV", "fallen", "2030-03-12")},
        ),
    ],
)
def test_clauses_bound_triggers_and_dates(tiny: Extractor, body: str, expected: set) -> None:
    assert keys(tiny, body) == expected
