"""Batches on a Dask cluster: a real LocalCluster, two worker processes over TCP on the
loopback, against the same batch run here, byte for byte."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster
from typer.testing import CliRunner

from pipeline import Extractor
from pipeline.article import input_digest
from pipeline.batch import run_batch
from pipeline.cli import app
from pipeline.cluster import Data, ExtractorPlugin, connect
from pipeline.formats import Format
from pipeline.manifest import read_entries
from pipeline.tasks import Task, extract_task

runner = CliRunner()
BIN = Path(sys.executable).parent  # the installed console scripts
STORIES = [
    "Head\n\nRebels captured Kelmar on March 2.\n",
    "Head\n\nFighting continues in Tolbek, officials said.\n",
    "Head\n\nPort Ardin fell to the rebels on Monday.\n",
    "Head\n\nNothing happened anywhere today.\n",
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        protocol="tcp",
        dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture
def address(cluster: LocalCluster) -> str:
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=60)  # a worker a test killed is back
    return cluster.scheduler_address


def articles(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i:03}.txt").write_text(STORIES[i % len(STORIES)] + f"\nUpdate {i}.\n", encoding="utf-8")
        (folder / f"a{i:03}.meta.json").write_text('{"published": "2030-03-14"}', encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    return folder


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.suffix == ".jsonl"}


def test_cluster_batch_writes_what_a_local_batch_writes(
    tmp_path: Path, tiny_gazetteer: Path, address: str
) -> None:
    corpus = articles(tmp_path / "corpus", 30)
    common = [str(corpus), "--gazetteer", str(tiny_gazetteer)]
    here = runner.invoke(app, [*common, "--output", f"{tmp_path / 'here'}/", "--jobs", "1"])
    there = runner.invoke(app, [*common, "--output", f"{tmp_path / 'there'}/", "--scheduler", address])
    assert (here.exit_code, there.exit_code) == (2, 2)  # the bad file, reported the same way
    for result in (here, there):
        assert "30 written, 0 unchanged, 1 failed" in result.stderr
        assert f"failed: {corpus / 'broken.txt'}: looks like a PNG image" in result.stderr
    assert len(outputs(tmp_path / "there")) == 30
    assert outputs(tmp_path / "there") == outputs(tmp_path / "here")
    assert read_entries(tmp_path / "there") == read_entries(tmp_path / "here")
    (corpus / "a001.txt").write_text(STORIES[0], encoding="utf-8")
    again = runner.invoke(app, [*common, "--output", f"{tmp_path / 'there'}/", "--scheduler", address])
    assert "1 written, 29 unchanged, 1 failed" in again.stderr
    for where in (["--jobs", "1"], ["--scheduler", address]):  # one file of every record, in input order
        one_file = runner.invoke(app, [*common, "--output", str(tmp_path / f"{where[0]}.csv"), *where])
        assert one_file.exit_code == 2
    assert (tmp_path / "--jobs.csv").read_bytes() == (tmp_path / "--scheduler.csv").read_bytes()


def test_cluster_batch_finishes_when_a_worker_is_killed(
    tmp_path: Path, tiny: Extractor, tiny_gazetteer: Path, address: str
) -> None:
    corpus = articles(tmp_path / "corpus", 60)
    paths = sorted(corpus.glob("a*.txt"))
    local = list(run_batch(paths, tiny, tmp_path / "here", Format.jsonl, jobs=1))
    with connect(address) as remote, Client(address, set_as_default=False) as spy:
        batch = run_batch(paths, tiny, tmp_path / "there", Format.jsonl, runner=remote)
        first = next(batch)
        pids = spy.run(os.getpid)
        os.kill(next(iter(pids.values())), signal.SIGKILL)  # as the out-of-memory killer would
        rest = list(batch)
    assert [o.error for o in [first, *rest]] == [None] * len(paths)
    assert [o.path for o in [first, *rest]] == [o.path for o in local]
    assert outputs(tmp_path / "there") == outputs(tmp_path / "here")


def test_cluster_unreachable_scheduler_is_one_line_and_exit_2(tmp_path: Path, tiny_gazetteer: Path) -> None:
    corpus = articles(tmp_path / "corpus", 1)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for address, message in [
        (f"tcp://127.0.0.1:{port}", "cannot reach the Dask scheduler"),
        ("127.0.0.1", "not a scheduler's address"),
    ]:
        command = [str(BIN / "extract"), str(corpus), "--gazetteer", str(tiny_gazetteer)]
        command += ["--output", f"{tmp_path / 'out'}/", "--scheduler", address]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"error: {address}: {message}"), line
    assert not (tmp_path / "out").exists()


def test_cluster_data_travels_with_the_tasks(tmp_path: Path, tiny_gazetteer: Path, tiny: Extractor) -> None:
    gazetteer = shutil.copytree(tiny_gazetteer, tmp_path / "gazetteer")
    extractor = Extractor.load(gazetteer, country="ZZ")
    data = Data.of(extractor.sources)
    shutil.rmtree(gazetteer)  # a worker on another machine has no such folder
    assert data.load().fingerprint == extractor.fingerprint
    story = STORIES[0].encode()
    task = Task(Path("/elsewhere/a.txt"), story, None, input_digest(story, None))  # never opened
    (record,) = extract_task(tiny, task, None).records
    assert record.place.name == "Kelmar" and record.doc_id == "a"


def test_cluster_worker_with_other_code_is_refused(tiny: Extractor) -> None:
    plugin = ExtractorPlugin(Data.of(tiny.sources), "the fingerprint of other code")
    plugin.setup(worker=None)
    assert plugin.state is None
    assert (
        plugin.problem == "runs other code than this machine; install the same version of the project there"
    )
