"""The ``cocity insights`` command and the pages' import compute a data set's report with the
same reader and the same function: on the same files they give the same numbers."""

from __future__ import annotations

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from cocity.insights import services
from cocity.insights.report import ReportOptions

from .platform_helpers import GROUPS, grid_city

pytestmark = pytest.mark.django_db


def _files(tmp_path, hoods):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(7)
    lines = ["code,a,b,total"]
    # In the order the pages read the units back (by territory path), so that every sum is
    # added up in the same order and the numbers are equal to the last bit.
    hoods = sorted(hoods, key=lambda h: h.path)
    for h in hoods:
        a, b = rng.integers(0, 120, 2)
        lines.append(f"{h.code},{a},{b},{a + b + rng.integers(0, 60)}")
    csv_text = "\n".join(lines) + "\n"
    features = [
        {"type": "Feature", "properties": {"code": h.code}, "geometry": h.boundary} for h in hoods
    ]
    geojson_text = json.dumps({"type": "FeatureCollection", "features": features})
    (tmp_path / "counts.csv").write_text(csv_text)
    (tmp_path / "boundaries.geojson").write_text(geojson_text)
    return csv_text, geojson_text


def _command(tmp_path, *extra):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(
        "insights", "indices", str(tmp_path / "counts.csv"), "--id-column", "code",
        "--groups", "a,b", "--total", "total", "--boundaries",
        str(tmp_path / "boundaries.geojson"), "--id-property", "code", *extra,
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return json.loads(out.getvalue())


def _import(city, csv_text, geojson_text, **extra):  # type: ignore[no-untyped-def]
    return services.dataset_import(
        city=city, name="Census", source="", year=2021, groups=GROUPS, total_column="total",
        id_column="code", csv_text=csv_text, geojson_text=geojson_text, **extra,
    ).results  # fmt: skip


def _numbers(report):  # type: ignore[no-untyped-def]
    return {
        key: report[key]
        for key in ("units", "population", "single_group", "multigroup", "spatial", "parameters")
    } | {"contiguity_links": report["contiguity_links"]}


def test_the_command_and_the_import_give_the_same_numbers(tmp_path):
    city, hoods = grid_city(5, 4)
    csv_text, geojson_text = _files(tmp_path, hoods)
    command = _command(tmp_path)
    web = _import(city, csv_text, geojson_text)
    assert web["errors"] == [] and "errors" not in command
    assert _numbers(web) == _numbers(command)  # exactly: same reader, same function, same order
    assert command["parameters"]["coordinates"] == "lonlat"  # the one default, projected
    assert command["spatial"]["a"]["spatial_proximity"] is not None
    assert command["contiguity_links"] > 0


def test_the_projection_is_one_explicit_option_that_changes_proximity_only(tmp_path):
    city, hoods = grid_city(5, 4)
    csv_text, geojson_text = _files(tmp_path, hoods)
    projected = _command(tmp_path, "--coordinates", "projected")
    web = _import(city, csv_text, geojson_text, options=ReportOptions(coordinates="projected"))
    assert _numbers(web) == _numbers(projected)
    lonlat = _command(tmp_path)
    # Contiguity is topological: the same links and spatial dissimilarity either way; the
    # distances of spatial proximity are not.
    assert lonlat["contiguity_links"] == projected["contiguity_links"]
    assert lonlat["spatial"]["a"]["spatial_dissimilarity"] == pytest.approx(
        projected["spatial"]["a"]["spatial_dissimilarity"], abs=1e-15
    )
    assert lonlat["spatial"]["a"]["spatial_proximity"] != pytest.approx(
        projected["spatial"]["a"]["spatial_proximity"], rel=1e-6
    )


def test_a_recomputation_keeps_the_options_of_the_import(tmp_path):
    city, hoods = grid_city(3, 2)
    csv_text, geojson_text = _files(tmp_path, hoods)
    options = ReportOptions(coordinates="projected", contiguity="rook")
    dataset = services.dataset_import(
        city=city, name="Census", source="", year=2021, groups=GROUPS, total_column="total",
        id_column="code", csv_text=csv_text, geojson_text=geojson_text, options=options,
    )  # fmt: skip
    before = dataset.results
    dataset.refresh_from_db()
    services.dataset_compute(dataset=dataset)
    assert dataset.results["parameters"]["contiguity"] == "rook"
    assert dataset.results["spatial"] == before["spatial"]
