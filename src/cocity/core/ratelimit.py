"""A limit on writes: so many POST (PUT, PATCH, DELETE) requests per signed-in person, or per
IP address for visitors, in a fixed time window.

The count lives in Django's cache (local memory by default, Redis when ``REDIS_URL`` is set, so
every app process shares it) and is raised with the cache's atomic ``incr``. The limit is the
setting ``COCITY_POST_RATE`` ("60/m": sixty per minute; units s, m, h, d; empty: no limit).
Sign-in and sign-up have their own, stricter limits from allauth (``ACCOUNT_RATE_LIMITS``).
Visitors' addresses are read the way allauth reads them, so behind a proxy the environment's
``COCITY_TRUSTED_PROXY_COUNT`` (or ``COCITY_CLIENT_IP_HEADER``) configures both (settings/base.py
puts them in ``ALLAUTH_TRUSTED_PROXY_COUNT`` and ``ALLAUTH_TRUSTED_CLIENT_IP_HEADER``).
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PATH = "/api/"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(value: str) -> Rate | None:
    """``"60/m"`` -> Rate(60, 60); ``"10/5m"`` -> Rate(10, 300); empty -> None (no limit)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        count_text, period_text = value.split("/", 1)
        count = int(count_text)
        unit = period_text[-1:]
        multiplier = int(period_text[:-1] or "1")
        seconds = PERIODS[unit] * multiplier
    except (ValueError, KeyError) as error:
        raise ValueError(
            f"COCITY_POST_RATE must look like '60/m' (count/period), not {value!r}."
        ) from error
    if count <= 0 or seconds <= 0:
        return None
    return Rate(count=count, seconds=seconds)


def client_identity(request: HttpRequest) -> str:
    """Who is writing: the person's id when signed in, else their IP address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    from allauth.account.adapter import get_adapter

    ip = get_adapter(request).get_client_ip(request) or "unknown"
    return "ip:" + hashlib.sha256(ip.encode()).hexdigest()[:32]


def hit(identity: str, rate: Rate, now: float | None = None) -> tuple[bool, int]:
    """Count one write; return (allowed, seconds until the window ends)."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    key = f"cocity:post-rate:{identity}:{window}"
    # add() creates the counter only if missing; incr() is atomic (Redis INCR, locked locmem).
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=rate.seconds + 1)
        used = 1
    retry_after = max(1, int((window + 1) * rate.seconds - now))
    return used <= rate.count, retry_after


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    body = render_to_string("429.html", {"retry_after": retry_after}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class PostRateLimitMiddleware:
    """Answers 429 (with a translated page) once someone writes faster than COCITY_POST_RATE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API counts its writes itself, per token's person and in its own error format
        # (cocity/api/endpoints/writes.py: the same counter as the pages'); here its callers
        # would be anonymous and counted by address.
        if request.method in UNSAFE_METHODS and not request.path.startswith(API_PATH):
            rate = parse_rate(getattr(settings, "COCITY_POST_RATE", ""))
            if rate is not None:
                allowed, retry_after = hit(client_identity(request), rate)
                if not allowed:
                    return too_many_requests(request, retry_after)
        return self.get_response(request)
