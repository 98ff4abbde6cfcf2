"""Dates in a sane range: one rule (cocity.core.validators), applied by every form that takes a
date, and by the forms of the future too (this walks every form class in cocity)."""

import importlib
import pkgutil
from datetime import date, datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError

import cocity
from cocity.core.forms import BoundedDateField, BoundedDateTimeField
from cocity.core.validators import validate_sane_date


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(cocity.__path__, "cocity."):
        name = module.name
        if (".forms" in name or name.endswith(".admin")) and ".tests" not in name:
            importlib.import_module(name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type] = [forms.BaseForm]
    while stack:
        klass = stack.pop()
        for sub in klass.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("cocity.") and hasattr(sub, "base_fields"):
                found.append(sub)
    return found


def test_the_walk_finds_the_forms_with_dates():
    names = {f"{k.__module__}.{k.__qualname__}" for k in _all_form_classes()}
    assert "cocity.events.forms.SessionForm" in names
    assert "cocity.plans.forms.PhaseForm" in names
    assert "cocity.commons.forms.PactForm" in names


def test_every_date_field_of_every_form_is_bounded():
    unbounded = []
    for klass in _all_form_classes():
        if klass.__module__.endswith(".admin"):
            continue  # staff's admin forms are Django's own
        for name, field in klass.base_fields.items():
            if isinstance(field, (forms.DateField, forms.DateTimeField)) and (
                validate_sane_date not in field.validators
            ):
                unbounded.append(f"{klass.__module__}.{klass.__qualname__}.{name}")
    assert not unbounded, f"date fields without the core range check: {unbounded}"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (date(1900, 1, 1), True),
        (date(2200, 12, 31), True),
        (date(1899, 12, 31), False),
        (date(2201, 1, 1), False),
        (date(1, 1, 1), False),
        (date(9999, 12, 31), False),
        (datetime(2200, 12, 31, 23, 59), True),
        (datetime(9999, 1, 1), False),
    ],
)
def test_the_rule(value, ok):
    if ok:
        validate_sane_date(value)
    else:
        with pytest.raises(ValidationError, match="between the years 1900 and 2200"):
            validate_sane_date(value)


def test_the_fields_refuse_and_tell_the_date_picker():
    field = BoundedDateField(widget=forms.DateInput(attrs={"type": "date"}))
    with pytest.raises(ValidationError):
        field.clean("9999-12-31")
    assert field.clean("2030-05-01") == date(2030, 5, 1)
    assert (field.widget.attrs["min"], field.widget.attrs["max"]) == ("1900-01-01", "2200-12-31")
    stamp = BoundedDateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    with pytest.raises(ValidationError):
        stamp.clean("0001-01-01T10:00")
    assert stamp.widget.attrs["max"] == "2200-12-31T23:59"
