"""The types of the person behind a request, for the signatures of every app.

- ``Actor``: the signed-in person a service acts for (a ``User``). A write needs one: views get
  it with :func:`signed_in` after their log-in check.
- ``Viewer``: whoever reads, a signed-in person or a visitor (``request.user`` as it comes):
  selectors and forms that show more to members take one.

Import it from services, selectors, forms and views (loaded once the apps are ready), never from
a ``models.py``: it imports the ``User`` model.
"""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from cocity.accounts.models import User

Actor: TypeAlias = User
Viewer: TypeAlias = User | AnonymousUser


def signed_in(request: HttpRequest) -> Actor:
    """The signed-in person making ``request``; ``PermissionDenied`` for a visitor. Views call it
    after their own log-in check (``login_or_forbidden``, ``require_perm``), so a visitor never
    reaches a service, which stores who acted."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user
