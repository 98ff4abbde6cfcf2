"""German formats: one way to write a day and a time everywhere (docs/design.md).

Django's own German formats for everything not set here; the template filters ``day``,
``daytime``, ``time_only`` and ``month`` (cocity.core.templatetags.cocity) use these names.
"""

from django.conf.locale.de import formats as django_formats

DATE_FORMAT = "j. N Y"  # 7. Dez. 2026 (N: the abbreviated month with its dot, "März" in full)
SHORT_DATE_FORMAT = "j. N Y"
DATETIME_FORMAT = "j. N Y, H:i"  # 7. Dez. 2026, 14:00
SHORT_DATETIME_FORMAT = "j. N Y, H:i"
TIME_FORMAT = "H:i"  # 14:00
YEAR_MONTH_FORMAT = "F Y"  # Dezember 2026
MONTH_DAY_FORMAT = "j. N"  # 7. Dez.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."  # 2.645.000,5 (CLDR, and the browser's Intl for "de")
NUMBER_GROUPING = 3
# A form shows a date in the first input format, and <input type="date"> and "datetime-local"
# take ISO 8601 only: ISO comes first, the locale's own ways still parse.
DATE_INPUT_FORMATS = ["%Y-%m-%d", *django_formats.DATE_INPUT_FORMATS]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", *django_formats.DATETIME_INPUT_FORMATS]
