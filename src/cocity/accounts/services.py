"""Writes for people: their profile, their data export, deleting their account.

One function per use case, keyword-only arguments, in a transaction, raising
``django.core.exceptions.ValidationError`` with a message the person can act on. Nothing is
written when anything is invalid.
"""

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import exports
from .exports import iso_utc
from .models import User

EXPORT_FORMAT = "cocity-account-export/1"

PROFILE_FIELDS = (
    "display_name",
    "bio",
    "languages",
    "time_zone",
    "home_city",
    "home_neighbourhood",
)


def account_create(*, email: str, password: str | None = None) -> User:
    """An account made by the site's staff (people sign up themselves through allauth): the
    e-mail address is the login, stored in lower case; without a password the person sets one
    with "forgot password"."""
    with transaction.atomic():
        person = User(email=User.objects.normalize_email((email or "").strip()).lower())
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.full_clean()
        person.save()
    return person


def profile_update(
    *,
    user: User,
    display_name: str,
    bio: str,
    languages: list[str],
    time_zone: str,
    home_city: Any,
    home_neighbourhood: Any,
    machine_translation: bool | None = None,
) -> User:
    """Change the person's public profile. ``home_city`` / ``home_neighbourhood`` are
    ``network.Territory`` rows or ``None``; the neighbourhood must lie inside the city."""
    with transaction.atomic():
        # Work on a fresh row so a refused change leaves the caller's object untouched.
        person = User.objects.select_for_update().get(pk=user.pk)
        if person.deleted_at is not None:
            raise ValidationError(_("This account has been deleted."), code="deleted")
        person.display_name = display_name
        person.bio = bio
        person.languages = list(languages)
        person.time_zone = time_zone
        person.home_city = home_city
        person.home_neighbourhood = home_neighbourhood
        if machine_translation is not None:
            person.machine_translation = machine_translation
        person.full_clean()
        person.save(update_fields=[*PROFILE_FIELDS, "machine_translation"])
    for field in [*PROFILE_FIELDS, "machine_translation"]:
        setattr(user, field, getattr(person, field))
    return person


def time_zone_set(*, user: User, time_zone: str) -> User:
    """Show this person's times in ``time_zone`` (the offer of their device's zone, one click);
    the rest of the profile is left as it is."""
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=user.pk)
        if person.deleted_at is not None:
            raise ValidationError(_("This account has been deleted."), code="deleted")
        person.time_zone = time_zone
        person.full_clean()
        person.save(update_fields=["time_zone"])
    user.time_zone = person.time_zone
    return person


def profile_as_dict(user: User) -> dict[str, Any]:
    home_city = user.home_city
    hood = user.home_neighbourhood
    return {
        "email": user.email,
        "display_name": user.display_name,
        "bio": user.bio,
        "languages": list(user.languages or []),
        "time_zone": user.time_zone,
        "home_city": {"code": home_city.code, "name": home_city.name} if home_city else None,
        "home_neighbourhood": {"code": hood.code, "name": hood.name} if hood else None,
        "date_joined": iso_utc(user.date_joined),
        "last_login": iso_utc(user.last_login),
    }


def account_export(*, user: User) -> dict[str, Any]:
    """Everything the person created or holds, as JSON-ready data: their profile and one entry
    per section registered in :mod:`cocity.accounts.exports`."""
    person = User.objects.select_related("home_city", "home_neighbourhood").get(pk=user.pk)
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": iso_utc(timezone.now()),
        "profile": profile_as_dict(person),
    }
    for name, section in exports.sections().items():
        data[name] = section(person)
    return data


def _sole_admin_message(space_names: list[str], organisation_names: list[str]) -> str:
    spaces = ", ".join(f"“{name}”" for name in space_names)
    organisations = ", ".join(f"“{name}”" for name in organisation_names)
    if spaces and organisations:
        message = _(
            "You are the only admin of the spaces %(spaces)s and of the organisations "
            "%(organisations)s. Make another member an admin there first, then delete your "
            "account."
        )
    elif spaces:
        message = _(
            "You are the only admin of the spaces %(spaces)s. Make another member an admin "
            "there first, then delete your account."
        )
    else:
        message = _(
            "You are the only admin of the organisations %(organisations)s. Make another "
            "member an admin there first, then delete your account."
        )
    return message % {"spaces": spaces, "organisations": organisations}


def account_delete(*, user: User, confirm_email: str) -> User:
    """Delete a person's account by anonymising it, in one transaction.

    The row stays (what they created keeps pointing at it and shows "Former member"); their
    e-mail, profile, password, e-mail addresses, memberships and pending join requests go.
    Refused, with the names, when they are the only admin of a space or an organisation.
    """
    from cocity.network.models import JoinRequest, OrganisationMembership, SpaceMembership
    from cocity.network.rules import forget_roles
    from cocity.network.selectors import (
        organisations_where_sole_admin,
        spaces_where_sole_admin,
    )

    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=user.pk)
        if person.deleted_at is not None:
            raise ValidationError(_("This account has already been deleted."), code="deleted")
        if (confirm_email or "").strip().lower() != person.email.lower():
            raise ValidationError(
                {"confirm_email": _("Type the e-mail address of your account exactly to confirm.")},
                code="confirm_mismatch",
            )
        space_names = list(
            spaces_where_sole_admin(person).order_by("name").values_list("name", flat=True)
        )
        organisation_names = list(
            organisations_where_sole_admin(person).order_by("name").values_list("name", flat=True)
        )
        if space_names or organisation_names:
            raise ValidationError(
                _sole_admin_message(space_names, organisation_names), code="sole_admin"
            )

        SpaceMembership.objects.filter(user_id=person.pk).delete()
        OrganisationMembership.objects.filter(user_id=person.pk).delete()
        JoinRequest.objects.filter(user_id=person.pk, status=JoinRequest.Status.PENDING).delete()
        # Decided requests stay for the spaces' records, without the person's own words.
        JoinRequest.objects.filter(user_id=person.pk).exclude(message="").update(message="")
        _delete_sign_in_records(person)

        person.email = f"deleted-{person.pk}@invalid.cocity"
        person.display_name = ""
        person.bio = ""
        person.languages = []
        person.time_zone = ""
        person.home_city = None
        person.home_neighbourhood = None
        person.set_unusable_password()  # also ends every session (their auth hash changes)
        person.is_active = False
        person.is_staff = False
        person.is_superuser = False
        person.deleted_at = timezone.now()
        person.save()
        person.groups.clear()
        person.user_permissions.clear()
    forget_roles(user)
    return person


def _delete_sign_in_records(person: User) -> None:
    """allauth's e-mail addresses, and social accounts / tracked sessions when those apps are
    installed. Sessions themselves stop working because the password hash changes."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user_id=person.pk).delete()
    for app_label, model_name in (
        ("socialaccount", "SocialAccount"),
        ("usersessions", "UserSession"),
        ("mfa", "Authenticator"),
    ):
        if apps.is_installed(f"allauth.{app_label}"):
            apps.get_model(app_label, model_name).objects.filter(user_id=person.pk).delete()
