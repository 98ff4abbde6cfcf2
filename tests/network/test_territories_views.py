"""Places and topics pages: tree, breadcrumb, subtree lists, visibility, query counts."""

import pytest
from django.urls import reverse
from django.utils import translation

from cocity.network.models import Territory
from tests.factories import city_with_neighbourhoods

pytestmark = pytest.mark.django_db


class TestPlaces:
    def test_list_shows_countries_and_cities(self, client):
        city_with_neighbourhoods()
        page = client.get(reverse("network:territory_list")).content.decode()
        assert "France" in page
        assert "Marseille" in page
        assert "Belle de Mai" not in page  # neighbourhoods are on the city's page

    def test_list_query_count(self, assert_same_query_count, territory_factory):
        def make(n):
            for _ in range(n):
                country = territory_factory()
                territory_factory(kind="city", parent=country, code=f"{country.code}-X")

        assert_same_query_count(reverse("network:territory_list"), make)

    def test_detail_breadcrumb_children_orgs_and_visible_spaces(
        self, client, organisation_factory, space_factory
    ):
        _country, city, district, hoods = city_with_neighbourhoods()
        organisation_factory(name="Garden Collective", home_territory=hoods[0])
        organisation_factory(name="Far away")
        space_factory(name="Belle de Mai garden", territory=hoods[0])
        space_factory(
            name="Secret board", territory=hoods[0], visibility="members", join_policy="request"
        )
        response = client.get(city.get_absolute_url())
        page = response.content.decode()
        assert [t.code for t in response.context["ancestors"]] == ["FR"]
        assert "3e arrondissement" in page
        assert "Garden Collective" in page
        assert "Far away" not in page
        assert "Belle de Mai garden" in page
        assert "Secret board" not in page
        hood_page = client.get(hoods[0].get_absolute_url())
        assert [t.code for t in hood_page.context["ancestors"]] == ["FR", "FR-MRS", district.code]

    def test_lower_case_code_redirects(self, client):
        city_with_neighbourhoods()
        response = client.get("/places/fr-mrs/")
        assert response.status_code == 301
        assert response["Location"] == "/places/FR-MRS/"

    def test_unknown_code_is_404(self, client):
        assert client.get("/places/NOWHERE/").status_code == 404

    def test_detail_query_count(
        self, assert_same_query_count, organisation_factory, space_factory, territory_factory
    ):
        _country, city, district, _hoods = city_with_neighbourhoods()

        def make(n):
            for _ in range(n):
                hood = territory_factory(kind="neighbourhood", parent=district)
                organisation_factory(home_territory=hood)
                space_factory(territory=hood)

        assert_same_query_count(city.get_absolute_url(), make)

    def test_paths_shown_after_a_move(self, client):
        _country, city, _district, hoods = city_with_neighbourhoods()
        from cocity.network.services.territories import territory_update

        territory_update(territory=city, code="FR-MAR")
        response = client.get(Territory.objects.get(pk=hoods[1].pk).get_absolute_url())
        assert [t.code for t in response.context["ancestors"]] == ["FR", "FR-MAR", "FR-MRS-03"]


class TestTopics:
    def test_topic_page(self, client, topic_factory, space_factory):
        housing = topic_factory(
            name="Housing", slug="housing", translations={"fr": {"name": "Logement"}}
        )
        social = topic_factory(name="Social housing", slug="social-housing", parent=housing)
        public = space_factory(name="Housing lab")
        public.topics.add(housing)
        secret = space_factory(name="Secret", visibility="members", join_policy="request")
        secret.topics.add(housing)
        response = client.get(reverse("network:topic_detail", args=["housing"]))
        page = response.content.decode()
        assert ">Housing</h1>" in page
        assert social.name in page
        assert "Housing lab" in page
        assert "Secret" not in page
        narrower = client.get(reverse("network:topic_detail", args=["social-housing"]))
        assert "Broader topic" in narrower.content.decode()

    def test_label_follows_language(self, client, topic_factory):
        topic_factory(name="Housing", slug="housing", translations={"fr": {"name": "Logement"}})
        with translation.override("fr"):
            response = client.get("/topics/housing/", HTTP_ACCEPT_LANGUAGE="fr")
        assert "Logement" in response.content.decode()

    def test_unknown_topic_is_404(self, client):
        assert client.get("/topics/nope/").status_code == 404

    def test_query_count(self, assert_same_query_count, topic_factory, space_factory):
        topic = topic_factory(slug="housing")

        def make(n):
            for _ in range(n):
                space_factory().topics.add(topic)
                topic_factory(parent=topic)

        assert_same_query_count("/topics/housing/", make)


def test_home_page(client, space_factory, organisation_factory):
    space_factory(name="Visible space")
    space_factory(name="Hidden space", visibility="members", join_policy="request")
    organisation_factory()
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Visible space" in page
    assert "Hidden space" not in page
    assert page.count("<h1") == 1
