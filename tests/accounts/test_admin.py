"""The people admin: list, search, add (no username), change."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def admin_client_(client, user_factory):  # type: ignore[no-untyped-def]
    client.force_login(user_factory(is_staff=True, is_superuser=True))
    return client


def test_changelist_search_and_filters(admin_client_, user_factory) -> None:
    user_factory(email="findme@example.org", display_name="Findable")
    url = reverse("admin:accounts_user_changelist")
    response = admin_client_.get(url, {"q": "findme"})
    assert response.status_code == 200
    assert b"findme@example.org" in response.content
    assert admin_client_.get(url, {"is_staff__exact": "1"}).status_code == 200


def test_add_person_with_email_and_password(admin_client_) -> None:
    response = admin_client_.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Added@Example.org",
            "usable_password": "true",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    added = User.objects.get(email="added@example.org")
    assert added.check_password("a long enough passphrase")


def test_change_page_renders(admin_client_, user) -> None:
    response = admin_client_.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert b'name="display_name"' in response.content
