"""A city officer publishes a pledge with two measures, files a progress report, and the campaign
totals and the principle page change accordingly. Plus axe-core and 320px reflow on the campaign,
pledge and principle pages."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from .helpers import log_in
from .test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS


@pytest.fixture(scope="module")
def pledges_data(server: Any) -> dict[str, Any]:
    return server.seed("pledges")


def _eur(text: str) -> Decimal:
    """The first amount in euros of a text ("3,000,000.50 EUR")."""
    match = re.search(r"([\d,]+\.\d\d) EUR", text)
    assert match, text
    return Decimal(match.group(1).replace(",", ""))


def _text(page: Any, selector: str) -> str:
    return " ".join(page.locator(selector).inner_text().split())


def test_officer_publishes_a_pledge_and_reports(page: Any, pledges_data: dict[str, Any]) -> None:
    campaign = f"/pledges/campaigns/{pledges_data['campaign']}/"
    principle = f"/pledges/frameworks/{pledges_data['principle']}/"
    page.goto(campaign)
    assert _text(page, "#total-signatories") == "1"
    assert _text(page, "#total-converted") == "1,000,000.00 EUR"
    page.goto(principle)
    # The framework's principles are shared with the other tests' seeds: count from here.
    principle_pledges = int(_text(page, "#principle-pledges"))
    principle_eur = _eur(_text(page, "#principle-amounts"))
    assert principle_pledges >= 1

    officer = pledges_data["officer"]
    log_in(page, officer["email"], officer["password"])
    page.goto(campaign)
    page.get_by_role("link", name="Make a pledge").click()
    page.get_by_label("Pledging organisation").select_option(str(pledges_data["organisation"]))
    page.get_by_label("Title").fill("Nantes: jobs and housing for all")
    page.get_by_label("Statement").fill("Nantes commits to **two measures**.")
    page.get_by_label("4. Active support to employment").check()
    page.get_by_label("Signed by").fill("The mayor of Nantes")
    page.get_by_label("Signed on").fill("2024-01-10")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Nantes: jobs and housing for all"

    for description, amount in (("Job coaching", "1500000"), ("Housing first", "500000.50")):
        page.get_by_role("link", name="Add a measure").click()
        page.get_by_label("Description").fill(description)
        page.get_by_label("Budget").fill(amount)
        page.get_by_label("Currency").fill("EUR")
        page.get_by_label("Starts on").fill("2024-02-01")
        page.get_by_label("Ends on").fill("2027-12-31")
        page.get_by_label("Responsible department").fill("Social affairs")
        page.get_by_label("Target indicator").fill("People helped")
        page.get_by_label("Baseline value").fill("0")
        page.get_by_label("Target value").fill("1000")
        page.get_by_role("button", name="Add the measure").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name=f"{description}").count() == 1

    page.get_by_role("button", name="Publish the pledge").click()
    page.wait_for_load_state()
    assert "Pledge published." in page.content()

    page.get_by_role("link", name="File a progress report", exact=True).click()
    page.locator("select[name=measure]").select_option(label="Job coaching")
    page.get_by_label("Report date").fill("2024-06-30")
    page.get_by_label("Spent so far").fill("400000")
    page.get_by_label("Status").select_option("on_track")
    page.get_by_label("What happened").fill("First 300 people coached.")
    page.get_by_role("button", name="File the report").click()
    page.wait_for_load_state()
    assert "First 300 people coached." in page.content()

    page.goto(campaign)
    assert _text(page, "#total-signatories") == "2"
    assert _text(page, "#total-converted") == "3,000,000.50 EUR"
    assert "Ville de Nantes" in _text(page, "#table-cities")
    page.goto(principle)
    assert int(_text(page, "#principle-pledges")) == principle_pledges + 1
    assert "Nantes: jobs and housing for all" in page.content()
    assert _eur(_text(page, "#principle-amounts")) == principle_eur + Decimal("2000000.50")


def test_pledge_pages_accessible_and_reflow(
    axe_page: Any, page: Any, axe_source: str, pledges_data: dict[str, Any]
) -> None:
    paths = [
        f"/pledges/campaigns/{pledges_data['campaign']}/",
        f"/pledges/p/{pledges_data['pledge']}/",
        f"/pledges/frameworks/{pledges_data['principle']}/",
        "/pledges/",
    ]
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
