"""Who may do what with campaigns, pledges and reports (matrix in docs/pledges.md, checked role
by action in tests/pledges/test_rules.py).

* Campaign managers are the admins of the campaign's organisation (``Campaign.organisation``).
* A pledge belongs to its organisation: that organisation's editors and admins write it, add
  measures and documents, publish it and file progress reports.
* Everyone reads published pledges; drafts are seen by their authors and the campaign managers.
* Frameworks: shipped ones are read-only; an organisation's editors add their own.
"""

import rules

from cocity.accounts.types import Viewer
from cocity.network.rules import is_org_admin, is_org_editor, is_staff

from .models import Campaign, Pledge


@rules.predicate
def is_campaign_manager(user: Viewer, campaign: Campaign) -> bool:
    return campaign is not None and is_org_admin(user, campaign.organisation)


@rules.predicate
def is_pledge_owner(user: Viewer, pledge: Pledge) -> bool:
    return pledge is not None and is_org_editor(user, pledge.organisation)


@rules.predicate
def is_pledge_campaign_manager(user: Viewer, pledge: Pledge) -> bool:
    return pledge is not None and is_org_admin(user, pledge.campaign.organisation)


@rules.predicate
def is_published(user: Viewer, pledge: Pledge) -> bool:
    return pledge is not None and pledge.state == Pledge.State.PUBLISHED


# Campaigns (object: Campaign; add_campaign: the organisation that will run it)
rules.add_perm("pledges.view_campaign", rules.always_allow)
rules.add_perm("pledges.add_campaign", is_org_admin | is_staff)
rules.add_perm("pledges.change_campaign", is_campaign_manager | is_staff)
# Pledging in a campaign (object: the organisation that pledges)
rules.add_perm("pledges.add_pledge", is_org_editor | is_staff)
# Pledges (object: Pledge)
rules.add_perm(
    "pledges.view_pledge", is_published | is_pledge_owner | is_pledge_campaign_manager | is_staff
)
rules.add_perm("pledges.change_pledge", is_pledge_owner | is_staff)
rules.add_perm("pledges.publish_pledge", is_pledge_owner | is_staff)
rules.add_perm("pledges.file_report", is_pledge_owner | is_staff)
# Frameworks (object: the organisation that will own it)
rules.add_perm("pledges.add_framework", is_org_editor | is_staff)
# Exchange rates: the admin keeps them (Django admin)
rules.add_perm("pledges.change_exchangerate", is_staff)
