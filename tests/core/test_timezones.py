# ruff: noqa: RUF001  (typography: en dashes, a minus sign and an apostrophe are what is shown)
"""One readable line per session (cocity.core.timezones and the ``timezones`` template tags):
the viewer's time first, the event's zone when its clock differs, zones named as people say
them, dates where a part falls on another day, across daylight-saving changes, in French."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from cocity.core.timezones import session_line, session_parts, valid_zone, zone_label

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def line(start, end, event_zone, viewer_zone, **kwargs):
    return session_line(
        start, end, event_zone=event_zone, viewer_zone=viewer_zone, now=NOW, **kwargs
    )


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_viewer_first_then_the_event_zone_by_its_city():
    # 13:00 UTC in December: 14:00 in Paris (UTC+1), 10:00 in São Paulo (UTC-3, no DST).
    text = line(utc(2026, 12, 8, 13), utc(2026, 12, 8, 14, 30), "America/Sao_Paulo", "Europe/Paris")
    assert text == "Tue 8 Dec, 14:00–15:30 (Paris time) · 10:00–11:30 São Paulo time"
    assert "-03" not in text and "BRT" not in text


def test_same_zone_has_no_second_part():
    text = line(utc(2026, 12, 8, 13), utc(2026, 12, 8, 14), "Europe/Paris", "Europe/Paris")
    assert text == "Tue 8 Dec, 14:00–15:00 (Paris time)"


def test_a_zone_with_the_same_clock_is_not_repeated():
    # Brussels and Paris keep the same hours: one part, in the viewer's words.
    text = line(utc(2026, 12, 8, 13), utc(2026, 12, 8, 14), "Europe/Paris", "Europe/Brussels")
    assert text == "Tue 8 Dec, 14:00–15:00 (Brussels time)"


def test_across_daylight_saving_changes():
    # Paris changes on 29 March 2026, Tokyo never, São Paulo has had no DST since 2019.
    before = line(utc(2026, 3, 27, 8), utc(2026, 3, 27, 9), "Asia/Tokyo", "Europe/Paris")
    after = line(utc(2026, 3, 30, 8), utc(2026, 3, 30, 9), "Asia/Tokyo", "Europe/Paris")
    assert before == "Fri 27 Mar, 09:00–10:00 (Paris time) · 17:00–18:00 Tokyo time"
    assert after == "Mon 30 Mar, 10:00–11:00 (Paris time) · 17:00–18:00 Tokyo time"
    summer = line(utc(2026, 7, 7, 13), utc(2026, 7, 7, 14), "America/Sao_Paulo", "Europe/Paris")
    assert summer == "Tue 7 Jul, 15:00–16:00 (Paris time) · 10:00–11:00 São Paulo time"


def test_a_session_that_crosses_midnight_shows_both_days():
    # 22:00-23:30 UTC: 23:00 to 00:30 in Paris, 07:00-08:30 the next day in Tokyo.
    text = line(utc(2026, 12, 8, 22), utc(2026, 12, 8, 23, 30), "Asia/Tokyo", "Europe/Paris")
    assert text == (
        "Tue 8 Dec, 23:00 – Wed 9 Dec, 00:30 (Paris time) · Wed 9 Dec, 07:00–08:30 Tokyo time"
    )


def test_a_part_on_another_day_than_the_viewer_shows_its_day():
    # 01:00 UTC: 02:00 in Paris on the 9th, 22:00 in São Paulo on the 8th.
    text = line(utc(2026, 12, 9, 1), utc(2026, 12, 9, 2), "America/Sao_Paulo", "Europe/Paris")
    assert text == "Wed 9 Dec, 02:00–03:00 (Paris time) · Tue 8 Dec, 22:00–23:00 São Paulo time"


def test_another_year_shows_the_year():
    text = line(utc(2027, 1, 12, 13), utc(2027, 1, 12, 14), "Europe/Paris", "Europe/Paris")
    assert text == "Tue 12 Jan 2027, 14:00–15:00 (Paris time)"


def test_french_wording():
    with translation.override("fr"):
        text = line(
            utc(2026, 12, 8, 13), utc(2026, 12, 8, 14, 30), "America/Sao_Paulo", "Europe/Paris"
        )
        athens = line(utc(2026, 12, 8, 13), utc(2026, 12, 8, 14), "Europe/Athens", "Europe/Paris")
    assert text == "mar 8 déc., 14:00–15:30 (heure de Paris) · 10:00–11:30 heure de São Paulo"
    assert athens.endswith("15:00–16:00 heure d’Athènes")


def test_without_a_viewer_zone_the_event_zone_comes_first():
    text = line(utc(2026, 12, 8, 13), utc(2026, 12, 8, 14), "Europe/Athens", "")
    assert text == "Tue 8 Dec, 15:00–16:00 (Athens time)"


def test_extra_zones_and_offset_only_zones():
    text = line(
        utc(2026, 12, 8, 13),
        utc(2026, 12, 8, 14),
        "Europe/Paris",
        "Europe/Paris",
        also=["Asia/Seoul", "UTC", "Etc/GMT+3", "Not/AZone"],
    )
    assert text == (
        "Tue 8 Dec, 14:00–15:00 (Paris time) · 22:00–23:00 Seoul time · 13:00–14:00 UTC"
        " · 10:00–11:00 UTC−3"
    )


def test_a_start_without_an_end():
    parts = session_parts(utc(2026, 12, 8, 13), None, event_zone="Asia/Tokyo", now=NOW)
    assert [part.zone for part in parts][-1] == "Asia/Tokyo"
    assert line(utc(2026, 12, 8, 13), None, "Asia/Tokyo", "Europe/Paris") == (
        "Tue 8 Dec, 14:00 (Paris time) · 22:00 Tokyo time"
    )


def test_the_viewer_zone_defaults_to_the_active_zone():
    with timezone.override("America/Sao_Paulo"):
        text = session_line(
            utc(2026, 12, 8, 13), utc(2026, 12, 8, 14), event_zone="Europe/Paris", now=NOW
        )
    assert text.startswith("Tue 8 Dec, 10:00–11:00 (São Paulo time) · 14:00–15:00 Paris")


@pytest.mark.parametrize(
    "name", ["", "Not/AZone", "../../etc/passwd", "Europe/Paris\x00", "x" * 65, None, 3]
)
def test_unknown_zone_names_are_refused(name):
    assert valid_zone(name) is None


def test_browser_aliases_are_known():
    # Chromium still answers with the old names of some zones.
    assert valid_zone("Asia/Calcutta") == "Asia/Calcutta"
    assert zone_label("Asia/Calcutta", NOW) == "Kolkata time"


def test_the_tag_wraps_each_time_and_escapes():
    template = Template(
        "{% load timezones %}{% session_time start end zone viewer='Europe/Paris' %}"
    )
    html = template.render(
        Context(
            {
                "start": utc(2026, 12, 8, 13),
                "end": utc(2026, 12, 8, 14),
                "zone": "America/Sao_Paulo",
            }
        )
    )
    assert '<time datetime="2026-12-08T14:00:00+01:00">' in html
    assert '<time datetime="2026-12-08T10:00:00-03:00">10:00</time>' in html
    assert "(Paris time)" in html and "São Paulo time" in html
    assert 'class="zone-time zone-viewer"' in html
    # A bad value renders nothing rather than failing the page.
    empty = Template("{% load timezones %}{% session_time start None zone %}").render(
        Context({"start": "not a date", "zone": "<script>"})
    )
    assert empty == ""


def test_the_text_tag_for_mails():
    template = Template("{% load timezones %}{% session_time_text start end zone viewer=reader %}")
    text = template.render(
        Context(
            {
                "start": utc(2026, 12, 8, 13),
                "end": utc(2026, 12, 8, 14),
                "zone": "Europe/Paris",
                "reader": "Asia/Seoul",
            }
        )
    )
    # (The day is shown with its year from next year on: only the times are compared.)
    assert text.endswith(", 22:00–23:00 (Seoul time) · 14:00–15:00 Paris time")


# The visitor's zone: the checked cookie, and one cached copy of a page per zone ---------------


def _script_tag(html: str) -> str:
    import re

    match = re.search(r'<script src="[^"]*timezone\.js"[^>]*>', html)
    assert match, "base.html loads timezone.js"
    return match.group(0)


@pytest.mark.django_db
def test_a_visitor_without_a_zone_is_told_so_and_the_script_offers_the_device_zone(client):
    tag = _script_tag(client.get("/").content.decode())
    assert 'data-zone="Europe/Brussels"' in tag  # the site's zone (tests)
    assert 'data-zone-chosen=""' in tag and 'data-signed-in=""' in tag


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cookie", ["Not/AZone", "America%2FSao_Paulo", "../../etc/passwd", "x" * 70]
)
def test_a_cookie_that_is_not_a_zone_counts_as_none(client, cookie):
    client.get("/")  # the page for visitors without a zone, now cached
    client.cookies["cocity_tz"] = cookie
    html = client.get("/").content.decode()
    assert 'data-zone-chosen=""' in _script_tag(html)
    assert "Times are shown in Brussels time." in html


@pytest.mark.django_db
def test_each_zone_gets_its_own_cached_page(client):
    client.get("/")
    client.cookies["cocity_tz"] = "America/Sao_Paulo"
    first = client.get("/").content.decode()
    assert 'data-zone="America/Sao_Paulo" data-zone-chosen="1"' in first
    client.cookies["cocity_tz"] = "Asia/Tokyo"
    assert 'data-zone="Asia/Tokyo" data-zone-chosen="1"' in client.get("/").content.decode()
    del client.cookies["cocity_tz"]
    assert 'data-zone-chosen=""' in _script_tag(client.get("/").content.decode())


@pytest.mark.django_db
def test_the_footer_form_refuses_an_unknown_zone_with_a_message(client):
    response = client.post("/timezone/", {"time_zone": "Europe/Atlantis", "next": "/"}, follow=True)
    assert "“Europe/Atlantis” is not a time zone name such as Europe/Paris." in (
        response.content.decode()
    )
    assert "cocity_tz" not in client.cookies or not client.cookies["cocity_tz"].value
