"""The Django admin for every network model, through the services (``cocity.core.admin``).
Forms run the models' own validation (territory codes, kind hierarchy, GeoJSON boundaries, logo
checks); writes go through the services, so descendants' paths follow a territory's new code,
an organisation or a space keeps at least one admin, and slugs are made by the services.
Memberships are changed on their own admin pages (through the services), join requests and
invitations only shown. Saves and deletions make the cached pages that show them stale through
the cache table (``NetworkConfig.cached_models``, cocity.core.cache)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cocity.accounts.types import signed_in
from cocity.core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin

from .forms.organisations import LogoField
from .forms.territories import TerritoryAdminForm
from .models import (
    Invitation,
    JoinRequest,
    Organisation,
    OrganisationMembership,
    Space,
    SpaceMembership,
    Territory,
    Topic,
)
from .services import organisations as organisation_services
from .services import spaces as space_services
from .services import territories as territory_services
from .services import topics as topic_services


@admin.register(Territory)
class TerritoryAdmin(ServiceAdmin):
    form = TerritoryAdminForm
    list_display = ("name", "code", "kind", "parent", "path")
    list_filter = ("kind",)
    search_fields = ("name", "code", "path")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")
    list_select_related = ("parent",)

    def create(self, request: HttpRequest, obj: Territory, form: Any) -> Territory:
        return territory_services.territory_create(
            name=obj.name,
            code=obj.code,
            kind=obj.kind,
            parent=obj.parent,
            boundary=obj.boundary,
            boundary_approximate=obj.boundary_approximate,
        )

    def update(self, request: HttpRequest, obj: Territory, form: Any) -> None:
        # Descendants' paths follow a new code or parent.
        territory_services.territory_update(
            territory=obj,
            name=obj.name,
            code=obj.code,
            kind=obj.kind,
            parent=obj.parent,
            boundary=obj.boundary,
            boundary_approximate=obj.boundary_approximate,
        )


@admin.register(Topic)
class TopicAdmin(ServiceAdmin):
    list_display = ("name", "slug", "parent")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)

    @staticmethod
    def _fields(obj: Topic) -> dict[str, Any]:
        return {
            "name": obj.name,
            "slug": obj.slug,
            "parent": obj.parent,
            "description": obj.description,
            "translations": obj.translations,
        }

    def create(self, request: HttpRequest, obj: Topic, form: Any) -> Topic:
        return topic_services.topic_create(**self._fields(obj))

    def update(self, request: HttpRequest, obj: Topic, form: Any) -> None:
        topic_services.topic_update(topic=obj, **self._fields(obj))


class OrganisationAdminForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = (
            "name",
            "kind",
            "home_territory",
            "website",
            "description",
            "logo",
            "logo_alt",
        )
        # Checks type, size and SVG before Pillow reads the upload, with a clear message.
        field_classes = {"logo": LogoField}


class OrganisationMembershipInline(ReadOnlyInline):
    model = OrganisationMembership
    fields = ("user", "role", "created_at")


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin):
    """The slug (the organisation's address) is made by the service and stays."""

    form = OrganisationAdminForm
    list_display = ("name", "kind", "home_territory", "member_count", "created_at")
    list_filter = ("kind", "created_at")
    search_fields = ("name", "slug", "description")
    readonly_fields = ("slug", "created_at")
    autocomplete_fields = ("home_territory",)
    inlines = (OrganisationMembershipInline,)
    list_select_related = ("home_territory",)
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return super().get_queryset(request).annotate(member_total=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, obj: Organisation) -> int:
        return getattr(obj, "member_total", 0)

    @staticmethod
    def _fields(form: Any) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            name: data.get(name) or ""
            for name in ("name", "kind", "website", "description", "logo_alt")
        } | {"home_territory": data.get("home_territory")}

    def create(self, request: HttpRequest, obj: Organisation, form: Any) -> Organisation:
        logo = form.cleaned_data.get("logo")
        return organisation_services.organisation_create(
            creator=request.user,
            logo=logo if isinstance(logo, UploadedFile) else None,
            **self._fields(form),
        )

    def update(self, request: HttpRequest, obj: Organisation, form: Any) -> None:
        logo = form.cleaned_data.get("logo")  # a new upload, the current file, or False: clear
        organisation_services.organisation_update(
            organisation=obj,
            logo=logo if isinstance(logo, UploadedFile) else None,
            remove_logo=logo is False,
            **self._fields(form),
        )


class SpaceMembershipInline(ReadOnlyInline):
    model = SpaceMembership
    fields = ("user", "role", "created_at")


@admin.register(Space)
class SpaceAdmin(ServiceAdmin):
    """Through the services as the person signed in to the admin: whoever creates a space
    becomes its first admin; the slug is made by the service and stays."""

    list_display = ("name", "kind", "visibility", "join_policy", "territory", "created_at")
    list_filter = ("kind", "visibility", "join_policy", "created_at")
    search_fields = ("name", "slug", "summary")
    readonly_fields = ("slug", "created_by", "created_at")
    autocomplete_fields = ("parent", "territory", "organisations", "topics")
    inlines = (SpaceMembershipInline,)
    list_select_related = ("territory",)
    date_hierarchy = "created_at"

    @staticmethod
    def _fields(form: Any) -> dict[str, Any]:
        data = form.cleaned_data
        return {name: data[name] for name in space_services.SPACE_FIELDS if name in data} | {
            "organisations": list(data.get("organisations") or ()),
            "topics": list(data.get("topics") or ()),
        }

    def create(self, request: HttpRequest, obj: Space, form: Any) -> Space:
        return space_services.space_create(creator=request.user, **self._fields(form))

    def update(self, request: HttpRequest, obj: Space, form: Any) -> None:
        space_services.space_update(space=obj, actor=signed_in(request), **self._fields(form))


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(ServiceAdmin):
    """Through the services: an organisation always keeps at least one admin."""

    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "user__display_name", "organisation__name")
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("user",)
    list_select_related = ("user", "organisation")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("user", "organisation", "created_at") if obj else ("created_at",)

    def create(
        self, request: HttpRequest, obj: OrganisationMembership, form: Any
    ) -> OrganisationMembership:
        return organisation_services.organisation_member_add(
            organisation=form.cleaned_data["organisation"],
            email=form.cleaned_data["user"].email,
            role=form.cleaned_data["role"],
        )

    def update(self, request: HttpRequest, obj: OrganisationMembership, form: Any) -> None:
        organisation_services.organisation_member_change_role(
            organisation=obj.organisation, membership_id=obj.pk, role=form.cleaned_data["role"]
        )

    def delete(self, request: HttpRequest, obj: OrganisationMembership) -> None:
        organisation_services.organisation_member_remove(
            organisation=obj.organisation, membership_id=obj.pk
        )


@admin.register(SpaceMembership)
class SpaceMembershipAdmin(ServiceAdmin):
    """Roles and removals through the services (a space always keeps at least one admin).
    People join a space themselves, by request or by invitation: no adding here."""

    list_display = ("user", "space", "role", "created_at")
    list_filter = ("role", "space__visibility")
    search_fields = ("user__email", "user__display_name", "space__name")
    readonly_fields = ("user", "space", "created_at")
    list_select_related = ("user", "space")

    def update(self, request: HttpRequest, obj: SpaceMembership, form: Any) -> None:
        space_services.membership_role_change(
            membership=obj, role=form.cleaned_data["role"], actor=signed_in(request)
        )

    def delete(self, request: HttpRequest, obj: SpaceMembership) -> None:
        space_services.membership_remove(membership=obj, actor=signed_in(request))


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    """Decided by the space's admins on the space's members page."""

    list_display = ("user", "space", "status", "created_at", "decided_at")
    list_filter = ("status", "created_at")
    search_fields = ("user__email", "user__display_name", "space__name", "message")
    autocomplete_fields = ("space",)
    raw_id_fields = ("user", "decided_by")
    list_select_related = ("user", "space")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Sent and revoked by the space's admins on the space's members page."""

    list_display = ("email", "space", "role", "status", "created_at", "expires_at")
    list_filter = ("status", "role", "created_at")
    search_fields = ("email", "space__name")
    autocomplete_fields = ("space",)
    raw_id_fields = ("invited_by", "accepted_by")
    exclude = ("token",)
    list_select_related = ("space",)
