"""Reads for the network app, one module per area: ``spaces``, ``organisations``,
``territories``. Every list decides its query shape once, in its selector."""

from .memberships import organisations_where_sole_admin, spaces_where_sole_admin
from .spaces import home_overview, persons_who_see, spaces_visible_to

__all__ = [
    "home_overview",
    "organisations_where_sole_admin",
    "persons_who_see",
    "spaces_visible_to",
    "spaces_where_sole_admin",
]
