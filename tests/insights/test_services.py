"""Importing data sets: validation (every problem with its line, nothing written), indices
computed and stored, large imports through the task queue."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import TestCase

from cocity.insights import services
from cocity.insights.models import DataSet, ImportJob, StagedUnit, Unit

from .platform_helpers import GROUPS, ROWS, counts_csv, grid_city, square, task_callbacks

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
    assert not StagedUnit.objects.exists() and not default_storage.exists(job.counts_file)
    assert dataset.status == DataSet.Status.READY and dataset.results["units"] == 6


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_large_import_through_the_database_queue_and_a_worker(
    settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.COCITY_INSIGHTS_ASYNC_ROWS = 3
    settings.COCITY_OPEN_DATA_ON_WRITE = False  # this queue holds the import's task alone
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


# --------------------------------------------------------------------------- large uploads


def _queued(city, text, **extra):  # type: ignore[no-untyped-def]
    args = {
        "city": city,
        "name": "Census",
        "source": "INSEE",
        "year": 2020,
        "groups": GROUPS,
        "total_column": "total",
        "id_column": "code",
        "counts": ContentFile(text.encode()),
    }
    args.update(extra)
    return services.dataset_import_queued(**args)


def _units(dataset):  # type: ignore[no-untyped-def]
    return sorted(Unit.objects.filter(dataset=dataset).values_list("territory_id", "counts"))


def test_a_replacement_that_fails_in_the_background_keeps_the_old_units(settings, monkeypatch):
    city, hoods = grid_city()
    dataset = _import(city, counts_csv(hoods, ROWS))
    before, results = _units(dataset), dataset.results
    settings.COCITY_INSIGHTS_ASYNC_ROWS = 3  # the replacement's 6 rows are written by the task

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the computation failed")

    monkeypatch.setattr(services, "compute_report", broken)
    later = [(a + 10, b, t + 10) for a, b, t in ROWS]
    with TestCase.captureOnCommitCallbacks(execute=True):
        _import(city, counts_csv(hoods, later), name="Census 2", dataset=dataset)
    dataset.refresh_from_db()
    job = ImportJob.objects.get(dataset=dataset)
    assert job.status == ImportJob.Status.FAILED and "the computation failed" in job.error
    assert _units(dataset) == before and dataset.results == results
    assert dataset.status == DataSet.Status.READY and dataset.name == "Census"
    assert not StagedUnit.objects.exists()


def test_a_large_replacement_with_problems_keeps_the_old_data_set(settings):
    city, hoods = grid_city()
    dataset = _import(city, counts_csv(hoods, ROWS))
    before, results = _units(dataset), dataset.results
    bad = counts_csv(hoods, ROWS).replace(f"{hoods[2].code},", "NOPE,", 1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        _queued(city, bad, name="Census 2", year=2021, dataset=dataset)
    dataset.refresh_from_db()
    job = ImportJob.objects.get(dataset=dataset)
    assert job.status == ImportJob.Status.FAILED and job.problems_total == 1
    assert job.problem_texts() == ["Line 4: unknown territory code “NOPE” in Marseille."]
    assert _units(dataset) == before and dataset.results == results
    assert (dataset.name, dataset.year, dataset.status) == ("Census", 2020, "ready")
    assert not StagedUnit.objects.exists() and not default_storage.exists(job.counts_file)


def test_a_large_replacement_puts_its_units_name_and_results_on_at_once():
    city, hoods = grid_city()
    dataset = _import(city, counts_csv(hoods, ROWS))
    later = [(a + 10, b, t + 10) for a, b, t in ROWS]
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        _queued(city, counts_csv(hoods, later), name="Census 2", dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.name == "Census" and _units(dataset)[0][1] == [100, 50]  # not yet
    task_callbacks(callbacks)[0]()
    dataset.refresh_from_db()
    assert dataset.name == "Census 2" and dataset.status == "ready"
    assert sorted(c for _t, c in _units(dataset)) == sorted([a, b] for a, b, _t in later)
    assert dataset.results["population"] == 800 + 60


def test_the_queued_import_computes_what_the_small_one_does():
    city, hoods = grid_city()
    small = _import(city, counts_csv(hoods, ROWS))
    with TestCase.captureOnCommitCallbacks(execute=True):
        large = _queued(city, counts_csv(hoods, ROWS))
    large.refresh_from_db()
    assert large.status == "ready" and large.results == small.results
    assert _units(large) == _units(small)


def test_a_queued_import_records_its_phases_with_counts(settings, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_LINES", 2)
    monkeypatch.setattr(services, "STAGE_BATCH", 4)
    seen = []
    record = services._progress

    def spy(job, **values):  # type: ignore[no-untyped-def]
        record(job, **values)
        job = ImportJob.objects.get(pk=job.pk)
        seen.append((job.phase, job.rows_done, job.rows_total))

    monkeypatch.setattr(services, "_progress", spy)
    city, hoods = grid_city()
    with TestCase.captureOnCommitCallbacks(execute=True):
        _queued(city, counts_csv(hoods, ROWS))
    assert seen == [
        ("checking", 0, 6),  # 7 lines: the header and 6 rows
        ("checking", 1, 6),
        ("checking", 3, 6),
        ("checking", 5, 6),
        ("writing", 0, 6),
        ("writing", 4, 6),
        ("writing", 6, 6),
        ("computing", 6, 6),
    ]


def test_a_queued_import_runs_once(settings):
    city, hoods = grid_city()
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        dataset = _queued(city, counts_csv(hoods, ROWS))
    job = ImportJob.objects.get(dataset=dataset)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)  # another worker
    services.import_job_run(job_id=job.pk)
    assert Unit.objects.count() == 0 and not StagedUnit.objects.exists()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    task_callbacks(callbacks)[0]()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Unit.objects.count() == 6
    finished_at = job.finished_at
    services.import_job_run(job_id=job.pk)  # queued again: nothing happens
    job.refresh_from_db()
    assert job.finished_at == finished_at and Unit.objects.count() == 6


def test_every_problem_of_a_large_file_is_counted_and_the_first_are_kept(settings):
    city, _hoods = grid_city()
    lines = ["code,a,b,total", *[f"XX-{n},1,1,2" for n in range(25)]]
    with TestCase.captureOnCommitCallbacks(execute=True):
        dataset = _queued(city, "\n".join(lines) + "\n")
    job = ImportJob.objects.get(dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.FAILED and Unit.objects.count() == 0
    assert job.problems_total == 25 and len(job.problems) == 20
    shown = job.problem_texts()
    assert shown[0] == "Line 2: unknown territory code “XX-0” in Marseille."
    assert len(shown) == 21 and shown[-1] == "… and 5 more problems."


def test_a_large_file_whose_header_lacks_a_column_is_refused_at_once():
    city, _hoods = grid_city()
    with pytest.raises(ValidationError) as caught:
        _queued(city, "code,a,total\nX,1,2\n")
    assert caught.value.messages == ["Line 1: missing column b."]
    assert not DataSet.objects.exists() and not ImportJob.objects.exists()


def test_large_boundaries_are_checked_by_the_task(settings):
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
    with TestCase.captureOnCommitCallbacks(execute=True):
        dataset = _queued(city, text, boundaries=ContentFile(json.dumps(geo).encode()))
    job = ImportJob.objects.get(dataset=dataset)
    from django.utils import translation

    with translation.override("fr"):
        french = job.problem_texts()
    english = job.problem_texts()
    assert english[0].startswith("Feature 2 (") and "not a valid polygon" in english[0]
    assert french[0].startswith("Entité 2 (") and "polygone valide" in french[0]
    geo["features"][1]["geometry"] = square(1, 0)
    with TestCase.captureOnCommitCallbacks(execute=True):
        dataset = _queued(city, text, boundaries=ContentFile(json.dumps(geo).encode()))
    dataset.refresh_from_db()
    assert dataset.status == "ready" and dataset.boundaries == DataSet.Boundaries.UPLOAD
    assert dataset.units.first().boundary["type"] == "Polygon"


def test_deleting_a_data_set_removes_the_upload_its_import_waits_with():
    city, hoods = grid_city()
    with TestCase.captureOnCommitCallbacks(execute=False):
        dataset = _queued(city, counts_csv(hoods, ROWS))
    stored = ImportJob.objects.get(dataset=dataset).counts_file
    assert stored.startswith(services.UPLOADS) and default_storage.exists(stored)
    services.dataset_delete(dataset=dataset)
    assert not default_storage.exists(stored) and not ImportJob.objects.exists()
