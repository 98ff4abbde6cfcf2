"""The open-data pages: the list of published packages, a package's page (its files and their
fields), and the files themselves at stable addresses:
``/open-data/spaces/<slug>/datapackage.json``, ``/open-data/spaces/<slug>/events.csv``,
``/open-data/cities/<code>/ideas.json``... Open to all, without a token, with
``Access-Control-Allow-Origin: *`` so that other tools can fetch them from a browser."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import opendata

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _still_public(scope_kind: str, key: str) -> Any:
    """The space or city of a package, if it is still public (a space made members-only since
    the last regeneration is no longer served)."""
    if scope_kind == "spaces":
        return opendata.public_spaces().filter(slug=key).first()
    if scope_kind == "cities":
        return opendata.cities().filter(code=key).first()
    return None


def _ensure(scope_kind: str, key: str, obj: Any) -> None:
    """A package not published yet (a new space, a site whose worker has not run) is written on
    its first request, so that every public space and city has one at its address."""
    if opendata.read_card(scope_kind, key) is None:
        if scope_kind == "spaces":
            opendata.publish_space(obj)
        else:
            opendata.publish_city(obj)


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/open_data.html",
        {
            "spaces": list(opendata.public_spaces().only("name", "slug")),
            "cities": list(opendata.cities().only("name", "code")),
            "license": opendata.license_id(),
        },
    )


def package(request: HttpRequest, scope_kind: str, key: str) -> HttpResponse:
    obj = _still_public(scope_kind, key)
    if obj is None:
        raise Http404
    _ensure(scope_kind, key, obj)
    card = opendata.read_card(scope_kind, key)
    if card is None:
        raise Http404
    return render(
        request,
        "api/open_data_package.html",
        {"obj": obj, "card": card, "scope": scope_kind, "key": key},
    )


def data_file(request: HttpRequest, scope_kind: str, key: str, name: str) -> FileResponse:
    if not opendata.FILE_NAME.fullmatch(name):
        raise Http404
    obj = _still_public(scope_kind, key)
    if obj is None:
        raise Http404
    _ensure(scope_kind, key, obj)
    path = opendata.published_file(scope_kind, key, name)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES[path.suffix[1:]])
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
