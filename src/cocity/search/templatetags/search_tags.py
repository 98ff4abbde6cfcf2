from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info, gettext

register = template.Library()


@register.simple_tag
def facet_url(base: dict[str, Any], name: str, value: str) -> str:
    """The search address with one facet set (or cleared when it is already selected), every
    other parameter kept, back on the first page."""
    query = {key: val for key, val in base.items() if val}
    query.pop("page", None)
    if query.get(name) == value:
        query.pop(name)
    else:
        query[name] = value
    return "?" + urlencode(query)


@register.simple_tag
def did_you_mean(suggestion: str, url: str) -> SafeString:
    """ "Did you mean <a>suggestion</a>?", the link asking the suggestion with the same filters;
    the sentence is the catalogue's, so each language places the words its own way."""
    link = format_html('<a href="{}" class="suggestion-link">{}</a>', url, suggestion)
    sentence = escape(gettext("Did you mean %(suggestion)s?"))
    return mark_safe(sentence % {"suggestion": link})  # noqa: S308 - escaped sentence, built link


@register.filter
def language_label(code: str) -> str:
    """A language's name in the reader's language ("French" / "français"), the code itself for
    a language Django does not know."""
    try:
        return str(get_language_info(str(code))["name_translated"])
    except (KeyError, ValueError):
        return str(code)
