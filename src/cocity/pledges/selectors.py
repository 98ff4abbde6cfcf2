"""Every non-trivial read of the pledges app, with its query shape decided here."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cocity.accounts.types import Viewer
from cocity.core.hubs import HubScope
from cocity.core.numbers import format_number
from cocity.core.translations import translated_value, translation_values
from cocity.network.models import Organisation, OrganisationMembership, Role, Territory

from .currencies import normalise_currency, validate_currency
from .models import (
    Campaign,
    CampaignSummary,
    ExchangeRate,
    Framework,
    FrameworkItem,
    Indicator,
    Measure,
    MeasureLink,
    Pledge,
    ProgressReport,
)

CENT = Decimal("0.01")
TOP_SIGNATORIES = 30  # the campaign page shows the largest; the exports have every one


# --- visibility -------------------------------------------------------------------------------


def pledges_visible_to(user: Viewer) -> QuerySet[Pledge]:
    """Published pledges for everyone; drafts too for editors of the pledging organisation and
    admins of the campaign's organisation (and staff)."""
    queryset = Pledge.objects.all()
    if getattr(user, "is_staff", False):
        return queryset
    if sees_only_published(user):  # no OR over memberships (and DISTINCT) for most people
        return queryset.filter(state=Pledge.State.PUBLISHED)
    return queryset.filter(
        Q(state=Pledge.State.PUBLISHED)
        | Q(
            organisation__memberships__user=user,
            organisation__memberships__role__in=["editor", "admin"],
        )
        | Q(
            campaign__organisation__memberships__user=user,
            campaign__organisation__memberships__role="admin",
        )
    ).distinct()


def sees_only_published(user: Viewer) -> bool:
    """True when ``pledges_visible_to(user)`` is the published pledges only, as for a visitor:
    not staff, and editor or admin of no organisation (one indexed EXISTS query)."""
    if not user.is_authenticated:
        return True
    if user.is_staff:
        return False
    return not OrganisationMembership.objects.filter(
        user=user, role__in=["editor", "admin"]
    ).exists()


# --- exchange rates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RateUsed:
    """The table entry used: 1 ``base`` = ``rate`` ``quote`` on ``valid_on``."""

    currency: str  # converted from
    target: str  # converted to
    base: str
    quote: str
    rate: Decimal
    valid_on: datetime.date
    source: str

    def apply(self, amount: Decimal) -> Decimal:
        return amount * self.rate if self.base == self.currency else amount / self.rate


@dataclass
class Conversion:
    target: str
    on: datetime.date
    total: Decimal
    rates: list[RateUsed] = field(default_factory=list)


def rate_for(currency: str, target: str, on: datetime.date) -> RateUsed:
    """The rate in force on ``on``: the latest published on or before that day, either way
    round (1 EUR = 0.88 GBP also converts GBP to EUR). No rate: a ValidationError, never 1:1."""
    candidates = list(
        ExchangeRate.objects.filter(
            Q(base=currency, quote=target) | Q(base=target, quote=currency), valid_on__lte=on
        ).order_by("-valid_on", "id")[:2]
    )
    if not candidates:
        raise ValidationError(
            _(
                "There is no exchange rate between %(currency)s and %(target)s on or before "
                "%(date)s: ask an administrator to add one."
            )
            % {
                "currency": currency,
                "target": target,
                "date": formats.date_format(on, "DATE_FORMAT"),
            },
            code="no_rate",
        )
    best = candidates[0]
    return RateUsed(currency, target, best.base, best.quote, best.rate, best.valid_on, best.source)


def convert(
    amounts: dict[str, Decimal],
    *,
    target: str,
    on: datetime.date,
    cache: dict[str, RateUsed] | None = None,
) -> Conversion:
    """Sum amounts in several currencies into ``target`` with the rates valid on ``on``
    (``cache``: rates already looked up for this target and day, filled as we go)."""
    target = normalise_currency(target)
    validate_currency(target)
    total = Decimal(0)
    used: list[RateUsed] = []
    for currency, amount in sorted(amounts.items()):
        if currency == target:
            total += amount
            continue
        if cache is not None and currency in cache:
            rate = cache[currency]
        else:
            rate = rate_for(currency, target, on)
            if cache is not None:
                cache[currency] = rate
        used.append(rate)
        total += rate.apply(amount)
    return Conversion(target=target, on=on, total=total.quantize(CENT, ROUND_HALF_UP), rates=used)


# --- campaign ---------------------------------------------------------------------------------


def campaigns_for_page() -> QuerySet[Campaign]:
    """Campaigns with what the page shows, in one query."""
    return Campaign.objects.select_related("organisation", "framework")


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("organisation", "framework", "totals").order_by(
        "-created_at", "id"
    )


def _decimals(amounts: dict[str, str]) -> dict[str, Decimal]:
    return {currency: Decimal(value) for currency, value in amounts.items()}


@dataclass
class Bar:
    label: str
    value: Decimal
    display: str
    href: str = ""
    share: float = 0.0  # 0..1 of the longest bar
    y: int = 0  # position in the SVG chart (server-drawn)
    width: float = 0.0


@dataclass
class Chart:
    bars: list[Bar]

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * BAR_STEP + 4


BAR_STEP, BAR_SPACE = 28, 300


def bars(rows: list[tuple[str, Decimal, str, str]]) -> Chart:
    """Rows (label, value, shown value, link) as bars scaled to the longest."""
    top = max((value for _l, value, _d, _h in rows), default=Decimal(0))
    out = []
    for index, (label, value, display, href) in enumerate(rows):
        share = float(value / top) if top else 0.0
        out.append(
            Bar(label, value, display, href, share, index * BAR_STEP, round(share * BAR_SPACE, 1))
        )
    return Chart(out)


def campaign_totals(
    campaign: Campaign, *, currency: str | None = None, on: datetime.date | None = None
) -> dict[str, Any]:
    """Everything the campaign page shows, from the summary row (one query) plus the principle
    labels, the exchange rates and the overdue pledges. Raises ValidationError when the asked
    currency has no rate for the day."""
    summary = CampaignSummary.objects.filter(campaign=campaign).first()
    data = summary.data if summary else {}
    target = normalise_currency(currency or campaign.currency)
    on = on or campaign.starts_on or timezone.localdate()
    by_currency = {c: Decimal(v["amount"]) for c, v in data.get("by_currency", {}).items()}
    spent = {c: Decimal(v["spent"]) for c, v in data.get("by_currency", {}).items()}
    cache: dict[str, RateUsed] = {}
    conversion = convert(by_currency, target=target, on=on, cache=cache)
    spent_conversion = convert(spent, target=target, on=on, cache=cache)
    rates = {(r.currency): r for r in conversion.rates}

    def in_target(amounts: dict[str, str]) -> Decimal:
        if not amounts:
            return Decimal(0)
        return convert(_decimals(amounts), target=target, on=on, cache=cache).total

    items = {
        item.pk: item
        for item in FrameworkItem.objects.select_related("framework")
        .filter(framework_id=campaign.framework_id)
        .exclude(kind=FrameworkItem.Kind.CHAPTER)
    }
    principle_rows = []
    for row in data.get("by_principle", []):
        item = items.get(row["id"])
        if item is None:
            continue
        principle_rows.append(
            {
                "item": item,
                "pledges": row["pledges"],
                "amounts": _decimals(row["amounts"]),
                "converted": in_target(row["amounts"]),
            }
        )
    principle_rows.sort(key=lambda r: r["item"].position)
    organisation_rows = sorted(
        (
            {**row, "amounts": _decimals(row["amounts"]), "converted": in_target(row["amounts"])}
            for row in data.get("by_organisation", [])
        ),
        key=lambda r: (-r["converted"], r["name"]),
    )
    organisation_count = len(organisation_rows)
    organisation_rows = organisation_rows[:TOP_SIGNATORIES]
    _signatories_in_viewer_language(organisation_rows)
    month_rows = []
    running = Decimal(0)
    pledges_so_far = 0
    for row in data.get("by_month", []):
        amount = in_target(row["amounts"])
        running += amount
        pledges_so_far += row["pledges"]
        month_rows.append(
            {
                "month": row["month"],
                "pledges": row["pledges"],
                "amount": amount,
                "cumulative": running,
                "pledges_so_far": pledges_so_far,
            }
        )

    def money(value: Decimal) -> str:
        # As the viewer's language writes it, like the tables (2,645,000 / 2 645 000).
        return format_number(value, 0)

    def month_label(key: str) -> str:
        try:
            first = datetime.date.fromisoformat(f"{key[:7]}-01")
        except ValueError:
            return key
        return formats.date_format(first, "YEAR_MONTH_FORMAT")

    return {
        "summary": data,
        "computed_at": summary.computed_at if summary else None,
        "target": target,
        "on": on,
        "by_currency": sorted(by_currency.items()),
        "total": conversion,
        "spent": spent_conversion,
        "rates": list(rates.values()),
        "principles": principle_rows,
        "organisations": organisation_rows,
        "organisations_hidden": organisation_count - len(organisation_rows),
        "months": month_rows,
        "principle_bars": bars(
            [
                (
                    f"{r['item'].code}. {r['item'].label}",
                    r["converted"],
                    money(r["converted"]),
                    r["item"].get_absolute_url(),
                )
                for r in principle_rows
            ]
        ),
        "organisation_bars": bars(
            [(r["name"], r["converted"], money(r["converted"]), "") for r in organisation_rows]
        ),
        "month_bars": bars(
            [
                (month_label(r["month"]), r["cumulative"], money(r["cumulative"]), "")
                for r in month_rows
            ]
        ),
    }


def _signatories_in_viewer_language(rows: list[dict[str, Any]]) -> None:
    """The summary keeps each signatory's name and city as written (one summary for every
    language): the rows shown get them in the viewer's language, read in one query."""
    if not rows:
        return
    found = {
        row["id"]: row
        for row in Organisation.objects.filter(pk__in=[r["id"] for r in rows]).values(
            "id",
            "home_territory_id",
            *translation_values("name"),
            *translation_values("name", "home_territory__"),
        )
    }
    for row in rows:
        current = found.get(row["id"])
        if current is None:  # deleted since the summary was computed: as it was kept
            continue
        row["name"] = translated_value(Organisation, current)
        if current["home_territory_id"] is not None:
            row["city"] = translated_value(Territory, current, "name", "home_territory__")


def overdue_pledges(campaign: Campaign | None = None, *, today: datetime.date | None = None):
    today = today or timezone.localdate()
    queryset = Pledge.objects.filter(
        state=Pledge.State.PUBLISHED, report_due_on__lt=today
    ).select_related("organisation", "campaign")
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return queryset.order_by("report_due_on", "id")


def campaign_pledges(campaign: Campaign, user: Viewer) -> QuerySet[Pledge]:
    """Newest first (an index on campaign, state, signed_on keeps this cheap at 5,000 pledges;
    no per-row measure count here: the totals above carry it)."""
    return (
        pledges_visible_to(user)
        .filter(campaign=campaign)
        .select_related("organisation", "organisation__home_territory")
        .order_by("-signed_on", "-id")
    )


# --- The hub pages (cocity.core.hubs) ---------------------------------------------------------
# Pledges and campaigns belong to organisations: a space's page shows those of the organisations
# that own it, a place's page those of the organisations based there; and, anywhere, those with a
# measure linked to the hub's events, library items or actions. The hub's sections count these,
# and the pledges page filtered to the hub (``?space=``, ``?organisation=``, ``?place=``) lists
# them.


def _linked_pledge_ids(scope: HubScope) -> Any:
    """Pledges with a measure linked to an event, a library item or an action of the hub's
    spaces (a subquery): a partnership's page shows the pledges its work feeds into."""
    links = MeasureLink.objects.filter(
        Q(event__space_id__in=scope.spaces)
        | Q(library_item__space_id__in=scope.spaces)
        | Q(action__process__space_id__in=scope.spaces)
    )
    return links.values("measure__pledge_id")


def pledges_in_hub(scope: HubScope) -> QuerySet[Pledge]:
    """The hub's pledges this person may see (drafts only for those who may see them)."""
    return pledges_visible_to(scope.viewer).filter(
        scope.match(organisation="organisation_id") | Q(pk__in=_linked_pledge_ids(scope))
    )


def campaigns_in_hub(scope: HubScope) -> QuerySet[Campaign]:
    """The campaigns of the hub's organisations, and those with a published pledge linked to the
    hub's work."""
    linked = Pledge.objects.filter(
        pk__in=_linked_pledge_ids(scope), state=Pledge.State.PUBLISHED
    ).values("campaign_id")
    return Campaign.objects.filter(scope.match(organisation="organisation_id") | Q(pk__in=linked))


def hub_pledges(scope: HubScope) -> QuerySet[Pledge]:
    """The pledges page filtered to a hub: :func:`pledges_in_hub` as cards, newest first."""
    return (
        Pledge.objects.filter(pk__in=pledges_in_hub(scope).values("pk"))
        .select_related("campaign", "organisation")
        .annotate(measure_count=Count("measures", distinct=True))
        .order_by("-signed_on", "id")
    )


def organisation_pledges(organisation: Any, user: Viewer) -> QuerySet[Pledge]:
    return (
        pledges_visible_to(user)
        .filter(organisation=organisation)
        .select_related("campaign", "organisation")
        .annotate(measure_count=Count("measures", distinct=True))
        .order_by("-signed_on", "id")
    )


def principle_pledges(item: FrameworkItem, user: Viewer) -> QuerySet[Pledge]:
    return (
        pledges_visible_to(user)
        .filter(principles=item)
        .select_related("campaign", "organisation", "organisation__home_territory")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("position", "id")))
        .order_by("organisation__name", "id")
    )


def principle_amounts(pledges: list[Pledge]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for pledge in pledges:
        for measure in pledge.measures.all():
            totals[measure.currency] = totals.get(measure.currency, Decimal(0)) + measure.amount
    return dict(sorted(totals.items()))


def principle_totals(item: FrameworkItem) -> dict[str, Any]:
    """Across campaigns: published pledges serving the principle and their amount by currency,
    read from the campaigns' summaries (kept in step with every write), not from the measures."""
    pledges = 0
    amounts: dict[str, Decimal] = {}
    for data in CampaignSummary.objects.filter(
        campaign__framework_id=item.framework_id
    ).values_list("data", flat=True):
        for row in data.get("by_principle", []):
            if row["id"] != item.pk:
                continue
            pledges += row["pledges"]
            for currency, amount in row["amounts"].items():
                amounts[currency] = amounts.get(currency, Decimal(0)) + Decimal(amount)
    return {"pledges": pledges, "amounts": sorted(amounts.items())}


def framework_items(framework: Framework) -> list[FrameworkItem]:
    return list(framework.items.select_related("parent", "framework").order_by("position", "id"))


def frameworks_for(user: Viewer) -> QuerySet[Framework]:
    return Framework.objects.select_related("organisation").annotate(n=Count("items"))


# --- pledge -----------------------------------------------------------------------------------


@dataclass
class Progress:
    elapsed: float | None
    spent: float | None
    targets: float | None


def _share(part: Decimal, whole: Decimal) -> float | None:
    if not whole:
        return None
    return max(0.0, min(1.0, float(part / whole)))


def measure_progress(measure: Measure, today: datetime.date | None = None) -> Progress:
    today = today or timezone.localdate()
    days = (measure.ends_on - measure.starts_on).days
    elapsed = (
        max(0.0, min(1.0, (today - measure.starts_on).days / days))
        if days > 0
        else (1.0 if today >= measure.ends_on else 0.0)
    )
    reached = [i.share_reached for i in measure.indicators.all()]
    known = [r for r in reached if r is not None]
    return Progress(
        elapsed=elapsed,
        spent=_share(measure.spent, measure.amount),
        targets=sum(known) / len(known) if known else None,
    )


def pledge_progress(measures: list[Measure], today: datetime.date | None = None) -> Progress:
    """Period from the first start to the last end; budget spent weighted by amount when every
    measure is in one currency (else the mean of the measures' shares); targets: the mean."""
    if not measures:
        return Progress(None, None, None)
    today = today or timezone.localdate()
    start = min(m.starts_on for m in measures)
    end = max(m.ends_on for m in measures)
    days = (end - start).days
    elapsed = max(0.0, min(1.0, (today - start).days / days)) if days > 0 else None
    if len({m.currency for m in measures}) == 1:
        spent = _share(
            sum((m.spent for m in measures), Decimal(0)),
            sum((m.amount for m in measures), Decimal(0)),
        )
    else:
        shares = [s for s in (_share(m.spent, m.amount) for m in measures) if s is not None]
        spent = sum(shares) / len(shares) if shares else None
    targets = [p.targets for p in (measure_progress(m, today) for m in measures)]
    known = [t for t in targets if t is not None]
    return Progress(elapsed, spent, sum(known) / len(known) if known else None)


def pledge_detail(pk: int, user: Viewer) -> Pledge:
    return (
        pledges_visible_to(user)
        .select_related("campaign", "campaign__framework", "organisation")
        .prefetch_related(
            Prefetch("principles", queryset=FrameworkItem.objects.select_related("framework")),
            "documents",
            Prefetch(
                "measures",
                queryset=Measure.objects.order_by("position", "id").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("id")),
                    Prefetch(
                        "links",
                        queryset=MeasureLink.objects.select_related(
                            "event", "library_item", "action__process"
                        ).order_by("kind", "id"),
                    ),
                    Prefetch(
                        "reports",
                        queryset=ProgressReport.objects.select_related("created_by")
                        .prefetch_related("values__indicator")
                        .order_by("-reported_on", "-id"),
                    ),
                ),
            ),
        )
        .get(pk=pk)
    )


def pledge_list(user: Viewer) -> QuerySet[Pledge]:
    """The pledges this person may see, with their campaign and organisation (the API's list:
    filtered by campaign, organisation, principle or hub, one query a page)."""
    return pledges_visible_to(user).select_related("campaign", "organisation")


def pledge_reports(pledge: Pledge) -> QuerySet[ProgressReport]:
    """A pledge's progress reports with their indicator values (newest first), in three
    queries however many."""
    return (
        ProgressReport.objects.filter(measure__pledge=pledge)
        .prefetch_related("values__indicator")
        .order_by("-reported_on", "-id")
    )


def pledge_timeline(pledge: Pledge) -> list[dict[str, Any]]:
    """Signing, measure starts and ends, reports, the next due date: oldest first."""
    events: list[dict[str, Any]] = [{"on": pledge.signed_on, "kind": "signed", "text": ""}]
    for measure in pledge.measures.all():
        events.append({"on": measure.starts_on, "kind": "start", "text": str(measure)})
        events.append({"on": measure.ends_on, "kind": "end", "text": str(measure)})
        for report in measure.reports.all():
            events.append({"on": report.reported_on, "kind": "report", "text": str(measure)})
    if pledge.report_due_on:
        events.append({"on": pledge.report_due_on, "kind": "due", "text": ""})
    return sorted(events, key=lambda e: e["on"])


# --- links to events, library items and actions -------------------------------------------------


_LINKED_MODELS = {
    "events.event": "event",
    "library.libraryitem": "library_item",
    "plans.action": "action",
}


def _published_links() -> QuerySet[MeasureLink]:
    return MeasureLink.objects.filter(measure__pledge__state=Pledge.State.PUBLISHED).select_related(
        "measure__pledge__organisation__home_territory"
    )


def links_to(target: Any) -> list[MeasureLink]:
    """For the other apps' pages (the "linked pledges" panel, ``pledges/panels.py``): the links
    of published pledges' measures to ``target`` (an event, a library item or an action), with
    their measure, pledge and city, in one query."""
    field_name = _LINKED_MODELS.get(target._meta.label_lower)
    if field_name is None or target.pk is None:
        return []
    return list(
        _published_links()
        .filter(**{field_name: target})
        .order_by("measure__pledge__organisation__name", "measure__pledge_id", "measure__position")
    )


def links_to_process_actions(process: Any) -> list[MeasureLink]:
    """The links of published pledges' measures to any action of ``process`` (its action plan
    page), with the action, in one query."""
    return list(
        _published_links()
        .filter(action__process=process)
        .select_related("action")
        .order_by("action__title", "action_id", "measure__pledge__organisation__name", "id")
    )


def mark_visible_links(measures: list[Measure], user: Viewer) -> None:
    """Set ``link.shown`` on the (prefetched) links of ``measures``: a link to an item shows if
    ``user`` may see the item now (it was public when linked, but its space may have become
    members-only or it may have gone back to draft). At most one query per kind of item, through
    the apps' own visibility selectors, whatever the number of links."""
    links = [link for m in measures for link in m.links.all()]
    ids: dict[str, set[int]] = {"event": set(), "library": set(), "process": set()}
    for link in links:
        if link.kind == MeasureLink.Kind.EVENT and link.event_id:
            ids["event"].add(link.event_id)
        elif link.kind == MeasureLink.Kind.LIBRARY and link.library_item_id:
            ids["library"].add(link.library_item_id)
        elif link.kind == MeasureLink.Kind.ACTION and link.action is not None:
            ids["process"].add(link.action.process_id)
    visible: dict[str, set[int]] = {"event": set(), "library": set(), "process": set()}
    if ids["event"]:
        from cocity.events.selectors import events_visible_to

        visible["event"] = set(
            events_visible_to(user).filter(pk__in=ids["event"]).values_list("pk", flat=True)
        )
    if ids["library"]:
        from cocity.library.selectors import published_items

        visible["library"] = set(
            published_items(user)
            .filter(pk__in=ids["library"])
            .prefetch_related(None)
            .values_list("pk", flat=True)
        )
    if ids["process"]:
        from cocity.plans.selectors import processes_visible_to

        visible["process"] = set(
            processes_visible_to(user).filter(pk__in=ids["process"]).values_list("pk", flat=True)
        )
    for link in links:
        if link.kind == MeasureLink.Kind.EVENT:
            link.shown = link.event_id in visible["event"]  # type: ignore[attr-defined]
        elif link.kind == MeasureLink.Kind.LIBRARY:
            link.shown = link.library_item_id in visible["library"]  # type: ignore[attr-defined]
        elif link.kind == MeasureLink.Kind.ACTION:
            process_id = link.action.process_id if link.action is not None else None
            link.shown = process_id in visible["process"]  # type: ignore[attr-defined]
        else:
            link.shown = True  # type: ignore[attr-defined]


# --- exports ----------------------------------------------------------------------------------


EXPORT_FIELDS = (
    "pledge_id", "pledge", "organisation", "city", "signed_on", "principles", "pledge_status",
    "report_due_on", "measure_id", "measure", "amount", "currency", "spent", "starts_on",
    "ends_on", "department", "measure_status",
)  # fmt: skip


def export_rows(campaign: Campaign) -> Iterator[dict[str, Any]]:
    """One row per measure of the campaign's published pledges, in ``EXPORT_FIELDS`` order.

    Read as plain values in two queries (the measures with their pledge, organisation and city;
    the principles' codes), streamed in chunks: no model instance per row, so 50,000 measures
    cost about a tenth of what model instances did (``docs/benchmarks.md``)."""
    published = {"pledge__campaign": campaign, "pledge__state": Pledge.State.PUBLISHED}
    codes: dict[int, list[str]] = defaultdict(list)
    through = Pledge.principles.through.objects.filter(
        pledge__campaign=campaign, pledge__state=Pledge.State.PUBLISHED
    ).order_by("pledge_id", "frameworkitem__framework", "frameworkitem__position", "frameworkitem")
    for pledge_id, code in through.values_list("pledge_id", "frameworkitem__code"):
        codes[pledge_id].append(code)
    measures = (
        Measure.objects.filter(**published)
        .order_by("pledge__organisation__name", "pledge_id", "position", "id")
        .values_list(
            "pledge_id",
            "pledge__title",
            "pledge__organisation__name",
            "pledge__organisation__home_territory__name",
            "pledge__signed_on",
            "pledge__status",
            "pledge__report_due_on",
            "id",
            "description",
            "amount",
            "currency",
            "spent",
            "starts_on",
            "ends_on",
            "department",
            "status",
        )
    )
    for row in measures.iterator(chunk_size=5000):
        (pledge_id, title, organisation, city, signed_on, pledge_status, due) = row[:7]
        (measure_id, description, amount, currency, spent, starts, ends, department) = row[7:15]
        yield {
            "pledge_id": pledge_id,
            "pledge": title,
            "organisation": organisation,
            "city": city or "",
            "signed_on": signed_on.isoformat(),
            "principles": " ".join(codes.get(pledge_id, ())),
            "pledge_status": pledge_status,
            "report_due_on": due.isoformat() if due else "",
            "measure_id": measure_id,
            "measure": description,
            "amount": str(amount),
            "currency": currency,
            "spent": str(spent),
            "starts_on": starts.isoformat(),
            "ends_on": ends.isoformat(),
            "department": department,
            "measure_status": row[15],
        }


def reports_due(*, user: Viewer, limit: int = 5) -> list[Pledge]:
    """The published pledges whose progress reports this person files (an editor or admin of
    the pledging organisation: ``pledges.file_report``), next report due first (the overdue
    ones first of all). One query."""
    if not user.is_authenticated:
        return []
    orgs = OrganisationMembership.objects.filter(
        user_id=user.pk, role__in=[Role.EDITOR, Role.ADMIN]
    ).values("organisation_id")
    return list(
        Pledge.objects.filter(
            organisation_id__in=orgs,
            state=Pledge.State.PUBLISHED,
            report_due_on__isnull=False,
        )
        .select_related("organisation", "campaign")
        .order_by("report_due_on", "id")[:limit]
    )
