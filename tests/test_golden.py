"""Golden records: `extract` on each corpus article must give the reviewed file in outputs/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import Extractor
from pipeline.article import read_article
from pipeline.records import to_jsonl

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "corpus").glob("*.txt"))


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_golden_records_match_outputs(afghan: Extractor, path: Path, file_regression) -> None:
    records = afghan.extract_path(path)
    file_regression.check(to_jsonl(records), fullpath=ROOT / "outputs" / f"{path.stem}.jsonl")


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_golden_evidence_slices_the_original_file(afghan: Extractor, path: Path) -> None:
    text = read_article(path).text
    for record in afghan.extract_path(path):
        refs = [record.evidence, record.place_mention, record.trigger, record.date_mention]
        for ref in filter(None, refs):
            assert text[ref.start : ref.end] == ref.text


def test_golden_seed_article_statuses(afghan: Extractor) -> None:
    records = afghan.extract_path(ROOT / "corpus" / "article.txt")
    got = {(r.place.province_iso, r.status, r.date) for r in records}
    fallen = {
        ("AF-NIM", "2021-08-06"),
        ("AF-JOW", "2021-08-07"),
        ("AF-SAR", "2021-08-08"),
        ("AF-KDZ", "2021-08-08"),
        ("AF-TAK", "2021-08-08"),
        ("AF-SAM", "2021-08-09"),
        ("AF-FRA", "2021-08-10"),
        ("AF-BGL", "2021-08-10"),
        ("AF-BDS", "2021-08-11"),
    }
    assert {(iso, date) for iso, status, date in got if status == "fallen"} == fallen
    contested = {(iso, date) for iso, status, date in got if status == "contested"}
    assert contested == {("AF-HER", "2021-08-11"), ("AF-HEL", "2021-08-11"), ("AF-KAN", "2021-08-11")}
    assert len(records) == 12  # nothing from the captions, no same-day fighting beside a fall
    first = json.loads(to_jsonl(records).splitlines()[0])
    assert (first["schema_version"], first["published"]) == ("3", "2021-08-11")
