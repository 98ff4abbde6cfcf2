"""Typed request for views that look at htmx headers (``request.htmx`` from django-htmx)."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """One URL serves the page and its fragment: caches must tell them apart."""
    patch_vary_headers(response, ("HX-Request",))
    return response


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    """Where a small form (a zone, a language) sends the person back: its ``next`` field or the
    page it was sent from, if that is on this site; else ``fallback``."""
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    return target
