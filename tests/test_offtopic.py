"""Precision on a day's news: articles about something else give no records, even those
that name a provincial capital ("the saffron harvest in X", "X airport reopens")."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import Extractor

OFFTOPIC = sorted((Path(__file__).resolve().parent.parent / "benchmarks" / "offtopic").glob("*.txt"))


def test_offtopic_set_is_large_enough() -> None:
    assert len(OFFTOPIC) >= 40


@pytest.mark.parametrize("path", OFFTOPIC, ids=lambda p: p.stem)
def test_offtopic_article_gives_no_records(afghan: Extractor, path: Path) -> None:
    assert afghan.extract_path(path) == []
