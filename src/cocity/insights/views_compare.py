"""The comparison page: two data sets (two cities, or two dates of one city) side by side with
the permutation test's p-value. A GET form, so the address of a comparison can be shared.

Kept apart from ``views.py`` (the city page and the imports): thin as they are, it parses the
two ids, reads through ``selectors`` and asks ``comparison`` for the figures. Ready data sets
are public, so the page is open to everyone; bad input re-renders the form with its errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import comparison, selectors


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("First data set"), coerce=int)
    b = forms.TypedChoiceField(label=_("Second data set"), coerce=int)

    def __init__(self, *args: Any, choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].choices = [("", _("Choose a data set")), *choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("a") is not None and data.get("a") == data.get("b"):
            raise ValidationError(
                _("Choose two different data sets: the same one twice has no difference."),
                code="same",
            )
        return data


@require_http_methods(["GET", "HEAD"])
def compare(request: HttpRequest) -> HttpResponse:
    choices = selectors.comparison_choices()
    # Both asked: a comparison; one only (the city page's link gives its data set): the form,
    # with that one chosen and no error yet.
    asked = "a" in request.GET and "b" in request.GET
    initial = {name: request.GET[name] for name in ("a", "b") if name in request.GET}
    form = CompareForm(request.GET if asked else None, initial=initial, choices=choices)
    context: dict[str, Any] = {"form": form}
    if asked and form.is_valid():
        pair = selectors.datasets_to_compare(form.cleaned_data["a"], form.cleaned_data["b"])
        if pair is None:  # deleted between the choices and this read
            form.add_error(None, _("One of these data sets is no longer available."))
        else:
            context.update(first=pair[0], second=pair[1], **comparison.side_by_side(*pair))
    return render(request, "insights/compare.html", context)
