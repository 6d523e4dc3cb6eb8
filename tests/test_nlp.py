"""The nlp: word classes on the vocabulary, and patterns of fixed words as phrase patterns."""

from __future__ import annotations

import pytest

from pipeline import Extractor
from pipeline.data import load_rules
from pipeline.nlp import as_phrases


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ([{"LOWER": "fell"}, {"LOWER": "to", "OP": "?"}], ("LOWER", ["fell", "fell to"])),
        ([{"NORM": "<day>"}, {"NORM": "<month>"}], ("NORM", ["<day> <month>"])),
        ([{"SHAPE": "dd/dd/dddd"}], ("SHAPE", ["dd/dd/dddd"])),
        ([{"LOWER": "under"}, {"LOWER": {"NOT_IN": ["government"]}}, {"LOWER": "control"}], None),
        ([{"LOWER": "under"}, {"LOWER": "x", "OP": "{1,3}"}], None),
        ([{"LOWER": "a"}, {"NORM": "b"}], None),  # one attribute per phrase matcher
    ],
)
def test_nlp_as_phrases(pattern: list[dict], expected: object) -> None:
    assert as_phrases(pattern) == expected


def test_nlp_only_patterns_that_need_it_use_the_token_matcher(tiny: Extractor) -> None:
    rules = load_rules()
    token_rules = [r.id for r in rules.status + rules.cues + rules.dates if as_phrases(r.pattern) is None]
    assert len(tiny.nlp.get_pipe("rule_matcher").tokens) == len(token_rules)
    assert len(token_rules) <= 3, token_rules  # the token Matcher's cost grows with its patterns


@pytest.mark.parametrize(
    ("text", "norms"),
    [
        ("Aug. 12, 2021", ["<month>", "<day>", ",", "<year>"]),
        ("12th AUGUST", ["<day>", "<month>"]),
        ("on 06-Sept-2021", ["on", "<day>", "-", "<month>", "-", "<year>"]),
        ("12 officials", ["<day>", "officials"]),
        ("the Second capital", ["the", "<ordinal>", "capital"]),
        ("under army control", ["under", "<government>", "control"]),
        ("in rebel hands", ["in", "<group>", "hands"]),
    ],
)
def test_nlp_word_classes(tiny: Extractor, text: str, norms: list[str]) -> None:
    assert [t.norm_ for t in tiny.nlp(text)] == norms


def test_nlp_numeric_dates_match_by_shape(tiny: Extractor) -> None:
    doc = tiny.nlp("From 13/08/2021 to 2021-08-14, not 13/08.")
    found = [doc[s:e].text for s, e, kind, *_ in doc.user_data["matches"] if kind == "date"]
    assert found == ["13/08/2021", "2021-08-14"]
