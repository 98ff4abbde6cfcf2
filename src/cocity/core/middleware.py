"""Cross-cutting request handling: the viewer's time zone and security headers."""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

TIMEZONE_COOKIE = "cocity_tz"


def viewer_timezone_name(request: HttpRequest) -> str | None:
    """The person's profile zone when signed in, else the zone they picked (cookie)."""
    user = getattr(request, "user", None)
    name = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
    return name or request.COOKIES.get(TIMEZONE_COOKIE) or None


class TimezoneMiddleware:
    """Datetimes are stored in UTC and shown in the viewer's time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = viewer_timezone_name(request)
        try:
            if name:
                timezone.activate(zoneinfo.ZoneInfo(name))
            else:
                timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline script), Permissions-Policy, and Vary for htmx."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", settings.COCITY_CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response
