"""The nlp: word classes on the vocabulary, patterns of fixed words as phrase patterns, and
the phrasebook kept between runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import pipeline.nlp
from pipeline import Extractor
from pipeline.cache import Cache
from pipeline.data import load_rules
from pipeline.nlp import Phrasebook, as_phrases
from pipeline.records import to_jsonl

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "corpus").glob("*.txt"))


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


@pytest.mark.parametrize(
    "text",
    [
        "Rebels took Kelmar.[3] The next day they took Tolbek.",
        "Rebels took Kelmar.[4][5] The next day they took Tolbek.",
        "Rebels took Kelmar.[a] The next day they took Tolbek.",
    ],
)
def test_nlp_citation_markers_end_the_sentence_they_close(tiny: Extractor, text: str) -> None:
    doc = tiny.nlp(text)
    first, second = (s.text for s in doc.sents)
    assert first.startswith("Rebels took Kelmar.[") and second == "The next day they took Tolbek."
    assert "Kelmar" in [t.text for t in doc]


def _records(extractor: Extractor) -> str:
    return "".join(to_jsonl(extractor.extract_path(path)) for path in ARTICLES)


def _load(cache_dir: Path) -> Extractor:
    return Extractor.load(ROOT / "gazetteer", cache_dir=cache_dir)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The corpus' records from an extractor whose cache folder cannot be made (a file stands
    in its way): it builds every phrase and keeps nothing."""
    blocked = tmp_path_factory.mktemp("blocked") / "file"
    blocked.write_text("", encoding="utf-8")
    extractor = _load(blocked / "cache")
    assert not blocked.with_name("cache").exists()
    return _records(extractor)


def test_nlp_cache_folder_that_cannot_be_written_gives_the_golden_records(built: str) -> None:
    golden = "".join(
        (ROOT / "outputs" / f"{path.stem}.jsonl").read_text(encoding="utf-8") for path in ARTICLES
    )
    assert built == golden


def _building_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("the phrases were built, not read from the cache")

    monkeypatch.setattr(pipeline.nlp, "place_patterns", fail)
    monkeypatch.setattr(pipeline.nlp, "phrasebook", fail)


def test_nlp_phrasebook_is_kept_and_read_back(tmp_path: Path, built: str, monkeypatch) -> None:
    assert _records(_load(tmp_path)) == built
    (kept,) = tmp_path.iterdir()
    assert kept.name.startswith("phrases-")
    _building_fails(monkeypatch)
    assert _records(_load(tmp_path)) == built


def _key(path: Path) -> str:
    return json.loads(path.read_bytes().split(b"\n", 1)[0])["key"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[:1000]),  # cut short
        lambda path: Cache(path, "made from other data").write(Cache(path, _key(path)).read()),
        lambda path: Cache(path, _key(path)).write({"places": [["too", "few"]], "groups": [], "entries": []}),
    ],
    ids=["damaged", "stale", "not-a-phrasebook"],
)
def test_nlp_stale_or_damaged_phrasebook_is_built_again(
    tmp_path: Path, built: str, damage: Callable[[Path], object], monkeypatch
) -> None:
    _load(tmp_path)
    (path,) = tmp_path.iterdir()
    key = _key(path)
    damage(path)
    assert _records(_load(tmp_path)) == built
    assert _key(path) == key  # built again, and kept again
    Phrasebook.from_json(Cache(path, key).read())
    _building_fails(monkeypatch)
    assert _records(_load(tmp_path)) == built
