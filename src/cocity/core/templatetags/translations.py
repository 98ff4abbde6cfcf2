"""What people wrote, in the viewer's language (cocity.core.translations, decision 0012).

{% load translations %}
<h1 lang="{{ event|tr_lang:'title' }}">{{ event|tr:"title" }}</h1>
{% translation_notice event %}        {# "Translated from English · Show original" #}
{{ event|tr:"description"|markdown }}

In a plain-text mail: ``“{{ event|tr:"title" }}”{% machine_note event "title" %}``.
"""

from typing import Any

from django import template
from django.urls import reverse

from cocity.core import translations

register = template.Library()


@register.filter(name="tr")
def tr(obj: Any, field: str) -> Any:
    """``obj.field`` in the viewer's language: a person's translation, else a machine one,
    else the original. On anything that is not translatable, what ``obj.field`` would give."""
    if not isinstance(obj, translations.Translatable):
        return translations.lookup(obj, field)
    return translations.shown(obj, field).text


@register.filter(name="tr_lang")
def tr_lang(obj: Any, field: str) -> str:
    """The language of what ``tr`` shows (for the ``lang`` attribute of its element)."""
    return translations.shown(obj, field).language or translations.current_language()


@register.inclusion_tag("core/translations/notice.html", takes_context=True)
def translation_notice(context: template.Context, obj: Any) -> dict[str, Any]:
    """Says that the text is translated, from which language and by whom, with the link to the
    original (or back to the translation)."""
    found = translations.notice(obj)
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    if params is not None:
        if found is not None and found.kind == "original":
            params.pop("original", None)
        else:
            params["original"] = "1"
    encoded = params.urlencode() if params is not None else "original=1"
    return {"notice": found, "toggle": f"?{encoded}" if encoded else "?"}


@register.simple_tag
def machine_note(*args: Any) -> str:
    """For plain-text mails, right after the texts they quote: a new line saying "(Machine-
    translated from English by Apertium.)" when what is shown is a machine translation, else
    nothing. ``{% machine_note event "title" track "name" %}``: each object, then the fields
    of it that the mail quoted (none: all of its translatable fields)."""
    quoted: list[tuple[Any, list[str]]] = []
    for arg in args:
        if isinstance(arg, str):
            if quoted:
                quoted[-1][1].append(arg)
        else:
            quoted.append((arg, []))
    note = translations.machine_note(*quoted)
    return f"\n{note}" if note else ""


@register.simple_tag(takes_context=True)
def translate_url(context: template.Context, obj: Any) -> str:
    """The address of the translation form of ``obj`` when the viewer may translate it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not translations.may_translate(user, obj):
        return ""
    return reverse("translations:edit", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


@register.inclusion_tag("core/translations/page_note.html", takes_context=True)
def machine_translations_note(context: template.Context) -> dict[str, Any]:
    """After the page's content: says that some of what it showed was machine-translated (the
    lists' titles carry no label of their own), with the link to the originals."""
    view = translations.viewing()
    request = context.get("request")
    if not view.machine_shown or request is None:
        return {"backends": ""}
    params = request.GET.copy()
    params["original"] = "1"
    return {
        "backends": ", ".join(sorted(translations.backend_label(b) for b in view.machine_shown)),
        "toggle": f"?{params.urlencode()}",
    }
