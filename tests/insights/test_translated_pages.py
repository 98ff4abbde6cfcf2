"""A data set's name in the viewer's language: a person's translation on its page and in the
insights index, the notice, the original a click away, and the Translate link for its
managers only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cocity.core.translations import save_translation
from cocity.insights import services
from cocity.insights.models import DataSet
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory
from tests.i18n import NOTICE

from .platform_helpers import GROUPS, ROWS, counts_csv, grid_city

pytestmark = pytest.mark.django_db


def _census() -> DataSet:
    city, hoods = grid_city()
    services.dataset_import(
        city=city,
        name="Population census",
        source="INSEE",
        year=2020,
        groups=GROUPS,
        total_column="total",
        id_column="code",
        csv_text=counts_csv(hoods, ROWS),
    )
    dataset = DataSet.objects.get(city=city)
    DataSet.objects.filter(pk=dataset.pk).update(original_language="en")
    dataset.refresh_from_db()
    return dataset


def test_data_set_page_in_french(client, settings):
    settings.COCITY_PAGE_CACHE = False
    dataset = _census()
    save_translation(dataset, "fr", {"name": "Recensement de la population"})
    client.cookies["cocity_language"] = "fr"
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert '<h1><span lang="fr">Recensement de la population</span> (2020)</h1>' in page
    assert "<title>Recensement de la population (2020)" in page
    assert all(w in page for w in NOTICE)
    original = client.get(dataset.get_absolute_url() + "?original=1").content.decode()
    assert '<h1><span lang="en">Population census</span> (2020)</h1>' in original
    index = client.get(reverse("insights:index") + f"?place={dataset.city.code}").content.decode()
    assert "Recensement de la population (2020)" in index


def test_data_set_translate_link_for_its_managers_only(client):
    dataset = _census()
    url = reverse("translations:edit", args=["insights", "dataset", dataset.pk])
    client.force_login(UserFactory())
    assert url not in client.get(dataset.get_absolute_url()).content.decode()
    organisation = OrganisationFactory(home_territory=dataset.city)
    editor = OrganisationMembershipFactory(organisation=organisation, role="editor").user
    client.force_login(editor)
    assert url in client.get(dataset.get_absolute_url()).content.decode()
