"""The people admin: list, search, add (no username), change; the profile through
profile_update, deletion through account_delete (anonymised, refused for a sole admin)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cocity.accounts import services
from tests.admin_forms import admin_form_data

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


def _change(user) -> str:  # type: ignore[no-untyped-def]
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_a_profile_change_goes_through_the_service(admin_client_, user, territory_factory) -> None:
    country = territory_factory(code="FR", kind="country")
    city = territory_factory(code="FR-LYS", kind="city", parent=country)
    elsewhere = territory_factory(code="FR-MRS", kind="city", parent=country)
    hood = territory_factory(code="FR-MRS-01", kind="neighbourhood", parent=elsewhere)
    data = admin_form_data(
        admin_client_,
        _change(user),
        display_name="Renamed",
        home_city=str(city.pk),
        home_neighbourhood=str(hood.pk),
    )
    response = admin_client_.post(_change(user), data)
    # The neighbourhood must lie inside the city: refused, nothing written.
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.display_name, user.home_city) != ("Renamed", city)
    data["home_neighbourhood"] = ""
    response = admin_client_.post(_change(user), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert (user.display_name, user.home_city) == ("Renamed", city)


def test_staff_status_and_groups_are_still_changed(admin_client_, user) -> None:
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Moderators")
    data = admin_form_data(admin_client_, _change(user), is_staff="on", groups=[str(group.pk)])
    response = admin_client_.post(_change(user), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.all()) == [group]


def test_a_deleted_account_cannot_be_edited(admin_client_, user) -> None:
    data = admin_form_data(admin_client_, _change(user), display_name="Back again")
    services.account_delete(user=user, confirm_email=user.email)
    response = admin_client_.post(_change(user), data)
    assert response.status_code == 200
    assert "This account has been deleted." in response.context["adminform"].form.non_field_errors()
    user.refresh_from_db()
    assert user.display_name == ""


def test_deleting_accounts_anonymises_them_and_spares_sole_admins(
    admin_client_, user_factory, space_membership_factory
) -> None:
    leaving = user_factory(email="leaving@example.org")
    sole_admin = space_membership_factory(role="admin").user
    response = admin_client_.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_accounts", "_selected_action": [leaving.pk, sole_admin.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Accounts deleted: 1." in response.content.decode()
    leaving.refresh_from_db()
    sole_admin.refresh_from_db()
    assert (leaving.deleted_at is not None, leaving.email) == (
        True,
        f"deleted-{leaving.pk}@invalid.cocity",
    )
    assert sole_admin.deleted_at is None
    assert User.objects.filter(pk=leaving.pk).exists()  # anonymised, not removed


def test_the_admin_never_deletes_a_person_row(admin_client_, user) -> None:
    assert (
        admin_client_.post(
            reverse("admin:accounts_user_delete", args=[user.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert User.objects.filter(pk=user.pk).exists()
