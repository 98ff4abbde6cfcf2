"""Notification inbox and preference, the moderation queue and activity log of a space."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.core.pagination import paginate
from cocity.network.models import Space

from . import selectors, services
from .forms import DecisionForm, PreferenceForm
from .models import Report


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    preference = services.preference_for(request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.preference_update(user=request.user, email=form.cleaned_data["email"])
        messages.success(request, _("Your notification preference is saved."))
        return redirect("participation:notifications")
    page_obj = paginate(request, selectors.inbox(request.user))
    unread = selectors.unread_count(request.user)
    return render(
        request,
        "participation/notifications.html",
        {"page_obj": page_obj, "form": form, "unread": unread},
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user)
    return redirect("participation:notifications")


def _moderated_space(request: HttpRequest, slug: str) -> Space:
    space = get_object_or_404(Space, slug=slug)
    if not request.user.has_perm("network.view_space", space):
        raise Http404
    if not request.user.has_perm("participation.moderate_space", space):
        raise Http404
    return space


@require_http_methods(["GET", "HEAD"])
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    space = _moderated_space(request, slug)
    status = request.GET.get("status", Report.Status.OPEN)
    if status not in Report.Status.values:
        status = Report.Status.OPEN
    page_obj = paginate(request, selectors.report_queue(space, status))
    return render(
        request,
        "participation/moderation.html",
        {
            "space": space,
            "page_obj": page_obj,
            "status": status,
            "statuses": Report.Status.choices,
            "form": DecisionForm(),
        },
    )


@require_POST
def report_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    space = _moderated_space(request, slug)
    report = get_object_or_404(Report, pk=pk, space=space)
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
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose hide or keep and give a reason."))
    return redirect("participation:moderation", slug=space.slug)


@require_http_methods(["GET", "HEAD"])
def activity(request: HttpRequest, slug: str) -> HttpResponse:
    space = _moderated_space(request, slug)
    page_obj = paginate(request, selectors.activity_log(space))
    return render(request, "participation/activity.html", {"space": space, "page_obj": page_obj})
