"""The demo's districts and neighbourhoods (network/data/demo_shapes.json, written by
tools/demo_shapes.py): valid polygons that tile their district and touch their neighbours, so
the insights demo's spatial indices (queen contiguity) have values; Bologna's commons inside
their neighbourhoods."""

from __future__ import annotations

import shapely
from shapely.geometry import shape

from cocity.commons.demo import COMMONS
from cocity.core import geojson
from cocity.network.demo import SHAPES


def test_every_demo_shape_is_a_boundary_cocity_accepts() -> None:
    _shapes, problems = geojson.check_boundaries(list(SHAPES.values()))
    assert problems == [None] * len(SHAPES)


def test_neighbourhoods_tile_their_district_and_touch() -> None:
    for city in ("FR-MRS", "BE-BRU", "DE-BER", "IT-BLQ"):
        districts = sorted(c for c in SHAPES if c.startswith(city) and c.count("-") == 2)
        assert len(districts) == 2, city
        for district in districts:
            hoods = [shape(SHAPES[c]) for c in SHAPES if c.startswith(district + "-")]
            whole = shapely.union_all(hoods)
            area = shape(SHAPES[district]).area  # the same, up to rounding to 1e-5 degrees
            assert abs(whole.area - area) < area * 1e-3
            assert shapely.coverage_is_valid(shapely.GeometryCollection(hoods))
            if len(hoods) > 1:  # each touches at least one other (queen contiguity)
                for i, hood in enumerate(hoods):
                    assert any(hood.touches(o) for j, o in enumerate(hoods) if j != i)
            assert shape(SHAPES[city]).covers(shape(SHAPES[district]))


def test_districts_that_touch_in_reality_touch_in_the_demo() -> None:
    for a, b in [
        ("FR-MRS-01", "FR-MRS-02"),
        ("BE-BRU-01", "BE-BRU-02"),
        ("IT-BLQ-01", "IT-BLQ-02"),
    ]:
        assert shape(SHAPES[a]).touches(shape(SHAPES[b])), (a, b)
    assert not shape(SHAPES["DE-BER-01"]).intersects(shape(SHAPES["DE-BER-02"]))


def test_bologna_commons_sit_in_their_neighbourhoods() -> None:
    placed = [row for row in COMMONS if row[4] is not None]
    assert len(placed) == 3
    for _slug, name, _kind, code, lat, lon, *_rest in placed:
        assert shape(SHAPES[code]).contains(shapely.Point(lon, lat)), name
