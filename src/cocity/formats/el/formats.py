"""Greek formats: one way to write a day and a time everywhere (docs/design.md).

Django's own Greek formats for everything not set here; the template filters ``day``,
``daytime``, ``time_only`` and ``month`` (cocity.core.templatetags.cocity) use these names.
"""

from django.conf.locale.el import formats as django_formats

DATE_FORMAT = "j M Y"  # 7 Δεκ 2026 (CLDR's medium date)
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"  # 7 Δεκ 2026, 14:00
SHORT_DATETIME_FORMAT = "j M Y, H:i"
# A 24-hour clock, as Greek timetables and event listings write it (CLDR's default is 12-hour
# with π.μ./μ.μ.; the network's other languages all use 24 hours).
TIME_FORMAT = "H:i"  # 14:00
YEAR_MONTH_FORMAT = "F Y"  # Δεκέμβριος 2026 (the nominative, standing alone)
MONTH_DAY_FORMAT = "j M"  # 7 Δεκ
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."  # 2.645.000,5 (CLDR, and the browser's Intl for "el")
NUMBER_GROUPING = 3
# A form shows a date in the first input format, and <input type="date"> and "datetime-local"
# take ISO 8601 only: ISO comes first, the locale's own ways still parse.
DATE_INPUT_FORMATS = ["%Y-%m-%d", *django_formats.DATE_INPUT_FORMATS]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", *django_formats.DATETIME_INPUT_FORMATS]
