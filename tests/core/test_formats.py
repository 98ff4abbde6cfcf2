"""One date, time and number format per locale (cocity/formats, the filters of
``{% load cocity %}``), and charts whose labels are complete and written like the tables."""

import datetime
import re
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

from cocity.core.numbers import format_number
from tests.factories import CampaignFactory, OrganisationFactory, pledge_with_measures

NBSP = "\xa0"


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load cocity %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "day", "daytime", "month"),
    [
        ("en", "7 Dec 2026", "7 Dec 2026, 14:05", "December 2026"),
        ("fr", "7 déc. 2026", "7 déc. 2026, 14:05", "décembre 2026"),
    ],
)
def test_one_date_format_per_language(language, day, daytime, month, settings):
    settings.TIME_ZONE = "Europe/Paris"
    moment = datetime.datetime(2026, 12, 7, 13, 5, tzinfo=datetime.UTC)  # 14:05 in Paris
    out = render(
        "{{ d|day }}|{{ dt|day }}|{{ dt|daytime }}|{{ dt|time_only }}|{{ d|month }}"
        "|{{ key|month }}",
        language,
        d=datetime.date(2026, 12, 7),
        dt=moment,
        key="2026-12",
    )
    assert out.split("|") == [day, day, daytime, "14:05", month, month]


def test_a_datetime_shown_in_another_zone_keeps_that_zone():
    moment = datetime.datetime(2026, 12, 7, 13, 5, tzinfo=datetime.UTC)
    out = render('{% load tz %}{{ dt|timezone:"America/Sao_Paulo"|daytime }}', "en", dt=moment)
    assert out == "7 Dec 2026, 10:05"
    with timezone_override("Asia/Seoul"):
        assert render("{{ dt|daytime }}", "en", dt=moment) == "7 Dec 2026, 22:05"


def timezone_override(name: str):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.override(zoneinfo.ZoneInfo(name))


def test_nothing_or_garbage_gives_an_empty_date_never_an_error():
    assert render(
        "[{{ none|day }}][{{ text|daytime }}][{{ missing|time_only }}]", "en", none=None, text="x"
    ) in (
        "[][][]",
        "[][x][]",
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["2,645,000,000", "1,234.5", "12.5", "0"]),
        ("fr", [f"2{NBSP}645{NBSP}000{NBSP}000", f"1{NBSP}234,5", "12,5", "0"]),
    ],
)
def test_numbers_are_grouped_as_the_language_writes_them(language, expected):
    out = render(
        "{{ big|number }}|{{ frac|number }}|{{ share|number:1 }}|{{ zero|number }}",
        language,
        big=2645000000,
        frac="1234.50",
        share=12.49,
        zero=0,
    )
    assert out.split("|") == expected
    with translation.override(language):
        assert format_number(2645000000, 0) == expected[0]


def test_a_percentage_is_written_as_the_language_writes_it():
    assert render("{{ 3|percent_of:8 }}", "en") == "38"
    assert render("{{ 3|percent_of:0 }}", "en") == "0"
    html = render(
        '{% include "includes/components/progress.html" with label="Done" value=3 max=8 %}', "fr"
    )
    assert "38\u202f%" in html and 'max="8"' in html and 'value="3"' in html


def _chart_values(html: str, chart_id: str) -> list[str]:
    section = html.split(f'id="{chart_id}"', 1)[1].split("</figure>", 1)[0]
    return [v.strip() for v in re.findall(r'class="bar-value">([^<]*)<', section)]


def _chart_labels(html: str, chart_id: str) -> list[str]:
    section = html.split(f'id="{chart_id}"', 1)[1].split("</figure>", 1)[0]
    return [v.strip() for v in re.findall(r'class="bar-label"><bdi>([^<]*)<', section)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "amount"),
    [("en", "2,645,000,000"), ("fr", f"2{NBSP}645{NBSP}000{NBSP}000")],
)
def test_campaign_chart_labels_are_complete_and_localised(client, language, amount):
    """The campaign's charts once showed "2,645,000,00(": an English-only Python format and a
    value drawn past the SVG's right edge. The value is now in its own column, localised like
    the table; a long name wraps instead of being cut at 34 characters."""
    campaign = CampaignFactory(starts_on=datetime.date(2024, 1, 1), currency="EUR")
    long_name = "Metropolitan Council of the Greater Thessaloniki Urban Area for Social Rights"
    organisation = OrganisationFactory(name=long_name)
    pledge_with_measures(
        campaign=campaign,
        organisation=organisation,
        amounts=("2645000000",),
        currency="EUR",
        signed_on=datetime.date(2024, 3, 5),
    )
    client.cookies["cocity_language"] = language
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert _chart_values(html, "chart-cities") == [amount]
    assert _chart_values(html, "chart-principles") == [amount]
    assert _chart_values(html, "chart-time") == [amount]
    assert _chart_labels(html, "chart-cities") == [long_name]
    assert _chart_labels(html, "chart-time") == ["March 2024" if language == "en" else "mars 2024"]
    assert "2645000000" not in re.sub(
        r'(max|value|width)="[^"]*"', "", html.split("chart-principles")[1]
    )
