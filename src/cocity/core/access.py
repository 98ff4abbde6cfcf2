"""Log in, or 403: what a view answers a person who may not do what they asked.

Someone who is not signed in is sent to the log-in page, which brings them back (``next``) to
the address they asked for; someone signed in who lacks the right gets the "Not possible" page
(``403.html``) with the reason. A view asks, then goes on when it gets ``None``::

    refused = require_perm(request, "plans.facilitate", process, _("Only organisers can…"))
    if refused:
        return refused

``raise PermissionDenied("reason")`` shows the same page with the reason, for a signed-in person
only; a page that anonymous visitors can reach uses these helpers instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden(
    request: HttpRequest, message: str | None = None, *, status: int = 403
) -> HttpResponse:
    """The "Not possible" page with ``message`` (a general reason when there is none)."""
    return render(request, "403.html", {"message": message}, status=status)


def login_or_forbidden(
    request: HttpRequest, message: str | None = None, *, next_url: str | None = None
) -> HttpResponse:
    """To the log-in page (then back to ``next_url``, by default this address) when not signed
    in; else the 403 page with ``message``."""
    if not request.user.is_authenticated:
        return redirect_to_login(next_url or request.get_full_path())
    return forbidden(request, message)


def require_perm(
    request: HttpRequest, perm: str, obj: Any = None, message: str | None = None
) -> HttpResponse | None:
    """``None`` when the person has ``perm`` (on ``obj``), else :func:`login_or_forbidden`."""
    if request.user.has_perm(perm, obj):
        return None
    return login_or_forbidden(request, message)
