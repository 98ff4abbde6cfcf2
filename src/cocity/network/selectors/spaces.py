"""Reads about spaces: every list decides its query shape once, here.

Visibility is decided in one place, :func:`spaces_visible_to`, and mirrors the
``network.view_space`` rule: public spaces, plus members-only spaces the person belongs to or
that an organisation they administer owns; staff see everything.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from cocity.accounts.types import Viewer
from cocity.core.cache import cached

from ..models import (
    Invitation,
    JoinRequest,
    Organisation,
    OrganisationMembership,
    Role,
    Space,
    SpaceMembership,
    Territory,
)


def spaces_visible_to(user: Viewer) -> QuerySet[Space]:
    """Public spaces, plus members-only spaces the person may see (all of them for staff).

    Membership is tested with ``IN (subquery)`` rather than a join, so the rows are not
    multiplied and annotations over ``memberships`` (member counts) stay correct.
    """
    spaces = Space.objects.all()
    if user.is_authenticated and user.is_staff:
        return spaces
    public = Q(visibility=Space.Visibility.PUBLIC)
    if not user.is_authenticated:
        return spaces.filter(public)
    member_of = SpaceMembership.objects.filter(user_id=user.pk).values("space_id")
    admin_orgs = OrganisationMembership.objects.filter(user_id=user.pk, role=Role.ADMIN).values(
        "organisation_id"
    )
    owned = Space.organisations.through.objects.filter(organisation_id__in=admin_orgs).values(
        "space_id"
    )
    return spaces.filter(public | Q(pk__in=member_of) | Q(pk__in=owned))


def persons_who_see(space: Space, user_ids: Iterable[int]) -> set[int]:
    """Which of these persons may see this space now: the rule of :func:`spaces_visible_to`
    asked the other way round, for many persons in one query (whom to notify, whose reminder to
    send). ``tests/network/test_visibility_follows_membership.py`` checks both agree."""
    ids = {int(pk) for pk in user_ids}
    if not ids or space.is_public:
        return ids
    members = SpaceMembership.objects.filter(space_id=space.pk).values("user_id")
    owners = Space.organisations.through.objects.filter(space_id=space.pk).values("organisation_id")
    admins = OrganisationMembership.objects.filter(
        organisation_id__in=owners, role=Role.ADMIN
    ).values("user_id")
    return set(
        get_user_model()
        .objects.filter(pk__in=ids)
        .filter(Q(is_staff=True) | Q(pk__in=members) | Q(pk__in=admins))
        .values_list("pk", flat=True)
    )


def _member_count() -> Coalesce:
    """Members per space as a scalar subquery: computed for the rows shown only, and the
    paginator's COUNT(*) needs no GROUP BY over every membership (see docs/benchmarks.md)."""
    counted = (
        SpaceMembership.objects.filter(space_id=OuterRef("pk"))
        .order_by()
        .values("space_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def home_overview(*, user: Viewer) -> dict[str, Any]:
    spaces = (
        spaces_visible_to(user)
        .select_related("territory")
        .prefetch_related("topics")
        .annotate(member_count=_member_count())
        .order_by("-created_at")[:6]
    )
    return {
        "latest_spaces": list(spaces),
        "organisation_count": Organisation.objects.count(),
        "space_count": spaces_visible_to(user).count(),
        "city_count": Territory.objects.filter(kind=Territory.Kind.CITY).count(),
    }


FILTER_SUGGESTIONS = 40


def space_filter_suggestions() -> dict[str, list[tuple[str, str]]]:
    """Suggestions for the directory's organisation and city filters: the organisations owning
    the most public spaces (slug, name) and the cities with the most (code, name). A few dozen,
    not every row: cached until the network changes."""
    from .territories import cities_ranked

    def compute() -> dict[str, list[tuple[str, str]]]:
        owners = (
            Space.organisations.through.objects.filter(space__visibility=Space.Visibility.PUBLIC)
            .values("organisation__slug", "organisation__name")
            .annotate(n=Count("space_id"))
            .order_by("-n", "organisation__name")[:FILTER_SUGGESTIONS]
        )
        paths = Space.objects.filter(
            visibility=Space.Visibility.PUBLIC, territory__isnull=False
        ).values_list("territory__path", flat=True)
        return {
            "organisations": [(o["organisation__slug"], o["organisation__name"]) for o in owners],
            "cities": cities_ranked(paths, limit=FILTER_SUGGESTIONS),
        }

    return cached(("network",), "space-filter-suggestions", compute)


def space_list(
    *,
    user: Viewer,
    kind: str = "",
    topic=None,
    organisation=None,
    city: Territory | None = None,
    query: str = "",
) -> QuerySet[Space]:
    """The directory: visible spaces, filtered; one query per page whatever the number of rows
    (plus one each for owning organisations and topics)."""
    spaces = spaces_visible_to(user)
    if kind:
        spaces = spaces.filter(kind=kind)
    if topic is not None:
        spaces = spaces.filter(
            pk__in=Space.topics.through.objects.filter(topic=topic).values("space_id")
        )
    if organisation is not None:
        spaces = spaces.filter(
            pk__in=Space.organisations.through.objects.filter(organisation=organisation).values(
                "space_id"
            )
        )
    if city is not None:
        spaces = spaces.filter(territory__path__startswith=city.path)
    if query:
        spaces = spaces.filter(Q(name__icontains=query) | Q(summary__icontains=query))
    return (
        spaces.select_related("territory")
        .prefetch_related("organisations", "topics")
        .annotate(member_count=_member_count())
        .order_by("name", "id")
    )


def space_for_viewer(*, slug: str, user: Viewer) -> Space | None:
    """The space with this slug if this person may see it, else None (the view answers 404)."""
    return (
        spaces_visible_to(user)
        .select_related("territory", "parent")
        .prefetch_related("organisations", "topics")
        .filter(slug=slug)
        .first()
    )


def space_children_visible_to(*, space: Space, user: Viewer) -> QuerySet[Space]:
    return spaces_visible_to(user).filter(parent_id=space.pk).order_by("name", "id")


ROLE_ORDER = Case(
    When(role=Role.ADMIN, then=Value(0)),
    When(role=Role.EDITOR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def space_members(*, space: Space) -> QuerySet[SpaceMembership]:
    """Members with their roles: admins first, then editors, then members."""
    return (
        SpaceMembership.objects.filter(space_id=space.pk)
        .select_related("user")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "user__display_name", "user_id")
    )


@dataclass
class ViewerState:
    """What the person looking at a space is to it, and what they may do there."""

    membership: SpaceMembership | None = None
    pending_request: JoinRequest | None = None
    perms: dict[str, bool] = field(default_factory=dict)

    @property
    def is_member(self) -> bool:
        return self.membership is not None


SPACE_PERMS = (
    "change_space",
    "manage_space_members",
    "join_space",
    "request_join_space",
    "leave_space",
    "view_space_members",
)


def viewer_state(*, space: Space, user: Viewer) -> ViewerState:
    state = ViewerState()
    if user.is_authenticated:
        state.membership = SpaceMembership.objects.filter(
            space_id=space.pk, user_id=user.pk
        ).first()
        state.pending_request = JoinRequest.objects.filter(
            space_id=space.pk, user_id=user.pk, status=JoinRequest.Status.PENDING
        ).first()
    state.perms = {name: user.has_perm(f"network.{name}", space) for name in SPACE_PERMS}
    return state


def space_pending_join_requests(*, space: Space) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(space_id=space.pk, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at", "id")
    )


def space_pending_invitations(*, space: Space) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(space_id=space.pk, status=Invitation.Status.PENDING)
        .select_related("invited_by")
        .order_by("-created_at", "id")
    )


def spaces_manageable_by(user: Viewer) -> QuerySet[Space]:
    """Spaces this person may change (``network.change_space``): as space admin, as admin of an
    owning organisation, or as staff. Used to offer parents for a new sub-space."""
    if not user.is_authenticated:
        return Space.objects.none()
    if user.is_staff:
        return Space.objects.all()
    admin_of = SpaceMembership.objects.filter(user_id=user.pk, role=Role.ADMIN).values("space_id")
    admin_orgs = OrganisationMembership.objects.filter(user_id=user.pk, role=Role.ADMIN).values(
        "organisation_id"
    )
    owned = Space.organisations.through.objects.filter(organisation_id__in=admin_orgs).values(
        "space_id"
    )
    return Space.objects.filter(Q(pk__in=admin_of) | Q(pk__in=owned))


def organisations_user_can_own_spaces_for(user: Viewer) -> QuerySet[Organisation]:
    """Organisations in whose name this person may own a space
    (``network.own_space_as_organisation``: editor or admin there, or staff)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_staff:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=OrganisationMembership.objects.filter(
            user_id=user.pk, role__in=(Role.EDITOR, Role.ADMIN)
        ).values("organisation_id")
    )


def invitation_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("space", "invited_by").filter(token=token).first()


def user_has_verified_email(*, user: Viewer, email: str) -> bool:
    from allauth.account.models import EmailAddress

    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user_id=user.pk, email__iexact=email, verified=True).exists()
