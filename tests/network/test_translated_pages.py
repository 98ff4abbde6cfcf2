"""Spaces, organisations, places and topics in the viewer's language: a person's translation,
the notice that says so, the original a click away, and the Translate links for editors."""

import pytest
from django.urls import reverse

from cocity.core.translations import save_translation
from cocity.network.models import Role, Territory
from tests.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    TerritoryFactory,
    TopicFactory,
    UserFactory,
)
from tests.i18n import NOTICE

pytestmark = pytest.mark.django_db


def _translate_url(obj) -> str:
    return reverse("translations:edit", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def test_space_page_in_french_with_the_notice_and_the_original(french):
    space = SpaceFactory(
        name="Housing lab",
        summary="Cities sharing housing.",
        description="We compare housing policies.",
        original_language="en",
    )
    save_translation(
        space,
        "fr",
        {
            "name": "Labo du logement",
            "summary": "Des villes partagent le logement.",
            "description": "Nous comparons les politiques du logement.",
        },
    )
    page = french.get(space.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">Labo du logement</h1>' in page
    assert '<p class="lead" lang="fr">Des villes partagent le logement.</p>' in page
    assert "Nous comparons les politiques du logement." in page
    assert "<title>Labo du logement" in page
    assert all(words in page for words in NOTICE)
    original = french.get(space.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en">Housing lab</h1>' in original
    assert "We compare housing policies." in original
    assert "Labo du logement" not in original


def test_space_translate_link_for_its_admins_only(client):
    space = SpaceFactory(original_language="en")
    visitor = UserFactory()
    SpaceMembershipFactory(space=space, user=visitor, role=Role.MEMBER)
    client.force_login(visitor)
    assert _translate_url(space) not in client.get(space.get_absolute_url()).content.decode()
    admin = UserFactory()
    SpaceMembershipFactory(space=space, user=admin, role=Role.ADMIN)
    client.force_login(admin)
    assert _translate_url(space) in client.get(space.get_absolute_url()).content.decode()
    form = client.get(reverse("network:space_edit", args=[space.slug])).content.decode()
    assert _translate_url(space) in form and "Translate this into other languages" in form


def test_organisation_page_in_french_and_its_translate_link(french):
    organisation = OrganisationFactory(
        name="Friends of the river", description="We clean the river.", original_language="en"
    )
    save_translation(
        organisation, "fr", {"name": "Amis du fleuve", "description": "Nous nettoyons le fleuve."}
    )
    page = french.get(organisation.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">Amis du fleuve</h1>' in page
    assert "Nous nettoyons le fleuve." in page and all(words in page for words in NOTICE)
    assert _translate_url(organisation) not in page
    original = french.get(organisation.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en">Friends of the river</h1>' in original
    admin = UserFactory()
    OrganisationMembershipFactory(organisation=organisation, user=admin, role=Role.ADMIN)
    french.force_login(admin)
    assert (
        _translate_url(organisation) in french.get(organisation.get_absolute_url()).content.decode()
    )
    form = french.get(
        reverse("network:organisation_edit", args=[organisation.slug])
    ).content.decode()
    assert _translate_url(organisation) in form


def test_place_and_topic_pages_in_french(french):
    city = TerritoryFactory(
        name="Vienna", code="AT-VIE", kind=Territory.Kind.CITY, original_language="en"
    )
    save_translation(city, "fr", {"name": "Vienne"})
    page = french.get(city.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">Vienne</h1>' in page and all(words in page for words in NOTICE)
    assert _translate_url(city) not in page
    original = french.get(city.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en">Vienna</h1>' in original

    topic = TopicFactory(name="Housing", description="Homes for all.", original_language="en")
    save_translation(topic, "fr", {"name": "Logement", "description": "Un toit pour tous."})
    page = french.get(topic.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">Logement</h1>' in page and "Un toit pour tous." in page
    assert all(words in page for words in NOTICE)
    staff = UserFactory(is_staff=True)
    french.force_login(staff)
    assert _translate_url(topic) in french.get(topic.get_absolute_url()).content.decode()
    assert _translate_url(city) in french.get(city.get_absolute_url()).content.decode()


def test_place_names_on_the_maps_in_french(french, settings):
    settings.COCITY_PAGE_CACHE = False
    square = {
        "type": "Polygon",
        "coordinates": [[[16.3, 48.2], [16.4, 48.2], [16.4, 48.3], [16.3, 48.3], [16.3, 48.2]]],
    }
    austria = TerritoryFactory(name="Austria", code="AT", original_language="en")
    vienna = TerritoryFactory(
        name="Vienna",
        code="AT-VIE",
        kind=Territory.Kind.CITY,
        parent=austria,
        boundary=square,
        original_language="en",
    )
    save_translation(vienna, "fr", {"name": "Vienne"})
    page = french.get(austria.get_absolute_url()).content.decode()
    assert '"name": "Vienne"' in page or '"name":"Vienne"' in page
    assert '"Vienna"' not in page


def test_place_choices_in_the_forms_in_french(french):
    city = TerritoryFactory(
        name="Vienna", code="AT-VIE", kind=Territory.Kind.CITY, original_language="en"
    )
    save_translation(city, "fr", {"name": "Vienne"})
    french.force_login(UserFactory())
    page = french.get(reverse("network:organisation_create")).content.decode()
    assert ">Vienne</option>" in page
    assert ">Vienna</option>" not in page
