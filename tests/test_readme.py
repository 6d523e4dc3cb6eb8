"""The README's examples run as shown: each is taken from the README itself and run."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    start = README.index(heading + "\n")
    following = re.search(r"\n#{2,3} ", README[start + len(heading) :])
    return README[start : start + len(heading) + following.start()] if following else README[start:]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder laid out like the project: corpus/ and .venv/ at hand; the gazetteer is the
    one that ships in the package."""
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_spacy_example_prints_what_it_says(project: Path) -> None:
    (code,) = blocks(section("### In a spaCy pipeline"), "python")
    expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    assert out.getvalue().splitlines() == expected
    saved = project / "capitals_model" / "capital_status" / "gazetteer"
    assert (saved / "af.jsonl").exists() and (saved / "actors" / "af.json").exists()


def test_readme_acled_example_writes_acled_rows(project: Path) -> None:
    (code,) = blocks(section("### ACLED-shaped CSV"), "sh")
    command = code.split("#")[0].strip()
    subprocess.run(["bash", "-c", command], check=True, capture_output=True)
    with (project / "events.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:6] == [
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "disorder_type",
        "event_type",
    ]
    goldens = [line for path in (ROOT / "outputs").glob("*.jsonl") for line in path.read_text().splitlines()]
    assert len(rows) == len(goldens)  # one row per record of the corpus


def test_readme_review_example_writes_a_page_of_the_corpus(project: Path) -> None:
    (code,) = blocks(section("A review page in the browser:"), "sh")
    (project / "outputs").symlink_to(ROOT / "outputs")
    for line in code.strip().splitlines():
        subprocess.run(["bash", "-c", line.split("#")[0]], check=True, capture_output=True)
    page = (project / "review.html").read_text(encoding="utf-8")  # the last one: --against outputs/
    goldens = [line for path in (ROOT / "outputs").glob("*.jsonl") for line in path.read_text().splitlines()]
    assert page.count("<tr data-key=") == len(goldens)
    assert page.count('<div class="text">') == len(list(project.glob("corpus/*.txt")))
    assert "article not found" not in page and "<p>no differences</p>" in page
