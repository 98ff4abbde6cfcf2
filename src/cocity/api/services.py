"""Writes of the API app: personal access tokens (made, revoked) and idempotent answers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.accounts.models import User

from .auth import SCOPES, TOKEN_KEY
from .errors import ApiError
from .models import ApiToken, IdempotencyKey, hash_secret

MAX_TOKENS = 20  # active tokens per person
KEEP_IDEMPOTENCY = timedelta(hours=24)


def token_create(*, user: User, name: str, scopes: Iterable[str]) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once; only its hash is kept)."""
    name = " ".join(str(name or "").split())[:100]
    chosen = sorted(set(scopes))
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the token a name, to know later what uses it.")]
    unknown = [s for s in chosen if s not in SCOPES]
    if unknown or not chosen:
        errors["scopes"] = [_("Choose at least one of the scopes offered.")]
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_TOKENS:
        errors["name"] = [
            _("You have %(count)d tokens already: revoke one first.") % {"count": MAX_TOKENS}
        ]
    if errors:
        raise ValidationError(errors)
    secret, prefix = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user, name=name, key_prefix=prefix, key_hash=hash_secret(secret), scopes=chosen
    )
    return token, secret


def token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise ValidationError(_("This is not one of your tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    # Refused from the next call on, whatever a process kept (also after the commit: a call
    # between the two could have kept it again).
    cache.delete(TOKEN_KEY.format(token.key_prefix))
    transaction.on_commit(lambda: cache.delete(TOKEN_KEY.format(token.key_prefix)))
    return token


def idempotent(
    *,
    user: User,
    key: str | None,
    endpoint: str,
    payload: Any,
    act: Callable[[], tuple[int, Any]],
) -> tuple[int, Any]:
    """Run ``act`` (which returns a status and a JSON body) once per ``Idempotency-Key``: the
    same key again gets the first answer and changes nothing; the same key with another request
    is refused (422). Without a key, ``act`` simply runs."""
    if not key:
        return act()
    key = key.strip()[:200]
    digest = hashlib.sha256(
        json.dumps([endpoint, payload], sort_keys=True, default=str).encode()
    ).hexdigest()
    IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEEP_IDEMPOTENCY).delete()
    with transaction.atomic():
        found = IdempotencyKey.objects.select_for_update().filter(user=user, key=key).first()
        claimed = False
        if found is None:
            # The key is claimed before acting: the same key sent twice at once waits here (the
            # unique constraint) for the first request's transaction, then gives its answer; if
            # the first one failed (nothing kept), the second one acts.
            try:
                with transaction.atomic():
                    found = IdempotencyKey.objects.create(
                        user=user, key=key, endpoint=endpoint, request_hash=digest, status=0
                    )
                claimed = True
            except IntegrityError:
                found = IdempotencyKey.objects.filter(user=user, key=key).first()
                if found is None:  # pragma: no cover - the other one rolled back meanwhile
                    raise ApiError(409, _("The same request is being handled already.")) from None
        if not claimed:
            if found.request_hash != digest:
                raise ApiError(
                    422,
                    _("This Idempotency-Key was used for another request."),
                    _("Use a new key for each new request."),
                )
            return found.status, found.body
        status, body = act()
        found.status = status
        found.body = json.loads(json.dumps(body, default=str))
        found.save(update_fields=["status", "body"])
    return status, body
