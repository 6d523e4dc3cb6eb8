"""Bad input gets a clear error, nothing is lost, nothing hangs, nothing leaves the folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import Extractor
from pipeline.article import MAX_BYTES, read_article
from pipeline.batch import output_name
from pipeline.cli import app
from pipeline.errors import InputError
from pipeline.formats import Format

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def run(path: Path, gazetteer: Path, *extra: str):
    return runner.invoke(app, [str(path), "--gazetteer", str(gazetteer), "--output", "-", *extra])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "looks like a JPEG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "looks like a ZIP archive"),
        (b"Kelmar\x00fell\x00", "NUL bytes"),
        (b"<!DOCTYPE html><html><body><p>Kelmar fell.</p></body></html>", "is an HTML page"),
        (b"\xff\xfeK\x00\x00\xd8", "broken UTF-16"),
    ],
)
def test_reliability_non_text_is_refused_by_name(
    tmp_path: Path, tiny_gazetteer: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    result = run(path, tiny_gazetteer)
    assert result.exit_code == 2
    assert f"{path}: " in result.stderr and message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("text", ["", "   \n\n\t  \r\n", "A boy in Kelmar, which fell on March 2 [AFP]\n"])
def test_reliability_empty_blank_and_caption_only_give_no_records(
    tmp_path: Path, tiny_gazetteer: Path, text: str
) -> None:
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    result = run(path, tiny_gazetteer, "--published", "2030-03-14")
    assert (result.exit_code, result.stdout) == (0, "")


def test_reliability_missing_folder_and_unreadable(tmp_path: Path, tiny_gazetteer: Path, monkeypatch) -> None:
    assert "no such file" in run(tmp_path / "none.txt", tiny_gazetteer).stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no articles found" in run(empty, tiny_gazetteer).stderr
    path = tmp_path / "locked.txt"
    path.write_text("Kelmar fell.", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InputError, match="locked.txt: cannot read \\(Permission denied\\)"):
        read_article(path)


def test_reliability_cp1252_fallback_is_stated(tmp_path: Path, tiny: Extractor) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Head\n\nRebels captured Kelmar on March 2 \u2013 officials.\n".encode("cp1252"))
    result = tiny.run(read_article(path))
    assert result.records[0].place.name == "Kelmar"
    assert any("not UTF-8 (byte" in w and "read as cp1252" in w for w in result.warnings)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_reliability_line_endings_keep_offsets(tmp_path: Path, tiny: Extractor, newline: str) -> None:
    text = newline.join(
        ["Head", "", "Rebels captured Kelmar on March 2.", "", "Fighting continues in Tolbek."]
    )
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode())
    records = tiny.extract_path(path)
    assert len(records) == 2
    decoded = path.read_bytes().decode()
    for r in records:
        assert decoded[r.evidence.start : r.evidence.end] == r.evidence.text


def test_reliability_huge_input_is_refused_with_the_limit(tmp_path: Path, tiny_gazetteer: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write(b"x" * (MAX_BYTES + 1))  # a single line, larger than the limit
    result = run(path, tiny_gazetteer)
    assert result.exit_code == 2 and f"over {MAX_BYTES:,} bytes are refused" in result.stderr


def test_reliability_adversarial_text_completes(tiny: Extractor) -> None:
    noise = " ".join(["August", "12", "2021", ",", "Monday", "1", "-", "the", "day", "before"] * 3000)
    text = "Head\n\n" + noise + "\n\n" + ("-" * 50000) + "\n\nRebels captured Kelmar on March 2."
    records = tiny.extract_text(text, published=None)
    assert [r.place.name for r in records] == ["Kelmar"]


def test_reliability_bad_options_and_unwritable_output(tmp_path: Path, tiny_gazetteer: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Head\n\nRebels captured Kelmar on March 2.\n", encoding="utf-8")
    bad_format = runner.invoke(app, [str(path), "--format", "xml"])
    assert bad_format.exit_code == 2 and "xml" in bad_format.stderr
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder is needed")
    result = runner.invoke(
        app, [str(path), "--gazetteer", str(tiny_gazetteer), "--output", str(blocker / "x.jsonl")]
    )
    assert result.exit_code == 2 and "cannot write output" in result.stderr


@pytest.mark.parametrize(
    "name", ["../../escape.txt", "/abs/path.txt", "..", ".hidden.txt", "a b/c?*.txt", ""]
)
def test_reliability_outputs_stay_in_the_folder(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    target = (out / output_name(Path(name), Format.jsonl)).resolve()
    assert target.parent == out.resolve()
    assert not target.name.startswith(".")


def test_reliability_no_network_at_run_time(tiny_gazetteer: Path, monkeypatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    extractor = Extractor.load(tiny_gazetteer)
    (record,) = extractor.extract_text("Head\n\nRebels captured Kelmar on Aug. 6, 2030.")
    assert record.date == "2030-08-06"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_reliability_killed_batch_leaves_no_partial_output(
    tmp_path: Path, tiny_gazetteer: Path, sig: int
) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    for n in range(300):
        (corpus / f"a{n:03}.txt").write_text(f"Head\n\nRebels captured Kelmar on March {n % 28 + 1}.\n" * 20)
    extract = [sys.executable, "-m", "pipeline", str(corpus), "--gazetteer", str(tiny_gazetteer)]
    args = extract + ["--output", str(out), "--jobs", "1", "--published", "2030-03-30", "--quiet"]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.jsonl"))) < 3:
        time.sleep(0.05)
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    done = list(out.glob("*.jsonl"))
    assert 3 <= len(done) < 300, "the batch was not interrupted mid-way"
    for path in done:
        lines = path.read_text().splitlines()
        assert len(lines) == 1 and lines[0].endswith("}")
    finish = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert finish.returncode == 0
    assert len(list(out.glob("*.jsonl"))) == 300
    assert not list(out.glob(".*.tmp"))
