"""The personal access tokens page (``/me/tokens/``): a signed-in person makes a token (its
secret shown once, on the answer to the form, never stored), sees their tokens with their
scopes, creation and last use, and revokes one. Writes go through ``services.token_create`` and
``services.token_revoke``."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cocity.accounts.models import User
from cocity.core.forms import add_service_errors, error_text

from . import services
from .forms import SCOPE_EXPLANATIONS, TokenForm
from .models import ApiToken


def _tokens(user: User) -> list[ApiToken]:
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token.scope_labels = [  # type: ignore[attr-defined]
            (scope, SCOPE_EXPLANATIONS.get(scope, scope)) for scope in token.scopes
        ]
    return tokens


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # signed in: login_required
    created: ApiToken | None = None
    secret = ""
    status = 200
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                created, secret = services.token_create(
                    user=user, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                form = TokenForm()
        if form.errors:
            status = 400
    else:
        form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": _tokens(user),
            "created": created,
            "secret": secret,
            "max_tokens": services.MAX_TOKENS,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the secret is on this answer, once
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)  # signed in: login_required
    token = ApiToken.objects.filter(pk=pk, user=user, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    if request.method == "POST":
        try:
            services.token_revoke(user=user, token=token)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name},
            )
        return redirect("api_tokens")
    return render(request, "api/token_revoke.html", {"token": token})
