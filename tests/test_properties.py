"""Property tests: arbitrary text and mutated corpus articles never break the invariants."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import Extractor
from pipeline.records import json_schema, to_jsonl

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(json_schema())
ARTICLES = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
WORDS = [
    "fell",
    "captured",
    "Kunduz",
    "Herat",
    "Aug. 6",
    "Monday",
    "not",
    "\r\n",
    "[AFP]",
    "a day later",
    "capital of",
    "province",
    "Sar-e-Pul",
    "|",
    "\t",
    "- ",
    "1. ",
    ":",
    "\u2013",
    "\u00a0",
    "\n\n",
]
LENIENT = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check(extractor: Extractor, text: str) -> None:
    records = extractor.extract_text(text, doc_id="prop")
    for r in records:
        for ref in filter(None, (r.evidence, r.place_mention, r.trigger, r.date_mention)):
            assert text[ref.start : ref.end] == ref.text
        jsonschema.validate(r.model_dump(mode="json"), SCHEMA)
    assert to_jsonl(extractor.extract_text(text, doc_id="prop")) == to_jsonl(records)


@LENIENT
@given(st.text(max_size=400))
def test_properties_arbitrary_unicode(afghan: Extractor, text: str) -> None:
    check(afghan, text)


@LENIENT
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=60).map(" ".join))
def test_properties_news_like_noise(afghan: Extractor, text: str) -> None:
    check(afghan, text)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(ARTICLES)).splitlines(keepends=True)
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            break
        n = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swapcase", "noise"]))
        if action == "delete":
            del lines[n]
        elif action == "duplicate":
            lines.insert(n, lines[n])
        elif action == "swapcase":
            lines[n] = lines[n].swapcase()
        else:
            lines[n] = (
                lines[n][: len(lines[n]) // 2] + draw(st.text(max_size=20)) + lines[n][len(lines[n]) // 2 :]
            )
    return "".join(lines)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_properties_mutated_corpus_articles(afghan: Extractor, text: str) -> None:
    check(afghan, text)
