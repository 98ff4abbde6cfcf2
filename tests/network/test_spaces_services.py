"""Space services: happy paths, refusals with a clear message, and nothing written on refusal."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cocity.network.models import Invitation, JoinRequest, Role, Space, SpaceMembership
from cocity.network.services import spaces as services
from tests.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# Creating and editing -----------------------------------------------------------------------


def test_space_create_makes_the_creator_admin_and_a_unique_slug():
    creator = UserFactory()
    organisation = OrganisationMembershipFactory(user=creator, role=Role.EDITOR).organisation
    first = services.space_create(
        creator=creator, name="Housing Lab", kind=Space.Kind.LAB, organisations=[organisation]
    )
    second = services.space_create(creator=creator, name="Housing lab", kind=Space.Kind.LAB)
    assert first.slug == "housing-lab"
    assert second.slug == "housing-lab-2"
    assert list(first.organisations.all()) == [organisation]
    assert SpaceMembership.objects.get(space=first, user=creator).role == Role.ADMIN
    assert first.created_by == creator


def test_space_create_slug_for_a_name_without_latin_letters():
    space = services.space_create(creator=UserFactory(), name="مختبر", kind=Space.Kind.LAB)
    assert space.slug == "space"


def test_space_create_refuses_members_only_and_open_and_writes_nothing():
    creator = UserFactory()
    with pytest.raises(ValidationError) as caught:
        services.space_create(
            creator=creator,
            name="Secret",
            kind=Space.Kind.LAB,
            visibility=Space.Visibility.MEMBERS,
            join_policy=Space.JoinPolicy.OPEN,
        )
    assert "join_policy" in caught.value.message_dict
    assert not Space.objects.exists()
    assert not SpaceMembership.objects.exists()


def test_space_create_refuses_an_organisation_the_person_cannot_speak_for():
    creator = UserFactory()
    organisation = OrganisationMembershipFactory(user=creator, role=Role.MEMBER).organisation
    with pytest.raises(ValidationError) as caught:
        services.space_create(
            creator=creator, name="Lab", kind=Space.Kind.LAB, organisations=[organisation]
        )
    assert organisation.name in _messages(caught.value)
    assert not Space.objects.exists()


def test_space_create_refuses_a_parent_the_person_does_not_manage():
    parent = SpaceFactory()
    with pytest.raises(ValidationError) as caught:
        services.space_create(creator=UserFactory(), name="Lab", kind="lab", parent=parent)
    assert "parent" in caught.value.message_dict
    assert Space.objects.count() == 1


def test_space_create_needs_a_signed_in_person():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.space_create(creator=AnonymousUser(), name="Lab", kind="lab")


def test_space_update_refuses_itself_or_a_descendant_as_parent():
    admin = UserFactory()
    top = services.space_create(creator=admin, name="Top", kind="programme")
    middle = services.space_create(creator=admin, name="Middle", kind="lab", parent=top)
    bottom = services.space_create(creator=admin, name="Bottom", kind="lab", parent=middle)
    for parent in (top, middle, bottom):
        with pytest.raises(ValidationError) as caught:
            services.space_update(space=top, actor=admin, parent=parent)
        assert "parent" in caught.value.message_dict
    top.refresh_from_db()
    assert top.parent is None
    services.space_update(space=bottom, actor=admin, parent=top, name="Bottom renamed")
    bottom.refresh_from_db()
    assert (bottom.parent, bottom.name) == (top, "Bottom renamed")


def test_space_update_needs_change_permission_and_keeps_existing_organisations():
    admin = UserFactory()
    space = services.space_create(creator=admin, name="Lab", kind="lab")
    foreign = OrganisationFactory()
    space.organisations.add(foreign)
    # An admin may keep an organisation they are not part of, but not add a new one.
    services.space_update(space=space, actor=admin, organisations=[foreign], summary="Hello")
    with pytest.raises(ValidationError):
        services.space_update(space=space, actor=admin, organisations=[OrganisationFactory()])
    assert list(space.organisations.all()) == [foreign]
    with pytest.raises(PermissionDenied):
        services.space_update(space=space, actor=UserFactory(), name="Taken over")
    space.refresh_from_db()
    assert space.name == "Lab"


def test_space_update_refuses_members_only_open_and_writes_nothing():
    admin = UserFactory()
    space = services.space_create(creator=admin, name="Lab", kind="lab")
    with pytest.raises(ValidationError):
        services.space_update(
            space=space,
            actor=admin,
            visibility=Space.Visibility.MEMBERS,
            join_policy=Space.JoinPolicy.OPEN,
        )
    space.refresh_from_db()
    assert (space.visibility, space.join_policy) == ("public", "request")


# Joining and leaving ------------------------------------------------------------------------


def test_space_join_open_space():
    space = SpaceFactory(join_policy=Space.JoinPolicy.OPEN)
    user = UserFactory()
    membership = services.space_join(space=space, user=user)
    assert membership.role == Role.MEMBER
    with pytest.raises(ValidationError, match="already a member"):
        services.space_join(space=space, user=user)
    assert SpaceMembership.objects.count() == 1


@pytest.mark.parametrize("policy", [Space.JoinPolicy.REQUEST, Space.JoinPolicy.INVITATION])
def test_space_join_refuses_spaces_that_are_not_open(policy):
    space = SpaceFactory(join_policy=policy)
    with pytest.raises(ValidationError, match="not open"):
        services.space_join(space=space, user=UserFactory())
    assert not SpaceMembership.objects.exists()


def test_join_request_create_and_the_admins_are_told(django_capture_on_commit_callbacks):
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    user = UserFactory(display_name="Amina")
    with django_capture_on_commit_callbacks(execute=True):
        join_request = services.join_request_create(space=space, user=user, message="Hello")
    assert join_request.status == JoinRequest.Status.PENDING
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert "Amina" in mail.outbox[0].subject
    assert f"/spaces/{space.slug}/members/" in mail.outbox[0].body


def test_join_request_create_refusals_write_nothing():
    space = SpaceFactory()
    member = SpaceMembershipFactory(space=space).user
    with pytest.raises(ValidationError, match="already a member"):
        services.join_request_create(space=space, user=member)
    user = UserFactory()
    services.join_request_create(space=space, user=user)
    with pytest.raises(ValidationError, match="already asked"):
        services.join_request_create(space=space, user=user)
    for other in (
        SpaceFactory(join_policy=Space.JoinPolicy.OPEN),
        SpaceFactory(join_policy=Space.JoinPolicy.INVITATION),
        SpaceFactory(visibility=Space.Visibility.MEMBERS),
    ):
        with pytest.raises(ValidationError, match="does not take requests"):
            services.join_request_create(space=other, user=user)
    assert JoinRequest.objects.count() == 1


def test_join_request_withdraw():
    space = SpaceFactory()
    user = UserFactory()
    services.join_request_create(space=space, user=user)
    services.join_request_withdraw(space=space, user=user)
    assert JoinRequest.objects.get().status == JoinRequest.Status.WITHDRAWN
    with pytest.raises(ValidationError, match="no pending request"):
        services.join_request_withdraw(space=space, user=user)
    # Asking again after withdrawing is fine.
    services.join_request_create(space=space, user=user)


@pytest.mark.parametrize("accept", [True, False])
def test_join_request_decide_mails_the_requester(accept, django_capture_on_commit_callbacks):
    space = SpaceFactory(name="Garden Lab")
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    user = UserFactory()
    join_request = services.join_request_create(space=space, user=user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_decide(join_request=join_request, actor=admin, accept=accept)
    join_request.refresh_from_db()
    assert join_request.decided_by == admin
    assert join_request.status == ("accepted" if accept else "declined")
    assert SpaceMembership.objects.filter(space=space, user=user).exists() is accept
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "Garden Lab" in mail.outbox[0].subject
    assert ("accepted" if accept else "declined") in mail.outbox[0].body


def test_join_request_decide_mail_is_in_the_requesters_language(
    django_capture_on_commit_callbacks, monkeypatch
):
    from django.utils import translation

    space = SpaceFactory(name="Garden Lab")
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    user = UserFactory(languages=["wo", "fr", "en"])  # Wolof is spoken, not an interface language
    join_request = services.join_request_create(space=space, user=user)
    mail.outbox.clear()
    rendered_in = []
    from cocity.core import mail as core_mail

    real_render = core_mail.render_plain_text

    def recording_render(*args, **kwargs):  # type: ignore[no-untyped-def]
        rendered_in.append(translation.get_language())
        return real_render(*args, **kwargs)

    monkeypatch.setattr(core_mail, "render_plain_text", recording_render)
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_decide(join_request=join_request, actor=admin, accept=True)
    assert rendered_in == ["fr", "fr"]
    assert translation.get_language() == "en"
    assert len(mail.outbox) == 1


def test_join_request_decide_refusals():
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    editor = SpaceMembershipFactory(space=space, role=Role.EDITOR).user
    join_request = services.join_request_create(space=space, user=UserFactory())
    with pytest.raises(PermissionDenied):
        services.join_request_decide(join_request=join_request, actor=editor, accept=True)
    services.join_request_decide(join_request=join_request, actor=admin, accept=False)
    with pytest.raises(ValidationError, match="already been answered"):
        services.join_request_decide(join_request=join_request, actor=admin, accept=True)
    assert SpaceMembership.objects.filter(space=space).count() == 2


def test_join_request_decide_by_an_owning_organisation_admin():
    space = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    organisation = OrganisationFactory()
    space.organisations.add(organisation)
    org_admin = OrganisationMembershipFactory(organisation=organisation, role=Role.ADMIN).user
    join_request = JoinRequest.objects.create(space=space, user=UserFactory())
    services.join_request_decide(join_request=join_request, actor=org_admin, accept=True)
    assert SpaceMembership.objects.filter(space=space, user=join_request.user).exists()


def test_space_leave_and_the_last_admin_stays():
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    member = SpaceMembershipFactory(space=space).user
    services.space_leave(space=space, user=member)
    with pytest.raises(ValidationError, match="only admin"):
        services.space_leave(space=space, user=admin)
    with pytest.raises(ValidationError, match="not a member"):
        services.space_leave(space=space, user=member)
    assert list(SpaceMembership.objects.values_list("user_id", flat=True)) == [admin.pk]
    second = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    services.space_leave(space=space, user=admin)
    assert list(SpaceMembership.objects.values_list("user_id", flat=True)) == [second.pk]


# Managing members ---------------------------------------------------------------------------


def test_membership_role_change_and_the_last_admin():
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN)
    other = SpaceMembershipFactory(space=space)
    services.membership_role_change(membership=other, role=Role.EDITOR, actor=admin.user)
    other.refresh_from_db()
    assert other.role == Role.EDITOR
    with pytest.raises(ValidationError, match="at least one admin"):
        services.membership_role_change(membership=admin, role=Role.MEMBER, actor=admin.user)
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    with pytest.raises(ValidationError, match="member, editor or admin"):
        services.membership_role_change(membership=other, role="owner", actor=admin.user)
    with pytest.raises(PermissionDenied):
        services.membership_role_change(membership=admin, role=Role.MEMBER, actor=other.user)
    # With a second admin, the first may step down.
    services.membership_role_change(membership=other, role=Role.ADMIN, actor=admin.user)
    services.membership_role_change(membership=admin, role=Role.MEMBER, actor=admin.user)
    admin.refresh_from_db()
    assert admin.role == Role.MEMBER


def test_membership_remove_and_the_last_admin():
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN)
    other = SpaceMembershipFactory(space=space)
    with pytest.raises(ValidationError, match="at least one admin"):
        services.membership_remove(membership=admin, actor=admin.user)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=admin, actor=other.user)
    services.membership_remove(membership=other, actor=admin.user)
    assert list(SpaceMembership.objects.all()) == [admin]
    with pytest.raises(ValidationError, match="no longer a member"):
        services.membership_remove(membership=other, actor=admin.user)


# Invitations --------------------------------------------------------------------------------


def test_invitation_create_mails_the_accept_link(django_capture_on_commit_callbacks):
    space = SpaceFactory(name="Pact Lab")
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            space=space,
            email=" Guest@Example.org ",
            role=Role.EDITOR,
            invited_by=admin,
            link_base="https://cocity.example",
        )
    assert invitation.email == "guest@example.org"
    assert [m.to for m in mail.outbox] == [["guest@example.org"]]
    assert "Pact Lab" in mail.outbox[0].subject
    assert f"https://cocity.example/invitations/{invitation.token}/" in mail.outbox[0].body
    assert "editor" in mail.outbox[0].body


def test_nothing_is_mailed_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitation_create(space=space, email="a@example.org", invited_by=admin)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_invitation_create_refusals_write_nothing():
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    member = SpaceMembershipFactory(space=space, user=UserFactory(email="m@example.org")).user
    with pytest.raises(ValidationError) as caught:
        services.invitation_create(space=space, email="M@example.org", invited_by=admin)
    assert "already a member" in _messages(caught.value)
    services.invitation_create(space=space, email="new@example.org", invited_by=admin)
    with pytest.raises(ValidationError, match="pending invitation"):
        services.invitation_create(space=space, email="new@example.org", invited_by=admin)
    with pytest.raises(ValidationError):
        services.invitation_create(space=space, email="not-an-address", invited_by=admin)
    with pytest.raises(ValidationError):
        services.invitation_create(
            space=space, email="x@example.org", role="owner", invited_by=admin
        )
    with pytest.raises(PermissionDenied):
        services.invitation_create(space=space, email="y@example.org", invited_by=member)
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_makes_room_for_a_new_one():
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    old = services.invitation_create(space=space, email="a@example.org", invited_by=admin)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    new = services.invitation_create(space=space, email="a@example.org", invited_by=admin)
    old.refresh_from_db()
    assert old.status == Invitation.Status.REVOKED
    assert new.status == Invitation.Status.PENDING


def test_invitation_respond_accept_with_the_invited_verified_address():
    space = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    guest = UserFactory(email="guest@example.org")
    invitation = services.invitation_create(
        space=space, email="GUEST@example.org", role=Role.EDITOR, invited_by=admin
    )
    services.invitation_respond(token=invitation.token, user=guest, accept=True)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == guest
    assert SpaceMembership.objects.get(space=space, user=guest).role == Role.EDITOR
    assert guest.has_perm("network.view_space", space)


def test_invitation_respond_decline():
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    guest = UserFactory()
    invitation = services.invitation_create(space=space, email=guest.email, invited_by=admin)
    services.invitation_respond(token=invitation.token, user=guest, accept=False)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert not SpaceMembership.objects.filter(user=guest).exists()


def test_invitation_respond_refusals_write_nothing():
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    guest = UserFactory(email="guest@example.org")
    unverified = UserFactory(email="late@example.org", verified=False)
    someone = UserFactory()

    invitation = services.invitation_create(space=space, email=guest.email, invited_by=admin)
    with pytest.raises(ValidationError, match="another e-mail address"):
        services.invitation_respond(token=invitation.token, user=someone, accept=True)
    late = services.invitation_create(space=space, email=unverified.email, invited_by=admin)
    with pytest.raises(ValidationError, match="another e-mail address"):
        services.invitation_respond(token=late.token, user=unverified, accept=True)
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_respond(token="nope", user=guest, accept=True)

    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_respond(token=invitation.token, user=guest, accept=True)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    services.invitation_revoke(invitation=invitation, actor=admin)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_respond(token=invitation.token, user=guest, accept=True)
    assert SpaceMembership.objects.filter(space=space).count() == 1


def test_a_used_invitation_cannot_be_used_again():
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    guest = UserFactory()
    invitation = services.invitation_create(space=space, email=guest.email, invited_by=admin)
    services.invitation_respond(token=invitation.token, user=guest, accept=True)
    with pytest.raises(ValidationError, match="already been answered"):
        services.invitation_respond(token=invitation.token, user=guest, accept=False)
    with pytest.raises(ValidationError, match="already been answered"):
        services.invitation_revoke(invitation=invitation, actor=admin)


def test_an_invitation_raises_but_never_lowers_a_role():
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    editor = SpaceMembershipFactory(space=space, role=Role.EDITOR)
    invitation = Invitation.objects.create(
        space=space, email=editor.user.email, role=Role.MEMBER, invited_by=admin
    )
    services.invitation_respond(token=invitation.token, user=editor.user, accept=True)
    editor.refresh_from_db()
    assert editor.role == Role.EDITOR
    promotion = Invitation.objects.create(
        space=space, email=editor.user.email, role=Role.ADMIN, invited_by=admin
    )
    services.invitation_respond(token=promotion.token, user=editor.user, accept=True)
    editor.refresh_from_db()
    assert editor.role == Role.ADMIN


def test_accepting_an_invitation_closes_a_pending_request():
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    guest = UserFactory()
    services.join_request_create(space=space, user=guest)
    invitation = services.invitation_create(space=space, email=guest.email, invited_by=admin)
    services.invitation_respond(token=invitation.token, user=guest, accept=True)
    assert JoinRequest.objects.get().status == JoinRequest.Status.ACCEPTED
