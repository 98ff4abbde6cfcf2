"""Who may do what with events. Built from the network predicates; the matrix is written out in
``docs/events.md``.

* Organisers of an event are the editors and admins of its space, the admins of the
  organisations owning that space, and staff.
* An event is visible to whoever may see its space, once it is no longer a draft (organisers
  see drafts).
"""

import rules

from cocity.accounts.types import Viewer
from cocity.network.models import Space
from cocity.network.rules import (
    can_view_space,
    is_owning_org_admin,
    is_space_editor,
    is_staff,
)

from .models import Event, Series


def _space(obj) -> Space | None:
    if isinstance(obj, Space):
        return obj
    if isinstance(obj, (Event, Series)):
        return obj.space
    return None


@rules.predicate
def is_organiser(user: Viewer, obj) -> bool:
    space = _space(obj)
    return bool(
        space is not None
        and (is_staff(user) or is_space_editor(user, space) or is_owning_org_admin(user, space))
    )


@rules.predicate
def can_see_space(user: Viewer, obj) -> bool:
    space = _space(obj)
    return space is not None and can_view_space(user, space)


@rules.predicate
def is_not_draft(user: Viewer, event: Event) -> bool:
    return event is not None and event.status != Event.Status.DRAFT


@rules.predicate
def is_registrable(user: Viewer, event: Event) -> bool:
    return (
        event is not None
        and event.status == Event.Status.PUBLISHED
        and event.registration_mode == Event.Registration.INTERNAL
    )


rules.add_perm("events.view_series", can_see_space)
rules.add_perm("events.add_event", rules.is_authenticated & is_organiser)  # object: a space
rules.add_perm("events.view_event", can_see_space & (is_not_draft | is_organiser))
rules.add_perm("events.change_event", is_organiser)
rules.add_perm("events.manage_registrations", is_organiser)
rules.add_perm(
    "events.register", rules.is_authenticated & can_see_space & is_not_draft & is_registrable
)
