"""The review page in a real headless Chromium: it loads without console errors or network
requests, the highlighted spans are the records' evidence, the filters hide the right
rows, and a screenshot is saved.

Needs Debian's `chromium` and the `playwright` package (it drives that browser; no browser
download). Locally the test is skipped when either is missing; in CI (CI=true) it fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app, tools
from pipeline.review import load_sources

runner = CliRunner()
STORIES = {
    "one": "Head\n\nRebels captured Kelmar on March 2.\n\nFighting continues in Tolbek, officials said.\n",
    "two": "Head\n\nThe rebels say they have captured Port Ardin. The governor denies it.\n",
    "three": "Head\n\nRivane fell to the rebels on March 12.\n\nDunmore was retaken by the army in 2029.\n",
}


def chromium() -> str:
    """The browser to drive, or a skip (a failure in CI) naming what is missing."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path, missing = None, "the playwright package (pip install playwright)"
    else:
        missing = "chromium (apt-get install chromium)"
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {missing} is not installed: .ci/run must install it")
        pytest.skip(f"{missing} is not installed; CI runs this test")
    return path


@pytest.fixture
def site(tmp_path: Path, tiny_gazetteer: Path) -> Path:
    def run(name: str, stories: dict[str, str]) -> Path:
        corpus = tmp_path / f"{name}-corpus"
        corpus.mkdir()
        for stem, text in stories.items():
            (corpus / f"{stem}.txt").write_text(text, encoding="utf-8")
            (corpus / f"{stem}.meta.json").write_text('{"published": "2030-03-14", "source": "Wire"}')
        out = tmp_path / name
        args = [str(corpus), "--gazetteer", str(tiny_gazetteer), "--output", f"{out}/", "--jobs", "1"]
        assert runner.invoke(app, args).exit_code == 0
        return out

    before = run("before", {**STORIES, "one": STORIES["one"].replace("March 2", "March 1")})
    after = run("after", STORIES)
    result = runner.invoke(
        tools, ["review", str(after), "--against", str(before), "--output", str(tmp_path / "review.html")]
    )
    assert result.exit_code == 0, result.output
    return after


def test_review_page_in_chromium(site: Path, tmp_path: Path) -> None:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    sources = load_sources([site])
    records = {key: r for s in sources for key, r in zip(s.keys, s.records, strict=True)}
    assert {r.status for r in records.values()} == {"fallen", "contested", "retaken"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems: list[str] = []
        page.on(
            "console",
            lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((tmp_path / "review.html").as_uri())
        page.wait_for_load_state("load")

        for key, record in records.items():
            marks = page.locator(f'mark[data-records~="{key}"]')
            assert "".join(marks.all_text_contents()) == record.evidence.text
            assert f"st-{record.status}" in (marks.first.get_attribute("class") or "").split()
            colour = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
            assert colour not in ("rgba(0, 0, 0, 0)", "transparent")

        def visible() -> list[str]:
            return page.eval_on_selector_all(
                "#record-table tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.key)"
            )

        assert sorted(visible()) == sorted(records)
        page.get_by_label("contested").uncheck()
        assert sorted(visible()) == sorted(k for k, r in records.items() if r.status != "contested")
        assert page.inner_text("#shown") == f"{len(records) - 1} of {len(records)} records"
        page.get_by_label("contested").check()
        page.select_option("#f-province", "ZZ-NV")
        assert [records[k].place.province_iso for k in visible()] == ["ZZ-NV"]
        page.select_option("#f-province", "")
        page.fill("#f-from", "2030-03-10")
        assert sorted(records[k].date for k in visible()) == ["2030-03-12", "2030-03-14", "2030-03-14"]
        page.fill("#f-from", "")
        page.select_option("#f-change", "changed")
        assert [(records[k].place.name, records[k].date) for k in visible()] == [("Kelmar", "2030-03-02")]
        page.select_option("#f-change", "")
        assert "0 added, 0 removed, 1 changed in 1 article" in page.inner_text("#changes")

        shot = tmp_path / "review.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
    assert problems == []
    assert all(url.startswith("file://") for url in requests) and len(requests) == 1
    if os.environ.get("REVIEW_SCREENSHOT"):  # CI keeps it as an artifact
        shutil.copy(shot, os.environ["REVIEW_SCREENSHOT"])
