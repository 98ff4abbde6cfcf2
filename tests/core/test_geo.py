"""One rule for GeoJSON boundaries (cocity.core.geojson on shapely, cocity.core.geo for Django):
what it accepts and refuses, and that no nesting depth can crash it."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cocity.core import geo, geojson

SQUARE = {"type": "Polygon", "coordinates": [[[4, 50], [5, 50], [5, 51], [4, 51], [4, 50]]]}
HOLED = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[2, 2], [2, 3], [3, 3], [3, 2], [2, 2]],
    ],
}
MULTI = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], HOLED["coordinates"]]}
DEEP_TEXT = "[" * 100_000 + "]" * 100_000

GOOD = {
    "polygon": SQUARE,
    "polygon with a hole": HOLED,
    "multipolygon": MULTI,
    "feature": {"type": "Feature", "properties": {"a": 1}, "geometry": SQUARE},
    "text": json.dumps(SQUARE),
    "three numbers a position": {
        "type": "Polygon",
        "coordinates": [[[4, 50, 1], [5, 50, 1], [5, 51, 1], [4, 50, 1]]],
    },
}
BAD = {
    "point": ({"type": "Point", "coordinates": [4, 50]}, "not_polygon"),
    "collection": ({"type": "GeometryCollection", "geometries": [SQUARE]}, "not_polygon"),
    "no type": ({"coordinates": SQUARE["coordinates"]}, "not_polygon"),
    "list": ([SQUARE], "not_object"),
    "feature without geometry": ({"type": "Feature", "geometry": None}, "no_geometry"),
    "not JSON": ("{nope", "bad_json"),
    "open ring": (
        {"type": "Polygon", "coordinates": [[[4, 50], [5, 50], [5, 51], [4, 51]]]},
        "open_ring",
    ),
    "two positions": ({"type": "Polygon", "coordinates": [[[4, 50], [4, 50]]]}, "short_ring"),
    "self-intersecting": (
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        "invalid",
    ),
    "hole outside its shell": (
        {
            "type": "Polygon",
            "coordinates": [
                [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]],
                [[5, 5], [5, 6], [6, 6], [6, 5], [5, 5]],
            ],
        },
        "invalid",
    ),
    "longitude out of range": (
        {"type": "Polygon", "coordinates": [[[400, 50], [401, 50], [401, 51], [400, 50]]]},
        "out_of_range",
    ),
    "text in a position": (
        {"type": "Polygon", "coordinates": [[["4", 50], [5, 50], [5, 51], ["4", 50]]]},
        "bad_coordinates",
    ),
    "one number a position": (
        {"type": "Polygon", "coordinates": [[[4], [5, 50], [5, 51], [4]]]},
        "bad_coordinates",
    ),
    "nested one level too deep": (
        {"type": "Polygon", "coordinates": [SQUARE["coordinates"]]},
        "bad_coordinates",
    ),
    "no coordinates": ({"type": "Polygon", "coordinates": []}, "empty"),
    "null coordinates": ({"type": "Polygon"}, "bad_coordinates"),
    "not a number": ({"type": "Polygon", "coordinates": [[[1e400, 0]]]}, "bad_coordinates"),
    "nested 100,000 deep": (DEEP_TEXT, "too_deep"),
    "geometry nested 100,000 deep": (
        '{"type": "Polygon", "coordinates": ' + DEEP_TEXT + "}",
        "too_deep",
    ),
}


@pytest.mark.parametrize("value", GOOD.values(), ids=GOOD.keys())
def test_good_boundaries_are_accepted_as_bare_geometries(value):
    geometry = geo.normalise_boundary(value)
    assert set(geometry) == {"type", "coordinates"}
    assert geometry["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize(("value", "code"), BAD.values(), ids=BAD.keys())
def test_bad_boundaries_are_refused_with_their_reason(value, code):
    with pytest.raises(ValidationError) as caught:
        geo.normalise_boundary(value)
    assert caught.value.code == code
    with pytest.raises(geojson.GeoJSONError) as plain:
        geojson.boundary(value)
    assert plain.value.code == code


def test_a_dict_nested_beyond_pythons_recursion_limit_is_refused():
    deep: list = []
    inner = deep
    for _ in range(100_000):
        inner.append([])
        inner = inner[0]
    with pytest.raises(ValidationError) as caught:
        geo.normalise_boundary({"type": "Polygon", "coordinates": deep})
    assert caught.value.code in ("too_deep", "bad_coordinates")


def test_nothing_is_no_boundary():
    assert geo.normalise_boundary(None) is None
    assert geo.normalise_boundary("") is None


def test_projected_coordinates_only_where_asked():
    metres = {"type": "Polygon", "coordinates": [[[0, 0], [500, 0], [500, 500], [0, 0]]]}
    assert geojson.boundary(metres, geographic=False) == metres
    with pytest.raises(geojson.GeoJSONError, match="longitude"):
        geojson.boundary(metres)


def test_many_at_once_is_the_same_rule_as_one_at_a_time():
    values = [*GOOD.values(), *(value for value, _code in BAD.values())]
    shapes, problems = geojson.check_boundaries(values)
    for value, shape, problem in zip(values, shapes, problems, strict=True):
        try:
            geojson.boundary(value)
        except geojson.GeoJSONError as error:
            assert shape is None and problem is not None and problem.code == error.code
        else:
            assert shape is not None and problem is None


def test_a_bad_value_among_many_does_not_shift_the_others():
    # strings with brackets are unbalanced text: the next geometries must still be checked right
    bad = {"type": "Polygon", "coordinates": [[["[[[", 0], [1, 0], [1, 1], [0, 0]]]}
    _shapes, problems = geojson.check_boundaries([bad, SQUARE, MULTI, bad, SQUARE])
    assert [p and p.code for p in problems] == [
        "bad_coordinates",
        None,
        None,
        "bad_coordinates",
        None,
    ]


def test_depth_is_counted_outside_strings():
    assert geojson.nesting_depth('{"a": [[1]], "b": "[[[[[[[[[["}') == 3
    assert geojson.loads('{"a": "' + "[" * 1000 + '"}') == {"a": "[" * 1000}


def test_messages_are_in_french():
    params = {
        "too_deep": {"limit": 32},
        "not_polygon": {"kind": "Point"},
        "invalid": {"reason": "x"},
    }
    assert set(geo.MESSAGES) == set(geojson.MESSAGES)
    for code in geo.MESSAGES:
        error = geojson.GeoJSONError(code, **params.get(code, {}))
        english = geo.message(error)
        with translation.override("fr"):
            assert geo.message(error) != english, english


def test_the_form_field_reports_a_deep_text_as_an_error():
    field = geo.BoundaryField(required=False)
    with pytest.raises(ValidationError) as caught:
        field.clean(DEEP_TEXT)
    assert caught.value.code == "too_deep"
    assert field.has_changed(None, DEEP_TEXT)
    assert str(field.bound_data(DEEP_TEXT, None)) == DEEP_TEXT
    assert field.clean(json.dumps(SQUARE)) == SQUARE
