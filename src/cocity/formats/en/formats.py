"""English formats: one way to write a day and a time everywhere (docs/design.md).

Django's own English formats for everything not set here; the template filters ``day``,
``daytime``, ``time_only`` and ``month`` (cocity.core.templatetags.cocity) use these names.
"""

DATE_FORMAT = "j M Y"  # 7 Dec 2026
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"  # 7 Dec 2026, 14:00
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"  # 14:00: a 24-hour clock, as in the network's other languages
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j M"  # 7 Dec
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
