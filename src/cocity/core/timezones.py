# ruff: noqa: RUF001, RUF002, RUF003  (typography: en dashes, minus signs and apostrophes are meant)
"""Time zones without homework: which zone names we accept, how people call a zone ("São Paulo
time", "heure de São Paulo", never "-03"), and one readable line per session.

A session's line starts with the viewer's time, then gives the event's own zone when its clock
differs (and any zone the organisers asked for), each part with the day only when it is not the
day of the part before::

    Tue 8 Dec, 14:00–15:30 (Paris time) · 10:00–11:30 São Paulo time
    Tue 8 Dec, 23:00 – Wed 9 Dec, 00:30 (Paris time) · Wed 9 Dec, 07:00–08:30 Tokyo time

City names come from the CLDR through Babel (``get_timezone_location(..., return_city=True)``),
in the language of the page. The template tags are in ``core/templatetags/timezones.py``.
"""

from __future__ import annotations

import functools
import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.utils import formats, timezone, translation
from django.utils.translation import gettext, pgettext

MAX_ZONE_LENGTH = 64  # the profile field's length; no IANA name is longer


@functools.cache
def known_zones() -> frozenset[str]:
    """Every IANA name this machine's zone database knows (aliases such as Asia/Calcutta,
    which browsers still send, included)."""
    return frozenset(zoneinfo.available_timezones())


def valid_zone(name: object) -> str | None:
    """``name`` when it is a zone we know, else None (a cookie, a form field, a browser's
    answer: anything that came from outside goes through here)."""
    if not isinstance(name, str) or not name or len(name) > MAX_ZONE_LENGTH:
        return None
    return name if name in known_zones() else None


def zone_of(name: str | None) -> tzinfo | None:
    valid = valid_zone(name)
    return zoneinfo.ZoneInfo(valid) if valid else None


def _babel_locale(language: str) -> str:
    return (language or "en").replace("-", "_")


@functools.lru_cache(maxsize=2048)
def zone_city(name: str, language: str) -> str | None:
    """The city a zone is named after, as the language says it ("Athènes" in French), or None
    for zones that are only an offset (UTC, Etc/GMT+3)."""
    if name in ("UTC", "GMT", "Etc/UTC", "Etc/GMT", "Universal", "Zulu") or "/" not in name:
        return None
    if name.startswith("Etc/"):
        return None
    from babel.core import UnknownLocaleError
    from babel.dates import get_timezone_location

    try:
        city = get_timezone_location(name, locale=_babel_locale(language), return_city=True)
    except (LookupError, UnknownLocaleError, ValueError):
        city = ""
    return city or name.rsplit("/", 1)[-1].replace("_", " ")


def _offset_label(moment: datetime) -> str:
    offset = moment.utcoffset()
    if offset is None or not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _starts_with_vowel(text: str) -> bool:
    first = unicodedata.normalize("NFD", text[:1])[:1].lower()
    return first in "aeiou"


def zone_label(name: str, moment: datetime, language: str | None = None) -> str:
    """How people say the zone: "São Paulo time", "heure de São Paulo", "heure d’Athènes";
    "UTC" or "UTC−3" for a zone that is only an offset."""
    language = language or translation.get_language() or "en"
    city = zone_city(name, language)
    if city is None:
        return _offset_label(moment)
    if _starts_with_vowel(city):
        # French elides "de" before a vowel ("heure d’Athènes"); the translator decides.
        return pgettext(
            "a time zone, before a city name that starts with a vowel", "%(city)s time"
        ) % {"city": city}
    return pgettext("a time zone, named after its city", "%(city)s time") % {"city": city}


# One line per session ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ZonePart:
    """A session's times in one zone, ready to print."""

    zone: str
    label: str  # "São Paulo time"
    start: datetime  # in ``zone``
    end: datetime | None
    start_text: str  # "Tue 8 Dec, 14:00", or "14:00" when the day is the part before's
    end_text: str  # "15:30", or "Wed 9 Dec, 00:30" when the session ends on another day
    end_has_day: bool
    is_viewer: bool


def _day(moment: datetime, today_year: int) -> str:
    if moment.year != today_year:
        fmt = pgettext("weekday, day, month and year of a session (Django date format)", "D j M Y")
    else:
        fmt = pgettext("weekday, day and month of a session (Django date format)", "D j M")
    return formats.date_format(moment, fmt)


def _time(moment: datetime) -> str:
    return formats.time_format(moment, "TIME_FORMAT")


def _day_time(moment: datetime, today_year: int) -> str:
    return gettext("%(day)s, %(time)s") % {"day": _day(moment, today_year), "time": _time(moment)}


def _same_clock(a: datetime, b: datetime, end_a: datetime | None, end_b: datetime | None) -> bool:
    if a.utcoffset() != b.utcoffset():
        return False
    return end_a is None or end_b is None or end_a.utcoffset() == end_b.utcoffset()


def session_parts(
    start: datetime,
    end: datetime | None,
    *,
    event_zone: str,
    viewer_zone: str | None = None,
    also: list[str] | tuple[str, ...] = (),
    now: datetime | None = None,
) -> list[ZonePart]:
    """The session from ``start`` to ``end`` (aware datetimes) in the viewer's zone first, then
    the event's zone and the ``also`` zones, each only if its clock differs from the parts
    before (Brussels and Paris show the same hours: one part). ``viewer_zone`` None means the
    zone active now (the page's viewer); "" means nobody's (an e-mail to a person without a
    zone): the event's zone comes first. Unknown zone names are left out."""
    if start is None:
        return []
    if viewer_zone is None:
        viewer_zone = timezone.get_current_timezone_name()
    names = [(viewer_zone, True)] if valid_zone(viewer_zone) else []
    names += [(event_zone, False)] + [(name, False) for name in also or ()]
    now = now or timezone.now()
    parts: list[ZonePart] = []
    previous_day = None
    for name, is_viewer in names:
        zone = zone_of(name)
        if zone is None or any(part.zone == name for part in parts):
            continue
        local_start = start.astimezone(zone)
        local_end = end.astimezone(zone) if end is not None else None
        if any(_same_clock(part.start, local_start, part.end, local_end) for part in parts):
            continue
        year = now.astimezone(zone).year
        show_day = previous_day is None or local_start.date() != previous_day
        start_text = _day_time(local_start, year) if show_day else _time(local_start)
        end_text, end_has_day = "", False
        if local_end is not None:
            end_has_day = local_end.date() != local_start.date()
            end_text = _day_time(local_end, year) if end_has_day else _time(local_end)
        parts.append(
            ZonePart(
                zone=name,
                label=zone_label(name, local_start),
                start=local_start,
                end=local_end,
                start_text=start_text,
                end_text=end_text,
                end_has_day=end_has_day,
                is_viewer=is_viewer,
            )
        )
        previous_day = local_start.date()
    return parts


def dash(part: ZonePart) -> str:
    """An en dash between the two ends, spaced when the end has its own day."""
    return " – " if part.end_has_day else "–"


def range_text(part: ZonePart) -> str:
    """ "14:00–15:30", or "Tue 8 Dec, 23:00 – Wed 9 Dec, 00:30"."""
    if not part.end_text:
        return part.start_text
    return f"{part.start_text}{dash(part)}{part.end_text}"


def part_text(part: ZonePart, first: bool) -> str:
    """The first part names its zone in brackets, the others after the times."""
    if first:
        return gettext("%(times)s (%(zone)s)") % {"times": range_text(part), "zone": part.label}
    return gettext("%(times)s %(zone)s") % {"times": range_text(part), "zone": part.label}


SEPARATOR = " · "


def session_line(
    start: datetime,
    end: datetime | None,
    *,
    event_zone: str,
    viewer_zone: str | None = None,
    also: list[str] | tuple[str, ...] = (),
    now: datetime | None = None,
) -> str:
    """The session as one line of plain text (e-mails, calendars' descriptions)."""
    parts = session_parts(
        start, end, event_zone=event_zone, viewer_zone=viewer_zone, also=also, now=now
    )
    return SEPARATOR.join(part_text(part, i == 0) for i, part in enumerate(parts))
