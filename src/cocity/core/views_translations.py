"""The translation form beside each object's own form (cocity.core.translations)."""

from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from cocity.core import translations


def _object(app_label: str, model_name: str, pk: int) -> translations.Translatable:
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as missing:
        raise Http404 from missing
    if not issubclass(model, translations.Translatable):
        raise Http404
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


class TranslationForm(forms.Form):
    """One field per translatable field of ``obj``, with the original's limits."""

    def __init__(self, obj: translations.Translatable, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = type(obj)
        for name in obj.translatable_fields:
            field = model._meta.get_field(name)
            limit = getattr(field, "max_length", None)
            long_text = isinstance(field, models.TextField) or (limit or 0) > 300
            self.fields[name] = forms.CharField(
                label=capfirst(getattr(field, "verbose_name", name)),
                required=False,
                max_length=limit,
                strip=True,
                widget=forms.Textarea(
                    attrs={"rows": 8 if isinstance(field, models.TextField) else 3}
                )
                if long_text
                else forms.TextInput(),
            )


@login_required
def edit(request: HttpRequest, app_label: str, model_name: str, pk: int) -> HttpResponse:
    obj = _object(app_label, model_name, pk)
    if not translations.may_translate(request.user, obj):
        raise Http404
    offered = [(code, name) for code, name in settings.LANGUAGES if code != obj.original_language]
    asked = request.POST.get("language") or request.GET.get("language") or ""
    language = asked or translations.current_language()
    if language == obj.original_language or (not asked and language not in dict(offered)):
        language = offered[0][0] if offered else ""
    problem = ""
    if language not in dict(offered):
        problem = _("Translations are kept in the languages this site offers: %(languages)s.") % {
            "languages": ", ".join(code for code, _name in offered)
        }
    human = (obj.translations or {}).get(language) or {}
    machine = (obj.machine_translations or {}).get(language) or {}
    prefilled_by_machine = not human and any(
        isinstance(entry, dict) and entry.get("text") for entry in machine.values()
    )
    if request.method == "POST" and not problem:
        if request.POST.get("action") == "delete":
            translations.delete_translation(obj, language)
            messages.success(request, _("The translation was deleted."))
            return redirect(request.path + f"?language={language}")
        form = TranslationForm(obj, data=request.POST)
        if form.is_valid():
            try:
                translations.save_translation(obj, language, form.cleaned_data)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        for one in errors:
                            form.add_error(name if name in form.fields else None, one)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("The translation was saved."))
                return redirect(_page_of(obj))
        status = 400
    else:
        initial = {}
        originals_now = obj.original_texts()
        for name in obj.translatable_fields:
            entry = machine.get(name)
            current = isinstance(entry, dict) and entry.get("hash") == translations.source_hash(
                originals_now[name]
            )
            initial[name] = human.get(name) or (entry["text"] if current else "")  # type: ignore[index]
        form = TranslationForm(obj, initial=initial)
        status = 400 if problem else 200
    with translations.showing(translations.Viewing(request=request, original=True)):
        originals = [
            (form[name], str(getattr(obj, name) or "")) for name in obj.translatable_fields
        ]
    languages = [
        {
            "code": code,
            # Each language in its own name, as the language switcher offers it.
            "name": get_language_info(code)["name_local"],
            "state": "human"
            if (obj.translations or {}).get(code)
            else "machine"
            if (obj.machine_translations or {}).get(code)
            else "",
        }
        for code, name in offered
    ]
    return render(
        request,
        "core/translations/edit.html",
        {
            "object": obj,
            "form": form,
            "originals": originals,
            "language": language,
            "language_name": get_language_info(language)["name_local"]
            if language in dict(offered)
            else language,
            "translation_languages": languages,
            "original_language": translations.language_in_sentence(obj.original_language),
            "has_human": bool(human),
            "prefilled_by_machine": prefilled_by_machine and request.method != "POST",
            "problem": problem,
            "page": _page_of(obj),
        },
        status=status,
    )


def _page_of(obj: Any) -> str:
    try:
        return str(obj.get_absolute_url())
    except AttributeError:
        return "/"
