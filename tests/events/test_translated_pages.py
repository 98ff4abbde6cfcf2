"""An event and a series in the viewer's language: a person's translation, the notice that
says so, the original a click away, and the way to the translation form for organisers."""

import pytest
from django.urls import reverse

from cocity.core.translations import save_translation
from cocity.events.models import Series
from cocity.network.models import Role, Territory
from tests.factories import (
    SpaceMembershipFactory,
    TerritoryFactory,
    UserFactory,
    event_with_session,
)
from tests.i18n import NOTICE

pytestmark = pytest.mark.django_db


def test_event_page_in_french_with_the_notice_and_the_original(french):
    event, _track = event_with_session(
        title="Housing dialogue",
        summary="How cities share housing.",
        description="We meet to compare housing policies.",
        original_language="en",
    )
    save_translation(
        event,
        "fr",
        {
            "title": "Dialogue sur le logement",
            "summary": "Comment les villes partagent le logement.",
            "description": "Nous comparons les politiques du logement.",
        },
    )
    page = french.get(event.get_absolute_url()).content.decode()
    assert '<h1 lang="fr"><bdi>Dialogue sur le logement</bdi></h1>' in page
    assert '<p class="lead" lang="fr">Comment les villes partagent le logement.</p>' in page
    assert "Nous comparons les politiques du logement." in page
    assert "<title>Dialogue sur le logement" in page
    assert all(words in page for words in NOTICE)
    assert "Housing dialogue" not in page.split("</header>", 1)[0].split("<body", 1)[1]

    original = french.get(event.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en"><bdi>Housing dialogue</bdi></h1>' in original
    assert "We meet to compare housing policies." in original
    assert "Dialogue sur le logement" not in original


def test_event_translate_link_for_organisers_only(client):
    event, _track = event_with_session(original_language="en")
    url = reverse("translations:edit", args=["events", "event", event.pk])
    visitor = UserFactory()
    client.force_login(visitor)
    assert url not in client.get(event.get_absolute_url()).content.decode()
    organiser = UserFactory()
    SpaceMembershipFactory(space=event.space, user=organiser, role=Role.EDITOR)
    client.force_login(organiser)
    assert url in client.get(event.get_absolute_url()).content.decode()
    form = client.get(reverse("events:event_edit", args=[event.slug])).content.decode()
    assert url in form and "Translate this into other languages" in form
    speaker = event.speakers.create(name="Marie Garmadi", affiliation="City of Marseille")
    manage = client.get(reverse("events:event_manage", args=[event.slug])).content.decode()
    assert reverse("translations:edit", args=["events", "speaker", speaker.pk]) in manage
    track = event.tracks.get()
    track_url = reverse("translations:edit", args=["events", "track", track.pk])
    assert (
        track_url
        in client.get(reverse("events:track_edit", args=[event.slug, track.pk])).content.decode()
    )


def test_series_page_in_french(french):
    event, _track = event_with_session(original_language="en")
    series = Series.objects.create(
        space=event.space,
        name="Housing talks",
        slug="housing-talks",
        summary="Monthly talks.",
        original_language="en",
    )
    save_translation(series, "fr", {"name": "Causeries du logement", "summary": "Chaque mois."})
    page = french.get(series.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">Causeries du logement</h1>' in page
    assert "Chaque mois." in page and all(words in page for words in NOTICE)
    original = french.get(series.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en">Housing talks</h1>' in original


def test_calendar_map_and_feed_in_french(french):
    event, _track = event_with_session(
        title="Housing dialogue", summary="How cities share housing.", original_language="en"
    )
    type(event).objects.filter(pk=event.pk).update(format="in_person", latitude=43.3, longitude=5.4)
    save_translation(event, "fr", {"title": "Dialogue sur le logement", "summary": "Comment."})
    calendar = french.get(reverse("events:event_ics", args=[event.slug])).content.decode()
    assert "SUMMARY:Dialogue sur le logement" in calendar and "Housing dialogue" not in calendar
    features = french.get(reverse("events:event_map")).json()["features"]
    assert [f["properties"]["title"] for f in features] == ["Dialogue sur le logement"]
    series = Series.objects.create(
        space=event.space, name="Talks", slug="talks", original_language="en"
    )
    type(event).objects.filter(pk=event.pk).update(series=series)
    save_translation(series, "fr", {"name": "Causeries"})
    feed = french.get(reverse("events:series_feed", args=[series.slug])).content.decode()
    assert "<title>Causeries</title>" in feed and "Dialogue sur le logement" in feed


def test_the_list_filters_name_spaces_and_places_in_french(french):
    event, _track = event_with_session(original_language="en")
    TerritoryFactory(name="Vienna", code="AT-VIE", kind=Territory.Kind.CITY, original_language="en")
    save_translation(Territory.objects.get(code="AT-VIE"), "fr", {"name": "Vienne"})
    save_translation(event.space, "fr", {"name": "Espace traduit"})
    page = french.get(reverse("events:event_list")).content.decode()
    assert '<option value="AT-VIE">Vienne</option>' in page
    assert f'<option value="{event.space.slug}">Espace traduit</option>' in page


def test_the_event_form_names_places_in_french(client):
    event, _track = event_with_session(original_language="en")
    TerritoryFactory(name="Vienna", code="AT-VIE", kind=Territory.Kind.CITY, original_language="en")
    save_translation(Territory.objects.get(code="AT-VIE"), "fr", {"name": "Vienne"})
    organiser = UserFactory()
    SpaceMembershipFactory(space=event.space, user=organiser, role=Role.EDITOR)
    client.force_login(organiser)
    client.cookies["cocity_language"] = "fr"
    form = client.get(reverse("events:event_edit", args=[event.slug])).content.decode()
    assert ">Vienne</option>" in form and ">Vienna</option>" not in form
