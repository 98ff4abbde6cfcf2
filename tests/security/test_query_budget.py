"""Directory pages cost the same number of queries with N rows and with 10 x N (no N+1): a page
whose cost grows with the data is both slow and a denial-of-service lever."""

import pytest

pytestmark = pytest.mark.django_db


def test_space_directory(
    assert_query_budget, space_factory, space_membership_factory, topic_factory
):
    topic = topic_factory()

    def make(count: int) -> None:
        for _ in range(count):
            space = space_factory()
            space.topics.add(topic)
            space_membership_factory(space=space)

    assert_query_budget("/spaces/", make)


def test_organisation_directory(assert_query_budget, organisation_factory, territory_factory):
    place = territory_factory()
    assert_query_budget(
        "/organisations/",
        lambda count: organisation_factory.create_batch(count, home_territory=place),
    )


def test_places_directory(assert_query_budget, territory_factory):
    assert_query_budget("/places/", lambda count: territory_factory.create_batch(count))


def test_the_budget_catches_a_page_that_grows(assert_query_budget, client, monkeypatch) -> None:
    from cocity.network.models import Topic

    made: list[int] = []

    def make(count: int) -> None:
        made.append(count)

    def grows(request):  # type: ignore[no-untyped-def]
        from django.http import HttpResponse

        for _ in range(sum(made)):
            Topic.objects.count()
        return HttpResponse("ok")

    from django.urls import path

    from cocity import urls

    monkeypatch.setattr(urls, "urlpatterns", [path("grows/", grows), *urls.urlpatterns])
    from django.urls import clear_url_caches

    clear_url_caches()
    with pytest.raises(AssertionError, match="queries with 2 rows but"):
        assert_query_budget("/grows/", make, n=2)
    clear_url_caches()
