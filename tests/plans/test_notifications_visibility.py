"""Notifications follow membership (issue 15): news about a members-only space reaches only the
people who may see it, and someone who left (or was removed) no longer finds it in their inbox,
their unread count, their daily digest or their data export."""

import pytest
from django.core import mail
from django.urls import reverse

from cocity.accounts.services import account_export
from cocity.network.models import Role, Space, SpaceMembership
from cocity.network.services import spaces as space_services
from cocity.participation import selectors
from cocity.participation import services as participation
from cocity.participation.models import Notification, NotificationPreference
from cocity.plans import services
from tests.factories import SpaceFactory, SpaceMembershipFactory, UserFactory, process_in_phase

pytestmark = pytest.mark.django_db


def _closed_process():  # type: ignore[no-untyped-def]
    space = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    SpaceMembershipFactory(space=space, role=Role.ADMIN)
    process, organiser = process_in_phase("collect", space=space)
    return space, process, organiser


def _member(space):  # type: ignore[no-untyped-def]
    person = UserFactory()
    SpaceMembershipFactory(space=space, user=person)
    return person


def _news(space, recipients, message="Secret news") -> None:  # type: ignore[no-untyped-def]
    participation.notify(recipients=recipients, kind="x", message=message, space=space)


def test_inbox_and_unread_count_drop_news_of_a_space_left(client):
    space, _process, _organiser = _closed_process()
    person = _member(space)
    _news(space, [person])
    participation.notify(recipients=[person], kind="x", message="Site news")  # no space
    client.force_login(person)
    page = client.get(reverse("participation:notifications")).content.decode()
    assert "Secret news" in page and "Site news" in page
    assert selectors.unread_count(person) == 2
    space_services.space_leave(space=space, user=person)
    page = client.get(reverse("participation:notifications")).content.decode()
    assert "Secret news" not in page and "Site news" in page
    assert selectors.unread_count(person) == 1
    assert Notification.objects.filter(recipient=person).count() == 2  # kept, not shown


def test_no_notification_to_a_follower_who_left():
    space, process, _organiser = _closed_process()
    stays, left = _member(space), _member(space)
    for person in (stays, left):
        participation.follow_set(target=process, user=person, follow=True)
    SpaceMembership.objects.filter(space=space, user=left).delete()
    mail.outbox.clear()
    author = _member(space)
    services.idea_create(process=process, author=author, title="A members' idea", body="Body")
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [stays.pk]
    assert [m.to for m in mail.outbox] == [[stays.email]]
    assert Notification.objects.get().space_id == space.pk


def test_digest_leaves_out_news_of_a_space_left():
    space, _process, _organiser = _closed_process()
    person = _member(space)
    participation.preference_update(user=person, email=NotificationPreference.Email.DAILY)
    _news(space, [person])
    participation.notify(recipients=[person], kind="x", message="Site news")
    SpaceMembership.objects.filter(space=space, user=person).delete()
    assert participation.digests_send() == 1
    [digest] = mail.outbox
    assert "Site news" in digest.body and "Secret news" not in digest.body


def test_digest_sends_nothing_when_all_news_is_out_of_sight():
    space, _process, _organiser = _closed_process()
    person = _member(space)
    participation.preference_update(user=person, email=NotificationPreference.Email.DAILY)
    _news(space, [person])
    SpaceMembership.objects.filter(space=space, user=person).delete()
    assert participation.digests_send() == 0
    assert mail.outbox == []


def test_export_leaves_out_news_of_a_space_left():
    space, _process, _organiser = _closed_process()
    person = _member(space)
    _news(space, [person])
    assert [n["message"] for n in account_export(user=person)["notifications"]["received"]] == [
        "Secret news"
    ]
    SpaceMembership.objects.filter(space=space, user=person).delete()
    assert account_export(user=person)["notifications"]["received"] == []
