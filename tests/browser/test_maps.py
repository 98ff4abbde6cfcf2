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
    # The clusters open with an animation that puts new pins in place of the old ones: focus a
    # pin once it is over (a loaded machine made the focused pin one that was then replaced).
    _until(page, "!document.querySelector('[data-map] .leaflet-cluster-anim')")
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


def test_place_page_map_names_its_neighbourhoods_and_shows_its_commons(
    page: Any,
    outside: list[str],
    maps_data: dict,  # type: ignore[type-arg]
) -> None:
    tag = maps_data["tag"]
    page.goto(f"/places/{maps_data['city']}/")
    root = _wait_for_map(page, ".map-places")
    labels = root.locator(".map-label").all_inner_texts()
    assert sorted(labels) == sorted([f"Navile {tag}", f"Santo Stefano {tag}"])
    # The city's commons come from the pacts' bbox endpoint, clustered.
    root.locator(".marker-cluster").first.wait_for()
    zoom = _zoom(page)
    root.locator(".leaflet-control-zoom-in").click()
    _until(page, f"document.querySelector('[data-map]').leafletMap.getZoom() > {zoom}")
    # A neighbourhood opens its page, with the keyboard too.
    area = root.locator(f"path[data-area='{maps_data['north']}']")
    area.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/places/{maps_data['north']}/")
    _wait_for_map(page, ".map-places")
    assert not outside, outside


def test_ideas_map_follows_the_list(
    page: Any,
    outside: list[str],
    maps_data: dict,  # type: ignore[type-arg]
) -> None:
    tag = maps_data["tag"]
    page.goto(f"/processes/{maps_data['process']}/ideas/")
    root = _wait_for_map(page, ".map-points")
    pin = root.locator(".map-pin", has_text=f"Benches on via Fioravanti {tag}")
    pin.click()
    popup = root.locator(".leaflet-popup-content a")
    popup.wait_for()
    assert popup.inner_text() == f"Benches on via Fioravanti {tag}"
    popup.click()
    page.wait_for_url("**/ideas/*/")
    assert not outside, outside


def test_map_pages_pass_axe(
    axe_page: Any,
    axe_source: str,
    maps_data: dict,  # type: ignore[type-arg]
) -> None:
    paths = [
        f"/commons/map/?territory={maps_data['north']}",
        f"/places/{maps_data['city']}/",
        f"/processes/{maps_data['process']}/ideas/",
    ]
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
        # No scroll trap: the wheel over the map scrolls the page and leaves the zoom alone.
        canvas = axe_page.locator(".map-canvas").first
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        zoom = _zoom(axe_page)
        before = axe_page.evaluate("() => window.scrollY")
        axe_page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 40)
        axe_page.mouse.wheel(0, 300)
        _until(axe_page, f"window.scrollY > {before}")
        assert _zoom(axe_page) == zoom, path


@pytest.fixture(scope="module")
def insights_city(server: Any) -> str:
    return str(server.seed("insights")["city"])


def test_choropleth_legend_matches_table_hover_focus_and_click(
    page: Any, outside: list[str], insights_city: str
) -> None:
    page.goto(f"/insights/{insights_city}/?measure=representation")
    root = _wait_for_map(page, "figure.insights-map")
    assert root.locator(".map-fallback").is_hidden()
    _until(page, "document.querySelector('figure.insights-map').dataset.mapAreas")
    areas = root.locator("path.leaflet-interactive[data-area]")
    rows = page.locator("table.insights-map-table tbody tr")
    assert areas.count() == rows.count() >= 4
    # The legend (quantiles by default, said so) against the table: each class holds the
    # areas whose value lies between its bounds.
    assert "Quantiles" in root.locator(".map-legend-method").inner_text()
    values = [v for v in rows.evaluate_all("rs => rs.map(r => r.dataset.value)") if v != "None"]
    numbers = [float(v) for v in values if v]
    items = root.locator(".insights-legend li[data-count]")
    total = 0
    for i in range(items.count()):
        item = items.nth(i)
        low = item.get_attribute("data-low")
        high = item.get_attribute("data-high")
        expected = sum(
            1 for n in numbers if (not low or n >= float(low)) and (not high or n < float(high))
        )
        assert int(item.get_attribute("data-count")) == expected, (low, high, numbers)
        total += expected
    assert total == len(numbers)
    # Hover and keyboard focus show the area's name and value; Enter opens the unit.
    first = areas.first
    first.hover()
    tooltip = root.locator(".leaflet-tooltip")
    tooltip.wait_for()
    name = rows.first.locator("th").inner_text()
    assert ":" in tooltip.inner_text()
    page.keyboard.press("Tab")  # leave the hover
    first.focus()
    label = first.get_attribute("aria-label")
    unit = label.split(":")[0]
    assert unit in [r.strip() for r in rows.locator("th").all_inner_texts()]
    assert name
    page.keyboard.press("Enter")
    page.wait_for_url("**/places/**")
    assert unit in page.get_by_role("heading", level=1).inner_text()
    # Zoomed in, the areas come again simplified for that zoom, as many as before.
    page.go_back()
    root = _wait_for_map(page, "figure.insights-map")
    _until(page, "document.querySelector('figure.insights-map').dataset.mapAreas")
    count = root.locator("path.leaflet-interactive[data-area]").count()
    zoom = _zoom(page)
    root.locator(".leaflet-control-zoom-in").click()
    _until(
        page, f"Number(document.querySelector('figure.insights-map').dataset.mapAreasZoom) > {zoom}"
    )
    _until(
        page, f"document.querySelectorAll('figure.insights-map path[data-area]').length == {count}"
    )
    # The other classing, chosen in the form, is said in the legend.
    page.goto(f"/insights/{insights_city}/?measure=representation&classes=fixed")
    _wait_for_map(page, "figure.insights-map")
    assert "Fixed breaks" in page.locator(".map-legend-method").inner_text()
    assert not outside, outside


def test_choropleth_of_10000_units_draws_under_a_second(
    page: Any, outside: list[str], insights_city: str
) -> None:
    """The server's own choropleth output for 10,000 square units (a 100 x 100 grid over a
    city), handed to the component on a real page: drawn in under 1 s (performance API)."""
    import json

    from cocity.insights import maps

    features = []
    for i in range(100):
        for j in range(100):
            x, y = 4.30 + i * 0.001, 50.80 + j * 0.001
            ring = [[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]
            geometry = {"type": "Polygon", "coordinates": [ring]}
            value = ((i * 7 + j * 13) % 100) / 50
            features.append((f"U{i}-{j}", f"Unit {i}-{j}", geometry, value, f"{value:.2f}"))
    chosen = maps.choropleth(features, diverging=True)
    assert chosen is not None
    text = maps.interactive(chosen, features)
    assert len(text.encode()) < 1_000_000, len(text)
    assert len(json.loads(text)["areas"]) == 10_000
    page.goto(f"/insights/{insights_city}/")
    _wait_for_map(page, "figure.insights-map")
    took = page.evaluate(
        """([text, fills]) => {
            const data = document.createElement('script');
            data.type = 'application/json';
            data.id = 'bench-areas';
            data.textContent = text;
            document.body.appendChild(data);
            const root = document.createElement('div');
            root.setAttribute('data-map', '');
            root.dataset.mapFeatures = 'bench-areas';
            root.dataset.mapFills = fills;
            root.dataset.mapUrlPattern = '/places/CODE/';
            document.querySelector('main').appendChild(root);
            performance.mark('areas-start');
            root.dispatchEvent(new Event('htmx:load', {bubbles: true}));
            performance.mark('areas-end');
            const m = performance.measure('areas', 'areas-start', 'areas-end');
            return [m.duration, Number(root.dataset.mapAreas || 0)];
        }""",
        [text, ",".join(chosen.fills)],
    )
    duration, drawn = took
    assert drawn == 10_000
    assert duration < 1000, duration
    assert not outside, outside


def test_place_picker_with_the_keyboard_inside_the_territory(
    page: Any,
    outside: list[str],
    maps_data: dict,  # type: ignore[type-arg]
) -> None:
    from .helpers import log_in

    log_in(page, maps_data["resident"]["email"], maps_data["resident"]["password"])
    page.goto(f"/processes/{maps_data['process']}/ideas/new/")
    root = _wait_for_map(page, ".map-picker")
    # The territory's outline is drawn and the view fits it; no pin yet.
    assert root.locator("path.leaflet-interactive, path").count() >= 1
    assert page.locator("#id_latitude").input_value() == ""
    root.get_by_role("button", name="Put the pin in the middle of the map").click()
    pin = root.locator(".map-pin-picked")
    pin.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('map-pin-picked')")
    lat0 = float(page.locator("#id_latitude").input_value())
    lon0 = float(page.locator("#id_longitude").input_value())
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    lat1 = float(page.locator("#id_latitude").input_value())
    lon1 = float(page.locator("#id_longitude").input_value())
    assert lon1 > lon0 and lat1 > lat0
    assert "Pin at latitude" in root.locator(".map-status").inner_text()
    # Far outside with the keyboard: the pin stays inside and the map says why.
    for _ in range(40):
        page.keyboard.press("Shift+ArrowUp")
    assert "outside" in root.locator(".map-status").inner_text()
    assert float(page.locator("#id_latitude").input_value()) <= 44.53
    # A click on the map moves the pin there.
    box = root.locator(".map-canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 30, box["y"] + box["height"] / 2 + 20)
    assert float(page.locator("#id_longitude").input_value()) != lon1
    # Typed coordinates move the pin; the server refuses a point outside the territory.
    page.fill("#id_title", "A fountain in Navile")
    page.fill("#id_body", "Near the gardens.")
    page.fill("#id_latitude", "44.6")
    page.fill("#id_longitude", "11.35")
    page.locator("#id_longitude").dispatch_event("change")
    page.get_by_role("button", name="Post the idea").click()
    error = page.locator(".field-error").first
    error.wait_for()
    assert "outside" in error.inner_text()
    page.fill("#id_latitude", "44.51")
    page.fill("#id_longitude", "11.35")
    page.get_by_role("button", name="Post the idea").click()
    page.wait_for_url("**/ideas/*/")
    assert not outside, outside


def test_places_directory_map_names_the_demo_cities(
    axe_page: Any, axe_source: str, insights_city: str
) -> None:
    seen: list[str] = []
    axe_page.on(
        "request",
        lambda r: None if urlsplit(r.url).hostname in (None, "127.0.0.1") else seen.append(r.url),
    )
    axe_page.goto("/places/")
    root = _wait_for_map(axe_page, ".map-places")
    # The cities, far apart, are markers (clustered where close): zoom to Marseille's.
    root.locator(".marker-cluster, .map-pin").first.wait_for()
    axe_page.evaluate(
        "() => document.querySelector('.map-places').leafletMap.setView([43.3, 5.37], 9)"
    )
    pin = root.locator(".map-pin", has_text="Marseille")
    pin.wait_for()
    pin.click()
    root.locator(".leaflet-popup-content a", has_text="Marseille").click()
    axe_page.wait_for_url("**/places/FR-MRS/")
    root = _wait_for_map(axe_page, ".map-places")
    # Marseille's two arrondissements, drawn as the demo's approximate shapes, named.
    assert set(root.locator(".map-label").all_inner_texts()) == {
        "3e arrondissement",
        "15e arrondissement",
    }
    _check_axe(axe_page, axe_source, "/places/FR-MRS/")
    axe_page.goto("/places/")
    _wait_for_map(axe_page, ".map-places")
    _check_axe(axe_page, axe_source, "/places/")
    assert not seen, seen


# Events on the map, and the commons picker outlining the place chosen in its form -----------


@pytest.fixture(scope="module")
def event_maps_data(server: Any) -> dict:  # type: ignore[type-arg]
    return server.seed("event_maps")


def test_events_map_marker_opens_the_event_and_its_venue_map(
    page: Any,
    outside: list[str],
    event_maps_data: dict,  # type: ignore[type-arg]
) -> None:
    title = event_maps_data["event_title"]
    page.goto(f"/events/?space={event_maps_data['space']}")
    root = _wait_for_map(page, ".event-map")
    _until(page, "document.querySelector('.event-map').dataset.mapLoaded")
    # Only the in-person event is on the map (the webinar is in the list, not on the map).
    assert "1 shown on the map" in root.locator(".map-status").inner_text()
    assert root.locator(".map-canvas-plain").count() == 1
    marker = root.locator(".map-pin", has_text=title)
    marker.wait_for()
    marker.click()
    popup = root.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Friche la Belle de Mai" in popup.inner_text()
    popup.get_by_role("link", name=title).click()
    page.wait_for_url(f"**/events/{event_maps_data['event']}/")
    # The event page: the address in words and a small map with the venue's pin.
    assert "41 rue Jobin" in page.locator("aside").inner_text()
    venue = _wait_for_map(page, "aside [data-map]")
    assert venue.locator(".map-fallback").is_hidden()
    pin = venue.locator(".map-pin")
    pin.wait_for()
    pin.focus()
    page.keyboard.press("Enter")
    assert "41 rue Jobin" in venue.locator(".leaflet-popup-content").inner_text()
    # Filtered to online events: nothing to place, so no empty map, and the list says why.
    page.goto(f"/events/?space={event_maps_data['space']}&format=online")
    root = page.locator(".event-map").first  # its canvas may fold away before a wait sees it
    _until(page, "document.querySelector('.event-map').dataset.mapLoaded")
    assert root.locator(".map-canvas").is_hidden()
    assert "No event in this list has a venue" in root.locator(".map-status").inner_text()
    assert not outside, outside


def test_event_location_picked_by_keyboard_inside_the_space_territory(
    page: Any,
    outside: list[str],
    event_maps_data: dict,  # type: ignore[type-arg]
) -> None:
    from .helpers import log_in

    tag = event_maps_data["tag"]
    log_in(page, event_maps_data["organiser"]["email"], event_maps_data["organiser"]["password"])
    page.goto(f"/events/spaces/{event_maps_data['space']}/new/")
    root = _wait_for_map(page, ".map-picker")
    assert root.get_attribute("data-map-limit-shown") == "1"  # the territory is outlined
    root.get_by_role("button", name="Put the pin in the middle of the map").click()
    root.locator(".map-pin-picked").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('map-pin-picked')")
    lat0 = float(page.locator("#id_latitude").input_value())
    lon0 = float(page.locator("#id_longitude").input_value())
    assert 43.30 <= lat0 <= 43.33 and 5.37 <= lon0 <= 5.41
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowDown")
    lat1 = page.locator("#id_latitude").input_value()
    lon1 = page.locator("#id_longitude").input_value()
    assert float(lat1) < lat0 and float(lon1) < lon0
    assert len(lat1.split(".")[1]) == 5  # the 5 decimals the model keeps
    page.fill("#id_title", f"Walk in the Belle de Mai {tag}")
    page.fill("#id_slug", f"walk-{tag}")
    page.select_option("#id_format", "in_person")
    page.select_option("#id_registration_mode", "none")
    page.fill("#id_venue_name", "Place Cadenat")
    page.locator("form button[type=submit]", has_text="Save").click()
    page.wait_for_url(f"**/events/walk-{tag}/manage/")
    page.goto(f"/events/walk-{tag}/")
    _wait_for_map(page, "aside [data-map]").locator(".map-pin").wait_for()
    assert not outside, outside


def test_commons_location_picked_by_keyboard_in_the_place_chosen_in_the_form(
    page: Any,
    outside: list[str],
    event_maps_data: dict,  # type: ignore[type-arg]
) -> None:
    from .helpers import log_in

    tag = event_maps_data["tag"]
    log_in(page, event_maps_data["editor"]["email"], event_maps_data["editor"]["password"])
    page.goto(f"/commons/registry/new/{event_maps_data['organisation']}/")
    root = _wait_for_map(page, ".map-picker")
    assert root.get_attribute("data-map-limit-shown") in (None, "0")  # no place chosen yet
    # Choosing the place (keyboard on the select) outlines it and moves the map there.
    page.locator("#id_territory").focus()
    page.select_option("#id_territory", str(event_maps_data["district"]))
    _until(page, "document.querySelector('.map-picker').dataset.mapLimitShown === '1'")
    assert "is outlined on the map" in root.locator(".map-status").inner_text()
    assert root.locator(".map-approximate").count() == 0  # an official outline
    root.get_by_role("button", name="Put the pin in the middle of the map").focus()
    page.keyboard.press("Enter")
    root.locator(".map-pin-picked").wait_for()
    for _ in range(3):
        page.keyboard.press("ArrowUp")
    lat = float(page.locator("#id_latitude").input_value())
    lon = float(page.locator("#id_longitude").input_value())
    assert 43.30 <= lat <= 43.33 and 5.37 <= lon <= 5.41
    # Far out with the keyboard: the pin stays inside the chosen place, and the map says why.
    for _ in range(30):
        page.keyboard.press("Shift+ArrowUp")
    assert "outside" in root.locator(".map-status").inner_text()
    assert float(page.locator("#id_latitude").input_value()) <= 43.33
    # The city's outline is approximate (hand-drawn): the map says so under it.
    page.select_option("#id_territory", str(event_maps_data["city"]))
    root.locator(".map-approximate").wait_for()
    assert "approximate" in root.locator(".map-approximate").inner_text()
    page.select_option("#id_territory", str(event_maps_data["district"]))
    _until(page, "document.querySelector('.map-picker').dataset.mapLimitShown === '1'")
    page.fill("#id_name", f"Orto Jobin {tag}")
    page.fill("#id_slug", f"orto-jobin-{tag}")
    page.select_option("#id_kind", "place")
    page.fill("#id_description", "A vegetable garden.")
    page.fill("#id_owner_name", "Ville de Marseille")
    page.fill("#id_department", "Parcs et jardins")
    page.locator("form button[type=submit]", has_text="Save").click()
    page.wait_for_url(f"**/commons/registry/orto-jobin-{tag}/")
    assert not outside, outside


def test_events_map_pages_pass_axe(
    axe_page: Any,
    axe_source: str,
    event_maps_data: dict,  # type: ignore[type-arg]
) -> None:
    from .helpers import log_in

    paths = [f"/events/?space={event_maps_data['space']}", f"/events/{event_maps_data['event']}/"]
    for path in paths:
        axe_page.goto(path)
        _wait_for_map(axe_page)
        _check_axe(axe_page, axe_source, path)
    log_in(
        axe_page, event_maps_data["organiser"]["email"], event_maps_data["organiser"]["password"]
    )
    path = f"/events/spaces/{event_maps_data['space']}/new/"
    axe_page.goto(path)
    _wait_for_map(axe_page, ".map-picker")
    _check_axe(axe_page, axe_source, path)


# Without tiles, the places under the points: the pacts map's neighbourhoods with no filter, the
# choropleth's area names ---------------------------------------------------------------------


def _names_drawn(page: Any, selector: str) -> list[str]:
    _until(page, f"document.querySelector('{selector}').dataset.mapNamesShown !== undefined")
    names: list[str] = page.locator(f"{selector} .map-area-name").all_inner_texts()
    return names


def test_pacts_map_without_a_filter_names_the_neighbourhoods_of_its_cities(
    axe_page: Any,
    axe_source: str,
    maps_data: dict,  # type: ignore[type-arg]
) -> None:
    import json

    tag = maps_data["tag"]
    seen: list[str] = []
    axe_page.on(
        "request",
        lambda r: None if urlsplit(r.url).hostname in (None, "127.0.0.1") else seen.append(r.url),
    )
    axe_page.set_viewport_size({"width": 1280, "height": 900})
    axe_page.goto("/commons/map/")
    root = _wait_for_map(axe_page)
    data = json.loads(axe_page.locator("#pact-places").text_content())
    names = {f["properties"]["name"] for f in data["features"]}
    assert {f"Navile {tag}", f"Santo Stefano {tag}"} <= names, names
    drawn = _names_drawn(axe_page, "[data-map]")
    assert drawn and set(drawn) <= names, drawn
    # axe on the map as a newcomer opens it (before zooming into the seeds' pins, which other
    # tests' data stack on the same Bologna streets).
    _check_axe(axe_page, axe_source, "/commons/map/")
    # The areas are under the points: the neighbourhoods drawn, the clusters still there.
    assert int(root.get_attribute("data-map-areas")) == len(data["features"])
    root.locator(".marker-cluster, .map-pin").first.wait_for()
    # At Bologna's scale, its two neighbourhoods are named on the map.
    axe_page.evaluate(
        "() => document.querySelector('[data-map]').leafletMap.fitBounds("
        "[[44.47, 11.30], [44.53, 11.40]])"
    )
    _until(
        axe_page,
        "[...document.querySelectorAll('[data-map] .map-area-name')].some("
        f"e => e.textContent === 'Navile {tag}')",
    )
    assert f"Santo Stefano {tag}" in _names_drawn(axe_page, "[data-map]")
    # The names let clicks through: a cluster under them still opens, zooming in, or spreading
    # its pins out where they share one spot (other tests' seeds stack pacts on these streets).
    zoom = _zoom(axe_page)
    pins = "document.querySelectorAll('[data-map] .map-pin').length"
    before = int(axe_page.evaluate(f"() => {pins}"))
    root.locator(".marker-cluster").first.click()
    _until(
        axe_page,
        f"document.querySelector('[data-map]').leafletMap.getZoom() > {zoom} || {pins} > {before}",
    )
    assert not seen, seen


def test_choropleth_names_the_areas_large_enough_at_its_zoom(
    axe_page: Any, axe_source: str, insights_city: str
) -> None:
    seen: list[str] = []
    axe_page.on(
        "request",
        lambda r: None if urlsplit(r.url).hostname in (None, "127.0.0.1") else seen.append(r.url),
    )
    axe_page.set_viewport_size({"width": 1280, "height": 900})
    axe_page.goto(f"/insights/{insights_city}/?measure=representation")
    root = _wait_for_map(axe_page, "figure.insights-map")
    table = {
        name.strip()
        for name in axe_page.locator("table.insights-map-table tbody th").all_inner_texts()
    }
    drawn = _names_drawn(axe_page, "figure.insights-map")
    assert drawn and set(drawn) <= table, (drawn, table)
    assert len(drawn) == len(set(drawn))  # each area named once
    # No two names overlap.
    boxes = root.locator(".map-area-name span").evaluate_all(
        "es => es.map(e => { const r = e.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })"
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1)
    # Zoomed out far, the areas are too small to hold a name: none is drawn.
    zoom = _zoom(axe_page)
    axe_page.evaluate("() => document.querySelector('figure.insights-map').leafletMap.setZoom(3)")
    _until(axe_page, "document.querySelector('figure.insights-map').dataset.mapNamesShown === '0'")
    # Back at the city, the names come back; the legend and the table stay.
    axe_page.evaluate(
        f"() => document.querySelector('figure.insights-map').leafletMap.setZoom({zoom})"
    )
    _until(
        axe_page, "Number(document.querySelector('figure.insights-map').dataset.mapNamesShown) > 0"
    )
    assert axe_page.locator(".insights-legend li").count() >= 2
    assert axe_page.locator("table.insights-map-table").is_visible()
    _check_axe(axe_page, axe_source, f"/insights/{insights_city}/")
    # A name does not stand in the way: a click on it opens the area under it.
    root.scroll_into_view_if_needed()
    label = root.locator(".map-area-name span").first
    name = label.inner_text()
    box = label.bounding_box()
    assert box is not None
    axe_page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    axe_page.wait_for_url("**/places/**")
    assert name in axe_page.get_by_role("heading", level=1).inner_text()
    assert not seen, seen


def test_choropleth_of_10000_units_with_area_names_draws_under_a_second(
    page: Any, outside: list[str], insights_city: str
) -> None:
    """The same 10,000 units with their names (data-map-area-names): placing the names that fit
    keeps the first drawing under 1 s, and never more than 150 names at once."""
    from cocity.insights import maps

    features = []
    for i in range(100):
        for j in range(100):
            x, y = 4.30 + i * 0.001, 50.80 + j * 0.001
            ring = [[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]
            value = ((i * 7 + j * 13) % 100) / 50
            geometry = {"type": "Polygon", "coordinates": [ring]}
            features.append((f"U{i}-{j}", f"U{i}-{j}", geometry, value, f"{value:.2f}"))
    chosen = maps.choropleth(features, diverging=True)
    assert chosen is not None
    text = maps.interactive(chosen, features)
    page.goto(f"/insights/{insights_city}/")
    _wait_for_map(page, "figure.insights-map")
    took = page.evaluate(
        """([text, fills]) => {
            const data = document.createElement('script');
            data.type = 'application/json';
            data.id = 'bench-named-areas';
            data.textContent = text;
            document.body.appendChild(data);
            const root = document.createElement('div');
            root.id = 'bench-named';
            root.setAttribute('data-map', '');
            root.setAttribute('data-map-area-names', '');
            root.dataset.mapFeatures = 'bench-named-areas';
            root.dataset.mapFills = fills;
            document.querySelector('main').appendChild(root);
            const start = performance.now();
            root.dispatchEvent(new Event('htmx:load', {bubbles: true}));
            return [performance.now() - start, Number(root.dataset.mapAreas || 0)];
        }""",
        [text, ",".join(chosen.fills)],
    )
    duration, drawn = took
    assert drawn == 10_000
    assert duration < 1000, duration
    # At the city's zoom the 10,000 small squares are too small for their names; zoomed in,
    # some are named, at most 150.
    _until(page, "document.querySelector('#bench-named').dataset.mapNamesShown === '0'")
    page.evaluate(
        "() => document.querySelector('#bench-named').leafletMap.setView([50.85, 4.35], 18)"
    )
    _until(page, "Number(document.querySelector('#bench-named').dataset.mapNamesShown) > 0")
    shown = int(page.locator("#bench-named").get_attribute("data-map-names-shown"))
    assert 0 < shown <= 150
    assert not outside, outside
