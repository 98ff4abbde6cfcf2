"""The Django admin: every network model's list pages load, and add pages where the admin may
add; the Territory admin runs the model's validation (codes, GeoJSON) and moves descendants
with a changed code; writes go through the services (last admins, slugs, topic loops), and
join requests and invitations are only shown."""

import json

import pytest
from django.urls import reverse

from cocity.network.models import (
    Invitation,
    JoinRequest,
    Organisation,
    OrganisationMembership,
    Space,
    SpaceMembership,
    Territory,
    Topic,
)
from tests.admin_forms import admin_form_data
from tests.factories import city_with_neighbourhoods

pytestmark = pytest.mark.django_db
MODELS = [
    Territory,
    Topic,
    Organisation,
    OrganisationMembership,
    Space,
    SpaceMembership,
    JoinRequest,
    Invitation,
]


@pytest.fixture
def some_rows(organisation_membership_factory, space_membership_factory, topic_factory):
    city_with_neighbourhoods()
    membership = organisation_membership_factory()
    space = space_membership_factory().space
    space.organisations.add(membership.organisation)
    topic_factory()
    JoinRequest.objects.create(space=space, user=membership.user)
    Invitation.objects.create(space=space, email="guest@example.org")


# No service adds these in the admin: people join a space themselves (request, invitation).
NO_ADDING = {SpaceMembership, JoinRequest, Invitation}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_load(admin_client, some_rows, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "a"}).status_code == 200
    assert admin_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    ).status_code == (403 if model in NO_ADDING else 200)
    obj = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert admin_client.get(change).status_code == 200


def territory_post(**extra):
    data = {"name": "Belgium", "code": "BE", "kind": "country", "parent": "", "boundary": ""}
    data.update(extra)
    return data


def test_territory_admin_rejects_a_point(admin_client):
    point = json.dumps({"type": "Point", "coordinates": [4.35, 50.85]})
    response = admin_client.post(
        reverse("admin:network_territory_add"), territory_post(boundary=point)
    )
    assert response.status_code == 200
    assert "must be a Polygon or MultiPolygon, not Point" in response.content.decode()
    assert not Territory.objects.exists()


def test_territory_admin_rejects_a_bad_code(admin_client):
    response = admin_client.post(
        reverse("admin:network_territory_add"), territory_post(code="be bru!")
    )
    assert response.status_code == 200
    assert "A territory code is 1 to 32 capital letters" in response.content.decode()
    assert not Territory.objects.exists()


def test_territory_admin_rejects_a_city_without_country(admin_client):
    response = admin_client.post(
        reverse("admin:network_territory_add"), territory_post(code="BE-BRU", kind="city")
    )
    assert "must be part of a" in response.content.decode()
    assert not Territory.objects.exists()


def test_territory_admin_adds_and_renames_with_descendants(admin_client):
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    response = admin_client.post(
        reverse("admin:network_territory_add"),
        territory_post(code="be", boundary=json.dumps({"type": "Feature", "geometry": square})),
    )
    assert response.status_code == 302
    belgium = Territory.objects.get(code="BE")
    assert belgium.boundary == square
    Territory.objects.create(name="Brussels", code="BE-BRU", kind="city", parent=belgium)
    response = admin_client.post(
        reverse("admin:network_territory_change", args=[belgium.pk]),
        territory_post(code="BEL", boundary=json.dumps(square)),
    )
    assert response.status_code == 302
    assert Territory.objects.get(code="BE-BRU").path == "BEL/BE-BRU/"


def test_territory_admin_refuses_a_kind_its_children_do_not_fit(admin_client):
    _country, city, _district, _hoods = city_with_neighbourhoods()
    response = admin_client.post(
        reverse("admin:network_territory_change", args=[city.pk]),
        territory_post(name="Marseille", code="FR-MRS", kind="country"),
    )
    assert response.status_code == 200
    assert "cannot be part of a country" in response.content.decode()
    assert Territory.objects.get(pk=city.pk).kind == "city"


def test_organisation_admin_refuses_an_svg_logo(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_client.post(
        reverse("admin:network_organisation_add"),
        {
            "name": "Org",
            "kind": "other",
            "logo": SimpleUploadedFile("x.svg", b"<svg/>", "image/svg+xml"),
            "logo_alt": "x",
            "created_at_0": "2024-01-01",
            "created_at_1": "10:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "SVG" in response.content.decode()
    assert response.context["adminform"].form.errors["logo"]
    assert not Organisation.objects.exists()


def test_organisation_added_in_the_admin_gets_its_slug_and_first_admin(admin_client, admin_user):
    url = reverse("admin:network_organisation_add")
    data = admin_form_data(admin_client, url, name="Ville de Lyon", kind="local_government")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    organisation = Organisation.objects.get(name="Ville de Lyon")
    assert organisation.slug == "ville-de-lyon"  # made by organisation_create
    assert organisation.memberships.get().user == admin_user


def test_the_last_admin_of_an_organisation_cannot_be_demoted(
    admin_client, organisation_membership_factory
):
    membership = organisation_membership_factory(role="admin")
    url = reverse("admin:network_organisationmembership_change", args=[membership.pk])
    response = admin_client.post(url, admin_form_data(admin_client, url, role="member"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert "admin" in " ".join(response.context["adminform"].form.non_field_errors())
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_the_last_admin_of_a_space_cannot_be_removed(admin_client, space_membership_factory):
    membership = space_membership_factory(role="admin")
    url = reverse("admin:network_spacemembership_delete", args=[membership.pk])
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "A space needs at least one admin" in response.content.decode()
    assert SpaceMembership.objects.filter(pk=membership.pk).exists()


def test_a_topic_cannot_sit_under_a_narrower_topic(admin_client, topic_factory):
    broad = topic_factory()
    narrow = topic_factory(parent=broad)
    url = reverse("admin:network_topic_change", args=[broad.pk])
    response = admin_client.post(url, admin_form_data(admin_client, url, parent=str(narrow.pk)))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"] == [
        "A topic cannot be broader than itself."
    ]
    assert Topic.objects.get(pk=broad.pk).parent is None


@pytest.mark.parametrize("model", [JoinRequest, Invitation], ids=lambda m: m.__name__)
def test_join_requests_and_invitations_are_read_only(admin_client, some_rows, model):
    obj = model.objects.get()
    opts = model._meta
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert admin_client.post(change, {"status": "accepted"}).status_code == 403
    delete = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.get(pk=obj.pk).status == obj.status


def test_space_added_in_the_admin_through_the_service(admin_client, admin_user, organisation):
    url = reverse("admin:network_space_add")
    data = admin_form_data(
        admin_client,
        url,
        name="Housing Lab",
        kind=Space.Kind.choices[0][0],
        organisations=[str(organisation.pk)],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    space = Space.objects.get(name="Housing Lab")
    assert space.slug == "housing-lab"  # made by space_create
    assert list(space.organisations.all()) == [organisation]  # set by the service
    assert space.memberships.get().user == admin_user  # its creator is its first admin
