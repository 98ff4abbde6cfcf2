"""Insights, read: the cities with data, their data sets with their indices, the data sets'
areas (units) with their counts, local measures and participation, and the participation-equity
report, as the insights pages show them (``cocity.insights.selectors``).

Everyone may read insights (only aggregates are shown). Participation figures follow the pages'
rule exactly (``cocity.insights.equity``): a count of fewer than ``COCITY_INSIGHTS_MIN_CELL``
people is never given (``null`` with ``suppressed: true``), and activity in members-only spaces
is never counted.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Query, Router, Schema

from cocity.core.cache import cached
from cocity.core.translations import translated
from cocity.insights import equity, selectors
from cocity.insights.models import DataSet
from cocity.network.models import Territory
from cocity.network.selectors.hubs import hub_scope_from_query

from ..fields import address_text
from ..http import conditional
from ..pagination import cursor_page

router = Router(tags=["insights"])

# Data sets and the places they describe; participation also reads registrations, ideas,
# supports and comments (and which spaces are public).
NAMESPACES = ("insights", "network")
EQUITY_NAMESPACES = (
    "insights",
    "network",
    "events",
    "registrations",
    "plans",
    "participation",
)
EQUITY_SECONDS = 300  # the equity report of a data set, kept this long between its writes


# --- schemas ----------------------------------------------------------------------------------


class CityRef(Schema):
    code: str
    name: str


class CityOut(CityRef):
    datasets: int
    latest_year: int | None
    url: str


class GroupOut(Schema):
    column: str
    label: str


class GeographyRef(Schema):
    name: str
    version: str
    crs: str


class DataSetOut(Schema):
    id: int
    name: str
    year: int
    source: str
    city: CityRef
    status: str  # importing, ready, failed
    groups: list[GroupOut]
    boundaries: str  # territories (the place tree's) or upload (brought with the data)
    geography: GeographyRef | None
    areas: int | None  # the number of areas (units), once computed
    computed_at: datetime.datetime | None
    created_at: datetime.datetime
    url: str
    units_csv: str | None  # the page's downloads (ready data sets)
    units_geojson: str | None


class GroupIndicesOut(Schema):
    column: str
    label: str
    # dissimilarity, gini, entropy, isolation, exposure, atkinson, correlation_ratio,
    # spatial_dissimilarity, spatial_proximity (null: could not be computed)
    indices: dict[str, float | None]


class ComparisonOut(Schema):
    index: str
    year: int
    previous_year: int
    previous_id: int
    value: float | None
    previous_value: float | None
    difference: float | None
    p_value: float | None
    permutations: int


class DataSetDetailOut(DataSetOut):
    population: int | None
    single_group: list[GroupIndicesOut]
    multigroup: dict[str, float | None]
    errors: list[str]  # the indices that could not be computed, and why
    comparison: ComparisonOut | None  # multigroup dissimilarity against the year before


class GeographyOut(GeographyRef):
    source: str
    areas: int


class OverTimeRowOut(Schema):
    name: str
    values: list[float | None]  # one a year
    change: float | None  # last year's minus the first's


class OverTimeOut(Schema):
    datasets: list[int]
    years: list[int]
    dissimilarity: list[OverTimeRowOut]  # each group's
    multigroup: list[OverTimeRowOut]
    comparison: ComparisonOut | None


class CityDetailOut(CityRef):
    url: str
    datasets: list[DataSetOut]  # every status, newest year first
    geographies: list[GeographyOut]
    over_time: list[OverTimeOut]
    min_cell: int  # the fewest people a participation figure may count


class LocalOut(Schema):
    lq: dict[str, float | None]  # location quotient of each group
    local_entropy: float | None
    local_diversity: float | None


class ParticipationOut(Schema):
    population_share: float | None
    participants: int | None  # null when suppressed
    participation_share: float | None
    representation_ratio: float | None
    suppressed: bool  # fewer than min_cell participants: the figures are not given


class UnitOut(Schema):
    code: str
    name: str
    url: str
    counts: dict[str, int]  # by group column
    total: int
    local: LocalOut | None
    participation: ParticipationOut | None


class SummaryOut(Schema):
    label: str
    participants: int | None
    dissimilarity: float | None
    left_out: int | None
    suppressed: bool


class EquityOut(Schema):
    min_cell: int
    sources: list[str]  # what counts as taking part: registrations, ideas, supports, comments
    population_total: int
    participants_total: int | None  # null when fewer than min_cell
    dissimilarity: float | None  # between participants and residents (0: alike, 1: apart)
    suppressed_areas: int
    left_out: list[CityRef]  # areas with residents and fewer than min_cell participants
    by_space: list[SummaryOut]
    by_quarter: list[SummaryOut]


class CityPage(Schema):
    items: list[CityOut]
    next: str | None


class DataSetPage(Schema):
    items: list[DataSetOut]
    next: str | None


class UnitPage(Schema):
    items: list[UnitOut]
    next: str | None


class DataSetFilters(Schema):
    """``city``: a city's data sets, every status (its page's list); ``space``, ``organisation``,
    ``place``: the ready data sets a hub's page counts (the insights page's ``See all``); none:
    every ready data set (the comparison page's choice)."""

    city: str | None = None
    space: str | None = None
    organisation: str | None = None
    place: str | None = None


# --- helpers ----------------------------------------------------------------------------------


def _city_or_404(code: str) -> Territory:
    return get_object_or_404(Territory, code=address_text(code).upper(), kind="city")


def _city_ref(city: Territory) -> CityRef:
    return CityRef(code=city.code, name=translated(city, "name"))


def _dataset_out(ds: DataSet) -> dict[str, Any]:
    ready = ds.status == DataSet.Status.READY
    units = getattr(ds, "result_units", None)
    geography = ds.geography
    return {
        "id": ds.pk,
        "name": translated(ds, "name"),
        "year": ds.year,
        "source": ds.source,
        "city": _city_ref(ds.city),
        "status": ds.status,
        "groups": [GroupOut(column=c, label=label) for c, label in _groups(ds)],
        "boundaries": ds.boundaries,
        "geography": GeographyRef(
            name=translated(geography, "name"), version=geography.version, crs=geography.crs
        )
        if geography is not None
        else None,
        "areas": units if isinstance(units, int) else None,
        "computed_at": ds.computed_at,
        "created_at": ds.created_at,
        "url": ds.get_absolute_url(),
        "units_csv": reverse("insights:dataset_csv", args=[ds.pk]) if ready else None,
        "units_geojson": reverse("insights:dataset_geojson", args=[ds.pk]) if ready else None,
    }


def _groups(ds: DataSet) -> list[tuple[str, str]]:
    groups = ds.groups if isinstance(ds.groups, list) else []
    return [
        (str(g["column"]), str(g.get("label") or g["column"]))
        for g in groups
        if isinstance(g, dict) and g.get("column")
    ]


def _floats(values: Any) -> dict[str, float | None]:
    if not isinstance(values, dict):
        return {}
    return {
        str(k): float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
        for k, v in values.items()
    }


def _comparison(value: Any) -> ComparisonOut | None:
    if not isinstance(value, dict):
        return None
    try:
        return ComparisonOut(**value)
    except (TypeError, ValueError):
        return None


def _ready_or_404(dataset_id: int) -> DataSet:
    return get_object_or_404(
        DataSet.objects.select_related("city").defer("results"),
        pk=dataset_id,
        status=DataSet.Status.READY,
    )


def _report(dataset: DataSet) -> tuple[equity.Report, dict[int, Territory]]:
    """The data set's equity report as the city page computes it, kept ``EQUITY_SECONDS``
    between writes to what it counts (one report for every page of the areas)."""

    def compute() -> tuple[equity.Report, dict[int, Territory]]:
        hoods, population = selectors.dataset_population(dataset)
        return equity.report(dataset.city, hoods, population), {h.pk: h for h in hoods}

    name = f"api:insights:equity:{dataset.pk}:{get_language() or ''}:{equity.min_cell()}"
    return cached(EQUITY_NAMESPACES, name, compute, EQUITY_SECONDS)


# --- cities -----------------------------------------------------------------------------------


@router.get(
    "/insights/cities", response=CityPage, summary="Cities with neighbourhood data, by name"
)
@conditional(*NAMESPACES)
def cities(request: HttpRequest, cursor: str | None = None, limit: int = 50) -> Any:
    return cursor_page(
        selectors.cities_with_datasets(),
        cursor=cursor,
        limit=limit,
        order=("name", "id"),
        convert=lambda city: {
            "code": city.code,
            "name": translated(city, "name"),
            "datasets": city.datasets,
            "latest_year": city.latest_year,
            "url": reverse("insights:city", args=[city.code]),
        },
    )


@router.get(
    "/insights/cities/{code}",
    response=CityDetailOut,
    summary="A city's data sets, areas and indices over time",
)
@conditional(*NAMESPACES)
def city(request: HttpRequest, code: str) -> Any:
    place = _city_or_404(code)
    datasets = selectors.datasets_for_page().filter(city=place).order_by("-year", "-id")
    return {
        **_city_ref(place).dict(),
        "url": reverse("insights:city", args=[place.code]),
        "datasets": [_dataset_out(ds) for ds in datasets],
        "geographies": [
            GeographyOut(
                name=translated(g, "name"),
                version=g.version,
                crs=g.crs,
                source=g.source,
                areas=g.area_count,
            )
            for g in selectors.city_geographies(place)
        ],
        "over_time": [
            OverTimeOut(
                datasets=[d.pk for d in series["datasets"]],
                years=series["years"],
                dissimilarity=[
                    OverTimeRowOut(name=str(r["name"]), values=r["values"], change=r["change"])
                    for r in series["dissimilarity"]
                ],
                multigroup=[
                    OverTimeRowOut(name=str(r["name"]), values=r["values"], change=r["change"])
                    for r in series["multigroup"]
                ],
                comparison=_comparison(series["comparison"]),
            )
            for series in selectors.over_time(selectors.city_datasets_over_time(place))
        ],
        "min_cell": equity.min_cell(),
    }


# --- data sets --------------------------------------------------------------------------------


def _datasets(request: HttpRequest, filters: DataSetFilters) -> QuerySet[DataSet]:
    rows = selectors.datasets_for_page()
    if filters.city is not None:
        return rows.filter(city=_city_or_404(filters.city))
    params = {
        k: address_text(v)
        for k, v in filters.dict().items()
        if k in ("space", "organisation", "place") and v
    }
    scope = hub_scope_from_query(user=request.user, params=params) if params else None
    if scope is not None:
        return rows.filter(pk__in=selectors.datasets_in_hub(scope).values("pk"))
    return rows.filter(status=DataSet.Status.READY)


@router.get("/insights/datasets", response=DataSetPage, summary="Data sets, newest year first")
@conditional(*NAMESPACES)
def datasets(
    request: HttpRequest,
    filters: Query[DataSetFilters],
    cursor: str | None = None,
    limit: int = 50,
) -> Any:
    return cursor_page(
        _datasets(request, filters),
        cursor=cursor,
        limit=limit,
        order=("-year", "-id"),
        convert=_dataset_out,
    )


@router.get(
    "/insights/datasets/{dataset_id}",
    response=DataSetDetailOut,
    summary="A data set with its city-wide indices",
)
@conditional(*NAMESPACES)
def dataset(request: HttpRequest, dataset_id: int) -> Any:
    found = get_object_or_404(selectors.datasets_with_indices(), pk=dataset_id)

    def part(name: str, kind: type) -> Any:
        value = getattr(found, f"result_{name}", None)  # annotated by the selector
        return value if isinstance(value, kind) else kind()

    single, spatial = part("single_group", dict), part("spatial", dict)
    errors = part("errors", list)
    population = getattr(found, "result_population", None)
    return {
        **_dataset_out(found),
        "population": population if isinstance(population, int) else None,
        "single_group": [
            GroupIndicesOut(
                column=column,
                label=label,
                indices={**_floats(single.get(column)), **_floats(spatial.get(column))},
            )
            for column, label in _groups(found)
            if column in single or column in spatial
        ],
        "multigroup": _floats(part("multigroup", dict)),
        "errors": [str(e) for e in errors],
        "comparison": _comparison(getattr(found, "result_comparison", None)),
    }


@router.get(
    "/insights/datasets/{dataset_id}/units",
    response=UnitPage,
    summary="A ready data set's areas: counts, local measures and participation",
)
@conditional(*EQUITY_NAMESPACES)
def units(request: HttpRequest, dataset_id: int, cursor: str | None = None, limit: int = 50) -> Any:
    found = _ready_or_404(dataset_id)
    page = cursor_page(
        selectors.dataset_units_page(found), cursor=cursor, limit=limit, order=("path", "id")
    )
    rows = page["items"]
    local = selectors.local_measures(found, [u.territory.code for u in rows])
    report, _places = _report(found)
    by_code = report.by_code
    columns = [c for c, _label in _groups(found)]

    def out(unit: Any) -> UnitOut:
        code = unit.territory.code
        measures = local.get(code)
        row = by_code.get(code)
        counts = unit.counts if isinstance(unit.counts, list) else []
        return UnitOut(
            code=code,
            name=translated(unit.territory, "name"),
            url=reverse("network:territory_detail", args=[code]),
            counts={c: int(n) for c, n in zip(columns, counts, strict=False)},
            total=unit.total,
            local=LocalOut(
                lq=_floats(measures.get("lq")),
                local_entropy=_floats(measures).get("local_entropy"),
                local_diversity=_floats(measures).get("local_diversity"),
            )
            if isinstance(measures, dict)
            else None,
            participation=ParticipationOut(
                population_share=row.population_share,
                participants=None if row.suppressed else row.participants,
                participation_share=None if row.suppressed else row.participation_share,
                representation_ratio=None if row.suppressed else row.ratio,
                suppressed=row.suppressed,
            )
            if row is not None
            else None,
        )

    return {"items": [out(u) for u in rows], "next": page["next"]}


@router.get(
    "/insights/datasets/{dataset_id}/equity",
    response=EquityOut,
    summary="Who takes part, by home neighbourhood, against who lives there (suppressed below "
    "the minimum number of people)",
)
@conditional(*EQUITY_NAMESPACES)
def equity_report(request: HttpRequest, dataset_id: int) -> Any:
    found = _ready_or_404(dataset_id)
    report, places = _report(found)

    def summary(s: equity.Summary) -> SummaryOut:
        return SummaryOut(
            label=str(s.label),
            participants=None if s.suppressed else s.participants,
            dissimilarity=None if s.suppressed else s.dissimilarity,
            left_out=None if s.suppressed else s.left_out,
            suppressed=s.suppressed,
        )

    return {
        "min_cell": report.min_cell,
        "sources": list(report.sources),
        "population_total": report.population_total,
        "participants_total": report.participants_total,
        "dissimilarity": report.dissimilarity,
        "suppressed_areas": report.suppressed_cells,
        "left_out": [
            CityRef(
                code=row.code,
                name=translated(places[row.territory_id], "name")
                if row.territory_id in places
                else row.name,
            )
            for row in report.left_out
        ],
        "by_space": [summary(s) for s in report.by_space],
        "by_quarter": [summary(s) for s in report.by_quarter],
    }
