"""The insights API: cities with data, data sets with their indices, their areas (counts, local
measures, participation), the equity report; never a participation figure the pages suppress,
never a members-only space; constant queries, ETags, bad input."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocity.core.testing.corpus import HOSTILE_INPUTS
from cocity.insights import services
from cocity.insights.models import DataSet
from cocity.participation.models import Support
from tests.factories import (
    IdeaFactory,
    ProcessFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
)
from tests.insights.platform_helpers import GROUPS, ROWS, counts_csv, grid_city

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


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


def _supporters(city, hoods, space, per_hood):  # type: ignore[no-untyped-def]
    """``per_hood[i]`` residents of ``hoods[i]`` support an idea in ``space``."""
    idea = IdeaFactory(process=ProcessFactory(space=space))
    idea_type = ContentType.objects.get_for_model(idea)
    for hood, n in zip(hoods, per_hood, strict=False):
        for _ in range(n):
            Support.objects.create(
                content_type=idea_type,
                object_id=idea.pk,
                user=UserFactory(home_city=city, home_neighbourhood=hood),
            )


def test_cities_and_a_city_with_its_data_sets_and_change_over_time(api_get):
    city, hoods = grid_city()
    old = _dataset(city, hoods, 2015)
    new = _dataset(city, hoods, 2020, [(a + 20, b, t + 20) for a, b, t in ROWS])
    cities = api_get("/insights/cities").json()["items"]
    assert [(c["code"], c["datasets"], c["latest_year"]) for c in cities] == [(city.code, 2, 2020)]
    body = api_get(f"/insights/cities/{city.code.lower()}").json()
    assert [d["id"] for d in body["datasets"]] == [new.pk, old.pk]
    series = body["over_time"][0]
    assert series["years"] == [2015, 2020] and series["datasets"] == [old.pk, new.pk]
    assert [r["name"] for r in series["dissimilarity"]] == ["Group A", "Group B"]
    assert body["min_cell"] == 10
    assert api_get("/insights/cities/XX-NONE").status_code == 404


def test_a_data_set_with_its_indices_as_the_city_page_shows_them(api_get):
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    dataset.refresh_from_db()
    body = api_get(f"/insights/datasets/{dataset.pk}").json()
    assert body["status"] == "ready" and body["areas"] == 6
    assert body["groups"] == [
        {"column": "a", "label": "Group A"},
        {"column": "b", "label": "Group B"},
    ]
    single = {g["column"]: g["indices"] for g in body["single_group"]}
    expected = dataset.results["single_group"]["a"]["dissimilarity"]
    assert single["a"]["dissimilarity"] == pytest.approx(expected)
    assert "spatial_dissimilarity" in single["a"]
    assert body["multigroup"]["dissimilarity"] == pytest.approx(
        dataset.results["multigroup"]["dissimilarity"]
    )
    assert body["units_csv"] == reverse("insights:dataset_csv", args=[dataset.pk])
    listed = api_get("/insights/datasets").json()["items"]
    assert [d["id"] for d in listed] == [dataset.pk]
    assert api_get("/insights/datasets/999999").status_code == 404


def test_a_failed_data_set_is_listed_on_its_city_only_and_has_no_areas(api_get):
    city, hoods = grid_city()
    failed = _dataset(city, hoods)
    DataSet.objects.filter(pk=failed.pk).update(status=DataSet.Status.FAILED)
    assert api_get("/insights/datasets").json()["items"] == []
    assert [d["id"] for d in api_get(f"/insights/datasets?city={city.code}").json()["items"]] == [
        failed.pk
    ]
    assert api_get(f"/insights/datasets/{failed.pk}").json()["status"] == "failed"
    assert api_get(f"/insights/datasets/{failed.pk}/units").status_code == 404
    assert api_get(f"/insights/datasets/{failed.pk}/equity").status_code == 404


def test_areas_with_counts_local_measures_and_participation_suppressed_below_the_minimum(
    api_get, settings
):
    settings.COCITY_INSIGHTS_MIN_CELL = 3
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    dataset.refresh_from_db()
    _supporters(city, hoods, SpaceFactory(visibility="public"), [4, 2, 0, 5, 3, 1])
    items = api_get(f"/insights/datasets/{dataset.pk}/units?limit=200").json()["items"]
    by_code = {u["code"]: u for u in items}
    assert len(items) == 6
    first = by_code[hoods[0].code]
    assert first["counts"] == {"a": 100, "b": 50} and first["total"] == 200
    local = dataset.results["local"][hoods[0].code]
    assert first["local"]["lq"]["a"] == pytest.approx(local["lq"]["a"])
    assert first["participation"]["participants"] == 4
    assert not first["participation"]["suppressed"]
    for hood, shown in zip(hoods, [True, False, False, True, True, False], strict=True):
        participation = by_code[hood.code]["participation"]
        assert participation["suppressed"] is (not shown)
        if not shown:  # fewer than 3 people: no count, no share, no ratio
            assert participation["participants"] is None
            assert participation["participation_share"] is None
            assert participation["representation_ratio"] is None
    equity = api_get(f"/insights/datasets/{dataset.pk}/equity").json()
    assert equity["min_cell"] == 3 and equity["participants_total"] == 15
    assert equity["suppressed_areas"] == 3
    assert {r["code"] for r in equity["left_out"]} == {hoods[1].code, hoods[2].code, hoods[5].code}


def test_a_city_with_too_few_participants_gives_no_total(api_get, settings):
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    _supporters(city, hoods, SpaceFactory(visibility="public"), [1, 1, 1])
    equity = api_get(f"/insights/datasets/{dataset.pk}/equity").json()
    assert equity["participants_total"] is None and equity["dissimilarity"] is None
    assert all(s["suppressed"] and s["participants"] is None for s in equity["by_space"])
    units = api_get(f"/insights/datasets/{dataset.pk}/units").json()["items"]
    assert all(u["participation"]["participants"] is None for u in units)


def test_members_only_spaces_are_never_counted_nor_named_whoever_asks(api_get, token_for, settings):
    settings.COCITY_INSIGHTS_MIN_CELL = 1
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    secret = SpaceFactory(name="Hidden circle", visibility="members", join_policy="request")
    public = SpaceFactory(name="Open forum", visibility="public")
    _supporters(city, hoods, secret, [5] * 6)
    _supporters(city, hoods, public, [1] * 6)
    member = UserFactory()
    SpaceMembershipFactory(space=secret, user=member)
    for token in (None, token_for(member)):
        body = api_get(f"/insights/datasets/{dataset.pk}/equity", token=token)
        assert [s["label"] for s in body.json()["by_space"]] == ["Open forum"]
        assert body.json()["participants_total"] == 6
        assert "Hidden circle" not in body.content.decode()
        units = api_get(f"/insights/datasets/{dataset.pk}/units", token=token).json()
        assert {u["participation"]["participants"] for u in units["items"]} == {1}


def test_hub_filters_as_the_insights_page(api_get):
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    lab = SpaceFactory(visibility="public", territory=hoods[0])
    hidden = SpaceFactory(visibility="members", join_policy="request", territory=hoods[0])
    assert [d["id"] for d in api_get(f"/insights/datasets?space={lab.slug}").json()["items"]] == [
        dataset.pk
    ]
    assert [d["id"] for d in api_get(f"/insights/datasets?place={city.code}").json()["items"]] == [
        dataset.pk
    ]
    assert api_get(f"/insights/datasets?space={hidden.slug}").status_code == 404
    assert api_get("/insights/datasets?city=XX-NONE").status_code == 404


def test_pages_of_areas_follow_the_cursor(api_get):
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    seen, cursor = [], None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        page = api_get(f"/insights/datasets/{dataset.pk}/units?limit=4{suffix}").json()
        seen += [u["code"] for u in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert seen == [h.code for h in hoods]


def _count(api_get, path):  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()  # each count from cold (the equity report is kept between pages)
    with CaptureQueriesContext(connection) as queries:
        response = api_get(path)
    assert response.status_code == 200, response.content
    return len(queries)


def test_lists_cost_the_same_queries_for_few_or_many_rows(api_get, settings):
    settings.COCITY_INSIGHTS_MIN_CELL = 1
    counts = []
    for n, code in ((1, "FR-AAA"), (5, "FR-BBB")):
        city, hoods = grid_city(n, 6, code=code)
        datasets = [
            _dataset(city, hoods, year, [(10, 5, 20)] * len(hoods))
            for year in range(2000, 2000 + n)
        ]
        _supporters(city, hoods, SpaceFactory(visibility="public"), [1] * len(hoods))
        counts.append(
            [
                _count(api_get, "/insights/cities"),
                _count(api_get, f"/insights/datasets?city={city.code}"),
                _count(api_get, "/insights/datasets"),
                _count(api_get, f"/insights/datasets/{datasets[0].pk}/units?limit=200"),
                _count(api_get, f"/insights/datasets/{datasets[0].pk}/equity"),
                _count(api_get, f"/insights/datasets/{datasets[0].pk}"),
            ]
        )
        DataSet.objects.all().delete()
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "path",
    [
        "/insights/cities",
        "/insights/cities/{code}",
        "/insights/datasets",
        "/insights/datasets/{pk}",
        "/insights/datasets/{pk}/units",
        "/insights/datasets/{pk}/equity",
    ],
)
def test_an_unchanged_answer_is_304_and_a_write_changes_the_tag(api_get, path):
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    url = path.format(code=city.code, pk=dataset.pk)
    tag = api_get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = api_get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again["ETag"] == tag
    assert not [q for q in queries if "insights_" in q["sql"]]
    DataSet.objects.get(pk=dataset.pk).save()  # any write to a data set
    assert api_get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_participation_changes_the_tag_of_the_areas(api_get, settings):
    settings.COCITY_INSIGHTS_MIN_CELL = 1
    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    url = f"/insights/datasets/{dataset.pk}/units"
    tag = api_get(url)["ETag"]
    _supporters(city, hoods, SpaceFactory(visibility="public"), [1])
    fresh = api_get(url, HTTP_IF_NONE_MATCH=tag)
    assert fresh.status_code == 200
    assert fresh.json()["items"][0]["participation"]["participants"] == 1


@pytest.mark.parametrize("hostile", [*HOSTILE_INPUTS.values(), "a" * 5000, "%00"])
def test_hostile_input_is_a_4xx_never_a_500(api_get, hostile):
    from urllib.parse import quote

    city, hoods = grid_city()
    dataset = _dataset(city, hoods)
    value = quote(hostile, safe="")
    for path in (
        f"/insights/cities/{value}",
        f"/insights/cities?cursor={value}",
        f"/insights/datasets?city={value}",
        f"/insights/datasets?space={value}",
        f"/insights/datasets?place={value}",
        f"/insights/datasets?organisation={value}",
        f"/insights/datasets?cursor={value}&limit={value}",
        f"/insights/datasets/{value}",
        f"/insights/datasets/{dataset.pk}/units?cursor={value}",
        f"/insights/datasets/{value}/units",
        f"/insights/datasets/{value}/equity",
        "/insights/datasets/99999999999999999999999/units",
        "/insights/datasets/-1/equity",
    ):
        response = api_get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code >= 400 and "\x00" not in hostile.replace("%00", "\x00"):
            assert response["Content-Type"] == PROBLEM, path


def test_every_schema_of_the_api_has_a_name_of_its_own():
    """The schema names its types by their class names: two classes of one name (a series of
    events, a series of data sets over time) would be documented as one, wrongly for one of
    them."""
    import importlib
    import pkgutil

    from ninja import Schema

    import cocity.api.endpoints as package

    names: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, Schema)
                and obj.__module__ == module.__name__
            ):
                names.setdefault(obj.__name__, set()).add(module.__name__)
    assert {name: found for name, found in names.items() if len(found) > 1} == {}
