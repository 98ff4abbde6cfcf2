"""Arabic formats: one way to write a day and a time everywhere (docs/design.md).

Django's own Arabic formats for everything not set here; the template filters ``day``,
``daytime``, ``time_only`` and ``month`` (cocity.core.templatetags.cocity) use these names.

Digits are Western ("Latin") digits, as CLDR's "ar" and the browser's Intl for "ar" write them
(and as Arabic is written in the Maghreb and on most of the web): one page never mixes two digit
systems, and figures read the same in Cairo and in Dakar. The separators are CLDR's for those
digits: a point for decimals and a comma between thousands (2,645,000.5).
"""

DATE_FORMAT = "j F Y"  # 7 ديسمبر 2026 (CLDR's long date: Arabic has no abbreviated months)
SHORT_DATE_FORMAT = "j F Y"
# A no-break space between the time and ص/م (am/pm): "2:00 م" never breaks across lines.
DATETIME_FORMAT = "j F Y، g:i\xa0A"  # 7 ديسمبر 2026، 2:00 م (with the Arabic comma)
SHORT_DATETIME_FORMAT = "j F Y، g:i\xa0A"
TIME_FORMAT = "g:i\xa0A"  # 2:00 م: CLDR's 12-hour clock for Arabic
YEAR_MONTH_FORMAT = "F Y"  # ديسمبر 2026
MONTH_DAY_FORMAT = "j F"  # 7 ديسمبر
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
