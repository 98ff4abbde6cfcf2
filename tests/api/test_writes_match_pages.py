"""The API's writes answer as the pages do, person by person: what a page does, the API does;
what a page hides (404), the API hides; what a page refuses, the API refuses, and neither
writes anything then. Walked over visitors' and members' views of public and members-only
spaces, open and closed phases, published and cancelled events."""

import json

import pytest
from django.test import Client

from cocity.api.services import token_create
from cocity.events.models import Registration
from cocity.network.models import Space
from cocity.plans.models import Idea
from tests.factories import (
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
    event_with_session,
    process_in_phase,
)

pytestmark = pytest.mark.django_db

DONE, HIDDEN, REFUSED = "done", "hidden", "refused"


def _page(response) -> str:  # type: ignore[no-untyped-def]
    if response.status_code == 404:
        return HIDDEN
    if response.status_code in (400, 403, 409):
        return REFUSED
    # A page that refuses after a redirect says so in a message; a success redirects too.
    return DONE if response.status_code == 302 else f"page {response.status_code}"


def _api(response) -> str:  # type: ignore[no-untyped-def]
    if response.status_code == 404:
        return HIDDEN
    if response.status_code in (409, 422):
        return REFUSED
    return DONE if response.status_code in (200, 201) else f"api {response.status_code}"


def _people(space):  # type: ignore[no-untyped-def]
    member = UserFactory()
    SpaceMembershipFactory(space=space, user=member)
    return {"outsider": UserFactory(), "member": member}


def _token(user, scope):  # type: ignore[no-untyped-def]
    return token_create(user=user, name="t", scopes=[scope])[1]


def _post_api(path, token, body=None):  # type: ignore[no-untyped-def]
    return Client().post(
        "/api/v1" + path,
        data=json.dumps(body or {}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.mark.parametrize("visibility", [Space.Visibility.PUBLIC, Space.Visibility.MEMBERS])
@pytest.mark.parametrize("phase", ["collect", "monitor"])
def test_posting_an_idea(visibility, phase):  # type: ignore[no-untyped-def]
    space = SpaceFactory(visibility=visibility)
    process, _organiser = process_in_phase(phase, space=space)
    for who, person in _people(space).items():
        page_client = Client()
        page_client.force_login(person)
        body = {"title": f"By page, {who}", "body": "Trees."}
        page = _page(page_client.post(f"/processes/{process.slug}/ideas/new/", body))
        body = {"title": f"By API, {who}", "body": "Trees."}
        api = _api(_post_api(f"/processes/{process.slug}/ideas", _token(person, "write:plans"),
                             body))  # fmt: skip
        assert page == api, (visibility, phase, who, page, api)
        expected = 2 if page == DONE else 0
        assert Idea.objects.filter(author=person).count() == expected


@pytest.mark.parametrize("visibility", [Space.Visibility.PUBLIC, Space.Visibility.MEMBERS])
@pytest.mark.parametrize("status", ["published", "cancelled"])
def test_registering_for_a_track(visibility, status):  # type: ignore[no-untyped-def]
    space = SpaceFactory(visibility=visibility)
    for who, person in _people(space).items():
        # One event for the page, one for the API: one registration per person and event.
        answers = []
        for way in ("page", "api"):
            event, track = event_with_session(space=space, status=status)
            if way == "page":
                client = Client()
                client.force_login(person)
                response = client.post(f"/events/{event.slug}/register/{track.pk}/")
                answers.append(_page(response))
                # The page tells a refusal in a message after redirecting to the event.
                if (
                    answers[-1] == DONE
                    and not Registration.objects.filter(event=event, user=person).exists()
                ):
                    answers[-1] = REFUSED
            else:
                path = f"/events/{event.slug}/tracks/{track.pk}/registrations"
                answers.append(_api(_post_api(path, _token(person, "write:events"))))
        assert answers[0] == answers[1], (visibility, status, who, answers)
        expected = 2 if answers[0] == DONE else 0
        assert Registration.objects.filter(user=person).count() == expected
