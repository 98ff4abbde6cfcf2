"""The compact header (base.html, docs/design.md) in a real browser: at 320 px its "Menu" button
opens the destinations by keyboard; the language applies on change, without a button; at 1280 px
the destinations are a row without the button; and without JavaScript both still work."""

from __future__ import annotations

from typing import Any

DESTINATIONS = ["Spaces", "Events", "Processes", "Commons", "Pledges", "Library"]


def _narrow(browser: Any, server: Any, **options: Any) -> Any:
    context = browser.new_context(
        base_url=server.url, locale="en-GB", viewport={"width": 320, "height": 700}, **options
    )
    context.set_default_timeout(10_000)
    return context


def _tab_to(page: Any, selector: str, limit: int = 30) -> None:
    """Press Tab until ``selector`` has the focus (a keyboard user's way there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_at_320_px_the_menu_button_opens_the_menu_by_keyboard(browser: Any, server: Any) -> None:
    context = _narrow(browser, server)
    page = context.new_page()
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()  # folded behind the button
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scroll
    _tab_to(page, ".header-menu > summary")
    page.keyboard.press("Enter")
    assert nav.is_visible()
    for name in DESTINATIONS:
        assert nav.get_by_role("link", name=name, exact=True).is_visible()
    # The next Tab stops are the menu's links, in order, visibly focused.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Spaces"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    # Escape closes it and gives the focus back to its button.
    page.keyboard.press("Escape")
    assert not nav.is_visible()
    assert page.evaluate("document.activeElement.matches('.header-menu > summary')")
    # Following a destination marks it as the current page.
    page.keyboard.press("Enter")
    with page.expect_navigation():
        nav.get_by_role("link", name="Events", exact=True).click()
    page.locator(".header-menu > summary").click()
    current = page.get_by_role("navigation", name="Main").locator("[aria-current=page]")
    assert current.inner_text().strip() == "Events"
    context.close()


def test_the_language_applies_on_change_without_a_button(browser: Any, server: Any) -> None:
    context = _narrow(browser, server)
    page = context.new_page()
    page.goto("/events/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".header-menu > summary").click()
    # No visible button next to the language: the choice itself applies.
    switcher = page.locator("form.language-switcher")
    assert switcher.locator("button:visible").count() == 0
    _tab_to(page, "#language-select")
    with page.expect_navigation():
        page.locator("#language-select").select_option("fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.url.endswith("/events/")  # back where we were
    assert page.locator(".header-menu > summary").inner_text().strip() == "Menu"
    context.close()


def test_at_1280_px_the_destinations_are_a_row_and_the_person_menu_a_disclosure(
    browser: Any, server: Any
) -> None:
    data = server.seed("person")
    context = browser.new_context(
        base_url=server.url, locale="en-GB", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    from .helpers import log_in

    log_in(page, data["email"], data["password"])
    page.goto("/")
    assert not page.locator(".header-menu > summary").is_visible()
    nav = page.get_by_role("navigation", name="Main")
    tops = {
        round(nav.get_by_role("link", name=n, exact=True).bounding_box()["y"]) for n in DESTINATIONS
    }
    assert len(tops) == 1, "the six destinations sit on one line"
    assert page.get_by_role("search").get_by_role("searchbox").is_visible()
    account = page.locator("details.account-menu")
    assert account.get_attribute("open") is None
    account.locator("summary").focus()
    page.keyboard.press("Enter")
    menu = page.get_by_role("navigation", name="Your account")
    assert menu.get_by_role("link", name="Your profile").is_visible()
    assert menu.get_by_role("link", name="Notifications").is_visible()
    assert menu.get_by_role("button", name="Log out").is_visible()
    context.close()


def test_without_javascript_the_menu_opens_and_the_language_has_its_button(
    browser: Any, server: Any
) -> None:
    context = _narrow(browser, server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/library/")
    page.locator(".header-menu > summary").click()  # <details> needs no script
    assert page.get_by_role("navigation", name="Main").is_visible()
    page.locator("#language-select").select_option("fr")
    with page.expect_navigation():
        page.locator("form.language-switcher").get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.url.endswith("/library/")
    context.close()
