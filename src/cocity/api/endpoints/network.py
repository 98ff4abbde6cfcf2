"""Spaces, organisations, places (with their boundaries as GeoJSON) and topics.

Read through the network's selectors: a members-only space is absent from the lists and answers
404 to whoever may not see it, exactly as its page does. Names are given in the caller's
language (``Accept-Language``) when a translation exists, as on the pages.
"""

from datetime import datetime
from typing import Any, Literal

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from cocity.core import geojson
from cocity.core.translations import translated
from cocity.network.models import Organisation, Space, Territory, Topic
from cocity.network.selectors import organisations as organisation_selectors
from cocity.network.selectors import spaces as space_selectors
from cocity.network.selectors import territories as territory_selectors

from ..http import conditional
from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_page

router = Router(tags=["network"])

NAMESPACES = ("network",)
SLUG = r"^[-a-zA-Z0-9_]+$"
CODE = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
SPACES_ON_ORGANISATION = 12  # as on the organisation's page

Cursor = Field(None, max_length=1000, description="The `next` of the previous page.")
Limit = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")


# Schemas -------------------------------------------------------------------------------------


class Ref(Schema):
    """Another object, by the key its page's address uses."""

    slug: str
    name: str
    url: str


class PlaceRef(Schema):
    code: str
    name: str
    kind: str
    url: str


class SpaceOut(Schema):
    id: int
    slug: str
    name: str
    summary: str
    kind: str
    visibility: Literal["public", "members"]
    join_policy: str
    url: str
    place: PlaceRef | None
    organisations: list[Ref]
    topics: list[Ref]
    created_at: datetime


class SpaceListItem(SpaceOut):
    member_count: int


class SpaceDetail(SpaceOut):
    description: str
    parent: Ref | None = Field(None, description="Only when you may see the parent space.")
    children: list[Ref] = Field(description="The sub-spaces you may see.")


class SpacePage(Schema):
    items: list[SpaceListItem]
    next: str | None


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    website: str
    url: str
    home_place: PlaceRef | None
    member_count: int
    public_space_count: int
    created_at: datetime


class OrganisationDetail(OrganisationOut):
    description: str
    spaces: list[Ref] = Field(
        description="The first spaces it owns that you may see (all: /spaces?organisation=)."
    )


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next: str | None


class Geometry(Schema):
    """A GeoJSON geometry (RFC 7946): a Polygon or a MultiPolygon, longitude first."""

    type: Literal["Polygon", "MultiPolygon"]
    coordinates: list[Any]


class PlaceOut(Schema):
    id: int
    code: str
    name: str
    kind: Literal["country", "city", "district", "neighbourhood"]
    url: str
    parent: str | None = Field(description="The code of the place it is part of.")
    has_boundary: bool
    boundary_approximate: bool
    boundary: Geometry | None = Field(
        None, description="With `boundary=true` in lists; always on a place's own address."
    )


class PlaceDetail(PlaceOut):
    ancestors: list[PlaceRef] = Field(description="From the country down to the parent.")
    children: list[PlaceRef]


class PlacePage(Schema):
    items: list[PlaceOut]
    next: str | None


class TopicOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    url: str
    parent: str | None = Field(description="The slug of the broader topic.")


class TopicDetail(TopicOut):
    narrower: list[Ref]


class TopicPage(Schema):
    items: list[TopicOut]
    next: str | None


# Converting ----------------------------------------------------------------------------------


def _ref(obj: Any) -> Ref:
    return Ref(slug=obj.slug, name=translated(obj, "name"), url=obj.get_absolute_url())


def _place_ref(territory: Territory | None) -> PlaceRef | None:
    if territory is None:
        return None
    return PlaceRef(
        code=territory.code,
        name=translated(territory, "name"),
        kind=territory.kind,
        url=territory.get_absolute_url(),
    )


def _space_fields(space: Space) -> dict[str, Any]:
    return {
        "id": space.pk,
        "slug": space.slug,
        "name": translated(space, "name"),
        "summary": translated(space, "summary"),
        "kind": space.kind,
        "visibility": space.visibility,
        "join_policy": space.join_policy,
        "url": space.get_absolute_url(),
        "place": _place_ref(space.territory),
        "organisations": [_ref(o) for o in space.organisations.all()],
        "topics": [_ref(t) for t in space.topics.all()],
        "created_at": space.created_at,
    }


def _space_item(space: Space) -> SpaceListItem:
    return SpaceListItem(**_space_fields(space), member_count=space.member_count)  # type: ignore[attr-defined]


def _organisation_fields(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "slug": organisation.slug,
        "name": translated(organisation, "name"),
        "kind": organisation.kind,
        "website": organisation.website,
        "url": organisation.get_absolute_url(),
        "home_place": _place_ref(organisation.home_territory),
        "member_count": organisation.member_count,  # type: ignore[attr-defined]
        "public_space_count": organisation.public_space_count,  # type: ignore[attr-defined]
        "created_at": organisation.created_at,
    }


def _geometry(territory: Territory) -> Geometry | None:
    if not territory.boundary:
        return None
    try:
        shape = geojson.geometry_of(territory.boundary)
    except geojson.GeoJSONError:
        return None
    return Geometry(**shape)


def _place_fields(
    territory: Territory, *, parent: str | None, boundary: bool, has_boundary: bool | None = None
) -> dict[str, Any]:
    """``has_boundary`` when the boundary was not read (a list without shapes)."""
    return {
        "id": territory.pk,
        "code": territory.code,
        "name": translated(territory, "name"),
        "kind": territory.kind,
        "url": territory.get_absolute_url(),
        "parent": parent,
        "has_boundary": bool(territory.boundary) if has_boundary is None else has_boundary,
        "boundary_approximate": territory.boundary_approximate,
        "boundary": _geometry(territory) if boundary else None,
    }


def _parent_code(territory: Territory) -> str | None:
    """The parent's code, read from the materialised path (no query)."""
    codes = [code for code in territory.path.split("/") if code]
    return codes[-2] if len(codes) > 1 else None


def _topic_fields(topic: Topic) -> dict[str, Any]:
    return {
        "id": topic.pk,
        "slug": topic.slug,
        "name": translated(topic, "name"),
        "description": translated(topic, "description"),
        "url": topic.get_absolute_url(),
        "parent": topic.parent.slug if topic.parent_id and topic.parent else None,
    }


def _city(code: str | None) -> Territory | None:
    if not code:
        return None
    return get_object_or_404(Territory, kind=Territory.Kind.CITY, code=code.upper())


# Spaces --------------------------------------------------------------------------------------


class SpaceFilters(Schema):
    q: str = Field("", max_length=200, description="Words in the name or the summary.")
    kind: Literal["partnership", "working_group", "lab", "programme", "series"] | None = None
    topic: str | None = Field(None, max_length=120, pattern=SLUG, description="A topic's slug.")
    organisation: str | None = Field(
        None, max_length=200, pattern=SLUG, description="An owning organisation's slug."
    )
    city: str | None = Field(None, max_length=32, pattern=CODE, description="A city's code.")
    cursor: str | None = Cursor
    limit: int = Limit


@router.get("/spaces", response=SpacePage, summary="Spaces you may see (the directory)")
@conditional(*NAMESPACES)
def space_list(request: HttpRequest, filters: Query[SpaceFilters]) -> dict[str, Any]:
    topic = get_object_or_404(Topic, slug=filters.topic) if filters.topic else None
    organisation = (
        get_object_or_404(Organisation, slug=filters.organisation) if filters.organisation else None
    )
    spaces = space_selectors.space_list(
        user=request.user,
        kind=filters.kind or "",
        topic=topic,
        organisation=organisation,
        city=_city(filters.city),
        query=" ".join(filters.q.replace("\x00", " ").split()),
    )
    return cursor_page(
        spaces,
        cursor=filters.cursor,
        limit=filters.limit,
        order=("name", "id"),
        convert=_space_item,
    )


@router.get("/spaces/{slug}", response=SpaceDetail, summary="A space (404 when you may not see it)")
@conditional(*NAMESPACES)
def space_detail(request: HttpRequest, slug: str) -> SpaceDetail:
    space = space_selectors.space_for_viewer(slug=slug[:200], user=request.user)
    if space is None:
        raise Http404
    parent = None
    if space.parent_id is not None:
        parent = space_selectors.spaces_visible_to(request.user).filter(pk=space.parent_id).first()
    children = space_selectors.space_children_visible_to(space=space, user=request.user)
    return SpaceDetail(
        **_space_fields(space),
        description=translated(space, "description"),
        parent=_ref(parent) if parent is not None else None,
        children=[_ref(child) for child in children],
    )


# Organisations -------------------------------------------------------------------------------


class OrganisationFilters(Schema):
    q: str = Field("", max_length=100, description="Words in the name.")
    kind: (
        Literal[
            "local_government",
            "civil_society",
            "research",
            "network",
            "public_service",
            "other",
        ]
        | None
    ) = None
    city: str | None = Field(None, max_length=32, pattern=CODE, description="A city's code.")
    cursor: str | None = Cursor
    limit: int = Limit


@router.get("/organisations", response=OrganisationPage, summary="Organisations (the directory)")
@conditional(*NAMESPACES)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> dict[str, Any]:
    organisations = organisation_selectors.organisation_directory(
        kind=filters.kind, city=_city(filters.city), query=filters.q.replace("\x00", " ")
    )
    return cursor_page(
        organisations,
        cursor=filters.cursor,
        limit=filters.limit,
        order=("name", "id"),
        convert=lambda o: OrganisationOut(**_organisation_fields(o)),
    )


@router.get("/organisations/{slug}", response=OrganisationDetail, summary="An organisation")
@conditional(*NAMESPACES)
def organisation_detail(request: HttpRequest, slug: str) -> OrganisationDetail:
    organisation = get_object_or_404(
        organisation_selectors.organisations_with_counts(), slug=slug[:200]
    )
    spaces = organisation_selectors.organisation_spaces(organisation, user=request.user)
    return OrganisationDetail(
        **_organisation_fields(organisation),
        description=translated(organisation, "description"),
        spaces=[_ref(space) for space in spaces[:SPACES_ON_ORGANISATION]],
    )


# Places --------------------------------------------------------------------------------------


class PlaceFilters(Schema):
    kind: Literal["country", "city", "district", "neighbourhood"] | None = None
    parent: str | None = Field(
        None, max_length=32, pattern=CODE, description="The places directly in this one."
    )
    within: str | None = Field(
        None, max_length=32, pattern=CODE, description="The places anywhere in this one."
    )
    boundary: bool = Field(False, description="Include each place's boundary.")
    cursor: str | None = Cursor
    limit: int = Limit


@router.get("/places", response=PlacePage, summary="Places (countries, cities, districts...)")
@conditional(*NAMESPACES)
def place_list(request: HttpRequest, filters: Query[PlaceFilters]) -> dict[str, Any]:
    places = Territory.objects.all()
    if not filters.boundary:
        places = places.defer("boundary")
    if filters.kind:
        places = places.filter(kind=filters.kind)
    if filters.parent:
        parent = territory_selectors.territory_by_code(filters.parent)
        places = places.filter(parent_id=parent.pk)
    if filters.within:
        area = territory_selectors.territory_by_code(filters.within)
        places = places.filter(path__startswith=area.path).exclude(pk=area.pk)
    if not filters.boundary:  # whether there is one, without reading it
        places = places.annotate(
            with_boundary=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField())
        )

    def convert(territory: Territory) -> PlaceOut:
        return PlaceOut(
            **_place_fields(
                territory,
                parent=_parent_code(territory),
                boundary=filters.boundary,
                has_boundary=None if filters.boundary else bool(territory.with_boundary),  # type: ignore[attr-defined]
            )
        )

    return cursor_page(
        places, cursor=filters.cursor, limit=filters.limit, order=("path", "id"), convert=convert
    )


@router.get(
    "/places/{code}",
    response=PlaceDetail,
    summary="A place, with its boundary as a GeoJSON geometry",
)
@conditional(*NAMESPACES)
def place_detail(request: HttpRequest, code: str) -> PlaceDetail:
    if len(code) > 32:
        raise Http404
    territory = territory_selectors.territory_by_code(code)
    return PlaceDetail(
        **_place_fields(territory, parent=_parent_code(territory), boundary=True),
        ancestors=[
            ref
            for ref in map(_place_ref, territory_selectors.territory_ancestors(territory))
            if ref is not None
        ],
        children=[
            ref
            for ref in map(
                _place_ref,
                territory_selectors.territory_children(territory).defer("boundary"),
            )
            if ref is not None
        ],
    )


# Topics --------------------------------------------------------------------------------------


class TopicFilters(Schema):
    parent: str | None = Field(
        None, max_length=120, pattern=SLUG, description="The narrower topics of this one."
    )
    cursor: str | None = Cursor
    limit: int = Limit


@router.get("/topics", response=TopicPage, summary="Topics")
@conditional(*NAMESPACES)
def topic_list(request: HttpRequest, filters: Query[TopicFilters]) -> dict[str, Any]:
    topics = Topic.objects.select_related("parent")
    if filters.parent:
        parent = territory_selectors.topic_by_slug(filters.parent)
        topics = topics.filter(parent_id=parent.pk)
    return cursor_page(
        topics,
        cursor=filters.cursor,
        limit=filters.limit,
        order=("name", "id"),
        convert=lambda t: TopicOut(**_topic_fields(t)),
    )


@router.get("/topics/{slug}", response=TopicDetail, summary="A topic, with its narrower topics")
@conditional(*NAMESPACES)
def topic_detail(request: HttpRequest, slug: str) -> TopicDetail:
    topic = territory_selectors.topic_by_slug(slug[:120])
    return TopicDetail(
        **_topic_fields(topic),
        narrower=[_ref(t) for t in territory_selectors.topic_narrower(topic)],
    )
