"""Hubs (issue 16): from a lab's page a visitor reaches each kind of its work by clicking (an
event, a process, a library item, a pact, a pledge campaign, a data set) and every section's
"See all" list; the space, organisation and place pages pass axe-core and reflow at 320 px;
a signed-in person follows the space with the button, without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import log_in
from .test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS


@pytest.fixture(scope="module")
def hub_data(server: Any) -> dict[str, Any]:
    return server.seed("hub")


# (key of the seed's title, the section's id on the space page, what the work's page says)
WORK = [
    ("event", "hub-events", "event"),
    ("process", "hub-processes", "process"),
    ("item", "hub-library", "item"),
    ("pact", "hub-pacts", "pact"),
    ("campaign", "hub-campaigns", "campaign"),
    ("dataset", "hub-insights", "dataset"),
]


@pytest.mark.parametrize(("key", "section", "_what"), WORK)
def test_walk_from_the_space_to_each_kind_of_its_work(
    page: Any, hub_data: dict[str, Any], key: str, section: str, _what: str
) -> None:
    page.goto(hub_data["space"])
    card = page.locator(f"#{section}")
    card.get_by_role("link", name=hub_data[key], exact=True).click()
    page.wait_for_load_state()
    assert page.url != hub_data["space"]
    assert hub_data[key] in page.locator("main h1").inner_text()


def test_the_space_page_gathers_with_counts_see_all_and_latest(
    page: Any, hub_data: dict[str, Any]
) -> None:
    page.goto(hub_data["space"])
    for _key, section, _what in WORK:
        assert page.locator(f"#{section} .hub-count").inner_text() == "1"
    assert "Post ideas until" in page.locator("#hub-processes").inner_text()
    assert page.locator("#hub-processes progress").count() == 1
    assert page.locator(".hub-activity-list li").count() >= 5
    page.locator("#hub-events").get_by_role("link", name="See all").click()
    page.wait_for_load_state()
    assert "space=" in page.url
    assert hub_data["event"] in page.locator("main").inner_text()


def test_follow_the_space_with_the_button(page: Any, server: Any, hub_data: dict[str, Any]) -> None:
    person = server.seed("person")
    log_in(page, person["email"], person["password"])
    page.goto(hub_data["space"])
    page.get_by_role("button", name="Follow this space").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Stop following this space").is_visible()
    page.get_by_role("button", name="Stop following this space").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Follow this space").is_visible()


PAGES = ["space", "organisation", "city"]


@pytest.mark.parametrize("which", PAGES)
def test_hub_pages_accessible(
    axe_page: Any, axe_source: str, hub_data: dict[str, Any], which: str
) -> None:
    axe_page.goto(hub_data[which])
    assert hub_data["names"][which] in axe_page.locator("main h1").inner_text()
    axe_page.add_script_tag(content=axe_source)
    violations = axe_page.evaluate(RUN_AXE_JS, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']})\n    " + "\n    ".join(v["nodes"])
        for v in blocking
    )


@pytest.mark.parametrize("which", PAGES)
def test_hub_pages_reflow_at_320(page: Any, hub_data: dict[str, Any], which: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(hub_data[which])
    assert hub_data["names"][which] in page.locator("main h1").inner_text()
    assert page.locator(".hub-section").count() >= 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
