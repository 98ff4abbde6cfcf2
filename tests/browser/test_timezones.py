"""Time zones without homework, in a real Chromium set to a zone (Playwright's ``timezone_id``):
a visitor sees São Paulo times without choosing anything, a new account starts with the
device's zone, a signed-in person without one is offered it; and the start page (with axe)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from .helpers import log_in
from .test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS


@pytest.fixture
def zoned(browser: Any, server: Any) -> Iterator[Any]:
    """``zoned(zone)``: a fresh page in a browser context whose clock is in ``zone``."""
    contexts: list[Any] = []

    def open_page(zone: str, **options: Any) -> Any:
        context = browser.new_context(
            base_url=server.url, locale="en-GB", timezone_id=zone, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _cookie(page: Any, name: str) -> str | None:
    for cookie in page.context.cookies():
        if cookie["name"] == name:
            return str(cookie["value"])
    return None


def _viewer_part(page: Any, contains: str) -> str:
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('.zone-viewer')]"
        ".some((el) => el.textContent.includes(text))",
        arg=contains,
    )
    return str(page.locator(".zone-viewer").first.inner_text())


def test_a_visitor_sees_times_in_the_browser_zone_without_choosing(zoned: Any, server: Any):
    data = server.seed("events")  # a session at 15:00 UTC, organised in Paris time
    page = zoned("America/Sao_Paulo")
    page.goto(f"/events/{data['slug']}/")
    # The script stores the zone and loads the page once more, now in São Paulo time.
    first = _viewer_part(page, "São Paulo time")
    assert re.search(r"12:00\u201314:00 \(São Paulo time\)", first), first
    when = page.locator("section[aria-labelledby=when-heading]").inner_text()
    assert "Paris time" in when and "-03" not in when
    assert _cookie(page, "cocity_tz") == "America/Sao_Paulo"
    assert (
        "Times are shown in São Paulo time. (America/Sao_Paulo)"
        in page.locator("footer").inner_text()
    )
    # Another visitor, in Tokyo, gets their own copy of the cached page.
    tokyo = zoned("Asia/Tokyo")
    tokyo.goto(f"/events/{data['slug']}/")
    assert "00:00" in _viewer_part(tokyo, "Tokyo time")
    # A zone the visitor chose in the footer is never overridden by the device's.
    tokyo.goto(f"/events/{data['slug']}/")
    tokyo.get_by_label("Show times in").fill("Europe/Athens")
    tokyo.get_by_role("button", name="Apply").click()
    assert "Athens time" in _viewer_part(tokyo, "Athens time")
    tokyo.goto("/events/")
    tokyo.wait_for_load_state("networkidle")
    assert "Times are shown in Athens time. (Europe/Athens)" in tokyo.locator("footer").inner_text()


def test_without_javascript_the_site_zone_and_the_footer_form_remain(browser: Any, server: Any):
    data = server.seed("events")
    context = browser.new_context(
        base_url=server.url, locale="en-GB", timezone_id="Asia/Tokyo", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(f"/events/{data['slug']}/")
        assert "Tokyo time" not in page.content()
        assert (
            "Times are shown in Brussels time. (Europe/Brussels)"
            in page.locator("footer").inner_text()
        )
        page.get_by_label("Show times in").fill("Asia/Tokyo")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_load_state()
        assert "Tokyo time" in page.locator(".zone-viewer").first.inner_text()
    finally:
        context.close()


def test_a_new_account_starts_with_the_device_zone(zoned: Any, server: Any):
    page = zoned("Asia/Tokyo")
    page.goto("/accounts/signup/")
    page.wait_for_function(
        "() => document.querySelector('input[name=time_zone]').value === 'Asia/Tokyo'"
    )
    email = "tokyo-newcomer@example.org"
    page.locator("main input[name=email]").fill(email)
    page.locator("main input[name=password1]").fill("a long enough passphrase")
    page.locator("main input[name=password2]").fill("a long enough passphrase")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(server.link_in(server.mail_to(email), r"/accounts/confirm-email/"))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/start/$"))  # a new account lands on its start page
    page.goto("/me/")  # the profile itself, not only the visitor's cookie, says Tokyo
    assert page.locator("select[name=time_zone]").input_value() == "Asia/Tokyo"


def test_a_signed_in_person_without_a_zone_is_offered_the_device_zone(
    zoned: Any, server: Any, axe_source: str
):
    data = server.seed("start", zone="")
    page = zoned("Asia/Seoul", bypass_csp=True)
    log_in(page, data["email"], data["password"])
    offer = page.locator("#timezone-offer")
    offer.wait_for(state="visible")
    assert "Show times in Asia/Seoul, your device's zone?" in offer.inner_text()
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE_JS, AXE_TAGS)
    assert not [v for v in violations if v["impact"] in BLOCKING], violations
    # Keyboard: the offer's button is reached and used like any other.
    offer.get_by_role("button", name="Use it").focus()
    offer.get_by_role("button", name="Use it").click()
    page.wait_for_load_state()
    assert "Times are now shown in Asia/Seoul." in page.content()
    assert page.locator("#timezone-offer").count() == 0
    page.goto("/me/")
    assert page.locator("select[name=time_zone]").input_value() == "Asia/Seoul"


def test_not_now_hides_the_offer(zoned: Any, server: Any):
    data = server.seed("start", zone="")
    page = zoned("Asia/Seoul")
    log_in(page, data["email"], data["password"])
    page.locator("#timezone-offer").get_by_role("button", name="Not now").click()
    assert not page.locator("#timezone-offer").is_visible()
    page.goto("/events/")
    page.wait_for_load_state("networkidle")
    assert not page.locator("#timezone-offer").is_visible()


def test_the_start_page(zoned: Any, server: Any, axe_source: str):
    data = server.seed("start")
    page = zoned("America/Sao_Paulo", bypass_csp=True)
    log_in(page, data["email"], data["password"])
    page.wait_for_url(re.compile(r"/start/$"))  # where logging in leads
    main = page.locator("main")
    assert page.get_by_role("heading", level=1).inner_text() == "Your start page"
    sessions = page.locator("#start-events").inner_text()
    assert data["event"] in sessions and "(São Paulo time)" in sessions
    assert "Paris time" in sessions
    assert data["process"] in page.locator("#start-processes").inner_text()
    assert "Post ideas until" in page.locator("#start-processes").inner_text()
    assert "1 unread notification." in page.locator("#start-notifications").inner_text()
    assert "Your first steps" not in main.inner_text()
    # The person's menu leads there.
    page.goto("/events/")
    page.locator("details.account-menu summary").click()
    page.get_by_role("link", name="Your start page").click()
    page.wait_for_url(re.compile(r"/start/$"))
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE_JS, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, blocking
    # 320 CSS pixels: no horizontal scrolling.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= 320")
