"""Done means: find the webinar, see its time in your own zone, register, receive the mail with
the .ics, see the link, cancel, and see the next person on the wait list promoted. Plus axe-core
and 320px reflow on the event list and the event page."""

from __future__ import annotations

import re
from typing import Any

from .helpers import log_in, log_out
from .test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS

SECRET = "secret-room"


def test_find_register_cancel_and_wait_list_promoted(page: Any, server: Any) -> None:
    data = server.seed("events")
    log_in(page, data["first"], data["password"])
    page.goto("/events/")
    # The filters' words (not the header's search, nor the list's own search box).
    page.locator("main #id_q").fill(data["title"])
    page.get_by_role("button", name="Show events").click()
    # The filters answer by htmx on "change" and on "submit": let both swaps land before clicking
    # a result, or the click can hit a link that a late swap replaces.
    page.wait_for_url(re.compile(r"[?&]q="))
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=data["title"]).click()
    page.wait_for_url(re.compile(rf"/events/{re.escape(data['slug'])}/$"))
    when = page.locator("section[aria-labelledby=when-heading]").inner_text()
    assert "(São Paulo time)" in when  # the person's zone first (cocity.core.timezones)
    assert "Paris time" in when
    assert SECRET not in page.content()
    page.get_by_role("button", name="Register").click()
    assert "You are registered" in page.content()
    assert SECRET in page.content()  # the link, now that a place is confirmed
    mail = server.mail_to(data["first"])
    ics = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert ics, "the confirmation carries an .ics"
    body = ics[0].get_payload(decode=True).decode()
    assert "METHOD:REQUEST" in body and "BEGIN:VEVENT" in body
    cancel_path = server.link_in(mail, r"/events/registrations/cancel/")
    log_out(page)

    # The second person joins the wait list.
    log_in(page, data["second"], data["password"])
    page.goto(f"/events/{data['slug']}/")
    page.get_by_role("button", name="Join the wait list").click()
    assert "wait list" in page.content() and SECRET not in page.content()
    log_out(page)

    # The first person cancels from the mail; the second is promoted and told.
    page.goto(cancel_path)
    page.get_by_role("button", name=re.compile("cancel my registration", re.I)).click()
    promoted = server.mail_to(data["second"], timeout=10)
    assert "A place is yours" in str(promoted["Subject"])
    log_in(page, data["second"], data["password"])
    page.goto(f"/events/{data['slug']}/")
    assert "You are registered" in page.content() and SECRET in page.content()


def test_event_pages_accessible_and_reflow(axe_page: Any, server: Any, axe_source: str) -> None:
    data = server.seed("events")
    for path in ("/events/", f"/events/{data['slug']}/", "/events/?when=past"):
        axe_page.set_viewport_size({"width": 1280, "height": 900})
        axe_page.goto(path)
        axe_page.add_script_tag(content=axe_source)
        violations = axe_page.evaluate(RUN_AXE_JS, AXE_TAGS)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert not blocking, (path, blocking)
        axe_page.set_viewport_size({"width": 320, "height": 800})
        axe_page.goto(path)
        overflow = axe_page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, (path, overflow)
