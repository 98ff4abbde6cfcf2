"""The campaign's table of signatories names them and their cities in the viewer's language (the
summary row keeps them as written, one summary for every language), in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cocity.core.translations import save_translation
from cocity.network.models import Territory
from cocity.pledges import selectors
from cocity.pledges.models import CampaignSummary
from tests.factories import (
    CampaignFactory,
    OrganisationFactory,
    TerritoryFactory,
    pledge_with_measures,
)

pytestmark = pytest.mark.django_db


def _rows(campaign) -> list[tuple[str, str]]:
    totals = selectors.campaign_totals(campaign)
    return [(row["name"], row["city"]) for row in totals["organisations"]]


def test_signatories_and_their_cities_in_the_viewers_language():
    vienna = TerritoryFactory(
        name="Vienna", code="AT-VIE", kind=Territory.Kind.CITY, original_language="en"
    )
    save_translation(vienna, "fr", {"name": "Vienne"})
    city_hall = OrganisationFactory(
        name="City of Vienna", home_territory=vienna, original_language="en"
    )
    save_translation(city_hall, "fr", {"name": "Ville de Vienne"})
    nowhere = OrganisationFactory(name="Tenants", home_territory=None, original_language="en")
    campaign = CampaignFactory()
    pledge_with_measures(campaign=campaign, organisation=city_hall, amounts=("2000",))
    pledge_with_measures(campaign=campaign, organisation=nowhere, amounts=("1000",))

    with translation.override("en"):
        assert _rows(campaign) == [("City of Vienna", "Vienna"), ("Tenants", "")]
    with translation.override("fr"):
        assert _rows(campaign) == [("Ville de Vienne", "Vienne"), ("Tenants", "")]
        # Names and cities of every signatory shown: one query, whatever their number.
        with CaptureQueriesContext(connection) as one:
            selectors._signatories_in_viewer_language(
                [{"id": city_hall.pk, "name": "", "city": ""}]
            )
        with CaptureQueriesContext(connection) as two:
            selectors._signatories_in_viewer_language(
                [{"id": o.pk, "name": "", "city": ""} for o in (city_hall, nowhere)]
            )
        assert len(one) == len(two) == 1
    # The summary itself still keeps the names as written.
    kept = CampaignSummary.objects.get(campaign=campaign).data["by_organisation"]
    assert sorted((r["name"], r["city"]) for r in kept) == [
        ("City of Vienna", "Vienna"),
        ("Tenants", ""),
    ]


def test_a_signatory_deleted_since_the_summary_keeps_its_written_name():
    rows = [{"id": 987654, "name": "Gone", "city": "Athens"}]
    selectors._signatories_in_viewer_language(rows)
    assert rows == [{"id": 987654, "name": "Gone", "city": "Athens"}]
