"""Data set invariants: a city, at least one group, distinct columns."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cocity.insights.models import DataSet, ImportJob

from .platform_helpers import GROUPS, grid_city

pytestmark = pytest.mark.django_db


def test_a_data_set_belongs_to_a_city_and_names_distinct_columns():
    city, hoods = grid_city(1, 1)
    DataSet(city=city, name="Census", year=2020, groups=GROUPS, total_column="total").full_clean()
    with pytest.raises(ValidationError) as caught:
        DataSet(city=hoods[0], name="x", year=2020, groups=GROUPS).full_clean()
    assert "city" in caught.value.message_dict
    for groups, total, field in [
        ([], "", "groups"),
        ([{"column": "a"}, {"column": "a"}], "", "groups"),
        (GROUPS, "a", "total_column"),
    ]:
        with pytest.raises(ValidationError) as caught:
            DataSet(city=city, name="x", year=2020, groups=groups, total_column=total).full_clean()
        assert field in caught.value.message_dict


def test_import_job_percent():
    city, _hoods = grid_city(1, 1)
    dataset = DataSet.objects.create(city=city, name="x", year=2020, groups=GROUPS)
    job = ImportJob(dataset=dataset, rows_total=8, rows_done=2)
    assert job.percent == 25 and not job.finished
    assert ImportJob(dataset=dataset, status="done").percent == 100
