"""Organisation pages: directory filters, htmx, pagination, page, create, edit, members, leave,
permissions per role, and query counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cocity.network.models import Organisation, OrganisationMembership, Role
from tests.factories import city_with_neighbourhoods

pytestmark = pytest.mark.django_db
LIST = reverse("network:organisation_list")


@pytest.fixture
def org_with_admin(organisation_factory, organisation_membership_factory, user_factory):
    organisation = organisation_factory(name="Friends of the Park", slug="friends")
    admin = user_factory()
    organisation_membership_factory(organisation=organisation, user=admin, role=Role.ADMIN)
    return organisation, admin


class TestDirectory:
    def test_lists_with_counts(self, client, org_with_admin, space_factory):
        organisation, _admin = org_with_admin
        space_factory(name="Public", visibility="public").organisations.add(organisation)
        space_factory(name="Secret", visibility="members", join_policy="request").organisations.add(
            organisation
        )
        response = client.get(LIST)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Friends of the Park" in page
        assert "1 member" in page
        assert "1 public space" in page
        assert response["Vary"] and "HX-Request" in response["Vary"]

    def test_filters(self, client, organisation_factory):
        _country, city, _district, hoods = city_with_neighbourhoods()
        organisation_factory(
            name="Garden Collective", kind="civil_society", home_territory=hoods[0]
        )
        organisation_factory(name="City Hall", kind="local_government", home_territory=city)
        organisation_factory(name="Elsewhere Garden", kind="civil_society")
        names = lambda response: [o.name for o in response.context["page_obj"]]  # noqa: E731
        assert names(client.get(LIST, {"city": "FR-MRS"})) == ["City Hall", "Garden Collective"]
        assert names(client.get(LIST, {"kind": "civil_society", "q": "garden"})) == [
            "Elsewhere Garden",
            "Garden Collective",
        ]
        assert names(client.get(LIST, {"q": "collective garden"})) == ["Garden Collective"]
        response = client.get(LIST, {"q": "nothing like it"})
        assert "No organisation matches these filters" in response.content.decode()

    def test_unknown_city_is_a_form_error_not_a_crash(self, client, organisation_factory):
        organisation_factory()
        response = client.get(LIST, {"city": "NOWHERE"})
        assert response.status_code == 200
        assert response.context["form"].errors["city"]

    def test_htmx_returns_the_results_partial(self, client, organisation_factory):
        organisation_factory(name="Garden Collective")
        response = client.get(LIST, {"q": "garden"}, HTTP_HX_REQUEST="true")
        page = response.content.decode()
        assert "<html" not in page
        assert 'data-announce="1 organisation found."' in page
        assert "Garden Collective" in page

    def test_pagination(self, client, organisation_factory, settings):
        settings.COCITY_PAGE_SIZE = 2
        for i in range(5):
            organisation_factory(name=f"Org {i}")
        response = client.get(LIST, {"page": 3})
        assert [o.name for o in response.context["page_obj"]] == ["Org 4"]
        assert "Page 3 of 3" in response.content.decode()

    def test_query_count_does_not_grow(
        self, assert_same_query_count, organisation_factory, organisation_membership_factory
    ):
        _country, city, *_ = city_with_neighbourhoods()

        def make(n):
            for _ in range(n):
                organisation = organisation_factory(home_territory=city)
                organisation_membership_factory(organisation=organisation)

        assert_same_query_count(LIST + "?city=FR-MRS", make)

    def test_htmx_query_count_does_not_grow(
        self, client, assert_same_query_count, organisation_factory
    ):
        client.defaults["HTTP_HX_REQUEST"] = "true"
        assert_same_query_count(LIST, lambda n: organisation_factory.create_batch(n))


class TestPage:
    def test_page_shows_details_members_and_only_visible_spaces(
        self, client, org_with_admin, space_factory
    ):
        organisation, admin = org_with_admin
        organisation.description = "We **plant** trees. <script>alert(1)</script>"
        organisation.website = "https://friends.example.org"
        organisation.save()
        space_factory(name="Public garden").organisations.add(organisation)
        space_factory(
            name="Secret board", visibility="members", join_policy="request"
        ).organisations.add(organisation)
        response = client.get(organisation.get_absolute_url())
        page = response.content.decode()
        assert "<strong>plant</strong>" in page
        assert "<script>alert" not in page
        assert admin.public_name in page
        assert "Public garden" in page
        assert "Secret board" not in page
        assert "Manage members" not in page

    def test_members_only_space_shown_to_its_member(
        self, client, org_with_admin, space_factory, space_membership_factory, user
    ):
        organisation, _admin = org_with_admin
        space = space_factory(name="Secret board", visibility="members", join_policy="request")
        space.organisations.add(organisation)
        space_membership_factory(space=space, user=user)
        client.force_login(user)
        assert "Secret board" in client.get(organisation.get_absolute_url()).content.decode()

    def test_logo_has_alt_text(self, client, organisation_factory):
        organisation = organisation_factory(logo="logos/x.png", logo_alt="A green leaf")
        page = client.get(organisation.get_absolute_url()).content.decode()
        assert 'alt="A green leaf"' in page

    def test_unknown_slug_is_404(self, client):
        assert client.get("/organisations/nope/").status_code == 404

    def test_admin_sees_actions(self, client, org_with_admin):
        organisation, admin = org_with_admin
        client.force_login(admin)
        page = client.get(organisation.get_absolute_url()).content.decode()
        assert "Manage members" in page
        assert "Edit the details" in page


def png(name="logo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class TestCreate:
    URL = reverse("network:organisation_create")

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(self.URL)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]

    def test_create(self, client, user):
        client.force_login(user)
        assert client.get(self.URL).status_code == 200
        response = client.post(
            self.URL,
            {
                "name": "Friends\x07 of the Park",
                "kind": "civil_society",
                "logo": png(),
                "logo_alt": "Red",
            },
        )
        organisation = Organisation.objects.get()
        assert response.status_code == 302
        assert response["Location"] == organisation.get_absolute_url()
        assert organisation.name == "Friends of the Park"
        assert OrganisationMembership.objects.get().role == Role.ADMIN

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            (
                {"logo": SimpleUploadedFile("x.svg", b"<svg/>", "image/svg+xml"), "logo_alt": "x"},
                "SVG images are not accepted",
            ),
            (
                {"logo": SimpleUploadedFile("x.png", b"nope", "image/png"), "logo_alt": "x"},
                "not an image",
            ),
            ({"logo": png()}, "Describe the logo"),
        ],
    )
    def test_bad_logo(self, client, user, extra, message):
        client.force_login(user)
        response = client.post(self.URL, {"name": "Org", "kind": "civil_society", **extra})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Organisation.objects.exists()

    def test_logo_too_big(self, client, user, settings):
        settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "logo": 10}
        client.force_login(user)
        response = client.post(
            self.URL, {"name": "Org", "kind": "civil_society", "logo": png(), "logo_alt": "x"}
        )
        assert "the limit is 10\xa0bytes" in response.content.decode()
        assert not Organisation.objects.exists()


class TestEdit:
    @pytest.fixture
    def url(self, org_with_admin):
        return reverse("network:organisation_edit", args=[org_with_admin[0].slug])

    def test_anonymous_to_login(self, client, url):
        assert client.get(url).status_code == 302

    def test_member_is_forbidden(
        self, client, url, org_with_admin, organisation_membership_factory
    ):
        member = organisation_membership_factory(organisation=org_with_admin[0], role=Role.EDITOR)
        client.force_login(member.user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "Hacked", "kind": "other"}).status_code == 403
        assert Organisation.objects.get().name == "Friends of the Park"

    def test_admin_edits(self, client, url, org_with_admin):
        organisation, admin = org_with_admin
        client.force_login(admin)
        assert client.get(url).status_code == 200
        response = client.post(url, {"name": "Park Friends", "kind": "network"})
        assert response.status_code == 302
        organisation.refresh_from_db()
        assert (organisation.name, organisation.slug) == ("Park Friends", "friends")

    def test_staff_edits(self, client, url, user_factory):
        client.force_login(user_factory(is_staff=True))
        assert client.get(url).status_code == 200

    def test_invalid_edit_writes_nothing(self, client, url, org_with_admin):
        client.force_login(org_with_admin[1])
        response = client.post(url, {"name": "", "kind": "network"})
        assert response.status_code == 400
        assert Organisation.objects.get().name == "Friends of the Park"


class TestMembers:
    @pytest.fixture
    def url(self, org_with_admin):
        return reverse("network:organisation_members", args=[org_with_admin[0].slug])

    def test_roles(
        self, client, url, org_with_admin, organisation_membership_factory, user_factory
    ):
        assert client.get(url).status_code == 302  # anonymous: log in
        member = organisation_membership_factory(organisation=org_with_admin[0])
        client.force_login(member.user)
        assert client.get(url).status_code == 403
        client.force_login(user_factory(is_staff=True))
        assert client.get(url).status_code == 200
        client.force_login(org_with_admin[1])
        assert client.get(url).status_code == 200

    def test_add_change_remove(self, client, url, org_with_admin, user_factory):
        organisation, admin = org_with_admin
        client.force_login(admin)
        colleague = user_factory(email="sam@example.org")
        response = client.post(
            url, {"action": "add", "add-email": "sam@example.org", "add-role": "editor"}
        )
        assert response.status_code == 302
        membership = organisation.memberships.get(user=colleague)
        assert membership.role == Role.EDITOR
        client.post(url, {"action": "role", "membership": membership.pk, "role": "admin"})
        membership.refresh_from_db()
        assert membership.role == Role.ADMIN
        client.post(url, {"action": "remove", "membership": membership.pk})
        assert not organisation.memberships.filter(user=colleague).exists()

    def test_unknown_email(self, client, url, org_with_admin):
        client.force_login(org_with_admin[1])
        response = client.post(
            url, {"action": "add", "add-email": "ghost@example.org", "add-role": "member"}
        )
        assert response.status_code == 400
        assert (
            "Nobody has an account with the address ghost@example.org" in response.content.decode()
        )
        assert org_with_admin[0].memberships.count() == 1

    def test_sole_admin_cannot_demote_self(self, client, url, org_with_admin):
        organisation, admin = org_with_admin
        client.force_login(admin)
        membership = organisation.memberships.get()
        response = client.post(
            url, {"action": "role", "membership": membership.pk, "role": "member"}, follow=True
        )
        assert "only admin of this organisation" in response.content.decode()
        membership.refresh_from_db()
        assert membership.role == Role.ADMIN

    def test_demoting_self_with_another_admin_goes_back_to_the_page(
        self, client, url, org_with_admin, organisation_membership_factory
    ):
        organisation, admin = org_with_admin
        organisation_membership_factory(organisation=organisation, role=Role.ADMIN)
        client.force_login(admin)
        mine = organisation.memberships.get(user=admin)
        response = client.post(url, {"action": "role", "membership": mine.pk, "role": "member"})
        assert response["Location"] == organisation.get_absolute_url()

    def test_members_page_query_count(
        self, client, url, org_with_admin, assert_same_query_count, organisation_membership_factory
    ):
        client.force_login(org_with_admin[1])
        assert_same_query_count(
            url,
            lambda n: organisation_membership_factory.create_batch(
                n, organisation=org_with_admin[0]
            ),
        )


class TestLeave:
    def test_member_leaves(self, client, org_with_admin, organisation_membership_factory):
        organisation, _admin = org_with_admin
        member = organisation_membership_factory(organisation=organisation)
        url = reverse("network:organisation_leave", args=[organisation.slug])
        client.force_login(member.user)
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 302
        assert not organisation.memberships.filter(user=member.user).exists()

    def test_sole_admin_cannot_leave(self, client, org_with_admin):
        organisation, admin = org_with_admin
        client.force_login(admin)
        response = client.post(reverse("network:organisation_leave", args=[organisation.slug]))
        assert response.status_code == 400
        assert "You are the only admin" in response.content.decode()
        assert organisation.memberships.filter(user=admin).exists()

    def test_non_member_forbidden(self, client, org_with_admin, user):
        client.force_login(user)
        url = reverse("network:organisation_leave", args=[org_with_admin[0].slug])
        assert client.post(url).status_code == 403
