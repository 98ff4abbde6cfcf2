"""Pledge pages: campaigns with totals, pledges with measures and reports, principles across
cities, exports. Thin: parse with a form, ask ``rules``, call a service or a selector, render."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.accounts.types import Actor, signed_in
from cocity.core.access import login_or_forbidden
from cocity.core.cache import namespace_versions, public_page_cache
from cocity.core.csv import csv_streaming_response
from cocity.core.forms import add_service_errors, error_text
from cocity.core.http import vary_on_htmx
from cocity.core.pagination import paginate
from cocity.core.translations import viewing
from cocity.network.models import Organisation, Role
from cocity.network.selectors.hubs import hub_filter

from . import selectors, services
from .forms import (
    DocumentForm,
    FrameworkForm,
    LinkForm,
    MeasureForm,
    PledgeForm,
    ReportForm,
    TotalsForm,
)
from .models import Campaign, Framework, FrameworkItem, Pledge

TOTALS_CACHE_SECONDS = 24 * 3600
# The measure form's names for the fields of services.link_add.
LINK_FIELDS = {"kind": "link_kind", "url": "link_url", "title": "link_title"}


# Visitors get these pages from the shared page cache: any write to a model they show bumps its
# namespaces (the cache table in apps.py: "pledges", "network" for organisation names). What
# changes with the date alone (a report becoming overdue) is at most PUBLIC_CACHE_TIMEOUT late.
PUBLIC_CACHE = ("pledges", "network")
PUBLIC_CACHE_TIMEOUT = 300


def _pledge_or_404(request: HttpRequest, pk: int) -> Pledge:
    try:
        return selectors.pledge_detail(pk, request.user)
    except Pledge.DoesNotExist:
        raise Http404 from None


def _editable_organisations(user: Actor) -> Any:
    if user.is_staff:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=[Role.EDITOR, Role.ADMIN]
    ).order_by("name")


# --- campaigns --------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE, timeout=PUBLIC_CACHE_TIMEOUT)
def index(request: HttpRequest) -> HttpResponse:
    # ?space=, ?organisation=, ?place=: a hub's campaigns and pledges ("See all"), every one
    hub = hub_filter(user=request.user, params=request.GET)
    campaigns = selectors.campaign_list()
    if hub is not None:
        campaigns = campaigns.filter(pk__in=selectors.campaigns_in_hub(hub.scope).values("pk"))
    context = {
        "hub_filter": hub,
        "pledges": paginate(selectors.hub_pledges(hub.scope), request.GET.get("page"))
        if hub is not None
        else None,
        "today": timezone.localdate(),
        "campaigns": list(campaigns if hub is not None else campaigns[:50]),
        "frameworks": list(selectors.frameworks_for(request.user)[:50]),
        "can_add_framework": request.user.is_authenticated
        and _editable_organisations(request.user).exists(),
    }
    return render(request, "pledges/index.html", context)


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE, timeout=PUBLIC_CACHE_TIMEOUT)
def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(selectors.campaigns_for_page(), slug=slug)
    form = TotalsForm(request.GET or None)
    currency = on = None
    if form.is_valid():
        currency, on = form.cleaned_data["currency"] or None, form.cleaned_data["on"]
    # For people who see only published pledges (visitors, and signed-in people who edit for no
    # organisation), the overdue list and the page of pledges are the same for everyone:
    # rendered once per version of the totals, day and page, and cached. So is the whole body of
    # the page for signed-in readers (visitors get the whole page from the page cache): only the
    # header around it is theirs. Such a person can never pledge (that takes an editor's role).
    shared = selectors.sees_only_published(request.user)
    # Every key holds the versions of the page's namespaces: any write to what the page shows
    # (pledges, measures, totals, exchange rates, organisations) makes them all stale at once.
    versions = namespace_versions(PUBLIC_CACHE)
    today = timezone.localdate()
    page_number = request.GET.get("page", "")
    # The language and what is shown in it (translations, people's only, or the originals).
    parts = [str(campaign.pk), versions, today.isoformat(), get_language() or "", viewing().key()]
    body_key = None
    if shared and not getattr(request, "htmx", False) and (form.is_valid() or not request.GET):
        fields = [
            *parts,
            currency or "",
            on.isoformat() if on else "",
            page_number,
        ]
        body_key = "pledges:body:" + hashlib.sha256("|".join(fields).encode()).hexdigest()
        body = cache.get(body_key)
        if body is not None:
            page = {"campaign": campaign, "body": mark_safe(body)}  # noqa: S308 - our template
            return vary_on_htmx(render(request, "pledges/campaign_detail.html", page))
    status = 200
    try:
        totals_html = _totals_html(request, campaign, versions, currency=currency, on=on)
    except ValidationError as error:
        form.add_error(None, error)
        totals_html = _totals_html(request, campaign, versions, currency=None, on=None)
        status = 400

    def overdue_context() -> dict[str, Any]:
        overdue = selectors.overdue_pledges(campaign, today=today)
        return {"overdue": list(overdue[:20]), "overdue_count": overdue.count()}

    def pledges_context() -> dict[str, Any]:
        page_obj = paginate(
            selectors.campaign_pledges(campaign, request.user), request.GET.get("page")
        )
        return {"page_obj": page_obj, "today": today}

    pledges_html = _fragment(
        request,
        ["pledges", *parts, page_number] if shared else None,
        "pledges/partials/campaign_pledges.html",
        pledges_context,
    )
    if getattr(request, "htmx", False):
        return vary_on_htmx(HttpResponse(pledges_html, status=status))
    context = {
        "campaign": campaign,
        "form": form,
        "totals_html": totals_html,
        "overdue_html": _fragment(
            request,
            ["overdue", *parts] if shared else None,
            "pledges/partials/campaign_overdue.html",
            overdue_context,
        ),
        "pledges_html": pledges_html,
        "can_pledge": not shared
        and request.user.is_authenticated
        and _editable_organisations(request.user).exists(),
    }
    if body_key is not None and status == 200:
        body = render_to_string("pledges/partials/campaign_body.html", context, request)
        cache.set(body_key, body, TOTALS_CACHE_SECONDS)
        context = {"campaign": campaign, "body": mark_safe(body)}  # noqa: S308 - our template
    return vary_on_htmx(render(request, "pledges/campaign_detail.html", context, status=status))


def _fragment(
    request: HttpRequest,
    key: list[str] | None,
    template: str,
    context: Any,
) -> str:
    """Render ``template`` with ``context()``; with a key, once per key (cached)."""
    cache_key = "pledges:fragment:" + "|".join(key) if key is not None else None
    html = cache.get(cache_key) if cache_key else None
    if html is None:
        html = render_to_string(template, context(), request)
        if cache_key:
            cache.set(cache_key, html, TOTALS_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output


def _totals_html(
    request: HttpRequest, campaign: Campaign, versions: str, *, currency: str | None, on: Any
) -> str:
    """The totals, charts and tables of a campaign, rendered once per state of the data and
    cached. The key holds the ``versions`` of the page's namespaces, so a read after any write
    (a measure, a summary, an exchange rate) never gets an old rendering."""
    key = "pledges:totals:" + "|".join(
        [
            str(campaign.pk),
            versions,
            currency or "",
            on.isoformat() if on else "",
            get_language() or "",
            viewing().key(),
        ]
    )
    html = cache.get(key)
    if html is None:
        totals = selectors.campaign_totals(campaign, currency=currency, on=on)
        html = render_to_string(
            "pledges/partials/campaign_totals.html",
            {"campaign": campaign, "totals": totals},
            request,
        )
        cache.set(key, html, TOTALS_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output


def _json_lines(campaign: Campaign) -> Iterator[str]:
    """The campaign's JSON export, written measure by measure (never whole in memory)."""
    yield json.dumps({"campaign": campaign.slug, "name": campaign.name}, ensure_ascii=False)[:-1]
    yield ', "measures": ['
    for number, row in enumerate(selectors.export_rows(campaign)):
        yield ("," if number else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


@require_http_methods(["GET", "HEAD"])
def campaign_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    """Every measure of the campaign's published pledges, streamed (``selectors.export_rows``)."""
    campaign = get_object_or_404(Campaign, slug=slug)
    if fmt == "json":
        response: HttpResponseBase = StreamingHttpResponse(
            _json_lines(campaign), content_type="application/json"
        )
    else:
        fields = selectors.EXPORT_FIELDS
        rows = ([row[k] for k in fields] for row in selectors.export_rows(campaign))
        response = csv_streaming_response(fields, rows, filename=f"{campaign.slug}.csv")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}.{fmt}"'
    return response


# --- pledges ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def pledge_create(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("framework"), slug=slug)
    if not request.user.is_authenticated:
        return login_or_forbidden(request)
    organisations = _editable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = PledgeForm(
        request.POST or None,
        framework=campaign.framework,
        organisations=organisations,
        initial={"signed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("pledges.add_pledge", data["organisation"]):
            raise PermissionDenied
        try:
            pledge = services.pledge_create(
                campaign=campaign,
                organisation=data["organisation"],
                title=data["title"],
                statement=data["statement"],
                principles=data["principles"],
                signed_by=data["signed_by"],
                signed_on=data["signed_on"],
                created_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pledge saved as a draft: add its measures, then publish."))
            return redirect(pledge)
    return render(request, "pledges/pledge_form.html", {"campaign": campaign, "form": form})


@require_http_methods(["GET", "HEAD"])
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _pledge_or_404(request, pk)
    measures = list(pledge.measures.all())
    user = request.user
    selectors.mark_visible_links(measures, user)
    can_edit = user.has_perm("pledges.change_pledge", pledge)
    for measure in measures:
        # Editors see every link (to remove one whose item is no longer public); readers see
        # the links to pages they may open.
        measure.listed_links = [  # type: ignore[attr-defined]
            link
            for link in measure.links.all()
            if can_edit or link.shown  # type: ignore[attr-defined]
        ]
    context = {
        "pledge": pledge,
        "measures": [(m, selectors.measure_progress(m)) for m in measures],
        "progress": selectors.pledge_progress(measures),
        "timeline": selectors.pledge_timeline(pledge),
        "overdue": pledge.is_overdue(),
        "can_edit": can_edit,
        "can_report": user.has_perm("pledges.file_report", pledge) and pledge.is_published,
        "can_publish": user.has_perm("pledges.publish_pledge", pledge) and not pledge.is_published,
    }
    return render(request, "pledges/pledge_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def pledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _pledge_or_404(request, pk)
    if not request.user.has_perm("pledges.change_pledge", pledge):
        return login_or_forbidden(request)
    initial = {
        "title": pledge.title,
        "statement": pledge.statement,
        "principles": list(pledge.principles.all()),
        "signed_by": pledge.signed_by,
        "signed_on": pledge.signed_on,
    }
    form = PledgeForm(request.POST or None, framework=pledge.campaign.framework, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pledge_update(
                pledge=pledge,
                title=data["title"],
                statement=data["statement"],
                principles=data["principles"],
                signed_by=data["signed_by"],
                signed_on=data["signed_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pledge saved."))
            return redirect(pledge)
    context = {"campaign": pledge.campaign, "form": form, "pledge": pledge}
    return render(request, "pledges/pledge_form.html", context)


@require_POST
def pledge_publish(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _pledge_or_404(request, pk)
    if not request.user.has_perm("pledges.publish_pledge", pledge):
        return login_or_forbidden(request)
    try:
        services.pledge_publish(pledge=pledge)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Pledge published."))
    return redirect(pledge)


@require_http_methods(["GET", "HEAD", "POST"])
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _pledge_or_404(request, pk)
    if not request.user.has_perm("pledges.change_pledge", pledge):
        return login_or_forbidden(request)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        indicators = []
        if d["indicator_name"]:
            indicators.append(
                services.IndicatorInput(
                    name=d["indicator_name"],
                    unit=d["indicator_unit"],
                    baseline=d["indicator_baseline"],
                    target=d["indicator_target"],
                )
            )
        links = []
        if d["link_url"]:
            links.append(
                services.LinkInput(
                    title=d["link_title"], url=d["link_url"], kind=d["link_kind"] or "other"
                )
            )
        try:
            services.measure_add(
                pledge=pledge,
                description=d["description"],
                amount=d["amount"],
                currency=d["currency"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                department=d["department"],
                indicators=indicators,
                links=links,
            )
        except ValidationError as error:
            add_service_errors(form, error, rename=LINK_FIELDS)
        else:
            messages.success(request, _("Measure added."))
            return redirect(pledge)
    return render(request, "pledges/measure_form.html", {"pledge": pledge, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def link_add(request: HttpRequest, pk: int, measure_id: int) -> HttpResponse:
    pledge = _pledge_or_404(request, pk)
    if not request.user.has_perm("pledges.change_pledge", pledge):
        return login_or_forbidden(request)
    measure = next((m for m in pledge.measures.all() if m.pk == measure_id), None)
    if measure is None:
        raise Http404
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.link_add(measure=measure, kind=d["kind"], url=d["url"], title=d["title"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Link added."))
            return redirect(f"{pledge.get_absolute_url()}#measure-{measure.pk}")
    return render(
        request, "pledges/link_form.html", {"pledge": pledge, "measure": measure, "form": form}
    )


@require_POST
def link_remove(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    pledge = _pledge_or_404(request, pk)
    if not request.user.has_perm("pledges.change_pledge", pledge):
        return login_or_forbidden(request)
    link = next(
        (link for m in pledge.measures.all() for link in m.links.all() if link.pk == link_id), None
    )
    if link is None:
        raise Http404
    services.link_remove(link=link)
    messages.success(request, _("Link removed."))
    return redirect(f"{pledge.get_absolute_url()}#measure-{link.measure_id}")


@require_http_methods(["GET", "HEAD", "POST"])
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _pledge_or_404(request, pk)
    if not request.user.has_perm("pledges.file_report", pledge):
        return login_or_forbidden(request)
    if not pledge.is_published:
        raise Http404
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        pledge=pledge,
        initial={"reported_on": timezone.localdate(), "measure": request.GET.get("measure")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        measure = next(m for m in pledge.measures.all() if m.pk == d["measure"])
        try:
            services.report_file(
                measure=measure,
                reported_on=d["reported_on"],
                spent=d["spent"],
                status=d["status"],
                narrative=d["narrative"],
                evidence_url=d["evidence_url"],
                evidence_file=d["evidence_file"],
                indicator_values=form.indicator_values(),
                created_by=signed_in(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Progress report filed."))
            return redirect(pledge)
    return render(request, "pledges/report_form.html", {"pledge": pledge, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _pledge_or_404(request, pk)
    if not request.user.has_perm("pledges.change_pledge", pledge):
        return login_or_forbidden(request)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                pledge=pledge, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Document added."))
            return redirect(pledge)
    return render(request, "pledges/document_form.html", {"pledge": pledge, "form": form})


# --- organisations, frameworks, principles ------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE, timeout=PUBLIC_CACHE_TIMEOUT)
def organisation_pledges(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    page_obj = paginate(
        selectors.organisation_pledges(organisation, request.user), request.GET.get("page")
    )
    return render(
        request,
        "pledges/organisation_pledges.html",
        {"organisation": organisation, "page_obj": page_obj, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE, timeout=PUBLIC_CACHE_TIMEOUT)
def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    framework = get_object_or_404(Framework.objects.select_related("organisation"), slug=slug)
    return render(
        request,
        "pledges/framework_detail.html",
        {"framework": framework, "items": selectors.framework_items(framework)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def framework_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_or_forbidden(request)
    organisations = _editable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = FrameworkForm(request.POST or None)
    form.fields["organisation"] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=organisations
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if not request.user.has_perm("pledges.add_framework", d["organisation"]):
            raise PermissionDenied
        try:
            framework = services.framework_create(
                organisation=d["organisation"],
                slug=d["slug"],
                name=d["name"],
                description=d["description"],
                items=[services.ItemInput(code=c, name=n) for c, n in d["items"]],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Framework created."))
            return redirect(framework)
    return render(request, "pledges/framework_form.html", {"form": form})


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE, timeout=PUBLIC_CACHE_TIMEOUT)
def principle_detail(request: HttpRequest, framework: str, code: str) -> HttpResponse:
    item = get_object_or_404(
        FrameworkItem.objects.select_related("framework", "parent"),
        framework__slug=framework,
        code=code,
    )
    page_obj = paginate(selectors.principle_pledges(item, request.user), request.GET.get("page"))
    totals = selectors.principle_totals(item)
    return render(
        request,
        "pledges/principle_detail.html",
        {"item": item, "page_obj": page_obj, "totals": totals, "today": timezone.localdate()},
    )
