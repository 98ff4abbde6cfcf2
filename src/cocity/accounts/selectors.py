"""Reads for people: what a viewer may see of someone's public profile."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cocity.accounts.types import Viewer
from cocity.core.languages import LANGUAGE_NAMES

from .models import User


@dataclass(frozen=True)
class PublicProfile:
    person: User
    languages: list[tuple[str, str]]  # (code, name in the viewer's language)
    home_city: Any
    home_neighbourhood: Any
    organisation_memberships: QuerySet[Any]
    space_memberships: QuerySet[Any]


def person_for_profile(*, pk: int) -> User:
    """The person behind /people/<pk>/; deleted accounts do not exist for visitors (404)."""
    person = (
        User.objects.select_related("home_city", "home_neighbourhood")
        .filter(pk=pk, deleted_at__isnull=True)
        .first()
    )
    if person is None:
        raise Http404
    return person


def profile_for_viewer(*, person: User, viewer: Viewer) -> PublicProfile:
    """The public side of a person: name, about, languages, home, organisations with role, and
    the spaces they belong to that the viewer may see (public ones, plus members-only spaces
    the viewer belongs to as well; staff see all). Each list is one query; no e-mail."""
    from cocity.network.models import OrganisationMembership, SpaceMembership
    from cocity.network.selectors import spaces_visible_to

    if person.deleted_at is not None:
        raise Http404
    organisations = (
        OrganisationMembership.objects.filter(user_id=person.pk)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )
    spaces = (
        SpaceMembership.objects.filter(
            user_id=person.pk, space_id__in=spaces_visible_to(viewer).values("pk")
        )
        .select_related("space")
        .order_by("space__name", "space_id")
    )
    return PublicProfile(
        person=person,
        languages=[(code, str(LANGUAGE_NAMES.get(code, code))) for code in person.languages or []],
        home_city=person.home_city,
        home_neighbourhood=person.home_neighbourhood,
        organisation_memberships=organisations,
        space_memberships=spaces,
    )
