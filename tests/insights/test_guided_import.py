"""The guided import: a city's own areas and counts, as files of the formats cities have, read,
previewed, mapped, checked and imported; problems listed and nothing written."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cocity.insights import services
from cocity.insights.models import ColumnChoice, DataSet, Geography, ImportJob
from cocity.network.models import Territory
from tests.factories import TerritoryFactory, UserFactory

from . import geofiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():  # type: ignore[no-untyped-def]
    country = TerritoryFactory(name="France", code="FR", kind="country")
    return TerritoryFactory(name="Marseille", code="FR-MRS", kind="city", parent=country)


def _upload(path, name=None):  # type: ignore[no-untyped-def]
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def _choice(**overrides):  # type: ignore[no-untyped-def]
    choice = {
        "name": "Population by birthplace",
        "source": "INSEE",
        "year": 2021,
        "code_column": "code",
        "name_column": "nom",
        "total_column": "total",
        "groups": [
            {"column": "france", "label": "Born in France"},
            {"column": "abroad", "label": "Born abroad"},
        ],
        "units": "new",
        "geography_name": "IRIS",
        "geography_version": "2021",
        "code_property": "code",
        "name_property": "nom",
    }
    return choice | overrides


@pytest.fixture
def configure(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """``services.import_configure``, with the import's task run when it commits, as on a
    real queue."""

    def run(**kwargs):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return services.import_configure(**kwargs)

    return run


def _start(city, tmp_path, counts_text=None, encoding="cp1252", gpkg=None):  # type: ignore[no-untyped-def]
    counts = tmp_path / "counts.csv"
    counts.write_bytes((counts_text or geofiles.counts_text(delimiter=";")).encode(encoding))
    boundaries = gpkg or geofiles.write_gpkg(tmp_path / "iris.gpkg")
    return services.import_upload(
        city=city, user=UserFactory(), counts=_upload(counts), boundaries=_upload(boundaries)
    )


def test_new_areas_from_a_geopackage_in_lambert_93_and_a_latin_1_csv(city, tmp_path, configure):  # type: ignore[no-untyped-def]
    job = _start(city, tmp_path)
    table, layer = job.inspected["table"], job.inspected["layer"]
    assert (table["kind"], table["encoding"], table["delimiter"]) == ("csv", "cp1252", ";")
    assert table["columns"] == ["code", "nom", "france", "abroad", "total"]
    assert table["preview"][4][1] == "Cité"
    assert layer["crs"] == "EPSG:2154" and layer["features"] == 6
    configure(job=job, choice=_choice())
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.problem_texts()
    dataset = job.dataset
    assert dataset.status == DataSet.Status.READY and dataset.geography.version == "2021"
    assert dataset.geography.crs == "EPSG:2154 (RGF93 v1 / Lambert-93)"
    places = Territory.objects.filter(parent=city).order_by("code")
    assert [p.code for p in places] == [f"FR-MRS-{c}" for c in geofiles.CODES]
    assert places.get(code="FR-MRS-13205").name == "Cité"
    unit = dataset.units.get(territory__code="FR-MRS-13201")
    assert unit.boundary is None  # a new place holds it: the unit reads it there, no copy
    lon, lat = unit.geometry()["coordinates"][0][0]
    assert 5.36 < lon < 5.41 and 43.29 < lat < 43.33  # back in lon/lat from Lambert-93
    single = dataset.results["single_group"]["france"]["dissimilarity"]
    assert single == pytest.approx(geofiles.dissimilarity(group=0), abs=1e-12)


def test_every_problem_is_listed_and_nothing_is_written(city, tmp_path, configure):  # type: ignore[no-untyped-def]
    counts = geofiles.counts_text(
        counts=[
            (100, 50, 200),
            (-1, 150, 180),
            (80, 20, 70),
            (5, 90, 100),
            (60, 60, 150),
            (1, 1, 5),
        ]
    ).replace("13206,Chartreux,1,", "13201,Chartreux,x,")
    job = _start(city, tmp_path, counts_text=counts, encoding="utf-8")
    before = Territory.objects.count()
    configure(job=job, choice=_choice())
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    texts = "\n".join(job.problem_texts())
    assert "Line 3: france is negative." in texts
    assert "Line 4: france (80) is larger than the total (70)." in texts
    assert "Line 7: france is not a whole number." in texts
    assert "already on line 2" in texts
    assert "Feature 6: “13206” is not in the counts." in texts
    assert Territory.objects.count() == before
    assert not DataSet.objects.exists() and not Geography.objects.exists()
    assert job.editable  # the files are kept for another choice


def test_a_self_intersecting_area_can_be_repaired_and_the_repair_is_told(city, tmp_path, configure):  # type: ignore[no-untyped-def]
    import shapely

    shapes = geofiles.lonlat_squares()
    x0, y0, x1, y1 = shapes[3].bounds
    shapes[3] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)])  # a bowtie
    gpkg = geofiles.write_gpkg(tmp_path / "bowtie.gpkg", shapes=shapes)
    job = _start(city, tmp_path, gpkg=gpkg)
    configure(job=job, choice=_choice())
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.repairable
    assert "13204" in "\n".join(job.problem_texts())
    configure(job=job, choice=_choice(), repair=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert "13204" in "\n".join(job.repair_texts())


def test_the_same_year_is_replaced_only_after_a_confirmation(city, tmp_path, configure):  # type: ignore[no-untyped-def]
    first = _start(city, tmp_path)
    configure(job=first, choice=_choice())
    first.refresh_from_db()
    again_dir = tmp_path / "again"
    again_dir.mkdir()
    again = _start(city, again_dir)
    existing = Geography.objects.get()
    with pytest.raises(services.ReplaceNeeded):
        configure(job=again, choice=_choice(units=str(existing.pk)))
    configure(job=again, choice=_choice(units=str(existing.pk)), replace=True)
    again.refresh_from_db()
    assert again.status == ImportJob.Status.DONE, again.problem_texts()
    assert DataSet.objects.count() == 1 and again.dataset_id == first.dataset_id
    assert Territory.objects.filter(parent=city).count() == 6


def test_the_columns_chosen_are_offered_again_for_the_same_source(city, tmp_path, configure):  # type: ignore[no-untyped-def]
    job = _start(city, tmp_path)
    configure(job=job, choice=_choice(total_column="", name_column=""))
    assert ColumnChoice.objects.count() == 1
    again_dir = tmp_path / "again"
    again_dir.mkdir()
    initial = services.import_choice_initial(_start(city, again_dir))
    assert initial["remembered"] and initial["total_column"] == ""
    assert [g["label"] for g in initial["groups"]] == ["Born in France", "Born abroad"]


def _editor(city):  # type: ignore[no-untyped-def]
    from tests.factories import OrganisationFactory, OrganisationMembershipFactory

    org = OrganisationFactory(home_territory=city)
    return OrganisationMembershipFactory(organisation=org, role="editor").user


def test_the_pages_take_a_person_from_upload_to_indices(
    client, city, tmp_path, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    client.force_login(_editor(city))
    url = reverse("insights:dataset_create", args=[city.code])
    page = client.get(url).content.decode()
    assert "GeoPackage" in page and "template" in page.lower()
    counts = tmp_path / "counts.xlsx"
    rows = [["code", "nom", "france", "abroad", "total"]]
    rows += [
        [c, n, *v] for c, n, v in zip(geofiles.CODES, geofiles.NAMES, geofiles.COUNTS, strict=True)
    ]
    geofiles.write_xlsx(counts, rows)
    gpkg = geofiles.write_gpkg(tmp_path / "iris.gpkg")
    response = client.post(url, {"counts": _upload(counts), "boundaries": _upload(gpkg)})
    assert response.status_code == 302, response.content.decode()[:3000]
    detail = response["Location"]
    page = client.get(detail).content.decode()
    assert "EPSG:2154" in page and "Lambert-93" in page and "Belle de Mai" in page
    form = {
        "name": "Population by birthplace",
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
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail, form)
    assert response.status_code == 302
    response = client.get(detail)
    assert response.status_code == 302  # done: on to the data set
    dataset = DataSet.objects.get()
    page = client.get(reverse("insights:city", args=[city.code])).content.decode()
    assert "Born abroad" in page and dataset.name in page
    assert "IRIS, version 2021: 6 areas" in page  # the city's own areas, by version


def test_only_who_may_add_data_sets_sees_an_import(client, city, tmp_path):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    job = _start(city, tmp_path)
    url = reverse("insights:import_detail", args=[job.pk])
    assert client.get(url).status_code == 302  # to log in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.post(reverse("insights:import_discard", args=[job.pk])).status_code == 403
    client.force_login(_editor(city))
    assert client.get(url).status_code == 200
    assert client.post(reverse("insights:import_discard", args=[job.pk])).status_code == 302
    assert not ImportJob.objects.exists()


def test_one_property_may_be_both_the_code_and_the_name(city, tmp_path, configure):  # type: ignore[no-untyped-def]
    job = _start(city, tmp_path)
    configure(job=job, choice=_choice(name_property="code", name_column=""))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.problem_texts()
    assert Territory.objects.get(code="FR-MRS-13205").name == "13205"


def test_the_page_asks_before_replacing_the_same_year(  # type: ignore[no-untyped-def]
    client, city, tmp_path, configure, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    first = _start(city, tmp_path)
    configure(job=first, choice=_choice())
    again_dir = tmp_path / "again"
    again_dir.mkdir()
    again = _start(city, again_dir)
    client.force_login(_editor(city))
    url = reverse("insights:import_detail", args=[again.pk])
    geography = Geography.objects.get()
    form = {
        "name": "Population by birthplace",
        "year": "2021",
        "code_column": "code",
        "name_column": "nom",
        "total_column": "total",
        "units": str(geography.pk),
        "code_property": "code",
        "name_property": "nom",
        "group_2": "on",
        "label_2": "Born in France",
        "group_3": "on",
        "label_3": "Born abroad",
    }
    page = client.post(url, form).content.decode()
    assert "already holds this city" in page and "Replace it and import" in page
    assert 'name="replace" value="True"' in page or 'name="replace" value="1"' in page
    again.refresh_from_db()
    assert again.status == ImportJob.Status.DRAFT  # nothing queued before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**form, "replace": "1"})
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.status == ImportJob.Status.DONE and DataSet.objects.count() == 1


def test_a_new_area_never_takes_the_code_of_a_place_elsewhere(city, tmp_path, configure):  # type: ignore[no-untyped-def]
    other = TerritoryFactory(name="Aix", code="FR-AIX", kind="city", parent=city.parent)
    elsewhere = TerritoryFactory(
        name="Not in Marseille", code="FR-MRS-13201", kind="district", parent=other
    )
    job = _start(city, tmp_path)
    configure(job=job, choice=_choice())
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.problem_texts()
    belle = Territory.objects.get(parent=city, name="Belle de Mai")
    assert belle.code != elsewhere.code and belle.code.startswith("FR-MRS-")
    assert job.dataset.geography.areas.get(code="13201").territory == belle


@pytest.mark.parametrize(
    ("counts_name", "counts_bytes", "boundaries_name", "boundaries_bytes", "message"),
    [
        ("empty.csv", b"", None, None, "empty"),
        ("counts.csv", b"\x00\x01\x02binary\x00" * 50, None, None, "not"),
        ("counts.xlsx", b"code,a\n1,2\n", None, None, "xlsx"),
        ("counts.csv", b"code,a\n1,2\n", "areas.geojson", b"{not json", "GeoJSON"),
        ("counts.csv", b"code,a\n1,2\n", "areas.zip", b"PK\x03\x04 broken", "zip"),
        ("counts.csv", b"code,a\n1,2\n", "areas.gpkg", b"code,a\n1,2\n", "GeoPackage"),
    ],
)
def test_files_that_cannot_be_read_are_refused_on_the_page_and_nothing_is_kept(  # type: ignore[no-untyped-def]
    client, city, counts_name, counts_bytes, boundaries_name, boundaries_bytes, message
):
    from django.core.files.storage import default_storage
    from django.urls import reverse

    def stored() -> set[str]:
        try:
            return set(default_storage.listdir("private/insights-imports/")[1])
        except FileNotFoundError:  # nothing was ever stored there
            return set()

    before = stored()
    client.force_login(_editor(city))
    data = {"counts": SimpleUploadedFile(counts_name, counts_bytes)}
    if boundaries_name:
        data["boundaries"] = SimpleUploadedFile(boundaries_name, boundaries_bytes)
    response = client.post(reverse("insights:dataset_create", args=[city.code]), data)
    assert response.status_code == 200  # the form again, with the problem; never a 500
    page = response.content.decode()
    assert 'role="alert"' in page or "errorlist" in page
    assert message.lower() in page.lower()
    assert not ImportJob.objects.exists()
    assert stored() == before


def test_the_last_transaction_tells_how_far_it_has_written(  # type: ignore[no-untyped-def]
    client, city, tmp_path, configure, monkeypatch
):
    """The job's row cannot show the writing before the commit: the shared cache does, and the
    progress fragment reads it while the job runs."""
    from django.urls import reverse

    from cocity.insights import selectors
    from cocity.insights.models import LIVE_PROGRESS

    seen: list[tuple[int, int]] = []
    real = services.live_progress_set

    def spy(job_id, **values):  # type: ignore[no-untyped-def]
        seen.append((values["rows_done"], values["rows_total"]))
        real(job_id, **values)

    monkeypatch.setattr(services, "live_progress_set", spy)
    monkeypatch.setattr(services, "STAGE_BATCH", 4)  # several batches of the six areas
    job = _start(city, tmp_path)
    configure(job=job, choice=_choice())
    # 6 new places, 6 areas of the version, 6 units: written in batches of 4
    assert seen == [(4, 18), (6, 18), (10, 18), (12, 18), (16, 18), (18, 18)]
    (tmp_path / "again").mkdir()
    running = _start(city, tmp_path / "again")
    ImportJob.objects.filter(pk=running.pk).update(
        status=ImportJob.Status.RUNNING, phase=ImportJob.Phase.PLACES, rows_total=300, rows_done=0
    )
    from django.core.cache import cache

    cache.set(
        LIVE_PROGRESS.format(running.pk), {"phase": "places", "rows_done": 120, "rows_total": 300}
    )
    assert selectors.import_live(ImportJob.objects.get(pk=running.pk)).rows_done == 120
    client.force_login(_editor(city))
    fragment = client.get(
        reverse("insights:import_detail", args=[running.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "120 of 300 rows written" in fragment and 'value="120"' in fragment


def test_the_page_fills_in_the_columns_chosen_for_the_same_source(  # type: ignore[no-untyped-def]
    client, city, tmp_path, configure
):
    from django.urls import reverse

    client.force_login(_editor(city))
    first = _start(city, tmp_path)
    page = client.get(reverse("insights:import_detail", args=[first.pk])).content.decode()
    assert "are filled in" not in page  # nothing remembered yet: a guess from the names
    configure(job=first, choice=_choice())
    (tmp_path / "again").mkdir()
    again = _start(city, tmp_path / "again")
    page = client.get(reverse("insights:import_detail", args=[again.pk])).content.decode()
    assert "The choices made for the last file with these columns are filled in." in page
    assert 'value="Born in France"' in page
    # the same areas as last time: the version that import made is chosen
    version = Geography.objects.get()
    assert re.search(rf'<input[^>]*value="{version.pk}"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="new"[^>]*checked', page)


def test_next_years_counts_alone_go_on_the_version_the_first_import_made(  # type: ignore[no-untyped-def]
    city, tmp_path, configure
):
    first = _start(city, tmp_path)
    configure(job=first, choice=_choice())
    counts = tmp_path / "counts-2022.csv"
    counts.write_text(geofiles.counts_text(delimiter=";"))
    again = services.import_upload(city=city, user=UserFactory(), counts=_upload(counts))
    start = services.import_choice_initial(again)
    version = Geography.objects.get()
    assert start["remembered"] and start["units"] == str(version.pk)
    assert start["name"] == "Population by birthplace"  # the year alone is left to say
    configure(job=again, choice={**start, "year": 2022})
    again.refresh_from_db()
    assert again.status == ImportJob.Status.DONE, again.problem_texts()
    assert again.dataset.geography == version and again.dataset.units.count() == 6
    assert Territory.objects.filter(parent=city).count() == 6  # no new places
    assert again.dataset.results["comparison"]["previous_year"] == 2021
