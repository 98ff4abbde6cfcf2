from django.contrib import admin

from cocity.core.cache import BumpsCacheVersionAdmin

from .models import (
    Campaign,
    ExchangeRate,
    Framework,
    FrameworkItem,
    Measure,
    Pledge,
    ProgressReport,
    ReportReminder,
)


class PledgesAdmin(BumpsCacheVersionAdmin):
    """Campaign pages are cached for visitors: every admin write makes them stale."""

    cache_namespaces = ("pledges",)


class FrameworkItemInline(admin.TabularInline):
    model = FrameworkItem
    extra = 0
    fields = ("code", "kind", "parent", "name", "translations", "position")


@admin.register(Framework)
class FrameworkAdmin(PledgesAdmin, admin.ModelAdmin):
    list_display = ("name", "slug", "organisation")
    inlines = [FrameworkItemInline]


@admin.register(Campaign)
class CampaignAdmin(PledgesAdmin, admin.ModelAdmin):
    list_display = ("name", "organisation", "framework", "currency", "report_every_months")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Pledge)
class PledgeAdmin(PledgesAdmin, admin.ModelAdmin):
    list_display = ("title", "organisation", "campaign", "state", "status", "report_due_on")
    list_filter = ("state", "status", "campaign")
    search_fields = ("title", "organisation__name")
    raw_id_fields = ("organisation", "created_by")


@admin.register(Measure)
class MeasureAdmin(PledgesAdmin, admin.ModelAdmin):
    list_display = ("__str__", "pledge", "amount", "currency", "starts_on", "ends_on", "status")
    raw_id_fields = ("pledge",)


@admin.register(ProgressReport)
class ProgressReportAdmin(PledgesAdmin, admin.ModelAdmin):
    list_display = ("measure", "reported_on", "spent", "status")
    raw_id_fields = ("measure", "created_by")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(PledgesAdmin, admin.ModelAdmin):
    """Kept by the admin; totals name the rate and date they used."""

    list_display = ("base", "quote", "rate", "valid_on", "source")
    list_filter = ("base", "quote")
    date_hierarchy = "valid_on"


@admin.register(ReportReminder)
class ReportReminderAdmin(PledgesAdmin, admin.ModelAdmin):
    list_display = ("pledge", "due_on", "sent_at", "recipients")
    raw_id_fields = ("pledge",)
