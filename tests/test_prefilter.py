"""The first pass: articles that can give nothing skip the nlp, and records and warnings are
the same with and without it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline import Extractor
from pipeline.article import from_text, read_article
from pipeline.nlp import fold
from pipeline.prefilter import cut_words, fast_fold, letter_runs
from pipeline.records import to_jsonl

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "benchmarks" / "offtopic").glob("*.txt"))
PUB = dt.date(2030, 3, 14)


def same_both_ways(extractor: Extractor, text: str) -> None:
    article = from_text(text, "t", PUB)
    full, fast = extractor.run(article, first_pass=False), extractor.run(article)
    assert (to_jsonl(fast.records), fast.warnings) == (to_jsonl(full.records), full.warnings)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_prefilter_changes_nothing_on_the_corpus(afghan: Extractor, path: Path) -> None:
    article = read_article(path)
    full, fast = afghan.run(article, first_pass=False), afghan.run(article)
    assert (to_jsonl(fast.records), fast.warnings) == (to_jsonl(full.records), full.warnings)


def test_prefilter_skips_most_offtopic_articles_and_no_relevant_one(afghan: Extractor) -> None:
    needs = {
        p.parent.name + "/" + p.stem: afghan.first_pass.needs_pipeline(read_article(p).norm) for p in ARTICLES
    }
    assert all(v for k, v in needs.items() if k.startswith("corpus/"))
    offtopic = [v for k, v in needs.items() if k.startswith("offtopic/")]
    assert sum(offtopic) < len(offtopic) / 2


@pytest.mark.parametrize(
    ("text", "needed"),
    [
        ("Share prices fell sharply on Monday as traders sold.", False),  # a trigger, no place
        ("Kelmar hosts a book fair this week.", False),  # a place, no trigger
        ("Rebels captured Kelmar on March 12.", True),
        ("Rebels captured Kelmmar on March 12.", True),  # one typo
        ("REBELS CAPTURED KELMMAR.", True),
        ("Rebels captured Port Ardin-e Sol on Tuesday.", True),
        ("Rebels captured Port-Ardin on Tuesday.", True),
        ("Rebels seized To\u0308lbek overnight.", True),  # a decomposed diacritic
        ("Rebels seized T\u00f6lbek overnight.", True),
        ("Headline\n\nNine provincial capitals have fallen, officials said.", True),  # a count: a warning
        ("The city fell.\n\nSee also: Northvale.", True),
        ("Fighting\u00b2 continues in Kelmar\u00b2.", True),
        ("We don't know whether Dunmore's mayor took part in the fair.", True),
    ],
)
def test_prefilter_decides_on_invented_texts(tiny: Extractor, text: str, needed: bool) -> None:
    assert tiny.first_pass.needs_pipeline(text) is needed
    same_both_ways(tiny, text)


def test_prefilter_skipped_article_keeps_its_reading_notes(tiny: Extractor) -> None:
    article = from_text("Share prices fell on Monday.", "t", PUB)
    assert tiny.run(article).warnings == tiny.run(article, first_pass=False).warnings == list(article.notes)


def test_prefilter_words_are_runs_of_letters(tiny: Extractor) -> None:
    assert letter_runs("Kelmar\u00b2, don't 5km") == {"Kelmar", "don", "t", "km"}
    pieces, cut = cut_words(tiny.nlp)
    assert {"do", "n"} <= pieces  # "don't" is read as "do" + "n't"
    assert "don" in cut


@pytest.mark.parametrize(
    "text",
    [
        "Kelmar",
        "Hera\u0304t T\u00f6lbek",
        "\ufb01ne \u0130stanbul \u00bd\u00b2",
        "Caf\u00e9 \u2014 \u201cquoted\u201d",
    ],
)
def test_prefilter_fast_fold_is_fold(text: str) -> None:
    assert fast_fold(text) == fold(text)
