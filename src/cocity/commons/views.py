"""Commons and pact pages. Thin: parse with a form, ask ``rules``, call a service or a selector,
render. Drafts and withdrawn pacts are 404 to everyone but their proponents and officers."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.accounts.types import Actor, signed_in
from cocity.core import images
from cocity.core.access import login_or_forbidden
from cocity.core.cache import cached, public_page_cache, shared_fragment
from cocity.core.csv import csv_streaming_response
from cocity.core.forms import add_service_errors, error_text
from cocity.core.geo import parse_bbox
from cocity.core.http import vary_on_htmx
from cocity.core.pagination import paginate
from cocity.core.translations import translation_columns
from cocity.network.models import Organisation, Role
from cocity.network.selectors.hubs import hub_filter
from cocity.network.selectors.territories import CONTEXT_CITIES, city_areas
from cocity.participation import selectors as participation_selectors
from cocity.participation.forms import CommentForm
from cocity.participation.forms import ReportForm as CommentReportForm
from cocity.participation.models import Comment

from . import lifecycle, maps, selectors, services
from .diffs import line_diff
from .forms import (
    ActivityForm,
    CallForm,
    CommitmentForm,
    CommonsForm,
    DocumentForm,
    DraftForm,
    PactEditForm,
    PactFilterForm,
    PactForm,
    PactPhotoForm,
    PartyForm,
    PhotoForm,
    ReportForm,
    TransitionForm,
)
from .models import CallForCare, Commons, Pact, PactParty

GET = ["GET", "HEAD"]
# Anonymous visitors get the registry, the map and its GeoJSON from the shared page cache; any
# write to a model they show bumps its namespaces (the cache table in apps.py).
PUBLIC_CACHE = ("commons", "network")


def _pact_or_404(request: HttpRequest, pk: int, *, full: bool = False) -> Pact:
    try:
        pact = (
            selectors.pact_detail(pk)
            if full
            else Pact.objects.select_related("commons__organisation").get(pk=pk)
        )
    except Pact.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("commons.view_pact", pact):
        raise Http404
    return pact


def _filters(
    request: HttpRequest, *, of_pacts: bool = True
) -> tuple[PactFilterForm, dict[str, Any]]:
    """The filter form and its values; its place select offers the places of the pacts
    (``of_pacts``) or of the commons, and those above them, not every place."""
    places = selectors.filter_places(of_pacts=of_pacts)
    form = PactFilterForm(request.GET or None, places=places)
    return form, form.filters()


def _filter_form_html(request: HttpRequest, form: PactFilterForm, htmx_target: str = "") -> str:
    """The filter form rendered once per combination of filter values and language, then kept in
    the cache until territories, topics or pacts change: rendering its selects (some 60
    options through Django's widget templates) was a third of the registry's Python time."""

    def render_form() -> str:
        context = {"form": form, "htmx_target": htmx_target}
        return render_to_string("commons/partials/filters.html", context)

    if not settings.COCITY_PAGE_CACHE:  # same policy as the page cache
        return render_form()
    values = [(name, request.GET.getlist(name)) for name in sorted(form.fields)]
    raw = json.dumps([translation.get_language(), htmx_target, values])
    key = "commons-filters:" + hashlib.sha256(raw.encode()).hexdigest()
    return cached(PUBLIC_CACHE, key, render_form)


# --- registry -------------------------------------------------------------------------------


@require_http_methods(GET)
@public_page_cache(PUBLIC_CACHE)
def index(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    hub = hub_filter(user=request.user, params=request.GET)  # a hub's "See all"; 404 first
    if hub is not None:
        filters = {**filters, "hub": hub.scope}
    # Visitors get the whole page from the page cache; signed-in people get the same list,
    # overdue steps and calls (nothing in them is personal) from a shared fragment, inside a
    # page of their own ("My pacts").

    def results_html() -> str:
        page_obj = selectors.registry_page(filters, request.GET.get("page"))
        context = {
            "page_obj": page_obj,
            "cards": selectors.registry_cards(page_obj),
            "query": request.GET.copy(),
            "hub_filter": hub,  # resolved above: a hidden space is a 404 before any cache
        }
        return render_to_string("commons/partials/pact_results.html", context, request)

    if getattr(request, "htmx", False):
        html = shared_fragment(request, PUBLIC_CACHE, "commons-results", results_html)
        return vary_on_htmx(HttpResponse(html))

    def body_html() -> str:
        context = {
            "filters_html": _filter_form_html(request, form, "#pact-results"),
            "results_html": mark_safe(results_html()),  # noqa: S308 - our template's output
            "overdue": selectors.overdue_cards(
                selectors.overdue_pacts()
                .select_related(None)
                .only("id", "title", "state", "step_due_on", *translation_columns())[:10]
            ),
            "calls": list(selectors.calls_list()[:5]),
        }
        return render_to_string("commons/partials/index_body.html", context, request)

    body = shared_fragment(request, PUBLIC_CACHE, "commons-index", body_html)
    body_safe = mark_safe(body)  # noqa: S308 - ours
    context = {"body": body_safe, "query": request.GET.copy(), "hub_filter": hub}
    return vary_on_htmx(render(request, "commons/index.html", context))


@require_http_methods(GET)
@public_page_cache(PUBLIC_CACHE)
def map_page(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)

    def body_html() -> str:  # nothing personal: one rendering for signed-in people too
        bbox = parse_bbox(request.GET.get("bbox"))
        rows = selectors.pacts_in_bbox(filters, bbox, limit=200)
        for row in rows:
            row["state_label"] = Pact.State(row["state"]).label
        query = request.GET.copy()
        query.pop("bbox", None)
        place = filters.get("territory")
        if place is not None:  # the filtered place and its neighbourhoods, under the markers
            parts, context_capped = list(place.children.all()), False
        else:  # else the neighbourhoods of the cities of the pacts listed, to recognise them
            around = city_areas(row["commons__territory_path"] for row in rows)
            parts, context_capped = around.areas, around.capped
        context = {
            "filters_html": _filter_form_html(request, form, "#map-body"),
            "map": maps.svg_map(rows, bbox),
            "points_query": query.urlencode(),
            "place": place,
            "place_parts": parts,
            "context_capped": context_capped,
            "context_cities": CONTEXT_CITIES,
            "rows": rows,
            "bbox": bbox,
        }
        return render_to_string("commons/partials/map_body.html", context, request)

    body = shared_fragment(request, PUBLIC_CACHE, "commons-map", body_html)
    if getattr(request, "htmx", False):  # the filters: map, list and counts swapped together
        return vary_on_htmx(HttpResponse(body))
    page = render(request, "commons/map.html", {"body": mark_safe(body)})  # noqa: S308 - ours
    return vary_on_htmx(page)


@require_http_methods(GET)
@public_page_cache(PUBLIC_CACHE, everyone=True)  # open data: the same for every visitor
def map_geojson(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    bbox = parse_bbox(request.GET.get("bbox"))
    if request.GET.get("bbox") and bbox is None:
        return JsonResponse({"error": _("bbox is west,south,east,north in degrees.")}, status=400)
    rows = selectors.pacts_in_bbox(filters, bbox, limit=selectors.MAP_LIMIT + 1)
    truncated = len(rows) > selectors.MAP_LIMIT
    pattern = maps.pact_url_pattern()
    # Plain dicts from one values() query, serialised by json.dumps: no model instances.
    body = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [maps.feature(r, pattern) for r in rows[: selectors.MAP_LIMIT]],
            "limit": selectors.MAP_LIMIT,
            "truncated": truncated,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    response = HttpResponse(body.encode(), content_type="application/geo+json")
    return response


EXPORT_FIELDS = {
    "id": "id", "title": "title", "type": "kind", "status": "state", "level": "level",
    "starts_on": "starts_on", "ends_on": "ends_on", "proposed_at": "created_at",
    "step_due_on": "step_due_on", "commons": "commons__name", "commons_slug": "commons__slug",
    "commons_kind": "commons__kind", "territory": "commons__territory__name",
    "territory_code": "commons__territory__code", "city": "commons__organisation__name",
    "latitude": "commons__latitude", "longitude": "commons__longitude",
}  # fmt: skip


@require_http_methods(GET)
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    _form, filters = _filters(request)
    hub = hub_filter(user=request.user, params=request.GET)  # the registry's page, as filtered
    if hub is not None:
        filters = {**filters, "hub": hub.scope}
    rows = ([row[key] for key in EXPORT_FIELDS.values()] for row in selectors.export_rows(filters))
    return csv_streaming_response(EXPORT_FIELDS, rows, filename="collaboration-pacts.csv")


@require_http_methods(GET)
def export_geojson(request: HttpRequest) -> StreamingHttpResponse:
    _form, filters = _filters(request)
    hub = hub_filter(user=request.user, params=request.GET)  # the registry's page, as filtered
    if hub is not None:
        filters = {**filters, "hub": hub.scope}

    def chunks():
        yield '{"type": "FeatureCollection", "features": [\n'
        first = True
        pattern = maps.pact_url_pattern()
        for row in selectors.export_rows(filters):
            feature = maps.feature(row, pattern)
            feature["properties"].update(
                {k: str(row[v]) if row[v] is not None else None for k, v in EXPORT_FIELDS.items()}
            )
            yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
            first = False
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/geo+json")
    response["Content-Disposition"] = 'attachment; filename="collaboration-pacts.geojson"'
    return response


# --- commons and calls ------------------------------------------------------------------------


@require_http_methods(GET)
def commons_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request, of_pacts=False)
    hub = hub_filter(user=request.user, params=request.GET)  # a hub's "See all"
    if hub is not None:
        filters = {**filters, "hub": hub.scope}
    context = {
        "form": form,
        "hub_filter": hub,
        "page_obj": paginate(selectors.commons_list(filters), request.GET.get("page")),
    }
    return render(request, "commons/commons_list.html", context)


@require_http_methods(GET)
def commons_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        commons = selectors.commons_detail(slug)
    except Commons.DoesNotExist:
        raise Http404 from None
    context = {
        "commons": commons,
        "page_obj": paginate(selectors.commons_pacts(commons), request.GET.get("page")),
        "can_change": request.user.has_perm("commons.change_commons", commons),
    }
    return render(request, "commons/commons_detail.html", context)


def _organisation_for(request: HttpRequest, slug: str, perm: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


@require_http_methods(["GET", "HEAD", "POST"])
def commons_create(request: HttpRequest, org: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_or_forbidden(request)
    organisation = _organisation_for(request, org, "commons.add_commons")
    form = CommonsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commons = services.commons_create(
                organisation=organisation,
                actor=request.user,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Commons added to the registry."))
            return redirect(commons)
    return render(
        request,
        "commons/form_page.html",
        {"form": form, "heading": _("Add a commons"), "back": organisation},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def commons_photo_add(request: HttpRequest, slug: str) -> HttpResponse:
    commons = get_object_or_404(Commons, slug=slug)
    if not request.user.has_perm("commons.change_commons", commons):
        return login_or_forbidden(request)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.commons_photo_add(
                commons=commons,
                image=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
                actor=signed_in(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(commons)
    return render(
        request,
        "commons/form_page.html",
        {"form": form, "heading": _("Add a photo"), "back": commons},
    )


@require_http_methods(GET)
def call_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "commons/call_list.html",
        {"page_obj": paginate(selectors.calls_list(), request.GET.get("page"))},
    )


@require_http_methods(GET)
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        call = selectors.call_detail(slug)
    except CallForCare.DoesNotExist:
        raise Http404 from None
    return render(
        request, "commons/call_detail.html", {"call": call, "today": timezone.localdate()}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def call_create(request: HttpRequest, org: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_or_forbidden(request)
    organisation = _organisation_for(request, org, "commons.add_callforcare")
    form = CallForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Call for care published."))
            return redirect(call)
    return render(
        request,
        "commons/form_page.html",
        {"form": form, "heading": _("Publish a call for care"), "back": organisation},
    )


# --- pacts ------------------------------------------------------------------------------------


def _my_organisations(user: Actor) -> Any:
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=[Role.EDITOR, Role.ADMIN]
    ).order_by("name")


def _propose(request: HttpRequest, *, commons: Commons, competes_with: Pact | None) -> HttpResponse:
    call = None
    if request.GET.get("call"):
        call = CallForCare.objects.filter(slug=request.GET["call"]).first()
    form = PactForm(
        request.POST or None,
        request.FILES or None,
        organisations=_my_organisations(signed_in(request)),
        fixed_kind=competes_with is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("kind", competes_with.kind if competes_with else Pact.Kind.ORDINARY)
        try:
            pact = services.pact_create(
                commons=commons,
                kind=kind,
                created_by=signed_in(request),
                call=call,
                competes_with=competes_with,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft saved. Add the parties and each party's commitments, then submit it."),
            )
            return redirect(pact)
    heading = _("Make a competing proposal") if competes_with else _("Propose a collaboration pact")
    return render(
        request,
        "commons/form_page.html",
        {"form": form, "heading": heading, "back": competes_with or commons, "call": call},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def pact_create(request: HttpRequest, slug: str) -> HttpResponse:
    commons = get_object_or_404(Commons, slug=slug)
    if not request.user.is_authenticated:
        return login_or_forbidden(request)
    return _propose(request, commons=commons, competes_with=None)


@require_http_methods(["GET", "HEAD", "POST"])
def pact_compete(request: HttpRequest, pk: int) -> HttpResponse:
    pact = _pact_or_404(request, pk)
    if not request.user.has_perm("commons.compete_pact", pact):
        return login_or_forbidden(request)
    return _propose(request, commons=pact.commons, competes_with=pact)


@require_http_methods(GET)
def pact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pact = _pact_or_404(request, pk, full=True)
    user = request.user
    actions = [
        {
            "action": row.action,
            "label": lifecycle.ACTION_LABELS[row.action],
            "reason": row.needs_reason,
        }
        for row in lifecycle.available(pact)
        if row.action not in ("sign", "report") and user.has_perm(row.who, pact)
    ]
    can_sign = user.has_perm("commons.sign_pact", pact) and lifecycle.find(pact, "sign")
    signable = []
    if can_sign:
        signable = [
            p
            for p in pact.parties.all()
            if not p.signed_at and services._can_sign_for(user, p, pact)
        ]
    context = {
        "pact": pact,
        "actions": actions,
        "signable": signable,
        "can_edit": user.has_perm("commons.change_pact", pact),
        "can_comment": user.has_perm("commons.comment_pact", pact),
        "can_compete": user.has_perm("commons.compete_pact", pact),
        "can_edit_draft": user.has_perm("commons.edit_shared_draft", pact),
        "can_report": user.has_perm("commons.report_pact", pact) and lifecycle.find(pact, "report"),
        "can_attach": user.has_perm("commons.sign_pact", pact)
        or user.has_perm("commons.change_pact", pact),
        "transition_form": TransitionForm(),
        "comment_form": CommentForm(),
        "comments": paginate(
            participation_selectors.comment_threads(pact), request.GET.get("page")
        ),
        "can_report_comment": user.has_perm("commons.report_comment", pact),
        "can_moderate": user.has_perm(
            "participation.moderate_organisation", pact.commons.organisation
        ),
        "versions": list(pact.versions.all()),
        "total_hours": sum(r.hours for r in pact.reports.all()),
        "today": timezone.localdate(),
    }
    return render(request, "commons/pact_detail.html", context)


def _pact_form_view(request, pk, *, perm, form_factory, run, heading, editing=False):
    """``editing``: the form edits the pact itself (its page links to its translation form)."""
    pact = _pact_or_404(request, pk)
    if not request.user.has_perm(perm, pact):
        return login_or_forbidden(request)
    form = form_factory(pact, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run(pact, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(pact)
    context = {"form": form, "heading": heading, "back": pact, "editing": pact if editing else None}
    return render(request, "commons/form_page.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def pact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def factory(pact, data, files):
        return PactEditForm(
            data,
            files,
            instance=pact if data is None else Pact.objects.get(pk=pact.pk),
            initial=images.picture_initial(pact, "cover"),
        )

    def run(pact, form):
        services.pact_update(pact=pact, actor=signed_in(request), **form.cleaned_data)

    return _pact_form_view(
        request,
        pk,
        perm="commons.change_pact",
        form_factory=factory,
        run=run,
        heading=_("Edit the pact"),
        editing=True,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(pact, form):
        data = form.cleaned_data
        services.party_add(
            pact=pact,
            actor=signed_in(request),
            role=data["role"],
            person=data["email"],
            organisation=data["organisation"],
        )

    return _pact_form_view(
        request,
        pk,
        perm="commons.change_pact",
        form_factory=lambda pact, data, files: PartyForm(data),
        run=run,
        heading=_("Add a proponent or co-signer"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(pact, form):
        services.commitment_add(pact=pact, actor=signed_in(request), **form.cleaned_data)

    return _pact_form_view(
        request,
        pk,
        perm="commons.change_pact",
        form_factory=lambda pact, data, files: CommitmentForm(data, pact=pact),
        run=run,
        heading=_("Add a commitment"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(pact, form):
        services.activity_add(pact=pact, actor=signed_in(request), **form.cleaned_data)

    return _pact_form_view(
        request,
        pk,
        perm="commons.change_pact",
        form_factory=lambda pact, data, files: ActivityForm(data),
        run=run,
        heading=_("Add an activity to the timeline"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(pact, form):
        services.document_add(pact=pact, actor=signed_in(request), **form.cleaned_data)

    return _pact_form_view(
        request,
        pk,
        perm="commons.sign_pact",
        form_factory=lambda pact, data, files: DocumentForm(data, files),
        run=run,
        heading=_("Add a document (signed PDF)"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(pact, form):
        services.photo_add(pact=pact, actor=signed_in(request), **form.cleaned_data)

    return _pact_form_view(
        request,
        pk,
        perm="commons.sign_pact",
        form_factory=lambda pact, data, files: PactPhotoForm(data, files),
        run=run,
        heading=_("Add a before or after photo"),
    )


@require_POST
def pact_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    pact = _pact_or_404(request, pk)
    if action not in lifecycle.ACTION_LABELS:
        raise Http404
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.pact_transition(
            pact=pact,
            action=action,
            actor=signed_in(request),
            reason=form.cleaned_data.get("reason", ""),
        )
    except PermissionDenied:
        return login_or_forbidden(request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done: the history shows the decision."))
    return redirect(pact)


@require_POST
def pact_sign(request: HttpRequest, pk: int, party: int) -> HttpResponse:
    pact = _pact_or_404(request, pk)
    signing = get_object_or_404(PactParty, pk=party, pact=pact)
    try:
        services.pact_sign(pact=pact, party=signing, actor=signed_in(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Signed."))
    return redirect(pact)


@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    pact = _pact_or_404(request, pk)
    if not request.user.has_perm("commons.comment_pact", pact):
        return login_or_forbidden(request)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
        try:
            comment = services.comment_add(
                pact=pact,
                author=signed_in(request),
                body=form.cleaned_data["body"],
                stance=form.cleaned_data["stance"],
                parent=parent,
            )
            messages.success(request, _("Comment published."))
            return redirect(f"{pact.get_absolute_url()}#comment-{comment.pk}")
        except ValidationError as error:
            messages.error(request, error_text(error))
    else:
        for messages_of_field in form.errors.values():
            for message in messages_of_field:
                messages.error(request, str(message))
    return redirect(f"{pact.get_absolute_url()}#comments")


@require_POST
def comment_report(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    pact = _pact_or_404(request, pk)
    comment = get_object_or_404(
        participation_selectors.comments_on(pact), pk=comment_pk, hidden_at__isnull=True
    )
    if not request.user.has_perm("commons.report_comment", pact):
        return login_or_forbidden(request)
    form = CommentReportForm(request.POST)
    if form.is_valid():
        services.comment_report(
            comment=comment, reporter=signed_in(request), reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Thank you: the moderators will look at it."))
    else:
        messages.error(request, _("Say why you report it."))
    return redirect(f"{pact.get_absolute_url()}#comment-{comment.pk}")


@require_http_methods(["GET", "HEAD", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def factory(pact, data, files):
        return DraftForm(data, initial={"text": pact.shared_draft})

    def run(pact, form):
        services.draft_save(pact=pact, actor=signed_in(request), **form.cleaned_data)

    return _pact_form_view(
        request,
        pk,
        perm="commons.edit_shared_draft",
        form_factory=factory,
        run=run,
        heading=_("Edit the shared draft"),
    )


@require_http_methods(GET)
def version_diff(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    pact = _pact_or_404(request, pk)
    version = get_object_or_404(pact.versions.select_related("author"), number=number)
    previous = pact.versions.filter(number__lt=number).order_by("-number").first()
    context = {
        "pact": pact,
        "version": version,
        "previous": previous,
        "lines": line_diff(previous.text if previous else "", version.text),
    }
    return render(request, "commons/version_diff.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    def factory(pact, data, files):
        return ReportForm(data, files, indicators=pact.indicator_list())

    def run(pact, form):
        data = form.cleaned_data
        photos = [(data["photo"], data["photo_alt"])] if data.get("photo") else []
        services.report_file(
            pact=pact,
            actor=signed_in(request),
            period_start=data["period_start"],
            period_end=data["period_end"],
            summary=data["summary"],
            hours=data["hours"],
            indicator_values=form.indicator_values(),
            photos=photos,
        )

    return _pact_form_view(
        request,
        pk,
        perm="commons.report_pact",
        form_factory=factory,
        run=run,
        heading=_("File a progress report"),
    )


@require_http_methods(GET)
def my_pacts(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_or_forbidden(request)
    context = {
        "page_obj": paginate(selectors.my_pacts(request.user), request.GET.get("page")),
        "queue": list(selectors.officer_queue(request.user)[:50]),
        "today": timezone.localdate(),
    }
    return render(request, "commons/my_pacts.html", context)
