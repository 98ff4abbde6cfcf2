"""The pledges admin, through the services (``cocity.core.admin``): a campaign, a pledge or a
measure changed here recomputes the campaign's totals in the same transaction, as the pages
do. What the services derive (a pledge's state and status, its next report date, a measure's
spending and status from its progress reports) is only shown. Frameworks are made on the
site and progress reports are filed by the organisations (the reminders sent are in the core
ledger, ``cocity.core.reminders``)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cocity.accounts.types import signed_in
from cocity.core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin

from . import services
from .models import (
    Campaign,
    ExchangeRate,
    Framework,
    FrameworkItem,
    Measure,
    Pledge,
    ProgressReport,
)


class FrameworkItemInline(ReadOnlyInline):
    model = FrameworkItem
    fields = ("code", "kind", "parent", "name", "translations", "position")


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "organisation")
    inlines = [FrameworkItemInline]


CAMPAIGN_FIELDS = (
    "name", "slug", "summary", "description", "currency", "report_every_months", "starts_on",
)  # fmt: skip


@admin.register(Campaign)
class CampaignAdmin(ServiceAdmin):
    list_display = ("name", "organisation", "framework", "currency", "report_every_months")
    prepopulated_fields = {"slug": ("name",)}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The pledges chose their principles in this framework.
        return ("organisation", "framework", "created_at") if obj else ("created_at",)

    def create(self, request: HttpRequest, obj: Campaign, form: Any) -> Campaign:
        data = form.cleaned_data
        return services.campaign_create(
            organisation=data["organisation"],
            framework=data["framework"],
            **{name: data[name] for name in CAMPAIGN_FIELDS if name in data},
        )

    def update(self, request: HttpRequest, obj: Campaign, form: Any) -> None:
        data = form.cleaned_data
        services.campaign_update(
            campaign=obj, **{name: data[name] for name in CAMPAIGN_FIELDS if name in data}
        )


# Kept by the services: publication, the status from the measures, the next report date.
PLEDGE_DERIVED = ("state", "status", "published_at", "report_due_on", "created_by", "created_at")


@admin.register(Pledge)
class PledgeAdmin(ServiceAdmin):
    list_display = ("title", "organisation", "campaign", "state", "status", "report_due_on")
    list_filter = ("state", "status", "campaign")
    search_fields = ("title", "organisation__name")
    raw_id_fields = ("organisation", "campaign")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("campaign", "organisation", *PLEDGE_DERIVED) if obj else PLEDGE_DERIVED

    def create(self, request: HttpRequest, obj: Pledge, form: Any) -> Pledge:
        data = form.cleaned_data
        return services.pledge_create(
            campaign=data["campaign"],
            organisation=data["organisation"],
            title=data["title"],
            statement=data.get("statement", ""),
            principles=data.get("principles", ()),
            signed_by=data["signed_by"],
            signed_on=data["signed_on"],
            created_by=signed_in(request),
        )

    def update(self, request: HttpRequest, obj: Pledge, form: Any) -> None:
        data = form.cleaned_data
        services.pledge_update(
            pledge=obj,
            title=data["title"],
            statement=data.get("statement", ""),
            principles=data.get("principles", ()),
            signed_by=data["signed_by"],
            signed_on=data["signed_on"],
        )


# From the latest progress report (services.report_file), and the order on the pledge's page.
MEASURE_DERIVED = ("position", "spent", "status", "last_reported_on")


@admin.register(Measure)
class MeasureAdmin(ServiceAdmin):
    """The budget through ``measure_update``: the campaign's totals follow."""

    list_display = ("__str__", "pledge", "amount", "currency", "starts_on", "ends_on", "status")
    raw_id_fields = ("pledge",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("pledge", *MEASURE_DERIVED) if obj else MEASURE_DERIVED

    @staticmethod
    def _fields(form: Any) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "description": data["description"],
            "amount": data["amount"],
            "currency": data["currency"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "department": data.get("department", ""),
        }

    def create(self, request: HttpRequest, obj: Measure, form: Any) -> Measure:
        return services.measure_add(pledge=form.cleaned_data["pledge"], **self._fields(form))

    def update(self, request: HttpRequest, obj: Measure, form: Any) -> None:
        services.measure_update(measure=obj, **self._fields(form))


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("measure", "reported_on", "spent", "status")
    raw_id_fields = ("measure", "created_by")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ServiceAdmin):
    """Kept by the admin, through ``exchange_rate_set`` (one rate per pair and day); totals
    name the rate and date they used."""

    list_display = ("base", "quote", "rate", "valid_on", "source")
    list_filter = ("base", "quote")
    date_hierarchy = "valid_on"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("base", "quote", "valid_on") if obj else ()

    def create(self, request: HttpRequest, obj: ExchangeRate, form: Any) -> ExchangeRate:
        return self._set(obj)

    def update(self, request: HttpRequest, obj: ExchangeRate, form: Any) -> None:
        self._set(obj)

    @staticmethod
    def _set(obj: ExchangeRate) -> ExchangeRate:
        return services.exchange_rate_set(
            base=obj.base, quote=obj.quote, rate=obj.rate, valid_on=obj.valid_on, source=obj.source
        )
