"""The one HTTP API, ``/api/v1/`` (decision 0014, docs/api.md): django-ninja, its OpenAPI 3.1
schema generated from the typed schemas of ``cocity/api/endpoints/``, committed in
``docs/api/openapi.json`` and checked against the code by the tests.

Each capability's endpoints are a ``Router`` in ``cocity/api/endpoints/<capability>.py``, listed
in ``ROUTERS``; they read through the capability's selectors (the pages' visibility, exactly)
and write through its services (the pages' permissions and rules).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from . import errors
from .auth import read_auth
from .http import keep_body
from .openapi import document_problems

DESCRIPTION = """Everything cocity shows, as JSON: spaces, organisations, places, topics;
events, tracks and sessions; processes, ideas, actions and plans; commons and pacts; pledges;
the library; search; data sets. Reads need no token (you see what a visitor sees) or a
personal access token (you see what its person sees); writes need a token with the right
scope. Lists are paged with cursors; answers carry an `ETag`; errors are
`application/problem+json`. See docs/api.md."""

# (prefix, router path): each capability's endpoints.
ROUTERS: list[tuple[str, str]] = [
    ("", "cocity.api.endpoints.me.router"),
    ("", "cocity.api.endpoints.writes.router"),
    ("", "cocity.api.endpoints.pledges.router"),
    ("", "cocity.api.endpoints.insights.router"),
    ("", "cocity.api.endpoints.plans.router"),
    ("", "cocity.api.endpoints.commons.router"),
    ("", "cocity.api.endpoints.library.router"),
    ("", "cocity.api.endpoints.network.router"),
    ("", "cocity.api.endpoints.events.router"),
    ("", "cocity.api.endpoints.search.router"),
]


class CocityAPI(NinjaAPI):
    def create_temporal_response(self, request: HttpRequest) -> HttpResponse:
        # Kept on the request so ``http.conditional`` can put the ETag on it.
        response = super().create_temporal_response(request)
        request.api_response = response  # type: ignore[attr-defined]
        return response

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        keep_body(request, response)
        return response

    def _get_urls(self) -> list[Any]:
        # Two routers may share an address (a read in one, a write in another: GET and POST
        # /processes/{slug}/ideas). The schema merges them, but Django answers with the first
        # pattern of a route, whose router has only its own methods (405 for the other's). So
        # the first pattern of such a route tries each router's view in turn.
        return _merge_routes(super()._get_urls())

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        # Every operation's errors (problem+json), from what it is: see openapi.py.
        return document_problems(self, super().get_openapi_schema(**kwargs))


def _merge_routes(patterns: list[Any]) -> list[Any]:
    from django.urls import URLPattern
    from django.urls import path as django_path

    views: dict[str, list[Any]] = {}
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            views.setdefault(str(pattern.pattern), []).append(pattern.callback)
    merged: list[Any] = []
    done: set[str] = set()
    for pattern in patterns:
        route = str(pattern.pattern) if isinstance(pattern, URLPattern) else ""
        callbacks = views.get(route, [])
        if route and callbacks and route not in done:  # every route: its 405 is a problem
            done.add(route)
            pattern = django_path(route, _first_allowed(callbacks), name=pattern.name)
        merged.append(pattern)
    return merged


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _unreadable(request: HttpRequest) -> bool:
    """A NUL in a JSON body or a header (an Idempotency-Key): PostgreSQL refuses NUL in text,
    so it would be a 500 there; the bad-input middleware reads only forms and addresses."""
    if any("\x00" in str(v) for k, v in request.META.items() if k.startswith("HTTP_")):
        return True
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or "json" not in (
        request.content_type or ""
    ):
        return False  # forms are the bad-input middleware's (which has read their stream)
    import json

    try:
        if b"\\u0000" not in (request.body or b"").lower():
            return False
        return _holds_nul(json.loads(request.body))
    except (ValueError, RawPostDataException):
        return False  # not JSON, or read already: ninja answers it (422)


def _first_allowed(callbacks: list[Any]) -> Any:
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _unreadable(request):
            return errors.problem(
                400,
                _(
                    "Bad request: the address or the form holds characters that cannot be "
                    "read (a NUL byte or an invalid encoding)."
                ),
            )
        response: HttpResponse | None = None
        allowed: set[str] = set()
        for callback in callbacks:
            response = callback(request, *args, **kwargs)
            if response is not None and response.status_code != 405:
                return response
            named = response.get("Allow", "") if response is not None else ""
            allowed.update(m.strip() for m in named.split(",") if m.strip())
        # No router of this address has the method: one 405 naming all the methods it has.
        return errors.problem(
            405,
            _("This method is not allowed here."),
            headers={"Allow": ", ".join(sorted(allowed))},
        )

    view.csrf_exempt = True  # type: ignore[attr-defined]  # as ninja's views (tokens, no cookies)
    return view


def build() -> NinjaAPI:
    api = CocityAPI(
        title="cocity",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api",
        docs_url=None,  # our own page, /api/v1/docs/ (no third-party script)
        openapi_url="/openapi.json",
        auth=read_auth,
    )
    errors.install(api)
    for prefix, path in ROUTERS:
        api.add_router(prefix, import_string(path))
    return api


api = build()


def schema() -> dict[str, Any]:
    return api.get_openapi_schema()
