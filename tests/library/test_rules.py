import pytest
from django.contrib.auth.models import AnonymousUser

from cocity.library.models import LibraryItem
from cocity.network.models import Role

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "author", "member", "editor", "staff")
# action, status -> roles allowed
MATRIX = {
    ("library.view_item", "draft"): {"author", "editor", "staff"},
    ("library.view_item", "published"): set(ROLES),
    ("library.change_item", "draft"): {"author", "editor", "staff"},
    ("library.change_item", "in_review"): {"editor", "staff"},
    ("library.submit_item", "draft"): {"author"},
    ("library.submit_item", "in_review"): set(),
    ("library.review_item", "in_review"): {"editor", "staff"},
    ("library.review_item", "draft"): set(),
    ("library.archive_item", "published"): {"editor", "staff"},
    ("library.comment_item", "in_review"): {"author", "editor", "staff"},
}


@pytest.fixture
def people(space_factory, space_membership_factory, user_factory):  # type: ignore[no-untyped-def]
    space = space_factory()
    users = {"anonymous": AnonymousUser(), "staff": user_factory(is_staff=True)}
    for role in ("outsider", "author", "member", "editor"):
        users[role] = user_factory()
    space_membership_factory(space=space, user=users["author"], role=Role.MEMBER)
    space_membership_factory(space=space, user=users["member"], role=Role.MEMBER)
    space_membership_factory(space=space, user=users["editor"], role=Role.EDITOR)
    return space, users


@pytest.mark.parametrize(("action", "status"), list(MATRIX))
def test_role_by_action(people, library_item_factory, action, status):
    space, users = people
    item = library_item_factory(space=space, author=users["author"], status=status)
    allowed = {role for role in ROLES if users[role].has_perm(action, item)}
    assert allowed == MATRIX[(action, status)]


def test_add_item_needs_membership(people):
    space, users = people
    allowed = {role for role in ROLES if users[role].has_perm("library.add_item", space)}
    assert allowed == {"author", "member", "editor", "staff"}


def test_members_only_published_item_hidden(space_factory, library_item_factory, user_factory):
    from cocity.network.models import Space

    secret = space_factory(
        visibility=Space.Visibility.MEMBERS, join_policy=Space.JoinPolicy.INVITATION
    )
    item = library_item_factory(space=secret, status=LibraryItem.Status.PUBLISHED)
    assert not user_factory().has_perm("library.view_item", item)
    assert not AnonymousUser().has_perm("library.view_item", item)
