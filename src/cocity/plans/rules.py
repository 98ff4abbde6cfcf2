"""Who may do what in co-production processes (matrix in docs/plans.md, checked role by action in
tests/plans/test_rules.py). Objects: a Process, an Idea, an Action or (add_process) a Space.

* Everyone who can see the space sees its processes; members-only spaces: members only.
* Organisers (facilitators) are the space's editors and admins, the owning organisations' admins
  and staff: they define phases, merge and answer ideas, run the action plan, moderate.
* Any signed-in person who can see the process takes part (posts, comments, supports) when the
  active phase allows it; an idea's author edits it while the phase allows editing.
"""

import rules

from cocity.accounts.types import Viewer
from cocity.network.rules import (
    can_view_space,
    is_owning_org_admin,
    is_space_editor,
    is_staff,
)

from .models import Action, Idea, Process


def _process(obj):
    if isinstance(obj, Process):
        return obj
    if isinstance(obj, (Idea, Action)):
        return obj.process
    return None


@rules.predicate
def can_view_process(user: Viewer, obj) -> bool:
    process = _process(obj)
    return process is not None and bool(can_view_space(user, process.space))


@rules.predicate
def is_organiser(user: Viewer, obj) -> bool:
    process = _process(obj)
    if process is None:
        return False
    space = process.space
    return bool(is_space_editor(user, space) or is_owning_org_admin(user, space) or is_staff(user))


@rules.predicate
def is_space_organiser(user: Viewer, space) -> bool:
    return bool(is_space_editor(user, space) or is_owning_org_admin(user, space) or is_staff(user))


@rules.predicate
def is_idea_author(user: Viewer, idea) -> bool:
    return isinstance(idea, Idea) and user.is_authenticated and idea.author_id == user.pk


@rules.predicate
def phase_allows_editing(user: Viewer, idea) -> bool:
    return isinstance(idea, Idea) and idea.process.allows("edit")


is_signed_in = rules.is_authenticated

rules.add_perm("plans.view_process", can_view_process)
rules.add_perm("plans.add_process", is_space_organiser)
rules.add_perm("plans.change_process", can_view_process & is_organiser)
rules.add_perm("plans.participate", is_signed_in & can_view_process)
rules.add_perm(
    "plans.change_idea",
    can_view_process & ((is_idea_author & phase_allows_editing) | is_organiser),
)
rules.add_perm("plans.facilitate", can_view_process & is_organiser)
rules.add_perm("plans.moderate", can_view_process & is_organiser)
