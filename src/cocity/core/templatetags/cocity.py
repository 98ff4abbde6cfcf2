import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.http import QueryDict
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cocity.core.numbers import format_number, to_decimal
from cocity.core.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str) -> SafeString:
    return mark_safe(render_markdown(value))  # noqa: S308 - sanitised by nh3 in render_markdown


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (pagination keeps the filters)."""
    request = context["request"]
    params: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def related_panels(context: template.Context, obj: Any) -> SafeString:
    """The panels other apps registered for ``obj``'s model (``cocity.core.panels``), each in its
    own template, rendered with a fresh context like an inclusion tag; nothing when none has
    anything to show."""
    from cocity.core.panels import panels_for

    parts = []
    for panel in panels_for(obj):
        values = panel.context(obj)
        if values is None:
            continue
        panel_template = context.template.engine.get_template(panel.template)  # type: ignore[union-attr]
        parts.append(panel_template.render(context.new(values)))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered, autoescaped template


# --- One date and time format per locale (docs/design.md) -----------------------------------
# The formats are the locale's own (cocity/formats/<lang>/formats.py, FORMAT_MODULE_PATH):
# "7 Dec 2026" / "7 déc. 2026", "7 Dec 2026, 14:00" / "7 déc. 2026, 14:00". Datetimes arrive in
# the viewer's zone (expects_localtime), or in the zone a ``|timezone:zone`` filter chose.


def _format(value: Any, name: str) -> str:
    if value in (None, ""):
        return ""
    try:
        return formats.date_format(value, name)
    except (AttributeError, TypeError, ValueError):
        return ""


@register.filter(expects_localtime=True, is_safe=False)
def day(value: datetime.date | datetime.datetime | None) -> str:
    """A day: "7 Dec 2026" in English, "7 déc. 2026" in French."""
    return _format(value, "DATE_FORMAT")


@register.filter(expects_localtime=True, is_safe=False)
def daytime(value: datetime.datetime | None) -> str:
    """A day and a time: "7 Dec 2026, 14:00" in English, "7 déc. 2026, 14:00" in French."""
    if isinstance(value, datetime.datetime):
        return _format(value, "DATETIME_FORMAT")
    return _format(value, "DATE_FORMAT")


@register.filter(expects_localtime=True, is_safe=False)
def time_only(value: datetime.datetime | datetime.time | None) -> str:
    """A time of day: "14:00" in both languages."""
    return _format(value, "TIME_FORMAT")


@register.filter(expects_localtime=True, is_safe=False)
def month(value: datetime.date | datetime.datetime | str | None) -> str:
    """A month: "December 2026" / "décembre 2026" (also from a "2026-12" key)."""
    if isinstance(value, str):
        try:
            return _format(datetime.date.fromisoformat(f"{value[:7]}-01"), "YEAR_MONTH_FORMAT")
        except ValueError:
            return value
    return _format(value, "YEAR_MONTH_FORMAT")


# --- Numbers by locale, in tables and charts alike --------------------------------------------


@register.filter(name="number", is_safe=True)
def number_filter(value: Any, decimals: Any = None) -> str:
    """A number as the locale writes it, grouped: ``{{ total|number }}``, ``{{ x|number:1 }}``."""
    places = None
    if decimals not in (None, ""):
        try:
            places = int(decimals)
        except (TypeError, ValueError):
            places = None
    return format_number(value, places)


@register.filter(is_safe=True)
def percent(value: Any, decimals: Any = 0) -> str:
    """A percentage (0..100) as the language writes it: "40%" in English, "40 %" in French and
    German (the catalogue's "%(percent)s%%"), the figure localised:
    ``{{ action.progress|percent }}``. Nothing for nothing."""
    number = to_decimal(value)
    if number is None:
        return ""
    try:
        places = max(0, int(decimals))
    except (TypeError, ValueError):
        places = 0
    return gettext("%(percent)s%%") % {"percent": format_number(number, places)}


@register.filter(is_safe=True)
def percent_of(value: Any, whole: Any = 100) -> str:
    """``value`` as a whole percentage of ``whole`` (0 when the whole is 0), localised."""
    part, total = to_decimal(value), to_decimal(whole)
    if part is None or not total:
        return format_number(0, 0)
    share = max(Decimal(0), min(Decimal(100), part * 100 / total))
    return format_number(share, 0)


# --- Small helpers for the components (includes/components/) --------------------------------


@register.simple_tag
def links(*values: Any) -> list[tuple[Any, Any]]:
    """Pairs for the components: ``{% links url1 label1 url2 label2 as trail %}`` gives
    [(url1, label1), (url2, label2)] (breadcrumbs, tabs, facts)."""
    if len(values) % 2:
        raise template.TemplateSyntaxError("links takes pairs of values")
    items = list(values)
    return list(zip(items[::2], items[1::2], strict=True))


STATUS_TONES = {
    # events
    "open": "ok",
    "published": "ok",
    "full": "warning",
    "waitlist": "warning",
    "cancelled": "danger",
    "postponed": "warning",
    "canceled": "danger",
    "draft": "neutral",
    "past": "neutral",
    # plans: processes and actions
    "active": "info",
    "planned": "neutral",
    "in_progress": "info",
    "done": "ok",
    "completed": "ok",
    "adopted": "ok",
    "blocked": "danger",
    "late": "danger",
    "closed": "neutral",
    "archived": "neutral",
    # commons: pacts
    "proposed": "info",
    "submitted": "info",
    "in_review": "info",
    "review": "info",
    "co_design": "info",
    "codesign": "info",
    "signed": "ok",
    "renewed": "ok",
    "rejected": "danger",
    "ended": "neutral",
    "overdue": "danger",
    # pledges
    "due": "warning",
    "on_track": "ok",
    "not_started": "neutral",
    "delayed": "warning",
    "abandoned": "danger",
}


@register.filter
def status_tone(status: Any) -> str:
    """The badge tone of a status code (neutral for one it does not know)."""
    return STATUS_TONES.get(str(status or "").lower(), "neutral")


@register.filter
def in_list(value: Any, csv: Any) -> bool:
    """Whether ``value`` is one of the comma-separated ``csv``: ``{% if i|in_list:"1,3" %}``."""
    return str(value) in {part.strip() for part in str(csv or "").split(",")}
