"""A newcomer's first visit, in a real browser against the real server."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

import pytest

from .helpers import (
    ACTIVE_JS,
    FOCUSABLE,
    MARK_FOCUSABLE_JS,
    is_signed_in,
    log_in,
    log_out,
    view_is_built,
)

PASSWORD = "a long enough password 42"


def test_newcomer_signs_up_confirms_the_email_logs_out_and_in(page: Any, server: Any) -> None:
    email = f"newcomer-{secrets.token_hex(4)}@example.org"
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Sign up").click()
    assert page.url.endswith("/accounts/signup/")
    page.get_by_label(re.compile(r"^E-?mail", re.I)).fill(email)
    page.get_by_label(re.compile(r"^Display name", re.I)).fill("Nadia Newcomer")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert not is_signed_in(page)  # mandatory e-mail verification comes first
    assert "/accounts/confirm-email/" in page.url

    mail = server.mail_to(email)
    link = server.link_in(mail, r"/accounts/confirm-email/[^/]+/")
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert is_signed_in(page), server.log()[-2000:]
    assert "Nadia Newcomer" in page.get_by_role("banner").inner_text()

    log_out(page)
    assert not is_signed_in(page)

    page.goto("/accounts/login/")
    page.locator("main input[name=password]").fill("not my password")
    page.locator("main input[name=login]").fill(email)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert not is_signed_in(page)
    assert page.locator("main").get_by_text(re.compile("not correct|incorrect", re.I)).count()

    log_in(page, email, PASSWORD)
    assert is_signed_in(page)
    assert "Nadia Newcomer" in page.get_by_role("banner").inner_text()


def test_switching_to_french_translates_the_interface(page: Any, server: Any) -> None:
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    english_heading = page.locator("main h1").inner_text()
    english_skip = page.locator(".skip-link").inner_text()
    with page.expect_navigation():  # the choice applies on change (site.js), no button
        page.get_by_label("Language").select_option("fr")
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/login/")  # back where we were
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("main h1").inner_text() != english_heading
    assert page.locator("main h1").inner_text().strip().lower() in {"connexion", "se connecter"}
    catalogue = Path(__file__).parents[2] / "src/cocity/locale/fr/LC_MESSAGES/django.po"
    if catalogue.exists():  # our own strings, once the French catalogue exists
        assert page.locator(".skip-link").inner_text() != english_skip
    page.goto("/")  # the choice sticks (cookie)
    assert page.locator("html").get_attribute("lang") == "fr"


def test_newcomer_joins_an_open_space(page: Any, server: Any) -> None:
    if not view_is_built("cocity.network.views.spaces", "space_detail"):
        pytest.skip("the space page is not built yet")
    data = server.seed("network")
    person = server.seed("person")
    log_in(page, person["email"], person["password"])
    page.goto("/spaces/")
    page.locator(f"main a[href$='/spaces/{data['open_space']}/']").first.click()
    page.wait_for_load_state()
    main = page.locator("main")
    main.get_by_role("button", name=re.compile(r"^join", re.I)).click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(data["open_space"])
    assert main.get_by_role("button", name=re.compile(r"leave", re.I)).count() == 1


def test_asking_to_join_a_space_on_request(page: Any, server: Any) -> None:
    if not view_is_built("cocity.network.views.spaces", "space_join"):
        pytest.skip("joining is not built yet")
    data = server.seed("network")
    person = server.seed("person")
    log_in(page, person["email"], person["password"])
    page.goto(f"/spaces/{data['request_space']}/")
    ask = re.compile(r"ask|request|join", re.I)
    page.locator("main").get_by_role("button", name=ask).first.click()
    page.wait_for_load_state()
    form = page.locator("main form textarea")
    if form.count():  # a page asking for a message first
        form.first.fill("I live nearby and would like to help.")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    text = page.locator("body").inner_text().lower()
    assert "request" in text or "asked" in text or "pending" in text


KEYBOARD_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


@pytest.mark.parametrize("path", KEYBOARD_PAGES)
def test_keyboard_only_skip_link_then_every_control_with_visible_focus(
    page: Any, server: Any, path: str
) -> None:
    page.goto(path)
    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE_JS)
    assert first is not None and "skip-link" in first["cls"], first
    assert first["visible"], "the skip link shows its focus"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")

    _every_control_reachable(page, path)


def _every_control_reachable(page: Any, path: str) -> None:
    page.goto(path)
    total = page.evaluate(MARK_FOCUSABLE_JS, FOCUSABLE)
    assert total > 3
    reached: set[str] = set()
    invisible: list[dict[str, Any]] = []
    for _ in range(total + 10):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE_JS)
        if active is None:
            continue
        if active["kbd"] is not None:
            if active["kbd"] in reached:
                break  # wrapped round
            reached.add(active["kbd"])
        if not active["visible"]:
            invisible.append(active)
    missing = page.evaluate(
        """(reached) => [...document.querySelectorAll('[data-kbd]')]
             .filter(el => !reached.includes(el.getAttribute('data-kbd')))
             .map(el => el.outerHTML.slice(0, 120))""",
        sorted(reached),
    )
    assert not missing, f"{path}: not reachable with Tab: {missing}"
    assert not invisible, f"{path}: focus not visible on {invisible}"


def test_keyboard_reaches_every_control_on_a_space_page(page: Any, server: Any) -> None:
    if not view_is_built("cocity.network.views.spaces", "space_detail"):
        pytest.skip("the space page is not built yet")
    data = server.seed("network")
    person = server.seed("person")
    log_in(page, person["email"], person["password"])
    _every_control_reachable(page, f"/spaces/{data['open_space']}/")
