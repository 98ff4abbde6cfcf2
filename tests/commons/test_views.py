import datetime as dt
import json
from unittest.mock import patch

import pytest
from django.urls import reverse

from cocity.commons.models import Pact, PactHistoryEntry
from tests.commons import scenario
from tests.factories import CommonsFactory, PactFactory

pytestmark = pytest.mark.django_db
S = Pact.State


@pytest.fixture
def w():  # type: ignore[no-untyped-def]
    return scenario.world()


def test_registry_lists_public_pacts_and_hides_drafts(client, w):  # type: ignore[no-untyped-def]
    draft = scenario.draft(w, title="Secret draft")
    public = scenario.submitted(w, title="Public proposal")
    page = client.get(reverse("commons:index")).content.decode()
    assert "Public proposal" in page and "Secret draft" not in page
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(public.get_absolute_url()).status_code == 200
    client.force_login(w.resident)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_registry_filters_by_neighbourhood_state_and_year(client, w):  # type: ignore[no-untyped-def]
    elsewhere = CommonsFactory(organisation=w.comune, territory=w.other, name="Pilastro hall")
    PactFactory(commons=w.commons, title="In Bolognina", state=S.ACTIVE)
    PactFactory(commons=elsewhere, title="In Pilastro", state=S.REJECTED)
    page = client.get(reverse("commons:index"), {"territory": "IT-BLQ-01-1"}).content.decode()
    assert "In Bolognina" in page and "In Pilastro" not in page
    page = client.get(reverse("commons:index"), {"state": "rejected"}).content.decode()
    assert "In Pilastro" in page and "In Bolognina" not in page
    year = dt.date.today().year
    assert "In Pilastro" in client.get(reverse("commons:index"), {"year": year}).content.decode()
    assert (
        "In Pilastro" not in client.get(reverse("commons:index"), {"year": 2001}).content.decode()
    )
    htmx = client.get(reverse("commons:index"), {"state": "active"}, HTTP_HX_REQUEST="true")
    assert "<h1>" not in htmx.content.decode() and "HX-Request" in htmx["Vary"]


@pytest.mark.parametrize("name", ["commons:index", "commons:map", "commons:map_geojson"])
def test_lists_have_a_constant_number_of_queries(client, w, assert_same_query_count, name):  # type: ignore[no-untyped-def]
    def make(n):  # type: ignore[no-untyped-def]
        for _ in range(n):
            PactFactory(commons=CommonsFactory(organisation=w.comune, territory=w.hood))

    assert_same_query_count(reverse(name), make)


def test_commons_list_and_detail_query_counts(client, w, assert_same_query_count):  # type: ignore[no-untyped-def]
    assert_same_query_count(
        reverse("commons:commons_list"),
        lambda n: [CommonsFactory(organisation=w.comune, territory=w.hood) for _ in range(n)],
    )
    assert_same_query_count(
        reverse("commons:commons_detail", args=[w.commons.slug]),
        lambda n: [PactFactory(commons=w.commons) for _ in range(n)],
    )


def test_map_geojson_for_the_visible_area(client, w):  # type: ignore[no-untyped-def]
    inside = PactFactory(commons=CommonsFactory(latitude=44.50, longitude=11.34, territory=w.hood))
    PactFactory(commons=CommonsFactory(latitude=45.5, longitude=9.2, territory=w.hood))
    response = client.get(reverse("commons:map_geojson"), {"bbox": "11.2,44.4,11.5,44.6"})
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/geo+json"
    assert [f["id"] for f in data["features"]] == [inside.pk]
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [11.34, 44.5]}
    assert client.get(reverse("commons:map_geojson"), {"bbox": "x"}).status_code == 400
    page = client.get(reverse("commons:map"), {"bbox": "11.2,44.4,11.5,44.6"}).content.decode()
    assert "<svg" in page and 'id="map-table"' in page and inside.title in page


def test_exports_csv_and_geojson(client, w):  # type: ignore[no-untyped-def]
    PactFactory(commons=w.commons, title="=HYPERLINK(evil)")
    scenario.draft(w, title="Hidden draft")
    csv_text = b"".join(client.get(reverse("commons:export_csv")).streaming_content).decode()
    assert "'=HYPERLINK(evil)" in csv_text and "Hidden draft" not in csv_text
    geo = b"".join(client.get(reverse("commons:export_geojson")).streaming_content)
    data = json.loads(geo)
    assert len(data["features"]) == 1
    assert data["features"][0]["properties"]["territory_code"] == "IT-BLQ-01-1"


def test_pact_page_shows_history_and_officer_actions(client, w):  # type: ignore[no-untyped-def]
    pact = scenario.submitted(w)
    client.force_login(w.officer)
    page = client.get(pact.get_absolute_url()).content.decode()
    assert 'id="history"' in page and reverse("commons:pact_act", args=[pact.pk, "take_up"]) in page
    client.post(reverse("commons:pact_act", args=[pact.pk, "take_up"]))
    response = client.post(reverse("commons:pact_act", args=[pact.pk, "reject"]), {"reason": ""})
    assert response.status_code == 302
    pact.refresh_from_db()
    assert pact.state == S.UNDER_REVIEW  # the reason was missing: nothing written
    client.post(reverse("commons:pact_act", args=[pact.pk, "reject"]), {"reason": "Not a commons."})
    pact.refresh_from_db()
    assert pact.state == S.REJECTED
    client.logout()
    page = client.get(pact.get_absolute_url()).content.decode()
    assert "Not a commons." in page and "take_up" not in page


def test_public_cannot_act_and_anonymous_goes_to_login(client, w):  # type: ignore[no-untyped-def]
    pact = scenario.submitted(w)
    url = reverse("commons:pact_act", args=[pact.pk, "take_up"])
    assert client.post(url).status_code == 302 and "login" in client.post(url)["Location"]
    client.force_login(w.public)
    assert client.post(url).status_code == 403
    assert PactHistoryEntry.objects.filter(pact=pact).count() == 2


def test_proposal_form_and_bad_dates(client, w):  # type: ignore[no-untyped-def]
    client.force_login(w.resident)
    url = reverse("commons:pact_create", args=[w.commons.slug])
    data = {
        "title": "Benches", "kind": "ordinary", "level": "occasional", "objectives": "Paint",
        "starts_on": "2026-05-01", "ends_on": "2026-04-01",
    }  # fmt: skip
    response = client.post(url, data)
    assert (
        response.status_code == 200 and "cannot end before it starts" in response.content.decode()
    )
    assert not Pact.objects.exists()
    data["ends_on"] = "2026-09-01"
    response = client.post(url, data)
    pact = Pact.objects.get()
    assert response["Location"] == pact.get_absolute_url()


def test_window_comment_and_version_diff(client, w):  # type: ignore[no-untyped-def]
    from cocity.commons import services

    pact = scenario.in_window(w)
    client.force_login(w.public)
    client.post(reverse("commons:comment_add", args=[pact.pk]), {"body": "Keep it green"})
    assert "Keep it green" in client.get(pact.get_absolute_url()).content.decode()
    pact = services.pact_transition(
        pact=pact, action="start_co_design", actor=w.officer, reason="ok"
    )
    client.force_login(w.resident)
    client.post(
        reverse("commons:draft_edit", args=[pact.pk]),
        {"text": pact.shared_draft + "\nA new line\n", "note": "added a line"},
    )
    page = client.get(reverse("commons:version_diff", args=[pact.pk, 2])).content.decode()
    assert '<ins><span class="visually-hidden">added: </span>A new line</ins>' in page


def test_report_form(client, w):  # type: ignore[no-untyped-def]
    pact = scenario.active(w)
    client.force_login(w.resident)
    url = reverse("commons:report_file", args=[pact.pk])
    page = client.get(url).content.decode()
    assert "Open days" in page
    response = client.post(
        url,
        {"period_start": "2026-03-01", "period_end": "2026-06-01", "summary": "Did it",
         "hours": "30", "indicator_0": "12"},
    )  # fmt: skip
    assert response.status_code == 302
    pact.refresh_from_db()
    assert pact.state == S.REPORTED
    assert pact.reports.get().indicator_values == {"Open days": "12"}


def test_map_geojson_caps_features_and_says_truncated(client, w, monkeypatch, settings):  # type: ignore[no-untyped-def]
    from cocity.commons import selectors

    settings.COCITY_PAGE_CACHE = False  # the limit changes between two requests, not the data
    monkeypatch.setattr(selectors, "MAP_LIMIT", 2)
    for _ in range(3):
        PactFactory(commons=CommonsFactory(latitude=44.50, longitude=11.34, territory=w.hood))
    data = json.loads(
        client.get(reverse("commons:map_geojson"), {"bbox": "11.2,44.4,11.5,44.6"}).content
    )
    assert len(data["features"]) == 2 and data["truncated"] is True and data["limit"] == 2
    monkeypatch.setattr(selectors, "MAP_LIMIT", 3)
    data = json.loads(
        client.get(reverse("commons:map_geojson"), {"bbox": "11.2,44.4,11.5,44.6"}).content
    )
    assert len(data["features"]) == 3 and data["truncated"] is False


@pytest.mark.parametrize("name", ["commons:index", "commons:map", "commons:map_geojson"])
def test_anonymous_pages_are_cached_until_a_write(client, w, name):  # type: ignore[no-untyped-def]
    scenario.submitted(w, title="First proposal")
    quiet = PactFactory(commons=w.commons, title="Quiet", state=S.ACTIVE)
    assert "First proposal" in client.get(reverse(name)).content.decode()
    # Written with no signal (update()): the cached page does not know yet.
    Pact.objects.filter(pk=quiet.pk).update(title="Sneaked in")
    assert "Sneaked in" not in client.get(reverse(name)).content.decode()
    # Any write of a pact (a service, the admin, a factory) bumps "commons": pages are rebuilt.
    scenario.submitted(w, title="Second proposal")
    page = client.get(reverse(name)).content.decode()
    assert "Second proposal" in page and "Sneaked in" in page
    # Signed-in people never get the shared copy of a page; the map data (open data, the same
    # for everyone) is one copy for all.
    client.force_login(w.public)
    Pact.objects.filter(pk=quiet.pk).update(title="Seen at once")
    seen = "Seen at once" in client.get(reverse(name)).content.decode()
    assert seen is (name != "commons:map_geojson")


def test_map_data_is_one_cached_copy_for_everyone_signed_in_or_not(client, w):  # type: ignore[no-untyped-def]
    from django.test import Client

    from cocity.core.cache import bump_cache_versions
    from tests.factories import UserFactory

    url, box = reverse("commons:map_geojson"), {"bbox": "11.2,44.4,11.5,44.6"}
    first = PactFactory(commons=CommonsFactory(latitude=44.50, longitude=11.34, territory=w.hood))
    person = Client()
    person.force_login(UserFactory())
    anonymous = client.get(url, box)
    assert [f["id"] for f in json.loads(anonymous.content)["features"]] == [first.pk]
    with patch("cocity.core.cache.bump_cache_versions"):  # written without a bump
        second = PactFactory(
            commons=CommonsFactory(latitude=44.51, longitude=11.35, territory=w.hood)
        )
    assert person.get(url, box).content == anonymous.content  # the shared copy (no bump yet)
    bump_cache_versions("commons")  # what every write of a pact does
    ids = {f["id"] for f in json.loads(person.get(url, box).content)["features"]}
    assert ids == {first.pk, second.pk}
    assert "csrftoken" not in person.get(url, box).cookies


def test_signed_in_people_get_the_shared_registry_in_a_page_of_their_own(client, w):  # type: ignore[no-untyped-def]
    scenario.submitted(w, title="First proposal")
    quiet = PactFactory(commons=w.commons, title="Quiet", state=S.ACTIVE)
    client.force_login(w.public)
    page = client.get(reverse("commons:index")).content.decode()
    assert "First proposal" in page and "My pacts" in page
    Pact.objects.filter(pk=quiet.pk).update(title="Sneaked in")  # no signal: not seen yet
    assert "Sneaked in" not in client.get(reverse("commons:index")).content.decode()
    scenario.submitted(w, title="Second proposal")  # a service write: seen at once
    page = client.get(reverse("commons:index")).content.decode()
    assert "Second proposal" in page and "Sneaked in" in page and "My pacts" in page
    fragment = client.get(reverse("commons:index"), headers={"HX-Request": "true"})
    assert "Second proposal" in fragment.content.decode() and b"<html" not in fragment.content
    client.logout()
    visitor = client.get(reverse("commons:index")).content.decode()
    assert "Second proposal" in visitor and "My pacts" not in visitor
