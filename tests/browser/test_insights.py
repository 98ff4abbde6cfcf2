"""A demo city's insights page: the map (SVG, legend, the table equivalent), the equity table,
axe-core with no serious or critical violation and no horizontal scrolling at 320 px."""

from __future__ import annotations

from typing import Any

import pytest

from .test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS


@pytest.fixture(scope="module")
def insights_data(server: Any) -> dict[str, Any]:
    return server.seed("insights")


def test_city_page_shows_map_legend_table_and_equity(page: Any, insights_data: dict) -> None:  # type: ignore[type-arg]
    page.goto(f"/insights/{insights_data['city']}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Insights: Brussels"
    svg = page.locator("figure.insights-map svg[role=img]")
    assert svg.count() == 1
    assert page.locator("figure.insights-map svg path[d] title").count() >= 4
    # Quantile classes (up to five: fewer when values tie) and "no data".
    assert 3 <= page.locator(".insights-legend li").count() <= 6
    assert page.locator(".insights-legend li").last.inner_text().strip().startswith("no data")
    assert page.get_by_role("table", name="The map as a table").count() == 1
    equity = page.locator("table.insights-equity")
    assert equity.locator("tbody tr").count() >= 4
    assert "Representation ratio" in equity.inner_text()
    # Choosing the participation map redraws it (no script needed: a GET form).
    page.get_by_label("Show", exact=True).select_option("representation")
    page.get_by_role("button", name="Show on the map").click()
    page.wait_for_load_state()
    assert "representation" in page.url
    assert "Participation: representation ratio" in page.locator("figcaption").inner_text()
    page.goto("/insights/")
    assert page.get_by_role("link", name="Brussels").count() == 1


@pytest.mark.parametrize(
    "path", ["/insights/", "/insights/BE-BRU/", "/insights/FR-MRS/?measure=representation"]
)
def test_insights_pages_are_accessible(
    axe_page: Any,
    axe_source: str,
    insights_data: dict,  # type: ignore[type-arg]
    path: str,
) -> None:
    response = axe_page.goto(path)
    assert response is not None and response.status == 200, path
    axe_page.add_script_tag(content=axe_source)
    violations = axe_page.evaluate(RUN_AXE_JS, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, blocking
    axe_page.set_viewport_size({"width": 320, "height": 800})
    axe_page.goto(path)
    width = axe_page.evaluate("document.documentElement.scrollWidth")
    culprits = axe_page.evaluate(
        """() => [...document.querySelectorAll('body *')]
             .filter(el => el.getBoundingClientRect().right > 320.5)
             .slice(0, 8).map(el => el.tagName.toLowerCase() + '.' + el.className
               + ' right=' + Math.round(el.getBoundingClientRect().right))"""
    )
    assert width <= 320, f"{path}: {width}px wide at 320px: {culprits}"
