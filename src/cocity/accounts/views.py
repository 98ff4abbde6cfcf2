"""Pages about a person: their own profile settings, their public profile, export, deletion.

Sign-up, log-in, log-out, e-mail and password pages are allauth's (``/accounts/…``), shown in
our layout through ``templates/allauth/``.
"""

import json
from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cocity.core.forms import add_service_errors, error_text
from cocity.core.http import safe_next
from cocity.core.pagination import paginate

from . import selectors, services
from .forms import DeleteAccountForm, ProfileForm, TimeZoneForm
from .models import User


@login_required
@require_http_methods(["GET", "POST"])
def me(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # signed in: login_required
    if not user.has_perm("accounts.change_profile", user):
        raise Http404
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(user=user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("accounts:me")
    else:
        form = ProfileForm(
            initial={
                "display_name": user.display_name,
                "bio": user.bio,
                "languages": user.languages,
                "time_zone": user.time_zone,
                "home_city": user.home_city_id,
                "home_neighbourhood": user.home_neighbourhood_id,
                "machine_translation": user.machine_translation,
            }
        )
    return render(request, "accounts/me.html", {"form": form})


@login_required
@require_POST
def time_zone(request: HttpRequest) -> HttpResponse:
    """ "Use it": the person's times from now on in the zone their device offered."""
    user = cast(User, request.user)  # signed in: login_required
    if not user.has_perm("accounts.change_profile", user):
        raise Http404
    form = TimeZoneForm(request.POST)
    target = safe_next(request, fallback=reverse("accounts:me"))
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["time_zone"]))
        return redirect(target)
    try:
        services.time_zone_set(user=user, time_zone=form.cleaned_data["time_zone"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Times are now shown in %(zone)s. You can change it in your profile.")
            % {"zone": form.cleaned_data["time_zone"]},
        )
    return redirect(target)


@require_GET
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_profile(pk=pk)
    if not request.user.has_perm("accounts.view_profile", person):
        raise Http404
    data = selectors.profile_for_viewer(person=person, viewer=request.user)
    page_obj = paginate(data.space_memberships, request.GET.get("page"))
    return render(
        request,
        "accounts/profile.html",
        {
            "profile": data,
            "person": person,
            "page_obj": page_obj,
            "is_self": request.user.is_authenticated and request.user.pk == person.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def export_data(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # signed in: login_required
    if not user.has_perm("accounts.export_data", user):
        raise Http404
    if request.method == "GET":
        return render(request, "accounts/export.html")
    data = services.account_export(user=user)
    filename = f"cocity-data-{timezone.now().date().isoformat()}.json"
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # signed in: login_required
    if not user.has_perm("accounts.delete_account", user):
        raise Http404
    if request.method == "POST":
        form = DeleteAccountForm(request.POST, user=user)
        if form.is_valid():
            try:
                services.account_delete(user=user, confirm_email=form.cleaned_data["confirm_email"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                logout(request)
                messages.success(
                    request,
                    _("Your account has been deleted. Thank you for taking part."),
                )
                return redirect("home")
    else:
        form = DeleteAccountForm(user=user)
    return render(request, "accounts/delete.html", {"form": form})
