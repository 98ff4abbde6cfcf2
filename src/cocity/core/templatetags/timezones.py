"""One readable line per session, in the viewer's zone first (``cocity.core.timezones``)::

    {% load timezones %}
    {% session_time session.start session.end event.time_zone %}
    {% session_time event.starts_at None event.time_zone %}          (a start only)
    {% session_time s.start s.end s.time_zone also=event.time_zone extra=event.extra_zones %}
    {% session_time_text s.start s.end event.time_zone viewer=person.time_zone %}   (e-mails)

``also`` and ``extra`` add zones (a name or a list) shown after the session's own zone when
their clocks differ. ``session_time`` gives HTML (each time in a ``<time datetime>``),
``session_time_text`` plain text. ``viewer`` is the zone of whom reads it: by default the
page's viewer (the active zone); ``viewer=""`` for a reader without a zone (the event's zone
comes first).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cocity.core import timezones

register = template.Library()


def _names(value: Any) -> list[str]:
    """A zone name or a list of them (an event's ``extra_zones``)."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(name) for name in value]
    return []


def _parts(
    start: datetime | None,
    end: datetime | None,
    zone: str,
    viewer: str | None,
    also: Any,
    extra: Any = (),
) -> list[timezones.ZonePart]:
    if not isinstance(start, datetime):
        return []
    return timezones.session_parts(
        start,
        end if isinstance(end, datetime) else None,
        event_zone=str(zone or ""),
        viewer_zone=None if viewer is None else str(viewer),
        also=_names(also) + _names(extra),
    )


def _time_html(moment: datetime, text: str) -> str:
    return f'<time datetime="{escape(moment.isoformat())}">{escape(text)}</time>'


@register.simple_tag
def session_time(
    start: datetime | None,
    end: datetime | None,
    zone: str,
    viewer: str | None = None,
    also: Any = (),
    extra: Any = (),
) -> SafeString:
    """The session's line as HTML: the viewer's part, then the others, muted."""
    html = []
    for i, part in enumerate(_parts(start, end, zone, viewer, also, extra)):
        times = _time_html(part.start, part.start_text)
        if part.end is not None:
            times += timezones.dash(part) + _time_html(part.end, part.end_text)
        if i == 0:
            text = conditional_escape(gettext("%(times)s (%(zone)s)"))
            css = "zone-time zone-viewer" if part.is_viewer else "zone-time"
        else:
            text = conditional_escape(gettext("%(times)s %(zone)s"))
            css = "zone-time zone-other"
        inner = text % {"times": times, "zone": escape(part.label)}
        html.append(f'<span class="{css}" data-zone="{escape(part.zone)}">{inner}</span>')
    separator = f'<span class="zone-separator" aria-hidden="true">{timezones.SEPARATOR}</span>'
    # Each piece is escaped above; the separator is decorative (a screen reader hears a pause
    # from the span boundary, not "middle dot").
    return mark_safe(separator.join(html))  # noqa: S308


@register.simple_tag
def session_time_text(
    start: datetime | None,
    end: datetime | None,
    zone: str,
    viewer: str | None = None,
    also: Any = (),
    extra: Any = (),
) -> str:
    """The session's line as plain text (e-mails: rendered with autoescape off)."""
    parts = _parts(start, end, zone, viewer, also, extra)
    return timezones.SEPARATOR.join(
        timezones.part_text(part, i == 0) for i, part in enumerate(parts)
    )
