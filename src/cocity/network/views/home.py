"""The home page: what the network holds, and for a signed-in person their own spaces."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cocity.core.cache import public_page_cache

from .. import selectors


@require_GET
@public_page_cache(namespaces=("network",))
def home(request: HttpRequest) -> HttpResponse:
    context = selectors.home_overview(user=request.user)
    return render(request, "core/home.html", context)
