from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cocity.plans"
    label = "plans"
    verbose_name = _("Co-production processes")
    # The cache table (cocity.core.cache, decision 0007): a write to these rows, however it is
    # made, makes the cached entries of these namespaces stale. Process, idea, action and plan
    # pages.
    cached_models = {
        "plans.Process": ("plans",),
        "plans.Phase": ("plans",),
        "plans.Idea": ("plans",),
        "plans.IdeaAttachment": ("plans",),
        "plans.Action": ("plans",),
        "plans.ProgressUpdate": ("plans",),
    }

    def ready(self) -> None:
        # This app's sections of the personal data export (accounts/exports.py is the registry).
        from . import exports

        exports.register_all()
