"""A commons, a call for care and a pact in the viewer's language: a person's translation, the
notice, the original a click away, the map's titles, and the Translate links for those who may."""

import datetime

import pytest
from django.urls import reverse

from cocity.commons.models import CallForCare
from cocity.core.translations import save_translation
from cocity.network.models import Role, Territory
from tests.factories import (
    CommonsFactory,
    OrganisationMembershipFactory,
    PactFactory,
    TerritoryFactory,
    UserFactory,
)
from tests.i18n import NOTICE

pytestmark = pytest.mark.django_db


def _translate_url(obj) -> str:
    return reverse("translations:edit", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def _french(client):
    client.cookies["cocity_language"] = "fr"
    return client


def test_commons_call_and_pact_pages_in_french(client, settings):
    settings.COCITY_PAGE_CACHE = False
    commons = CommonsFactory(
        name="River garden", description="A garden by the river.", original_language="en"
    )
    save_translation(
        commons, "fr", {"name": "Jardin du fleuve", "description": "Un jardin au bord du fleuve."}
    )
    today = datetime.date.today()
    call = CallForCare.objects.create(
        organisation=commons.organisation,
        title="Care for gardens",
        slug="care-for-gardens",
        description="Adopt a garden.",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
        original_language="en",
    )
    call.commons.add(commons)
    save_translation(
        call, "fr", {"title": "Prendre soin des jardins", "description": "Adoptez un jardin."}
    )
    pact = PactFactory(
        commons=commons, title="Garden pact", objectives="We water it.", original_language="en"
    )
    save_translation(pact, "fr", {"title": "Pacte du jardin", "objectives": "Nous l’arrosons."})  # noqa: RUF001
    french = _french(client)

    page = french.get(commons.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">Jardin du fleuve</h1>' in page
    assert "Un jardin au bord du fleuve." in page and all(w in page for w in NOTICE)
    original = french.get(commons.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en">River garden</h1>' in original and "A garden by the river." in original

    page = french.get(call.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">Prendre soin des jardins</h1>' in page
    assert "Adoptez un jardin." in page and all(w in page for w in NOTICE)
    original = french.get(call.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en">Care for gardens</h1>' in original

    page = french.get(pact.get_absolute_url()).content.decode()
    assert '<h1 lang="fr"><bdi>Pacte du jardin</bdi></h1>' in page
    assert "Nous l’arrosons." in page and all(w in page for w in NOTICE)  # noqa: RUF001
    assert "<bdi>Jardin du fleuve</bdi>" in page  # the breadcrumb
    original = french.get(pact.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en"><bdi>Garden pact</bdi></h1>' in original and "We water it." in original

    features = french.get(reverse("commons:map_geojson")).json()["features"]
    assert [f["properties"]["title"] for f in features] == ["Pacte du jardin"]
    assert features[0]["properties"]["commons"] == "Jardin du fleuve"


def test_translate_links_for_those_who_may(client):
    commons = CommonsFactory(original_language="en")
    today = datetime.date.today()
    call = CallForCare.objects.create(
        organisation=commons.organisation,
        title="Care for gardens",
        slug="care",
        opens_on=today,
        closes_on=today,
        original_language="en",
    )
    pact = PactFactory(commons=commons, state="draft", original_language="en")
    client.force_login(UserFactory())
    for obj in (commons, call):
        assert _translate_url(obj) not in client.get(obj.get_absolute_url()).content.decode()
    officer = UserFactory()
    OrganisationMembershipFactory(organisation=commons.organisation, user=officer, role=Role.EDITOR)
    client.force_login(officer)
    for obj in (commons, call):
        assert _translate_url(obj) in client.get(obj.get_absolute_url()).content.decode()
    client.force_login(pact.created_by)
    assert _translate_url(pact) in client.get(pact.get_absolute_url()).content.decode()
    form = client.get(reverse("commons:pact_edit", args=[pact.pk])).content.decode()
    assert _translate_url(pact) in form and "Translate this into other languages" in form
    other_form = client.get(reverse("commons:party_add", args=[pact.pk])).content.decode()
    assert "Translate this into other languages" not in other_form


def test_the_registry_filter_names_places_in_french(client, settings):
    settings.COCITY_PAGE_CACHE = False
    city = TerritoryFactory(
        name="Vienna", code="AT-VIE", kind=Territory.Kind.CITY, original_language="en"
    )
    save_translation(city, "fr", {"name": "Vienne"})
    PactFactory(commons=CommonsFactory(territory=city), original_language="en")
    page = _french(client).get(reverse("commons:index")).content.decode()
    assert '<option value="AT-VIE">Vienne</option>' in page
