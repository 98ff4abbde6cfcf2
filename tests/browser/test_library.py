"""The library journey: an item drafted, translated, reviewed and published; found by a word of
its French body and of its English translation; a need matched to a peer and a contact request
exchanged. Plus axe-core and 320px reflow on the library list, an item page and search."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from .helpers import log_in, log_out
from .test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS


@pytest.fixture(scope="module")
def library_data(server: Any) -> dict[str, Any]:
    return server.seed("library")


def _mail_to(server: Any, address: str) -> list[str]:
    return [
        p.read_text(errors="replace")
        for p in sorted(server.mail_dir.glob("*"))
        if address in p.read_text(errors="replace")
    ]


def test_publish_through_review_and_find_in_two_languages(page: Any, library_data: dict) -> None:  # type: ignore[type-arg]
    word = secrets.token_hex(3)
    french, english = f"passerelle{word}", f"gateway{word}"
    author, editor = library_data["author"], library_data["editor"]
    log_in(page, author["email"], author["password"])
    page.goto("/library/new/")
    page.locator("main [name=space]").select_option(label=library_data["space"])
    page.locator("main [name=kind]").select_option("policy_example")
    page.locator("main [name=title]").fill(f"Logement d'abord {word}")
    page.locator("main [name=summary]").fill("Un accès direct au logement.")
    page.locator("main [name=body]").fill(f"La ville crée une {french} vers le logement durable.")
    page.locator("main [name=language]").select_option("fr")
    page.locator("main [name=published_on]").fill("2025-03-14")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_load_state()
    item_url = page.url
    page.get_by_role("link", name="Add a translation").click()
    page.locator("main [name=language]").select_option("en")
    page.locator("main [name=title]").fill(f"Housing first {word}")
    page.locator("main [name=summary]").fill("Direct access to housing.")
    page.locator("main [name=body]").fill(f"The city builds a {english} into lasting housing.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    log_out(page)

    log_in(page, editor["email"], editor["password"])
    page.goto(item_url)
    page.locator("main [name=comment]").fill("Clear and useful, thank you.")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    log_out(page)

    for query in (french, english):
        page.goto(f"/search/?q={query}")
        hits = page.locator(".search-hits")
        assert f"Logement d'abord {word}" in hits.inner_text()
        assert hits.locator("mark").count() >= 1


def test_need_finds_peer_and_contact_is_exchanged(
    page: Any,
    server: Any,
    library_data: dict,  # type: ignore[type-arg]
) -> None:
    asker, answerer = library_data["asker"], library_data["answerer"]
    log_in(page, asker["email"], asker["password"])
    page.goto(f"/library/peers/{library_data['need']}/")
    peer = page.locator("li.card", has_text=library_data["toulouse"]).last
    assert "ran the practice" in peer.inner_text()
    peer.locator("[name=message]").fill("Could our officers visit your team?")
    peer.get_by_role("button").click()
    page.wait_for_load_state()
    assert "request was sent" in page.content()
    assert _mail_to(server, answerer["email"])
    assert not any(asker["email"] in m for m in _mail_to(server, answerer["email"]))
    log_out(page)

    log_in(page, answerer["email"], answerer["password"])
    page.goto("/library/contacts/")
    assert asker["email"] not in page.content()
    page.get_by_role("button", name="Accept and share addresses").click()
    page.wait_for_load_state()
    assert asker["email"] in page.content()
    assert any(answerer["email"] in m for m in _mail_to(server, asker["email"]))


PAGES = ["/library/", "ITEM", "/search/?q=housing", "/library/peers/"]


@pytest.mark.parametrize("path", PAGES)
def test_library_pages_accessible(
    axe_page: Any,
    axe_source: str,
    library_data: dict,
    path: str,  # type: ignore[type-arg]
) -> None:
    axe_page.goto(library_data["item"] if path == "ITEM" else path)
    axe_page.add_script_tag(content=axe_source)
    violations = axe_page.evaluate(RUN_AXE_JS, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, blocking


@pytest.mark.parametrize("path", PAGES)
def test_library_pages_reflow_at_320(page: Any, library_data: dict, path: str) -> None:  # type: ignore[type-arg]
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(library_data["item"] if path == "ITEM" else path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
