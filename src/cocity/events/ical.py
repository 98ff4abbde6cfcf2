"""iCalendar (RFC 5545) files, built with the ``icalendar`` library.

* Times are written in UTC (``DTSTART:20260416T130000Z``): every client imports them without a
  VTIMEZONE, and the session's own zone travels as ``X-COCITY-TZID`` for reference.
* UIDs are stable (``session-<id>-<event id>@<host>``), ``SEQUENCE`` is the event's revision
  (bumped on every change people should hear about), cancelled events are ``STATUS:CANCELLED``;
  in a calendar made for a person on the wait list the event is ``STATUS:TENTATIVE`` and their
  ``PARTSTAT`` is ``TENTATIVE``: they have no seat yet.
* The online meeting link is written only in a calendar made for someone allowed to see it
  (``with_link``): the confirmation to a confirmed registrant, or their personal feed.
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from cocity.core.translations import translated

from .models import Event, Session

PRODID = "-//cocity//events//EN"


def _host() -> str:
    return urlsplit(settings.COCITY_BASE_URL).netloc or "cocity.localhost"


def session_uid(session: Session) -> str:
    return f"session-{session.pk}-{session.track.event_id}@{_host()}"


def _status(event: Event) -> str:
    if event.status == Event.Status.CANCELLED:
        return "CANCELLED"
    if event.status == Event.Status.POSTPONED:
        return "TENTATIVE"
    return "CONFIRMED"


def _vevent(
    session: Session,
    event: Event,
    *,
    with_link: bool,
    cancelled: bool,
    tentative: bool,
    attendee: str | None,
    stamp: datetime,
) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", session_uid(session))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", session.start.astimezone(UTC))
    vevent.add("dtend", session.end.astimezone(UTC))
    vevent.add("sequence", event.sequence)
    # What a person reads in their calendar: in the language of the request (or of the e-mail).
    title = translated(event, "title")
    if session.title:
        title = f"{title}: {translated(session, 'title')}"
    vevent.add("summary", title)
    url = settings.COCITY_BASE_URL.rstrip("/") + event.get_absolute_url()
    summary = translated(event, "summary")
    lines = [summary, url] if summary else [url]
    if with_link and event.online_url:
        lines.append(event.online_url)
    vevent.add("description", "\n\n".join(lines))
    vevent.add("url", url)
    place = ", ".join(p for p in (event.venue_name, event.venue_address) if p)
    if with_link and event.online_url:
        place = f"{place} / {event.online_url}" if place else event.online_url
    if place:
        vevent.add("location", place)
    status = "CANCELLED" if cancelled else _status(event)
    if tentative and status == "CONFIRMED":
        status = "TENTATIVE"
    vevent.add("status", status)
    vevent.add("x-cocity-tzid", session.time_zone)
    if attendee:
        organiser = vCalAddress(f"mailto:{_from_address()}")
        organiser.params["cn"] = vText(settings.COCITY_SITE_NAME)
        vevent.add("organizer", organiser, encode=False)
        person = vCalAddress(f"mailto:{attendee}")
        partstat = "DECLINED" if cancelled else "TENTATIVE" if tentative else "ACCEPTED"
        person.params["partstat"] = vText(partstat)
        person.params["role"] = vText("REQ-PARTICIPANT")
        vevent.add("attendee", person, encode=False)
    return vevent


def _from_address() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.split("<", 1)[1].rstrip(">") if "<" in sender else sender


def build_calendar(
    sessions: Iterable[Session],
    *,
    name: str,
    method: str | None = None,
    with_link_for: set[int] | frozenset[int] = frozenset(),
    cancelled_for: set[int] | frozenset[int] = frozenset(),
    tentative_for: set[int] | frozenset[int] = frozenset(),
    attendee: str | None = None,
) -> bytes:
    """One VEVENT per session (each session's ``track.event`` must be loaded).

    ``with_link_for``: ids of events whose online link may be written; ``cancelled_for``: ids
    of events to mark CANCELLED for this reader (a cancelled registration); ``tentative_for``:
    ids of events the reader is only waiting for (wait list): STATUS:TENTATIVE and the
    attendee's PARTSTAT=TENTATIVE, never ACCEPTED."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for session in sessions:
        event = session.track.event
        calendar.add_component(
            _vevent(
                session,
                event,
                with_link=event.pk in with_link_for,
                cancelled=event.pk in cancelled_for,
                tentative=event.pk in tentative_for,
                attendee=attendee,
                stamp=stamp,
            )
        )
    return calendar.to_ical()
