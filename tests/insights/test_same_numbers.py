"""The same numbers everywhere: for the same files (a small city's counts in a spreadsheet and
its units in a GeoPackage in Lambert-93), ``cocity insights indices``, the data set the guided
import makes of them and the data set's CSV download give the same figures, to the last bit;
and one of them is checked against a hand computation."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cocity.insights import services
from cocity.insights.models import DataSet, ImportJob
from cocity.insights.templatetags.insights import num
from tests.factories import TerritoryFactory, UserFactory

from . import geofiles

pytestmark = pytest.mark.django_db

CODES = [f"U{k:02d}" for k in range(1, 13)]  # in the order the import sorts its units in
NAMES = [f"Cité {k}" for k in range(1, 13)]
GROUPS = ["france", "abroad"]


def _counts() -> list[tuple[int, int, int]]:
    rng = np.random.default_rng(2154)
    rows = []
    for _ in CODES:
        a, b = (int(v) for v in rng.integers(5, 300, 2))
        rows.append((a, b, a + b + int(rng.integers(0, 80))))
    return rows


ROWS = _counts()


@pytest.fixture
def files(tmp_path):  # type: ignore[no-untyped-def]
    """The counts as an Excel workbook and as a Latin-1 CSV with semicolons; the units as a
    GeoPackage in Lambert-93."""
    header = ["code", "nom", "france", "abroad", "total"]
    cells = [[c, n, *row] for c, n, row in zip(CODES, NAMES, ROWS, strict=True)]
    text = geofiles.counts_text(codes=CODES, names=NAMES, counts=ROWS, delimiter=";")
    (tmp_path / "counts.csv").write_bytes(text.encode("latin-1"))
    return {
        "xlsx": geofiles.write_xlsx(tmp_path / "counts.xlsx", [header, *cells]),
        "csv": tmp_path / "counts.csv",
        "gpkg": geofiles.write_gpkg(
            tmp_path / "units.gpkg",
            codes=CODES,
            names=NAMES,
            shapes=geofiles.lonlat_squares(len(CODES)),
        ),
    }


def command(counts, boundaries):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(
        "insights", "indices", str(counts), "--id-column", "code", "--groups", ",".join(GROUPS),
        "--total", "total", "--boundaries", str(boundaries), "--id-property", "code",
        "--format", "json", stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return json.loads(out.getvalue())


def guided_import(city, user, counts, boundaries, on_commit) -> DataSet:  # type: ignore[no-untyped-def]
    """Upload, choose the columns and new units, and let the task (run at once in the tests,
    once the choice is committed) import."""
    job = services.import_upload(
        city=city,
        user=user,
        counts=SimpleUploadedFile(counts.name, counts.read_bytes()),
        boundaries=SimpleUploadedFile(boundaries.name, boundaries.read_bytes()),
    )
    with on_commit(execute=True):
        services.import_configure(
            job=job,
            choice={
                "name": "Census",
                "source": "INSEE",
                "year": 2021,
                "code_column": "code",
                "name_column": "nom",
                "groups": [{"column": g, "label": g.upper()} for g in GROUPS],
                "total_column": "total",
                "units": services.UNITS_NEW,
                "geography_name": "IRIS",
                "geography_version": "2021",
                "code_property": "code",
                "name_property": "nom",
            },
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, (job.problems, job.error)
    assert job.dataset is not None
    return DataSet.objects.get(pk=job.dataset.pk)


@pytest.mark.parametrize("counts_kind", ["xlsx", "csv"])
def test_the_command_the_import_and_the_download_agree(
    client, files, counts_kind, django_capture_on_commit_callbacks
):
    country = TerritoryFactory(name="France", code="FR", kind="country")
    city = TerritoryFactory(name="Marseille", code="FR-MRS", kind="city", parent=country)
    cli = command(files[counts_kind], files["gpkg"])
    dataset = guided_import(
        city, UserFactory(), files[counts_kind], files["gpkg"], django_capture_on_commit_callbacks
    )
    stored = dataset.results

    # (a) = (b): every index, to the last bit.
    assert stored["units"] == cli["units"] == len(CODES)
    assert stored["population"] == cli["population"]
    assert stored["multigroup"] == cli["multigroup"]
    assert stored["single_group"] == cli["single_group"]
    assert stored["spatial"] == cli["spatial"]
    assert stored["contiguity_links"] == cli["contiguity_links"]

    # (b) = (c): each unit's location quotients and entropy in the download are the stored ones.
    response = client.get(reverse("insights:dataset_csv", args=[dataset.pk]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(CODES)
    local = stored["local"]
    for row in rows:
        unit = local[row["code"]]
        assert float(row["local_entropy"]) == unit["local_entropy"]
        for group in GROUPS:
            assert float(row[f"lq_{group}"]) == unit["lq"][group]
    # The download's codes are the places the new units became, in the order of the file.
    assert [row["code"] for row in rows] == [f"FR-MRS-{code}" for code in CODES]
    assert [int(row["france"]) for row in rows] == [r[0] for r in ROWS]

    # (d) The page shows them rounded (half up), as the locale writes them.
    page = client.get(reverse("insights:city", args=["FR-MRS"]), {"dataset": dataset.pk})
    assert page.status_code == 200
    for group in GROUPS:
        shown = num(stored["single_group"][group]["dissimilarity"])
        assert f"<td>{shown}</td>" in page.content.decode()

    # And by hand: D = 1/2 Σ |g_i/G - r_i/R|, r_i the rest of the area's residents.
    for k, group in enumerate(GROUPS):
        assert cli["single_group"][group]["dissimilarity"] == pytest.approx(
            geofiles.dissimilarity(ROWS, group=k), abs=1e-12
        )


def test_the_city_template_after_the_import_gives_the_same_numbers(
    client, files, tmp_path, django_capture_on_commit_callbacks
):
    """The boundaries template of the city, once the import brought its units, holds those
    units (their codes as the file gave them, their boundaries as stored): given back to the
    command with the counts, it gives the figures of the data set."""
    country = TerritoryFactory(name="France", code="FR", kind="country")
    city = TerritoryFactory(name="Marseille", code="FR-MRS", kind="city", parent=country)
    dataset = guided_import(
        city, UserFactory(), files["xlsx"], files["gpkg"], django_capture_on_commit_callbacks
    )
    response = client.get(reverse("insights:dataset_template", args=["FR-MRS", "gpkg"]))
    assert response.status_code == 200
    template = tmp_path / "template.gpkg"
    template.write_bytes(b"".join(response.streaming_content))
    cli = command(files["xlsx"], template)
    for key in ("single_group", "multigroup", "spatial", "contiguity_links"):
        assert cli[key] == dataset.results[key]
    header, *_rest = (
        client.get(reverse("insights:dataset_template", args=["FR-MRS", "csv"]))
        .getvalue()
        .decode("utf-8-sig")
        .splitlines()
    )
    assert header == "code,name,france,abroad,total"
