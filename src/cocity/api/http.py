"""Conditional requests for the API's reads: an ``ETag`` made from the versions of the cache
namespaces the answer depends on (``cocity.core.cache``: every write to those tables bumps
them), the address and who asks. ``If-None-Match`` with the current tag is answered 304 before
any row is read; the answer carries the tag and ``Cache-Control: private, no-cache`` (always
asked again, cheaply)."""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from cocity.core.cache import namespace_versions

CLOCK_SECONDS = 120  # what changes with the clock alone (an event becoming past, a deadline)


def _tag(request: HttpRequest, namespaces: tuple[str, ...]) -> str:
    user = getattr(request, "user", None)
    who = f"u{user.pk}" if user is not None and user.is_authenticated else "anon"
    # A new tag every two minutes too, as the page cache's timeout: an answer that changes with
    # the clock alone (an event moving from upcoming to past) is never held longer than a page.
    tick = str(int(time.time() // CLOCK_SECONDS))
    raw = "|".join(
        [namespace_versions(namespaces), request.get_full_path(), who, request.LANGUAGE_CODE, tick]
    )
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


BODY_KEY = "api-body:{}"
BODY_SECONDS = CLOCK_SECONDS
MAX_BODY = 512 * 1024  # larger answers are rendered each time


def keep_bodies() -> bool:
    """Answers are kept under their tag where the page cache is on (Redis: shared by every
    process; the tag names everything an answer depends on, so a kept one is never stale)."""
    return bool(getattr(settings, "COCITY_API_BODY_CACHE", False))


def keep_body(request: HttpRequest, response: HttpResponse) -> None:
    """Called by ``CocityAPI.create_response``: keep a conditional read's 200 under its tag."""
    key = getattr(request, "api_keep_body", None)
    if key and keep_bodies() and response.status_code == 200 and len(response.content) <= MAX_BODY:
        cache.set(key, response.content, BODY_SECONDS)


def _headers(response: HttpResponse, tag: str) -> None:
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Accept-Language, Cookie"


def conditional(*namespaces: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a read endpoint: 304 when the caller's ``If-None-Match`` holds the current tag."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            tag = _tag(request, namespaces)
            asked = request.headers.get("If-None-Match", "")
            if tag in [t.strip() for t in asked.split(",")] or asked.strip() == "*":
                not_modified = HttpResponse(status=304)
                not_modified["ETag"] = tag
                return not_modified
            kept = cache.get(BODY_KEY.format(tag)) if keep_bodies() else None
            if kept is not None:
                # The same question since nothing it depends on changed: the same answer.
                again = HttpResponse(kept, content_type="application/json; charset=utf-8")
                _headers(again, tag)
                return again
            result = view(request, *args, **kwargs)
            response = getattr(request, "api_response", None)  # ninja's, set by CocityAPI
            if response is not None:
                _headers(response, tag)
                request.api_keep_body = BODY_KEY.format(tag)  # type: ignore[attr-defined]
            return result

        wrapper.cocity_conditional = True  # type: ignore[attr-defined]  # documents the 304
        return wrapper

    return decorate
