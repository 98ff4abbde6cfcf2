"""Every role against every network permission, for public-open, public-by-request and
members-only spaces. The tables below mirror ``docs/permissions.md`` cell by cell, and the first
tests check that the document says exactly this."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from cocity.network.models import Role, Space
from tests.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"

SPACE_ROLES = (
    "anonymous",
    "signed-in person",
    "space member",
    "space editor",
    "space admin",
    "admin of an owning organisation",
    "staff",
)
ORG_ROLES = (
    "anonymous",
    "signed-in person",
    "organisation member",
    "organisation editor",
    "organisation admin",
    "staff",
)

OPEN, REQUEST, MEMBERS = "public, open", "public, by request", "members only"

# permission, on, one letter per role in SPACE_ROLES order: Y allowed, - refused.
SPACE_TABLE = [
    ("view_space", OPEN, "YYYYYYY"),
    ("view_space", REQUEST, "YYYYYYY"),
    ("view_space", MEMBERS, "--YYYYY"),
    ("view_space_members", OPEN, "YYYYYYY"),
    ("view_space_members", REQUEST, "YYYYYYY"),
    ("view_space_members", MEMBERS, "--YYYYY"),
    ("add_space", "—", "-YYYYYY"),
    ("change_space", OPEN, "----YYY"),
    ("change_space", REQUEST, "----YYY"),
    ("change_space", MEMBERS, "----YYY"),
    ("manage_space_members", OPEN, "----YYY"),
    ("manage_space_members", REQUEST, "----YYY"),
    ("manage_space_members", MEMBERS, "----YYY"),
    ("join_space", OPEN, "-Y---YY"),
    ("join_space", REQUEST, "-------"),
    ("join_space", MEMBERS, "-------"),
    ("request_join_space", OPEN, "-------"),
    ("request_join_space", REQUEST, "-Y---YY"),
    ("request_join_space", MEMBERS, "-------"),
    ("leave_space", OPEN, "--YYY--"),
    ("leave_space", REQUEST, "--YYY--"),
    ("leave_space", MEMBERS, "--YYY--"),
    ("add_organisation", "—", "-YYYYYY"),
    ("change_organisation", "organisation", "-----YY"),
    ("manage_organisation_members", "organisation", "-----YY"),
    ("own_space_as_organisation", "organisation", "-----YY"),
    ("change_territory", "—", "------Y"),
    ("change_topic", "—", "------Y"),
]

# permission, one letter per role in ORG_ROLES order.
ORG_TABLE = [
    ("view_organisation", "YYYYYY"),
    ("add_organisation", "-YYYYY"),
    ("change_organisation", "----YY"),
    ("manage_organisation_members", "----YY"),
    ("own_space_as_organisation", "---YYY"),
    ("leave_organisation", "--YYY-"),
]


def _docs_rows(header_start: str) -> list[list[str]]:
    """The body rows of the table in docs/permissions.md whose header starts like this."""
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _letters(cells: list[str]) -> str:
    return "".join({"✓": "Y", "—": "-"}[cell] for cell in cells)


def _permission(cell: str) -> str:
    match = re.fullmatch(r"`([a-z_]+)`", cell)
    assert match, cell
    return match.group(1)


def test_docs_space_table_is_this_table():
    header = "| action | permission | on | " + " | ".join(SPACE_ROLES) + " |"
    rows = _docs_rows(header)
    documented = [(_permission(row[1]), row[2], _letters(row[3:])) for row in rows]
    assert documented == SPACE_TABLE


def test_docs_organisation_table_is_this_table():
    header = "| action | permission | " + " | ".join(ORG_ROLES) + " |"
    rows = _docs_rows(header)
    documented = [(_permission(row[1]), _letters(row[2:])) for row in rows]
    assert documented == ORG_TABLE


def test_tables_cover_every_network_permission():
    import rules

    registered = {
        name.split(".", 1)[1]
        for name in rules.permissions.permissions
        if name.startswith("network.")
    }
    assert {perm for perm, _on, _expected in SPACE_TABLE} | {p for p, _e in ORG_TABLE} == registered


def _space_for(on: str) -> Space:
    if on == OPEN:
        return SpaceFactory(join_policy=Space.JoinPolicy.OPEN)
    if on == MEMBERS:
        return SpaceFactory(
            visibility=Space.Visibility.MEMBERS, join_policy=Space.JoinPolicy.REQUEST
        )
    return SpaceFactory(join_policy=Space.JoinPolicy.REQUEST)


@pytest.mark.django_db
@pytest.mark.parametrize(("permission", "on", "expected"), SPACE_TABLE)
def test_space_roles(permission, on, expected):
    space = _space_for(on if on in (OPEN, REQUEST, MEMBERS) else REQUEST)
    organisation = OrganisationFactory()
    space.organisations.add(organisation)
    people = {
        "anonymous": AnonymousUser(),
        "signed-in person": UserFactory(),
        "staff": UserFactory(is_staff=True),
    }
    for role in (Role.MEMBER, Role.EDITOR, Role.ADMIN):
        people[f"space {role}"] = SpaceMembershipFactory(space=space, role=role).user
    org_admin = OrganisationMembershipFactory(organisation=organisation, role=Role.ADMIN).user
    people["admin of an owning organisation"] = org_admin
    target = {
        "—": None,
        "organisation": organisation,
    }.get(on, space)
    actual = "".join(
        "Y" if people[role].has_perm(f"network.{permission}", target) else "-"
        for role in SPACE_ROLES
    )
    assert actual == expected, dict(zip(SPACE_ROLES, actual, strict=True))


@pytest.mark.django_db
@pytest.mark.parametrize(("permission", "expected"), ORG_TABLE)
def test_organisation_roles(permission, expected):
    organisation = OrganisationFactory()
    people = {
        "anonymous": AnonymousUser(),
        "signed-in person": UserFactory(),
        "staff": UserFactory(is_staff=True),
    }
    for role in (Role.MEMBER, Role.EDITOR, Role.ADMIN):
        people[f"organisation {role}"] = OrganisationMembershipFactory(
            organisation=organisation, role=role
        ).user
    target = None if permission == "add_organisation" else organisation
    actual = "".join(
        "Y" if people[role].has_perm(f"network.{permission}", target) else "-" for role in ORG_ROLES
    )
    assert actual == expected, dict(zip(ORG_ROLES, actual, strict=True))


@pytest.mark.django_db
def test_owning_org_editor_or_member_gets_nothing_more_than_a_person():
    """Only admins of an owning organisation act on its spaces; editors and members do not."""
    space = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    organisation = OrganisationFactory()
    space.organisations.add(organisation)
    for role in (Role.MEMBER, Role.EDITOR):
        user = OrganisationMembershipFactory(organisation=organisation, role=role).user
        assert not user.has_perm("network.view_space", space)
        assert not user.has_perm("network.change_space", space)
        assert not user.has_perm("network.manage_space_members", space)
