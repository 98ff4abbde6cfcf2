from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from cocity.core.cache import CSRF_PLACEHOLDER, rendering_with_csrf_placeholder
from cocity.core.middleware import viewer_timezone_name
from cocity.core.timezones import zone_label


def site(request: HttpRequest) -> dict[str, object]:
    context: dict[str, object] = {
        "site_name": settings.COCITY_SITE_NAME,
        "viewer_timezone": timezone.get_current_timezone_name(),
        # "Paris time", "heure de São Paulo": the zone as people say it (footer).
        "viewer_timezone_label": SimpleLazyObject(
            lambda: zone_label(timezone.get_current_timezone_name(), timezone.localtime())
        ),
        # Whether the viewer chose a zone (profile or cookie); timezone.js offers the device's
        # zone otherwise. The page cache's key holds the zone, so this is safe to cache.
        "viewer_timezone_chosen": viewer_timezone_name(request) is not None,
    }
    if rendering_with_csrf_placeholder(request):
        # A page for the shared cache: each response gets its visitor's own token instead
        # (this runs after Django's built-in csrf processor, so it wins).
        context["csrf_token"] = CSRF_PLACEHOLDER
    return context
