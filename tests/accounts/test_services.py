"""Writes for people: profile update, data export, account deletion."""

import json
from datetime import UTC, datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from cocity.accounts import exports
from cocity.accounts.services import account_delete, account_export, profile_update
from cocity.network.models import (
    Invitation,
    JoinRequest,
    OrganisationMembership,
    Role,
    Space,
    SpaceMembership,
)
from tests.factories import city_with_neighbourhoods

pytestmark = pytest.mark.django_db


def _profile(**changes):  # type: ignore[no-untyped-def]
    values = {
        "display_name": "Amina",
        "bio": "Gardener.",
        "languages": ["fr", "ar"],
        "time_zone": "Europe/Paris",
        "home_city": None,
        "home_neighbourhood": None,
    }
    values.update(changes)
    return values


def _unchanged(user) -> None:  # type: ignore[no-untyped-def]
    before = (user.display_name, user.languages, user.time_zone, user.home_city_id)
    user.refresh_from_db()
    assert (user.display_name, user.languages, user.time_zone, user.home_city_id) == before


# --- profile_update ------------------------------------------------------------------------


def test_profile_update_saves_every_field(user) -> None:
    _, city, district, hoods = city_with_neighbourhoods()
    profile_update(
        user=user,
        **_profile(time_zone="Africa/Dakar", home_city=city, home_neighbourhood=hoods[1]),
    )
    user.refresh_from_db()
    assert user.display_name == "Amina"
    assert user.bio == "Gardener."
    assert user.languages == ["fr", "ar"]
    assert user.time_zone == "Africa/Dakar"
    assert user.home_city == city
    assert user.home_neighbourhood == hoods[1]
    # A district is a valid home "neighbourhood" too.
    profile_update(user=user, **_profile(home_city=city, home_neighbourhood=district))
    user.refresh_from_db()
    assert user.home_neighbourhood == district


def test_profile_update_unknown_time_zone_writes_nothing(user) -> None:
    with pytest.raises(ValidationError) as error:
        profile_update(user=user, **_profile(time_zone="Mars/Olympus"))
    assert "time_zone" in error.value.message_dict
    assert "Mars/Olympus" in error.value.message_dict["time_zone"][0]
    _unchanged(user)


def test_profile_update_unknown_language_writes_nothing(user) -> None:
    with pytest.raises(ValidationError) as error:
        profile_update(user=user, **_profile(languages=["fr", "xx"]))
    assert "Unknown language code: xx." in error.value.message_dict["languages"]
    _unchanged(user)


def test_profile_update_neighbourhood_outside_city_writes_nothing(user) -> None:
    _, marseille, _, _ = city_with_neighbourhoods()
    _, _, _, lyon_hoods = city_with_neighbourhoods(country_code="FX", city_code="FR-LYS")
    with pytest.raises(ValidationError) as error:
        profile_update(user=user, **_profile(home_city=marseille, home_neighbourhood=lyon_hoods[0]))
    assert error.value.message_dict["home_neighbourhood"] == [
        "This neighbourhood is not in Marseille."
    ]
    _unchanged(user)
    assert user.display_name != "Amina"  # the in-memory object was not touched either


def test_profile_update_city_that_is_not_a_city_writes_nothing(user) -> None:
    country, _, district, _ = city_with_neighbourhoods()
    for not_a_city in (country, district):
        with pytest.raises(ValidationError) as error:
            profile_update(user=user, **_profile(home_city=not_a_city))
        assert error.value.message_dict["home_city"] == ["Choose a city."]
    _unchanged(user)


def test_profile_update_too_long_name_writes_nothing(user) -> None:
    with pytest.raises(ValidationError):
        profile_update(user=user, **_profile(display_name="x" * 121))
    _unchanged(user)


# --- account_export ------------------------------------------------------------------------


def _rich_person(
    user_factory,
    space_factory,
    space_membership_factory,
    organisation_membership_factory,
):  # type: ignore[no-untyped-def]
    _, city, _, hoods = city_with_neighbourhoods()
    person = user_factory(
        email="amina@example.org",
        display_name="Amina",
        home_city=city,
        home_neighbourhood=hoods[0],
    )
    other = user_factory(email="other@example.org", display_name="Other Person")
    created = space_factory(name="Amina's Garden", created_by=person)
    space_membership_factory(user=person, space=created, role=Role.ADMIN)
    space_membership_factory(user=other, space=created, role=Role.ADMIN)
    organisation_membership_factory(user=person, role=Role.EDITOR, organisation__name="Union")
    organisation_membership_factory(user=other, organisation__name="Other Org")
    asked = space_factory(name="Allotments")
    JoinRequest.objects.create(space=asked, user=person, message="May I join?")
    JoinRequest.objects.create(space=asked, user=other, message="Other's own words")
    Invitation.objects.create(space=created, email="friend@example.org", invited_by=person)
    Invitation.objects.create(space=created, email="unrelated@example.org", invited_by=other)
    space_factory(name="Other's space", created_by=other)
    return person, other


def test_export_contains_the_persons_data_and_nothing_of_others(
    user_factory, space_factory, space_membership_factory, organisation_membership_factory
) -> None:
    person, _other = _rich_person(
        user_factory, space_factory, space_membership_factory, organisation_membership_factory
    )
    data = account_export(user=person)

    assert data["profile"]["email"] == "amina@example.org"
    assert data["profile"]["display_name"] == "Amina"
    assert data["profile"]["home_city"] == {"code": "FR-MRS", "name": "Marseille"}
    assert data["profile"]["home_neighbourhood"]["name"] == "Belle de Mai"
    assert data["email_addresses"] == [
        {"email": "amina@example.org", "verified": True, "primary": True}
    ]
    assert [(m["organisation"], m["role"]) for m in data["organisation_memberships"]] == [
        ("Union", "editor")
    ]
    assert [(m["space"], m["role"]) for m in data["space_memberships"]] == [
        ("Amina's Garden", "admin")
    ]
    assert [(r["space"], r["message"], r["status"]) for r in data["join_requests"]] == [
        ("Allotments", "May I join?", "pending")
    ]
    assert [i["email"] for i in data["invitations_sent"]] == ["friend@example.org"]
    assert [s["name"] for s in data["spaces_created"]] == ["Amina's Garden"]

    text = json.dumps(data)
    for foreign in ("other@example.org", "Other Person", "Other Org", "Other's own words",
                    "unrelated@example.org", "Other's space"):  # fmt: skip
        assert foreign not in text


def test_export_datetimes_are_iso_8601_utc(user) -> None:
    data = account_export(user=user)
    joined = datetime.fromisoformat(data["profile"]["date_joined"])
    assert joined.utcoffset() is not None and joined.utcoffset().total_seconds() == 0
    assert data["exported_at"].endswith("+00:00")
    assert joined.astimezone(UTC) == user.date_joined.astimezone(UTC)


def test_export_registry_lets_other_apps_add_a_section(user) -> None:
    def pledges(person):  # type: ignore[no-untyped-def]
        return [{"owner": person.pk}]

    exports.register("test_pledges", pledges)
    try:
        assert account_export(user=user)["test_pledges"] == [{"owner": user.pk}]
        exports.register("test_pledges", pledges)  # registering the same one again is fine
        with pytest.raises(ValueError, match="already registered"):
            exports.register("test_pledges", lambda person: [])
        with pytest.raises(ValueError, match="reserved"):
            exports.register("profile", lambda person: {})
    finally:
        exports.unregister("test_pledges")
    assert "test_pledges" not in account_export(user=user)


# --- account_delete ------------------------------------------------------------------------


def test_delete_anonymises_and_keeps_contributions(
    user_factory, space_factory, space_membership_factory, organisation_membership_factory
) -> None:
    person, other = _rich_person(
        user_factory, space_factory, space_membership_factory, organisation_membership_factory
    )
    decided = JoinRequest.objects.create(
        space=space_factory(),
        user=person,
        message="Old words",
        status=JoinRequest.Status.DECLINED,
    )
    account_delete(user=person, confirm_email="  AMINA@example.org ")

    person.refresh_from_db()
    assert person.email == f"deleted-{person.pk}@invalid.cocity"
    assert person.display_name == "" and person.bio == ""
    assert person.languages == [] and person.time_zone == ""
    assert person.home_city is None and person.home_neighbourhood is None
    assert not person.has_usable_password()
    assert not person.is_active and not person.is_staff
    assert person.deleted_at is not None
    assert person.public_name == "Former member"
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not SpaceMembership.objects.filter(user=person).exists()
    assert not OrganisationMembership.objects.filter(user=person).exists()
    assert not JoinRequest.objects.filter(user=person, status="pending").exists()
    decided.refresh_from_db()
    assert decided.message == ""
    # What they created stays, pointing at the anonymised row.
    created = Space.objects.get(name="Amina's Garden")
    assert created.created_by_id == person.pk
    assert str(created.created_by) == "Former member"
    assert Invitation.objects.filter(invited_by=person).exists()
    # Other people are untouched.
    other.refresh_from_db()
    assert other.email == "other@example.org" and other.is_active
    assert SpaceMembership.objects.filter(user=other).count() == 1


def test_deleted_person_cannot_log_in_again(client, user) -> None:
    email = user.email
    account_delete(user=user, confirm_email=email)
    assert not client.login(email=email, password="correct horse battery")


def test_delete_ends_existing_sessions(client, user) -> None:
    client.force_login(user)
    account_delete(user=user, confirm_email=user.email)
    response = client.get("/me/")
    assert response.status_code == 302  # the old session no longer authenticates


def test_delete_with_wrong_email_writes_nothing(user) -> None:
    with pytest.raises(ValidationError) as error:
        account_delete(user=user, confirm_email="someone@else.org")
    assert "confirm_email" in error.value.message_dict
    user.refresh_from_db()
    assert user.deleted_at is None and user.is_active


def test_delete_twice_is_refused(user) -> None:
    account_delete(user=user, confirm_email=user.email)
    with pytest.raises(ValidationError, match="already been deleted"):
        account_delete(user=user, confirm_email=f"deleted-{user.pk}@invalid.cocity")


def test_delete_sole_admin_is_refused_naming_spaces_and_organisations(
    user, space_membership_factory, organisation_membership_factory
) -> None:
    space_membership = space_membership_factory(
        user=user, role=Role.ADMIN, space__name="Garden Pact"
    )
    organisation_membership_factory(user=user, role=Role.ADMIN, organisation__name="Union")
    with pytest.raises(ValidationError) as error:
        account_delete(user=user, confirm_email=user.email)
    message = error.value.messages[0]
    assert "only admin" in message and "“Garden Pact”" in message and "“Union”" in message
    user.refresh_from_db()
    assert user.deleted_at is None and user.is_active
    assert SpaceMembership.objects.filter(pk=space_membership.pk).exists()
    assert EmailAddress.objects.filter(user=user).exists()


def test_delete_is_allowed_when_another_admin_remains(
    user, user_factory, space_membership_factory
) -> None:
    membership = space_membership_factory(user=user, role=Role.ADMIN)
    space_membership_factory(user=user_factory(), space=membership.space, role=Role.ADMIN)
    account_delete(user=user, confirm_email=user.email)
    assert not SpaceMembership.objects.filter(user=user).exists()
    assert SpaceMembership.objects.filter(space=membership.space).count() == 1
