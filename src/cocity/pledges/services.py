"""Every write of the pledges app: one function per use case, in a transaction, nothing written
when anything is invalid. Writes that change a campaign's totals lock the campaign row first and
recompute its :class:`CampaignSummary` before they commit, so the totals page (which reads only
the summary) is consistent with the data after every write, even with concurrent writers."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http.request import validate_host
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cocity.accounts.types import Actor
from cocity.core import uploads
from cocity.core.cache import rows_changed
from cocity.core.mail import queue_templated_email
from cocity.core.reminders import send_once, sent_keys
from cocity.network.models import Organisation, OrganisationMembership, Role
from cocity.network.selectors.hubs import spaces_gathering
from cocity.participation import services as participation

from .currencies import normalise_currency
from .models import (
    Campaign,
    CampaignSummary,
    ExchangeRate,
    Framework,
    FrameworkItem,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureLink,
    Pledge,
    PledgeDocument,
    ProgressReport,
    Status,
)

CLOSED = (Status.COMPLETED, Status.ABANDONED)


# --- helpers -----------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_amount(value: Any, field_name: str = "amount") -> Decimal:
    """A non-negative exact decimal, or a ValidationError naming the field."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field_name: _("Give the amount as a number, for example 1250000.50.")}
        ) from None
    if not amount.is_finite():
        raise ValidationError(
            {field_name: _("Give the amount as a number, for example 1250000.50.")}
        )
    if amount < 0:
        raise ValidationError({field_name: _("An amount cannot be negative.")})
    return amount


def _lock_campaign(campaign_id: int) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign_id)


# --- frameworks and campaigns -----------------------------------------------------------------


@dataclass
class ItemInput:
    code: str
    name: str
    kind: str = FrameworkItem.Kind.PRINCIPLE
    parent_code: str | None = None
    description: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@transaction.atomic
def framework_create(
    *,
    organisation: Organisation,
    slug: str,
    name: str,
    description: str = "",
    items: Sequence[ItemInput],
) -> Framework:
    if not items:
        raise ValidationError({"items": _("A framework needs at least one principle or goal.")})
    framework = Framework(organisation=organisation, slug=slug, name=name, description=description)
    framework.full_clean()
    framework.save()
    by_code: dict[str, FrameworkItem] = {}
    for position, entry in enumerate(items):
        if entry.code in by_code:
            raise ValidationError(
                {"items": _("The code “%(code)s” is used twice.") % {"code": entry.code}}
            )
        parent = by_code.get(entry.parent_code) if entry.parent_code else None
        if entry.parent_code and parent is None:
            raise ValidationError(
                {"items": _("Unknown chapter “%(code)s”.") % {"code": entry.parent_code}}
            )
        item = FrameworkItem(
            framework=framework,
            parent=parent,
            kind=entry.kind,
            code=entry.code,
            name=entry.name,
            description=entry.description,
            translations=entry.translations,
            position=position,
        )
        item.full_clean()
        item.save()
        by_code[entry.code] = item
    return framework


@transaction.atomic
def campaign_create(
    *,
    organisation: Organisation,
    framework: Framework,
    name: str,
    slug: str,
    summary: str = "",
    description: str = "",
    currency: str = "EUR",
    report_every_months: int = 6,
    starts_on: datetime.date | None = None,
) -> Campaign:
    campaign = Campaign(
        organisation=organisation,
        framework=framework,
        name=name,
        slug=slug,
        summary=summary,
        description=description,
        currency=normalise_currency(currency),
        report_every_months=report_every_months,
        starts_on=starts_on,
    )
    campaign.full_clean()
    campaign.save()
    summary_recompute(campaign=campaign)
    # News on the pages of the spaces this organisation owns (participation.space_news).
    participation.space_news(
        spaces=spaces_gathering(organisation_id=organisation.pk),
        kind="space_publication",
        message=participation.Said(
            gettext_lazy("New pledge campaign by %(organisation)s: %(name)s"),
            {"organisation": (organisation, "name"), "name": (campaign, "name")},
        ),
        url=campaign.get_absolute_url(),
    )
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, **changes: Any) -> Campaign:
    campaign = _lock_campaign(campaign.pk)
    for name, value in changes.items():
        setattr(campaign, name, value)
    campaign.currency = normalise_currency(campaign.currency)
    campaign.full_clean()
    campaign.save()
    for pledge in campaign.pledges.all():
        _refresh_pledge(pledge, campaign=campaign)
    return campaign


# --- pledges and measures ---------------------------------------------------------------------


@dataclass
class IndicatorInput:
    name: str
    baseline: Any
    target: Any
    unit: str = ""


@dataclass
class LinkInput:
    title: str
    url: str
    kind: str = MeasureLink.Kind.OTHER


def _check_principles(campaign: Campaign, principles: Iterable[FrameworkItem]) -> list:
    items = list(principles)
    for item in items:
        if item.framework_id != campaign.framework_id or item.kind == FrameworkItem.Kind.CHAPTER:
            raise ValidationError(
                {"principles": _("Choose principles of the campaign's framework.")}
            )
    return items


@transaction.atomic
def pledge_create(
    *,
    campaign: Campaign,
    organisation: Organisation,
    title: str,
    statement: str = "",
    principles: Iterable[FrameworkItem] = (),
    signed_by: str,
    signed_on: datetime.date,
    created_by: Actor | None = None,
) -> Pledge:
    campaign = _lock_campaign(campaign.pk)
    items = _check_principles(campaign, principles)
    pledge = Pledge(
        campaign=campaign,
        organisation=organisation,
        title=title,
        statement=statement,
        signed_by=signed_by,
        signed_on=signed_on,
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )
    pledge.full_clean()
    pledge.save()
    pledge.principles.set(items)
    return pledge


@transaction.atomic
def pledge_update(
    *,
    pledge: Pledge,
    title: str,
    statement: str,
    principles: Iterable[FrameworkItem],
    signed_by: str,
    signed_on: datetime.date,
) -> Pledge:
    campaign = _lock_campaign(pledge.campaign_id)
    items = _check_principles(campaign, principles)
    first_report = (
        ProgressReport.objects.filter(measure__pledge=pledge).order_by("reported_on").first()
    )
    if first_report is not None and first_report.reported_on < signed_on:
        raise ValidationError(
            {"signed_on": _("A progress report is dated before this signing date.")}
        )
    pledge.title, pledge.statement = title, statement
    pledge.signed_by, pledge.signed_on = signed_by, signed_on
    pledge.full_clean()
    pledge.save()
    pledge.principles.set(items)
    _refresh_pledge(pledge, campaign=campaign)
    return pledge


@transaction.atomic
def pledge_publish(*, pledge: Pledge) -> Pledge:
    campaign = _lock_campaign(pledge.campaign_id)
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if not pledge.measures.exists():
        raise ValidationError(_("Add at least one measure before publishing the pledge."))
    if pledge.state != Pledge.State.PUBLISHED:
        pledge.state = Pledge.State.PUBLISHED
        pledge.published_at = timezone.now()
        pledge.save(update_fields=["state", "published_at"])
    _refresh_pledge(pledge, campaign=campaign)
    return pledge


@transaction.atomic
def measure_add(
    *,
    pledge: Pledge,
    description: str,
    amount: Any,
    currency: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    department: str = "",
    indicators: Sequence[IndicatorInput] = (),
    links: Sequence[LinkInput] = (),
) -> Measure:
    campaign = _lock_campaign(pledge.campaign_id)
    currency = normalise_currency(currency)
    measure = Measure(
        pledge=pledge,
        description=description,
        amount=parse_amount(amount),
        currency=currency,
        starts_on=starts_on,
        ends_on=ends_on,
        department=department,
        position=pledge.measures.count(),
    )
    measure.full_clean()
    measure.save()
    for entry in indicators:
        indicator = Indicator(
            measure=measure,
            name=entry.name,
            unit=entry.unit,
            baseline=_number(entry.baseline, "baseline"),
            target=_number(entry.target, "target"),
        )
        indicator.full_clean()
        indicator.save()
    for wanted in links:
        link_add(measure=measure, title=wanted.title, url=wanted.url, kind=wanted.kind)
    _refresh_pledge(pledge, campaign=campaign)
    return measure


@transaction.atomic
def measure_update(
    *,
    measure: Measure,
    description: str,
    amount: Any,
    currency: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    department: str = "",
) -> Measure:
    """Correct a measure's budget, dates or wording; the campaign's totals follow in the same
    transaction. What progress reports set (spent, status, last report) stays theirs."""
    pledge = Pledge.objects.get(pk=measure.pledge_id)
    campaign = _lock_campaign(pledge.campaign_id)
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    locked.description, locked.department = description, department
    locked.amount = parse_amount(amount)
    locked.currency = normalise_currency(currency)
    locked.starts_on, locked.ends_on = starts_on, ends_on
    locked.full_clean()
    locked.save()
    _refresh_pledge(pledge, campaign=campaign)
    return locked


def _number(value: Any, field_name: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field_name: _("Give a number.")}) from None
    if not number.is_finite():
        raise ValidationError({field_name: _("Give a number.")})
    return number


_LINK_VIEWS = {
    "events:event_detail": MeasureLink.Kind.EVENT,
    "library:item_detail": MeasureLink.Kind.LIBRARY,
    "library:item_detail_short": MeasureLink.Kind.LIBRARY,
    "plans:action_detail": MeasureLink.Kind.ACTION,
}


def _site_path(url: str) -> str:
    """The path of an address of this site: ``/events/x/`` as given, or the path of a full
    address whose host is this site's (``https://cocity.example/events/x/``)."""
    if url.startswith("/") and not url.startswith("//"):
        return urlsplit(url).path
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname:
        hosts = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not hosts:
            hosts = [".localhost", "127.0.0.1", "[::1]"]
        if validate_host(parts.netloc.rpartition("@")[2], hosts):
            return parts.path or "/"
    raise ValidationError(
        {"url": _("Give the address of a page of this site, for example /events/winter-dialogue/.")}
    )


def resolve_link_target(*, kind: str, url: str) -> Any:
    """The public event, library item or action at ``url`` (an address of this site), or a
    ValidationError saying what is wrong: not a page of this site, a page of another kind, or
    no such public item (missing, draft, or in a members-only space: linked items are shown to
    every reader of the pledge, so they must be public)."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404
    from django.urls import Resolver404, resolve

    path = _site_path(url)
    try:
        match = resolve(path)
    except Resolver404:
        raise ValidationError(
            {"url": _("There is no page of this site at that address.")}
        ) from None
    found = _LINK_VIEWS.get(match.view_name)
    not_a = {
        MeasureLink.Kind.EVENT: _("That address is not the page of an event."),
        MeasureLink.Kind.LIBRARY: _("That address is not the page of a library item."),
        MeasureLink.Kind.ACTION: _("That address is not the page of an action of an action plan."),
    }
    if found is None:
        raise ValidationError({"url": not_a[kind]})  # type: ignore[index]
    if found != kind:
        is_a = {
            MeasureLink.Kind.EVENT: _("an event"),
            MeasureLink.Kind.LIBRARY: _("a library item"),
            MeasureLink.Kind.ACTION: _("an action of an action plan"),
        }
        hint = _("It is the page of %(found)s: choose that kind, or give another address.") % {
            "found": is_a[found]
        }
        raise ValidationError({"url": f"{not_a[kind]} {hint}"})  # type: ignore[index]
    anonymous = AnonymousUser()
    target: Any = None
    if kind == MeasureLink.Kind.EVENT:
        from cocity.events.selectors import event_for_viewer

        target = event_for_viewer(slug=match.kwargs["slug"], user=anonymous)
        missing = _(
            "There is no public event at that address. Only published events of public spaces "
            "can be linked, so that every reader of the pledge can open them."
        )
    elif kind == MeasureLink.Kind.LIBRARY:
        from cocity.library.selectors import published_items

        target = published_items(anonymous).filter(pk=match.kwargs["pk"]).first()
        missing = _(
            "There is no public library item at that address. Only published items of public "
            "spaces can be linked, so that every reader of the pledge can open them."
        )
    else:
        from cocity.plans.selectors import action_detail, process_for

        try:
            target = action_detail(process_for(anonymous, match.kwargs["slug"]), match.kwargs["pk"])
        except Http404:
            target = None
        missing = _(
            "There is no public action at that address. Only actions of action plans in public "
            "spaces can be linked, so that every reader of the pledge can open them."
        )
    if target is None:
        raise ValidationError({"url": missing})
    return target


@transaction.atomic
def link_add(*, measure: Measure, kind: str, url: str, title: str = "") -> MeasureLink:
    """Link a measure to an event, a library item or an action of an action plan (``url``: its
    address on this site, resolved to the item, which must be public), or to another page
    (``kind`` "other": a page of this site or an https:// address, with a title)."""
    url, title = (url or "").strip(), (title or "").strip()
    if kind not in MeasureLink.Kind.values:
        raise ValidationError({"kind": _("Choose what the link leads to.")})
    if not url:
        raise ValidationError({"url": _("Give the address of the page to link to.")})
    link = MeasureLink(measure=measure, kind=kind)
    if kind == MeasureLink.Kind.OTHER:
        if not (url.startswith("/") and not url.startswith("//")) and not url.startswith(
            "https://"
        ):
            raise ValidationError(
                {"url": _("Give a page of this site (/...) or an https:// address.")}
            )
        if not title:
            raise ValidationError({"title": _("Give the linked page a title.")})
        link.url, link.title = url, title
    else:
        target = resolve_link_target(kind=kind, url=url)
        field_name = MeasureLink.TARGET_FIELDS[kind]
        if MeasureLink.objects.filter(measure=measure, **{field_name: target}).exists():
            raise ValidationError({"url": _("This measure is linked to that page already.")})
        setattr(link, field_name, target)
        link.url, link.title = target.get_absolute_url(), (title or target.title)[:200]
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def link_remove(*, link: MeasureLink) -> None:
    link.delete()


@transaction.atomic
def document_add(*, pledge: Pledge, title: str, file: UploadedFile) -> PledgeDocument:
    uploads.check_upload(file, (uploads.PDF,), field="file")
    document = PledgeDocument(pledge=pledge, title=title, file=file)
    document.full_clean()
    document.save()
    return document


# --- progress ---------------------------------------------------------------------------------


@transaction.atomic
def report_file(
    *,
    measure: Measure,
    reported_on: datetime.date,
    spent: Any,
    status: str,
    narrative: str = "",
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
    indicator_values: dict[int, Any] | None = None,
    created_by: Actor | None = None,
) -> ProgressReport:
    pledge = measure.pledge
    campaign = _lock_campaign(pledge.campaign_id)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if reported_on < pledge.signed_on:
        raise ValidationError(
            {"reported_on": _("A report cannot be dated before the pledge was signed.")}
        )
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("A report cannot be dated in the future.")})
    if evidence_file:
        uploads.check_upload(evidence_file, (uploads.PDF,), field="evidence_file")
    report = ProgressReport(
        measure=measure,
        reported_on=reported_on,
        spent=parse_amount(spent, "spent"),
        status=status,
        narrative=narrative,
        evidence_url=evidence_url,
        evidence_file=evidence_file or "",
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )
    report.full_clean()
    report.save()
    indicators = {i.pk: i for i in measure.indicators.all()}
    for indicator_id, raw in (indicator_values or {}).items():
        if raw in (None, ""):
            continue
        if indicator_id not in indicators:
            raise ValidationError(_("That indicator belongs to another measure."))
        value = IndicatorValue(
            report=report, indicator=indicators[indicator_id], value=_number(raw, "value")
        )
        value.full_clean()
        value.save()
    # The measure shows its latest report (by date; a late-filed older report does not win).
    latest = measure.reports.order_by("-reported_on", "-id").first()
    assert latest is not None  # noqa: S101 - we just saved one
    measure.spent, measure.status, measure.last_reported_on = (
        latest.spent,
        latest.status,
        latest.reported_on,
    )
    measure.save(update_fields=["spent", "status", "last_reported_on"])
    for indicator in indicators.values():
        last = (
            IndicatorValue.objects.filter(indicator=indicator)
            .order_by("-report__reported_on", "-report_id")
            .first()
        )
        indicator.current = last.value if last else None
        indicator.save(update_fields=["current"])
    _refresh_pledge(pledge, campaign=campaign)
    return report


def _pledge_status(statuses: list[str]) -> str:
    if not statuses:
        return Status.NOT_STARTED
    if all(s == Status.ABANDONED for s in statuses):
        return Status.ABANDONED
    if all(s in CLOSED for s in statuses):
        return Status.COMPLETED
    if any(s == Status.DELAYED for s in statuses):
        return Status.DELAYED
    if all(s == Status.NOT_STARTED for s in statuses):
        return Status.NOT_STARTED
    return Status.ON_TRACK


def _refresh_pledge(pledge: Pledge, *, campaign: Campaign) -> None:
    """Status and next report date of one pledge, then the campaign's totals (same transaction;
    the caller holds the campaign lock)."""
    statuses = list(pledge.measures.values_list("status", flat=True))
    pledge.status = _pledge_status(statuses)
    last = ProgressReport.objects.filter(measure__pledge=pledge).aggregate(d=Max("reported_on"))[
        "d"
    ]
    if not statuses or all(s in CLOSED for s in statuses):
        pledge.report_due_on = None
    else:
        pledge.report_due_on = add_months(last or pledge.signed_on, campaign.report_every_months)
    Pledge.objects.filter(pk=pledge.pk).update(
        status=pledge.status, report_due_on=pledge.report_due_on
    )
    rows_changed(Pledge)  # update() sends no signal (cocity.core.cache)
    summary_recompute(campaign=campaign)


# --- campaign totals --------------------------------------------------------------------------


def _money(value: Any) -> str:
    """A sum as an exact string with cents (SQLite hands sums back without their scale)."""
    return str(Decimal(str(value or 0)).quantize(Decimal("0.01")))


def _amounts(rows: Iterable[dict], key: str) -> dict[Any, dict[str, str]]:
    out: dict[Any, dict[str, str]] = defaultdict(dict)
    for row in rows:
        out[row[key]][row["currency"]] = _money(row["total"])
    return out


def summary_data(*, campaign: Campaign) -> dict[str, Any]:
    """Totals of the campaign's published pledges, as its summary row keeps them (JSON)."""
    measures = Measure.objects.filter(
        pledge__campaign=campaign, pledge__state=Pledge.State.PUBLISHED
    )
    pledges = Pledge.objects.filter(campaign=campaign, state=Pledge.State.PUBLISHED)
    by_currency = {
        r["currency"]: {
            "amount": _money(r["amount"]),
            "spent": _money(r["spent"]),
            "measures": r["n"],
        }
        for r in measures.values("currency")
        .annotate(amount=Sum("amount"), spent=Sum("spent"), n=Count("id"))
        .order_by("currency")
    }
    org_amounts = _amounts(
        measures.values("pledge__organisation_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by(),
        "pledge__organisation_id",
    )
    organisations = [
        {
            "id": r["organisation_id"],
            "name": r["organisation__name"],
            "slug": r["organisation__slug"],
            "city": r["organisation__home_territory__name"] or "",
            "pledges": r["n"],
            "amounts": org_amounts.get(r["organisation_id"], {}),
        }
        for r in pledges.values(
            "organisation_id",
            "organisation__name",
            "organisation__slug",
            "organisation__home_territory__name",
        )
        .annotate(n=Count("id"))
        .order_by("organisation__name")
    ]
    principle_amounts = _amounts(
        measures.filter(pledge__principles__isnull=False)
        .values("pledge__principles", "currency")
        .annotate(total=Sum("amount"))
        .order_by(),
        "pledge__principles",
    )
    principle_counts = dict(
        Pledge.principles.through.objects.filter(pledge__in=pledges)
        .values("frameworkitem_id")
        .annotate(n=Count("pledge_id"))
        .values_list("frameworkitem_id", "n")  # type: ignore[misc]
    )
    principles = [
        {"id": item_id, "pledges": count, "amounts": principle_amounts.get(item_id, {})}
        for item_id, count in principle_counts.items()
    ]
    month_rows = (
        measures.annotate(y=ExtractYear("pledge__signed_on"), m=ExtractMonth("pledge__signed_on"))
        .values("y", "m", "currency")
        .annotate(total=Sum("amount"))
        .order_by("y", "m")
    )
    months: dict[str, dict[str, str]] = {}
    for r in month_rows:
        months.setdefault(f"{r['y']:04d}-{r['m']:02d}", {})[r["currency"]] = _money(r["total"])
    pledge_months: dict[str, int] = defaultdict(int)
    for r in (
        pledges.annotate(y=ExtractYear("signed_on"), m=ExtractMonth("signed_on"))
        .values("y", "m")
        .annotate(n=Count("id"))
        .order_by()
    ):
        pledge_months[f"{r['y']:04d}-{r['m']:02d}"] += r["n"]
    data = {
        "pledges": pledges.count(),
        "signatories": len(organisations),
        "measures": sum(v["measures"] for v in by_currency.values()),
        "by_currency": by_currency,
        "by_organisation": organisations,
        "by_principle": principles,
        "by_month": [
            {"month": month, "amounts": months.get(month, {}), "pledges": pledge_months[month]}
            for month in sorted(set(months) | set(pledge_months))
        ],
    }
    return data


def summary_recompute(*, campaign: Campaign) -> CampaignSummary:
    """Totals of the campaign's published pledges, written to its summary row."""
    data = summary_data(campaign=campaign)
    summary, _created = CampaignSummary.objects.get_or_create(campaign=campaign)
    summary.data, summary.computed_at = data, timezone.now()
    summary.version = (summary.version or 0) + 1
    summary.save()
    return summary


# --- exchange rates ---------------------------------------------------------------------------


@transaction.atomic
def exchange_rate_set(
    *, base: str, quote: str, rate: Any, valid_on: datetime.date, source: str = ""
) -> ExchangeRate:
    base, quote = normalise_currency(base), normalise_currency(quote)
    value = parse_amount(rate, "rate")
    if value == 0:
        raise ValidationError({"rate": _("A rate must be more than zero.")})
    entry = ExchangeRate.objects.filter(base=base, quote=quote, valid_on=valid_on).first()
    entry = entry or ExchangeRate(base=base, quote=quote, valid_on=valid_on)
    entry.rate, entry.source = value, source
    entry.full_clean()
    entry.save()
    return entry


# --- accountability reminders -----------------------------------------------------------------


def reminders_send(*, today: datetime.date | None = None, site_url: str = "") -> int:
    """Remind the editors and admins of each organisation whose published pledge has a report
    due (today or earlier), once per pledge and due date (the key ``report-due:<date>`` in the
    reminders ledger, ``cocity.core.reminders``). Returns the reminders recorded."""
    today = today or timezone.localdate()
    due = list(
        Pledge.objects.filter(state=Pledge.State.PUBLISHED, report_due_on__lte=today)
        .select_related("organisation", "campaign")
        .order_by("pk")
    )
    sent_before = sent_keys(Pledge, [pledge.pk for pledge in due])
    sent = 0
    for pledge in due:
        if pledge.report_due_on is None:  # not reached: filtered on it
            continue
        key = report_reminder_key(pledge.report_due_on)
        if (pledge.pk, key) in sent_before:
            continue
        if send_once(target=pledge, key=key, send=partial(_remind_owners, pledge, site_url)):
            sent += 1
    return sent


def report_reminder_key(due_on: datetime.date) -> str:
    """The ledger key of the reminder of a progress report due on ``due_on``."""
    return f"report-due:{due_on.isoformat()}"


def _remind_owners(pledge: Pledge, site_url: str) -> int:
    owners = [
        m.user
        for m in OrganisationMembership.objects.filter(
            organisation=pledge.organisation,
            role__in=[Role.EDITOR, Role.ADMIN],
            user__is_active=True,
        ).select_related("user")
    ]
    for user in owners:
        queue_templated_email(
            to=user.email,
            template="pledges/emails/report_due",
            context={
                "pledge": pledge,
                "user": user,
                "due_on": pledge.report_due_on,
                "site_url": site_url.rstrip("/"),
            },
            recipient=user,
        )
    return len(owners)
