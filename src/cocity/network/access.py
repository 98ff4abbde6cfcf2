"""When people may no longer see a space: the callbacks other apps register.

Visibility follows membership everywhere (``docs/permissions.md``): the personal lists read
through :func:`cocity.network.selectors.spaces_visible_to`, and what a person *holds* in a space
(a seat at one of its events) is let go when they lose sight of it. The network cannot import
the apps above it (the import contracts), so it calls whatever they registered, from their
``AppConfig.ready()``::

    from cocity.network import access

    def ready(self) -> None:
        access.on_access_lost(registrations_end_for_lost_access)

A callback takes ``spaces`` (the spaces concerned) and ``user_ids`` (the persons concerned, or
``None`` for "anyone": the space itself became members-only). It runs inside the transaction of
the change, after the change, so it can ask the one selector who still sees what: a person
removed from a space they still see (staff, an admin of an owning organisation, a public space)
keeps everything. Callers: leaving a space, being removed from it, a space becoming members-only,
leaving or being removed from an organisation or losing its admin role (the spaces it owns).
Not a signal: the callers are the network's services, which every write (pages, admin) goes
through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

AccessLost = Callable[..., Any]

_callbacks: list[AccessLost] = []


def on_access_lost(callback: AccessLost) -> AccessLost:
    """Register ``callback(*, spaces, user_ids)`` (once, however often ready() runs)."""
    if callback not in _callbacks:
        _callbacks.append(callback)
    return callback


def callbacks() -> list[AccessLost]:
    return list(_callbacks)


def access_lost(*, spaces: Sequence[Any], user_ids: Iterable[int] | None = None) -> None:
    """Tell every registered app that these persons (or anyone, with ``None``) may have lost
    sight of these spaces. Nothing happens for public spaces: everyone still sees them."""
    closed = [space for space in spaces if not space.is_public]
    if not closed:
        return
    ids = None if user_ids is None else sorted(set(user_ids))
    if ids is not None and not ids:
        return
    for callback in _callbacks:
        callback(spaces=closed, user_ids=ids)
