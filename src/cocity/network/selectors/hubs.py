"""What "in this space / organisation / place" means for the hub pages (``cocity.core.hubs``):
the scope each capability's section filters by. Every part is a subquery, so building a scope
costs no query; the sections decide the rest."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cocity.accounts.types import Viewer
from cocity.core.hubs import SCOPE_PARAMS, Hub, HubScope, gather, paths_up
from cocity.core.translations import translated

from ..models import (
    Organisation,
    OrganisationMembership,
    Role,
    Space,
    SpaceMembership,
    Territory,
)
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


def hub(scope: HubScope, *, with_actions: bool = True) -> Hub:
    return gather(scope, with_actions=with_actions)


def sees_what_visitors_see(user: Viewer) -> bool:
    """True when every hub section shows this person exactly what it shows a visitor, so the
    sections can be rendered once for both (a shared fragment): not staff, a member of no
    members-only space, editor or admin of no space and of no organisation. Those are all the
    roles the sections' visibility reads (``spaces_visible_to``: members-only spaces and the
    spaces an organisation's admins own; ``events.selectors.spaces_organised_by``: drafts for
    editors; ``pledges.selectors.sees_only_published``: drafts for an organisation's editors); a
    section that comes to read another role must be added here (``tests/network/test_hubs.py``
    compares both renderings). Two indexed EXISTS queries for most signed-in people."""
    if not user.is_authenticated:
        return True
    if user.is_staff:
        return False
    if (
        SpaceMembership.objects.filter(user_id=user.pk)
        .filter(
            ~Q(space__visibility=Space.Visibility.PUBLIC) | Q(role__in=[Role.EDITOR, Role.ADMIN])
        )
        .exists()
    ):
        return False
    return not OrganisationMembership.objects.filter(
        user_id=user.pk, role__in=[Role.EDITOR, Role.ADMIN]
    ).exists()


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


# --- A hub's scope in a list page's address ("See all") ----------------------------------------


def hub_scope_from_query(*, user: Viewer, params: Mapping[str, Any]) -> HubScope | None:
    """The hub scope a list page's address names (``?space=<slug>``, ``?organisation=<slug>``
    or ``?place=<code>``, as ``HubScope.query`` writes them; the first one present), built as on
    the hub's own page, so the list filtered by the section's queryset holds what the section
    counts. ``None`` without one. A space this person may not see is answered as a space that
    does not exist (``Http404``), so a members-only space's slug tells nothing."""
    slug = str(params.get(SCOPE_PARAMS["space"]) or "").strip()
    if slug:
        space = spaces_visible_to(user).filter(slug=slug[:200]).select_related("territory").first()
        if space is None:
            raise Http404(_("There is no space at this address, or it is not open to you."))
        return space_scope(space=space, user=user)
    slug = str(params.get(SCOPE_PARAMS["organisation"]) or "").strip()
    if slug:
        organisation = Organisation.objects.filter(slug=slug[:200]).first()
        if organisation is None:
            raise Http404(_("There is no organisation at this address."))
        return organisation_scope(organisation=organisation, user=user)
    code = str(params.get(SCOPE_PARAMS["territory"]) or "").strip()
    if code:
        territory = Territory.objects.filter(code__iexact=code[:32]).first()
        if territory is None:
            raise Http404(_("There is no place with this code."))
        return territory_scope(territory=territory, user=user)
    return None


@dataclass(frozen=True)
class HubFilter:
    """A list page filtered to a hub: the scope, and what the removable "In <name>" chip shows
    (``network/partials/hub_filter.html``)."""

    scope: HubScope
    name: str
    remove_url: str  # the same list with the same other filters, without the hub's
    hidden: tuple[tuple[str, str], ...] = ()  # what the list's filter form must carry along


def hub_filter(
    *, user: Viewer, params: Mapping[str, Any], form_fields: tuple[str, ...] = ()
) -> HubFilter | None:
    """:func:`hub_scope_from_query` and the chip that shows it. ``params`` is the request's
    ``GET`` (a ``QueryDict``); the link that removes the filter keeps every other filter and
    goes back to the first page. The scope's parameter goes into the list's filter form as a
    hidden field (``network/partials/hub_filter_fields.html``) unless the form has a field of
    that name (``form_fields``: the events list's space select)."""
    scope = hub_scope_from_query(user=user, params=params)
    if scope is None:
        return None
    dropped = {*SCOPE_PARAMS.values(), "page"}
    getlist = getattr(params, "getlist", None)
    pairs = [
        (key, value)
        for key in params
        if key not in dropped
        for value in (getlist(key) if getlist else [params[key]])
    ]
    return HubFilter(
        scope=scope,
        name=translated(scope.obj, "name"),
        remove_url="?" + urlencode(pairs),
        hidden=tuple((k, v) for k, v in scope.query.items() if k not in form_fields),
    )
