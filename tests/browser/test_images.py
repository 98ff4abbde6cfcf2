"""Covers in a real browser (cocity.core.images, the demo's drawn covers): a card asks for the
narrow width its column needs and only once it comes near the window, a page's header cover
loads at once in its large width, nothing moves while they load, and pages with covers pass
axe-core and fit 320 px."""

from __future__ import annotations

from typing import Any

import pytest

from .test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS

LOADED = "(img) => img.complete && img.naturalWidth > 0"


def _wait_loaded(page: Any, image: Any) -> None:
    """Until ``image`` has its pixels (wait_for_function would eval a string: the CSP says no)."""
    for _ in range(100):
        if image.evaluate(LOADED):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the image did not load")


@pytest.fixture(scope="module")
def demo(server: Any) -> dict[str, Any]:
    return server.seed("insights")  # the demo network: every space with a drawn cover


def test_card_covers_are_lazy_and_narrow_the_header_cover_large(
    browser: Any, server: Any, demo: dict[str, Any]
) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto("/spaces/")
    cards = page.locator("img.picture-card")
    assert cards.count() >= 3
    first = cards.first
    assert first.get_attribute("loading") == "lazy"
    assert first.get_attribute("width") and first.get_attribute("height")
    first.scroll_into_view_if_needed()
    _wait_loaded(page, first)
    assert first.evaluate("img => img.currentSrc").endswith(".400w.webp")  # 23rem at 1280 px
    box = first.bounding_box()
    assert box is not None and 300 < box["width"] < 400
    assert abs(box["height"] - box["width"] * 9 / 16) < 2  # the card's 16:9, whatever the image
    page.goto("/spaces/fairville/")
    header = page.locator(".page-cover img.picture-header")
    assert header.get_attribute("loading") == "eager"
    _wait_loaded(page, header)
    source = header.evaluate("img => img.currentSrc")
    assert source.endswith(".webp") and "w.webp" not in source  # the 1280 px file itself
    context.close()


def test_nothing_moves_while_covers_load(browser: Any, server: Any, demo: dict[str, Any]) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(
        "window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
        " { if (!e.hadRecentInput) window.__shift += e.value; } })"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    page.goto("/")
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__shift") < 0.05
    context.close()


@pytest.mark.parametrize("path", ["/", "/spaces/", "/spaces/fairville/"])
def test_pages_with_covers_pass_axe(
    axe_page: Any, axe_source: str, demo: dict[str, Any], path: str
) -> None:
    axe_page.goto(path)
    assert axe_page.locator(".picture").count() >= 1
    axe_page.add_script_tag(content=axe_source)
    violations = axe_page.evaluate(RUN_AXE_JS, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']})\n    " + "\n    ".join(v["nodes"])
        for v in blocking
    )


def test_covers_fit_320_px(browser: Any, server: Any, demo: dict[str, Any]) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/", "/spaces/", "/spaces/fairville/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    page.goto("/spaces/")
    first = page.locator("img.picture-card").first
    first.scroll_into_view_if_needed()
    _wait_loaded(page, first)
    assert first.evaluate("img => img.currentSrc").endswith(".400w.webp")
    context.close()
