"""The `extract` command, through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.formats import EXTENSIONS, Format

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def test_cli_help_lists_options() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for option in ("--published", "--gazetteer", "--format", "--output"):
        assert option in result.output


def test_cli_jsonl_to_stdout(tmp_path: Path, tiny_gazetteer: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Head\n\nRebels captured Kelmar on Aug. 6.\n", encoding="utf-8")
    args = [str(article), "--gazetteer", str(tiny_gazetteer), "--output", "-", "--published", "2030-08-10"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    record = json.loads(line)
    assert (record["place"]["province_iso"], record["status"], record["date"]) == (
        "ZZ-NV",
        "fallen",
        "2030-08-06",
    )
    text = article.read_text()
    assert text[record["evidence"]["start"] : record["evidence"]["end"]] == record["evidence"]["text"]


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_cli_formats_write_files(tmp_path: Path, tiny_gazetteer: Path, fmt: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Head\n\nRebels captured Kelmar on Aug. 6.\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = [str(article), "--gazetteer", str(tiny_gazetteer), "--format", fmt, "--output", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    written = (out / ("a" + EXTENSIONS[Format(fmt)])).read_text(encoding="utf-8")
    assert "Kelmar" in written


def test_cli_default_writes_outputs_and_prints_a_table(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "article.txt").write_text((ROOT / "corpus" / "article.txt").read_text())
    (tmp_path / "corpus" / "article.meta.json").write_text('{"published": "2021-08-11"}')
    result = runner.invoke(app, ["corpus/article.txt", "--gazetteer", str(ROOT / "gazetteer")])
    assert result.exit_code == 0, result.output
    assert "Zaranj" in result.stdout and "records)" in result.stdout
    assert (tmp_path / "outputs" / "article.jsonl").read_text() == (
        ROOT / "outputs" / "article.jsonl"
    ).read_text()


def test_cli_errors_are_one_line_and_exit_2(tmp_path: Path, tiny_gazetteer: Path) -> None:
    missing = runner.invoke(app, [str(tmp_path / "nope.txt"), "--gazetteer", str(tiny_gazetteer)])
    assert missing.exit_code == 2 and "nope.txt: no such file" in missing.stderr
    bad_date = runner.invoke(app, [str(tmp_path / "x.txt"), "--published", "13/08/2021"])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.stderr
    no_gazetteer = runner.invoke(app, [str(tmp_path / "x.txt"), "--gazetteer", str(tmp_path / "none")])
    assert no_gazetteer.exit_code == 2 and "gazetteer not found" in no_gazetteer.stderr
