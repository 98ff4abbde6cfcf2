"""Who moderates: the editors and admins of the space the content belongs to, the admins of the
organisations owning it, and staff; for content that belongs to an organisation rather than a
space (a pact, through its commons), the editors and admins of that organisation, and staff."""

import rules

from cocity.network.rules import is_org_editor, is_owning_org_admin, is_space_editor, is_staff

is_moderator = is_space_editor | is_owning_org_admin | is_staff

# Object: the Space.
rules.add_perm("participation.moderate_space", is_moderator)
# Object: the Organisation.
rules.add_perm("participation.moderate_organisation", is_org_editor | is_staff)
rules.add_perm("participation.view_notifications", rules.is_authenticated)
