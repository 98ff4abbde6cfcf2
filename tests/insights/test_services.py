"""Importing data sets: validation (every problem with its line, nothing written), indices
computed and stored, large imports through the task queue."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from cocity.insights import services
from cocity.insights.models import DataSet, ImportJob, Unit

from .platform_helpers import GROUPS, ROWS, counts_csv, grid_city, square

pytestmark = pytest.mark.django_db


def _import(city, text, **extra):  # type: ignore[no-untyped-def]
    args = {
        "city": city,
        "name": "Census",
        "source": "INSEE",
        "year": 2020,
        "groups": GROUPS,
        "total_column": "total",
        "id_column": "code",
        "csv_text": text,
    }
    args.update(extra)
    return services.dataset_import(**args)


def test_import_computes_and_stores_indices():
    city, hoods = grid_city()
    dataset = _import(city, counts_csv(hoods, ROWS))
    assert dataset.status == DataSet.Status.READY
    assert Unit.objects.filter(dataset=dataset).count() == 6
    results = dataset.results
    assert results["units"] == 6 and results["population"] == 800
    assert 0 < results["single_group"]["a"]["dissimilarity"] < 1
    assert set(results["multigroup"]) >= {"dissimilarity", "gini", "information_theory"}
    # boundaries from the territory tree: a 3 x 2 grid has 7 rook links and 4 corners
    assert results["contiguity_links"] == 11
    assert "spatial_dissimilarity" in results["spatial"]["a"]
    assert set(results["local"]) == {h.code for h in hoods}
    assert results["local"][hoods[0].code]["lq"]["a"] == pytest.approx((100 / 200) / (285 / 800))


def test_every_problem_is_reported_with_its_line_and_nothing_is_written():
    city, hoods = grid_city()
    text = "\n".join(
        [
            "code,a,b,total",
            f"{hoods[0].code},10,5,20",  # line 2: fine
            "XX-NOPE,1,1,2",  # line 3: unknown code
            f"{hoods[0].code},1,1,2",  # line 4: duplicate
            f"{hoods[1].code},-1,5,20",  # line 5: negative
            f"{hoods[2].code},1.5,5,20",  # line 6: not whole
            f"{hoods[3].code},30,5,20",  # line 7: group larger than total
        ]
    )
    with pytest.raises(ValidationError) as caught:
        _import(city, text)
    messages = caught.value.messages
    assert any(m.startswith("Line 3:") and "unknown territory code" in m for m in messages)
    assert any(m.startswith("Line 4:") and "already on line 2" in m for m in messages)
    assert any(m.startswith("Line 5:") and "negative" in m for m in messages)
    assert any(m.startswith("Line 6:") and "whole number" in m for m in messages)
    assert any(m.startswith("Line 7:") and "larger than the total" in m for m in messages)
    assert DataSet.objects.count() == 0 and Unit.objects.count() == 0


def test_missing_columns_are_named():
    city, _hoods = grid_city()
    with pytest.raises(ValidationError) as caught:
        _import(city, "code,a\nX,1\n")
    assert "Line 1: missing column b." in caught.value.messages
    assert "Line 1: missing column total." in caught.value.messages
    assert DataSet.objects.count() == 0


def test_uploaded_geojson_invalid_geometry_is_reported():
    city, hoods = grid_city(2, 1)
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    geo = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": hoods[0].code}, "geometry": square(0, 0)},
            {"type": "Feature", "properties": {"code": hoods[1].code}, "geometry": bowtie},
        ],
    }
    text = counts_csv(hoods, ROWS[:2])
    with pytest.raises(ValidationError) as caught:
        _import(city, text, geojson_text=json.dumps(geo))
    messages = caught.value.messages
    assert any(m.startswith("Feature 2") and "not a valid polygon" in m for m in messages)
    assert any(hoods[1].code in m and "No boundary" in m for m in caught.value.messages)
    assert DataSet.objects.count() == 0


def test_uploaded_geojson_is_stored_per_unit():
    city, hoods = grid_city(2, 1)
    geo = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": h.code}, "geometry": square(i, 5)}
            for i, h in enumerate(hoods)
        ],
    }
    dataset = _import(city, counts_csv(hoods, ROWS[:2]), geojson_text=json.dumps(geo))
    assert dataset.boundaries == DataSet.Boundaries.UPLOAD
    assert dataset.units.first().boundary["type"] == "Polygon"
    assert dataset.results["contiguity_links"] == 1


def test_reimport_replaces_units_and_compares_years():
    city, hoods = grid_city()
    first = _import(city, counts_csv(hoods, ROWS), year=2015)
    later = [(a + 10, b, t + 10) for a, b, t in ROWS]
    second = _import(city, counts_csv(hoods, later), year=2020)
    comparison = second.results["comparison"]
    assert comparison["previous_year"] == 2015 and comparison["previous_id"] == first.pk
    assert 0 < comparison["p_value"] <= 1
    again = _import(city, counts_csv(hoods, ROWS), year=2020, dataset=second)
    assert again.pk == second.pk and Unit.objects.filter(dataset=second).count() == 6


def test_large_import_runs_on_the_queue_with_progress(settings):
    settings.COCITY_INSIGHTS_ASYNC_ROWS = 3  # the immediate backend runs it at commit
    city, hoods = grid_city()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        dataset = _import(city, counts_csv(hoods, ROWS))
    job = ImportJob.objects.get(dataset=dataset)
    dataset.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.rows_done, job.rows_total, job.percent) == (6, 6, 100)
    assert job.payload == []
    assert dataset.status == DataSet.Status.READY and dataset.results["units"] == 6


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_large_import_through_the_database_queue_and_a_worker(
    settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.COCITY_INSIGHTS_ASYNC_ROWS = 3
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    city, hoods = grid_city()
    with django_capture_on_commit_callbacks(execute=True):
        dataset = _import(city, counts_csv(hoods, ROWS))
    job = ImportJob.objects.get(dataset=dataset)
    assert job.status == ImportJob.Status.QUEUED and Unit.objects.count() == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", batch=True, verbosity=0)
    job.refresh_from_db()
    dataset.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.rows_done == 6
    assert dataset.status == DataSet.Status.READY and dataset.results["units"] == 6
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
