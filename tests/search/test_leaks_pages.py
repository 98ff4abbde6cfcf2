"""The search page, on every backend, never shows members-only content to others: not in the
results, the totals, the facets nor the suggestions; a member finds it."""

import pytest
from django.urls import reverse

from cocity.network.models import Role, Space
from cocity.search import indexer

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(search_backend, editorial, publish, space_factory, space_membership_factory,
           user_factory):  # type: ignore[no-untyped-def]  # fmt: skip
    space, author, editor = editorial
    publish(author=author, editor=editor, space=space, title="Open housing cooperative",
            summary="Everyone may read this.")  # fmt: skip
    closed = space_factory(
        name="Closed tenants union",
        visibility=Space.Visibility.MEMBERS,
        join_policy=Space.JoinPolicy.INVITATION,
    )
    insider = user_factory()
    space_membership_factory(space=closed, user=insider, role=Role.EDITOR)
    publish(author=insider, editor=insider, space=closed, title="Confidential eviction strategy",
            summary="Members only housing plan.")  # fmt: skip
    indexer.apply_pending()
    return closed, insider


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
def test_others_never_see_members_only_results(client, secret, user_factory, viewer):
    closed, _insider = secret
    if viewer == "outsider":
        client.force_login(user_factory())
    for address in (
        reverse("search:search") + "?q=housing",
        reverse("search:search") + "?q=confidential",
        reverse("search:search") + "?q=confidentail",  # no suggestion from a secret title
        reverse("search:search"),
        reverse("search:search") + f"?space={closed.pk}",
        reverse("search:search") + "?q=eviction&within=library",
    ):
        html = client.get(address).content.decode()
        assert "Confidential eviction" not in html, address
        assert "Closed tenants union" not in html, address
        assert "Did you mean" not in html, address


def test_a_member_finds_them(client, secret):
    _closed, insider = secret
    client.force_login(insider)
    html = client.get(reverse("search:search") + "?q=confidential").content.decode()
    assert "Confidential eviction strategy" in html
