from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "cocity.insights"
    label = "insights"
    verbose_name = _("Insights")
    # The cache table (cocity.core.cache, decision 0007): the API's answers about data sets
    # (their ETags) are made stale by any write to these rows; bulk writes call rows_changed.
    cached_models = {
        "insights.DataSet": ("insights",),
        "insights.Unit": ("insights",),
        "insights.Geography": ("insights",),
        "insights.GeographyArea": ("insights",),
    }

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
