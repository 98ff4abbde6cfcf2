"""The Django admin for every network model. Forms run the models' own validation (territory
codes, kind hierarchy, GeoJSON boundaries, logo checks); territory changes go through the
service so descendants' paths follow. Saves and deletions of what public pages show bump the
"network" cache version (cocity.core.cache)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cocity.core.cache import BumpsCacheVersionAdmin

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
from .services.territories import territory_update


@admin.register(Territory)
class TerritoryAdmin(BumpsCacheVersionAdmin, admin.ModelAdmin):
    form = TerritoryAdminForm
    list_display = ("name", "code", "kind", "parent", "path")
    list_filter = ("kind",)
    search_fields = ("name", "code", "path")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")
    list_select_related = ("parent",)

    def save_model(self, request: HttpRequest, obj: Territory, form: Any, change: bool) -> None:
        if change:
            # Through the service: descendants' paths follow a new code or parent.
            territory_update(
                territory=obj,
                name=obj.name,
                code=obj.code,
                kind=obj.kind,
                parent=obj.parent,
                boundary=obj.boundary,
            )
        else:
            obj.full_clean()
            obj.save()


@admin.register(Topic)
class TopicAdmin(BumpsCacheVersionAdmin, admin.ModelAdmin):
    list_display = ("name", "slug", "parent")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)


class OrganisationAdminForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = (
            "name",
            "slug",
            "kind",
            "home_territory",
            "website",
            "description",
            "logo",
            "logo_alt",
            "created_at",
        )
        # Checks type, size and SVG before Pillow reads the upload, with a clear message.
        field_classes = {"logo": LogoField}


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "created_at")


@admin.register(Organisation)
class OrganisationAdmin(BumpsCacheVersionAdmin, admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ("name", "kind", "home_territory", "member_count", "created_at")
    list_filter = ("kind", "created_at")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("home_territory",)
    inlines = (OrganisationMembershipInline,)
    list_select_related = ("home_territory",)
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return super().get_queryset(request).annotate(member_total=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, obj: Organisation) -> int:
        return getattr(obj, "member_total", 0)


class SpaceMembershipInline(admin.TabularInline):
    model = SpaceMembership
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "created_at")


@admin.register(Space)
class SpaceAdmin(BumpsCacheVersionAdmin, admin.ModelAdmin):
    list_display = ("name", "kind", "visibility", "join_policy", "territory", "created_at")
    list_filter = ("kind", "visibility", "join_policy", "created_at")
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "territory", "organisations", "topics")
    raw_id_fields = ("created_by",)
    inlines = (SpaceMembershipInline,)
    list_select_related = ("territory",)
    date_hierarchy = "created_at"


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(BumpsCacheVersionAdmin, admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "user__display_name", "organisation__name")
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("user",)
    list_select_related = ("user", "organisation")


@admin.register(SpaceMembership)
class SpaceMembershipAdmin(BumpsCacheVersionAdmin, admin.ModelAdmin):
    list_display = ("user", "space", "role", "created_at")
    list_filter = ("role", "space__visibility")
    search_fields = ("user__email", "user__display_name", "space__name")
    autocomplete_fields = ("space",)
    raw_id_fields = ("user",)
    list_select_related = ("user", "space")


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ("user", "space", "status", "created_at", "decided_at")
    list_filter = ("status", "created_at")
    search_fields = ("user__email", "user__display_name", "space__name", "message")
    autocomplete_fields = ("space",)
    raw_id_fields = ("user", "decided_by")
    list_select_related = ("user", "space")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "space", "role", "status", "created_at", "expires_at")
    list_filter = ("status", "role", "created_at")
    search_fields = ("email", "space__name")
    autocomplete_fields = ("space",)
    raw_id_fields = ("invited_by", "accepted_by")
    exclude = ("token",)
    list_select_related = ("space",)
