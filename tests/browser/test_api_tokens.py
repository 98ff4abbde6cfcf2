"""The access tokens page in a real browser, at 320 CSS pixels: make a token (the errors first,
then the secret shown once in a field one can select), then revoke it; no sideways scrolling and
no serious axe violation at each step, in English and in Arabic (right to left)."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import log_in
from .test_accessibility import assert_fits_without_violation


@pytest.mark.parametrize("language", ["en", "ar"])
def test_make_and_revoke_a_token_at_320_pixels(
    axe_page: Any, axe_source: str, server: Any, language: str
) -> None:
    person = server.seed("person")
    page = axe_page
    page.set_viewport_size({"width": 320, "height": 640})
    if language != "en":
        page.context.add_cookies([{"name": "cocity_language", "value": language,
                                   "url": server.url}])  # fmt: skip
    log_in(page, person["email"], person["password"])
    page.goto("/me/tokens/")
    assert_fits_without_violation(page, f"tokens page ({language})", axe_source)
    # Nothing chosen but the default scope, no name: the error is on the field.
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_name[aria-invalid=true]").count() == 1
    assert_fits_without_violation(page, f"tokens page with errors ({language})", axe_source)
    page.locator("#id_name").fill("My script")
    page.locator("input[name=scopes][value='write:plans']").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    secret = page.locator("#new-token-secret")
    assert secret.input_value().startswith("cct_")
    assert secret.get_attribute("readonly") is not None
    assert_fits_without_violation(page, f"a new token ({language})", axe_source)
    page.goto("/me/tokens/")
    assert page.locator("#new-token-secret").count() == 0
    page.locator("main a[href$='/revoke/']").first.click()
    page.wait_for_load_state()
    assert_fits_without_violation(page, f"revoking a token ({language})", axe_source)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/me/tokens/")
    assert page.locator("main a[href$='/revoke/']").count() == 0
