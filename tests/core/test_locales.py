"""The interface languages (settings.LANGUAGES): each has its own date, time and number formats
(cocity/formats/<lang>), its forms keep dates in ISO for the browser's date fields, the
catalogue targets of the Makefile follow the list, and the switcher names each language in its
own words with its own lang attribute."""

import datetime
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from cocity.core.numbers import format_number

REPO = Path(__file__).resolve().parents[2]
NBSP = "\xa0"
INTERFACE = ["ar", "de", "el", "en", "es", "fr", "nl"]


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load cocity %}" + source).render(Context(context))


def test_the_interface_speaks_the_languages_of_the_labs():
    assert [code for code, _name in settings.LANGUAGES] == INTERFACE
    with translation.override("ar"):
        assert translation.get_language_bidi()
    for code in INTERFACE:
        if code != "ar":
            with translation.override(code):
                assert not translation.get_language_bidi(), code


def test_make_messages_covers_every_interface_language_but_english():
    makefile = (REPO / "Makefile").read_text()
    locales = re.search(r"^LOCALES := (.+)$", makefile, re.M)
    assert locales, "the Makefile lists the catalogues it makes"
    assert locales.group(1).split() == [code for code in INTERFACE if code != "en"]
    assert "$(addprefix -l ,$(LOCALES))" in makefile


@pytest.mark.parametrize(
    ("language", "day", "daytime", "time", "month"),
    [
        ("ar", "7 ديسمبر 2026", f"7 ديسمبر 2026، 2:05{NBSP}م", f"2:05{NBSP}م", "ديسمبر 2026"),
        ("de", "7. Dez. 2026", "7. Dez. 2026, 14:05", "14:05", "Dezember 2026"),
        ("el", "7 Δεκ 2026", "7 Δεκ 2026, 14:05", "14:05", "Δεκέμβριος 2026"),
        ("en", "7 Dec 2026", "7 Dec 2026, 14:05", "14:05", "December 2026"),
        ("es", "7 dic. 2026", "7 dic. 2026, 14:05", "14:05", "diciembre de 2026"),
        ("fr", "7 déc. 2026", "7 déc. 2026, 14:05", "14:05", "décembre 2026"),
        ("nl", "7 dec 2026", "7 dec 2026, 14:05", "14:05", "december 2026"),
    ],
)
def test_each_language_writes_days_and_times_its_own_way(
    language, day, daytime, time, month, settings
):
    settings.TIME_ZONE = "Europe/Paris"
    moment = datetime.datetime(2026, 12, 7, 13, 5, tzinfo=datetime.UTC)  # 14:05 in Paris
    out = render(
        "{{ d|day }}|{{ dt|daytime }}|{{ dt|time_only }}|{{ d|month }}",
        language,
        d=datetime.date(2026, 12, 7),
        dt=moment,
    )
    assert out.split("|") == [day, daytime, time, month]


@pytest.mark.parametrize(
    ("language", "whole", "decimal"),
    [
        ("ar", "2,645,000", "1,234.5"),  # Western digits, CLDR's separators for them
        ("de", "2.645.000", "1.234,5"),
        ("el", "2.645.000", "1.234,5"),
        ("en", "2,645,000", "1,234.5"),
        ("es", "2.645.000", "1.234,5"),
        ("fr", f"2{NBSP}645{NBSP}000", f"1{NBSP}234,5"),
        ("nl", "2.645.000", "1.234,5"),
    ],
)
def test_each_language_groups_numbers_its_own_way(language, whole, decimal):
    with translation.override(language):
        assert format_number(2645000) == whole
        assert format_number("1234.50") == decimal
    assert render("{{ n|number }}|{{ x|number:1 }}", language, n=2645000, x=1234.5) == (
        f"{whole}|{decimal}"
    )


class DatesForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


@pytest.mark.parametrize("language", INTERFACE)
def test_date_fields_show_and_take_iso_dates_in_every_language(language):
    """<input type="date"> only understands 2026-12-07: a form shown in German must not write
    07.12.2026 in it (the browser would show an empty field and the date would be lost)."""
    with translation.override(language):
        day = forms.DateInput(attrs={"type": "date"}).render("d", datetime.date(2026, 12, 7))
        moment = forms.DateTimeInput(attrs={"type": "datetime-local"}).render(
            "m", datetime.datetime(2026, 12, 7, 14, 0)
        )
        form = DatesForm({"day": "2026-12-07", "moment": "2026-12-07T14:00"})
        assert form.is_valid(), form.errors
    assert 'value="2026-12-07"' in day
    assert re.search(r'value="2026-12-07[T ]14:00(:00)?"', moment), moment
    assert form.cleaned_data["day"] == datetime.date(2026, 12, 7)


@pytest.mark.django_db
def test_the_switcher_names_each_language_in_its_own_words():
    from django.template.loader import render_to_string

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override("ar"):
        page = render_to_string("base.html", request=request)
    assert '<html lang="ar" dir="rtl">' in page
    switcher = page[page.index('id="language-select"') : page.index("</select>")]
    options = re.findall(r'<option value="(\w+)" lang="(\w+)"[^>]*>([^<]+)</option>', switcher)
    assert [(code, lang) for code, lang, _name in options] == [(c, c) for c in INTERFACE]
    assert [name for _c, _l, name in options] == [
        "العربيّة",
        "Deutsch",
        "Ελληνικά",
        "English",
        "Español",
        "Français",
        "Nederlands",
    ]


def test_a_percentage_follows_the_language():
    """``|percent``: the figure localised, the sign placed as the catalogue says ("40%" in
    English, "40 %" with a narrow no-break space in French); nothing for nothing."""
    assert render("{{ 40|percent }}|{{ 12.5|percent:1 }}", "en") == "40%|12.5%"
    french = render("{{ 12.5|percent:1 }}", "fr")
    assert french.startswith("12,5") and french.endswith("%") and " " not in french
    assert render("[{{ none|percent }}][{{ text|percent }}]", "en", none=None, text="x") == "[][]"
    assert render("{{ 3|percent_of:4|percent }}", "en") == "75%"


@pytest.mark.django_db
def test_an_overdue_pact_step_is_dated_in_the_viewers_language():
    """The commons index's "steps overdue" badge wrote 2026-11-22 in every language."""
    from cocity.commons.selectors import overdue_cards
    from tests.factories import PactFactory

    pact = PactFactory(state="in_review", step_due_on=datetime.date(2026, 11, 22))
    for language, day in [("en", "22 Nov 2026"), ("de", "22. Nov. 2026"), ("ar", "22 نوفمبر 2026")]:
        with translation.override(language):
            (card,) = overdue_cards([pact])
        assert card["badge"].endswith(day), card["badge"]
        assert "2026-11-22" not in card["badge"]


def test_a_card_says_the_language_of_its_title_and_summary():
    html = render(
        '{% include "includes/components/card.html" with title="Open day!" url="/t/" '
        'summary="Come." title_lang="en" summary_lang="en" %}',
        "ar",
    )
    assert '<a href="/t/" lang="en"><bdi>Open day!</bdi></a>' in html
    assert '<p lang="en">Come.</p>' in html
    plain = render('{% include "includes/components/card.html" with title="T" url="/t/" %}', "en")
    assert "lang=" not in plain
