"""Typed request for views that look at htmx headers (``request.htmx`` from django-htmx)."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """One URL serves the page and its fragment: caches must tell them apart."""
    patch_vary_headers(response, ("HX-Request",))
    return response
