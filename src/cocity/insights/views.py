"""Insights pages: cities with data, a city's indices, map and participation equity, data set
imports with their progress, downloads. Thin: parse, ask ``rules``, call a service or selector."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.core.access import login_or_forbidden
from cocity.core.csv import csv_response
from cocity.core.http import HtmxHttpRequest, vary_on_htmx
from cocity.core.pagination import paginate
from cocity.core.translations import translated
from cocity.network.models import Territory
from cocity.network.selectors.hubs import hub_filter

from . import equity, maps, selectors, services
from .models import DataSet
from .templatetags.insights import num


def _number(value: float | None, digits: int = 3) -> str:
    return num(value, digits)


@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    # ?space=, ?place=: the data sets a hub's data section counts ("See all"), not the cities
    hub = hub_filter(user=request.user, params=request.GET)
    rows = selectors.hub_datasets(hub.scope) if hub else selectors.cities_with_datasets()
    page = paginate(rows, request.GET.get("page"))
    return render(request, "insights/index.html", {"page_obj": page, "hub_filter": hub})


def _measures(dataset: DataSet) -> list[tuple[str, str]]:
    choices = [("representation", _("Participation: representation ratio"))]
    for column, label in zip(dataset.group_columns, dataset.group_labels, strict=True):
        choices.append((f"lq:{column}", _("Location quotient: %(group)s") % {"group": label}))
    choices.append(("local_entropy", _("Local entropy (mix of groups)")))
    return choices


def _unit_value(
    dataset: DataSet, code: str, measure: str, report: equity.Report
) -> tuple[float | None, str]:
    if measure == "representation":
        row = report.by_code.get(code)
        if row is None or row.suppressed:
            return None, _("fewer than %(n)d participants") % {"n": report.min_cell}
        return row.ratio, _number(row.ratio, 2)
    local = dataset.results.get("local", {}).get(code, {})
    if measure.startswith("lq:"):
        value = local.get("lq", {}).get(measure[3:])
    else:
        value = local.get("local_entropy")
    return value, _number(value, 2)


def _city_context(request: HttpRequest, city: Territory) -> dict[str, Any]:
    datasets = selectors.city_datasets(city)
    ready = [d for d in datasets if d.status == DataSet.Status.READY]
    chosen = ready[0] if ready else None
    wanted = request.GET.get("dataset", "")
    if wanted.isdigit():
        chosen = next((d for d in ready if d.pk == int(wanted)), chosen)
    context: dict[str, Any] = {
        "city": city,
        "datasets": datasets,
        "dataset": chosen,
        "over_time": selectors.over_time(datasets),
        "geographies": selectors.city_geographies(city),
        "can_manage": request.user.has_perm("insights.add_dataset", city),
        "min_cell": equity.min_cell(),
    }
    if chosen is None:
        return context
    units = selectors.dataset_units(chosen)
    hoods = [u.territory for u in units]
    report = equity.report(city, hoods, {u.territory_id: u.total for u in units})
    measures = _measures(chosen)
    measure = request.GET.get("measure", "")
    if measure not in dict(measures):
        measure = measures[1][0] if len(measures) > 1 else measures[0][0]
    features = []
    for unit in units:
        value, text = _unit_value(chosen, unit.territory.code, measure, report)
        name = translated(unit.territory, "name")
        features.append((unit.territory.code, name, unit.geometry(), value, text))
    results = chosen.results
    method = request.GET.get("classes", "")
    method = method if method in maps.CLASS_METHODS else "quantiles"
    chosen_map = maps.choropleth(features, diverging=measure != "local_entropy", method=method)
    # areas drawn with their place's outline (or the same one brought with the data), when
    # that outline is approximate (the demo's)
    approximate = any(
        u.territory.boundary_approximate and u.boundary in (None, u.territory.boundary)
        for u in units
    )
    context.update(
        {
            "units": units,
            "report": report,
            "measures": measures,
            "measure": measure,
            "measure_label": dict(measures)[measure],
            "map": chosen_map,
            # compact JSON with <, > and & escaped (maps.interactive): safe in a <script>
            "map_geojson": mark_safe(  # noqa: S308
                maps.interactive(chosen_map, features, approximate=approximate)
            )
            if chosen_map
            else None,
            "approximate": approximate,
            "class_methods": list(maps.CLASS_METHODS.items()),
            "unit_url": reverse("network:territory_detail", args=["CODE"]),
            "areas_url": reverse("insights:city_areas", args=[city.code])
            + "?"
            + urlencode({"dataset": chosen.pk, "measure": measure, "classes": method}),
            "features": features,
            "single_rows": [
                {"label": label, "values": results.get("single_group", {}).get(column, {})}
                | {"spatial": results.get("spatial", {}).get(column, {})}
                for column, label in zip(chosen.group_columns, chosen.group_labels, strict=True)
            ],
            "multigroup": results.get("multigroup", {}),
        }
    )
    return context


@require_http_methods(["GET", "HEAD"])
def city(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Territory, code=code.upper(), kind="city")
    return render(request, "insights/city.html", _city_context(request, place))


@require_http_methods(["GET", "HEAD"])
def zoomed_areas(request: HttpRequest, code: str) -> HttpResponse:
    """The city page's choropleth (same data set, measure and classes) with its boundaries
    simplified for a zoom level: map.js asks for it when a person zooms in."""
    place = get_object_or_404(Territory, code=code.upper(), kind="city")
    zoom = request.GET.get("zoom", "")
    if not zoom.isdigit() or int(zoom) > maps.MAX_ZOOM:
        message = _("zoom is a whole number from 0 to %(max)d.") % {"max": maps.MAX_ZOOM}
        return JsonResponse({"error": message}, status=400)
    context = _city_context(request, place)
    if not context.get("map"):
        return JsonResponse({"error": _("No boundaries for these areas.")}, status=404)
    body = maps.interactive(
        context["map"], context["features"], zoom=int(zoom), approximate=context["approximate"]
    )
    return HttpResponse(body, content_type="application/json")


@require_http_methods(["GET", "HEAD"])
def dataset_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    dataset = get_object_or_404(selectors.datasets_for_page(), pk=pk)
    job = selectors.latest_job(dataset)
    context = {
        "dataset": dataset,
        "job": job,
        "can_manage": request.user.has_perm("insights.change_dataset", dataset),
    }
    if request.htmx:
        return vary_on_htmx(render(request, "insights/partials/progress.html", context))
    return vary_on_htmx(render(request, "insights/dataset_detail.html", context))


@require_POST
def dataset_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_object_or_404(DataSet.objects.select_related("city").defer("results"), pk=pk)
    if not request.user.has_perm("insights.delete_dataset", dataset):
        return login_or_forbidden(request)
    code = dataset.city.code
    services.dataset_delete(dataset=dataset)
    messages.success(request, _("The data set is deleted."))
    return redirect("insights:city", code=code)


def _download_rows(dataset: DataSet) -> tuple[list[str], list[tuple[Any, list[Any]]]]:
    units = selectors.dataset_units(dataset)
    report = equity.report(
        dataset.city, [u.territory for u in units], {u.territory_id: u.total for u in units}
    )
    header = ["code", "name", *dataset.group_columns, "total"]
    header += [f"lq_{c}" for c in dataset.group_columns]
    header += ["local_entropy", "local_diversity", "participants", "representation_ratio"]
    rows = []
    for unit in units:
        local = dataset.results.get("local", {}).get(unit.territory.code, {})
        eq = report.by_code.get(unit.territory.code)
        rows.append(
            (
                unit,
                [
                    unit.territory.code,
                    unit.territory.name,
                    *unit.counts,
                    unit.total,
                    *[local.get("lq", {}).get(c) for c in dataset.group_columns],
                    local.get("local_entropy"),
                    local.get("local_diversity"),
                    eq.participants if eq else None,
                    eq.ratio if eq else None,
                ],
            )
        )
    return header, rows


@require_http_methods(["GET", "HEAD"])
def dataset_csv(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_object_or_404(
        DataSet.objects.select_related("city"), pk=pk, status=DataSet.Status.READY
    )
    header, rows = _download_rows(dataset)
    return csv_response(
        header, (values for _unit, values in rows), filename=f"insights-{dataset.pk}.csv"
    )


@require_http_methods(["GET", "HEAD"])
def dataset_geojson(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_object_or_404(
        DataSet.objects.select_related("city"), pk=pk, status=DataSet.Status.READY
    )
    header, rows = _download_rows(dataset)
    features = [
        {
            "type": "Feature",
            "id": values[0],
            "geometry": unit.geometry(),
            "properties": dict(zip(header, values, strict=True)),
        }
        for unit, values in rows
    ]
    response = HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}),
        content_type="application/geo+json",
    )
    response["Content-Disposition"] = f'attachment; filename="insights-{dataset.pk}.geojson"'
    return response
