# ruff: noqa: RUF001  (French apostrophes are what the pages show)
"""Issue 19's done means in a browser: a visitor switches to French with the page's own language
switcher and reads what people wrote translated — titles, summaries and the place names Vienne
and Athènes — on the home page, a space, an event and the pledge campaign, sees that it is
"translated from English" and follows "show original" to the English; machine translations are
labelled as such; then in Arabic the same pages run right to left, mirrored, without sideways
scrolling at 320 px and without an axe violation.

Set COCITY_SHOTS_DIR to a folder to keep screenshots of the event page (French and Arabic, 320
and 1280 px) for a person to look at."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .test_accessibility import assert_fits_without_violation

# The French catalogue's words (src/cocity/locale/fr/LC_MESSAGES/django.po).
TRANSLATED_FROM_ENGLISH = re.compile(r"Traduit de l’original en anglais\.", re.I)
MACHINE_FROM_ENGLISH = re.compile(
    r"Traduit automatiquement de l’original en anglais par Echo\.", re.I
)
SHOWN_AS_WRITTEN = re.compile(r"Affiché tel qu’il a été écrit, en anglais\.", re.I)
SHOW_ORIGINAL = "Afficher l’original"
SHOW_TRANSLATION = "Afficher la traduction"


@pytest.fixture(scope="module")
def content(server: Any) -> dict[str, Any]:
    return server.seed("translations")


def _text(page: Any, selector: str) -> str:
    return " ".join(page.locator(selector).first.inner_text().split())


def _notice(page: Any) -> Any:
    notices = page.locator("main .translation-notice")
    assert notices.count() == 1, f"{page.url}: {notices.count()} translation notices"
    return notices.first


def _shows_translation_then_original(
    page: Any, item: dict[str, Any], title: str, summary: str, lead: str = "main h1 ~ .lead"
) -> None:
    """The page shows the French title and summary with the notice; "show original" gives the
    English as written, and a way back to the translation."""
    assert _text(page, "main h1") == item[f"fr_{title}"]
    assert _text(page, lead) == item[f"fr_{summary}"]
    notice = _notice(page)
    assert TRANSLATED_FROM_ENGLISH.search(notice.inner_text()), notice.inner_text()
    with page.expect_navigation():
        notice.get_by_role("link", name=SHOW_ORIGINAL).click()
    assert "original=1" in page.url
    assert page.locator("html").get_attribute("lang") == "fr"  # still the French interface
    assert _text(page, "main h1") == item[title]
    assert _text(page, lead) == item[summary]
    notice = _notice(page)
    assert SHOWN_AS_WRITTEN.search(notice.inner_text()), notice.inner_text()
    with page.expect_navigation():
        notice.get_by_role("link", name=SHOW_TRANSLATION).click()
    assert "original=1" not in page.url
    assert _text(page, "main h1") == item[f"fr_{title}"]


def _switch_to_french_by_keyboard(page: Any) -> None:
    """From English, the arrows go down to Español then Français; Enter opens the French page."""
    select = page.locator("#language-select")
    select.focus()
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    assert select.input_value() == "fr"
    assert page.locator("html").get_attribute("lang") == "en"  # the choice waits for Enter
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "fr"


def _switch_to_arabic_in_the_menu(page: Any) -> None:
    """At 320 px the switcher is in the header's menu: open it, choose العربيّة."""
    menu = page.locator(".header-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    select = page.locator("#language-select")
    assert select.locator("option[value=ar]").inner_text().strip() == "العربيّة"
    with page.expect_navigation():
        select.select_option("ar")
    assert page.locator("html").get_attribute("lang") == "ar"


def _right_to_left_without_overflow_or_violation(page: Any, axe_source: str, name: str) -> None:
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl"), name
    # Mirrored: the logo at the right-hand end of the header, the menu's button at the left.
    brand = page.locator(".brand").bounding_box()
    menu = page.locator(".header-menu > summary").bounding_box()
    assert brand["x"] > menu["x"] + menu["width"], f"{name}: the header is not mirrored"
    assert brand["x"] + brand["width"] > 320 / 2, f"{name}: the logo is not on the right"
    assert page.locator("main").evaluate("m => getComputedStyle(m).direction") == "rtl", name
    assert_fits_without_violation(page, f"{name} in Arabic", axe_source)


def _shots(page: Any, name: str) -> None:
    folder = os.environ.get("COCITY_SHOTS_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


def test_in_french_the_home_page_a_space_and_events_read_translated_with_the_original_a_click_away(
    page: Any, content: dict[str, Any]
) -> None:
    space, event = content["space"], content["event"]
    machine_space, machine_event = content["machine_space"], content["machine_event"]
    page.set_viewport_size({"width": 1280, "height": 900})

    # In English, the originals; then Français, chosen by keyboard in the header.
    page.goto("/")
    home = page.locator("main")
    assert home.get_by_role("link", name=space["name"], exact=True).is_visible()
    _switch_to_french_by_keyboard(page)
    assert urlsplit(page.url).path == "/"  # still the home page

    # The home page: the space's French name and summary, its city Athènes; the space that no
    # person translated, translated by machine.
    card = home.locator(".card").filter(has=page.get_by_role("link", name=space["fr_name"]))
    assert card.count() == 1, f"no card named {space['fr_name']!r} on the French home page"
    card_text = " ".join(card.inner_text().split())
    assert space["fr_summary"] in card_text
    assert "Athènes" in card_text and "Athens" not in card_text
    assert space["name"] not in home.inner_text()
    assert home.get_by_role("link", name=f"[fr] {machine_space['name']}", exact=True).is_visible()

    # The space, from its card: in Athènes; translated, and the original a click away.
    with page.expect_navigation():
        card.get_by_role("link", name=space["fr_name"]).click()
    assert urlsplit(page.url).path == f"/spaces/{space['slug']}/"
    assert "Athènes" in page.locator("main").inner_text()
    _shows_translation_then_original(page, space, "name", "summary")

    # The event in Vienna: French title and summary, "Vienne" where it takes place.
    page.goto(f"/events/{event['slug']}/")
    assert page.locator("html").get_attribute("lang") == "fr"  # the choice is remembered
    facts = " ".join(page.locator("main .facts").first.inner_text().split())
    assert "Vienne" in facts and "Vienna" not in facts
    assert space["fr_name"] in page.locator("main").inner_text()  # its space, in French
    _shows_translation_then_original(page, event, "title", "summary")
    assert (
        page.locator("main h1").get_attribute("lang"),
        page.locator("main .lead").first.get_attribute("lang"),
    ) == ("fr", "fr")
    _shots(page, "event-fr")

    # An event no person translated: the machine's, labelled, with the original a click away.
    page.goto(f"/events/{machine_event['slug']}/")
    assert _text(page, "main h1") == f"[fr] {machine_event['title']}"
    assert _text(page, "main h1 ~ .lead") == f"[fr] {machine_event['summary']}"
    notice = _notice(page)
    assert MACHINE_FROM_ENGLISH.search(notice.inner_text()), notice.inner_text()
    with page.expect_navigation():
        notice.get_by_role("link", name=SHOW_ORIGINAL).click()
    assert _text(page, "main h1") == machine_event["title"]
    assert page.locator("main h1").get_attribute("lang") == "en"


def test_in_french_the_pledge_campaign_reads_translated_with_its_signatories_cities(
    page: Any, content: dict[str, Any]
) -> None:
    campaign = content["campaign"]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/pledges/campaigns/{campaign['slug']}/")
    assert _text(page, "main h1") == campaign["name"]
    _switch_to_french_by_keyboard(page)
    assert urlsplit(page.url).path == f"/pledges/campaigns/{campaign['slug']}/"

    # Its French name and summary, translated from English, the original a click away.
    _shows_translation_then_original(page, campaign, "name", "summary")
    # The pledges' titles, which no person translated: the machine's.
    cards = page.locator("#campaign-pledges").inner_text()
    for title in content["pledges"]:
        assert f"[fr] {title}" in cards, title
    # The table by signatory: its City column (Vienna's pledge is the larger, first).
    cities = page.locator("#table-cities tbody tr td:first-of-type").all_inner_texts()
    assert [c.strip() for c in cities] == ["Vienne", "Athènes"]


def test_in_arabic_the_same_pages_mirror_without_overflow_or_axe_violation(
    axe_page: Any, axe_source: str, content: dict[str, Any]
) -> None:
    page = axe_page
    space, event, campaign = content["space"], content["event"], content["campaign"]
    # At 320 px, Arabic chosen in the header's menu on the event page.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/events/{event['slug']}/")
    _switch_to_arabic_in_the_menu(page)
    assert urlsplit(page.url).path == f"/events/{event['slug']}/"
    # The event is machine-translated into Arabic: the notice says so, with the original.
    assert _text(page, "main h1") == f"[ar] {event['title']}"
    assert _notice(page).get_by_role("link").count() == 1
    _shots(page, "event-ar")
    _right_to_left_without_overflow_or_violation(page, axe_source, "the event")
    for name, path in (
        ("the home page", "/"),
        ("the space", f"/spaces/{space['slug']}/"),
        ("the pledge campaign", f"/pledges/campaigns/{campaign['slug']}/"),
    ):
        page.goto(path)
        _right_to_left_without_overflow_or_violation(page, axe_source, name)
