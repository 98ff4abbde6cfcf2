"""Pages: the officer's flow, public reads, drafts hidden, exports, query counts."""

import datetime
import json

import pytest
from django.urls import reverse

from cocity.pledges import services
from cocity.pledges.models import CampaignSummary, Measure, Pledge, ProgressReport
from tests.factories import (
    CampaignFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    pledge_with_measures,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory(starts_on=datetime.date(2024, 1, 1))


def test_officer_publishes_a_pledge_with_two_measures_and_reports(client, campaign):
    membership = OrganisationMembershipFactory(role="editor")
    org, officer = membership.organisation, membership.user
    client.force_login(officer)
    principle = campaign.framework.items.get(code="4")
    response = client.post(
        reverse("pledges:pledge_create", args=[campaign.slug]),
        {
            "organisation": org.pk,
            "title": "Jobs for all",
            "statement": "We **commit**.",
            "principles": [principle.pk],
            "signed_by": "Mayor",
            "signed_on": "2024-01-10",
        },
    )
    pledge = Pledge.objects.get()
    assert response.status_code == 302 and response["Location"] == pledge.get_absolute_url()
    for amount in ("1000000", "250000.50"):
        response = client.post(
            reverse("pledges:measure_add", args=[pledge.pk]),
            {
                "description": f"Measure {amount}",
                "amount": amount,
                "currency": "eur",
                "starts_on": "2024-02-01",
                "ends_on": "2026-12-31",
                "department": "Employment",
                "indicator_name": "People in work",
                "indicator_unit": "people",
                "indicator_baseline": "0",
                "indicator_target": "500",
            },
        )
        assert response.status_code == 302
    client.post(reverse("pledges:pledge_publish", args=[pledge.pk]))
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "1,250,000.50 EUR" in page
    measure = Measure.objects.order_by("position").first()
    indicator = measure.indicators.get()
    response = client.post(
        reverse("pledges:report_file", args=[pledge.pk]),
        {
            "measure": measure.pk,
            "reported_on": "2024-06-30",
            "spent": "300000",
            "status": "on_track",
            "narrative": "Going well.",
            f"indicator_{indicator.pk}": "120",
        },
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get().spent == 300000
    detail = client.get(pledge.get_absolute_url()).content.decode()
    assert "Going well." in detail and "<strong>commit</strong>" in detail
    principle_page = client.get(principle.get_absolute_url()).content.decode()
    assert "Jobs for all" in principle_page and "1,250,000.50 EUR" in principle_page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "-1", "cannot be negative"),
        ("amount", "abc", "as a number"),
        ("currency", "XXY", "not an ISO 4217"),
        ("ends_on", "2023-01-01", "end before it starts"),
    ],
)
def test_measure_form_bad_input(client, campaign, field, value, message):
    pledge = pledge_with_measures(campaign=campaign, publish=False)
    officer = OrganisationMembershipFactory(organisation=pledge.organisation, role="editor").user
    client.force_login(officer)
    data = {
        "description": "x", "amount": "10", "currency": "EUR",
        "starts_on": "2024-02-01", "ends_on": "2024-03-01", field: value,
    }  # fmt: skip
    response = client.post(reverse("pledges:measure_add", args=[pledge.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert pledge.measures.count() == 1


def test_report_dated_before_the_pledge_is_refused(client, campaign):
    pledge = pledge_with_measures(campaign=campaign)
    officer = OrganisationMembershipFactory(organisation=pledge.organisation, role="editor").user
    client.force_login(officer)
    response = client.post(
        reverse("pledges:report_file", args=[pledge.pk]),
        {"measure": pledge.measures.get().pk, "reported_on": "2020-01-01", "spent": "1",
         "status": "on_track"},
    )  # fmt: skip
    assert "before the pledge was signed" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_total_in_a_currency_without_rate_says_so(client, campaign):
    pledge_with_measures(campaign=campaign)
    response = client.get(campaign.get_absolute_url(), {"currency": "SEK"})
    assert response.status_code == 400
    assert "no exchange rate between EUR and SEK" in response.content.decode()


def test_drafts_are_invisible_to_the_public_and_other_organisations(client, campaign):
    pledge = pledge_with_measures(campaign=campaign, publish=False)
    assert client.get(pledge.get_absolute_url()).status_code == 404
    client.force_login(OrganisationMembershipFactory(role="admin").user)
    assert client.get(pledge.get_absolute_url()).status_code == 404
    assert client.get(reverse("pledges:measure_add", args=[pledge.pk])).status_code == 404
    manager = OrganisationMembershipFactory(organisation=campaign.organisation, role="admin").user
    client.force_login(manager)
    assert client.get(pledge.get_absolute_url()).status_code == 200
    assert client.get(reverse("pledges:measure_add", args=[pledge.pk])).status_code == 403


def test_overdue_shown_on_pledge_and_campaign(client, campaign):
    pledge = pledge_with_measures(campaign=campaign, signed_on=datetime.date(2020, 1, 1))
    assert pledge.report_due_on < datetime.date.today()
    assert "overdue-notice" in client.get(pledge.get_absolute_url()).content.decode()
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Reports overdue" in page and pledge.title in page


def _body(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def test_exports(client, campaign):
    pledge_with_measures(campaign=campaign, amounts=("10", "20"))
    pledge_with_measures(campaign=campaign, publish=False)  # drafts are not exported
    csv_text = _body(client.get(reverse("pledges:campaign_export_csv", args=[campaign.slug])))
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("pledge_id,pledge,organisation") and len(lines) == 3
    data = json.loads(
        _body(client.get(reverse("pledges:campaign_export_json", args=[campaign.slug])))
    )
    assert data["campaign"] == campaign.slug and data["name"] == campaign.name
    assert {m["amount"] for m in data["measures"]} == {"10.00", "20.00"}


def test_export_rows_carry_every_field_of_the_pledge_and_measure(client, campaign):
    """The streamed export (plain values, two queries) says what the pages say."""
    pledge = pledge_with_measures(campaign=campaign, amounts=("5",))
    principles = list(campaign.framework.items.order_by("position", "id")[:2])
    pledge.principles.set(principles)
    measure = pledge.measures.get()
    data = json.loads(
        _body(client.get(reverse("pledges:campaign_export_json", args=[campaign.slug])))
    )
    (row,) = data["measures"]
    assert row == {
        "pledge_id": pledge.pk,
        "pledge": pledge.title,
        "organisation": pledge.organisation.name,
        "city": pledge.organisation.home_territory.name
        if pledge.organisation.home_territory
        else "",
        "signed_on": pledge.signed_on.isoformat(),
        "principles": " ".join(p.code for p in principles),
        "pledge_status": pledge.status,
        "report_due_on": pledge.report_due_on.isoformat() if pledge.report_due_on else "",
        "measure_id": measure.pk,
        "measure": measure.description,
        "amount": str(measure.amount),
        "currency": measure.currency,
        "spent": str(measure.spent),
        "starts_on": measure.starts_on.isoformat(),
        "ends_on": measure.ends_on.isoformat(),
        "department": measure.department,
        "measure_status": measure.status,
    }


def test_export_queries_do_not_grow_with_the_measures(
    client, campaign, django_assert_max_num_queries
):
    for _ in range(5):
        pledge_with_measures(campaign=campaign, amounts=("1", "2", "3"))
    with django_assert_max_num_queries(6):
        _body(client.get(reverse("pledges:campaign_export_csv", args=[campaign.slug])))


def test_csv_export_defuses_formulas(client, campaign):
    org = OrganisationFactory(name="=HYPERLINK(1)")
    pledge_with_measures(campaign=campaign, organisation=org)
    text = _body(client.get(reverse("pledges:campaign_export_csv", args=[campaign.slug])))
    assert "'=HYPERLINK(1)" in text


def test_campaign_page_query_count(assert_same_query_count, campaign, client):
    def make(n):
        for _ in range(n):
            pledge_with_measures(campaign=campaign)
        client.get(campaign.get_absolute_url())  # the totals are cached per state of the data

    assert_same_query_count(campaign.get_absolute_url(), make, few=1, many=25)


def test_principle_page_query_count(assert_same_query_count, campaign):
    item = campaign.framework.items.get(code="4")

    def make(n):
        for _ in range(n):
            pledge_with_measures(campaign=campaign, amounts=("1", "2"))

    assert_same_query_count(item.get_absolute_url(), make, few=1, many=25)


def test_organisation_page_query_count(assert_same_query_count, campaign):
    org = OrganisationFactory()

    def make(n):
        for _ in range(n):
            pledge_with_measures(campaign=campaign, organisation=org)

    assert_same_query_count(
        reverse("pledges:organisation_pledges", args=[org.slug]), make, few=1, many=25
    )


def test_pledge_page_query_count(client, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for amounts in (("1",), tuple(str(n) for n in range(1, 16))):
        pledge = pledge_with_measures(campaign=campaign, amounts=amounts)
        for measure in pledge.measures.all():
            services.report_file(
                measure=measure, reported_on=datetime.date(2024, 2, 1), spent="1",
                status="on_track",
            )  # fmt: skip
        client.get(pledge.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(pledge.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_framework_pages_and_own_framework(client):
    assert client.get(reverse("pledges:index")).status_code == 200
    page = client.get(
        reverse("pledges:framework_detail", args=["european-pillar-of-social-rights"])
    )
    assert "Active support to employment" in page.content.decode()
    member = OrganisationMembershipFactory(role="editor")
    client.force_login(member.user)
    response = client.post(
        reverse("pledges:framework_create"),
        {"organisation": member.organisation.pk, "name": "Our areas", "slug": "our-areas",
         "items": "A1. Housing\nA2. Jobs"},
    )  # fmt: skip
    assert response.status_code == 302
    response = client.post(
        reverse("pledges:framework_create"),
        {"organisation": member.organisation.pk, "name": "Bad", "slug": "bad", "items": "no code"},
    )
    assert "Line 1" in response.content.decode()


def test_summary_exists_for_every_campaign(campaign):
    assert CampaignSummary.objects.filter(campaign=campaign).exists()


def test_cached_totals_follow_every_write_and_rate_change(client, campaign):
    from decimal import Decimal

    from cocity.pledges.models import ExchangeRate

    services.exchange_rate_set(base="EUR", quote="GBP", rate="0.5", valid_on=campaign.starts_on)
    pledge_with_measures(campaign=campaign, amounts=("100",))
    url = campaign.get_absolute_url()
    assert "100.00 EUR" in client.get(url).content.decode()
    assert "50.00 GBP" in client.get(url, {"currency": "GBP"}).content.decode()
    second = pledge_with_measures(campaign=campaign, amounts=("20",), publish=False)
    assert "100.00 EUR" in client.get(url).content.decode()  # a draft does not count
    services.pledge_publish(pledge=second)
    page = client.get(url).content.decode()
    assert "120.00 EUR" in page  # the cached rendering is not served
    assert second.get_absolute_url() in page  # nor the cached list of pledges
    services.report_file(
        measure=second.measures.get(), reported_on=second.signed_on, spent="7", status="on_track"
    )
    assert "7.00 EUR" in client.get(url).content.decode()
    ExchangeRate.objects.update(rate=Decimal("0.25"))  # as the admin would, outside services
    assert "30.00 GBP" in client.get(url, {"currency": "GBP"}).content.decode()


def test_visitors_cached_campaign_page_follows_writes_and_admin_rate_changes(
    client, campaign, settings, rf
):
    from decimal import Decimal

    from django.contrib.admin.sites import site as admin_site

    from cocity.pledges.models import ExchangeRate
    from tests.factories import UserFactory

    settings.COCITY_PAGE_CACHE = True
    services.exchange_rate_set(base="EUR", quote="GBP", rate="0.5", valid_on=campaign.starts_on)
    pledge_with_measures(campaign=campaign, amounts=("100",))
    url = campaign.get_absolute_url()
    assert "100.00 EUR" in client.get(url).content.decode()
    assert "50.00 GBP" in client.get(url, {"currency": "GBP"}).content.decode()
    second = pledge_with_measures(campaign=campaign, amounts=("20",), publish=False)
    services.pledge_publish(pledge=second)
    assert "120.00 EUR" in client.get(url).content.decode()
    services.report_file(
        measure=second.measures.get(), reported_on=second.signed_on, spent="7", status="on_track"
    )
    assert "7.00 EUR" in client.get(url).content.decode()
    rate = ExchangeRate.objects.get()
    rate.rate = Decimal("0.25")
    request = rf.post("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    admin_site._registry[ExchangeRate].save_model(request, rate, form=None, change=True)
    assert "30.00 GBP" in client.get(url, {"currency": "GBP"}).content.decode()


def test_people_who_edit_for_no_organisation_share_the_visitors_list_editors_see_drafts(
    client, campaign
):
    from tests.factories import UserFactory

    published = pledge_with_measures(campaign=campaign, amounts=("10",))
    membership = OrganisationMembershipFactory(role="editor")
    draft = pledge_with_measures(
        campaign=campaign, amounts=("5",), publish=False, organisation=membership.organisation
    )
    url = campaign.get_absolute_url()
    reader = UserFactory()
    client.force_login(reader)
    page = client.get(url).content.decode()
    assert published.get_absolute_url() in page and draft.get_absolute_url() not in page
    client.force_login(membership.user)
    page = client.get(url).content.decode()
    assert published.get_absolute_url() in page and draft.get_absolute_url() in page
    client.force_login(reader)  # the editor's rendering was not shared
    assert draft.get_absolute_url() not in client.get(url).content.decode()


def test_signed_in_readers_get_the_shared_body_fresh_after_every_write(client, campaign):
    from tests.factories import UserFactory

    pledge_with_measures(campaign=campaign, amounts=("100",))
    url = campaign.get_absolute_url()
    reader = UserFactory()
    client.force_login(reader)
    first = client.get(url).content.decode()
    assert "100.00 EUR" in first and reader.public_name in first
    other = UserFactory()
    client.force_login(other)
    page = client.get(url).content.decode()  # the same body, their own header
    assert "100.00 EUR" in page and other.public_name in page and reader.public_name not in page
    pledge_with_measures(campaign=campaign, amounts=("20",))
    assert "120.00 EUR" in client.get(url).content.decode()
    assert client.get(url, {"currency": "XXX"}).status_code in (200, 400)
