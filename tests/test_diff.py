"""`capitals diff`: records compared on what they say, moves on one line, csv-diff-style options."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import Extractor
from pipeline.cli import tools
from pipeline.diff import compare, load_records, render_markdown
from pipeline.records import to_jsonl

runner = CliRunner()
PUB = dt.date(2030, 3, 14)
BEFORE = (
    "Head\n\n"
    "Rebels captured Kelmar on March 9.\n\n"
    "Tolbek fell to the rebels on March 11.\n\n"
    "Fighting continues in Port Ardin.\n\n"
    "Rebels overran Dunmore on March 12.\n"
)
AFTER = BEFORE.replace("March 9", "March 10")  # one date edited: the records below it move


def write(tiny: Extractor, folder: Path, text: str, doc_id: str = "story") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_id}.jsonl"
    path.write_text(to_jsonl(tiny.extract_text(text, doc_id=doc_id, published=PUB)), encoding="utf-8")
    return path


@pytest.fixture
def edited(tiny: Extractor, tmp_path: Path) -> tuple[Path, Path]:
    return write(tiny, tmp_path / "before", BEFORE), write(tiny, tmp_path / "after", AFTER)


def diff(*args: object):
    return runner.invoke(tools, ["diff", *map(str, args)])


def test_diff_an_edited_date_is_one_change_and_moves_are_one_line(edited: tuple[Path, Path]) -> None:
    result = diff(*edited)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "~ story: Kelmar (ZZ-NV): fallen",
        "    date: '2030-03-09' -> '2030-03-10'",
        "0 added, 0 removed, 1 changed in 1 article",
        "3 records found elsewhere in the article (--offsets shows where)",
    ]


def test_diff_offsets_lists_the_moved_records(edited: tuple[Path, Path]) -> None:
    result = diff(*edited, "--offsets")
    assert result.exit_code == 1
    assert "0 added, 0 removed, 4 changed in 1 article" in result.stdout
    assert "evidence.start: " in result.stdout and "found elsewhere" not in result.stdout


def test_diff_only_moved_is_no_difference(tiny: Extractor, tmp_path: Path) -> None:
    old = write(tiny, tmp_path / "a", BEFORE)
    new = write(tiny, tmp_path / "b", BEFORE.replace("Head\n", "Headline of the day\n"))
    result = diff(old, new)
    assert result.exit_code == 0
    assert result.stdout == (
        "no differences\n(4 records found elsewhere in the article (--offsets shows where))\n"
    )
    assert diff(old, new, "--offsets").exit_code == 1


def test_diff_ignore_a_field(edited: tuple[Path, Path]) -> None:
    result = diff(*edited, "--ignore", "date")
    assert result.exit_code == 0 and result.stdout.startswith("no differences\n")
    assert diff(*edited, "--ignore", "place,date").exit_code == 0


def test_diff_markdown_has_a_heading_a_summary_then_the_table(edited: tuple[Path, Path]) -> None:
    result = diff(*edited, "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("## Changes in records: ") and lines[1] == ""
    assert lines[2] == "0 added, 0 removed, 1 changed in 1 article"
    assert lines[4] == "| | article | place | status | date | detail |"
    assert lines[6] == "| changed | story | Kelmar | fallen | 2030-03-10 | date: 2030-03-09 → 2030-03-10 |"
    assert lines[-1] == "_3 records found elsewhere in the article (--offsets shows where)_"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_diff_identical_folders_print_only_no_differences(edited: tuple[Path, Path], fmt: str) -> None:
    before = edited[0].parent
    result = diff(before, before, "--format", fmt)
    assert (result.exit_code, result.stdout) == (0, "no differences\n")


def test_diff_summary_counts_articles(tiny: Extractor, tmp_path: Path) -> None:
    for name, text in (("one", "Head\n\nRebels captured Kelmar on March 2.\n"), ("two", BEFORE)):
        write(tiny, tmp_path / "old", text, name)
    write(tiny, tmp_path / "new", "Head\n\nRebels captured Kelmar on March 3.\n", "one")
    write(tiny, tmp_path / "new", AFTER + "\nRebels captured Rivane on March 13.\n", "two")
    result = compare(load_records(tmp_path / "old"), load_records(tmp_path / "new"))
    assert result.summary() == "1 added, 0 removed, 2 changed in 2 articles"
    parsed = json.loads(diff(tmp_path / "old", tmp_path / "new", "--format", "json").stdout)
    assert parsed["summary"] == {"added": 1, "removed": 0, "changed": 2, "moved": 3, "articles": 2}
    assert [
        m["fields"]["evidence.start"]["new"] - m["fields"]["evidence.start"]["old"] for m in parsed["moved"]
    ] == [
        1,
        1,
        1,
    ]


def test_diff_key_matches_records_by_the_fields_given(tiny: Extractor, tmp_path: Path) -> None:
    old = write(tiny, tmp_path / "a", "Head\n\nRebels captured Kelmar on March 2.\n", "monday")
    new = write(tiny, tmp_path / "b", "Head\n\nRebels captured Kelmar on March 3.\n", "tuesday")
    by_article = diff(old, new, "--key", "doc_id", "--key", "place.province_iso")
    assert by_article.stdout.splitlines()[-1] == "1 added, 1 removed, 0 changed in 2 articles"
    by_place = diff(old, new, "--key", "place.province_iso,status")
    assert "    doc_id: 'monday' -> 'tuesday'" in by_place.stdout
    assert "    date: '2030-03-02' -> '2030-03-03'" in by_place.stdout


def test_diff_key_must_tell_records_apart_and_name_fields(edited: tuple[Path, Path]) -> None:
    shared = diff(*edited, "--key", "doc_id")
    assert shared.exit_code == 2 and "two records share the key story; choose a --key" in shared.stderr
    unknown = diff(*edited, "--ignore", "evidense")
    assert unknown.exit_code == 2 and "--ignore: 'evidense' is not a record field" in unknown.stderr


def test_diff_markdown_without_changes_renders_nothing_else() -> None:
    assert render_markdown(compare([], [])) == "no differences\n"
