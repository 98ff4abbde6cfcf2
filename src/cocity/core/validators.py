"""Validators every app shares.

Dates: every date a person gives (a session's day, a phase, a pledge's period, a pact, a
publication date, a list filter...) lies between the years ``EARLIEST_YEAR`` and
``LATEST_YEAR``. The forms apply it through ``cocity.core.forms.BoundedDateField`` /
``BoundedDateTimeField`` (and ``bounded_formfield`` for model forms); services that build dates
themselves call ``validate_sane_date``. Far-off dates would otherwise overflow date arithmetic
(``date.max + 1 day``) on pages everyone sees.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def date_in_range(value: date | datetime) -> bool:
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def validate_sane_date(value: date | datetime | None) -> None:
    """Refuse a date (or date and time) outside the years EARLIEST_YEAR to LATEST_YEAR."""
    if value is not None and not date_in_range(value):
        raise ValidationError(
            _("Enter a date between the years %(earliest)d and %(latest)d."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )
