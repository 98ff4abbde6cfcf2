"""Hostile input typed into real forms never runs in the browser: no dialog ever opens."""

from __future__ import annotations

from typing import Any

import pytest

from cocity.core.testing.corpus import BROWSER_INPUTS, HOSTILE_INPUTS

from .helpers import log_in, view_is_built


@pytest.mark.parametrize("name", BROWSER_INPUTS)
def test_no_dialog_fires_from_stored_or_searched_input(
    page: Any, dialogs: list[str], server: Any, name: str
) -> None:
    payload = HOSTILE_INPUTS[name]
    person = server.seed("person")
    log_in(page, person["email"], person["password"])

    page.goto("/me/")
    page.locator("main [name=display_name]").fill(payload[:120])
    page.locator("main [name=bio]").fill(payload)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"/people/{person['id']}/")
    page.goto("/")  # the header shows the display name on every page

    if view_is_built("cocity.network.views.spaces", "space_create"):
        page.goto("/spaces/new/")
        page.locator("main [name=name]").fill(f"Space {payload}"[:200])
        page.locator("main [name=summary]").fill(payload[:300])
        page.locator("main [name=description]").fill(payload)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        page.goto("/spaces/")
        page.goto(f"/spaces/?q={payload}")
    page.goto(f"/no-such-page/{payload}")
    page.wait_for_timeout(300)  # let any timer or load handler fire
    assert dialogs == []


def test_the_dialog_watch_itself_works(page: Any, dialogs: list[str], server: Any) -> None:
    page.goto("/")
    page.evaluate("setTimeout(() => alert('seen'), 0)")
    page.wait_for_timeout(200)
    assert dialogs == ["seen"]
