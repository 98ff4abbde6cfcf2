"""Notification inbox and preference, the moderation queue and activity log of a space (or of
an organisation, for content that belongs to no space)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.accounts.types import signed_in
from cocity.core.access import login_or_forbidden
from cocity.core.forms import error_text
from cocity.core.pagination import paginate
from cocity.network.models import Organisation, Space
from cocity.network.selectors import spaces_visible_to

from . import selectors, services
from .forms import DecisionForm, PreferenceForm
from .models import Report


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    preference = services.preference_for(person)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.preference_update(user=person, email=form.cleaned_data["email"])
        messages.success(request, _("Your notification preference is saved."))
        return redirect("participation:notifications")
    page_obj = paginate(selectors.inbox(person), request.GET.get("page"))
    unread = selectors.unread_count(person)
    return render(
        request,
        "participation/notifications.html",
        {"page_obj": page_obj, "form": form, "unread": unread},
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=signed_in(request))
    return redirect("participation:notifications")


# The moderation queue and the activity log of a space, or of an organisation for content that
# belongs to no space (pacts): the same views, told which by the URL.
_VENUES = {
    "space": (Space, "network.view_space", "participation.moderate_space"),
    "organisation": (Organisation, None, "participation.moderate_organisation"),
}


def _moderated_venue(request: HttpRequest, venue: str, slug: str) -> Space | Organisation:
    model, view_perm, moderate_perm = _VENUES[venue]
    obj: Space | Organisation = get_object_or_404(model, slug=slug)  # type: ignore[assignment]
    if view_perm and not request.user.has_perm(view_perm, obj):
        raise Http404
    if not request.user.has_perm(moderate_perm, obj):
        raise Http404
    return obj


def _venue_context(venue: str, obj: Space | Organisation) -> dict[str, Any]:
    prefix = "" if venue == "space" else "organisation_"
    return {
        "venue": obj,
        "moderation_url": f"participation:{prefix}moderation",
        "decide_url": f"participation:{prefix}report_decide",
        "activity_url": f"participation:{prefix}activity",
    }


@require_http_methods(["GET", "HEAD"])
def moderation(request: HttpRequest, slug: str, venue: str = "space") -> HttpResponse:
    obj = _moderated_venue(request, venue, slug)
    status = request.GET.get("status", Report.Status.OPEN)
    if status not in Report.Status.values:
        status = Report.Status.OPEN
    page_obj = paginate(selectors.report_queue(obj, status), request.GET.get("page"))
    return render(
        request,
        "participation/moderation.html",
        {
            **_venue_context(venue, obj),
            "page_obj": page_obj,
            "status": status,
            "statuses": Report.Status.choices,
            "form": DecisionForm(),
        },
    )


@require_POST
def report_decide(request: HttpRequest, slug: str, pk: int, venue: str = "space") -> HttpResponse:
    obj = _moderated_venue(request, venue, slug)
    report = get_object_or_404(Report, pk=pk, **{venue: obj})
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.report_decide(
                report=report,
                moderator=request.user,
                hide=form.cleaned_data["decision"] == "hide",
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Decision recorded."))
        except ValidationError as error:
            messages.error(request, error_text(error))
    else:
        messages.error(request, _("Choose hide or keep and give a reason."))
    return redirect(_venue_context(venue, obj)["moderation_url"], slug=obj.slug)


@require_http_methods(["GET", "HEAD"])
def activity(request: HttpRequest, slug: str, venue: str = "space") -> HttpResponse:
    obj = _moderated_venue(request, venue, slug)
    page_obj = paginate(selectors.activity_log(obj), request.GET.get("page"))
    return render(
        request,
        "participation/activity.html",
        {**_venue_context(venue, obj), "page_obj": page_obj},
    )


@require_POST
def space_follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow or stop following a space (``follow=1`` or ``0``). A space this person may not see
    answers 404, as every other way into it; a visitor is sent to log in, then back."""
    space = spaces_visible_to(request.user).filter(slug=slug).first()
    if space is None:
        raise Http404
    back = space.get_absolute_url()
    if not request.user.is_authenticated:
        return login_or_forbidden(request, next_url=back)
    follow = request.POST.get("follow") == "1"
    services.follow_set(target=space, user=signed_in(request), follow=follow)
    messages.success(
        request,
        _("You follow this space now: new events, processes and publications will be notified.")
        if follow
        else _("You no longer follow this space."),
    )
    return redirect(back)
