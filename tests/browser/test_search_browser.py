"""Search as a new user meets it, in a real browser on the default installation (SQLite, the
database backend): "logements" finds the item about "logement" and "housing" the one about
"houses"; a facet chosen shows as a chip, its remove link removes it, the back button brings
each earlier state back (the words in the box, the chip, the results); the library's own box
searches only the library. No sideways scrolling at 320 px, no serious axe violation, and
screenshots of the page at 320 and 1280 px in English and French in /tmp/shots-search/.

The live server, Chromium and axe are the fixtures of ``tests/browser/conftest.py`` (one
Playwright per test process: a module importing them would start a second one)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import REPO
from tests.browser.test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-search")  # noqa: S108 - screenshots to look at, not secrets


@pytest.fixture(scope="module")
def data(server: Any) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.search.browser_seed"],
        env=server.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"seed failed:\n{result.stdout}\n{result.stderr}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _ask(page: Any, words: str) -> None:
    """Type the words in the page's search box and press Enter (htmx swaps the results in and
    pushes the address)."""
    box = page.get_by_role("searchbox", name="Search for")
    box.fill(words)
    with page.expect_response(lambda r: "/search/" in r.url and "q=" in r.url):
        box.press("Enter")
    page.wait_for_url(re.compile(r"q=" + re.escape(words)))


def _hits(page: Any) -> str:
    return str(page.locator("#search-results").inner_text())


def test_find_refine_remove_go_back_and_search_within_the_library(
    page: Any,
    data: dict[str, Any],
) -> None:
    page.goto("/search/")
    _ask(page, "logements")
    assert data["french"] in _hits(page)  # stemmed: "logements" finds "logement"
    assert page.title().startswith("Search: logements")  # the history entry's name too

    _ask(page, "housing")
    assert data["english"] in _hits(page)  # "housing" finds "houses"
    assert data["event"] in _hits(page)
    assert page.locator(".chip").count() == 0

    # A facet: the topic. Its chip appears and the address says so.
    page.locator("aside a.tag", has_text=data["topic"]).click()
    page.wait_for_url(re.compile(r"topic="))
    chip = page.locator(".chip", has_text=f"Topic: {data['topic']}")
    assert chip.count() == 1
    assert data["event"] not in _hits(page)  # the event has no topic
    assert page.get_by_role("searchbox", name="Search for").input_value() == "housing"

    # Removed from the keyboard: its remove link has a name saying what it removes.
    remove = page.get_by_role("link", name=f"Remove filter Topic: {data['topic']}")
    remove.focus()
    remove.press("Enter")
    page.wait_for_url(lambda url: "topic=" not in url)
    assert page.locator(".chip").count() == 0
    assert data["event"] in _hits(page)

    # Back: the chip again; back again: "housing" unfiltered; back again: "logements", the
    # state htmx pushed, with its words in the box.
    page.go_back()
    page.wait_for_url(re.compile(r"topic="))
    assert page.locator(".chip", has_text=data["topic"]).count() == 1
    page.go_back()
    page.wait_for_url(lambda url: "q=housing" in url and "topic=" not in url)
    assert page.locator(".chip").count() == 0
    page.go_back()
    page.wait_for_url(re.compile(r"q=logements"))
    box = page.get_by_role("searchbox", name="Search for")
    box.wait_for()
    page.wait_for_function(
        "() => document.querySelector('#id_q') && document.querySelector('#id_q').value"
        " === 'logements'"
    )
    assert data["french"] in _hits(page)
    assert data["english"] not in _hits(page)

    # The library's own box: only the library.
    page.goto("/library/")
    library_box = page.get_by_role("searchbox", name="Search the library")
    library_box.fill("housing")
    library_box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?.*within=library"))
    assert page.locator(".chip", has_text="In the library").count() == 1
    assert data["english"] in _hits(page)
    assert data["event"] not in _hits(page)
    # Its chip widens the search to everything again.
    page.get_by_role("link", name="Remove filter In the library").click()
    page.wait_for_url(lambda url: "within=" not in url)
    assert data["event"] in _hits(page)


def test_search_works_without_javascript(browser: Any, server: Any, data: dict) -> None:
    context = browser.new_context(base_url=server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/library/")
    page.get_by_role("searchbox", name="Search the library").fill("logements")
    page.get_by_role("searchbox", name="Search the library").press("Enter")
    page.wait_for_url(re.compile(r"within=library"))
    assert data["french"] in _hits(page)
    page.get_by_role("searchbox", name="Search for").fill("housing")
    page.get_by_role("searchbox", name="Search for").press("Enter")
    page.wait_for_url(re.compile(r"q=housing"))
    assert "within=library" in page.url  # the scope stays until its chip is removed
    assert data["english"] in _hits(page)
    context.close()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
@pytest.mark.parametrize("width", [320, 1280])
def test_the_page_fits_and_is_accessible(
    browser: Any,
    server: Any,
    axe_source: str,
    data: dict[str, Any],
    language: str,
    width: int,
) -> None:
    context = browser.new_context(
        base_url=server.url, bypass_csp=True, viewport={"width": width, "height": 900}
    )
    context.add_cookies([{"name": "cocity_language", "value": language, "url": server.url}])
    page = context.new_page()
    # Two filters (one a value nobody indexed) and the library scope: three chips.
    page.goto(f"/search/?q=housing&topic=housing-{data['tag']}&year=1999&within=library")
    assert page.locator(".chip").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"search-{language}-{width}.png"), full_page=True)
    page.goto("/search/?q=housing")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SHOTS / f"search-results-{language}-{width}.png"), full_page=True)
    page.goto("/library/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SHOTS / f"library-{language}-{width}.png"))
    page.goto(f"/search/?q=housing&topic=housing-{data['tag']}&year=1999&within=library")
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE_JS, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(f"{v['impact']}: {v['id']} ({v['help']})" for v in blocking)
    context.close()
