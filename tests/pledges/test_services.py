"""Writes of the pledges app: bad input gives a clear message and writes nothing; totals follow
every write in the same transaction."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cocity.core.models import SentReminder
from cocity.core.testing import files
from cocity.pledges import services
from cocity.pledges.models import (
    CampaignSummary,
    Framework,
    FrameworkItem,
    Measure,
    Pledge,
    PledgeDocument,
    ProgressReport,
)
from tests.factories import (
    CampaignFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    pledge_with_measures,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 1, 15)


def test_shipped_frameworks_are_complete_in_english_and_french():
    epsr = Framework.objects.get(slug="european-pillar-of-social-rights")
    items = list(epsr.items.order_by("position"))
    chapters = [i for i in items if i.kind == FrameworkItem.Kind.CHAPTER]
    principles = [i for i in items if i.kind == FrameworkItem.Kind.PRINCIPLE]
    assert [c.code for c in chapters] == ["I", "II", "III"]
    assert [p.code for p in principles] == [str(n) for n in range(1, 21)]
    assert all(p.parent and p.parent.kind == "chapter" for p in principles)
    assert principles[1].name == "Gender equality"
    assert principles[18].name == "Housing and assistance for the homeless"
    assert all(i.translations["fr"]["name"] for i in items)
    assert all(p.description and p.translations["fr"]["description"] for p in principles)
    sdg = Framework.objects.get(slug="sustainable-development-goals")
    assert sdg.items.count() == 17
    assert sdg.items.get(code="11").name == "Sustainable cities and communities"
    from django.utils import translation

    with translation.override("fr"):
        assert principles[1].label == "Égalité entre les femmes et les hommes"
        assert epsr.label == "Socle européen des droits sociaux"


def _pledge(campaign=None):
    campaign = campaign or CampaignFactory()
    return services.pledge_create(
        campaign=campaign,
        organisation=OrganisationFactory(),
        title="Jobs",
        principles=list(campaign.framework.items.filter(code="4")),
        signed_by="Mayor",
        signed_on=DAY,
    )


@pytest.mark.parametrize(
    ("amount", "currency", "starts", "ends", "field", "message"),
    [
        ("-5", "EUR", DAY, DAY, "amount", "cannot be negative"),
        ("lots", "EUR", DAY, DAY, "amount", "as a number"),
        ("NaN", "EUR", DAY, DAY, "amount", "as a number"),
        ("10", "XYZ", DAY, DAY, "currency", "not an ISO 4217"),
        ("10", "EUR", DAY, DAY - datetime.timedelta(days=1), "ends_on", "end before it starts"),
    ],
)
def test_bad_measure_is_refused_and_nothing_written(amount, currency, starts, ends, field, message):
    pledge = _pledge()
    before = CampaignSummary.objects.get(campaign=pledge.campaign).data
    with pytest.raises(ValidationError) as error:
        services.measure_add(
            pledge=pledge,
            description="x",
            amount=amount,
            currency=currency,
            starts_on=starts,
            ends_on=ends,
        )
    assert message in str(error.value.message_dict[field])
    assert not Measure.objects.exists()
    assert CampaignSummary.objects.get(campaign=pledge.campaign).data == before


def test_bad_indicator_rolls_back_the_measure():
    pledge = _pledge()
    with pytest.raises(ValidationError):
        services.measure_add(
            pledge=pledge, description="x", amount="10", currency="EUR", starts_on=DAY,
            ends_on=DAY, indicators=[services.IndicatorInput("People", "0", "many")],
        )  # fmt: skip
    assert not Measure.objects.exists()


def test_publish_needs_a_measure():
    pledge = _pledge()
    with pytest.raises(ValidationError, match="at least one measure"):
        services.pledge_publish(pledge=pledge)
    assert Pledge.objects.get().state == Pledge.State.DRAFT


def test_principles_must_come_from_the_campaign_framework():
    campaign = CampaignFactory()
    sdg = FrameworkItem.objects.get(framework__slug="sustainable-development-goals", code="1")
    with pytest.raises(ValidationError, match="framework"):
        services.pledge_create(
            campaign=campaign, organisation=OrganisationFactory(), title="x", principles=[sdg],
            signed_by="Mayor", signed_on=DAY,
        )  # fmt: skip
    assert not Pledge.objects.exists()


def test_totals_follow_publish_and_reports():
    campaign = CampaignFactory()
    pledge = pledge_with_measures(campaign=campaign, amounts=("1000.50", "2000"), publish=False)
    assert CampaignSummary.objects.get(campaign=campaign).data["pledges"] == 0  # drafts: no
    services.pledge_publish(pledge=pledge)
    data = CampaignSummary.objects.get(campaign=campaign).data
    assert data["pledges"] == 1 and data["signatories"] == 1 and data["measures"] == 2
    assert data["by_currency"]["EUR"]["amount"] == "3000.50"
    measure = pledge.measures.order_by("position").first()
    services.report_file(
        measure=measure, reported_on=DAY + datetime.timedelta(days=10), spent="250",
        status="on_track", indicator_values={measure.indicators.get().pk: "40"},
    )  # fmt: skip
    data = CampaignSummary.objects.get(campaign=campaign).data
    assert data["by_currency"]["EUR"]["spent"] == "250.00"
    measure.refresh_from_db()
    assert measure.status == "on_track" and measure.indicators.get().current == Decimal("40")
    principle = [p for p in data["by_principle"] if p["pledges"] == 1]
    assert principle and principle[0]["amounts"] == {"EUR": "3000.50"}


@pytest.mark.parametrize(
    ("reported_on", "spent", "field"),
    [
        (DAY - datetime.timedelta(days=1), "10", "reported_on"),
        (DAY + datetime.timedelta(days=1), "-1", "spent"),
        (DAY + datetime.timedelta(days=1), "ten", "spent"),
        (datetime.date(2999, 1, 1), "10", "reported_on"),
    ],
)
def test_bad_report_is_refused_and_nothing_written(reported_on, spent, field):
    pledge = pledge_with_measures()
    summary = CampaignSummary.objects.get(campaign=pledge.campaign).data
    due = pledge.report_due_on
    with pytest.raises(ValidationError) as error:
        services.report_file(
            measure=pledge.measures.get(), reported_on=reported_on, spent=spent, status="on_track"
        )
    assert field in error.value.message_dict
    assert not ProgressReport.objects.exists()
    assert CampaignSummary.objects.get(campaign=pledge.campaign).data == summary
    assert Pledge.objects.get().report_due_on == due


def test_report_due_every_six_months_by_default_and_status_rolls_up():
    pledge = pledge_with_measures(amounts=("10", "20"))
    assert pledge.report_due_on == datetime.date(2024, 7, 15)
    first, second = pledge.measures.order_by("position")
    services.report_file(
        measure=first, reported_on=datetime.date(2024, 3, 1), spent="1", status="delayed"
    )
    pledge.refresh_from_db()
    assert pledge.report_due_on == datetime.date(2024, 9, 1)
    assert pledge.status == "delayed"
    for m in (first, second):
        services.report_file(
            measure=m, reported_on=datetime.date(2024, 4, 1), spent="1", status="completed"
        )
    pledge.refresh_from_db()
    assert pledge.status == "completed" and pledge.report_due_on is None


def test_add_months_clamps_to_month_end():
    assert services.add_months(datetime.date(2024, 8, 31), 6) == datetime.date(2025, 2, 28)


def test_documents_are_pdf_by_their_bytes_and_small(settings):
    settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "pdf": 10_000}
    pledge = pledge_with_measures()
    fake = SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(ValidationError, match="PDF"):
        services.document_add(pledge=pledge, title="Plan", file=fake)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 10_000, "application/pdf")
    with pytest.raises(ValidationError, match="too large"):
        services.document_add(pledge=pledge, title="Plan", file=big)
    assert not PledgeDocument.objects.exists()
    ok = files.pdf_upload("plan.pdf")
    assert services.document_add(pledge=pledge, title="Plan", file=ok).pk


def test_other_page_links_accept_site_pages_and_https_only():
    pledge = pledge_with_measures()
    measure = pledge.measures.get()
    link = services.link_add(measure=measure, title="Launch", url="/about/", kind="other")
    assert (link.href, link.label, link.target) == ("/about/", "Launch", None)
    for bad in ("javascript:alert(1)", "//evil.example", "http://plain.example"):
        with pytest.raises(ValidationError):
            services.link_add(measure=measure, title="x", url=bad, kind="other")
    with pytest.raises(ValidationError) as error:
        services.link_add(measure=measure, title="", url="/about/", kind="other")
    assert "title" in error.value.message_dict
    assert measure.links.count() == 1


def test_exchange_rate_bad_input():
    with pytest.raises(ValidationError):
        services.exchange_rate_set(base="EUR", quote="QQQ", rate="1", valid_on=DAY)
    with pytest.raises(ValidationError):
        services.exchange_rate_set(base="EUR", quote="GBP", rate="-1", valid_on=DAY)
    with pytest.raises(ValidationError):
        services.exchange_rate_set(base="EUR", quote="EUR", rate="1", valid_on=DAY)


def test_framework_of_an_organisation():
    org = OrganisationFactory()
    framework = services.framework_create(
        organisation=org, slug="action-areas", name="Action areas",
        items=[services.ItemInput("A", "Housing", kind="chapter"),
               services.ItemInput("A1", "Rent", parent_code="A")],
    )  # fmt: skip
    assert framework.items.get(code="A1").parent.code == "A"
    with pytest.raises(ValidationError):
        services.framework_create(
            organisation=org, slug="dupes", name="Dupes",
            items=[services.ItemInput("A", "x"), services.ItemInput("A", "y")],
        )  # fmt: skip
    assert not Framework.objects.filter(slug="dupes").exists()


def test_reminders_once_per_due_date_to_editors_and_admins(
    mailoutbox, django_capture_on_commit_callbacks
):
    pledge = pledge_with_measures()
    org = pledge.organisation
    editor = OrganisationMembershipFactory(organisation=org, role="editor").user
    OrganisationMembershipFactory(organisation=org, role="member")
    admin = OrganisationMembershipFactory(organisation=org, role="admin").user
    late = pledge.report_due_on + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=pledge.report_due_on - datetime.timedelta(days=1)) == 0
        assert services.reminders_send(today=late) == 1
        assert services.reminders_send(today=late) == 0  # never twice
    assert sorted(m.to[0] for m in mailoutbox) == sorted([editor.email, admin.email])
    assert "Progress report due" in mailoutbox[0].subject
    sent = SentReminder.objects.get()
    assert (sent.target, sent.key) == (pledge, f"report-due:{pledge.report_due_on.isoformat()}")
    assert sent.recipients == 2
    # A report moves the due date: the next cycle gets its own reminder.
    services.report_file(
        measure=pledge.measures.get(), reported_on=late, spent="1", status="on_track"
    )
    pledge.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=pledge.report_due_on) == 1
