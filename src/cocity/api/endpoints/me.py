"""Who the caller is, and what their token allows."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["you"])


class TokenOut(Schema):
    name: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None


class MeOut(Schema):
    signed_in: bool
    id: int | None = None
    name: str = ""
    language: str = ""
    time_zone: str = ""
    token: TokenOut | None = None


@router.get("/me", response=MeOut, summary="Who you are (with a token) or a visitor")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    if not user.is_authenticated:
        return MeOut(signed_in=False)
    token = getattr(request, "api_token", None)
    return MeOut(
        signed_in=True,
        id=user.pk,
        name=user.public_name,
        language=getattr(user, "language", "") or "",
        time_zone=getattr(user, "time_zone", "") or "",
        token=TokenOut(
            name=token.name,
            scopes=list(token.scopes),
            created_at=token.created_at,
            last_used_at=token.last_used_at,
        )
        if token is not None
        else None,
    )
