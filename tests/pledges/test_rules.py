"""Every role against every pledges permission (the matrix of docs/pledges.md)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import (
    CampaignFactory,
    OrganisationMembershipFactory,
    UserFactory,
    pledge_with_measures,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "signed-in person",
    "member of the pledging organisation",
    "editor of the pledging organisation",
    "admin of the pledging organisation",
    "admin of the campaign's organisation",
    "staff",
)
Y, N = True, False
# action: (object, expected per role in ROLES order)
MATRIX = {
    "pledges.view_pledge (published)": ("published", (Y, Y, Y, Y, Y, Y, Y)),
    "pledges.view_pledge (draft)": ("draft", (N, N, N, Y, Y, Y, Y)),
    "pledges.change_pledge": ("draft", (N, N, N, Y, Y, N, Y)),
    "pledges.publish_pledge": ("draft", (N, N, N, Y, Y, N, Y)),
    "pledges.file_report": ("published", (N, N, N, Y, Y, N, Y)),
    "pledges.add_pledge": ("organisation", (N, N, N, Y, Y, N, Y)),
    "pledges.add_framework": ("organisation", (N, N, N, Y, Y, N, Y)),
    "pledges.view_campaign": ("campaign", (Y, Y, Y, Y, Y, Y, Y)),
    "pledges.change_campaign": ("campaign", (N, N, N, N, N, Y, Y)),
    "pledges.change_exchangerate": ("none", (N, N, N, N, N, N, Y)),
}


@pytest.fixture
def world():
    campaign = CampaignFactory()
    published = pledge_with_measures(campaign=campaign)
    draft = pledge_with_measures(
        campaign=campaign, organisation=published.organisation, publish=False
    )
    org = published.organisation
    people = {
        "anonymous": AnonymousUser(),
        "signed-in person": UserFactory(),
        "staff": UserFactory(is_staff=True),
    }
    for role in ("member", "editor", "admin"):
        people[f"{role} of the pledging organisation"] = OrganisationMembershipFactory(
            organisation=org, role=role
        ).user
    people["admin of the campaign's organisation"] = OrganisationMembershipFactory(
        organisation=campaign.organisation, role="admin"
    ).user
    objects = {
        "published": published,
        "draft": draft,
        "organisation": org,
        "campaign": campaign,
        "none": None,
    }
    return people, objects


@pytest.mark.parametrize("action", list(MATRIX))
def test_role_by_action(world, action):
    people, objects = world
    target, expected = MATRIX[action]
    perm = action.split(" ")[0]
    got = tuple(people[role].has_perm(perm, objects[target]) for role in ROLES)
    assert got == expected, dict(zip(ROLES, got, strict=True))
