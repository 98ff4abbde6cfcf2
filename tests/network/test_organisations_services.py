"""Organisation services: create, edit, logo checks, members and the sole-admin rule."""

import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from PIL import Image

from cocity.network.models import Organisation, OrganisationMembership, Role
from cocity.network.services.organisations import (
    organisation_create,
    organisation_leave,
    organisation_member_add,
    organisation_member_change_role,
    organisation_member_remove,
    organisation_update,
)

pytestmark = pytest.mark.django_db


def image_file(name="logo.png", fmt="PNG", size=(8, 8), content_type="image/png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def create(user, **extra):
    arguments = {"creator": user, "name": "Friends of the Park", "kind": "civil_society"}
    arguments.update(extra)
    return organisation_create(**arguments)


class TestCreate:
    def test_creator_becomes_admin_and_slug_is_generated(self, user):
        organisation = create(user)
        assert organisation.slug == "friends-of-the-park"
        membership = OrganisationMembership.objects.get(organisation=organisation)
        assert (membership.user, membership.role) == (user, Role.ADMIN)

    def test_slugs_stay_unique(self, user):
        first, second = create(user), create(user)
        assert (first.slug, second.slug) == ("friends-of-the-park", "friends-of-the-park-2")

    def test_name_without_latin_letters_still_gets_a_slug(self, user):
        assert create(user, name="Ἀθῆναι").slug

    def test_bad_kind_writes_nothing(self, user):
        with pytest.raises(ValidationError) as error:
            create(user, kind="cartel")
        assert "kind" in error.value.message_dict
        assert not Organisation.objects.exists()
        assert not OrganisationMembership.objects.exists()

    def test_logo_with_alt_text(self, user):
        organisation = create(user, logo=image_file(), logo_alt="A blue square")
        assert organisation.logo.name.endswith(".png")

    def test_logo_is_stored_with_the_extension_of_its_content(self, user):
        logo = image_file("logo.svg", "JPEG", content_type="image/svg+xml")
        organisation = create(user, logo=logo, logo_alt="A blue square")
        assert organisation.logo.name.endswith(".jpg")

    @pytest.mark.parametrize(
        ("logo", "message"),
        [
            (
                SimpleUploadedFile(
                    "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"
                ),
                "SVG images are not accepted",
            ),
            (SimpleUploadedFile("logo.png", b"not an image at all", "image/png"), "not an image"),
            (SimpleUploadedFile("logo.gif", b"GIF89a", "image/gif"), "JPEG, PNG or WebP"),
        ],
    )
    def test_bad_logo_is_refused_and_nothing_written(self, user, logo, message):
        with pytest.raises(ValidationError) as error:
            create(user, logo=logo, logo_alt="Logo")
        assert message in " ".join(error.value.message_dict["logo"])
        assert not Organisation.objects.exists()

    def test_logo_too_big(self, user, settings):
        settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "logo": 100}
        with pytest.raises(ValidationError) as error:
            create(user, logo=image_file(size=(200, 200)), logo_alt="Logo")
        assert "the limit is 100\xa0bytes" in " ".join(error.value.message_dict["logo"])
        assert not Organisation.objects.exists()

    def test_logo_needs_alt_text(self, user):
        with pytest.raises(ValidationError) as error:
            create(user, logo=image_file(), logo_alt="  ")
        assert "logo_alt" in error.value.message_dict
        assert not Organisation.objects.exists()

    def test_jpeg_and_webp_accepted(self, user):
        create(user, logo=image_file("a.jpg", "JPEG", content_type="image/jpeg"), logo_alt="A")
        create(user, logo=image_file("a.webp", "WEBP", content_type="image/webp"), logo_alt="A")
        assert Organisation.objects.count() == 2


class TestUpdate:
    def test_update_keeps_slug(self, user):
        organisation = create(user)
        organisation_update(
            organisation=organisation,
            name="Park Friends",
            kind="network",
            home_territory=None,
            website="https://example.org",
            description="We **care**.",
            logo_alt="",
        )
        organisation.refresh_from_db()
        assert (organisation.name, organisation.slug, organisation.kind) == (
            "Park Friends",
            "friends-of-the-park",
            "network",
        )

    def test_bad_update_writes_nothing(self, user):
        organisation = create(user)
        with pytest.raises(ValidationError):
            organisation_update(
                organisation=organisation,
                name="Renamed",
                kind="network",
                home_territory=None,
                website="not a url",
                description="",
                logo_alt="",
            )
        organisation.refresh_from_db()
        assert organisation.name == "Friends of the Park"

    def test_remove_logo(self, user):
        organisation = create(user, logo=image_file(), logo_alt="Blue")
        organisation_update(
            organisation=organisation,
            name=organisation.name,
            kind=organisation.kind,
            home_territory=None,
            website="",
            description="",
            logo_alt="",
            remove_logo=True,
        )
        organisation.refresh_from_db()
        assert not organisation.logo


class TestMembers:
    def test_add_by_email_case_insensitive(self, user, user_factory):
        organisation = create(user)
        colleague = user_factory(email="sam@example.org")
        membership = organisation_member_add(
            organisation=organisation, email="SAM@Example.org", role=Role.EDITOR
        )
        assert (membership.user, membership.role) == (colleague, Role.EDITOR)

    def test_unknown_email(self, user):
        organisation = create(user)
        with pytest.raises(ValidationError) as error:
            organisation_member_add(organisation=organisation, email="nobody@example.org")
        assert "Nobody has an account" in error.value.message_dict["email"][0]
        assert organisation.memberships.count() == 1

    def test_already_member(self, user):
        organisation = create(user)
        with pytest.raises(ValidationError) as error:
            organisation_member_add(organisation=organisation, email=user.email)
        assert "already a member" in error.value.message_dict["email"][0]

    def test_bad_role(self, user, user_factory):
        organisation = create(user)
        other = user_factory()
        with pytest.raises(ValidationError):
            organisation_member_add(organisation=organisation, email=other.email, role="king")
        assert organisation.memberships.count() == 1

    def test_sole_admin_cannot_be_demoted_removed_or_leave(self, user):
        organisation = create(user)
        membership = organisation.memberships.get()
        with pytest.raises(ValidationError, match="only admin"):
            organisation_member_change_role(
                organisation=organisation, membership_id=membership.pk, role=Role.MEMBER
            )
        with pytest.raises(ValidationError, match="only admin"):
            organisation_member_remove(organisation=organisation, membership_id=membership.pk)
        with pytest.raises(ValidationError, match="only admin"):
            organisation_leave(organisation=organisation, user=user)
        membership.refresh_from_db()
        assert membership.role == Role.ADMIN

    def test_with_a_second_admin_the_first_can_step_down(self, user, user_factory):
        organisation = create(user)
        other = user_factory()
        second = organisation_member_add(
            organisation=organisation, email=other.email, role=Role.ADMIN
        )
        mine = organisation.memberships.get(user=user)
        organisation_member_change_role(
            organisation=organisation, membership_id=mine.pk, role=Role.EDITOR
        )
        mine.refresh_from_db()
        assert mine.role == Role.EDITOR
        organisation_member_remove(organisation=organisation, membership_id=mine.pk)
        assert list(organisation.memberships.all()) == [second]

    def test_member_can_leave(self, user, user_factory):
        organisation = create(user)
        other = user_factory()
        organisation_member_add(organisation=organisation, email=other.email)
        organisation_leave(organisation=organisation, user=other)
        assert not organisation.memberships.filter(user=other).exists()

    def test_non_member_cannot_leave(self, user, user_factory):
        organisation = create(user)
        with pytest.raises(ValidationError, match="not a member"):
            organisation_leave(organisation=organisation, user=user_factory())

    def test_membership_of_another_organisation_is_refused(self, user, user_factory):
        mine, theirs = create(user), create(user_factory(), name="Other")
        with pytest.raises(ValidationError, match="no longer a member"):
            organisation_member_remove(organisation=mine, membership_id=theirs.memberships.get().pk)
        assert theirs.memberships.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leaves_one_admin(user_factory):
    """Two connections each demote one of the last two admins at the same moment: the row locks
    make the second wait, see the first change, and refuse."""
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite serialises writers, so there is no race to test.")
    first, second = user_factory(), user_factory()
    organisation = create(first)
    organisation_member_add(organisation=organisation, email=second.email, role=Role.ADMIN)
    ids = list(organisation.memberships.values_list("pk", flat=True))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def demote(membership_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            organisation_member_change_role(
                organisation=organisation, membership_id=membership_id, role=Role.MEMBER
            )
            outcomes.append("demoted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=demote, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["demoted", "refused"]
    assert organisation.memberships.filter(role=Role.ADMIN).count() == 1
