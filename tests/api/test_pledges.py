"""The pledges API: frameworks and principles, campaigns with their totals, pledges (drafts only
for whom the pages show them), measures, progress reports; constant queries, ETags, bad input."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocity.core.testing.corpus import HOSTILE_INPUTS
from cocity.pledges import selectors, services
from cocity.pledges.models import Pledge
from tests.factories import (
    CampaignFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
    pledge_with_measures,
)

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def campaign():
    return CampaignFactory(starts_on=datetime.date(2024, 1, 1))


@pytest.fixture
def world(campaign):
    """A published pledge and a draft; who may see the draft: the pledging organisation's
    editor, the campaign's manager (admin of its organisation); who may not: a signed-in
    person, the pledging organisation's plain member."""
    published = pledge_with_measures(campaign=campaign, amounts=("100", "50"))
    draft = pledge_with_measures(campaign=campaign, amounts=("20",), publish=False)
    editor = OrganisationMembershipFactory(organisation=draft.organisation, role="editor").user
    member = OrganisationMembershipFactory(organisation=draft.organisation, role="member").user
    manager = OrganisationMembershipFactory(organisation=campaign.organisation, role="admin").user
    return {
        "published": published,
        "draft": draft,
        "editor": editor,
        "member": member,
        "manager": manager,
        "stranger": UserFactory(),
    }


def _ids(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_drafts_are_seen_exactly_by_whom_the_pages_show_them(api_get, token_for, client, world):
    published, draft = world["published"], world["draft"]
    visitor_ids = _ids(api_get("/pledges"))
    assert visitor_ids == [published.pk]
    assert api_get(f"/pledges/{draft.pk}").status_code == 404
    assert api_get(f"/pledges/{draft.pk}")["Content-Type"] == PROBLEM
    assert api_get(f"/pledges/{draft.pk}/reports").status_code == 404
    for who, sees_draft in (
        ("stranger", False),
        ("member", False),
        ("editor", True),
        ("manager", True),
    ):
        person = world[who]
        token = token_for(person)
        ids = _ids(api_get("/pledges", token=token))
        detail = api_get(f"/pledges/{draft.pk}", token=token)
        client.force_login(person)
        page = client.get(draft.get_absolute_url())
        client.logout()
        assert (draft.pk in ids) is sees_draft, who
        assert published.pk in ids
        assert detail.status_code == (200 if sees_draft else 404), who
        assert page.status_code == detail.status_code, who  # the API answers as the page
    body = api_get(f"/pledges/{draft.pk}", token=token_for(world["editor"])).json()
    assert body["state"] == "draft" and len(body["measures"]) == 1


def test_a_pledge_with_its_measures_indicators_progress_and_reports(api_get, world):
    pledge = world["published"]
    measure = pledge.measures.order_by("position", "id").first()
    indicator = measure.indicators.get()
    services.report_file(
        measure=measure,
        reported_on=datetime.date(2024, 6, 1),
        spent="40",
        status="on_track",
        narrative="Half way.",
        indicator_values={indicator.pk: "30"},
    )
    body = api_get(f"/pledges/{pledge.pk}").json()
    assert body["title"] == pledge.title and body["state"] == "published"
    assert [p["code"] for p in body["principles"]] == ["4"]
    assert [m["amount"] for m in body["measures"]] == ["100.00", "50.00"]
    first = body["measures"][0]
    assert first["spent"] == "40.00" and first["status"] == "on_track"
    assert first["indicators"][0]["current"] == "30.0000"
    assert 0 <= first["progress"]["spent"] <= 1
    reports = api_get(f"/pledges/{pledge.pk}/reports").json()["items"]
    assert [(r["measure"], r["spent"], r["narrative"]) for r in reports] == [
        (measure.pk, "40.00", "Half way.")
    ]
    assert reports[0]["values"] == [
        {"indicator": indicator.pk, "name": "People helped", "value": "30.0000"}
    ]
    other = pledge.measures.exclude(pk=measure.pk).get()
    assert api_get(f"/pledges/{pledge.pk}/reports?measure={other.pk}").json()["items"] == []
    assert api_get(f"/pledges/{pledge.pk}/reports?measure=999999").status_code == 404
    assert "created_by" not in str(reports)


def test_campaign_totals_are_the_pages(api_get, campaign, world):
    services.exchange_rate_set(base="EUR", quote="GBP", rate="0.5", valid_on=campaign.starts_on)
    listed = api_get("/campaigns").json()["items"]
    assert [c["slug"] for c in listed] == [campaign.slug]
    assert listed[0]["pledges"] == 1 and listed[0]["measures"] == 2  # the draft does not count
    body = api_get(f"/campaigns/{campaign.slug}").json()
    expected = selectors.campaign_totals(campaign)
    assert body["totals"]["total"] == str(expected["total"].total) == "150.00"
    assert body["totals"]["currency"] == "EUR" and body["totals"]["rates"] == []
    assert [r["code"] for r in body["totals"]["principles"]] == ["4"]
    assert body["totals"]["signatories"][0]["slug"] == world["published"].organisation.slug
    assert body["totals"]["months"][0]["month"] == "2024-01"
    gbp = api_get(f"/campaigns/{campaign.slug}?currency=gbp").json()["totals"]
    assert gbp["currency"] == "GBP" and gbp["total"] == "75.00"
    assert gbp["rates"][0]["base"] == "EUR" and gbp["rates"][0]["rate"].startswith("0.5")
    # No rate to convert with: said, as the page says it (400), never a 500 nor 1:1.
    no_rate = api_get(f"/campaigns/{campaign.slug}?currency=SEK")
    assert no_rate.status_code == 400 and no_rate["Content-Type"] == PROBLEM
    for bad in ("currency=XXX", "currency=EURO", "on=yesterday", "on=99999-01-01"):
        refused = api_get(f"/campaigns/{campaign.slug}?{bad}")
        assert refused.status_code == 422, bad
        assert refused["Content-Type"] == PROBLEM


def test_overdue_pledges_on_the_campaign(api_get, campaign, world):
    Pledge.objects.filter(pk=world["published"].pk).update(report_due_on=datetime.date(2000, 1, 1))
    body = api_get(f"/campaigns/{campaign.slug}").json()
    assert body["overdue_count"] == 1
    assert body["overdue"][0]["id"] == world["published"].pk
    assert api_get("/pledges").json()["items"][0]["overdue"] is True


def test_frameworks_and_principles(api_get, campaign, world):
    frameworks = api_get("/frameworks?limit=200").json()["items"]
    pillar = next(f for f in frameworks if f["slug"] == campaign.framework.slug)
    assert pillar["organisation"] is None and pillar["principles"] > 0
    detail = api_get(f"/frameworks/{campaign.framework.slug}").json()
    codes = [item["code"] for item in detail["items"]]
    assert "4" in codes and len(codes) == pillar["principles"]
    principle = api_get(f"/frameworks/{campaign.framework.slug}/principles/4").json()
    assert principle["totals"]["pledges"] == 1
    assert principle["totals"]["amounts"] == [{"currency": "EUR", "amount": "150.00"}]
    assert api_get(f"/frameworks/{campaign.framework.slug}/principles/nope").status_code == 404
    assert api_get("/frameworks/nope").status_code == 404


def test_filters_mirror_the_pages(api_get, token_for, campaign, world):
    other = pledge_with_measures(campaign=CampaignFactory(), codes=("1",))
    assert set(_ids(api_get("/pledges"))) == {world["published"].pk, other.pk}
    assert _ids(api_get(f"/pledges?campaign={campaign.slug}")) == [world["published"].pk]
    org = world["published"].organisation
    assert _ids(api_get(f"/pledges?by={org.slug}")) == [world["published"].pk]
    fw = campaign.framework.slug
    assert _ids(api_get(f"/pledges?framework={fw}&principle=1")) == [other.pk]
    # The hub filter (?organisation=, as the pledges page's "See all").
    assert _ids(api_get(f"/pledges?organisation={other.organisation.slug}")) == [other.pk]
    assert [c["slug"] for c in api_get(f"/campaigns?organisation={org.slug}").json()["items"]] == []
    editor = token_for(world["editor"])
    draft_org = world["draft"].organisation.slug
    assert _ids(api_get(f"/pledges?by={draft_org}", token=editor)) == [world["draft"].pk]
    assert _ids(api_get(f"/pledges?by={draft_org}")) == []
    assert api_get("/pledges?campaign=nope").status_code == 404
    assert api_get("/pledges?space=nope").status_code == 404
    assert api_get("/pledges?principle=1").status_code == 422


def test_pages_of_pledges_follow_the_cursor(api_get, campaign):
    org = OrganisationFactory()
    made = [
        Pledge.objects.create(
            campaign=campaign,
            organisation=org,
            title=f"P{n}",
            signed_by="Mayor",
            signed_on=datetime.date(2024, 1, 1 + n % 3),
            state="published",
        ).pk
        for n in range(7)
    ]
    seen, cursor = [], None
    while True:
        page = api_get("/pledges?limit=3" + (f"&cursor={cursor}" if cursor else "")).json()
        seen += [row["id"] for row in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))


def _make_pledges(campaign, n):  # type: ignore[no-untyped-def]
    orgs = [OrganisationFactory() for _ in range(3)]
    Pledge.objects.bulk_create(
        Pledge(
            campaign=campaign,
            organisation=orgs[i % 3],
            title=f"Pledge {i}",
            signed_by="Mayor",
            signed_on=datetime.date(2024, 1, 1),
            state="published",
        )
        for i in range(n)
    )


def _count(api_get, path, token=None):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = api_get(path, token=token)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(
    "path",
    ["/pledges", "/campaigns", "/frameworks", "/pledges?campaign={slug}", "/pledges?by={org}"],
)
def test_lists_cost_the_same_queries_for_3_or_30_rows(api_get, token_for, path):
    counts = []
    for n in (3, 30):
        campaign = CampaignFactory()
        for _ in range(n // 3):
            CampaignFactory(organisation=campaign.organisation)
        _make_pledges(campaign, n)
        org = Pledge.objects.filter(campaign=campaign).first().organisation
        editor = OrganisationMembershipFactory(organisation=org, role="editor").user
        url = path.format(slug=campaign.slug, org=org.slug)
        counts.append((_count(api_get, url), _count(api_get, url, token=token_for(editor))))
        Pledge.objects.all().delete()
    assert counts[0] == counts[1]


def test_a_pledge_and_its_reports_cost_the_same_queries_for_1_or_6_measures(api_get, campaign):
    counts = []
    for amounts in (("1",), ("1", "2", "3", "4", "5", "6")):
        pledge = pledge_with_measures(campaign=campaign, amounts=amounts)
        for measure in pledge.measures.all():
            services.report_file(
                measure=measure, reported_on=pledge.signed_on, spent="0", status="on_track"
            )
        counts.append(
            (
                _count(api_get, f"/pledges/{pledge.pk}"),
                _count(api_get, f"/pledges/{pledge.pk}/reports"),
            )
        )
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "path",
    ["/pledges", "/pledges/{pk}", "/campaigns", "/campaigns/{slug}", "/frameworks"],
)
def test_an_unchanged_answer_is_304_and_a_write_changes_the_tag(api_get, path, campaign, world):
    url = path.format(pk=world["published"].pk, slug=campaign.slug)
    first = api_get(url)
    tag = first["ETag"]
    assert tag and first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = api_get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again["ETag"] == tag
    assert not [q for q in queries if "pledges_" in q["sql"]]  # answered before any row is read
    pledge_with_measures(campaign=campaign, amounts=("5",))
    assert api_get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200


@pytest.mark.parametrize("hostile", [*HOSTILE_INPUTS.values(), "\x00", "a" * 5000, "%00"])
def test_hostile_input_is_a_4xx_never_a_500(api_get, campaign, world, hostile):
    from urllib.parse import quote

    value = quote(hostile, safe="")
    for path in (
        f"/pledges?campaign={value}",
        f"/pledges?by={value}",
        f"/pledges?space={value}",
        f"/pledges?place={value}",
        f"/pledges?framework={value}&principle={value}",
        f"/pledges?cursor={value}",
        f"/pledges?limit={value}",
        f"/campaigns?organisation={value}",
        f"/campaigns?cursor={value}",
        f"/campaigns/{value}",
        f"/campaigns/{campaign.slug}?currency={value}",
        f"/campaigns/{campaign.slug}?on={value}",
        f"/frameworks/{value}",
        f"/frameworks/{campaign.framework.slug}/principles/{value}",
        f"/pledges/{value}",
        f"/pledges/{world['published'].pk}/reports?measure={value}",
    ):
        response = api_get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code >= 400 and "\x00" not in hostile.replace("%00", "\x00"):
            assert response["Content-Type"] == PROBLEM, path


@pytest.mark.parametrize(
    "path",
    [
        "/pledges/99999999999999999999999",
        "/pledges/-1",
        "/pledges/0/reports",
        "/pledges?limit=99999999999999999999",
        "/pledges?limit=-5",
    ],
)
def test_huge_and_negative_numbers_are_not_500(api_get, path):
    assert api_get(path).status_code < 500
