from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.COCITY_SITE_NAME,
        "viewer_timezone": timezone.get_current_timezone_name(),
    }
