"""Search across everything, as the search page: the same selector
(``cocity.search.selectors.search``), so the same hits for the same viewer (members-only
content only for whoever may see its space), the same filters and facets, pages of 20."""

import html
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from cocity.core.translations import translated
from cocity.search.selectors import search

from ..http import conditional

router = Router(tags=["search"])

NAMESPACES = ("search", "network")


class SearchFilters(Schema):
    q: str = Field(
        "", max_length=20_000, description="Words (the first 200 characters, 12 words, are used)."
    )
    kind: str = Field("", max_length=40, description="A kind, as the `kind` facet gives it.")
    topic: str = Field("", max_length=120, description="A topic's slug.")
    city: str = Field("", max_length=32, description="A city's code.")
    language: str = Field("", max_length=12, description="A language code such as fr.")
    year: int | None = Field(None, ge=1, le=9999)
    space: int | None = Field(None, ge=1, le=10**11, description="A space's id.")
    within: Literal["", "library", "events", "plans", "commons"] = Field(
        "", description="Only one capability's content."
    )
    page: int = Field(1, ge=1, le=10_000, description="Past the last page: the last page.")


class SpaceRef(Schema):
    id: int
    slug: str
    name: str


class Hit(Schema):
    title: str
    url: str
    kind: str
    kind_label: str
    extract: str = Field(description="Plain text around the first words found.")
    language: str
    year: int | None
    city: str
    city_name: str
    space: SpaceRef | None


class FacetValue(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchOut(Schema):
    query: str = Field(description="The words searched for, as they were used.")
    message: str = Field(description="Why the words were cut, if they were.")
    total: int
    exact: bool = Field(description="False: more than `total`.")
    page: int
    pages: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = Field(
        description="kind, topic, city, language, year, space: the top values and their counts."
    )
    suggestion: str = Field(description="Other words that find something, when none did.")
    within: str
    degraded: bool = Field(description="The search was answered over fewer documents.")


def _plain(snippet: str) -> str:
    """The page's extract (escaped text with <mark> around the words found) as plain text."""
    return html.unescape(str(snippet).replace("<mark>", "").replace("</mark>", ""))


@router.get("/search", response=SearchOut, summary="Search what you may see")
@conditional(*NAMESPACES)
def search_everything(request: HttpRequest, filters: Query[SearchFilters]) -> SearchOut:
    def clean(value: str) -> str:
        return "".join(c for c in value if c.isprintable()).strip()

    results = search(
        user=request.user,
        raw_query=filters.q.replace("\x00", " "),
        filters={
            "kind": clean(filters.kind),
            "topic": clean(filters.topic),
            "city": clean(filters.city),
            "language": clean(filters.language),
            "year": str(filters.year or ""),
            "space": str(filters.space or ""),
        },
        page=filters.page,
        within=filters.within,
    )
    hits = []
    for hit in results.hits:
        document = hit["document"]
        space = document.space
        hits.append(
            Hit(
                title=translated(document, "title"),
                url=document.url,
                kind=document.kind,
                kind_label=_(document.kind_label) if document.kind_label else document.kind,
                extract=_plain(hit["snippet"]),
                language=document.language,
                year=document.year,
                city=document.city,
                city_name=document.city_name,
                space=SpaceRef(id=space.pk, slug=space.slug, name=translated(space, "name"))
                if space is not None
                else None,
            )
        )
    facets = {
        name: [
            FacetValue(
                value=v.value,
                label=_(v.label) if name == "kind" and v.label else v.label,
                count=v.count,
                selected=v.selected,
            )
            for v in values
        ]
        for name, values in results.facets.items()
    }
    return SearchOut(
        query=results.query.text,
        message=results.query.message,
        total=results.total,
        exact=results.exact,
        page=results.page.number,
        pages=results.page.paginator.num_pages,
        hits=hits,
        facets=facets,
        suggestion=results.suggestion,
        within=results.within,
        degraded=results.degraded,
    )
