"""The pledges admin goes through the services: a measure's new budget is in the campaign's
totals at once, a refused change is a form error with nothing written, derived fields are not
editable, and progress reports (filed by the organisations) are only shown."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cocity.pledges import services
from cocity.pledges.models import CampaignSummary, Measure, Pledge, ProgressReport
from tests.admin_forms import admin_form_data
from tests.factories import CampaignFactory, pledge_with_measures

pytestmark = pytest.mark.django_db


def _totals(campaign) -> dict:  # type: ignore[no-untyped-def]
    return CampaignSummary.objects.get(campaign=campaign).data["by_currency"]["EUR"]


def _measure_url(measure: Measure) -> str:
    return reverse("admin:pledges_measure_change", args=[measure.pk])


def test_a_new_budget_is_in_the_campaign_totals(admin_client) -> None:
    pledge = pledge_with_measures(amounts=("1000", "500"))
    measure = pledge.measures.get(amount=Decimal("1000"))
    assert _totals(pledge.campaign)["amount"] == "1500.00"
    version = CampaignSummary.objects.get(campaign=pledge.campaign).version
    url = _measure_url(measure)
    response = admin_client.post(url, admin_form_data(admin_client, url, amount="2500.50"))
    assert response.status_code == 302, response.content.decode()[:3000]
    measure.refresh_from_db()
    assert measure.amount == Decimal("2500.50")
    assert _totals(pledge.campaign)["amount"] == "3000.50"
    assert CampaignSummary.objects.get(campaign=pledge.campaign).version > version


def test_adding_a_measure_counts_in_the_totals(admin_client) -> None:
    pledge = pledge_with_measures(amounts=("1000",))
    url = reverse("admin:pledges_measure_add")
    data = admin_form_data(
        admin_client,
        url,
        pledge=str(pledge.pk),
        description="Shelter beds",
        amount="250",
        currency="EUR",
        starts_on="2024-02-01",
        ends_on="2025-02-01",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _totals(pledge.campaign) == {"amount": "1250.00", "spent": "0.00", "measures": 2}


def test_spending_from_reports_is_not_editable(admin_client) -> None:
    pledge = pledge_with_measures(amounts=("1000",))
    measure = pledge.measures.get()
    services.report_file(
        measure=measure, reported_on=datetime.date(2024, 6, 1), spent="300", status="on_track"
    )
    url = _measure_url(measure)
    response = admin_client.post(
        url, admin_form_data(admin_client, url, spent="0", status="completed")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    measure.refresh_from_db()
    assert (measure.spent, measure.status) == (Decimal("300.00"), "on_track")
    assert _totals(pledge.campaign)["spent"] == "300.00"


def test_a_refusal_of_the_service_is_a_form_error_and_nothing_changes(admin_client) -> None:
    pledge = pledge_with_measures(amounts=("1000",))
    services.report_file(
        measure=pledge.measures.get(),
        reported_on=datetime.date(2024, 6, 1),
        spent="300",
        status="on_track",
    )
    url = reverse("admin:pledges_pledge_change", args=[pledge.pk])
    data = admin_form_data(admin_client, url, title="Renamed", signed_on="2024-07-01")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["signed_on"] == [
        "A progress report is dated before this signing date."
    ]
    pledge.refresh_from_db()
    assert (pledge.title, pledge.signed_on) == (
        "Pledge of " + pledge.organisation.name,
        datetime.date(2024, 1, 15),
    )


def test_a_pledge_state_is_not_editable(admin_client) -> None:
    pledge = pledge_with_measures(amounts=("1000",))
    url = reverse("admin:pledges_pledge_change", args=[pledge.pk])
    response = admin_client.post(url, admin_form_data(admin_client, url, state="draft"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Pledge.objects.get(pk=pledge.pk).state == Pledge.State.PUBLISHED
    assert _totals(pledge.campaign)["amount"] == "1000.00"


def test_a_campaign_added_in_the_admin_has_totals(admin_client, organisation) -> None:
    framework = CampaignFactory().framework
    url = reverse("admin:pledges_campaign_add")
    data = admin_form_data(
        admin_client,
        url,
        name="Housing first",
        slug="housing-first",
        organisation=str(organisation.pk),
        framework=str(framework.pk),
        currency="eur",
        report_every_months="6",
    )
    response = admin_client.post(url, data)
    # The model refuses a lower-case code before the service would upper-case it: a form error.
    assert response.status_code == 200
    data["currency"] = "EUR"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    summary = CampaignSummary.objects.get(campaign__slug="housing-first")
    assert summary.data["pledges"] == 0


def test_progress_reports_are_read_only(admin_client) -> None:
    pledge = pledge_with_measures(amounts=("1000",))
    report = services.report_file(
        measure=pledge.measures.get(),
        reported_on=datetime.date(2024, 6, 1),
        spent="300",
        status="on_track",
    )
    change = reverse("admin:pledges_progressreport_change", args=[report.pk])
    assert admin_client.get(reverse("admin:pledges_progressreport_add")).status_code == 403
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"spent": "0"}).status_code == 403
    delete = reverse("admin:pledges_progressreport_delete", args=[report.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).spent == Decimal("300.00")
