"""The map component's server side: its template tag (tiles from the settings, none in tests,
the CSP), the display simplification of boundaries, the pacts map page's data attributes and
htmx fragment, and the insights choropleth's classes and compact encoding."""

from __future__ import annotations

import json
import math

import pytest
from django.template import Context, Template
from django.urls import reverse

from cocity.core import geojson
from cocity.insights import maps as insights_maps
from cocity.settings.base import map_tiles_origin
from tests.factories import CommonsFactory, PactFactory, TerritoryFactory


def _assets(settings, url: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    settings.COCITY_MAP_TILES_URL = url
    html = Template("{% load maps %}{% map_assets %}").render(Context())
    start = html.index('id="map-config"')
    text = html[html.index(">", start) + 1 : html.index("</script>", start)]
    assert "vendor/leaflet-1.9.4/leaflet.js" in html and "cocity/js/map.js" in html
    return json.loads(text)


def test_map_config_has_the_tiles_or_none(settings):  # type: ignore[no-untyped-def]
    assert _assets(settings, "")["tiles"] == ""
    config = _assets(settings, "https://tile.example.org/{z}/{x}/{y}.png")
    assert config["tiles"] == "https://tile.example.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in config["attribution"]
    assert config["maxZoom"] == 19
    assert "No base map" in config["texts"]["noTiles"]


def test_tests_run_without_tiles(settings):  # type: ignore[no-untyped-def]
    assert settings.COCITY_MAP_TILES_URL == ""


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("", ""),
        ("javascript:alert(1)", ""),
        ("/tiles/{z}/{x}/{y}.png", ""),
    ],
)
def test_tile_origin_for_the_csp(url: str, origin: str) -> None:
    assert map_tiles_origin(url) == origin


def test_simplified_keeps_shapes_drops_invisible_detail() -> None:
    wiggly = [[0, 0], [0.5, 0.0000001], [1, 0], [1, 1], [0, 1], [0, 0]]
    tiny = [[5, 5], [5.0000001, 5], [5.0000001, 5.0000001], [5, 5]]
    shapes = geojson.simplified(
        [
            {"type": "Polygon", "coordinates": [wiggly]},
            None,
            {"type": "Polygon", "coordinates": [tiny]},
        ],
        tolerance=geojson.display_tolerance(0, 0, 1, 1),
    )
    assert shapes[0] == {
        "type": "Polygon",
        "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]],
    }
    assert shapes[1] is None
    assert shapes[2] is not None  # a tiny area stays drawn


def _grid(n: int) -> list:  # type: ignore[type-arg]
    features = []
    for i in range(n):
        for j in range(n):
            x, y = 4.3 + i * 0.001, 50.8 + j * 0.001
            ring = [[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]
            value = None if (i, j) == (0, 0) else ((i * 7 + j * 13) % 100) / 50
            text = "fewer than 10" if value is None else f"{value:.2f}"
            features.append(
                (
                    f"U{i}-{j}",
                    f"Unit {i}-{j}",
                    {"type": "Polygon", "coordinates": [ring]},
                    value,
                    text,
                )
            )
    return features


def test_quantile_classes_counts_and_legend_bounds() -> None:
    features = _grid(10)
    chosen = insights_maps.choropleth(features, diverging=True)
    assert chosen is not None and chosen.method == "quantiles"
    values = [f[3] for f in features if f[3] is not None]
    classes = [item for item in chosen.legend if item.count is not None]
    assert len(classes) == 5
    assert sum(item.count for item in classes) == len(values) == 99
    for item in classes:
        inside = [
            v for v in values
            if (item.low is None or v >= item.low) and (item.high is None or v < item.high)
        ]  # fmt: skip
        assert len(inside) == item.count
        assert 10 <= item.count <= 30  # about a fifth each
    assert chosen.legend[-1].fill == insights_maps.NO_DATA
    fixed = insights_maps.choropleth(features, diverging=True, method="fixed")
    assert fixed is not None
    assert [i.high for i in fixed.legend[:4]] == insights_maps.RATIO_BREAKS
    assert "Fixed" in fixed.method_label


def test_quantiles_with_ties_use_fewer_classes() -> None:
    features = [(*f[:3], 1.0, "1.00") for f in _grid(3)]
    chosen = insights_maps.choropleth(features, diverging=False)
    assert chosen is not None
    assert [item.count for item in chosen.legend if item.count is not None] == [9]


def _decode(text: str) -> dict:  # type: ignore[type-arg]
    data = json.loads(text)
    step = data["step"]
    out = {}
    for code, name, label, k, rings in data["areas"]:
        ring, x, y = [], 0, 0
        for dx, dy in rings[0]:
            x, y = x + dx, y + dy
            ring.append([round(x * step, 6), round(y * step, 6)])
        out[code] = (name, label, k, ring, rings[-1] is None)
    return out


def test_interactive_choropleth_is_compact_and_decodes_to_the_areas() -> None:
    features = _grid(100)  # 10,000 areas
    chosen = insights_maps.choropleth(features, diverging=True)
    assert chosen is not None
    text = insights_maps.interactive(chosen, features)
    assert len(text.encode()) < 1_000_000
    areas = _decode(text)
    assert len(areas) == 10_000
    name, label, k, ring, closed = areas["U3-4"]
    assert (name, label, closed) == ("Unit 3-4", "1.46", True)
    assert ring[0] == [4.303, 50.804] and ring[2] == [4.304, 50.805]
    assert k == next(a.k for a in chosen.areas if a.code == "U3-4")
    assert areas["U0-0"][2] is None  # no data: no class


def test_interactive_choropleth_escapes_script_breakers() -> None:
    features = [(c, "</script><b>&", g, v, t) for c, _n, g, v, t in _grid(2)]
    chosen = insights_maps.choropleth(features, diverging=True)
    assert chosen is not None
    text = insights_maps.interactive(chosen, features)
    assert "<" not in text and ">" not in text and "&" not in text
    assert _decode(text)["U0-1"][0] == "</script><b>&"


@pytest.mark.django_db
def test_pacts_map_page_feeds_the_component_and_swaps_with_htmx(client):  # type: ignore[no-untyped-def]
    hood = TerritoryFactory(code="MAPHOOD")
    pact = PactFactory(
        commons=CommonsFactory(latitude=44.5, longitude=11.34, territory=hood), title="Benches"
    )
    page = client.get(reverse("commons:map"), {"territory": "MAPHOOD", "bbox": "1,2,3,4"})
    html = page.content.decode()
    assert 'data-map-points="/commons/map.geojson?territory=MAPHOOD"' in html
    assert 'data-map-bounds="1.0,2.0,3.0,4.0"' in html
    assert "vendor/leaflet-1.9.4/leaflet.js" in html  # loaded only on map pages
    assert "vendor/leaflet" not in client.get(reverse("commons:index")).content.decode()
    fragment = client.get(reverse("commons:map"), {"territory": "MAPHOOD"}, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body and "Benches" in body and 'hx-target="#map-body"' in body
    assert "HX-Request" in fragment["Vary"]
    data = json.loads(client.get(reverse("commons:map_geojson")).content)
    (feature,) = [f for f in data["features"] if f["id"] == pact.pk]
    assert feature["properties"]["status_label"] == "active"
    assert math.isclose(feature["geometry"]["coordinates"][1], 44.5)


SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[11.30, 44.50], [11.40, 44.50], [11.40, 44.53], [11.30, 44.53], [11.30, 44.50]]
    ],
}


def test_point_inside_a_boundary() -> None:
    from django.core.exceptions import ValidationError

    from cocity.core.geo import check_point_inside, point_inside

    assert point_inside(SQUARE, 44.51, 11.35)
    assert point_inside(SQUARE, 44.50, 11.35)  # on the edge
    assert not point_inside(SQUARE, 44.6, 11.35)
    assert point_inside(None, 80, 170)
    check_point_inside(SQUARE, None, None, place="Navile")  # no point: nothing to check
    with pytest.raises(ValidationError) as caught:
        check_point_inside(SQUARE, 44.6, 11.35, place="Navile")
    assert caught.value.code == "outside_territory"
    assert "outside Navile" in caught.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lat", "lon", "problem"),
    [
        ("44.6", "11.35", "outside Navile"),
        ("95", "11.35", "less than or equal to 90"),
        ("44.5", "200", "less than or equal to 180"),
        ("north", "11.35", "Enter a number"),
        ("44.51", "11.35", None),
    ],
)
def test_idea_form_keeps_the_point_in_the_space_territory(lat, lon, problem):  # type: ignore[no-untyped-def]
    from cocity.plans.forms import IdeaForm
    from tests.factories import UserFactory, process_in_phase

    hood = TerritoryFactory(name="Navile", boundary=SQUARE)
    process, _organiser = process_in_phase("collect")
    process.space.territory = hood
    process.space.save()
    data = {"title": "Benches", "body": "Here.", "latitude": lat, "longitude": lon}
    form = IdeaForm(data, user=UserFactory(), process=process)
    assert form.is_valid() is (problem is None)
    if problem:
        assert problem in " ".join(
            form.errors.get("latitude", []) + form.errors.get("longitude", [])
        )


@pytest.mark.django_db
def test_commons_form_keeps_the_point_in_its_territory():  # type: ignore[no-untyped-def]
    from cocity.commons.forms import CommonsForm

    hood = TerritoryFactory(name="Navile", boundary=SQUARE)
    base = {
        "name": "Garden", "slug": "garden", "kind": "place", "territory": hood.pk,
        "owner": "municipality", "condition": "good", "latitude": "44.6", "longitude": "11.35",
    }  # fmt: skip
    form = CommonsForm(base)
    form.is_valid()
    assert "outside Navile" in " ".join(form.errors.get("latitude", []))
    form = CommonsForm({**base, "latitude": "44.51"})
    form.is_valid()
    assert "latitude" not in form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bbox", "status"),
    [
        ("nan,0,1,1", 400),
        ("-inf,-90,inf,90", 400),
        ("1,2,3,4,5", 400),
        ("3,2,1,4", 400),  # west east of east
        ("x" * 5000, 400),
        ('{"type":"Polygon"}', 400),
        ("-180,-90,180,90", 200),  # the whole world: capped like any area
    ],
)
def test_map_data_bad_or_huge_bbox_is_a_clear_answer(client, settings, bbox, status):  # type: ignore[no-untyped-def]
    from cocity.commons import selectors

    monkey_limit = 3
    settings.COCITY_PAGE_CACHE = False
    hood = TerritoryFactory()
    for i in range(monkey_limit + 2):
        PactFactory(commons=CommonsFactory(latitude=10 + i, longitude=10 + i, territory=hood))
    original = selectors.MAP_LIMIT
    selectors.MAP_LIMIT = monkey_limit
    try:
        response = client.get(reverse("commons:map_geojson"), {"bbox": bbox})
    finally:
        selectors.MAP_LIMIT = original
    assert response.status_code == status
    data = json.loads(response.content)
    if status == 400:
        assert "bbox" in data["error"]
    else:
        assert len(data["features"]) == monkey_limit and data["truncated"] is True


def test_zoom_tolerance_halves_with_each_zoom() -> None:
    assert insights_maps.zoom_tolerance(0) == 360 / 512
    assert insights_maps.zoom_tolerance(12) == insights_maps.zoom_tolerance(11) / 2
    assert insights_maps.zoom_tolerance(99) == insights_maps.zoom_tolerance(20)
    wiggle = [[4.3, 50.8], [4.35, 50.80001], [4.4, 50.8], [4.4, 50.9], [4.3, 50.9], [4.3, 50.8]]
    features = [("A", "A", {"type": "Polygon", "coordinates": [wiggle]}, 1.0, "1")]
    chosen = insights_maps.choropleth(features, diverging=True)
    assert chosen is not None
    coarse = json.loads(insights_maps.interactive(chosen, features, zoom=10))
    fine = json.loads(insights_maps.interactive(chosen, features, zoom=20))
    assert len(coarse["areas"][0][4][0]) == 5  # the 1 m wiggle simplified away
    assert len(fine["areas"][0][4][0]) == 6  # kept at street level
    assert fine["step"] < coarse["step"]


def test_approximate_boundaries_are_flagged_for_the_map() -> None:
    """A place whose outline is approximate (the demo's, Territory.boundary_approximate) carries
    ``approximate`` to map.js, which then says so under the map; an official one does not."""
    from cocity.core.templatetags.maps import places_collection

    square = {
        "type": "Polygon",
        "coordinates": [[[5.3, 43.3], [5.4, 43.3], [5.4, 43.4], [5.3, 43.4], [5.3, 43.3]]],
    }

    class Place:
        def __init__(self, code: str, approximate: bool) -> None:
            self.code, self.name, self.boundary = code, code, square
            self.boundary_approximate = approximate

        def get_absolute_url(self) -> str:
            return f"/places/{self.code}/"

    collection = places_collection([Place("A", True), Place("B", False)], Place("C", True))
    assert collection is not None
    flags = {
        f["properties"]["name"]: f["properties"].get("approximate") for f in collection["features"]
    }
    assert flags == {"A": True, "B": None, "C": True}
    features = _grid(2)
    chosen = insights_maps.choropleth(features, diverging=True)
    assert chosen is not None
    assert "approximate" not in json.loads(insights_maps.interactive(chosen, features))
    marked = json.loads(insights_maps.interactive(chosen, features, approximate=True))
    assert marked["approximate"] is True


def _square(west: float, south: float, size: float = 0.01) -> dict:  # type: ignore[type-arg]
    ring = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _pact_places(html: str) -> dict:  # type: ignore[type-arg]
    start = html.index('id="pact-places"')
    return json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])


def _city_with_parts(code: str, parts: int, *, lon: float) -> list:  # type: ignore[type-arg]
    city = TerritoryFactory(
        code=code, name=f"City {code}", kind="city", parent=TerritoryFactory(code=f"{code}X")
    )
    city.boundary = _square(lon, 44, 1)
    city.save()
    return [
        TerritoryFactory(
            code=f"{code}-{n}",
            name=f"Hood {code}-{n}",
            kind="neighbourhood",
            parent=city,
            boundary=_square(lon + n * 0.01, 44.0),
        )
        for n in range(parts)
    ]


@pytest.mark.django_db
def test_pacts_map_without_a_place_names_the_neighbourhoods_of_the_pacts_cities(client):  # type: ignore[no-untyped-def]
    hoods = _city_with_parts("CTXA", 3, lon=11.3)
    unrelated = _city_with_parts("CTXB", 2, lon=5.3)  # no pact there: not drawn
    PactFactory(commons=CommonsFactory(territory=hoods[0], latitude=44.005, longitude=11.305))
    # A pact in a city that is not public (a draft) does not bring its city onto the map.
    hidden = _city_with_parts("CTXC", 2, lon=2.3)
    PactFactory(state="draft", commons=CommonsFactory(territory=hidden[0]))
    html = client.get(reverse("commons:map")).content.decode()
    data = _pact_places(html)
    names = {f["properties"]["name"] for f in data["features"]}
    # the parts of the pact's city, not the city, nor another city, nor the draft's city
    assert names == {"Hood CTXA-0", "Hood CTXA-1", "Hood CTXA-2"}
    assert unrelated[0].name not in names and hidden[0].name not in names
    assert not any("url" in f["properties"] for f in data["features"])  # a click is the map's
    assert 'data-map-features="pact-places" data-map-area-names' in html
    assert "the cities with the most pacts listed" not in html  # nothing left out


@pytest.mark.django_db
def test_context_areas_are_capped_and_say_so(client, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    from cocity.network.selectors.territories import city_areas

    cities = [_city_with_parts(f"CAP{n}", 2, lon=n * 2.0) for n in range(4)]
    for n, hoods in enumerate(cities):
        for _ in range(4 - n):  # CAP0 holds the most pacts, CAP3 the fewest
            PactFactory(commons=CommonsFactory(territory=hoods[0], latitude=44, longitude=n * 2.0))
    paths = [hoods[0].path for n, hoods in enumerate(cities) for _ in range(4 - n)]
    with django_assert_max_num_queries(2):  # which are cities, then their parts
        around = city_areas(paths, max_cities=3, max_areas=200)
    assert around.capped
    assert {a.code for a in around.areas} == {f"CAP{n}-{p}" for n in range(3) for p in range(2)}
    few = city_areas(paths, max_cities=3, max_areas=4)
    assert few.capped and len(few.areas) == 4
    whole = city_areas(paths[:4], max_cities=3, max_areas=200)  # CAP0 only: nothing left out
    assert not whole.capped and len(whole.areas) == 2
    # A city without parts with a boundary stands for itself; a country alone is no city; a
    # city with no country above it is still a city.
    lone = TerritoryFactory(code="LONE", name="Lone city", kind="city", parent=TerritoryFactory())
    lone.boundary = _square(20, 40)
    lone.save()
    assert [a.code for a in city_areas([lone.path, "ONLYCOUNTRY/"]).areas] == ["LONE"]
    top = TerritoryFactory(code="TOPCITY", kind="city")
    TerritoryFactory(code="TOPCITY-1", kind="district", parent=top, boundary=_square(0, 0))
    deep = TerritoryFactory(code="TOPCITY-1-1", kind="neighbourhood", parent=top)
    assert [a.code for a in city_areas([deep.path]).areas] == ["TOPCITY-1"]
    html = client.get(reverse("commons:map")).content.decode()
    assert "the cities with the most pacts listed (at most 3)" in html
    names = {f["properties"]["name"] for f in _pact_places(html)["features"]}
    assert "Hood CAP3-0" not in names and "Hood CAP0-0" in names
