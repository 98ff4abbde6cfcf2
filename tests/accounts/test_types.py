"""``signed_in``: the person behind a request, never a visitor."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from cocity.accounts.types import signed_in
from tests.factories import UserFactory


def test_a_visitor_is_refused() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        signed_in(request)


@pytest.mark.django_db
def test_a_signed_in_person_is_returned_as_they_are() -> None:
    person = UserFactory()
    request = RequestFactory().get("/")
    request.user = person
    assert signed_in(request) is person
