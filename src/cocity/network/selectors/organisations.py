"""Reads for organisations: the directory and one organisation's page."""

from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from cocity.accounts.types import Viewer
from cocity.core.cache import cached

from ..models import Organisation, OrganisationMembership, Role, Space, Territory
from .spaces import spaces_visible_to
from .territories import cities_ranked


def _count_subquery(queryset: QuerySet, field: str) -> Coalesce:
    """COUNT of rows pointing at the outer organisation, as a scalar subquery (no row fan-out)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def organisations_with_counts() -> QuerySet[Organisation]:
    """Organisations with ``member_count`` and ``public_space_count`` (members-only spaces are
    not counted: their existence is not everyone's business) and their home territory."""
    public_spaces = Space.organisations.through.objects.filter(
        space__visibility=Space.Visibility.PUBLIC
    )
    return Organisation.objects.select_related("home_territory").annotate(
        member_count=_count_subquery(OrganisationMembership.objects.all(), "organisation"),
        public_space_count=_count_subquery(public_spaces, "organisation"),
    )


def organisation_directory(
    *, kind: str | None = None, city: Territory | None = None, query: str | None = None
) -> QuerySet[Organisation]:
    """The directory, filtered by kind, by city (home territory anywhere in the city's subtree)
    and by words in the name."""
    organisations = organisations_with_counts()
    if kind:
        organisations = organisations.filter(kind=kind)
    if city is not None:
        organisations = organisations.filter(home_territory__path__startswith=city.path)
    for word in (query or "").split()[:8]:
        organisations = organisations.filter(name__icontains=word)
    return organisations.order_by("name", "id")


def organisations_in_territory(territory: Territory) -> QuerySet[Organisation]:
    return organisations_with_counts().filter(home_territory__path__startswith=territory.path)


def organisation_members(organisation: Organisation) -> QuerySet[OrganisationMembership]:
    """Members with their person, admins first, then editors, then members."""
    rank = Case(
        When(role=Role.ADMIN, then=Value(0)),
        When(role=Role.EDITOR, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        OrganisationMembership.objects.filter(organisation_id=organisation.pk)
        .select_related("user")
        .annotate(role_rank=rank)
        .order_by("role_rank", "user__display_name", "user__email", "pk")
    )


def organisation_spaces(organisation: Organisation, *, user: Viewer) -> QuerySet[Space]:
    """Spaces the organisation owns that this viewer may see."""
    return (
        spaces_visible_to(user)
        .filter(organisations=organisation)
        .select_related("territory")
        .order_by("name", "id")
    )


def organisation_admin_count(organisation: Organisation) -> int:
    return OrganisationMembership.objects.filter(
        organisation_id=organisation.pk, role=Role.ADMIN
    ).count()


def city_choices() -> QuerySet[Territory]:
    return Territory.objects.filter(kind=Territory.Kind.CITY).order_by("name", "code")


CITY_SUGGESTIONS = 40


def organisation_city_suggestions() -> list[tuple[str, str]]:
    """The cities most organisations are based in, as ``(code, name)``: suggestions for the
    directory's city filter, cached until the network changes."""

    def compute() -> list[tuple[str, str]]:
        paths = Organisation.objects.filter(home_territory__isnull=False).values_list(
            "home_territory__path", flat=True
        )
        return cities_ranked(paths, limit=CITY_SUGGESTIONS)

    return cached(("network",), "organisation-city-suggestions", compute)


__all__ = [
    "city_choices",
    "organisation_admin_count",
    "organisation_city_suggestions",
    "organisation_directory",
    "organisation_members",
    "organisation_spaces",
    "organisations_in_territory",
    "organisations_with_counts",
]
