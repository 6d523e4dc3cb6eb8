"""The installed console scripts as users run them: subprocesses, exit codes, stderr lines,
and the package installed from its wheel into a fresh environment, run outside the repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from pipeline import Extractor, __version__
from pipeline.cache import ENV
from pipeline.records import to_jsonl

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STORY = "Head\n\nRebels captured Kelmar on March 2.\n"


def run(script: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / script), *args], capture_output=True, text=True, timeout=120, cwd=cwd or ROOT
    )


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("story") / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("script", "args", "says"),
    [
        ("extract", ["{story}", "--format", "nope"], "'nope' is not one of"),  # bad choice
        ("extract", ["{story}", "--bogus"], "No such option: --bogus"),  # unknown option
        ("extract", ["{story}", "--jobs", "0"], "--jobs"),  # bad number
        ("extract", ["{story}", "--jobs", "two"], "--jobs"),  # not a number
        ("extract", ["{story}", "--chek"], "No such option: --chek"),  # a typo is not "stale"
        ("extract", [], "Missing argument 'PATH'"),  # missing argument
        ("capitals", [], "Missing command"),  # no command
        ("capitals", ["nope"], "No such command 'nope'"),
        ("capitals", ["diff", "outputs"], "Missing argument"),
        ("capitals", ["diff", "a", "b", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_entry_point_usage_error_is_one_line_and_exit_2(
    script: str, args: list[str], says: str, story: Path
) -> None:
    result = run(script, *[a.format(story=story) for a in args])
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: ") and says in result.stderr
    assert f"see '{script}" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("script", ["extract", "capitals"])
def test_entry_point_short_help_and_version(script: str) -> None:
    short, long = run(script, "-h"), run(script, "--help")
    assert short.returncode == 0 and short.stdout == long.stdout and "Usage:" in short.stdout
    version = run(script, "--version")
    assert version.returncode == 0 and version.stdout == f"capitals-pipeline {__version__}\n"


def test_entry_point_help_names_the_paths_argument() -> None:
    assert "PATH" in run("extract", "-h").stdout.split("\n")[0]


@pytest.mark.parametrize(
    "command", [["extract"], ["capitals", "diff"], ["capitals", "timeline"], ["capitals", "review"]]
)
def test_entry_point_help_names_option_values_not_python_types(command: list[str]) -> None:
    """'--published DATE', not '--published <str>': a user reads what to give, not a type."""
    shown = run(command[0], *command[1:], "-h").stdout
    options = shown[shown.index("Options:") :]
    for python_type in ("<str>", "<path>", "<int>", "<float>", "<list["):
        assert python_type not in options, f"{' '.join(command)} -h shows {python_type}"


def test_extractor_load_without_arguments_uses_the_shipped_gazetteer() -> None:
    extractor = Extractor.load()
    assert extractor.gazetteer
    assert extractor.sources.gazetteer is None


def test_entry_point_add_gazetteer_keeps_the_shipped_one(
    story: Path, tiny_gazetteer: Path, tmp_path: Path
) -> None:
    shipped = len(Extractor.load().gazetteer)
    both = Extractor.load(add=[tiny_gazetteer])
    assert len(both.gazetteer) == shipped + len(Extractor.load(tiny_gazetteer).gazetteer)
    result = run("extract", str(story), "--add-gazetteer", str(tiny_gazetteer), "--output", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["place"]["name"] for line in result.stdout.splitlines()] == ["Kelmar"]
    alone = run("extract", str(story), "--output", "-", cwd=tmp_path)  # the shipped one has no Kelmar
    assert alone.returncode == 0 and alone.stdout == ""


def test_entry_point_works_where_no_cache_can_be_kept(
    story: Path, tiny_gazetteer: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    env = {**os.environ, ENV: str(blocked / "cache")}  # a file stands where the folder would go
    args = [str(BIN / "extract"), str(story), "--gazetteer", str(tiny_gazetteer), "--output", "-"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert result.returncode == 0 and "error" not in result.stderr, result.stderr
    assert result.stdout == to_jsonl(Extractor.load(tiny_gazetteer).extract_path(story)) != ""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built as a wheel, the way it is published."""
    folder = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(folder)]
    subprocess.run([*build, str(ROOT)], check=True, capture_output=True, timeout=300)
    (found,) = folder.glob("capitals_pipeline-*.whl")
    return found


def test_wheel_ships_every_data_file(wheel: Path) -> None:
    """Gazetteers, actor lists and rules: a file left out of the wheel is a country, a side
    or a rule that installed users silently do without."""
    shipped = set(zipfile.ZipFile(wheel).namelist())
    data = [
        *(
            ("pipeline/gazetteer", p.relative_to(ROOT / "gazetteer"))
            for p in (ROOT / "gazetteer").rglob("*.json*")
        ),
        *(
            ("pipeline/rules", p.relative_to(ROOT / "pipeline" / "rules"))
            for p in (ROOT / "pipeline" / "rules").rglob("*.json*")
        ),
    ]
    missing = [
        f"{where}/{path}"
        for where, path in data
        if "sources" not in path.parts and f"{where}/{path}" not in shipped
    ]
    assert data and not missing


def test_wheel_in_a_fresh_environment_extracts_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    """A fresh virtual environment gets only the wheel; its dependencies come from this
    environment's site-packages on the path (a .pth line, whose own .pth files, such as
    the editable install's, are not run)."""
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = next(p for p in sys.path if p.endswith("site-packages"))
    Path(site, "dependencies.pth").write_text(ours + "\n", encoding="utf-8")
    install = [str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(install, check=True, capture_output=True, timeout=300)
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    place = next(iter(Extractor.load().gazetteer.values()))  # any place the shipped gazetteer knows
    story = f"Head\n\nRebels captured {place.capital} on March 2.\n"
    (empty / "story.txt").write_text(story, encoding="utf-8")
    where = subprocess.run(
        [str(python), "-c", "import pipeline; print(pipeline.__file__)"],
        capture_output=True,
        text=True,
        cwd=empty,
        check=True,
    )
    assert where.stdout.startswith(site), "the wheel, not the checkout, must be imported"
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(env_dir / "bin" / "extract"), "story.txt", "--published", "2030-03-03"],
        capture_output=True,
        text=True,
        cwd=empty,
        env=clean,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "wrote 1 records to outputs/story.jsonl" in result.stderr
    (line,) = (empty / "outputs" / "story.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert (record["place"]["province_iso"], record["status"], record["date"]) == (
        place.province_iso,
        "fallen",
        "2030-03-02",
    )
    shipped = subprocess.run(
        [str(python), "-c", "from pipeline import Extractor; print(len(Extractor.load().gazetteer))"],
        capture_output=True,
        text=True,
        cwd=empty,
        env=clean,
        check=True,
    )
    assert int(shipped.stdout) == len(Extractor.load().gazetteer)
