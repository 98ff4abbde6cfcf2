"""The events admin goes through the services: a track's new capacity promotes the wait list
as the organiser's page does, a refused change is a form error with nothing written, and what
no service writes (registrations) is only shown."""

import pytest
from django.core import mail
from django.urls import reverse

from cocity.events import services
from cocity.events.models import Event, Registration, Series, Track
from tests.admin_forms import admin_form_data
from tests.factories import event_with_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_track(user_factory):  # type: ignore[no-untyped-def]
    """A track with 1 place: one person confirmed, two waiting (in that order)."""
    _event, track = event_with_session(capacity=1)
    people = [user_factory() for _ in range(3)]
    for person in people:
        services.registration_create(track=track, user=person)
    return track, people


def _change(track: Track) -> str:
    return reverse("admin:events_track_change", args=[track.pk])


def test_raising_capacity_promotes_the_wait_list_in_order(admin_client, full_track) -> None:
    track, (first, second, third) = full_track
    mail.outbox.clear()
    response = admin_client.post(
        _change(track), admin_form_data(admin_client, _change(track), capacity="2")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    track.refresh_from_db()
    assert (track.capacity, track.confirmed_count) == (2, 2)
    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses[first.pk] == Registration.Status.CONFIRMED
    assert statuses[second.pk] == Registration.Status.CONFIRMED  # the first one waiting
    assert statuses[third.pk] == Registration.Status.WAITLISTED
    promoted = Registration.objects.get(user=second)
    assert promoted.promoted_at is not None
    assert [m.to for m in mail.outbox] == [[second.email]]  # told, as from the organiser's page


def test_removing_the_limit_promotes_everyone(admin_client, full_track) -> None:
    track, _people = full_track
    admin_client.post(_change(track), admin_form_data(admin_client, _change(track), capacity=""))
    track.refresh_from_db()
    assert (track.capacity, track.confirmed_count) == (None, 3)
    assert not Registration.objects.filter(status=Registration.Status.WAITLISTED).exists()


def test_fewer_places_than_confirmed_is_a_form_error_and_nothing_changes(
    admin_client, full_track
) -> None:
    track, _people = full_track
    services.track_update(track=track, name=track.name, capacity=2)  # two confirmed now
    data = admin_form_data(admin_client, _change(track), capacity="1", name="Renamed")
    response = admin_client.post(_change(track), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["capacity"] == ["2 people are already confirmed."]
    track.refresh_from_db()
    assert (track.name, track.capacity, track.confirmed_count) == ("Main", 2, 2)


def test_adding_a_track_goes_through_the_service(admin_client) -> None:
    event, _track = event_with_session()
    url = reverse("admin:events_track_add")
    data = admin_form_data(
        admin_client, url, event=str(event.pk), name="Second", capacity="10", position="1"
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Track.objects.get(event=event, name="Second")
    assert (added.capacity, added.confirmed_count) == (10, 0)


def test_a_track_with_registrations_cannot_be_deleted(admin_client, full_track) -> None:
    track, _people = full_track
    url = reverse("admin:events_track_delete", args=[track.pk])
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "3 people are registered for it" in response.content.decode()
    assert Track.objects.filter(pk=track.pk).exists()


def test_an_event_change_is_a_new_revision(admin_client) -> None:
    event, _track = event_with_session()
    url = reverse("admin:events_event_change", args=[event.pk])
    response = admin_client.post(url, admin_form_data(admin_client, url, title="New title"))
    assert response.status_code == 302, response.content.decode()[:3000]
    changed = Event.objects.get(pk=event.pk)
    assert changed.title == "New title"
    assert changed.sequence == event.sequence + 1  # event_update, not a plain save
    assert changed.starts_at == event.starts_at  # derived from the sessions, not the form


def test_a_series_cannot_be_part_of_itself(admin_client, space) -> None:
    series = services.series_create(space=space, name="Cycle", slug="cycle")
    url = reverse("admin:events_series_change", args=[series.pk])
    response = admin_client.post(url, admin_form_data(admin_client, url, parent=str(series.pk)))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"]
    assert Series.objects.get(pk=series.pk).parent is None


def test_registrations_are_read_only(admin_client, full_track) -> None:
    _track, (first, *_rest) = full_track
    registration = Registration.objects.get(user=first)
    change = reverse("admin:events_registration_change", args=[registration.pk])
    assert admin_client.get(reverse("admin:events_registration_add")).status_code == 403
    assert admin_client.get(change).status_code == 200  # shown
    response = admin_client.post(change, {"status": "cancelled"})
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
