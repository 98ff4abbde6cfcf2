"""The library of practices: published items with their translations, as the library pages show
them. Read through ``cocity.library.selectors.published_items`` (and ``item_list``): drafts,
items in review and archived items are never given, nor the items of a members-only space to
whoever may not see that space (404 for one, absent from the list)."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import DateField, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema

from cocity.core.translations import translated
from cocity.library import selectors
from cocity.library.models import ItemTranslation, LibraryItem
from cocity.network.selectors.hubs import hub_scope_from_query

from ..http import conditional
from ..pagination import cursor_page

router = Router(tags=["library"])

MAX_ID = 2**63 - 1
SHOWN = ("library", "network")
UNDATED = datetime.date(1, 1, 1)  # items without a publication date come last


class LibrarySpaceRef(Schema):
    slug: str
    name: str


class LibraryTopicRef(Schema):
    slug: str
    name: str


class LibraryPlaceRef(Schema):
    code: str
    name: str


class LibraryOrganisationRef(Schema):
    slug: str
    name: str


class LibraryItemOut(Schema):
    id: int
    title: str
    summary: str
    kind: str
    kind_label: str
    language: str
    languages: list[str]
    published_on: datetime.date | None
    space: LibrarySpaceRef
    topics: list[LibraryTopicRef]
    places: list[LibraryPlaceRef]
    url: str


class LibraryItemPage(Schema):
    items: list[LibraryItemOut]
    next: str | None


class ItemTranslationOut(Schema):
    language: str
    title: str
    summary: str
    body: str


class ItemFigureOut(Schema):
    label: str
    value: Decimal
    unit: str


class ItemDocumentOut(Schema):
    name: str
    mimetype: str
    size: int
    url: str


class ItemLinkOut(Schema):
    title: str
    url: str


class LibraryItemDetailOut(LibraryItemOut):
    body: str
    cover: str | None
    cover_alt: str
    organisations: list[LibraryOrganisationRef]
    translations: list[ItemTranslationOut]
    figures: list[ItemFigureOut]
    documents: list[ItemDocumentOut]
    links: list[ItemLinkOut]


def _with_translations(items: QuerySet[LibraryItem]) -> QuerySet[LibraryItem]:
    return items.prefetch_related(
        Prefetch("translations", ItemTranslation.objects.order_by("language", "id"))
    )


def _item(item: LibraryItem) -> dict[str, Any]:
    translations = list(item.translations.all())
    return {
        "id": item.pk,
        "title": item.title,
        "summary": item.summary,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "language": item.language,
        "languages": list(dict.fromkeys([item.language, *(t.language for t in translations)])),
        "published_on": item.published_on,
        "space": {"slug": item.space.slug, "name": translated(item.space, "name")},
        "topics": [{"slug": t.slug, "name": t.label} for t in item.topics.all()],
        "places": [{"code": t.code, "name": translated(t, "name")} for t in item.territories.all()],
        "url": item.get_absolute_url(),
    }


@router.get(
    "/library",
    response=LibraryItemPage,
    summary="Published library items, the most recently published first",
    description="The library's filters: `kind`, `topic` (slug), and a hub: `space`, "
    "`organisation` (slugs) or `place` (code). Items without a publication date come last.",
)
@conditional(*SHOWN)
def item_list(
    request: HttpRequest,
    kind: LibraryItem.Kind | None = None,
    topic: str | None = Query(None, max_length=120),
    space: str | None = Query(None, max_length=200),
    organisation: str | None = Query(None, max_length=200),
    place: str | None = Query(None, max_length=32),
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    params = {"space": space or "", "organisation": organisation or "", "place": place or ""}
    hub = hub_scope_from_query(user=request.user, params=params)
    items = selectors.item_list(
        user=request.user, kind=str(kind or ""), topic=topic or "", hub=hub
    ).annotate(day=Coalesce("published_on", Value(UNDATED), output_field=DateField()))
    return cursor_page(
        _with_translations(items),
        cursor=cursor,
        limit=limit,
        order=("-day", "-id"),
        convert=_item,
    )


@router.get(
    "/library/{item_id}",
    response=LibraryItemDetailOut,
    summary="A published library item with its translations, figures, documents and links",
)
@conditional(*SHOWN)
def item_detail(request: HttpRequest, item_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    item = (
        _with_translations(selectors.published_items(request.user))
        .prefetch_related("organisations", "figures", "attachments", "links")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    return LibraryItemDetailOut(
        **_item(item),
        body=item.body,
        cover=item.cover.url if item.cover else None,
        cover_alt=item.cover_alt,
        organisations=[
            LibraryOrganisationRef(slug=o.slug, name=translated(o, "name"))
            for o in item.organisations.all()
        ],
        translations=[
            ItemTranslationOut(language=t.language, title=t.title, summary=t.summary, body=t.body)
            for t in item.translations.all()
        ],
        figures=[
            ItemFigureOut(label=f.label, value=f.value, unit=f.unit) for f in item.figures.all()
        ],
        documents=[
            ItemDocumentOut(name=d.name, mimetype=d.mimetype, size=d.size, url=d.file.url)
            for d in item.attachments.all()
        ],
        links=[ItemLinkOut(title=link.title, url=link.url) for link in item.links.all()],
    )
