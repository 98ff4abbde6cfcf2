from typing import Any

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag
def facet_url(base: dict[str, Any], name: str, value: str) -> str:
    """The search address with one facet set (or cleared when it is already selected)."""
    query = dict(base)
    query.pop("page", None)
    if query.get(name) == value:
        query.pop(name)
    else:
        query[name] = value
    return "?" + urlencode(query)
