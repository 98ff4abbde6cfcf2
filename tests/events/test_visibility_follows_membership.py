"""Visibility follows membership on every personal surface of events (issue 15): someone who
leaves a members-only space, or is removed from it, no longer finds its events in their private
calendar feed, in "my events", in reminders or in their data export, and their upcoming
registrations are cancelled exactly as if they had cancelled (the seat freed, the wait list
promoted), with a mail saying why.

Two ways a person loses sight of a space are tested: through the network's services (which also
cancel the seats), and by the membership row disappearing some other way (a deletion in the
shell or a data migration), when the registration stays but every personal list must still hide
it: that is the selector's job, not the cancellation's."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cocity.accounts.services import account_export
from cocity.events import selectors, services
from cocity.events.models import Registration
from cocity.network.models import Role, Space, SpaceMembership
from cocity.network.services import organisations as organisation_services
from cocity.network.services import spaces as space_services
from tests.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
    event_with_session,
)

pytestmark = pytest.mark.django_db

SECRET = "secret-room"  # in the factory's online_url


def _closed_event(**fields):  # type: ignore[no-untyped-def]
    space = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    admin = UserFactory()
    SpaceMembershipFactory(space=space, user=admin, role=Role.ADMIN)
    event, track = event_with_session(space=space, **fields)
    return space, admin, event, track


def _member(space):  # type: ignore[no-untyped-def]
    person = UserFactory()
    SpaceMembershipFactory(space=space, user=person)
    return person


def _feed(client, person) -> str:  # type: ignore[no-untyped-def]
    token = services.calendar_token_for(user=person).token
    response = client.get(reverse("events:my_calendar", args=[token]))
    assert response.status_code == 200
    return response.content.decode()


def _drop_membership_quietly(space, person) -> None:  # type: ignore[no-untyped-def]
    """The membership row disappears without the network's services (shell, data migration):
    nothing is cancelled, so only the selector can keep the event off the personal lists."""
    SpaceMembership.objects.filter(space=space, user=person).delete()


# --- the personal lists -------------------------------------------------------------------------


def test_calendar_feed_drops_the_event_and_its_link(client):
    space, _admin, event, track = _closed_event()
    person = _member(space)
    services.registration_create(track=track, user=person)
    feed = _feed(client, person)
    assert event.title in feed and SECRET in feed
    _drop_membership_quietly(space, person)
    feed = _feed(client, person)  # the feed's cache follows memberships (the "network" namespace)
    assert event.title not in feed and SECRET not in feed
    assert Registration.objects.get(user=person).status == "confirmed"  # kept, but not shown


def test_my_events_drops_the_event(client):
    space, _admin, event, track = _closed_event()
    person = _member(space)
    services.registration_create(track=track, user=person)
    client.force_login(person)
    assert event.title in client.get(reverse("events:my_events")).content.decode()
    _drop_membership_quietly(space, person)
    assert event.title not in client.get(reverse("events:my_events")).content.decode()
    assert list(selectors.my_registrations(user=person)) == []


def test_public_space_events_stay_on_the_personal_lists(client):
    """Not a member of a public space: its events stay (the filter is about sight, not
    membership)."""
    event, track = event_with_session()
    person = UserFactory()
    services.registration_create(track=track, user=person)
    assert event.title in _feed(client, person)
    assert [r.event_id for r in selectors.my_registrations(user=person)] == [event.pk]


def test_no_reminder_once_the_space_is_out_of_sight():
    start = timezone.now() + timedelta(hours=30)
    space, _admin, _event, track = _closed_event(start=start)
    stays, goes = _member(space), _member(space)
    services.registration_create(track=track, user=stays)
    services.registration_create(track=track, user=goes)
    _drop_membership_quietly(space, goes)
    mail.outbox.clear()
    assert services.reminders_enqueue(now=start - timedelta(hours=23)) == 1
    assert [m.to for m in mail.outbox] == [[stays.email]]


def test_a_reminder_queued_before_the_removal_is_not_sent():
    from cocity.events.tasks import send_reminder

    space, _admin, _event, track = _closed_event()
    person = _member(space)
    registration = services.registration_create(track=track, user=person)
    _drop_membership_quietly(space, person)
    mail.outbox.clear()
    sent = send_reminder.call(registration_id=registration.pk, session_id=track.sessions.get().pk)
    assert sent is False and mail.outbox == []


def test_export_keeps_the_persons_own_answers_and_withholds_the_space_content():
    space, _admin, event, track = _closed_event()
    services.question_add(event=event, label="Which workshop?", required=False)
    question = event.questions.get()
    person = _member(space)
    services.registration_create(track=track, user=person, answers={str(question.pk): "Mine"})
    [row] = account_export(user=person)["event_registrations"]
    assert row["event"] == event.title and row["withheld"] is False
    assert row["answers"] == [{"question": "Which workshop?", "answer": "Mine"}]
    _drop_membership_quietly(space, person)
    [row] = account_export(user=person)["event_registrations"]
    assert row["withheld"] is True
    assert row["event"] is None and row["event_slug"] is None and row["track"] is None
    assert row["answers"] == [{"question": None, "answer": "Mine"}]
    assert row["status"] == "confirmed" and row["registered_at"]


# --- leaving or being removed cancels the seats -------------------------------------------------


def test_leaving_cancels_the_seat_promotes_the_wait_list_and_says_why(client):
    space, _admin, event, track = _closed_event(capacity=1)
    leaving, waiting = _member(space), _member(space)
    services.registration_create(track=track, user=leaving)
    services.registration_create(track=track, user=waiting)
    mail.outbox.clear()
    space_services.space_leave(space=space, user=leaving)
    assert Registration.objects.get(user=leaving).status == "cancelled"
    assert Registration.objects.get(user=waiting).status == "confirmed"
    track.refresh_from_db()
    assert track.confirmed_count == 1
    [told] = [m for m in mail.outbox if m.to == [leaving.email]]
    assert "no longer have access" in told.body and space.name in told.body
    assert SECRET not in told.body
    name, content, mimetype = told.attachments[0]
    assert name == "invite.ics" and "method=CANCEL" in mimetype and "CANCELLED" in content
    assert SECRET not in content
    promoted = [m for m in mail.outbox if m.to == [waiting.email]]
    assert len(promoted) == 1  # the ordinary "a place is yours" mail
    assert event.title not in _feed(client, leaving)


def test_removal_by_an_admin_cancels_a_wait_listed_seat_too():
    space, admin, _event, track = _closed_event(capacity=1)
    seated, waiting = _member(space), _member(space)
    services.registration_create(track=track, user=seated)
    services.registration_create(track=track, user=waiting)
    membership = SpaceMembership.objects.get(space=space, user=waiting)
    space_services.membership_remove(membership=membership, actor=admin)
    assert Registration.objects.get(user=waiting).status == "cancelled"
    assert Registration.objects.get(user=seated).status == "confirmed"
    track.refresh_from_db()
    assert track.confirmed_count == 1


def test_removal_mail_is_in_the_persons_language():
    space, admin, _event, track = _closed_event()
    person = _member(space)
    type(person).objects.filter(pk=person.pk).update(languages=["fr"])
    person.refresh_from_db()
    services.registration_create(track=track, user=person)
    mail.outbox.clear()
    membership = SpaceMembership.objects.get(space=space, user=person)
    space_services.membership_remove(membership=membership, actor=admin)
    [told] = [m for m in mail.outbox if m.to == [person.email]]
    assert "Vous n\u2019avez plus accès" in told.body


def test_past_events_keep_their_registrations():
    space, _admin, event, track = _closed_event()
    person = _member(space)
    registration = services.registration_create(track=track, user=person)
    type(event).objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=2)
    )
    space_services.space_leave(space=space, user=person)
    registration.refresh_from_db()
    assert registration.status == "confirmed"  # the record of who came stays


def test_a_person_who_still_sees_the_space_keeps_the_seat():
    """An admin of an organisation owning the space sees it without being a member."""
    space, _admin, _event, track = _closed_event()
    organisation = OrganisationFactory()
    space.organisations.add(organisation)
    person = _member(space)
    OrganisationMembershipFactory(organisation=organisation, user=person, role=Role.ADMIN)
    services.registration_create(track=track, user=person)
    space_services.space_leave(space=space, user=person)
    assert Registration.objects.get(user=person).status == "confirmed"


def test_losing_the_organisation_admin_role_cancels_the_seat():
    space, _admin, _event, track = _closed_event()
    organisation = OrganisationFactory()
    space.organisations.add(organisation)
    OrganisationMembershipFactory(organisation=organisation, role=Role.ADMIN)  # stays admin
    person = UserFactory()
    membership = OrganisationMembershipFactory(
        organisation=organisation, user=person, role=Role.ADMIN
    )
    services.registration_create(track=track, user=person)
    organisation_services.organisation_member_change_role(
        organisation=organisation, membership_id=membership.pk, role=Role.MEMBER
    )
    assert Registration.objects.get(user=person).status == "cancelled"


def test_a_space_turning_members_only_cancels_the_non_members_seats():
    space = SpaceFactory()
    admin = UserFactory()
    SpaceMembershipFactory(space=space, user=admin, role=Role.ADMIN)
    _event, track = event_with_session(space=space, capacity=1)
    stranger, member = UserFactory(), _member(space)
    services.registration_create(track=track, user=stranger)
    services.registration_create(track=track, user=member)  # waiting
    space_services.space_update(space=space, actor=admin, visibility=Space.Visibility.MEMBERS)
    assert Registration.objects.get(user=stranger).status == "cancelled"
    assert Registration.objects.get(user=member).status == "confirmed"


def test_registering_without_sight_of_the_space_is_refused():
    _space, _admin, _event, track = _closed_event()
    stranger = UserFactory()
    with pytest.raises(ValidationError, match="Only members"):
        services.registration_create(track=track, user=stranger)
    assert not Registration.objects.filter(user=stranger).exists()
