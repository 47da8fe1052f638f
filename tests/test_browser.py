"""The web page in headless Chromium (Debian's package, driven by Playwright): filter, click, evidence.

Also the XSS check: an article whose text holds <script> and <img onerror> is shown as text and
never runs. The screenshot goes to test-output/browser/ (or $POLYBIUS_TEST_OUTPUT).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from polybius.serve.bench import free_port, start_server, stop_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed here (.ci/run installs it)")

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "articles"
OUTPUT = Path(os.environ.get("POLYBIUS_TEST_OUTPUT",
                             Path(__file__).resolve().parent.parent / "test-output")) / "browser"
TOKEN = "browser-test-token"
HOSTILE = ("Gunmen attacked a police station in Mombasa on Monday, killing two officers, the "
           "county police commander said. <script>window.__xss = 'script ran'</script> The "
           "attackers fled <img src=x onerror=\"window.__xss = 'onerror ran'\"> towards the coast.")
# The same attack told by a second outlet with another death toll: one canonical event, two reports.
SECOND = ("Gunmen attacked a police station in Mombasa on Monday, killing three officers, a "
          "local official said. The attackers escaped towards the coast.")


def until(tab: Any, check: Callable[[], bool], seconds: float = 20) -> None:
    """Poll from Python: the page's CSP forbids the eval that wait_for_function needs."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the page did not reach the expected state in time")
        tab.wait_for_timeout(100)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from polybius.cli import ingest_paths
    from polybius.serve.app import STATIC

    if not (STATIC / "vendor" / "leaflet.js").exists():
        pytest.fail("the page's npm assets are not built: run `make web` (make test does)")
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    files = sorted(SAMPLES.glob("*.txt"))[:8]  # part of the demo corpus: enough for every view
    ingest_paths(files, f"sqlite:///{db}")
    port = free_port()
    proc = start_server(f"sqlite:///{db}", port, env={**os.environ, "POLYBIUS_TOKEN": TOKEN})
    base = f"http://127.0.0.1:{port}"
    try:
        posted = httpx.post(f"{base}/articles", timeout=300,
                            json={"text": HOSTILE, "published": "2024-02-13", "title": "<b>Attack</b>"},
                            headers={"Authorization": f"Bearer {TOKEN}"})
        assert posted.status_code == 201, posted.text
        second = httpx.post(f"{base}/articles", timeout=300, headers={"Authorization": f"Bearer {TOKEN}"},
                            json={"text": SECOND, "published": "2024-02-13",
                                  "url": "https://coast-news.example/attack", "title": "Police station attacked"})
        assert second.status_code == 201, second.text
        yield base
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def page(site: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # as root Chromium needs --no-sandbox; executable_path: no browser download happens
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        dialogs: list[str] = []
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.goto(site + "/")
        tab.wait_for_selector("body[data-ready='1']", timeout=30_000)
        tab.dialogs = dialogs  # type: ignore[attr-defined]
        yield tab
        browser.close()


def test_page_filters_shows_evidence_and_takes_a_screenshot(page: object) -> None:
    tab = page  # playwright Page
    assert tab.locator("#list li").count() > 3  # type: ignore[attr-defined]
    assert tab.locator("#timeline rect").count() > 0  # type: ignore[attr-defined]
    assert tab.locator("#map path.leaflet-interactive").count() > 0  # type: ignore[attr-defined]
    tab.select_option("#f-type", "ASSAULT")  # type: ignore[attr-defined]
    tab.click("#f-apply")  # type: ignore[attr-defined]
    until(tab, lambda: set(tab.locator("#list li .type").all_text_contents()) == {"ASSAULT"})
    types = tab.locator("#list li .type").all_text_contents()  # type: ignore[attr-defined]
    assert types and set(types) == {"ASSAULT"}
    assert all("reported by" in t for t in tab.locator("#list li .outlets").all_text_contents())
    tab.locator("#list li").first.click()  # type: ignore[attr-defined]
    tab.wait_for_selector(".report .article-text mark.hl-evidence")  # type: ignore[attr-defined]
    assert tab.locator(".article-text mark.hl-trigger").count() >= 1  # type: ignore[attr-defined]
    assert tab.locator("#attribution").inner_text().startswith("reported by")  # type: ignore[attr-defined]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(OUTPUT / "evidence.png"), full_page=True)  # type: ignore[attr-defined]
    assert (OUTPUT / "evidence.png").stat().st_size > 10_000


def test_a_merged_event_shows_the_evidence_of_each_outlets_report(page: object) -> None:
    tab = page
    tab.click("#f-reset")  # type: ignore[attr-defined]
    tab.fill("#f-q", "Mombasa")  # type: ignore[attr-defined]
    tab.click("#f-apply")  # type: ignore[attr-defined]
    until(tab, lambda: "reported by 2 outlets" in tab.locator("#list").inner_text())
    tab.locator("#list li", has_text="reported by 2 outlets").first.click()  # type: ignore[attr-defined]
    until(tab, lambda: tab.locator("#detail .report").count() == 2)
    detail = tab.locator("#detail").inner_text()  # type: ignore[attr-defined]
    assert "reported by 2 outlets" in detail and "Police station attacked" in detail
    assert "figures" in detail and "2 articles" in detail
    # the attack carries both tolls, each with who gives it (not a sibling "killing" event)
    assert "killed: " in detail and "3 per coast-news.example" in detail
    assert "2 per unnamed outlet (article " in detail and "sha256:" not in detail
    assert tab.locator("#detail .report mark.hl-evidence").count() >= 2  # type: ignore[attr-defined]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(OUTPUT / "merged.png"), full_page=True)  # type: ignore[attr-defined]


def test_article_markup_is_shown_as_text_and_never_runs(page: object) -> None:
    tab = page
    tab.click("#f-reset")  # type: ignore[attr-defined]
    tab.fill("#f-q", "Mombasa")  # type: ignore[attr-defined]
    tab.click("#f-apply")  # type: ignore[attr-defined]
    until(tab, lambda: all("Mombasa" in t for t in tab.locator("#list li").all_text_contents()))
    tab.locator("#list li").first.click()  # type: ignore[attr-defined]
    tab.wait_for_selector(".report .article-text mark.hl-evidence")  # type: ignore[attr-defined]
    text = "\n".join(tab.locator(".article-text").all_inner_texts())  # type: ignore[attr-defined]
    assert "<script>" in text and "onerror" in text  # shown literally
    assert tab.evaluate("window.__xss") is None  # type: ignore[attr-defined]
    assert tab.locator("#detail script, #detail img, #list img").count() == 0  # type: ignore[attr-defined]
    assert "<b>Attack</b>" in tab.locator("#detail").inner_text()  # type: ignore[attr-defined]
    assert tab.dialogs == []  # type: ignore[attr-defined]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(OUTPUT / "xss.png"), full_page=True)  # type: ignore[attr-defined]
