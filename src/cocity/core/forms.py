"""What every app's forms share: a service's refusal shown on the form, plain-text cleaning and
dates in a sane range.

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
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.core.text import clean_plain_text
from cocity.core.validators import EARLIEST_YEAR, LATEST_YEAR, validate_sane_date


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


class BoundedDateField(forms.DateField):
    """A date between the years EARLIEST_YEAR and LATEST_YEAR (``cocity.core.validators``);
    a date picker gets the same bounds as ``min`` and ``max``."""

    default_validators = [validate_sane_date]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "date":
            attrs.update(min=f"{EARLIEST_YEAR}-01-01", max=f"{LATEST_YEAR}-12-31")
        return attrs


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time between the years EARLIEST_YEAR and LATEST_YEAR."""

    default_validators = [validate_sane_date]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "datetime-local":
            attrs.update(min=f"{EARLIEST_YEAR}-01-01T00:00", max=f"{LATEST_YEAR}-12-31T23:59")
        return attrs


def bounded_formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """A model form's ``Meta.formfield_callback``: its date and date-time fields are bounded
    (``BoundedDateField``, ``BoundedDateTimeField``); other fields as Django makes them."""
    if isinstance(field, models.DateTimeField):
        kwargs.setdefault("form_class", BoundedDateTimeField)
    elif isinstance(field, models.DateField):
        kwargs.setdefault("form_class", BoundedDateField)
    return field.formfield(**kwargs)


def offered_or_asked(
    form: forms.BaseForm, name: str, offered: models.QuerySet[Any]
) -> models.QuerySet[Any]:
    """The rows a filter's model choice field ``name`` (with a ``to_field_name``) offers, plus
    the row its submitted value names: the select lists only what has something to filter, and
    an address naming any other real row (a link from a place's page, an old bookmark) still
    filters by it, shown selected, instead of failing the form and dropping every filter. An
    unknown value is the usual invalid choice. Set it as the field's queryset, then order it."""
    field = form.fields[name]
    key = getattr(field, "to_field_name", None)
    asked = form.data.get(form.add_prefix(name)) if form.is_bound and key else None
    if not asked or not isinstance(asked, str):
        return offered
    return offered | offered.model._default_manager.filter(**{key: asked[:200]})
