"""axe-core on every main page (WCAG 2.2 AA rule set: no serious or critical violation), and
every page at 320 CSS pixels wide without horizontal scrolling (WCAG 1.4.10 Reflow)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from .helpers import log_in, view_is_built

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}

RUN_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
  }));
}
"""


@dataclass(frozen=True)
class Page:
    name: str
    path: Callable[[dict[str, Any]], str]
    signed_in: bool = False
    status: int = 200
    view: tuple[str, str] | None = None  # skipped while this view is a placeholder


NETWORK = "cocity.network.views."
PAGES = [
    Page("home", lambda d: "/"),
    Page("login", lambda d: "/accounts/login/"),
    Page("signup", lambda d: "/accounts/signup/"),
    Page("password reset", lambda d: "/accounts/password/reset/"),
    Page("spaces", lambda d: "/spaces/", view=(NETWORK + "spaces", "space_list")),
    Page(
        "a space",
        lambda d: f"/spaces/{d['network']['open_space']}/",
        view=(NETWORK + "spaces", "space_detail"),
    ),
    Page(
        "a space, signed in",
        lambda d: f"/spaces/{d['network']['open_space']}/",
        signed_in=True,
        view=(NETWORK + "spaces", "space_detail"),
    ),
    Page(
        "new space",
        lambda d: "/spaces/new/",
        signed_in=True,
        view=(NETWORK + "spaces", "space_create"),
    ),
    Page(
        "organisations",
        lambda d: "/organisations/",
        view=(NETWORK + "organisations", "organisation_list"),
    ),
    Page(
        "an organisation",
        lambda d: f"/organisations/{d['network']['organisation']}/",
        view=(NETWORK + "organisations", "organisation_detail"),
    ),
    Page(
        "new organisation",
        lambda d: "/organisations/new/",
        signed_in=True,
        view=(NETWORK + "organisations", "organisation_create"),
    ),
    Page("places", lambda d: "/places/", view=(NETWORK + "territories", "territory_list")),
    Page(
        "a place",
        lambda d: f"/places/{d['network']['territory']}/",
        view=(NETWORK + "territories", "territory_detail"),
    ),
    Page(
        "a topic",
        lambda d: f"/topics/{d['network']['topic']}/",
        view=(NETWORK + "territories", "topic_detail"),
    ),
    Page(
        "a profile",
        lambda d: f"/people/{d['network']['admin']['id']}/",
        view=("cocity.accounts.views", "profile"),
    ),
    Page(
        "my profile (edit)",
        lambda d: "/me/",
        signed_in=True,
        view=("cocity.accounts.views", "me"),
    ),
    Page("not found", lambda d: "/no-such-page/", status=404),
]


@pytest.fixture(scope="session")
def site_data(server: Any) -> dict[str, Any]:
    return {"network": server.seed("network"), "person": server.seed("person")}


def _open(page: Any, spec: Page, site_data: dict[str, Any]) -> None:
    if spec.view and not view_is_built(*spec.view):
        pytest.skip(f"{spec.name}: the page is not built yet")
    if spec.signed_in:
        person = site_data["person"]
        log_in(page, person["email"], person["password"])
    response = page.goto(spec.path(site_data))
    assert response is not None and response.status == spec.status, spec.path(site_data)


@pytest.mark.parametrize("spec", PAGES, ids=[p.name for p in PAGES])
def test_no_serious_accessibility_violation(
    axe_page: Any, axe_source: str, site_data: dict[str, Any], spec: Page
) -> None:
    _open(axe_page, spec, site_data)
    axe_page.add_script_tag(content=axe_source)
    violations = axe_page.evaluate(RUN_AXE_JS, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']})\n    " + "\n    ".join(v["nodes"])
        for v in blocking
    )


@pytest.mark.parametrize("spec", PAGES, ids=[p.name for p in PAGES])
def test_no_horizontal_scrolling_at_320_pixels(
    page: Any, site_data: dict[str, Any], spec: Page
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    _open(page, spec, site_data)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                 .filter(el => el.getBoundingClientRect().right > 320.5)
                 .slice(0, 8).map(el => el.tagName.toLowerCase() + '.' + el.className
                   + ' right=' + Math.round(el.getBoundingClientRect().right))"""
        )
        pytest.fail(f"{spec.name}: {width}px wide at 320px; too wide: {culprits}")


# --- The same pages in Arabic, right to left (docs/design.md, "Right to left") ----------------


def assert_fits_without_violation(page: Any, name: str, axe_source: str) -> None:
    """No sideways scrolling at the page's width (in a right-to-left page, overflow goes to the
    left), then no serious or critical axe violation; ``name`` says which page failed."""
    widths = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    if widths[0] > widths[1]:
        culprits = page.evaluate(OVERFLOW_CULPRITS_JS)
        pytest.fail(f"{name}: {widths[0]}px wide at {widths[1]}px; too wide: {culprits}")
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE_JS, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{name}:\n" + "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']})\n    " + "\n    ".join(v["nodes"])
        for v in blocking
    )


OVERFLOW_CULPRITS_JS = """() => [...document.querySelectorAll('body *')]
  .filter(el => { const r = el.getBoundingClientRect();
                  return r.width && (r.left < -0.5 || r.right > innerWidth + 0.5); })
  .slice(0, 8).map(el => el.tagName.toLowerCase() + '.' + el.className
    + ' left=' + Math.round(el.getBoundingClientRect().left)
    + ' right=' + Math.round(el.getBoundingClientRect().right))"""


def _in_language(page: Any, server: Any, code: str) -> None:
    """The language a visitor chose with the switcher (its cookie), before the first page."""
    page.context.add_cookies([{"name": "cocity_language", "value": code, "url": server.url}])


@pytest.mark.parametrize("spec", PAGES, ids=[p.name for p in PAGES])
def test_every_main_page_mirrors_in_arabic_without_overflow_or_violation(
    axe_page: Any, axe_source: str, server: Any, site_data: dict[str, Any], spec: Page
) -> None:
    axe_page.set_viewport_size({"width": 320, "height": 640})
    _in_language(axe_page, server, "ar")
    _open(axe_page, spec, site_data)
    html = axe_page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    # Mirrored: the logo sits at the right-hand end of the header, the menu at the left.
    brand = axe_page.locator(".brand").bounding_box()
    menu = axe_page.locator(".header-menu > summary").bounding_box()
    assert brand["x"] > menu["x"], f"{spec.name}: the header is not mirrored"
    assert_fits_without_violation(axe_page, f"{spec.name} in Arabic", axe_source)


LANGUAGE_NAMES = {
    "ar": "العربيّة",
    "de": "Deutsch",
    "el": "Ελληνικά",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "nl": "Nederlands",
}


def test_the_switcher_names_seven_languages_in_their_own_words_and_works_by_keyboard(
    page: Any,
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/events/")
    options = page.locator("#language-select option")
    offered = [
        (o.get_attribute("value"), o.get_attribute("lang"), o.inner_text().strip())
        for o in options.all()
    ]
    assert offered == [(code, code, name) for code, name in LANGUAGE_NAMES.items()]
    # From English, the arrows go past Ελληνικά without opening the Greek page: the choice
    # waits for Enter (a closed select changes with each arrow; docs/design.md).
    page.locator("#language-select").focus()
    page.keyboard.press("ArrowUp")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#language-select").input_value() == "el"
    apply = page.locator("form.language-switcher").get_by_role("button", name="Change")
    assert apply.is_visible()  # a visible way to apply, next in the tab order
    page.keyboard.press("ArrowUp")
    assert page.locator("#language-select").input_value() == "de"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.url.endswith("/events/")
    # And to Arabic: the page turns right to left.
    page.locator("#language-select").focus()
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('[data-autosubmit-apply]')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"


def test_text_in_another_language_keeps_its_own_direction(
    page: Any, server: Any, site_data: dict[str, Any]
) -> None:
    """An English title shown on an Arabic page (lang="en" on its element) runs left to right,
    so its full stop stays at its end; what one types runs in its own direction too."""
    _in_language(page, server, "ar")
    page.goto("/")
    # The home page's latest spaces, written in English: their names and summaries say so.
    english = page.locator("main .card [lang=en]")
    assert english.count() >= 2
    assert set(english.evaluate_all("els => els.map(e => getComputedStyle(e).direction)")) == {
        "ltr"
    }
    found = page.evaluate(
        """() => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend',
            '<p id="t-en" lang="en">Open day!</p><p id="t-ar">نص</p>'
            + '<p><span id="t-inline" lang="fr">Vienne.</span></p>');
          const style = (id) => getComputedStyle(document.getElementById(id));
          const input = document.querySelector('#header-search-input');
          return [style('t-en').direction, style('t-ar').direction,
                  style('t-inline').unicodeBidi, style('t-inline').direction,
                  getComputedStyle(input).unicodeBidi];
        }"""
    )
    assert found == ["ltr", "rtl", "isolate", "ltr", "plaintext"]
