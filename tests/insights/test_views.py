"""Insights pages: the city page (indices, over time, map, equity), imports with progress,
downloads, permissions by role, query counts."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cocity.insights import services
from cocity.insights.models import DataSet, ImportJob
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory

from .platform_helpers import GROUPS, ROWS, counts_csv, grid_city, task_callbacks

pytestmark = pytest.mark.django_db


def _dataset(city, hoods, year=2020, rows=ROWS):  # type: ignore[no-untyped-def]
    return services.dataset_import(
        city=city,
        name="Census",
        source="INSEE",
        year=year,
        groups=GROUPS,
        total_column="total",
        id_column="code",
        csv_text=counts_csv(hoods, rows),
    )


def _editor(city, role="editor"):  # type: ignore[no-untyped-def]
    org = OrganisationFactory(home_territory=city)
    return OrganisationMembershipFactory(organisation=org, role=role).user


def test_city_page_shows_indices_map_table_and_equity(client):
    city, hoods = grid_city()
    _dataset(city, hoods, 2015)
    _dataset(city, hoods, 2020, [(a + 20, b, t + 20) for a, b, t in ROWS])
    response = client.get(reverse("insights:city", args=[city.code]) + "?measure=lq:a")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and html.count("<path d=") >= 6
    assert "Group A" in html and "Dissimilarity" in html
    assert "Change over time" in html and "2015" in html
    assert "The map as a table" in html and "Quarter 1" in html
    assert "Participation equity" in html and "suppressed (fewer than 10)" in html
    assert 'class="insights-legend"' in html


def test_city_without_data_and_unknown_city(client):
    city, _hoods = grid_city()
    assert client.get(reverse("insights:city", args=[city.code])).status_code == 200
    assert client.get(reverse("insights:city", args=["XX-NONE"])).status_code == 404


def test_index_lists_cities_with_data(client, assert_same_query_count):
    from tests.factories import TerritoryFactory

    made = []

    def make(n):  # type: ignore[no-untyped-def]
        for _i in range(n):
            k = len(made)
            country = TerritoryFactory(code=f"Q{k}", kind="country")
            city = TerritoryFactory(code=f"Q{k}-C", name=f"City {k}", kind="city", parent=country)
            hood = TerritoryFactory(code=f"Q{k}-C-1", kind="neighbourhood", parent=city)
            DataSet.objects.create(city=city, name="x", year=2020, status="ready", groups=GROUPS)
            made.append(hood)

    assert_same_query_count(reverse("insights:index"), make)
    assert "City 0" in client.get(reverse("insights:index")).content.decode()


def test_city_page_query_count_does_not_grow_with_areas(client, assert_same_query_count):
    from tests.factories import TerritoryFactory

    from .platform_helpers import square

    city, hoods = grid_city(2, 1)
    district = hoods[0].parent

    def make(n):  # type: ignore[no-untyped-def]
        for _i in range(n):
            k = len(hoods) + 1
            hoods.append(
                TerritoryFactory(
                    code=f"{district.code}-{k}",
                    name=f"Q{k}",
                    kind="neighbourhood",
                    parent=district,
                    boundary=square(k % 10, k // 10),
                )
            )
        DataSet.objects.filter(city=city).delete()
        _dataset(city, hoods, 2020, [(10, 5, 20)] * len(hoods))

    assert_same_query_count(reverse("insights:city", args=[city.code]), make, few=2, many=30)


def test_downloads_csv_and_geojson(client):
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    response = client.get(reverse("insights:dataset_csv", args=[dataset.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 6 and rows[0]["code"] == hoods[0].code and rows[0]["total"] == "200"
    assert float(rows[0]["lq_a"]) == pytest.approx((100 / 200) / (285 / 800))
    assert rows[0]["participants"] == ""  # fewer than the minimum: not shown
    response = client.get(reverse("insights:dataset_geojson", args=[dataset.pk]))
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 6
    assert data["features"][0]["geometry"]["type"] == "Polygon"
    assert data["features"][0]["properties"]["b"] == 50


def _post(client, city, text, **extra):  # type: ignore[no-untyped-def]
    data = {
        "name": "Census",
        "source": "INSEE",
        "year": "2021",
        "groups": "a = Group A\nb = Group B",
        "total_column": "total",
        "id_column": "code",
        "id_property": "code",
        "counts": SimpleUploadedFile("c.csv", text.encode(), content_type="text/csv"),
    }
    data.update(extra)
    return client.post(reverse("insights:dataset_create", args=[city.code]), data)


def test_editor_imports_and_sees_problems_with_lines(client):
    city, hoods = grid_city()
    client.force_login(_editor(city))
    bad = counts_csv(hoods, ROWS).replace(f"{hoods[1].code},", "NOPE,", 1)
    response = _post(client, city, bad)
    assert response.status_code == 200
    assert "Line 3: unknown territory code" in response.content.decode()
    assert DataSet.objects.count() == 0
    response = _post(client, city, counts_csv(hoods, ROWS))
    dataset = DataSet.objects.get()
    assert response.status_code == 302 and response["Location"] == dataset.get_absolute_url()
    assert dataset.status == "ready"


def test_large_import_progress_page_and_htmx_fragment(client, settings):
    settings.COCITY_INSIGHTS_ASYNC_ROWS = 2
    city, hoods = grid_city()
    client.force_login(_editor(city))
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        _post(client, city, counts_csv(hoods, ROWS))
    dataset = DataSet.objects.get()
    job = ImportJob.objects.get()
    assert job.status == "queued" and len(task_callbacks(callbacks)) == 1
    url = reverse("insights:dataset_detail", args=[dataset.pk])
    html = client.get(url).content.decode()
    assert "<progress" in html and 'hx-trigger="every 2s"' in html
    assert "Reload to see the progress" in html
    task_callbacks(callbacks)[0]()  # the immediate backend runs the task now
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert "<h1" not in fragment.content.decode()
    assert "6 of 6 rows written (100%)" in fragment.content.decode()
    assert "every 2s" not in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", False),
        ("someone", False),
        ("member", False),
        ("editor", True),
        ("admin", True),
        ("other_city_editor", False),
        ("staff", True),
    ],
)
def test_who_may_add_a_data_set(client, who, allowed):
    city, _hoods = grid_city()
    other, _ = grid_city(1, 1, code="DE-BER")
    user = {
        "anonymous": lambda: None,
        "someone": lambda: UserFactory(),
        "member": lambda: _editor(city, "member"),
        "editor": lambda: _editor(city, "editor"),
        "admin": lambda: _editor(city, "admin"),
        "other_city_editor": lambda: _editor(other, "admin"),
        "staff": lambda: UserFactory(is_staff=True),
    }[who]()
    if user is not None:
        client.force_login(user)
        assert user.has_perm("insights.add_dataset", city) is allowed
    response = client.get(reverse("insights:dataset_create", args=[city.code]))
    assert response.status_code == (200 if allowed else (302 if user is None else 403))


def test_delete_needs_permission(client):
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    client.force_login(UserFactory())
    assert client.post(reverse("insights:dataset_delete", args=[dataset.pk])).status_code == 403
    client.force_login(_editor(city))
    response = client.post(reverse("insights:dataset_delete", args=[dataset.pk]))
    assert response.status_code == 302 and not DataSet.objects.exists()


def test_members_only_space_never_appears_in_the_equity_breakdown(client, settings):
    from django.contrib.contenttypes.models import ContentType

    from cocity.participation.models import Support
    from tests.factories import IdeaFactory, ProcessFactory, SpaceFactory

    settings.COCITY_INSIGHTS_MIN_CELL = 1
    city, hoods = grid_city()
    _dataset(city, hoods)
    secret = SpaceFactory(name="Hidden circle", visibility="members", join_policy="request")
    public = SpaceFactory(name="Open forum", visibility="public")
    for space in (secret, public):
        idea = IdeaFactory(process=ProcessFactory(space=space))
        for hood in hoods:
            Support.objects.create(
                content_type=ContentType.objects.get_for_model(idea),
                object_id=idea.pk,
                user=UserFactory(home_city=city, home_neighbourhood=hood),
            )
    html = client.get(reverse("insights:city", args=[city.code])).content.decode()
    assert "Open forum" in html and "Hidden circle" not in html
    member = UserFactory()
    from tests.factories import SpaceMembershipFactory

    SpaceMembershipFactory(space=secret, user=member)
    client.force_login(member)  # even a member sees only public spaces here
    assert (
        "Hidden circle"
        not in client.get(reverse("insights:city", args=[city.code])).content.decode()
    )


# --------------------------------------------------------------------------- large uploads


def _not_in_the_request(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise AssertionError("the rows were read in the request")


def test_a_large_upload_is_queued_without_reading_its_rows(client, settings, monkeypatch):
    settings.COCITY_INSIGHTS_ASYNC_BYTES = 100  # the file has about 150 bytes
    city, hoods = grid_city()
    client.force_login(_editor(city))
    reader = services.parse_counts
    monkeypatch.setattr(services, "parse_counts", _not_in_the_request)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = _post(client, city, counts_csv(hoods, ROWS))
    dataset = DataSet.objects.get()
    assert response.status_code == 302 and response["Location"] == dataset.get_absolute_url()
    job = ImportJob.objects.get()
    assert (
        job.status == "queued"
        and dataset.status == "importing"
        and len(task_callbacks(callbacks)) == 1
    )
    assert not dataset.units.exists()
    html = client.get(dataset.get_absolute_url()).content.decode()
    assert "in the background" in html and "waiting in the queue" in html
    monkeypatch.setattr(services, "parse_counts", reader)
    task_callbacks(callbacks)[0]()  # the task: checks every row, then writes
    dataset.refresh_from_db()
    assert dataset.status == "ready" and dataset.units.count() == 6
    assert dataset.results["units"] == 6 and dataset.created_by is not None


def test_a_large_upload_with_a_bad_header_or_bytes_is_refused_in_the_form(
    client, settings, monkeypatch
):
    settings.COCITY_INSIGHTS_ASYNC_BYTES = 10
    city, hoods = grid_city()
    client.force_login(_editor(city))
    monkeypatch.setattr(services, "parse_counts", _not_in_the_request)
    response = _post(client, city, counts_csv(hoods, ROWS).replace("code,a,b,", "code,a,", 1))
    assert response.status_code == 200
    assert "Line 1: missing column b." in response.content.decode()
    latin = SimpleUploadedFile("c.csv", "code,a,b,total\nQuartier é,1,1,2\n".encode("latin-1"))
    response = _post(client, city, "", counts=latin)
    assert "The file is not UTF-8 text." in response.content.decode()
    assert not DataSet.objects.exists() and not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "The file was not imported; nothing was written.",
                "Line 3: unknown territory code “NOPE-0” in Marseille.",
                "Line 4: a is negative.",
                "… and 5 more problems.",
                "Try again with a corrected file",
            ],
        ),
        (
            "fr",
            [
                "Le fichier n’a pas été importé ; rien n’a été écrit.",  # noqa: RUF001
                "Ligne 3 : code territorial « NOPE-0 » inconnu à Marseille.",
                "Ligne 4 : a est négatif.",
                "… et 5 problèmes de plus.",
                "Réessayer avec un fichier corrigé",
            ],
        ),
    ],
)
def test_a_large_upload_with_problems_fails_in_the_background_and_the_page_lists_them(
    client, settings, language, expected
):
    settings.COCITY_INSIGHTS_ASYNC_BYTES = 100
    city, hoods = grid_city()
    client.force_login(_editor(city))
    lines = ["code,a,b,total", f"{hoods[0].code},1,1,2"]
    lines += [f"{hoods[1].code},-1,1,2" if n == 1 else f"NOPE-{n},1,1,2" for n in range(25)]
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = _post(client, city, "\n".join(lines) + "\n")
    dataset = DataSet.objects.get()
    assert response.status_code == 302  # the request never saw the problems
    assert dataset.status == "failed" and not dataset.units.exists()
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.problems_total == 25
    html = client.get(dataset.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content
    page = html.decode()
    for text in expected:
        assert text in page
    listed = page.split('role="alert"><ul class="errorlist">', 1)[1].split("</ul>", 1)[0]
    assert listed.count("<li>") == 21  # the first 20, then how many more
    assert reverse("insights:dataset_create", args=[city.code]) in page
    assert "every 2s" not in page


def test_the_progress_shows_each_phase(client, settings):
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    job = ImportJob.objects.create(dataset=dataset, status="running", phase="checking")
    url = reverse("insights:dataset_detail", args=[dataset.pk])
    phases = [
        ("checking", 40000, 100000, "Checking rows: 40,000 of about 100,000 read."),
        ("writing", 25000, 100000, "Writing units: 25,000 of 100,000 (25%)."),
        ("computing", 100000, 100000, "Computing indices for 100,000 areas."),
    ]
    for phase, done, total, text in phases:
        ImportJob.objects.filter(pk=job.pk).update(phase=phase, rows_done=done, rows_total=total)
        fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert text in fragment and 'hx-trigger="every 2s"' in fragment
    fragment = client.get(url, headers={"HX-Request": "true"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Calcul des indices pour 100\xa0000 zones." in fragment.content.decode()


def test_the_data_set_page_reads_two_facts_of_the_results_not_all_of_them(client):
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    DataSet.objects.filter(pk=dataset.pk).update(
        results={**dataset.results, "errors": ["spatial dissimilarity: no area touches another"]}
    )
    url = reverse("insights:dataset_detail", args=[dataset.pk])
    response = client.get(url)
    html = response.content.decode()
    assert "<dt>Areas</dt><dd>6</dd>" in html
    assert "<li>spatial dissimilarity: no area touches another</li>" in html
    assert "results" in response.context["dataset"].get_deferred_fields()
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert "results" in fragment.context["dataset"].get_deferred_fields()


def test_city_areas_for_a_zoom_match_the_page_and_refuse_bad_zooms(client):
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    page = client.get(reverse("insights:city", args=[city.code]), {"measure": "lq:a"})
    html = page.content.decode()
    assert f"areas.json?dataset={dataset.pk}&amp;measure=lq%3Aa&amp;classes=quantiles" in html
    url = reverse("insights:city_areas", args=[city.code])
    query = {"dataset": dataset.pk, "measure": "lq:a", "zoom": "15"}
    data = json.loads(client.get(url, query).content)
    assert data["type"] == "cocity-areas"
    assert sorted(a[0] for a in data["areas"]) == sorted(h.code for h in hoods)
    for zoom in ("", "-1", "21", "x", "1e3"):
        response = client.get(url, {**query, "zoom": zoom})
        assert response.status_code == 400
        assert "zoom" in json.loads(response.content)["error"]
