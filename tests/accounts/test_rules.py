"""Every accounts permission against every role: anonymous, other person, self, staff."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cocity.accounts.services import account_delete

pytestmark = pytest.mark.django_db

PERMISSIONS = (
    "accounts.view_profile",
    "accounts.change_profile",
    "accounts.export_data",
    "accounts.delete_account",
)

# role -> the permissions it has on someone's (live) account
ALLOWED = {
    "anonymous": {"accounts.view_profile"},
    "other person": {"accounts.view_profile"},
    "self": set(PERMISSIONS),
    "staff": {"accounts.view_profile", "accounts.change_profile"},
}


@pytest.fixture
def viewer_for(user_factory):  # type: ignore[no-untyped-def]
    def make(role: str, person):  # type: ignore[no-untyped-def]
        return {
            "anonymous": lambda: AnonymousUser(),
            "other person": lambda: user_factory(),
            "self": lambda: person,
            "staff": lambda: user_factory(is_staff=True),
        }[role]()

    return make


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_permission_per_role(role, permission, user_factory, viewer_for) -> None:
    person = user_factory()
    viewer = viewer_for(role, person)
    assert viewer.has_perm(permission, person) is (permission in ALLOWED[role])


@pytest.mark.parametrize("role", ["anonymous", "other person", "staff"])
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_nothing_is_allowed_on_a_deleted_account(
    role, permission, user_factory, viewer_for
) -> None:
    person = user_factory()
    viewer = viewer_for(role, person)
    account_delete(user=person, confirm_email=person.email)
    person.refresh_from_db()
    assert not viewer.has_perm(permission, person)


def test_inactive_staff_cannot_change_profiles(user_factory) -> None:
    person = user_factory()
    former_staff = user_factory(is_staff=True, is_active=False)
    assert not former_staff.has_perm("accounts.change_profile", person)
