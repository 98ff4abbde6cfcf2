"""Insights pages: the city page (indices, over time, map, equity), imports with progress,
downloads, permissions by role, query counts."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cocity.core.testing.corpus import HOSTILE_INPUTS, executable_markup
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


# --------------------------------------------------------------------------- the guided import
# ``insights:dataset_create`` is its first step (the files), ``insights:import_detail`` the rest
# (the columns, the progress, the problems). The counts of ``counts_csv`` (code, a, b, total) are
# for places already in the tree.

CHOICE = {
    "name": "Census",
    "source": "INSEE",
    "year": "2021",
    "code_column": "code",
    "name_column": "",
    "total_column": "total",
    "units": "places",
    "group_1": "on",
    "label_1": "Group A",
    "group_2": "on",
    "label_2": "Group B",
}


def _counts(text, name="c.csv"):  # type: ignore[no-untyped-def]
    data = text if isinstance(text, bytes) else text.encode()
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _upload(client, city, text, **extra):  # type: ignore[no-untyped-def]
    """Step 1: the counts file (and ``extra`` fields, e.g. ``boundaries``)."""
    data = {"counts": _counts(text), **extra}
    return client.post(reverse("insights:dataset_create", args=[city.code]), data)


def _choose(client, detail, execute=True, **choice):  # type: ignore[no-untyped-def]
    """Step 2: the columns, with the queued check and import run as it commits (``execute``),
    or kept: the callbacks are returned to run later."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=execute) as callbacks:
        response = client.post(detail, {**CHOICE, **choice})
    return response, callbacks


def _import(client, city, text, execute=True, **choice):  # type: ignore[no-untyped-def]
    """Upload, choose the columns; the page of the import, the choice's response and the
    callbacks."""
    response = _upload(client, city, text)
    assert response.status_code == 302, response.content.decode()[:2000]
    detail = response["Location"]
    assert detail == reverse("insights:import_detail", args=[ImportJob.objects.latest("pk").pk])
    chosen, callbacks = _choose(client, detail, execute=execute, **choice)
    return detail, chosen, callbacks


def test_editor_imports_and_sees_problems_with_lines(client):
    city, hoods = grid_city()
    client.force_login(_editor(city))
    bad = counts_csv(hoods, ROWS).replace(f"{hoods[1].code},", "NOPE,", 1)
    detail, chosen, _callbacks = _import(client, city, bad)
    assert chosen.status_code == 302 and chosen["Location"] == detail
    response = client.get(detail)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Line 3: unknown territory code “NOPE” in Marseille." in html
    assert "Nothing was written." in html and 'name="code_column"' in html  # choose again
    assert DataSet.objects.count() == 0 and ImportJob.objects.get().status == "failed"
    detail, chosen, _callbacks = _import(client, city, counts_csv(hoods, ROWS))
    dataset = DataSet.objects.get()
    response = client.get(detail)  # done: on to the data set
    assert response.status_code == 302 and response["Location"] == dataset.get_absolute_url()
    assert dataset.status == "ready" and dataset.units.count() == 6
    assert [g["label"] for g in dataset.groups] == ["Group A", "Group B"]


def test_import_progress_page_and_htmx_fragment(client):
    city, hoods = grid_city()
    client.force_login(_editor(city))
    detail, chosen, callbacks = _import(client, city, counts_csv(hoods, ROWS), execute=False)
    assert chosen.status_code == 302 and chosen["Location"] == detail
    job = ImportJob.objects.get()
    assert job.status == "queued" and len(task_callbacks(callbacks)) == 1
    assert not DataSet.objects.exists()
    html = client.get(detail).content.decode()
    assert "<h1" in html and "<progress" in html and 'hx-trigger="every 1s"' in html
    assert "Waiting in the queue" in html and 'name="code_column"' not in html
    phases = [
        ("checking", 4, 6, "4 of about 6 rows read"),
        ("computing", 6, 6, "6 areas: computing indices."),
        ("writing", 6, 6, "6 of 6 rows written"),
    ]
    for phase, done, total, text in phases:
        ImportJob.objects.filter(pk=job.pk).update(
            status="running", phase=phase, rows_done=done, rows_total=total
        )
        fragment = client.get(detail, headers={"HX-Request": "true"})
        assert fragment.templates[0].name == "insights/partials/import_progress.html"
        page = fragment.content.decode()
        assert "<h1" not in page and text in page and 'hx-trigger="every 1s"' in page
        assert "Reload to see the progress" in page
        assert "HX-Request" in fragment["Vary"]
    ImportJob.objects.filter(pk=job.pk).update(status="queued", phase="", rows_done=0)
    task_callbacks(callbacks)[0]()  # the immediate backend runs the task now
    dataset = DataSet.objects.get()
    assert dataset.status == "ready" and dataset.units.count() == 6
    fragment = client.get(detail, headers={"HX-Request": "true"})  # the last poll
    assert fragment.status_code == 204 and fragment["HX-Redirect"] == dataset.get_absolute_url()
    assert client.get(detail)["Location"] == dataset.get_absolute_url()


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
    """Each step of the import, for each role: the upload page and its POST, an import's page
    and its choice (someone else's upload: the editor's below)."""
    city, hoods = grid_city()
    other, _ = grid_city(1, 1, code="DE-BER")
    client.force_login(_editor(city))
    job_url = _upload(client, city, counts_csv(hoods, ROWS))["Location"]
    client.logout()
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
    refused = 302 if user is None else 403
    upload = reverse("insights:dataset_create", args=[city.code])
    assert client.get(upload).status_code == (200 if allowed else refused)
    response = _upload(client, city, counts_csv(hoods, ROWS))
    assert response.status_code == (302 if allowed else refused)
    if not allowed and user is None:
        assert response["Location"].startswith(reverse("account_login"))
    assert ImportJob.objects.count() == (2 if allowed else 1)
    assert client.get(job_url).status_code == (200 if allowed else refused)
    response, callbacks = _choose(client, job_url, execute=False)
    assert response.status_code == (302 if allowed else refused)
    assert len(task_callbacks(callbacks)) == (1 if allowed else 0)
    queued = ImportJob.objects.filter(status="queued").count()
    assert queued == (1 if allowed else 0)


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


@pytest.mark.parametrize("payload", sorted(HOSTILE_INPUTS))
def test_hostile_file_names_are_inert_on_the_import_pages(client, settings, payload):
    """The name of an uploaded file is shown on its import's page and in the list of uploads
    waiting for their columns: whatever it is, it is text there."""
    city, hoods = grid_city()
    client.force_login(_editor(city))
    upload = reverse("insights:dataset_create", args=[city.code])
    counts = SimpleUploadedFile(HOSTILE_INPUTS[payload] + ".csv", counts_csv(hoods, ROWS).encode())
    response = client.post(upload, {"counts": counts})
    assert response.status_code in (200, 302, 400)
    pages = [response]
    if response.status_code == 302:
        pages += [client.get(response["Location"]), client.get(upload)]
    for page in pages:
        html = page.content.decode(errors="replace")
        assert not executable_markup(html, settings.STATIC_URL), html[:2000]


# --------------------------------------------------------------------------- large uploads
# Every guided import is checked in the background: the upload reads only the file's head (its
# kind, encoding, columns and first rows), the task reads every row.


def _not_in_the_request(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise AssertionError("the rows were read in the request")


def test_the_upload_reads_only_the_head_and_the_task_reads_the_rest(client, monkeypatch):
    from cocity.insights import sources

    monkeypatch.setattr(sources, "SAMPLE", 100)  # the file has about 450 bytes: not "small"
    city, hoods = grid_city(6, 5)
    client.force_login(_editor(city))
    rows = [(n, 2 * n, 3 * n + 1) for n in range(1, 31)]
    read = []
    records = sources.table_records

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        for record in records(*args, **kwargs):
            read.append(record[0])
            yield record

    monkeypatch.setattr(sources, "table_records", counted)
    reader = services.parse_records
    monkeypatch.setattr(services, "parse_records", _not_in_the_request)
    detail, chosen, callbacks = _import(client, city, counts_csv(hoods, rows), execute=False)
    assert chosen.status_code == 302 and chosen["Location"] == detail
    table = ImportJob.objects.get().inspected["table"]
    assert len(table["preview"]) == 10 and table["rows"] is None  # not counted: not all read
    assert len(read) <= 12  # the header, the first rows and one to see there are more
    html = client.get(detail).content.decode()
    assert "The files are being checked" in html and "Waiting in the queue" in html
    assert not DataSet.objects.exists()
    monkeypatch.setattr(services, "parse_records", reader)
    read.clear()
    task_callbacks(callbacks)[0]()  # the task: checks every row, then writes
    assert len(read) == 31
    dataset = DataSet.objects.get()
    assert dataset.status == "ready" and dataset.units.count() == 30
    assert dataset.results["units"] == 30 and dataset.created_by is not None


def test_a_file_that_cannot_be_read_is_refused_at_the_upload_and_nothing_is_kept(client):
    """What reading the head finds is said at once; a column the file lacks cannot be
    chosen; Latin-1 (or any common encoding) is read, not refused."""
    from django.core.files.storage import default_storage

    def stored():  # type: ignore[no-untyped-def]
        if not default_storage.exists(services.UPLOADS):
            return set()
        return set(default_storage.listdir(services.UPLOADS)[1])

    city, hoods = grid_city()
    client.force_login(_editor(city))
    before = stored()
    for data, text in [
        (b"code,a\x00,b\n" * 3, "holds binary data, not text"),
        (b"", "The submitted file is empty."),
        (b"%PDF-1.4 ...", "The file is named c.csv but holds a PDF document."),
    ]:
        response = _upload(client, city, data)
        assert response.status_code == 200 and text in response.content.decode(), text
    assert not ImportJob.objects.exists() and stored() == before
    latin = "code;a;b;total\n" + "".join(
        f"{h.code};{a};{b};{t}\n" for h, (a, b, t) in zip(hoods, ROWS, strict=True)
    )
    response = _upload(client, city, latin.replace("total", "totalé").encode("latin-1"))
    detail = response["Location"]
    html = client.get(detail).content.decode()
    assert "totalé" in html and "columns separated by semicolons" in html
    response, callbacks = _choose(client, detail, execute=False)  # "total" is not a column
    assert response.status_code == 200 and not task_callbacks(callbacks)
    assert "Select a valid choice." in response.content.decode()
    assert ImportJob.objects.get().status == "draft"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "The files were not imported: 25 problems. Nothing was written.",
                "Line 3: unknown territory code “NOPE-0” in Marseille.",
                "Line 4: a is negative.",
                "… and 5 more problems.",
                "Upload other files",
            ],
        ),
        (
            "fr",
            [
                "Les fichiers n’ont pas été importés : 25 problèmes. Rien n’a été enregistré.",  # noqa: RUF001
                "Ligne 3 : code territorial « NOPE-0 » inconnu à Marseille.",
                "Ligne 4 : a est négatif.",
                "… et 5 problèmes de plus.",
                "Envoyer d’autres fichiers",  # noqa: RUF001
            ],
        ),
    ],
)
def test_problems_are_found_in_the_background_and_the_page_lists_them(client, language, expected):
    city, hoods = grid_city()
    client.force_login(_editor(city))
    lines = ["code,a,b,total", f"{hoods[0].code},1,1,2"]
    lines += [f"{hoods[1].code},-1,1,2" if n == 1 else f"NOPE-{n},1,1,2" for n in range(25)]
    detail, chosen, _callbacks = _import(client, city, "\n".join(lines) + "\n")
    assert chosen.status_code == 302  # the request never saw the problems
    assert not DataSet.objects.exists()
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.problems_total == 25
    html = client.get(detail, HTTP_ACCEPT_LANGUAGE=language).content
    page = html.decode()
    for text in expected:
        assert text in page
    listed = page.split('<ul class="errorlist">', 1)[1].split("</ul>", 1)[0]
    assert listed.count("<li>") == 21  # the first 20, then how many more
    assert reverse("insights:dataset_create", args=[city.code]) in page
    assert "every 1s" not in page


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
    assert "<dt>Number of areas</dt><dd>6</dd>" in html
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
