"""Space pages: directory and filters, htmx partial, the space page and its 404s, joining and
leaving, the members page and its permissions, invitations, and query counts."""

import pytest
from django.core import mail
from django.urls import reverse

from cocity.network.models import Invitation, JoinRequest, Role, Space, SpaceMembership, Territory
from cocity.network.services import spaces as services
from tests.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    TerritoryFactory,
    TopicFactory,
    UserFactory,
    city_with_neighbourhoods,
)

pytestmark = pytest.mark.django_db

LIST = reverse("network:space_list")


def _detail(space: Space) -> str:
    return reverse("network:space_detail", args=[space.slug])


def _members(space: Space) -> str:
    return reverse("network:space_members", args=[space.slug])


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [space.name for space in response.context["page_obj"].object_list]


# Directory ----------------------------------------------------------------------------------


def test_directory_shows_members_only_spaces_to_their_members_only(client):
    SpaceFactory(name="Open Lab")
    secret = SpaceFactory(name="Secret Lab", visibility=Space.Visibility.MEMBERS)
    member = SpaceMembershipFactory(space=secret).user

    assert _names(client.get(LIST)) == ["Open Lab"]
    client.force_login(UserFactory())
    assert _names(client.get(LIST)) == ["Open Lab"]
    client.force_login(member)
    assert _names(client.get(LIST)) == ["Open Lab", "Secret Lab"]
    client.force_login(UserFactory(is_staff=True))
    response = client.get(LIST)
    assert _names(response) == ["Open Lab", "Secret Lab"]
    assert b"members only" in response.content


def test_directory_filters(client):
    _country, city, _district, hoods = city_with_neighbourhoods()
    elsewhere = TerritoryFactory(kind=Territory.Kind.COUNTRY)
    topic = TopicFactory(slug="housing")
    organisation = OrganisationFactory(slug="city-hall")
    lab = SpaceFactory(name="Belle de Mai Lab", kind=Space.Kind.LAB, territory=hoods[0])
    lab.topics.add(topic)
    series = SpaceFactory(name="Dialogue Series", kind=Space.Kind.SERIES, territory=elsewhere)
    series.organisations.add(organisation)
    SpaceFactory(name="Commons Partnership", summary="Gardens and housing", territory=city)

    assert _names(client.get(LIST, {"kind": "lab"})) == ["Belle de Mai Lab"]
    assert _names(client.get(LIST, {"topic": "housing"})) == ["Belle de Mai Lab"]
    assert _names(client.get(LIST, {"organisation": "city-hall"})) == ["Dialogue Series"]
    assert _names(client.get(LIST, {"city": city.code})) == [
        "Belle de Mai Lab",
        "Commons Partnership",
    ]
    assert _names(client.get(LIST, {"q": "HOUSING"})) == ["Commons Partnership"]
    assert _names(client.get(LIST, {"q": "lab", "kind": "series"})) == []
    # Unknown filter values are ignored, not errors.
    assert len(_names(client.get(LIST, {"topic": "nope", "kind": "zzz"}))) == 3


def test_directory_htmx_partial_on_the_same_url(client):
    SpaceFactory(name="Open Lab")
    full = client.get(LIST)
    partial = client.get(LIST, {"q": "open"}, headers={"HX-Request": "true"})
    assert b"<html" in full.content and b'id="space-results"' in full.content
    assert b"<html" not in partial.content
    assert b"data-announce=" in partial.content
    assert b"Open Lab" in partial.content
    for response in (full, partial):
        assert "HX-Request" in response["Vary"]


def test_directory_is_paginated(client, settings):
    settings.COCITY_PAGE_SIZE = 2
    for i in range(5):
        SpaceFactory(name=f"Space {i}")
    response = client.get(LIST, {"page": 3})
    assert _names(response) == ["Space 4"]
    assert b"Page 3 of 3" in response.content


def test_directory_member_counts_are_right_for_members_only_spaces(client):
    secret = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    member = SpaceMembershipFactory(space=secret).user
    SpaceMembershipFactory.create_batch(2, space=secret)
    client.force_login(member)
    [space] = client.get(LIST).context["page_obj"].object_list
    assert space.member_count == 3


# The space page -----------------------------------------------------------------------------


def test_members_only_space_is_404_for_anonymous_and_non_members(client):
    secret = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    urls = [
        _detail(secret),
        reverse("network:space_edit", args=[secret.slug]),
        reverse("network:space_join", args=[secret.slug]),
        reverse("network:space_leave", args=[secret.slug]),
        _members(secret),
    ]
    assert client.get(_detail(secret)).status_code == 404
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("network:space_join", args=[secret.slug])).status_code == 404
    assert not SpaceMembership.objects.exists()


@pytest.mark.parametrize("who", ["member", "staff", "org_admin"])
def test_members_only_space_is_shown_to_those_who_may_see_it(client, who):
    secret = SpaceFactory(visibility=Space.Visibility.MEMBERS, description="**Bold** plan")
    organisation = OrganisationFactory()
    secret.organisations.add(organisation)
    user = {
        "member": lambda: SpaceMembershipFactory(space=secret).user,
        "staff": lambda: UserFactory(is_staff=True),
        "org_admin": lambda: (
            OrganisationMembershipFactory(organisation=organisation, role=Role.ADMIN).user
        ),
    }[who]()
    client.force_login(user)
    response = client.get(_detail(secret))
    assert response.status_code == 200
    assert b"<strong>Bold</strong> plan" in response.content


def test_space_page_shows_facts_members_parent_and_visible_children(client):
    _country, city, _district, _hoods = city_with_neighbourhoods()
    parent = SpaceFactory(name="Programme")
    space = SpaceFactory(
        name="Lab", parent=parent, territory=city, summary="Short", description="<script>x"
    )
    space.organisations.add(OrganisationFactory(name="City Hall"))
    space.topics.add(TopicFactory(name="Housing"))
    SpaceFactory(name="Visible child", parent=space)
    SpaceFactory(name="Hidden child", parent=space, visibility=Space.Visibility.MEMBERS)
    SpaceMembershipFactory(space=space, role=Role.ADMIN, user=UserFactory(display_name="Ada"))
    response = client.get(_detail(space))
    content = response.content.decode()
    for text in ("Lab", "Short", "Marseille", "City Hall", "Housing", "Programme", "Ada"):
        assert text in content
    assert "Visible child" in content
    assert "Hidden child" not in content
    assert "<script>x" not in content
    assert "1 member" in content
    assert "Sign in to join" in content


def test_hidden_parent_is_not_named(client):
    parent = SpaceFactory(name="Hidden programme", visibility=Space.Visibility.MEMBERS)
    space = SpaceFactory(parent=parent)
    assert b"Hidden programme" not in client.get(_detail(space)).content


# Joining and leaving ------------------------------------------------------------------------


def test_join_open_space_then_leave(client):
    space = SpaceFactory(join_policy=Space.JoinPolicy.OPEN)
    SpaceMembershipFactory(space=space, role=Role.ADMIN)
    user = UserFactory()
    client.force_login(user)
    assert b"Join this space" in client.get(_detail(space)).content
    response = client.post(reverse("network:space_join", args=[space.slug]), follow=True)
    assert response.redirect_chain[-1][0] == _detail(space)
    assert SpaceMembership.objects.filter(space=space, user=user).exists()
    assert b"Leave this space" in response.content
    assert client.get(reverse("network:space_leave", args=[space.slug])).status_code == 200
    client.post(reverse("network:space_leave", args=[space.slug]))
    assert not SpaceMembership.objects.filter(space=space, user=user).exists()


def test_anonymous_join_goes_to_sign_in(client):
    space = SpaceFactory(join_policy=Space.JoinPolicy.OPEN)
    response = client.post(reverse("network:space_join", args=[space.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not SpaceMembership.objects.exists()


def test_ask_to_join_with_a_message_then_withdraw(client, django_capture_on_commit_callbacks):
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    user = UserFactory()
    client.force_login(user)
    page = client.get(_detail(space)).content.decode()
    assert "Ask to join" in page and 'name="message"' in page
    join_url = reverse("network:space_join", args=[space.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(join_url, {"message": "I live nearby.\x07"})
    join_request = JoinRequest.objects.get()
    assert (join_request.user, join_request.message) == (user, "I live nearby.")
    assert [m.to for m in mail.outbox] == [[admin.email]]
    page = client.get(_detail(space)).content.decode()
    assert "You asked to join" in page and "Withdraw my request" in page
    # Asking twice is refused with a message, nothing written.
    response = client.post(join_url, {"message": "again"}, follow=True)
    assert "already asked" in response.content.decode()
    assert JoinRequest.objects.count() == 1
    client.post(join_url, {"action": "withdraw"})
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.WITHDRAWN


def test_invitation_only_space_offers_no_join(client):
    space = SpaceFactory(join_policy=Space.JoinPolicy.INVITATION)
    client.force_login(UserFactory())
    assert b"by invitation only" in client.get(_detail(space)).content
    response = client.post(reverse("network:space_join", args=[space.slug]), follow=True)
    assert b"by invitation only" in response.content
    assert not SpaceMembership.objects.exists() and not JoinRequest.objects.exists()


def test_last_admin_cannot_leave(client):
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    client.force_login(admin)
    response = client.post(reverse("network:space_leave", args=[space.slug]), follow=True)
    assert b"only admin" in response.content
    assert SpaceMembership.objects.filter(user=admin).exists()


def test_leaving_a_members_only_space_goes_back_to_the_directory(client):
    space = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    SpaceMembershipFactory(space=space, role=Role.ADMIN)
    member = SpaceMembershipFactory(space=space).user
    client.force_login(member)
    response = client.post(reverse("network:space_leave", args=[space.slug]))
    assert response["Location"] == LIST


# Creating and editing -----------------------------------------------------------------------


def test_create_needs_sign_in(client):
    response = client.get(reverse("network:space_create"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_create_a_space(client):
    user = UserFactory()
    mine = OrganisationMembershipFactory(user=user, role=Role.EDITOR).organisation
    not_mine = OrganisationMembershipFactory(user=user, role=Role.MEMBER).organisation
    client.force_login(user)
    form = client.get(reverse("network:space_create")).context["form"]
    assert list(form.fields["organisations"].queryset) == [mine]
    assert not_mine not in form.fields["organisations"].queryset
    response = client.post(
        reverse("network:space_create"),
        {
            "name": "Garden Lab",
            "kind": "lab",
            "visibility": "public",
            "join_policy": "open",
            "organisations": [mine.pk],
        },
    )
    space = Space.objects.get()
    assert response["Location"] == _detail(space)
    assert space.slug == "garden-lab"
    assert SpaceMembership.objects.get(space=space).user == user


def test_create_refuses_members_only_and_open_with_the_reason(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("network:space_create"),
        {"name": "Secret", "kind": "lab", "visibility": "members", "join_policy": "open"},
    )
    assert response.status_code == 200
    assert "cannot be open to anyone" in response.content.decode()
    assert not Space.objects.exists()


def test_create_refuses_an_organisation_not_offered(client):
    client.force_login(UserFactory())
    other = OrganisationFactory()
    response = client.post(
        reverse("network:space_create"),
        {
            "name": "Lab",
            "kind": "lab",
            "visibility": "public",
            "join_policy": "open",
            "organisations": [other.pk],
        },
    )
    assert response.status_code == 200
    assert not Space.objects.exists()


def test_edit_space_permissions_and_parent_rules(client):
    space = SpaceFactory(name="Lab")
    child = SpaceFactory(parent=space)
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    SpaceMembershipFactory(space=child, user=admin, role=Role.ADMIN)
    member = SpaceMembershipFactory(space=space).user
    edit = reverse("network:space_edit", args=[space.slug])
    client.force_login(member)
    assert client.get(edit).status_code == 403
    client.force_login(admin)
    assert client.get(edit).status_code == 200
    data = {"name": "Lab 2", "kind": "lab", "visibility": "public", "join_policy": "request"}
    response = client.post(edit, {**data, "parent": child.pk})
    assert response.status_code == 200
    assert "sub-spaces" in response.content.decode()
    space.refresh_from_db()
    assert (space.name, space.parent) == ("Lab", None)
    client.post(edit, data)
    space.refresh_from_db()
    assert space.name == "Lab 2"


# Members page -------------------------------------------------------------------------------


def test_members_page_permissions(client):
    space = SpaceFactory()
    organisation = OrganisationFactory()
    space.organisations.add(organisation)
    SpaceMembershipFactory(space=space, role=Role.ADMIN)
    editor = SpaceMembershipFactory(space=space, role=Role.EDITOR).user
    org_admin = OrganisationMembershipFactory(organisation=organisation, role=Role.ADMIN).user
    assert client.get(_members(space)).status_code == 302  # sign in first
    client.force_login(UserFactory())
    assert client.get(_members(space)).status_code == 403
    client.force_login(editor)
    assert client.get(_members(space)).status_code == 403
    client.force_login(org_admin)
    assert client.get(_members(space)).status_code == 200
    client.force_login(UserFactory(is_staff=True))
    assert client.get(_members(space)).status_code == 200


def test_members_page_role_change_and_remove(client):
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN)
    other = SpaceMembershipFactory(space=space)
    client.force_login(admin.user)
    page = client.get(_members(space)).content.decode()
    assert f'id="role-{other.pk}"' in page
    client.post(_members(space), {"action": "role", "membership": other.pk, "role": "editor"})
    other.refresh_from_db()
    assert other.role == Role.EDITOR
    response = client.post(
        _members(space), {"action": "role", "membership": admin.pk, "role": "member"}, follow=True
    )
    assert "at least one admin" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    client.post(_members(space), {"action": "remove", "membership": other.pk})
    assert list(SpaceMembership.objects.all()) == [admin]
    # A membership of another space is not found through this page.
    foreign = SpaceMembershipFactory()
    response = client.post(_members(space), {"action": "remove", "membership": foreign.pk})
    assert response.status_code == 404
    assert SpaceMembership.objects.filter(pk=foreign.pk).exists()


def test_admin_stepping_down_is_sent_back_to_the_space(client):
    space = SpaceFactory()
    me = SpaceMembershipFactory(space=space, role=Role.ADMIN)
    SpaceMembershipFactory(space=space, role=Role.ADMIN)
    client.force_login(me.user)
    response = client.post(
        _members(space), {"action": "role", "membership": me.pk, "role": "member"}
    )
    assert response["Location"] == _detail(space)


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_decide_a_join_request(client, decision, django_capture_on_commit_callbacks):
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    requester = UserFactory()
    join_request = services.join_request_create(space=space, user=requester, message="Hi there")
    client.force_login(admin)
    assert "Hi there" in client.get(_members(space)).content.decode()
    url = reverse("network:join_request_decide", args=[space.slug, join_request.pk])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": decision})
    assert response["Location"] == _members(space)
    assert SpaceMembership.objects.filter(user=requester).exists() is (decision == "accept")
    assert [m.to for m in mail.outbox] == [[requester.email]]


def test_deciding_needs_manage_permission(client):
    space = SpaceFactory()
    SpaceMembershipFactory(space=space, role=Role.ADMIN)
    member = SpaceMembershipFactory(space=space).user
    join_request = services.join_request_create(space=space, user=UserFactory())
    client.force_login(member)
    url = reverse("network:join_request_decide", args=[space.slug, join_request.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 403
    assert client.get(url).status_code in (403, 405)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_invite_then_revoke(client, django_capture_on_commit_callbacks):
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    client.force_login(admin)
    invite = reverse("network:invitation_create", args=[space.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite, {"email": "guest@example.org", "role": "editor"})
    assert response["Location"] == _members(space)
    invitation = Invitation.objects.get()
    assert f"http://testserver/invitations/{invitation.token}/" in mail.outbox[0].body
    assert "guest@example.org" in client.get(_members(space)).content.decode()
    response = client.post(invite, {"email": "guest@example.org", "role": "member"})
    assert response.status_code == 400
    assert "pending invitation" in response.content.decode()
    response = client.post(invite, {"email": "nonsense", "role": "member"})
    assert response.status_code == 400
    assert Invitation.objects.count() == 1
    client.post(_members(space), {"action": "revoke", "invitation": invitation.pk})
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


# Invitations --------------------------------------------------------------------------------


def _invitation(email: str, **space_fields) -> Invitation:  # type: ignore[no-untyped-def]
    space = SpaceFactory(**space_fields)
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    return services.invitation_create(space=space, email=email, role="editor", invited_by=admin)


def test_invitation_accept_with_the_matching_address(client):
    invitation = _invitation("guest@example.org", visibility=Space.Visibility.MEMBERS)
    guest = UserFactory(email="guest@example.org")
    url = reverse("network:invitation_respond", args=[invitation.token])
    client.force_login(guest)
    assert b"Accept and join" in client.get(url).content
    response = client.post(url, {"decision": "accept"})
    assert response["Location"] == _detail(invitation.space)
    assert SpaceMembership.objects.get(user=guest).role == Role.EDITOR
    assert client.get(_detail(invitation.space)).status_code == 200


def test_invitation_with_another_address_is_refused(client):
    invitation = _invitation("guest@example.org")
    url = reverse("network:invitation_respond", args=[invitation.token])
    client.force_login(UserFactory(email="someone@example.org"))
    page = client.get(url).content.decode()
    assert "another e-mail address" in page and "Accept and join" not in page
    response = client.post(url, {"decision": "accept"})
    assert "another e-mail address" in response.content.decode()
    assert not SpaceMembership.objects.filter(user__email="someone@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_invitation_for_anonymous_visitors_asks_to_sign_in(client):
    invitation = _invitation("guest@example.org")
    url = reverse("network:invitation_respond", args=[invitation.token])
    page = client.get(url).content.decode()
    assert reverse("account_login") in page
    response = client.post(url, {"decision": "accept"})
    assert reverse("account_login") in response["Location"]


def test_invitation_decline_and_dead_links(client):
    invitation = _invitation("guest@example.org")
    url = reverse("network:invitation_respond", args=[invitation.token])
    client.force_login(UserFactory(email="guest@example.org"))
    assert client.post(url, {"decision": "decline"})["Location"] == reverse("home")
    assert "already been answered" in client.get(url).content.decode()
    assert client.get(reverse("network:invitation_respond", args=["nope"])).status_code == 404


# Query counts -------------------------------------------------------------------------------


def test_directory_query_count_does_not_grow_with_rows(client, assert_same_query_count):
    _country, city, _district, _hoods = city_with_neighbourhoods()
    topic, organisation = TopicFactory(), OrganisationFactory()
    viewer = UserFactory()
    client.force_login(viewer)

    def make_rows(n: int) -> None:
        for _ in range(n):
            space = SpaceFactory(territory=city)
            space.topics.add(topic)
            space.organisations.add(organisation)
            SpaceMembershipFactory(space=space)

    assert_same_query_count(LIST, make_rows)


def test_directory_partial_query_count_does_not_grow_with_rows(client, assert_same_query_count):
    def make_rows(n: int) -> None:
        for _ in range(n):
            space = SpaceFactory()
            space.topics.add(TopicFactory())
            space.organisations.add(OrganisationFactory())

    client.defaults["HTTP_HX_REQUEST"] = "true"
    assert_same_query_count(LIST, make_rows)


def test_space_page_query_count_does_not_grow_with_members(client, assert_same_query_count):
    space = SpaceFactory()
    SpaceMembershipFactory(space=space, role=Role.ADMIN)
    client.force_login(SpaceMembershipFactory(space=space).user)

    def make_rows(n: int) -> None:
        SpaceMembershipFactory.create_batch(n, space=space)
        SpaceFactory.create_batch(n, parent=space)

    assert_same_query_count(_detail(space), make_rows)


def test_members_page_query_count_does_not_grow_with_rows(client, assert_same_query_count):
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    client.force_login(admin)

    def make_rows(n: int) -> None:
        SpaceMembershipFactory.create_batch(n, space=space)
        for _ in range(n):
            JoinRequest.objects.create(space=space, user=UserFactory())
            Invitation.objects.create(
                space=space, email=f"{UserFactory.build().email}", invited_by=admin
            )

    assert_same_query_count(_members(space), make_rows)
