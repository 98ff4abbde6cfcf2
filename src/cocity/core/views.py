import zoneinfo

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cocity.core.middleware import TIMEZONE_COOKIE


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return target


@require_POST
def set_timezone(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors choose the zone times are shown in; people set it in their profile."""
    name = request.POST.get("time_zone", "")
    response = HttpResponseRedirect(_safe_next(request))
    if name in zoneinfo.available_timezones() or not name:
        # Secure (HTTPS only) in production, like the session cookie; empty: forget the zone.
        response.set_cookie(
            TIMEZONE_COOKIE,
            name,
            max_age=365 * 24 * 3600 if name else 0,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
