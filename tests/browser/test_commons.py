"""A complex collaboration pact from proposal through the public window, a merged competing
proposal, co-design with a visible diff, the signatures of every party, to its first report.
Plus axe-core and 320px reflow on the registry, the map, the commons and the pact pages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .helpers import log_in, log_out
from .test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS


@pytest.fixture(scope="module")
def commons_data(server: Any) -> dict[str, Any]:
    return server.seed("commons")


def _state(page: Any) -> str:
    return str(page.locator("#pact-state").inner_text()).strip()


def _act(page: Any, button: str, reason_label: str | None = None, reason: str = "") -> None:
    if reason_label:
        page.get_by_label(reason_label).fill(reason)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def _commit_for_each_party(page: Any, parties: list[str]) -> None:
    for party in parties:
        page.get_by_role("link", name="Add a commitment").click()
        page.get_by_label("Party:", exact=True).select_option(label=party)
        page.get_by_label("Category").select_option("work")
        page.get_by_label("What this party commits to").fill(f"{party} does its part.")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()


def _propose(page: Any, title: str, *, complex_: bool = True) -> None:
    page.get_by_label("Title:", exact=True).fill(title)
    if complex_:
        page.get_by_label("Type:", exact=True).select_option("complex")
    page.get_by_label("Level of intervention").select_option("regeneration")
    page.get_by_label("Objectives").fill(f"{title}: reopen the ground floor.")
    page.get_by_label("Starts on").fill("2027-01-01")
    page.get_by_label("Ends on").fill("2031-12-31")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()


def test_complex_pact_from_proposal_to_first_report(page: Any, commons_data: dict) -> None:  # type: ignore[type-arg]
    resident, rival, officer = (commons_data[k] for k in ("resident", "rival", "officer"))
    city = page.context  # noqa: F841 (one browser context: people log in and out)

    # The resident proposes a complex pact for the vacant school.
    log_in(page, resident["email"], resident["password"])
    page.goto(f"/commons/registry/{commons_data['commons']}/")
    assert "Propose a pact" in page.content(), page.locator("main").inner_text()
    page.get_by_role("link", name="Propose a pact for this commons").click()
    _propose(page, "Neighbourhood hub")
    assert page.get_by_role("heading", level=1).inner_text() == "Neighbourhood hub"
    pact_url = page.url
    city_name = page.locator("#parties h3").first.inner_text()
    _act(page, "Submit the proposal")
    assert "Every party must make at least one commitment" in page.content()
    _commit_for_each_party(page, [city_name, resident["name"]])
    _act(page, "Submit the proposal")
    assert _state(page) == "submitted"
    log_out(page)

    # The officer publishes it and opens the public window.
    log_in(page, officer["email"], officer["password"])
    page.goto(pact_url)
    _act(page, "Publish and start the review")
    _act(
        page, "Open the public window", "Reason to open the public window (published)",
        "Executive decision 7/2027: a 60-day public window.",
    )  # fmt: skip
    assert _state(page) == "public window"
    log_out(page)

    # A rival comments and makes a competing proposal.
    log_in(page, rival["email"], rival["password"])
    page.goto(pact_url)
    page.get_by_label("Your comment").fill("Musicians need rooms too.")
    page.get_by_role("button", name="Publish the comment").click()
    page.wait_for_load_state()
    assert "Musicians need rooms too." in page.locator("#comment-list").inner_text()
    page.get_by_role("link", name="Make a competing proposal").click()
    _propose(page, "Music rooms", complex_=False)
    rival_url = page.url
    _commit_for_each_party(page, [city_name, rival["name"]])
    _act(page, "Submit the proposal")
    log_out(page)

    # The officer merges it, then closes the window and starts co-design.
    log_in(page, officer["email"], officer["password"])
    page.goto(rival_url)
    _act(
        page, "Merge into the pact it competes with",
        "Reason to merge into the pact it competes with (published)", "One co-design for both.",
    )  # fmt: skip
    assert _state(page) == "merged into another pact"
    page.goto(pact_url)
    assert rival["name"] in page.locator("#parties").inner_text()
    _act(
        page, "Close the window and start co-design",
        "Reason to close the window and start co-design (published)", "1 comment, 1 merged.",
    )  # fmt: skip
    assert _state(page) == "co-design"
    log_out(page)

    # The resident edits the shared draft; the diff shows the added line.
    log_in(page, resident["email"], resident["password"])
    page.goto(pact_url)
    page.get_by_role("link", name="Edit the shared draft").click()
    draft = page.get_by_label("Shared draft (Markdown)")
    draft.fill(draft.input_value() + "\nCourtyard open on summer evenings.\n")
    page.get_by_label("What you changed").fill("answer to the comment")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Version 2").click()
    assert "Courtyard open on summer evenings." in page.locator("#diff").inner_text()
    assert "added:" in page.locator("#diff").inner_text()

    # Every party signs: resident, rival, then the city through its officer.
    page.goto(pact_url)
    page.get_by_role("button", name=f"Sign for {resident['name']}").click()
    page.wait_for_load_state()
    log_out(page)
    log_in(page, rival["email"], rival["password"])
    page.goto(pact_url)
    page.get_by_role("button", name=f"Sign for {rival['name']}").click()
    page.wait_for_load_state()
    log_out(page)
    log_in(page, officer["email"], officer["password"])
    page.goto(pact_url)
    page.get_by_role("button", name=f"Sign for {city_name}").click()
    page.wait_for_load_state()
    assert _state(page) == "signed"
    assert len(re.findall("signed by", page.locator("#parties").inner_text())) == 3
    _act(page, "Start the pact")
    assert _state(page) == "active"
    log_out(page)

    # The first report, by the resident.
    log_in(page, resident["email"], resident["password"])
    page.goto(pact_url)
    page.get_by_role("link", name="File a progress report").click()
    page.get_by_label("Period from").fill("2027-01-01")
    page.get_by_label("Period until").fill("2027-06-30")
    page.get_by_label("What was done").fill("Homework club opened three afternoons a week.")
    page.get_by_label("Volunteer hours contributed").fill("240")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert _state(page) == "reported"
    assert page.locator("#pact-hours").inner_text() == "240"
    history = page.locator("#history").inner_text()
    for step in ("submitted", "public window", "co-design", "signed", "active", "reported"):
        assert step in history
    assert "Executive decision 7/2027" in history


def test_commons_pages_accessible_and_reflow(
    axe_page: Any, server: Any, axe_source: str, commons_data: dict
) -> None:  # type: ignore[type-arg]
    paths = [
        "/commons/",
        "/commons/map/",
        "/commons/registry/",
        f"/commons/registry/{commons_data['commons']}/",
        "/commons/calls/",
        *(f"/commons/pacts/{pk}/" for pk in _public_pact_ids(axe_page, server)),
    ]
    for path in paths:
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


def _public_pact_ids(page: Any, server: Any) -> list[int]:
    import json
    import urllib.request

    with urllib.request.urlopen(server.url + "/commons/map.geojson") as response:  # noqa: S310
        data = json.load(response)
    return [f["id"] for f in data["features"][:2]]
