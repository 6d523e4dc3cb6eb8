"""Bad input gets a clear error, nothing is lost, nothing hangs, nothing leaves the folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmarks.layouts import LAYOUTS, Names, plain, seconds
from pipeline import Extractor
from pipeline.article import MAX_BYTES, normalise, read_article
from pipeline.batch import cpus, output_name, write_atomic
from pipeline.cli import app, tools
from pipeline.errors import InputError, PipelineError
from pipeline.formats import Format
from pipeline.records import read_jsonl
from tests.conftest import TINY

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def refuse_to_open(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Opening a file called `name` fails as an unreadable file does."""
    real = os.open

    def refusing(path: object, *args: object, **kwargs: object) -> int:
        if Path(str(path)).name == name:
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing)


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
        (b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">', "is an HTML page"),
        (b"<div class='story'><p>Kelmar fell.</p><p>More.</p></div>", "is an HTML page"),
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

    refuse_to_open(monkeypatch, "locked.txt")
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
    story = "Head\n\n" + "".join(
        f"Rebels captured {p} on March {{day}}.\n\n" for p in ("Kelmar", "Tolbek", "Dunmore")
    )
    for n in range(300):
        (corpus / f"a{n:03}.txt").write_text(story.format(day=n % 28 + 1) * 20)
    extract = [sys.executable, "-m", "pipeline", str(corpus), "--gazetteer", str(tiny_gazetteer)]
    args = extract + ["--output", f"{out}/", "--jobs", "1", "--published", "2030-03-30", "--quiet"]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.jsonl"))) < 3:
        time.sleep(0.05)
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    done = list(out.glob("*.jsonl"))
    assert 3 <= len(done) < 300, "the batch was not interrupted mid-way"
    for path in done:  # whole files only: three complete records each
        assert len(read_jsonl(path.read_text(), str(path))) == 3
    finish = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert finish.returncode == 0
    assert len(list(out.glob("*.jsonl"))) == 300
    # a run deletes only what it made: a kill -9 in the midst of a write may leave its file
    assert len(list(out.glob(".*.tmp"))) <= (1 if sig == signal.SIGKILL else 0)


def test_reliability_failed_write_leaves_the_old_output(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out" / "a.jsonl"
    write_atomic(target, "old\n")

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(PipelineError, match="a.jsonl: cannot write output \\(No space left on device\\)"):
        write_atomic(target, "new\n" * 1000)
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.jsonl"]


def test_reliability_long_runs_without_spaces_are_broken_up() -> None:
    noise = ".,;:!?-" * 30000 + " Kelmar " + "x" * 250
    norm = normalise(noise)
    assert len(norm) == len(noise)
    assert max(len(run) for run in norm.split()) <= 100  # the tokenizer's cost is quadratic in a run
    assert " Kelmar " in norm


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--published", "2021-13-01"], "error: --published: '2021-13-01' is not a date; use YYYY-MM-DD"),
        (["-q", "-v"], "error: --quiet and --verbose: choose one"),
        (["--jobs", "0"], "--jobs"),
    ],
)
def test_reliability_bad_options_are_named(
    tmp_path: Path, tiny_gazetteer: Path, args: list[str], message: str, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a usage error must write nothing, not even to outputs/
    path = tmp_path / "story.txt"
    path.write_text("Head\n\nRebels captured Kelmar on March 2.\n", encoding="utf-8")
    result = runner.invoke(app, [str(path), "--gazetteer", str(tiny_gazetteer), *args])
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "outputs").exists()


def test_reliability_bad_metadata_and_rules_name_file_and_field(tmp_path: Path, tiny_gazetteer: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Head\n\nRebels captured Kelmar on March 2.\n", encoding="utf-8")
    (tmp_path / "story.meta.json").write_text('{"published": "yesterday"}')
    result = run(path, tiny_gazetteer)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert f"{tmp_path / 'story.meta.json'}: published: " in result.stderr
    rules = tmp_path / "rules"
    shutil.copytree(str(resources.files("pipeline.rules")), rules)
    with (rules / "status.jsonl").open("a") as handle:
        handle.write(
            '{"id": "fallen.odd", "label": "fell", "target": "subject", "pattern": [{"LOWER": "x"}]}\n'
        )
    lines = (rules / "status.jsonl").read_text().splitlines()
    result = run(path, tiny_gazetteer, "--rules", str(rules))
    assert result.exit_code == 2
    assert f"status.jsonl:{len(lines)}: label: Input should be" in result.stderr


def test_reliability_unreadable_file_in_a_batch(tmp_path: Path, tiny_gazetteer: Path, monkeypatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("good", "locked"):
        (corpus / f"{name}.txt").write_text("Head\n\nRebels captured Kelmar on March 2.\n", encoding="utf-8")
    refuse_to_open(monkeypatch, "locked.txt")  # as root, a file's mode cannot stop this test
    result = runner.invoke(
        app, [str(corpus), "--gazetteer", str(tiny_gazetteer), "--output", f"{tmp_path / 'o'}/"]
    )
    assert result.exit_code == 2
    assert f"failed: {corpus / 'locked.txt'}: cannot read (Permission denied)" in result.stderr
    assert (tmp_path / "o" / "good.jsonl").exists()


def console(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pipeline", *args]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)


def test_reliability_closed_pipe_and_full_disk_on_stdout() -> None:
    reader = subprocess.Popen(
        f"{sys.executable} -m pipeline corpus/article.txt --output - | head -c 10",
        shell=True,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = reader.communicate(timeout=120)
    assert len(out) == 10 and "Traceback" not in err
    with open("/dev/full", "w") as full:
        result = console("corpus/article.txt", "--output", "-", stdout=full.fileno())
    assert result.returncode == 2
    assert result.stderr.strip().endswith("error: cannot write output (No space left on device)")


def test_reliability_workers_exit_when_the_parent_is_killed(tmp_path: Path, tiny_gazetteer: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(400):
        (corpus / f"a{n:03}.txt").write_text("Head\n\nRebels captured Kelmar on March 2.\n" * 200)
    args = [sys.executable, "-m", "pipeline", str(corpus), "--gazetteer", str(tiny_gazetteer)]
    proc = subprocess.Popen(args + ["--output", f"{tmp_path / 'out'}/", "--jobs", "2", "-q"], cwd=ROOT)
    children: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(children) < min(2, cpus()):
        time.sleep(0.1)
        listing = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        children = [int(c) for c in listing.read_text().split()] if listing.exists() else []
    assert len(children) >= min(2, cpus()), "no worker processes were started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{c}").exists() for c in children):
        time.sleep(0.2)
    alive = [
        c
        for c in children
        if Path(f"/proc/{c}").exists() and "Z" not in Path(f"/proc/{c}/stat").read_text().split()[2]
    ]
    assert alive == []


# -- under attack: writes, bounded work, batches that never abort ---------------------------

BIN = Path(sys.executable).parent  # the installed console scripts
STORY = "Head\n\nRebels captured Kelmar on March 2.\n"


def script(
    name: str, *args: str, timeout: float = 120, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run an installed console script; a hang fails the test instead of stopping the run."""
    command = [str(BIN / name), *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env)


def special(path: Path, kind: str, device: tuple[int, int] = (1, 3)) -> None:
    """A FIFO, or a character device node (1, 3 is the null device; 1, 5 the zero device)
    made here with mknod: never the machine's own /dev."""
    if kind == "fifo":
        os.mkfifo(path)
        return
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(*device))
    except PermissionError:
        pytest.skip("mknod is not permitted here; the FIFO case covers the same code")


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_reliability_a_device_or_fifo_output_is_written_to_not_replaced(
    tmp_path: Path, tiny_gazetteer: Path, kind: str
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(STORY, encoding="utf-8")
    target = tmp_path / "node"
    special(target, kind)
    reader = os.open(target, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO's reader, there before the writer
    try:
        result = script("extract", str(article), "--output", str(target), "--gazetteer", str(tiny_gazetteer))
        assert result.returncode == 0, result.stderr
        if kind == "fifo":
            assert b'"name":"Kelmar"' in os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    mode = os.lstat(target).st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISCHR(mode), "the node was replaced"


def test_reliability_a_fifo_nobody_reads_is_refused_and_kept(tmp_path: Path, tiny_gazetteer: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(STORY, encoding="utf-8")
    target = tmp_path / "fifo"
    os.mkfifo(target)
    result = script("extract", str(article), "--output", str(target), "--gazetteer", str(tiny_gazetteer))
    assert result.returncode == 2
    assert f"error: {target}: is a FIFO that nothing reads; start its reader first" in result.stderr
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


def test_reliability_planted_links_are_never_followed(
    tmp_path: Path, tiny_gazetteer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "a.jsonl"
    planted = [shared / f".a.jsonl.{os.getpid()}.tmp", shared / ".a.jsonl.guessed.tmp"]
    for link in planted:  # the old predictable name, and the first name this run will try
        link.symlink_to(outside)
    names = iter(["guessed", "fresh"])
    monkeypatch.setattr(secrets, "token_hex", lambda n: next(names))
    write_atomic(target, "records\n")
    assert outside.read_text() == "precious"
    assert not target.is_symlink() and target.read_text() == "records\n"
    assert all(link.is_symlink() for link in planted)  # not ours: left alone
    monkeypatch.undo()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "b.txt").write_text(STORY, encoding="utf-8")
    (shared / "b.jsonl").symlink_to(outside)  # an output's own name, planted in a shared folder
    result = script("extract", str(corpus), "--output", str(shared), "--gazetteer", str(tiny_gazetteer))
    assert result.returncode == 2
    assert f"failed: {shared / 'b.jsonl'}: is a symbolic link, not a regular file" in result.stderr
    assert outside.read_text() == "precious" and (shared / "b.jsonl").is_symlink()


def test_reliability_a_batch_deletes_only_what_it_made(tmp_path: Path, tiny_gazetteer: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    out.mkdir()
    (corpus / "one.txt").write_text(STORY, encoding="utf-8")
    others = [out / ".mydraft.tmp", out / ".one.jsonl.4242.tmp"]  # a user's, another run's
    for path in others:
        path.write_text("not yours", encoding="utf-8")
    result = script("extract", str(corpus), "--output", f"{out}/", "--gazetteer", str(tiny_gazetteer))
    assert result.returncode == 0, result.stderr
    assert all(path.read_text() == "not yours" for path in others)
    assert sorted(p.name for p in out.iterdir()) == [
        ".manifest.db",
        ".mydraft.tmp",
        ".one.jsonl.4242.tmp",
        "one.jsonl",
    ]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_reliability_devices_and_fifos_are_refused_as_inputs(
    tmp_path: Path, tiny_gazetteer: Path, kind: str
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(STORY, encoding="utf-8")
    special(corpus / "node.txt", kind, device=(1, 5))  # a FIFO nothing writes to, or a zero device
    (corpus / "meta.txt").write_text(STORY, encoding="utf-8")
    special(corpus / "meta.meta.json", "fifo")
    out = tmp_path / "out"
    result = script(
        "extract", str(corpus), "--output", f"{out}/", "--gazetteer", str(tiny_gazetteer), timeout=60
    )
    assert result.returncode == 2
    what = "a FIFO (named pipe)" if kind == "fifo" else "a device"
    assert f"failed: {corpus / 'node.txt'}: is {what}, not a regular file" in result.stderr
    assert f"failed: {corpus / 'meta.meta.json'}: is a FIFO (named pipe), not a regular file" in result.stderr
    assert [p.name for p in out.glob("*.jsonl")] == ["good.jsonl"]
    records = tmp_path / "records.jsonl"
    special(records, kind, device=(1, 5))
    for args in (["timeline", str(records)], ["diff", str(out / "good.jsonl"), str(records)]):
        result = script("capitals", *args, timeout=60)
        assert result.returncode == 2 and f"error: {records}: is {what}, not a regular file" in result.stderr


def test_reliability_metadata_is_read_with_a_cap_and_strictly(tmp_path: Path, tiny_gazetteer: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(STORY, encoding="utf-8")
    meta = tmp_path / "a.meta.json"
    cases = {
        json.dumps({"source": "x" * 50_000_000}): "is over 65,536 bytes; metadata files over 65,536 bytes",
        json.dumps({"source": "x" * 300}): "source: String should have at most 200 characters",
        '{"published": 0}': "published: Input should be a valid date",
        '{"published": ' + "[" * 30_000 + "]" * 30_000 + "}": "a.meta.json:1: not valid JSON (recursion",
    }
    for text, message in cases.items():
        meta.write_text(text, encoding="utf-8")
        result = run(article, tiny_gazetteer)
        assert (result.exit_code, result.stdout) == (2, "")
        assert message in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr


def rules_copy(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(str(resources.files("pipeline.rules")), rules)
    return rules


@pytest.mark.parametrize(
    ("file", "edit", "message"),
    [
        ("blocks.json", ("heading", "^(a+)+$"), "'^(a+)+$' may take exponential time"),
        ("blocks.json", ("table_separator", "\\s*\\|\\s*"), "may take quadratic time on a long line"),
        ("blocks.json", ("heading", "(unclosed"), "is not a valid regular expression"),
        ("status.jsonl", [{"LOWER": {"REGEX": "(unclosed"}}], "REGEX '(unclosed' is not a valid regular"),
        ("status.jsonl", [{"TEXT": {"REGEX": "(\\w+\\s?)*x"}}], "may take exponential time"),
        ("status.jsonl", "empty", "status.jsonl: has no rules"),
    ],
)
def test_reliability_rules_that_could_hang_or_crash_are_refused_on_load(
    tmp_path: Path, tiny_gazetteer: Path, file: str, edit: object, message: str
) -> None:
    rules = rules_copy(tmp_path)
    if file == "blocks.json":
        name, pattern = edit  # type: ignore[misc]
        blocks = json.loads((rules / file).read_text())
        blocks[name].append(pattern)
        (rules / file).write_text(json.dumps(blocks))
    elif edit == "empty":
        (rules / file).write_text("// nothing\n")
    else:
        rule = {"id": "fallen.odd", "label": "fallen", "target": "subject", "pattern": edit}
        with (rules / file).open("a") as handle:
            handle.write(json.dumps(rule) + "\n")
    article = tmp_path / "a.txt"
    article.write_text("Head\n\n" + "a" * 80 + "!\n\n" + STORY, encoding="utf-8")
    result = script(
        "extract", str(article), "--rules", str(rules), "--gazetteer", str(tiny_gazetteer), timeout=60
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert message in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr


@pytest.mark.parametrize("content", ["nested", "empty"])
def test_reliability_bad_gazetteers_are_errors(tmp_path: Path, content: str) -> None:
    gazetteer = tmp_path / "g"
    gazetteer.mkdir()
    nested = '{"country": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    (gazetteer / "zz.jsonl").write_text(nested if content == "nested" else "\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(STORY, encoding="utf-8")
    result = script("extract", str(article), "--gazetteer", str(gazetteer), "--output", "-")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    expected = "zz.jsonl:1: nested too deeply" if content == "nested" else f"{gazetteer}: has no entries"
    assert expected in result.stderr, result.stderr


@pytest.mark.parametrize("how", ["option", "environment"])
def test_reliability_an_article_over_the_time_limit_fails_alone(
    tmp_path: Path, tiny_gazetteer: Path, how: str
) -> None:
    rules = rules_copy(tmp_path)  # a rule the load-time check cannot see is slow: the limit stops it
    blocks = json.loads((rules / "blocks.json").read_text())
    blocks["heading"].append("(a|aa)+$")
    (rules / "blocks.json").write_text(json.dumps(blocks))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "c"):
        (corpus / f"{name}.txt").write_text(STORY, encoding="utf-8")
    # a place and a trigger, so that the first pass (pipeline/prefilter.py) sends it on to the layout
    slow = "Head\n\nRebels captured Kelmar.\n\n" + "a" * 80 + "!\n"
    (corpus / "b.txt").write_text(slow, encoding="utf-8")
    out = tmp_path / "out"
    args = [str(corpus), "--output", f"{out}/", "--rules", str(rules), "--gazetteer", str(tiny_gazetteer)]
    environment = {**os.environ, "CAPITALS_TIMEOUT": "1"}
    if how == "option":
        result = script("extract", *args, "--timeout", "1", "--jobs", "1", timeout=90)
    else:
        result = script("extract", *args, "--jobs", "1", timeout=90, env=environment)
    assert result.returncode == 2
    assert f"failed: {corpus / 'b.txt'}: took longer than 1 s, the time limit per article" in result.stderr
    assert "2 written, 0 unchanged, 1 failed" in result.stderr
    assert sorted(p.name for p in out.glob("*.jsonl")) == ["a.jsonl", "c.jsonl"]


def test_reliability_a_factbox_ending_in_an_empty_entry(tiny: Extractor) -> None:
    entries = "; ".join(
        f"{place}, Northvale prov.: captured Aug. {n}"
        for n, place in enumerate(["Kelmar", "Tolbek", "Dunmore"], 6)
    )
    text = f"Head\n\nCAPTURED: {entries}; \nMore text.\n"
    records = tiny.extract_text(text, published=dt.date(2030, 8, 20))
    assert [(r.place.name, r.date) for r in records] == [
        ("Kelmar", "2030-08-06"),
        ("Tolbek", "2030-08-07"),
        ("Dunmore", "2030-08-08"),
    ]


def test_reliability_bad_paths_are_their_own_errors(tmp_path: Path, tiny_gazetteer: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(STORY, encoding="utf-8")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    too_long = corpus / ("x" * 300 + ".txt")
    out = tmp_path / "out"
    result = script(
        "extract", str(corpus), str(too_long), "--output", f"{out}/", "--gazetteer", str(tiny_gazetteer)
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"failed: {corpus / 'loop.txt'}: cannot read (Too many levels of symbolic links)" in result.stderr
    assert f"failed: {too_long}: cannot read (File name too long)" in result.stderr
    assert [p.name for p in out.glob("*.jsonl")] == ["good.jsonl"]


@pytest.mark.parametrize("separator", ["\u2028", "\u0085", "\u2029"])
def test_reliability_what_extract_writes_diff_and_timeline_read(
    tmp_path: Path, tiny_gazetteer: Path, separator: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    article = tmp_path / "a.txt"
    article.write_text(f"Head\n\nRebels captured{separator}Kelmar on March 2.\n", encoding="utf-8")
    records = tmp_path / "a.jsonl"
    args = ["--gazetteer", str(tiny_gazetteer), "--published", "2030-03-14"]
    assert runner.invoke(app, [str(article), "--output", str(records), *args]).exit_code == 0
    assert separator in records.read_text(encoding="utf-8")
    same = runner.invoke(tools, ["diff", str(records), str(records)])
    assert (same.exit_code, same.stdout) == (0, "no differences\n"), same.stderr
    timeline = runner.invoke(tools, ["timeline", str(records), "--output", "-"])
    assert timeline.exit_code == 0 and "Kelmar" in timeline.stdout, timeline.stderr
    assert not (tmp_path / "-").exists()  # '-' is standard output, not a file of that name


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31"])
def test_reliability_dates_at_the_ends_of_the_calendar(tiny: Extractor, published: str) -> None:
    text = "Head\n\nRebels captured Kelmar on Monday. Tolbek fell a day earlier. Dunmore fell on March 2.\n"
    records = tiny.extract_text(text, published=dt.date.fromisoformat(published))
    assert sorted(r.place.name for r in records) == ["Dunmore", "Kelmar", "Tolbek"]


def test_reliability_bad_record_files_and_a_closed_stdout(tmp_path: Path, tiny_gazetteer: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"schema_version": "2", "doc_id": "\xff"}\n')
    for args in (["timeline", str(bad)], ["diff", str(bad), str(bad)]):
        result = runner.invoke(tools, args)
        assert result.exit_code == 2
        assert result.stderr == f"error: {bad}: not UTF-8 (byte 35); records are written as UTF-8\n"
    article = tmp_path / "a.txt"
    article.write_text(STORY, encoding="utf-8")
    closed = subprocess.run(
        f"'{BIN / 'extract'}' '{article}' --output - --gazetteer '{tiny_gazetteer}' >&-",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert closed.returncode == 2
    assert closed.stderr.splitlines()[-1] == "error: cannot write output (Bad file descriptor)"


def test_reliability_the_timeline_never_writes_nan(tmp_path: Path, tiny: Extractor) -> None:
    (record,) = tiny.extract_text(STORY, published=dt.date(2030, 3, 14))
    line = record.model_dump_json().replace('"lat":10.0', '"lat":NaN')
    (tmp_path / "a.jsonl").write_text(line + "\n", encoding="utf-8")
    result = script("capitals", "timeline", str(tmp_path), "--format", "geojson")
    assert result.returncode == 2 and "NaN" not in result.stdout
    assert f"{tmp_path / 'a.jsonl'}:1: not a record" in result.stderr


# -- time: linear in the input, whatever its layout -------------------------------------------

NAMES = Names(
    capitals=[e["capital"] for e in TINY] + [a for e in TINY for a in e["capital_aliases"]],
    provinces=[e["province"] for e in TINY],
)
FRAGMENTS = [
    *NAMES.capitals,
    *NAMES.provinces,
    "fell",
    "captured",
    "retook",
    "fell to the rebels on",
    "was not captured",
    "have fallen since",
    "the city",
    "the capital of",
    "province",
    "March 2",
    "Monday",
    "a day later",
    "2030-03-02",
    "|",
    "\t",
    " " * 40,
    "- ",
    "1. ",
    ":",
    ";",
    ",",
    "and",
    "(",
    ")",
    "which",
    "officials said",
    "10:32 GMT\n",
    "CAPTURED:",
    ".",
    "\n",
]
SIZES = (50_000, 100_000, 200_000)
RATIO = 5  # the most an input may cost, per character, against a plain article


@dataclass(frozen=True)
class Layout:
    """How to make an adversarial text: a layout of the benchmark's (`kind`), or a line of
    fragments repeated to `size` with other capitals each time. A failing example prints as
    this recipe, not as 200 KB of text."""

    size: int
    seed: int
    kind: str | None = None
    line: tuple[str, ...] = ()
    joiner: str = "\n"

    def text(self) -> str:
        rng = random.Random(self.seed)
        if self.kind is not None:
            return LAYOUTS[self.kind](NAMES, self.size, rng)
        pieces, total = ["Head\n\n"], 6
        while total < self.size:
            words = (rng.choice(NAMES.capitals) if f in NAMES.capitals else f for f in self.line)
            piece = " ".join(words) + self.joiner
            pieces.append(piece)
            total += len(piece)
        return "".join(pieces)


@st.composite
def adversarial(draw: st.DrawFn) -> Layout:
    size, seed = draw(st.sampled_from(SIZES)), draw(st.integers(0, 1000))
    if draw(st.booleans()):
        return Layout(size, seed, kind=draw(st.sampled_from(sorted(LAYOUTS))))
    line = draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12))
    return Layout(size, seed, line=tuple(line), joiner=draw(st.sampled_from(["\n", "\n\n", " ", ""])))


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(adversarial())
def test_reliability_time_is_linear_in_any_layout(tiny: Extractor, plain_seconds, layout: Layout) -> None:
    text = layout.text()
    ratio = seconds(tiny, text) / plain_seconds(layout.size)
    if ratio > RATIO:  # a busy moment of a shared machine? measure again before failing
        ratio = seconds(tiny, text, rounds=2) / plain_seconds(layout.size, again=True)
    assert ratio <= RATIO, f"{len(text)} characters took {ratio:.1f} times a plain article's time"


@pytest.fixture(scope="module")
def plain_seconds(tiny: Extractor):
    """Seconds for a plain article of each size, measured once in this run (best of three)."""
    measured: dict[int, float] = {}

    def measure(size: int, again: bool = False) -> float:
        if size not in measured or again:
            measured[size] = seconds(tiny, plain(NAMES, size, random.Random(size)), rounds=3)
        return measured[size]

    return measure
