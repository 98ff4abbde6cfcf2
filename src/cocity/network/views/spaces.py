"""Pages about spaces. Thin: parse with a form, check the permission, call a selector or a
service, render. Spaces a person may not see answer 404, never 403, so their existence does not
leak."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.accounts.types import signed_in
from cocity.core.access import login_or_forbidden
from cocity.core.cache import public_page_cache
from cocity.core.forms import add_service_errors, error_text
from cocity.core.hubs import HUB_NAMESPACE
from cocity.core.pagination import paginate
from cocity.core.translations import translated

from ..forms.spaces import (
    InvitationForm,
    JoinRequestForm,
    MembershipRoleForm,
    SpaceFilterForm,
    SpaceForm,
)
from ..models import Invitation, JoinRequest, Organisation, Space, SpaceMembership
from ..rules import forget_roles
from ..selectors import hubs as hub_selectors
from ..selectors import spaces as selectors
from ..services import spaces as services
from .hubs import hub_context

MEMBERS_ON_SPACE_PAGE = 24


def _visible_space_or_404(request: HttpRequest, slug: str) -> Space:
    space = selectors.space_for_viewer(slug=slug, user=request.user)
    if space is None:
        raise Http404
    return space


def _link_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# Directory and page --------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@public_page_cache(namespaces=("network",))
def space_list(request: HttpRequest) -> HttpResponse:
    form = SpaceFilterForm(
        request.GET or None,
        suggestions=None if request.htmx else selectors.space_filter_suggestions(),  # type: ignore[attr-defined]
    )
    spaces = selectors.space_list(user=request.user, **form.filters())
    context = {"form": form, "page_obj": paginate(spaces, request.GET.get("page"))}
    template = (
        "network/partials/space_results.html" if request.htmx else "network/space_list.html"  # type: ignore[attr-defined]
    )
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_http_methods(["GET", "HEAD"])
@public_page_cache(namespaces=("network", HUB_NAMESPACE))
def space_detail(request: HttpRequest, slug: str) -> HttpResponse:
    space = _visible_space_or_404(request, slug)
    state = selectors.viewer_state(space=space, user=request.user)
    context: dict[str, Any] = {
        "space": space,
        "state": state,
        "parent_visible": space.parent_id is not None
        and selectors.spaces_visible_to(request.user).filter(pk=space.parent_id).exists(),
        "children": list(selectors.space_children_visible_to(space=space, user=request.user)),
        "join_form": JoinRequestForm() if state.perms["request_join_space"] else None,
    }
    context.update(
        hub_context(
            request,
            name=f"space:{space.pk}",
            scope_for=lambda user: hub_selectors.space_scope(space=space, user=user),
        )
    )
    if state.perms["view_space_members"]:
        context["members_page"] = paginate(
            selectors.space_members(space=space),
            request.GET.get("page"),
            per_page=MEMBERS_ON_SPACE_PAGE,
        )
    return render(request, "network/space_detail.html", context)


# Creating and editing ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def space_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("network.add_space"):
        raise PermissionDenied
    form = SpaceForm(
        request.POST or None,
        request.FILES or None,
        parents=selectors.spaces_manageable_by(request.user).order_by("name"),
        organisations=selectors.organisations_user_can_own_spaces_for(request.user).order_by(
            "name"
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            space = services.space_create(creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The space is ready. You are its admin."))
            return redirect(space)
    return render(request, "network/space_form.html", {"form": form, "space": None})


@login_required
@require_http_methods(["GET", "POST"])
def space_edit(request: HttpRequest, slug: str) -> HttpResponse:
    space = _visible_space_or_404(request, slug)
    if not request.user.has_perm("network.change_space", space):
        raise PermissionDenied
    manageable = selectors.spaces_manageable_by(request.user).values("pk")
    parents = Space.objects.filter(Q(pk__in=manageable) | Q(pk=space.parent_id)).exclude(
        pk=space.pk
    )
    ownable = selectors.organisations_user_can_own_spaces_for(request.user).values("pk")
    organisations = Organisation.objects.filter(
        Q(pk__in=ownable) | Q(pk__in=space.organisations.values("pk"))
    )
    form = SpaceForm(
        request.POST or None,
        request.FILES or None,
        initial=SpaceForm.initial_for(space),
        parents=parents.order_by("name"),
        organisations=organisations.order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.space_update(space=space, actor=signed_in(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            space.refresh_from_db()
        else:
            messages.success(request, _("Changes saved."))
            return redirect(space)
    return render(request, "network/space_form.html", {"form": form, "space": space})


# Joining and leaving -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def space_join(request: HttpRequest, slug: str) -> HttpResponse:
    """Join an open space, ask to join one whose admins decide, or withdraw one's request."""
    space = _visible_space_or_404(request, slug)
    state = selectors.viewer_state(space=space, user=request.user)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "join")
        try:
            if action == "withdraw":
                services.join_request_withdraw(space=space, user=signed_in(request))
                messages.success(request, _("Your request to join has been withdrawn."))
                return redirect(space)
            if state.perms["join_space"]:
                services.space_join(space=space, user=signed_in(request))
                messages.success(request, _("Welcome! You are now a member of this space."))
                return redirect(space)
            if state.perms["request_join_space"] and form.is_valid():
                services.join_request_create(
                    space=space,
                    user=signed_in(request),
                    message=form.cleaned_data["message"],
                    link_base=_link_base(request),
                )
                messages.success(
                    request, _("Your request has been sent. The space's admins will answer.")
                )
                return redirect(space)
            if not (state.perms["join_space"] or state.perms["request_join_space"]):
                raise ValidationError(
                    _("You are already a member.")
                    if state.is_member
                    else _("This space takes new members by invitation only.")
                )
        except ValidationError as error:
            if (
                state.perms["request_join_space"]
                and state.pending_request is None
                and action != "withdraw"
            ):
                add_service_errors(form, error)
            else:
                messages.error(request, error_text(error))
                return redirect(space)
    context = {"space": space, "state": state, "join_form": form}
    return render(request, "network/space_join.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def space_leave(request: HttpRequest, slug: str) -> HttpResponse:
    space = _visible_space_or_404(request, slug)
    if not request.user.has_perm("network.leave_space", space):
        messages.error(request, _("You are not a member of this space."))
        return redirect(space)
    if request.method == "POST":
        try:
            services.space_leave(space=space, user=signed_in(request))
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(space)
        forget_roles(request.user)
        messages.success(
            request, _("You have left %(space)s.") % {"space": translated(space, "name")}
        )
        if selectors.space_for_viewer(slug=space.slug, user=request.user) is None:
            return redirect("network:space_list")
        return redirect(space)
    return render(request, "network/space_leave.html", {"space": space})


# Managing members ----------------------------------------------------------------------------


def _managed_space_or_404(request: HttpRequest, slug: str) -> Space:
    space = _visible_space_or_404(request, slug)
    if not request.user.has_perm("network.manage_space_members", space):
        raise PermissionDenied
    return space


def _members_page(
    request: HttpRequest, space: Space, invite_form: InvitationForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "space": space,
        "members_page": paginate(selectors.space_members(space=space), request.GET.get("page")),
        "join_requests": list(selectors.space_pending_join_requests(space=space)),
        "invitations": list(selectors.space_pending_invitations(space=space)),
        "invite_form": invite_form or InvitationForm(),
        "role_choices": MembershipRoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "network/space_members.html", context, status=status)


def _after_management(request: HttpRequest, space: Space) -> HttpResponse:
    """Back to the members page, or to the space if the person no longer manages it."""
    forget_roles(request.user)
    if request.user.has_perm("network.manage_space_members", space):
        return redirect("network:space_members", slug=space.slug)
    if selectors.space_for_viewer(slug=space.slug, user=request.user) is None:
        return redirect("network:space_list")
    return redirect(space)


@login_required
@require_http_methods(["GET", "POST"])
def space_members(request: HttpRequest, slug: str) -> HttpResponse:
    """Members with their roles, pending requests and invitations, for those who manage them.

    POST ``action``: ``role`` (with ``membership`` and ``role``), ``remove`` (with
    ``membership``) or ``revoke`` (with ``invitation``)."""
    space = _managed_space_or_404(request, slug)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("role", "remove"):
                membership = get_object_or_404(
                    SpaceMembership.objects.select_related("space", "user"),
                    pk=request.POST.get("membership") or 0,
                    space=space,
                )
                if action == "role":
                    role_form = MembershipRoleForm(request.POST)
                    if not role_form.is_valid():
                        raise ValidationError(_("Choose member, editor or admin."))
                    services.membership_role_change(
                        membership=membership,
                        role=role_form.cleaned_data["role"],
                        actor=signed_in(request),
                    )
                    messages.success(
                        request,
                        _("%(person)s is now %(role)s.")
                        % {
                            "person": membership.user.public_name,
                            "role": dict(MembershipRoleForm.base_fields["role"].choices)[  # type: ignore[attr-defined]
                                role_form.cleaned_data["role"]
                            ],
                        },
                    )
                else:
                    services.membership_remove(membership=membership, actor=signed_in(request))
                    messages.success(
                        request,
                        _("%(person)s has been removed from the space.")
                        % {"person": membership.user.public_name},
                    )
            elif action == "revoke":
                invitation = get_object_or_404(
                    Invitation.objects.select_related("space"),
                    pk=request.POST.get("invitation") or 0,
                    space=space,
                )
                services.invitation_revoke(invitation=invitation, actor=signed_in(request))
                messages.success(request, _("The invitation has been withdrawn."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            messages.error(request, error_text(error))
        return _after_management(request, space)
    return _members_page(request, space)


@login_required
@require_POST
def join_request_decide(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    space = _managed_space_or_404(request, slug)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("space", "user"), pk=request_id, space=space
    )
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or decline the request."))
        return redirect("network:space_members", slug=space.slug)
    try:
        services.join_request_decide(
            join_request=join_request,
            actor=signed_in(request),
            accept=decision == "accept",
            link_base=_link_base(request),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        name = join_request.user.public_name
        if decision == "accept":
            messages.success(request, _("%(person)s is now a member.") % {"person": name})
        else:
            messages.success(
                request, _("The request from %(person)s was declined.") % {"person": name}
            )
    return redirect("network:space_members", slug=space.slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    space = _managed_space_or_404(request, slug)
    if request.method != "POST":
        return redirect(reverse("network:space_members", args=[space.slug]) + "#invite")
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                space=space,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                link_base=_link_base(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("network:space_members", slug=space.slug)
    return _members_page(request, space, invite_form=form, status=400)


@require_http_methods(["GET", "POST"])
def invitation_respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        raise Http404
    error = services.invitation_problem(invitation)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return login_or_forbidden(request, next_url=request.path)
        accept = request.POST.get("decision") == "accept"
        try:
            services.invitation_respond(token=token, user=request.user, accept=accept)
        except ValidationError as refusal:
            error = error_text(refusal)
        else:
            if accept:
                messages.success(
                    request,
                    _("Welcome to %(space)s!") % {"space": translated(invitation.space, "name")},
                )
                return redirect(invitation.space)
            messages.success(request, _("You have declined the invitation."))
            return redirect("home")
    context = {
        "invitation": invitation,
        "error": error,
        "email_matches": selectors.user_has_verified_email(
            user=request.user, email=invitation.email
        ),
    }
    return render(request, "network/space_invitation.html", context)
