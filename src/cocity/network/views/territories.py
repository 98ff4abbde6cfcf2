"""Places (territories) and topics: read-only pages; staff keep the lists in the admin."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocity.core import geojson
from cocity.core.cache import public_page_cache
from cocity.core.hubs import HUB_NAMESPACE
from cocity.core.pagination import paginate
from cocity.core.translations import translated

from ..selectors import hubs as hub_selectors
from ..selectors import organisations as organisation_selectors
from ..selectors import territories as selectors
from .hubs import hub_context

SPACES_ON_PAGE = 12


@require_http_methods(["GET", "HEAD"])
@public_page_cache(namespaces=("network",))
def territory_list(request: HttpRequest) -> HttpResponse:
    page_obj = paginate(selectors.countries(), request.GET.get("page"))
    context = {"page_obj": page_obj, "rows": selectors.countries_with_cities(list(page_obj))}
    return render(request, "network/territory_list.html", context)


@require_http_methods(["GET", "HEAD"])
@public_page_cache(namespaces=("network", HUB_NAMESPACE))
def territory_detail(request: HttpRequest, code: str) -> HttpResponse:
    territory = selectors.territory_by_code(code)
    if territory.code != code:  # one address per place: /places/be-bru/ -> /places/BE-BRU/
        return redirect(territory, permanent=True)
    organisations = paginate(
        organisation_selectors.organisations_in_territory(territory), request.GET.get("page")
    )
    spaces = paginate(
        selectors.spaces_in_territory(territory, user=request.user),
        request.GET.get("spaces_page"),
        per_page=SPACES_ON_PAGE,
    )
    context = {
        "territory": territory,
        "ancestors": selectors.territory_ancestors(territory),
        "children": list(selectors.territory_children(territory)),
        "page_obj": organisations,
        "spaces_page": spaces,
    }
    context.update(
        hub_context(
            request,
            name=f"territory:{territory.pk}",
            scope_for=lambda user: hub_selectors.territory_scope(territory=territory, user=user),
        )
    )
    return render(request, "network/territory_detail.html", context)


@require_http_methods(["GET", "HEAD"])
@public_page_cache(namespaces=("network",))
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = selectors.topic_by_slug(slug)
    context = {
        "topic": topic,
        "narrower": list(selectors.topic_narrower(topic)),
        "page_obj": paginate(
            selectors.spaces_with_topic(topic, user=request.user), request.GET.get("page")
        ),
    }
    return render(request, "network/topic_detail.html", context)


@require_http_methods(["GET", "HEAD"])
@public_page_cache(namespaces=("network",), everyone=True)  # open data: places are public
def territory_boundary(request: HttpRequest) -> HttpResponse:
    """One place's outline as a GeoJSON Feature (``?id=`` its id, as a form's territory field
    sends it), simplified for the place in view: the place picker outlines the place chosen in
    the same form (commons). 400 for a missing or malformed id, 404 for an unknown place;
    ``geometry`` is null for a place without a boundary."""
    raw = request.GET.get("id", "")
    if not raw.isdigit() or len(raw) > 12:
        return JsonResponse({"error": _("Give a place's id as a whole number.")}, status=400)
    territory = selectors.territory_outline(int(raw))
    if territory is None:
        return JsonResponse({"error": _("No such place.")}, status=404)
    geometry = None
    if territory.boundary:
        shape = geojson.geometry_of(territory.boundary)
        box = geojson.bounds([shape])
        geometry = geojson.simplified([shape], tolerance=geojson.display_tolerance(*box))[0]
    body = {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "name": translated(territory, "name"),
            "code": territory.code,
            "approximate": territory.boundary_approximate,
        },
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
        content_type="application/geo+json",
    )
