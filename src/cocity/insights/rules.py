"""Who may do what in insights. Everyone may read a city's insights (only aggregates are shown);
data sets are managed by editors and admins of an organisation whose home territory is in that
city, and by staff. ``tests/insights/test_rules.py`` checks each role."""

from __future__ import annotations

import rules

from cocity.accounts.types import Viewer
from cocity.network.models import OrganisationMembership, Role, Territory
from cocity.network.rules import is_staff


def _city_of(obj: object) -> Territory | None:
    if isinstance(obj, Territory):
        return obj
    return getattr(obj, "city", None)


@rules.predicate
def is_city_org_editor(user: Viewer, obj) -> bool:
    city = _city_of(obj)
    if not user.is_authenticated or city is None:
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_cocity_insights_cities", {})
    if city.pk not in cache:
        cache[city.pk] = OrganisationMembership.objects.filter(
            user_id=user.pk,
            role__in=[Role.EDITOR, Role.ADMIN],
            organisation__home_territory__path__startswith=city.path,
        ).exists()
    return bool(cache[city.pk])


can_manage = is_city_org_editor | is_staff
rules.add_perm("insights.view_insights", rules.always_allow)
# on a city (Territory): add a data set; on a data set: change, delete, see its imports
rules.add_perm("insights.add_dataset", can_manage)
rules.add_perm("insights.change_dataset", can_manage)
rules.add_perm("insights.delete_dataset", can_manage)
