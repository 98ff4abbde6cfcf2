from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "cocity.pledges"
    label = "pledges"
    verbose_name = _("Pledges")
    # The cache table (cocity.core.cache, decision 0007): a write to these rows, however it is
    # made, makes the cached entries of these namespaces stale. Campaign, pledge and framework
    # pages, their totals and bodies, and the "linked pledges" tables on event, action and plan
    # pages (which include "pledges").
    cached_models = {
        "pledges.Framework": ("pledges",),
        "pledges.FrameworkItem": ("pledges",),
        "pledges.Campaign": ("pledges",),
        "pledges.Pledge": ("pledges",),
        "pledges.Measure": ("pledges",),
        "pledges.Indicator": ("pledges",),
        "pledges.MeasureLink": ("pledges",),
        "pledges.PledgeDocument": ("pledges",),
        "pledges.ProgressReport": ("pledges",),
        "pledges.IndicatorValue": ("pledges",),
        "pledges.ExchangeRate": ("pledges",),
        "pledges.CampaignSummary": ("pledges",),
    }

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
