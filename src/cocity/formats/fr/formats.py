"""French formats: one way to write a day and a time everywhere (docs/design.md).

Django's own French formats for everything not set here; the template filters ``day``,
``daytime``, ``time_only`` and ``month`` (cocity.core.templatetags.cocity) use these names.
"""

from django.conf.locale.fr import formats as django_formats

DATE_FORMAT = "j N Y"  # 7 déc. 2026 (N: the abbreviated month with its dot where French has one)
SHORT_DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y, H:i"  # 7 déc. 2026, 14:00
SHORT_DATETIME_FORMAT = "j N Y, H:i"
TIME_FORMAT = "H:i"  # 14:00
YEAR_MONTH_FORMAT = "F Y"  # décembre 2026
MONTH_DAY_FORMAT = "j N"  # 7 déc.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space (as Django): 2 645 000, never cut at a line end
NUMBER_GROUPING = 3
# A form shows a date in the first input format, and <input type="date"> and "datetime-local"
# take ISO 8601 only: ISO comes first, the locale's own ways still parse.
DATE_INPUT_FORMATS = ["%Y-%m-%d", *django_formats.DATE_INPUT_FORMATS]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", *django_formats.DATETIME_INPUT_FORMATS]
