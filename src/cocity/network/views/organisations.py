"""Organisation pages: directory, page, create, edit, members, leave. Thin: parse with a form,
ask ``rules`` for permission, call a service or a selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocity.accounts.types import signed_in
from cocity.core.access import login_or_forbidden
from cocity.core.cache import public_page_cache
from cocity.core.forms import add_service_errors, error_text
from cocity.core.hubs import HUB_NAMESPACE
from cocity.core.pagination import paginate
from cocity.core.translations import translated

from ..forms.organisations import (
    MemberAddForm,
    MemberRemoveForm,
    MemberRoleForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from ..models import Organisation, Role
from ..rules import forget_roles
from ..selectors import hubs as hub_selectors
from ..selectors import organisations as selectors
from ..services import organisations as services
from .hubs import hub_context

MEMBERS_ON_PAGE = 12
SPACES_ON_PAGE = 12


@require_http_methods(["GET", "HEAD"])
@public_page_cache(namespaces=("network",))
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(
        request.GET or None,
        city_suggestions=None if request.htmx else selectors.organisation_city_suggestions(),  # type: ignore[attr-defined]
    )
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisation_directory(
        kind=filters.get("kind") or None, city=filters.get("city"), query=filters.get("q")
    )
    page_obj = paginate(organisations, request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "filtered": bool(filters and any(filters.values())),
    }
    template = (
        "network/partials/organisation_results.html"
        if getattr(request, "htmx", False)
        else "network/organisation_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "HEAD"])
@public_page_cache(namespaces=("network", HUB_NAMESPACE))
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisations_with_counts(), slug=slug)
    members = paginate(
        selectors.organisation_members(organisation),
        request.GET.get("page"),
        per_page=MEMBERS_ON_PAGE,
    )
    spaces = list(selectors.organisation_spaces(organisation, user=request.user)[:SPACES_ON_PAGE])
    user = request.user
    context = {
        "organisation": organisation,
        "page_obj": members,
        "spaces": spaces,
        "can_edit": user.has_perm("network.change_organisation", organisation),
        "can_manage_members": user.has_perm("network.manage_organisation_members", organisation),
        "can_leave": user.has_perm("network.leave_organisation", organisation),
    }
    context.update(
        hub_context(
            request,
            name=f"organisation:{organisation.pk}",
            scope_for=lambda viewer: hub_selectors.organisation_scope(
                organisation=organisation, user=viewer
            ),
        )
    )
    return render(request, "network/organisation_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("network.add_organisation"):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                creator=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            forget_roles(request.user)
            messages.success(
                request,
                _("%(name)s is created, and you are its admin.")
                % {"name": translated(organisation, "name")},
            )
            return redirect(organisation)
    status = 400 if request.method == "POST" else 200
    return render(request, "network/organisation_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("network.change_organisation", organisation):
        return login_or_forbidden(request)
    initial = {
        "name": organisation.name,
        "kind": organisation.kind,
        "home_territory": organisation.home_territory,
        "website": organisation.website,
        "description": organisation.description,
        "logo": organisation.logo or None,
        "logo_alt": organisation.logo_alt,
    }
    form = OrganisationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, **form.service_arguments())
        except ValidationError as error:
            organisation.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("The details of the organisation are saved."))
            return redirect(organisation)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "network/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("network.manage_organisation_members", organisation):
        return login_or_forbidden(request)
    add_form = MemberAddForm(prefix="add")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                add_form = MemberAddForm(request.POST, prefix="add")
                if add_form.is_valid():
                    membership = services.organisation_member_add(
                        organisation=organisation,
                        email=add_form.cleaned_data["email"],
                        role=add_form.cleaned_data["role"],
                    )
                    messages.success(
                        request,
                        _("%(name)s is now a member.") % {"name": membership.user.public_name},
                    )
                    return redirect("network:organisation_members", slug=organisation.slug)
            elif action == "role":
                role_form = MemberRoleForm(request.POST)
                if role_form.is_valid():
                    membership = services.organisation_member_change_role(
                        organisation=organisation,
                        membership_id=role_form.cleaned_data["membership"],
                        role=role_form.cleaned_data["role"],
                    )
                    messages.success(
                        request,
                        _("%(name)s is now %(role)s.")
                        % {
                            "name": membership.user.public_name,
                            "role": Role(membership.role).label,
                        },
                    )
                    return _after_member_change(request, organisation)
                messages.error(request, _("Choose a role: member, editor or admin."))
                status = 400
            elif action == "remove":
                remove_form = MemberRemoveForm(request.POST)
                if remove_form.is_valid():
                    services.organisation_member_remove(
                        organisation=organisation,
                        membership_id=remove_form.cleaned_data["membership"],
                    )
                    messages.success(request, _("The member is removed."))
                    return _after_member_change(request, organisation)
                status = 400
            else:
                status = 400
        except ValidationError as error:
            if action == "add":
                add_service_errors(add_form, error)
            else:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("network:organisation_members", slug=organisation.slug)
        if status == 200:
            status = 400
    page_obj = paginate(selectors.organisation_members(organisation), request.GET.get("page"))
    context = {
        "organisation": organisation,
        "page_obj": page_obj,
        "add_form": add_form,
        "roles": Role.choices,
    }
    return render(request, "network/organisation_members.html", context, status=status)


def _after_member_change(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Back to the members page, or to the organisation if one just gave up their own admin."""
    forget_roles(request.user)
    if request.user.has_perm("network.manage_organisation_members", organisation):
        return redirect("network:organisation_members", slug=organisation.slug)
    return redirect(organisation)


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_leave(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("network.leave_organisation", organisation):
        return login_or_forbidden(request)
    error = None
    if request.method == "POST":
        try:
            services.organisation_leave(organisation=organisation, user=signed_in(request))
        except ValidationError as exc:
            error = error_text(exc)
        else:
            forget_roles(request.user)
            messages.success(
                request, _("You have left %(name)s.") % {"name": translated(organisation, "name")}
            )
            return redirect(organisation)
    return render(
        request,
        "network/organisation_leave.html",
        {"organisation": organisation, "error": error},
        status=400 if error else 200,
    )
