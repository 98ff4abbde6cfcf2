"""The insights forms people type into, registered with the hostile-input corpus.

The guided import's first step (``ImportUploadForm``) has only files; the names of the files are
fed the corpus in ``test_views.py``. Its second step (``ImportChoiceForm``, on an import's page)
is fed here, the task run so that each value is read back from the data set it made and shown on
that data set's page."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from cocity.core.testing.forms import FormCase, Scenario, register_form
from cocity.insights import services
from cocity.insights.models import DataSet, ImportJob
from tests.factories import OrganisationFactory, OrganisationMembershipFactory

from . import geofiles
from .platform_helpers import grid_city

_made = itertools.count(1)


def _draft_import() -> Scenario:
    """A city editor's upload waiting for its columns: six new areas (GeoJSON) and their
    counts (columns code, nom, france, abroad, total)."""
    city, _hoods = grid_city(1, 1, code=f"FR-S{next(_made)}")
    org = OrganisationFactory(home_territory=city)
    user = OrganisationMembershipFactory(organisation=org, role="editor").user
    with tempfile.TemporaryDirectory() as folder:
        boundaries = geofiles.write_geojson(Path(folder) / "areas.geojson").read_bytes()
    job = services.import_upload(
        city=city,
        user=user,
        counts=SimpleUploadedFile("counts.csv", geofiles.counts_text().encode()),
        boundaries=SimpleUploadedFile("areas.geojson", boundaries),
    )
    return Scenario(user=user, objects={"city": city, "job": job})


def _dataset(scenario: Scenario) -> DataSet | None:
    """The data set the choice made: the queued task (which runs after the commit, never in a
    test's transaction) is run here."""
    job = ImportJob.objects.get(pk=scenario.objects["job"].pk)
    if job.status == ImportJob.Status.QUEUED:
        services.import_job_run(job_id=job.pk)
        job.refresh_from_db()
    return job.dataset


def _stored(scenario: Scenario, field: str) -> Any:
    dataset = _dataset(scenario)
    if dataset is None:
        return None
    if field == "label_2":
        return dataset.groups[0]["label"]
    if field.startswith("geography_"):
        return getattr(dataset.geography, field.removeprefix("geography_"), None)
    return getattr(dataset, field)


def _dataset_page(scenario: Scenario) -> str:
    dataset = _dataset(scenario)
    assert dataset is not None
    return dataset.get_absolute_url()


register_form(
    FormCase(
        name="insights import choice",
        url_name="insights:import_detail",
        url_kwargs=lambda s: {"pk": s.objects["job"].pk},
        setup=_draft_import,
        data=lambda s: {
            "name": "Census",
            "source": "INSEE",
            "year": "2021",
            "code_column": "code",
            "name_column": "nom",
            "total_column": "total",
            "units": "new",
            "geography_name": "IRIS",
            "geography_version": "2021",
            "code_property": "code",
            "name_property": "nom",
            "group_2": "on",
            "label_2": "Born in France",
            "group_3": "on",
            "label_3": "Born abroad",
        },
        fields=("name", "source", "geography_name", "geography_version", "label_2"),
        stored=_stored,
        rendered_at=_dataset_page,
    )
)
