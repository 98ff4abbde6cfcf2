"""Who may do what with a person's account: the one place views and the API ask.

The object is always the person concerned (``request.user.has_perm("accounts.change_profile",
person)``). ``tests/accounts/test_rules.py`` checks every role against every action.
"""

import rules

from cocity.accounts.types import Viewer


@rules.predicate
def is_existing_person(user: Viewer, person) -> bool:
    return person is not None and person.deleted_at is None


@rules.predicate
def is_self(user: Viewer, person) -> bool:
    return bool(user.is_authenticated and person is not None and user.pk == person.pk)


@rules.predicate
def is_active_staff(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


rules.add_perm("accounts.view_profile", is_existing_person)
rules.add_perm("accounts.change_profile", is_existing_person & (is_self | is_active_staff))
rules.add_perm("accounts.export_data", is_existing_person & is_self)
rules.add_perm("accounts.delete_account", is_existing_person & is_self)
