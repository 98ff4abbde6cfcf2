"""What every app's forms share: a service's refusal shown on the form, and plain-text cleaning.

Forms parse and clean; services decide. When a service refuses with a ``ValidationError``, the
view hands it to :func:`add_service_errors`, which puts each message next to the field it is
about, or above the form::

    try:
        services.thing_create(actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from cocity.core.text import clean_plain_text


def add_service_errors(
    form: forms.BaseForm,
    error: ValidationError,
    *,
    rename: dict[str, str] | None = None,
    unnamed: str | None = None,
) -> None:
    """Put a service's ``ValidationError`` on ``form``.

    An error about a field the form has lands on that field; an error about any other name
    (or ``__all__``) lands on the form as a non-field error. ``rename`` maps the service's names
    to the form's (``{"url": "link_url"}``). An error that names no field goes on the field
    ``unnamed`` if given, else on the form. The errors keep their codes and parameters.
    """
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = rename.get(name, name)
            known = name != NON_FIELD_ERRORS and name in form.fields
            form.add_error(name if known else None, errors)
    else:
        form.add_error(unnamed if unnamed in form.fields else None, error)


def error_text(error: ValidationError) -> str:
    """A service's refusal as one sentence, for a message where there is no form to show it on
    (``messages.error(request, error_text(error))``)."""
    return " ".join(str(message) for message in error.messages)


class PlainTextMixin:
    """Cleans text fields as plain text (control characters removed, trimmed); a required field
    left empty by that cleaning is an error. ``plain_fields`` names the fields to clean, or is
    ``"__all__"`` (the default) for every text value. Put it before the form class:
    ``class ThingForm(PlainTextMixin, forms.Form)``."""

    plain_fields: tuple[str, ...] | str = "__all__"

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()  # type: ignore[misc]
        fields = self.fields  # type: ignore[attr-defined]
        names = list(data) if self.plain_fields == "__all__" else self.plain_fields
        for name in names:
            if isinstance(data.get(name), str):
                data[name] = clean_plain_text(data[name])
                if not data[name] and name in fields and fields[name].required:
                    self.add_error(name, _("This field is required."))  # type: ignore[attr-defined]
        return data
