"""The API's common ground: tokens (401 when wrong or revoked), the rate limit (429 with
Retry-After), errors as problem+json, the committed schema, the documentation page, cursors."""

import json
from pathlib import Path

import pytest

from cocity.api.management.commands.api_schema import rendered
from cocity.api.models import ApiToken
from cocity.api.pagination import cursor_page
from cocity.api.services import token_create, token_revoke

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def test_a_visitor_is_a_visitor(api_get):
    response = api_get("/me")
    assert response.status_code == 200
    assert response.json()["signed_in"] is False


def test_a_token_is_its_person_and_its_last_use_is_kept(api_get, user_factory, token_for):
    person = user_factory()
    secret = token_for(person, "read", "write:plans")
    body = api_get("/me", token=secret).json()
    assert body["signed_in"] is True and body["id"] == person.pk
    assert body["token"]["scopes"] == ["read", "write:plans"]
    assert ApiToken.objects.get().last_used_at is not None
    assert ApiToken.objects.get().key_hash != secret and secret not in json.dumps(
        list(ApiToken.objects.values())
    , default=str)  # fmt: skip


@pytest.mark.parametrize(
    "header",
    [
        "Bearer cct_00000000_notarealtoken",
        "Bearer ",
        "Token something",
        "Bearer " + "x" * 5000,
        "Bearer cct_",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_a_wrong_token_is_refused_never_read_as_a_visitor(client, header):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_a_revoked_token_is_refused(api_get, user_factory):
    person = user_factory()
    token, secret = token_create(user=person, name="old script", scopes=["read"])
    assert api_get("/me", token=secret).status_code == 200
    token_revoke(user=person, token=token)
    assert api_get("/me", token=secret).status_code == 401
    person.is_active = False
    person.save()


def test_an_inactive_person_s_token_is_refused(api_get, user_factory, token_for):
    person = user_factory()
    secret = token_for(person)
    person.is_active = False
    person.save()
    assert api_get("/me", token=secret).status_code == 401


def test_tokens_need_a_name_and_known_scopes(user_factory):
    from django.core.exceptions import ValidationError

    person = user_factory()
    for name, scopes in (("", ["read"]), ("x", []), ("x", ["admin"]), ("x", ["read", "root"])):
        with pytest.raises(ValidationError):
            token_create(user=person, name=name, scopes=scopes)
    assert not ApiToken.objects.exists()
    other = user_factory()
    token, _secret = token_create(user=person, name="mine", scopes=["read"])
    with pytest.raises(ValidationError):
        token_revoke(user=other, token=token)
    assert ApiToken.objects.get().revoked_at is None


def test_too_many_calls_get_429_with_retry_after(api_get, settings, user_factory, token_for):
    settings.COCITY_API_RATE = "2/m"
    assert api_get("/me").status_code == 200
    assert api_get("/me").status_code == 200
    refused = api_get("/me")
    assert refused.status_code == 429
    assert refused["Content-Type"] == PROBLEM
    assert 1 <= int(refused["Retry-After"]) <= 60
    # A token has its own allowance.
    assert api_get("/me", token=token_for(user_factory())).status_code == 200


def test_unknown_addresses_are_problems_too(client):
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_the_committed_schema_is_the_code_s():
    committed = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"
    assert committed.read_text(encoding="utf-8") == rendered(), (
        "docs/api/openapi.json is stale: run `cocity api_schema` and commit it"
    )
    spec = json.loads(committed.read_text(encoding="utf-8"))
    assert spec["openapi"].startswith("3.1")


def test_the_schema_is_served_and_documented(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "cocity"
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert "/api/v1/me" in page.content.decode()


def test_cursors_page_through_and_refuse_what_was_not_made_here(topic_factory):
    from cocity.api.errors import ApiError
    from cocity.network.models import Topic

    for n in range(5):
        topic_factory(slug=f"topic-{n}", name=f"Topic {n}")
    seen, cursor = [], None
    while True:
        page = cursor_page(
            Topic.objects.all(), cursor=cursor, limit=2, order=("-id",), convert=lambda t: t.pk
        )
        seen += page["items"]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == sorted(Topic.objects.values_list("pk", flat=True), reverse=True)
    for bad in ("garbage", cursor_page(Topic.objects.all(), cursor=None, limit=1,
                                        order=("-id",))["next"][:-3] + "abc", "W10"):  # fmt: skip
        with pytest.raises(ApiError) as error:
            cursor_page(Topic.objects.all(), cursor=bad, limit=2, order=("-id",))
        assert error.value.status == 400


def test_a_repeated_question_gets_the_kept_answer_until_something_changes(
    api_get, topic_factory, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.COCITY_API_BODY_CACHE = True
    topic_factory(slug="water", name="Water")
    with CaptureQueriesContext(connection) as first:
        one = api_get("/topics")
    with CaptureQueriesContext(connection) as again:
        two = api_get("/topics")
    assert two.content == one.content and two["ETag"] == one["ETag"]
    assert len(again) < len(first)  # no row read the second time
    topic_factory(slug="housing", name="Housing")
    three = api_get("/topics")
    assert three["ETag"] != one["ETag"]
    assert "housing" in three.content.decode()
