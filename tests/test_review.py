"""The review page, read as HTML (the browser test drives it in Chromium)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app, tools
from pipeline.review import load_sources

runner = CliRunner()
STORIES = {
    "one": "Head\n\nRebels captured Kelmar on March 2.\n\nFighting continues in Tolbek, officials said.\n",
    "two": "Head\n\nThe rebels say they have captured Port Ardin. The governor denies it.\n",
    "three": 'Head\n\nRivane fell to the rebels on <Monday> & "Tuesday".\n',
}


class Marks(HTMLParser):
    """The text inside each record's <mark>s, by record key, and where the page points."""

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self.classes: dict[str, set[str]] = {}
        self.open: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.links += [v for k, v in attrs if k in ("src", "href") and v]
        if tag == "mark":
            self.open = (a.get("data-records") or "").split()
            for key in self.open:
                self.classes.setdefault(key, set()).update((a.get("class") or "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.open = []

    def handle_data(self, data: str) -> None:
        for key in self.open:
            self.text[key] = self.text.get(key, "") + data


def make_corpus(folder: Path, stories: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in stories.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        (folder / f"{name}.meta.json").write_text('{"published": "2030-03-14", "source": "Wire"}')
    return folder


@pytest.fixture
def outputs(tmp_path: Path, tiny_gazetteer: Path) -> Path:
    corpus = make_corpus(tmp_path / "corpus", STORIES)
    out = tmp_path / "today"
    args = [str(corpus), "--gazetteer", str(tiny_gazetteer), "--output", f"{out}/", "--jobs", "1"]
    assert runner.invoke(app, args).exit_code == 0
    return out


def page(*args: object) -> str:
    result = runner.invoke(tools, ["review", *map(str, args), "--output", "-"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_review_highlights_every_record_in_its_article(outputs: Path) -> None:
    html = page(outputs)
    marks = Marks()
    marks.feed(html)
    sources = load_sources([outputs])
    assert [len(s.records) for s in sources] == [2, 1, 1] and all(s.text for s in sources)
    for source in sources:
        for key, record in zip(source.keys, source.records, strict=True):
            assert marks.text[key] == record.evidence.text
            assert f"st-{record.status}" in marks.classes[key]
    assert "article not found" not in html


def test_review_page_is_self_contained(outputs: Path) -> None:
    html = page(outputs)
    marks = Marks()
    marks.feed(html)
    assert all(link.startswith(("#", "data:")) for link in marks.links), marks.links
    assert "<script src" not in html and "stylesheet" not in html
    assert "default-src 'none'" in html  # the browser itself refuses any request
    assert "&lt;Monday&gt; &amp; &quot;Tuesday&quot;" in html and "<Monday>" not in html


def test_review_finds_articles_in_a_folder_or_says_it_cannot(tmp_path: Path, tiny, outputs: Path) -> None:
    golden = tmp_path / "golden"
    golden.mkdir()
    for name in STORIES:
        (golden / f"{name}.jsonl").write_text((outputs / f"{name}.jsonl").read_text())
    without = page(golden)
    assert without.count("article not found (pass --articles FOLDER)") == 3
    assert 'class="evidence"' in without  # the evidence sentences are still there
    with_folder = page(golden, "--articles", tmp_path / "corpus")
    assert "article not found" not in with_folder and 'class="text"' in with_folder
    (tmp_path / "corpus" / "one.txt").write_text("Head\n\nSomething else entirely.\n")
    assert "has changed since these records were made" in page(golden, "--articles", tmp_path / "corpus")


def test_review_against_an_earlier_run_shows_what_changed(tmp_path: Path, tiny_gazetteer: Path) -> None:
    before = make_corpus(
        tmp_path / "before", {**STORIES, "one": STORIES["one"].replace("March 2", "March 1")}
    )
    args = [str(before), "--gazetteer", str(tiny_gazetteer), "--output", f"{tmp_path}/old/", "--jobs", "1"]
    assert runner.invoke(app, args).exit_code == 0
    (tmp_path / "old" / "three.jsonl").unlink()
    after = make_corpus(tmp_path / "after", {**STORIES, "two": "Head\n\nDunmore fell on March 3.\n"})
    args = [str(after), "--gazetteer", str(tiny_gazetteer), "--output", f"{tmp_path}/new/", "--jobs", "1"]
    assert runner.invoke(app, args).exit_code == 0
    html = page(tmp_path / "new", "--against", tmp_path / "old")
    assert "2 added, 1 removed, 1 changed in 3 articles" in html
    assert "date: 2030-03-01 → 2030-03-02" in html
    assert re.findall(r'data-status="(\w+)"[^>]*data-change="(\w+)"', html) == [
        ("fallen", "changed"),
        ("contested", "same"),
        ("fallen", "added"),
        ("fallen", "added"),
    ]


def test_review_writes_the_file(outputs: Path, tmp_path: Path) -> None:
    target = tmp_path / "review.html"
    result = runner.invoke(tools, ["review", str(outputs), "--output", str(target)])
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("<!doctype html>")
    missing = runner.invoke(tools, ["review", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "nope: no such file or folder of records" in missing.stderr
