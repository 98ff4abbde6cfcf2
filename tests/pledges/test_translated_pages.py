"""A campaign and a pledge in the viewer's language: a person's translation, the notice, the
original a click away (also from the campaign's cached body), and the Translate links for
those who may."""

import pytest
from django.urls import reverse

from cocity.core.translations import save_translation
from cocity.network.models import Role
from cocity.pledges.models import Pledge
from tests.factories import (
    CampaignFactory,
    OrganisationMembershipFactory,
    UserFactory,
    pledge_with_measures,
)
from tests.i18n import NOTICE

pytestmark = pytest.mark.django_db


def _translate_url(obj) -> str:
    return reverse("translations:edit", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def _in_english(pledge: Pledge, **fields: str) -> Pledge:
    Pledge.objects.filter(pk=pledge.pk).update(original_language="en", **fields)
    pledge.refresh_from_db()
    return pledge


def test_campaign_and_pledge_pages_in_french(client, settings):
    settings.COCITY_PAGE_CACHE = False
    campaign = CampaignFactory(
        name="Inclusive cities",
        summary="Cities pledge for social rights.",
        description="Pledges and their measures.",
        original_language="en",
    )
    save_translation(
        campaign,
        "fr",
        {
            "name": "Villes inclusives",
            "summary": "Des villes s’engagent pour les droits sociaux.",  # noqa: RUF001
            "description": "Les engagements et leurs mesures.",
        },
    )
    pledge = _in_english(
        pledge_with_measures(campaign=campaign),
        title="Homes for all",
        statement="We build homes.",
    )
    save_translation(
        pledge, "fr", {"title": "Un toit pour tous", "statement": "Nous construisons."}
    )
    reader = UserFactory()  # a signed-in reader: the campaign's body is cached for such readers
    client.force_login(reader)
    client.cookies["cocity_language"] = "fr"

    page = client.get(campaign.get_absolute_url()).content.decode()
    assert '<h1 lang="fr"><bdi>Villes inclusives</bdi></h1>' in page
    assert "Les engagements et leurs mesures." in page and all(w in page for w in NOTICE)
    original = client.get(campaign.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en"><bdi>Inclusive cities</bdi></h1>' in original
    assert "Pledges and their measures." in original and "Villes inclusives" not in original
    again = client.get(campaign.get_absolute_url()).content.decode()
    assert '<h1 lang="fr"><bdi>Villes inclusives</bdi></h1>' in again

    page = client.get(pledge.get_absolute_url()).content.decode()
    assert '<h1 lang="fr"><bdi>Un toit pour tous</bdi></h1>' in page
    assert "Nous construisons." in page and all(w in page for w in NOTICE)
    assert "<bdi>Villes inclusives</bdi>" in page  # the breadcrumb
    original = client.get(pledge.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en"><bdi>Homes for all</bdi></h1>' in original
    assert "We build homes." in original


def test_translate_links_for_those_who_may(client, settings):
    settings.COCITY_PAGE_CACHE = False
    campaign = CampaignFactory(original_language="en")
    pledge = _in_english(pledge_with_measures(campaign=campaign))
    client.force_login(UserFactory())
    assert _translate_url(campaign) not in client.get(campaign.get_absolute_url()).content.decode()
    assert _translate_url(pledge) not in client.get(pledge.get_absolute_url()).content.decode()
    manager = UserFactory()
    OrganisationMembershipFactory(organisation=campaign.organisation, user=manager, role=Role.ADMIN)
    client.force_login(manager)
    assert _translate_url(campaign) in client.get(campaign.get_absolute_url()).content.decode()
    editor = UserFactory()
    OrganisationMembershipFactory(organisation=pledge.organisation, user=editor, role=Role.EDITOR)
    client.force_login(editor)
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert _translate_url(pledge) in page
    assert _translate_url(pledge.measures.get()) in page
    form = client.get(reverse("pledges:pledge_edit", args=[pledge.pk])).content.decode()
    assert _translate_url(pledge) in form and "Translate this into other languages" in form
