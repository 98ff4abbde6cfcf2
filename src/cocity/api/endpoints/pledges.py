"""Pledges, read: frameworks and their principles, campaigns with their totals and rates (as the
campaign page computes them), pledges with their measures, indicators and links, progress
reports. Through ``cocity.pledges.selectors``: drafts only for those the pages show them to
(the pledging organisation's editors, the campaign's managers, staff), 404 to everyone else.

Amounts are decimal strings (``"1250000.00"``), never floats; dates are ISO 8601 days.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from cocity.core.translations import translated
from cocity.network.models import Organisation
from cocity.network.selectors.hubs import hub_scope_from_query
from cocity.pledges import selectors
from cocity.pledges.forms import TotalsForm
from cocity.pledges.models import (
    Campaign,
    Framework,
    FrameworkItem,
    Measure,
    MeasureLink,
    Pledge,
    ProgressReport,
)

from ..errors import ApiError
from ..fields import address_text
from ..http import conditional
from ..pagination import cursor_page

router = Router(tags=["pledges"])

# What the answers read: the pledges' tables and the organisations' names; a hub filter (space,
# organisation, place) also reads spaces and the events and actions measures are linked to.
NAMESPACES = ("pledges", "network")
HUB_NAMESPACES = ("pledges", "network", "events", "plans")
MAX_TEXT = 200  # longest slug or code a filter accepts


# --- schemas ----------------------------------------------------------------------------------


class OrganisationRef(Schema):
    slug: str
    name: str


class FrameworkRef(Schema):
    slug: str
    name: str


class CampaignRef(Schema):
    slug: str
    name: str


class PrincipleRef(Schema):
    framework: str
    code: str
    name: str


class FrameworkOut(Schema):
    slug: str
    name: str
    description: str
    organisation: OrganisationRef | None  # None: shipped with cocity
    principles: int
    url: str


class PrincipleOut(Schema):
    code: str
    kind: str
    name: str
    description: str
    parent: str | None  # the chapter's code
    position: int
    url: str


class FrameworkDetailOut(FrameworkOut):
    items: list[PrincipleOut]


class AmountOut(Schema):
    currency: str
    amount: str


class PrincipleTotalsOut(Schema):
    pledges: int
    amounts: list[AmountOut]


class PrincipleDetailOut(PrincipleOut):
    framework: FrameworkRef
    totals: PrincipleTotalsOut


class CampaignOut(Schema):
    slug: str
    name: str
    summary: str
    organisation: OrganisationRef
    framework: FrameworkRef
    currency: str
    report_every_months: int
    starts_on: datetime.date | None
    created_at: datetime.datetime
    signatories: int
    pledges: int
    measures: int
    url: str


class RateOut(Schema):
    base: str
    quote: str
    rate: str
    valid_on: datetime.date
    source: str


class PrincipleRowOut(Schema):
    framework: str
    code: str
    name: str
    pledges: int
    amounts: list[AmountOut]
    converted: str


class SignatoryRowOut(Schema):
    slug: str
    name: str
    city: str
    pledges: int
    amounts: list[AmountOut]
    converted: str


class MonthRowOut(Schema):
    month: str  # YYYY-MM
    pledges: int
    amount: str
    cumulative: str


class PledgeRef(Schema):
    id: int
    title: str
    organisation: OrganisationRef
    report_due_on: datetime.date | None


class TotalsOut(Schema):
    currency: str  # the totals' currency (the campaign's, or the one asked)
    rates_on: datetime.date  # the exchange rates in force on this day
    by_currency: list[AmountOut]
    total: str  # everything pledged, converted
    spent: str  # spent so far, converted
    rates: list[RateOut]  # the rates used (none when every amount is in the currency)
    principles: list[PrincipleRowOut]  # overlapping: a pledge counts under each principle
    signatories: list[SignatoryRowOut]  # the largest, as on the page
    signatories_not_listed: int  # how many more are in the exports
    months: list[MonthRowOut]
    computed_at: datetime.datetime | None


class CampaignDetailOut(CampaignOut):
    description: str
    totals: TotalsOut
    overdue_count: int
    overdue: list[PledgeRef]  # the first 20, oldest due date first
    export_csv: str
    export_json: str


class PledgeOut(Schema):
    id: int
    title: str
    campaign: CampaignRef
    organisation: OrganisationRef
    signed_by: str
    signed_on: datetime.date
    state: str  # draft or published
    status: str  # not_started, on_track, delayed, completed, abandoned
    published_at: datetime.datetime | None
    report_due_on: datetime.date | None
    overdue: bool
    url: str


class ProgressOut(Schema):
    elapsed: float | None  # share of the period gone, 0..1
    spent: float | None  # share of the budget spent
    targets: float | None  # mean share of the targets reached


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    baseline: str
    target: str
    current: str | None


class LinkOut(Schema):
    kind: str  # event, library, action, other
    title: str
    url: str
    public: bool  # False: the item is no longer public (only editors see such a link)


class MeasureOut(Schema):
    id: int
    position: int
    description: str
    amount: str
    currency: str
    spent: str
    starts_on: datetime.date
    ends_on: datetime.date
    department: str
    status: str
    last_reported_on: datetime.date | None
    progress: ProgressOut
    indicators: list[IndicatorOut]
    links: list[LinkOut]


class PledgeDocumentOut(Schema):
    title: str
    url: str


class PledgeDetailOut(PledgeOut):
    statement: str
    principles: list[PrincipleRef]
    progress: ProgressOut
    measures: list[MeasureOut]
    documents: list[PledgeDocumentOut]


class IndicatorValueOut(Schema):
    indicator: int
    name: str
    value: str


class ReportOut(Schema):
    id: int
    measure: int
    reported_on: datetime.date
    status: str
    spent: str
    currency: str
    narrative: str
    evidence_url: str
    evidence_file: str
    values: list[IndicatorValueOut]


class FrameworkPage(Schema):
    items: list[FrameworkOut]
    next: str | None


class CampaignPage(Schema):
    items: list[CampaignOut]
    next: str | None


class PledgePage(Schema):
    items: list[PledgeOut]
    next: str | None


class ReportPage(Schema):
    items: list[ReportOut]
    next: str | None


class HubFilters(Schema):
    """As the pledges page's ``?space=``, ``?organisation=``, ``?place=`` (a hub's "See all")."""

    space: str | None = None
    organisation: str | None = None
    place: str | None = None


# --- helpers ----------------------------------------------------------------------------------


def _money(value: Decimal | str) -> str:
    return str(value)


def _amounts(amounts: dict[str, Any]) -> list[AmountOut]:
    return [AmountOut(currency=c, amount=_money(a)) for c, a in sorted(amounts.items())]


def _organisation(org: Organisation) -> OrganisationRef:
    return OrganisationRef(slug=org.slug, name=translated(org, "name"))


def _framework_ref(framework: Framework) -> FrameworkRef:
    return FrameworkRef(slug=framework.slug, name=framework.label)


def _hub(request: HttpRequest, filters: HubFilters) -> Any:
    params = {k: address_text(v) for k, v in filters.dict().items() if v}
    return hub_scope_from_query(user=request.user, params=params) if params else None


def _framework_out(framework: Framework, count: int) -> dict[str, Any]:
    return {
        "slug": framework.slug,
        "name": framework.label,
        "description": framework.text,
        "organisation": _organisation(framework.organisation) if framework.organisation else None,
        "principles": count,
        "url": framework.get_absolute_url(),
    }


def _principle_out(item: FrameworkItem, parent_code: str | None) -> dict[str, Any]:
    return {
        "code": item.code,
        "kind": item.kind,
        "name": item.label,
        "description": item.text,
        "parent": parent_code,
        "position": item.position,
        "url": item.get_absolute_url(),
    }


def _campaign_out(campaign: Campaign) -> dict[str, Any]:
    totals = getattr(campaign, "totals", None)
    data = totals.data if totals is not None else {}
    return {
        "slug": campaign.slug,
        "name": translated(campaign, "name"),
        "summary": translated(campaign, "summary"),
        "organisation": _organisation(campaign.organisation),
        "framework": _framework_ref(campaign.framework),
        "currency": campaign.currency,
        "report_every_months": campaign.report_every_months,
        "starts_on": campaign.starts_on,
        "created_at": campaign.created_at,
        "signatories": int(data.get("signatories") or 0),
        "pledges": int(data.get("pledges") or 0),
        "measures": int(data.get("measures") or 0),
        "url": campaign.get_absolute_url(),
    }


def _pledge_out(pledge: Pledge, today: datetime.date) -> dict[str, Any]:
    return {
        "id": pledge.pk,
        "title": translated(pledge, "title"),
        "campaign": CampaignRef(
            slug=pledge.campaign.slug, name=translated(pledge.campaign, "name")
        ),
        "organisation": _organisation(pledge.organisation),
        "signed_by": pledge.signed_by,
        "signed_on": pledge.signed_on,
        "state": pledge.state,
        "status": pledge.status,
        "published_at": pledge.published_at,
        "report_due_on": pledge.report_due_on,
        "overdue": pledge.is_overdue(today),
        "url": pledge.get_absolute_url(),
    }


def _progress(progress: selectors.Progress) -> ProgressOut:
    return ProgressOut(elapsed=progress.elapsed, spent=progress.spent, targets=progress.targets)


def _file_url(field: Any) -> str:
    return str(field.url) if field else ""


def _report_out(report: ProgressReport, currency: str) -> dict[str, Any]:
    return {
        "id": report.pk,
        "measure": report.measure_id,
        "reported_on": report.reported_on,
        "status": report.status,
        "spent": _money(report.spent),
        "currency": currency,
        "narrative": report.narrative,
        "evidence_url": report.evidence_url,
        "evidence_file": _file_url(report.evidence_file),
        "values": [
            IndicatorValueOut(
                indicator=v.indicator_id, name=translated(v.indicator, "name"), value=str(v.value)
            )
            for v in report.values.all()
        ],
    }


def _pledge_or_404(request: HttpRequest, pk: int) -> Pledge:
    try:
        return selectors.pledge_detail(pk, request.user)
    except (Pledge.DoesNotExist, OverflowError):
        raise Http404 from None


# --- frameworks -------------------------------------------------------------------------------


@router.get("/frameworks", response=FrameworkPage, summary="Frameworks of principles")
@conditional(*NAMESPACES)
def frameworks(request: HttpRequest, cursor: str | None = None, limit: int = 50) -> Any:
    return cursor_page(
        selectors.frameworks_for(request.user),
        cursor=cursor,
        limit=limit,
        order=("name", "id"),
        convert=lambda f: _framework_out(f, f.n),
    )


@router.get(
    "/frameworks/{slug}",
    response=FrameworkDetailOut,
    summary="A framework with its chapters, principles or goals",
)
@conditional(*NAMESPACES)
def framework(request: HttpRequest, slug: str) -> Any:
    found = get_object_or_404(
        Framework.objects.select_related("organisation"), slug=address_text(slug)
    )
    items = selectors.framework_items(found)
    codes = {item.pk: item.code for item in items}
    return {
        **_framework_out(found, len(items)),
        "items": [
            _principle_out(item, codes.get(item.parent_id) if item.parent_id else None)
            for item in items
        ],
    }


@router.get(
    "/frameworks/{slug}/principles/{code}",
    response=PrincipleDetailOut,
    summary="A principle, with the published pledges and amounts serving it across campaigns",
)
@conditional(*NAMESPACES)
def principle(request: HttpRequest, slug: str, code: str) -> Any:
    item = get_object_or_404(
        FrameworkItem.objects.select_related("framework", "parent"),
        framework__slug=address_text(slug),
        code=address_text(code),
    )
    totals = selectors.principle_totals(item)
    return {
        **_principle_out(item, item.parent.code if item.parent else None),
        "framework": _framework_ref(item.framework),
        "totals": {"pledges": totals["pledges"], "amounts": _amounts(dict(totals["amounts"]))},
    }


# --- campaigns --------------------------------------------------------------------------------


@router.get("/campaigns", response=CampaignPage, summary="Pledge campaigns, newest first")
@conditional(*HUB_NAMESPACES)
def campaigns(
    request: HttpRequest,
    hub: Query[HubFilters],
    cursor: str | None = None,
    limit: int = 50,
) -> Any:
    rows = selectors.campaign_list()
    scope = _hub(request, hub)
    if scope is not None:
        rows = rows.filter(pk__in=selectors.campaigns_in_hub(scope).values("pk"))
    return cursor_page(
        rows, cursor=cursor, limit=limit, order=("-created_at", "-id"), convert=_campaign_out
    )


class TotalsQuery(Schema):
    currency: str | None = None  # ISO 4217: show the totals in this currency
    on: str | None = None  # YYYY-MM-DD: with the exchange rates in force on this day


@router.get(
    "/campaigns/{slug}",
    response=CampaignDetailOut,
    summary="A campaign with its totals by currency, principle, signatory and month",
)
@conditional(*NAMESPACES)
def campaign(request: HttpRequest, slug: str, totals_query: Query[TotalsQuery]) -> Any:
    found = get_object_or_404(selectors.campaigns_for_page(), slug=address_text(slug))
    asked = {k: v for k, v in totals_query.dict().items() if v}
    form = TotalsForm(asked)
    if asked and not form.is_valid():
        raise ApiError(
            422,
            _("The request is not valid."),
            errors=[
                {"field": name, "message": str(message)}
                for name, messages in form.errors.items()
                for message in messages
            ],
        )
    currency = (form.cleaned_data.get("currency") or None) if asked else None
    on = form.cleaned_data.get("on") if asked else None
    try:
        totals = selectors.campaign_totals(found, currency=currency, on=on)
    except ValidationError as error:
        raise ApiError(
            400, _("These totals cannot be converted."), " ".join(error.messages)
        ) from error
    today = timezone.localdate()
    overdue = selectors.overdue_pledges(found, today=today)
    summary = totals["summary"]
    out = _campaign_out(found)
    out.update(
        signatories=int(summary.get("signatories") or 0),
        pledges=int(summary.get("pledges") or 0),
        measures=int(summary.get("measures") or 0),
    )
    return {
        **out,
        "description": translated(found, "description"),
        "totals": {
            "currency": totals["target"],
            "rates_on": totals["on"],
            "by_currency": _amounts(dict(totals["by_currency"])),
            "total": _money(totals["total"].total),
            "spent": _money(totals["spent"].total),
            "rates": [
                RateOut(
                    base=r.base,
                    quote=r.quote,
                    rate=str(r.rate),
                    valid_on=r.valid_on,
                    source=r.source,
                )
                for r in totals["rates"]
            ],
            "principles": [
                PrincipleRowOut(
                    framework=found.framework.slug,
                    code=row["item"].code,
                    name=row["item"].label,
                    pledges=row["pledges"],
                    amounts=_amounts(row["amounts"]),
                    converted=_money(row["converted"]),
                )
                for row in totals["principles"]
            ],
            "signatories": [
                SignatoryRowOut(
                    slug=row.get("slug") or "",
                    name=row.get("name") or "",
                    city=row.get("city") or "",
                    pledges=row["pledges"],
                    amounts=_amounts(row["amounts"]),
                    converted=_money(row["converted"]),
                )
                for row in totals["organisations"]
            ],
            "signatories_not_listed": totals["organisations_hidden"],
            "months": [
                MonthRowOut(
                    month=row["month"][:7],
                    pledges=row["pledges"],
                    amount=_money(row["amount"]),
                    cumulative=_money(row["cumulative"]),
                )
                for row in totals["months"]
            ],
            "computed_at": totals["computed_at"],
        },
        "overdue_count": overdue.count(),
        "overdue": [
            PledgeRef(
                id=p.pk,
                title=translated(p, "title"),
                organisation=_organisation(p.organisation),
                report_due_on=p.report_due_on,
            )
            for p in overdue[:20]
        ],
        "export_csv": f"{found.get_absolute_url()}export.csv",
        "export_json": f"{found.get_absolute_url()}export.json",
    }


# --- pledges ----------------------------------------------------------------------------------


class PledgeFilters(HubFilters):
    campaign: str | None = None  # a campaign's slug: its pledges (the campaign page's list)
    by: str | None = None  # an organisation's slug: its own pledges (/pledges/by/<slug>/)
    framework: str | None = None  # with principle: the pledges serving a principle
    principle: str | None = None  # a principle's code (needs framework)


def _pledges(request: HttpRequest, filters: PledgeFilters) -> QuerySet[Pledge]:
    rows = selectors.pledge_list(request.user)
    if filters.campaign is not None:
        rows = rows.filter(
            campaign=get_object_or_404(Campaign, slug=address_text(filters.campaign))
        )
    if filters.by is not None:
        rows = rows.filter(
            organisation=get_object_or_404(Organisation, slug=address_text(filters.by))
        )
    if filters.principle is not None or filters.framework is not None:
        if not filters.principle or not filters.framework:
            raise ApiError(
                422,
                _("The request is not valid."),
                errors=[
                    {
                        "field": "principle" if not filters.principle else "framework",
                        "message": _("Give both a framework and a principle's code."),
                    }
                ],
            )
        item = get_object_or_404(
            FrameworkItem,
            framework__slug=address_text(filters.framework),
            code=address_text(filters.principle),
        )
        rows = rows.filter(principles=item)
    scope = _hub(request, filters)
    if scope is not None:
        rows = rows.filter(pk__in=selectors.pledges_in_hub(scope).values("pk"))
    return rows


@router.get(
    "/pledges",
    response=PledgePage,
    summary="Pledges you may see (published; drafts for their editors), newest signed first",
)
@conditional(*HUB_NAMESPACES)
def pledges(
    request: HttpRequest,
    filters: Query[PledgeFilters],
    cursor: str | None = None,
    limit: int = 50,
) -> Any:
    today = timezone.localdate()
    return cursor_page(
        _pledges(request, filters),
        cursor=cursor,
        limit=limit,
        order=("-signed_on", "-id"),
        convert=lambda p: _pledge_out(p, today),
    )


@router.get(
    "/pledges/{pledge_id}",
    response=PledgeDetailOut,
    summary="A pledge with its principles, measures, indicators, links, progress and documents",
)
@conditional(*HUB_NAMESPACES)
def pledge(request: HttpRequest, pledge_id: int) -> Any:
    found = _pledge_or_404(request, pledge_id)
    measures: list[Measure] = list(found.measures.all())
    user = request.user
    selectors.mark_visible_links(measures, user)
    can_edit = user.has_perm("pledges.change_pledge", found)
    today = timezone.localdate()

    def links(measure: Measure) -> list[LinkOut]:
        shown: list[MeasureLink] = [
            link
            for link in measure.links.all()
            if can_edit or link.shown  # type: ignore[attr-defined]
        ]
        return [
            LinkOut(
                kind=link.kind,
                title=link.label,
                url=link.href,
                public=bool(link.shown),  # type: ignore[attr-defined]
            )
            for link in shown
        ]

    return {
        **_pledge_out(found, today),
        "statement": translated(found, "statement"),
        "principles": [
            PrincipleRef(framework=item.framework.slug, code=item.code, name=item.label)
            for item in found.principles.all()
        ],
        "progress": _progress(selectors.pledge_progress(measures, today)),
        "measures": [
            MeasureOut(
                id=m.pk,
                position=m.position,
                description=translated(m, "description"),
                amount=_money(m.amount),
                currency=m.currency,
                spent=_money(m.spent),
                starts_on=m.starts_on,
                ends_on=m.ends_on,
                department=m.department,
                status=m.status,
                last_reported_on=m.last_reported_on,
                progress=_progress(selectors.measure_progress(m, today)),
                indicators=[
                    IndicatorOut(
                        id=i.pk,
                        name=translated(i, "name"),
                        unit=i.unit,
                        baseline=str(i.baseline),
                        target=str(i.target),
                        current=str(i.current) if i.current is not None else None,
                    )
                    for i in m.indicators.all()
                ],
                links=links(m),
            )
            for m in measures
        ],
        "documents": [
            PledgeDocumentOut(title=translated(d, "title"), url=_file_url(d.file))
            for d in found.documents.all()
        ],
    }


@router.get(
    "/pledges/{pledge_id}/reports",
    response=ReportPage,
    summary="A pledge's progress reports, newest first (optionally of one measure)",
)
@conditional(*NAMESPACES)
def reports(
    request: HttpRequest,
    pledge_id: int,
    measure: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Any:
    found = _pledge_or_404(request, pledge_id)
    currencies = {m.pk: m.currency for m in found.measures.all()}
    rows = selectors.pledge_reports(found)
    if measure is not None:
        if measure not in currencies:
            raise Http404
        rows = rows.filter(measure_id=measure)
    return cursor_page(
        rows,
        cursor=cursor,
        limit=limit,
        order=("-reported_on", "-id"),
        convert=lambda r: _report_out(r, currencies.get(r.measure_id, "")),
    )
