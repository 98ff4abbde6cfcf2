"""Every write about events: one function per use case, keyword-only arguments, ``full_clean``
before ``save``, one transaction; a ``ValidationError`` with a clear message and nothing written
when the input is wrong.

Seats: the track row is locked (``SELECT ... FOR UPDATE``) while a registration is created,
cancelled or promoted, so two people can never take the last place, and the wait list is served
in arrival order (``created_at``, then ``id``, both assigned under that lock).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cocity.accounts.models import User
from cocity.accounts.types import Actor
from cocity.core import images, uploads
from cocity.core.cache import rows_changed
from cocity.core.mail import as_recipient, queue_templated_email, queue_templated_emails
from cocity.core.numbers import format_number
from cocity.core.queue import enqueue_with_writes
from cocity.core.reminders import send_once, sent_keys
from cocity.core.validators import validate_sane_date
from cocity.network.models import Space, SpaceMembership
from cocity.network.selectors import persons_who_see
from cocity.participation import services as participation
from cocity.search import index as search_index

from . import ical
from .models import (
    CalendarToken,
    Event,
    Material,
    Question,
    Registration,
    Series,
    Session,
    Speaker,
    Track,
)

CANCEL_SALT = "cocity.events.cancel"


# Time ----------------------------------------------------------------------------------------


def local_to_utc(*, day: date, at: time, zone_name: str) -> datetime:
    """A wall-clock time in a zone, as an aware datetime; times that do not exist (the hour
    skipped when clocks go forward) are refused rather than silently moved."""
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            {
                "time_zone": _("“%(zone)s” is not a time zone name such as Europe/Paris.")
                % {"zone": zone_name}
            }
        ) from error
    local = datetime.combine(day, at, tzinfo=zone)
    back = local.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(zone)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValidationError(
            _("%(time)s does not exist on %(day)s in %(zone)s (the clocks change).")
            % {
                "time": formats.time_format(at, "TIME_FORMAT"),
                "day": formats.date_format(day, "DATE_FORMAT"),
                "zone": zone_name,
            }
        )
    return local


def _check_days(*days: date | None) -> None:
    try:
        for day in days:
            validate_sane_date(day)
    except ValidationError as error:
        raise ValidationError({"day": error.messages}) from None


# Series and events ---------------------------------------------------------------------------


@transaction.atomic
def series_create(
    *,
    space: Any,
    name: str,
    slug: str,
    parent: Series | None = None,
    summary: str = "",
    description: str = "",
) -> Series:
    series = Series(
        space=space, name=name, slug=slug, parent=parent, summary=summary, description=description
    )
    series.full_clean()
    series.save()
    return series


@transaction.atomic
def series_update(
    *,
    series: Series,
    name: str,
    slug: str,
    parent: Series | None = None,
    summary: str = "",
    description: str = "",
) -> Series:
    """Change a series (its space stays); a series cannot become part of itself."""
    locked = Series.objects.select_for_update().get(pk=series.pk)
    locked.name, locked.slug, locked.parent = name, slug, parent
    locked.summary, locked.description = summary, description
    locked.full_clean()
    locked.save()
    return locked


EVENT_FIELDS = (
    "title", "slug", "summary", "description", "kind", "format", "status", "time_zone",
    "extra_zones", "venue_name", "venue_address", "territory", "languages", "interpretation",
    "online_url", "registration_mode", "external_registration_url", "reminder_offsets", "series",
    "latitude", "longitude",
)  # fmt: skip
# Changes registrants are told about (a new SEQUENCE in their calendars).
NOTIFIED_FIELDS = {"title", "status", "venue_name", "venue_address", "online_url", "format"}


@transaction.atomic
def event_create(
    *,
    space: Any,
    actor: Actor,
    organisations: Iterable[Any] = (),
    topics: Iterable[Any] = (),
    cover: Any = None,
    cover_alt: str = "",
    cover_decorative: bool = False,
    **fields: Any,
) -> Event:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    event = Event(space=space, created_by=actor if getattr(actor, "pk", None) else None, **fields)
    images.picture_set(event, "cover", upload=cover, alt=cover_alt, decorative=cover_decorative)
    event.full_clean()
    event.save()
    event.organisations.set(list(organisations))
    event.topics.set(list(topics))
    search_index.update(event)
    if event.status != Event.Status.DRAFT:
        _tell_space_followers(event, actor)
    return event


def _tell_space_followers(event: Event, actor: Actor) -> None:
    """A new event in a space: its followers are notified (participation.space_news)."""
    participation.space_news(
        spaces=[event.space],
        kind="space_event",
        message=participation.Said(
            gettext_lazy("New event in %(space)s: %(title)s"),
            {"space": (event.space, "name"), "title": (event, "title")},
        ),
        url=event.get_absolute_url(),
        actor=actor,
    )


@transaction.atomic
def event_update(
    *,
    event: Event,
    actor: Actor,
    organisations: Iterable[Any] | None = None,
    topics: Iterable[Any] | None = None,
    cover: Any = None,
    cover_alt: str | None = None,
    cover_decorative: bool = False,
    **fields: Any,
) -> Event:
    """Change an event; ``cover``: a new image, ``False`` to remove it, ``None`` to keep it
    (``cover_alt=None`` keeps its text too)."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    was_draft = event.status == Event.Status.DRAFT
    changed = {name for name, value in fields.items() if getattr(event, name) != value}
    for name, value in fields.items():
        setattr(event, name, value)
    event.updated_at = timezone.now()
    if changed:
        event.sequence += 1
    if cover is not None or cover_alt is not None:
        images.picture_set(
            event,
            "cover",
            upload=cover,
            alt=event.cover_alt if cover_alt is None else cover_alt,
            decorative=cover_decorative if cover_alt is not None else event.cover_decorative,
        )
    event.full_clean()
    event.save()
    if organisations is not None:
        event.organisations.set(list(organisations))
    if topics is not None:
        event.topics.set(list(topics))
    search_index.update(event)
    if changed & NOTIFIED_FIELDS and event.status != Event.Status.DRAFT:
        _tell_registrants_of_change(event)
    if was_draft and event.status != Event.Status.DRAFT:
        _tell_space_followers(event, actor)
    return event


def event_status_change(*, event: Event, status: str, actor: Actor) -> Event:
    return event_update(event=event, actor=actor, status=status)


def _refresh_dates(event_id: int) -> None:
    bounds = Session.objects.filter(track__event_id=event_id).aggregate(
        first=Min("start"), last=Max("end")
    )
    Event.objects.filter(pk=event_id).update(
        starts_at=bounds["first"],
        ends_at=bounds["last"],
        sequence=F("sequence") + 1,
        updated_at=timezone.now(),
    )
    rows_changed(Event)  # update() sends no signal (cocity.core.cache)


@transaction.atomic
def track_create(
    *,
    event: Event,
    name: str,
    description: str = "",
    capacity: int | None = None,
    registration_deadline: datetime | None = None,
    position: int = 0,
) -> Track:
    track = Track(
        event=event,
        name=name,
        description=description,
        capacity=capacity,
        registration_deadline=registration_deadline,
        position=position,
    )
    track.full_clean()
    track.save()
    return track


@transaction.atomic
def session_create(
    *,
    track: Track,
    day: date,
    start: time,
    end: time,
    time_zone: str,
    title: str = "",
    end_day: date | None = None,
    notify: bool = True,
) -> Session:
    """A session from wall-clock times in ``time_zone`` (stored in UTC with its zone), on days
    between the years the core allows (``cocity.core.validators``)."""
    errors: dict[str, list[str]] = {}
    _check_days(day, end_day)
    try:
        start_at = local_to_utc(day=day, at=start, zone_name=time_zone)
        end_at = local_to_utc(day=end_day or day, at=end, zone_name=time_zone)
    except ValidationError as error:
        raise error from None
    session = Session(track=track, title=title, start=start_at, end=end_at, time_zone=time_zone)
    try:
        session.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
        raise ValidationError(errors) from None
    session.save()
    _refresh_dates(track.event_id)
    if notify:
        event = Event.objects.get(pk=track.event_id)
        if event.status != Event.Status.DRAFT:
            _tell_registrants_of_change(event)
    return session


@transaction.atomic
def speaker_add(
    *,
    event: Event,
    name: str,
    affiliation: str = "",
    role: str = Speaker.Role.INPUT,
    bio: str = "",
    person: User | None = None,
    position: int = 0,
    portrait: Any = None,
    portrait_alt: str = "",
    portrait_decorative: bool = False,
) -> Speaker:
    speaker = Speaker(
        event=event,
        name=name,
        affiliation=affiliation,
        role=role,
        bio=bio,
        person=person,
        position=position,
    )
    images.picture_set(
        speaker, "portrait", upload=portrait, alt=portrait_alt, decorative=portrait_decorative
    )
    speaker.full_clean()
    speaker.save()
    return speaker


@transaction.atomic
def material_add(
    *,
    event: Event,
    title: str,
    kind: str = Material.Kind.OTHER,
    file: UploadedFile | None = None,
    url: str = "",
    position: int = 0,
) -> Material:
    if file is not None:
        uploads.check_upload(file, (uploads.PDF,), field="file")
    material = Material(event=event, title=title, kind=kind, url=url, position=position)
    if file is not None:
        material.file = file
    material.full_clean()
    material.save()
    return material


@transaction.atomic
def question_add(
    *, event: Event, label: str, required: bool = False, help_text: str = "", position: int = 0
) -> Question:
    question = Question(
        event=event, label=label, required=required, help_text=help_text, position=position
    )
    question.full_clean()
    question.save()
    return question


# Registration --------------------------------------------------------------------------------


def cancel_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk}, salt=CANCEL_SALT)


def registration_from_token(token: str) -> Registration | None:
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return (
        Registration.objects.select_related("event", "track", "user", "event__space")
        .filter(pk=data.get("r"))
        .first()
    )


def _lock_track(track_id: int) -> Track:
    return Track.objects.select_for_update().select_related("event").get(pk=track_id)


def _require_sight(track_id: int, user: Actor) -> None:
    """Refuse a person who may not see the event's members-only space now. Their membership row
    is locked first, as a removal locks the space's memberships before cancelling seats (the
    same order: memberships, then the track): a removal that committed first is seen here, and
    one that comes second waits, then finds this registration and cancels it
    (``tests/events/test_visibility_race.py``)."""
    space = Space.objects.filter(events__tracks__pk=track_id).first()
    if space is None or space.is_public:
        return
    list(SpaceMembership.objects.select_for_update().filter(space_id=space.pk, user_id=user.pk))
    if not persons_who_see(space, [user.pk]):
        raise ValidationError(_("Only members of this space can register."), code="no_access")


def _clean_answers(event: Event, answers: dict[str, str]) -> dict[str, str]:
    questions = list(event.questions.all())
    cleaned: dict[str, str] = {}
    missing = []
    for question in questions:
        value = (answers.get(str(question.pk)) or "").strip()
        if question.required and not value:
            missing.append(question.label)
        if value:
            cleaned[str(question.pk)] = value[:2000]
    if missing:
        raise ValidationError(
            _("Please answer: %(questions)s.") % {"questions": "; ".join(missing)},
            code="missing_answers",
        )
    return cleaned


def registration_create(
    *, track: Track, user: Actor, answers: dict[str, str] | None = None
) -> Registration:
    """Register a person for one track: a confirmed place while there is one, else the wait
    list. One live registration per person and event."""
    try:
        with transaction.atomic():
            _require_sight(track.pk, user)
            locked = _lock_track(track.pk)
            event = locked.event
            now = timezone.now()
            if event.status == Event.Status.CANCELLED:
                raise ValidationError(_("This event is cancelled."), code="cancelled")
            if event.status != Event.Status.PUBLISHED:
                raise ValidationError(
                    _("Registration is not open for this event."), code="not_open"
                )
            if event.registration_mode != Event.Registration.INTERNAL:
                raise ValidationError(
                    _("Registration for this event is not on this site."), code="external"
                )
            if locked.registration_deadline and now > locked.registration_deadline:
                raise ValidationError(_("Registration has closed."), code="deadline")
            if event.ends_at and now > event.ends_at:
                raise ValidationError(_("This event is over."), code="over")
            if (
                Registration.objects.filter(event=event, user=user)
                .exclude(status=Registration.Status.CANCELLED)
                .exists()
            ):
                raise ValidationError(_("You are already registered for this event."), code="twice")
            cleaned = _clean_answers(event, answers or {})
            has_place = locked.capacity is None or locked.confirmed_count < locked.capacity
            registration = Registration(
                event=event,
                track=locked,
                user=user,
                answers=cleaned,
                status=(
                    Registration.Status.CONFIRMED if has_place else Registration.Status.WAITLISTED
                ),
                created_at=now,
            )
            registration.full_clean(validate_constraints=False)
            registration.save()
            if has_place:
                # Seat counts are shown only to people who may register, never from the cache:
                # the counter's update() bumps nothing; the registration's save bumps what the
                # calendar feeds show (cocity.core.cache).
                Track.objects.filter(pk=locked.pk).update(confirmed_count=F("confirmed_count") + 1)
            _mail_registration(registration, "confirmed" if has_place else "waitlisted")
            return registration
    except IntegrityError as error:
        raise ValidationError(
            _("You are already registered for this event."), code="twice"
        ) from error


def registration_cancel(
    *, registration: Registration, access_ended: bool = False
) -> Registration | None:
    """Cancel a registration; a confirmed place goes to the first person on the wait list.
    Returns the promoted registration, if any. With ``access_ended`` the person did not ask: they
    lost sight of the event's members-only space, and the mail says so
    (:func:`registrations_end_for_lost_access`)."""
    with transaction.atomic():
        locked = _lock_track(registration.track_id)
        current = Registration.objects.select_related("user", "event").get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            raise ValidationError(_("This registration is already cancelled."), code="done")
        was_confirmed = current.status == Registration.Status.CONFIRMED
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        _mail_registration(current, "access_ended" if access_ended else "cancelled")
        promoted = None
        if was_confirmed:
            Track.objects.filter(pk=locked.pk).update(confirmed_count=F("confirmed_count") - 1)
            locked.confirmed_count -= 1
            promoted = _promote(locked)
        registration.status = current.status
        return promoted


def registrations_end_for_lost_access(
    *, spaces: Iterable[Any], user_ids: Iterable[int] | None = None
) -> list[Registration]:
    """Cancel the registrations for the upcoming events of these spaces held by people who may no
    longer see them (the ``network.access`` callback, registered in ``EventsConfig.ready()``):
    exactly as if each person had cancelled (the seat freed, the wait list promoted), with a mail
    saying why. ``user_ids=None``: everyone registered (the space became members-only). Runs in
    the transaction that ended the membership, after it, and asks the one rule who still sees
    the space (``persons_who_see``): a person who still does (staff, an admin of an owning
    organisation) keeps their place. Past events keep their registrations (the record of who
    came). Wait-listed registrations go first, so no one leaving is promoted on the way out.
    Returns the registrations cancelled."""
    now = timezone.now()
    cancelled: list[Registration] = []
    for space in spaces:
        live = (
            Registration.objects.filter(
                event__space_id=space.pk,
                status__in=[Registration.Status.WAITLISTED, Registration.Status.CONFIRMED],
            )
            .exclude(event__ends_at__lte=now)
            .order_by("event_id", "track_id", "id")
        )
        if user_ids is not None:
            live = live.filter(user_id__in=list(user_ids))
        rows = list(live)
        seeing = persons_who_see(space, {r.user_id for r in rows})
        lost = [r for r in rows if r.user_id not in seeing]
        lost.sort(key=lambda r: r.status != Registration.Status.WAITLISTED)
        for registration in lost:
            try:
                registration_cancel(registration=registration, access_ended=True)
            except ValidationError:  # cancelled meanwhile by the person: nothing left to do
                continue
            cancelled.append(registration)
    return cancelled


def _promote(track: Track) -> Registration | None:
    """Give a free place to the first person waiting (the caller holds the track lock)."""
    if track.capacity is not None and track.confirmed_count >= track.capacity:
        return None
    nxt = (
        Registration.objects.select_related("user", "event")
        .filter(track=track, status=Registration.Status.WAITLISTED)
        .order_by("created_at", "id")
        .first()
    )
    if nxt is None:
        return None
    nxt.status = Registration.Status.CONFIRMED
    nxt.promoted_at = timezone.now()
    nxt.save(update_fields=["status", "promoted_at"])
    Track.objects.filter(pk=track.pk).update(confirmed_count=F("confirmed_count") + 1)
    _mail_registration(nxt, "promoted")
    return nxt


@transaction.atomic
def track_capacity_change(*, track: Track, capacity: int | None) -> list[Registration]:
    """More places: the wait list moves up, in order."""
    locked = _lock_track(track.pk)
    _check_capacity(locked, capacity)
    locked.capacity = capacity
    locked.save(update_fields=["capacity"])
    return _promote_all(locked)


def _check_capacity(locked: Track, capacity: int | None) -> None:
    if capacity is not None and capacity < locked.confirmed_count:
        count = locked.confirmed_count
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(count)s person is already confirmed.",
                    "%(count)s people are already confirmed.",
                    count,
                )
                % {"count": format_number(count, 0)}
            }
        )


def _promote_all(locked: Track) -> list[Registration]:
    promoted = []
    while (nxt := _promote(locked)) is not None:
        locked.confirmed_count += 1
        promoted.append(nxt)
    return promoted


@transaction.atomic
def track_update(
    *,
    track: Track,
    name: str,
    description: str = "",
    capacity: int | None = None,
    registration_deadline: datetime | None = None,
) -> list[Registration]:
    """Change a track; under its lock, since more places move the wait list up (in order) and
    fewer places than people confirmed is refused. Returns the people promoted."""
    locked = _lock_track(track.pk)
    _check_capacity(locked, capacity)
    locked.name = name
    locked.description = description
    locked.capacity = capacity
    locked.registration_deadline = registration_deadline
    locked.full_clean()
    locked.save(update_fields=["name", "description", "capacity", "registration_deadline"])
    Event.objects.filter(pk=locked.event_id).update(updated_at=timezone.now())
    rows_changed(Event)
    return _promote_all(locked)


@transaction.atomic
def track_delete(*, track: Track) -> None:
    """Delete a track and its sessions; refused while anyone is registered for it (cancel or
    move those registrations first)."""
    locked = _lock_track(track.pk)
    live = Registration.objects.filter(track=locked).exclude(status=Registration.Status.CANCELLED)
    count = live.count()
    if count:
        raise ValidationError(
            ngettext(
                "This track cannot be deleted: %(count)s person is registered for it.",
                "This track cannot be deleted: %(count)s people are registered for it.",
                count,
            )
            % {"count": format_number(count, 0)},
            code="track_has_registrations",
        )
    event_id = locked.event_id
    locked.delete()
    _refresh_dates(event_id)


@transaction.atomic
def session_update(
    *,
    session: Session,
    day: date,
    start: time,
    end: time,
    time_zone: str,
    title: str = "",
    end_day: date | None = None,
) -> Session:
    """Change a session. A new time (or title) is a new revision of the event (SEQUENCE bumped
    in every calendar); registrants are told of a new time with an updated invitation."""
    _check_days(day, end_day)
    locked = Session.objects.select_for_update().select_related("track").get(pk=session.pk)
    start_at = local_to_utc(day=day, at=start, zone_name=time_zone)
    end_at = local_to_utc(day=end_day or day, at=end, zone_name=time_zone)
    moved = (start_at, end_at) != (locked.start, locked.end)
    changed = moved or title != locked.title or time_zone != locked.time_zone
    locked.title, locked.start, locked.end, locked.time_zone = title, start_at, end_at, time_zone
    locked.full_clean()
    locked.save()
    if changed:
        _refresh_dates(locked.track.event_id)
    if moved:
        event = Event.objects.get(pk=locked.track.event_id)
        if event.status != Event.Status.DRAFT:
            _tell_registrants_of_change(event)
    return locked


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Delete a session; a track people registered for keeps at least one session."""
    track = _lock_track(session.track_id)
    others = Session.objects.filter(track=track).exclude(pk=session.pk).exists()
    live = Registration.objects.filter(track=track).exclude(status=Registration.Status.CANCELLED)
    if not others and live.exists():
        raise ValidationError(
            _(
                "This is the only session of a track people are registered for: change its "
                "time instead, or cancel the event."
            ),
            code="last_session",
        )
    Session.objects.filter(pk=session.pk).delete()
    _refresh_dates(track.event_id)
    event = track.event
    if event.status != Event.Status.DRAFT:
        _tell_registrants_of_change(Event.objects.get(pk=event.pk))


@transaction.atomic
def attendance_mark(*, event: Event, attended: dict[int, bool | None]) -> int:
    changed = 0
    for registration in Registration.objects.filter(
        event=event, pk__in=list(attended), status=Registration.Status.CONFIRMED
    ):
        registration.attended = attended[registration.pk]
        registration.save(update_fields=["attended"])
        changed += 1
    return changed


@transaction.atomic
def registrants_message(
    *, event: Event, subject: str, body: str, actor: Actor, include_waitlist: bool = False
) -> int:
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ValidationError(_("Write a subject and a message."))
    statuses = [Registration.Status.CONFIRMED]
    if include_waitlist:
        statuses.append(Registration.Status.WAITLISTED)
    registrations = Registration.objects.select_related("user").filter(
        event=event, status__in=statuses
    )
    # Rendered once per language (and time zone) among the registrants, one message each.
    return queue_templated_emails(
        recipients=[registration.user for registration in registrations.order_by("pk")],
        template="events/emails/message",
        context={
            "event": event,
            "subject": subject,
            "body": body,
            "sender": actor,
            "base_url": settings.COCITY_BASE_URL,
        },
    )


# Mail and calendars --------------------------------------------------------------------------


def registration_ics(registration: Registration, *, cancelled: bool = False) -> bytes:
    sessions = list(
        Session.objects.select_related("track__event")
        .filter(track_id=registration.track_id)
        .order_by("start")
    )
    event = registration.event
    confirmed = registration.status == Registration.Status.CONFIRMED and not cancelled
    waiting = registration.status == Registration.Status.WAITLISTED and not cancelled
    for session in sessions:  # the event as locked now (sequence, status)
        session.track.event = event
    return ical.build_calendar(
        sessions,
        name=event.title,
        method="CANCEL" if cancelled or event.is_cancelled else "REQUEST",
        with_link_for={event.pk} if confirmed else set(),
        cancelled_for={event.pk} if cancelled else set(),
        tentative_for={event.pk} if waiting else set(),
        attendee=registration.user.email,
    )


def _mail_registration(registration: Registration, what: str) -> None:
    event = Event.objects.get(pk=registration.event_id)
    registration.event = event
    attachments: list[tuple[str, str, str]] = []
    if what in ("confirmed", "promoted", "cancelled", "access_ended", "changed"):
        cancelled = what in ("cancelled", "access_ended")
        method = "CANCEL" if cancelled or event.is_cancelled else "REQUEST"
        with as_recipient(registration.user):  # its titles in the reader's language
            invite = registration_ics(registration, cancelled=cancelled).decode()
        attachments.append(("invite.ics", invite, f"text/calendar; method={method}"))
    base = settings.COCITY_BASE_URL.rstrip("/")
    queue_templated_email(
        to=registration.user.email,
        template=f"events/emails/{what}",
        context={
            "event": event,
            "registration": registration,
            "track": registration.track,
            "event_url": base + event.get_absolute_url(),
            "cancel_url": base + f"/events/registrations/cancel/{cancel_token(registration)}/",
            "online_url": event.online_url
            if registration.status == Registration.Status.CONFIRMED
            else "",
        },
        recipient=registration.user,
        attachments=attachments,
    )


def _tell_registrants_of_change(event: Event) -> None:
    for registration in Registration.objects.select_related("user", "track").filter(
        event=event,
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
    ):
        _mail_registration(registration, "changed")


@transaction.atomic
def calendar_token_reset(*, user: Actor) -> CalendarToken:
    """A new secret address for the person's calendar; the old address stops working."""
    CalendarToken.objects.filter(user=user).delete()
    return CalendarToken.objects.create(user=user)


def calendar_token_for(*, user: Actor) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


# Reminders -----------------------------------------------------------------------------------

MAX_REMINDER_WINDOW = timedelta(days=30)


def reminders_enqueue(*, now: datetime | None = None) -> int:
    """Record and enqueue every reminder that is due (run by ``cocity event_reminders`` from
    cron). Each (registration, session, offset) is recorded once in the reminders ledger
    (``cocity.core.reminders``), so nothing is sent twice; when several offsets are due at once
    (cron was late), one reminder goes out."""
    from .tasks import send_reminder

    now = now or timezone.now()
    sessions = (
        Session.objects.select_related("track__event__space")
        .filter(
            start__gt=now,
            start__lte=now + MAX_REMINDER_WINDOW,
            track__event__status__in=[Event.Status.PUBLISHED, Event.Status.POSTPONED],
        )
        .order_by("start")
    )
    queued = 0
    for session in sessions:
        event = session.track.event
        due = sorted(
            o for o in event.reminder_offsets if session.start - timedelta(minutes=o) <= now
        )
        if not due:
            continue
        keys = {o: reminder_key(session_id=session.pk, offset_minutes=o) for o in due}
        registrations = list(
            Registration.objects.filter(
                track_id=session.track_id, status=Registration.Status.CONFIRMED
            ).only("pk", "user_id")
        )
        # Only people who may see the event now (visibility follows membership): someone who
        # left a members-only space gets no reminder, and nothing is recorded for them.
        seeing = persons_who_see(event.space, {r.user_id for r in registrations})
        registrations = [r for r in registrations if r.user_id in seeing]
        sent = sent_keys(Registration, [r.pk for r in registrations])
        for registration in registrations:
            fresh = [k for k in keys.values() if (registration.pk, k) not in sent]
            if fresh and send_once(
                target=registration,
                key=fresh,
                send=partial(_reminder_enqueue, send_reminder, registration.pk, session.pk),
            ):
                queued += 1
    return queued


def reminder_key(*, session_id: int, offset_minutes: int) -> str:
    """The ledger key of a registration's reminder ``offset_minutes`` before a session."""
    return f"session:{session_id}:{offset_minutes}"


def _reminder_enqueue(task: Any, registration_id: int, session_id: int) -> int:
    enqueue_with_writes(task, registration_id=registration_id, session_id=session_id)
    return 1
