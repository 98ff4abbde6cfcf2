"""A city's downloadable templates (``views_templates.dataset_template``): each kind holds the
city's current codes (its newest geography version's, else the places of its tree without
places under them) and the groups to fill in, and reads back with the import's readers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
import shapely.geometry
from django.urls import reverse

from cocity.insights import services, sources
from cocity.insights.models import Geography, GeographyArea
from tests.factories import TerritoryFactory

from .platform_helpers import GROUPS, ROWS, counts_csv, grid_city, square

pytestmark = pytest.mark.django_db

TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "shp.zip": "application/zip",
}


def download(client, code, kind, tmp_path):  # type: ignore[no-untyped-def]
    response = client.get(reverse("insights:dataset_template", args=[code, kind]))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].split(";")[0] == TYPES[kind]
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="cocity-{code.upper()}-template.{kind}"'
    )
    path = tmp_path / f"template.{kind}"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows, read back by the import's reader."""
    info = sources.inspect_table(path, filename=path.name)
    records = [cells for _line, cells in sources.table_records(path, info)]
    return records[0], records[1:]


def read_layer(path: Path) -> sources.Boundaries:
    return sources.read_boundaries(
        path, filename=path.name, code_property="code", name_property="name", key=str
    )


def multi(geometry):  # type: ignore[no-untyped-def]
    shape = shapely.geometry.shape(geometry)
    if shape.geom_type == "Polygon":
        shape = shapely.geometry.MultiPolygon([shape])
    return shape.normalize()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_counts_templates_hold_the_leaves_of_the_tree(client, tmp_path, kind):
    _city, hoods = grid_city(3, 2)
    path = download(client, "fr-mrs", kind, tmp_path)
    header, rows = read_table(path)
    assert header == ["code", "name", "group_a", "group_b", "total"]
    # The district has places under it: only the neighbourhoods are units.
    assert [r[0] for r in rows] == [h.code for h in hoods]
    assert [r[1] for r in rows] == [h.name for h in hoods]
    assert all(cell == "" for r in rows for cell in r[2:])


def test_the_excel_template_is_a_workbook_of_text_codes(client, tmp_path):
    grid_city(2, 1)
    path = download(client, "FR-MRS", "xlsx", tmp_path)
    sheet = openpyxl.load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["code", "name", "group_a", "group_b", "total"]
    assert values[1][:2] == ["FR-MRS-01-1", "Quarter 1"]


@pytest.mark.parametrize("kind", ["geojson", "gpkg", "shp.zip"])
def test_boundary_templates_hold_the_codes_and_their_polygons(client, tmp_path, kind):
    _city, hoods = grid_city(3, 2)
    read = read_layer(download(client, "FR-MRS", kind, tmp_path))
    assert read.codes == [h.code for h in hoods]
    assert read.names == [h.name for h in hoods]
    for hood, geometry in zip(hoods, read.geometries, strict=True):
        # Polygons come back as MultiPolygons of the same square (longitude/latitude).
        # (to the 15 significant digits GDAL writes GeoJSON coordinates with).
        assert multi(geometry).equals_exact(multi(hood.boundary), 1e-12)


def test_the_groups_are_those_of_the_newest_ready_data_set(client, tmp_path):
    city, hoods = grid_city(3, 2)
    services.dataset_import(
        city=city, name="Census", source="", year=2021, groups=GROUPS, total_column="total",
        id_column="code", csv_text=counts_csv(hoods, ROWS),
    )  # fmt: skip
    header, _rows = read_table(download(client, "FR-MRS", "csv", tmp_path))
    assert header == ["code", "name", "a", "b", "total"]


def test_the_newest_geography_version_gives_the_codes(client, tmp_path):
    city, hoods = grid_city(2, 1)
    old = Geography.objects.create(city=city, name="IRIS", version="2015")
    GeographyArea.objects.create(geography=old, code="OLD", name="Old", territory=hoods[0])
    new = Geography.objects.create(city=city, name="IRIS", version="2021")
    for code, hood, x in (("13201", hoods[0], 0), ("13202", hoods[1], 1)):
        GeographyArea.objects.create(
            geography=new, code=code, name=f"Iris {code}", territory=hood, boundary=square(x, 5)
        )
    _header, rows = read_table(download(client, "FR-MRS", "csv", tmp_path))
    assert [r[:2] for r in rows] == [["13201", "Iris 13201"], ["13202", "Iris 13202"]]
    read = read_layer(download(client, "FR-MRS", "gpkg", tmp_path))
    assert read.codes == ["13201", "13202"]


def test_a_filled_in_template_imports_as_it_comes(client, tmp_path):
    city, _hoods = grid_city(3, 2)
    path = download(client, "FR-MRS", "csv", tmp_path)
    lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    for row, (a, b, total) in zip(lines[1:], ROWS, strict=True):
        row[2:] = [str(a), str(b), str(total)]
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    dataset = services.dataset_import(
        city=city, name="Census", source="", year=2021, total_column="total", id_column="code",
        groups=[{"column": "group_a", "label": "A"}, {"column": "group_b", "label": "B"}],
        csv_text=out.getvalue(),
    )  # fmt: skip
    assert dataset.status == "ready" and dataset.results["units"] == 6


def test_a_city_without_boundaries_gets_counts_templates_only(client, tmp_path):
    country = TerritoryFactory(name="Deutschland", code="DE", kind="country")
    city = TerritoryFactory(name="Leipzig", code="DE-LEJ", kind="city", parent=country)
    for n in (1, 2):
        TerritoryFactory(
            name=f"Ortsteil {n}", code=f"DE-LEJ-{n}", kind="neighbourhood", parent=city
        )
    _header, rows = read_table(download(client, "DE-LEJ", "csv", tmp_path))
    assert [r[0] for r in rows] == ["DE-LEJ-1", "DE-LEJ-2"]
    download(client, "DE-LEJ", "xlsx", tmp_path)
    for kind in ("gpkg", "geojson", "shp.zip"):
        response = client.get(reverse("insights:dataset_template", args=["DE-LEJ", kind]))
        assert response.status_code == 404
        assert b"has a boundary yet" in response.content
        assert reverse("insights:dataset_template", args=["DE-LEJ", "csv"]).encode() in (
            response.content
        )


def test_unknown_kinds_and_cities_are_not_found(client):
    grid_city(2, 1)
    assert client.get("/insights/FR-MRS/template.pdf").status_code == 404
    assert client.get("/insights/FR-MRS/template.zip").status_code == 404
    assert (
        client.get(reverse("insights:dataset_template", args=["XX-NONE", "csv"])).status_code == 404
    )
    assert (
        client.get(reverse("insights:dataset_template", args=["FR-MRS-01", "csv"])).status_code
        == 404
    )


def test_the_template_reads_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    grid_city(3, 2)
    url = reverse("insights:dataset_template", args=["FR-MRS", "csv"])
    with django_assert_num_queries(4):  # the city, its geography, its units, its groups
        response = client.get(url)
    assert response.status_code == 200
