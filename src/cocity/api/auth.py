"""Who is calling: a personal access token (``Authorization: Bearer cct_…``), or nobody.

Reads accept both: without a token the caller sees what a visitor sees. A token that is wrong,
revoked or malformed is refused (401), never read as "nobody". Writes need a token whose scopes
allow them (403 otherwise). Every call is counted against ``COCITY_API_RATE`` per token (or per
address without one): 429 with ``Retry-After`` beyond it.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from cocity.core.ratelimit import client_identity, parse_rate

from .errors import ApiError
from .models import TOKEN_PREFIX, ApiToken, hash_secret

# What a token may be allowed: reading what its person may see, and writing per capability.
SCOPES = {
    "read": "read",
    "write:events": "register for tracks and cancel",
    "write:plans": "post ideas, support and comment",
    "write:network": "follow spaces and organisations",
    "write:pledges": "submit progress reports",
}
LAST_USED_EVERY = 60  # seconds: the last use is written at most this often per token
# A token and its person are kept this long in the cache (no query per call); revoking deletes
# the entry at once; a person made inactive or deleted loses their tokens within this time.
TOKEN_KEY = "api-token:{}"  # noqa: S105 - a cache key, not a secret
TOKEN_SECONDS = 30


def token_for(raw: str) -> ApiToken | None:
    """The active token this string is, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    prefix = raw[len(TOKEN_PREFIX) :].split("_", 1)[0]
    key = TOKEN_KEY.format(prefix)
    token = cache.get(key)
    if token is None:
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_prefix=prefix, revoked_at__isnull=True)
            .first()
        )
        if token is not None:
            cache.set(key, token, TOKEN_SECONDS)
    if token is None or not hmac.compare_digest(token.key_hash, hash_secret(raw)):
        return None
    if not token.user.is_active:
        return None
    return token


def _throttle(request: HttpRequest, who: str) -> None:
    rate = parse_rate(getattr(settings, "COCITY_API_RATE", "600/m"))
    if rate is None:
        return
    import time

    window = int(time.time() // rate.seconds)
    key = f"api-rate:{who}:{window}"
    if cache.add(key, 1, rate.seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
    if count > rate.count:
        retry = rate.seconds - int(time.time()) % rate.seconds
        raise ApiError(
            429,
            _("Too many requests."),
            _("Try again in %(seconds)d seconds.") % {"seconds": retry},
            headers={"Retry-After": str(retry)},
        )


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        cache.set(TOKEN_KEY.format(token.key_prefix), token, TOKEN_SECONDS)


def _address(request: HttpRequest) -> str:
    """A visitor's allowance is per address; one that cannot be told (no REMOTE_ADDR, a proxy
    header allauth refuses) shares the allowance of the unknown ones instead of a 403."""
    try:
        return client_identity(request)
    except PermissionDenied:
        return "ip:unknown"


class TokenOrVisitor(HttpBearer):
    """Reads: a valid token, or no ``Authorization`` header at all (a visitor)."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header is None:
            request.api_token = None  # type: ignore[attr-defined]
            request.user = AnonymousUser()
            _throttle(request, _address(request))
            return True
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for(token)
        if found is None:
            # Wrong tokens count against the caller's address: no guessing at full speed.
            _throttle(request, _address(request))
            return None  # 401
        if "read" not in found.scopes and not any(s.startswith("write:") for s in found.scopes):
            return None
        request.api_token = found  # type: ignore[attr-defined]
        request.user = found.user
        _throttle(request, f"token:{found.pk}")
        _touch(found)
        return found


class TokenOnly(TokenOrVisitor):
    """Writes: a valid token (401 without one)."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization") is None:
            return None
        return super().__call__(request)


def require_scope(request: HttpRequest, scope: str) -> None:
    token = getattr(request, "api_token", None)
    if token is None or scope not in token.scopes:
        raise ApiError(
            403,
            _("This token may not do that."),
            _("It needs the scope %(scope)s.") % {"scope": scope},
        )


read_auth = TokenOrVisitor()
write_auth = TokenOnly()
