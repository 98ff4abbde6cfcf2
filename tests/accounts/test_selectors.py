"""Reads for people: what a viewer sees of someone's public profile."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cocity.accounts.selectors import person_for_profile, profile_for_viewer
from cocity.accounts.services import account_delete
from cocity.network.models import Role, Space
from tests.factories import city_with_neighbourhoods

pytestmark = pytest.mark.django_db


def _space_names(profile) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.space.name for m in profile.space_memberships]


def test_profile_lists_languages_home_and_organisations_with_role(
    user_factory, organisation_membership_factory
) -> None:
    _, city, _, hoods = city_with_neighbourhoods()
    person = user_factory(languages=["fr", "wo"], home_city=city, home_neighbourhood=hoods[0])
    organisation_membership_factory(user=person, role=Role.ADMIN, organisation__name="Union")
    profile = profile_for_viewer(person=person, viewer=AnonymousUser())
    assert profile.languages == [("fr", "French"), ("wo", "Wolof")]
    assert profile.home_city == city and profile.home_neighbourhood == hoods[0]
    assert [(m.organisation.name, m.role) for m in profile.organisation_memberships] == [
        ("Union", "admin")
    ]


@pytest.mark.parametrize(
    ("viewer_kind", "sees_members_only"),
    [
        ("anonymous", False),
        ("other person", False),
        ("fellow member", True),
        ("member of another members-only space", False),
        ("self", True),
        ("staff", True),
    ],
)
def test_members_only_spaces_only_for_fellow_members(
    viewer_kind, sees_members_only, user_factory, space_factory, space_membership_factory
) -> None:
    person = user_factory()
    public = space_factory(name="Open Garden")
    hidden = space_factory(name="Secret Lab", visibility=Space.Visibility.MEMBERS)
    elsewhere = space_factory(name="Elsewhere", visibility=Space.Visibility.MEMBERS)
    space_membership_factory(user=person, space=public)
    space_membership_factory(user=person, space=hidden)
    viewer = {
        "anonymous": lambda: AnonymousUser(),
        "other person": lambda: user_factory(),
        "fellow member": lambda: space_membership_factory(space=hidden).user,
        "member of another members-only space": lambda: (
            space_membership_factory(space=elsewhere).user
        ),
        "self": lambda: person,
        "staff": lambda: user_factory(is_staff=True),
    }[viewer_kind]()
    names = _space_names(profile_for_viewer(person=person, viewer=viewer))
    expected = ["Open Garden", "Secret Lab"] if sees_members_only else ["Open Garden"]
    assert names == expected


def test_deleted_person_is_404(user) -> None:
    account_delete(user=user, confirm_email=user.email)
    user.refresh_from_db()
    with pytest.raises(Http404):
        person_for_profile(pk=user.pk)
    with pytest.raises(Http404):
        profile_for_viewer(person=user, viewer=AnonymousUser())


def test_profile_lists_take_one_query_each(
    user, user_factory, space_factory, space_membership_factory, django_assert_num_queries
) -> None:
    for _ in range(5):
        space_membership_factory(user=user, space=space_factory())
    profile = profile_for_viewer(person=user, viewer=user_factory())
    with django_assert_num_queries(1):
        assert len([m.space.name for m in profile.space_memberships]) == 5
    with django_assert_num_queries(1):
        assert [m.organisation.name for m in profile.organisation_memberships] == []
