"""The one counts reader (insights/io.py) turns a CSV it cannot read (a cell longer than the
CSV module's limit, a broken quote) into a line error, in the command and the web import."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cocity.insights import services
from cocity.insights.io import InputError, parse_counts

from .platform_helpers import GROUPS, grid_city

HUGE = "x" * 200_000


def test_a_200_kb_quoted_cell_is_a_line_error():
    text = f'code,a,b\nA,1,2\nB,"{HUGE}",3\n'
    with pytest.raises(InputError) as caught:
        parse_counts(io.StringIO(text), id_column="code", groups=["a", "b"])
    assert str(caught.value).startswith("Line 3: a cell is longer than")


def test_a_huge_header_cell_is_a_line_1_error():
    with pytest.raises(InputError) as caught:
        parse_counts(io.StringIO(f'"{HUGE}",a\n'), id_column="code", groups=["a"])
    assert str(caught.value).startswith("Line 1: a cell is longer than")


def test_a_line_the_csv_module_cannot_split_is_a_line_error():
    with pytest.raises(InputError) as caught:
        parse_counts(["code,a\n", "X,1\n", "Y,1\rZ,2\n"], id_column="code", groups=["a"])
    assert str(caught.value) == "Line 3: not a readable CSV line."


@pytest.mark.django_db
def test_the_web_import_reports_it_translated_and_writes_nothing():
    from cocity.insights.models import DataSet

    city, hoods = grid_city()
    text = f'code,a,b,total\n{hoods[0].code},"{HUGE}",1,2\n'
    for language, expected in (("en", "Line 2: a cell is longer than"), ("fr", "Ligne 2 :")):
        with translation.override(language), pytest.raises(ValidationError) as caught:
            services.dataset_import(
                city=city,
                name="Census",
                source="INSEE",
                year=2020,
                groups=GROUPS,
                total_column="total",
                id_column="code",
                csv_text=text,
            )
        assert caught.value.messages[0].startswith(expected)
    assert DataSet.objects.count() == 0
