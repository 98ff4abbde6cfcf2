"""Log in, or 403: anonymous people are sent to log in and brought back; signed-in people who
lack the right get the "Not possible" page with the reason."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.test.utils import override_settings
from django.urls import path

from cocity import urls as project_urls
from cocity.core.access import forbidden, login_or_forbidden, require_perm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _request(user, url="/plans/p/ideas/new/?draft=1"):  # type: ignore[no-untyped-def]
    request = RequestFactory().get(url)
    SessionMiddleware(lambda r: None).process_request(request)  # type: ignore[arg-type,return-value]
    request.user = user
    return request


def _next(response) -> str:  # type: ignore[no-untyped-def]
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


def test_anonymous_is_sent_to_log_in_and_brought_back_here():
    response = login_or_forbidden(_request(AnonymousUser()), "Only organisers.")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/accounts/login/"
    assert _next(response) == "/plans/p/ideas/new/?draft=1"


def test_anonymous_can_be_brought_back_elsewhere():
    response = login_or_forbidden(_request(AnonymousUser()), next_url="/plans/p/ideas/7/")
    assert response.status_code == 302 and _next(response) == "/plans/p/ideas/7/"


def test_signed_in_gets_403_with_the_message():
    response = login_or_forbidden(_request(UserFactory()), "Only the organisers can do this.")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only the organisers can do this." in page and "Not possible" in page


def test_signed_in_without_a_message_gets_a_general_reason():
    response = login_or_forbidden(_request(UserFactory()))
    assert response.status_code == 403
    assert "You are not allowed to do this." in response.content.decode()


def test_forbidden_can_answer_another_status():
    response = forbidden(_request(UserFactory()), "Not in this phase.", status=400)
    assert response.status_code == 400 and "Not in this phase." in response.content.decode()


def test_require_perm_lets_through_who_has_the_right_and_refuses_the_others():
    staff = UserFactory(is_superuser=True, is_staff=True)
    assert require_perm(_request(staff), "network.change_space", None, "No.") is None
    anonymous = require_perm(_request(AnonymousUser()), "network.change_space", None, "No.")
    assert anonymous is not None and anonymous.status_code == 302
    refused = require_perm(_request(UserFactory()), "network.change_space", None, "Not yours.")
    assert refused is not None and refused.status_code == 403
    assert "Not yours." in refused.content.decode()


def _raises(request):  # type: ignore[no-untyped-def]
    raise PermissionDenied("Members only.")


urlpatterns = [path("raises/", _raises), *project_urls.urlpatterns]


@override_settings(ROOT_URLCONF="tests.core.test_access")
def test_a_raised_permission_denied_shows_the_same_page_with_its_reason(client):
    client.force_login(UserFactory())
    response = client.get("/raises/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Members only." in page and "Not possible" in page
