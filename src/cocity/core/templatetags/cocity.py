from typing import Any

from django import template
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

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
