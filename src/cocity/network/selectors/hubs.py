"""What "in this space / organisation / place" means for the hub pages (``cocity.core.hubs``):
the scope each capability's section filters by. Every part is a subquery, so building a scope
costs no query; the sections decide the rest."""

from django.db.models import Q, QuerySet

from cocity.accounts.types import Viewer
from cocity.core.hubs import Hub, HubScope, gather, paths_up

from ..models import Organisation, Space, Territory
from .spaces import spaces_visible_to

SUB_SPACE_LEVELS = 3  # a space's hub also gathers its sub-spaces this many levels down


def _space_and_below(space: Space) -> Q:
    condition = Q(pk=space.pk)
    lookup = "parent_id"
    for _level in range(SUB_SPACE_LEVELS):
        condition |= Q(**{lookup: space.pk})
        lookup = "parent__" + lookup
    return condition


def space_scope(*, space: Space, user: Viewer) -> HubScope:
    """The space and its sub-spaces that this person may see; the organisations that own it;
    its place."""
    return HubScope(
        kind="space",
        obj=space,
        viewer=user,
        spaces=spaces_visible_to(user).filter(_space_and_below(space)).values("pk"),
        organisations=Space.organisations.through.objects.filter(space_id=space.pk).values(
            "organisation_id"
        ),
        territory_path=space.territory.path if space.territory_id else "",  # type: ignore[union-attr]
    )


def organisation_scope(*, organisation: Organisation, user: Viewer) -> HubScope:
    """The spaces this organisation owns that this person may see, and the organisation."""
    owned = Space.organisations.through.objects.filter(organisation_id=organisation.pk).values(
        "space_id"
    )
    return HubScope(
        kind="organisation",
        obj=organisation,
        viewer=user,
        spaces=spaces_visible_to(user).filter(pk__in=owned).values("pk"),
        organisations=Organisation.objects.filter(pk=organisation.pk).values("pk"),
    )


def territory_scope(*, territory: Territory, user: Viewer) -> HubScope:
    """The visible spaces in this place or below it, the organisations based there, the place."""
    return HubScope(
        kind="territory",
        obj=territory,
        viewer=user,
        spaces=spaces_visible_to(user)
        .filter(territory__path__startswith=territory.path)
        .values("pk"),
        organisations=Organisation.objects.filter(
            home_territory__path__startswith=territory.path
        ).values("pk"),
        territory_path=territory.path,
    )


def hub(scope: HubScope) -> Hub:
    return gather(scope)


def spaces_gathering(
    *, organisation_id: int | None = None, territory_path: str = "", both_ways: bool = False
) -> QuerySet[Space]:
    """The spaces whose page shows content that belongs to no space (a pact, a campaign, a data
    set): :meth:`HubScope.match` read the other way round. The spaces the organisation owns, and
    the spaces whose place contains ``territory_path``; with ``both_ways``, also the spaces inside
    it (a city's data set is shown by every lab in the city). Whom to tell of news
    (``participation.services.space_news``, which keeps only those who may see each space)."""
    condition = Q(pk__in=[])
    if organisation_id is not None:
        condition |= Q(
            pk__in=Space.organisations.through.objects.filter(
                organisation_id=organisation_id
            ).values("space_id")
        )
    if territory_path:
        condition |= Q(territory__path__in=paths_up(territory_path))
        if both_ways:
            condition |= Q(territory__path__startswith=territory_path)
    return Space.objects.filter(condition)
