"""One idea from posting, through comments and supports, into a merged action, to a progress
update its author is notified of (in-app and by e-mail). Plus axe-core and 320px reflow on the
process, idea list, idea and plan pages."""

from __future__ import annotations

import time
from email.header import decode_header, make_header
from typing import Any

import pytest

from .helpers import log_in, log_out
from .test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS


@pytest.fixture(scope="module")
def plans_data(server: Any) -> dict[str, Any]:
    return server.seed("plans")


def test_idea_to_action_to_progress(page: Any, server: Any, plans_data: dict[str, Any]) -> None:
    process = f"/processes/{plans_data['process']}/"
    author, neighbour, organiser = (plans_data[k] for k in ("author", "neighbour", "organiser"))

    log_in(page, author["email"], author["password"])
    page.goto(process)
    page.get_by_role("link", name="Propose an idea").first.click()
    page.get_by_label("Title", exact=False).first.fill("Neighbourhood data on segregation")
    page.get_by_label("Description").fill("Count **per neighbourhood**, with residents.")
    page.get_by_role("button", name="Post the idea").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Neighbourhood data on segregation"
    idea_url = page.url
    log_out(page)

    log_in(page, neighbour["email"], neighbour["password"])
    page.goto(idea_url)
    page.get_by_label("Your comment").fill("Yes, and open data please.")
    page.get_by_label("Your stance").select_option("for")
    page.get_by_role("button", name="Post the comment").click()
    page.wait_for_load_state()
    assert "Yes, and open data please." in page.content()
    page.get_by_role("button", name="Support this idea").click()
    page.wait_for_load_state()
    assert page.locator("#support-count").inner_text().strip() == "1"
    log_out(page)

    log_in(page, organiser["email"], organiser["password"])
    page.goto(idea_url)
    page.get_by_role("link", name="Merge into an action").click()
    page.get_by_label("Neighbourhood data on segregation").check()
    page.get_by_label("Title of the new action").fill("Common data framework")
    page.get_by_role("button", name="Merge").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Common data framework"
    assert "Neighbourhood data on segregation" in page.locator("#source-ideas").inner_text()
    page.get_by_label("What happened").fill("Indicators agreed by the partners.")
    page.get_by_label("Progress (%)").fill("40")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="File the report").click()
    page.wait_for_load_state()
    assert page.locator("#action-progress").inner_text().strip() == "40%"
    log_out(page)

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        mails = [
            m
            for m in server.outbox()
            if author["email"] in str(m["To"])
            and "40%" in str(make_header(decode_header(str(m["Subject"]))))
        ]
        if mails:
            break
        time.sleep(0.3)
    assert mails, "the author gets an e-mail about the progress update"

    log_in(page, author["email"], author["password"])
    page.goto(idea_url)
    assert "Common data framework" in page.locator("#became-action").inner_text()
    page.goto("/participation/notifications/")
    assert (
        "Progress on “Common data framework”: 40%"
        in page.locator("#notification-list").inner_text()
    )


def test_plans_pages_accessible_and_reflow(
    axe_page: Any, page: Any, axe_source: str, plans_data: dict[str, Any]
) -> None:
    slug = plans_data["process"]
    paths = [f"/processes/{slug}/", f"/processes/{slug}/ideas/", f"/processes/{slug}/plan/"]
    axe_page.goto(f"/processes/{slug}/ideas/")
    first = axe_page.locator("#idea-list a").first
    if first.count():
        paths.append(first.get_attribute("href"))
    for path in paths:
        axe_page.goto(path)
        axe_page.add_script_tag(content=axe_source)
        violations = axe_page.evaluate(RUN_AXE_JS, AXE_TAGS)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert not blocking, (path, blocking)
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
