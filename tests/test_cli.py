"""The `extract` command, through typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app, tools
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


@pytest.mark.parametrize(
    ("command", "args"),
    [
        (app, []),
        (tools, []),
        (tools, ["diff"]),
        (tools, ["timeline"]),
        (tools, ["review"]),
        (tools, ["schema"]),
        (tools, ["extract"]),
    ],
)
def test_cli_every_command_has_help_with_examples(command, args: list[str]) -> None:
    result = runner.invoke(command, [*args, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    if args != []:
        assert "Example" in result.output or args == ["extract"]


def test_cli_readme_python_example(afghan) -> None:
    (record,) = afghan.extract_text("Zaranj fell to the Taliban on Aug. 6.", published=None)
    assert (record.place.name, record.status, record.date) == ("Zaranj", "fallen", "--08-06")


def test_cli_source_from_metadata_reaches_records_and_acled(tmp_path: Path, tiny_gazetteer: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Head\n\nRebels captured Kelmar on Aug. 6.\n", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"published": "2030-08-10", "source": "Wire Service"}')
    args = [str(article), "--gazetteer", str(tiny_gazetteer), "--output", "-"]
    record = json.loads(runner.invoke(app, args).stdout)
    assert (record["source"], record["published"], record["date"]) == (
        "Wire Service",
        "2030-08-10",
        "2030-08-06",
    )
    (row,) = csv.DictReader(io.StringIO(runner.invoke(app, [*args, "--format", "acled"]).stdout))
    assert row["source"] == "Wire Service"
