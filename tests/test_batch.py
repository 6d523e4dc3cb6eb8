"""Batches, incremental runs, --check, diff and timeline, on real files in temporary folders."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import signal
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipeline.batch as batch_module
from pipeline import Extraction, Extractor
from pipeline.article import Article
from pipeline.batch import cpus, extract_many, run_batch
from pipeline.cli import app, tools
from pipeline.formats import EXTENSIONS, Format, render_bytes
from pipeline.manifest import read_entries
from pipeline.tasks import Task

runner = CliRunner()
STORIES = {
    "one": "Head\n\nRebels captured Kelmar on March 2.\n",
    "two": "Head\n\nFighting continues in Tolbek, officials said.\n",
    "three": "Head\n\nPort Ardin fell to the rebels on Monday.\n",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        (folder / f"{name}.meta.json").write_text('{"published": "2030-03-14"}', encoding="utf-8")
    return folder


def batch(corpus: Path, out: Path, gazetteer: Path, *extra: str):
    return runner.invoke(app, [str(corpus), "--gazetteer", str(gazetteer), "--output", f"{out}/", *extra])


def test_batch_bad_file_is_reported_and_the_rest_written(
    corpus: Path, tmp_path: Path, tiny_gazetteer: Path
) -> None:
    (corpus / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    out = tmp_path / "out"
    result = batch(corpus, out, tiny_gazetteer)
    assert result.exit_code == 2
    assert "3 written, 0 unchanged, 1 failed" in result.stderr
    assert "broken.txt: looks like a PNG image" in result.stderr
    assert sorted(p.name for p in out.glob("*.jsonl")) == ["one.jsonl", "three.jsonl", "two.jsonl"]


def test_batch_skips_unchanged_and_redoes_changed(corpus: Path, tmp_path: Path, tiny_gazetteer: Path) -> None:
    out = tmp_path / "out"
    assert batch(corpus, out, tiny_gazetteer).exit_code == 0
    again = batch(corpus, out, tiny_gazetteer)
    assert "0 written, 3 unchanged" in again.stderr
    (corpus / "two.txt").write_text("Head\n\nRebels captured Tolbek on March 3.\n", encoding="utf-8")
    changed = batch(corpus, out, tiny_gazetteer)
    assert "1 written, 2 unchanged" in changed.stderr
    assert '"status":"fallen"' in (out / "two.jsonl").read_text()
    assert "3 written" in batch(corpus, out, tiny_gazetteer, "--force").stderr


def test_batch_interrupted_run_is_finished_by_the_next(
    corpus: Path, tmp_path: Path, tiny: Extractor, tiny_gazetteer: Path
) -> None:
    out = tmp_path / "out"
    paths = sorted(corpus.glob("*.txt"))
    with pytest.raises(KeyboardInterrupt):
        for n, _ in enumerate(run_batch(paths, tiny, out, Format.jsonl, jobs=1)):
            if n == 0:
                raise KeyboardInterrupt
    assert len(list(out.glob("*.jsonl"))) == 1
    assert not list(out.glob(".*.tmp"))
    outcomes = list(run_batch(paths, tiny, out, Format.jsonl, jobs=1))
    assert [o.skipped for o in outcomes] == [True, False, False]
    assert sorted(read_entries(out)) == ["one.jsonl", "three.jsonl", "two.jsonl"]


def test_batch_two_processes_give_the_same_records(
    corpus: Path, tmp_path: Path, tiny_gazetteer: Path
) -> None:
    for n in range(4):
        (corpus / f"extra{n}.txt").write_text(STORIES["one"], encoding="utf-8")
    assert batch(corpus, tmp_path / "a", tiny_gazetteer, "--jobs", "1").exit_code == 0
    assert batch(corpus, tmp_path / "b", tiny_gazetteer, "--jobs", "2").exit_code == 0
    for path in (tmp_path / "a").glob("*.jsonl"):
        assert path.read_text() == (tmp_path / "b" / path.name).read_text()


def test_batch_paths_from_stdin(corpus: Path, tmp_path: Path, tiny_gazetteer: Path) -> None:
    listing = f"{corpus / 'one.txt'}\n{corpus / 'two.txt'}\n"
    args = ["-", "--gazetteer", str(tiny_gazetteer), "--output", f"{tmp_path / 'o'}/"]
    result = runner.invoke(app, args, input=listing)
    assert result.exit_code == 0 and "2 written" in result.stderr


def test_batch_check_fails_on_a_changed_golden(corpus: Path, tmp_path: Path, tiny_gazetteer: Path) -> None:
    out = tmp_path / "out"
    assert batch(corpus, out, tiny_gazetteer).exit_code == 0
    assert batch(corpus, out, tiny_gazetteer, "--check").exit_code == 0
    golden = out / "one.jsonl"
    golden.write_text(golden.read_text().replace("2030-03-02", "2030-03-01"))
    result = batch(corpus, out, tiny_gazetteer, "--check")
    assert result.exit_code == 1
    assert "date: '2030-03-01' -> '2030-03-02'" in result.stdout


def test_batch_diff_between_two_versions_of_an_article(tmp_path: Path, tiny_gazetteer: Path) -> None:
    old, new = tmp_path / "monday.txt", tmp_path / "tuesday.txt"
    old.write_text("Head\n\nFighting continues in Kelmar.\n", encoding="utf-8")
    new.write_text("Head\n\nKelmar fell to the rebels on Tuesday.\n", encoding="utf-8")
    for path, day in ((old, "2030-03-11"), (new, "2030-03-12")):
        args = [str(path), "--gazetteer", str(tiny_gazetteer), "--published", day]
        args += ["--output", str(path.with_suffix(".jsonl"))]
        assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(tools, ["diff", str(old.with_suffix(".jsonl")), str(new.with_suffix(".jsonl"))])
    assert result.exit_code == 1
    assert "- monday: Kelmar (ZZ-NV): contested 2030-03-11" in result.stdout
    assert "+ tuesday: Kelmar (ZZ-NV): fallen 2030-03-12" in result.stdout
    markdown = runner.invoke(
        tools,
        ["diff", str(old.with_suffix(".jsonl")), str(new.with_suffix(".jsonl")), "--format", "markdown"],
    )
    assert "| added | tuesday | Kelmar | fallen | 2030-03-12 |" in markdown.stdout
    parsed = json.loads(
        runner.invoke(
            tools,
            ["diff", str(old.with_suffix(".jsonl")), str(new.with_suffix(".jsonl")), "--format", "json"],
        ).stdout
    )
    assert [r["status"] for r in parsed["added"]] == ["fallen"]
    same = runner.invoke(tools, ["diff", str(new.with_suffix(".jsonl")), str(new.with_suffix(".jsonl"))])
    assert same.exit_code == 0


def test_batch_timeline_across_three_articles(tmp_path: Path, tiny_gazetteer: Path) -> None:
    texts = {
        "mon": ("Head\n\nFighting continues in Kelmar.\n", "2030-03-11"),
        "tue": ("Head\n\nKelmar fell to the rebels on Tuesday.\n", "2030-03-12"),
        "wed": ("Head\n\nRebels captured Kelmar on Monday, officials said.\n", "2030-03-13"),
    }
    out = tmp_path / "out"
    for name, (text, day) in texts.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        args = [
            str(path),
            "--gazetteer",
            str(tiny_gazetteer),
            "--published",
            day,
            "--output",
            str(out / f"{name}.jsonl"),
        ]
        assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(tools, ["timeline", str(out), "--format", "json"])
    (row,) = json.loads(result.stdout)
    assert (row["place"], row["latest"]["status"]) == ("Kelmar", "fallen")
    assert [e["status"] for e in row["earlier"]] == ["contested", "fallen"]
    assert row["disagreements"] == ["fallen: 2030-03-11 (wed); 2030-03-12 (tue)"]
    table = runner.invoke(tools, ["timeline", str(out)]).stdout
    assert "Kelmar" in table and "!!" in table


def test_batch_output_names_never_collide(tmp_path: Path, tiny_gazetteer: Path) -> None:
    stories = {
        "a/story.txt": "Kelmar",
        "b/story.txt": "Tolbek",
        "c/Kelmar ä.txt": "Rivane",
        "c/Kelmar ö.txt": "Dunmore",
    }
    for name, place in stories.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(f"Head\n\nRebels captured {place} on March 2.\n", encoding="utf-8")
    out = tmp_path / "out"
    args = [str(tmp_path / n) for n in stories] + ["--gazetteer", str(tiny_gazetteer), "--output", f"{out}/"]
    assert "4 written" in runner.invoke(app, args).stderr
    written = {p.name: p.read_text() for p in out.glob("*.jsonl")}
    assert sorted(written) == ["Kelmar_ä.jsonl", "Kelmar_ö.jsonl", "a__story.jsonl", "b__story.jsonl"]
    assert all(
        place in written[n]
        for n, place in zip(sorted(written), ["Rivane", "Dunmore", "Kelmar", "Tolbek"], strict=True)
    )
    assert "0 written, 4 unchanged" in runner.invoke(app, args).stderr


def test_batch_never_overwrites_an_article(corpus: Path, tiny_gazetteer: Path) -> None:
    notes = corpus / "notes.jsonl"  # an article with an unusual name, beside its would-be output
    notes.write_text(STORIES["one"], encoding="utf-8")
    args = [str(notes), str(corpus / "one.txt"), "--gazetteer", str(tiny_gazetteer), "--output", str(corpus)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "would overwrite an article" in result.stderr
    assert notes.read_text() == STORIES["one"]
    tables = runner.invoke(
        app, [str(corpus), "--gazetteer", str(tiny_gazetteer), "--output", str(corpus), "--format", "table"]
    )
    assert "3 written" in tables.stderr
    again = runner.invoke(
        app, [str(corpus), "--gazetteer", str(tiny_gazetteer), "--output", str(corpus), "--format", "table"]
    )
    assert "0 written, 3 unchanged" in again.stderr  # its own tables are not read as articles


def test_batch_redoes_when_data_code_or_output_changed(
    corpus: Path, tmp_path: Path, tiny: Extractor, tiny_gazetteer: Path
) -> None:
    out = tmp_path / "out"
    paths = sorted(corpus.glob("*.txt"))

    def written(extractor: Extractor) -> list[str]:
        outcomes = run_batch(paths, extractor, out, Format.jsonl, jobs=1)
        return [o.path.stem for o in outcomes if not o.skipped]

    assert written(tiny) == ["one", "three", "two"]
    assert written(tiny) == []
    (out / "two.jsonl").write_text("edited by hand\n")
    assert written(tiny) == ["two"]  # an output edited since is made again
    assert written(replace(tiny, fingerprint="other code or rules")) == ["one", "three", "two"]
    gazetteer = tmp_path / "gazetteer"
    gazetteer.mkdir()
    entries = (tiny_gazetteer / "zz.jsonl").read_text().splitlines()
    (gazetteer / "zz.jsonl").write_text("\n".join(entries[:-1]) + "\n")  # one province fewer
    assert written(Extractor.load(gazetteer)) == ["one", "three", "two"]


def test_batch_workers_are_capped_by_processors_and_work(
    corpus: Path, tiny: Extractor, tiny_gazetteer: Path, monkeypatch
) -> None:
    started: list[object] = []
    real_start = multiprocessing.process.BaseProcess.start

    def counting_start(self: multiprocessing.process.BaseProcess) -> None:
        started.append(self)
        real_start(self)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", counting_start)
    paths = sorted(corpus.glob("*.txt")) * 6  # more than one article per worker
    parallel = list(extract_many(paths, tiny, None, jobs=300))
    assert len(started) == min(cpus(), 300)
    started.clear()
    serial = list(extract_many(paths[:1], tiny, None, jobs=300))
    assert len(started) == 1  # one article: one worker, whatever --jobs says
    assert [o.records for o in parallel[:1]] == [o.records for o in serial]
    one_process = extract_many(paths, tiny, None, jobs=1)
    assert [o.records for o in parallel] == [o.records for o in one_process]


def test_batch_check_reports_any_changed_field(corpus: Path, tmp_path: Path, tiny_gazetteer: Path) -> None:
    out = tmp_path / "out"
    assert batch(corpus, out, tiny_gazetteer).exit_code == 0
    golden = out / "one.jsonl"
    golden.write_text(golden.read_text().replace('"start":6,', '"start":7,', 1))
    result = batch(corpus, out, tiny_gazetteer, "--check")
    assert result.exit_code == 1
    assert "evidence.start: 7 -> 6" in result.stdout and "no differences" not in result.stdout


def test_batch_diff_of_files_holding_many_articles_keys_by_article(
    corpus: Path, tmp_path: Path, tiny_gazetteer: Path
) -> None:
    (corpus / "four.txt").write_text("Head\n\nRebels captured Kelmar on March 5.\n", encoding="utf-8")
    old = runner.invoke(app, [str(corpus), "--gazetteer", str(tiny_gazetteer), "--output", "-"]).stdout
    lines = old.splitlines()
    new = [line for line in lines if '"doc_id":"one"' not in line]
    (tmp_path / "old.jsonl").write_text(old)
    (tmp_path / "new.jsonl").write_text("\n".join(new) + "\n")
    result = runner.invoke(tools, ["diff", str(tmp_path / "old.jsonl"), str(tmp_path / "new.jsonl")])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "- one: Kelmar (ZZ-NV): fallen 2030-03-02",
        "0 added, 1 removed, 0 changed in 1 article",
    ]


def test_batch_timeline_latest_is_dated_and_undisputed(tmp_path: Path, tiny_gazetteer: Path) -> None:
    texts = {
        "a": ("Head\n\nKelmar fell to the rebels on Tuesday.\n", "2030-03-12"),
        "b": ("Head\n\nClashes continue in Kelmar, residents say.\n\nKelmar fell long ago.\n", None),
        "c": ("Head\n\nThe rebels say they have retaken Kelmar. The governor denies it.\n", "2030-03-13"),
    }
    out = tmp_path / "out"
    for name, (text, day) in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        args = [
            str(tmp_path / f"{name}.txt"),
            "--gazetteer",
            str(tiny_gazetteer),
            "--output",
            str(out / f"{name}.jsonl"),
        ]
        assert runner.invoke(app, args + (["--published", day] if day else [])).exit_code == 0
    (row,) = json.loads(runner.invoke(tools, ["timeline", str(out), "--format", "json"]).stdout)
    assert (row["latest"]["status"], row["latest"]["date"], row["latest"]["doc_id"]) == (
        "fallen",
        "2030-03-12",
        "a",
    )
    assert "fallen claimed and denied (c)" in row["disagreements"]  # rebels retaking is a fall
    geojson = tmp_path / "timeline.geojson"
    assert (
        runner.invoke(
            tools, ["timeline", str(out), "--format", "geojson", "--output", str(geojson)]
        ).exit_code
        == 0
    )
    (feature,) = json.loads(geojson.read_text())["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [20.0, 10.0]}
    assert feature["properties"]["status"] == "fallen"
    acled = runner.invoke(tools, ["timeline", str(out), "--format", "acled"]).stdout
    (acled_row,) = csv.DictReader(io.StringIO(acled))
    assert (acled_row["event_date"], acled_row["sub_event_type"]) == (
        "2030-03-12",
        "Non-state actor overtakes territory",
    )


@pytest.mark.parametrize("fmt", list(Format))
def test_batch_to_one_file_holds_every_record_in_input_order(
    corpus: Path, tmp_path: Path, tiny_gazetteer: Path, fmt: Format
) -> None:
    (corpus / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    target = tmp_path / f"all{EXTENSIONS[fmt]}"
    paths = [str(corpus / f"{name}.txt") for name in ("two", "broken", "one", "three")]
    args = [*paths, "--gazetteer", str(tiny_gazetteer), "--output", str(target), "--jobs", "1"]
    result = runner.invoke(app, args)  # the format comes from the file's suffix
    assert result.exit_code == 2 and "broken.txt: looks like a PNG image" in result.stderr
    assert target.is_file(), "one file, not a folder named like one"
    each = [Extractor.load(tiny_gazetteer).extract_path(Path(p)) for p in paths if "broken" not in p]
    assert target.read_bytes() == render_bytes([r for rs in each for r in rs], fmt)
    assert not list(tmp_path.glob(".*.tmp")) and not list(tmp_path.glob("*/.*.tmp"))


def test_batch_output_is_a_folder_only_when_it_says_so(
    corpus: Path, tmp_path: Path, tiny_gazetteer: Path
) -> None:
    existing = tmp_path / "existing"
    existing.mkdir()
    for output in (f"{tmp_path / 'slash'}/", str(existing)):
        result = runner.invoke(app, [str(corpus), "--gazetteer", str(tiny_gazetteer), "--output", output])
        assert result.exit_code == 0, result.stderr
        assert sorted(p.name for p in Path(output).glob("*.jsonl")) == [
            "one.jsonl",
            "three.jsonl",
            "two.jsonl",
        ]
    plain = tmp_path / "records"
    assert (
        runner.invoke(
            app, [str(corpus), "--gazetteer", str(tiny_gazetteer), "--output", str(plain)]
        ).exit_code
        == 0
    )
    assert plain.is_file() and len(plain.read_text(encoding="utf-8").splitlines()) == 3


@pytest.mark.parametrize("fmt", [Format.csv, Format.geojson, Format.acled, Format.table])
@pytest.mark.parametrize("one_file", [False, True])
def test_batch_check_understands_every_format(
    corpus: Path, tmp_path: Path, tiny_gazetteer: Path, fmt: Format, one_file: bool
) -> None:
    output = str(tmp_path / f"all{EXTENSIONS[fmt]}") if one_file else f"{tmp_path / 'out'}/"
    args = [str(corpus), "--gazetteer", str(tiny_gazetteer), "--output", output, "--format", fmt.value]
    assert runner.invoke(app, args).exit_code == 0
    same = runner.invoke(app, [*args, "--check"])
    assert same.exit_code == 0 and "3 articles match" in same.stderr, same.stdout
    written = Path(output) if one_file else tmp_path / "out" / f"one{EXTENSIONS[fmt]}"
    written.write_text(
        written.read_text(encoding="utf-8").replace("2030-03-02", "2030-03-01"), encoding="utf-8"
    )
    stale = runner.invoke(app, [*args, "--check"])
    assert stale.exit_code == 1
    assert "-" in stale.stdout and "2030-03-01" in stale.stdout and "2030-03-02" in stale.stdout


@pytest.mark.parametrize(
    ("names", "fmt", "refused", "why", "summary"),
    [
        (["x.txt", "x.meta.txt"], "json", "x.meta.json", "the metadata of an article", "1 written"),
        (["cities.txt", "cities.table.txt"], "table", "cities.table.txt", "a text file this", "0 written"),
    ],
)
def test_batch_outputs_in_the_input_folder_never_overwrite_an_input(
    tmp_path: Path, tiny_gazetteer: Path, names: list[str], fmt: str, refused: str, why: str, summary: str
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in names:
        (folder / name).write_text(STORIES["one"], encoding="utf-8")
    (folder / "x.meta.json").write_text('{"published": "2030-03-14"}', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    args = [str(folder), "--gazetteer", str(tiny_gazetteer), "--output", str(folder), "--format", fmt]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert f"{folder / refused}: would overwrite {why}" in result.stderr
    assert f"{summary}, 0 unchanged, 1 failed" in result.stderr
    assert all((folder / name).read_bytes() == data for name, data in before.items())


def test_batch_a_lost_worker_fails_its_article_only(
    corpus: Path, tmp_path: Path, tiny: Extractor, tiny_gazetteer: Path, monkeypatch
) -> None:
    for n in range(5):  # enough articles for a pool of processes, in any version
        (corpus / f"extra{n}.txt").write_text(STORIES["one"], encoding="utf-8")
    (corpus / "crash.txt").write_text(STORIES["one"], encoding="utf-8")
    real_run, test_process = Extractor.run, os.getpid()

    def run(self: Extractor, article: Article, forget_new_words: bool = False) -> Extraction:
        if article.doc_id == "crash" and os.getpid() != test_process:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return real_run(self, article, forget_new_words)

    monkeypatch.setattr(Extractor, "run", run)
    out = tmp_path / "out"
    paths = sorted(corpus.glob("*.txt"))
    outcomes = list(run_batch(paths, tiny, out, Format.jsonl, jobs=2))
    errors = {o.path.name: o.error for o in outcomes if o.error}
    assert list(errors) == ["crash.txt"]
    assert errors["crash.txt"] == (
        f"{corpus / 'crash.txt'}: the process extracting it stopped (killed by signal 9); the others go on"
    )
    assert sorted(p.stem for p in out.glob("*.jsonl")) == sorted(p.stem for p in paths if p.stem != "crash")


def test_batch_an_article_edited_while_it_is_read_is_made_again(
    corpus: Path, tmp_path: Path, tiny: Extractor, tiny_gazetteer: Path, monkeypatch
) -> None:
    article, out = corpus / "one.txt", tmp_path / "out"
    real_read = batch_module.read_task

    def edited_meanwhile(path: Path) -> Task:
        path.write_text("Head\n\nRebels captured Tolbek on March 3.\n", encoding="utf-8")  # saved just now
        return real_read(path)

    monkeypatch.setattr(batch_module, "read_task", edited_meanwhile)
    list(run_batch([article], tiny, out, Format.jsonl, jobs=1))
    monkeypatch.undo()
    assert "Tolbek" in (out / "one.jsonl").read_text()
    article.write_text(STORIES["one"], encoding="utf-8")  # the edit is undone
    (outcome,) = run_batch([article], tiny, out, Format.jsonl, jobs=1)
    assert not outcome.skipped  # the output was made from the edit, not from this text
    assert "Kelmar" in (out / "one.jsonl").read_text()


def test_batch_reads_each_article_once_and_workers_open_none(
    corpus: Path, tmp_path: Path, tiny: Extractor, monkeypatch
) -> None:
    import pipeline.article as article_module

    for n in range(6):  # more articles than a worker is sent at once
        (corpus / f"extra{n}.txt").write_text(STORIES["one"], encoding="utf-8")
    real_read, test_process = article_module.read_capped, os.getpid()
    opened: list[str] = []

    def counted(path: Path, limit: int, what: str = "files") -> bytes:
        if os.getpid() != test_process:
            raise AssertionError(f"a worker opened {path}")  # becomes that article's error
        opened.append(Path(path).name)
        return real_read(path, limit, what)

    monkeypatch.setattr(article_module, "read_capped", counted)
    paths = sorted(corpus.glob("*.txt"))
    outcomes = list(run_batch(paths, tiny, tmp_path / "out", Format.jsonl, jobs=2))
    assert [o.error for o in outcomes] == [None] * len(paths)
    articles = [name for name in opened if name.endswith(".txt")]
    assert sorted(articles) == sorted(p.name for p in paths)  # each once, here
    assert sorted(name for name in opened if name.endswith(".meta.json")) == [
        "one.meta.json",
        "three.meta.json",
        "two.meta.json",
    ]
