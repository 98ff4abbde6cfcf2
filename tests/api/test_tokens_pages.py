"""The personal access tokens page (/me/tokens/): make a token (its secret shown once), see
them with their scopes and last use, revoke one after confirming; only one's own."""

import re

import pytest
from django.urls import reverse

from cocity.api.models import ApiToken
from cocity.api.services import MAX_TOKENS, token_create

pytestmark = pytest.mark.django_db


def _secret(html: str) -> str:
    found = re.search(r'id="new-token-secret" value="([^"]+)"', html)
    assert found, "the new token is shown in a field"
    return found.group(1)


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get("/me/tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.post("/me/tokens/", {"name": "x", "scopes": ["read"]}).status_code == 302
    assert not ApiToken.objects.exists()


def test_the_page_offers_every_scope_with_its_explanation_in_a_fieldset(client, user_factory):
    client.force_login(user_factory())
    response = client.get(reverse("api_tokens"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<fieldset" in html and "<legend" in html
    for scope in ("read", "write:events", "write:plans", "write:network", "write:pledges"):
        assert f'value="{scope}"' in html
    assert "post ideas, support them and comment on them" in html
    assert '<label for="id_name"' in html
    assert "You have no token yet." in html


def test_a_token_is_made_and_its_secret_shown_once(client, user_factory, api_get):
    person = user_factory()
    client.force_login(person)
    response = client.post(
        "/me/tokens/", {"name": "  City website ", "scopes": ["read", "write:plans"]}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secret = _secret(html)
    token = ApiToken.objects.get()
    assert token.user == person and token.name == "City website"
    assert token.scopes == ["read", "write:plans"]
    assert secret.startswith(f"cct_{token.key_prefix}_") and token.key_hash != secret
    # It works, and the list shows its scopes, creation and last use.
    assert api_get("/me", token=secret).json()["id"] == person.pk
    html = client.get("/me/tokens/").content.decode()
    assert secret not in html  # never again
    assert "City website" in html and "write:plans" in html
    assert "Never" not in html  # it was used just now
    assert f"cct_{token.key_prefix}_" in html


def test_invalid_input_is_shown_on_the_form_and_nothing_is_written(client, user_factory):
    client.force_login(user_factory())
    for data in (
        {"name": "", "scopes": ["read"]},
        {"name": "script", "scopes": []},
        {"name": "script", "scopes": ["admin"]},
        {"name": "\x01\x02", "scopes": ["read"]},
        {"name": "x" * 5000, "scopes": ["read"]},
    ):
        response = client.post("/me/tokens/", data)
        assert response.status_code == 400, data
        html = response.content.decode()
        assert 'aria-invalid="true"' in html
        assert "new-token-secret" not in html
    assert not ApiToken.objects.exists()


def test_the_service_s_refusal_is_shown_on_the_form(client, user_factory):
    person = user_factory()
    for n in range(MAX_TOKENS):
        token_create(user=person, name=f"t{n}", scopes=["read"])
    client.force_login(person)
    response = client.post("/me/tokens/", {"name": "one more", "scopes": ["read"]})
    assert response.status_code == 400
    assert "revoke one first" in response.content.decode()
    assert ApiToken.objects.count() == MAX_TOKENS


def test_revoking_asks_first_then_the_token_stops_working(client, user_factory, api_get):
    person = user_factory()
    token, secret = token_create(user=person, name="old script", scopes=["read"])
    client.force_login(person)
    url = reverse("api_token_revoke", args=[token.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "old script" in page.content.decode() and 'method="post"' in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/me/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_get("/me", token=secret).status_code == 401
    html = client.get("/me/tokens/").content.decode()
    assert f'id="token-{token.pk}-name"' not in html and "is revoked" in html
    assert client.post(url).status_code == 404  # already revoked


def test_someone_else_s_token_is_not_found(client, user_factory):
    token, _secret = token_create(user=user_factory(), name="theirs", scopes=["read"])
    client.force_login(user_factory())
    assert "theirs" not in client.get("/me/tokens/").content.decode()
    url = reverse("api_token_revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_profile_and_the_api_docs_link_to_the_page(client, user_factory):
    assert 'href="/me/tokens/"' not in client.get("/api/v1/docs/").content.decode()
    client.force_login(user_factory())
    assert 'href="/me/tokens/"' in client.get("/me/").content.decode()
    assert 'href="/me/tokens/"' in client.get("/api/v1/docs/").content.decode()
