from datetime import UTC, date, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from cocity.core.models import SentReminder
from cocity.core.testing import files
from cocity.events import services
from cocity.events.models import Event, Material, Question, Registration, Session
from tests.factories import UserFactory, event_with_session

pytestmark = pytest.mark.django_db


def _ics(message) -> Calendar:  # type: ignore[no-untyped-def]
    name, content, mimetype = message.attachments[0]
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_session_keeps_local_time_across_end_of_dst():
    """Thursday 15:00 Europe/Paris before and after the last Sunday of October 2026 (25th)."""
    _event, track = event_with_session()
    before = services.session_create(
        track=track, day=date(2026, 10, 22), start=time(15), end=time(17), time_zone="Europe/Paris"
    )
    after = services.session_create(
        track=track, day=date(2026, 10, 29), start=time(15), end=time(17), time_zone="Europe/Paris"
    )
    assert before.start.astimezone(UTC).hour == 13  # CEST, UTC+2
    assert after.start.astimezone(UTC).hour == 14  # CET, UTC+1
    from zoneinfo import ZoneInfo

    for session in (before, after):
        assert session.start.astimezone(ZoneInfo("Europe/Paris")).hour == 15
    london = ZoneInfo("Europe/London")
    assert before.start.astimezone(london).hour == 14
    assert after.start.astimezone(london).hour == 14


def test_session_end_before_start_and_unknown_zone_are_refused():
    _event, track = event_with_session()
    count = Session.objects.count()
    with pytest.raises(ValidationError, match="end after it starts"):
        services.session_create(
            track=track,
            day=date(2026, 12, 3),
            start=time(17),
            end=time(15),
            time_zone="Europe/Paris",
        )
    with pytest.raises(ValidationError, match="not a time zone"):
        services.session_create(
            track=track,
            day=date(2026, 12, 3),
            start=time(15),
            end=time(17),
            time_zone="Mars/Olympus",
        )
    with pytest.raises(ValidationError, match="does not exist"):
        services.session_create(
            track=track,
            day=date(2027, 3, 28),
            start=time(2, 30),
            end=time(4),
            time_zone="Europe/Paris",
        )
    assert Session.objects.count() == count


def test_register_confirms_with_ics_then_wait_list_then_promotes_in_order():
    _event, track = event_with_session(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    r1 = services.registration_create(track=track, user=first)
    r2 = services.registration_create(track=track, user=second)
    r3 = services.registration_create(track=track, user=third)
    assert [r.status for r in (r1, r2, r3)] == ["confirmed", "waitlisted", "waitlisted"]
    confirmation = mail.outbox[0]
    calendar = _ics(confirmation)
    assert calendar["METHOD"] == "REQUEST"
    vevent = calendar.walk("VEVENT")[0]
    uid = str(vevent["UID"])
    assert "secret-room" in str(vevent["DESCRIPTION"])
    assert "secret-room" in confirmation.body
    assert "secret-room" not in mail.outbox[1].body  # the wait list does not get the link
    assert not mail.outbox[1].attachments
    mail.outbox.clear()

    promoted = services.registration_cancel(registration=r1)
    assert promoted is not None and promoted.pk == r2.pk
    track.refresh_from_db()
    assert track.confirmed_count == 1
    cancel_ics = _ics(mail.outbox[0])
    assert cancel_ics["METHOD"] == "CANCEL"
    assert str(cancel_ics.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert str(cancel_ics.walk("VEVENT")[0]["UID"]) == uid  # stable
    assert "secret-room" not in mail.outbox[0].attachments[0][1]
    assert mail.outbox[1].to == [second.email] and "secret-room" in mail.outbox[1].body
    assert Registration.objects.get(pk=r3.pk).status == "waitlisted"


def test_bad_registrations_write_nothing():
    event, track = event_with_session(capacity=5)
    Question.objects.create(event=event, label="Organisation", required=True)
    person = UserFactory()
    with pytest.raises(ValidationError, match="Please answer: Organisation"):
        services.registration_create(track=track, user=person, answers={})
    assert not Registration.objects.exists()
    q = event.questions.get()
    services.registration_create(track=track, user=person, answers={str(q.pk): "Fairville"})
    with pytest.raises(ValidationError, match="already registered"):
        services.registration_create(track=track, user=person, answers={str(q.pk): "x"})
    assert Registration.objects.count() == 1
    track.refresh_from_db()
    track.registration_deadline = timezone.now() - timedelta(minutes=1)
    track.save()
    with pytest.raises(ValidationError, match="closed"):
        services.registration_create(track=track, user=UserFactory(), answers={str(q.pk): "x"})
    Event.objects.filter(pk=event.pk).update(status="cancelled")
    with pytest.raises(ValidationError, match="cancelled"):
        services.registration_create(track=track, user=UserFactory(), answers={str(q.pk): "x"})
    assert Registration.objects.count() == 1
    track.refresh_from_db()
    assert track.confirmed_count == 1
    assert Registration.objects.get().answers == {str(q.pk): "Fairville"}


def test_cancelling_the_event_tells_registrants_with_a_cancelled_invitation():
    event, track = event_with_session()
    person = UserFactory()
    services.registration_create(track=track, user=person)
    sequence = Event.objects.get(pk=event.pk).sequence
    mail.outbox.clear()
    services.event_status_change(event=event, status="cancelled", actor=None)
    assert len(mail.outbox) == 1
    assert "Cancelled" in mail.outbox[0].subject
    calendar = _ics(mail.outbox[0])
    assert calendar["METHOD"] == "CANCEL"
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == sequence + 1


def test_material_must_be_a_real_pdf_within_the_size_limit(settings):
    event, _track = event_with_session()
    fake = SimpleUploadedFile("note.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        services.material_add(event=event, title="Concept note", file=fake)
    settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "pdf": 100}
    big = SimpleUploadedFile("note.pdf", b"%PDF-1.7\n" + b"0" * 200, "application/pdf")
    with pytest.raises(ValidationError, match="too large"):
        services.material_add(event=event, title="Concept note", file=big)
    assert not Material.objects.exists()
    settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "pdf": 10_000}
    ok = files.pdf_upload("note.pdf")
    assert services.material_add(event=event, title="Concept note", file=ok).file


def test_reminders_default_24h_and_1h_sent_once():
    start = timezone.now() + timedelta(hours=30)
    _event, track = event_with_session(start=start)
    person = UserFactory()
    services.registration_create(track=track, user=person)
    mail.outbox.clear()
    assert services.reminders_enqueue(now=start - timedelta(hours=25)) == 0
    assert services.reminders_enqueue(now=start - timedelta(hours=23)) == 1
    assert services.reminders_enqueue(now=start - timedelta(hours=22)) == 0  # once only
    assert services.reminders_enqueue(now=start - timedelta(minutes=50)) == 1
    assert services.reminders_enqueue(now=start - timedelta(minutes=40)) == 0
    assert len(mail.outbox) == 2 and all("Reminder" in m.subject for m in mail.outbox)
    assert "secret-room" in mail.outbox[0].body
    registration = Registration.objects.get(user=person)
    session = track.sessions.get()
    assert sorted(SentReminder.objects.values_list("object_id", "key")) == [
        (registration.pk, f"session:{session.pk}:1440"),
        (registration.pk, f"session:{session.pk}:60"),
    ]


def test_calendar_token_reset_changes_the_address():
    person = UserFactory()
    old = services.calendar_token_for(user=person).token
    new = services.calendar_token_reset(user=person).token
    assert old != new
